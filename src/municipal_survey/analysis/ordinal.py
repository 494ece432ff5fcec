"""The proportional-odds (cumulative logit) model with likelihood-ratio tests and profile intervals.

P(Y <= j | x) = expit(tau_j - x'beta): thresholds tau_1 < ... < tau_{K-1} take the constant's place.
The book tests with the likelihood ratio and gives odds ratios with profile-likelihood intervals, so an
interval excludes 1 exactly when the matching 1-df likelihood-ratio p-value lies below its level.

A profile interval refits the model with one coefficient held fixed a dozen times per side, hundreds of
times per chapter. statsmodels' OrderedModel (numerical gradients, BFGS) takes 6-12 ms a fit; this
module maximises the same likelihood by Newton's method with its analytic gradient and Hessian (well
under a millisecond), and the tests check it against OrderedModel and against a likelihood written out
by hand.

A model that cannot be fitted on the answers at hand (too few answers, separation, no convergence)
raises FitFailure with a Danish reason: the page shows "kan ikke beregnes" and the reason.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize
from scipy import stats as st
from scipy.special import expit, logit

# A log odds ratio beyond this (an odds ratio of about 10^13) only arises when the answers are
# separated by x: the likelihood keeps rising and no finite estimate exists.
MAX_LOG_ODDS = 30.0
MAX_NEWTON_STEPS = 200

TOO_FEW = "for få svar til modellen"
SEPARATED = "svarene er (næsten) helt adskilt af den forklarende variabel, så der findes ingen endelig odds ratio"
NOT_CONVERGED = "modellen konvergerer ikke"
OPEN_INTERVAL = "intervallet har ingen endelig grænse (for få svar på den ene side)"


class FitFailure(RuntimeError):
    """A model that cannot be fitted on these answers: data, not an error. `reason_da` is shown on the page."""

    def __init__(self, reason_da: str, detail: str = ""):
        super().__init__(f"{reason_da}: {detail}" if detail else reason_da)
        self.reason_da = reason_da


@dataclass(frozen=True)
class Fit:
    """A fitted proportional-odds model: coefficients, thresholds, log-likelihood, covariance."""

    beta: np.ndarray  # one per column of x
    tau: np.ndarray  # K - 1 increasing thresholds
    llf: float
    cov: np.ndarray  # of (beta, tau), the inverse observed information
    categories: np.ndarray  # the answer levels present, in order
    n: int

    @property
    def odds_ratios(self) -> np.ndarray:
        return np.exp(self.beta)

    @property
    def se(self) -> np.ndarray:
        return np.sqrt(np.diag(self.cov)[:len(self.beta)])


def _codes(y) -> tuple[np.ndarray, np.ndarray]:
    categories, codes = np.unique(np.asarray(y), return_inverse=True)
    return categories, codes


def _derivatives(tau: np.ndarray, eta: np.ndarray, codes: np.ndarray):
    """Log-likelihood, and per observation what the gradient and Hessian need (see _newton)."""
    upper = np.concatenate([tau, [np.inf]])[codes] - eta
    lower = np.concatenate([[-np.inf], tau])[codes] - eta
    f_up, f_low = expit(upper), expit(lower)
    p = f_up - f_low
    if np.any(p <= 0):
        return -np.inf, None
    d_up, d_low = f_up * (1 - f_up), f_low * (1 - f_low)
    dd_up, dd_low = d_up * (1 - 2 * f_up), d_low * (1 - 2 * f_low)
    return float(np.sum(np.log(p))), (p, d_up, d_low, dd_up, dd_low)


def _gradient_hessian(parts, x: np.ndarray, codes: np.ndarray, k: int):
    """Gradient and Hessian of the log-likelihood in (beta, tau).

    An answer in level c has tau_c as its upper and tau_{c-1} as its lower threshold: `up` and `low`
    pick them (one-hot rows; none for the top and bottom level, whose d_up or d_low is 0 there too)."""
    p, d_up, d_low, dd_up, dd_low = parts
    m = k - 1
    up = (codes[:, None] == np.arange(m)).astype(float)
    low = (codes[:, None] == np.arange(1, k)).astype(float)
    g_up, g_low = d_up / p, d_low / p
    g_eta = -(g_up - g_low)
    h_eta = (dd_up - dd_low) / p - g_eta**2
    q = x.shape[1]
    grad = np.concatenate([x.T @ g_eta, up.T @ g_up - low.T @ g_low])
    hess = np.empty((q + m, q + m))
    hess[:q, :q] = x.T @ (h_eta[:, None] * x)
    up_low = up.T @ ((g_up * g_low)[:, None] * low)
    hess[q:, q:] = (up.T @ ((dd_up / p - g_up**2)[:, None] * up) - low.T @ ((dd_low / p + g_low**2)[:, None] * low)
                    + up_low + up_low.T)
    cross = up.T @ ((-dd_up / p - g_up * g_eta)[:, None] * x) + low.T @ ((dd_low / p + g_low * g_eta)[:, None] * x)
    hess[q:, :q] = cross
    hess[:q, q:] = cross.T
    return grad, hess


def _start_tau(codes: np.ndarray, k: int, offset: np.ndarray) -> np.ndarray:
    cumulative = np.cumsum(np.bincount(codes, minlength=k))[:-1] / len(codes)
    return logit(np.clip(cumulative, 1e-6, 1 - 1e-6)) + float(np.mean(offset))


def _newton(x: np.ndarray, codes: np.ndarray, k: int, offset: np.ndarray, start: np.ndarray | None = None):
    """Maximise the log-likelihood over (beta, tau) with eta = x beta + offset: (params, llf, and what
    _gradient_hessian needs at the maximum)."""
    q = x.shape[1]
    params = np.concatenate([np.zeros(q), _start_tau(codes, k, offset)]) if start is None else start.copy()
    llf, parts = _derivatives(params[q:], x @ params[:q] + offset, codes)
    if parts is None:
        params = np.concatenate([np.zeros(q), _start_tau(codes, k, offset)])
        llf, parts = _derivatives(params[q:], offset, codes)
    for _ in range(MAX_NEWTON_STEPS):
        grad, hess = _gradient_hessian(parts, x, codes, k)
        try:
            step = np.linalg.solve(hess, -grad)
        except np.linalg.LinAlgError:
            raise FitFailure(SEPARATED, "singular information matrix") from None
        if not np.all(np.isfinite(step)):
            raise FitFailure(SEPARATED, "non-finite Newton step")
        if grad @ step <= 0:  # not an ascent direction (far from the optimum): a gradient step instead
            step = grad / max(1.0, float(np.abs(grad).max()))
        size = 1.0
        while True:
            trial = params + size * step
            trial_llf, trial_parts = _derivatives(trial[q:], x @ trial[:q] + offset, codes)
            if trial_parts is not None and trial_llf >= llf - 1e-12:
                break
            size /= 2
            if size < 1e-10:
                raise FitFailure(NOT_CONVERGED, "no step increases the likelihood")
        params, llf, parts = trial, trial_llf, trial_parts
        if np.any(np.abs(params[:q]) > MAX_LOG_ODDS):
            raise FitFailure(SEPARATED, f"log odds ratio {params[:q]}")
        if np.max(np.abs(size * step)) < 1e-9:
            return params, llf, parts
    raise FitFailure(NOT_CONVERGED, f"after {MAX_NEWTON_STEPS} Newton steps")


def _design(x, n: int) -> np.ndarray:
    x = np.zeros((n, 0)) if x is None else np.asarray(x, dtype=float)
    return x.reshape(n, -1)


def fit(y, x=None) -> Fit:
    """The proportional-odds logit of y (ordered answer levels) on the columns of x (no constant).

    Raises FitFailure when the model cannot be fitted: fewer than two answer levels, a column of x
    that does not vary, separation, or no convergence."""
    categories, codes = _codes(y)
    n, k = len(codes), len(categories)
    design = _design(x, n)
    if k < 2:
        raise FitFailure(TOO_FEW, f"{n} answers on {k} level(s)")
    if design.shape[1] and np.any(np.ptp(design, axis=0) == 0):
        raise FitFailure(TOO_FEW, "a column of x does not vary (a group without answers)")
    params, llf, parts = _newton(design, codes, k, np.zeros(n))
    _, hess = _gradient_hessian(parts, design, codes, k)
    try:
        cov = np.linalg.inv(-hess)
    except np.linalg.LinAlgError:
        raise FitFailure(SEPARATED, "singular information matrix at the optimum") from None
    if not np.all(np.isfinite(cov)) or np.any(np.diag(cov) <= 0):
        raise FitFailure(SEPARATED, "information matrix not positive definite")
    q = design.shape[1]
    return Fit(params[:q], params[q:], llf, cov, categories, n)


def null_loglik(y) -> float:
    """Log-likelihood of the thresholds-only model: the observed shares of the answer levels."""
    _, counts = np.unique(np.asarray(y), return_counts=True)
    return float(np.sum(counts * np.log(counts / counts.sum())))


def lr_test(y, x, result: Fit | None = None) -> tuple[float, int, float]:
    """(statistic, df, p) of the likelihood-ratio test of all columns of x against thresholds only."""
    result = result or fit(y, x)
    statistic = max(0.0, 2 * (result.llf - null_loglik(y)))
    df = len(result.beta)
    return statistic, df, float(st.chi2.sf(statistic, df))


def profile_loglik(y, x, term: int, value: float, result: Fit | None = None) -> float:
    """The log-likelihood maximised over everything but coefficient `term`, which is held at `value`."""
    categories, codes = _codes(y)
    design = _design(x, len(codes))
    others = np.delete(design, term, axis=1)
    start = None
    if result is not None:
        start = np.concatenate([np.delete(result.beta, term), result.tau])
    _, llf, _ = _newton(others, codes, len(categories), value * design[:, term], start)
    return llf


def profile_interval(y, x, term: int = 0, level: float = 0.95, result: Fit | None = None) -> tuple[float, float]:
    """The profile-likelihood interval of coefficient `term` (log odds ratio) at `level`: where twice
    the drop in the profile log-likelihood equals the chi-square(1) quantile. Raises FitFailure when a
    side has no finite end."""
    result = result or fit(y, x)
    categories, codes = _codes(y)
    design = _design(x, len(codes))
    others = np.delete(design, term, axis=1)
    k = len(categories)
    target = result.llf - st.chi2.ppf(level, 1) / 2
    beta_hat, se = float(result.beta[term]), float(result.se[term])
    warm = {"start": np.concatenate([np.delete(result.beta, term), result.tau])}
    # brentq asks again for the ends of the bracket found below: each value is fitted once. At the
    # estimate itself the profile's maximum is the fit's.
    known = {beta_hat: result.llf - target}

    def excess(value: float) -> float:
        if value not in known:
            params, llf, _ = _newton(others, codes, k, value * design[:, term], warm["start"])
            warm["start"] = params
            known[value] = llf - target
        return known[value]

    ends = []
    for direction in (-1, 1):
        warm["start"] = np.concatenate([np.delete(result.beta, term), result.tau])
        near, step = beta_hat, max(se, 1e-3) * math.sqrt(st.chi2.ppf(level, 1))
        far = beta_hat + direction * step
        while excess(far) > 0:
            near, far = far, beta_hat + direction * (abs(far - beta_hat) * 2)
            if abs(far) > MAX_LOG_ODDS:
                raise FitFailure(OPEN_INTERVAL, f"term {term}, direction {direction}")
        ends.append(optimize.brentq(excess, min(near, far), max(near, far), xtol=1e-7))
    return ends[0], ends[1]


def top_two_logit(result: Fit, x_row, top_from: int = 3) -> tuple[float, float]:
    """The log odds of answering `top_from` or higher at covariates `x_row`, and its standard error by
    the delta method: logit P(Y >= top_from) = x'beta - tau_j, tau_j the threshold just below it."""
    below = int(np.sum(result.categories < top_from))
    if below == 0 or below == len(result.categories):
        raise FitFailure(TOO_FEW, f"no answers on one side of {top_from}")
    j = below - 1
    x_row = np.atleast_1d(np.asarray(x_row, dtype=float))
    value = float(x_row @ result.beta - result.tau[j])
    gradient = np.concatenate([x_row, np.zeros(len(result.tau))])
    gradient[len(x_row) + j] = -1.0
    return value, float(math.sqrt(gradient @ result.cov @ gradient))


def predicted_top_two(result: Fit, x_row, level: float = 0.95, top_from: int = 3) -> tuple[float, float, float]:
    """The predicted share answering `top_from` or higher at `x_row`, with its interval at `level`
    (delta method on the logit scale, so it stays inside 0-1)."""
    value, se = top_two_logit(result, x_row, top_from)
    z = st.norm.ppf(0.5 + level / 2)
    return float(expit(value)), float(expit(value - z * se)), float(expit(value + z * se))
