"""Import a survey tool's export (one row per municipality, one column per question) as tidy responses.

An export is a CSV (comma, semicolon or tab, sniffed from the header; UTF-8, UTF-8 with BOM or
Windows-1252), an Excel workbook (.xlsx) or an SPSS file (.sav). A mapping file (YAML) tells which
column holds the municipality, which wave the file is, and which codebook question each column holds:

    municipality_column: Kommunekode
    municipality_by: code    # or name: "Københavns Kommune", "Høje Taastrup", "Aabenraa" ... (default code)
    wave: 2020
    columns:                 # export column: codebook question id
      spm001: meta_status
      spm002: org_strategi_samlet
    ignore: [Starttid]       # export columns that are not answers (optional)
    ignore_unmapped: true    # or: every other column is not an answer (listed in the report as ignored)
    labels:                  # extra spellings -> answer code (optional); null = unanswered
      Meget høj grad: 4
    # or per kind of question, e.g. a tool that numbers the likert scale 1..6:
    # labels: {likert: {"1": 4, "2": 3, "3": 2, "4": 1, "5": 8, "6": 9}}
    column_labels:           # labels of one column only (its question's own labels)
      spm002: {"Ja": 4, "Nej": 1}
    not_ticked_blank:        # multiple choice where a blank cell means "not ticked" (1/blank, X/blank)
      - spm003               # one question
      - columns: [spm004, spm005]
        answered_with: spm002   # rows where this column is blank did not reach the question: no answer
    multi_select:            # one column holding every ticked option (Microsoft Forms)
      Støtteformer:
        separator: ";"
        options: {Kompetenceudvikling: org_strategi_stoette_kompetenceudvikling}
        answered_with: spm002   # optional, as above
    header_row: 3            # the header's row (rows above it, e.g. a title, are skipped)
    header_rows: 2           # two-row header (SurveyMonkey): question in the first, option in the second
    pad_short_rows: true     # CSV only: the tool drops empty trailing fields (see below)
    value_labels: true       # SPSS only: read answers through the file's value labels (default)
    sheet: 0                 # Excel only: sheet name or position (default: the first)

Cells are read as the codebook's Danish labels (case and spacing do not matter: " i HØJ grad " is 3)
or as the data contract's codes (likert 4, 3, 2, 1, 8, 9; multiple choice 0/1; status 1/2). A blank
cell is an unanswered question and gives no row. Column names, labels and mapping keys are compared
in Unicode NFC (a decomposed "å" from macOS or SPSS equals a composed one); a mapping name matches a
header name that differs only in case and spacing when exactly one header name does.

Short rows: a CSV row with fewer fields than the header is an error (a file cut off, or an editor that
dropped separators), because padding it would turn answers into "unanswered". A tool that is known to
drop empty trailing fields says so with `pad_short_rows: true`; then a short row is read as if its
missing trailing fields were blank, except the last row of a file that does not end in a line break
(that file was cut off).

The structural checks of the wide table run as a pandera schema; every problem found anywhere
(mapping, encoding, header, cells) is collected and raised as one DataError, with the spreadsheet row
(header = row 1; a mapping's line; an SPSS case) of each. Nothing is returned (and so nothing written)
while any problem remains.

`export_wide` goes the other way (tidy responses -> an export plus its mapping) for round-trip tests
and for fixtures that exercise `make book RESPONSES=... MAPPING=...`.
"""
from __future__ import annotations

import csv
import difflib
import hashlib
import io
import json
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
from .errors import DataError, Problem, ordered
from .responses import RESPONSE_COLUMNS, validate_responses

FORMATS = ("csv", "csv-semicolon", "xlsx", "sav")
SUFFIX_FORMATS = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx",
                  ".sav": "sav", ".zsav": "sav"}
MAPPING_KEYS = ("municipality_column", "municipality_by", "wave", "columns", "ignore", "ignore_unmapped",
                "labels", "column_labels", "not_ticked_blank", "multi_select", "header_row", "header_rows",
                "pad_short_rows", "value_labels", "sheet")
DELIMITERS = (",", ";", "\t")
MUNICIPALITY_EXPORT_COLUMN = "Kommunekode"
# Codes in the order a survey tool lists them (the report's order of the scale).
CODE_ORDER = {"likert": [4, 3, 2, 1, 8, 9], "multiple_choice": [0, 1], "status": [1, 2]}
# What a ticked box looks like where a blank means "not ticked".
TICKS = {"1": 1, "x": 1, "0": 0}
# The file written beside imported responses that names the export they came from.
SOURCE_SUFFIX = ".source.json"

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
def nfc(text: object) -> str:
    """A name as compared: Unicode NFC, no-break spaces as spaces, no spacing at the ends."""
    return unicodedata.normalize("NFC", str(text)).replace("\xa0", " ").strip()


def normalise_label(text: str) -> str:
    """Compare labels ignoring case, spacing and Unicode form: ' i HØJ grad ' -> 'i høj grad'."""
    return " ".join(nfc(text).split()).casefold()


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


def municipality_key(name: str) -> str:
    """A municipality's name as compared: 'Københavns Kommune' -> 'københavns', 'Høje Taastrup' ->
    'højetåstrup' (aa and å agree; case, spaces, hyphens and a trailing '(Regions)kommune' do not count)."""
    text = normalise_label(name)
    text = re.sub(r"\s*(regions)?kommune$", "", text)
    text = text.replace("aa", "å")
    return re.sub(r"[\s\-–.']", "", text)


@dataclass
class Municipalities:
    """Reads the municipality column: kommunekoder, or names matched against the register."""

    codes: set[str]
    by: str = "code"
    keys: dict[str, list[str]] = field(default_factory=dict)   # name key -> codes
    names: dict[str, str] = field(default_factory=dict)        # code -> register name

    @classmethod
    def build(cls, register: pd.DataFrame, by: str = "code") -> Municipalities:
        codes = [str(c) for c in register["code"]]
        names = [str(n) for n in register["name"]] if "name" in register.columns else codes
        keys: dict[str, list[str]] = {}
        for code, name in zip(codes, names):
            keys.setdefault(municipality_key(name), []).append(code)
        return cls(set(codes), by, keys, dict(zip(codes, names)))

    def _candidates(self, text: str) -> list[str]:
        key = municipality_key(text)
        if key in self.keys:
            return self.keys[key]
        if key.endswith("s") and key[:-1] in self.keys:  # genitive: "Københavns (Kommune)"
            return self.keys[key[:-1]]
        return []

    def code(self, value: object) -> str | None:
        """The kommunekode, or None when the cell is not one municipality of the register."""
        if self.by == "code":
            code = municipality_code(value)
            return code if code in self.codes else None
        text = cell_text(value)
        if not isinstance(text, str):
            return None
        found = self._candidates(text)
        return found[0] if len(found) == 1 else None

    def well_formed(self, value: object) -> bool:
        if self.by == "code":
            return municipality_code(value) is not None
        text = cell_text(value)
        return isinstance(text, str) and not _NUMBER.fullmatch(text)

    def expected(self, value: object) -> str:
        if self.by == "code":
            if municipality_code(value) is None:
                return "a kommunekode: a whole number of up to 3 digits, e.g. 101"
            return "a kommunekode of a municipality in the register"
        text = cell_text(value)
        if not isinstance(text, str) or _NUMBER.fullmatch(text):
            return "a municipality's name, e.g. København (municipality_by: name in the mapping)"
        found = self._candidates(text)
        if len(found) > 1:
            return f"one municipality (the name fits {', '.join(self.names[c] for c in found)})"
        near = difflib.get_close_matches(municipality_key(text), list(self.keys), n=3, cutoff=0.6)
        nearest = [self.names[self.keys[k][0]] for k in near]
        return ("a municipality's name in the register" +
                (f" (nearest: {', '.join(nearest)})" if nearest else " (no register name is close)"))


@dataclass
class Scale:
    """How the cells of one question's column become answer codes."""

    kind: str
    question: str
    table: dict[str, int | None] = field(default_factory=dict)
    blank_is_zero: bool = False   # multiple choice in a not_ticked_blank block: X ticks, blank is 0

    @classmethod
    def build(cls, kind: str, question: str, *extra: dict[str, int | None], ticks: bool = False) -> Scale:
        table: dict[str, int | None] = {}
        for code, label in VALID_CODES[kind].items():
            table[normalise_label(label)] = code
            table[str(code)] = code
        if ticks:
            table.update(TICKS)
        for more in extra:
            table.update(more)
        return cls(kind, question, table, ticks)

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
            if self.blank_is_zero:
                return (f"1 or X (ticked), 0 or blank (not ticked) for the multiple-choice question "
                        f"{self.question}")
            return f"0 (not ticked) or 1 (ticked) for the multiple-choice question {self.question}"
        if self.kind == "status":
            return f"a status, 1 (Delvist gennemført) or 2 (Gennemført), for {self.question}"
        if failure == "scale":
            return f"a code on the likert scale ({codes}) for {self.question}"
        return (f"a likert answer for {self.question}: a label such as 'I høj grad' or 'Ved ikke' "
                f"(other spellings go under labels: in the mapping) or a code {codes}")


# ------------------------------------------------------------------------------------------- mapping
@dataclass
class Block:
    """Multiple-choice columns in which a blank cell means "not ticked"."""

    columns: list[str]
    answered_with: str | None = None   # a row with this column blank did not reach the question
    line: int | None = None


@dataclass
class MultiSelect:
    """One export column holding every ticked option of a question, split by `separator`."""

    column: str
    options: dict[str, str]            # normalised option text -> question id
    spelled: dict[str, str]            # normalised option text -> the mapping's spelling
    separator: str = ";"
    answered_with: str | None = None
    line: int | None = None

    def tokens(self, value: object) -> list[str]:
        text = cell_text(value)
        if not isinstance(text, str):
            return []
        return [normalise_label(t) for t in text.split(self.separator) if t.strip()]


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
    municipality_by: str = "code"
    ignore_unmapped: bool = False
    column_labels: dict[str, dict[str, int | None]] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    multi_select: dict[str, MultiSelect] = field(default_factory=dict)
    header_row: int | None = None
    header_rows: int = 1
    pad_short_rows: bool = False

    def scale(self, kind: str, question: str, column: str | None = None) -> Scale:
        ticks = column is not None and any(column in block.columns for block in self.blocks)
        return Scale.build(kind, question, self.labels.get(kind, {}), self.column_labels.get(column, {}),
                           ticks=ticks)

    def block_of(self, column: str) -> Block | None:
        return next((block for block in self.blocks if column in block.columns), None)

    def names(self) -> list[str]:
        """Every export column the mapping names (to match against the header)."""
        named = [self.municipality_column, *self.columns, *self.unusable, *self.ignore, *self.multi_select]
        named += [b.answered_with for b in self.blocks if b.answered_with]
        named += [m.answered_with for m in self.multi_select.values() if m.answered_with]
        return list(dict.fromkeys(n for n in named if n))


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _scalar(node: yaml.Node) -> object:
    """A scalar node's value as YAML types it (int, bool, null, str)."""
    return yaml.SafeLoader(io.StringIO("")).construct_object(node)


class _Lines:
    """Problems in the mapping file, located by line."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def add(self, node: yaml.Node | None, column: str | None, value: object, expected: str) -> None:
        self.problems.append(Problem(self.file, None if node is None else _line(node), column, value, expected,
                                     unit="line"))


def _label_table(node: yaml.Node, lines: _Lines, where: str, kinds: tuple[str, ...]) -> dict[str, int | None]:
    """label: code pairs; each code must be on the scale of one of `kinds` (or null = unanswered)."""
    table: dict[str, int | None] = {}
    if not isinstance(node, yaml.MappingNode):
        lines.add(node, where, None, "a mapping of label: code")
        return table
    valid = sorted({code for kind in kinds for code in VALID_CODES[kind]})
    for key, value in node.value:
        code = _scalar(value) if isinstance(value, yaml.ScalarNode) else value
        if code is not None and (isinstance(code, bool) or not isinstance(code, int)):
            lines.add(value, where, code, f"a whole-number answer code (or null = unanswered) for {key.value!r}")
            continue
        if code is not None and code not in valid:
            lines.add(value, where, code, f"an answer code of the {' or '.join(kinds)} scale "
                                          f"({', '.join(map(str, valid))}) for {key.value!r}")
            continue
        table[_number_key(normalise_label(key.value))] = code
    return table


def _names(node: yaml.Node, lines: _Lines, where: str) -> list[str] | None:
    if isinstance(node, yaml.SequenceNode) and all(isinstance(n, yaml.ScalarNode) and n.value.strip()
                                                   for n in node.value):
        return [nfc(n.value) for n in node.value]
    lines.add(node, where, None, "a list of export column names")
    return None


def _column_name(node: yaml.Node | None, lines: _Lines, where: str) -> str | None:
    if node is None:
        return None
    if isinstance(node, yaml.ScalarNode) and node.value.strip():
        return nfc(node.value)
    lines.add(node, where, None, "the name of an export column")
    return None


def _flag(top: dict[str, yaml.Node], name: str, default: bool, lines: _Lines) -> bool:
    if name not in top:
        return default
    value = _scalar(top[name]) if isinstance(top[name], yaml.ScalarNode) else None
    if isinstance(value, bool):
        return value
    lines.add(top[name], name, value, "true or false")
    return default


def _whole(top: dict[str, yaml.Node], name: str, allowed: range, expected: str, lines: _Lines) -> int | None:
    if name not in top:
        return None
    value = _scalar(top[name]) if isinstance(top[name], yaml.ScalarNode) else None
    if isinstance(value, int) and not isinstance(value, bool) and value in allowed:
        return value
    lines.add(top[name], name, value, expected)
    return None


def load_mapping(path: Path | str, codebook: pd.DataFrame) -> tuple[Mapping | None, list[Problem]]:
    """Parse and check a mapping file; returns (mapping or None when unusable, problems)."""
    path = Path(path)
    file = str(path)
    lines = _Lines(file)
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
                              "valid YAML", unit="line")]
    if not isinstance(root, yaml.MappingNode):
        return None, [Problem(file, None, None, None if root is None else _scalar(root),
                              "a YAML mapping with municipality_column, wave and columns")]
    top: dict[str, yaml.Node] = {}
    for key, value in root.value:
        name = key.value
        if name not in MAPPING_KEYS:
            lines.add(key, name, name, f"only the keys {', '.join(MAPPING_KEYS)}")
        elif name in top:
            lines.add(key, name, name, "each key once")
        else:
            top[name] = value
    if "columns" not in top and "multi_select" in top:
        top["columns"] = yaml.MappingNode("tag:yaml.org,2002:map", [], top["multi_select"].start_mark)
    for required in ("municipality_column", "wave", "columns"):
        if required not in top:
            lines.add(None, required, None, "this key (see the importers module docs)")

    municipality_column = ""
    if "municipality_column" in top:
        node = top["municipality_column"]
        if isinstance(node, yaml.ScalarNode) and node.value.strip():
            municipality_column = nfc(node.value)
        else:
            lines.add(node, "municipality_column", None,
                      "the name of the column holding the municipality (its kommunekode or name)")
    municipality_by = "code"
    if "municipality_by" in top:
        node = top["municipality_by"]
        if isinstance(node, yaml.ScalarNode) and node.value in ("code", "name"):
            municipality_by = node.value
        else:
            lines.add(node, "municipality_by", _scalar(node) if isinstance(node, yaml.ScalarNode) else None,
                      "code (kommunekode, e.g. 101) or name (e.g. København)")
    wave = 0
    if "wave" in top:
        node = top["wave"]
        value = _scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2100:
            wave = value
        else:
            lines.add(node, "wave", value, "the survey year as a whole number, e.g. 2020")

    kinds = dict(zip(codebook["question"], codebook["kind"]))
    columns: dict[str, str] = {}
    where: dict[str, int] = {}
    unusable: list[str] = []
    used: dict[str, str] = {}   # question id -> the export column (or column: option) that holds it

    def use(qid: str, holder: str, node: yaml.Node) -> bool:
        if qid in used:
            lines.add(node, "columns", qid, f"one export column per question ({used[qid]} also maps to it)")
            return False
        used[qid] = holder
        return True

    if "columns" in top:
        node = top["columns"]
        if not isinstance(node, yaml.MappingNode) or not (node.value or "multi_select" in top):
            lines.add(node, "columns", None, "a mapping of export column: codebook question id")
        else:
            for key, value in node.value:
                column, line = nfc(key.value), _line(key)
                qid = value.value if isinstance(value, yaml.ScalarNode) else None
                if column in where:
                    lines.add(key, "columns", column, f"each export column once (also on line {where[column]})")
                    continue
                where[column] = line
                unusable.append(column)
                if not column:
                    lines.add(key, "columns", column, "the name of an export column")
                    continue
                if not qid or qid not in kinds:
                    lines.add(key, "columns", qid, f"a question id in the codebook for export column {column!r}")
                    continue
                if column == municipality_column:
                    lines.add(key, "columns", column, "the municipality column not to be mapped to a question")
                    continue
                if not use(qid, f"column {column!r} on line {line}", key):
                    continue
                columns[column] = qid
                unusable.remove(column)

    multi_select: dict[str, MultiSelect] = {}
    if "multi_select" in top:
        node = top["multi_select"]
        if not isinstance(node, yaml.MappingNode):
            lines.add(node, "multi_select", None, "a mapping of export column: {options: {option: question id}}")
        else:
            for key, value in node.value:
                column = nfc(key.value)
                spec = dict((k.value, v) for k, v in value.value) if isinstance(value, yaml.MappingNode) else {}
                if "options" not in spec or not isinstance(spec["options"], yaml.MappingNode) or \
                        set(spec) - {"options", "separator", "answered_with"}:
                    lines.add(key, "multi_select", column,
                              "options: {option text: question id}, and optionally separator and answered_with")
                    continue
                if column in where or column == municipality_column:
                    lines.add(key, "multi_select", column, "a column not also mapped elsewhere")
                    continue
                where[column] = _line(key)
                separator = ";"
                if "separator" in spec:
                    sep = spec["separator"]
                    if isinstance(sep, yaml.ScalarNode) and sep.value:
                        separator = sep.value
                    else:
                        lines.add(sep, "multi_select", None, "a separator such as ';' or ','")
                options: dict[str, str] = {}
                spelled: dict[str, str] = {}
                for option, target in spec["options"].value:
                    qid = target.value if isinstance(target, yaml.ScalarNode) else None
                    if not qid or kinds.get(qid) != "multiple_choice":
                        lines.add(option, "multi_select", qid,
                                  f"a multiple-choice question id in the codebook for option {option.value!r}")
                        continue
                    if use(qid, f"option {option.value!r} of {column!r} on line {_line(option)}", option):
                        options[normalise_label(option.value)] = qid
                        spelled[normalise_label(option.value)] = nfc(option.value)
                multi_select[column] = MultiSelect(column, options, spelled, separator,
                                                   _column_name(spec.get("answered_with"), lines, "multi_select"),
                                                   _line(key))

    ignore: list[str] = []
    if "ignore" in top:
        ignore = _names(top["ignore"], lines, "ignore") or []
        for n in top["ignore"].value if isinstance(top["ignore"], yaml.SequenceNode) else []:
            if nfc(n.value) in where:
                lines.add(n, "ignore", n.value, "a column either mapped or ignored, not both")

    labels: dict[str, dict[str, int | None]] = {kind: {} for kind in KINDS}
    if "labels" in top:
        node = top["labels"]
        if isinstance(node, yaml.MappingNode) and node.value and \
                all(isinstance(v, yaml.MappingNode) for _, v in node.value):
            for key, value in node.value:
                if key.value not in KINDS:
                    lines.add(key, "labels", key.value, f"a kind of question ({', '.join(KINDS)}) with its labels")
                    continue
                labels[key.value].update(_label_table(value, lines, f"labels.{key.value}", (key.value,)))
        else:
            flat = _label_table(node, lines, "labels", KINDS)
            for kind in KINDS:
                labels[kind].update({k: c for k, c in flat.items() if c is None or c in VALID_CODES[kind]})

    column_labels: dict[str, dict[str, int | None]] = {}
    if "column_labels" in top:
        node = top["column_labels"]
        if not isinstance(node, yaml.MappingNode):
            lines.add(node, "column_labels", None, "a mapping of export column: {label: code}")
        else:
            for key, value in node.value:
                column = nfc(key.value)
                if column not in columns:
                    lines.add(key, "column_labels", column, "a column mapped under columns")
                    continue
                column_labels[column] = _label_table(value, lines, f"column_labels.{column}",
                                                     (kinds[columns[column]],))

    blocks: list[Block] = []
    if "not_ticked_blank" in top:
        node = top["not_ticked_blank"]
        items = node.value if isinstance(node, yaml.SequenceNode) else None
        if items is None:
            lines.add(node, "not_ticked_blank", None,
                      "a list of export columns or of blocks {columns: [...], answered_with: column}")
        for item in items or []:
            if isinstance(item, yaml.ScalarNode):
                block = Block([nfc(item.value)], None, _line(item))
            elif isinstance(item, yaml.MappingNode) and {k.value for k, _ in item.value} <= {"columns",
                                                                                             "answered_with"}:
                spec = {k.value: v for k, v in item.value}
                block = Block(_names(spec["columns"], lines, "not_ticked_blank") if "columns" in spec else [],
                              _column_name(spec.get("answered_with"), lines, "not_ticked_blank"), _line(item))
            else:
                lines.add(item, "not_ticked_blank", None,
                          "an export column or {columns: [...], answered_with: column}")
                continue
            for column in block.columns or []:
                if kinds.get(columns.get(column)) != "multiple_choice":
                    lines.add(item, "not_ticked_blank", column,
                              "a column mapped under columns to a multiple-choice question")
            if block.columns:
                blocks.append(block)

    value_labels = _flag(top, "value_labels", True, lines)
    ignore_unmapped = _flag(top, "ignore_unmapped", False, lines)
    pad_short_rows = _flag(top, "pad_short_rows", False, lines)
    header_row = _whole(top, "header_row", range(1, 1_000_000), "the header's row number, 1 or more", lines)
    header_rows = _whole(top, "header_rows", range(1, 3), "1 or 2 (question and option rows)", lines) or 1
    sheet: str | int = 0
    if "sheet" in top:
        value = _scalar(top["sheet"]) if isinstance(top["sheet"], yaml.ScalarNode) else None
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            sheet = value
        else:
            lines.add(top["sheet"], "sheet", value, "a sheet name or position")
    if not municipality_column or not wave or "columns" not in top:
        return None, lines.problems
    return Mapping(file, municipality_column, wave, columns, ignore, labels, value_labels, sheet, where,
                   unusable, municipality_by, ignore_unmapped, column_labels, blocks, multi_select, header_row,
                   header_rows, pad_short_rows), lines.problems


# -------------------------------------------------------------------------------------------- reading
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
    try:
        workbook = pd.ExcelFile(path, engine="openpyxl")
    except Exception as exc:  # zipfile, openpyxl and pandas raise many types for a damaged file
        raise DataError(Problem(file, None, None, f"{type(exc).__name__}: {exc}",
                                "a readable .xlsx workbook", structural=True)) from None
    with workbook:
        names = workbook.sheet_names
        missing = sheet not in names if isinstance(sheet, str) else not 0 <= sheet < len(names)
        if missing:
            raise DataError(Problem(file, None, None, sheet, f"a sheet of the workbook: {', '.join(names)}",
                                    structural=True))
        frame = pd.read_excel(workbook, sheet_name=sheet, header=None, dtype=object)
    records = [(i, list(values)) for i, values in enumerate(frame.itertuples(index=False, name=None), start=1)]
    if not records:
        raise _empty(file)
    return Records(records, "xlsx")


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
    'Question | Option'; a column with nothing in the second row is named by the first alone."""
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
    named = [n for n in header if n]
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


def _frame(table: RawTable, file: str, pad_short_rows: bool = False) -> tuple[pd.DataFrame, list[Problem]]:
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
    data = {name: [rec[p] if p < len(rec) and name not in doubled else None for _, rec in table.rows]
            for name, p in keep.items()}
    index = pd.Index([row for row, _ in table.rows], name=table.unit)
    frame = pd.DataFrame(data, index=index, dtype=object, columns=list(keep))
    frame = frame.map(lambda v: None if cell_text(v) is None else v).astype(object)
    return frame, problems


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


# ----------------------------------------------------------------------------------------- validation
def _municipality_checks(municipalities: Municipalities) -> list[pa.Check]:
    def unique(series: pd.Series) -> pd.Series:
        codes = series.map(municipalities.code)
        return ~(codes.duplicated(keep="first") & codes.notna())

    return [pa.Check(municipalities.well_formed, element_wise=True, name="municipality_format"),
            pa.Check(lambda v: not municipalities.well_formed(v) or municipalities.code(v) is not None,
                     element_wise=True, name="municipality_in_register"),
            pa.Check(unique, name="municipality_once")]


def _scale_checks(scale: Scale) -> list[pa.Check]:
    return [pa.Check(lambda v: scale.classify(v)[0] != "type", element_wise=True, name="answer_type"),
            pa.Check(lambda v: scale.classify(v)[0] != "scale", element_wise=True, name="answer_scale")]


def _option_checks(multi: MultiSelect) -> list[pa.Check]:
    return [pa.Check(lambda v: cell_text(v) is not WRONG_TYPE and all(t in multi.options for t in multi.tokens(v)),
                     element_wise=True, name="multi_select_option")]


def build_schema(mapping: Mapping, kinds: dict[str, str], municipalities: Municipalities,
                 ignored: list[str] = ()) -> pa.DataFrameSchema:
    """The pandera schema of a wide export: the municipality column, every mapped and ignored column."""
    columns: dict[str, pa.Column] = {
        mapping.municipality_column: pa.Column(None, checks=_municipality_checks(municipalities),
                                               nullable=False, required=True),
    }
    for column, qid in mapping.columns.items():
        columns[column] = pa.Column(None, checks=_scale_checks(mapping.scale(kinds[qid], qid, column)),
                                    nullable=True, required=True)
    for column, multi in mapping.multi_select.items():
        columns[column] = pa.Column(None, checks=_option_checks(multi), nullable=True, required=True)
    for column in [*mapping.ignore, *mapping.unusable, *ignored]:
        if column != mapping.municipality_column:
            columns.setdefault(column, pa.Column(None, nullable=True, required=False))
    for column in mapping.names():
        columns.setdefault(column, pa.Column(None, nullable=True, required=False))  # answered_with columns
    return pa.DataFrameSchema(columns, strict=True, name="wide survey export")


def _schema_problems(error: pa.errors.SchemaErrors, frame: pd.DataFrame, mapping: Mapping,
                     kinds: dict[str, str], municipalities: Municipalities, file: str,
                     table: RawTable) -> list[Problem]:
    problems: list[Problem] = []
    cases = error.failure_cases
    muni = mapping.municipality_column
    codes = frame[muni].map(municipalities.code) if muni in frame.columns else None
    for case in cases.itertuples(index=False):
        column, check, number = case.column, case.check, case.check_number
        if check == "column_in_schema":  # strict: a column the schema does not know
            name = str(case.failure_case)
            problems.append(Problem(file, table.header_row, name, name,
                                    f"a column named under columns or ignore in {mapping.file} "
                                    "(or ignore_unmapped: true)"))
            continue
        if check == "column_in_dataframe":
            name = str(case.failure_case)
            if name == muni:
                problems.append(Problem(file, table.header_row, name, None,
                                        f"the municipality column named by municipality_column in {mapping.file}",
                                        structural=True))
            else:
                what = "multi_select" if name in mapping.multi_select else "columns"
                problems.append(Problem(mapping.file, mapping.lines.get(name), what, name,
                                        f"a column of {file}", unit="line"))
            continue
        row = None if case.index is None or pd.isna(case.index) else int(case.index)
        value = frame.at[row, column] if row is not None and column in frame.columns else case.failure_case
        if column == muni:
            if check == "not_nullable":
                expected = f"a {'kommunekode' if municipalities.by == 'code' else 'municipality name'} " \
                           "(the cell is blank but the row holds answers)"
                value = None
            elif int(number) in (0, 1):
                expected = municipalities.expected(value)
            else:
                code = municipalities.code(value)
                first = int(codes[codes == code].index[0])
                expected = f"each municipality once (kommunekode {code} is also in {table.unit} {first})"
            problems.append(Problem(file, row, column, value, expected))
            continue
        if column in mapping.multi_select:
            multi = mapping.multi_select[column]
            unknown = [t for t in multi.tokens(value) if t not in multi.options]
            problems.append(Problem(file, row, column, value,
                                    f"options separated by {multi.separator!r}, each one of: "
                                    f"{', '.join(multi.spelled.values())} (not: {', '.join(unknown)})"))
            continue
        if column not in mapping.columns:  # a guard for a pandera failure this module does not expect
            problems.append(Problem(file, row, column, value, str(check)))
            continue
        qid = mapping.columns[column]
        scale = mapping.scale(kinds[qid], qid, column)
        problems.append(Problem(file, row, column, value, scale.expected("type" if int(number) == 0 else "scale")))
    return problems


def _answered(frame: pd.DataFrame, column: str | None, row: int) -> bool:
    return column is None or cell_text(frame.at[row, column]) is not None


def _tidy(frame: pd.DataFrame, mapping: Mapping, kinds: dict[str, str],
          municipalities: Municipalities) -> pd.DataFrame:
    codes = frame[mapping.municipality_column].map(municipalities.code)
    rows = []
    for column, qid in mapping.columns.items():
        scale = mapping.scale(kinds[qid], qid, column)
        block = mapping.block_of(column)
        for row, value in frame[column].items():
            status, code = scale.classify(value)
            if status == "blank" and block is not None and _answered(frame, block.answered_with, row):
                status, code = "ok", 0
            if status == "ok":
                rows.append((mapping.wave, codes[row], qid, code))
    for column, multi in mapping.multi_select.items():
        for row, value in frame[column].items():
            ticked = set(multi.tokens(value))
            if ticked or _answered(frame, multi.answered_with, row):
                rows += [(mapping.wave, codes[row], qid, int(option in ticked))
                         for option, qid in multi.options.items()]
    tidy = pd.DataFrame(rows, columns=RESPONSE_COLUMNS)
    return tidy.sort_values(["wave", "municipality", "question"]).reset_index(drop=True)


def _locate_cases(problems: list[Problem], file: str, frame: pd.DataFrame, mapping: Mapping | None,
                  municipalities: Municipalities | None) -> list[Problem]:
    """SPSS: 'case 3 (kommunekode 147)' instead of a row number Data View does not show."""
    codes = {}
    if mapping is not None and municipalities is not None and mapping.municipality_column in frame.columns:
        codes = frame[mapping.municipality_column].map(municipalities.code).to_dict()
    out = []
    for p in problems:
        if p.file == file and p.row is not None and p.unit == "row":
            code = codes.get(p.row)
            p = Problem(p.file, p.row, p.column, p.value, p.expected, "case",
                        f"kommunekode {code}" if code else None, p.structural)
        out.append(p)
    return out


@dataclass
class ImportReport:
    """What checking an export found: the responses (None on any problem), the problems, the columns
    read as not answers, and the export's name and sha256 (for the dataset banner)."""

    responses: pd.DataFrame | None
    problems: list[Problem]
    ignored: list[str] = field(default_factory=list)
    export: str = ""
    sha256: str = ""


def inspect_export(path: Path | str, mapping_path: Path | str, codebook: pd.DataFrame | None = None,
                   register: pd.DataFrame | None = None) -> ImportReport:
    """Read and check an export against its mapping; every problem found, the ignored columns."""
    if codebook is None:
        from .codebook import load_codebook

        codebook = load_codebook()
    if register is None:
        from .register import load_register

        register = load_register()
    path = Path(path)
    file = str(path)
    mapping, problems = load_mapping(mapping_path, codebook)
    report = ImportReport(None, problems, export=path.name)
    try:
        records = read_records(path, mapping)
        table, header_problems = table_of(records, file, mapping)
    except DataError as exc:
        report.problems = ordered(problems + exc.problems)
        return report
    report.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    renames = match_names(table.header, mapping) if mapping else {}
    table.header = [renames.get(name, name) for name in table.header]
    frame, frame_problems = _frame(table, file, mapping.pad_short_rows if mapping else False)
    header_problems += frame_problems
    if mapping is None:
        report.problems = ordered(problems + header_problems)
        return report
    if frame.empty:
        report.problems = ordered(problems + header_problems + [
            Problem(file, None, None, "no data rows", "one row per municipality below the header",
                    structural=True)])
        return report
    kinds = dict(zip(codebook["question"], codebook["kind"]))
    municipalities = Municipalities.build(register, mapping.municipality_by)
    named = set(mapping.names())
    unmapped = [c for c in frame.columns if c not in named] if mapping.ignore_unmapped else []
    report.ignored = [c for c in frame.columns if c in mapping.ignore or c in unmapped]
    schema = build_schema(mapping, kinds, municipalities, unmapped)
    file_problems = list(header_problems)
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        file_problems += _schema_problems(exc, frame, mapping, kinds, municipalities, file, table)
    for holder in [*mapping.blocks, *mapping.multi_select.values()]:
        if holder.answered_with and holder.answered_with not in frame.columns:
            file_problems.append(Problem(mapping.file, holder.line, "answered_with", holder.answered_with,
                                         f"a column of {file}", unit="line"))
    order = {name: k for k, name in enumerate(frame.columns)}
    file_problems = sorted(file_problems, key=lambda p: (p.file != file, p.row or 0, order.get(p.column, -1)))
    if table.kind == "sav":
        file_problems = _locate_cases(file_problems, file, frame, mapping, municipalities)
    problems = ordered(problems + file_problems)
    if problems:
        report.problems = problems
        return report
    tidy = _tidy(frame, mapping, kinds, municipalities)
    try:
        report.responses = validate_responses(tidy, codebook, register, file=file)
    except DataError as exc:  # a guard: the schema above should have caught everything
        report.problems = exc.problems
    return report


def check_export(path: Path | str, mapping_path: Path | str, codebook: pd.DataFrame | None = None,
                 register: pd.DataFrame | None = None) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read and check an export against its mapping: (tidy responses or None, every problem found)."""
    report = inspect_export(path, mapping_path, codebook, register)
    return report.responses, report.problems


def import_export(path: Path | str, mapping_path: Path | str, codebook: pd.DataFrame | None = None,
                  register: pd.DataFrame | None = None) -> pd.DataFrame:
    """Tidy, validated responses from an export; DataError listing every problem otherwise."""
    tidy, problems = check_export(path, mapping_path, codebook, register)
    if problems:
        raise DataError(problems)
    return tidy


# ------------------------------------------------------------------------------ where the data came from
def source_path(responses: Path) -> Path:
    """The file beside imported responses that names the export they came from."""
    return responses.with_name(responses.stem + SOURCE_SUFFIX)


def source_record(report: ImportReport, mapping_path: Path, responses_sha256: str) -> str:
    return json.dumps({"export": report.export, "export_sha256": report.sha256,
                       "mapping": Path(mapping_path).name, "responses_sha256": responses_sha256},
                      ensure_ascii=False, indent=1) + "\n"


def source_of(responses: Path) -> dict | None:
    """The export that imported responses came from ({'export', 'export_sha256', ...}), or None when no
    record is beside them or the record belongs to another version of the file."""
    record = source_path(Path(responses))
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
        digest = hashlib.sha256(Path(responses).read_bytes()).hexdigest()
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("responses_sha256") == digest else None


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
