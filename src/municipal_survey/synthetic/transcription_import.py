"""Importing a filled transcription sheet: check it, compare two transcriptions, make the dated rows of
the published table, recalibrate the synthetic data to them and verify every published number, all in
memory. The caller writes the snapshot and the responses only when all of it succeeded.
"""
from __future__ import annotations

import datetime
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..analysis.transcription import check_entries, compare_entries, expected_numbers, published_rows
from ..analysis.verification import failures, verify
from ..data import paths
from ..data.codebook import load_codebook, load_report_contents, load_topics
from ..data.errors import DataError, Problem
from ..data.published import load_published
from ..data.register import load_register
from ..data.transcribed import id_prefix, snapshot_csv, snapshot_path
from ..data.transcription_sheet import VALUE_COLUMN, Cell, read_sheet
from .assumptions import load_assumptions
from .generator import generate, participants_from

COMMAND_LINE = "command line"


@dataclass
class Prepared:
    """What an import writes (snapshot bytes to `snapshot`, the regenerated responses) and what it found."""

    rows: pd.DataFrame
    snapshot: Path
    snapshot_bytes: bytes
    responses: pd.DataFrame | None
    verified: pd.DataFrame | None
    unchanged: int


def _arguments(files: list[Path], transcribers: list[str], date: str) -> list[Problem]:
    problems = []
    if len(transcribers) != len(files) or any(not t.strip() for t in transcribers):
        problems.append(Problem(COMMAND_LINE, None, "--transcriber", transcribers,
                                f"one name per sheet ({len(files)}), in the order of the sheets"))
    elif len(set(transcribers)) != len(transcribers):
        problems.append(Problem(COMMAND_LINE, None, "--transcriber", transcribers,
                                "two different people for two independent transcriptions"))
    try:
        datetime.date.fromisoformat(date)
    except ValueError:
        problems.append(Problem(COMMAND_LINE, None, "--date", date, "the date of the transcription as YYYY-MM-DD"))
    return problems


def _at_sheet(problem: Problem, cells: list[Cell], plan: pd.DataFrame) -> Problem:
    """A problem the generator or the verification found about a question, moved to the sheet's row of
    that question's first number (so it names file, sheet, row and column like every other)."""
    named = {q.strip() for q in str(problem.column or "").split(";")}
    # A problem of several questions is one of their figure: its N row; else the question's first number.
    whole_figure = plan["question"].eq("") & plan["questions"].map(lambda qs: len(named) > 1 and named <= set(qs))
    keys = [set(plan.loc[whole_figure, "key"]), set(plan.loc[plan["question"].isin(named), "key"])]
    first = next((c for wanted in keys for c in cells if c.key in wanted and c.value is not None), None)
    if first is None:
        return problem
    subject = problem.column if len(named) == 1 else "the figure's items"
    return Problem(first.file, first.row, VALUE_COLUMN, problem.value,
                   f"numbers the synthetic data can reproduce with the report's others ({subject}: "
                   f"{problem.expected})")


def prepare(files: list[Path], transcribers: list[str], date: str) -> Prepared:
    """Everything an import would write, or DataError listing every problem (nothing is written)."""
    problems = _arguments(files, transcribers, date)
    published = load_published()
    codebook = load_codebook()
    plan = expected_numbers(codebook, load_topics(), published, load_report_contents(),
                            participants_from(published))
    sheets, readable = [], True
    for path in files:
        cells, read_problems = read_sheet(Path(path), list(plan["key"]))
        problems += read_problems
        shaped = not any(p.structural for p in read_problems)
        if shaped:
            problems += check_entries(cells, plan, codebook, published)
        readable = readable and shaped
        sheets.append(cells)
    if len(sheets) == 2 and readable:
        problems += compare_entries(*sheets)
    if problems:
        raise DataError(problems)
    cells = sheets[0]
    remarks: dict[str, str] = {}
    for cell in (c for sheet in sheets for c in sheet if c.remark):
        remarks[cell.key] = f"{remarks[cell.key]}; {cell.remark}" if cell.key in remarks else cell.remark
    target = snapshot_path(paths.PUBLISHED_DIR, date)
    rows, unchanged = published_rows(cells, plan, published, transcribers, date, id_prefix(target), remarks)
    payload = snapshot_csv(rows)
    if rows.empty:
        return Prepared(rows, target, payload, None, None, unchanged)
    # The published table as it will read with the new file: loaded through the same validation.
    with tempfile.TemporaryDirectory() as tmp:
        for existing in paths.PUBLISHED_DIR.glob("published_*.csv"):
            shutil.copy(existing, tmp)
        (Path(tmp) / target.name).write_bytes(payload)
        updated = load_published(Path(tmp))
    try:
        responses = generate(codebook, load_register(), updated, load_assumptions())
    except DataError as error:
        raise DataError([_at_sheet(p, cells, plan) for p in error.problems]) from None
    table = verify(updated, responses, codebook)
    bad = failures(table)
    if len(bad):
        raise DataError([_at_sheet(Problem("data/published", row.id, row.question, row.recomputed,
                                           f"{row.value:g} ({row.statistic}), as the report's row {row.id} says; "
                                           "the transcribed numbers give another value"), cells, plan)
                         for row in bad.itertuples(index=False)])
    return Prepared(rows, target, payload, responses, table, unchanged)
