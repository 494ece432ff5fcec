"""Reading a survey export's cells (CSV, XLSX, SPSS) and finding its header (see data.importers).

Problems with the file itself (encoding, header, field counts) are structural: listed first.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import DataError, Problem
from .import_cells import WRONG_TYPE, cell_text, nfc, normalise_label
from .import_mapping import Mapping

SUFFIX_FORMATS = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx",
                  ".sav": "sav", ".zsav": "sav"}
DELIMITERS = (",", ";", "\t")
BOM = b"\xef\xbb\xbf"
# A well-formed UTF-8 multi-byte sequence (a BOM counts: it declares UTF-8).
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


@dataclass
class Records:
    """Every record of an export as read, keyed by its row (or SPSS case) number."""

    records: list[tuple[int, list[object]]]
    kind: str = "csv"                  # csv, xlsx or sav
    complete: bool = True              # CSV: the file ends in a line break (not cut off)
    header: list[str] | None = None    # SPSS: the variable names (the file has no header row)


@dataclass
class RawTable:
    """The cells of an export as read: header names and data rows keyed by spreadsheet row."""

    header: list[str]
    rows: list[tuple[int, list[object]]]
    header_row: int | None = 1
    kind: str = "csv"
    complete: bool = True

    @property
    def unit(self) -> str:
        return "case" if self.kind == "sav" else "row"


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _line_text(data: bytes, line: int) -> str:
    raw = data.split(b"\n")[line - 1].rstrip(b"\r")
    return _shown(raw.decode("utf-8", errors="backslashreplace"))


def utf16_codec(data: bytes) -> str | None:
    """The codec of UTF-16 text (Excel's "Unicode-tekst"), found by its byte order mark or, without one,
    by its null bytes; None for other text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"   # the mark gives the byte order and is dropped
    # Latin text in UTF-16 has a null byte beside almost every letter: after it (little-endian) or before.
    sample = data[:4096]
    after, before = sample[1::2].count(0), sample[0::2].count(0)
    if max(after, before) == 0 or max(after, before) * 3 < len(sample) // 2:
        return None
    return "utf-16-le" if after >= before else "utf-16-be"


def _shown(line: str) -> str:
    return line if len(line) <= 80 else line[:77] + "..."


def _decode_utf16(data: bytes, codec: str, file: str) -> str:
    try:
        return data.decode(codec).removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        before = data[:exc.start].decode(codec, errors="replace").removeprefix("\ufeff").split("\n")
        cut = exc.end == len(data)
        raise DataError(Problem(
            file, len(before), None, _shown(before[-1].rstrip("\r")),
            "UTF-16 text (as Excel's Unicode-tekst writes it): the file " +
            ("ends inside a character, so it was cut off" if cut else "holds bytes that are not UTF-16 here"),
            structural=True)) from None


def _without_nulls(text: str, file: str) -> str:
    """A text table holds no null characters: they mean UTF-32, a binary file, or a damaged one."""
    if "\0" in text:
        before = text[:text.index("\0")].split("\n")
        raise DataError(Problem(file, len(before), None, _shown(before[-1].rstrip("\r")),
                                "text without null characters (a UTF-32 or binary file?)", structural=True))
    return text


def decode_text(data: bytes, file: str) -> str:
    """UTF-8 (BOM or not), UTF-16 (Excel's "Unicode-tekst"), else Windows-1252; anything else, or a mix of
    UTF-8 and Windows-1252, is a DataError."""
    codec = utf16_codec(data)
    if codec is not None:
        return _without_nulls(_decode_utf16(data, codec, file), file)
    body = data[len(BOM):] if data.startswith(BOM) else data
    try:
        return _without_nulls(body.decode("utf-8"), file)
    except UnicodeDecodeError as exc:
        bad = exc.start + len(data) - len(body)
    utf8 = _UTF8_MULTIBYTE.search(data)
    if utf8 is None:
        try:
            return _without_nulls(data.decode("cp1252"), file)
        except UnicodeDecodeError as exc:
            line = _line_of(data, exc.start)
            raise DataError(Problem(
                file, line, None, _line_text(data, line),
                f"one text encoding (UTF-8 or Windows-1252) for the whole file: mixed encodings, byte "
                f"0x{data[exc.start]:02X} on this line is valid in neither", structural=True)) from None
    line = _line_of(data, bad)
    other = ("the file starts with a UTF-8 byte order mark" if utf8.start() == 0 and data.startswith(BOM)
             else f"line {_line_of(data, utf8.start())} holds UTF-8 characters")
    raise DataError(Problem(
        file, line, None, _line_text(data, line),
        f"one text encoding (UTF-8 or Windows-1252) for the whole file: mixed encodings, byte "
        f"0x{data[bad]:02X} on this line is not UTF-8 (Windows-1252?) while {other}", structural=True))


def _empty(file: str) -> DataError:
    return DataError(Problem(file, None, None, "", "a header row and one row per municipality", structural=True))


def _read_csv(path: Path, file: str, header_row: int | None) -> Records:
    text = decode_text(path.read_bytes(), file)
    if not text.strip():
        raise _empty(file)
    lines = text.splitlines()
    # The delimiter is the candidate that splits the header into the most fields (ties: comma); without
    # a header_row, the first line that any candidate splits (a title line above the header does not).
    if header_row is not None and header_row <= len(lines):
        sample = [lines[header_row - 1]]
    else:
        sample = [line for line in lines if line.strip()][:20]
    def fields(line: str, d: str) -> int:
        return len(next(csv.reader([line], delimiter=d), []))
    sample = next((line for line in sample if max(fields(line, d) for d in DELIMITERS) > 1), sample[0])
    delimiter = max(DELIMITERS, key=lambda d: fields(sample, d))
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return Records([(i, list(rec)) for i, rec in enumerate(records, start=1)], "csv",
                   complete=text.endswith(("\n", "\r")))


def _read_xlsx(path: Path, file: str, sheet: str | int) -> Records:
    import openpyxl

    try:
        # Not read-only: only a full load knows the merged cells. data_only: a formula's last value.
        workbook = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # zipfile and openpyxl raise many types for a damaged file
        raise DataError(Problem(file, None, None, f"{type(exc).__name__}: {exc}",
                                "a readable .xlsx workbook", structural=True)) from None
    names = [ws.title for ws in workbook.worksheets]
    missing = sheet not in names if isinstance(sheet, str) else not 0 <= sheet < len(names)
    if missing:
        raise DataError(Problem(file, None, None, sheet, f"a sheet of the workbook: {', '.join(names)}",
                                structural=True))
    ws = workbook[sheet] if isinstance(sheet, str) else workbook.worksheets[sheet]
    rows = [list(values) for values in ws.iter_rows(values_only=True)]
    # Excel keeps a merged cell's value in its top-left cell only; it applies to every cell it covers
    # (e.g. a municipality column merged over a two-row header).
    for merged in ws.merged_cells.ranges:
        value = rows[merged.min_row - 1][merged.min_col - 1]
        for row in rows[merged.min_row - 1:merged.max_row]:
            row[merged.min_col - 1:merged.max_col] = [value] * (merged.max_col - merged.min_col + 1)
    while rows and _blank(rows[-1]):
        rows.pop()
    if not rows:
        raise _empty(file)
    return Records(list(enumerate(rows, start=1)), "xlsx")


def _read_sav(path: Path, file: str, value_labels: bool) -> Records:
    import pyreadstat

    try:
        # user_missing=True keeps codes the file declares missing (e.g. 8 "Ved ikke"): they are answers.
        frame, meta = pyreadstat.read_sav(str(path), user_missing=True)
    except Exception as exc:  # pyreadstat raises its own ReadstatError and others
        raise DataError(Problem(file, None, None, str(exc), "a readable SPSS .sav file",
                                structural=True)) from None
    columns = []
    for name in frame.columns:
        values = frame[name].astype(object).tolist()
        labels = meta.variable_value_labels.get(name) if value_labels else None
        if labels:  # a value with a label reads as its label (pyreadstat's own labelling is slow)
            values = [labels.get(v, v) if cell_text(v) is not None else v for v in values]
        columns.append(values)
    records = zip(*columns) if columns else iter(())
    # SPSS's Data View numbers cases from 1.
    return Records([(i, list(values)) for i, values in enumerate(records, start=1)], "sav",
                   header=[str(c) for c in frame.columns])


def read_records(path: Path, mapping: Mapping | None) -> Records:
    """Read an export's cells (format from the file suffix); file-level problems raise DataError."""
    file = str(path)
    fmt = SUFFIX_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise DataError(Problem(file, None, None, path.suffix, "a .csv, .xlsx or .sav export", structural=True))
    if not path.is_file():
        raise DataError(Problem(file, None, None, None, "an existing export file", structural=True))
    if path.stat().st_size == 0:
        raise _empty(file)
    if fmt == "csv":
        return _read_csv(path, file, mapping.header_row if mapping else None)
    if fmt == "xlsx":
        return _read_xlsx(path, file, mapping.sheet if mapping else 0)
    return _read_sav(path, file, mapping.value_labels if mapping else True)


def _blank(rec: list[object]) -> bool:
    return all(cell_text(v) is None for v in rec)


def _name(value: object) -> str:
    text = cell_text(value)
    return "" if text is None else nfc(text if text is not WRONG_TYPE else str(value))


def _header_names(first: list[object], second: list[object] | None) -> list[str]:
    """Column names from a one- or two-row header. In a two-row header (SurveyMonkey) the question
    stands above its first option only, so it carries over to the next columns that name an option:
    'Question | Option'; a column with nothing in the second row, or the same name in both (a cell merged
    over both rows), is named by the first alone."""
    names = [_name(v) for v in first]
    if second is None:
        return names
    options = [_name(v) for v in second]
    width = max(len(names), len(options))
    names += [""] * (width - len(names))
    options += [""] * (width - len(options))
    joined, question = [], ""
    for name, option in zip(names, options):
        question = name or (question if option else "")
        option = "" if option == name else option
        joined.append(f"{question} | {option}" if question and option else question or option)
    return joined


def _header_hint(records: Records, file: str, mapping: Mapping, header_row: int) -> list[Problem]:
    """A structural problem when the mapping's column names are not in the header but in a later row."""
    wanted = {normalise_label(n) for n in mapping.names()}

    def hits(rec: list[object]) -> int:
        return len(wanted & {normalise_label(_name(v)) for v in rec})

    rows = dict(records.records)
    here = hits(rows.get(header_row, []))
    best = max((row for row, _ in records.records[:50]), key=lambda row: (hits(rows[row]), -row))
    if hits(rows[best]) > here and best != header_row:
        shown = [n for n in (_name(v) for v in rows.get(header_row, [])) if n]
        return [Problem(file, header_row, None, shown[:3],
                        f"the header (the column names of {mapping.file}); they are in row {best}: set "
                        f"header_row: {best} in the mapping", structural=True)]
    return []


def table_of(records: Records, file: str, mapping: Mapping | None) -> tuple[RawTable, list[Problem]]:
    """Find the header (mapping.header_row, else the first non-blank row) and the data rows below it."""
    if records.kind == "sav":
        return RawTable([nfc(n) for n in records.header or []], [(i, r) for i, r in records.records
                                                                if not _blank(r)], None, "sav"), []
    problems: list[Problem] = []
    rows = dict(records.records)
    header_row = mapping.header_row if mapping else None
    if header_row is None:
        header_row = next((i for i, rec in records.records if not _blank(rec)), None)
        if header_row is None:
            raise _empty(file)
    elif header_row not in rows or _blank(rows[header_row]):
        raise DataError(Problem(file, header_row, None, None,
                                f"the header (column names) in row {header_row}, as header_row says",
                                structural=True))
    two = mapping is not None and mapping.header_rows == 2
    header = _header_names(rows[header_row], rows.get(header_row + 1) if two else None)
    first_data = header_row + (2 if two else 1)
    data = [(i, rec) for i, rec in records.records if i >= first_data and not _blank(rec)]
    named = list(dict.fromkeys(n for n in header if n))   # a title merged over the row is one name
    widest = max((sum(cell_text(v) is not None for v in rec) for _, rec in data[:50]), default=0)
    if mapping is not None:
        problems += _header_hint(records, file, mapping, header_row)
    if not problems and len(named) <= 1 < widest:
        problems.append(Problem(file, header_row, None, named[0] if named else "",
                                "column names in the header row (this row has at most one: a title? set "
                                "header_row: N in the mapping)", structural=True))
    return RawTable(header, data, header_row, records.kind, records.complete), problems


def read_raw(path: Path, mapping: Mapping | None) -> RawTable:
    """An export's header and data rows; problems with the file or its header raise DataError."""
    table, problems = table_of(read_records(path, mapping), str(path), mapping)
    if problems:
        raise DataError(problems)
    return table


def _column_letter(position: int) -> str:
    """0 -> 'A', 27 -> 'AB' (how a spreadsheet names a column)."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def frame_of(table: RawTable, file: str, pad_short_rows: bool = False) -> tuple[pd.DataFrame, list[Problem]]:
    """The cells as an object frame indexed by spreadsheet row; header and row-length problems listed."""
    problems: list[Problem] = []
    width = len(table.header)
    keep: dict[str, int] = {}
    doubled: set[str] = set()   # which copy holds the answers is unknown: neither is read
    for position, name in enumerate(table.header):
        if not name:
            if any(position < len(rec) and cell_text(rec[position]) is not None for _, rec in table.rows):
                problems.append(Problem(file, table.header_row, f"column {_column_letter(position)}", "",
                                        "a column name in the header (the column holds answers)", structural=True))
            continue
        if name in keep:
            problems.append(Problem(file, table.header_row, name, name,
                                    f"a unique column name (column {_column_letter(keep[name])} has it too)",
                                    structural=True))
            doubled.add(name)
            continue
        keep[name] = position
    last = table.rows[-1][0] if table.rows else None
    for row, rec in table.rows:
        extra = [v for v in rec[width:] if cell_text(v) is not None]
        if extra:
            problems.append(Problem(file, row, None, extra[0],
                                    f"at most {width} cells in the row, as in the header", structural=True))
        if table.kind == "csv" and len(rec) < width:
            cut = row == last and not table.complete
            if cut:
                problems.append(Problem(
                    file, row, None, f"{len(rec)} fields", f"{width} fields as in the header: the file ends "
                    "inside this row (no line break after it), so the export was cut off", structural=True))
            elif not pad_short_rows:
                problems.append(Problem(
                    file, row, None, f"{len(rec)} fields", f"{width} fields as in the header (row "
                    f"{table.header_row}); if the tool drops empty trailing fields, set pad_short_rows: true "
                    "in the mapping", structural=True))
    # Blank cells become None here, not in a frame-wide map: that would turn a column of whole numbers
    # with blanks into floats (a cell holding 7 would be shown as 7.0 in a problem).
    data = {name: [rec[p] if p < len(rec) and name not in doubled and cell_text(rec[p]) is not None else None
                   for _, rec in table.rows]
            for name, p in keep.items()}
    index = pd.Index([row for row, _ in table.rows], name=table.unit)
    return pd.DataFrame(data, index=index, dtype=object, columns=list(keep)), problems


def match_names(header: list[str], mapping: Mapping) -> dict[str, str]:
    """Header name -> the mapping's spelling, where they differ only in case and spacing and no other
    header name or mapping name is spelled that way too (then nothing is guessed)."""
    exact = set(header)
    keyed: dict[str, list[str]] = {}
    for name in header:
        keyed.setdefault(normalise_label(name), []).append(name)
    wanted: dict[str, list[str]] = {}
    for name in mapping.names():
        wanted.setdefault(normalise_label(name), []).append(name)
    renames = {}
    for key, names in wanted.items():
        missing = [n for n in names if n not in exact]
        found = [h for h in keyed.get(key, []) if h not in mapping.names()]
        if len(names) == 1 and len(missing) == 1 and len(found) == 1 and len(keyed[key]) == 1:
            renames[found[0]] = missing[0]
    return renames
