"""What a built page publishes about groups of municipalities, read as an outside reader reads it.

Every table of a page, its CSV and Excel downloads (`disclosure_check.page_tables`) and the points of
its charts (`site_charts`) are turned into figures about groups:

- `cells`: per (breakdown, question, group) the shown mean, interval and n, or share, or that the cell is
  hidden;
- `statistics`: rows of tables with figures computed over a breakdown's groups (tests, effect sizes,
  odds ratios, minimal detectable odds ratios), per question;
- `shares`: tables with one share per group ("66 pct. (n = 29)");
- `summaries`: population figures of a set of municipalities (the participants, or the respondents
  to a question) next to the register;
- `drawn`: the group points of the charts, with far more digits than the tables.

A group is named by its header ("Region Nordjylland", "Region Hovedstaden og Sjælland", "Under 55.000
indbyggere", "Laveste og midterste tredjedel"), which `GroupNames` turns into its municipalities with
the register and the socioeconomic index, as a reader with both would.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pandas as pd

from ..report.text import parse_number
from ..synthetic.provenance import MARKS
from .count_inference import Window
from .disclosure_check import Table, page_tables
from .site_charts import DrawnPoint, drawn_points

BREAKDOWNS = ("region", "size", "index")
MEAN_CELL = re.compile(r"^\s*(?P<mean>\d+[,.]\d+)\s*\(\s*(?P<low>\d+[,.]\d+)\s*[–-]\s*(?P<high>\d+[,.]\d+)"
                       r"\s*(?:;\s*n\s*=\s*(?P<n>\d+)\s*)?\)")
SHARE_CELL = re.compile(r"^\s*(?P<pct>\d+(?:[,.]\d+)?)\s*(?:pct\.?|%)\s*(?:\(\s*n\s*=\s*(?P<n>\d+)\s*\))?",
                        re.IGNORECASE)
P_BELOW = re.compile(r"^\s*<\s*(\d+[,.]\d+)\s*$")
SHOWS_NUMBER = re.compile(r"^\s*(<\s*\d+[,.]\d|−?-?\d)")  # "<5" (a mark) is not a number
_MARKS = re.compile(MARKS)
_RANGE = re.compile(r"(?:under\s+(?P<below>[\d.]+))|(?:(?P<low>[\d.]+)\s*[–-]\s*(?P<high>[\d.]+))|"
                    r"(?:(?P<from>[\d.]+)\s+indbyggere\s+og\s+derover)", re.IGNORECASE)
THIRD_WORDS = ("laveste", "midterste", "højeste")


def _clean(text: str) -> str:
    return " ".join(_MARKS.sub("", text).split())


def number_window(text: str) -> Window | None:
    """The values a shown number stands for: "0,070" is 0.0695–0.0705, "<0,001" is 0–0.001."""
    below = P_BELOW.match(text)
    if below:
        return Window(0.0, parse_number(below.group(1), plain=True)[0])
    parsed = parse_number(_clean(text), plain=True)
    return None if parsed is None else Window.rounded(*parsed)


class GroupNames:
    """A group's header -> (breakdown, its municipalities), from the register and the index."""

    def __init__(self, register: pd.DataFrame, index: pd.Series | None):
        self.register = register
        self.codes = frozenset(register["code"])
        self.regions = {r.removeprefix("Region ").casefold(): frozenset(g["code"])
                        for r, g in register.groupby("region")}
        self.population = register.set_index("code")["population"]
        cores = "|".join(re.escape(core) for core in self.regions)
        self._mention = re.compile(rf"(?i)\b({cores})\b|indbyggere|tredjedel|median|deltagende kommuner|"
                                   r"regions andel")
        self.thirds: dict[str, frozenset[str]] = {}
        if index is not None:
            from ..analysis.variation import index_groups

            groups = index_groups(index.reindex(register["code"]))
            for word, label in zip(THIRD_WORDS, groups.cat.categories):
                self.thirds[word] = frozenset(groups.index[groups == label])

    def mentioned(self, text: str) -> bool:
        """Whether a text names a group (a region, a size range, a third of the index) or a summary."""
        return bool(self._mention.search(text))

    def resolve(self, header: str) -> tuple[str, frozenset[str]] | None:
        text = _clean(header).partition(":")[0].casefold()
        regions = [codes for core, codes in self.regions.items() if re.search(rf"\b{re.escape(core)}\b", text)]
        if regions and "region" in text:
            return "region", frozenset().union(*regions)
        if "tredjedel" in text and self.thirds:
            thirds = [codes for word, codes in self.thirds.items() if word in text]
            if thirds:
                return "index", frozenset().union(*thirds)
        if "indbyggere" in text:
            members: set[str] = set()
            for match in _RANGE.finditer(text):
                low, high = 0.0, float("inf")
                bound = {k: parse_number(v.rstrip("."))[0] for k, v in match.groupdict().items() if v}
                if "below" in bound:
                    high = bound["below"] - 1
                elif "from" in bound:
                    low = bound["from"]
                else:
                    low, high = bound["low"], bound["high"]
                members |= set(self.population.index[(self.population >= low) & (self.population <= high)])
            if members:
                return "size", frozenset(members)
        return None


def caption_breakdown(caption: str) -> str | None:
    """The breakdown a table of statistics over groups belongs to, by its caption (None: not over groups)."""
    text = caption.casefold()
    if "region" in text:
        return "region"
    if not any(word in text for word in ("gruppe", "tredjedel", "mellem")):
        return None
    if "størrelse" in text:
        return "size"
    if "indeks" in text:
        return "index"
    return None


@dataclass
class CellFigures:
    """What one source shows of a group's answers to a question: a mean with interval and n, a share
    "i høj eller meget høj grad" of its answers on the scale, or hidden."""

    where: str
    text: str
    hidden: bool
    share: Window | None = None
    mean: Window | None = None
    ci_low: Window | None = None
    ci_high: Window | None = None
    n: int | None = None
    drawn: bool = False  # read from a chart's coordinates


@dataclass
class Group:
    label: str
    members: frozenset[str]


@dataclass
class StatisticRow:
    """One question's figures in a table of statistics over a breakdown's groups."""

    where: str
    caption: str
    breakdown: str
    question: str
    values: dict[str, str]  # header -> cell text, for every column that holds a statistic
    terms: dict[str, frozenset[str] | None]  # odds-ratio header -> the group it compares (None: unnamed)

    @property
    def shown(self) -> dict[str, str]:
        """The statistic columns that show a number ("0,263", "<0,001", "1,20 (0,50–2,90)")."""
        return {h: v for h, v in self.values.items() if SHOWS_NUMBER.match(v)}

    def window(self, pattern: str) -> Window | None:
        for header, text in self.values.items():
            if re.search(pattern, header, re.IGNORECASE):
                return number_window(text)
        return None


@dataclass
class ShareTable:
    """A table with one share of the group's municipalities per row ("66 pct. (n = 29)", "<5")."""

    where: str
    caption: str
    breakdown: str
    header: str
    groups: list[Group]
    cells: list[tuple[float, int, int | None] | None]  # (pct., decimals, n) or None when hidden


@dataclass
class PopulationSummary:
    """Population figures of a set of municipalities: how many, their total and their median, and the
    largest difference between a region's share of them and of all municipalities (pct. points)."""

    where: str
    what: str
    count: int
    question: str | None  # None: the participants; else the respondents to this question
    total: str | None = None  # shown text of their total population
    share: str | None = None  # shown text of their share of the population (pct.)
    median: str | None = None  # shown text of their median population
    region_difference: str | None = None  # shown text of the largest difference of a region's share


@dataclass
class PageFigures:
    page: str
    groups: dict[str, list[Group]] = field(default_factory=dict)  # breakdown -> groups as the page shows them
    cells: dict[tuple[str, str, str], list[CellFigures]] = field(default_factory=lambda: defaultdict(list))
    statistics: list[StatisticRow] = field(default_factory=list)
    shares: list[ShareTable] = field(default_factory=list)
    summaries: list[PopulationSummary] = field(default_factory=list)
    odds_points: list[tuple[str, str, frozenset[str]]] = field(default_factory=list)  # (breakdown, q, group)
    labels: dict[str, str] = field(default_factory=dict)  # question -> its label as the page shows it
    title: str = ""
    texts: set[str] = field(default_factory=set)  # every table cell of the page, whitespace collapsed

    def label(self, question: str) -> str:
        return self.labels.get(question, question)

    def group(self, breakdown: str, label: str) -> Group | None:
        return next((g for g in self.groups.get(breakdown, []) if g.label == label), None)


# ------------------------------------------------------------------------------------- reading
def _mean_cell(text: str, where: str) -> CellFigures:
    match = MEAN_CELL.match(text)
    share = SHARE_CELL.match(text)
    if share and not match:
        return CellFigures(where, text, hidden=False, share=Window.rounded(*parse_number(share.group("pct"))),
                           n=int(share.group("n")) if share.group("n") else None)
    if not match:
        return CellFigures(where, text, hidden=True)
    return CellFigures(where, text, hidden=False,
                       mean=Window.rounded(*parse_number(match.group("mean"), plain=True)),
                       ci_low=Window.rounded(*parse_number(match.group("low"), plain=True)),
                       ci_high=Window.rounded(*parse_number(match.group("high"), plain=True)),
                       n=int(match.group("n")) if match.group("n") else None)


def _columns(table: Table, names: GroupNames) -> list[tuple[int, str, frozenset[str]]]:
    found = []
    for i, header in enumerate(table.header[1:], start=1):
        if ":" in header:  # "<group>: odds ratio (95 pct.-interval)" is a statistic, not the group's cell
            continue
        resolved = names.resolve(header)
        if resolved:
            found.append((i, resolved[0], resolved[1]))
    return found


def _read_means(table: Table, figures: PageFigures, names: GroupNames, question_of) -> bool:
    """A table with one mean or share cell per (question row, group column). True if the table is one."""
    columns = _columns(table, names)
    kinds = {kind for _, kind, _ in columns}
    if len(columns) < 2 or len(kinds) != 1:
        return False
    if not any(MEAN_CELL.match(row[i]) or SHARE_CELL.match(row[i])
               for row in table.rows for i, _, _ in columns if i < len(row)):
        return False
    breakdown = kinds.pop()
    groups = [Group(_clean(table.header[i]), members) for i, _, members in columns]
    figures.groups.setdefault(breakdown, groups)
    for row in table.rows:
        question = question_of(row[0]) if row else None
        if question is None:
            continue
        figures.labels.setdefault(question, _clean(row[0]))
        for (i, _, _), group in zip(columns, groups):
            text = row[i] if i < len(row) else ""
            figures.cells[(breakdown, question, group.label)].append(_mean_cell(text, table.where))
    return True


def _read_statistics(table: Table, figures: PageFigures, names: GroupNames, question_of) -> None:
    breakdown = caption_breakdown(table.caption)
    terms = {}
    for header in table.header[1:]:
        if "odds ratio" in header.casefold():
            resolved = names.resolve(header) if ":" in header else None
            terms[header] = resolved[1] if resolved else None
            if resolved and breakdown is None:
                breakdown = resolved[0]
    if breakdown is None:
        return
    keep = [i for i, h in enumerate(table.header) if i > 0 and not re.match(
        r"^(n|svar på skalaen.*|note|datagrundlag|kommuner|antal)$", h.strip(), re.IGNORECASE)]
    for row in table.rows:
        question = question_of(row[0]) if row else None
        if question is None:
            continue
        figures.labels.setdefault(question, _clean(row[0]))
        values = {table.header[i]: row[i] for i in keep if i < len(row)}
        figures.statistics.append(StatisticRow(table.where, table.caption, breakdown, question, values, terms))


def _read_shares(table: Table, figures: PageFigures, names: GroupNames) -> bool:
    if len(table.header) != 2 or not table.rows:
        return False
    resolved = [names.resolve(row[0]) for row in table.rows]
    if not all(resolved) or len({r[0] for r in resolved}) != 1:
        return False
    cells = []
    for row in table.rows:
        match = SHARE_CELL.match(row[1]) if len(row) > 1 else None
        if match:
            pct, decimals = parse_number(match.group("pct"), plain=True)
            cells.append((pct, decimals, int(match.group("n")) if match.group("n") else None))
        else:
            cells.append(None)
    if all(c is None for c in cells):
        return False
    figures.shares.append(ShareTable(table.where, table.caption, resolved[0][0], table.header[1],
                                     [Group(_clean(row[0]), r[1]) for row, r in zip(table.rows, resolved)], cells))
    return True


def _read_summaries(table: Table, figures: PageFigures, question_of) -> None:
    headers = [h.casefold() for h in table.header]
    median = next((i for i, h in enumerate(headers) if "median" in h and "alle" not in h), None)
    difference = next((i for i, h in enumerate(headers) if "forskel" in h and "region" in h), None)
    if median is None and difference is None:
        return
    total = next((i for i, h in enumerate(headers) if "folketal i alt" in h), None)
    share = next((i for i, h in enumerate(headers) if "andel af befolkningen" in h), None)
    count = next((i for i, h in enumerate(headers) if h == "antal" or h.startswith("svar på")), None)
    if count is None:
        return
    for row in table.rows:
        question = question_of(row[0])
        participants = row[0].casefold().startswith("deltagende")
        number = parse_number(row[count], plain=True) if count < len(row) else None
        if not (participants or question) or number is None:
            continue
        figures.summaries.append(PopulationSummary(
            table.where, row[0], int(number[0]), None if participants else question,
            total=row[total] if total is not None else None, share=row[share] if share is not None else None,
            median=row[median] if median is not None else None,
            region_difference=row[difference] if difference is not None else None))


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs):
        source = dict(attrs).get("src") or ""
        if tag == "img" and source.endswith(".svg"):
            self.sources.append(unquote(source))


def _read_drawn(points: list[DrawnPoint], where: str, figures: PageFigures, names: GroupNames,
                question_of) -> None:
    for point in points:
        kind, _, rest = point.gid.partition(":")
        label, _, group_label = rest.rpartition(":")
        question, resolved = question_of(label), names.resolve(group_label)
        if question is None or resolved is None:
            continue
        breakdown, members = resolved
        if kind == "or":
            figures.odds_points.append((breakdown, question, members))
        elif kind in ("means", "shares"):
            group = next((g for g in figures.groups.get(breakdown, []) if g.members == members), None)
            cells = figures.cells[(breakdown, question, group.label if group else _clean(group_label))]
            if kind == "shares":
                cells.append(CellFigures(where, f"drawn at {point.value:.6f}", hidden=False,
                                         share=Window.drawn(point.value), drawn=True))
            elif point.low is not None:
                cells.append(CellFigures(where, f"drawn at {point.value:.6f} ({point.low:.6f}–{point.high:.6f})",
                                         hidden=False, mean=Window.drawn(point.value),
                                         ci_low=Window.drawn(point.low), ci_high=Window.drawn(point.high),
                                         drawn=True))


def read_page(html_file: Path, name: str, names: GroupNames, question_of) -> PageFigures:
    """Everything `html_file` (shown as `name`) publishes about groups, with its downloads and charts.
    A page that names no group and no summary (nor do its charts) publishes nothing about groups: its
    tables and downloads are not read."""
    figures = PageFigures(name)
    html = Path(html_file).read_text(encoding="utf-8", errors="replace")
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    figures.title = _clean(re.sub(r"<[^>]+>|#", "", heading.group(1))) if heading else ""
    images = _Images()
    images.feed(html)
    charts = {}
    for source in images.sources:
        svg = (Path(html_file).parent / source).resolve()
        if svg.is_file():
            charts[svg] = svg.read_text(encoding="utf-8")
    if not any(names.mentioned(text) for text in [html, *charts.values()]):
        return figures
    for table in page_tables(html_file, name):
        figures.texts |= {" ".join(cell.split()) for row in [table.header, *table.rows] for cell in row}
        if _read_means(table, figures, names, question_of) or _read_shares(table, figures, names):
            continue
        _read_statistics(table, figures, names, question_of)
        _read_summaries(table, figures, question_of)
    for svg, text in charts.items():
        _read_drawn(drawn_points(text), f"{name}, chart {svg.name}", figures, names, question_of)
    return figures
