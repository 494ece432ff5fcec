"""The book's settings, read from data/settings.yml (one place, so they can move together).

`book_wave`: the survey wave (year) the chapters report on; the other waves in the data are compared
with it. Kept out of the code so that a data holder with a later wave can choose it without editing
the package.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from . import paths
from .errors import DataError, Problem

FILE_NAME = "settings.yml"  # in data/
KEYS = {"book_wave": "the survey year the chapters report on, e.g. 2020"}


def settings_path() -> Path:
    return paths.DATA_DIR / FILE_NAME


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
    wave = loaded.get("book_wave")
    if "book_wave" in loaded and not (isinstance(wave, int) and not isinstance(wave, bool)
                                      and 1900 <= wave <= 2100):
        problems.append(Problem(file, None, "book_wave", wave, KEYS["book_wave"]))
    if problems:
        raise DataError(problems)
    return loaded


def book_wave() -> int:
    """The survey wave the chapters report on."""
    return int(load_settings()["book_wave"])
