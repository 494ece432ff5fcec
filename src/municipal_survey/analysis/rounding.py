"""Rounding as the report (and a spreadsheet) does it: half away from zero, never banker's rounding."""
from __future__ import annotations

import itertools
import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def round_half_away(value: float | Fraction | Decimal, digits: int = 0) -> float:
    """Round half away from zero. Works on the decimal text of a float, so 2.675 -> 2.68, 0.5 -> 1."""
    if isinstance(value, float) and not math.isfinite(value):
        return value
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    exponent = Decimal(1).scaleb(-digits)
    return float(Decimal(str(value)).quantize(exponent, rounding=ROUND_HALF_UP))


def percent(count: int, total: int) -> int:
    """Whole-number percentage of count/total, rounded half away from zero with exact arithmetic."""
    if total <= 0:
        raise ValueError(f"a percentage needs a positive total, got {total}")
    if count < 0:
        raise ValueError(f"a count cannot be negative, got {count}")
    # floor(100*count/total + 1/2) computed on integers: no floating-point edge cases.
    return (200 * count + total) // (2 * total)


def counts_for_percent(pct: int, total: int) -> list[int]:
    """Every count k in 0..total whose percentage of `total` rounds to `pct` (may be empty)."""
    return [k for k in range(total + 1) if percent(k, total) == pct]


def counts_for_shares(pcts: dict[int, int], total: int, top2: int | None = None) -> dict[int, int] | None:
    """Whole counts, one per category, that add up to `total` and whose percentages of `total` round to
    `pcts` (category -> whole percent); with `top2`, the counts of categories 4 and 3 together must
    round to it too. The first such counts in ascending order, or None when there are none."""
    candidates = [counts_for_percent(pct, total) for pct in pcts.values()]
    for combination in itertools.product(*candidates):
        if sum(combination) != total:
            continue
        counts = dict(zip(pcts, combination))
        if top2 is None or percent(counts.get(4, 0) + counts.get(3, 0), total) == top2:
            return counts
    return None
