"""The mapping file of a survey export (YAML): which column is which question, and how to read it.

Every problem is located by its line in the mapping file; see data.importers for the format.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from .codebook import KINDS, VALID_CODES
from .errors import Problem
from .import_cells import Scale, _number_key, cell_text, nfc, normalise_label

MAPPING_KEYS = ("municipality_column", "municipality_by", "wave", "columns", "ignore", "ignore_unmapped",
                "labels", "column_labels", "not_ticked_blank", "multi_select", "header_row", "header_rows",
                "pad_short_rows", "value_labels", "sheet")


ALL_BLANK = ("not_ticked", "unanswered")


@dataclass
class Block:
    """Multiple-choice columns in which a blank cell means "not ticked" where the municipality reached them.

    A row with an answer in the block reached it. A row blank in the whole block reached it when its
    `answered_with` column is answered; without that column, `all_blank` says what such a row means
    (not_ticked: every municipality saw the block; unanswered: none of them reached it), else it is a problem.
    """

    columns: list[str]
    answered_with: str | None = None   # a row with this column blank did not reach the question
    line: int | None = None
    all_blank: str | None = None       # one of ALL_BLANK

    @property
    def name(self) -> str:
        shown = ", ".join(map(repr, self.columns)) if len(self.columns) < 3 else \
            f"{self.columns[0]!r} … {self.columns[-1]!r}, {len(self.columns)} columns"
        return f"the not_ticked_blank block on line {self.line} ({shown})"


@dataclass
class MultiSelect:
    """One export column holding every ticked option of a question, split by `separator`."""

    column: str
    options: dict[str, str]            # normalised option text -> question id
    spelled: dict[str, str]            # normalised option text -> the mapping's spelling
    separator: str = ";"
    answered_with: str | None = None
    line: int | None = None
    all_blank: str | None = None       # as for a Block: what an empty cell means without answered_with

    @property
    def columns(self) -> list[str]:
        return [self.column]

    @property
    def name(self) -> str:
        return f"the multi_select column {self.column!r} on line {self.line}"

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

    def tick_blocks(self) -> list[Block | MultiSelect]:
        """Every block in which a blank cell means "not ticked" where the municipality reached it."""
        return [*self.blocks, *self.multi_select.values()]

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
        if not isinstance(value, yaml.ScalarNode):
            lines.add(value, where, None, f"a whole-number answer code (or null = unanswered) for {key.value!r}")
            continue
        code = _scalar(value)
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


def _per_column(top: dict[str, yaml.Node], name: str, lines: _Lines, expected: str):
    """(key node, NFC column name, value node) of each entry of a top-level mapping keyed by export
    column (multi_select, column_labels); a problem naming `expected` when it is not a mapping."""
    if name not in top:
        return
    node = top[name]
    if not isinstance(node, yaml.MappingNode):
        lines.add(node, name, None, expected)
        return
    for key, value in node.value:
        yield key, nfc(key.value), value


def _column_name(node: yaml.Node | None, lines: _Lines, where: str) -> str | None:
    if node is None:
        return None
    if isinstance(node, yaml.ScalarNode) and node.value.strip():
        return nfc(node.value)
    lines.add(node, where, None, "the name of an export column")
    return None


def _all_blank(spec: dict[str, yaml.Node], lines: _Lines, where: str) -> str | None:
    if "all_blank" not in spec:
        return None
    node = spec["all_blank"]
    value = _scalar(node) if isinstance(node, yaml.ScalarNode) else None
    if "answered_with" in spec:
        lines.add(node, where, value, "answered_with or all_blank, not both")
    elif value in ALL_BLANK:
        return value
    else:
        lines.add(node, where, value, "not_ticked or unanswered (what a municipality blank in the whole block "
                                      "gave)")
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
    for key, column, value in _per_column(top, "multi_select", lines,
                                          "a mapping of export column: {options: {option: question id}}"):
        spec = dict((k.value, v) for k, v in value.value) if isinstance(value, yaml.MappingNode) else {}
        if "options" not in spec or not isinstance(spec["options"], yaml.MappingNode) or \
                set(spec) - {"options", "separator", "answered_with", "all_blank"}:
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
                                           _line(key), _all_blank(spec, lines, "multi_select"))

    ignore: list[str] = []
    if "ignore" in top:
        ignore = _names(top["ignore"], lines, "ignore") or []
        for n in top["ignore"].value if isinstance(top["ignore"], yaml.SequenceNode) else []:
            if nfc(n.value) in where:
                lines.add(n, "ignore", n.value, "a column either mapped or ignored, not both")

    labels: dict[str, dict[str, int | None]] = {kind: {} for kind in KINDS}
    if "labels" in top:
        node = top["labels"]
        # Per kind when any key names a kind of question (then every value must be a table of labels).
        if isinstance(node, yaml.MappingNode) and node.value and \
                any(k.value in KINDS or isinstance(v, yaml.MappingNode) for k, v in node.value):
            for key, value in node.value:
                if key.value not in KINDS or not isinstance(value, yaml.MappingNode):
                    lines.add(key, "labels", key.value, f"a kind of question ({', '.join(KINDS)}) with its labels")
                    continue
                labels[key.value].update(_label_table(value, lines, f"labels.{key.value}", (key.value,)))
        else:
            flat = _label_table(node, lines, "labels", KINDS)
            for kind in KINDS:
                labels[kind].update({k: c for k, c in flat.items() if c is None or c in VALID_CODES[kind]})

    column_labels: dict[str, dict[str, int | None]] = {}
    for key, column, value in _per_column(top, "column_labels", lines,
                                          "a mapping of export column: {label: code}"):
        if column not in columns:
            lines.add(key, "column_labels", column, "a column mapped under columns")
            continue
        column_labels[column] = _label_table(value, lines, f"column_labels.{column}", (kinds[columns[column]],))

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
            elif isinstance(item, yaml.MappingNode) and {k.value for k, _ in item.value} <= {
                    "columns", "answered_with", "all_blank"}:
                spec = {k.value: v for k, v in item.value}
                block = Block(_names(spec["columns"], lines, "not_ticked_blank") if "columns" in spec else [],
                              _column_name(spec.get("answered_with"), lines, "not_ticked_blank"), _line(item),
                              _all_blank(spec, lines, "not_ticked_blank"))
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
            elif block.columns is not None:
                lines.add(item, "not_ticked_blank", None, "columns: [the block's export columns]")

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
