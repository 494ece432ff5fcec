"""The built book's table downloads, read as a reader gets them: every table's .xlsx opened with
openpyxl equals the table on the page, header by header and cell by cell (after parsing the page's
Danish number text), and each chapter's workbook has one sheet per table on the page.

Reads $BOOK_BUILD_DIR/html (default _build/html); skips without a build unless BOOK_REQUIRE_BUILD=1
(`make book-tests`). The parsing here is the test's own, independent of report.downloads.
"""
from __future__ import annotations

import base64
import io
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from project_root import ROOT

from municipal_survey.report import registry

HTML_DIR = Path(os.environ.get("BOOK_BUILD_DIR") or ROOT / "_build") / "html"
REQUIRED = os.environ.get("BOOK_REQUIRE_BUILD") == "1"
# Page -> the prefix of its download names and, where the page has one, its workbook (report.registry).
PAGES = {f"notebooks/{p.stem}.html": (p.prefix, p.workbook_name) for p in registry.PAGES}
NOTE_LABELS = ["Overskrift", "Kilde", "Datagrundlag", "Oprindelse", "Fil"]
XLSX = "data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,"
# Danish number text as the page prints it: "1.845.939", "2,60", "-0,5", "22 pct.", "61 †".
DANISH = re.compile(r"^(?P<number>-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?)(?P<suffix>( pct\.)?( [†*]+)?)$")
# A section number ("1.9") or a float as pandas prints it in a column of mixed values ("0.25").
PLAIN_FLOAT = re.compile(r"^-?\d+\.\d+$")


@dataclass
class ShownTable:
    caption: str
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    downloads: dict[str, bytes] = field(default_factory=dict)  # file name -> bytes


class Page(HTMLParser):
    """The tables of a page with the downloads under each, and the page's workbook links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[ShownTable] = []
        self.workbooks: dict[str, bytes] = {}
        self._depth = 0
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._caption: list[str] | None = None
        self._in_head = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._depth += 1
            self.tables.append(ShownTable(""))
        elif self._depth and tag == "caption":
            self._caption = []
        elif self._depth and tag == "thead":
            self._in_head = True
        elif self._depth and tag == "tr":
            self._row = []
        elif self._depth and tag in ("td", "th"):
            self._cell = []
        elif tag == "a" and attrs.get("download") and (attrs.get("href") or "").startswith("data:"):
            payload = base64.b64decode(attrs["href"].partition(",")[2])
            if attrs["download"].endswith("-tabeller.xlsx"):
                self.workbooks[attrs["download"]] = payload
            elif self.tables:
                self.tables[-1].downloads[attrs["download"]] = payload

    def handle_endtag(self, tag):
        if not self._depth:
            return
        table = self.tables[-1]
        if tag == "table":
            self._depth -= 1
        elif tag == "caption" and self._caption is not None:
            table.caption = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            (table.header.extend if self._in_head else table.rows.append)(self._row)
            self._row = None

    def handle_data(self, data):
        data = data.replace("\u00ad", "")  # soft hyphens (tables.soft_hyphens) show only where a word breaks
        if self._cell is not None:
            self._cell.append(data)
        elif self._caption is not None:
            self._caption.append(data)


@pytest.fixture(scope="module")
def pages() -> dict[str, Page]:
    if not (HTML_DIR / "index.html").exists():
        if REQUIRED:
            pytest.fail(f"no built book at {HTML_DIR}")
        pytest.skip(f"no built book at {HTML_DIR} (run make book)")
    parsed = {}
    for name in PAGES:
        page = Page()
        page.feed((HTML_DIR / name).read_text(encoding="utf-8"))
        parsed[name] = page
    return parsed


def with_downloads(page: Page) -> list[ShownTable]:
    return [t for t in page.tables if t.downloads]


def sheet_rows(ws) -> tuple[list[list], list[str]]:
    """(the table's rows as (value, number format) pairs, header first; the notes rows' text)."""
    rows = [[(c.value, c.number_format) for c in row] for row in ws.iter_rows()]
    blank = next(i for i, row in enumerate(rows) if all(v is None for v, _ in row))
    notes = [row[0][0] for row in rows[blank + 1:]]
    return rows[:blank], notes


# A downloaded sheet splits a column of intervals into one column per number ("95 pct.-interval, nedre
# grænse", "..., øvre grænse", "..., n"), so that Excel can compute with them.
PART_SUFFIX = re.compile(r", (?:nedre grænse|øvre grænse|n)$")
PAGE_NUMBER = re.compile(r"\d+(?:\.\d{3})*(?:,\d+)?")


def page_columns(header: list[str]) -> list[tuple[str, list[int]]]:
    """The sheet's columns grouped by the page column they come from: (its name, their positions)."""
    grouped: list[tuple[str, list[int]]] = []
    for i, name in enumerate(header):
        base = PART_SUFFIX.sub("", name)
        if grouped and grouped[-1][0] == base and base != name:
            grouped[-1][1].append(i)
        else:
            grouped.append((base, [i]))
    return grouped


def page_numbers(text: str) -> list[float]:
    """The numbers of a page cell in order ("2,6 (2,2–2,9; n = 25)" -> 2.6, 2.2, 2.9, 25)."""
    return [float(m.replace(".", "").replace(",", ".")) for m in PAGE_NUMBER.findall(text.replace("\u2212", "-"))]


def expected_cell(text: str):
    """What the .xlsx must hold for a page cell: (number, the text Excel shows after it) or the text."""
    match = DANISH.match(text.replace("\u2212", "-"))  # the page's minus sign is U+2212
    if match:
        number = match.group("number").replace(".", "").replace(",", ".")
        return float(number), match.group("suffix")
    return text


@pytest.mark.book
def test_every_page_with_tables_is_known(pages):
    built = {p.relative_to(HTML_DIR).as_posix() for p in HTML_DIR.rglob("*.html")}
    with_tables = {n for n in built if "data:text/csv" in (HTML_DIR / n).read_text(encoding="utf-8")}
    unknown = sorted(with_tables - set(PAGES))
    assert not unknown, (f"pages with tables that src/municipal_survey/report/registry.py does not list: "
                         f"{unknown}; add Page('<page>', '<prefix>') to its PAGES (every table download on "
                         "the page is named <prefix>-<what>)")


@pytest.mark.book
def test_every_table_offers_an_xlsx_and_a_csv_under_one_consistent_name(pages):
    seen: dict[str, str] = {}
    for name, page in pages.items():
        prefix = PAGES[name][0]
        for table in page.tables:
            if not table.rows or not table.downloads:
                continue
            stems = {Path(f).stem for f in table.downloads}
            suffixes = sorted(Path(f).suffix for f in table.downloads)
            assert len(stems) == 1 and suffixes == [".csv", ".xlsx"], f"{name}, {table.caption}: {table.downloads}"
            stem = stems.pop()
            assert re.fullmatch(rf"{prefix}(-[a-z0-9]+)+", stem), f"{name}: {stem!r} should start with {prefix}-"
            assert stem not in seen, f"{stem} on {name} and {seen.get(stem)}"
            seen[stem] = name
    assert len(seen) >= 40, f"only {len(seen)} tables with downloads found"


@pytest.mark.book
def test_each_xlsx_is_the_table_on_the_page_cell_by_cell(pages):
    checked = 0
    for name, page in pages.items():
        for table in with_downloads(page):
            file = next(f for f in table.downloads if f.endswith(".xlsx"))
            workbook = openpyxl.load_workbook(io.BytesIO(table.downloads[file]))
            assert len(workbook.worksheets) == 1, f"{name}: {file}"
            rows, notes = sheet_rows(workbook.worksheets[0])
            where = f"{name}, {file}"
            columns = page_columns([v for v, _ in rows[0]])
            assert [base for base, _ in columns] == table.header, where
            assert len(rows) - 1 == len(table.rows), where
            for r, (shown, stored) in enumerate(zip(table.rows, rows[1:]), start=1):
                assert len(columns) == len(shown), f"{where}, row {r}"
                for (column, parts), text in zip(columns, shown):
                    if len(parts) > 1:  # an interval or an estimate with its interval, one number per column
                        values = [stored[i][0] for i in parts]
                        numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
                        at = f"{where}, row {r}, column {column!r}: page {text!r}, xlsx {values!r}"
                        assert numbers == pytest.approx(page_numbers(text), abs=1e-9), at
                        continue
                    value, fmt = stored[parts[0]]
                    expected = expected_cell(text)
                    at = f"{where}, row {r}, column {column!r}: page {text!r}, xlsx {value!r} ({fmt})"
                    if text.startswith("under ") and isinstance(value, int | float):  # "under 0,001"
                        assert value == pytest.approx(page_numbers(text)[0]) and "under" in fmt, at
                    elif isinstance(expected, tuple):
                        number, suffix = expected
                        assert isinstance(value, int | float) and not isinstance(value, bool), at
                        assert value == pytest.approx(number, abs=1e-9), at
                        assert "".join(re.findall(r'"([^"]*)"', fmt)) == suffix, at
                    elif PLAIN_FLOAT.match(text):  # a section number ("1.9") or a float pandas printed ("0.25")
                        assert value == text or value == pytest.approx(float(text), abs=1e-12), at
                    else:
                        assert value == (expected or None), at  # an empty cell on the page is empty in Excel
            labels = [n.split(": ", 1)[0] for n in notes]
            assert labels == NOTE_LABELS, where
            assert notes[0] == f"Overskrift: {table.caption}" and notes[-1] == f"Fil: {file}", where
            checked += 1
    assert checked >= 40


@pytest.mark.book
def test_numbers_are_stored_as_numbers_in_the_xlsx(pages):
    """The reason for the .xlsx: Danish Excel must be able to compute with every shown number."""
    numbers = texts = 0
    for page in pages.values():
        for table in with_downloads(page):
            file = next(f for f in table.downloads if f.endswith(".xlsx"))
            rows, _ = sheet_rows(openpyxl.load_workbook(io.BytesIO(table.downloads[file])).worksheets[0])
            for row in rows[1:]:
                for value, _ in row:
                    numbers += isinstance(value, int | float)
                    texts += isinstance(value, str) and bool(DANISH.match(value))
    assert texts == 0 and numbers > 1000


@pytest.mark.book
def test_each_workbook_has_one_sheet_per_table_on_its_page(pages):
    for name, (prefix, workbook_name) in PAGES.items():
        page = pages[name]
        if workbook_name is None:
            assert not page.workbooks, name
            continue
        assert list(page.workbooks) == [workbook_name], f"{name}: no workbook {workbook_name}"
        workbook = openpyxl.load_workbook(io.BytesIO(page.workbooks[workbook_name]))
        sheets = workbook.worksheets[1:]
        assert workbook.worksheets[0].title == "Indhold"
        shown = with_downloads(page)
        assert len(sheets) == len(shown), f"{name}: {len(sheets)} sheets for {len(shown)} tables"
        titles = [ws.title for ws in workbook.worksheets]
        assert len({t.casefold() for t in titles}) == len(titles) and all(len(t) <= 31 for t in titles), titles
        for ws, table in zip(sheets, shown):
            file = next(f for f in table.downloads if f.endswith(".xlsx"))
            single = openpyxl.load_workbook(io.BytesIO(table.downloads[file])).worksheets[0]
            assert sheet_rows(ws) == sheet_rows(single), f"{name}: sheet {ws.title!r} is not {file}"
            assert ws.title == Path(file).stem.removeprefix(f"{prefix}-")[:31] or ws.title[-2:-1] == "-", ws.title
