"""The disclosure rule: the municipalities' own answers never leave their holders.

No figure for a subgroup may let a reader infer the answers of fewer than `MIN_COUNT` municipalities.
Every breakdown table passes through this module before a page shows it; the built site is then
attacked as an outside reader would by `build.disclosure_check`.

- `share_reason`: a share needs `MIN_COUNT` municipalities with the answer and as many without it;
- `mean_reason`: a mean needs `MIN_COUNT` answers outside the group's most common answer;
- `suppress_cells`: primary and secondary suppression of a breakdown in long form;
- `suppress_small`: counts (and what is computed from them) under `MIN_COUNT`, with the mark;
- `paired_change_reason`: a change between two waves paired by municipality needs `MIN_COUNT`
  municipalities changing each way.
The rule and its reason are stated in Danish on the method page (book/metode.md).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
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
    shares and means of groups go through share_reason/mean_reason and suppress_cells instead, which
    add the secondary suppression.
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


# --------------------------------------------------------------------------------------- the rule
def share_reason(k: int, n: int, min_count: int = MIN_COUNT) -> str:
    """Why a share k of n may not be shown for a subgroup ("" when it may).

    A reader who sees the share and the group size can count the municipalities on each side of it,
    so both sides must hold at least `min_count` (no 0 or 100 pct. in a small group)."""
    if n < min_count:
        return f"gruppen har færre end {min_count} besvarelser"
    if k < min_count:
        return f"færre end {min_count} kommuner har svaret"
    if n - k < min_count:
        return f"færre end {min_count} kommuner har ikke svaret"
    return ""


def mean_reason(category_counts: Sequence[int], min_count: int = MIN_COUNT) -> str:
    """Why a mean of one group's answers may not be shown ("" when it may): the group has at least
    `min_count` answers, and at least `min_count` of them lie outside its most common category (a mean
    of 4,0, or of a group where all but a few gave one answer, tells what nearly everyone answered)."""
    n = int(sum(category_counts))
    if n < min_count:
        return f"gruppen har færre end {min_count} besvarelser"
    if n - max(category_counts) < min_count:
        return f"færre end {min_count} kommuner har svaret andet end det hyppigste svar"
    return ""


def paired_change_reason(yes_then_no: int, no_then_yes: int, min_count: int = MIN_COUNT) -> str:
    """Why a change between two waves may not be shown paired by municipality ("" when it may).

    A paired change and its interval rest on the municipalities whose answer changed: the centre and
    width of the interval give both counts away, so each direction needs `min_count` municipalities
    (a reader who is one of them still faces at least `min_count` - 1 others)."""
    if min(yes_then_no, no_then_yes) < min_count:
        return f"færre end {min_count} kommuner har skiftet svar den ene vej"
    return ""


def suppress_cells(cells: pd.DataFrame, row: str, column: str, reason: str = "reason",
                   totals: Sequence[str] = ("row", "column"), size: str = "n") -> pd.DataFrame:
    """Primary and secondary suppression of a breakdown given in long form (one line per cell).

    `cells[reason]` holds each cell's primary reason ("" = may be shown; see share_reason and
    mean_reason). Along every dimension in `totals` (the book publishes the national figure of each
    row, and of each column where a column adds up to something) a line with exactly one suppressed
    cell would give it away by subtraction, so its smallest other cell (by `size`) is suppressed too,
    repeated until no line has exactly one. Returns a copy with `suppressed` (bool) and `suppression`
    ("", "primær" or "sekundær")."""
    for name in (row, column, reason, size):
        if name not in cells.columns:
            raise KeyError(f"no column {name!r} in the cells (columns: {list(cells.columns)})")
    unknown = set(totals) - {"row", "column"}
    if unknown:
        raise ValueError(f"totals must be 'row' and/or 'column', got {sorted(unknown)}")
    out = cells.reset_index(drop=True).copy()
    out["suppressed"] = out[reason].astype(str) != ""
    out["suppression"] = np.where(out["suppressed"], "primær", "")
    lines = [{"row": row, "column": column}[t] for t in totals]
    changed = True
    while changed:
        changed = False
        for key in lines:
            for _, line in out.groupby(key, sort=False, observed=True):
                if len(line) < 2 or int(line["suppressed"].sum()) != 1:
                    continue
                shown = line[~line["suppressed"]]
                victim = pd.to_numeric(shown[size], errors="coerce").fillna(0).sort_values(kind="stable").index[0]
                out.loc[victim, ["suppressed", "suppression"]] = [True, "sekundær"]
                changed = True
    return out
