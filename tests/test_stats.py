"""The fast parts of stats.py against the library calls and pandas recipes they stand in for."""
import numpy as np
import pandas as pd
import pytest
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
