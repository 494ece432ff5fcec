"""Attack the built book as an outside reader would: can anyone's answers be read or inferred?

- `municipality_findings`: no page shows one municipality's answers (a table with a
  Kommune/Kommunekode/municipality column next to anything but register facts such as region and
  population).
- `breakdown_findings`: no breakdown table (CSS class "breakdown", or a caption naming region,
  kommunestørrelse or an index group) shows a count under the disclosure rule's minimum, or numbers
  computed from a group under it, that are not suppressed; no shown share lets a reader recover fewer
  than the minimum on either side ("22 pct. (n = 9)" is 2 of 9: `recovered_counts`), whether the
  group size is in the cell or in a column of its own; and no suppressed cell stands alone in its row
  or column (it could be recovered from the others and the national figure).
Tables are read from the HTML and from the CSV and Excel (.xlsx) downloads embedded in the pages: a
table's own download is checked like the table above it, and each sheet of a page's workbook like
the table whose file its notes row "Fil: ..." names. The command line also
runs `build.tracked_files` over what git tracks:

    python -m municipal_survey.build.disclosure_check --html _build/html --repo

(exit 1 on any finding). What the checks cannot see: figures (images) and numbers in prose;
breakdowns must therefore be built from suppressed tables (`analysis.disclosure`), and their figures
from the same tables.
"""
from __future__ import annotations

import argparse
import base64
import binascii
import csv
import io
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

from ..analysis.disclosure import MIN_COUNT, ROWS_ADD_UP, Finding
from ..data.codebook import VALID_CODES
from ..report import downloads
from ..report.text import parse_number
from ..synthetic.provenance import MARKS
from .tracked_files import check_tracked_files

BREAKDOWN_CLASS = "breakdown"
MUNICIPALITY_HEADER = re.compile(
    r"^(kommune|kommunekode|kommunenavn|kommunenr\.?|kommunenummer|municipality|municipality[ _]?(code|name))$")
# Facts about a municipality that are public (the register): allowed next to a municipality column.
REGISTER_HEADER = re.compile(
    r"^(kode|code|navn|name|region|landsdel|folketal.*|population.*|indbyggere.*|befolkning.*"
    r"|kommunestørrelse.*|størrelse.*|størrelsesgruppe.*|size.*)$")
# Captions of breakdown tables (region, size group, index group).
BREAKDOWN_CAPTION = re.compile(r"\bregion|kommunestørrelse|størrelsesgruppe|indeksgruppe", re.IGNORECASE)
# Column headers that hold counts of municipalities, and those that hold group sizes (N).
COUNT_HEADER = re.compile(r"^(n|kommuner|besvarelser|.*\bantal\b.*|.*,\s*n|.*\((n|antal)\))$")
GROUP_SIZE_HEADER = re.compile(r"^(n|kommuner|antal kommuner|besvarelser|antal besvarelser|.*,\s*n)$")
# Column headers of numbers that are not counts (shares, means, tests, register figures, codes).
NOT_COUNT_HEADER = re.compile(r"pct|%|andel|gennemsnit|mean|rho|odds|\bor\b|interval|^p\b|p-værdi|"
                              r"folketal|population|indbyggere|befolkning|\bår\b|\bkode\b|wave")
_MARKS = re.compile(rf"\s*{MARKS}$")
# A cell that names its own group size, e.g. "46 pct. (n = 27)".
CELL_N = re.compile(r"\bn\s*=\s*(\d{1,3}(?:\.\d{3})+|\d+)\b", re.IGNORECASE)
# A cell that shows a share: "22 pct. (n = 9)", "22 %", "22,5 pct.".
PCT_CELL = re.compile(r"^(\d{1,3}(?:,\d+)?)\s*(?:pct\.?|%)", re.IGNORECASE)
# Headers of columns that hold shares in pct., and of share-like columns that are not shares of a group.
SHARE_HEADER = re.compile(r"pct|%|andel", re.IGNORECASE)
NOT_SHARE_HEADER = re.compile(r"interval|p-værdi|\bp\b|point|ændring", re.IGNORECASE)
# What a suppressed cell shows: the mark "<5" (any "<n"), or the usual "x" and "..".
SUPPRESSED = re.compile(r"^(<\s*\d+|x|\.\.)$", re.IGNORECASE)


# --------------------------------------------------------------------------------------------- HTML
@dataclass
class Table:
    """A table as a reader sees it: caption, header and the text of every body cell."""

    where: str
    caption: str = ""
    classes: set[str] = field(default_factory=set)
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


class _TableParser(HTMLParser):
    """Collect every <table> of a page, and the CSV downloads embedded as data: URIs after them."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.tables: list[Table] = []
        self._stack: list[Table] = []
        self._row: list[str] | None = None
        self._row_is_header = False
        self._in_thead = False
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None
        self._xlsx_owners: dict[str, Table] = {}  # an .xlsx download's name -> the table it belongs to

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            table = Table(f"{self.page}, table {len(self.tables) + 1}",
                          classes=set((attrs.get("class") or "").split()))
            self.tables.append(table)
            self._stack.append(table)
        elif not self._stack:
            if tag == "a" and (attrs.get("href") or "").startswith("data:text/csv"):
                self._csv(attrs)
            elif tag == "a" and (attrs.get("href") or "").startswith(XLSX_HREF):
                self.tables += xlsx_tables(attrs, self.page, self.tables, self._xlsx_owners)
        elif tag == "caption":
            self._caption = []
        elif tag == "thead":
            self._in_thead = True
        elif tag == "tr":
            self._row, self._row_is_header = [], True
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
            self._row_is_header &= tag == "th"

    def handle_endtag(self, tag):
        if not self._stack:
            return
        table = self._stack[-1]
        if tag == "table":
            self._stack.pop()
        elif tag == "caption" and self._caption is not None:
            table.caption = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag == "thead":
            self._in_thead = False
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._in_thead or (self._row_is_header and not table.header and not table.rows):
                table.header = self._row  # the last header row names the columns
            else:
                table.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        data = data.replace("\u00ad", "")  # a header's soft hyphens (tables.soft_hyphens) are not text
        if self._cell is not None:
            self._cell.append(data)
        elif self._caption is not None:
            self._caption.append(data)

    def _csv(self, attrs: dict) -> None:
        href = attrs["href"]
        meta, _, payload = href.partition(",")
        try:
            raw = base64.b64decode(payload) if meta.endswith(";base64") else unquote(payload).encode()
            records = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        except (binascii.Error, UnicodeDecodeError, csv.Error):
            return
        if not records:
            return
        shown = self.tables[-1] if self.tables else None  # the download belongs to the table above it
        self.tables.append(Table(f"{self.page}, CSV download {attrs.get('download') or '(unnamed)'}",
                                 caption=shown.caption if shown else "",
                                 classes=set(shown.classes) if shown else set(),
                                 header=[h.strip() for h in records[0]], rows=records[1:]))


# -------------------------------------------------------------------------------- Excel downloads
XLSX_HREF = "data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The notes row that names the table a sheet belongs to (report.downloads writes it).
FILE_NOTE = re.compile(r"^Fil:\s*(\S+\.xlsx)\s*$")
CAPTION_NOTE = "Overskrift:"
_FORMAT_TEXT = re.compile(r'"([^"]*)"')
UNREADABLE = "unreadable .xlsx download"


def displayed_cell(value, number_format: str = "General") -> str:
    """A cell's text as a reader sees it in Excel: a number with the literal text of its number
    format (61 with '0" †"' is "61 †", 22 with '0" pct."' is "22 pct."), in plain notation."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        # with the decimals its format shows ("0.0": 2 is "2.0", as an interval's end on the page is "2,0")
        decimals = re.match(r'^[#,0]*\.(0+)', number_format or "")
        number = (f"{float(value):.{len(decimals.group(1))}f}" if decimals else
                  str(int(value)) if float(value).is_integer() else repr(float(value)))
        return number + "".join(_FORMAT_TEXT.findall(number_format or ""))
    return " ".join(str(value).split())


def xlsx_sheets(payload: bytes) -> list[tuple[str, list[list[list[str]]]]]:
    """Every sheet of an .xlsx file as (title, its blocks): runs of rows between blank rows, each row
    as displayed text. A sheet from report.downloads is two blocks, the table and its notes."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(payload))
    sheets = []
    for ws in workbook.worksheets:
        blocks: list[list[list[str]]] = [[]]
        for row in ws.iter_rows():
            cells = [displayed_cell(c.value, c.number_format) for c in row]
            if any(cells):
                blocks[-1].append(cells)
            elif blocks[-1]:
                blocks.append([])
        sheets.append((ws.title, [b for b in blocks if b]))
    return sheets


def unreadable_findings(table: Table) -> list[Finding]:
    """A download the check cannot open is a finding: what cannot be read cannot be vouched for."""
    return [Finding(table.where, UNREADABLE)] if UNREADABLE in table.classes else []


def xlsx_tables(attrs: dict, page: str, shown: list[Table], owners: dict[str, Table]) -> list[Table]:
    """The tables an .xlsx download holds, each with the caption and classes of the page table it
    belongs to: a one-sheet file is the download of the table above it; a workbook's sheet belongs to
    the table whose own download its "Fil: ..." note names. Every row after the header is read,
    notes included, so nothing below them goes unchecked."""
    import zipfile

    name = attrs.get("download") or "(unnamed)"
    try:
        sheets = xlsx_sheets(base64.b64decode(attrs["href"].partition(",")[2]))
    except (binascii.Error, zipfile.BadZipFile, KeyError, ValueError, OSError):
        return [Table(f"{page}, Excel download {name}", caption=UNREADABLE, classes={UNREADABLE})]
    above = shown[-1] if shown else None
    if len(sheets) == 1 and above is not None:
        owners[name] = above
    found = []
    for title, blocks in sheets:
        rows = [row for block in blocks for row in block]
        named = [m.group(1) for row in rows for m in [FILE_NOTE.match(row[0])] if m]
        owner = owners.get(named[0]) if named else None
        if owner is None and len(sheets) == 1:
            owner = above
        caption = owner.caption if owner else next(
            (row[0].partition(":")[2].strip() for row in rows if row[0].startswith(CAPTION_NOTE)), "")
        # Each block is checked as a table of its own (the table, its notes, anything further down); the
        # table's numbers, which the sheet gives a column each, joined back into the cells the page shows.
        for k, block in enumerate(blocks, start=1):
            part = "" if k == 1 else f", rows after blank row {k - 1}"
            header, body = downloads.joined_columns([h.strip() for h in block[0]], block[1:])
            found.append(Table(f"{page}, Excel download {name}, sheet {title!r}{part}", caption=caption,
                               classes=set(owner.classes) if owner else set(), header=header, rows=body))
    return found


def page_tables(html_file: Path, name: str | None = None) -> list[Table]:
    """Every table of one HTML page, including the CSV downloads embedded in it."""
    parser = _TableParser(name or str(html_file))
    parser.feed(Path(html_file).read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser.tables


def _norm(header: str) -> str:
    return " ".join(_MARKS.sub("", header).split()).casefold()


def cell_number(cell: str) -> float | None:
    """A cell's number (Danish or plain notation), or None for text, marks and blanks."""
    parsed = parse_number(_MARKS.sub("", cell).replace("\xa0", ""), plain=True)
    return None if parsed is None else parsed[0]


_ANSWER_LABELS = {label.casefold() for labels in VALID_CODES.values() for label in labels.values()}


def municipality_findings(table: Table) -> list[Finding]:
    """A table with a municipality column next to anything but register facts shows answers."""
    headers = [_norm(h) for h in table.header]
    ids = [i for i, h in enumerate(headers) if MUNICIPALITY_HEADER.match(h)]
    if not ids:
        return []
    others = [table.header[i] for i, h in enumerate(headers) if i not in ids and not REGISTER_HEADER.match(h)]
    labels = sorted({c for row in table.rows for i, c in enumerate(row)
                     if i not in ids and c.casefold() in _ANSWER_LABELS})
    if not others and not labels:
        return []
    shown = ", ".join(repr(o) for o in others) or "answer labels " + ", ".join(repr(x) for x in labels[:3])
    return [Finding(table.where, f"municipality-level data: column {table.header[ids[0]]!r} next to {shown} "
                                 f"({len(table.rows)} rows)")]


def is_breakdown(table: Table) -> bool:
    return BREAKDOWN_CLASS in table.classes or bool(BREAKDOWN_CAPTION.search(table.caption))


def recovered_counts(pct: float, n: int) -> list[int]:
    """Every count k of n municipalities whose share could be shown as `pct` (whole or decimal pct.):
    what a reader can work out from a share and its group size."""
    decimals = len(f"{pct:g}".partition(".")[2])
    half = 0.5 * 10 ** -decimals
    return [k for k in range(n + 1) if abs(100 * k / n - pct) <= half + 1e-9]


def _share(cell: str, header: str) -> float | None:
    """The percentage a cell shows: "22 pct. (n = 9)", "22 %", or a number under a share header."""
    match = PCT_CELL.match(cell.strip())
    if match:
        return cell_number(match.group(1))
    if SHARE_HEADER.search(header) and not NOT_SHARE_HEADER.search(header):
        return cell_number(cell)
    return None


def breakdown_findings(table: Table, min_count: int = MIN_COUNT, include_zero: bool = True) -> list[Finding]:
    """What an outside reader can infer from a breakdown table about fewer than `min_count`
    municipalities: counts under it; group sizes under it ("50 pct. (n = 4)"); numbers in rows whose
    group is under it or suppressed; shares whose counts, recovered from the share and the group size
    ("22 pct. (n = 9)" is 2 of 9), leave fewer than `min_count` on either side; and a suppressed cell
    alone in its row or column (recoverable from the others and the national figure)."""
    if not is_breakdown(table):
        return []
    headers = [_norm(h) for h in table.header]
    width = len(headers)
    columns = [[row[i] if i < len(row) else "" for row in table.rows] for i in range(width)]
    counts, sizes = set(), set()
    for i, header in enumerate(headers):
        numbers = [cell_number(c) for c in columns[i]]
        numeric = [v for v in numbers if v is not None]
        whole = bool(numeric) and all(v == int(v) and v >= 0 for v in numeric)
        if NOT_COUNT_HEADER.search(header):
            continue
        if COUNT_HEADER.match(header) or (BREAKDOWN_CLASS in table.classes and whole):
            counts.add(i)
        if GROUP_SIZE_HEADER.match(header):
            sizes.add(i)

    def small(value: float | None) -> bool:
        return value is not None and value < min_count and (value > 0 or include_zero)

    findings: list[Finding] = []
    label = f" ({table.caption})" if table.caption else ""

    def add(what: str) -> None:
        findings.append(Finding(table.where + label, what))

    for r, row in enumerate(table.rows, start=1):
        cells = [row[i] if i < len(row) else "" for i in range(width)]
        for i in sorted(counts):
            if small(cell_number(cells[i])):
                add(f"row {r}, column {table.header[i]!r}: count {cells[i]!r} under {min_count} is not suppressed")
        row_sizes = [cell_number(cells[i]) for i in sorted(sizes)]
        row_size = next((v for v in row_sizes if v is not None), None)
        for i, cell in enumerate(cells):
            sizes_named = [cell_number(m.group(1)) for m in CELL_N.finditer(cell)]
            if any(small(n) for n in sizes_named):
                add(f"row {r}, column {table.header[i]!r}: {cell!r} rests on fewer than {min_count} "
                    "municipalities and is not suppressed")
                continue
            # Count columns are attacked too: their headers are never share-like, so only a cell that
            # shows a share ("40 pct. (n = 10)") is read as one there.
            pct = _share(cell, headers[i])
            n = sizes_named[0] if sizes_named else row_size
            if pct is None or n is None or n < 1 or n != int(n):
                continue
            recovered = recovered_counts(pct, int(n))
            if recovered and (min(recovered) < min_count or int(n) - max(recovered) < min_count):
                k = recovered[0] if len(recovered) == 1 else f"{min(recovered)}-{max(recovered)}"
                add(f"row {r}, column {table.header[i]!r}: {cell!r} of n = {int(n)} tells that {k} of {int(n)} "
                    f"municipalities gave the answer: fewer than {min_count} on one side")
        group_small = any(small(cell_number(cells[i])) or SUPPRESSED.match(cells[i].strip()) for i in sizes)
        if group_small:
            shown = [table.header[i] for i in range(width)
                     if i not in sizes and i not in counts and cell_number(cells[i]) is not None]
            if shown:
                add(f"row {r}: numbers computed from fewer than {min_count} municipalities are shown in {shown}")
    # Secondary suppression: one suppressed cell among shown numbers can be recovered by subtraction.
    values = [i for i in range(1, width)
              if any(SUPPRESSED.match(c.strip()) or cell_number(c) is not None or PCT_CELL.match(c.strip())
                     for c in columns[i])]
    for r, row in enumerate(table.rows, start=1):
        marks = [i for i in values if i < len(row) and SUPPRESSED.match(row[i].strip())]
        if len(marks) == 1 and len(values) > 1:
            add(f"row {r}: the only suppressed cell (column {table.header[marks[0]]!r}) can be recovered from "
                "the other cells of the row and the national figure")
    for i in values if ROWS_ADD_UP not in table.classes else ():
        marks = [r for r, c in enumerate(columns[i], start=1) if SUPPRESSED.match(c.strip())]
        if len(marks) == 1 and len(columns[i]) > 1:
            add(f"column {table.header[i]!r}: the only suppressed cell (row {marks[0]}) can be recovered from "
                "the other cells of the column and the national figure")
    return findings


def check_html(html_dir: Path, min_count: int = MIN_COUNT) -> list[Finding]:
    """Findings over every page of a built book (an empty list: nothing to suppress)."""
    html_dir = Path(html_dir)
    if not html_dir.is_dir():
        raise FileNotFoundError(f"no built book in {html_dir} (run make book first)")
    findings: list[Finding] = []
    for page in sorted(html_dir.rglob("*.html")):
        rel = page.relative_to(html_dir)
        if rel.parts[0] in ("_static", "_sources", "_images"):
            continue
        for table in page_tables(page, str(rel)):
            findings += municipality_findings(table)
            findings += breakdown_findings(table, min_count)
            findings += unreadable_findings(table)
    return findings


# ---------------------------------------------------------------------------------------------- CLI
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m municipal_survey.build.disclosure_check", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--html", help="the built book's html folder, e.g. _build/html")
    parser.add_argument("--repo", action="store_true", help="also check the files git tracks")
    args = parser.parse_args(argv)
    if not args.html and not args.repo:
        parser.error("give --html DIR, --repo or both")
    findings: list[Finding] = []
    checked = []
    if args.repo:
        findings += check_tracked_files()
        checked.append("tracked files")
    if args.html:
        try:
            findings += check_html(Path(args.html))
        except FileNotFoundError as exc:
            print(exc, file=sys.stderr)
            return 2
        checked.append(f"pages in {args.html}")
    for finding in findings:
        print(f"  - {finding}")
    print(f"disclosure check of {' and '.join(checked)}: "
          + (f"{len(findings)} finding(s)" if findings else "nothing disclosed"))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
