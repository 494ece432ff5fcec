"""The register of Denmark's 98 municipalities (data/register/municipalities.csv)."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from . import paths
from .errors import DataError, Problem
from .tables_io import read_csv_strict

REGISTER_COLUMNS = ["code", "name", "region", "population_2020"]
# The report's and Danmarks Statistik's order of the five regions.
REGIONS = ("Region Hovedstaden", "Region Sjælland", "Region Syddanmark", "Region Midtjylland",
           "Region Nordjylland")
CODE = re.compile(r"^\d{3}$")


def load_register(path: Path | None = None) -> pd.DataFrame:
    """Load and validate the register; `code` stays a 3-digit string, population an integer."""
    path = Path(path or paths.REGISTER_FILE)
    raw = read_csv_strict(path, REGISTER_COLUMNS)
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for position, row in enumerate(raw.itertuples(index=False), start=2):
        if not CODE.match(row.code):
            problems.append(Problem(str(path), position, "code", row.code, "a 3-digit kommunekode, e.g. 101"))
        elif row.code in seen:
            problems.append(Problem(str(path), position, "code", row.code,
                                    f"a unique kommunekode (also in row {seen[row.code]})"))
        seen.setdefault(row.code, position)
        if not row.name.strip():
            problems.append(Problem(str(path), position, "name", row.name, "the municipality's name"))
        if row.region not in REGIONS:
            problems.append(Problem(str(path), position, "region", row.region, f"one of {', '.join(REGIONS)}"))
        if not row.population_2020.isdigit() or int(row.population_2020) <= 0:
            problems.append(Problem(str(path), position, "population_2020", row.population_2020,
                                    "a positive whole number"))
    if problems:
        raise DataError(problems)
    return raw.assign(population_2020=raw["population_2020"].astype(int)).reset_index(drop=True)
