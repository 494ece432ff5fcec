"""No file under version control holds survey responses other than the synthetic dataset.

`check_tracked_files` finds a tidy responses header anywhere but data/synthetic/responses.csv, a wide
table with codebook question ids as columns, or a survey-tool export (.sav/.xlsx/...) outside
tests/fixtures, and committed notebooks whose outputs were computed from imported data. That
data/synthetic/responses.csv is exactly a fresh generation (and so holds no real answer) is checked by
tests/test_calibration.py and `python -m municipal_survey synth --check`.
"""
from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

from ..analysis.disclosure import Finding
from ..data import paths
from ..data.responses import RESPONSE_COLUMNS, Dataset

SYNTHETIC_FILE = "data/synthetic/responses.csv"
FIXTURES_DIR = "tests/fixtures"
# Survey-tool exports that may hold real answers: never tracked outside tests/fixtures.
EXPORT_SUFFIXES = (".sav", ".zsav", ".por", ".xlsx", ".xlsm", ".xls")
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
        head = handle.read(limit)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return head.decode(encoding).splitlines()[0] if head else ""
        except UnicodeDecodeError:
            continue
    return ""


def check_tracked_files(root: Path | None = None, files: Iterable[str] | None = None,
                        question_ids: Iterable[str] | None = None) -> list[Finding]:
    """Findings for tracked files that hold (or may hold) responses other than the synthetic dataset.

    `files` defaults to `git ls-files` under `root`; `question_ids` to the codebook's.
    """
    root = Path(root or paths.PROJECT_ROOT)
    files = tracked_files(root) if files is None else list(files)
    if question_ids is None:
        from ..data.codebook import load_codebook

        question_ids = load_codebook()["question"]
    questions = {q.casefold() for q in question_ids}
    tidy = set(RESPONSE_COLUMNS)
    findings: list[Finding] = []
    for name in files:
        in_fixtures = name == FIXTURES_DIR or name.startswith(FIXTURES_DIR + "/")
        if name.lower().endswith(EXPORT_SUFFIXES):
            if not in_fixtures:
                findings.append(Finding(name, "a survey-tool export (.sav/.xlsx/...) is tracked outside "
                                              f"{FIXTURES_DIR}/; real answers are never committed"))
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
        elif not in_fixtures and len(questions.intersection(fields)) >= 3:
            findings.append(Finding(name, "holds a wide table of answers (codebook question ids as columns)"))
    return findings

