"""Import a survey tool's export (one row per municipality, one column per question) as tidy responses.

An export is a CSV (comma, semicolon or tab, sniffed from the header; UTF-8, UTF-8 with BOM or
Windows-1252), an Excel workbook (.xlsx) or an SPSS file (.sav). A mapping file (YAML) tells which
column holds the kommunekode, which wave the file is, and which codebook question each column holds:

    municipality_column: Kommunekode
    wave: 2020
    columns:                 # export column: codebook question id
      spm001: meta_status
      spm002: org_strategi_samlet
    ignore: [Starttid]       # export columns that are not answers (optional)
    labels:                  # extra spellings -> answer code (optional); null = unanswered
      Meget høj grad: 4
    # or per kind of question, e.g. a tool that numbers the likert scale 1..6:
    # labels: {likert: {"1": 4, "2": 3, "3": 2, "4": 1, "5": 8, "6": 9}}
    value_labels: true       # SPSS only: read answers through the file's value labels (default)
    sheet: 0                 # Excel only: sheet name or position (default: the first)

Cells are read as the codebook's Danish labels (case and spacing do not matter: " i HØJ grad " is 3)
or as the data contract's codes (likert 4, 3, 2, 1, 8, 9; multiple choice 0/1; status 1/2). A blank
cell is an unanswered question and gives no row. The structural checks of the wide table run as a
pandera schema; every problem found anywhere (mapping, encoding, header, cells) is collected and
raised as one DataError, with the spreadsheet row (header = row 1) of each. Nothing is returned
(and so nothing written) while any problem remains.

`export_wide` goes the other way (tidy responses -> an export plus its mapping) for round-trip tests
and for fixtures that exercise `make book RESPONSES=... MAPPING=...`.
"""
from __future__ import annotations

import csv
import io
import math
import numbers
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import yaml

from .codebook import KINDS, VALID_CODES
from .errors import DataError, Problem
from .responses import RESPONSE_COLUMNS, validate_responses

FORMATS = ("csv", "csv-semicolon", "xlsx", "sav")
SUFFIX_FORMATS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".sav": "sav",
                  ".zsav": "sav"}
MAPPING_KEYS = ("municipality_column", "wave", "columns", "ignore", "labels", "value_labels", "sheet")
DELIMITERS = (",", ";", "\t")
MUNICIPALITY_EXPORT_COLUMN = "Kommunekode"
# Codes in the order a survey tool lists them (the report's order of the scale).
CODE_ORDER = {"likert": [4, 3, 2, 1, 8, 9], "multiple_choice": [0, 1], "status": [1, 2]}

_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_WHOLE = re.compile(r"([+-]?\d+)(?:[.,]0+)?")
_KOMMUNEKODE = re.compile(r"0*(\d{1,3})")
BOM = b"\xef\xbb\xbf"
# A well-formed UTF-8 multi-byte sequence (a BOM counts: it declares UTF-8).
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


class _WrongType:
    """Marker for a cell of a type no answer can have (a date, a boolean, ...)."""

    def __repr__(self) -> str:
        return "<wrong type>"


WRONG_TYPE = _WrongType()


# --------------------------------------------------------------------------------------------- cells
def normalise_label(text: str) -> str:
    """Compare labels ignoring case, spacing and Unicode form: ' i HØJ grad ' -> 'i høj grad'."""
    text = unicodedata.normalize("NFC", str(text)).replace("\xa0", " ")
    return " ".join(text.split()).casefold()


def cell_text(value: object) -> str | None | _WrongType:
    """A cell as stripped text; None when blank; WRONG_TYPE for dates, booleans and the like.

    Whole numbers lose a trailing .0 (Excel and SPSS store 3 as 3.0), so 3, 3.0 and "3" agree.
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool):
        return WRONG_TYPE
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isnan(number):
            return None
        return str(int(number)) if number.is_integer() else repr(number)
    if isinstance(value, str):
        text = value.strip()
        return text or None
    return WRONG_TYPE


def _number_key(text: str) -> str:
    """'1.0', '1,0', '+1' and '01' all become '1'; other text is returned unchanged."""
    match = _WHOLE.fullmatch(text)
    return str(int(match.group(1))) if match else text


def municipality_code(value: object) -> str | None:
    """'101', 101, 101.0 and '0101' -> '101'; None for anything that is not a 1-3 digit code."""
    text = cell_text(value)
    if not isinstance(text, str):
        return None
    match = _KOMMUNEKODE.fullmatch(_number_key(text))
    if not match or int(match.group(1)) == 0:
        return None
    return f"{int(match.group(1)):03d}"


@dataclass
class Scale:
    """How the cells of one question's column become answer codes."""

    kind: str
    question: str
    table: dict[str, int | None] = field(default_factory=dict)

    @classmethod
    def build(cls, kind: str, question: str, extra: dict[str, int | None]) -> Scale:
        table: dict[str, int | None] = {}
        for code, label in VALID_CODES[kind].items():
            table[normalise_label(label)] = code
            table[str(code)] = code
        table.update(extra)
        return cls(kind, question, table)

    @property
    def codes(self) -> list[int]:
        return CODE_ORDER[self.kind]

    def classify(self, value: object) -> tuple[str, int | None]:
        """('ok', code), ('blank', None), ('type', None) or ('scale', code outside the scale)."""
        text = cell_text(value)
        if text is None:
            return "blank", None
        if text is WRONG_TYPE:
            return "type", None
        key = _number_key(normalise_label(text))
        if key in self.table:
            code = self.table[key]
            if code is None:
                return "blank", None
            return ("ok", code) if code in VALID_CODES[self.kind] else ("scale", code)
        if _WHOLE.fullmatch(key):
            return "scale", int(key)
        return "type", None

    def expected(self, failure: str) -> str:
        codes = ", ".join(str(c) for c in self.codes)
        if self.kind == "multiple_choice":
            return f"0 (not ticked) or 1 (ticked) for the multiple-choice question {self.question}"
        if self.kind == "status":
            return f"a status, 1 (Delvist gennemført) or 2 (Gennemført), for {self.question}"
        if failure == "scale":
            return f"a code on the likert scale ({codes}) for {self.question}"
        return (f"a likert answer for {self.question}: a label such as 'I høj grad' or 'Ved ikke' "
                f"(other spellings go under labels: in the mapping) or a code {codes}")


# ------------------------------------------------------------------------------------------- mapping
@dataclass
class Mapping:
    """A parsed mapping file; `lines` gives the line of each export column in it."""

    file: str
    municipality_column: str
    wave: int
    columns: dict[str, str]
    ignore: list[str]
    labels: dict[str, dict[str, int | None]]
    value_labels: bool = True
    sheet: str | int = 0
    lines: dict[str, int] = field(default_factory=dict)
    unusable: list[str] = field(default_factory=list)   # named in columns, but with a problem

    def scale(self, kind: str, question: str) -> Scale:
        return Scale.build(kind, question, self.labels.get(kind, {}))


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _scalar(node: yaml.Node) -> object:
    """A scalar node's value as YAML types it (int, bool, null, str)."""
    return yaml.SafeLoader(io.StringIO("")).construct_object(node)


def _label_table(node: yaml.Node, file: str, where: str, problems: list[Problem]) -> dict[str, int | None]:
    table: dict[str, int | None] = {}
    if not isinstance(node, yaml.MappingNode):
        problems.append(Problem(file, _line(node), where, None, "a mapping of label: code"))
        return table
    for key, value in node.value:
        code = _scalar(value) if isinstance(value, yaml.ScalarNode) else value
        if code is not None and (isinstance(code, bool) or not isinstance(code, int)):
            problems.append(Problem(file, _line(value), where, code,
                                    f"a whole-number answer code (or null = unanswered) for {key.value!r}"))
            continue
        table[_number_key(normalise_label(key.value))] = code
    return table


def load_mapping(path: Path | str, codebook: pd.DataFrame) -> tuple[Mapping | None, list[Problem]]:
    """Parse and check a mapping file; returns (mapping or None when unusable, problems)."""
    path = Path(path)
    file = str(path)
    problems: list[Problem] = []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return None, [Problem(file, None, None, None, "an existing mapping file")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(file, None, None, str(exc), "a readable UTF-8 YAML mapping file")]
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [Problem(file, mark.line + 1 if mark else None, None, getattr(exc, "problem", str(exc)),
                              "valid YAML")]
    if not isinstance(root, yaml.MappingNode):
        return None, [Problem(file, None, None, None if root is None else _scalar(root),
                              "a YAML mapping with municipality_column, wave and columns")]
    top: dict[str, yaml.Node] = {}
    for key, value in root.value:
        name = key.value
        if name not in MAPPING_KEYS:
            problems.append(Problem(file, _line(key), name, name, f"only the keys {', '.join(MAPPING_KEYS)}"))
        elif name in top:
            problems.append(Problem(file, _line(key), name, name, "each key once"))
        else:
            top[name] = value
    for required in ("municipality_column", "wave", "columns"):
        if required not in top:
            problems.append(Problem(file, None, required, None, "this key (see the importers module docs)"))

    municipality_column = ""
    if "municipality_column" in top:
        node = top["municipality_column"]
        if isinstance(node, yaml.ScalarNode) and node.value.strip():
            municipality_column = node.value
        else:
            problems.append(Problem(file, _line(node), "municipality_column", None,
                                    "the name of the column holding the kommunekode"))
    wave = 0
    if "wave" in top:
        node = top["wave"]
        value = _scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2100:
            wave = value
        else:
            problems.append(Problem(file, _line(node), "wave", value,
                                    "the survey year as a whole number, e.g. 2020"))

    kinds = dict(zip(codebook["question"], codebook["kind"]))
    columns: dict[str, str] = {}
    lines: dict[str, int] = {}
    unusable: list[str] = []
    if "columns" in top:
        node = top["columns"]
        if not isinstance(node, yaml.MappingNode) or not node.value:
            problems.append(Problem(file, _line(node), "columns", None,
                                    "a mapping of export column: codebook question id"))
        else:
            used: dict[str, str] = {}
            for key, value in node.value:
                column, line = key.value, _line(key)
                qid = value.value if isinstance(value, yaml.ScalarNode) else None
                if column in lines:
                    problems.append(Problem(file, line, "columns", column,
                                            f"each export column once (also on line {lines[column]})"))
                    continue
                lines[column] = line
                unusable.append(column)
                if not qid or qid not in kinds:
                    problems.append(Problem(file, line, "columns", qid,
                                            f"a question id in the codebook for export column {column!r}"))
                    continue
                if qid in used:
                    problems.append(Problem(file, line, "columns", qid,
                                            f"one export column per question (column {used[qid]!r} "
                                            f"on line {lines[used[qid]]} also maps to it)"))
                    continue
                if column == municipality_column:
                    problems.append(Problem(file, line, "columns", column,
                                            "the municipality column not to be mapped to a question"))
                    continue
                used[qid] = column
                columns[column] = qid
                unusable.remove(column)
    ignore: list[str] = []
    if "ignore" in top:
        node = top["ignore"]
        if isinstance(node, yaml.SequenceNode) and all(isinstance(n, yaml.ScalarNode) for n in node.value):
            ignore = [n.value for n in node.value]
            for n in node.value:
                if n.value in columns:
                    problems.append(Problem(file, _line(n), "ignore", n.value,
                                            "a column either mapped under columns or ignored, not both"))
        else:
            problems.append(Problem(file, _line(node), "ignore", None, "a list of export column names"))
    labels: dict[str, dict[str, int | None]] = {kind: {} for kind in KINDS}
    if "labels" in top:
        node = top["labels"]
        if isinstance(node, yaml.MappingNode) and node.value and \
                all(isinstance(v, yaml.MappingNode) for _, v in node.value):
            for key, value in node.value:
                if key.value not in KINDS:
                    problems.append(Problem(file, _line(key), "labels", key.value,
                                            f"a kind of question ({', '.join(KINDS)}) with its labels"))
                    continue
                labels[key.value].update(_label_table(value, file, f"labels.{key.value}", problems))
        else:
            flat = _label_table(node, file, "labels", problems)
            for kind in KINDS:
                labels[kind].update(flat)
    value_labels = True
    if "value_labels" in top:
        value = _scalar(top["value_labels"]) if isinstance(top["value_labels"], yaml.ScalarNode) else None
        if isinstance(value, bool):
            value_labels = value
        else:
            problems.append(Problem(file, _line(top["value_labels"]), "value_labels", value, "true or false"))
    sheet: str | int = 0
    if "sheet" in top:
        value = _scalar(top["sheet"]) if isinstance(top["sheet"], yaml.ScalarNode) else None
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            sheet = value
        else:
            problems.append(Problem(file, _line(top["sheet"]), "sheet", value, "a sheet name or position"))
    if not municipality_column or not wave or "columns" not in top:
        return None, problems
    return Mapping(file, municipality_column, wave, columns, ignore, labels, value_labels, sheet, lines,
                   unusable), problems


# -------------------------------------------------------------------------------------------- reading
@dataclass
class RawTable:
    """The cells of an export as read: header names and data rows keyed by spreadsheet row."""

    header: list[str]
    rows: list[tuple[int, list[object]]]
    header_row: int = 1


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _line_text(data: bytes, line: int) -> str:
    raw = data.split(b"\n")[line - 1].rstrip(b"\r")
    text = raw.decode("utf-8", errors="backslashreplace")
    return text if len(text) <= 80 else text[:77] + "..."


def decode_text(data: bytes, file: str) -> str:
    """UTF-8 (BOM or not), else Windows-1252; anything else, or a mix of the two, is a DataError."""
    body = data[len(BOM):] if data.startswith(BOM) else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = exc.start + len(data) - len(body)
    utf8 = _UTF8_MULTIBYTE.search(data)
    if utf8 is None:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as exc:
            line = _line_of(data, exc.start)
            raise DataError(Problem(
                file, line, None, _line_text(data, line),
                f"one text encoding (UTF-8 or Windows-1252) for the whole file: mixed encodings, byte "
                f"0x{data[exc.start]:02X} on this line is valid in neither")) from None
    line = _line_of(data, bad)
    other = ("the file starts with a UTF-8 byte order mark" if utf8.start() == 0 and data.startswith(BOM)
             else f"line {_line_of(data, utf8.start())} holds UTF-8 characters")
    raise DataError(Problem(
        file, line, None, _line_text(data, line),
        f"one text encoding (UTF-8 or Windows-1252) for the whole file: mixed encodings, byte "
        f"0x{data[bad]:02X} on this line is not UTF-8 (Windows-1252?) while {other}"))


def _read_csv(path: Path, file: str) -> RawTable:
    text = decode_text(path.read_bytes(), file)
    if not text.strip():
        raise DataError(Problem(file, None, None, "", "a header row and one row per municipality"))
    header_line = next(line for line in text.splitlines() if line.strip())
    # The delimiter is the candidate that splits the header into the most fields (ties: comma).
    delimiter = max(DELIMITERS, key=lambda d: len(next(csv.reader([header_line], delimiter=d))))
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return _table_from_records(list(enumerate(records, start=1)), file)


def _table_from_records(records: list[tuple[int, list[object]]], file: str) -> RawTable:
    def blank(rec: list[object]) -> bool:
        return all(cell_text(v) is None for v in rec)

    records = [(i, list(rec)) for i, rec in records]
    start = next((k for k, (_, rec) in enumerate(records) if not blank(rec)), None)
    if start is None:
        raise DataError(Problem(file, None, None, "", "a header row and one row per municipality"))
    header_row, header = records[start]
    names = [str(cell_text(v) or "") if cell_text(v) is not WRONG_TYPE else str(v) for v in header]
    rows = [(i, rec) for i, rec in records[start + 1:] if not blank(rec)]
    return RawTable(names, rows, header_row)


def _read_xlsx(path: Path, file: str, sheet: str | int) -> RawTable:
    try:
        workbook = pd.ExcelFile(path, engine="openpyxl")
    except Exception as exc:  # zipfile, openpyxl and pandas raise many types for a damaged file
        raise DataError(Problem(file, None, None, f"{type(exc).__name__}: {exc}",
                                "a readable .xlsx workbook")) from None
    with workbook:
        names = workbook.sheet_names
        missing = sheet not in names if isinstance(sheet, str) else not 0 <= sheet < len(names)
        if missing:
            raise DataError(Problem(file, None, None, sheet, f"a sheet of the workbook: {', '.join(names)}"))
        frame = pd.read_excel(workbook, sheet_name=sheet, header=None, dtype=object)
    records = [(i, list(values)) for i, values in enumerate(frame.itertuples(index=False, name=None), start=1)]
    if not records:
        raise DataError(Problem(file, None, None, "", "a header row and one row per municipality"))
    return _table_from_records(records, file)


def _read_sav(path: Path, file: str, value_labels: bool) -> RawTable:
    import pyreadstat

    try:
        # user_missing=True keeps codes the file declares missing (e.g. 8 "Ved ikke"): they are answers.
        frame, meta = pyreadstat.read_sav(str(path), user_missing=True)
    except Exception as exc:  # pyreadstat raises its own ReadstatError and others
        raise DataError(Problem(file, None, None, str(exc), "a readable SPSS .sav file")) from None
    header = [str(c) for c in frame.columns]
    columns = []
    for name in frame.columns:
        values = frame[name].astype(object).tolist()
        labels = meta.variable_value_labels.get(name) if value_labels else None
        if labels:  # a value with a label reads as its label (pyreadstat's own labelling is slow)
            values = [labels.get(v, v) if cell_text(v) is not None else v for v in values]
        columns.append(values)
    records = zip(*columns) if columns else iter(())
    rows = [(i, list(values)) for i, values in enumerate(records, start=2)]
    rows = [(i, rec) for i, rec in rows if not all(cell_text(v) is None for v in rec)]
    return RawTable(header, rows)


def read_raw(path: Path, mapping: Mapping | None) -> RawTable:
    """Read an export's cells (format from the file suffix); file-level problems raise DataError."""
    file = str(path)
    fmt = SUFFIX_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise DataError(Problem(file, None, None, path.suffix, "a .csv, .xlsx or .sav export"))
    if not path.is_file():
        raise DataError(Problem(file, None, None, None, "an existing export file"))
    if path.stat().st_size == 0:
        raise DataError(Problem(file, None, None, "", "a header row and one row per municipality"))
    if fmt == "csv":
        return _read_csv(path, file)
    if fmt == "xlsx":
        return _read_xlsx(path, file, mapping.sheet if mapping else 0)
    return _read_sav(path, file, mapping.value_labels if mapping else True)


def _column_letter(position: int) -> str:
    """0 -> 'A', 27 -> 'AB' (how a spreadsheet names a column)."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _frame(table: RawTable, file: str) -> tuple[pd.DataFrame, list[Problem]]:
    """The cells as an object frame indexed by spreadsheet row; header problems listed."""
    problems: list[Problem] = []
    width = len(table.header)
    keep: dict[str, int] = {}
    for position, name in enumerate(table.header):
        has_data = any(position < len(rec) and cell_text(rec[position]) is not None for _, rec in table.rows)
        if not name:
            if has_data:
                problems.append(Problem(file, table.header_row, f"column {_column_letter(position)}", "",
                                        "a column name in the header (the column holds answers)"))
            continue
        if name in keep:
            problems.append(Problem(file, table.header_row, name, name,
                                    f"a unique column name (column {_column_letter(keep[name])} has it too)"))
            continue
        keep[name] = position
    for row, rec in table.rows:
        extra = [v for v in rec[width:] if cell_text(v) is not None]
        if extra:
            problems.append(Problem(file, row, None, extra[0],
                                    f"at most {width} cells in the row, as in the header"))
    data = {name: [rec[p] if p < len(rec) else None for _, rec in table.rows] for name, p in keep.items()}
    index = pd.Index([row for row, _ in table.rows], name="row")
    frame = pd.DataFrame(data, index=index, dtype=object, columns=list(keep))
    frame = frame.map(lambda v: None if cell_text(v) is None else v).astype(object)
    return frame, problems


# ----------------------------------------------------------------------------------------- validation
def _municipality_checks(register_codes: set[str]) -> list[pa.Check]:
    def well_formed(value: object) -> bool:
        return municipality_code(value) is not None

    def known(value: object) -> bool:
        code = municipality_code(value)
        return code is None or code in register_codes

    def unique(series: pd.Series) -> pd.Series:
        codes = series.map(municipality_code)
        return ~(codes.duplicated(keep="first") & codes.notna())

    return [pa.Check(well_formed, element_wise=True, name="kommunekode_format"),
            pa.Check(known, element_wise=True, name="kommunekode_in_register"),
            pa.Check(unique, name="municipality_once")]


def _scale_checks(scale: Scale) -> list[pa.Check]:
    return [pa.Check(lambda v: scale.classify(v)[0] != "type", element_wise=True, name="answer_type"),
            pa.Check(lambda v: scale.classify(v)[0] != "scale", element_wise=True, name="answer_scale")]


def build_schema(mapping: Mapping, kinds: dict[str, str], register_codes: set[str]) -> pa.DataFrameSchema:
    """The pandera schema of a wide export: the municipality column, every mapped and ignored column."""
    columns: dict[str, pa.Column] = {
        mapping.municipality_column: pa.Column(None, checks=_municipality_checks(register_codes),
                                               nullable=False, required=True),
    }
    for column, qid in mapping.columns.items():
        columns[column] = pa.Column(None, checks=_scale_checks(mapping.scale(kinds[qid], qid)),
                                    nullable=True, required=True)
    for column in mapping.ignore + mapping.unusable:
        if column != mapping.municipality_column:
            columns.setdefault(column, pa.Column(None, nullable=True, required=False))
    return pa.DataFrameSchema(columns, strict=True, name="wide survey export")


def _schema_problems(error: pa.errors.SchemaErrors, frame: pd.DataFrame, mapping: Mapping,
                     kinds: dict[str, str], file: str, header_row: int) -> list[Problem]:
    problems: list[Problem] = []
    cases = error.failure_cases
    muni = mapping.municipality_column
    codes = frame[muni].map(municipality_code) if muni in frame.columns else None
    for case in cases.itertuples(index=False):
        column, check, number = case.column, case.check, case.check_number
        if check == "column_in_schema":  # strict: a column the schema does not know
            name = str(case.failure_case)
            problems.append(Problem(file, header_row, name, name,
                                    f"a column named under columns or ignore in {mapping.file}"))
            continue
        if check == "column_in_dataframe":
            name = str(case.failure_case)
            if name == muni:
                problems.append(Problem(file, header_row, name, None,
                                        f"the municipality column named by municipality_column in {mapping.file}"))
            else:
                problems.append(Problem(mapping.file, mapping.lines.get(name), "columns", name,
                                        f"a column of {file} (it is mapped to {mapping.columns[name]})"))
            continue
        row = None if case.index is None or pd.isna(case.index) else int(case.index)
        value = frame.at[row, column] if row is not None and column in frame.columns else case.failure_case
        if column == muni:
            if check == "not_nullable":
                expected = "a kommunekode (the cell is blank but the row holds answers)"
                value = None
            elif int(number) == 0:
                expected = "a kommunekode: a whole number of up to 3 digits, e.g. 101"
            elif int(number) == 1:
                expected = "a kommunekode of a municipality in the register"
            else:
                code = municipality_code(value)
                first = int(codes[codes == code].index[0])
                expected = f"each municipality once (kommunekode {code} is also in row {first})"
            problems.append(Problem(file, row, column, value, expected))
            continue
        if column not in mapping.columns:  # a guard for a pandera failure this module does not expect
            problems.append(Problem(file, row, column, value, str(check)))
            continue
        qid = mapping.columns[column]
        scale = mapping.scale(kinds[qid], qid)
        problems.append(Problem(file, row, column, value, scale.expected("type" if int(number) == 0 else "scale")))
    return problems


def _tidy(frame: pd.DataFrame, mapping: Mapping, kinds: dict[str, str]) -> pd.DataFrame:
    municipalities = frame[mapping.municipality_column].map(municipality_code)
    rows = []
    for column, qid in mapping.columns.items():
        scale = mapping.scale(kinds[qid], qid)
        for row, value in frame[column].items():
            status, code = scale.classify(value)
            if status == "ok":
                rows.append((mapping.wave, municipalities[row], qid, code))
    tidy = pd.DataFrame(rows, columns=RESPONSE_COLUMNS)
    return tidy.sort_values(["wave", "municipality", "question"]).reset_index(drop=True)


def check_export(path: Path | str, mapping_path: Path | str, codebook: pd.DataFrame | None = None,
                 register: pd.DataFrame | None = None) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read and check an export against its mapping: (tidy responses or None, every problem found)."""
    if codebook is None:
        from .codebook import load_codebook

        codebook = load_codebook()
    if register is None:
        from .register import load_register

        register = load_register()
    path = Path(path)
    file = str(path)
    mapping, problems = load_mapping(mapping_path, codebook)
    try:
        table = read_raw(path, mapping)
    except DataError as exc:
        return None, problems + exc.problems
    frame, header_problems = _frame(table, file)
    if mapping is None:
        return None, problems + header_problems
    if frame.empty:
        return None, problems + header_problems + [
            Problem(file, None, None, "no data rows", "one row per municipality below the header")]
    kinds = dict(zip(codebook["question"], codebook["kind"]))
    schema = build_schema(mapping, kinds, set(register["code"].astype(str)))
    file_problems = list(header_problems)
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        file_problems += _schema_problems(exc, frame, mapping, kinds, file, table.header_row)
    order = {name: k for k, name in enumerate(frame.columns)}
    mapping_problems = [p for p in file_problems if p.file != file]
    file_problems = sorted((p for p in file_problems if p.file == file),
                           key=lambda p: (p.row or 0, order.get(p.column, -1)))
    problems = problems + mapping_problems + file_problems
    if problems:
        return None, problems
    tidy = _tidy(frame, mapping, kinds)
    try:
        return validate_responses(tidy, codebook, register, file=file), []
    except DataError as exc:  # a guard: the schema above should have caught everything
        return None, exc.problems


def import_export(path: Path | str, mapping_path: Path | str, codebook: pd.DataFrame | None = None,
                  register: pd.DataFrame | None = None) -> pd.DataFrame:
    """Tidy, validated responses from an export; DataError listing every problem otherwise."""
    tidy, problems = check_export(path, mapping_path, codebook, register)
    if problems:
        raise DataError(problems)
    return tidy


# ------------------------------------------------------------------------------------------ exporting
def export_columns(codebook: pd.DataFrame) -> dict[str, str]:
    """Question id -> export column name (spm001, spm002, ... in questionnaire order)."""
    ordered = codebook.sort_values(["order", "question"])["question"]
    return {qid: f"spm{i:03d}" for i, qid in enumerate(ordered, start=1)}


def export_wide(responses: pd.DataFrame, codebook: pd.DataFrame, path: Path | str, fmt: str,
                mapping_path: Path | str | None = None, encoding: str = "utf-8") -> Path:
    """Write tidy responses as a survey tool's wide export (csv, csv-semicolon, xlsx or sav) plus a mapping.

    Likert and status answers are written as their Danish labels in CSV and Excel, multiple choice as
    0/1; the SPSS file holds the codes with value labels. Every codebook question gets a column (blank
    when nobody answered). Returns the mapping file's path (default: <stem>_mapping.yml beside it).
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, got {fmt!r}")
    path = Path(path)
    waves = sorted(pd.unique(responses["wave"]))
    if len(waves) != 1:
        raise ValueError(f"one wave per export, got {waves}")
    names = export_columns(codebook)
    kinds = dict(zip(codebook["question"], codebook["kind"]))
    wide = responses.pivot(index="municipality", columns="question", values="answer")
    wide = wide.reindex(columns=list(names)).sort_index()
    municipalities = [str(m) for m in wide.index]
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "sav":
        import pyreadstat

        data: dict[str, object] = {MUNICIPALITY_EXPORT_COLUMN: municipalities}
        for qid, name in names.items():
            data[name] = pd.to_numeric(wide[qid]).astype("float64").to_numpy()
        out = pd.DataFrame(data)
        labels = {MUNICIPALITY_EXPORT_COLUMN: "Kommunekode"}
        labels.update({names[q]: t for q, t in zip(codebook["question"], codebook["text_da"])})
        value_labels = {names[q]: {float(c): VALID_CODES[kinds[q]][c] for c in CODE_ORDER[kinds[q]]}
                        for q in names}
        pyreadstat.write_sav(out, str(path), column_labels=labels, variable_value_labels=value_labels)
    else:
        cells: dict[str, list[object]] = {MUNICIPALITY_EXPORT_COLUMN: [int(m) for m in municipalities]}
        for qid, name in names.items():
            kind = kinds[qid]
            cells[name] = [None if pd.isna(v) else (int(v) if kind == "multiple_choice"
                                                    else VALID_CODES[kind][int(v)]) for v in wide[qid]]
        out = pd.DataFrame(cells, dtype=object)
        if fmt == "xlsx":
            out.to_excel(path, index=False, sheet_name="Besvarelser")
        else:
            out[MUNICIPALITY_EXPORT_COLUMN] = [str(m) for m in municipalities]
            out.to_csv(path, index=False, sep=";" if fmt == "csv-semicolon" else ",", encoding=encoding,
                       lineterminator="\r\n")
    mapping_path = Path(mapping_path) if mapping_path else path.with_name(f"{path.stem}_mapping.yml")
    write_mapping(mapping_path, names, int(waves[0]), source=path.name)
    return mapping_path


def write_mapping(path: Path, names: dict[str, str], wave: int, source: str = "") -> None:
    """A mapping file for an export written by export_wide."""
    body = {"municipality_column": MUNICIPALITY_EXPORT_COLUMN, "wave": wave,
            "columns": {name: qid for qid, name in names.items()}}
    header = f"# Mapping of the export {source} to the codebook (written by municipal_survey).\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + yaml.safe_dump(body, sort_keys=False, allow_unicode=True), encoding="utf-8")
