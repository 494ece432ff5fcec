"""The report's published numbers: a dated, immutable snapshot (data/published/published_*.csv).

A file may carry a `wave` column (the survey year its numbers describe); a file without it holds
numbers of the report the snapshot was taken of (UNMARKED_WAVE). Another wave's report is thus one more
file, not new code.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import paths
from .errors import DataError, Problem
from .settings import book_wave
from .tables import read_all, where

# The report these files snapshot (Socialstyrelsen, May 2021) describes the survey of autumn 2020: a
# file without a `wave` column holds that wave's numbers. A fact about the files, not a setting.
UNMARKED_WAVE = 2020
REPORT_DATE_DA = "27. maj 2021"  # the date of that report
BOOK = "book"  # load_published's default: the wave the book reports on (data/settings.yml)

PUBLISHED_COLUMNS = ["id", "section", "figure", "question", "statistic", "value", "tolerance",
                     "conflicts_with", "quote", "note"]
STATISTICS = ("share_top2", "share_mindre", "n", "n_min", "n_max", "count_ticked", "ticks_total",
              "mean_count", "participation_pct", "external", "pattern_count", "rank_order")


def _number(text: str) -> float | None:
    text = text.strip().replace(",", ".")
    if not text:
        return None
    return float(text)


def load_published(directory: Path | None = None, wave: int | str | None = BOOK) -> pd.DataFrame:
    """Load and validate every published_*.csv; value, tolerance and wave become numbers.

    By default only the numbers of the book's wave (what the chapters reproduce); `wave=None` returns
    every wave, a year returns that wave (the synthetic data is calibrated to its own wave's numbers).
    """
    directory = directory or paths.PUBLISHED_DIR
    if wave == BOOK:
        wave = book_wave()
    raw = read_all(directory, "published_*.csv", PUBLISHED_COLUMNS, optional={"wave": str(UNMARKED_WAVE)})
    problems: list[Problem] = []
    for i in raw.index:
        if not raw.at[i, "wave"].strip().isdigit():
            problems.append(Problem(*where(raw, i), "wave", raw.at[i, "wave"], "a survey year such as 2020"))
    ids = set()
    values, tolerances = [], []
    for i in raw.index:
        file, row = where(raw, i)
        pid = raw.at[i, "id"].strip()
        if not pid or pid in ids:
            problems.append(Problem(file, row, "id", pid, "a unique, non-empty id"))
        ids.add(pid)
        if raw.at[i, "statistic"] not in STATISTICS:
            problems.append(Problem(file, row, "statistic", raw.at[i, "statistic"],
                                    f"one of {', '.join(STATISTICS)}"))
        try:
            values.append(_number(raw.at[i, "value"]))
            if values[-1] is None:
                problems.append(Problem(file, row, "value", "", "a number"))
        except ValueError:
            values.append(None)
            problems.append(Problem(file, row, "value", raw.at[i, "value"], "a number"))
        try:
            tolerances.append(_number(raw.at[i, "tolerance"]) or 0.0)
        except ValueError:
            tolerances.append(0.0)
            problems.append(Problem(file, row, "tolerance", raw.at[i, "tolerance"], "a number or blank"))
        if not raw.at[i, "quote"].strip():
            problems.append(Problem(file, row, "quote", "", "a short quote from the report"))
    for i in raw.index:
        target = raw.at[i, "conflicts_with"].strip()
        if target and target not in ids:
            problems.append(Problem(*where(raw, i), "conflicts_with", target, "the id of another row"))
    if problems:
        raise DataError(problems)
    out = raw.copy()
    out["value"] = values
    out["tolerance"] = tolerances
    out["wave"] = out["wave"].astype(int)
    if wave is not None:
        out = out[out["wave"] == wave]
    return out.reset_index(drop=True)


def calibration_targets(published: pd.DataFrame, statistic: str) -> dict[str, float]:
    """question -> value for one statistic, from rows that are targets (no conflict, no tolerance).

    A question with two target rows that disagree is an error: the snapshot must mark one of them
    with conflicts_with.
    """
    rows = published[(published["statistic"] == statistic) & (published["conflicts_with"] == "")
                     & (published["tolerance"] == 0) & (published["question"] != "")]
    targets: dict[str, float] = {}
    problems = []
    for i in rows.index:
        qid, value = rows.at[i, "question"], rows.at[i, "value"]
        if qid in targets and targets[qid] != value:
            problems.append(Problem(*where(rows, i), "value", value,
                                    f"{targets[qid]} as in another row for {qid}, or conflicts_with set"))
        targets[qid] = value
    if problems:
        raise DataError(problems)
    return targets
