"""Chapter 3 – do the challenges vary with municipality size, region and the socioeconomic index?

Five descriptions of the municipalities ("factors"): size (log2 population 1 January 2020, and the size
thirds), region, and the socioeconomic index (continuous, and in thirds). For every "samlet set"
question (nine areas, 17 target groups) a proportional-odds logit per factor (ordinal.fit) with a
likelihood-ratio test and profile-likelihood intervals for the odds ratios.

- The confirmatory family is small and declared: the report's three named size statements
  (CONFIRMATORY), log2 population, 1 df each, Bonferroni-adjusted with simultaneous intervals at
  1 - alpha/3 beside the adjusted p. Beside them: predicted shares "i høj eller meget høj grad" for
  named sizes, the binary logit of the report's own split (robustness) and "ved ikke" as missing
  (sensitivity).
- Everything else is exploratory: odds ratios with single 95 pct. intervals and a Benjamini-Hochberg
  screen (q-values).
- One pooled answer to "is there a general size gradient": an ordinal GEE over the nine areas.
- Group breakdowns go through disclosure.merge_groups once per factor and page: the merged groups
  and the one decision per (question, group) are used by the shares, the models, the tests and power.
- A model that cannot be fitted is data: its row says "kan ikke beregnes" and why.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats as st
from scipy.special import expit

from ..data.register import REGION_NEIGHBOURS, REGIONS, SIZE_BINS, SIZE_LABELS, size_groups
from . import disclosure, likert, ordinal
from .rounding import round_half_away
from .stats import ALPHA, benjamini_hochberg, bonferroni, minimal_detectable_or, simultaneous_level

INDEX_LABELS = ("Laveste tredjedel", "Midterste tredjedel", "Højeste tredjedel")
SCALE = (1, 2, 3, 4)
# The report's three named size statements (its summary): +1 relatively larger challenges in large
# municipalities, -1 relatively smaller. They are the chapter's confirmatory family.
CONFIRMATORY = {"org_tidlig_samlet": 1, "org_sektorer_samlet": 1, "org_kommuner_samlet": -1}
# The sizes the chapter names when it turns an odds ratio into shares (inhabitants).
NAMED_SIZES = (20_000, 50_000, 150_000)
# The index levels it names: standard deviations from the mean of the 98.
NAMED_INDEX_SD = (-1.0, 1.0)
# A result is flagged as resting on few municipalities when its odds-ratio interval spans more than this factor.
SPARSE_RATIO = 20.0
GROUP_FACTORS = ("size_group", "region", "index_group")
NOT_COMPUTED = "kan ikke beregnes"
NOT_COMPUTED_GEE = "modellen gav advarsler (fx om konvergens)"


@dataclass(frozen=True)
class Factor:
    """One way of describing the municipalities: continuous (one term) or groups (reference = first)."""

    key: str
    label_da: str
    kind: str  # "continuous" or "groups"
    values: pd.Series  # index: kommunekode
    term_da: str = ""  # what one unit of a continuous factor is, for the odds ratio's label
    neighbours: dict = field(default_factory=dict)  # declared neighbours of unordered groups (regions)

    @property
    def groups(self) -> list[str]:
        return list(self.values.cat.categories) if self.kind == "groups" else []


def region_groups(register: pd.DataFrame) -> pd.Series:
    return pd.Series(pd.Categorical(register["region"], categories=list(REGIONS), ordered=True),
                     index=register["code"].to_numpy(), name="region")


def index_groups(index: pd.Series) -> pd.Series:
    """Thirds of the socioeconomic index over all 98 municipalities (ties kept apart by rank)."""
    ranks = index.rank(method="first")
    groups = pd.qcut(ranks, 3, labels=list(INDEX_LABELS))
    return pd.Series(pd.Categorical(groups, categories=list(INDEX_LABELS), ordered=True), index=index.index,
                     name="index_group")


def grouping(register: pd.DataFrame, by: str) -> Factor:
    """The size thirds (by="size_group") or the regions (by="region") as a Factor, for a page of its own
    (breakdown() then merges its groups for that page's questions)."""
    if by == "size_group":
        return Factor("size_group", "Kommunestørrelse (tredjedele)", "groups", size_groups(register))
    if by == "region":
        return Factor("region", "Region", "groups", region_groups(register), neighbours=REGION_NEIGHBOURS)
    raise ValueError(f"no grouping {by!r}; use 'size_group' or 'region'")


def log2_population(register: pd.DataFrame) -> pd.Series:
    """log2 of the population, centred on the mean over the 98 (so the thresholds sit mid-scale)."""
    values = np.log2(register.set_index("code")["population"].astype(float))
    return values - population_centre(register)


def population_centre(register: pd.DataFrame) -> float:
    return float(np.log2(register["population"].astype(float)).mean())


def size_factor(register: pd.DataFrame) -> Factor:
    """The population as one continuous term: log2, centred (odds ratios per doubling)."""
    return Factor("size", "Folketal (log)", "continuous", log2_population(register),
                  "pr. fordobling af folketallet")


def factors(register: pd.DataFrame, index) -> dict[str, Factor]:
    """The chapter's five factor specifications; `index` is a socioeconomic.SocioeconomicIndex."""
    codes = register["code"].to_numpy()
    values = index.values.reindex(codes)
    stand_in = " (syntetisk erstatning)" if index.synthetic else ""
    return {
        "size": size_factor(register),
        "size_group": grouping(register, "size_group"),
        "region": grouping(register, "region"),
        "index": Factor("index", "Socioøkonomisk indeks" + stand_in, "continuous",
                        (values - values.mean()) / values.std(ddof=0), "pr. standardafvigelse af indekset"),
        "index_group": Factor("index_group", "Socioøkonomisk indeks i tredjedele" + stand_in, "groups",
                              index_groups(values)),
    }


def size_label(originals) -> str:
    """A merged size group's name from the cut points ("Under 55.000 indbyggere")."""
    first, last = SIZE_LABELS.index(originals[0]), SIZE_LABELS.index(originals[-1])
    low, high = SIZE_BINS[first], SIZE_BINS[last + 1]
    if low == 0:
        return f"Under {high:,.0f} indbyggere".replace(",", ".")
    if math.isinf(high):
        return f"{low:,.0f} indbyggere og derover".replace(",", ".")
    return f"{low:,.0f}–{high - 1:,.0f} indbyggere".replace(",", ".")


def join_label(originals) -> str:
    """A merged group's name: "Region Hovedstaden og Sjælland", "Laveste og midterste tredjedel"."""
    if len(originals) == 1:
        return originals[0]
    words = [o.split(" ", 1) for o in originals]
    first, rest = words[0][0], [w[1] if len(w) > 1 else w[0] for w in words]
    if first == "Region" and all(w[0] == "Region" for w in words):
        return "Region " + ", ".join(rest[:-1]) + " og " + rest[-1]
    if all(w[-1] == words[0][-1] for w in words) and len(words[0]) > 1:  # "... tredjedel"
        heads = [o.rsplit(" ", 1)[0] for o in originals]
        return ", ".join(heads[:-1]) + " og " + heads[-1].lower() + " " + originals[0].rsplit(" ", 1)[1]
    return ", ".join(originals[:-1]) + " og " + originals[-1]


# ------------------------------------------------------------------------------------ the answers
def _answers(survey, qid: str, values: pd.Series, scale_only: bool = True) -> pd.DataFrame:
    """One row per municipality that answered `qid` (on the 1-4 scale only, unless `scale_only` is
    False) and has a value of the factor."""
    responses = survey.responses
    if scale_only:
        answers = likert.scale_answers(responses, [qid])
    else:
        answers = responses[(responses["question"] == qid) & responses["answer"].isin(likert.CATEGORY_ORDER)]
    keep = values.reindex(answers["municipality"]).notna().to_numpy()
    return answers[keep].reset_index(drop=True)


def scale_counts(survey, questions: dict[str, str], values: pd.Series) -> pd.DataFrame:
    """Answers on the 1-4 scale per (question, group) of `values` (index kommunekode)."""
    rows = []
    for label, qid in questions.items():
        answers = _answers(survey, qid, values)
        group = values.reindex(answers["municipality"]).astype(str).to_numpy()
        for g in values.cat.categories:
            y = answers["answer"].to_numpy()[group == g]
            rows.append({"label": label, "question": qid, "group": g,
                         **{f"n_{c}": int((y == c).sum()) for c in SCALE}})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Breakdown:
    """A group factor after merging: its grouping (the one decision per question and group) and the
    municipalities' merged group."""

    factor: Factor
    grouping: disclosure.Grouping
    values: pd.Series  # index kommunekode -> shown group (categorical, in order)
    register_sizes: dict[str, int]  # shown group -> municipalities in the register


def breakdown(survey, questions: dict[str, str], factor: Factor) -> Breakdown:
    """Merge the factor's groups for the page's questions (disclosure.merge_groups) and decide, once,
    what may be shown."""
    counts = scale_counts(survey, questions, factor.values)
    sizes = {g: int((factor.values == g).sum()) for g in factor.groups}
    label = size_label if factor.key == "size_group" else join_label
    grouping = disclosure.merge_groups(counts, factor.groups, factor.neighbours, sizes, label)
    labels = counts.drop_duplicates("question").set_index("question")["label"]
    grouping.cells.insert(0, "label", grouping.cells["question"].map(labels))
    merged = factor.values.astype(str).map({o: g for g, os in grouping.members.items() for o in os})
    values = pd.Series(pd.Categorical(merged, categories=grouping.groups, ordered=True), index=factor.values.index)
    register_sizes = {g: sum(sizes[o] for o in os) for g, os in grouping.members.items()}
    return Breakdown(factor, grouping, values, register_sizes)


# ----------------------------------------------------------------------------------- group shares
def group_shares(split: Breakdown) -> pd.DataFrame:
    """Per question and shown group: the share of the group's municipalities in the register that
    answered "i høj eller meget høj grad", in whole pct. as the page shows it (the chart draws these, so
    its SVG holds no more than the table), and the decision.

    Only this share. Out of the group's respondents, the share would tell how many of the group answered
    the question on the scale, and so how many did not; a mean and its interval beside it, with the
    national answer counts, would leave so few possible answer distributions that the rare answers of a
    group (a "slet ikke" given by one or two municipalities) could be worked out. How the groups differ,
    with intervals, is the models' job."""
    cells = split.grouping.cells.copy()
    sizes = cells["group"].map(split.register_sizes)
    cells["share"] = [round_half_away(100 * (a + b) / size, 0)
                      for a, b, size in zip(cells["n_3"], cells["n_4"], sizes)]
    return cells


# ---------------------------------------------------------------------------------------- models
def _design(values: pd.Series, kind: str, municipalities, groups: list[str]) -> pd.DataFrame:
    """The model's columns for the given municipalities (dummies against the first group; no constant)."""
    x = values.reindex(municipalities)
    if kind == "continuous":
        return pd.DataFrame({"x": x.to_numpy(dtype=float)})
    dummies = pd.get_dummies(pd.Categorical(x.astype(str), categories=groups), dtype=float)
    return dummies[groups[1:]].reset_index(drop=True)


def contrast_variance(register_sizes: dict[str, int], kind: str, values: pd.Series | None = None,
                      ordered: bool = True) -> float:
    """Var of the linear predictor per unit log odds ratio for the power calculation, over the register.

    Continuous: the variance of x over the 98. Groups: the contrast between the first and the last
    group (`ordered`, e.g. thirds) or the largest and the smallest (regions), the others midway: +1/2,
    -1/2 and 0, weighted by the groups' sizes in the register (never by their respondents)."""
    if kind == "continuous":
        return float(np.var(values.to_numpy(dtype=float)))
    groups = list(register_sizes)
    if not ordered:
        groups = sorted(groups, key=lambda g: register_sizes[g])[::-1]
    total = sum(register_sizes.values())
    first, last = register_sizes[groups[0]] / total, register_sizes[groups[-1]] / total
    return (first + last) / 4 - ((first - last) / 2) ** 2


def _shares(y: np.ndarray) -> np.ndarray:
    return np.bincount(y, minlength=5)[1:] / len(y)


def models(survey, questions: dict[str, str], factor: Factor, split: Breakdown | None = None,
           alpha: float = ALPHA) -> pd.DataFrame:
    """One row per question and model term: odds ratio with its profile 95 pct. interval; per question
    the likelihood-ratio p (df), the minimal detectable odds ratio of that test at `alpha` and a flag
    for results resting on few municipalities. `reason` is set where nothing may be shown ("kan ikke
    vises", a hidden group) or nothing could be computed ("kan ikke beregnes")."""
    values = split.values if split is not None else factor.values
    groups = split.grouping.groups if split is not None else []
    terms = groups[1:] if split is not None else [factor.term_da]
    rows = []
    for label, qid in questions.items():
        answers = _answers(survey, qid, values)
        y = answers["answer"].to_numpy()
        base = {"label": label, "question": qid, "factor": factor.key, "n": len(y), "df": len(terms),
                "p_lr": math.nan, "mde_or": math.nan, "sparse": False, "reason": ""}
        hidden = split.grouping.statistic_reason(qid) if split is not None else ""
        result = {}
        if hidden:
            base["reason"] = hidden
        else:
            try:
                result = _fit_terms(y, _design(values, factor.kind, answers["municipality"], groups))
            except ordinal.FitFailure as failure:
                base["reason"] = f"{NOT_COMPUTED}: {failure.reason_da}"
        if result:
            sizes = split.register_sizes if split is not None else {}
            variance = contrast_variance(sizes, factor.kind, factor.values, ordered=not factor.neighbours)
            base["p_lr"] = result["p"]
            base["mde_or"] = minimal_detectable_or(len(y), _shares(y), variance, len(terms), alpha)
            counts = [(values.reindex(answers["municipality"]).astype(str) == g).sum() for g in groups]
            base["sparse"] = bool(any(c < disclosure.MIN_COUNT for c in counts)
                                  or any(h / lo > SPARSE_RATIO for lo, h in result["intervals"]))
        for i, term in enumerate(terms):
            row = dict(base, term=term, odds_ratio=math.nan, or_low=math.nan, or_high=math.nan)
            if result:
                row["odds_ratio"] = result["odds_ratios"][i]
                row["or_low"], row["or_high"] = result["intervals"][i]
            rows.append(row)
    return pd.DataFrame(rows)


def _fit_terms(y: np.ndarray, exog: pd.DataFrame, level: float = 0.95) -> dict:
    x = exog.to_numpy()
    result = ordinal.fit(y, x)
    _, _, p = ordinal.lr_test(y, x, result)
    intervals = [tuple(math.exp(v) for v in ordinal.profile_interval(y, x, i, level, result))
                 for i in range(x.shape[1])]
    return {"p": p, "odds_ratios": list(result.odds_ratios), "intervals": intervals, "fit": result}


# ------------------------------------------------------------------------------- confirmatory family
def confirmatory(survey, questions: dict[str, str], factor: Factor, alpha: float = ALPHA) -> pd.DataFrame:
    """The report's three size statements on log2 population: odds ratio per doubling with its 95 pct.
    profile interval, the LR p, the Bonferroni-adjusted p with the simultaneous interval (level
    1 - alpha/m), the minimal detectable odds ratio at the Bonferroni level, the binary logit of the
    report's own split ("i høj eller meget høj grad" against every other answer, "ved ikke" included)
    and, as a sensitivity run, the same split with "ved ikke" and "ikke relevant" left out."""
    m = len(questions)
    level = simultaneous_level(m, alpha)
    rows = []
    for label, qid in questions.items():
        answers = _answers(survey, qid, factor.values)
        y = answers["answer"].to_numpy()
        x = _design(factor.values, "continuous", answers["municipality"], []).to_numpy()
        row = {"label": label, "question": qid, "n": len(y), "direction": CONFIRMATORY.get(qid, 0), "reason": ""}
        try:
            result = ordinal.fit(y, x)
            _, _, p = ordinal.lr_test(y, x, result)
            low, high = ordinal.profile_interval(y, x, 0, 0.95, result)
            s_low, s_high = ordinal.profile_interval(y, x, 0, level, result)
            everyone = _answers(survey, qid, factor.values, scale_only=False)
            x_all = _design(factor.values, "continuous", everyone["municipality"], []).to_numpy()
            report_split = _binary(everyone["answer"].isin(likert.TOP_TWO).to_numpy(dtype=int), x_all)
            without = _binary((y >= 3).astype(int), x)
        except ordinal.FitFailure as failure:
            row["reason"] = f"{NOT_COMPUTED}: {failure.reason_da}"
            rows.append(row)
            continue
        row.update({"odds_ratio": float(result.odds_ratios[0]), "or_low": math.exp(low), "or_high": math.exp(high),
                    "p_lr": p, "or_low_simultaneous": math.exp(s_low), "or_high_simultaneous": math.exp(s_high),
                    "mde_or": minimal_detectable_or(len(y), _shares(y), float(np.var(factor.values)), 1,
                                                    alpha / m),
                    "n_all": len(everyone), "binary_or": report_split[0], "binary_low": report_split[1],
                    "binary_high": report_split[2], "missing_or": without[0], "missing_low": without[1],
                    "missing_high": without[2]})
        rows.append(row)
    out = pd.DataFrame(rows)
    fitted = out["reason"] == ""
    out["p_bonferroni"] = np.nan
    out.loc[fitted, "p_bonferroni"] = bonferroni(out.loc[fitted, "p_lr"], m)
    out.attrs["simultaneous_level"] = level
    return out


def _binary(y01: np.ndarray, x: np.ndarray) -> tuple[float, float, float]:
    result = ordinal.fit(y01, x)
    low, high = ordinal.profile_interval(y01, x, 0, 0.95, result)
    return float(result.odds_ratios[0]), math.exp(low), math.exp(high)


def predicted_shares(survey, questions: dict[str, str], factor: Factor, at: dict[str, float],
                     level: float = 0.95) -> pd.DataFrame:
    """The share answering "i høj eller meget høj grad" among those answering on the 1-4 scale,
    predicted by the proportional-odds model on `factor` at the named points `at` (name -> value of
    the factor's x), with its interval at `level` (model frame; delta method on the logit scale)."""
    rows = []
    for label, qid in questions.items():
        answers = _answers(survey, qid, factor.values)
        y = answers["answer"].to_numpy()
        x = _design(factor.values, "continuous", answers["municipality"], []).to_numpy()
        try:
            result = ordinal.fit(y, x)
        except ordinal.FitFailure as failure:
            rows += [{"label": label, "question": qid, "at": name, "share": math.nan, "low": math.nan,
                      "high": math.nan, "reason": f"{NOT_COMPUTED}: {failure.reason_da}"} for name in at]
            continue
        for name, value in at.items():
            share, low, high = ordinal.predicted_top_two(result, [value], level)
            rows.append({"label": label, "question": qid, "at": name, "share": share, "low": low, "high": high,
                         "reason": ""})
    return pd.DataFrame(rows)


def named_sizes(register: pd.DataFrame) -> dict[int, float]:
    """NAMED_SIZES as values of the size factor's x (centred log2 population)."""
    centre = population_centre(register)
    return {size: math.log2(size) - centre for size in NAMED_SIZES}


# ------------------------------------------------------------------------------- the pooled gradient
def pooled_gradient(survey, areas: dict[str, str], factor: Factor, at: dict, level: float = 0.95) -> dict:
    """One answer to "is there a general size gradient": an ordinal GEE (statsmodels OrdinalGEE,
    independence working correlation, robust covariance, clusters = municipalities) of the nine
    areas' answers on the factor's x with a fixed effect per area. The odds ratio per unit with its
    robust interval, and the predicted share "i høj eller meget høj grad" at the points `at` for an
    average area (the mean of the area effects)."""
    import warnings

    from statsmodels.genmod.cov_struct import Independence
    from statsmodels.genmod.generalized_estimating_equations import OrdinalGEE

    answers = likert.scale_answers(survey.responses, list(areas.values()))
    answers = answers[factor.values.reindex(answers["municipality"]).notna().to_numpy()]
    x = factor.values.reindex(answers["municipality"]).to_numpy(dtype=float)
    questions = list(areas.values())
    effects = pd.get_dummies(pd.Categorical(answers["question"], categories=questions), dtype=float)
    exog = np.column_stack([x, effects.iloc[:, 1:].to_numpy()])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = OrdinalGEE(answers["answer"].to_numpy(), exog, groups=answers["municipality"].to_numpy(),
                                cov_struct=Independence()).fit()
        except (ValueError, np.linalg.LinAlgError, OverflowError) as error:
            return {"reason": f"{NOT_COMPUTED}: {type(error).__name__}", "n": len(answers)}
    if caught:
        return {"reason": f"{NOT_COMPUTED}: {NOT_COMPUTED_GEE}", "n": len(answers),
                "warnings": [str(w.message) for w in caught]}
    params, cov = np.asarray(result.params), np.asarray(result.cov_params())
    names = list(result.model.exog_names)
    slope = names.index("x1")
    z = st.norm.ppf(0.5 + level / 2)
    beta, se = params[slope], math.sqrt(cov[slope, slope])
    # P(Y > 2) = expit(alpha_2 + beta x + gamma_area): alpha_2 is the intercept of "y > 2".
    cut = next(i for i, name in enumerate(names) if name.startswith("I(y>2"))
    area_columns = list(range(slope + 1, len(names)))
    shares = {}
    for name, value in at.items():
        gradient = np.zeros(len(params))
        gradient[cut], gradient[slope] = 1.0, value
        gradient[area_columns] = 1.0 / len(questions)  # the first area's effect is 0 in the mean too
        centre = float(gradient @ params)
        half = z * math.sqrt(float(gradient @ cov @ gradient))
        shares[name] = (float(expit(centre)), float(expit(centre - half)), float(expit(centre + half)))
    return {"reason": "", "n": len(answers), "municipalities": int(answers["municipality"].nunique()),
            "odds_ratio": math.exp(beta), "or_low": math.exp(beta - z * se), "or_high": math.exp(beta + z * se),
            "shares": shares}



# ------------------------------------------------------------------------------------- non-response
def nonresponse(survey, questions: dict[str, str], step: int = 1000) -> pd.DataFrame:
    """The respondents on the 1-4 scale against all 98, per question, at a level that cannot point at
    a non-respondent: their median population (rounded to `step`) beside the register's, and the largest
    difference between a region's share of them and of all 98 (no region named). Each figure passes
    disclosure.median_summary_reason / difference_summary_reason, or its `reason` says why it is not shown."""
    register = survey.register.set_index("code")
    population = register["population"].astype(float)
    sizes = register["region"].value_counts().to_dict()
    rows = []
    for label, qid in questions.items():
        answered = set(likert.scale_answers(survey.responses, [qid])["municipality"])
        respondent = population.index.isin(list(answered))
        missing = register.loc[~respondent, "region"].value_counts().reindex(list(sizes), fill_value=0).to_dict()
        median_reason = disclosure.median_summary_reason(population.to_numpy(), respondent, step)
        region_reason = disclosure.difference_summary_reason(sizes, missing)
        rows.append({"label": label, "question": qid, "n": int(respondent.sum()),
                     "median": disclosure.round_to(float(np.median(population[respondent])), step),
                     "median_all": disclosure.round_to(float(np.median(population)), step),
                     "median_reason": median_reason,
                     "region_difference": disclosure.largest_share_difference(sizes, missing),
                     "region_reason": region_reason})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------- the chapter
@dataclass
class Chapter:
    """Everything chapter 3 shows, computed once."""

    factors: dict[str, Factor]
    areas: dict[str, str]
    target_groups: dict[str, str]
    confirmatory: pd.DataFrame  # the declared family (Bonferroni)
    predicted: pd.DataFrame  # predicted shares at NAMED_SIZES for the confirmatory questions
    predicted_index: pd.DataFrame  # predicted shares at NAMED_INDEX_SD for the confirmatory questions
    pooled: dict  # pooled_gradient over the nine areas
    models: dict[str, pd.DataFrame]  # factor key -> models() over areas and target groups (exploratory)
    breakdowns: dict[str, Breakdown]  # group factor key -> merged groups and decisions
    shares: dict[str, pd.DataFrame]  # group factor key -> group_shares() (every question of the page)
    screen: pd.DataFrame  # the exploratory tests with their Benjamini-Hochberg q-values
    nonresponse: pd.DataFrame  # nonresponse() for the confirmatory questions
    answers_n: pd.DataFrame  # per question: N (everyone who answered, "ved ikke" included) and n on the scale

    @property
    def questions(self) -> dict[str, str]:
        return {**self.areas, **self.target_groups}


def exploratory_screen(models_by: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every exploratory likelihood-ratio test (question x factor, the confirmatory three left out) that
    could be computed and shown, with its Benjamini-Hochberg q-value."""
    per_test = pd.concat([t.drop_duplicates(["question", "factor"]) for t in models_by.values()],
                         ignore_index=True)
    confirmed = (per_test["factor"] == "size") & per_test["question"].isin(list(CONFIRMATORY))
    screen = per_test[~confirmed & per_test["p_lr"].notna()][["label", "question", "factor", "n", "df", "p_lr",
                                                               "sparse"]].reset_index(drop=True)
    screen["q_bh"] = benjamini_hochberg(screen["p_lr"])
    return screen


def chapter(survey, index) -> Chapter:
    """Chapter 3's analyses on a survey and a socioeconomic.SocioeconomicIndex."""
    from . import organisation, target_groups

    area_table = organisation.areas(survey)
    group_table = target_groups.groups(survey)
    areas = dict(zip(area_table["short_label"], area_table["overall"]))
    groups = dict(zip(group_table["short_label"], group_table["overall"]))
    questions = {**areas, **groups}
    all_factors = factors(survey.register, index)
    named = {label: qid for label, qid in areas.items() if qid in CONFIRMATORY}
    size = all_factors["size"]
    # Group breakdowns cover the nine areas: over the 17 target groups too, the rule would merge every
    # breakdown down to two groups. The target groups are described by the continuous factors.
    splits = {key: breakdown(survey, areas, all_factors[key]) for key in GROUP_FACTORS}
    models_by = {key: models(survey, areas if key in splits else questions, f, splits.get(key))
                 for key, f in all_factors.items()}
    # The confirmatory three are reported in their own table: the exploratory tables leave them out.
    confirmed = models_by["size"]["question"].isin(list(CONFIRMATORY))
    models_by["size"] = models_by["size"][~confirmed].reset_index(drop=True)
    screen = exploratory_screen(models_by)
    q_of = screen.set_index(["question", "factor"])["q_bh"]
    for table in models_by.values():
        table["q_bh"] = q_of.reindex(pd.MultiIndex.from_arrays([table["question"], table["factor"]])).to_numpy()
    sd_points = {f"{v:+.0f} SD": v for v in NAMED_INDEX_SD}
    counts = likert.counts(survey.responses, list(questions.values()))
    return Chapter(
        factors=all_factors, areas=areas, target_groups=groups,
        confirmatory=confirmatory(survey, named, size),
        predicted=predicted_shares(survey, named, size, named_sizes(survey.register)),
        predicted_index=predicted_shares(survey, named, all_factors["index"], sd_points),
        pooled=pooled_gradient(survey, areas, size, named_sizes(survey.register)),
        models=models_by, breakdowns=splits,
        shares={key: group_shares(split) for key, split in splits.items()},
        screen=screen, nonresponse=nonresponse(survey, named),
        answers_n=pd.DataFrame({"question": list(questions.values()), "label": list(questions),
                                "n": counts["n"].to_numpy(),
                                "n_scale": counts[[f"n_{c}" for c in SCALE]].sum(axis=1).to_numpy()}))
