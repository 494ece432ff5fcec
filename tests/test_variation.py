import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as st

from municipal_survey.analysis import organisation, variation
from municipal_survey.data import socioeconomic
from municipal_survey.data.survey import load_survey
from municipal_survey.report.tables import means_wide


@pytest.fixture(scope="module")
def survey():
    return load_survey()


@pytest.fixture(scope="module")
def factors(survey):
    return variation.factors(survey.register, socioeconomic.standin_index(survey.register))


@pytest.fixture(scope="module")
def areas(survey):
    table = organisation.areas(survey)
    return dict(zip(table["short_label"], table["overall"]))


def test_size_groups_split_the_municipalities_in_about_thirds(survey):
    counts = variation.size_groups(survey.register).value_counts()
    assert counts.to_dict() == {"Under 35.000 indbyggere": 29, "35.000–54.999 indbyggere": 36,
                                "55.000 indbyggere og derover": 33}
    groups = variation.size_groups(survey.register)
    assert groups["101"] == "55.000 indbyggere og derover" and groups["825"] == "Under 35.000 indbyggere"


def test_index_thirds_hold_33_33_and_32_municipalities_low_to_high(factors, survey):
    groups = factors["index_group"].values
    assert groups.value_counts().sort_index().tolist() == [33, 32, 33]  # ranks 1-98 cut at 98/3 and 2 x 98/3
    index = socioeconomic.standin_index(survey.register).values
    assert index[groups == "Laveste tredjedel"].max() < index[groups == "Højeste tredjedel"].min()


def test_group_means_add_up_to_the_national_counts_and_mean(survey, factors):
    qid = "org_kvalitet_samlet"
    cells = variation.group_means(survey, {"Kvalitet": qid}, factors["region"])
    answers = survey.responses[(survey.responses["question"] == qid) & (survey.responses["answer"] <= 4)]
    assert cells["n"].sum() == len(answers)
    expected = [int((answers["answer"] == c).sum()) for c in (1, 2, 3, 4)]
    assert [cells[f"n_{c}"].sum() for c in (1, 2, 3, 4)] == expected
    assert (cells["mean"] * cells["n"]).sum() == pytest.approx(answers["answer"].sum())
    row = cells.iloc[0]
    sample = np.repeat([1, 2, 3, 4], [row.n_1, row.n_2, row.n_3, row.n_4])
    half = st.t.ppf(0.975, len(sample) - 1) * sample.std(ddof=1) / math.sqrt(len(sample))
    assert (row.ci_low, row.ci_high) == pytest.approx((sample.mean() - half, sample.mean() + half))


def test_group_means_follow_the_disclosure_rule_and_leave_no_lone_suppressed_cell(survey, factors, areas):
    cells = variation.group_means(survey, areas, factors["region"])
    outside = cells["n"] - cells[["n_1", "n_2", "n_3", "n_4"]].max(axis=1)
    assert (cells.loc[outside < 5, "suppression"] == "primær").all()
    assert (cells.loc[(outside >= 5) & cells["suppressed"], "suppression"] == "sekundær").all()
    for key in ("question", "group"):
        assert not (cells.groupby(key)["suppressed"].sum() == 1).any()
    wide = means_wide(cells)
    shown = wide.drop(columns="Spørgsmål").to_numpy().ravel()
    assert (shown == "<5").sum() == cells["suppressed"].sum()
    assert all(c == "<5" or c.endswith(")") and "n = " in c for c in shown)


def test_the_ordinal_model_has_no_constant_and_recovers_a_known_effect():
    rng = np.random.default_rng(1)
    x = rng.standard_normal(2000)
    latent = 1.0 * x + rng.logistic(size=2000)  # true log odds ratio 1.0
    y = np.digitize(latent, [-1.0, 0.5, 2.0]) + 1
    result = variation.ordinal_fit(y, pd.DataFrame({"x": x}))
    assert len(result.params) == 1 + 3  # one slope and three thresholds: no constant
    assert result.params["x"] == pytest.approx(1.0, abs=0.1)
    assert result.model.cdf(1.0) == pytest.approx(1 / (1 + math.exp(-1.0)))  # the logit link


def test_lr_p_value_and_odds_ratio_of_the_size_model(survey, factors):
    table = variation.models(survey, {"Tidlig": "org_tidlig_samlet"}, factors["size"])
    assert len(table) == 1 and table.at[0, "df"] == 1
    row = table.iloc[0]
    assert row.or_low < row.odds_ratio < row.or_high
    # The LR p-value against the thresholds-only model, computed here from the fitted log-likelihood.
    responses = survey.responses
    answers = responses[(responses["question"] == "org_tidlig_samlet") & (responses["answer"] <= 4)]
    population = survey.register.set_index("code")["population"]
    x = np.log2(population.reindex(answers["municipality"]).to_numpy(float))
    fit = variation.ordinal_fit(answers["answer"].to_numpy(), pd.DataFrame({"x": x}))
    counts = answers["answer"].value_counts().to_numpy()
    null = float(np.sum(counts * np.log(counts / counts.sum())))
    assert row.p_lr == pytest.approx(st.chi2.sf(2 * (fit.llf - null), 1))
    assert row.odds_ratio == pytest.approx(math.exp(fit.params["x"]))


def test_a_group_factor_has_one_term_per_group_but_the_first(survey, factors):
    table = variation.models(survey, {"Tidlig": "org_tidlig_samlet"}, factors["region"])
    assert list(table["term"]) == list(factors["region"].groups[1:]) and (table["df"] == 4).all()


def test_holm_family_against_a_hand_worked_example():
    tables = [pd.DataFrame({"label": ["a", "b", "c"], "question": ["qa", "qb", "qc"], "factor": "size",
                            "n": 80, "df": 1, "p_lr": [0.01, 0.04, 0.03]})]
    family = variation.holm_family(tables)
    # sorted 0.01, 0.03, 0.04 -> 3 x 0.01 = 0.03; 2 x 0.03 = 0.06; 1 x 0.04 = 0.04 -> raised to 0.06
    assert family["p_holm"].tolist() == pytest.approx([0.03, 0.06, 0.06])


def test_epsilon_squared_is_bias_adjusted_and_kept_in_zero_one():
    assert variation.epsilon_squared(10.0, 50, 3) == pytest.approx(8 / 47)
    assert variation.epsilon_squared(1.0, 50, 3) == 0.0  # H below its expectation k - 1
    assert variation.epsilon_squared(500.0, 50, 3) == 1.0


def test_kruskal_matches_scipy_and_its_interval_stays_in_zero_one(survey, factors, areas):
    table = variation.kruskal(survey, areas, factors["region"])
    assert len(table) == 9
    assert ((table["eps_low"] >= 0) & (table["eps_high"] <= 1) & (table["eps_low"] <= table["eps_high"])).all()
    row = table.iloc[0]
    answers = survey.responses[(survey.responses["question"] == row.question) & (survey.responses["answer"] <= 4)]
    region = factors["region"].values.reindex(answers["municipality"]).to_numpy()
    h, p = st.kruskal(*[answers["answer"].to_numpy()[region == g] for g in factors["region"].groups])
    assert (row.h, row.p_kruskal) == pytest.approx((h, p))
    with pytest.raises(ValueError, match="continuous"):
        variation.kruskal(survey, areas, factors["size"])


def test_minimal_detectable_odds_ratio_by_whitehead():
    # Two equal groups (Var(x) = 1/4), two equally likely answers: information n/16, so at n = 100 the
    # standard error is 0.4 and the detectable log odds ratio (1.95996 + 0.84162) x 0.4.
    expected = math.exp((1.959964 + 0.841621) * 0.4)
    assert variation.minimal_detectable_or(100, [0.5, 0.5], 0.25) == pytest.approx(expected, rel=1e-5)
    assert variation.minimal_detectable_or(100, [0.5, 0.5], 0.25, alpha=0.05 / 130) > expected


def test_brant_check_tells_proportional_from_non_proportional_odds():
    rng = np.random.default_rng(3)
    x = rng.standard_normal(3000)
    proportional = np.digitize(x + rng.logistic(size=3000), [-1.0, 0.5, 2.0]) + 1
    assert variation.brant_p(proportional, pd.DataFrame({"x": x})) > 0.01
    # x moves only the lowest cut: non-proportional
    u = rng.logistic(size=3000)
    crossing = np.where(u + 2 * x < -1.0, 1, np.digitize(u, [-1.0, 0.5, 2.0]) + 1)
    crossing = np.maximum(crossing, 1)
    assert variation.brant_p(crossing, pd.DataFrame({"x": x})) < 0.001


def test_completeness_shares_follow_the_rule(survey, factors, areas):
    table = variation.participation(survey, factors["region"], areas)
    assert table["n"].tolist() == [29, 17, 22, 19, 11]  # the regions' municipalities in the register
    responses = survey.responses
    answered = responses[responses["question"].isin(areas.values()) & (responses["answer"] <= 4)]
    complete = (answered.groupby("municipality")["question"].nunique() == 9).sum()
    assert table["k"].sum() == complete
    primary = (table["k"] < 5) | (table["n"] - table["k"] < 5)
    assert (table.loc[primary, "suppression"] == "primær").all()
    assert table["suppressed"].sum() != 1


def test_an_ordinal_fit_that_does_not_converge_is_an_error(monkeypatch):
    original = variation.LogitOrderedModel.fit

    def stopped_early(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        result.mle_retvals["converged"] = False
        return result

    monkeypatch.setattr(variation.LogitOrderedModel, "fit", stopped_early)
    with pytest.raises(RuntimeError, match="did not converge"):
        variation.ordinal_fit(np.array([1, 2, 3, 4, 2, 3] * 5), pd.DataFrame({"x": np.arange(30.0)}))
