"""Chapter 3's numbers against computations written out here: hand counts from the responses, the
likelihood maximised by scipy, Bonferroni and the delta method by hand."""
import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import optimize
from scipy import stats as st
from scipy.special import expit

from municipal_survey.analysis import organisation, variation
from municipal_survey.analysis.rounding import round_half_away
from municipal_survey.data import socioeconomic
from municipal_survey.data.register import SIZE_BINS


@pytest.fixture(scope="module")
def survey(shipped_book):
    return shipped_book.survey


@pytest.fixture(scope="module")
def factors(survey):
    return variation.factors(survey.register, socioeconomic.standin_index(survey.register))


@pytest.fixture(scope="module")
def areas(survey):
    table = organisation.areas(survey)
    return dict(zip(table["short_label"], table["overall"]))


@pytest.fixture(scope="module")
def named(areas):
    return {label: qid for label, qid in areas.items() if qid in variation.CONFIRMATORY}


@pytest.fixture(scope="module")
def confirmatory(survey, named, factors):
    return variation.confirmatory(survey, named, factors["size"]).set_index("question")


def scale_answers(survey, qid):
    responses = survey.responses
    return responses[(responses["question"] == qid) & responses["answer"].between(1, 4)]


def test_size_groups_split_the_municipalities_in_about_thirds(survey):
    counts = variation.size_groups(survey.register).value_counts()
    assert counts.to_dict() == {"Under 35.000 indbyggere": 29, "35.000–54.999 indbyggere": 36,
                                "55.000 indbyggere og derover": 33}


def test_index_thirds_hold_33_32_and_33_municipalities_low_to_high(factors, survey):
    groups = factors["index_group"].values
    assert groups.value_counts().sort_index().tolist() == [33, 32, 33]
    index = socioeconomic.standin_index(survey.register).values
    assert index[groups == "Laveste tredjedel"].max() < index[groups == "Højeste tredjedel"].min()


# ------------------------------------------------------------------------------ the confirmatory family
def _direct_profile(y, x, beta):
    """The log-likelihood maximised over the thresholds with the slope fixed (written out, Nelder-Mead)."""
    levels = np.unique(y)
    code = np.searchsorted(levels, y)

    def negative(theta):
        tau = np.concatenate([[-np.inf], theta[0] + np.concatenate([[0], np.cumsum(np.exp(theta[1:]))]),
                              [np.inf]])
        return -np.sum(np.log(expit(tau[code + 1] - beta * x) - expit(tau[code] - beta * x)))

    start = np.concatenate([[-1.0], np.zeros(len(levels) - 2)])
    return -optimize.minimize(negative, start, method="Nelder-Mead",
                              options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000}).fun


def test_confirmatory_lr_p_and_profile_intervals_against_a_likelihood_written_out(survey, confirmatory):
    answers = scale_answers(survey, "org_tidlig_samlet")
    population = survey.register.set_index("code")["population"].astype(float)
    x = np.log2(population.reindex(answers["municipality"]).to_numpy()) - np.log2(population).mean()
    y = answers["answer"].to_numpy()
    beta = optimize.minimize_scalar(lambda b: -_direct_profile(y, x, b), bounds=(-2, 2), method="bounded",
                                    options={"xatol": 1e-8}).x
    top = _direct_profile(y, x, beta)
    p = st.chi2.sf(2 * (top - _direct_profile(y, x, 0.0)), 1)
    row = confirmatory.loc["org_tidlig_samlet"]
    assert row.n == len(y)
    assert row.odds_ratio == pytest.approx(2 ** 0 * math.exp(beta), rel=1e-4)
    assert row.p_lr == pytest.approx(p, rel=1e-3)
    for level, low, high in ((0.95, "or_low", "or_high"), (1 - 0.05 / 3, "or_low_simultaneous",
                                                             "or_high_simultaneous")):
        target = top - st.chi2.ppf(level, 1) / 2
        ends = [optimize.brentq(lambda b, t=target: _direct_profile(y, x, b) - t, *bracket)
                for bracket in ((beta - 3, beta), (beta, beta + 3))]
        assert (row[low], row[high]) == pytest.approx(tuple(math.exp(e) for e in ends), rel=1e-3)


def test_bonferroni_over_the_three_named_statements_and_its_simultaneous_intervals(confirmatory):
    assert list(confirmatory.index) == ["org_sektorer_samlet", "org_kommuner_samlet", "org_tidlig_samlet"] or \
        set(confirmatory.index) == set(variation.CONFIRMATORY)
    assert confirmatory.attrs["simultaneous_level"] == pytest.approx(1 - 0.05 / 3)
    for row in confirmatory.itertuples():
        assert row.p_bonferroni == pytest.approx(min(1.0, 3 * row.p_lr))
        assert (not row.or_low_simultaneous <= 1 <= row.or_high_simultaneous) == (row.p_bonferroni < 0.05)
        assert (not row.or_low <= 1 <= row.or_high) == (row.p_lr < 0.05)
        assert row.or_low_simultaneous < row.or_low and row.or_high < row.or_high_simultaneous


def test_the_binary_comparisons_are_the_reports_split_with_and_without_ved_ikke(survey, confirmatory):
    population = survey.register.set_index("code")["population"].astype(float)
    responses = survey.responses
    everyone = responses[responses["question"] == "org_tidlig_samlet"]
    for rows, column in ((everyone, "binary_or"), (everyone[everyone["answer"] <= 4], "missing_or")):
        x = np.log2(population.reindex(rows["municipality"]).to_numpy())
        logit = sm.Logit(rows["answer"].isin([3, 4]).astype(int).to_numpy(), sm.add_constant(x)).fit(disp=False)
        assert confirmatory.at["org_tidlig_samlet", column] == pytest.approx(math.exp(logit.params[1]), rel=1e-4)
    assert confirmatory.at["org_tidlig_samlet", "n_all"] == len(everyone)  # "ved ikke" counted


def test_predicted_shares_for_named_sizes_by_hand(survey, named, factors):
    predicted = variation.predicted_shares(survey, named, factors["size"], variation.named_sizes(survey.register))
    answers = scale_answers(survey, "org_tidlig_samlet")
    population = survey.register.set_index("code")["population"].astype(float)
    centre = np.log2(population).mean()
    x = np.log2(population.reindex(answers["municipality"]).to_numpy()) - centre
    from municipal_survey.analysis import ordinal

    fit = ordinal.fit(answers["answer"].to_numpy(), x)
    for size in variation.NAMED_SIZES:
        at = math.log2(size) - centre
        # P(answer 3 or 4) = 1 - expit(tau between 2 and 3 - x beta)
        share = 1 - 1 / (1 + math.exp(-(fit.tau[1] - at * fit.beta[0])))
        row = predicted[(predicted["question"] == "org_tidlig_samlet") & (predicted["at"] == size)].iloc[0]
        assert row.share == pytest.approx(share, rel=1e-9)
        gradient = np.array([at, 0.0, -1.0, 0.0])
        se = math.sqrt(gradient @ fit.cov @ gradient)
        logit = math.log(share / (1 - share))
        assert (row.low, row.high) == pytest.approx((expit(logit - 1.959964 * se), expit(logit + 1.959964 * se)))
    shares = predicted[predicted["question"] == "org_tidlig_samlet"].set_index("at")["share"]
    assert shares.is_monotonic_increasing  # the odds ratio per doubling is above 1 here


def test_minimal_detectable_or_uses_the_bonferroni_level_for_the_family(confirmatory, survey, factors):
    from municipal_survey.analysis import stats

    answers = scale_answers(survey, "org_tidlig_samlet")
    shares = np.bincount(answers["answer"], minlength=5)[1:] / len(answers)
    variance = float(np.var(factors["size"].values))
    expected = stats.minimal_detectable_or(len(answers), shares, variance, 1, 0.05 / 3)
    assert confirmatory.at["org_tidlig_samlet", "mde_or"] == pytest.approx(expected)
    assert expected > stats.minimal_detectable_or(len(answers), shares, variance, 1, 0.05)


def test_group_power_uses_register_sizes_and_the_national_n_not_a_groups_respondents(survey, areas, factors):
    from municipal_survey.analysis import stats

    split = variation.breakdown(survey, areas, factors["size_group"])
    sizes = split.register_sizes
    assert sum(sizes.values()) == 98
    first, last = [sizes[g] / 98 for g in (split.grouping.groups[0], split.grouping.groups[-1])]
    variance = (first + last) / 4 - ((first - last) / 2) ** 2
    table = variation.models(survey, areas, factors["size_group"], split)
    row = table.drop_duplicates("question").set_index("question").loc["org_tidlig_samlet"]
    answers = scale_answers(survey, "org_tidlig_samlet")
    shares = np.bincount(answers["answer"], minlength=5)[1:] / len(answers)
    assert row.df == len(split.grouping.groups) - 1
    assert row.mde_or == pytest.approx(stats.minimal_detectable_or(len(answers), shares, variance, row.df, 0.05))


# --------------------------------------------------------------------------- group shares and merging
def test_group_shares_add_up_to_the_national_counts_and_count_the_whole_group(survey, areas, factors):
    split = variation.breakdown(survey, areas, factors["region"])
    cells = variation.group_shares(split)
    qid = "org_kvalitet_samlet"
    answers = scale_answers(survey, qid)
    mine = cells[cells["question"] == qid]
    assert mine[["n_1", "n_2", "n_3", "n_4"]].sum().tolist() == [int((answers["answer"] == c).sum())
                                                                  for c in (1, 2, 3, 4)]
    group = split.values.reindex(answers["municipality"]).astype(str).to_numpy()
    in_register = split.values.astype(str).value_counts()
    for row in mine.itertuples():
        theirs = answers["answer"].to_numpy()[group == row.group]
        # out of every municipality of the group in the register, rounded as the table and chart show it
        assert row.share == round_half_away(100 * (theirs >= 3).sum() / in_register[row.group], 0)


def test_merging_follows_the_declared_neighbours_and_one_decision_is_used_everywhere(survey, areas, factors):
    split = variation.breakdown(survey, areas, factors["region"])
    # every merge joins a region with a declared neighbour of one of its members
    from municipal_survey.data.register import REGION_NEIGHBOURS

    assert split.grouping.merges  # the shipped data need merging by region
    for merge in split.grouping.merges:
        assert any(n in REGION_NEIGHBOURS[o] for o in merge.failing_members for n in merge.partner_members)
    hidden = split.grouping.hidden()
    shares = variation.group_shares(split)
    shown_hidden = shares[shares["suppressed"]]
    assert set(zip(shown_hidden["question"], shown_hidden["group"])) == hidden
    models = variation.models(survey, areas, factors["region"], split)
    for qid in areas.values():
        hides = any(q == qid for q, _ in hidden)
        assert (models.loc[models["question"] == qid, "reason"].str.startswith("kan ikke vises")).all() == hides
    # the chart draws exactly the cells the table shows
    import matplotlib

    matplotlib.use("Agg")
    from municipal_survey.report import figures

    fig = figures.group_shares(shares)
    drawn = {a.get_gid() for ax in fig.axes for a in ax.get_children()
             if (a.get_gid() or "").startswith("shares:")}
    assert drawn == {f"shares:{r.label}:{r.group}" for r in shares.itertuples() if not r.suppressed}
    # the groups shown are the same for every question and statistic
    assert set(shares["group"]) == set(split.grouping.groups)
    assert set(models["term"]) <= set(split.grouping.groups[1:])


# ------------------------------------------------------------------------------------------- the chapter
@pytest.fixture(scope="module")
def chapter(survey):
    return variation.chapter(survey, socioeconomic.standin_index(survey.register))


def test_the_exploratory_screen_leaves_out_the_confirmatory_three_and_adjusts_by_bh(chapter):
    screen = chapter.screen
    confirmed = (screen["factor"] == "size") & screen["question"].isin(list(variation.CONFIRMATORY))
    assert not confirmed.any()
    p = screen["p_lr"].to_numpy()
    order = np.argsort(p)
    m = len(p)
    expected = np.minimum.accumulate((p[order] * m / np.arange(1, m + 1))[::-1])[::-1]
    assert np.sort(screen["q_bh"].to_numpy()) == pytest.approx(np.minimum(expected, 1.0))


def test_complete_and_item_counts_follow_the_books_n(survey, chapter, shipped_book):
    # N counts everyone who answered, "ved ikke" included; "svar på skalaen 1-4" only 1-4.
    responses = survey.responses
    qid = "org_tidlig_samlet"
    row = chapter.answers_n.set_index("question").loc[qid]
    assert row.n == len(responses[(responses["question"] == qid) & responses["answer"].isin([1, 2, 3, 4, 8, 9])])
    assert row.n_scale == len(responses[(responses["question"] == qid) & responses["answer"].isin([1, 2, 3, 4])])
    # A hand count from responses.csv: municipalities with an answer (any code, "ved ikke" included) to
    # every one of the nine areas' overall questions.
    import csv

    from municipal_survey.data.paths import SYNTHETIC_RESPONSES
    from municipal_survey.report import chapter3

    answered: dict[str, set] = {}
    with open(SYNTHETIC_RESPONSES, encoding="utf-8") as file:
        for line in csv.DictReader(file):
            if line["question"] in chapter.areas.values() and line["wave"] == "2020":
                answered.setdefault(line["municipality"], set()).add(line["question"])
    by_hand = sum(len(questions) == 9 for questions in answered.values())
    index = socioeconomic.standin_index(survey.register)
    shown, _ = chapter3.section(shipped_book, chapter, index).values["k3_complete"]
    assert shown == str(by_hand) == "85"  # what chapter 3 says


def test_the_size_cut_points_come_from_the_register_constants():
    from municipal_survey.report import chapter3

    text = chapter3.cut_points_text()
    for edge in SIZE_BINS[1:-1]:
        assert f"{edge:,}".replace(",", ".") in text


def test_the_pooled_gradient_is_the_stacked_binary_logit_of_every_cut(survey, areas, factors):
    # With an independence working correlation the ordinal GEE's estimates are those of one logit over
    # every (answer, cut) pair: a threshold per cut, a fixed effect per area and a common slope.
    pooled = variation.pooled_gradient(survey, areas, factors["size"], variation.named_sizes(survey.register))
    responses = survey.responses
    answers = responses[responses["question"].isin(list(areas.values())) & responses["answer"].between(1, 4)]
    x = factors["size"].values.reindex(answers["municipality"]).to_numpy()
    rows = []
    for cut in (1, 2, 3):
        frame = pd.DataFrame({"above": (answers["answer"].to_numpy() > cut).astype(int), "x": x,
                              "question": answers["question"].to_numpy()})
        for c in (1, 2, 3):
            frame[f"cut{c}"] = float(c == cut)
        rows.append(frame)
    stacked = pd.concat(rows, ignore_index=True)
    area_dummies = pd.get_dummies(pd.Categorical(stacked["question"], categories=list(areas.values())),
                                  dtype=float).iloc[:, 1:]
    design = pd.concat([stacked[["cut1", "cut2", "cut3", "x"]], area_dummies], axis=1)
    fit = sm.GLM(stacked["above"], design, family=sm.families.Binomial()).fit()
    assert pooled["odds_ratio"] == pytest.approx(math.exp(fit.params["x"]), rel=1e-4)
    at = variation.named_sizes(survey.register)[variation.NAMED_SIZES[0]]
    logit = fit.params["cut2"] + fit.params["x"] * at + fit.params[area_dummies.columns].sum() / len(areas)
    assert pooled["shares"][variation.NAMED_SIZES[0]][0] == pytest.approx(expit(logit), rel=1e-4)
    assert pooled["or_low"] < pooled["odds_ratio"] < pooled["or_high"]
