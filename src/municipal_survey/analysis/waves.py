"""Two waves of the survey, item by item: each wave's share with its interval and the change between them.

National figures only (no breakdown). The shares are the report's: (4 + 3) among all who answered the
item in that wave, with the book's interval among the 98 municipalities (likert.share_interval: the
finite-population frame, inside the non-response bounds). The change is the later share less the
earlier one, always: the difference of the two shares the page shows. Its interval combines the two
shares' intervals (Newcombe's method: MOVER, "method of variance estimates recovery"):

- paired: the municipalities that answered the item in both waves make the two shares correlated; the
  combination then uses the correlation of the two estimates, phi * m / sqrt(n1 * n2), where phi is the
  correlation of the m pairs' answers (Newcombe's method 10 for paired data when every municipality
  answered both waves; the partially overlapping case of Derrick et al. 2015 otherwise);
- unpaired: no correlation (Newcombe's hybrid score interval for independent shares).

A paired interval gives away b (answered "i høj eller meget høj grad" only in the earlier wave) and c
(only in the later one): its width rests on them. So it is used only where both are at least the
disclosure threshold (disclosure.paired_change_reason); otherwise the unpaired one, and the table says
which.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from . import likert
from .disclosure import paired_change_reason

PAIRED, UNPAIRED = "paired", "unpaired"


def comparison_wave(waves: list[int], book_wave: int) -> int | None:
    """The wave the book's wave is compared with: the other wave nearest in time (on a tie the later);
    None when the data hold one wave."""
    others = [w for w in waves if w != book_wave]
    if not others:
        return None
    return min(others, key=lambda w: (abs(w - book_wave), -w))


def _top_two(responses: pd.DataFrame, wave: int, questions: list[str]) -> pd.Series:
    """1/0 per (question, municipality) that answered, for one wave: answered in the top two or not."""
    rows = responses[(responses["wave"] == wave) & responses["question"].isin(questions)]
    return rows.set_index(["question", "municipality"])["answer"].isin(likert.TOP_TWO).astype(int)


def combined_interval(earlier: tuple[float, float, float], later: tuple[float, float, float],
                      correlation: float = 0.0) -> tuple[float, float]:
    """The interval of the difference later - earlier of two shares from each share's own interval
    (MOVER): `earlier` and `later` are (share, low, high); `correlation` that of the two estimates
    (0 for independent samples: Newcombe's hybrid score interval)."""
    p1, l1, u1 = earlier
    p2, l2, u2 = later
    change = p2 - p1
    below = math.sqrt(max(0.0, (p2 - l2) ** 2 - 2 * correlation * (p2 - l2) * (u1 - p1) + (u1 - p1) ** 2))
    above = math.sqrt(max(0.0, (u2 - p2) ** 2 - 2 * correlation * (u2 - p2) * (p1 - l1) + (p1 - l1) ** 2))
    return max(-1.0, change - below), min(1.0, change + above)


def _phi(a: int, b: int, c: int, d: int) -> float:
    """The correlation of the paired 0/1 answers (0 when a margin is empty)."""
    denominator = (a + b) * (c + d) * (a + c) * (b + d)
    return (a * d - b * c) / math.sqrt(denominator) if denominator else 0.0


def item_changes(responses: pd.DataFrame, questions, first: int, second: int,
                 population: int = likert.POPULATION) -> pd.DataFrame:
    """Per question asked in both waves (index question, in the order given): n, k_top2, share, low and
    high of each wave (suffixes _first, _second), the pairs (m, b = yes then no, c = no then yes), the
    method (PAIRED or UNPAIRED), why a paired interval is not shown (`paired_reason`), the correlation of
    the two shares used, and the change with its interval (change, change_low, change_high; shares, not
    percentage points)."""
    questions = list(questions)
    earlier, later = _top_two(responses, first, questions), _top_two(responses, second, questions)
    rows = []
    for question in questions:
        if question not in earlier.index.get_level_values(0) or question not in later.index.get_level_values(0):
            continue
        one, two = earlier.loc[question], later.loc[question]
        row = {"question": question}
        for suffix, answers in (("first", one), ("second", two)):
            n, k = len(answers), int(answers.sum())
            low, high = likert.share_interval(k, n, population)
            row.update({f"n_{suffix}": n, f"k_{suffix}": k, f"share_{suffix}": k / n,
                        f"low_{suffix}": low, f"high_{suffix}": high})
        pairs = pd.concat([one, two], axis=1, join="inner", keys=["one", "two"])
        a = int(((pairs["one"] == 1) & (pairs["two"] == 1)).sum())
        b = int(((pairs["one"] == 1) & (pairs["two"] == 0)).sum())
        c = int(((pairs["one"] == 0) & (pairs["two"] == 1)).sum())
        m = len(pairs)
        reason = paired_change_reason(b, c)
        overlap = m / math.sqrt(row["n_first"] * row["n_second"])  # the pairs' weight in the two shares
        correlation = 0.0 if reason else _phi(a, b, c, m - a - b - c) * overlap
        low, high = combined_interval((row["share_first"], row["low_first"], row["high_first"]),
                                      (row["share_second"], row["low_second"], row["high_second"]), correlation)
        row.update({"m": m, "b": b, "c": c, "paired_reason": reason, "method": UNPAIRED if reason else PAIRED,
                    "correlation": correlation, "change": row["share_second"] - row["share_first"],
                    "change_low": low, "change_high": high})
        rows.append(row)
    columns = ["question", *(f"{s}_{w}" for w in ("first", "second") for s in ("n", "k", "share", "low", "high")),
               "m", "b", "c", "paired_reason", "method", "correlation", "change", "change_low", "change_high"]
    return pd.DataFrame(rows, columns=columns).set_index("question")


def largest_changes(changes: pd.DataFrame, count: int) -> pd.DataFrame:
    """The `count` rows with the largest change either way (ties in the table's order)."""
    order = np.argsort(-changes["change"].abs().to_numpy(), kind="stable")
    return changes.iloc[order[:count]]


def excludes_zero(changes: pd.DataFrame) -> pd.Series:
    """Whether each change's interval lies wholly above or below 0."""
    return (changes["change_low"] > 0) | (changes["change_high"] < 0)
