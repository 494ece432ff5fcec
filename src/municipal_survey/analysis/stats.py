"""Statistical building blocks: association between two ordinal answers, multiple testing and power.

With 85-92 of 98 municipalities answering, the survey is close to a census. A p-value here asks
whether an association at least this strong could arise by chance among municipalities answering as
if unrelated; it says nothing about sampling from a larger population. Effect sizes with intervals
are the main result. A confirmatory family is small and declared and adjusted by Bonferroni, whose
simultaneous intervals match its adjusted p-values (an interval at level 1 - alpha/m excludes 1
exactly when the adjusted p is below alpha); an exploratory screen reports Benjamini-Hochberg q-values.
"""
from __future__ import annotations

import functools
import math

import numpy as np
import pandas as pd
from scipy import optimize
from scipy import stats as st

from . import ordinal
from .likert import scale_answers

ALPHA = 0.05
POWER = 0.8


def bonferroni(p_values, m: int | None = None) -> np.ndarray:
    """Bonferroni: each p-value times m (the family's size, by default the number of p-values), capped
    at 1. Its simultaneous intervals (each at level
    1 - alpha/m) exclude the null value exactly when the adjusted p is below alpha; Holm's step-down
    has no such intervals, which is why the book's confirmatory families use Bonferroni."""
    p = np.asarray(p_values, dtype=float)
    return np.minimum(p * (len(p) if m is None else m), 1.0)


def simultaneous_level(m: int, alpha: float = ALPHA) -> float:
    """The level of each of m Bonferroni-simultaneous intervals: 1 - alpha/m."""
    return 1 - alpha / m


def benjamini_hochberg(p_values) -> np.ndarray:
    """Benjamini-Hochberg q-values: the i-th smallest of m p-values times m/i, made non-decreasing
    from the largest down, capped at 1 (the false discovery rate at which the test would pass)."""
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    if m == 0:
        return p
    order = np.argsort(p, kind="stable")
    scaled = p[order] * m / np.arange(1, m + 1)
    stepped = np.minimum.accumulate(scaled[::-1])[::-1]
    q = np.empty(m)
    q[order] = np.minimum(stepped, 1.0)
    return q


@functools.cache  # a root of the noncentral chi-square (milliseconds), asked for every model of a chapter
def noncentrality_for_power(df: int, alpha: float = ALPHA, power: float = POWER) -> float:
    """The noncentrality at which a chi-square test with `df` degrees of freedom at level `alpha`
    rejects with probability `power`."""
    critical = st.chi2.ppf(1 - alpha, df)
    return float(optimize.brentq(lambda lam: st.ncx2.sf(critical, df, lam) - power, 1e-6, 500.0, xtol=1e-10))


def ordinal_information(n: int, category_shares) -> float:
    """Whitehead's (1993) information about a log odds ratio per unit variance of the linear predictor in
    a proportional-odds model: n (1 - sum p^3) / 3, p the shares of the answer levels."""
    p = np.asarray(category_shares, dtype=float)
    return n * (1 - float(np.sum(p**3))) / 3


def minimal_detectable_or(n: int, category_shares, variance: float, df: int = 1, alpha: float = ALPHA,
                          power: float = POWER) -> float:
    """The smallest odds ratio (> 1) that the likelihood-ratio test actually run (`df`, level `alpha`)
    detects with `power`: the noncentrality of that test is the information n (1 - sum p^3)/3 times
    `variance` (the variance of the linear predictor per unit log odds ratio over the municipalities)
    times the squared log odds ratio."""
    lam = noncentrality_for_power(df, alpha, power)
    return math.exp(math.sqrt(lam / (ordinal_information(n, category_shares) * variance)))


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


def odds_ratio_test(y, x, levels=(0.95,)) -> dict:
    """One coefficient of a proportional-odds model of y on x: odds ratio, likelihood-ratio p and a
    profile interval per level (or_low_<level>, or_high_<level>). Raises ordinal.FitFailure."""
    result = ordinal.fit(y, x)
    _, _, p = ordinal.lr_test(y, x, result)
    out = {"odds_ratio": float(result.odds_ratios[0]), "p_lr": p}
    for level in levels:
        low, high = ordinal.profile_interval(y, x, 0, level, result)
        out[f"or_low_{level}"], out[f"or_high_{level}"] = math.exp(low), math.exp(high)
    return out


def association(responses: pd.DataFrame, challenge: str, need: str, simultaneous: float = 0.95) -> dict:
    """How a municipality's challenge in an area goes with its need for support there: Spearman's rho
    (descriptive), the odds ratio per scale step with its likelihood-ratio p and profile intervals (95
    pct. and `simultaneous`), and the odds ratio of the binary split "i høj eller meget høj grad" of the
    need against the rest (a robustness comparison). A model that cannot be fitted gives `reason`."""
    pairs = paired_scale_answers(responses, challenge, need)
    x, y = pairs["x"].to_numpy(), pairs["y"].to_numpy()
    out = {"n": len(pairs), "reason": ""}
    rho, rho_low, rho_high, _ = spearman_with_ci(x, y) if len(pairs) > 3 else (math.nan,) * 4
    out.update({"rho": rho, "rho_low": rho_low, "rho_high": rho_high})
    try:
        fitted = odds_ratio_test(y, x.astype(float), levels=(0.95, simultaneous))
        binary = odds_ratio_test((y >= 3).astype(int), x.astype(float))
    except ordinal.FitFailure as failure:
        out["reason"] = failure.reason_da
        return out
    out.update({"odds_ratio": fitted["odds_ratio"], "p_lr": fitted["p_lr"],
                "or_low": fitted["or_low_0.95"], "or_high": fitted["or_high_0.95"],
                "or_low_simultaneous": fitted[f"or_low_{simultaneous}"],
                "or_high_simultaneous": fitted[f"or_high_{simultaneous}"],
                "binary_or": binary["odds_ratio"], "binary_low": binary["or_low_0.95"],
                "binary_high": binary["or_high_0.95"]})
    return out


def association_table(responses: pd.DataFrame, pairs: dict[str, tuple[str, str]],
                      alpha: float = ALPHA) -> pd.DataFrame:
    """association() for the declared family of (challenge, need) pairs: Bonferroni-adjusted p
    (p_bonferroni) beside the simultaneous intervals at level 1 - alpha/m (m = the number of pairs)."""
    level = simultaneous_level(len(pairs), alpha)
    table = pd.DataFrame({key: association(responses, *qs, simultaneous=level) for key, qs in pairs.items()}).T
    table["n"] = table["n"].astype(int)
    fitted = table["reason"] == ""
    table["p_bonferroni"] = np.nan
    table.loc[fitted, "p_bonferroni"] = bonferroni(table.loc[fitted, "p_lr"], len(pairs))
    table.attrs["simultaneous_level"] = level
    return table
