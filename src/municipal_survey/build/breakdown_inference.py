"""One question of one breakdown on one page, turned back into answer counts stage by stage.

A breakdown's groups show a mean with an interval (and perhaps n) per question, in tables, downloads
and charts; statistics over the groups (Kruskal–Wallis, the minimal detectable odds ratio of a group
contrast) sit in other tables of the page. `attack_breakdown` works out what a reader can recover:

1. each group's own figures (`cell-candidates`, `n-per-cell`);
2. with the national counts of the question (`national-margin`: also a hidden cell bounded by them);
3. with the statistics over the groups (`kruskal-wallis`, `power`);
4. for a reader who is one of the group's municipalities (`insider`).

Which of the book's formulas a figure came from (a t-interval cut at the scale's ends or one on the logit
scale; exact coordinates in a chart or the table's rounded numbers; a Kruskal–Wallis test over the page's
groups; a minimal detectable odds ratio from two groups' respondents) is decided once per table or chart
(`Models`): the formula that explains every figure it shows. A real reader knows the book's code; the
true answers stand in for that knowledge here. A figure no formula explains is not used (noted).
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from ..analysis.disclosure import frechet_range, pinned
from . import count_inference as ci
from .attack_knowledge import CATEGORIES, AttackFinding, Reader
from .published_figures import CellFigures, PageFigures, StatisticRow

JOINT_LIMIT = 400_000
# A statistic over groups pins nothing when more than two groups show nothing: every table is then
# listed only for at most two such groups (their splits of what remains).
MAX_FREE_GROUPS = 2
KRUSKAL_COLUMNS = ((r"epsilon", "epsilon2", "ε²"), (r"^p$", "p", "p"))
POWER_COLUMN = r"påviselig"


# --------------------------------------------------------------------- which formula a figure came from
def _cell_windows(source: CellFigures, exact: bool) -> dict[str, ci.Window | None]:
    """The windows a cell's mean and interval stand for: as shown, or (a chart drawn from the table's
    rounded numbers) the rounding window of the value a coordinate lies on."""
    def window(shown: ci.Window | None, decimals: int = 1) -> ci.Window | None:
        if shown is None or not source.drawn or exact:
            return shown
        return ci.Window.rounded(round((shown.low + shown.high) / 2, decimals), decimals)

    return {"mean": window(source.mean), "low": window(source.ci_low), "high": window(source.ci_high),
            "share": window(source.share, 0)}


# What a shown share counts: the group's answers on the scale, or every municipality of the group in the
# register (those who gave no answer on the scale count as not answering "i høj eller meget høj grad").
SHARE_BASES = {"respondents": "share", "register": "register_share"}


def _with_register_share(figures: dict, vectors: np.ndarray, size) -> dict:
    v = np.asarray(vectors, dtype=float)
    return {**figures, "register_share": 100 * (v[:, 2] + v[:, 3]) / np.asarray(size, dtype=float)}


def _explained(source: CellFigures, figures: dict, row: int, interval: str, exact: bool, base: str) -> bool:
    low, high = ci.INTERVALS[interval]
    windows = _cell_windows(source, exact)
    pairs = (("mean", "mean"), ("low", low), ("high", high), ("share", SHARE_BASES[base]))
    return all(windows[w] is None or windows[w].contains(figures[f][row]) for w, f in pairs) and \
        (source.n is None or source.n == figures["n"][row])


@dataclass
class Models:
    """Per source of cells (a table, a download, a chart) its interval, whether its coordinates are
    exact and what its shares count (SHARE_BASES); the statistic tables whose Kruskal–Wallis rows are
    over the page's groups; and per table of minimal detectable odds ratios the two groups (positions)
    whose respondents they contrast."""

    cells: dict[str, tuple[str, bool, str] | None] = field(default_factory=dict)
    tests: set[str] = field(default_factory=set)
    power: dict[str, tuple[int, int]] = field(default_factory=dict)


def choose_models(figures: PageFigures, reader: Reader) -> Models:
    models = Models()
    shown: dict[str, list[tuple[CellFigures, np.ndarray, int]]] = defaultdict(list)
    for (breakdown, question, label), sources in figures.cells.items():
        group = figures.group(breakdown, label)
        if group is None:
            continue
        truth = reader.vector(question, group.members)
        for source in sources:
            if not source.hidden:
                shown[source.where].append((source, truth, len(group.members)))
    for where, cells in shown.items():
        truths = np.array([truth for _, truth, _ in cells])
        true = _with_register_share(ci.cell_figures(truths), truths, [size for _, _, size in cells])
        options = [(interval, exact, base) for exact in (True, False) for interval in ci.INTERVALS
                   for base in SHARE_BASES if exact or cells[0][0].drawn]
        fits = [option for option in options
                if all(_explained(source, true, k, *option) for k, (source, _, _) in enumerate(cells))]
        models.cells[where] = fits[0] if fits else None
    rows: dict[str, list[StatisticRow]] = defaultdict(list)
    for row in figures.statistics:
        if row.breakdown in figures.groups:
            rows[row.where].append(row)
    for where, table in rows.items():
        groups = figures.groups[table[0].breakdown]
        truths = {row.question: np.array([reader.vector(row.question, g.members) for g in groups])
                  for row in table}
        if "kruskal" in table[0].caption.casefold() and all(
                _kruskal_explained(row, truths[row.question]) for row in table):
            models.tests.add(where)
        sizes = [len(g.members) for g in groups]
        for pair in ((0, len(groups) - 1), (int(np.argmax(sizes)), int(np.argmin(sizes)))):
            windows = [(row, _power_window(row, reader)) for row in table]
            if any(w is not None for _, w in windows) and all(
                    w is None or w.contains(ci.harmonic_size(truths[row.question][pair[0]].sum(),
                                                             truths[row.question][pair[1]].sum()))
                    for row, w in windows):
                models.power[where] = pair
                break
    return models


def _kruskal_explained(row: StatisticRow, truth: np.ndarray) -> bool:
    tests = ci.kruskal_wallis(truth[None])
    windows = [(row.window(column), key) for column, key, _ in KRUSKAL_COLUMNS]
    return all(window is None or window.contains(tests[key][0]) for window, key in windows)


def _power_window(row: StatisticRow, reader: Reader) -> ci.Window | None:
    shown = row.window(POWER_COLUMN)
    if shown is None:
        return None
    national = reader.vector(row.question)
    return ci.harmonic_window(shown, national / national.sum())


# ------------------------------------------------------------------------------ the stages
def categories(vectors: np.ndarray, size: int) -> dict:
    """Per answer category (0..3 for answers 1..4, the top two, no answer on the scale) its counts."""
    v = np.asarray(vectors, dtype=int).reshape(-1, 4)
    out = {c: v[:, c] for c in range(4)}
    out["top2"] = v[:, 2] + v[:, 3]
    out["none"] = size - v.sum(axis=1)
    return out


def _candidates_text(vectors: np.ndarray) -> str:
    unique = np.unique(np.asarray(vectors).reshape(-1, 4), axis=0)
    if len(unique) > 3:
        return f"{len(unique)} candidate answer distributions"
    return " or ".join("/".join(str(int(c)) for c in row) for row in unique) + " (answers 1/2/3/4)"


def _per_group(tables: np.ndarray) -> list[np.ndarray]:
    return [tables[:, g, :] for g in range(tables.shape[1])]


@dataclass
class Breakdown:
    """One question of one breakdown on one page, as the attack sees it."""

    figures: PageFigures
    breakdown: str
    question: str
    reader: Reader
    models: Models

    def __post_init__(self):
        self.groups = self.figures.groups[self.breakdown]
        self.sizes = [len(g.members) for g in self.groups]
        self.truth = [self.reader.vector(self.question, g.members) for g in self.groups]
        self.sources = [self.figures.cells.get((self.breakdown, self.question, g.label), []) for g in self.groups]
        self.hidden = [any(s.hidden for s in sources) for sources in self.sources]
        covered = frozenset().union(*(g.members for g in self.groups))
        everyone = frozenset(self.reader.register["code"])
        self.margin = self.reader.vector(self.question) if covered == everyone else None
        self.reported: set[tuple[int, object]] = set()
        self.respondents: list[np.ndarray] = []

    @property
    def label(self) -> str:
        return self.figures.label(self.question)

    def shown_text(self, g: int) -> str:
        """What the page shows of group g: its cell (once, however many downloads repeat it) and chart point."""
        texts = dict.fromkeys(s.text for s in self.sources[g] if not s.hidden)
        return "; ".join(f"'{t}'" if not t.startswith("drawn") else f"chart point {t}" for t in texts) or "hidden"

    def cell_candidates(self, notes: list[str]) -> list[np.ndarray | None]:
        """Per group, the count vectors its shown figures allow; None for a group no figure constrains."""
        out = []
        for group, size, sources in zip(self.groups, self.sizes, self.sources):
            vectors = ci.compositions(size)
            shown = _with_register_share(ci.composition_figures(size), vectors, size)
            mask, used = np.ones(len(vectors), dtype=bool), False
            for source in sources:
                if source.hidden:
                    continue
                model = self.models.cells.get(source.where)
                if model is None:
                    notes.append(f"{source.where}: the means and intervals are no formula the attack knows: "
                                 f"{group.label}, {self.label} ({source.text}) not used")
                    continue
                interval, exact, base = model
                windows = _cell_windows(source, exact)
                low, high = ci.INTERVALS[interval]
                for window, column in ((windows["mean"], "mean"), (windows["low"], low), (windows["high"], high),
                                       (windows["share"], SHARE_BASES[base])):
                    if window is not None:
                        mask &= window.contains(shown[column])
                if source.n is not None:
                    mask &= shown["n"] == source.n
                used = True
            out.append(vectors[mask] if used else None)
        return out

    def alone(self, g: int, category, own=None) -> int:
        """How many values the national counts and the group's size alone leave for a count of group g
        (for a municipality of the group that answered `own`: the others' count). A page that narrows a
        count no further than that gives nothing away: the national figures already tell it."""
        size, everyone = self.sizes[g], sum(self.sizes)
        if self.margin is None:
            return size + 1
        national = {c: int(self.margin[c]) for c in range(4)}
        national["top2"], national["none"] = national[2] + national[3], everyone - int(self.margin.sum())
        count = national[category]
        if own is not None:
            mine = int(category == own or (category == "top2" and own in (2, 3)))
            size, everyone, count = size - 1, everyone - 1, count - mine
        return len(frechet_range(size, count, everyone))

    def findings(self, kind: str, statistic: str, per_group: list[np.ndarray],
                 none_kind: str | None = None) -> list[AttackFinding]:
        """New findings from the feasible vectors of each group (reported once per group and category;
        the no-answer category under `none_kind` if given)."""
        found = []
        for g, (group, size, truth, vectors) in enumerate(zip(self.groups, self.sizes, self.truth, per_group)):
            values = categories(vectors, size)
            true = {k: int(v[0]) for k, v in categories(truth, size).items()}
            pins = defaultdict(list)
            for category, feasible in values.items():
                if (g, category) in self.reported:
                    continue
                feasible = np.unique(feasible)  # the values a reader cannot rule out
                narrowed = len(feasible) < self.alone(g, category)
                hit = (narrowed and pinned(feasible, true[category], self.reader.min_count)) or \
                    (self.hidden[g] and len(feasible) <= 2)
                if hit:
                    self.reported.add((g, category))
                    pins[none_kind if category == "none" and none_kind else kind].append(
                        f"{CATEGORIES[category]} {ci.describe(feasible)}")
            for pin_kind, texts in pins.items():
                said = statistic or self.shown_text(g)
                found.append(AttackFinding(pin_kind, self.figures.page, f"{group.label}, {self.label}: {said}",
                                           f"{_candidates_text(vectors)}; " + ", ".join(texts),
                                           (self.breakdown, self.question, group.label, pin_kind)))
        return found

    def insider(self, per_group: list[np.ndarray]) -> list[AttackFinding]:
        """A municipality of the group that knows its own answer: the vectors without that answer go, and
        in the answer's own category it removes itself. There the others' count must not be pinned below
        min_count − 1 (4 others cannot be told apart) nor to 0; elsewhere the rule as for any reader."""
        found = []
        for g, (group, size, truth, vectors) in enumerate(zip(self.groups, self.sizes, self.truth, per_group)):
            values = categories(vectors, size)
            true = {k: int(v[0]) for k, v in categories(truth, size).items()}
            for own in (0, 1, 2, 3, "none"):
                if true[own] < 1:
                    continue
                keep = values[own] >= 1
                for category, feasible in values.items():
                    mine = int(category == own or (category == "top2" and own in (2, 3)))
                    others = np.unique(feasible[keep] - mine)
                    rule = (self.reader.min_count - 1, 0) if mine else (self.reader.min_count, 1)
                    narrowed = len(others) < self.alone(g, category, own)
                    hit = (narrowed and pinned(others, true[category] - mine, rule[0], lowest=rule[1])) or \
                        (self.hidden[g] and len(others) <= 2)
                    if hit and (g, category) not in self.reported:
                        self.reported.add((g, category))
                        found.append(AttackFinding(
                            "insider", self.figures.page, f"{group.label}, {self.label}: a municipality of the "
                            f"group that answered {CATEGORIES[own]}",
                            f"the others' {CATEGORIES[category]} {ci.describe(others)}",
                            (self.breakdown, self.question, group.label, category)))
        return found

    def statistic_rows(self, pattern: str) -> list[StatisticRow]:
        return [r for r in self.figures.statistics if r.breakdown == self.breakdown and r.question == self.question
                and any(re.search(pattern, h, re.IGNORECASE) for h in r.values)]

    def kruskal_filter(self, tables: np.ndarray) -> tuple[np.ndarray, list[str]]:
        """Which tables the page's Kruskal–Wallis rows over its groups allow, and what was used."""
        keep, used = np.ones(len(tables), dtype=bool), []
        tests = ci.kruskal_wallis(tables)
        for row in self.statistic_rows(r"epsilon|^p$"):
            if row.where not in self.models.tests:
                continue
            for column, key, name in KRUSKAL_COLUMNS:
                window = row.window(column)
                if window is not None:
                    keep &= window.contains(tests[key])
                    used.append(f"{name} {row.values[next(h for h in row.values if re.search(column, h, re.I))]}")
        return keep, list(dict.fromkeys(used))

    def power_filter(self, tables: np.ndarray) -> tuple[np.ndarray, list[str]]:
        """Which tables the minimal detectable odds ratios of two groups' contrast allow."""
        keep, used = np.ones(len(tables), dtype=bool), []
        for row in self.statistic_rows(POWER_COLUMN):
            if row.where not in self.models.power:
                continue
            a, b = self.models.power[row.where]
            window = _power_window(row, self.reader)
            keep &= window.contains(ci.harmonic_size(tables[:, a].sum(axis=1), tables[:, b].sum(axis=1)))
            header = next(h for h in row.values if re.search(POWER_COLUMN, h, re.IGNORECASE))
            used.append(f"{header} {row.values[header]}")
        return keep, list(dict.fromkeys(used))


def attack_breakdown(breakdown: Breakdown, notes: list[str]) -> list[AttackFinding]:
    """Stage by stage: each group's own figures, then the national counts, then statistics over the
    groups, then the insider; every finding is reported at the first stage that gives it. What is left
    of each group's n is kept in `breakdown.respondents` (the share tables use it)."""
    cells = breakdown.cell_candidates(notes)
    own = [ci.compositions(size) if c is None else c for c, size in zip(cells, breakdown.sizes)]
    found = breakdown.findings("cell-candidates", "", own, none_kind="n-per-cell")
    final = own
    if breakdown.margin is not None:
        final = ci.margin_feasible(cells, breakdown.sizes, breakdown.margin)
        found += breakdown.findings("national-margin", "shown cells with the national answer counts", final)
        free = sum(c is None for c in cells)
        if free <= MAX_FREE_GROUPS and (breakdown.statistic_rows(r"epsilon|^p$|" + POWER_COLUMN)):
            tables = ci.joint_tables(final, breakdown.margin, JOINT_LIMIT)
            if tables is None:
                notes.append(f"{breakdown.figures.page}: {breakdown.breakdown}, {breakdown.label}: more than "
                             f"{JOINT_LIMIT} tables fit the cells; statistics over the groups not used")
            else:
                found += _statistics_findings(breakdown, tables)
                final = _per_group(tables[breakdown.kruskal_filter(tables)[0] & breakdown.power_filter(tables)[0]])
    breakdown.respondents = [np.unique(np.asarray(v).sum(axis=1)) for v in final]
    return found + breakdown.insider(final)


def _statistics_findings(breakdown: Breakdown, tables: np.ndarray) -> list[AttackFinding]:
    kw_keep, kw_used = breakdown.kruskal_filter(tables)
    power_keep, power_used = breakdown.power_filter(tables)
    kruskal_wallis, power = f"Kruskal–Wallis ({', '.join(kw_used)})", ", ".join(power_used)
    with_cells = "with the shown cells and the national counts"
    found = []
    if kw_used:
        found += breakdown.findings("kruskal-wallis", f"{kruskal_wallis} {with_cells}",
                                    _per_group(tables[kw_keep]))
    if power_used:
        found += breakdown.findings("power", f"{power} {with_cells}", _per_group(tables[power_keep]))
    if kw_used and power_used:
        found += breakdown.findings("kruskal-wallis", f"{kruskal_wallis} and {power} {with_cells}",
                                    _per_group(tables[kw_keep & power_keep]))
    return found
