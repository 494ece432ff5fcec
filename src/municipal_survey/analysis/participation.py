"""Who answered: the responding municipalities against all 98, on what the register knows.

The intervals of the book assume that the municipalities that did not answer resemble those that
did. This compares them on the public facts (population), without showing which municipalities did
not answer: only the responding ones and all 98 are described, never the few that did not answer.

A summary of the participants still tells something about the others: with the register in hand, a
reader can try every set of municipalities that could have stayed away and keep those that give the
shown total and median (`absent_sets`). The participants' figures are shown only when at least
`MIN_COUNT` municipalities stayed away, none of them is in every set that fits (named), and at least
`MIN_COUNT` sets fit (`summary_reason`).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations
from math import comb

import numpy as np
import pandas as pd

from ..data.survey import Survey
from .disclosure import MIN_COUNT

MEDIAN_STEP = 1000  # the median population is shown rounded to whole thousands
EXHAUSTIVE_SETS = 300_000  # up to this many possible sets of absent municipalities, every one is tried


@dataclass(frozen=True)
class Summary:
    """What a page shows of the populations of a set of municipalities: how many they are, and the
    windows their total and their median population lie in (None: not shown)."""

    count: int
    total: tuple[float, float] | None = None
    median: tuple[float, float] | None = None


@dataclass(frozen=True)
class AbsentSearch:
    """The sets of left-out municipalities that fit a summary: those left out in every set found
    (`named`), how many distinct sets were found (at most `enough`), and whether every possible set
    was tried (otherwise the sets were found by exchanging members of the true one, and `named` holds
    the municipalities no exchange could clear)."""

    named: tuple[str, ...]
    consistent: int
    exhaustive: bool


def _complement_medians(sorted_values: np.ndarray, absent: np.ndarray) -> np.ndarray:
    """The median of the values not at the (ascending) positions of each row of `absent`."""
    n = len(sorted_values) - absent.shape[1]
    ranks = (n // 2,) if n % 2 else (n // 2 - 1, n // 2)
    picked = []
    for rank in ranks:
        position = np.full(len(absent), rank)
        for column in absent.T:  # skip every absent position at or below the one reached so far
            position = position + (column <= position)
        picked.append(sorted_values[position])
    return np.mean(picked, axis=0)


def _fits(sorted_values: np.ndarray, absent: np.ndarray, summary: Summary) -> np.ndarray:
    ok = np.ones(len(absent), dtype=bool)
    if summary.total is not None:
        total = sorted_values.sum() - sorted_values[absent].sum(axis=1)
        ok &= (total >= summary.total[0]) & (total <= summary.total[1])
    if summary.median is not None:
        median = _complement_medians(sorted_values, np.sort(absent, axis=1))
        ok &= (median >= summary.median[0]) & (median <= summary.median[1])
    return ok


def absent_sets(populations: pd.Series, members, summary: Summary, enough: int = MIN_COUNT) -> AbsentSearch:
    """Which municipalities a reader can name as left out of `members` (the set the summary describes,
    e.g. the participants), knowing every municipality's population (`populations`, index kommunekode)
    and the shown `summary`. Every possible set is tried when there are at most EXHAUSTIVE_SETS;
    otherwise each left-out municipality is cleared by sets that fit without it, made from the true set
    by exchanges (`_sets_without`)."""
    order = np.argsort(populations.to_numpy(), kind="stable")
    codes = populations.index.to_numpy()[order]
    values = populations.to_numpy(dtype=float)[order]
    inside = np.isin(codes, list(members))
    if int(inside.sum()) != summary.count:
        raise ValueError(f"the summary counts {summary.count} municipalities, the set holds {int(inside.sum())}")
    true_absent = np.flatnonzero(~inside)
    m = len(true_absent)
    if m == 0:
        return AbsentSearch((), 1, True)
    if not _fits(values, true_absent[None, :], summary)[0]:
        raise ValueError("the summary does not fit the municipalities it describes")
    if comb(len(values), m) <= EXHAUSTIVE_SETS:
        every = np.array(list(combinations(range(len(values)), m)), dtype=np.intp)
        fitting = every[_fits(values, every, summary)]
        named = set(fitting[0]).intersection(*map(set, fitting[1:]))
        return AbsentSearch(tuple(sorted(codes[sorted(named)])), min(len(fitting), enough), True)
    found = {tuple(true_absent)}
    uncleared = []
    for i in true_absent:
        cleared = _sets_without(values, true_absent, i, summary, want=enough)
        if not cleared:
            uncleared.append(i)
        found.update(cleared)
    return AbsentSearch(tuple(sorted(codes[uncleared])), min(len(found), enough), False)


def _misfit(values: np.ndarray, absent: np.ndarray, summary: Summary) -> np.ndarray:
    """How far each set's total and median lie outside the summary's windows (0: the set fits), each
    measured in its window's width."""
    def outside(value, window):
        width = max(window[1] - window[0], 1.0)
        return (np.maximum(window[0] - value, 0) + np.maximum(value - window[1], 0)) / width

    score = np.zeros(len(absent))
    if summary.total is not None:
        score += outside(values.sum() - values[absent].sum(axis=1), summary.total)
    if summary.median is not None:
        score += outside(_complement_medians(values, np.sort(absent, axis=1)), summary.median)
    return score


def _sets_without(values: np.ndarray, true_absent: np.ndarray, i: int, summary: Summary, want: int,
                  starts: int = 8, steps: int = 200) -> list[tuple[int, ...]]:
    """Up to `want` sets of absent positions that fit the summary and leave out position `i`: the true
    set with `i` exchanged for one of the `starts` municipalities closest to it in population, then one
    exchange at a time (an absent position for a present one, never `i`), each the one that brings the
    set closest to the summary, until it fits."""
    found: list[tuple[int, ...]] = []
    others = np.setdiff1d(np.arange(len(values)), np.append(true_absent, i))
    for replacement in others[np.argsort(np.abs(values[others] - values[i]), kind="stable")[:starts]]:
        current = np.sort(np.where(true_absent == i, replacement, true_absent))
        score = _misfit(values, current[None, :], summary)[0]
        for _ in range(steps):
            if score == 0:
                break
            present = np.setdiff1d(np.arange(len(values)), np.append(current, i))
            slot, incoming = np.meshgrid(np.arange(len(current)), present, indexing="ij")
            trial = np.repeat(current[None, :], slot.size, axis=0)
            trial[np.arange(slot.size), slot.ravel()] = incoming.ravel()
            scores = _misfit(values, trial, summary)
            best = int(np.argmin(scores))
            if scores[best] >= score:
                break
            current, score = np.sort(trial[best]), scores[best]
        if score == 0 and tuple(int(p) for p in current) not in found:
            found.append(tuple(int(p) for p in current))
            if len(found) >= want:
                break
    return found


def summary_reason(populations: pd.Series, members, summary: Summary, min_count: int = MIN_COUNT,
                   left_out: str = "er udeladt", number: Callable[[int], str] = str) -> str:
    """Why a summary of `members` may not be shown ("" when it may), in Danish; `left_out` says what
    the others did ("ikke deltog"), `number` writes a count in running text."""
    absent = len(populations) - summary.count
    if absent < min_count:
        return (f"kun {number(absent)} kommuner {left_out}, og holdt op mod kommuneregistret kunne tallene "
                "pege på, hvilke det er")
    search = absent_sets(populations, members, summary, enough=min_count)
    if search.named:
        return f"holdt op mod kommuneregistret ville tallene pege på en kommune, der {left_out}"
    if search.consistent < min_count:
        return (f"holdt op mod kommuneregistret ville tallene efterlade færre end {number(min_count)} mulige "
                f"sæt af kommuner, der {left_out}")
    return ""


def shown_summary(populations: pd.Series, members, median_step: int = MEDIAN_STEP) -> tuple[Summary, int, int]:
    """The summary as the data page shows it: the members' share of the population in whole pct. (a
    window for their total) and their median rounded to `median_step`. Returns it with the shown share
    and median."""
    from .rounding import round_half_away

    everyone = float(populations.sum())
    chosen = populations[populations.index.isin(list(members))]
    share = int(round_half_away(100 * chosen.sum() / everyone))
    median = int(round_half_away(float(chosen.median()) / median_step) * median_step)
    summary = Summary(len(chosen), ((share - 0.5) / 100 * everyone, (share + 0.5) / 100 * everyone),
                      (median - median_step / 2, median + median_step / 2))
    return summary, share, median


@dataclass(frozen=True)
class Coverage:
    """The data page's comparison: one row each for the participants and all municipalities (number,
    share of the population in pct., median population rounded to whole thousands); the participants'
    share and median are None when `reason` (Danish) says they may not be shown."""

    table: pd.DataFrame
    reason: str


def coverage(survey: Survey, min_count: int = MIN_COUNT, number: Callable[[int], str] = str) -> Coverage:
    """Rows "Deltagende kommuner" and "Alle kommuner" (see Coverage); `number` writes a count in the
    reason's running text."""
    populations = survey.register.set_index("code")["population"]
    participants = set(survey.responses["municipality"])
    summary, share, median = shown_summary(populations, participants)
    reason = summary_reason(populations, participants, summary, min_count, left_out="ikke deltog", number=number)
    _, _, all_median = shown_summary(populations, set(populations.index))
    rows = [{"Kommuner": "Deltagende kommuner", "Antal": summary.count,
             "Andel af befolkningen (pct.)": None if reason else share,
             "Median folketal (hele tusinder)": None if reason else median},
            {"Kommuner": "Alle kommuner", "Antal": len(populations), "Andel af befolkningen (pct.)": 100,
             "Median folketal (hele tusinder)": all_median}]
    return Coverage(pd.DataFrame(rows), reason)
