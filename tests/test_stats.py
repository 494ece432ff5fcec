"""The fast parts of stats.py against the library calls and pandas recipes they stand in for."""
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats
from small_survey import assumptions, codebook, published, register
from statsmodels.miscmodels.ordinal_model import OrderedModel
from statsmodels.tools.sm_exceptions import ConvergenceWarning

from municipal_survey.analysis import likert, stats
from municipal_survey.synthetic import generator


def test_logit_ordered_model_fits_exactly_as_statsmodels_logit():
    rng = np.random.default_rng(3)
    x = rng.integers(1, 5, 60)
    y = np.clip(x + rng.integers(-1, 2, 60), 1, 4)
    endog = pd.Series(pd.Categorical(y, categories=sorted(set(y)), ordered=True))
    exog = pd.DataFrame({"x": x.astype(float)})
    fast = stats.LogitOrderedModel(endog, exog).fit(method="bfgs", disp=False, maxiter=500)
    plain = OrderedModel(endog, exog, distr="logit").fit(method="bfgs", disp=False, maxiter=500)
    pd.testing.assert_series_equal(fast.params, plain.params, check_exact=True)
    pd.testing.assert_series_equal(fast.bse, plain.bse, check_exact=True)
    pd.testing.assert_series_equal(fast.pvalues, plain.pvalues, check_exact=True)


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


def test_a_fit_that_does_not_converge_fails_loudly(monkeypatch):
    """A non-converged ordinal logit must raise, not return numbers that look fine."""
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    real_fit = OrderedModel.fit

    def one_step(self, *args, **kwargs):
        return real_fit(self, *args, **{**kwargs, "maxiter": 1})

    monkeypatch.setattr(OrderedModel, "fit", one_step)
    x = np.array([1, 2, 3, 4, 1, 2, 3, 4, 2, 3] * 3)
    y = np.array([1, 2, 2, 4, 2, 2, 3, 4, 1, 3] * 3)
    with pytest.warns(ConvergenceWarning), pytest.raises(RuntimeError, match="did not converge"):
        stats.ordinal_logit(x, y)


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


def _independent_ordinal_fit(x: np.ndarray, y: np.ndarray):
    """Proportional-odds logit fitted by statsmodels' own OrderedModel with Newton steps."""
    endog = pd.Series(pd.Categorical(y, categories=[1, 2, 3, 4], ordered=True))
    model = OrderedModel(endog, pd.DataFrame({"x": x.astype(float)}), distr="logit")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(method="newton", disp=False, maxiter=200)


def test_ordinal_logit_is_a_logit_without_constant_reported_as_odds_ratios(capsys):
    reference = _independent_ordinal_fit(X, Y)
    # No constant: the parameters are x and the three thresholds between four categories.
    assert list(reference.params.index) == ["x", "1/2", "2/3", "3/4"]
    beta, (low, high), p = reference.params["x"], reference.conf_int().loc["x"], reference.pvalues["x"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the model is built without warnings (e.g. on unordered categories)
        got = stats.ordinal_logit(X, Y)
    assert got == pytest.approx((math.exp(beta), math.exp(low), math.exp(high), p), rel=1e-4)
    assert got[1] < got[0] < got[2] and 0 < got[3] < 1
    assert capsys.readouterr().out == ""  # the fit prints nothing into the notebook


def test_ordinal_logit_odds_ratio_interval_is_wald_on_the_log_scale():
    odds, low, high, p = stats.ordinal_logit(X, Y)
    beta = math.log(odds)
    se = (math.log(high) - math.log(low)) / (2 * scipy_stats.norm.ppf(0.975))
    assert math.log(low) == pytest.approx(beta - scipy_stats.norm.ppf(0.975) * se)
    assert p == pytest.approx(2 * scipy_stats.norm.sf(abs(beta / se)), rel=1e-6)


def _tidy(x, y) -> pd.DataFrame:
    rows = []
    for i, (a, b) in enumerate(zip(x, y)):
        rows += [{"wave": 2020, "municipality": f"{101 + i}", "question": "udfordring", "answer": int(a)},
                 {"wave": 2020, "municipality": f"{101 + i}", "question": "behov", "answer": int(b)}]
    return pd.DataFrame(rows)


def test_association_reports_every_statistic_under_its_name():
    # A "ved ikke" (8) pair is left out: 12 municipalities count, not 13.
    responses = pd.concat([_tidy(X, Y), _tidy([8], [3]).replace({"101": "199"})], ignore_index=True)
    result = stats.association(responses, "udfordring", "behov")
    assert set(result) == {"n", "rho", "rho_low", "rho_high", "p_spearman", "odds_ratio", "or_low", "or_high",
                           "p_ordinal", "p_kruskal", "cuts", "cut_or_min", "cut_or_max", "proportional_odds"}
    assert result["n"] == 12
    assert (result["rho"], result["rho_low"], result["rho_high"], result["p_spearman"]) == \
        stats.spearman_with_ci(X, Y)
    assert (result["odds_ratio"], result["or_low"], result["or_high"], result["p_ordinal"]) == \
        pytest.approx(stats.ordinal_logit(X, Y))
    # Kruskal-Wallis over the need answers grouped by challenge level, the groups written out by hand.
    expected = scipy_stats.kruskal([1, 2], [1, 2, 3], [2, 3, 3, 4], [3, 4, 4]).pvalue
    assert result["p_kruskal"] == pytest.approx(expected, rel=1e-12)


def test_kruskal_keeps_a_challenge_level_answered_by_one_municipality():
    x, y = np.array([1, 2, 2, 2, 3, 3, 3, 4, 4, 4]), np.array([2, 1, 3, 2, 1, 4, 3, 2, 4, 3])
    result = stats.association(_tidy(x, y), "udfordring", "behov")
    expected = scipy_stats.kruskal([2], [1, 3, 2], [1, 4, 3], [2, 4, 3]).pvalue
    assert result["p_kruskal"] == pytest.approx(expected, rel=1e-12)


def test_kruskal_with_two_challenge_levels():
    x, y = np.array([1, 1, 1, 1, 1, 2, 2, 2, 2, 2]), np.array([1, 2, 1, 2, 3, 2, 3, 4, 3, 4])
    result = stats.association(_tidy(x, y), "udfordring", "behov")
    expected = scipy_stats.kruskal([1, 2, 1, 2, 3], [2, 3, 4, 3, 4]).pvalue
    assert result["p_kruskal"] == pytest.approx(expected, rel=1e-12)


def test_association_table_adjusts_every_family_of_p_values_by_holm(monkeypatch):
    # Holm by hand for p = 0.01, 0.04, 0.03 (m = 3): sorted 0.01 x 3 = 0.03, 0.03 x 2 = 0.06, 0.04 x 1 = 0.04,
    # made non-decreasing: 0.03, 0.06, 0.06. (Holm-Sidak would give 1 - 0.99^3 = 0.0297 for the first.)
    # For 0.2, 0.001, 0.5: 0.001 x 3 = 0.003, 0.2 x 2 = 0.4, 0.5 x 1 = 0.5 -> 0.4, 0.003, 0.5.
    # For 0.5, 0.6, 0.02: 0.02 x 3 = 0.06, 0.5 x 2 = 1.0, 0.6 x 1 = 0.6 -> 1.0 (and so 1.0 after it), 1.0, 0.06.
    p_of = {"a": (0.01, 0.2, 0.5), "b": (0.04, 0.001, 0.6), "c": (0.03, 0.5, 0.02)}
    monkeypatch.setattr(stats, "association", lambda responses, challenge, need: {
        "n": 80.0, "p_ordinal": p_of[challenge][0], "p_spearman": p_of[challenge][1],
        "p_kruskal": p_of[challenge][2], "cuts": 3.0, "proportional_odds": 1})
    table = stats.association_table(pd.DataFrame(), {"A": ("a", "x"), "B": ("b", "x"), "C": ("c", "x")})
    assert list(table.index) == ["A", "B", "C"]
    assert list(table["p_holm"]) == pytest.approx([0.03, 0.06, 0.06], abs=1e-12)
    assert list(table["p_spearman_holm"]) == pytest.approx([0.4, 0.003, 0.5], abs=1e-12)
    assert list(table["p_kruskal_holm"]) == pytest.approx([1.0, 1.0, 0.06], abs=1e-12)
    assert table["n"].dtype == np.int64 and list(table["n"]) == [80, 80, 80]
    assert table["cuts"].dtype == np.int64 and table["proportional_odds"].dtype == bool


def test_logit_ordered_model_passes_other_options_to_statsmodels():
    # missing="drop" must reach OrderedModel: the municipality without an x is left out (11 of 12).
    endog = pd.Series(pd.Categorical(Y, categories=[1, 2, 3, 4], ordered=True))
    exog = pd.DataFrame({"x": np.r_[X[:-1].astype(float), np.nan]})
    assert stats.LogitOrderedModel(endog, exog, missing="drop").nobs == 11


# --------------------------------------------------------------------- the proportional-odds check

def _cut_logit(x: np.ndarray, y: np.ndarray, j: int) -> float:
    """Odds ratio of the binary logit of (y >= j) on x with a constant, fitted here by statsmodels."""
    import statsmodels.api as sm

    return math.exp(sm.Logit((y >= j).astype(int), sm.add_constant(x.astype(float))).fit(disp=False).params[1])


# 30 municipalities: y = 1 for exactly 5 (the cut y >= 2 has 5 below it), y = 2 for 3 (the cut y >= 3
# has 8 below), y = 3 for 18 and y = 4 for 4 (the cut y >= 4 has only 4 above it: left out).
X30 = np.array([1, 1, 2, 1, 3, 1, 2, 2, 1, 2, 3, 2, 3, 3, 4, 2, 3, 4, 3, 4, 4, 3, 4, 4, 2, 3, 4, 3, 4, 4])
Y30 = np.array([1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4])


def test_cut_odds_ratios_keep_a_cut_with_exactly_five_on_a_side(capsys):
    cuts = stats.cut_odds_ratios(X30, Y30)
    assert [c[0] for c in cuts] == [2, 3]  # y >= 4 has 4 above it: fewer than 5, left out
    assert [c[1] for c in cuts] == pytest.approx([_cut_logit(X30, Y30, 2), _cut_logit(X30, Y30, 3)])
    assert all(low < odds < high for _, odds, low, high in cuts)
    assert capsys.readouterr().out == ""  # the fits print nothing into the notebook


def test_a_left_out_low_cut_does_not_end_the_check():
    # Only 2 answers of 1: the cut y >= 2 is left out, the cut y >= 3 (12 below, 18 above) is still made.
    y = np.where(Y30 == 1, 2, Y30)
    y[:2] = 1
    assert [c[0] for c in stats.cut_odds_ratios(X30, y)] == [3]


def test_a_cut_logit_that_does_not_converge_fails_loudly(monkeypatch):
    import statsmodels.api as sm

    real_fit = sm.Logit.fit
    monkeypatch.setattr(sm.Logit, "fit", lambda self, *args, **kwargs: real_fit(self, maxiter=1, disp=False))
    with pytest.warns(ConvergenceWarning), \
            pytest.raises(RuntimeError, match=r"the logit for the cut y >= 2 did not converge: \{"):
        stats.cut_odds_ratios(X30, Y30)


def test_association_reports_the_spread_of_the_cut_odds_ratios():
    responses = _tidy(X30, Y30)
    result = stats.association(responses, "udfordring", "behov")
    by_cut = [_cut_logit(X30, Y30, 2), _cut_logit(X30, Y30, 3)]
    assert result["cuts"] == 2
    assert (result["cut_or_min"], result["cut_or_max"]) == pytest.approx((min(by_cut), max(by_cut)))


def test_association_without_any_cut_has_no_spread_and_nothing_against_proportional_odds():
    # 9 municipalities: y >= 2 has 2 below, y >= 3 has 4 below, y >= 4 has 2 above: no cut has 5 a side.
    x, y = np.array([1, 2, 3, 1, 2, 3, 4, 2, 4]), np.array([1, 1, 2, 2, 3, 3, 3, 4, 4])
    result = stats.association(_tidy(x, y), "udfordring", "behov")
    assert result["cuts"] == 0 and result["proportional_odds"] is True
    assert math.isnan(result["cut_or_min"]) and math.isnan(result["cut_or_max"])
