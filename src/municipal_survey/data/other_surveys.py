"""Figures published by other reports (earlier and later surveys, the adult area): external numbers.

data/published/other_surveys.csv holds one published figure a row, with the source that printed it.
The book shows them for comparison only: none is computed from the book's data, and the page that
uses them says so beside each number.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import paths
from .errors import DataError, Problem
from .tables import read_csv_strict

FILE_NAME = "other_surveys.csv"  # in data/published/
COLUMNS = ["id", "survey", "target", "survey_year", "statistic", "value", "unit", "statement_da",
           "source", "url"]
# statistic -> the unit its value is in
STATISTICS = {"participation_pct": "pct", "participant_count": "kommuner", "share_pct": "pct"}
TARGETS = ("børn og unge", "voksne")


def load_other_surveys(path: Path | None = None) -> pd.DataFrame:
    """Load and validate the external figures; value becomes a number, survey_year an int, id the index."""
    path = Path(path) if path is not None else paths.PUBLISHED_DIR / FILE_NAME
    raw = read_csv_strict(path, COLUMNS)
    file = path.name
    problems: list[Problem] = []
    seen: set[str] = set()
    values: list[float | None] = []
    for position, record in enumerate(raw.to_dict("records"), start=2):
        rid = record["id"].strip()
        if not rid.isidentifier() or rid in seen:
            problems.append(Problem(file, position, "id", rid, "a unique id of letters, digits and _"))
        seen.add(rid)
        year = record["survey_year"].strip()
        if not (year.isdigit() and len(year) == 4):
            problems.append(Problem(file, position, "survey_year", year, "the survey year, e.g. 2019"))
        statistic = record["statistic"]
        if statistic not in STATISTICS:
            problems.append(Problem(file, position, "statistic", statistic, f"one of {', '.join(STATISTICS)}"))
        elif record["unit"] != STATISTICS[statistic]:
            problems.append(Problem(file, position, "unit", record["unit"],
                                    f"{STATISTICS[statistic]!r} for a {statistic}"))
        if record["target"] not in TARGETS:
            problems.append(Problem(file, position, "target", record["target"], f"one of {', '.join(TARGETS)}"))
        try:
            values.append(float(record["value"].replace(",", ".")))
        except ValueError:
            values.append(None)
            problems.append(Problem(file, position, "value", record["value"], "a number"))
        for column in ("survey", "statement_da", "source"):
            if not record[column].strip():
                problems.append(Problem(file, position, column, "", "text naming where the figure is printed"))
        url = record["url"].strip()
        if url and not url.startswith("https://"):
            problems.append(Problem(file, position, "url", url, "a public https:// address or blank"))
    if problems:
        raise DataError(problems)
    out = raw.copy()
    out["value"] = values
    out["survey_year"] = out["survey_year"].astype(int)
    return out.set_index("id")
