"""Reading the project's own CSV files with checks that name file, row and column."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from .errors import DataError, Problem


def read_csv_strict(path: Path, columns: Iterable[str], *, dtype=str,
                    optional: dict[str, str] | None = None) -> pd.DataFrame:
    """Read a UTF-8 CSV whose header must hold `columns`; every cell comes back as text.

    `optional` columns (name -> default) may be absent from a file; a missing one gets the default.
    A missing column, an empty file or an unreadable file raises DataError naming the file.
    """
    columns = list(columns)
    try:
        frame = pd.read_csv(path, dtype=dtype, keep_default_na=False, encoding="utf-8")
    except pd.errors.EmptyDataError:
        raise DataError(Problem(str(path), None, None, "", "a header row and data")) from None
    except UnicodeDecodeError as exc:
        raise DataError(Problem(str(path), None, None, repr(exc.object[exc.start:exc.end]),
                                "UTF-8 text")) from None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError([Problem(str(path), 1, c, None, "this column in the header") for c in missing])
    optional = optional or {}
    for column, default in optional.items():
        if column not in frame.columns:
            frame[column] = default
    return frame[columns + list(optional)]


def read_all(directory: Path, pattern: str, columns: Iterable[str],
             optional: dict[str, str] | None = None) -> pd.DataFrame:
    """Concatenate every file matching `pattern` in `directory`, remembering file and row of each line."""
    files = sorted(directory.glob(pattern))
    if not files:
        raise DataError(Problem(str(directory / pattern), None, None, None, "at least one file"))
    parts = []
    for path in files:
        frame = read_csv_strict(path, columns, optional=optional)
        frame["_file"] = path.name
        frame["_row"] = range(2, len(frame) + 2)
        parts.append(frame)
    return pd.concat(parts, ignore_index=True)


def where(frame: pd.DataFrame, index) -> tuple[str, int]:
    """File name and spreadsheet row of one line of a frame built by read_all."""
    return str(frame.at[index, "_file"]), int(frame.at[index, "_row"])


def place(record: dict) -> tuple[str, int]:
    """File name and spreadsheet row of one record (frame.to_dict("records")) of a frame built by read_all."""
    return str(record["_file"]), int(record["_row"])
