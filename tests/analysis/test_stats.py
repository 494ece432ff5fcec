"""The fast parts of stats.py against the library calls and pandas recipes they stand in for."""
import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats as scipy_stats
from small_survey import assumptions, codebook, published, register
from statsmodels.stats.multitest import multipletests

from municipal_survey.analysis import likert, ordinal, stats
from municipal_survey.synthetic import generator


def test_paired_scale_answers_equal_the_pivot_table_recipe():
    responses = generator.generate(codebook(), register(), published(), assumptions())
    first, second = "org_a_samlet", "org_a_behov"
    expected = (responses[responses["question"].isin([first, second])
                          & responses["answer"].isin(likert.SCALE_POINTS)]
                .pivot_table(index="municipality", columns="question", values="answer", aggfunc="first")
                .dropna().astype(int).rename(columns={first: "x", second: "y"})[["x", "y"]])
    table = stats.paired_scale_answers(responses, first, second)
    assert len(table) > 5
    pd.testing.assert_frame_equal(table, expected, check_exact=True)


# ----------------------------------------------------------------- values against independent arithmetic

# Twelve municipalities, challenge x and need y on the 4..1 scale (hand-made, with ties).
X = np.array([1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4])
Y = np.array([1, 2, 1, 2, 3, 2, 3, 3, 4, 3, 4, 4])


def _average_ranks(values: np.ndarray) -> np.ndarray:
    """Rank 1..n, tied values sharing the mean of their ranks (written out, not scipy)."""
    order = sorted(values)
    return np.array([np.mean([i + 1 for i, v in enumerate(order) if v == value]) for value in values])


def test_spearman_interval_is_fisher_z_with_the_bonett_wright_variance():
    rho, low, high, p = stats.spearman_with_ci(X, Y)
    # Spearman's rho is Pearson's r of the average ranks.
    rx, ry = _average_ranks(X), _average_ranks(Y)
    r = np.sum((rx - rx.mean()) * (ry - ry.mean())) / math.sqrt(np.sum((rx - rx.mean()) ** 2)
                                                               * np.sum((ry - ry.mean()) ** 2))
    assert rho == pytest.approx(r, abs=1e-12)
    # Bonett & Wright (2000): var(atanh rho) = (1 + rho^2 / 2) / (n - 3); 95 % bounds tanh(z -/+ 1.96 se).
    se = math.sqrt((1 + r * r / 2) / (12 - 3))
    assert (low, high) == pytest.approx((math.tanh(math.atanh(r) - 1.96 * se),
                                         math.tanh(math.atanh(r) + 1.96 * se)), abs=1e-12)
    assert low < rho < high
    # p from t = r sqrt((n - 2) / (1 - r^2)) on n - 2 degrees of freedom, two-sided.
    t = r * math.sqrt(10 / (1 - r * r))
    assert p == pytest.approx(2 * scipy_stats.t.sf(abs(t), 10), rel=1e-9)


def test_spearman_interval_for_a_negative_association_is_its_mirror_image():
    rho, low, high, _ = stats.spearman_with_ci(X, 5 - Y)
    rho_pos, low_pos, high_pos, _ = stats.spearman_with_ci(X, Y)
    assert (rho, low, high) == pytest.approx((-rho_pos, -high_pos, -low_pos), abs=1e-12)


@pytest.mark.parametrize("sign", [1, -1])
def test_spearman_interval_of_a_perfect_association_is_clamped_not_infinite(sign):
    # rho = +-1 has atanh = +-inf; the code takes atanh(0.999999) = 7.2543 instead.
    x = np.arange(1, 11)
    rho, low, high, _ = stats.spearman_with_ci(x, sign * x)
    se = math.sqrt(1.5 / 7)
    z = sign * 0.5 * math.log((1 + 0.999999) / (1 - 0.999999))
    assert rho == pytest.approx(sign)
    assert (low, high) == pytest.approx((math.tanh(z - 1.96 * se), math.tanh(z + 1.96 * se)), abs=1e-9)


def test_bonferroni_by_hand_and_with_a_declared_family_size():
    assert stats.bonferroni([0.01, 0.02, 0.5]) == pytest.approx([0.03, 0.06, 1.0])
    assert stats.bonferroni([0.01], m=9) == pytest.approx([0.09])
    assert stats.simultaneous_level(3) == pytest.approx(1 - 0.05 / 3)


def test_benjamini_hochberg_by_hand_and_against_statsmodels():
    # sorted 0.01, 0.02, 0.03, 0.5 times 4/1, 4/2, 4/3, 4/4 = 0.04, 0.04, 0.04, 0.5 (already rising)
    assert stats.benjamini_hochberg([0.03, 0.5, 0.01, 0.02]) == pytest.approx([0.04, 0.5, 0.04, 0.04])
    rng = np.random.default_rng(8)
    p = rng.random(40) ** 2
    assert stats.benjamini_hochberg(p) == pytest.approx(multipletests(p, method="fdr_bh")[1])


def _power_by_poisson_mixture(lam: float, df: int, alpha: float) -> float:
    """P(noncentral chi-square(df, lam) > the central critical value), summed as a Poisson mixture of
    central chi-squares with df + 2j degrees of freedom (written out, not scipy's ncx2)."""
    critical = scipy_stats.chi2.ppf(1 - alpha, df)
    return sum(scipy_stats.poisson.pmf(j, lam / 2) * scipy_stats.chi2.sf(critical, df + 2 * j) for j in range(200))


@pytest.mark.parametrize("df, alpha", [(1, 0.05), (1, 0.05 / 3), (2, 0.05), (4, 0.05)])
def test_minimal_detectable_or_has_the_stated_power_for_the_test_actually_run(df, alpha):
    n, shares, variance = 85, [0.1, 0.55, 0.25, 0.1], 0.09
    odds = stats.minimal_detectable_or(n, shares, variance, df=df, alpha=alpha)
    info = n * (1 - sum(p**3 for p in shares)) / 3  # Whitehead (1993)
    lam = info * variance * math.log(odds) ** 2
    assert _power_by_poisson_mixture(lam, df, alpha) == pytest.approx(0.8, abs=1e-6)
    # a 4-df test or a Bonferroni level needs a larger effect than the 1-df test at 5 pct.
    if (df, alpha) != (1, 0.05):
        assert odds > stats.minimal_detectable_or(n, shares, variance)


def test_minimal_detectable_or_detects_with_about_80_pct_power_in_a_simulation():
    # Two equal groups of 45, categories about evenly spread: simulate at the detectable odds ratio.
    n, variance = 90, 0.25
    shares = [0.25, 0.25, 0.25, 0.25]
    odds = stats.minimal_detectable_or(n, shares, variance)
    rng = np.random.default_rng(11)
    x = np.repeat([0.0, 1.0], n // 2)
    cuts = np.log([1 / 3, 1.0, 3.0]) + math.log(odds) / 2
    hits = 0
    for _ in range(300):
        y = np.digitize(math.log(odds) * x + rng.logistic(size=n), cuts) + 1
        hits += ordinal.lr_test(y, x)[2] < 0.05
    assert 0.7 <= hits / 300 <= 0.9


def _tidy(x, y) -> pd.DataFrame:
    rows = []
    for i, (a, b) in enumerate(zip(x, y)):
        rows += [{"wave": 2020, "municipality": f"{101 + i}", "question": "udfordring", "answer": int(a)},
                 {"wave": 2020, "municipality": f"{101 + i}", "question": "behov", "answer": int(b)}]
    return pd.DataFrame(rows)


def test_association_reports_the_lr_test_and_profile_intervals_of_the_ordinal_model():
    rng = np.random.default_rng(6)
    x = rng.integers(1, 5, 70)
    y = np.clip(x + rng.integers(-1, 2, 70), 1, 4)
    responses = pd.concat([_tidy(x, y), _tidy([8], [3]).replace({"101": "199"})], ignore_index=True)
    result = stats.association(responses, "udfordring", "behov", simultaneous=1 - 0.05 / 9)
    assert result["n"] == 70  # the "ved ikke" pair is left out
    fit = ordinal.fit(y, x.astype(float))
    assert result["p_lr"] == pytest.approx(scipy_stats.chi2.sf(2 * (fit.llf - ordinal.null_loglik(y)), 1))
    low, high = ordinal.profile_interval(y, x.astype(float), 0, 1 - 0.05 / 9)
    assert (result["or_low_simultaneous"], result["or_high_simultaneous"]) == pytest.approx(
        (math.exp(low), math.exp(high)))
    # The binary split of the need ("i høj eller meget høj grad" against the rest): the odds ratio of a
    # plain logit, fitted here by statsmodels.
    logit = sm.Logit((y >= 3).astype(int), sm.add_constant(x.astype(float))).fit(disp=False)
    assert result["binary_or"] == pytest.approx(math.exp(logit.params[1]), rel=1e-4)
    assert result["reason"] == ""


def test_association_on_separated_answers_says_it_cannot_be_computed():
    x = np.array([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4])
    result = stats.association(_tidy(x, np.where(x >= 3, 4, 1)), "udfordring", "behov")
    assert result["reason"] == ordinal.SEPARATED and "p_lr" not in result
