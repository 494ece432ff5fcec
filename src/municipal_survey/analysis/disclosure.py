"""The disclosure rule: the municipalities' own answers never leave their holders.

No figure for a subgroup may let a reader infer the answers of fewer than `MIN_COUNT` municipalities.
Every breakdown table passes through this module before a page shows it; the built site is then
attacked as an outside reader would by `build.disclosure_check`.

- `share_reason`: a share needs `MIN_COUNT` municipalities with the answer and as many without it;
- `margin_reasons`: the shares of a breakdown beside the national counts must not pin a small count of
  one answer, for any reader or for a municipality of the group;
- `suppress_cells`: primary and secondary suppression of a breakdown in long form;
- `suppress_small`: counts (and what is computed from them) under `MIN_COUNT`, with the mark;
- `paired_change_reason`: a change between two waves paired by municipality needs `MIN_COUNT`
  municipalities changing each way.
The rule and its reason are stated in Danish on the method page (book/metode.md).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..data import settings

# The threshold is a setting (data/settings.yml); the mark a suppressed cell shows follows from it.
MIN_COUNT = settings.min_count()
MARK = settings.suppressed_mark()
# The class of a breakdown table whose rows (questions) each add up to a published national figure while
# its columns (groups across questions) add up to nothing: secondary suppression runs along the rows only.
ROWS_ADD_UP = "rows-add-up"


@dataclass(frozen=True)
class Finding:
    """One thing that must not be published or committed."""

    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


def suppress_small(table: pd.DataFrame, count_column: str, min_count: int = MIN_COUNT, mark: str | None = None, *,
                   dependent: Sequence[str] | None = None, include_zero: bool = True) -> pd.DataFrame:
    """A copy of `table` in which every row whose count is under `min_count` shows `mark` instead (by
    default "<" and `min_count`, as every table of the book marks a suppressed cell).

    `count_column` holds the number of municipalities behind the row (a group's N, or the count of one
    cell). Numbers computed from those municipalities (shares, means) disclose as much as the count, so
    the row's `dependent` columns are suppressed too; by default every other numeric column. Pass
    `dependent=[]` for a table of independent counts (suppress each count column in turn). Text columns
    (the group's name) are kept. A count of 0 is suppressed too unless `include_zero=False` (a zero tells
    that no municipality in the group gave that answer). Missing counts are left as they are.

    Suppressing a cell does not stop a reader from deriving it from a total in the same row or column;
    shares of groups go through share_reason and suppress_cells instead, which
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
    mark = settings.suppressed_mark(min_count) if mark is None else mark
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

    `cells[reason]` holds each cell's primary reason ("" = may be shown; see share_reason). Along every
    dimension in `totals` (the book publishes the national figure of each row, and of each column where a
    column adds up to something) a line with exactly one suppressed cell would give it away by
    subtraction, so its smallest other cell (by `size`) is suppressed too, repeated until no line has
    exactly one. Returns a copy with `suppressed` (bool) and `suppression`
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


# ------------------------------------------------------------------------------ merging instead of holes
SCALE_COLUMNS = ("n_1", "n_2", "n_3", "n_4")


class Merge(NamedTuple):
    """One merge: the failing group, the neighbour it joined, the merged group, and their members."""

    failing: str
    partner: str
    merged: str
    failing_members: tuple[str, ...]
    partner_members: tuple[str, ...]


@dataclass(frozen=True)
class Grouping:
    """One breakdown's groups on one page after merging, with the one decision per (question, group)
    that every table, chart, download and statistic of the page uses.

    `members`: shown group -> the original groups it joins (in order); `merges`: the merges in the
    order they were made; `cells`: one line per (question, group) with
    the answer counts n_1..n_4, n, the primary `reason`, `suppressed` and `suppression`."""

    members: dict[str, tuple[str, ...]]
    merges: tuple[Merge, ...]
    cells: pd.DataFrame

    @property
    def groups(self) -> list[str]:
        return list(self.members)

    def group_of(self, original: str) -> str:
        for group, members in self.members.items():
            if original in members:
                return group
        raise KeyError(f"no group holds {original!r}")

    def hidden(self) -> set[tuple[str, str]]:
        """The (question, group) pairs the page may not show."""
        rows = self.cells[self.cells["suppressed"]]
        return set(zip(rows["question"], rows["group"]))

    def statistic_reason(self, question: str) -> str:
        """Why a statistic over the groups (a test, an effect size, an odds ratio against a reference) may
        not be shown for `question` ("" when it may): it would give away a hidden group."""
        rows = self.cells[self.cells["question"] == question]
        if rows["suppressed"].any():
            return "kan ikke vises: mindst én gruppe er skjult efter reglen for diskretion"
        return ""


def _share_reasons(counts: pd.DataFrame, sizes: dict[str, int]) -> pd.Series:
    """The share rule for the share "i høj eller meget høj grad" (answers 3 and 4) of each line, out of
    every municipality of its group in the register (`sizes`: group -> municipalities)."""
    top = counts["n_3"] + counts["n_4"]
    reasons = [share_reason(int(k), sizes[g]) for k, g in zip(top, counts["group"])]
    return pd.Series(reasons, index=counts.index)


# The answers on the scale and the municipalities with no answer on it, in two blocks: a page shows a
# group's count in the first block (its share "i høj eller meget høj grad" of the whole group), so each
# block adds up to a known total per group, and every category to a known national count.
CATEGORY_NAMES = ("slet ikke", "i mindre grad", "i høj grad", "i meget høj grad", "intet svar på skalaen")
SHOWN_BLOCKS = ((2, 3), (0, 1, 4))


def frechet_range(row: int, column: int, total: int) -> range:
    """Every value a cell can take in a table with the given row, column and grand totals (all attainable)."""
    return range(max(0, row + column - total), min(row, column) + 1)


def pinned(values, true: int, min_count: int = MIN_COUNT, lowest: int = 1) -> bool:
    """A count whose true value is `lowest` to min_count - 1 is given away when a reader's feasible values
    for it are at most two, or all lie inside 1 to min_count - 1. (A reader who is one of the
    municipalities and has removed its own answer: min_count - 1 and lowest 0, for no count of the
    others may become 0, and min_count - 1 others cannot be told apart.)"""
    if not lowest <= true < min_count:
        return False  # decided before the values are looked at: most counts are never small
    values = np.unique(values if isinstance(values, np.ndarray) else np.fromiter(values, dtype=np.int64))
    if len(values) == 0:
        return False
    return bool(len(values) <= 2 or (values.min() >= 1 and values.max() < min_count))


def margin_reasons(counts: dict[str, Sequence[int]], min_count: int = MIN_COUNT) -> dict[str, str]:
    """Why a group's share may not be shown beside the national counts, per group ("" when it may).

    `counts`: every group of the breakdown (together the whole register) -> its counts of answers 1-4 and
    of no answer on the scale. With every group's count "i høj eller meget høj grad" shown and the
    national count of each answer published, a group's count of one answer lies in a known range (the
    Fréchet bounds of each block, SHOWN_BLOCKS). The share may not be shown when that range pins a count
    of 1 to min_count - 1, for any reader or for a municipality of the group that removes its own answer
    (then no count of the others may be pinned to 0 to min_count - 2) -- unless the national counts alone
    pin it as much, which the book's national figures already tell."""
    groups = list(counts)
    table = np.array([list(counts[g]) for g in groups], dtype=int)
    national, everyone = table.sum(axis=0), int(table.sum())
    reasons = {}
    for i, group in enumerate(groups):
        size = int(table[i].sum())
        found = ""
        for block in SHOWN_BLOCKS:
            row, total = int(table[i, list(block)].sum()), int(table[:, list(block)].sum())
            for c in block:
                shown = frechet_range(row, int(national[c]), total)
                alone = frechet_range(size, int(national[c]), everyone)
                if len(shown) < len(alone) and pinned(shown, int(table[i, c]), min_count):
                    found = found or ("sammen med landstallene ville andelen vise, hvor mange kommuner i "
                                      f"gruppen der svarede »{CATEGORY_NAMES[c]}«")
                for own in block:  # a municipality of the group that answered `own`
                    if table[i, own] < 1:
                        continue
                    mine = int(c == own)
                    shown = frechet_range(row - 1, int(national[c]) - mine, total - 1)
                    alone = frechet_range(size - 1, int(national[c]) - mine, everyone - 1)
                    rule = (min_count - 1, 0) if mine else (min_count, 1)
                    if len(shown) < len(alone) and pinned(shown, int(table[i, c]) - mine, *rule):
                        found = found or ("en kommune i gruppen, der kender sit eget svar, ville sammen med "
                                          "landstallene kunne se, hvor mange andre der svarede "
                                          f"»{CATEGORY_NAMES[c]}«")
        reasons[group] = found
    return reasons


def _margin_reasons(cells: pd.DataFrame, sizes: dict[str, int]) -> pd.Series:
    """margin_reasons for every question of `cells` (one line per question and group)."""
    out = pd.Series("", index=cells.index)
    for _, lines in cells.groupby("question", sort=False):
        counts = {r.group: (r.n_1, r.n_2, r.n_3, r.n_4, sizes[r.group] - r.n) for r in lines.itertuples()}
        reasons = margin_reasons(counts)
        out[lines.index] = lines["group"].map(reasons).to_numpy()
    return out


def group_counts(counts: pd.DataFrame, members: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    """Answer counts per (question, shown group) from counts per (question, original group)."""
    owner = {original: group for group, originals in members.items() for original in originals}
    merged = counts.assign(group=counts["group"].map(owner))
    summed = merged.groupby(["question", "group"], sort=False, observed=True)[list(SCALE_COLUMNS)].sum()
    summed = summed.reset_index()
    order = {q: i for i, q in enumerate(dict.fromkeys(counts["question"]))}
    summed["group"] = pd.Categorical(summed["group"], categories=list(members), ordered=True)
    summed = summed.sort_values(["question", "group"], key=lambda s: s.map(order) if s.name == "question" else s,
                                kind="stable").reset_index(drop=True)
    summed["group"] = summed["group"].astype(str)
    summed["n"] = summed[list(SCALE_COLUMNS)].sum(axis=1)
    return summed


def merge_groups(counts: pd.DataFrame, groups: list[str], neighbours: dict[str, tuple[str, ...]],
                 sizes: dict[str, int], label=None) -> Grouping:
    """Merging instead of holes, then primary and secondary suppression.

    `counts`: one line per (question, original group) with n_1..n_4 (the answers on the 1-4 scale).
    While a group fails the share rule (share_reason, for the share "i høj eller meget høj grad" of the
    group's municipalities in the register, the figure a page shows per group) on any question and more
    than two groups remain, the group failing on most questions (ties: the smaller in the register,
    `sizes`) is merged with its first declared neighbour (`neighbours[group]`, in order of preference)
    that is another group. A cell also fails when, beside the national counts, the shares would pin a
    small count of one answer (margin_reasons). Cells that still fail are suppressed, with secondary
    suppression along each question (its national figure is published). `label(originals)` names a
    merged group (default: the names joined by " og ")."""
    label = label or (lambda originals: " og ".join(originals))
    members = {g: (g,) for g in groups}
    merges = []
    while True:
        cells = group_counts(counts, members)
        shown_sizes = {g: sum(sizes[o] for o in originals) for g, originals in members.items()}
        cells["reason"] = _share_reasons(cells, shown_sizes)
        cells["reason"] = cells["reason"].where(cells["reason"] != "", _margin_reasons(cells, shown_sizes))
        failing = cells[cells["reason"] != ""].groupby("group").size()
        if failing.empty or len(members) <= 2:
            break
        worst = max(failing.index, key=lambda g: (failing[g], -sum(sizes[o] for o in members[g])))
        partner = _neighbour(worst, members, neighbours, sizes)
        merged_members = tuple(o for o in groups if o in members[worst] + members[partner])
        name = label(merged_members)
        first = min(list(members).index(worst), list(members).index(partner))
        ordered = [g for g in members if g not in (worst, partner)]
        ordered.insert(first, name)
        merges.append(Merge(worst, partner, name, members[worst], members[partner]))
        pool = {**members, name: merged_members}
        members = {g: pool[g] for g in ordered}
    return Grouping(members, tuple(merges), suppress_cells(cells, "question", "group", totals=("row",)))


def _neighbour(group: str, members: dict[str, tuple[str, ...]], neighbours: dict[str, tuple[str, ...]],
               sizes: dict[str, int]) -> str:
    """The group to merge `group` with: the first declared neighbour of its members that lies in another
    group; for ordered groups (no declared neighbours) the adjacent group that is smaller in the register."""
    if neighbours:
        for original in members[group]:
            for candidate in neighbours.get(original, ()):
                if candidate not in members[group]:
                    return next(g for g, originals in members.items() if candidate in originals)
        raise ValueError(f"{group!r} has no declared neighbour outside itself")
    order = list(members)
    at = order.index(group)
    adjacent = [order[i] for i in (at - 1, at + 1) if 0 <= i < len(order)]
    return min(adjacent, key=lambda g: sum(sizes[o] for o in members[g]))


# --------------------------------------------------------------------- summaries of the respondents
def _named_in_every(forced: list[set[int]]) -> set[int]:
    """The municipalities every allowed set of non-respondents holds (the intersection)."""
    named = set(forced[0])
    for found in forced[1:]:
        named &= found
    return named


def median_summary_reason(values, respondent, step: float, min_count: int = MIN_COUNT) -> str:
    """Whether the median of the respondents' `values` (e.g. population), rounded to `step`, may be shown
    beside the register ("" when it may). An outside reader knows every municipality's value and how
    many did not respond (m); the shown median allows the non-respondent sets S of size m whose
    complement has its median in the rounding window. The summary is withheld when m < `min_count`,
    when every allowed S holds some municipality (it is named as a non-respondent), or when fewer than
    `min_count` sets S are allowed."""
    from math import comb

    values = np.asarray(values, dtype=float)
    respondent = np.asarray(respondent, dtype=bool)
    order = np.argsort(values, kind="stable")
    u = values[order]
    total, n = len(u), int(respondent.sum())
    m = total - n
    if m < min_count:
        return f"færre end {min_count} kommuner mangler"
    shown = round_to(float(np.median(values[respondent])), step)
    low, high = shown - step / 2, shown + step / 2
    forced, candidates = [], 0
    h = (n + 1) // 2 if n % 2 else n // 2
    # Odd n: the median is respondent u_j with j - h non-respondents below it; even n: the mean of two
    # respondents u_j1 < u_j2 with every position between them non-respondent.
    pairs = [(j, j) for j in range(1, total + 1)] if n % 2 else \
        [(j1, j2) for j1 in range(1, total + 1) for j2 in range(j1 + 1, min(total, j1 + m + 1) + 1)]
    for j1, j2 in pairs:
        median = (u[j1 - 1] + u[j2 - 1]) / 2
        if not low <= median < high:
            continue
        between = j2 - j1 - 1
        below = j1 - h
        above = m - below - between
        if below < 0 or below > j1 - 1 or above < 0 or above > total - j2:
            continue
        candidates += comb(j1 - 1, below) * comb(total - j2, above)
        found = set(range(j1 + 1, j2))
        if below and below == j1 - 1:
            found |= set(range(1, j1))
        if above and above == total - j2:
            found |= set(range(j2 + 1, total + 1))
        forced.append(found)
    if not forced:
        raise ValueError("the shown median fits no set of non-respondents: the check is wrong")
    if _named_in_every(forced):
        return "medianen ville udpege kommuner, der ikke har svaret"
    if candidates < min_count:
        return f"medianen efterlader færre end {min_count} mulige sæt af kommuner, der ikke har svaret"
    return ""


def round_to(value: float, step: float) -> float:
    """`value` rounded half away from zero to a multiple of `step` (as the page shows it)."""
    from .rounding import round_half_away

    return float(round_half_away(value / step) * step)


def largest_share_difference(sizes: dict[str, int], missing: dict[str, int]) -> float:
    """The largest difference, in percentage points, between a group's share of the respondents and
    its share of all municipalities."""
    total = sum(sizes.values())
    respondents = total - sum(missing.values())
    return max(abs(100 * (sizes[g] - missing[g]) / respondents - 100 * sizes[g] / total) for g in sizes)


def difference_summary_reason(sizes: dict[str, int], missing: dict[str, int], min_count: int = MIN_COUNT) -> str:
    """Whether the largest difference between a group's share of the respondents and of all
    municipalities (whole percentage points, no group named) may be shown ("" when it may). An
    outside reader knows the groups' sizes and how many did not respond; every split of the missing
    over the groups that gives the shown figure is possible. The figure is withheld when a group's
    count of missing could be 1-4 and is pinned to at most two values or to a range inside 1-4, or when
    a group could only be missing entirely."""
    from itertools import product

    from .rounding import round_half_away

    groups = list(sizes)
    m = sum(missing.values())
    if m < min_count:
        return f"færre end {min_count} kommuner mangler"
    shown = round_half_away(largest_share_difference(sizes, missing))
    feasible = {g: set() for g in groups}
    for split in product(*(range(min(sizes[g], m) + 1) for g in groups[:-1])):
        rest = m - sum(split)
        if rest < 0 or rest > sizes[groups[-1]]:
            continue
        candidate = dict(zip(groups, (*split, rest)))
        if round_half_away(largest_share_difference(sizes, candidate)) == shown:
            for g in groups:
                feasible[g].add(candidate[g])
    for g in groups:
        values = feasible[g]
        if values == {sizes[g]}:
            return "tallet ville vise, at alle kommuner i en gruppe mangler"
        if 1 <= missing[g] < min_count and (len(values) <= 2 or (min(values) >= 1 and max(values) < min_count)):
            return "tallet ville vise, hvor mange kommuner der mangler i en gruppe"
    return ""
