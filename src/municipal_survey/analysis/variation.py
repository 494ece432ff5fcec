"""Chapter 3 – do the challenges vary with municipality size, region and the socioeconomic index?

Four factors: size (log population 1 January 2020, and the size thirds), region, and the
socioeconomic index (continuous, and in thirds). For every "samlet set" question (nine areas, 17
target groups):

- an ordinal logistic regression (proportional odds, logit link, no constant: the model's
  thresholds take its place) per factor, with odds ratios, 95 pct. intervals and a likelihood-ratio
  p-value; an approximate Brant test of proportional odds;
- a Kruskal–Wallis test across the factor's groups as a check, with the bias-adjusted epsilon² and a
  bootstrap interval kept inside [0, 1];
- the minimal detectable odds ratio (80 pct. power) so that "not significant" is not read as "no
  difference".

The multiple-testing family is declared once: every likelihood-ratio test of the chapter (each
question × each factor specification), Holm-adjusted together. Group figures (means on the 1–4 scale
with intervals) go through `disclosure` (mean_reason, suppress_cells) before any page shows them.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as st
from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationError

from ..data.register import REGIONS, SIZE_BINS, SIZE_LABELS, size_groups  # noqa: F401 (re-exported)
from . import disclosure, likert
from .stats import LogitOrderedModel, holm

INDEX_LABELS = ("Laveste tredjedel", "Midterste tredjedel", "Højeste tredjedel")
SCALE = (1, 2, 3, 4)
ALPHA = 0.05
POWER = 0.8
BOOTSTRAP = 400
BOOTSTRAP_SEED = 2021


@dataclass(frozen=True)
class Factor:
    """One way of describing the municipalities: continuous (one term) or groups (reference = first)."""

    key: str
    label_da: str
    kind: str  # "continuous" or "groups"
    values: pd.Series  # index: kommunekode
    term_da: str = ""  # what one unit of a continuous factor is, for the odds ratio's label

    @property
    def groups(self) -> list[str]:
        return list(self.values.cat.categories) if self.kind == "groups" else []


def region_groups(register: pd.DataFrame) -> pd.Series:
    return pd.Series(pd.Categorical(register["region"], categories=list(REGIONS), ordered=True),
                     index=register["code"].to_numpy(), name="region")


def index_groups(index: pd.Series) -> pd.Series:
    """Thirds of the socioeconomic index over all 98 municipalities (ties kept together by rank)."""
    ranks = index.rank(method="first")
    groups = pd.qcut(ranks, 3, labels=list(INDEX_LABELS))
    return pd.Series(pd.Categorical(groups, categories=list(INDEX_LABELS), ordered=True), index=index.index,
                     name="index_group")


def grouping(register: pd.DataFrame, by: str) -> Factor:
    """The size thirds (by="size_group") or the regions (by="region") as a Factor, without the index."""
    if by == "size_group":
        return Factor("size_group", "Kommunestørrelse (tredjedele)", "groups", size_groups(register))
    if by == "region":
        return Factor("region", "Region", "groups", region_groups(register))
    raise ValueError(f"no grouping {by!r}; use 'size_group' or 'region'")


def factors(register: pd.DataFrame, index) -> dict[str, Factor]:
    """The chapter's five factor specifications; `index` is a socioeconomic.SocioeconomicIndex."""
    population = register.set_index("code")["population"].astype(float)
    values = index.values.reindex(population.index)
    stand_in = " (syntetisk erstatning)" if index.synthetic else ""
    return {
        "size": Factor("size", "Folketal (log)", "continuous", np.log2(population),
                       "pr. fordobling af folketallet"),
        "size_group": grouping(register, "size_group"),
        "region": grouping(register, "region"),
        "index": Factor("index", "Socioøkonomisk indeks" + stand_in, "continuous",
                        (values - values.mean()) / values.std(ddof=0),
                        "pr. standardafvigelse af indekset"),
        "index_group": Factor("index_group", "Socioøkonomisk indeks i tredjedele" + stand_in, "groups",
                              index_groups(values)),
    }


def _design(factor: Factor, municipalities) -> pd.DataFrame:
    """The model's columns for the given municipalities (dummies against the first group; no constant)."""
    values = factor.values.reindex(municipalities)
    if factor.kind == "continuous":
        return pd.DataFrame({"x": values.to_numpy(dtype=float)})
    dummies = pd.get_dummies(pd.Categorical(values, categories=factor.groups), dtype=float)
    return dummies[factor.groups[1:]].reset_index(drop=True)


def _null_loglik(y: np.ndarray) -> float:
    """Log-likelihood of the thresholds-only model: the observed category shares."""
    _, counts = np.unique(y, return_counts=True)
    return float(np.sum(counts * np.log(counts / counts.sum())))


def ordinal_fit(y: np.ndarray, exog: pd.DataFrame):
    """Proportional-odds logit of y (1..4) on exog with no constant; the statsmodels result."""
    endog = pd.Series(pd.Categorical(y, categories=sorted(set(y)), ordered=True))
    model = LogitOrderedModel(endog, exog.reset_index(drop=True))
    result = model.fit(method="bfgs", disp=False, maxiter=1000)
    if not result.mle_retvals.get("converged", False):
        # A non-converged fit gives numbers that look fine and mean nothing: fail loudly.
        raise RuntimeError(f"the ordinal logit did not converge (n = {len(y)}, terms {list(exog.columns)}): "
                           f"{result.mle_retvals}")
    return result


def brant_p(y: np.ndarray, exog: pd.DataFrame) -> float:
    """Approximate Brant test of proportional odds: do the slopes of the cumulative binary logits
    (y > 1, y > 2, y > 3) differ? Wald test treating the binary fits as independent (the usual
    approximation when the full Brant covariance is not available). NaN when a split has too few
    answers on one side to fit."""
    import statsmodels.api as sm

    cuts = [c for c in sorted(set(y))[:-1] if (y > c).sum() >= 5 and (y <= c).sum() >= 5]
    if len(cuts) < 2:
        return math.nan
    betas, covs = [], []
    for c in cuts:
        model = sm.Logit((y > c).astype(float), sm.add_constant(exog.reset_index(drop=True), has_constant="add"))
        try:
            with warnings.catch_warnings():
                # Only this warning, and only here: non-convergence is checked right below and makes
                # the check "not computable" (NaN, shown as "–") instead of a number.
                warnings.simplefilter("ignore", ConvergenceWarning)
                fit = model.fit(disp=False, maxiter=200)
        except (np.linalg.LinAlgError, ValueError, PerfectSeparationError):
            return math.nan
        if not fit.mle_retvals.get("converged", False):
            return math.nan  # e.g. quasi-separation in a small group: the check cannot be made
        if not np.all(np.isfinite(fit.bse)) or np.any(fit.bse > 50):  # separation: slopes run away
            return math.nan
        betas.append(fit.params.to_numpy()[1:])
        covs.append(fit.cov_params().to_numpy()[1:, 1:])
    k = len(betas[0])
    diffs = np.concatenate([betas[j] - betas[0] for j in range(1, len(betas))])
    # Var(b_j - b_0) = V_j + V_0; Cov(b_j - b_0, b_l - b_0) = V_0 (independence of the fits assumed).
    m = len(betas) - 1
    cov = np.zeros((m * k, m * k))
    for a in range(m):
        for b in range(m):
            cov[a * k:(a + 1) * k, b * k:(b + 1) * k] = covs[0] + (covs[a + 1] if a == b else 0)
    stat = float(diffs @ np.linalg.solve(cov, diffs))
    return float(st.chi2.sf(stat, m * k))


def minimal_detectable_or(n: int, category_shares, variance_x: float, alpha: float = ALPHA,
                          power: float = POWER) -> float:
    """The smallest odds ratio (> 1) a proportional-odds model detects with `power` at two-sided `alpha`
    (Whitehead 1993: the information about the log odds ratio is n·Var(x)·(1 − Σp³)/3)."""
    p = np.asarray(category_shares, dtype=float)
    info = n * variance_x * (1 - np.sum(p**3)) / 3
    return math.exp((st.norm.ppf(1 - alpha / 2) + st.norm.ppf(power)) / math.sqrt(info))


def _answers(survey, qid: str, factor: Factor) -> pd.DataFrame:
    answers = likert.scale_answers(survey.responses, [qid])
    values = factor.values.reindex(answers["municipality"])
    keep = values.notna().to_numpy()
    return answers[keep].reset_index(drop=True)


def models(survey, questions: dict[str, str], factor: Factor, family_size: int = 1) -> pd.DataFrame:
    """One row per question and model term: odds ratio with 95 pct. interval; per question the LR
    p-value, the Brant p-value and the minimal detectable odds ratio (unadjusted and at the first Holm
    step of a family of `family_size` tests)."""
    rows = []
    for label, qid in questions.items():
        answers = _answers(survey, qid, factor)
        y = answers["answer"].to_numpy()
        exog = _design(factor, answers["municipality"])
        result = ordinal_fit(y, exog)
        lr = 2 * (float(result.llf) - _null_loglik(y))
        p_lr = float(st.chi2.sf(max(lr, 0.0), exog.shape[1]))
        shares = np.bincount(y, minlength=5)[1:] / len(y)
        if factor.kind == "continuous":
            var_x = float(np.var(exog["x"]))
        else:  # the contrast between the last group and the first, within those two groups
            x = factor.values.reindex(answers["municipality"]).to_numpy()
            pair = np.isin(x, [factor.groups[0], factor.groups[-1]])
            var_x = float(np.var(x[pair] == factor.groups[-1])) * pair.sum() / len(y)
        mde = minimal_detectable_or(len(y), shares, var_x)
        mde_family = minimal_detectable_or(len(y), shares, var_x, alpha=ALPHA / family_size)
        p_po = brant_p(y, exog)
        conf = result.conf_int()
        for term in exog.columns:
            rows.append({"label": label, "question": qid, "factor": factor.key, "term": term, "n": len(y),
                         "odds_ratio": math.exp(result.params[term]), "or_low": math.exp(conf.loc[term, 0]),
                         "or_high": math.exp(conf.loc[term, 1]), "p_lr": p_lr, "df": exog.shape[1],
                         "p_proportional_odds": p_po, "mde_or": mde, "mde_or_family": mde_family})
    out = pd.DataFrame(rows)
    if factor.kind == "continuous":
        out["term"] = factor.term_da
    return out


def _kruskal_h(ranks: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Kruskal–Wallis H (tie-corrected) for each row of `ranks` (resamples × n); groups 0..k-1 per row."""
    n = ranks.shape[1]
    h = np.zeros(ranks.shape[0])
    for g in range(n_groups):
        mask = groups == g
        size = mask.sum(axis=1)
        total = np.where(mask, ranks, 0).sum(axis=1)
        h += np.divide(total**2, size, out=np.zeros_like(h), where=size > 0)
    h = 12 / (n * (n + 1)) * h - 3 * (n + 1)
    return h


def epsilon_squared(h: float, n: int, k: int) -> float:
    """Bias-adjusted epsilon² of a Kruskal–Wallis H ((H − k + 1)/(n − k)), kept inside [0, 1]."""
    return float(min(1.0, max(0.0, (h - k + 1) / (n - k))))


def kruskal(survey, questions: dict[str, str], factor: Factor) -> pd.DataFrame:
    """Kruskal–Wallis across the factor's groups (a check of the ordinal model), with epsilon² and a
    percentile bootstrap interval (resampling municipalities within groups)."""
    if factor.kind != "groups":
        raise ValueError(f"Kruskal–Wallis needs groups; {factor.key} is continuous")
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    rows = []
    for label, qid in questions.items():
        answers = _answers(survey, qid, factor)
        codes = pd.Categorical(factor.values.reindex(answers["municipality"]), categories=factor.groups).codes
        y = answers["answer"].to_numpy()
        present = sorted(set(codes))
        h, p = st.kruskal(*[y[codes == g] for g in present])
        n, k = len(y), len(present)
        # Stratified bootstrap: each resample keeps every group's size.
        draws = np.empty((BOOTSTRAP, n), dtype=float)
        group_rows = np.empty((BOOTSTRAP, n), dtype=int)
        start = 0
        for g in present:
            members = y[codes == g]
            draws[:, start:start + len(members)] = rng.choice(members, size=(BOOTSTRAP, len(members)))
            group_rows[:, start:start + len(members)] = g
            start += len(members)
        ranks = st.rankdata(draws, axis=1)
        ties = np.array([1 - np.sum(t**3 - t) / (n**3 - n)
                         for t in (np.unique(r, return_counts=True)[1] for r in draws)])
        hb = _kruskal_h(ranks, group_rows, max(present) + 1) / np.where(ties > 0, ties, 1)
        eps = np.clip((hb - k + 1) / (n - k), 0, 1)
        rows.append({"label": label, "question": qid, "factor": factor.key, "n": n, "groups": k, "h": float(h),
                     "p_kruskal": float(p), "epsilon2": epsilon_squared(h, n, k),
                     "eps_low": float(np.quantile(eps, 0.025)), "eps_high": float(np.quantile(eps, 0.975))})
    return pd.DataFrame(rows)


def holm_family(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """The chapter's declared family: one LR test per question and factor, Holm-adjusted together."""
    per_test = pd.concat([t.drop_duplicates(["question", "factor"]) for t in tables], ignore_index=True)
    per_test = per_test[["label", "question", "factor", "n", "df", "p_lr"]].copy()
    per_test["p_holm"] = holm(per_test["p_lr"])
    return per_test


def group_means(survey, questions: dict[str, str], factor: Factor) -> pd.DataFrame:
    """Per question and group: answer counts, mean on the 1–4 scale with a 95 pct. t-interval kept inside
    [1, 4], and the disclosure decision (suppressed, reason, primary or secondary)."""
    rows = []
    for label, qid in questions.items():
        answers = _answers(survey, qid, factor)
        group = factor.values.reindex(answers["municipality"]).to_numpy()
        for g in factor.groups:
            y = answers["answer"].to_numpy()[group == g]
            counts = [int((y == c).sum()) for c in SCALE]
            n = len(y)
            mean = float(y.mean()) if n else math.nan
            half = float(st.t.ppf(0.975, n - 1) * y.std(ddof=1) / math.sqrt(n)) if n > 1 else math.nan
            rows.append({"label": label, "question": qid, "group": g, "n": n,
                         **{f"n_{c}": k for c, k in zip(SCALE, counts)},
                         "mean": mean, "ci_low": max(1.0, mean - half), "ci_high": min(4.0, mean + half),
                         "reason": disclosure.mean_reason(counts)})
    cells = pd.DataFrame(rows)
    return disclosure.suppress_cells(cells, "question", "group")


def participation(survey, factor: Factor, questions: dict[str, str]) -> pd.DataFrame:
    """Per group: how many of its municipalities answered every one of `questions` (item non-response
    and non-participation together), as a share of all the group's municipalities, through the
    disclosure rule. Participation alone is not broken down: with only a few municipalities absent in
    the whole country, any group's figure would point at them; and the number of participants per
    group is never shown, since together with the public register it would tell who stayed away."""
    scale = likert.scale_answers(survey.responses, list(questions.values()))
    answered = scale.groupby("municipality")["question"].nunique()
    complete = set(answered[answered == len(questions)].index)
    rows = []
    for g in factor.groups:
        members = set(factor.values[factor.values == g].index)
        k, n = len(members & complete), len(members)
        rows.append({"group": g, "measure": "complete", "k": k, "n": n,
                     "reason": disclosure.share_reason(k, n)})
    # The national share is published in the same way, so the column needs complementary suppression.
    return disclosure.suppress_cells(pd.DataFrame(rows), "measure", "group", totals=("row",))


def hide_small_terms(models: pd.DataFrame, cells: pd.DataFrame, reference: str) -> pd.DataFrame:
    """Mark (column `suppressed`) the odds ratios of a group factor whose group, or the reference
    group, may not be shown under the disclosure rule: a group's odds ratio summarises its answers as
    its mean does, so it follows the mean's decision (group_means over the same questions); then
    secondary suppression along questions and terms."""
    hidden = set(zip(cells.loc[cells["suppressed"], "question"], cells.loc[cells["suppressed"], "group"]))
    pairs = zip(models["question"], models["term"])
    reasons = ["gruppens gennemsnit er skjult" if (q, t) in hidden or (q, reference) in hidden else ""
               for q, t in pairs]
    # The odds ratios of one question together describe how its answers spread over the groups, so a
    # lone hidden one gets a partner, as a lone hidden cell does (disclosure.suppress_cells).
    marked = disclosure.suppress_cells(models.assign(reason=reasons), "question", "term")
    return marked.drop(columns=["reason", "suppression"])


GROUP_FACTORS = ("size_group", "region", "index_group")


@dataclass
class Chapter:
    """Everything chapter 3 shows, computed once."""

    factors: dict[str, Factor]
    areas: dict[str, str]
    target_groups: dict[str, str]
    models: dict[str, pd.DataFrame]  # factor key -> models() over areas and target groups
    family: pd.DataFrame  # the declared Holm family (one LR test per question and factor)
    kruskal: dict[str, pd.DataFrame]  # group factor key -> kruskal() over areas and target groups
    means: dict[str, pd.DataFrame]  # group factor key -> group_means() over the areas (suppressed)
    participation: dict[str, pd.DataFrame]  # size_group / region -> participation()

    @property
    def questions(self) -> dict[str, str]:
        return {**self.areas, **self.target_groups}


def chapter(survey, index) -> Chapter:
    """Chapter 3's analyses on a survey and a socioeconomic.SocioeconomicIndex."""
    from . import organisation, target_groups

    area_table = organisation.areas(survey)
    group_table = target_groups.groups(survey)
    areas = dict(zip(area_table["short_label"], area_table["overall"]))
    groups = dict(zip(group_table["short_label"], group_table["overall"]))
    questions = {**areas, **groups}
    all_factors = factors(survey.register, index)
    family_size = len(questions) * len(all_factors)
    models_by = {key: models(survey, questions, f, family_size) for key, f in all_factors.items()}
    family = holm_family(list(models_by.values()))
    holm = family.set_index(["question", "factor"])["p_holm"]
    for table in models_by.values():
        table["p_holm"] = holm.reindex(pd.MultiIndex.from_arrays([table["question"], table["factor"]])).to_numpy()
    for key in GROUP_FACTORS:
        models_by[key] = hide_small_terms(models_by[key], group_means(survey, questions, all_factors[key]),
                                          all_factors[key].groups[0])
    return Chapter(
        factors=all_factors, areas=areas, target_groups=groups, models=models_by, family=family,
        kruskal={key: kruskal(survey, questions, all_factors[key]) for key in GROUP_FACTORS},
        means={key: group_means(survey, areas, all_factors[key]) for key in GROUP_FACTORS},
        participation={key: participation(survey, all_factors[key], areas) for key in ("size_group", "region")})
