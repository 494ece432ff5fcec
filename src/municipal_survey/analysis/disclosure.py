"""The disclosure rule: the municipalities' own answers never leave their holders.

No figure for a subgroup may let a reader infer the answers of fewer than `MIN_COUNT` municipalities.
Every breakdown table passes through this module before a page shows it; the built site is then
attacked as an outside reader would by `build.disclosure_check`.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

MIN_COUNT = 5
MARK = "<5"


@dataclass(frozen=True)
class Finding:
    """One thing that must not be published or committed."""

    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"



def suppress_small(table: pd.DataFrame, count_column: str, min_count: int = MIN_COUNT, mark: str = MARK, *,
                   dependent: Sequence[str] | None = None, include_zero: bool = True) -> pd.DataFrame:
    """A copy of `table` in which every row whose count is under `min_count` shows `mark` instead.

    `count_column` holds the number of municipalities behind the row (a group's N, or the count of one
    cell). Numbers computed from those municipalities (shares, means) disclose as much as the count, so
    the row's `dependent` columns are suppressed too; by default every other numeric column. Pass
    `dependent=[]` for a table of independent counts (suppress each count column in turn). Text columns
    (the group's name) are kept. A count of 0 is suppressed too unless `include_zero=False` (a zero tells
    that no municipality in the group gave that answer). Missing counts are left as they are.

    Suppressing a cell does not stop a reader from deriving it from a total in the same row or column;
    a table with totals needs secondary suppression, which this helper does not do.
    """
    if count_column not in table.columns:
        raise KeyError(f"no column {count_column!r} in the table (columns: {list(table.columns)})")
    counts = pd.to_numeric(table[count_column], errors="coerce")
    small = counts.notna() & (counts < min_count) & ((counts > 0) | include_zero)
    if dependent is None:
        dependent = [c for c in table.columns if c != count_column and pd.api.types.is_numeric_dtype(table[c])]
    unknown = [c for c in dependent if c not in table.columns]
    if unknown:
        raise KeyError(f"dependent columns not in the table: {unknown}")
    out = table.copy()
    for column in [count_column, *dependent]:
        out[column] = out[column].astype(object)
        out.loc[small, column] = mark
    return out

