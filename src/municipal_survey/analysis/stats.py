"""Statistical checks: association between challenge and need, with effect sizes and intervals.

With 85-92 of 98 municipalities answering, the survey is close to a census. A p-value here asks
whether an association this strong could arise by chance among municipalities answering as if
unrelated; it says nothing about sampling from a larger population. Effect sizes with intervals
are the main result; p-values are adjusted for the number of tests (Holm).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats as st
from scipy.special import expit
from statsmodels.miscmodels.ordinal_model import OrderedModel

from .likert import scale_answers


def holm(p_values) -> np.ndarray:
    """Holm's step-down adjustment (as statsmodels' multipletests(method="holm"), which also runs the
    garbage collector on every call and so took half the time of section 1.12's table): the i-th
    smallest of m p-values is multiplied by m - i + 1, made non-decreasing, and capped at 1."""
    p = np.asarray(p_values, dtype=float)
    order = np.argsort(p, kind="stable")
    m = len(p)
    stepped = np.maximum.accumulate((m - np.arange(m)) * p[order])
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(stepped, 1.0)
    return adjusted


def paired_scale_answers(responses: pd.DataFrame, first: str, second: str) -> pd.DataFrame:
    """Municipalities answering both questions on the 4..1 scale ("ved ikke" left out)."""
    chosen = scale_answers(responses, [first, second])
    # What pivot_table(aggfunc="first") computes, without its extra passes (sorted by municipality).
    wide = chosen.groupby(["municipality", "question"])["answer"].first().unstack("question")
    return wide.dropna().astype(int).rename(columns={first: "x", second: "y"})[["x", "y"]]


def spearman_with_ci(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float, float]:
    """Spearman's rho, its 95% interval (Fisher z, Bonett-Wright variance) and the p-value."""
    rho, p = st.spearmanr(x, y)
    n = len(x)
    se = math.sqrt((1 + rho**2 / 2) / (n - 3))
    z = math.atanh(min(max(rho, -0.999999), 0.999999))
    return float(rho), math.tanh(z - 1.96 * se), math.tanh(z + 1.96 * se), float(p)


class LogitOrderedModel(OrderedModel):
    """OrderedModel(distr="logit") whose cdf calls scipy.special.expit directly.

    scipy.stats.logistic.cdf computes expit too, so every likelihood value, and with it the fit, is
    bit-for-bit the same; it only skips scipy's per-call argument checks, which took most of the
    time of the ~200 likelihood evaluations (numerical gradients) of each bfgs fit.
    """

    def __init__(self, endog, exog, **kwds):
        super().__init__(endog, exog, distr="logit", **kwds)

    def cdf(self, x):
        return expit(x)


def ordinal_logit(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float, float]:
    """Proportional-odds logit of y on x (no constant): odds ratio per scale step, 95% CI, p."""
    endog = pd.Series(pd.Categorical(y, categories=sorted(set(y)), ordered=True))
    model = LogitOrderedModel(endog, pd.DataFrame({"x": x.astype(float)}))
    result = model.fit(method="bfgs", disp=False, maxiter=500)
    if not result.mle_retvals.get("converged", False):
        # A non-converged fit gives numbers that look fine and mean nothing: fail loudly.
        raise RuntimeError(f"the ordinal logit did not converge (n = {len(y)}, {len(set(y))} answer levels): "
                           f"{result.mle_retvals}")
    beta = result.params["x"]
    low, high = result.conf_int().loc["x"]
    if not all(math.isfinite(v) and abs(v) < 700 for v in (beta, low, high)):
        # (Nearly) separated answers: the likelihood keeps rising as the slope grows, so no odds
        # ratio exists to show. Say so rather than overflow or print an absurd number.
        raise RuntimeError(f"the ordinal logit has no finite odds ratio: the answers are (nearly) separated "
                           f"by x (n = {len(y)}, slope {beta:.3g}, interval {low:.3g} to {high:.3g})")
    return math.exp(beta), math.exp(low), math.exp(high), float(result.pvalues["x"])


MIN_PER_SIDE = 5  # a cut-specific logit needs at least this many municipalities on each side


def cut_odds_ratios(x: np.ndarray, y: np.ndarray) -> list[tuple[int, float, float, float]]:
    """The proportional-odds check: for every cut y >= j, a binary logit of (y >= j) on x, as
    (j, odds ratio, 95% low, 95% high). The ordinal model assumes one common odds ratio for all
    cuts; where a cut's interval excludes it, the assumption fails for that cut. Cuts with fewer
    than MIN_PER_SIDE municipalities on a side are left out (the logit could not be estimated)."""
    import statsmodels.api as sm

    out = []
    exog = sm.add_constant(x.astype(float))
    for j in sorted(set(y))[1:]:
        above = (y >= j).astype(int)
        if min(above.sum(), len(above) - above.sum()) < MIN_PER_SIDE:
            continue
        result = sm.Logit(above, exog).fit(disp=False)
        if not result.mle_retvals.get("converged", False):
            raise RuntimeError(f"the logit for the cut y >= {j} did not converge: {result.mle_retvals}")
        low, high = result.conf_int()[1]
        out.append((int(j), math.exp(result.params[1]), math.exp(low), math.exp(high)))
    return out


def association(responses: pd.DataFrame, challenge: str, need: str) -> dict:
    """How a municipality's challenge in an area goes with its need for support there."""
    pairs = paired_scale_answers(responses, challenge, need)
    x, y = pairs["x"].to_numpy(), pairs["y"].to_numpy()
    rho, rho_low, rho_high, p_rho = spearman_with_ci(x, y)
    odds, odds_low, odds_high, p_odds = ordinal_logit(x, y)
    groups = [y[x == level] for level in sorted(set(x)) if (x == level).sum() > 0]
    kw_p = float(st.kruskal(*groups).pvalue) if len(groups) > 1 else math.nan
    cuts = cut_odds_ratios(x, y)
    return {"n": len(pairs), "rho": rho, "rho_low": rho_low, "rho_high": rho_high, "p_spearman": p_rho,
            "odds_ratio": odds, "or_low": odds_low, "or_high": odds_high, "p_ordinal": p_odds,
            "p_kruskal": kw_p, "cuts": len(cuts),
            "cut_or_min": min((c[1] for c in cuts), default=math.nan),
            "cut_or_max": max((c[1] for c in cuts), default=math.nan),
            "proportional_odds": all(low <= odds <= high for _, _, low, high in cuts)}


def association_table(responses: pd.DataFrame, pairs: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """association() for several (challenge, need) pairs. Every p-value is Holm-adjusted within its
    family (one test per pair): p_holm (ordinal logit), p_spearman_holm and p_kruskal_holm."""
    table = pd.DataFrame({key: association(responses, *qs) for key, qs in pairs.items()}).T
    table["n"] = table["n"].astype(int)
    table["cuts"] = table["cuts"].astype(int)
    table["proportional_odds"] = table["proportional_odds"].astype(bool)
    table["p_holm"] = holm(table["p_ordinal"])
    table["p_spearman_holm"] = holm(table["p_spearman"])
    table["p_kruskal_holm"] = holm(table["p_kruskal"])
    return table
