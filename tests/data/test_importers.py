"""Importing survey-tool exports (data.importers): round trips, every kind of bad input, legitimate
variants, the CLI; inspect_export's report; and the way back, an export and its mapping written from tidy
responses (export_wide), with the record of the export the responses came from."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyreadstat
import pytest
from hand_made_export import (
    EXPECTED,
    HEADER,
    MAPPING,
    ROWS,
    csv_text,
    problems_of,
    run,
    tidy,
    write_case,
)
from small_mapping import BASE, CODEBOOK, TICKS

from municipal_survey import cli
from municipal_survey.data import paths
from municipal_survey.data.codebook import VALID_CODES, load_codebook
from municipal_survey.data.import_mapping import load_mapping
from municipal_survey.data.importers import (
    export_columns,
    export_wide,
    import_export,
)
from municipal_survey.data.responses import RESPONSE_COLUMNS, write_responses


def test_the_hand_made_export_imports(tmp_path):
    got = run(*write_case(tmp_path, csv_text()))
    pd.testing.assert_frame_equal(tidy(got), EXPECTED)
    assert got["municipality"].map(type).eq(str).all() and got["answer"].dtype == "int64"


# ------------------------------------------------------------------------------------ malformed inputs
@dataclass
class Bad:
    """A malformed input and the one problem it must give (file: 'export' or 'mapping')."""

    id: str
    export: str | bytes
    file: str
    row: int | None
    column: str | None
    value: object
    expected: str
    mapping: str = MAPPING


def rows_with(row: int, old: str, new: str) -> str:
    """The base export with `old` replaced by `new` in spreadsheet row `row` (header = 1)."""
    rows = list(ROWS)
    assert old in rows[row - 2]
    rows[row - 2] = rows[row - 2].replace(old, new, 1)
    return csv_text(rows)


BAD = [
    Bad("unknown-municipality", rows_with(3, "147", "999"), "export", 3, "Kommunekode", "999",
        "a kommunekode of a municipality in the register"),
    Bad("duplicate-municipality", rows_with(4, "151", "101"), "export", 4, "Kommunekode", "101",
        "each municipality once (kommunekode 101 is also in row 2)"),
    Bad("duplicate-municipality-spelled-0101", rows_with(4, "151", "0101"), "export", 4, "Kommunekode", "0101",
        "each municipality once (kommunekode 101 is also in row 2)"),
    Bad("municipality-name-not-code", rows_with(2, "101", "København"), "export", 2, "Kommunekode",
        "København", "a kommunekode: a whole number of up to 3 digits"),
    Bad("municipality-decimal", rows_with(2, "101", "101.5"), "export", 2, "Kommunekode", "101.5",
        "a kommunekode: a whole number of up to 3 digits"),
    Bad("municipality-blank", rows_with(3, "147", ""), "export", 3, "Kommunekode", None,
        "a kommunekode (the cell is blank but the row holds answers)"),
    Bad("unknown-column", csv_text([r + ",ok" for r in ROWS], HEADER + ",Kommentar"), "export", 1, "Kommentar",
        "Kommentar", "a column named under columns or ignore"),
    Bad("likert-outside-scale", rows_with(2, "I høj grad", "5"), "export", 2, "A samlet", "5",
        "a code on the likert scale (4, 3, 2, 1, 8, 9) for org_a_samlet"),
    Bad("likert-zero", rows_with(4, "I mindre grad", "0"), "export", 4, "A behov", "0",
        "a code on the likert scale (4, 3, 2, 1, 8, 9) for org_a_behov"),
    Bad("likert-unknown-label", rows_with(2, "I høj grad", "Meget stor grad"), "export", 2, "A samlet",
        "Meget stor grad", "a likert answer for org_a_samlet: a label such as 'I høj grad'"),
    Bad("likert-wrong-type-decimal", rows_with(3, "I meget høj grad", "2.5"), "export", 3, "A samlet", "2.5",
        "a likert answer for org_a_samlet"),
    Bad("multiple-choice-2", rows_with(3, ",0,", ",2,"), "export", 3, "Ticks X", "2",
        "0 (not ticked) or 1 (ticked) for the multiple-choice question org_a_stoette_x"),
    Bad("multiple-choice-ja", rows_with(2, ",1,", ",ja,"), "export", 2, "Ticks X", "ja",
        "0 (not ticked) or 1 (ticked) for the multiple-choice question org_a_stoette_x"),
    Bad("multiple-choice-half", rows_with(2, ",1,", ",0.5,"), "export", 2, "Ticks X", "0.5",
        "0 (not ticked) or 1 (ticked)"),
    Bad("status-3", rows_with(4, "Gennemført", "3"), "export", 4, "Status", "3",
        "a status, 1 (Delvist gennemført) or 2 (Gennemført), for meta_status"),
    Bad("empty-file", b"", "export", None, None, "", "a header row and one row per municipality"),
    Bad("blank-lines-only", "\r\n \r\n", "export", None, None, "", "a header row and one row per municipality"),
    Bad("header-only", csv_text([]), "export", None, None, "no data rows",
        "one row per municipality below the header"),
    Bad("missing-municipality-column", csv_text([r.split(",", 1)[1] for r in ROWS], HEADER.split(",", 1)[1]),
        "export", 1, "Kommunekode", None, "the municipality column named by municipality_column"),
    Bad("duplicate-header", csv_text([r + ",Slet ikke" for r in ROWS], HEADER + ",A samlet"), "export", 1,
        "A samlet", "A samlet", "a unique column name (column C has it too)"),
    Bad("unnamed-column-with-data", csv_text([r + ",x" for r in ROWS], HEADER + ","), "export", 1,
        "column G", "", "a column name in the header"),
    Bad("row-too-long", rows_with(3, "2020-10-02", "2020-10-02,extra"), "export", 3, None, "extra",
        "at most 6 cells in the row"),
    Bad("mixed-encodings", csv_text().encode("utf-8").replace("I meget høj grad".encode(),
                                                              "I meget høj grad".encode("cp1252")),
        "export", 3, None, "147,Delvist gennemført,I meget h\\xf8j grad,,0,2020-10-02",
        "mixed encodings, byte 0xF8 on this line is not UTF-8 (Windows-1252?) while line 2 holds UTF-8"),
    Bad("bom-then-cp1252", b"\xef\xbb\xbf" + csv_text().encode("cp1252"), "export", 2, None,
        "101,Gennemf\\xf8rt,I h\\xf8j grad,Ved ikke,1,2020-10-01",
        "mixed encodings, byte 0xF8 on this line is not UTF-8 (Windows-1252?) while the file starts with a "
        "UTF-8 byte order mark"),
    Bad("neither-encoding", csv_text().encode("cp1252").replace(b"Slet ikke", b"Slet \x81ikke"), "export", 4,
        None, "151,Gennemf\\xf8rt,Slet \\x81ikke,I mindre grad,,2020-10-03",
        "mixed encodings, byte 0x81 on this line is valid in neither"),
    Bad("mapping-unknown-question", csv_text(), "mapping", 5, "columns", "org_a_samlt",
        "a question id in the codebook for export column 'A samlet'",
        MAPPING.replace("A samlet: org_a_samlet", "A samlet: org_a_samlt")),
    Bad("mapping-column-absent", csv_text(), "mapping", 8, "columns", "A sub",
        "a column of", MAPPING.replace("ignore:", "  A sub: org_a_sub\nignore:")),
    Bad("mapping-two-columns-one-question", csv_text(), "mapping", 6, "columns", "org_a_samlet",
        "one export column per question (column 'A samlet' on line 5 also maps to it)",
        MAPPING.replace("A behov: org_a_behov", "A behov: org_a_samlet")),
    Bad("mapping-wave-text", csv_text(), "mapping", 2, "wave", "tyve",
        "the survey year as a whole number, e.g. 2020", MAPPING.replace("wave: 2020", "wave: tyve")),
    Bad("mapping-no-municipality-column", csv_text(), "mapping", None, "municipality_column", None,
        "this key", MAPPING.replace("municipality_column: Kommunekode\n", "")),
    Bad("mapping-unknown-key", csv_text(), "mapping", 9, "coulmns", "coulmns", "only the keys",
        MAPPING + "coulmns: {}\n"),
    Bad("mapping-label-code-not-number", csv_text(), "mapping", 10, "labels", "fire",
        "a whole-number answer code (or null = unanswered) for 'Meget høj grad'",
        MAPPING + "labels:\n  Meget høj grad: fire\n"),
    Bad("mapping-not-yaml", csv_text(), "mapping", 2, None, "mapping values are not allowed here",
        "valid YAML", MAPPING.replace("wave: 2020", "wave: 2020: x")),
]


# Messages checked by a phrase in the middle (the start names the whole-file rule).
MID_MESSAGE = {"mixed-encodings", "bom-then-cp1252", "neither-encoding", "mapping-column-absent"}


@pytest.mark.parametrize("case", BAD, ids=[c.id for c in BAD])
def test_malformed_input_gives_its_precise_problem(tmp_path, case):
    path, mapping = write_case(tmp_path, case.export, case.mapping)
    problems = problems_of(path, mapping)
    want_file = str(path if case.file == "export" else mapping)
    assert len(problems) == 1, "\n".join(map(str, problems))
    problem = problems[0]
    assert (problem.file, problem.row, problem.column, problem.value) == \
        (want_file, case.row, case.column, case.value)
    assert problem.expected.startswith(case.expected) or case.id in MID_MESSAGE, problem.expected
    assert case.expected in problem.expected


def test_every_problem_is_collected_in_one_error(tmp_path):
    rows = ["101,Gennemført,5,Ved ikke,1,x", "999,Gennemført,I høj grad,,7,x", "101,Gennemført,abc,,,x"]
    path, mapping = write_case(tmp_path, csv_text(rows, HEADER + ",Ekstra").replace(",x\r\n", ",x,\r\n"),
                               MAPPING.replace("A behov: org_a_behov", "A behov: org_nix"))
    problems = problems_of(path, mapping)
    where = [(Path(p.file).name, p.row, p.column) for p in problems]
    assert where == [("mapping.yml", 6, "columns"), ("export.csv", 1, "Ekstra"), ("export.csv", 2, "A samlet"),
                     ("export.csv", 3, "Kommunekode"), ("export.csv", 3, "Ticks X"),
                     ("export.csv", 4, "Kommunekode"), ("export.csv", 4, "A samlet")]
    assert "also in row 2" in problems[5].expected


def test_unreadable_files_are_problems_not_crashes(tmp_path):
    path, mapping = write_case(tmp_path, csv_text(), name="export.json")
    assert problems_of(path, mapping)[0].expected == "a .csv, .xlsx or .sav export"
    assert problems_of(tmp_path / "absent.csv", mapping)[0].expected == "an existing export file"
    path, _ = write_case(tmp_path, csv_text())
    assert problems_of(path, tmp_path / "absent.yml")[0].expected == "an existing mapping file"
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip file")
    assert problems_of(tmp_path / "broken.xlsx", mapping)[0].expected == "a readable .xlsx workbook"
    write_xlsx(tmp_path / "one-sheet.xlsx", [XLSX_HEADER])
    mapping.write_text(MAPPING + "sheet: Besvarelser\n", encoding="utf-8")
    assert problems_of(tmp_path / "one-sheet.xlsx", mapping)[0].expected == "a sheet of the workbook: Sheet"
    (tmp_path / "broken.sav").write_bytes(b"not spss")
    assert problems_of(tmp_path / "broken.sav", mapping)[0].expected == "a readable SPSS .sav file"


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


XLSX_HEADER = ["Kommunekode", "Status", "A samlet", "A behov", "Ticks X", "Starttid"]


def test_xlsx_wrong_types_and_duplicates_are_located(tmp_path):
    when = dt.datetime(2020, 10, 1)
    path = write_xlsx(tmp_path / "export.xlsx", [
        XLSX_HEADER,
        [101, "Gennemført", when, None, 1, when],
        [147, 2, "I høj grad", True, 0, when],
        [101.0, 2, 3.0, 8, 1.0, when],
    ])
    _, mapping = write_case(tmp_path, "", name="unused.csv")
    problems = problems_of(path, mapping)
    got = [(p.row, p.column, p.value) for p in problems]
    assert got == [(2, "A samlet", when), (3, "A behov", True), (4, "Kommunekode", 101.0)]
    assert problems[0].expected.startswith("a likert answer for org_a_samlet")
    assert problems[2].expected == "each municipality once (kommunekode 101 is also in row 2)"


# SPSS variable names cannot hold spaces.
SAV_MAPPING = (MAPPING.replace("A samlet:", "A_samlet:").replace("A behov:", "A_behov:")
               .replace("Ticks X:", "Ticks_X:"))


def test_sav_value_outside_the_scale_is_located(tmp_path):
    frame = pd.DataFrame({"Kommunekode": ["101", "147"], "Status": [2.0, 2.0], "A samlet": [3.0, 6.0],
                          "A behov": [np.nan, 8.0], "Ticks X": [1.0, 0.0], "Starttid": ["a", "b"]})
    frame.columns = ["Kommunekode", "Status", "A_samlet", "A_behov", "Ticks_X", "Starttid"]
    pyreadstat.write_sav(frame, str(tmp_path / "export.sav"),
                         variable_value_labels={"A_samlet": {3.0: "I høj grad", 6.0: "Ved ikke / ikke relevant"}})
    _, mapping = write_case(tmp_path, "", SAV_MAPPING, name="unused.csv")
    problems = problems_of(tmp_path / "export.sav", mapping)
    assert [(p.row, p.column, p.value) for p in problems] == [(2, "A_samlet", "Ved ikke / ikke relevant")]
    assert str(problems[0]).startswith(f"{tmp_path / 'export.sav'}, case 2 (kommunekode 147), column 'A_samlet'")
    mapping.write_text(mapping.read_text() + "value_labels: false\n", encoding="utf-8")
    problems = problems_of(tmp_path / "export.sav", mapping)
    assert [(p.row, p.column, p.value) for p in problems] == [(2, "A_samlet", 6.0)]
    assert "likert scale" in problems[0].expected


# ---------------------------------------------------------------------------------- legitimate variants
VARIANTS = {
    "utf-8-bom": lambda: "\ufeff" + csv_text(),
    "semicolons": lambda: csv_text(sep=";"),
    "tabs": lambda: csv_text(sep="\t"),
    "lf-line-ends": lambda: csv_text().replace("\r\n", "\n"),
    "label-case-and-spacing": lambda: csv_text([
        "101,  gennemført ,  i HØJ   grad , VED IKKE,1,2020-10-01",
        "147,DELVIST\u00a0GENNEMFØRT,I meget høj grad,,0,2020-10-02",
        "151,Gennemført,slet ikke,i mindre grad,,2020-10-03"]),
    "codes-instead-of-labels": lambda: csv_text([
        "101,2,3,8,1.0,2020-10-01", "147,1,4.0,,0,2020-10-02", "151,2,1,2,,2020-10-03"]),
    "blank-rows-and-whitespace-cells": lambda: csv_text([ROWS[0], ",,,,,", ROWS[1].replace(",,", ",  ,"), "",
                                                         ROWS[2]]),
    "municipality-zero-padded-and-spaced": lambda: csv_text([" 0101" + ROWS[0][3:], ROWS[1], ROWS[2]]),
    "quoted-fields": lambda: csv_text(['"101","Gennemført","I høj grad","Ved ikke","1","2020-10-01"',
                                       ROWS[1], ROWS[2]]),
    "columns-in-another-order": lambda: "\r\n".join(
        [",".join(reversed(line.split(","))) for line in [HEADER, *ROWS]]) + "\r\n",
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_legitimate_variants_import_identically(tmp_path, variant):
    got = run(*write_case(tmp_path, VARIANTS[variant]()))
    pd.testing.assert_frame_equal(tidy(got), EXPECTED)


def test_windows_1252_with_danish_letters(tmp_path):
    header = HEADER.replace("A samlet", "Spørgsmål å/æ")
    path, mapping = write_case(tmp_path, csv_text(header=header, sep=";"),
                               MAPPING.replace("A samlet:", "Spørgsmål å/æ:"), encoding="cp1252")
    assert b"\xf8" in path.read_bytes()  # really Windows-1252: ø is one byte
    pd.testing.assert_frame_equal(tidy(run(path, mapping)), EXPECTED)


def test_extra_labels_and_per_kind_labels(tmp_path):
    rows = ["101,Færdig,Høj grad,Ved ikke,X,1", "147,Delvist gennemført,Meget høj grad,Ikke besvaret,,2",
            "151,Færdig,Slet ikke,I mindre grad,-,3"]
    mapping = MAPPING.replace("ignore: [Starttid]", """ignore: [Starttid]
labels:
  likert: {Høj grad: 3, Meget høj grad: 4, Ikke besvaret: null}
  multiple_choice: {X: 1, "-": 0}
  status: {færdig: 2}""")
    got = run(*write_case(tmp_path, csv_text(rows), mapping))
    # As the base export, except that 147 left the tick blank and 151 wrote "-" (not ticked).
    drop = (EXPECTED["municipality"] == "147") & (EXPECTED["question"] == "org_a_stoette_x")
    expected = pd.concat([EXPECTED[~drop], pd.DataFrame([(2020, "151", "org_a_stoette_x", 0)],
                                                          columns=RESPONSE_COLUMNS)])
    pd.testing.assert_frame_equal(tidy(got), tidy(expected))


def test_a_tool_numbering_the_scale_differently_is_remapped(tmp_path):
    rows = ["101,2,2,5,1,x", "147,1,1,,0,x", "151,2,4,3,,x"]  # the tool's 1 = "I meget høj grad", 5 = "Ved ikke"
    mapping = MAPPING + 'labels:\n  likert: {"1": 4, "2": 3, "3": 2, "4": 1, "5": 8, "6": 9}\n'
    pd.testing.assert_frame_equal(tidy(run(*write_case(tmp_path, csv_text(rows), mapping))), EXPECTED)


def test_xlsx_with_numbers_blank_rows_and_a_leading_title_row(tmp_path):
    path = write_xlsx(tmp_path / "export.xlsx", [
        [None] * 6,
        XLSX_HEADER,
        [101, "Gennemført", "I høj grad", "ved ikke", 1, dt.datetime(2020, 10, 1)],
        [None] * 6,
        [147.0, 1, 4, None, 0.0, None],
        ["151", "Gennemført", " Slet ikke ", "I mindre grad", None, None],
    ])
    _, mapping = write_case(tmp_path, "", name="unused.csv")
    pd.testing.assert_frame_equal(tidy(run(path, mapping)), EXPECTED)
    path = write_xlsx(tmp_path / "bad.xlsx", [XLSX_HEADER, [101, 3, None, None, None, None], [None] * 6,
                                              [147, 2, 7, None, None, None]])
    assert [(p.row, p.column) for p in problems_of(path, mapping)] == [(2, "Status"), (4, "A samlet")]


def test_sav_keeps_codes_declared_user_missing(tmp_path):
    frame = pd.DataFrame({"Kommunekode": ["101", "147", "151"], "Status": [2.0, 1.0, 2.0],
                          "A_samlet": [3.0, 4.0, 1.0], "A_behov": [8.0, np.nan, 2.0],
                          "Ticks_X": [1.0, 0.0, np.nan]})
    pyreadstat.write_sav(frame, str(tmp_path / "export.sav"), missing_ranges={"A_behov": [8, 9]},
                         variable_value_labels={"A_behov": {8.0: "Ved ikke", 2.0: "I mindre grad"}})
    _, mapping_path = write_case(tmp_path, "", SAV_MAPPING, name="unused.csv")
    pd.testing.assert_frame_equal(tidy(run(tmp_path / "export.sav", mapping_path)), EXPECTED)


# ------------------------------------------------------------------------------------------ round trips
def real_codebook() -> pd.DataFrame:
    return load_codebook()


def real_register() -> pd.DataFrame:
    from municipal_survey.data.register import load_register

    return load_register()


def small_responses(codebook: pd.DataFrame, register: pd.DataFrame, seed: int = 7) -> pd.DataFrame:
    """Random but valid tidy responses for 12 municipalities, about one answer in six missing."""
    rng = np.random.default_rng(seed)
    rows = []
    for municipality in register["code"].iloc[:12]:
        for qid, kind in zip(codebook["question"], codebook["kind"]):
            if kind != "status" and rng.random() < 0.16:
                continue
            rows.append((2020, municipality, qid, int(rng.choice(sorted(VALID_CODES[kind])))))
    return pd.DataFrame(rows, columns=RESPONSE_COLUMNS)


@pytest.fixture(scope="module")
def real_data():
    codebook, register = real_codebook(), real_register()
    return codebook, register, small_responses(codebook, register)


ROUND_TRIPS = [("csv", "export.csv", "utf-8"), ("csv", "export.csv", "utf-8-sig"),
               ("csv-semicolon", "export.csv", "cp1252"), ("csv-semicolon", "export.csv", "utf-8"),
               ("xlsx", "export.xlsx", "utf-8"), ("sav", "export.sav", "utf-8")]


@pytest.mark.parametrize(("fmt", "name", "encoding"), ROUND_TRIPS)
def test_round_trip_through_every_format(tmp_path, real_data, fmt, name, encoding):
    codebook, register, responses = real_data
    mapping = export_wide(responses, codebook, tmp_path / name, fmt, encoding=encoding)
    assert mapping == tmp_path / "export_mapping.yml"
    got = import_export(tmp_path / name, mapping, codebook, register)
    pd.testing.assert_frame_equal(tidy(got), tidy(responses))


def test_round_trip_of_the_synthetic_dataset_is_byte_identical(tmp_path):
    if not paths.SYNTHETIC_RESPONSES.exists():
        pytest.skip("data/synthetic/responses.csv not generated yet")
    from municipal_survey.data.responses import load_responses

    codebook, register = real_codebook(), real_register()
    responses = load_responses(codebook=codebook, register=register)
    mapping = export_wide(responses, codebook, tmp_path / "export.sav", "sav")
    write_responses(import_export(tmp_path / "export.sav", mapping, codebook, register), tmp_path / "r.csv")
    assert (tmp_path / "r.csv").read_bytes() == paths.SYNTHETIC_RESPONSES.read_bytes()


def test_export_shape_and_mapping(tmp_path, real_data):
    codebook, _, responses = real_data
    export_wide(responses, codebook, tmp_path / "e.csv", "csv-semicolon")
    header = (tmp_path / "e.csv").read_text(encoding="utf-8").splitlines()[0].split(";")
    assert header == ["Kommunekode", *export_columns(codebook).values()]
    assert "wave: 2020" in (tmp_path / "e_mapping.yml").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="one wave per export"):
        export_wide(pd.concat([responses, responses.assign(wave=2022)]), codebook, tmp_path / "x.csv", "csv")
    with pytest.raises(ValueError, match="format must be one of"):
        export_wide(responses, codebook, tmp_path / "x.csv", "json")


# ------------------------------------------------------------------------------------------------- CLI
@pytest.fixture
def exported(tmp_path, real_data):
    codebook, _, responses = real_data
    mapping = export_wide(responses, codebook, tmp_path / "export.csv", "csv")
    return tmp_path / "export.csv", mapping, responses


def test_cli_validate_ok_and_problems(exported, capsys):
    path, mapping, responses = exported
    assert cli.main(["validate", str(path), "--mapping", str(mapping)]) == 0
    out = capsys.readouterr().out
    assert "OK - 12 municipalities" in out and f"{len(responses)} answers" in out
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = "999" + lines[3][3:]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert cli.main(["validate", str(path), "--mapping", str(mapping)]) == 2
    out = capsys.readouterr().out
    assert "1 problem(s)" in out and "row 4, column 'Kommunekode': got '999'" in out


def test_cli_import_writes_only_when_clean(exported, tmp_path, capsys):
    path, mapping, responses = exported
    output = tmp_path / "imported" / "responses.csv"
    assert cli.main(["import", str(path), "--mapping", str(mapping), "--output", str(output)]) == 0
    expected = tmp_path / "expected.csv"
    write_responses(responses, expected)
    assert output.read_bytes() == expected.read_bytes()
    capsys.readouterr()

    # A bad export: exit 2, the problem on stderr, the earlier import untouched, no stray files.
    before = output.read_bytes()
    path.write_text(path.read_text(encoding="utf-8").replace("I høj grad", "I hoej grad", 1), encoding="utf-8")
    assert cli.main(["import", str(path), "--mapping", str(mapping), "--output", str(output)]) == 2
    assert "expected a likert answer" in capsys.readouterr().err
    assert output.read_bytes() == before
    assert sorted(p.name for p in output.parent.iterdir()) == ["responses.csv", "responses.source.json"]
    fresh = tmp_path / "fresh" / "responses.csv"
    assert cli.main(["import", str(path), "--mapping", str(mapping), "--output", str(fresh)]) == 2
    assert not fresh.parent.exists()


def test_cli_export_fixture_round_trips(tmp_path, capsys):
    if not paths.SYNTHETIC_RESPONSES.exists():
        pytest.skip("data/synthetic/responses.csv not generated yet")
    assert cli.main(["export-fixture", "--format", "xlsx", "--output", str(tmp_path / "fx")]) == 0
    assert sorted(p.name for p in (tmp_path / "fx").iterdir()) == ["export.xlsx", "mapping.yml"]
    output = tmp_path / "imported.csv"
    fixture = tmp_path / "fx"
    assert cli.main(["import", str(fixture / "export.xlsx"), "--mapping", str(fixture / "mapping.yml"),
                     "--output", str(output)]) == 0
    assert output.read_bytes() == paths.SYNTHETIC_RESPONSES.read_bytes()


# ------------------------------------------------------------------ an export from tidy responses


SMALL = pd.DataFrame(
    [
        (2020, "101", "meta_status", 2),
        (2020, "101", "org_a_samlet", 4),
        (2020, "101", "org_a_stoette_x", 1),
        (2020, "147", "meta_status", 1),
        (2020, "147", "org_a_samlet", 8),
        (2020, "147", "org_a_stoette_x", 0),
    ],
    columns=["wave", "municipality", "question", "answer"],
)


def test_export_columns_follow_the_questionnaire_order():
    from municipal_survey.data.importers import export_columns

    ordered = CODEBOOK.sort_values(["order", "question"])["question"].tolist()
    assert export_columns(CODEBOOK) == {q: f"spm{i:03d}" for i, q in enumerate(ordered, start=1)}


@pytest.mark.parametrize("fmt, sep", [("csv", ","), ("csv-semicolon", ";")])
def test_a_csv_export_writes_labels_ticks_and_blanks(tmp_path, fmt, sep):
    from municipal_survey.data.importers import export_columns, export_wide

    mapping_path = export_wide(SMALL, CODEBOOK, tmp_path / "e.csv", fmt)
    names = export_columns(CODEBOOK)
    lines = (tmp_path / "e.csv").read_bytes().decode("utf-8").split("\r\n")
    assert lines[0].split(sep) == ["Kommunekode", *names.values()] and lines[-1] == ""
    rows = {line.split(sep)[0]: dict(zip(lines[0].split(sep), line.split(sep))) for line in lines[1:-1]}
    assert list(rows) == ["101", "147"]
    assert (
        rows["101"][names["meta_status"]] == "Gennemført"
        and rows["147"][names["meta_status"]] == "Delvist gennemført"
    )
    assert (
        rows["101"][names["org_a_samlet"]] == "I meget høj grad"
        and rows["147"][names["org_a_samlet"]] == "Ved ikke"
    )
    assert (rows["101"][names["org_a_stoette_x"]], rows["147"][names["org_a_stoette_x"]]) == ("1", "0")
    assert rows["101"][names["org_b_samlet"]] == ""  # nobody answered: a blank cell
    assert mapping_path == tmp_path / "e_mapping.yml"
    text = mapping_path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# Mapping of the export e.csv to the codebook (written by municipal_survey)."
    mapping, found = load_mapping(mapping_path, CODEBOOK)
    assert found == [] and mapping.wave == 2020 and mapping.municipality_column == "Kommunekode"
    assert mapping.columns == {name: qid for qid, name in names.items()}


def test_an_export_in_cp1252_and_a_mapping_path_of_its_own(tmp_path):
    from municipal_survey.data.importers import export_wide

    mapping_path = export_wide(
        SMALL, CODEBOOK, tmp_path / "sub" / "e.csv", "csv", tmp_path / "m" / "map.yml", encoding="cp1252"
    )
    assert mapping_path == tmp_path / "m" / "map.yml" and mapping_path.exists()
    assert "Gennemført".encode("cp1252") in (tmp_path / "sub" / "e.csv").read_bytes()


def test_xlsx_and_sav_exports_hold_labels_and_codes(tmp_path):
    import pyreadstat

    from municipal_survey.data.importers import export_columns, export_wide

    names = export_columns(CODEBOOK)
    export_wide(SMALL, CODEBOOK, tmp_path / "e.xlsx", "xlsx")
    sheet = pd.read_excel(tmp_path / "e.xlsx", sheet_name="Besvarelser", dtype=object)
    assert sheet["Kommunekode"].tolist() == [101, 147]
    assert sheet[names["org_a_samlet"]].tolist() == ["I meget høj grad", "Ved ikke"]
    assert sheet[names["org_a_stoette_x"]].tolist() == [1, 0]
    export_wide(SMALL, CODEBOOK, tmp_path / "e.sav", "sav")
    frame, meta = pyreadstat.read_sav(str(tmp_path / "e.sav"))
    assert frame["Kommunekode"].tolist() == ["101", "147"]
    assert frame[names["org_a_samlet"]].tolist() == [4.0, 8.0]
    assert meta.column_names_to_labels["Kommunekode"] == "Kommunekode"
    assert meta.variable_value_labels[names["org_a_samlet"]] == {
        4.0: "I meget høj grad",
        3.0: "I høj grad",
        2.0: "I mindre grad",
        1.0: "Slet ikke",
        8.0: "Ved ikke",
        9.0: "Ikke relevant",
    }
    assert meta.variable_value_labels[names["meta_status"]] == {1.0: "Delvist gennemført", 2.0: "Gennemført"}
    text = CODEBOOK.set_index("question")["text_da"]
    assert meta.column_names_to_labels[names["org_a_samlet"]] == text["org_a_samlet"]


def test_export_wide_refuses_other_formats_and_several_waves(tmp_path):
    from municipal_survey.data.importers import export_wide

    with pytest.raises(ValueError) as info:
        export_wide(SMALL, CODEBOOK, tmp_path / "e.json", "json")
    assert str(info.value) == "format must be one of ('csv', 'csv-semicolon', 'xlsx', 'sav'), got 'json'"
    with pytest.raises(ValueError) as info:
        export_wide(pd.concat([SMALL, SMALL.assign(wave=2022)]), CODEBOOK, tmp_path / "e.csv", "csv")
    assert str(info.value) == "one wave per export, got [2020, 2022]"
    assert not (tmp_path / "e.csv").exists()


def test_export_and_mapping_into_new_nested_folders_in_utf8_with_keys_in_order(tmp_path, monkeypatch):
    import hashlib
    import io
    import json

    from municipal_survey.data.importers import export_columns, export_wide, source_of, source_path

    monkeypatch.setattr(io, "text_encoding", lambda encoding, stacklevel=2: encoding or "cp1252")
    one_blank = pd.concat([SMALL, pd.DataFrame([(2020, "151", "meta_status", 2)], columns=SMALL.columns)])
    export = tmp_path / "a" / "b" / "svar_æ.csv"
    mapping_path = export_wide(one_blank, CODEBOOK, export, "csv", tmp_path / "c" / "d" / "m.yml")
    lines = mapping_path.read_bytes().decode("utf-8").splitlines()
    assert lines[0] == "# Mapping of the export svar_æ.csv to the codebook (written by municipal_survey)."
    assert [line.split(":")[0] for line in lines[1:] if not line.startswith(" ")] == [
        "municipality_column",
        "wave",
        "columns",
    ]
    names = export_columns(CODEBOOK)
    rows = [line.split(",") for line in export.read_text(encoding="utf-8").splitlines()]
    column = rows[0].index(names["org_a_stoette_x"])
    assert [row[column] for row in rows[1:]] == ["1", "0", ""]  # whole numbers, not 1.0, beside a blank
    responses = tmp_path / "responses.csv"
    responses.write_text("x\n", encoding="utf-8")
    digest = hashlib.sha256(b"x\n").hexdigest()
    record = json.dumps({"export": "svar_æ.csv", "responses_sha256": digest}, ensure_ascii=False)
    source_path(responses).write_bytes(record.encode("utf-8"))
    assert source_of(responses)["export"] == "svar_æ.csv"


def test_an_xlsx_export_has_no_index_column(tmp_path):
    from municipal_survey.data.importers import export_columns, export_wide

    export_wide(SMALL, CODEBOOK, tmp_path / "e.xlsx", "xlsx")
    sheet = pd.read_excel(tmp_path / "e.xlsx", sheet_name="Besvarelser", dtype=object)
    assert list(sheet.columns) == ["Kommunekode", *export_columns(CODEBOOK).values()]


def test_the_source_record_belongs_to_one_version_of_the_responses(tmp_path):
    import hashlib
    import json

    from municipal_survey.data.importers import ImportReport, source_of, source_path, source_record

    responses = tmp_path / "responses.csv"
    responses.write_text("wave,municipality,question,answer\n", encoding="utf-8")
    assert source_path(responses) == tmp_path / "responses.source.json"
    assert source_of(responses) is None  # no record
    digest = hashlib.sha256(responses.read_bytes()).hexdigest()
    report = ImportReport(None, [], export="eksport æ.csv", sha256="ab" * 32)
    record = source_record(report, tmp_path / "dir" / "map.yml", digest)
    assert json.loads(record) == {
        "export": "eksport æ.csv",
        "export_sha256": "ab" * 32,
        "mapping": "map.yml",
        "responses_sha256": digest,
    }
    assert "eksport æ.csv" in record and record.endswith("}\n") and '\n "export"' in record
    source_path(responses).write_text(record, encoding="utf-8")
    assert source_of(responses) == json.loads(record)
    responses.write_text("wave,municipality,question,answer\n2020,101,meta_status,2\n", encoding="utf-8")
    assert source_of(responses) is None  # the record belongs to the earlier file
    for broken in ("{not json", "[1, 2]"):
        source_path(responses).write_text(broken, encoding="utf-8")
        assert source_of(responses) is None


# ----------------------------------------------------------------------- inspect_export's report


def write_export(tmp_path, header: str, rows: list[str], mapping: str, name: str = "e.csv"):
    path = tmp_path / name
    path.write_text("\r\n".join([header, *rows]) + "\r\n", encoding="utf-8")
    (tmp_path / "m.yml").write_text(mapping, encoding="utf-8")
    return path, tmp_path / "m.yml"


def inspect(path, mapping_path):
    from municipal_survey.data.importers import inspect_export

    register = pd.DataFrame({"code": ["101", "147", "151"], "name": ["København", "Frederiksberg", "Ballerup"]})
    return inspect_export(path, mapping_path, CODEBOOK, register)


def test_a_header_without_data_rows_is_one_structural_problem(tmp_path):
    report = inspect(*write_export(tmp_path, "Kommunekode,Status,A samlet", [], BASE))
    assert [(p.row, p.value, p.expected, p.structural) for p in report.problems] == [
        (None, "no data rows", "one row per municipality below the header", True)
    ]
    assert report.responses is None and report.sha256 != ""


def test_without_a_usable_mapping_only_the_file_is_checked(tmp_path):
    path, mapping_path = write_export(
        tmp_path, "Kommunekode,Status,,A samlet", ["101,Gennemført,x,I høj grad"], "wave: 2020\n"
    )
    report = inspect(path, mapping_path)
    assert [(p.file, p.column, p.expected) for p in report.problems] == [
        (str(path), "column C", "a column name in the header (the column holds answers)"),
        (str(mapping_path), "municipality_column", "this key (see the importers module docs)"),
        (str(mapping_path), "columns", "this key (see the importers module docs)"),
    ]
    assert report.responses is None and report.export == "e.csv"


def test_problems_are_sorted_by_row_then_by_the_column_s_place_in_the_file(tmp_path):
    header = "A samlet,Kommunekode,Status"
    rows = ["Måske,101,Færdig", "I høj grad,147,Gennemført", "7,999,Nej"]
    report = inspect(*write_export(tmp_path, header, rows, BASE))
    assert [(p.row, p.column) for p in report.problems] == [
        (2, "A samlet"),
        (2, "Status"),
        (4, "A samlet"),
        (4, "Kommunekode"),
        (4, "Status"),
    ]
    assert [p.value for p in report.problems] == ["Måske", "Færdig", "7", "999", "Nej"]


def test_a_missing_answered_with_column_is_named_on_its_mapping_line(tmp_path):
    mapping = BASE + TICKS + "not_ticked_blank:\n  - {columns: [X, Y], answered_with: Nope}\n"
    report = inspect(*write_export(tmp_path, "Kommunekode,Status,A samlet,X,Y", ["101,Gennemført,,1,"], mapping))
    assert [(p.file, p.row, p.unit, p.column, p.value, p.expected) for p in report.problems] == [
        (str(tmp_path / "m.yml"), 9, "line", "answered_with", "Nope", f"a column of {tmp_path / 'e.csv'}")
    ]


def test_a_missing_mapped_or_municipality_column_is_named(tmp_path):
    report = inspect(*write_export(tmp_path, "Kommune,Status", ["101,Gennemført"], BASE))
    assert [(p.file, p.row, p.column, p.value, p.expected, p.structural) for p in report.problems] == [
        (
            str(tmp_path / "e.csv"),
            1,
            "Kommunekode",
            None,
            f"the municipality column named by municipality_column in {tmp_path / 'm.yml'}",
            True,
        ),
        (
            str(tmp_path / "e.csv"),
            1,
            "Kommune",
            "Kommune",
            f"a column named under columns or ignore in {tmp_path / 'm.yml'} (or ignore_unmapped: true)",
            False,
        ),
        (str(tmp_path / "m.yml"), 5, "columns", "A samlet", f"a column of {tmp_path / 'e.csv'}", False),
    ]


def test_a_blank_municipality_in_a_row_with_answers(tmp_path):
    report = inspect(*write_export(tmp_path, "Kommunekode,Status,A samlet", [",Gennemført,", "147,,"], BASE))
    assert [(p.row, p.column, p.value, p.expected) for p in report.problems] == [
        (2, "Kommunekode", None, "a kommunekode (the cell is blank but the row holds answers)")
    ]


def test_a_clean_export_gives_sorted_tidy_responses_and_its_sha256(tmp_path):
    import hashlib

    path, mapping_path = write_export(
        tmp_path, "Kommunekode,A samlet,Status", ["147,Ved ikke,", "101,I høj grad,Gennemført"], BASE
    )
    report = inspect(path, mapping_path)
    assert report.problems == [] and report.ignored == []
    assert report.responses.values.tolist() == [
        [2020, "101", "meta_status", 2],
        [2020, "101", "org_a_samlet", 3],
        [2020, "147", "org_a_samlet", 8],
    ]
    assert report.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_whole_number_in_a_workbook_column_with_blanks_is_shown_as_written(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    for row in [["Kommunekode", "A samlet"], [101, 7], [147, None], [151, 3]]:
        book.active.append(row)
    book.save(tmp_path / "e.xlsx")
    (tmp_path / "m.yml").write_text(BASE.replace("  Status: meta_status\n", ""), encoding="utf-8")
    [problem] = inspect(tmp_path / "e.xlsx", tmp_path / "m.yml").problems
    assert (problem.row, problem.column, problem.value) == (2, "A samlet", 7)
    assert str(problem).startswith(f"{tmp_path / 'e.xlsx'}, row 2, column 'A samlet': got 7, expected")
