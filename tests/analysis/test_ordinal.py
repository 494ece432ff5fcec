"""The proportional-odds model, its likelihood-ratio test and profile intervals, against computations
written out here: statsmodels' OrderedModel, and the likelihood maximised by scipy.optimize."""
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import optimize
from scipy import stats as st
from scipy.special import expit
from statsmodels.miscmodels.ordinal_model import OrderedModel

from municipal_survey.analysis import ordinal


def _data(n=90, beta=0.6, seed=1):
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 1, n)
    y = np.digitize(beta * x + rng.logistic(size=n), [-1.0, 0.3, 1.6]) + 1
    return x, y


def direct_loglik(y, x, beta, tau):
    """The cumulative-logit log-likelihood written out: P(Y <= j) = expit(tau_j - x beta)."""
    levels = np.unique(y)
    code = np.searchsorted(levels, y)
    cuts = np.concatenate([[-np.inf], np.sort(tau), [np.inf]])
    upper = expit(cuts[code + 1] - x * beta)
    lower = expit(cuts[code] - x * beta)
    return float(np.sum(np.log(upper - lower)))


def direct_profile(y, x, beta):
    """max over the thresholds with beta fixed (Nelder-Mead on increments, no derivatives)."""
    k = len(np.unique(y))

    def negative(theta):
        tau = theta[0] + np.concatenate([[0], np.cumsum(np.exp(theta[1:]))])
        return -direct_loglik(y, x, beta, tau)

    start = np.concatenate([[-1.0], np.zeros(k - 2)])
    best = optimize.minimize(negative, start, method="Nelder-Mead",
                             options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000, "maxfev": 40000})
    return -best.fun


def test_fit_equals_statsmodels_ordered_model():
    x, y = _data()
    design = np.column_stack([x, (x > 0.5).astype(float)])
    ours = ordinal.fit(y, design)
    endog = pd.Series(pd.Categorical(y, ordered=True))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = OrderedModel(endog, pd.DataFrame(design), distr="logit").fit(method="bfgs", disp=False,
                                                                             maxiter=5000, gtol=1e-10)
    assert ours.llf == pytest.approx(theirs.llf, abs=1e-6)
    assert ours.beta == pytest.approx(theirs.params.to_numpy()[:2], abs=1e-4)
    assert ours.tau == pytest.approx(theirs.model.transform_threshold_params(theirs.params.to_numpy())[1:-1],
                                     abs=1e-4)
    assert ours.se == pytest.approx(theirs.bse.to_numpy()[:2], rel=1e-3)


def test_lr_p_and_profile_interval_against_a_likelihood_written_out():
    x, y = _data(n=80, beta=0.5, seed=4)
    result = ordinal.fit(y, x)
    # The full model and the thresholds-only model maximised here without the package.
    full = -optimize.minimize(lambda t: -direct_loglik(y, x, t[0], t[1:]),
                              np.concatenate([[0.0], [-1.0, 0.3, 1.6]]), method="Nelder-Mead",
                              options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 40000, "maxfev": 80000}).fun
    null = direct_profile(y, x, 0.0)
    statistic, df, p = ordinal.lr_test(y, x, result)
    assert df == 1
    assert statistic == pytest.approx(2 * (full - null), abs=1e-5)
    assert p == pytest.approx(st.chi2.sf(2 * (full - null), 1), rel=1e-4)
    # The ends of the profile interval: where twice the drop equals the chi-square quantile, found here
    # by root-finding on the written-out profile.
    target = full - st.chi2.ppf(0.95, 1) / 2
    low = optimize.brentq(lambda b: direct_profile(y, x, b) - target, result.beta[0] - 3, result.beta[0])
    high = optimize.brentq(lambda b: direct_profile(y, x, b) - target, result.beta[0], result.beta[0] + 3)
    assert ordinal.profile_interval(y, x, 0, 0.95, result) == pytest.approx((low, high), abs=1e-4)


@pytest.mark.parametrize("seed", range(12))
def test_a_profile_interval_excludes_zero_exactly_when_the_lr_p_is_below_its_level(seed):
    x, y = _data(n=60, beta=0.35, seed=seed)
    result = ordinal.fit(y, x)
    _, _, p = ordinal.lr_test(y, x, result)
    for level in (0.95, 1 - 0.05 / 3):
        low, high = ordinal.profile_interval(y, x, 0, level, result)
        assert (not low <= 0 <= high) == (p < 1 - level)
        # and it is not the Wald interval, which need not agree with the LR p
        assert (low, high) != pytest.approx((result.beta[0] - st.norm.ppf(0.5 + level / 2) * result.se[0],
                                            result.beta[0] + st.norm.ppf(0.5 + level / 2) * result.se[0]))


def test_predicted_share_and_its_interval_by_hand():
    x, y = _data(n=120, beta=0.7, seed=2)
    result = ordinal.fit(y, x)
    share, low, high = ordinal.predicted_top_two(result, [1.5])
    # P(Y >= 3) = 1 - expit(tau_2 - x beta), tau_2 the threshold between 2 and 3 (the second).
    logit_value = 1.5 * result.beta[0] - result.tau[1]
    assert share == pytest.approx(1 - expit(result.tau[1] - 1.5 * result.beta[0]))
    gradient = np.array([1.5, 0.0, -1.0, 0.0])  # d/d(beta, tau_1, tau_2, tau_3)
    se = math.sqrt(gradient @ result.cov @ gradient)
    assert (low, high) == pytest.approx((expit(logit_value - 1.959964 * se), expit(logit_value + 1.959964 * se)),
                                        rel=1e-5)


def test_separated_answers_are_a_fit_failure_with_a_danish_reason_not_an_overflow():
    x = np.array([1, 2, 2, 2, 3, 3, 3, 4, 4, 4], dtype=float)
    y = np.where(x >= 3, 4, 1)  # completely separated by x
    with pytest.raises(ordinal.FitFailure) as failure:
        ordinal.fit(y, x)
    assert failure.value.reason_da == ordinal.SEPARATED


def test_one_answer_level_or_a_group_without_answers_cannot_be_fitted():
    with pytest.raises(ordinal.FitFailure, match="for få svar"):
        ordinal.fit(np.full(10, 3), np.arange(10.0))
    with pytest.raises(ordinal.FitFailure, match="for få svar"):
        ordinal.fit(np.array([1, 2, 3, 4] * 3), np.zeros(12))
