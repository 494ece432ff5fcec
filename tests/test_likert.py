import math

import pandas as pd
import pytest

from municipal_survey import likert


def _responses(answers: dict[str, list[int]]) -> pd.DataFrame:
    rows = [{"wave": 2020, "municipality": f"{100 + i:03d}", "question": q, "answer": a}
            for q, values in answers.items() for i, a in enumerate(values)]
    return pd.DataFrame(rows)


def test_share_counts_dont_know_in_the_denominator():
    # 3 of 8 in the top two, "ved ikke" and "ikke relevant" counted in N: 37.5 % -> 38 (half up)
    frame = _responses({"q": [4, 3, 3, 2, 1, 1, 8, 9]})
    table = likert.shares(frame, ["q"])
    assert table.at["q", "n"] == 8
    assert table.at["q", "k_top2"] == 3
    assert table.at["q", "pct_top2"] == 38
    assert table.at["q", "pct_8"] == 13  # 12.5 -> 13


def test_shares_keeps_requested_order_and_unanswered_questions():
    frame = _responses({"a": [4, 4], "b": [1]})
    table = likert.shares(frame, ["b", "a", "c"])
    assert list(table.index) == ["b", "a", "c"]
    assert table.at["c", "n"] == 0 and pd.isna(table.at["c", "pct_top2"])


def test_means_exclude_dont_know_and_not_relevant():
    frame = _responses({"q": [4, 3, 2, 1, 8, 9, 9]})
    table = likert.means(frame, ["q"])
    assert table.at["q", "n_scale"] == 4
    assert table.at["q", "mean"] == pytest.approx(2.5)
    assert table.at["q", "ci_low"] < 2.5 < table.at["q", "ci_high"]


def test_wilson_interval_and_finite_population_correction():
    low, high = likert.wilson_interval(39, 85)
    assert 0.35 < low < 0.459 < high < 0.57
    low_fpc, high_fpc = likert.wilson_interval(39, 85, population=98)
    assert low < low_fpc < high_fpc < high  # a near-census is more certain
    full = likert.wilson_interval(39, 98, population=98)
    assert full[0] == pytest.approx(39 / 98) and full[1] == pytest.approx(39 / 98)
    assert all(math.isnan(x) for x in likert.wilson_interval(0, 0))
