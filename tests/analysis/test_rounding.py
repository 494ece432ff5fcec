import math
from decimal import Decimal
from fractions import Fraction

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


@pytest.mark.parametrize(("value", "digits", "expected"), [
    (-0.5, 0, -1.0), (-1.5, 0, -2.0), (-2.675, 2, -2.68), (-0.45, 1, -0.5), (-44.49, 0, -44.0),
    (0.05, 1, 0.1), (1234.5, 0, 1235.0), (0.0, 2, 0.0),
])
def test_negative_numbers_and_other_half_boundaries(value, digits, expected):
    # Away from zero on both sides: -0.5 -> -1 (Python's round gives -0.0), -2.675 -> -2.68.
    assert round_half_away(value, digits) == expected


@pytest.mark.parametrize(("value", "digits", "expected"), [
    (Fraction(1, 2), 0, 1.0),  # 0.5 exactly
    (Fraction(5, 8), 2, 0.63),  # 0.625 -> 0.63
    (Fraction(39, 85), 3, 0.459),  # 0.45882... -> 0.459
    (Fraction(-5, 2), 0, -3.0),  # -2.5 -> -3
    (Fraction(1, 3), 2, 0.33),  # 0.333... -> 0.33
    (Fraction(200, 3), 1, 66.7),  # 66.666... -> 66.7
])
def test_fractions_round_exactly(value, digits, expected):
    # A Fraction is divided as decimals (numerator / denominator), never through a float.
    assert round_half_away(value, digits) == expected


def test_decimals_round_half_away():
    assert round_half_away(Decimal("2.5")) == 3.0 and round_half_away(Decimal("-0.125"), 2) == -0.13


def test_infinities_and_nan_are_returned_unchanged():
    assert round_half_away(math.inf) == math.inf and round_half_away(-math.inf, 2) == -math.inf
    assert math.isnan(round_half_away(math.nan))


def test_percent_rejects_a_negative_count_naming_it():
    with pytest.raises(ValueError, match="a count cannot be negative, got -1"):
        percent(-1, 10)
    with pytest.raises(ValueError, match="a percentage needs a positive total, got -3"):
        percent(1, -3)


def test_counts_for_percent_never_exceeds_the_total():
    # 299/300 = 99.67 % -> 100 and 300/300 = 100 %; 301 would round to 100 too but is not a count of 300.
    assert counts_for_percent(100, 300) == [299, 300]
    assert counts_for_percent(0, 300) == [0, 1]  # 1/300 = 0.33 % -> 0; 2/300 = 0.67 % -> 1
