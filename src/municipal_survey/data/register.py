"""The register of Denmark's 98 municipalities (data/register/municipalities.csv).

Columns: `code` (3-digit kommunekode, kept as a string: "101"), `name` (the official Danish name),
`region` (one of REGIONS) and `population_2020` (Danmarks Statistik FOLK1A, 1 January 2020).
Sources and checks are described in data/register/README.md.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from . import paths
from .errors import DataError, Problem
from .tables import read_csv_strict

REGISTER_COLUMNS = ["code", "name", "region", "population_2020"]
# The report's and Danmarks Statistik's order of the five regions.
REGIONS = ("Region Hovedstaden", "Region Sjælland", "Region Syddanmark", "Region Midtjylland",
           "Region Nordjylland")
# Geographic neighbours, in order of preference: where a region is too small for the disclosure rule on a
# page, it is merged with the first of these that is still a group of its own (analysis.disclosure).
REGION_NEIGHBOURS = {
    "Region Nordjylland": ("Region Midtjylland",),
    "Region Midtjylland": ("Region Nordjylland", "Region Syddanmark"),
    "Region Syddanmark": ("Region Midtjylland", "Region Sjælland"),
    "Region Sjælland": ("Region Hovedstaden", "Region Syddanmark"),
    "Region Hovedstaden": ("Region Sjælland",),
}
# The report (bilag 5) groups municipalities by size without printing the cut points in the source
# text. These are the book's choice: round numbers that split the 98 municipalities into three
# groups of roughly a third each (see size_groups()).
SIZE_BINS = (0, 35_000, 55_000, float("inf"))  # 29, 36 and 33 municipalities
SIZE_LABELS = ("Under 35.000 indbyggere", "35.000–54.999 indbyggere", "55.000 indbyggere og derover")
# ASCII digits only: `\d` would also accept e.g. full-width or superscript digits.
CODE = re.compile(r"[0-9]{3}")
POSITIVE_INTEGER = re.compile(r"[1-9][0-9]*")


def load_register(path: Path | None = None) -> pd.DataFrame:
    """Load and validate the register; `code` stays a 3-digit string, population an integer.

    Every problem in the file is collected and raised together as one DataError naming file,
    spreadsheet row (header = row 1), column, value and what was expected.
    """
    path = Path(path) if path is not None else paths.REGISTER_FILE
    file = str(path)
    problems = _layout_problems(path)
    if problems:  # a blank line or a wrong number of fields would shift rows or columns
        raise DataError(problems)
    raw = read_csv_strict(path, REGISTER_COLUMNS)  # missing columns, empty or non-UTF-8 file
    if raw.empty:
        raise DataError(Problem(file, None, None, "no data rows", "one row per municipality"))
    seen: dict[str, int] = {}
    for position, row in enumerate(raw.itertuples(index=False), start=2):
        if not CODE.fullmatch(row.code):
            problems.append(Problem(file, position, "code", row.code, "a 3-digit kommunekode, e.g. 101"))
        elif row.code in seen:
            problems.append(Problem(file, position, "code", row.code,
                                    f"a unique kommunekode (also in row {seen[row.code]})"))
        seen.setdefault(row.code, position)
        if not row.name.strip() or row.name != row.name.strip():
            problems.append(Problem(file, position, "name", row.name,
                                    "the municipality's name (not empty, no leading or trailing spaces)"))
        if row.region not in REGIONS:
            problems.append(Problem(file, position, "region", row.region, f"one of {', '.join(REGIONS)}"))
        if not POSITIVE_INTEGER.fullmatch(row.population_2020):
            problems.append(Problem(file, position, "population_2020", row.population_2020,
                                    "a positive whole number without separators, e.g. 632340"))
    if problems:
        raise DataError(problems)
    return raw.assign(population_2020=raw["population_2020"].astype("int64")).reset_index(drop=True)


def _layout_problems(path: Path) -> list[Problem]:
    """Rows that are blank (before the last data row) or hold another number of fields than the header.

    An empty or non-UTF-8 file gives no problems here; read_csv_strict reports it.
    """
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            records = list(csv.reader(handle))
    except UnicodeDecodeError:
        return []
    while records and not records[-1]:
        records.pop()  # blank lines at the end are harmless
    if not records:
        return []
    if not records[0]:
        return [Problem(str(path), 1, None, "an empty line", f"the header {','.join(REGISTER_COLUMNS)}")]
    width = len(records[0])
    problems = []
    for position, record in enumerate(records[1:], start=2):
        if not record:
            problems.append(Problem(str(path), position, None, "an empty line", "a municipality row"))
        elif len(record) != width:
            problems.append(Problem(str(path), position, None, f"{len(record)} fields",
                                    f"{width} fields, as in the header"))
    return problems


def size_groups(register: pd.DataFrame) -> pd.Series:
    """Size group of every municipality (index: kommunekode), ordered small to large."""
    groups = pd.cut(register["population_2020"], bins=list(SIZE_BINS), labels=list(SIZE_LABELS), right=False)
    return pd.Series(pd.Categorical(groups, categories=list(SIZE_LABELS), ordered=True),
                     index=register["code"].to_numpy(), name="size_group")
