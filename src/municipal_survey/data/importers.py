"""Import a survey tool's export (one row per municipality, one column per question) as tidy responses.

An export is a CSV (comma, semicolon or tab, sniffed from the header; UTF-8, UTF-8 with BOM,
Windows-1252, or UTF-16 as Excel's "Unicode-tekst" writes it), an Excel workbook (.xlsx; a merged cell's
value applies to every cell it covers) or an SPSS file (.sav). A mapping file (YAML) tells which
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
      - spm003               # one question (1/X ticked, 0 not); a blank cell needs a block's keys below
      - columns: [spm004, spm005]
        answered_with: spm002   # rows where this column is blank did not reach the question: no answer
      - columns: [spm006, spm007]
        all_blank: not_ticked   # without answered_with: what a row blank in the whole block means
                                # (not_ticked: every municipality saw it; unanswered: no answers)
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

Blank means "not ticked" only where the municipality reached the block: it answered something in the
block, or its answered_with column. A row blank in a whole block without answered_with is a problem
unless all_blank says what it means: reading it as "not ticked" would invent answers for a municipality
that stopped before the block. The report counts, per block, the answers read from blank cells.

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

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import yaml

from .codebook import VALID_CODES
from .errors import DataError, Problem, ordered
from .import_cells import (  # noqa: F401 (the importer's public names live here)
    CODE_ORDER,
    WRONG_TYPE,
    Municipalities,
    Scale,
    cell_text,
    municipality_code,
    municipality_key,
    nfc,
    normalise_label,
)
from .import_mapping import MAPPING_KEYS, Block, Mapping, MultiSelect, load_mapping  # noqa: F401
from .import_reading import (  # noqa: F401
    SUFFIX_FORMATS,
    RawTable,
    decode_text,
    frame_of,
    match_names,
    read_raw,
    read_records,
    table_of,
    utf16_codec,
)
from .paths import source_path  # noqa: F401 (the importer's public names live here)
from .responses import RESPONSE_COLUMNS, validate_responses

FORMATS = ("csv", "csv-semicolon", "xlsx", "sav")
MUNICIPALITY_EXPORT_COLUMN = "Kommunekode"


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
    # One check for both failures (a cell fails one or the other): _schema_problems tells them apart.
    return [pa.Check(lambda v: scale.classify(v)[0] not in ("type", "scale"), element_wise=True,
                     name="answer")]


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
        problems.append(Problem(file, row, column, value, scale.expected(scale.classify(value)[0])))
    return problems


# ---------------------------------------------------------------------- blank means "not ticked"
def _answered(frame: pd.DataFrame, mapping: Mapping, kinds: dict[str, str], column: str) -> pd.Series:
    """Per row: the cell holds an answer (not a label the mapping reads as null, nor only separators)."""
    if column in mapping.columns:
        qid = mapping.columns[column]
        scale = mapping.scale(kinds[qid], qid, column)
        return frame[column].map(lambda v: scale.classify(v)[0] != "blank").astype(bool)
    if column in mapping.multi_select:
        return frame[column].map(lambda v: bool(mapping.multi_select[column].tokens(v))).astype(bool)
    return frame[column].map(lambda v: cell_text(v) is not None).astype(bool)


def _reached(frame: pd.DataFrame, mapping: Mapping, kinds: dict[str, str], holder: Block | MultiSelect,
             ) -> pd.Series:
    """Per row: the municipality reached the block (an answer in it, its answered_with column answered, or
    all_blank: not_ticked), so that a blank cell in it means "not ticked"."""
    reached = pd.concat([_answered(frame, mapping, kinds, c) for c in holder.columns], axis=1).any(axis=1)
    if holder.answered_with:
        return reached | _answered(frame, mapping, kinds, holder.answered_with)
    return reached | (holder.all_blank == "not_ticked")


def _blank_blocks(frame: pd.DataFrame, mapping: Mapping, kinds: dict[str, str], file: str) -> list[Problem]:
    """A row blank in a whole block that neither answered_with nor all_blank explains: reading its blanks
    as "not ticked" would invent answers for a municipality that may never have reached the questions."""
    problems = []
    for holder in mapping.tick_blocks():
        if holder.answered_with or holder.all_blank or not set(holder.columns) <= set(frame.columns):
            continue
        reached = _reached(frame, mapping, kinds, holder)
        expected = (f"an answer in {holder.name} of {mapping.file}: a municipality blank in the whole block may "
                    "not have reached it, so its blanks are not read as 'not ticked' unless the block says so "
                    "(answered_with: a column answered by every municipality that reached it, or all_blank: "
                    "not_ticked if every municipality saw it, or all_blank: unanswered)")
        problems += [Problem(file, int(row), holder.columns[0], None, expected) for row in reached.index[~reached]]
    return problems


@dataclass(frozen=True)
class Derived:
    """What one blank-means-not-ticked block read from blank cells: answers "not ticked" (in how many
    municipalities), and how many municipalities, blank in the whole block, had not reached it."""

    block: str
    answers: int
    municipalities: int
    unreached: int

    def __str__(self) -> str:
        text = (f"{self.block}: {self.answers} answers 'not ticked' read from blank cells "
                f"({self.municipalities} municipalities)")
        if self.unreached:
            text += f"; {self.unreached} municipalities blank in the whole block had not reached it"
        return text


def _tidy(frame: pd.DataFrame, mapping: Mapping, kinds: dict[str, str],
          municipalities: Municipalities) -> tuple[pd.DataFrame, list[Derived]]:
    codes = frame[mapping.municipality_column].map(municipalities.code)
    reached = {id(h): _reached(frame, mapping, kinds, h) for h in mapping.tick_blocks()}
    read = {id(h): Counter() for h in mapping.tick_blocks()}   # row -> answers read from blank cells
    rows = []
    for column, qid in mapping.columns.items():
        scale = mapping.scale(kinds[qid], qid, column)
        block = mapping.block_of(column)
        for row, value in frame[column].items():
            status, code = scale.classify(value)
            if status == "blank" and block is not None and reached[id(block)][row]:
                status, code = "ok", 0
                read[id(block)][row] += 1
            if status == "ok":
                rows.append((mapping.wave, codes[row], qid, code))
    for column, multi in mapping.multi_select.items():
        for row, value in frame[column].items():
            ticked = set(multi.tokens(value))
            if reached[id(multi)][row]:
                rows += [(mapping.wave, codes[row], qid, int(option in ticked))
                         for option, qid in multi.options.items()]
                read[id(multi)][row] += 0 if ticked else len(multi.options)
    derived = [Derived(f"{h.name} of {Path(mapping.file).name}", sum(read[id(h)].values()),
                       sum(n > 0 for n in read[id(h)].values()), int((~reached[id(h)]).sum()))
               for h in mapping.tick_blocks()]
    tidy = pd.DataFrame(rows, columns=RESPONSE_COLUMNS)
    return tidy.sort_values(["wave", "municipality", "question"]).reset_index(drop=True), derived


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
    read as not answers, the export's name and sha256 (for the dataset banner), and where each
    municipality's answers are in it (kommunekode -> row, or SPSS case: `row_unit`)."""

    responses: pd.DataFrame | None
    problems: list[Problem]
    ignored: list[str] = field(default_factory=list)
    export: str = ""
    sha256: str = ""
    rows: dict[str, int] = field(default_factory=dict)
    row_unit: str = "row"
    derived: list[Derived] = field(default_factory=list)   # answers read from blank cells, per block


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
    frame, frame_problems = frame_of(table, file, mapping.pad_short_rows if mapping else False)
    if header_problems:  # the header row is wrong (a title?): its names, merged or missing, are no clue
        frame_problems = [p for p in frame_problems if p.row != table.header_row]
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
    for holder in mapping.tick_blocks():
        if holder.answered_with and holder.answered_with not in frame.columns:
            file_problems.append(Problem(mapping.file, holder.line, "answered_with", holder.answered_with,
                                         f"a column of {file}", unit="line"))
    file_problems += _blank_blocks(frame, mapping, kinds, file)
    order = {name: k for k, name in enumerate(frame.columns)}
    file_problems = sorted(file_problems, key=lambda p: (p.file != file, p.row or 0, order.get(p.column, -1)))
    if table.kind == "sav":
        file_problems = _locate_cases(file_problems, file, frame, mapping, municipalities)
    problems = ordered(problems + file_problems)
    if problems:
        report.problems = problems
        return report
    tidy, report.derived = _tidy(frame, mapping, kinds, municipalities)
    codes = frame[mapping.municipality_column].map(municipalities.code)
    report.rows = {code: int(row) for row, code in codes.items()}
    report.row_unit = table.unit
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
        raise ValueError(f"one wave per export, got {[int(w) for w in waves]}")
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
