import pytest

from municipal_survey.analysis.rounding import counts_for_percent, percent, round_half_away


@pytest.mark.parametrize(("value", "digits", "expected"), [
    (0.5, 0, 1.0), (1.5, 0, 2.0), (2.5, 0, 3.0), (-2.5, 0, -3.0), (2.675, 2, 2.68), (2.45, 1, 2.5),
    (44.49, 0, 44.0),
])
def test_round_half_away_from_zero_not_bankers(value, digits, expected):
    assert round_half_away(value, digits) == expected


def test_python_round_would_differ_on_halves():
    # The reason this module exists: Python rounds 2.5 to 2 (banker's rounding); the report gives 3.
    assert round(2.5) == 2 and round_half_away(2.5) == 3


@pytest.mark.parametrize(("count", "total", "expected"), [
    (39, 85, 46), (1, 8, 13), (1, 200, 1), (1, 40, 3), (17, 40, 43), (0, 85, 0), (85, 85, 100),
])
def test_percent_exact_half_rounds_up(count, total, expected):
    # 1/8 = 12.5 % -> 13; 1/40 = 2.5 % -> 3; 17/40 = 42.5 % -> 43
    assert percent(count, total) == expected


def test_percent_rejects_empty_total():
    with pytest.raises(ValueError, match="positive total"):
        percent(1, 0)


def test_counts_for_percent_finds_every_count_and_none():
    assert counts_for_percent(46, 85) == [39]
    assert counts_for_percent(50, 200) == [99, 100]  # 49.5 -> 50; 50.5 -> 51 is excluded
    assert counts_for_percent(1, 20) == []  # 1/20 = 5 %: no count gives 1 %
