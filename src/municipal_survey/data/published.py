"""The report's published numbers: a dated, immutable snapshot (data/published/published_*.csv).

A file may carry a `wave` column (the survey year its numbers describe); a file without it holds
numbers of the report the snapshot was taken of (UNMARKED_WAVE). Another wave's report is thus one more
file, not new code.

Numbers transcribed from the report's PDF come as their own dated files (published_transcribed_*.csv)
with the columns `source` (the report's page), `transcribed_by` and `transcribed_on`. A correction of
an earlier row is a new row naming it in `supersedes`: the earlier row stays, but is no longer a target.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import paths
from .codebook import figure_questions
from .errors import DataError, Problem
from .settings import book_wave
from .tables import place, read_all, where

# The report these files snapshot (Socialstyrelsen, May 2021) describes the survey of autumn 2020: a
# file without a `wave` column holds that wave's numbers. A fact about the files, not a setting.
UNMARKED_WAVE = 2020
REPORT_DATE_DA = "27. maj 2021"  # the date of that report
BOOK = "book"  # load_published's default: the wave the book reports on (data/settings.yml)

PUBLISHED_COLUMNS = ["id", "section", "figure", "question", "statistic", "value", "tolerance",
                     "conflicts_with", "quote", "note"]
# The share of each answer category of a likert item (share_mindre, "i mindre grad", is the oldest).
CATEGORY_STATISTICS = {4: "share_meget_hoej", 3: "share_hoej", 2: "share_mindre", 1: "share_slet_ikke",
                       8: "share_ved_ikke", 9: "share_ikke_relevant"}
STATISTICS = ("share_top2", *CATEGORY_STATISTICS.values(), "n", "n_min", "n_max", "count_ticked",
              "ticks_total", "mean_count", "participation_pct", "external", "pattern_count", "rank_order")
# Columns a file may leave out (name -> value for its rows).
OPTIONAL_COLUMNS = {"wave": str(UNMARKED_WAVE), "source": "", "transcribed_by": "", "transcribed_on": "",
                    "supersedes": ""}


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
    raw = read_all(directory, "published_*.csv", PUBLISHED_COLUMNS, optional=OPTIONAL_COLUMNS)
    # Plain records: a cell read by raw.at costs more than all the checks on it.
    records = raw.to_dict("records")
    problems: list[Problem] = []
    for record in records:
        if not record["wave"].strip().isdigit():
            problems.append(Problem(*place(record), "wave", record["wave"], "a survey year such as 2020"))
    ids = set()
    values, tolerances = [], []
    for record in records:
        file, row = place(record)
        pid = record["id"].strip()
        if not pid or pid in ids:
            problems.append(Problem(file, row, "id", pid, "a unique, non-empty id"))
        ids.add(pid)
        if record["statistic"] not in STATISTICS:
            problems.append(Problem(file, row, "statistic", record["statistic"],
                                    f"one of {', '.join(STATISTICS)}"))
        try:
            values.append(_number(record["value"]))
            if values[-1] is None:
                problems.append(Problem(file, row, "value", "", "a number"))
        except ValueError:
            values.append(None)
            problems.append(Problem(file, row, "value", record["value"], "a number"))
        try:
            tolerances.append(_number(record["tolerance"]) or 0.0)
        except ValueError:
            tolerances.append(0.0)
            problems.append(Problem(file, row, "tolerance", record["tolerance"], "a number or blank"))
        if not record["quote"].strip():
            problems.append(Problem(file, row, "quote", "", "a short quote from the report"))
    for record in records:
        for column in ("conflicts_with", "supersedes"):
            target = record[column].strip()
            if target and (target not in ids or target == record["id"].strip()):
                problems.append(Problem(*place(record), column, target, "the id of another row"))
    if problems:
        raise DataError(problems)
    out = raw.copy()
    out["value"] = values
    out["tolerance"] = tolerances
    out["wave"] = out["wave"].astype(int)
    if wave is not None:
        out = out[out["wave"] == wave]
    return out.reset_index(drop=True)


def superseded_ids(published: pd.DataFrame) -> set[str]:
    """Ids of rows that a later row corrects (named in its `supersedes`)."""
    if "supersedes" not in published.columns:
        return set()
    return set(published["supersedes"].astype(str).str.strip()) - {""}


def targets(published: pd.DataFrame) -> pd.DataFrame:
    """The rows the data must reproduce exactly: no conflict, no tolerance, not superseded."""
    kept = published[(published["conflicts_with"] == "") & (published["tolerance"] == 0)]
    superseded = superseded_ids(published)
    return kept[~kept["id"].isin(superseded)] if superseded else kept


def calibration_targets(published: pd.DataFrame, statistic: str) -> dict[str, float]:
    """question -> value for one statistic, from rows that are targets (no conflict, no tolerance,
    not superseded).

    A question with two target rows that disagree is an error: the snapshot must mark one of them
    with conflicts_with, or the later one must name the earlier in supersedes.
    """
    rows = targets(published)
    rows = rows[(rows["statistic"] == statistic) & (rows["question"] != "")]
    found: dict[str, float] = {}
    problems = []
    for i, qid, value in zip(rows.index, rows["question"], rows["value"]):
        if qid in found and found[qid] != value:
            problems.append(Problem(*where(rows, i), "value", value,
                                    f"{found[qid]} as in another row for {qid}, or conflicts_with set"))
        found[qid] = value
    if problems:
        raise DataError(problems)
    return found


def figure_n_bounds(published: pd.DataFrame, codebook: pd.DataFrame) -> list[tuple[list[str], int, int]]:
    """Each N range the report prints under a figure: (its likert questions, smallest N, largest N).

    An n_min/n_max pair names its figure, or lists its questions in `question` (separated by ";")
    where the figure's number is not known.
    """
    rows = targets(published)
    ends: dict[tuple[str, str], dict[str, int]] = {}
    for record in rows[rows["statistic"].isin(["n_min", "n_max"])].to_dict("records"):
        ends.setdefault((record["figure"], record["question"]), {})[record["statistic"]] = int(record["value"])
    bounds = []
    for (figure, listed), pair in ends.items():
        if set(pair) != {"n_min", "n_max"}:
            continue
        if listed:
            questions = [q.strip() for q in listed.split(";")]
        else:
            shown = figure_questions(codebook, figure)
            questions = list(shown.loc[shown["kind"] == "likert", "question"])
        bounds.append((questions, pair["n_min"], pair["n_max"]))
    return bounds


def figure_n_ranges(published: pd.DataFrame, codebook: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """question -> the (smallest, largest) N printed under its figure; the intersection for a question
    shown in two figures."""
    ranges: dict[str, tuple[int, int]] = {}
    for questions, low, high in figure_n_bounds(published, codebook):
        for question in questions:
            before = ranges.get(question, (low, high))
            ranges[question] = (max(before[0], low), min(before[1], high))
    return ranges
