"""Attack the built book with everything it publishes at once, as an outside reader would.

The reader has the built site (every page's tables, their CSV and Excel downloads, the coordinates in
its SVG charts, the PDF's text), the public municipality register, the socioeconomic index, and the
national answer counts of every question (assumed known exactly). Every figure a page shows about a
group (`published_figures`) is turned back into the answer distributions it allows
(`count_inference`), alone and combined with the rest:

- cell-candidates: a shown mean, its interval and its n (table or chart) leave few count vectors;
- n-per-cell: a shown n against the register tells how many of a group's municipalities gave no
  answer on the scale;
- national-margin: the groups of one question must add up to the national counts, so shown cells
  bound the hidden ones (secondary suppression against the national figures);
- kruskal-wallis, power: a Kruskal–Wallis test or a minimal detectable odds ratio computed over the
  groups rules out whole tables of counts;
- insider: the same for a reader who is one of the municipalities and knows its own answer;
- test-over-hidden-group, inconsistent-suppression: a statistic shown over groups of which one is
  hidden, or a group's figure shown in one place and hidden in another;
- participants: a summary of the participants (or of a question's respondents) that, held against the
  register, names a municipality left out or leaves fewer than the threshold of possible sets;
- pdf: a figure in the PDF that the site does not show, or a PDF of another build.

A finding follows the book's rule (`count_inference.pinned`): a count whose true value is 1–4 pinned
to at most two values or to a range inside 1–4; a hidden cell whose count is pinned to at most two
values. The true answers are used only to check that the attack's model of each shown statistic
explains it (a figure it cannot explain is left out and noted) and to apply the rule; findings state
what a reader recovers, never the true answers.

    python -m municipal_survey.build.disclosure_attack --html _build/html [--responses FILE] [--index FILE]

(exit 1 on any finding; --notes also prints the figures the attack could not use).
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..analysis import participation
from ..analysis.disclosure import MIN_COUNT
from . import count_inference as ci
from .published_figures import (
    BREAKDOWNS,
    MEAN_CELL,
    SHARE_CELL,
    GroupNames,
    PageFigures,
    ShareTable,
    StatisticRow,
    read_page,
)

KINDS = {
    "cell-candidates": "a shown mean or share with its interval and n leaves few answer distributions",
    "n-per-cell": "a shown n against the register tells how many gave no answer on the scale",
    "national-margin": "shown cells and the national counts pin a cell (secondary suppression)",
    "kruskal-wallis": "a Kruskal–Wallis row over the groups pins a cell",
    "power": "a minimal detectable odds ratio, inverted to group sizes, pins a cell",
    "insider": "a municipality that knows its own answer pins the others' answers",
    "test-over-hidden-group": "a statistic over the groups is shown while one of them is hidden",
    "inconsistent-suppression": "a group's figure is shown in one place and hidden in another",
    "participants": "a summary of participants or respondents names those left out",
    "pdf": "the PDF shows what the site does not, or belongs to another build",
}
CATEGORIES = {0: "slet ikke", 1: "i mindre grad", 2: "i høj grad", 3: "i meget høj grad",
              "top2": "i høj eller meget høj grad", "none": "intet svar på skalaen"}
JOINT_LIMIT = 400_000
# A statistic over groups pins nothing when more than two groups show nothing: every table is then
# listed only for at most two such groups (their splits of what remains).
MAX_FREE_GROUPS = 2
ROUNDING_STEPS = (1, 10, 100, 1000, 10_000)


@dataclass(frozen=True)
class AttackFinding:
    """One thing a reader can work out that the rule forbids (`key`: the same finding read from a table
    and from its downloads is reported once)."""

    kind: str
    where: str
    statistic: str
    recovered: str
    key: tuple = field(default=(), compare=False, repr=False)

    def __str__(self) -> str:
        return f"[{self.kind}] {self.where}: {self.statistic}: {self.recovered}"


@dataclass
class Report:
    findings: list[AttackFinding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def counts(self) -> Counter:
        return Counter(f.kind for f in self.findings)


# ------------------------------------------------------------------------------ what the reader knows
@dataclass
class Reader:
    """The register, the index, the national counts; and the true answers, to check the attack's models."""

    register: pd.DataFrame
    answers: pd.DataFrame  # municipality, question, answer (the book's wave)
    labels: dict[str, str]  # a question's labels as pages show them -> question id
    names: GroupNames
    min_count: int = MIN_COUNT

    @property
    def population(self) -> pd.Series:
        return self.register.set_index("code")["population_2020"]

    @property
    def participants(self) -> set[str]:
        return set(self.answers["municipality"])

    def question_of(self, label: str) -> str | None:
        return self.labels.get(" ".join(re.sub(r"[†*]+", "", label).split()))

    def scale(self, question: str) -> pd.DataFrame:
        rows = self.answers[self.answers["question"] == question]
        return rows[rows["answer"].isin([1, 2, 3, 4])]

    def respondents(self, question: str) -> set[str]:
        return set(self.scale(question)["municipality"])

    def vector(self, question: str, members=None) -> np.ndarray:
        """Counts of answers 1..4 to `question` (among `members`; None: the whole country)."""
        rows = self.scale(question)
        if members is not None:
            rows = rows[rows["municipality"].isin(members)]
        return np.bincount(rows["answer"].to_numpy(dtype=int), minlength=5)[1:5]


def load_reader(responses: Path | None = None, index_path: Path | None = None) -> Reader:
    """What the attacker is given, for the book built from `responses` (None: the active dataset) and
    the index in `index_path` (None: the one the book used, $MUNICIPAL_SURVEY_SOCIOECONOMIC_INDEX)."""
    from ..analysis import organisation, target_groups
    from ..data import socioeconomic
    from ..data.survey import load_survey
    from ..report.labels import question_label

    survey = load_survey(responses)
    register = survey.register
    index = (socioeconomic.load_index(index_path, register) if index_path
             else socioeconomic.active_index(register))
    labels = {}
    for question in survey.codebook["question"]:
        labels[" ".join(str(survey.codebook.set_index("question").at[question, "text_da"]).split())] = question
        labels[" ".join(question_label(survey, question).split())] = question
    for table in (organisation.areas(survey), target_groups.groups(survey)):
        labels.update(zip(table["short_label"], table["overall"]))
    return Reader(register, survey.responses[["municipality", "question", "answer"]], labels,
                  GroupNames(register, index.values))


# --------------------------------------------------------------------------- a breakdown's cells
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


@dataclass
class Breakdown:
    """One question of one breakdown on one page, as the attack sees it."""

    figures: PageFigures
    breakdown: str
    question: str
    reader: Reader

    def __post_init__(self):
        self.groups = self.figures.groups[self.breakdown]
        self.sizes = [len(g.members) for g in self.groups]
        self.truth = [self.reader.vector(self.question, g.members) for g in self.groups]
        self.sources = [self.figures.cells.get((self.breakdown, self.question, g.label), []) for g in self.groups]
        self.hidden = [any(s.hidden for s in sources) for sources in self.sources]
        covered = frozenset().union(*(g.members for g in self.groups))
        self.margin = self.reader.vector(self.question) if covered == frozenset(self.reader.register["code"]) \
            else None
        self.reported: set[tuple[int, object]] = set()

    @property
    def label(self) -> str:
        return self.figures.label(self.question)

    def shown_text(self, g: int) -> str:
        """What the page shows of group g: its cell (once, however many downloads repeat it) and chart point."""
        texts = dict.fromkeys(s.text for s in self.sources[g] if not s.hidden)
        return "; ".join(f"'{t}'" if not t.startswith("drawn") else f"chart point {t}" for t in texts) or "hidden"

    def cell_candidates(self, notes: list[str]) -> list[np.ndarray | None]:
        """Per group, the count vectors its shown figures allow (each figure checked against the truth);
        None for a group no figure constrains."""
        out = []
        for group, size, truth, sources in zip(self.groups, self.sizes, self.truth, self.sources):
            vectors = ci.compositions(size)
            shown = ci.composition_figures(size)
            true = {k: v[0] for k, v in ci.cell_figures(truth[None, :]).items()}
            mask, used = np.ones(len(vectors), dtype=bool), False
            for source in sources:
                if source.hidden:
                    continue
                for name, window in (("mean", source.mean), ("ci_low", source.ci_low), ("ci_high", source.ci_high),
                                     ("n", None if source.n is None else ci.Window(source.n, source.n))):
                    if window is None:
                        continue
                    if not window.contains(true[name]) and source.drawn:
                        # A chart drawn from the table's rounded numbers: the coordinate stands for them.
                        window = ci.Window.rounded(round((window.low + window.high) / 2, 1), 1)
                    if not window.contains(true[name]):
                        notes.append(f"{source.where}: {name} of {group.label}, {self.label} ({source.text}) "
                                     "is not a t-interval mean of the answers: not used")
                        continue
                    mask &= window.contains(shown[name])
                    used = True
            out.append(vectors[mask] if used else None)
        return out

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
                hit = ci.pinned(feasible, true[category], self.reader.min_count) or \
                    (self.hidden[g] and len(np.unique(feasible)) <= 2)
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
                    others = feasible[keep] - mine
                    rule = (self.reader.min_count - 1, 0) if mine else (self.reader.min_count, 1)
                    hit = ci.pinned(others, true[category] - mine, rule[0], lowest=rule[1]) or \
                        (self.hidden[g] and len(np.unique(others)) <= 2)
                    if hit and (g, category) not in self.reported:
                        self.reported.add((g, category))
                        found.append(AttackFinding(
                            "insider", self.figures.page, f"{group.label}, {self.label}: a municipality of the "
                            f"group that answered {CATEGORIES[own]}",
                            f"the others' {CATEGORIES[category]} {ci.describe(others)}",
                            (self.breakdown, self.question, group.label, category)))
        return found


def _table_windows(rows: list[StatisticRow], tables: np.ndarray, breakdown: Breakdown, truth: np.ndarray,
                   notes: list[str]) -> tuple[np.ndarray, list[str]]:
    """Which tables the Kruskal–Wallis rows allow (each checked against the true table)."""
    keep = np.ones(len(tables), dtype=bool)
    used = []
    tests = ci.kruskal_wallis(np.concatenate([truth[None], tables]))
    for row in rows:
        for column, key in ((r"epsilon", "epsilon2"), (r"^p$", "p")):
            window = row.window(column)
            if window is None:
                continue
            if not window.contains(tests[key][0]):
                notes.append(f"{row.where}: Kruskal–Wallis {key} of {breakdown.label} is not computed over the "
                             "page's groups: not used")
                continue
            keep &= window.contains(tests[key][1:])
            used.append(f"{'ε²' if key == 'epsilon2' else key} "
                        f"{row.values[next(h for h in row.values if re.search(column, h, re.IGNORECASE))]}")
    return keep, list(dict.fromkeys(used))


def _power_windows(rows: list[StatisticRow], tables: np.ndarray, breakdown: Breakdown, truth: np.ndarray,
                   notes: list[str]) -> tuple[np.ndarray, list[str]]:
    """Which tables the minimal detectable odds ratios allow, read as the contrast of two groups'
    respondents (the first and last group, or the largest and smallest in the register)."""
    keep = np.ones(len(tables), dtype=bool)
    used = []
    national = breakdown.reader.vector(breakdown.question)
    shares = national / national.sum()
    sizes = breakdown.sizes
    pairs = {(0, len(sizes) - 1), (int(np.argmax(sizes)), int(np.argmin(sizes)))}
    for row in rows:
        shown = row.window(r"påviselig")
        if shown is None:
            continue
        window = ci.harmonic_window(shown, shares)
        explained = [(a, b) for a, b in sorted(pairs)
                     if window.contains(ci.harmonic_size(truth[a].sum(), truth[b].sum()))]
        if not explained:
            notes.append(f"{row.where}: minimal detectable odds ratio of {breakdown.label} is not a contrast of "
                         "two groups' respondents: not used")
            continue
        a, b = explained[0]
        keep &= window.contains(ci.harmonic_size(tables[:, a].sum(axis=1), tables[:, b].sum(axis=1)))
        header = next(h for h in row.values if "påviselig" in h.casefold())
        used.append(f"{header} {row.values[header]}")
    return keep, list(dict.fromkeys(used))


def attack_breakdown(breakdown: Breakdown, notes: list[str]) -> list[AttackFinding]:
    """Stage by stage: each group's own figures, then the national margin, then statistics over the
    groups, then the insider; every finding is reported at the first stage that gives it. What is left
    of each group's n is kept in `breakdown.respondents` (the share tables use it)."""
    cells = breakdown.cell_candidates(notes)
    own = [ci.compositions(size) if c is None else c for c, size in zip(cells, breakdown.sizes)]
    found = breakdown.findings("cell-candidates", "", own, none_kind="n-per-cell")
    breakdown.respondents = [np.unique(v.sum(axis=1)) for v in own]
    if breakdown.margin is None:
        return found + breakdown.insider(own)
    margin_cells = ci.margin_feasible(cells, breakdown.sizes, breakdown.margin)
    found += breakdown.findings("national-margin", "shown cells with the national answer counts", margin_cells)
    rows = [r for r in breakdown.figures.statistics
            if r.breakdown == breakdown.breakdown and r.question == breakdown.question]
    kw_rows = [r for r in rows if "kruskal" in r.caption.casefold()]
    power_rows = [r for r in rows if any("påviselig" in h.casefold() for h in r.values)]
    final = margin_cells
    free = sum(c is None for c in cells)
    if (kw_rows or power_rows) and free > MAX_FREE_GROUPS:
        notes.append(f"{breakdown.figures.page}: {breakdown.breakdown}, {breakdown.label}: {free} groups without "
                     "shown cells; statistics over the groups not used")
    elif kw_rows or power_rows:
        tables = ci.joint_tables(margin_cells, breakdown.margin, JOINT_LIMIT)
        if tables is None:
            notes.append(f"{breakdown.figures.page}: {breakdown.breakdown}, {breakdown.label}: more than "
                         f"{JOINT_LIMIT} tables fit the cells; statistics over the groups not used")
        else:
            truth = np.array(breakdown.truth)
            kw_keep, kw_used = _table_windows(kw_rows, tables, breakdown, truth, notes)
            power_keep, power_used = _power_windows(power_rows, tables, breakdown, truth, notes)
            kruskal_wallis = f"Kruskal–Wallis ({', '.join(kw_used)})"
            power = ", ".join(power_used)
            with_cells = "with the shown cells and the national counts"
            if kw_used:
                found += breakdown.findings("kruskal-wallis", f"{kruskal_wallis} {with_cells}",
                                            _per_group(tables[kw_keep]))
            if power_used:
                found += breakdown.findings("power", f"{power} {with_cells}", _per_group(tables[power_keep]))
            final = _per_group(tables[kw_keep & power_keep])
            if kw_used and power_used:
                found += breakdown.findings("kruskal-wallis", f"{kruskal_wallis} and {power} {with_cells}", final)
    breakdown.respondents = [np.unique(np.asarray(v).sum(axis=1)) for v in final]
    return found + breakdown.insider(final)


def _per_group(tables: np.ndarray) -> list[np.ndarray]:
    return [tables[:, g, :] for g in range(tables.shape[1])]


# ------------------------------------------------------------------- what pages show side by side
def _hidden(figures: PageFigures, breakdown: str, question: str, members) -> bool | None:
    group = next((g for g in figures.groups.get(breakdown, []) if g.members == members), None)
    if group is None:
        return None
    sources = figures.cells.get((breakdown, question, group.label), [])
    return any(s.hidden for s in sources) if sources else None


def consistency_findings(figures: PageFigures, reader: Reader) -> list[AttackFinding]:
    """Statistics over groups shown while a group is hidden; a group's figure shown in one place and
    hidden in another (the table and the chart, a mean and an odds ratio)."""
    found = []
    label = figures.label
    for (breakdown, question, group_label), sources in figures.cells.items():  # noqa: B007 (in the key)
        if any(s.hidden for s in sources) and any(not s.hidden for s in sources):
            shown = [s.where for s in sources if not s.hidden]
            found.append(AttackFinding("inconsistent-suppression", figures.page,
                                       f"{group_label}, {label(question)}",
                                       f"hidden in a table, shown in {shown[0]}",
                                       (breakdown, question, group_label)))
    for breakdown, question, members in figures.odds_points:
        groups = figures.groups.get(breakdown, [])
        if _hidden(figures, breakdown, question, members) or (groups and _hidden(
                figures, breakdown, question, groups[0].members)):
            term = next((g.label for g in groups if g.members == members), "a group")
            found.append(AttackFinding("inconsistent-suppression", figures.page,
                                       f"odds ratio of {term} drawn in a chart, {label(question)}",
                                       "its group's or the reference group's mean is hidden",
                                       (breakdown, question, term, "chart")))
    for row in figures.statistics:
        groups = figures.groups.get(row.breakdown, [])
        hidden = [g.label for g in groups if _hidden(figures, row.breakdown, row.question, g.members)]
        if not hidden:
            continue
        for header, text in row.shown.items():
            term = row.terms.get(header)
            if header in row.terms and term is not None:
                if _hidden(figures, row.breakdown, row.question, term) or _hidden(
                        figures, row.breakdown, row.question, groups[0].members):
                    found.append(AttackFinding("inconsistent-suppression", figures.page,
                                               f"{label(row.question)}: {header} {text} ({row.caption})",
                                               "shown while its group's or the reference group's mean is hidden",
                                               (row.breakdown, row.question, header)))
        others = {h: v for h, v in row.shown.items() if h not in row.terms}
        if others:
            shown = ", ".join(f"{h} {v}" for h, v in others.items())
            found.append(AttackFinding("test-over-hidden-group", figures.page,
                                       f"{label(row.question)}: {shown} ({row.caption})",
                                       f"computed over groups of which {', '.join(hidden)} is hidden",
                                       (row.breakdown, row.question, row.caption)))
    return found


def share_findings(table: ShareTable, figures: PageFigures, reader: Reader, respondents: dict,
                   notes: list[str]) -> list[AttackFinding]:
    """A table of one share per group (of the group's municipalities) with the national count: the
    property is answering every question of the page's breakdown on the scale, so a group's count lies
    between what its respondents per question allow (`respondents`: (breakdown, group, question) -> the
    feasible n)."""
    questions = sorted({q for (b, q, _) in figures.cells if b == table.breakdown})
    if not questions:
        notes.append(f"{table.where}: what the shares count is not known to the attack: not used")
        return []
    answered = reader.answers[reader.answers["question"].isin(questions) & reader.answers["answer"].between(1, 4)]
    per = answered.groupby("municipality")["question"].nunique()
    complete = set(per[per == len(questions)].index)
    sizes = [len(g.members) for g in table.groups]
    truth = [len(g.members & complete) for g in table.groups]
    options = []
    for cell, size, true, group in zip(table.cells, sizes, truth, table.groups):
        ks = np.arange(size + 1)
        if cell is not None:
            pct, decimals, n = cell
            if n not in (None, size):
                notes.append(f"{table.where}: a share of {n}, not of the group's {size} municipalities: not used")
                return []
            ok = ci.Window.rounded(pct, decimals).contains(100 * ks / size)
            if not ok[true]:
                notes.append(f"{table.where}: the shares do not count complete answers: not used")
                return []
            ks = ks[ok]
        known = [respondents.get((table.breakdown, group.label, q)) for q in questions]
        if all(n is not None for n in known):
            most = min(int(n.max()) for n in known)
            least = size - sum(size - int(n.min()) for n in known)
            ks = ks[(ks <= most) & (ks >= least)]
        options.append(ks)
    found, reported = [], set()

    def report(kind: str, statistic: str, per_group: list[np.ndarray]) -> None:
        for g, (group, size, true, ks) in enumerate(zip(table.groups, sizes, truth, per_group)):
            hidden = table.cells[g] is None
            for side, values, value in (("with", ks, true), ("without", size - ks, size - true)):
                hit = ci.pinned(values, value, reader.min_count) or (hidden and len(np.unique(values)) <= 2)
                if hit and (g, side) not in reported:
                    reported.add((g, side))
                    found.append(AttackFinding(kind, figures.page, f"{statistic} ({table.caption})",
                                               f"{group.label}: municipalities {side} '{table.header}' "
                                               f"{ci.describe(values)}", (table.caption, group.label, side, kind)))

    report("cell-candidates", "the shown share, the group's size in the register and its respondents per question",
           options)
    if frozenset().union(*(g.members for g in table.groups)) == frozenset(reader.register["code"]):
        total = len(complete)
        feasible = []
        for g in range(len(options)):
            reach = {0}
            for h, ks in enumerate(options):
                if h != g:
                    reach = {r + int(k) for r in reach for k in ks if r + k <= total}
            feasible.append(np.array([k for k in options[g] if total - k in reach]))
        report("national-margin", f"the shown shares with the national count ({total})", feasible)
    return found


def rounding_window(text: str | None, truth: float) -> tuple[float, float] | None:
    """The window a shown whole number ("5.655.807", "43.000") stands for: the finest rounding step
    (whole, tens, ... thousands) that explains the true value, as a reader who knows the book's code."""
    if text is None:
        return None
    digits = text.replace(".", "").replace("\xa0", "").strip()
    if not digits.isdigit():
        return None
    value = float(digits)
    for step in ROUNDING_STEPS:
        if value - step / 2 <= truth <= value + step / 2:
            return value - step / 2, value + step / 2
    return None


def summary_findings(figures: PageFigures, reader: Reader, notes: list[str]) -> list[AttackFinding]:
    """Population summaries of the participants or of a question's respondents, against the register."""
    found = []
    population = reader.population
    everyone = float(population.sum())
    for summary in figures.summaries:
        members = reader.participants if summary.question is None else reader.respondents(summary.question)
        if len(members) != summary.count:
            notes.append(f"{summary.where}: {summary.what} counts {summary.count}, not the "
                         f"{len(members)} the attack expects: not used")
            continue
        chosen = population[population.index.isin(members)]
        total = rounding_window(summary.total, float(chosen.sum()))
        if total is None and summary.share is not None:
            parsed = ci.parse_number(summary.share)
            if parsed is not None:
                window = ci.Window.rounded(*parsed)
                total = (window.low / 100 * everyone, window.high / 100 * everyone)
        median = rounding_window(summary.median, float(chosen.median()))
        if total is None and median is None:
            continue
        search = participation.absent_sets(population, members,
                                           participation.Summary(summary.count, total, median), reader.min_count)
        names = dict(zip(reader.register["code"], reader.register["name"]))
        shown = ", ".join(f"{k} {v}" for k, v in (("total", summary.total), ("share", summary.share),
                                                  ("median", summary.median)) if v)
        key = (summary.what, summary.count, summary.question)
        if search.named:
            how = ("left out of every set that fits" if search.exhaustive
                   else "no set found that fits without them")
            found.append(AttackFinding("participants", figures.page, f"{summary.what} ({shown})",
                                       f"{', '.join(names[c] for c in search.named)}: {how}", key))
        elif search.consistent < reader.min_count:
            found.append(AttackFinding("participants", figures.page, f"{summary.what} ({shown})",
                                       f"only {search.consistent} sets of left-out municipalities fit", key))
    return found


# ------------------------------------------------------------------------------------------ the PDF
def pdf_findings(html_dir: Path, pages: dict[str, PageFigures]) -> list[AttackFinding]:
    """The PDF must belong to this build (printed after its pages, the same dataset banner) and show no
    group figure the site does not show (read from the chapters that show group figures)."""
    from pypdf import PdfReader

    from .pdf import PDF_NAME, is_current

    path = html_dir / PDF_NAME
    if not path.exists():
        return []
    where = f"{PDF_NAME}"
    if not is_current(html_dir.parent):
        return [AttackFinding("pdf", where, "printed before the pages", "it belongs to another build")]
    reader = PdfReader(path)
    squeeze = " ".join
    found = []
    banner = re.search(r'data-dataset="\w+">(.*?)</div>', (html_dir / "index.html").read_text(encoding="utf-8"),
                       re.S)
    if banner:
        code = re.findall(r"<code>([^<]*)</code>", banner.group(1))
        first = squeeze(reader.pages[0].extract_text().split())
        if any(c not in first for c in code):
            found.append(AttackFinding("pdf", where, "the dataset banner on page 1",
                                       f"does not name {', '.join(code)} as the site does"))
    # A cell broken over lines on paper ("0,58–\n5,82") is the same cell: compared without whitespace.
    site_cells = {"".join(t.split()) for figures in pages.values() for t in figures.texts}
    titles = {"".join(f.title.split()): f for f in pages.values() if f.cells or f.shares or f.statistics}
    items = [i for i in reader.outline if not isinstance(i, list)]
    starts = [reader.get_destination_page_number(i) for i in items] + [len(reader.pages)]
    for item, start, end in zip(items, starts, starts[1:]):
        if "".join(item.title.split()) not in titles:
            continue
        text = squeeze(" ".join(reader.pages[i].extract_text() for i in range(start, max(start + 1, end))).split())
        for pattern in (MEAN_CELL, SHARE_CELL):
            for match in re.finditer(pattern.pattern.lstrip("^"), text, pattern.flags):
                cell = squeeze(match.group(0).split())
                if (pattern is MEAN_CELL or "n =" in cell) and "".join(cell.split()) not in site_cells:
                    found.append(AttackFinding("pdf", f"{where}, {item.title}", f"'{cell}'",
                                               "not shown on the site"))
    return found


# --------------------------------------------------------------------------------------- the attack
def site_pages(html_dir: Path) -> list[Path]:
    return [p for p in sorted(html_dir.rglob("*.html"))
            if p.relative_to(html_dir).parts[0] not in ("_static", "_sources", "_images", "_build")]


def attack(html_dir: Path, reader: Reader, pdf: bool = True) -> Report:
    """Every finding over the built site in `html_dir`."""
    html_dir = Path(html_dir)
    if not (html_dir / "index.html").is_file():
        raise FileNotFoundError(f"no built book in {html_dir} (run make book first)")
    report = Report()
    pages = {}
    for page in site_pages(html_dir):
        name = str(page.relative_to(html_dir))
        figures = read_page(page, name, reader.names, reader.question_of)
        pages[name] = figures
        report.findings += consistency_findings(figures, reader)
        respondents = {}
        for breakdown in BREAKDOWNS:
            if breakdown not in figures.groups:
                continue
            questions = dict.fromkeys(q for (b, q, _) in figures.cells if b == breakdown)
            for question in questions:
                split = Breakdown(figures, breakdown, question, reader)
                report.findings += attack_breakdown(split, report.notes)
                respondents.update({(breakdown, g.label, question): n
                                    for g, n in zip(split.groups, split.respondents)})
        for table in figures.shares:
            report.findings += share_findings(table, figures, reader, respondents, report.notes)
        report.findings += summary_findings(figures, reader, report.notes)
    if pdf:
        report.findings += pdf_findings(html_dir, pages)
    unique = {}
    for finding in report.findings:  # a table and its CSV and Excel downloads say the same once
        unique.setdefault((finding.kind, finding.where, finding.key or finding.statistic), finding)
    report.findings = list(unique.values())
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m municipal_survey.build.disclosure_attack",
                                     description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--html", required=True, help="the built book's html folder, e.g. _build/html")
    parser.add_argument("--responses",
                        help="the tidy answers the book was built from (default: the active dataset)")
    parser.add_argument("--index", help="the socioeconomic index file the book used (default: as the book)")
    parser.add_argument("--notes", action="store_true", help="also print the figures the attack could not use")
    args = parser.parse_args(argv)
    reader = load_reader(Path(args.responses) if args.responses else None,
                         Path(args.index) if args.index else None)
    try:
        report = attack(Path(args.html), reader)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    for finding in report.findings:
        print(f"  - {finding}")
    if args.notes:
        for note in dict.fromkeys(report.notes):
            print(f"  note: {note}")
    counts = report.counts()
    print(f"disclosure attack on {args.html}: "
          + (", ".join(f"{counts[k]} {k}" for k in KINDS if counts[k]) if counts else "nothing recovered"))
    return 1 if report.findings else 0


if __name__ == "__main__":
    sys.exit(main())
