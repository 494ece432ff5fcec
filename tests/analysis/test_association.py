"""Section 1.12's family: one likelihood-ratio test per area, Bonferroni-adjusted, with the matching
simultaneous intervals beside the adjusted p."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as st

from municipal_survey.analysis import ordinal, organisation, stats


@pytest.fixture(scope="module")
def survey(shipped_book):
    return shipped_book.survey


@pytest.fixture(scope="module")
def table(survey):
    return stats.association_table(survey.responses, organisation.association_pairs(survey))


def test_the_family_is_the_nine_areas_with_bonferroni_by_hand(table):
    assert len(table) == 9
    assert table.attrs["simultaneous_level"] == pytest.approx(1 - 0.05 / 9)
    assert list(table["p_bonferroni"]) == pytest.approx([min(1.0, 9 * p) for p in table["p_lr"]])


def test_each_adjusted_interval_excludes_one_exactly_when_the_adjusted_p_is_below_005(table):
    for row in table.itertuples():
        assert (not row.or_low_simultaneous <= 1 <= row.or_high_simultaneous) == (row.p_bonferroni < 0.05)
        assert row.or_low_simultaneous < row.or_low < row.odds_ratio < row.or_high < row.or_high_simultaneous


def test_the_p_value_is_the_likelihood_ratio_not_the_wald_p(survey, table):
    area, (challenge, need) = next(iter(organisation.association_pairs(survey).items()))
    pairs = stats.paired_scale_answers(survey.responses, challenge, need)
    x, y = pairs["x"].to_numpy(float), pairs["y"].to_numpy()
    fit = ordinal.fit(y, x)
    # likelihood ratio against the shares of the answer levels, written out here
    counts = np.bincount(y)[1:]
    counts = counts[counts > 0]
    null = float(np.sum(counts * np.log(counts / counts.sum())))
    expected = st.chi2.sf(2 * (fit.llf - null), 1)
    assert table.at[area, "p_lr"] == pytest.approx(expected, rel=1e-9)
    wald = 2 * st.norm.sf(abs(fit.beta[0] / fit.se[0]))
    assert not math.isclose(table.at[area, "p_lr"], wald, rel_tol=1e-3)


def test_a_pair_that_cannot_be_fitted_is_marked_and_the_rest_is_adjusted_for_the_whole_family():
    rows = []
    for m in range(40):
        x = 1 + m % 4
        for pair, y in (("a", 4 if x >= 3 else 1), ("b", min(4, max(1, x + (m % 3) - 1)))):
            rows += [{"wave": 2020, "municipality": f"{100 + m}", "question": f"{pair}_x", "answer": x},
                     {"wave": 2020, "municipality": f"{100 + m}", "question": f"{pair}_y", "answer": y}]
    table = stats.association_table(pd.DataFrame(rows), {p: (f"{p}_x", f"{p}_y") for p in "ab"})
    assert table.at["a", "reason"] == ordinal.SEPARATED and math.isnan(table.at["a", "p_bonferroni"])
    assert table.at["b", "p_bonferroni"] == pytest.approx(min(1.0, 2 * table.at["b", "p_lr"]))
