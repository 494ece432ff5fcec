"""The book's settings, read from data/settings.yml: its policy declared in one place.

- `book_wave`: the survey wave (year) the chapters report on; the other waves in the data are compared
  with it. Kept out of the code so that a data holder with a later wave can choose it without editing
  the package.
- `disclosure_threshold`: no page lets a reader infer the answers of fewer municipalities than this
  (`min_count`); a suppressed cell shows `suppressed_mark`, derived from it ("<5").
- `assumed_mark`: the mark beside a number that is an assumption of the synthetic data ("†").
- `pdf_name`: the file name of the book as one PDF, with the wave filled in.
The Makefile reads them with `python -m municipal_survey settings KEY`; the pages through MyST
substitutions (book/_ext/settings_substitutions.py).
"""
from __future__ import annotations

from pathlib import Path

import yaml

from . import paths
from .errors import DataError, Problem

FILE_NAME = "settings.yml"  # in data/
KEYS = {
    "book_wave": "the survey year the chapters report on, e.g. 2020",
    "disclosure_threshold": "the fewest municipalities a page may let a reader infer, a whole number from 2",
    "assumed_mark": "one or two characters that are no letter, digit or space, e.g. †",
    "pdf_name": "a file name ending in .pdf, with {book_wave} where the wave goes",
}


def settings_path() -> Path:
    return paths.DATA_DIR / FILE_NAME


def _whole(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _valid(key: str, value: object) -> bool:
    if key == "book_wave":
        return _whole(value, 1900, 2100)
    if key == "disclosure_threshold":
        return _whole(value, 2, 1000)
    if key == "assumed_mark":
        return (isinstance(value, str) and 1 <= len(value) <= 2
                and not any(c.isalnum() or c.isspace() for c in value))
    return (isinstance(value, str) and value.endswith(".pdf") and "/" not in value
            and value.replace("{book_wave}", "").count("{") == 0)


def load_settings(path: Path | None = None) -> dict[str, object]:
    """Every setting, validated; DataError naming file, key and what was expected otherwise."""
    path = Path(path) if path is not None else settings_path()
    file = str(path)
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(Problem(file, None, None, "no file", "the book's settings file")) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise DataError(Problem(file, mark.line + 1 if mark else None, None, str(error).splitlines()[0],
                                "valid YAML", unit="line")) from None
    if not isinstance(loaded, dict):
        raise DataError(Problem(file, None, None, loaded, "a mapping of settings (key: value)"))
    problems = [Problem(file, None, key, None, expected) for key, expected in KEYS.items() if key not in loaded]
    problems += [Problem(file, None, key, loaded[key], f"one of the known settings: {', '.join(KEYS)}")
                 for key in loaded if key not in KEYS]
    problems += [Problem(file, None, key, loaded[key], KEYS[key])
                 for key in KEYS if key in loaded and not _valid(key, loaded[key])]
    if problems:
        raise DataError(problems)
    return loaded


def book_wave() -> int:
    """The survey wave the chapters report on."""
    return int(load_settings()["book_wave"])


def min_count() -> int:
    """The disclosure threshold: no page lets a reader infer the answers of fewer municipalities."""
    return int(load_settings()["disclosure_threshold"])


def suppressed_mark(threshold: int | None = None) -> str:
    """What a suppressed cell shows: '<' and the threshold ('<5'; the book's threshold by default)."""
    return f"<{min_count() if threshold is None else threshold}"


def assumed_mark() -> str:
    """The mark beside a number that is an assumption of the synthetic data."""
    return str(load_settings()["assumed_mark"])


def pdf_name() -> str:
    """The file name of the whole book as one PDF."""
    settings = load_settings()
    return str(settings["pdf_name"]).replace("{book_wave}", str(settings["book_wave"]))


# What `python -m municipal_survey settings KEY` prints (the Makefile reads the PDF's name this way).
PRINTED = {"book_wave": book_wave, "disclosure_threshold": min_count, "suppressed_mark": suppressed_mark,
           "assumed_mark": assumed_mark, "pdf_name": pdf_name}
