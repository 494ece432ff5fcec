"""The codebook: every question of the survey with its place in the report and its scale."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from . import paths
from .errors import DataError, Problem
from .tables import read_all, where

QUESTION_COLUMNS = ["question", "order", "chapter", "section", "figure", "block", "topic", "item",
                    "kind", "text_da", "n_min", "n_max", "note"]
TOPIC_COLUMNS = ["block", "topic", "section", "label_da", "short_label_da"]
FORM_COLUMNS = ["form", "label_da", "help_da"]
CONTENTS_COLUMNS = ["kind", "ref", "title_da", "page", "in_source", "note"]
CONTENTS_KINDS = ("chapter", "section", "figure", "appendix")
# Which answers are the challenge: "high" (i høj / meget høj grad, the default) or "low" (i mindre grad
# / slet ikke, for a question asked positively, e.g. "har tilstrækkelig viden").
CHALLENGE = ("high", "low")

KINDS = ("likert", "multiple_choice", "status")
# The item of an area or target group that asks about it as a whole, and the one that asks about the
# need for external support (the codebook's `item` column).
OVERALL_ITEM, NEED_ITEM = "samlet", "behov"
BLOCKS = ("meta", "area", "target_group", "theme")
ID_PATTERN = re.compile(r"^[a-z0-9_]+$")

# Data contract (book/arkitektur.md): the valid answer codes of each kind of question.
LIKERT_LABELS = {4: "I meget høj grad", 3: "I høj grad", 2: "I mindre grad", 1: "Slet ikke",
                 8: "Ved ikke", 9: "Ikke relevant"}
MULTIPLE_CHOICE_LABELS = {1: "Afkrydset", 0: "Ikke afkrydset"}
STATUS_LABELS = {1: "Delvist gennemført", 2: "Gennemført"}
VALID_CODES = {"likert": LIKERT_LABELS, "multiple_choice": MULTIPLE_CHOICE_LABELS,
               "status": STATUS_LABELS}


def load_codebook(directory: Path | None = None) -> pd.DataFrame:
    """Load and validate every questions_*.csv; one row per question, sorted by questionnaire order."""
    directory = directory or paths.CODEBOOK_DIR
    raw = read_all(directory, "questions_*.csv", QUESTION_COLUMNS, optional={"challenge": ""})
    raw["challenge"] = raw["challenge"].str.strip().replace("", "high")
    problems: list[Problem] = []
    seen: dict[str, tuple[str, int]] = {}
    # Row dicts rather than raw.at[...]: the same checks, without pandas' per-cell lookup cost.
    for record in raw.to_dict("records"):
        file, row = str(record["_file"]), int(record["_row"])
        qid = record["question"]
        if not ID_PATTERN.match(qid):
            problems.append(Problem(file, row, "question", qid, "an id of lowercase letters, digits and _"))
        elif qid in seen:
            problems.append(Problem(file, row, "question", qid,
                                    f"a unique id (also in {seen[qid][0]} row {seen[qid][1]})"))
        seen.setdefault(qid, (file, row))
        if record["kind"] not in KINDS:
            problems.append(Problem(file, row, "kind", record["kind"], f"one of {', '.join(KINDS)}"))
        if record["block"] not in BLOCKS:
            problems.append(Problem(file, row, "block", record["block"], f"one of {', '.join(BLOCKS)}"))
        for column in ("order", "chapter"):
            if not record[column].strip().lstrip("-").isdigit():
                problems.append(Problem(file, row, column, record[column], "a whole number"))
        for column in ("n_min", "n_max"):
            value = record[column].strip()
            if value and not value.isdigit():
                problems.append(Problem(file, row, column, value, "a whole number or blank"))
        if record["challenge"] not in CHALLENGE:
            problems.append(Problem(file, row, "challenge", record["challenge"], "high, low or blank (high)"))
        if not record["text_da"].strip():
            problems.append(Problem(file, row, "text_da", "", "the question's Danish text"))
    if problems:
        raise DataError(problems)
    book = raw.copy()
    for column in ("order", "chapter"):
        book[column] = book[column].astype(int)
    for column in ("n_min", "n_max"):
        book[column] = pd.to_numeric(book[column].replace("", None)).astype("Int64")
    return book.sort_values(["order", "question"]).reset_index(drop=True)


def load_topics(directory: Path | None = None) -> pd.DataFrame:
    """Areas, target groups and themes with their Danish labels (topics*.csv)."""
    directory = directory or paths.CODEBOOK_DIR
    topics = read_all(directory, "topics*.csv", TOPIC_COLUMNS)
    duplicated = topics[topics.duplicated(["block", "topic"], keep="first")]
    if len(duplicated):
        raise DataError([Problem(*where(topics, i), "topic", topics.at[i, "topic"], "a unique topic key")
                         for i in duplicated.index])
    return topics.drop(columns=["_file", "_row"]).reset_index(drop=True)


def load_support_forms(directory: Path | None = None) -> pd.DataFrame:
    """The seven support forms of Boks 2, in the report's order."""
    directory = directory or paths.CODEBOOK_DIR
    return read_all(directory, "support_forms.csv", FORM_COLUMNS).drop(columns=["_file", "_row"])


def load_report_contents(directory: Path | None = None) -> pd.DataFrame:
    """The report's table of contents (report_contents.csv): chapters, sections, appendices and the
    figures printed outside their section, each with its page and whether the book's source text
    holds its numbers (in_source, a bool)."""
    directory = directory or paths.CODEBOOK_DIR
    raw = read_all(directory, "report_contents.csv", CONTENTS_COLUMNS)
    problems: list[Problem] = []
    for i in raw.index:
        if raw.at[i, "kind"] not in CONTENTS_KINDS:
            problems.append(Problem(*where(raw, i), "kind", raw.at[i, "kind"],
                                    f"one of {', '.join(CONTENTS_KINDS)}"))
        if not raw.at[i, "page"].strip().isdigit():
            problems.append(Problem(*where(raw, i), "page", raw.at[i, "page"], "the page number (a whole number)"))
        if raw.at[i, "in_source"] not in ("yes", "no"):
            problems.append(Problem(*where(raw, i), "in_source", raw.at[i, "in_source"], "yes or no"))
    duplicated = raw[raw.duplicated(["kind", "ref"], keep="first")]
    problems += [Problem(*where(raw, i), "ref", raw.at[i, "ref"], "one row per kind and ref")
                 for i in duplicated.index]
    if problems:
        raise DataError(problems)
    out = raw.drop(columns=["_file", "_row"])
    out["page"] = out["page"].astype(int)
    out["in_source"] = out["in_source"] == "yes"
    return out.reset_index(drop=True)


def report_page(contents: pd.DataFrame, ref: str, kind: str = "section") -> int:
    """The report's page of a chapter, section, figure or appendix (its table of contents)."""
    found = contents[(contents["kind"] == kind) & (contents["ref"] == str(ref))]
    if found.empty:
        known = ", ".join(contents.loc[contents["kind"] == kind, "ref"])
        raise KeyError(f"report_contents.csv: no row with kind '{kind}' and ref '{ref}' "
                       f"(expected one of the report's {kind}s: {known})")
    return int(found["page"].iloc[0])


def figure_questions(codebook: pd.DataFrame, figure: str | int) -> pd.DataFrame:
    """The questions shown in a report figure (the `figure` column may list several, e.g. "1;19")."""
    wanted = str(figure)
    mask = codebook["figure"].map(lambda f: wanted in [x.strip() for x in str(f).split(";")])
    return codebook[mask]


def section_key(section: str) -> tuple[int, ...]:
    """Numeric sort key of a report section, so that "2.10" comes after "2.9"."""
    return tuple(int(part) for part in str(section).split("."))
