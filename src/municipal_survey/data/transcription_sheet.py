"""Reading a filled transcription sheet (.xlsx): the layout both the sheet's writer and its reader use,
and every cell problem named by file, sheet, row and column.

The sheet `Indtastning` has a header row and one row per number; the column `Id` says which number a
row holds (so rows may be sorted or filtered), `Værdi` holds the number as printed in the report (a
whole percent or N), `Bemærkning` the transcriber's remark. The other columns guide the reader.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem

ENTRY_SHEET = "Indtastning"
GUIDE_SHEET = "Vejledning"
KEY_COLUMN, VALUE_COLUMN, REMARK_COLUMN = "Id", "Værdi", "Bemærkning"
# The entry sheet's columns in order, with their widths in Excel's units.
COLUMNS = {"Side": 6, "Afsnit": 7, "Figur": 9, "Målgruppe / tema": 30, "Spørgsmål": 52, "Tal": 40,
           VALUE_COLUMN: 8, "Tilladt": 9, REMARK_COLUMN: 28, "Kendt fra rapporten": 36, KEY_COLUMN: 44}
REQUIRED = (KEY_COLUMN, VALUE_COLUMN)


@dataclass(frozen=True)
class Cell:
    """One number's row of a sheet as read: its key, its value (None when blank or `invalid`: not a whole
    number, reported already), its remark and place."""

    key: str
    value: int | None
    remark: str
    file: str  # "name.xlsx, sheet 'Indtastning'", as problems name it
    row: int
    column: str
    invalid: bool = False


def _place(path: Path) -> str:
    return f"{path.name}, sheet '{ENTRY_SHEET}'"


def _number(raw, number_format: str) -> tuple[int | None, str | None]:
    """A value cell's whole number, or what was expected instead."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        return None, "a whole number, not text (type the number as printed, e.g. 12)"
    if "%" in number_format:
        return None, "a whole percent as printed (12, not 12 % or 0,12)"
    if float(raw) != int(raw):
        return None, "a whole number as the report prints it (no decimals)"
    return int(raw), None


def read_sheet(path: Path, keys: list[str]) -> tuple[list[Cell], list[Problem]]:
    """The cells of a filled sheet and every problem with it: not an .xlsx file, no entry sheet, a
    required column missing from the header, a row whose Id is unknown or repeated, a value that is not
    a whole number, and a number the book expects whose row is gone. Problems with the sheet's shape
    are `structural`: after them no value can be checked."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    try:
        workbook = load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        return [], [Problem(path.name, None, None, type(error).__name__,
                            "an .xlsx file written by `python -m municipal_survey transcription sheet`",
                            structural=True)]
    if ENTRY_SHEET not in workbook.sheetnames:
        return [], [Problem(path.name, None, None, workbook.sheetnames, f"a sheet named '{ENTRY_SHEET}'",
                            structural=True)]
    sheet = workbook[ENTRY_SHEET]
    place = _place(path)
    header = {str(c.value).strip(): c.column for c in sheet[1] if c.value is not None}
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        return [], [Problem(place, 1, name, None, "this column in the header row", structural=True)
                    for name in missing]
    wanted, cells, problems = set(keys), [], []
    seen: dict[str, int] = {}
    for row in sheet.iter_rows(min_row=2):
        by_column = {c.column: c for c in row}
        key_cell = by_column.get(header[KEY_COLUMN])
        key = str(key_cell.value).strip() if key_cell is not None and key_cell.value is not None else ""
        value_cell = by_column.get(header[VALUE_COLUMN])
        raw = value_cell.value if value_cell is not None else None
        number = row[0].row
        if not key:
            if raw is not None and str(raw).strip():
                problems.append(Problem(place, number, KEY_COLUMN, None,
                                        "the row's Id (do not change the Id column)"))
            continue
        if key not in wanted:
            problems.append(Problem(place, number, KEY_COLUMN, key, "an Id of the sheet the book writes"))
            continue
        if key in seen:
            problems.append(Problem(place, number, KEY_COLUMN, key, f"each Id once (also in row {seen[key]})"))
            continue
        seen[key] = number
        value, expected = _number(raw, value_cell.number_format if value_cell is not None else "General")
        if expected:
            problems.append(Problem(place, number, VALUE_COLUMN, raw, expected))
        remark_cell = by_column.get(header.get(REMARK_COLUMN, -1))
        remark = "" if remark_cell is None or remark_cell.value is None else str(remark_cell.value).strip()
        cells.append(Cell(key, value, remark, place, number, VALUE_COLUMN, invalid=bool(expected)))
    gone = [k for k in keys if k not in seen]
    if gone:
        problems.append(Problem(place, None, KEY_COLUMN, gone[:5] + (["…"] if len(gone) > 5 else []),
                                f"a row for every number the book expects ({len(gone)} missing): write a new "
                                "sheet and copy the values into it", structural=True))
    return cells, problems
