"""No file under version control holds survey responses other than the synthetic dataset.

`check_tracked_files` finds, outside data/synthetic/responses.csv and tests/fixtures (fixtures are
written from the synthetic responses):
- a tidy responses header (wave, municipality, question, answer) anywhere but the synthetic file;
- a table of municipality-level answers in any shape the importer reads: CSV, TSV or text with any
  delimiter and encoding, or JSON (records or columns), wide or tidy, with the municipality as a
  kommunekode or a name ("Københavns Kommune"), the header anywhere in the first rows: a column of
  municipalities of the register next to columns of answers (codebook question ids as names, or
  answer labels or codes as values);
- a file in a format the check cannot read (.sav, .xlsx, .parquet, ...);
- committed notebooks whose outputs were computed from imported data. That
data/synthetic/responses.csv is exactly a fresh generation (and so holds no real answer) is checked by
tests/synthetic/test_calibration.py and `python -m municipal_survey synth --check`.
"""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..analysis.disclosure import Finding
from ..data import paths
from ..data.codebook import VALID_CODES
from ..data.importers import Municipalities, cell_text, normalise_label, utf16_codec
from ..data.responses import RESPONSE_COLUMNS, Dataset

SYNTHETIC_FILE = "data/synthetic/responses.csv"
FIXTURES_DIR = "tests/fixtures"
# Survey-tool exports and binary tables that may hold real answers and that this check cannot read:
# never tracked outside tests/fixtures.
EXPORT_SUFFIXES = (".sav", ".zsav", ".por", ".xlsx", ".xlsm", ".xls", ".ods", ".parquet", ".feather",
                   ".arrow", ".dta", ".rds", ".rdata")
# Text tables the check reads.
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".tab", ".psv", ".json", ".jsonl", ".ndjson")
# How much of a file is read: enough rows to tell a table of answers.
MAX_BYTES = 1_000_000
MAX_ROWS = 400
# What answers look like: the codebook's labels (any case and spacing), a tick, or an answer code.
ANSWER_LABELS = {normalise_label(label) for codes in VALID_CODES.values() for label in codes.values()} | {"x"}
ANSWER_CODES = {str(code) for codes in VALID_CODES.values() for code in codes}
# The dataset line every notebook prints first (responses.Dataset.label_da) when it ran on imported data.
_IMPORTED_KIND = Dataset(Path("x"), synthetic=False, sha256="0" * 64).label_da.split(":")[0]
IMPORTED_OUTPUT = re.compile(re.escape(_IMPORTED_KIND) + r": [^\n\"]*, sha256 [0-9a-f]{12}")


def tracked_files(root: Path | None = None) -> list[str]:
    """Paths (relative, /-separated) of every file git tracks or has staged under `root`."""
    root = Path(root or paths.PROJECT_ROOT)
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--cached"], cwd=root, check=True,
                             capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise RuntimeError(f"{root} is not a git work tree (git ls-files failed: {exc})") from exc
    return [name for name in out.decode("utf-8", "surrogateescape").split("\0") if name]


def _header_fields(first_line: str) -> list[str]:
    line = first_line.lstrip("\ufeff").strip()
    delimiter = max((",", ";", "\t", "|"), key=line.count)
    return [f.strip().strip('"').strip().casefold() for f in line.split(delimiter)]


def _first_line(path: Path, limit: int = 65536) -> str:
    with open(path, "rb") as handle:
        return next(iter(_decode(handle.read(limit)).splitlines()), "")


def _decode(data: bytes) -> str:
    """The text as the importer would read it (UTF-16, UTF-8, Windows-1252), from the start of a file."""
    codec = utf16_codec(data)
    if codec:  # the read may end inside a character
        return data.decode(codec, errors="replace").removeprefix("\ufeff")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def read_rows(path: Path) -> list[list[object]]:
    """The first rows of a text table (header included) as lists of cells; [] when it is not a table."""
    with open(path, "rb") as handle:
        text = _decode(handle.read(MAX_BYTES))
    if path.suffix.lower() in (".json", ".jsonl", ".ndjson"):
        return _json_rows(text)
    lines = [line for line in text.splitlines() if line.strip()][:MAX_ROWS]
    if not lines:
        return []
    # The delimiter that splits the most of the first lines alike into more than one field.
    def score(delimiter: str) -> int:
        counts = [line.count(delimiter) for line in lines[:20]]
        common = max(set(counts), key=counts.count)
        return counts.count(common) * (common > 0)
    delimiter = max((",", ";", "\t", "|"), key=score)
    return [list(rec) for rec in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)]


def _json_rows(text: str) -> list[list[object]]:
    try:
        data = json.loads(text)
    except ValueError:
        try:  # JSON lines
            data = [json.loads(line) for line in text.splitlines() if line.strip()]
        except ValueError:
            return []
    if isinstance(data, dict) and data and all(isinstance(v, list) for v in data.values()):
        return [list(data), *[list(r) for r in zip(*data.values())]][:MAX_ROWS]   # columns
    if isinstance(data, dict) and data and all(isinstance(v, dict) for v in data.values()):
        frame = pd.DataFrame(data)                                                 # pandas' orient=columns
        return [list(frame.columns), *frame.astype(object).values.tolist()][:MAX_ROWS]
    if isinstance(data, list) and data and all(isinstance(r, dict) for r in data):
        keys = list(dict.fromkeys(k for r in data for k in r))                    # records
        return [keys, *[[r.get(k) for k in keys] for r in data[:MAX_ROWS]]]
    return []


def _is_code(text: str) -> bool:
    """'3', '3.0' and '3,0' (a number as spreadsheets and SPSS write it) are answer codes."""
    return re.fullmatch(r"\d(?:[.,]0+)?", text) is not None and text[0] in ANSWER_CODES


def _share(values: list[object], test) -> float:
    cells = [cell_text(v) for v in values]
    cells = [c for c in cells if isinstance(c, str)]
    return sum(map(test, cells)) / len(cells) if cells else 0.0


def answers_by_municipality(rows: list[list[object]], questions: set[str],
                            municipalities: tuple[Municipalities, Municipalities]) -> str | None:
    """Why `rows` look like municipality-level answers (None if they do not): a column of register
    municipalities (codes or names) beside at least two columns of answers."""
    if len(rows) < 2:
        return None
    width = max(len(r) for r in rows)
    columns = [[r[k] if k < len(r) else None for r in rows] for k in range(width)]
    by_code, by_name = municipalities

    def municipal(column: list[object]) -> bool:
        # The header (and any title rows) are a few cells among many: 80 pct. of the cells must be
        # municipalities, and at least one.
        return any(_share(column, lambda c, m=m: m.code(c) is not None) >= 0.8 for m in (by_code, by_name))

    def answer(column: list[object]) -> bool:
        names = {normalise_label(str(v)) for v in column[:3] if cell_text(v)}
        labels = _share(column[1:], lambda c: normalise_label(c) in ANSWER_LABELS)
        return bool(names & questions) or labels >= 0.8 or _share(column[1:], _is_code) >= 0.8

    where = [k for k, column in enumerate(columns) if municipal(column)]
    if not where:
        return None
    answers = [k for k, column in enumerate(columns) if k not in where and answer(column)]
    if len(answers) < 2:
        return None
    return (f"holds answers by municipality: a column of municipalities (column {where[0] + 1}) and "
            f"{len(answers)} columns of answers; real answers are never committed (keep exports in "
            "data/private/)")


def check_tracked_files(root: Path | None = None, files: Iterable[str] | None = None,
                        question_ids: Iterable[str] | None = None,
                        register: pd.DataFrame | None = None) -> list[Finding]:
    """Findings for tracked files that hold (or may hold) responses other than the synthetic dataset.

    `files` defaults to `git ls-files` under `root`; `question_ids` to the codebook's; `register` to the
    register of municipalities.
    """
    root = Path(root or paths.PROJECT_ROOT)
    files = tracked_files(root) if files is None else list(files)
    if question_ids is None:
        from ..data.codebook import load_codebook

        question_ids = load_codebook()["question"]
    if register is None:
        from ..data.register import load_register

        register = load_register()
    questions = {normalise_label(q) for q in question_ids}
    municipalities = (Municipalities.build(register, "code"), Municipalities.build(register, "name"))
    tidy = set(RESPONSE_COLUMNS)
    findings: list[Finding] = []
    for name in files:
        in_fixtures = name == FIXTURES_DIR or name.startswith(FIXTURES_DIR + "/")
        if name.lower().endswith(EXPORT_SUFFIXES):
            if not in_fixtures:
                findings.append(Finding(name, "a survey-tool export or binary table (.sav/.xlsx/.parquet/...) "
                                              f"is tracked outside {FIXTURES_DIR}/; real answers are never "
                                              "committed"))
            continue
        path = root / name
        if not path.is_file():  # deleted in the work tree but still in the index
            continue
        if name.endswith(".ipynb"):
            if IMPORTED_OUTPUT.search(path.read_text(encoding="utf-8", errors="replace")):
                findings.append(Finding(name, "the notebook's outputs were computed from imported data; "
                                              "re-execute it on the synthetic data (make execute)"))
            continue
        fields = _header_fields(_first_line(path))
        if tidy <= set(fields) and name != SYNTHETIC_FILE:
            findings.append(Finding(name, "holds tidy survey responses (header wave, municipality, question, "
                                          f"answer); only {SYNTHETIC_FILE} may"))
        elif in_fixtures or name == SYNTHETIC_FILE:
            continue
        elif len(questions.intersection(fields)) >= 3:
            findings.append(Finding(name, "holds a wide table of answers (codebook question ids as columns)"))
        elif name.lower().endswith(TABLE_SUFFIXES):
            why = answers_by_municipality(read_rows(path), questions, municipalities)
            if why:
                findings.append(Finding(name, why))
    return findings
