"""The socioeconomic index of the municipalities (chapter 3.3): a user's file, or a synthetic stand-in.

The report compares the challenges with Social- og Indenrigsministeriets socioeconomic index (the one
used in the municipal equalisation; the 2020 values). The index is public but is not shipped with the
book. A user gives it as a file with the columns `kommunekode;indeks;år` (CSV separated by semicolons,
or the first sheet of an XLSX workbook), through `make book SOCIOECONOMIC_INDEX=path` (which sets
$MUNICIPAL_SURVEY_SOCIOECONOMIC_INDEX) or `python -m municipal_survey index PATH` to check it first.
Until then the book uses a synthetic stand-in, and every sentence, table and figure that uses it and
the dataset banner on every page say so.
"""
from __future__ import annotations

import csv
import math
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import DataError, Problem
from .paths import INDEX_ENV, active_index_path  # noqa: F401 (the module's public names)
from .settings import book_wave

COLUMNS = ("kommunekode", "indeks", "år")
SUFFIXES = (".csv", ".xlsx")
# The stand-in: the real index averages 1 over the country; a spread of 0.15 on the log scale is
# about what the equalisation index shows. It is drawn independently of the answers (no effect assumed).
STANDIN_SEED = 20200101
STANDIN_SD = 0.15
_CODE = re.compile(r"[0-9]{3}")
_NUMBER = re.compile(r"-?[0-9]+([.,][0-9]+)?")
_YEAR = re.compile(r"[0-9]{4}")


@dataclass(frozen=True)
class SocioeconomicIndex:
    """The index per kommunekode and where it comes from."""

    values: pd.Series  # index: kommunekode (str), values: float
    path: Path | None  # None: the synthetic stand-in
    year: int

    @property
    def synthetic(self) -> bool:
        return self.path is None

    @property
    def label_da(self) -> str:
        """How every page names the index it used."""
        if self.synthetic:
            return "syntetisk erstatning for det socioøkonomiske indeks (ikke ministeriets tal)"
        return f"socioøkonomisk indeks fra filen {self.path.name} ({self.year})"


def _cell_text(value) -> str:
    """A cell as text; whole-number floats from a spreadsheet (101.0) lose their '.0'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_rows(path: Path) -> list[list[str]]:
    file = str(path)
    if not path.is_file():
        raise DataError(Problem(file, None, None, "no such file",
                                "a CSV or XLSX file with the columns kommunekode;indeks;år"))
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DataError(Problem(file, None, None, path.suffix or "no suffix", "a .csv or .xlsx file"))
    if suffix == ".xlsx":
        try:
            sheet = pd.read_excel(path, sheet_name=0, header=None, dtype=object, engine="openpyxl")
        except Exception as exc:  # openpyxl and zipfile raise many types for a damaged workbook
            raise DataError(Problem(file, None, None, type(exc).__name__, "a readable XLSX workbook")) from None
        return [[_cell_text(v) for v in row] for row in sheet.itertuples(index=False)]
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(Problem(file, None, None, repr(exc.object[exc.start:exc.end]), "UTF-8 text")) from None
    return [[c.strip() for c in row] for row in csv.reader(text.splitlines(), delimiter=";")]


def load_index(path: Path, register: pd.DataFrame, year: int | None = None) -> SocioeconomicIndex:
    """Read and validate an index file of `year` (default: the book's wave) against the register; every
    problem is reported together, each with file, row (header = row 1), column, value and what was expected."""
    year = book_wave() if year is None else year
    path = Path(path)
    file = str(path)
    rows = _read_rows(path)
    while rows and not any(rows[-1]):
        rows.pop()  # trailing blank lines of a CSV or empty rows of a sheet
    if not rows:
        raise DataError(Problem(file, None, None, "an empty file", "a header kommunekode;indeks;år and data"))
    header = [h.casefold() for h in rows[0]]
    while header and header[-1] == "":
        header.pop()
    if header != list(COLUMNS):
        expected = "the header kommunekode;indeks;år (separated by semicolons)"
        if len(header) == 1 and "," in header[0]:
            expected += "; the fields are separated by commas"
        missing = [c for c in COLUMNS if c not in header]
        raise DataError([Problem(file, 1, c, rows[0], expected) for c in missing]
                        or Problem(file, 1, None, rows[0], expected))
    known = set(register["code"])
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    values: dict[str, float] = {}
    years: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(row):
            problems.append(Problem(file, number, None, "a blank row", "one row per municipality"))
            continue
        fields = row + [""] * (3 - len(row))
        if any(f for f in fields[3:]):
            problems.append(Problem(file, number, None, row, "three fields: kommunekode;indeks;år"))
            continue
        code, value, when = fields[:3]
        if not _CODE.fullmatch(code):
            problems.append(Problem(file, number, "kommunekode", code, "a 3-digit kommunekode, e.g. 101"))
        elif code not in known:
            problems.append(Problem(file, number, "kommunekode", code, "a kommunekode in the register"))
        elif code in seen:
            problems.append(Problem(file, number, "kommunekode", code,
                                    f"each municipality once (also in row {seen[code]})"))
        else:
            seen[code] = number
        if not _NUMBER.fullmatch(value) or float(value.replace(",", ".")) <= 0:
            problems.append(Problem(file, number, "indeks", value, "a positive number, e.g. 1,02 or 0.87"))
        elif code in seen and seen[code] == number:
            values[code] = float(value.replace(",", "."))
        if not _YEAR.fullmatch(when) or int(when) != year:
            problems.append(Problem(file, number, "år", when, f"the year {year}"))
        elif code in seen:
            years[code] = int(when)
    missing = sorted(known - set(seen))
    if missing:
        problems.append(Problem(file, None, "kommunekode", ", ".join(missing[:10]) + (" ..." if len(missing) > 10
                                                                                     else ""),
                                f"a row for every municipality of the register ({len(missing)} missing)"))
    if problems:
        raise DataError(problems)
    return SocioeconomicIndex(pd.Series(values, name="index").sort_index(), path.resolve(), year)


def standin_index(register: pd.DataFrame) -> SocioeconomicIndex:
    """A synthetic index: log-normal around 1, drawn from a fixed seed, unrelated to any answer."""
    codes = sorted(register["code"])
    rng = np.random.default_rng([STANDIN_SEED, zlib.crc32(b"socioeconomic-index")])
    values = np.round(np.exp(rng.normal(0.0, STANDIN_SD, len(codes))), 3)
    return SocioeconomicIndex(pd.Series(values, index=pd.Index(codes, name=None), name="index"), None, book_wave())


def active_index(register: pd.DataFrame) -> SocioeconomicIndex:
    """The index file given to the build, validated; the stand-in when none is given."""
    path = active_index_path()
    return standin_index(register) if path is None else load_index(path, register)
