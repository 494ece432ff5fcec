"""Figures published about other rounds of the survey (earlier and later waves, the adult area, the
COVID-19 block of the 2020 survey): external numbers, one a row in data/published/other_surveys.csv.

Every row names its wave, the source that printed it, the source's date and a short quote holding the
figure as printed (`printed`): a number printed in words stays words ("næsten ni ud af ti" has no value),
and a number's `value` must be the number in `printed`. `comparability` says whether the figure can be
set beside the 2020 report's (COMPARABILITY) and `comparability_reason` why; `question` names the 2020
codebook question it corresponds to, if any. The book shows these figures as published external numbers:
none is computed from the book's data.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from . import paths
from .errors import DataError, Problem
from .tables import read_csv_strict

FILE_NAME = "other_surveys.csv"  # in data/published/
COLUMNS = ["id", "wave", "target", "survey", "statistic", "value", "unit", "printed", "question", "comparability",
           "comparability_reason", "statement_da", "quote", "source", "date", "url"]
# statistic -> the unit its value is in ("" for a figure printed in words: it has no value)
STATISTICS = {"participation_pct": "pct", "participant_count": "kommuner", "share_pct": "pct",
              "mean_1_4": "gennemsnit (1–4)", "share_words": "", "change_words": "", "comparison_words": ""}
TARGETS = ("børn og unge", "voksne")
# Whether a figure can be set beside the 2020 report's, and the Danish words the book uses for it.
COMPARABILITY = {"comparable": "sammenlignelig", "other_wording": "anden formulering",
                 "other_scale": "anden skala"}
MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
          "november", "december")
# "20. april 2023", "april 2023", "2023", or "udateret" for a page that carries no date.
DANISH_DATE = re.compile(rf"((([1-9]|[12][0-9]|3[01])\. )?({'|'.join(MONTHS)}) )?(19|20)[0-9]{{2}}|udateret")
PRINTED_NUMBER = re.compile(r"[0-9]+(,[0-9]+)?")


def _printed_number(printed: str) -> float | None:
    """The number in a figure as printed ("60 pct." -> 60, "2,7" -> 2.7, "77 %" -> 77); None without one."""
    numbers = [match.group(0) for match in PRINTED_NUMBER.finditer(printed)]
    if len(numbers) != 1:
        return None  # no number, or more than one: which is the figure is unclear
    return float(numbers[0].replace(",", "."))


def _squeezed(text: str) -> str:
    return " ".join(text.split()).casefold()


def _row_problems(record: dict, file: str, row: int, questions: set[str] | None) -> list[Problem]:
    problems = []

    def problem(column: str, expected: str) -> None:
        problems.append(Problem(file, row, column, record[column], expected))

    if not record["wave"].isdigit() or len(record["wave"]) != 4:
        problem("wave", "the survey year of the round, e.g. 2022")
    if record["target"] not in TARGETS:
        problem("target", f"one of {', '.join(TARGETS)}")
    statistic = record["statistic"]
    if statistic not in STATISTICS:
        problem("statistic", f"one of {', '.join(STATISTICS)}")
    elif record["unit"] != STATISTICS[statistic]:
        problem("unit", f"{STATISTICS[statistic]!r} for a {statistic}")
    printed, value = record["printed"].strip(), record["value"].strip()
    if not printed:
        problem("printed", "the figure as the source prints it (digits or words)")
    elif _squeezed(printed) not in _squeezed(record["quote"]):
        problem("printed", "words that occur in the row's quote (the figure as printed)")
    if statistic in STATISTICS and not STATISTICS[statistic]:
        if value:
            problem("value", f"blank: a {statistic} is printed in words, and a word stays a word")
        if PRINTED_NUMBER.search(printed):
            problem("printed", f"words without digits for a {statistic} (a number needs a numeric statistic)")
    elif statistic in STATISTICS:
        number = _printed_number(printed)
        try:
            parsed = float(value.replace(",", "."))
        except ValueError:
            problem("value", "a number, e.g. 60 or 2,7")
        else:
            if number is None or parsed != number:
                problem("value", f"the number printed in the column printed ({printed!r})")
    if record["question"] and questions is not None and record["question"] not in questions:
        problem("question", "a question id in the codebook (the 2020 question it corresponds to) or blank")
    if record["comparability"] not in COMPARABILITY:
        problem("comparability", f"one of {', '.join(COMPARABILITY)}")
    for column in ("survey", "comparability_reason", "statement_da", "quote", "source"):
        if not record[column].strip():
            problem(column, "text (who printed the figure, where, what it is and why it compares or not)")
    if not DANISH_DATE.fullmatch(record["date"]):
        problem("date", "the source's date in Danish, e.g. 20. april 2023, april 2023, 2023 or udateret")
    url = record["url"].strip()
    if url and not url.startswith("https://"):
        problem("url", "a public https:// address or blank")
    return problems


def load_other_surveys(path: Path | None = None, codebook: pd.DataFrame | None = None) -> pd.DataFrame:
    """Load and validate the external figures; `value` becomes a number (NaN for a figure in words),
    `wave` an int, `id` the index. A `question` must be in the codebook (the project's, by default)."""
    path = Path(path) if path is not None else paths.PUBLISHED_DIR / FILE_NAME
    if codebook is None:
        from .codebook import load_codebook

        codebook = load_codebook()
    raw = read_csv_strict(path, COLUMNS)
    file = path.name
    questions = set(codebook["question"])
    problems: list[Problem] = []
    seen: set[str] = set()
    for row, record in enumerate(raw.to_dict("records"), start=2):
        rid = record["id"].strip()
        if not rid.isidentifier() or rid in seen:
            problems.append(Problem(file, row, "id", rid, "a unique id of letters, digits and _"))
        seen.add(rid)
        problems += _row_problems(record, file, row, questions)
    if problems:
        raise DataError(problems)
    out = raw.copy()
    out["value"] = pd.to_numeric(out["value"].str.replace(",", ".", regex=False).replace("", None), errors="raise")
    out["wave"] = out["wave"].astype(int)
    return out.set_index("id")
