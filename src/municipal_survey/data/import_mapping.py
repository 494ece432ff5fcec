"""The mapping file of a survey export (YAML): which column is which question, and how to read it.

The file is read with the line of every key and list item, checked against a declared schema (the
pydantic models below: each key, its type and what it must hold, codebook question ids included) and
then across keys (a question held by two columns, a column both mapped and ignored, labels off their
question's scale). Every problem names the file, the line, the key and what was expected; an entry with
a problem is left out and the rest is read, so one run lists every problem. See data.importers for the
format.
"""
from __future__ import annotations

import copy
import io
import itertools
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Literal

import pandas as pd
import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    Strict,
    StrictInt,
    StrictStr,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    WrapValidator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from .codebook import KINDS, VALID_CODES
from .errors import Problem
from .import_cells import Scale, _number_key, cell_text, nfc, normalise_label

# What a row blank in a whole block of tick boxes means, where no answered_with column tells.
AllBlank = Literal["not_ticked", "unanswered"]


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
    all_blank: AllBlank | None = None

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
    all_blank: AllBlank | None = None  # as for a Block: what an empty cell means without answered_with

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


# ------------------------------------------------------------------------- the YAML, with its lines
class _Int(int):
    """A YAML integer that keeps how it was written: as a column's name, 010 is not 8."""

    text = ""


class _Float(float):
    """A YAML number with a point that keeps how it was written: as a column's name, 2.10 is not 2.1."""

    text = ""


@dataclass
class _Found:
    """A problem in the mapping before it is a Problem: where (keys and positions from the top), what."""

    loc: tuple
    value: object
    expected: str               # "{key}" stands for the last key of loc
    column: str | None = None   # default: the top-level key; labels.<kind>, column_labels.<column> for codes
    stage: int = 0              # 0 reading the YAML, then each pass of the schema, then the checks across keys
    line: int | None = None     # default: the line of loc


def _read(text: str) -> tuple[object, dict[tuple, int], list[_Found]]:
    """The YAML document as dicts (keyed by each key's text), lists and scalars as YAML types them; the line
    of every key and list item by its place; a key given twice (the first one stands)."""
    constructor = yaml.SafeLoader(io.StringIO(""))
    lines: dict[tuple, int] = {}
    found: list[_Found] = []

    def plain(node: yaml.Node, loc: tuple) -> object:
        if isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                lines[loc + (i,)] = item.start_mark.line + 1
            return [plain(item, loc + (i,)) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            out: dict[str, object] = {}
            first: dict[str, int] = {}
            for key, value in node.value:
                line = key.start_mark.line + 1
                if not isinstance(key, yaml.ScalarNode):
                    found.append(_Found(loc, None, "keys written as text, not as a list or mapping", line=line))
                    continue
                name = nfc(key.value)
                if name in first:
                    again = "each export column once" if loc == ("columns",) else "each key once"
                    found.append(_Found(loc + (key.value,), name, again + (f" (also on line {first[name]})"
                                                                            if loc else ""), line=line))
                    continue
                first[name] = lines[loc + (key.value,)] = line
                out[key.value] = plain(value, loc + (key.value,))
            return out
        value = constructor.construct_object(node)
        if type(value) in (int, float):
            value = (_Int if type(value) is int else _Float)(value)
            value.text = node.value
        return value

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    return (None if root is None else plain(root, ())), lines, found


# ------------------------------------------------------------------------------------- the schema
def _error(expected: str, show: str = "input") -> PydanticCustomError:
    """A problem expecting `expected`; `show` is the value it shows: the input (a scalar), the entry's key,
    or none."""
    return PydanticCustomError("mapping", "{expected}", {"expected": expected, "show": show})


def _at_keys(keys: list[str], expected: str) -> ValidationError:
    """A problem at each of `keys` of the mapping being validated, showing the key."""
    return ValidationError.from_exception_data("mapping", [
        InitErrorDetails(type=_error(expected, "key"), loc=(key,), input=key) for key in keys])


def _expect(expected: str, show: str = "input", whole: bool = False) -> WrapValidator:
    """A type's own failures (whole: also those of anything in it) become one problem expecting `expected`."""
    def check(value: object, handler):
        try:
            return handler(value)
        except ValidationError as exc:
            if whole or any(not error["loc"] for error in exc.errors()):
                raise _error(expected, show) from None
            raise
    return WrapValidator(check)


def _text(value: object) -> object:
    return value.text if isinstance(value, (_Int, _Float)) else value


def _plain(value: object) -> object:
    """A scalar as plain Python (a number without how it was written); nothing for a list or a mapping."""
    if isinstance(value, (list, dict)):
        return None
    return int(value) if isinstance(value, _Int) else float(value) if isinstance(value, _Float) else value


def _name(expected: str, show: str = "none") -> object:
    """An export column's name: text (a number as it was written), not blank; compared in NFC."""
    def check(value: object) -> str:
        value = _text(value)
        if not isinstance(value, str) or not value.strip():
            raise _error(expected, show)
        return nfc(value)
    return Annotated[str, PlainValidator(check)]


def _key(key: str) -> str:
    """A key naming an export column: not blank (compared in NFC later, where its line is no longer needed)."""
    if not key.strip():
        raise _error("the name of an export column", show="key")
    return key


def _question(expected: str, kind: str | None = None) -> object:
    """A question id of the codebook (given as the validation context's kinds), of `kind` if given."""
    def check(value: object, info: ValidationInfo) -> str:
        kinds = info.context["kinds"]
        if not isinstance(value, str) or value not in kinds or kind and kinds[value] != kind:
            raise _error(expected)
        return value
    return Annotated[str, PlainValidator(check)]


def _off_scale(kinds: tuple[str, ...]) -> str:
    codes = sorted({code for kind in kinds for code in VALID_CODES[kind]})
    return f"an answer code of the {' or '.join(kinds)} scale ({', '.join(map(str, codes))}) for {{key}}"


def _code(*kinds: str) -> object:
    """An answer code on the scale of one of `kinds` (none: any whole number), or null (= unanswered)."""
    def check(value: object) -> int | None:
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise _error("a whole-number answer code (or null = unanswered) for {key}")
        if value is not None and kinds and not any(value in VALID_CODES[kind] for kind in kinds):
            raise _error(_off_scale(kinds))
        return None if value is None else int(value)
    return Annotated[int | None, PlainValidator(check)]


def _label_key(label: str) -> str:
    return _number_key(normalise_label(label))


_Table = Annotated[dict[str, _code()], _expect("a mapping of label: code", show="none")]
_AllBlank = Annotated[AllBlank, _expect("not_ticked or unanswered (what a municipality blank in the whole "
                                        "block gave)")]
_Name = _name("the name of an export column")
_Flag = Annotated[bool, Strict(), _expect("true or false")]


class _KindLabels(BaseModel):
    """labels per kind of question, each on its kind's scale."""

    likert: dict[str, _code("likert")] = {}
    multiple_choice: dict[str, _code("multiple_choice")] = {}
    status: dict[str, _code("status")] = {}

    @model_validator(mode="before")
    @classmethod
    def _kinds(cls, value: object) -> object:
        wrong = [key for key, table in value.items() if key not in KINDS or not isinstance(table, dict)]
        if wrong:
            raise _at_keys(wrong, f"a kind of question ({', '.join(KINDS)}) with its labels")
        return value


_FLAT_LABELS = TypeAdapter(Annotated[dict[str, _code(*KINDS)], _expect("a mapping of label: code", show="none")])


def _labels(value: object) -> dict[str, dict[str, int | None]]:
    """Per kind when any key names a kind of question or holds a table; else one table for every kind, each
    label going to the kinds whose scale has its code."""
    if isinstance(value, dict) and any(key in KINDS or isinstance(table, dict) for key, table in value.items()):
        tables = _KindLabels.model_validate(value).model_dump()
    else:
        flat = _FLAT_LABELS.validate_python(value)
        tables = {kind: {k: c for k, c in flat.items() if c is None or c in VALID_CODES[kind]} for kind in KINDS}
    return {kind: {_label_key(k): c for k, c in table.items()} for kind, table in tables.items()}


class _MultiSelect(BaseModel):
    """A multi_select column: its options (option text: question id), their separator, who reached it."""

    separator: Annotated[StrictStr, Field(min_length=1),
                         _expect("a separator such as ';' or ','", show="none")] = ";"
    options: dict[str, _question("a multiple-choice question id in the codebook for option {key}",
                                 "multiple_choice")]
    answered_with: _Name = None
    all_blank: _AllBlank = None

    @model_validator(mode="before")
    @classmethod
    def _shape(cls, value: object) -> object:
        if not isinstance(value, dict) or not isinstance(value.get("options"), dict) or \
                not set(value) <= set(cls.model_fields):
            raise _error("options: {option text: question id}, and optionally separator, answered_with and "
                         "all_blank", show="key")
        return value


class _Block(BaseModel):
    """A not_ticked_blank block: its columns (or one column alone), and who reached it."""

    columns: list[str]
    answered_with: _Name = None
    all_blank: _AllBlank = None

    @model_validator(mode="before")
    @classmethod
    def _shape(cls, value: object) -> object:
        if isinstance(_text(value), str):
            value = {"columns": [value]}
        if not isinstance(value, dict) or not set(value) <= set(cls.model_fields):
            raise _error("an export column or {columns: [...], answered_with: column or all_blank: ...}",
                         show="none")
        names = value.get("columns", [])
        if names == []:
            raise _error("columns: [the block's export columns]", show="none")
        if not isinstance(names, list) or not all(isinstance(_text(n), str) and _text(n).strip() for n in names):
            raise _error("a list of export column names", show="none")
        return {**value, "columns": [nfc(_text(n)) for n in names]}


_DROPPED = object()   # a list item with a problem: left out, the others keep their positions


def _positions(value: object) -> object:
    """A list as {position: item}, so that positions (and so lines) stay when an item is left out."""
    if not isinstance(value, list):
        raise _error("a list of export columns or of blocks {columns: [...], answered_with: column}", show="none")
    return {i: item for i, item in enumerate(value) if item is not _DROPPED}


def _whole(low: int, high: int, expected: str) -> object:
    """A whole number from `low` to `high` (not true/false, not 2.0)."""
    return Annotated[int, Strict(), Field(ge=low, le=high), AfterValidator(int), _expect(expected)]


class _MappingFile(BaseModel):
    """The mapping file: every key, its type, what it must hold and its default, in the order problems are
    listed. The keys a mapping needs default to None (absent, or left out for a problem)."""

    model_config = ConfigDict(extra="forbid")
    municipality_column: _name("the name of the column holding the municipality (its kommunekode or name)") = None
    municipality_by: Annotated[Literal["code", "name"],
                               _expect("code (kommunekode, e.g. 101) or name (e.g. København)")] = "code"
    wave: _whole(1900, 2100, "the survey year as a whole number, e.g. 2020") = None
    columns: Annotated[dict[Annotated[str, PlainValidator(_key)],
                            _question("a question id in the codebook for export column {key}")],
                       _expect("a mapping of export column: codebook question id", show="none")] = None
    multi_select: Annotated[dict[str, _MultiSelect], _expect("a mapping of export column: {options: {option: "
                                                              "question id}}", show="none")] = {}
    ignore: Annotated[list[_Name], _expect("a list of export column names", show="none", whole=True)] = []
    labels: Annotated[dict, PlainValidator(_labels)] = {kind: {} for kind in KINDS}
    column_labels: Annotated[dict[str, _Table],
                             _expect("a mapping of export column: {label: code}", show="none")] = {}
    not_ticked_blank: Annotated[dict[int, _Block], BeforeValidator(_positions)] = {}
    value_labels: _Flag = True
    ignore_unmapped: _Flag = False
    pad_short_rows: _Flag = False
    header_row: _whole(1, 999_999, "the header's row number, 1 or more") = None
    header_rows: _whole(1, 2, "1 or 2 (question and option rows)") = 1
    sheet: Annotated[StrictStr | StrictInt, AfterValidator(_plain),
                     _expect("a sheet name or position", whole=True)] = 0


MAPPING_KEYS = tuple(_MappingFile.model_fields)
REQUIRED = ("municipality_column", "wave", "columns")   # columns may be left out beside multi_select
FIELDS = {name: k for k, name in enumerate(MAPPING_KEYS)}


def _found(error: dict, stage: int) -> _Found:
    """A schema error as a problem: its place (without pydantic's [key] mark), the value it shows."""
    loc = tuple(step for step in error["loc"] if step != "[key]")
    if error["type"] == "extra_forbidden":
        return _Found(loc, loc[-1], f"only the keys {', '.join(MAPPING_KEYS)}")
    show = (error.get("ctx") or {}).get("show")
    value = nfc(loc[-1]) if show == "key" else None if show == "none" else _plain(error["input"])
    return _Found(loc, value, (error.get("ctx") or {}).get("expected", error["msg"]), stage=stage)


def _drop(data: dict, loc: tuple) -> None:
    """Leave out the entry at `loc`, if it is still there (a list item keeps its place, as _DROPPED)."""
    *path, last = loc
    for step in path:
        if isinstance(data, list) and step < len(data) or isinstance(data, dict) and step in data:
            data = data[step]
        else:
            return
    if isinstance(data, list):
        data[last] = _DROPPED
    elif isinstance(data, dict):
        data.pop(last, None)


def _validated(data: dict, kinds: dict[str, str]) -> tuple[_MappingFile | None, list[_Found]]:
    """The schema's reading of `data` with every entry that has a problem left out, and the problems; each
    pass leaves out what the last one found (an entry may hide another's problem until it is gone)."""
    found: list[_Found] = []
    for stage in itertools.count(1):
        try:
            return _MappingFile.model_validate(data, context={"kinds": kinds}), found
        except ValidationError as exc:
            errors = [_found(error, stage) for error in exc.errors()]
        if {error.loc for error in errors} & {f.loc for f in found}:
            return None, found + errors   # a guard: what was left out cannot fail again
        found += errors
        for error in errors:
            _drop(data, error.loc)


def _columns(written: dict) -> list[str]:
    """The export columns named under columns, as written (each once)."""
    return list(written["columns"]) if isinstance(written.get("columns"), dict) else []


def _questions(spec: _MappingFile, written: dict, lines: dict[tuple, int]) -> list[_Found]:
    """One export column (or multi_select option) per question; the municipality column and a column also
    under columns are no multi_select column; leaves out what fails."""
    found: list[_Found] = []
    holders: dict[str, str] = {}   # question id -> the column or option that holds it, with its line

    def held(qid: str, holder: str, loc: tuple) -> bool:
        if qid in holders:
            found.append(_Found(loc, qid, f"one export column per question ({holders[qid]} also maps to it)",
                                "columns"))
            return False
        holders[qid] = f"{holder} on line {lines[loc]}"
        return True

    if written.get("columns") == {} and "multi_select" not in written:
        found.append(_Found(("columns",), None, "a mapping of export column: codebook question id"))
    for column, qid in list((spec.columns or {}).items()):
        if nfc(column) == spec.municipality_column:
            found.append(_Found(("columns", column), nfc(column), "the municipality column not to be mapped to "
                                "a question"))
            del spec.columns[column]
        elif not held(qid, f"column {nfc(column)!r}", ("columns", column)):
            del spec.columns[column]
    named = {nfc(column) for column in _columns(written)} | {spec.municipality_column}
    for column, multi in list(spec.multi_select.items()):
        if nfc(column) in named:
            found.append(_Found(("multi_select", column), nfc(column), "a column not also mapped elsewhere"))
            del spec.multi_select[column]
            continue
        for option, qid in list(multi.options.items()):
            if not held(qid, f"option {option!r} of {nfc(column)!r}", ("multi_select", column, "options", option)):
                del multi.options[option]
    return found


def _ignored(spec: _MappingFile, written: dict) -> list[_Found]:
    """A column is mapped or ignored, not both."""
    named = {nfc(column) for column in [*_columns(written), *spec.multi_select]}
    return [_Found(("ignore", i), name, "a column either mapped or ignored, not both")
            for i, name in enumerate(spec.ignore) if name in named]


def _column_labels(spec: _MappingFile, kinds: dict[str, str]) -> list[_Found]:
    """A column's own labels belong to a mapped column and are codes on its question's scale."""
    found: list[_Found] = []
    mapped = {nfc(column): qid for column, qid in (spec.columns or {}).items()}
    for column, table in list(spec.column_labels.items()):
        if nfc(column) not in mapped:
            found.append(_Found(("column_labels", column), nfc(column), "a column mapped under columns"))
            del spec.column_labels[column]
            continue
        kind = kinds[mapped[nfc(column)]]
        for label, code in list(table.items()):
            if code is not None and code not in VALID_CODES[kind]:
                found.append(_Found(("column_labels", column, label), code, _off_scale((kind,))))
                del table[label]
    return found


def _tick_blocks(spec: _MappingFile, kinds: dict[str, str]) -> list[_Found]:
    """A not_ticked_blank block holds multiple-choice columns; a block says who reached it by answered_with
    or all_blank, not both (all_blank is left out)."""
    mapped = {nfc(column): qid for column, qid in (spec.columns or {}).items()}
    found = [_Found(("not_ticked_blank", i, "columns", j), column,
                    "a column mapped under columns to a multiple-choice question")
             for i, block in spec.not_ticked_blank.items() for j, column in enumerate(block.columns)
             if kinds.get(mapped.get(column)) != "multiple_choice"]
    for loc, holder in [*((("multi_select", c), m) for c, m in spec.multi_select.items()),
                        *((("not_ticked_blank", i), b) for i, b in spec.not_ticked_blank.items())]:
        if holder.answered_with and holder.all_blank:
            found.append(_Found(loc + ("all_blank",), holder.all_blank, "answered_with or all_blank, not both"))
            holder.all_blank = None
    return found


def _key_of(loc: tuple) -> str | None:
    """The key a problem names: its top-level key; for a label's code, its table (labels.likert)."""
    if len(loc) == 3 and loc[0] in ("labels", "column_labels"):
        return f"{loc[0]}.{loc[1]}"
    return loc[0] if loc else None


def _problems(found: list[_Found], file: str, lines: dict[tuple, int]) -> list[Problem]:
    """Problems in the order a reader fixes them: keys first (unknown, twice, missing), then key by key in
    the schema's order, entry by entry down the file; each with its line."""
    def line(loc: tuple) -> int | None:
        return next((lines[loc[:n]] for n in range(len(loc), 0, -1) if loc[:n] in lines), None)

    def order(f: _Found) -> tuple:
        if len(f.loc) <= 1 and f.stage == 0:   # a key itself; a missing one last
            where = f.line if f.line is not None else line(f.loc)
            return (0, float("inf") if where is None else where)
        entry = f.line if f.line is not None and len(f.loc) <= 2 else line(f.loc[:2])
        return (1, FIELDS.get(f.loc[0], len(FIELDS)), entry or 0, f.stage)

    problems = []
    for f in sorted(found, key=order):
        column = f.column or _key_of(f.loc)
        where = f.line if f.line is not None else line(f.loc)
        key = repr(nfc(f.loc[-1])) if f.loc else ""
        problems.append(Problem(file, where, column, f.value, f.expected.replace("{key}", key), unit="line"))
    return problems


def load_mapping(path: Path | str, codebook: pd.DataFrame) -> tuple[Mapping | None, list[Problem]]:
    """Parse and check a mapping file; returns (mapping or None when unusable, problems)."""
    path = Path(path)
    file = str(path)
    try:
        written, lines, found = _read(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        return None, [Problem(file, None, None, None, "an existing mapping file")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(file, None, None, str(exc), "a readable UTF-8 YAML mapping file")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [Problem(file, mark.line + 1 if mark else None, None, getattr(exc, "problem", str(exc)),
                              "valid YAML", unit="line")]
    except RecursionError:
        return None, [Problem(file, None, None, "an alias inside itself", "valid YAML", unit="line")]
    if not isinstance(written, dict):
        return None, [Problem(file, None, None, _plain(written),
                              "a YAML mapping with municipality_column, wave and columns")]
    found += [_Found((key,), None, "this key (see the importers module docs)")
              for key in REQUIRED if key not in written and not (key == "columns" and "multi_select" in written)]
    kinds = dict(zip(codebook["question"], codebook["kind"]))
    spec, schema_found = _validated(copy.deepcopy(written), kinds)
    found += schema_found
    if spec is not None:  # the checks across keys, in this order (each leaves out what fails)
        across = [*_questions(spec, written, lines), *_ignored(spec, written), *_column_labels(spec, kinds),
                  *_tick_blocks(spec, kinds)]
        stage = max((f.stage for f in found), default=0) + 1
        found += [replace(f, stage=stage) for f in across]
    problems = _problems(found, file, lines)
    if spec is None or spec.municipality_column is None or spec.wave is None or \
            not {"columns", "multi_select"} & set(written):
        return None, problems
    return _mapping(file, spec, written, lines), problems


def _mapping(file: str, spec: _MappingFile, written: dict, lines: dict[tuple, int]) -> Mapping:
    """The checked mapping, from what the schema and the checks across keys kept."""
    columns = {nfc(column): qid for column, qid in (spec.columns or {}).items()}
    multi_select = {nfc(column): MultiSelect(
        nfc(column), {normalise_label(o): qid for o, qid in multi.options.items()},
        {normalise_label(o): nfc(o) for o in multi.options}, multi.separator, multi.answered_with,
        lines[("multi_select", column)], multi.all_blank) for column, multi in spec.multi_select.items()}
    where = {nfc(column): lines[("columns", column)] for column in _columns(written)}
    where.update({column: multi.line for column, multi in multi_select.items()})
    column_labels = {nfc(column): {_label_key(label): code for label, code in table.items()}
                     for column, table in spec.column_labels.items()}
    blocks = [Block(block.columns, block.answered_with, lines[("not_ticked_blank", i)], block.all_blank)
              for i, block in spec.not_ticked_blank.items()]
    unusable = [nfc(column) for column in _columns(written) if nfc(column) not in columns]
    return Mapping(file, spec.municipality_column, spec.wave, columns, spec.ignore, spec.labels,
                   spec.value_labels, spec.sheet, where, unusable, spec.municipality_by, spec.ignore_unmapped,
                   column_labels, blocks, multi_select, spec.header_row, spec.header_rows, spec.pad_short_rows)
