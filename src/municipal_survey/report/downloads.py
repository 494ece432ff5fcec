"""Table downloads: an Excel workbook (.xlsx) per table and per chapter, beside the CSV for machines.

Danish Excel opens a comma-separated CSV with everything in column A, so every table also comes as
an .xlsx file. Its sheet holds the table as the page shows it, with numbers stored as numbers
(Danish text such as "1.845.939", "2,60" or "22 pct." is parsed back; a mark such as "61 †" keeps
its mark through the cell's number format), then a blank row and the notes: the table's caption,
the source (this book and the report it reproduces), the dataset and where the numbers come from
(published, derived or assumed). An interval ("72–81") becomes two numeric columns, its lower and upper
end; an estimate with its interval and n ("2,6 (2,2–2,9; n = 25)") one numeric column each; a p-value
under a floor ("under 0,001") the floor as a number shown as "under 0,001"; "–" stays text.

Files travel inside the page as data: URIs (like the CSV), so a download is always the table
shown, also when the build serves a notebook from its execution cache, and the disclosure check
reads them from the HTML. The bytes are deterministic (fixed timestamps), so re-executing a
notebook changes no output unless a number changes.

Every table a notebook renders is also registered here; `show_workbook` at the end of a chapter
notebook offers all of them as one workbook with one sheet per table (and a contents sheet).
"""
from __future__ import annotations

import base64
import html
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..synthetic.provenance import ASSUMED_MARK, MARKS, PROVENANCE_COLUMN
from .text import count_da, parse_number

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOOK_SOURCE = ("Analysebogen Kommuneundersøgelsen 2020, som genskaber Socialstyrelsen (maj 2021): "
               "Udfordringer i forhold til børn og unge på det specialiserede socialområde – "
               "Kommunale perspektiver")
NO_RESPONSES = "ingen besvarelser: tabellen bygger ikke på kommunernes svar (se overskriften)"
CONTENTS_SHEET = "Indhold"
# Labels that start the notes rows under a table (the disclosure check reads "Overskrift" and "Fil").
NOTE_LABELS = ("Overskrift", "Kilde", "Datagrundlag", "Oprindelse", "Fil")
# A stem: lower-case ASCII letters and digits in words joined by single hyphens.
STEM = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SHEET_NAME_MAX = 31  # Excel's limit
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)  # the survey's year; any fixed time makes the bytes reproducible

_PCT = re.compile(r"^(?P<number>.+?)\s+pct\.$")
_MARK = re.compile(rf"^(?P<body>.*?)\s*(?P<mark>{MARKS})$")
_TRANSLITERATE = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa", "–": "-"})


# ------------------------------------------------------------------------------------------ names
def file_stem(name: str) -> str:
    """A download's name without suffix, as every download of the book is named: lower-case ASCII
    words joined by hyphens ("Figur_03 Kvalitet.csv" -> "figur-03-kvalitet"; æ, ø, å as ae, oe, aa)."""
    stem = re.sub(r"\.(csv|xlsx)$", "", name.strip(), flags=re.IGNORECASE)
    stem = unicodedata.normalize("NFKD", stem.translate(_TRANSLITERATE))
    stem = stem.encode("ascii", "ignore").decode().lower()
    stem = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")
    if not stem:
        raise ValueError(f"download name {name!r}: expected letters or digits for a file name")
    return stem


def sheet_names(stems: list[str], prefix: str = "") -> list[str]:
    """One unique sheet name per stem, at most 31 characters: the stem without the chapter prefix
    (every sheet of a chapter workbook shares it), shortened and numbered where needed."""
    names: list[str] = []
    for stem in stems:
        base = stem[len(prefix):].strip("-") if prefix and stem.startswith(prefix) else stem
        base = base or stem
        name, k = base[:SHEET_NAME_MAX].rstrip("-"), 1
        while name.casefold() in {n.casefold() for n in [*names, CONTENTS_SHEET]}:
            k += 1
            suffix = f"-{k}"
            name = base[:SHEET_NAME_MAX - len(suffix)].rstrip("-") + suffix
        names.append(name)
    return names


# ------------------------------------------------------------------------------------------ cells
def cell_value(value) -> tuple[object, str | None]:
    """(what the .xlsx cell stores, its number format or None) for one shown table cell.

    Numbers stay numbers; Danish number text is parsed ("1.845.939", "2,60", "22 pct."), a trailing
    mark (†, *) moves into the number format, so Excel shows "61 †" and computes with 61. Anything
    else (intervals, "under 0,001", "<5", "–", labels) stays text, as the page shows it.
    """
    if value is None or (isinstance(value, float | np.floating) and np.isnan(value)) or value is pd.NA:
        return "–", None
    if isinstance(value, bool | np.bool_):
        return ("ja" if value else "nej"), None
    if isinstance(value, int | np.integer):
        return int(value), "#,##0" if abs(int(value)) >= 1000 else "0"
    if isinstance(value, float | np.floating):
        return float(value), None
    text = str(value)
    parsed = _parse_danish(text.strip().replace("\xa0", " ").replace("\u2212", "-"))
    return parsed if parsed is not None else (text, None)


def _parse_danish(text: str) -> tuple[object, str] | None:
    if text.startswith("under "):  # a p-value under a floor: the floor, shown as the page shows it
        parsed = _parse_danish(text.removeprefix("under "))
        return None if parsed is None else (parsed[0], f'"under "{parsed[1]}')
    suffix = ""
    mark = _MARK.match(text)
    if mark and mark.group("body"):
        text, suffix = mark.group("body"), f' {mark.group("mark")}'
    pct = _PCT.match(text)
    if pct:
        text, suffix = pct.group("number"), " pct." + suffix
    parsed = parse_number(text)
    if parsed is None:
        return None
    value, decimals = parsed
    fmt = ("#,##0" if "." in text else "0") + ("." + "0" * decimals if decimals else "")
    return (int(value) if decimals == 0 else value), fmt + (f'"{suffix}"' if suffix else "")


# An interval as the tables write it, and an estimate followed by its interval and/or n in brackets.
_NUMBER = r"-?\d[\d.]*(?:,\d+)?"
_INTERVAL = re.compile(rf"^(?P<low>{_NUMBER})\s*[–-]\s*(?P<high>{_NUMBER})$")
_ESTIMATE = re.compile(rf"^(?P<value>{_NUMBER}(?: pct\.)?(?:\s*[†*]+)?)\s*\("
                       rf"(?:(?P<low>{_NUMBER})\s*[–-]\s*(?P<high>{_NUMBER}))?(?:;\s*)?(?:n = (?P<n>\d+))?\)$")
_SUPPRESSED = re.compile(r"^<\s*\d+$")  # a hidden cell ("<5"): no number to split
_PARTS_DA = {"low": "nedre grænse", "high": "øvre grænse", "n": "n"}


def spreadsheet_columns(table: pd.DataFrame) -> pd.DataFrame:
    """The table with every column of intervals or of estimates with intervals split into one column per
    number ("95 pct.-interval" -> "95 pct.-interval, nedre grænse" and "..., øvre grænse"), so that a
    spreadsheet can compute with them; a column that mixes other text stays as it is."""
    out = {}
    for column in table.columns:
        texts = [str(v).replace("\xa0", " ").strip() for v in table[column]]
        filled = [t for t in texts if t not in ("–", "", "nan", "<NA>", "None") and not _SUPPRESSED.match(t)]
        if filled and all(_INTERVAL.match(t) for t in filled):
            matches = [_INTERVAL.match(t) for t in texts]
            for part in ("low", "high"):
                out[f"{column}, {_PARTS_DA[part]}"] = [m.group(part) if m else "–" for m in matches]
        elif filled and all(_ESTIMATE.match(t) for t in filled):
            matches = [_ESTIMATE.match(t) for t in texts]
            out[column] = [m.group("value") if m else t for m, t in zip(matches, texts)]
            for part in ("low", "high", "n"):
                if any(m and m.group(part) for m in matches):
                    out[f"{column}, {_PARTS_DA[part]}"] = [m.group(part) if m and m.group(part) else "–"
                                                           for m in matches]
        else:
            out[column] = list(table[column])
    return pd.DataFrame(out)


def joined_columns(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """spreadsheet_columns undone on a sheet's displayed text: every number's column joined back into
    the cell the page shows ("2,6 (2,2–2,9; n = 25)", "72–81"), so that a check that reads the page's
    tables reads a downloaded sheet the same way."""
    parts: dict[str, dict[str, int]] = {}
    for i, name in enumerate(header):
        for part, words in _PARTS_DA.items():
            if name.endswith(f", {words}"):
                parts.setdefault(name.removesuffix(f", {words}"), {})[part] = i
    if not parts:
        return header, rows
    split = {i for found in parts.values() for i in found.values()}

    def cell(row: list[str], value: str, found: dict[str, int]) -> str:
        got = {part: row[i] if i < len(row) else "" for part, i in found.items()}
        given = {part: text for part, text in got.items() if text not in ("", "–")}
        inside = "; ".join(([f"{given['low']}–{given['high']}"] if {"low", "high"} <= set(given) else [])
                           + ([f"n = {given['n']}"] if "n" in given else []))
        if value == "":  # an interval column of its own
            return inside or "–"
        return f"{value} ({inside})" if inside else value

    joined_header, joined_rows = [], [[] for _ in rows]
    for i, name in enumerate(header):
        base = name.removesuffix(f", {_PARTS_DA['low']}")
        if i in split and not (base != name and base not in header):
            continue  # a part of a column shown before, or of one that follows
        joined_header.append(base if i in split else name)
        for out, row in zip(joined_rows, rows):
            value = row[i] if i < len(row) else ""
            out.append(cell(row, "", parts[base]) if i in split else
                       cell(row, value, parts[name]) if name in parts else value)
    return joined_header, joined_rows


# ---------------------------------------------------------------------------------------- notes
def provenance_note(table: pd.DataFrame, source: str, caption: str = "") -> str:
    """Where the table's numbers come from, as its columns, marks, caption and dataset say."""
    if not source:
        return ("Tabellens tal er ikke beregnet af kommunernes svar (register, rapportens trykte tal eller "
                "bogens opslag).")
    if "syntetisk" not in source:
        return "Afledt: alle tal er beregnet af bogen fra de importerede besvarelser."
    parts = []
    if PROVENANCE_COLUMN in table.columns:
        parts.append(f"Offentliggjort: de tal i rækken, som kolonnen '{PROVENANCE_COLUMN}' nævner, er rapportens; "
                     "de øvrige er antagelser i det syntetiske datasæt.")
    cells = table.astype(str).to_numpy().ravel()
    if any(ASSUMED_MARK in str(c) for c in [*cells, *table.columns, caption]):
        parts.append(f"Antaget: tal med {ASSUMED_MARK}, og tal som overskriften kalder antagelser, er "
                     "antagelser i det syntetiske datasæt, ikke rapportens tal.")
    if not parts:
        parts.append("Beregnet af bogen fra det syntetiske datasæt: tallene er ikke rapportens og viser ikke, "
                     "hvad kommunerne har svaret, medmindre tabellen selv siger det.")
    return " ".join(parts)


def notes(table: pd.DataFrame, caption: str, stem: str, source: str) -> list[tuple[str, str]]:
    """The notes rows under a sheet's table: (label, text)."""
    return [("Overskrift", caption), ("Kilde", BOOK_SOURCE), ("Datagrundlag", source or NO_RESPONSES),
            ("Oprindelse", provenance_note(table, source, caption)), ("Fil", f"{stem}.xlsx")]


# -------------------------------------------------------------------------------------- writing
@dataclass(frozen=True)
class Download:
    """One rendered table as its downloads carry it."""

    stem: str
    caption: str
    table: pd.DataFrame
    source: str


def _fill_sheet(ws, item: Download) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    table = spreadsheet_columns(item.table)
    headers = [str(c) for c in table.columns]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [min(max(len(h) // 2, 8), 40) for h in headers]
    for values in table.itertuples(index=False, name=None):
        row = [cell_value(v) for v in values]
        ws.append([v for v, _ in row])
        for cell, (value, fmt) in zip(ws[ws.max_row], row):
            if fmt:
                cell.number_format = fmt
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text, never a formula
        widths = [max(w, min(len(str(v)) + 2, 60)) for w, (v, _) in zip(widths, row)]
    ws.append([])
    for label, text in notes(item.table, item.caption, item.stem, item.source):
        ws.append([f"{label}: {text}"])
        ws.cell(ws.max_row, 1).font = bold if label == "Overskrift" else Font(italic=True)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"


def _workbook_bytes(wb) -> bytes:
    """The workbook's bytes, the same for the same content: fixed document and archive times."""
    import datetime

    from openpyxl.writer.excel import ExcelWriter

    fixed = datetime.datetime(*_FIXED_TIME)
    wb.properties.created = wb.properties.modified = fixed
    wb.properties.creator = "municipal_survey"
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    fixed_zip = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(fixed_zip, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename), compresslevel=9)
    return fixed_zip.getvalue()


def table_xlsx(table: pd.DataFrame, caption: str, stem: str, source: str = "") -> bytes:
    """One table as an .xlsx file: one sheet with the table, a blank row and the notes."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_names([stem])[0]
    _fill_sheet(ws, Download(stem, caption, table, source))
    return _workbook_bytes(wb)


def workbook_xlsx(items: list[Download], title: str, prefix: str = "") -> bytes:
    """Several tables as one workbook: a contents sheet, then one sheet per table, in page order."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    if not items:
        raise ValueError(f"workbook {title!r}: expected at least one table rendered before the call")
    wb = Workbook()
    contents = wb.active
    contents.title = CONTENTS_SHEET
    contents.append([title])
    contents["A1"].font = Font(bold=True)
    contents.append([])
    contents.append(["Ark", "Tabel", "Fil"])
    for cell in contents[3]:
        cell.font = Font(bold=True)
    names = sheet_names([i.stem for i in items], prefix)
    for name, item in zip(names, items):
        contents.append([name, item.caption, f"{item.stem}.xlsx"])
        _fill_sheet(wb.create_sheet(name), item)
    contents.append([])
    contents.append([f"Kilde: {BOOK_SOURCE}"])
    for width, column in zip((34, 90, 50), "ABC"):
        contents.column_dimensions[column].width = width
    return _workbook_bytes(wb)


def data_uri(payload: bytes, mime: str) -> str:
    return f"data:{mime};base64," + base64.b64encode(payload).decode("ascii")


# ------------------------------------------------------------------------------ the page's links
_RENDERED: dict[str, Download] = {}


def register(item: Download) -> None:
    """Remember a rendered table for the chapter workbook (one kernel = one page; rerunning a cell
    replaces its table instead of adding it twice)."""
    _RENDERED.pop(item.stem, None)
    _RENDERED[item.stem] = item


def rendered() -> list[Download]:
    return list(_RENDERED.values())


def forget_rendered() -> None:
    """Start a new page in the same process (the tests draw many pages in one): no table rendered yet."""
    _RENDERED.clear()


def download_links(table: pd.DataFrame, caption: str, stem: str, source: str, csv_bytes: bytes) -> str:
    """The paragraph under a table: its .xlsx for people, its CSV for machines (see the Data page)."""
    register(Download(stem, caption, table, source))
    xlsx = table_xlsx(table, caption, stem, source)
    name_x, name_c = html.escape(f"{stem}.xlsx"), html.escape(f"{stem}.csv")
    return (f'<p><a download="{name_x}" href="{data_uri(xlsx, XLSX_MIME)}">Hent tabellen i Excel ({name_x})</a>'
            f' · <a download="{name_c}" href="{data_uri(csv_bytes, "text/csv;charset=utf-8")}">'
            f"som CSV til maskiner ({name_c})</a></p>")


def workbook_html(stem: str, title: str, prefix: str = "") -> str:
    """The link to the workbook of every table rendered so far in this kernel (this page)."""
    stem = file_stem(stem)
    items = rendered()
    payload = workbook_xlsx(items, title, prefix)
    name = html.escape(f"{stem}.xlsx")
    # "sidens tabel", "alle sidens seks tabeller": a count in words, never "alle 1 tabeller".
    what = "sidens tabel" if len(items) == 1 else f"alle sidens {count_da(len(items))} tabeller"
    return (f'<p class="chapter-workbook"><a download="{name}" href="{data_uri(payload, XLSX_MIME)}">'
            f"Hent {what} i én Excel-projektmappe ({name})</a></p>")


def show_workbook(stem: str, title: str) -> None:
    """Display the page's workbook link (the last cell of a chapter notebook, input removed).

    `stem` starts with the page's file-name prefix ("kapitel-1-tabeller"), which the sheet names
    then leave out."""
    from IPython.display import HTML, display

    prefix = file_stem(stem).rsplit("-", 1)[0] if "-" in file_stem(stem) else ""
    display(HTML(workbook_html(stem, title, prefix)))
