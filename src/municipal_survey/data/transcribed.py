"""Dated snapshot files of numbers transcribed from the report's PDF (data/published/).

Each import of a transcription is one new file, published_transcribed_<date>.csv (a second import on
the same day gets _2, _3, ...): no file of the published table is ever rewritten.
"""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from .published import PUBLISHED_COLUMNS

PREFIX = "published_transcribed_"
COLUMNS = [*PUBLISHED_COLUMNS, "source", "transcribed_by", "transcribed_on", "supersedes"]


def snapshot_path(directory: Path, date: str) -> Path:
    """The first free file name for a transcription imported on `date` (YYYY-MM-DD)."""
    candidate, number = Path(directory) / f"{PREFIX}{date}.csv", 1
    while candidate.exists():
        number += 1
        candidate = Path(directory) / f"{PREFIX}{date}_{number}.csv"
    return candidate


def id_prefix(path: Path) -> str:
    """The ids of a snapshot's rows start with its file's date (and number): 'tr-2026-12-04-'."""
    return "tr-" + Path(path).stem.removeprefix(PREFIX).replace("_", "-") + "-"


def snapshot_csv(rows: pd.DataFrame) -> bytes:
    """The snapshot's bytes: UTF-8, comma-separated, the published table's columns and the transcription's."""
    out = io.StringIO()
    rows[COLUMNS].to_csv(out, index=False, lineterminator="\n")
    return out.getvalue().encode("utf-8")
