"""The change between two waves, item by item: the shares, the change and its interval, recomputed here
from hand counts and closed formulas (Wilson and Newcombe), and the disclosure rule for paired intervals."""
from __future__ import annotations

import math

import pandas as pd
import pytest
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from municipal_survey.analysis import waves
from municipal_survey.analysis.disclosure import MIN_COUNT as T  # the book's threshold (data/settings.yml)
from municipal_survey.analysis.disclosure import paired_change_reason

Z = 1.959963984540054


def wilson(k: int, n: int, population: int | None = None) -> tuple[float, float]:
    """Wilson's score interval written out (with the finite-population correction when given)."""
    z = Z * (math.sqrt((population - n) / (population - 1)) if population else 1)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def answers(first: dict[str, int], second: dict[str, int], question: str = "q") -> pd.DataFrame:
    """Tidy responses of one question in two waves from {municipality: answer code}."""
    rows = [(2020, m, question, a) for m, a in first.items()] + [(2022, m, question, a) for m, a in second.items()]
    return pd.DataFrame(rows, columns=["wave", "municipality", "question", "answer"])


def codes(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{i:02d}" for i in range(count)]


def test_the_unpaired_interval_is_newcombes_hybrid_score_interval():
    # Without the finite-population correction the combination of two Wilson intervals is statsmodels'
    # "newcomb" interval for two independent proportions.
    k1, n1, k2, n2 = 38, 90, 52, 85
    one = (k1 / n1, *proportion_confint(k1, n1, method="wilson"))
    two = (k2 / n2, *proportion_confint(k2, n2, method="wilson"))
    expected = confint_proportions_2indep(k2, n2, k1, n1, method="newcomb", compare="diff")
    assert waves.combined_interval(one, two) == pytest.approx(expected, abs=1e-9)


def test_a_paired_change_hand_counted():
    # 30 municipalities answer both waves: 8 yes-yes, 6 yes-then-no (b), 9 no-then-yes (c), 7 no-no.
    # "Yes" is 4 or 3 (i høj eller meget høj grad); 8 (ved ikke) counts as an answer that is not yes.
    first, second = {}, {}
    for i, (one, two) in enumerate([(4, 3)] * 8 + [(3, 2)] * 6 + [(1, 4)] * 9 + [(2, 8)] * 7):
        first[f"m{i:02d}"], second[f"m{i:02d}"] = one, two
    row = waves.item_changes(answers(first, second), ["q"], 2020, 2022).loc["q"]
    assert (row["m"], row["b"], row["c"]) == (30, 6, 9)
    assert (row["k_first"], row["n_first"], row["k_second"], row["n_second"]) == (14, 30, 17, 30)
    assert row["method"] == waves.PAIRED and row["paired_reason"] == ""
    assert row["change"] == pytest.approx(17 / 30 - 14 / 30)
    # Newcombe's method 10 (every municipality in both waves) with the limits in the frame of 98:
    a, b, c, d = 8, 6, 9, 7
    phi = (a * d - b * c) / math.sqrt((a + b) * (c + d) * (a + c) * (b + d))
    p1, p2 = 14 / 30, 17 / 30
    l1, u1 = wilson(14, 30, 98)
    l2, u2 = wilson(17, 30, 98)
    low = (p2 - p1) - math.sqrt((p2 - l2) ** 2 - 2 * phi * (p2 - l2) * (u1 - p1) + (u1 - p1) ** 2)
    high = (p2 - p1) + math.sqrt((u2 - p2) ** 2 - 2 * phi * (u2 - p2) * (p1 - l1) + (p1 - l1) ** 2)
    assert (row["change_low"], row["change_high"]) == pytest.approx((low, high), abs=1e-12)


def test_partly_overlapping_waves_weigh_the_pairs_correlation_by_their_share():
    # 20 answer both (10 yes-yes, 5 yes-then-no, 5 no-then-yes, none no-no), 4 only the first wave (no),
    # 6 only the second (yes).
    first, second = {}, {}
    for i, (one, two) in enumerate([(4, 4)] * 10 + [(4, 1)] * 5 + [(1, 4)] * 5):
        first[f"p{i:02d}"], second[f"p{i:02d}"] = one, two
    first.update({f"f{i}": 1 for i in range(4)})
    second.update({f"s{i}": 3 for i in range(6)})
    row = waves.item_changes(answers(first, second), ["q"], 2020, 2022).loc["q"]
    assert (row["n_first"], row["k_first"], row["n_second"], row["k_second"], row["m"]) == (24, 15, 26, 21, 20)
    a, b, c, d = 10, 5, 5, 0
    phi = (a * d - b * c) / math.sqrt((a + b) * (c + d) * (a + c) * (b + d))
    assert row["correlation"] == pytest.approx(phi * 20 / math.sqrt(24 * 26))
    assert row["change"] == pytest.approx(21 / 26 - 15 / 24)  # the difference of the shares shown


def test_fewer_than_the_threshold_switching_one_way_gives_the_unpaired_interval_which_ignores_the_pairing():
    # T - 1 municipalities go from yes to no: a paired interval would tell how many, so it is not used.
    # 24 say yes in the first wave and 32 in the second, whatever the threshold T.
    pattern = [(4, 4)] * (25 - T) + [(4, 1)] * (T - 1) + [(1, 4)] * (T + 7) + [(1, 1)] * (19 - T)
    first = {f"m{i:02d}": one for i, (one, _) in enumerate(pattern)}
    second = {f"m{i:02d}": two for i, (_, two) in enumerate(pattern)}
    row = waves.item_changes(answers(first, second), ["q"], 2020, 2022).loc["q"]
    assert (row["b"], row["c"], row["method"]) == (T - 1, T + 7, waves.UNPAIRED)
    assert row["paired_reason"] == f"færre end {T} kommuner har skiftet svar den ene vej"
    assert row["correlation"] == 0
    # The same shares paired otherwise (nobody goes from yes to no: 24 yes-yes, 8 no-yes, 18 no-no) give
    # the same unpaired interval ...
    repaired = [(4, 4)] * 24 + [(1, 4)] * 8 + [(1, 1)] * 18
    other = waves.item_changes(answers({f"m{i:02d}": one for i, (one, _) in enumerate(repaired)},
                                       {f"m{i:02d}": two for i, (_, two) in enumerate(repaired)}),
                               ["q"], 2020, 2022).loc["q"]
    assert (other["b"], other["c"], other["method"]) == (0, 8, waves.UNPAIRED)
    assert (other["change_low"], other["change_high"]) == (row["change_low"], row["change_high"])
    # ... and it is the combination of the two shares' intervals in the frame of 98 (inside the
    # non-response bounds: 24/98..(24 + 48)/98 and 32/98..(32 + 48)/98 hold these Wilson limits).
    p1, p2 = 24 / 50, 32 / 50
    l1, u1 = wilson(24, 50, 98)
    l2, u2 = wilson(32, 50, 98)
    assert (row["change_low"], row["change_high"]) == pytest.approx(
        ((p2 - p1) - math.hypot(p2 - l2, u1 - p1), (p2 - p1) + math.hypot(u2 - p2, p1 - l1)), abs=1e-12)


def test_the_threshold_switching_each_way_may_be_paired():
    assert paired_change_reason(T, T) == ""
    assert paired_change_reason(T, T - 1) and paired_change_reason(0, 6 * T)


def test_questions_not_asked_in_both_waves_are_left_out():
    frame = pd.concat([answers({"a": 4, "b": 1}, {"a": 4}, "q1"), answers({"a": 4}, {}, "q2")])
    assert list(waves.item_changes(frame, ["q2", "q1", "q3"], 2020, 2022).index) == ["q1"]


def test_the_wave_compared_is_the_nearest_other_the_later_on_a_tie():
    assert waves.comparison_wave([2020], 2020) is None
    assert waves.comparison_wave([2018, 2020, 2022], 2020) == 2022
    assert waves.comparison_wave([2019, 2020, 2024], 2020) == 2019
    assert waves.comparison_wave([2020, 2022], 2022) == 2020


def test_largest_changes_either_way_and_intervals_without_zero():
    table = pd.DataFrame({"change": [0.02, -0.15, 0.09, 0.15], "change_low": [-0.03, -0.2, 0.01, -0.01],
                          "change_high": [0.07, -0.1, 0.17, 0.31]}, index=["a", "b", "c", "d"])
    assert list(waves.largest_changes(table, 3).index) == ["b", "d", "c"]  # a tie in the table's order
    assert list(waves.excludes_zero(table)) == [False, True, True, False]
