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
import itertools
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..analysis import participation
from ..analysis.disclosure import pinned
from ..report.text import parse_number
from . import count_inference as ci
from .attack_knowledge import KINDS, AttackFinding, Reader, load_reader
from .breakdown_inference import Breakdown, attack_breakdown, choose_models
from .published_figures import BREAKDOWNS, MEAN_CELL, SHARE_CELL, PageFigures, ShareTable, read_page

ROUNDING_STEPS = (1, 10, 100, 1000, 10_000)


@dataclass
class Report:
    findings: list[AttackFinding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def counts(self) -> Counter:
        return Counter(f.kind for f in self.findings)


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
                hit = pinned(values, value, reader.min_count) or (hidden and len(np.unique(values)) <= 2)
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
    parsed = parse_number(text.replace("\xa0", ""))
    if parsed is None or parsed[1] or parsed[0] < 0:
        return None
    value = parsed[0]
    for step in ROUNDING_STEPS:
        if value - step / 2 <= truth <= value + step / 2:
            return value - step / 2, value + step / 2
    return None


def summary_findings(figures: PageFigures, reader: Reader, notes: list[str]) -> list[AttackFinding]:
    """Population summaries of the participants or of a question's respondents, against the register."""
    found = []
    population = reader.population
    everyone = float(population.sum())
    names = dict(zip(reader.register["code"], reader.register["name"]))
    for summary in figures.summaries:
        members = reader.participants if summary.question is None else reader.respondents(summary.question)
        if len(members) != summary.count:
            notes.append(f"{summary.where}: {summary.what} counts {summary.count}, not the "
                         f"{len(members)} the attack expects: not used")
            continue
        found += region_difference_findings(summary, members, figures, reader)
        chosen = population[population.index.isin(members)]
        total = rounding_window(summary.total, float(chosen.sum()))
        if total is None and summary.share is not None:
            parsed = parse_number(summary.share, plain=True)
            if parsed is not None:
                window = ci.Window.rounded(*parsed)
                total = (window.low / 100 * everyone, window.high / 100 * everyone)
        median = rounding_window(summary.median, float(chosen.median()))
        if total is None and median is None:
            continue
        search = participation.absent_sets(population, members,
                                           participation.Summary(summary.count, total, median), reader.min_count)
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


def region_difference_findings(summary, members: set[str], figures: PageFigures,
                               reader: Reader) -> list[AttackFinding]:
    """The largest difference, in whole percentage points, between a region's share of the members and
    of all municipalities: every split of those left out over the regions that gives the shown figure."""
    shown = parse_number(summary.region_difference or "", plain=True)
    if shown is None:
        return []
    window = ci.Window.rounded(*shown)
    regions = reader.register.groupby("region")["code"].agg(frozenset)
    sizes = np.array([len(codes) for codes in regions])
    missing = np.array([len(codes - members) for codes in regions])
    m, n, total = int(missing.sum()), summary.count, int(sizes.sum())
    splits = np.array([s for s in itertools.product(*[range(min(size, m) + 1) for size in sizes[:-1]])
                       if 0 <= m - sum(s) <= sizes[-1]])
    splits = np.column_stack([splits, m - splits.sum(axis=1)])
    largest = np.abs(100 * (sizes - splits) / n - 100 * sizes / total).max(axis=1)
    feasible = splits[window.contains(largest)]
    found = []
    for k, region in enumerate(regions.index):
        values = feasible[:, k]
        if pinned(values, int(missing[k]), reader.min_count) or set(values) == {sizes[k]}:
            found.append(AttackFinding(
                "participants", figures.page,
                f"{summary.what}: the largest difference of a region's share {summary.region_difference}",
                f"{region}: municipalities without an answer {ci.describe(values)}",
                (summary.what, summary.question, region)))
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
        models = choose_models(figures, reader)
        respondents = {}
        for breakdown in BREAKDOWNS:
            if breakdown not in figures.groups:
                continue
            questions = dict.fromkeys(q for (b, q, _) in figures.cells if b == breakdown)
            for question in questions:
                split = Breakdown(figures, breakdown, question, reader, models)
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
    unused = len(dict.fromkeys(report.notes))
    print(f"disclosure attack on {args.html}: "
          + (", ".join(f"{counts[k]} {k}" for k in KINDS if counts[k]) if counts else "nothing recovered")
          + (f" ({unused} figures or tables not used; --notes lists them)" if unused and not args.notes else ""))
    return 1 if report.findings else 0


if __name__ == "__main__":
    sys.exit(main())
