"""Section 1.12's statistics: the proportional-odds check and Holm on every p-value shown."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.stats.multitest import multipletests

from municipal_survey.analysis import stats


def _data(slopes: dict[int, float], n: int = 400, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """x in 1..4; P(y >= j | x) = expit(a_j + b_j x), cut by cut (monotone in j by construction)."""
    rng = np.random.default_rng(seed)
    x = rng.integers(1, 5, n)
    u = rng.random(n)
    y = np.ones(n, dtype=int)
    for j, (a, b) in sorted(slopes.items()):
        y = np.where(u < 1 / (1 + np.exp(-(a + b * x))), j, y)
    return x, y


def test_cut_odds_ratios_are_the_binary_logits_of_each_cut():
    x, y = _data({2: (1.0, 0.6), 3: (-1.0, 0.6), 4: (-3.0, 0.6)})
    cuts = stats.cut_odds_ratios(x, y)
    assert [c[0] for c in cuts] == [2, 3, 4]
    for j, odds, low, high in cuts:
        fit = sm.Logit((y >= j).astype(int), sm.add_constant(x.astype(float))).fit(disp=False)
        assert math.isclose(odds, math.exp(fit.params[1]))
        assert low < odds < high


def test_a_cut_with_fewer_than_five_on_a_side_is_left_out():
    x = np.array([1, 2, 3, 4] * 10)
    y = np.array([2] * 36 + [3, 3, 3, 4])  # four answers of 3 or more, one of 4
    assert [c[0] for c in stats.cut_odds_ratios(x, y)] == []


def test_the_check_tells_proportional_from_clearly_unequal_odds():
    same = _data({2: (1.5, 0.7), 3: (-1.0, 0.7), 4: (-3.5, 0.7)}, n=600)
    odds = stats.ordinal_logit(*same)[0]
    assert all(low <= odds <= high for _, _, low, high in stats.cut_odds_ratios(*same))
    # Nothing separates the lowest cut; the top cut rises steeply with x.
    unequal = _data({2: (1.5, 0.0), 3: (0.5, 0.0), 4: (-9.0, 2.5)}, n=600)
    odds = stats.ordinal_logit(*unequal)[0]
    assert not all(low <= odds <= high for _, _, low, high in stats.cut_odds_ratios(*unequal))


def test_every_p_value_in_the_table_is_holm_adjusted_within_its_family():
    rng = np.random.default_rng(5)
    rows = []
    for pair in ("a", "b", "c"):
        for m in range(60):
            x = int(rng.integers(1, 5))
            rows += [{"wave": 2020, "municipality": f"{100 + m}", "question": f"{pair}_x", "answer": x},
                     {"wave": 2020, "municipality": f"{100 + m}", "question": f"{pair}_y",
                      "answer": int(min(4, max(1, x + rng.integers(-1, 2))))}]
    table = stats.association_table(pd.DataFrame(rows), {p: (f"{p}_x", f"{p}_y") for p in "abc"})
    for raw, adjusted in (("p_ordinal", "p_holm"), ("p_spearman", "p_spearman_holm"),
                          ("p_kruskal", "p_kruskal_holm")):
        expected = multipletests(table[raw].astype(float), method="holm")[1]
        assert np.allclose(table[adjusted].astype(float), expected)
        assert (table[adjusted] >= table[raw]).all()


def test_holm_equals_statsmodels_and_a_hand_worked_example():
    # Hand-worked: sorted 0.01, 0.02, 0.04, 0.30 times 4, 3, 2, 1 = 0.04, 0.06, 0.08, 0.30 (already rising).
    assert np.allclose(stats.holm([0.04, 0.01, 0.30, 0.02]), [0.08, 0.04, 0.30, 0.06])
    # Step-down keeps the order: sorted 0.01, 0.03, 0.04 times 3, 2, 1 = 0.03, 0.06, 0.04; the last
    # may not fall below the one before it, so it becomes 0.06.
    assert np.allclose(stats.holm([0.03, 0.04, 0.01]), [0.06, 0.06, 0.03])
    assert stats.holm([0.6, 0.7]).max() == 1.0  # capped
    rng = np.random.default_rng(2)
    for size in (1, 2, 9, 130):
        p = rng.random(size) ** 3
        assert np.allclose(stats.holm(p), multipletests(p, method="holm")[1])


def test_separated_answers_are_an_error_that_says_so_not_an_overflow():
    x = np.array([1, 2, 2, 2, 3, 3, 3, 4, 4, 4])
    y = np.array([1, 1, 2, 2, 2, 3, 3, 3, 4, 4])
    # The fit "converges" to a slope of about 18 with an interval of +-1,300 on the log scale:
    # exp() of that overflowed before; now it is an error that names the cause.
    with pytest.raises(RuntimeError, match="separated"):
        stats.ordinal_logit(x, y)
