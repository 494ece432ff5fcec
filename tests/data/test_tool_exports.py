"""Exports as survey tools really write them: short rows, Unicode forms, title rows, two-row headers,
municipality names, blank-means-not-ticked, multi-select columns, ignored metadata, per-column labels;
problems ordered and collapsed so the cause comes first; round trips through every shape."""
from __future__ import annotations

import datetime as dt
import shutil
import unicodedata
from pathlib import Path

import book_extension
import export_shapes
import openpyxl
import pandas as pd
import pyreadstat
import pytest
import yaml
from hand_made_export import (
    CODEBOOK,
    EXPECTED,
    HEADER,
    MAPPING,
    REGISTER,
    ROWS,
    csv_text,
    problems_of,
    run,
    tidy,
    write_case,
)

from municipal_survey import cli
from municipal_survey.data import paths
from municipal_survey.data.errors import Problem, summary_lines
from municipal_survey.data.importers import (
    Municipalities,
    inspect_export,
    municipality_key,
    source_of,
    source_path,
)
from municipal_survey.data.responses import RESPONSE_COLUMNS

# Whole round trips (data regenerated, exports written and imported): the scratch line of make test,
# not make check.
pytestmark = [pytest.mark.book, pytest.mark.scratch]

NAMES_REGISTER = pd.DataFrame({
    "code": ["101", "147", "151", "169", "173", "400", "580", "751"],
    "name": ["København", "Frederiksberg", "Ballerup", "Høje-Taastrup", "Lyngby-Taarbæk", "Bornholm",
             "Aabenraa", "Aarhus"]})


# ------------------------------------------------------------------------------------------ short rows
def test_a_short_row_is_an_error_naming_the_row_and_its_field_count(tmp_path):
    rows = [ROWS[0], "147,Delvist gennemført,I meget høj grad", ROWS[2]]  # cut after three fields
    problems = problems_of(*write_case(tmp_path, csv_text(rows)))
    assert [(p.row, p.value, p.structural) for p in problems] == [(3, "3 fields", True)]
    assert problems[0].expected.startswith("6 fields as in the header (row 1)")


def test_a_file_cut_off_in_its_last_row_is_an_error_even_when_short_rows_are_padded(tmp_path):
    text = csv_text().rstrip("\r\n")
    text = text[:text.rindex("I mindre grad")]  # cut inside the last row, no line break after it
    mapping = MAPPING + "pad_short_rows: true\n"
    problems = problems_of(*write_case(tmp_path, text, mapping))
    assert [(p.row, p.value) for p in problems] == [(4, "4 fields")]
    assert "the export was cut off" in problems[0].expected


def test_a_tool_that_drops_empty_trailing_fields_is_read_with_pad_short_rows(tmp_path):
    # The last two fields of row 3 (Ticks X = 0 kept; Starttid blank) and of row 4 are empty and dropped.
    rows = [ROWS[0], "147,Delvist gennemført,I meget høj grad,,0", "151,Gennemført,Slet ikke,I mindre grad"]
    path, mapping = write_case(tmp_path, csv_text(rows), MAPPING + "pad_short_rows: true\n")
    pd.testing.assert_frame_equal(tidy(run(path, mapping)), EXPECTED)
    path, mapping = write_case(tmp_path, csv_text(rows))
    assert [(p.row, p.value) for p in problems_of(path, mapping)] == [(3, "5 fields"), (4, "4 fields")]


def test_danish_excel_rows_padded_with_semicolons_in_windows_1252_are_well_formed(tmp_path):
    text = csv_text(sep=";").replace("147;Delvist gennemført;I meget høj grad;;0;2020-10-02",
                                     "147;Delvist gennemført;I meget høj grad;;0;")
    path, mapping = write_case(tmp_path, text, encoding="cp1252")
    assert b";;0;\r\n" in path.read_bytes() and b"\xf8" in path.read_bytes()
    pd.testing.assert_frame_equal(tidy(run(path, mapping)), EXPECTED)


# ------------------------------------------------------------------------------- names and Unicode forms
def test_decomposed_letters_in_the_header_match_the_mapping(tmp_path):
    header = HEADER.replace("A samlet", unicodedata.normalize("NFD", "Spørgsmål å"))
    mapping = MAPPING.replace("A samlet:", "Spørgsmål å:")
    assert unicodedata.normalize("NFD", "å") in header and "å" in mapping
    pd.testing.assert_frame_equal(tidy(run(*write_case(tmp_path, csv_text(header=header), mapping))), EXPECTED)


def test_names_that_differ_in_case_and_spacing_match_when_unambiguous(tmp_path):
    header = HEADER.replace("A samlet", " a  SAMLET ").replace("Kommunekode", "KOMMUNEKODE")
    pd.testing.assert_frame_equal(tidy(run(*write_case(tmp_path, csv_text(header=header)))), EXPECTED)
    # Two header names spelled alike: nothing is guessed, both are reported, and the mapping's name too.
    header = HEADER.replace("A samlet", "a samlet").replace("Starttid", "A SAMLET")
    path, mapping = write_case(tmp_path, csv_text(header=header))
    problems = problems_of(path, mapping)
    assert [(Path(p.file).name, p.row, p.column, p.value) for p in problems] == [
        ("export.csv", 1, "a samlet", "a samlet"), ("export.csv", 1, "A SAMLET", "A SAMLET"),
        ("mapping.yml", 5, "columns", "A samlet")]


# ------------------------------------------------------------------- problems: the cause first, collapsed
def test_a_title_row_above_the_header_is_named_first_with_the_fix(tmp_path):
    text = "Kommuneundersøgelsen 2020\r\n\r\n" + csv_text()
    problems = problems_of(*write_case(tmp_path, text))
    first = problems[0]
    assert (first.row, first.structural) == (1, True)
    assert "set header_row: 3 in the mapping" in first.expected
    lines = summary_lines(problems)
    assert lines[0].endswith("set header_row: 3 in the mapping") and len(lines) < len(problems)


def test_the_header_row_key_reads_below_title_rows(tmp_path):
    text = "Kommuneundersøgelsen 2020\r\n\r\n" + csv_text()
    pd.testing.assert_frame_equal(tidy(run(*write_case(tmp_path, text, MAPPING + "header_row: 3\n"))), EXPECTED)


def test_identical_problems_collapse_into_one_line_with_count_and_rows():
    problems = [Problem("e.csv", row, "A", "5", "a code on the likert scale") for row in (9, 3, 5)]
    problems += [Problem("m.yml", 4, "columns", "x", "a column of e.csv", unit="line"),
                 Problem("e.csv", 1, None, "3 fields", "6 fields", structural=True)]
    assert summary_lines(problems) == [
        "e.csv, row 1: got '3 fields', expected 6 fields",
        "e.csv, rows 3, 5, 9, column 'A': 3 times: got '5', expected a code on the likert scale",
        "m.yml, line 4, column 'columns': got 'x', expected a column of e.csv",
    ]


def test_problems_in_one_row_across_columns_collapse_into_one_line():
    problems = [Problem("e.csv", 1, name, name, "a unique column name") for name in ("A", "B")]
    assert summary_lines(problems) == ["e.csv, row 1, columns 'A', 'B': 2 times: got 'A', 'B', "
                                       "expected a unique column name"]


def test_mapping_problems_are_located_by_line(tmp_path):
    path, mapping = write_case(tmp_path, csv_text(), MAPPING.replace("A samlet: org_a_samlet", "A samlet: nix"))
    problem = problems_of(path, mapping)[0]
    assert str(problem).startswith(f"{mapping}, line 5, column 'columns': got 'nix'")


def test_spss_problems_name_the_case_and_its_kommunekode(tmp_path):
    frame = pd.DataFrame({"Kommunekode": [101.0, 147.0, 151.0], "A_samlet": [3.0, 2.5, 7.0]})
    pyreadstat.write_sav(frame, str(tmp_path / "e.sav"))
    mapping = "municipality_column: Kommunekode\nwave: 2020\ncolumns:\n  A_samlet: org_a_samlet\n"
    _, mapping_path = write_case(tmp_path, "", mapping, name="unused.csv")
    problems = problems_of(tmp_path / "e.sav", mapping_path)
    assert [str(p).split(": got")[0] for p in problems] == [
        f"{tmp_path / 'e.sav'}, case 2 (kommunekode 147), column 'A_samlet'",
        f"{tmp_path / 'e.sav'}, case 3 (kommunekode 151), column 'A_samlet'"]
    assert [p.value for p in problems] == [2.5, 7.0]


# ------------------------------------------------------------------------------- municipalities by name
@pytest.mark.parametrize(("spelling", "code"), [
    ("København", "101"), ("Københavns Kommune", "101"), ("KØBENHAVNS KOMMUNE", "101"),
    ("Høje-Taastrup", "169"), ("Høje Taastrup", "169"), ("Høje-Tåstrup Kommune", "169"),
    ("Aabenraa", "580"), ("Åbenrå", "580"), ("Aabenraa Kommune", "580"), ("Bornholm", "400"),
    ("Bornholms Regionskommune", "400"), ("Lyngby-Taarbæk", "173"), ("Lyngby-Tårbæk Kommune", "173"),
    ("Århus", "751"), ("Aarhus Kommune", "751"), (unicodedata.normalize("NFD", "Åbenrå"), "580"),
    ("Frederiksberg\u00a0Kommune", "147"),
])
def test_municipality_names_as_people_write_them(spelling, code):
    assert Municipalities.build(NAMES_REGISTER, "name").code(spelling) == code


def test_unknown_or_ambiguous_municipality_names_list_the_nearest_register_names():
    municipalities = Municipalities.build(NAMES_REGISTER, "name")
    assert municipalities.code("Høje-Tastrup") is None
    assert municipalities.expected("Høje-Tastrup") == \
        "a municipality's name in the register (nearest: Høje-Taastrup)"
    assert municipalities.expected("Xyz") == "a municipality's name in the register (no register name is close)"
    extra = pd.DataFrame({"code": ["999"], "name": ["Høje Taastrup"]})
    doubled = Municipalities.build(pd.concat([NAMES_REGISTER, extra]), "name")
    assert doubled.code("Høje Taastrup") is None
    assert doubled.expected("Høje Taastrup") == "one municipality (the name fits Høje-Taastrup, Høje Taastrup)"
    assert municipality_key("Københavns Kommune") == "københavns"


def test_an_export_with_municipality_names(tmp_path):
    rows = [r.replace("101,", "Københavns Kommune,", 1).replace("147,", "frederiksberg,", 1)
            .replace("151,", "Ballerup Kommune,", 1) for r in ROWS]
    mapping = MAPPING + "municipality_by: name\n"
    register = NAMES_REGISTER
    got = inspect_export(*write_case(tmp_path, csv_text(rows)), CODEBOOK, register)
    assert [p.expected for p in got.problems] == ["a kommunekode: a whole number of up to 3 digits, e.g. 101"] * 3
    got = inspect_export(*write_case(tmp_path, csv_text(rows), mapping), CODEBOOK, register)
    pd.testing.assert_frame_equal(tidy(got.responses), EXPECTED)
    rows[1] = rows[1].replace("frederiksberg", "Frederiksbjerg")
    rows[2] = rows[2].replace("Ballerup Kommune", "101")
    got = inspect_export(*write_case(tmp_path, csv_text(rows), mapping), CODEBOOK, register)
    assert [(p.row, p.value, p.expected) for p in got.problems] == [
        (3, "Frederiksbjerg", "a municipality's name in the register (nearest: Frederiksberg)"),
        (4, "101", "a municipality's name, e.g. København (municipality_by: name in the mapping)")]


# ---------------------------------------------------------------------------- multiple choice and labels
TICKS_HEADER = "Kommunekode,A behov,Ticks X,Ticks Y"
TICKS_MAPPING = """\
municipality_column: Kommunekode
wave: 2020
columns: {A behov: org_a_behov, Ticks X: org_a_stoette_x, Ticks Y: org_a_stoette_y}
"""


def ticks(rows: list[tuple]) -> pd.DataFrame:
    return tidy(pd.DataFrame([(2020, m, q, a) for m, q, a in rows], columns=RESPONSE_COLUMNS))


def test_blank_means_not_ticked_per_question(tmp_path):
    rows = ["101,Ved ikke,X,1", "147,,,x", "151,Slet ikke,1,"]
    mapping = TICKS_MAPPING + ("not_ticked_blank:\n  - {columns: [Ticks X], all_blank: not_ticked}\n"
                               "  - {columns: [Ticks Y], all_blank: not_ticked}\n")
    got = run(*write_case(tmp_path, csv_text(rows, TICKS_HEADER), mapping))
    pd.testing.assert_frame_equal(tidy(got), ticks([
        ("101", "org_a_behov", 8), ("101", "org_a_stoette_x", 1), ("101", "org_a_stoette_y", 1),
        ("147", "org_a_stoette_x", 0), ("147", "org_a_stoette_y", 1),
        ("151", "org_a_behov", 1), ("151", "org_a_stoette_x", 1), ("151", "org_a_stoette_y", 0)]))
    # Without the key a blank is unanswered and X is not a code.
    problems = problems_of(*write_case(tmp_path, csv_text(rows, TICKS_HEADER), TICKS_MAPPING))
    assert [(p.row, p.column, p.value) for p in problems] == [(2, "Ticks X", "X"), (3, "Ticks Y", "x")]


def test_blank_means_not_ticked_per_block_only_where_the_question_was_reached(tmp_path):
    rows = ["101,Ved ikke,X,", "147,,,", "151,Slet ikke,,"]   # 147 stopped before the question
    mapping = TICKS_MAPPING + ("not_ticked_blank:\n  - columns: [Ticks X, Ticks Y]\n"
                               "    answered_with: A behov\n")
    got = run(*write_case(tmp_path, csv_text(rows, TICKS_HEADER), mapping))
    pd.testing.assert_frame_equal(tidy(got), ticks([
        ("101", "org_a_behov", 8), ("101", "org_a_stoette_x", 1), ("101", "org_a_stoette_y", 0),
        ("151", "org_a_behov", 1), ("151", "org_a_stoette_x", 0), ("151", "org_a_stoette_y", 0)]))
    problems = problems_of(*write_case(tmp_path, csv_text(["101,Ved ikke,ja,"], TICKS_HEADER), mapping))
    assert [(p.row, p.column, p.value) for p in problems] == [(2, "Ticks X", "ja")]
    assert problems[0].expected == ("1 or X (ticked), 0 or blank (not ticked) for the multiple-choice question "
                                    "org_a_stoette_x")


def test_not_ticked_blank_names_only_multiple_choice_columns(tmp_path):
    mapping = TICKS_MAPPING + "not_ticked_blank: [A behov]\n"
    problems = problems_of(*write_case(tmp_path, csv_text(["101,Ved ikke,1,0"], TICKS_HEADER), mapping))
    assert [(Path(p.file).name, p.row, p.value) for p in problems] == [("mapping.yml", 4, "A behov")]


MULTI_MAPPING = """\
municipality_column: Kommunekode
wave: 2020
columns: {A behov: org_a_behov}
multi_select:
  Støtte:
    options: {Kompetenceudvikling: org_a_stoette_x, Netværk: org_a_stoette_y}
    answered_with: A behov
"""


def test_a_multi_select_column_is_split_into_one_answer_per_option(tmp_path):
    rows = ['101,Ved ikke,"Kompetenceudvikling;Netværk;"', "147,,", "151,Slet ikke,netværk ;", "153,I høj grad,"]
    register = pd.DataFrame({"code": ["101", "147", "151", "153"], "name": ["a", "b", "c", "d"]})
    path, mapping = write_case(tmp_path, csv_text(rows, "Kommunekode,A behov,Støtte"), MULTI_MAPPING)
    got = import_with(path, mapping, register)
    pd.testing.assert_frame_equal(tidy(got), ticks([
        ("101", "org_a_behov", 8), ("101", "org_a_stoette_x", 1), ("101", "org_a_stoette_y", 1),
        ("151", "org_a_behov", 1), ("151", "org_a_stoette_x", 0), ("151", "org_a_stoette_y", 1),
        ("153", "org_a_behov", 3), ("153", "org_a_stoette_x", 0), ("153", "org_a_stoette_y", 0)]))
    rows[0] = '101,Ved ikke,"Kompetenceudvikling;Supervision"'
    path, mapping = write_case(tmp_path, csv_text(rows, "Kommunekode,A behov,Støtte"), MULTI_MAPPING)
    report = inspect_export(path, mapping, CODEBOOK, register)
    assert [(p.row, p.column, p.expected) for p in report.problems] == [
        (2, "Støtte", "options separated by ';', each one of: Kompetenceudvikling, Netværk (not: supervision)")]


def import_with(path, mapping, register):
    report = inspect_export(path, mapping, CODEBOOK, register)
    assert report.problems == [], "\n".join(summary_lines(report.problems))
    return report.responses


def test_ignore_unmapped_lists_every_ignored_column(tmp_path):
    header = "Respondent,Kommunekode,E-mail,Status,A samlet,A behov,Ticks X,Starttid,Sluttid"
    rows = [f"{k},{r.split(',', 1)[0]},mail{k},{r.split(',', 1)[1]},slut" for k, r in enumerate(ROWS)]
    mapping = MAPPING.replace("ignore: [Starttid]", "ignore_unmapped: true")
    path, mapping_path = write_case(tmp_path, csv_text(rows, header), mapping)
    report = inspect_export(path, mapping_path, CODEBOOK, REGISTER)
    pd.testing.assert_frame_equal(tidy(report.responses), EXPECTED)
    assert report.ignored == ["Respondent", "E-mail", "Starttid", "Sluttid"]
    # Without the key, each unmapped column is a problem of its own.
    path, mapping_path = write_case(tmp_path, csv_text(rows, header), MAPPING)
    assert [p.column for p in problems_of(path, mapping_path)] == ["Respondent", "E-mail", "Sluttid"]


def test_labels_per_column(tmp_path):
    header = HEADER + ",Strategi"
    rows = [r + "," + v for r, v in zip(ROWS, ["Ja", "Nej", ""])]
    mapping = MAPPING.replace("  Ticks X:", "  Strategi: org_a_sub\n  Ticks X:") + \
        'column_labels:\n  Strategi: {"Ja": 4, "Nej": 1}\n'
    got = run(*write_case(tmp_path, csv_text(rows, header), mapping))
    extra = ticks([("101", "org_a_sub", 4), ("147", "org_a_sub", 1)])
    pd.testing.assert_frame_equal(tidy(got), tidy(pd.concat([EXPECTED, extra])))
    # The labels belong to that column only: "Ja" elsewhere is not an answer.
    rows[0] = rows[0].replace("I høj grad", "Ja")
    problems = problems_of(*write_case(tmp_path, csv_text(rows, header), mapping))
    assert [(p.row, p.column, p.value) for p in problems] == [(2, "A samlet", "Ja")]


@pytest.mark.parametrize(("labels", "line", "value"), [
    ("labels:\n  Meget høj grad: 5\n", 10, 5),
    ("labels:\n  likert: {Meget høj grad: 0}\n", 10, 0),
    ("labels:\n  multiple_choice: {X: 2}\n", 10, 2),
    ('column_labels:\n  A samlet: {"Ja": 7}\n', 10, 7),
])
def test_a_label_mapped_to_a_code_outside_the_scale_is_a_mapping_error(tmp_path, labels, line, value):
    problems = problems_of(*write_case(tmp_path, csv_text(), MAPPING + labels))
    assert [(Path(p.file).name, p.row, p.value) for p in problems] == [("mapping.yml", line, value)]
    assert problems[0].expected.startswith("an answer code of the")


# ------------------------------------------------------------------------- workbooks and two-row headers
def test_xlsx_with_title_rows_and_the_data_sheet_not_first(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Om eksporten"
    book.active.append(["Eksporteret 1. november 2020"])
    sheet = book.create_sheet("Besvarelser")
    sheet.append(["Kommuneundersøgelsen 2020"])
    sheet.append(["Alle besvarelser"])
    sheet.append([])
    for line in [HEADER, *ROWS]:
        sheet.append([int(v) if v.isdigit() else (v or None) for v in line.split(",")])
    book.save(tmp_path / "e.xlsx")
    _, mapping = write_case(tmp_path, "", MAPPING + "sheet: Besvarelser\nheader_row: 4\n", name="unused.csv")
    pd.testing.assert_frame_equal(tidy(run(tmp_path / "e.xlsx", mapping)), EXPECTED)
    mapping.write_text(MAPPING + "sheet: Besvarelser\n", encoding="utf-8")
    problems = problems_of(tmp_path / "e.xlsx", mapping)
    assert problems[0].structural and "set header_row: 4 in the mapping" in problems[0].expected


def test_a_two_row_header_names_columns_question_and_option(tmp_path):
    first = "Respondent ID,Kommunekode,Status,A samlet,Hvilken støtte?,"
    second = ",,Response,Response,Kompetenceudvikling,Netværk"
    rows = ["1,101,Gennemført,I høj grad,Kompetenceudvikling,", "2,147,Delvist gennemført,,,Netværk"]
    mapping = """\
header_rows: 2
municipality_column: Kommunekode
wave: 2020
columns:
  Status | Response: meta_status
  A samlet | Response: org_a_samlet
  Hvilken støtte? | Kompetenceudvikling: org_a_stoette_x
  Hvilken støtte? | Netværk: org_a_stoette_y
column_labels:
  Hvilken støtte? | Kompetenceudvikling: {Kompetenceudvikling: 1}
  Hvilken støtte? | Netværk: {Netværk: 1}
not_ticked_blank:
  - columns: ["Hvilken støtte? | Kompetenceudvikling", "Hvilken støtte? | Netværk"]
ignore: [Respondent ID]
"""
    got = run(*write_case(tmp_path, "\ufeff" + "\r\n".join([first, second, *rows]) + "\r\n", mapping))
    pd.testing.assert_frame_equal(tidy(got), ticks([
        ("101", "meta_status", 2), ("101", "org_a_samlet", 3), ("101", "org_a_stoette_x", 1),
        ("101", "org_a_stoette_y", 0), ("147", "meta_status", 1), ("147", "org_a_stoette_x", 0),
        ("147", "org_a_stoette_y", 1)]))


# ----------------------------------------------------------------- numbers and header columns, exactly
def test_a_non_integer_number_from_xlsx_or_sav_is_not_rounded_into_an_answer(tmp_path):
    book = openpyxl.Workbook()
    for line in [HEADER, *ROWS]:
        book.active.append([int(v) if v.isdigit() else (v or None) for v in line.split(",")])
    book.active["C3"] = 2.5
    book.active["E2"] = 1.0000001
    book.save(tmp_path / "e.xlsx")
    _, mapping = write_case(tmp_path, "", name="unused.csv")
    problems = problems_of(tmp_path / "e.xlsx", mapping)
    assert [(p.row, p.column, p.value) for p in problems] == [(2, "Ticks X", 1.0000001), (3, "A samlet", 2.5)]
    frame = pd.DataFrame({"Kommunekode": [101.0, 147.0], "A_samlet": [2.5, 3.0], "Ticks_X": [1.0, 0.5]})
    pyreadstat.write_sav(frame, str(tmp_path / "e.sav"))
    mapping.write_text("municipality_column: Kommunekode\nwave: 2020\ncolumns:\n  A_samlet: org_a_samlet\n"
                       "  Ticks_X: org_a_stoette_x\n", encoding="utf-8")
    problems = problems_of(tmp_path / "e.sav", mapping)
    assert [(p.row, p.column, p.value) for p in problems] == [(1, "A_samlet", 2.5), (2, "Ticks_X", 0.5)]


@pytest.mark.parametrize("where", ["first", "middle", "last"])
@pytest.mark.parametrize("bad", ["nameless", "duplicated"])
def test_a_bad_header_column_anywhere_leaves_every_other_column_read(tmp_path, where, bad):
    header, rows = HEADER.split(","), [r.split(",") for r in ROWS]
    position = {"first": 0, "middle": 3, "last": len(header)}[where]
    header.insert(position, "" if bad == "nameless" else "Status")
    for row in rows:
        row.insert(position, "x")
    rows[2][-1 if where != "last" else -2] = "kl. 9"  # an ignored column: no problem
    rows[1][header.index("A behov", 1 if bad == "duplicated" and where == "first" else 0)] = "7"
    text = "\r\n".join(",".join(r) for r in [header, *rows]) + "\r\n"
    problems = problems_of(*write_case(tmp_path, text))
    letter = "ABCDEFG"[position]
    want = [(1, f"column {letter}" if bad == "nameless" else "Status", True), (3, "A behov", False)]
    assert [(p.row, p.column, p.structural) for p in problems] == want
    assert problems[1].value == "7"


def test_a_blank_municipality_column_in_the_mapping_is_reported(tmp_path):
    for value in ('""', "", "' '"):
        mapping = MAPPING.replace("municipality_column: Kommunekode", f"municipality_column: {value}")
        problems = problems_of(*write_case(tmp_path, csv_text(), mapping))
        assert [(p.row, p.column, p.unit) for p in problems] == [(1, "municipality_column", "line")]
        assert problems[0].expected.startswith("the name of the column holding the municipality")


# ------------------------------------------------------------------------------------------ round trips
@pytest.fixture(scope="module")
def synthetic():
    from municipal_survey.data.codebook import load_codebook
    from municipal_survey.data.register import load_register
    from municipal_survey.data.responses import load_responses

    codebook, register = load_codebook(), load_register()
    return codebook, register, load_responses(codebook=codebook, register=register)


@pytest.fixture(scope="module")
def exports(synthetic, tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """The synthetic responses written once in every tool's shape: shape -> (export, mapping). Tests
    only read them; a test that changes a mapping or needs the files elsewhere copies them (`copied`)."""
    codebook, register, responses = synthetic
    folder = tmp_path_factory.mktemp("exports")
    return {shape: export_shapes.write(shape, responses, codebook, register, folder / shape)
            for shape in export_shapes.SHAPES}


def copied(files: tuple[Path, Path], folder: Path) -> tuple[Path, Path]:
    """An export and its mapping copied into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    return tuple(Path(shutil.copy(f, folder)) for f in files)


@pytest.mark.parametrize("shape", export_shapes.SHAPES)
def test_every_tool_shape_round_trips_to_the_synthetic_responses(synthetic, exports, shape):
    codebook, register, responses = synthetic
    export, mapping = exports[shape]
    report = inspect_export(export, mapping, codebook, register)
    assert report.problems == [], "\n".join(summary_lines(report.problems)[:10])
    pd.testing.assert_frame_equal(tidy(report.responses), tidy(responses))


def test_the_shapes_are_what_the_tools_write(exports):
    xact, _ = exports["surveyxact"]
    data = xact.read_bytes()
    assert b"\r\n" in data and b";;" in data and "ø".encode("cp1252") in data
    assert b"Bornholms Regionskommune" in data
    monkey, _ = exports["surveymonkey"]
    lines = monkey.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("\ufeffRespondent ID") and lines[1].startswith(",,Response")
    forms, _ = exports["forms"]
    cells = [c for row in openpyxl.load_workbook(forms, read_only=True).active.iter_rows(values_only=True)
             for c in row]
    assert any(isinstance(c, str) and c.count(";") >= 2 and c.endswith(";") for c in cells)
    spss, _ = exports["spss"]
    _, meta = pyreadstat.read_sav(str(spss), user_missing=True)
    assert meta.missing_ranges["Q2"] and meta.variable_value_labels["Q2"][4.0] == "I meget høj grad"


# ------------------------------------------------------ blank means "not ticked": nothing invented
def support_blocks(codebook: pd.DataFrame) -> list[list[str]]:
    """The multiple-choice questions of each area, in questionnaire order (the support forms)."""
    ticks = codebook[codebook["kind"] == "multiple_choice"].sort_values("order")
    return [group["question"].tolist() for _, group in ticks.groupby("topic", sort=False)]


def without_answered_with(mapping: Path, all_blank: str | None = None) -> None:
    """The shape's mapping as a user writes it who does not know which column tells who reached a block."""
    body = yaml.safe_load(mapping.read_text(encoding="utf-8"))
    for block in body["not_ticked_blank"]:
        del block["answered_with"]
        if all_blank:
            block["all_blank"] = all_blank
    mapping.write_text(yaml.safe_dump(body, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_a_municipality_blank_in_a_whole_block_is_not_read_as_ticking_nothing(tmp_path, synthetic, exports,
                                                                              capsys):
    """SurveyXact writes a tick as X and everything else blank; without answered_with a municipality that
    stopped before a block of support forms would get "not ticked" for all of them."""
    codebook, register, responses = synthetic
    export, mapping = copied(exports["surveyxact"], tmp_path)
    without_answered_with(mapping)
    rows = {m: k for k, m in enumerate(sorted(responses["municipality"].unique()), start=2)}
    answered = responses.groupby("municipality")["question"].agg(set)
    ticked = responses[responses["answer"] == 1].groupby("municipality")["question"].agg(set)
    blocks = support_blocks(codebook)
    invented = sum(len(block) * sum(not answered[m] & set(block) for m in rows) for block in blocks)
    assert invented > 500  # what the import made up before it asked
    # Blank in the whole block: never reached it, or reached it and ticked nothing; the file cannot tell.
    blank = [sorted(rows[m] for m in rows if not ticked.get(m, set()) & set(block)) for block in blocks]

    report = inspect_export(export, mapping, codebook, register)
    assert report.responses is None
    assert [p.row for p in report.problems] == sorted(r for block in blank for r in block)
    lines = summary_lines(report.problems)
    assert len(lines) == sum(1 for r in blank if r)  # one line per block, naming its rows
    assert all("not_ticked_blank block on line" in line and "all_blank: unanswered" in line for line in lines)
    output = tmp_path / "imported" / "responses.csv"
    assert cli.main(["import", str(export), "--mapping", str(mapping), "--output", str(output)]) == 2
    assert "Traceback" not in capsys.readouterr().err and not output.parent.exists()


def test_validate_counts_the_answers_read_from_blank_cells_per_block(synthetic, exports, capsys):
    codebook, register, responses = synthetic
    export, mapping = exports["surveyxact"]
    assert cli.main(["validate", str(export), "--mapping", str(mapping)]) == 0
    out = capsys.readouterr().out
    municipalities = set(responses["municipality"])
    for block in support_blocks(codebook):
        answers = responses[responses["question"].isin(block)]
        zeros = answers[answers["answer"] == 0]  # SurveyXact leaves "not ticked" blank
        unreached = len(municipalities - set(answers["municipality"]))
        line = f"{len(zeros)} answers 'not ticked' read from blank cells ({zeros['municipality'].nunique()} " \
               f"municipalities); {unreached} municipalities blank in the whole block had not reached it"
        assert f"'{export_shapes_column(codebook, block[-1])}', {len(block)} columns) of surveyxact.yml: " \
               f"{line}" in out, line


def export_shapes_column(codebook: pd.DataFrame, qid: str) -> str:
    """The SurveyXact shape's column of a question: s_<position in the questionnaire>."""
    ordered = codebook.sort_values(["order", "question"])["question"].tolist()
    return f"s_{ordered.index(qid) + 1}"


@pytest.mark.parametrize("all_blank", ["unanswered", "not_ticked"])
def test_all_blank_says_what_a_municipality_blank_in_a_whole_block_answered(tmp_path, synthetic, exports,
                                                                            all_blank):
    codebook, register, responses = synthetic
    export, mapping = copied(exports["surveyxact"], tmp_path)
    without_answered_with(mapping, all_blank)
    expected = []
    for block in support_blocks(codebook):
        answers = responses[responses["question"].isin(block)]
        ticked = set(answers.loc[answers["answer"] == 1, "municipality"])
        if all_blank == "unanswered":  # a block without a tick gives no answers, even if it was reached
            expected.append(answers[answers["municipality"].isin(ticked)])
        else:  # every municipality saw every block: blank is "not ticked" for all of them
            zeros = [(2020, m, q, 0) for m in sorted(set(responses["municipality"]) - ticked) for q in block]
            expected.append(pd.concat([answers[answers["municipality"].isin(ticked)],
                                       pd.DataFrame(zeros, columns=RESPONSE_COLUMNS)]))
    others = responses[~responses["question"].isin([q for b in support_blocks(codebook) for q in b])]
    report = inspect_export(export, mapping, codebook, register)
    assert report.problems == [], "\n".join(summary_lines(report.problems)[:5])
    pd.testing.assert_frame_equal(tidy(report.responses), tidy(pd.concat([others, *expected])))


def test_a_tick_in_the_block_shows_the_municipality_reached_it_whatever_answered_with_says(tmp_path):
    rows = ["101,Ved ikke,X,", "147,,,x", "151,,,"]   # 147 skipped the need but ticked Y; 151 stopped
    mapping = TICKS_MAPPING + ("not_ticked_blank:\n  - columns: [Ticks X, Ticks Y]\n"
                               "    answered_with: A behov\n")
    got = run(*write_case(tmp_path, csv_text(rows, TICKS_HEADER), mapping))
    pd.testing.assert_frame_equal(tidy(got), ticks([
        ("101", "org_a_behov", 8), ("101", "org_a_stoette_x", 1), ("101", "org_a_stoette_y", 0),
        ("147", "org_a_stoette_x", 0), ("147", "org_a_stoette_y", 1)]))


def test_a_multi_select_cell_left_empty_needs_answered_with_or_all_blank(tmp_path):
    register = pd.DataFrame({"code": ["101", "147", "151"], "name": ["a", "b", "c"]})
    rows = ['101,Ved ikke,"Kompetenceudvikling;"', "147,,", "151,Slet ikke,"]
    mapping = MULTI_MAPPING.replace("    answered_with: A behov\n", "")
    path, mapping_path = write_case(tmp_path, csv_text(rows, "Kommunekode,A behov,Støtte"), mapping)
    report = inspect_export(path, mapping_path, CODEBOOK, register)
    assert [(p.row, p.column, p.value) for p in report.problems] == [(3, "Støtte", None), (4, "Støtte", None)]
    assert report.problems[0].expected.startswith(f"an answer in the multi_select column 'Støtte' on line 5 of "
                                                  f"{mapping_path}: a municipality blank in the whole block")
    mapping_path.write_text(mapping + "    all_blank: unanswered\n", encoding="utf-8")
    got = import_with(path, mapping_path, register)
    pd.testing.assert_frame_equal(tidy(got), ticks([
        ("101", "org_a_behov", 8), ("101", "org_a_stoette_x", 1), ("101", "org_a_stoette_y", 0),
        ("151", "org_a_behov", 1)]))


@pytest.mark.parametrize(("block", "value", "expected"), [
    ("{columns: [Ticks X], all_blank: nej}", "nej",
     "not_ticked or unanswered (what a municipality blank in the whole block gave)"),
    ("{columns: [Ticks X], answered_with: A behov, all_blank: unanswered}", "unanswered",
     "answered_with or all_blank, not both"),
])
def test_a_malformed_all_blank_is_located_on_its_line(tmp_path, block, value, expected):
    mapping = TICKS_MAPPING + f"not_ticked_blank:\n  - {block}\n"
    problems = problems_of(*write_case(tmp_path, csv_text(["101,Ved ikke,1,0"], TICKS_HEADER), mapping))
    assert [(Path(p.file).name, p.row, p.column, p.value, p.expected) for p in problems] == [
        ("mapping.yml", 5, "not_ticked_blank", value, expected)]


# ---------------------------------------------------------------------- UTF-16 ("Unicode-tekst")
@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_text_with_or_without_a_byte_order_mark_is_read(tmp_path, codec):
    text = csv_text(sep="\t").replace("Gennemført", "Gennemført")
    path, mapping = write_case(tmp_path, text.encode(codec))
    assert path.read_bytes().count(0) > len(path.read_bytes()) // 3
    pd.testing.assert_frame_equal(tidy(run(path, mapping)), EXPECTED)


@pytest.mark.parametrize(("data", "row", "value", "expected"), [
    (csv_text(sep="\t").encode("utf-16")[:-1], 4, "151\tGennemført\tSlet ikke\tI mindre grad\t\t2020-10-03",
     "UTF-16 text (as Excel's Unicode-tekst writes it): the file ends inside a character, so it was cut off"),
    (csv_text(sep="\t").encode("utf-32"), 1, "", "text without null characters (a UTF-32 or binary file?)"),
    (csv_text().encode() + b"151,\0\r\n", 5, "151,", "text without null characters (a UTF-32 or binary file?)"),
])
def test_text_that_cannot_be_utf16_or_a_table_is_one_problem_on_one_line(tmp_path, data, row, value, expected):
    path, mapping = write_case(tmp_path, data)
    problems = problems_of(path, mapping)
    assert [(p.file, p.row, p.column, p.value, p.expected, p.structural) for p in problems] == [
        (str(path), row, None, value, expected, True)]
    assert len(summary_lines(problems)) == 1


# ------------------------------------------------------------------------------------- merged cells
def test_a_merged_cell_names_every_column_it_covers_in_a_two_row_header(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [["Besvarelser"], ["Kommunekode", "Status", "Hvilken støtte?", None],
                [None, None, "Kompetenceudvikling", "Netværk"], [101, "Gennemført", "X", None],
                [147, "Delvist gennemført", None, "X"]]:
        sheet.append(row)
    for cells in ("A1:D1", "A2:A3", "B2:B3", "C2:D2"):
        sheet.merge_cells(cells)
    book.save(tmp_path / "e.xlsx")
    mapping = """\
header_row: 2
header_rows: 2
municipality_column: Kommunekode
wave: 2020
columns:
  Status: meta_status
  Hvilken støtte? | Kompetenceudvikling: org_a_stoette_x
  Hvilken støtte? | Netværk: org_a_stoette_y
not_ticked_blank:
  - columns: ["Hvilken støtte? | Kompetenceudvikling", "Hvilken støtte? | Netværk"]
"""
    _, mapping_path = write_case(tmp_path, "", mapping, name="unused.csv")
    pd.testing.assert_frame_equal(tidy(run(tmp_path / "e.xlsx", mapping_path)), ticks([
        ("101", "meta_status", 2), ("101", "org_a_stoette_x", 1), ("101", "org_a_stoette_y", 0),
        ("147", "meta_status", 1), ("147", "org_a_stoette_x", 0), ("147", "org_a_stoette_y", 1)]))
    # The row below the merged names is the header too: the merged cells name its columns.
    mapping_path.write_text(MAPPING + "header_row: 3\n", encoding="utf-8")
    problems = problems_of(tmp_path / "e.xlsx", mapping_path)
    assert "Kommunekode" not in {p.column for p in problems if p.structural}


def test_a_title_merged_over_the_first_row_is_still_named_as_a_title(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Kommuneundersøgelsen 2020"])
    for line in [HEADER, *ROWS]:
        book.active.append([int(v) if v.isdigit() else (v or None) for v in line.split(",")])
    book.active.merge_cells("A1:F1")
    book.save(tmp_path / "e.xlsx")
    _, mapping = write_case(tmp_path, "", name="unused.csv")
    first = problems_of(tmp_path / "e.xlsx", mapping)[0]
    assert (first.row, first.structural) == (1, True)
    assert first.expected.endswith("set header_row: 2 in the mapping")
    mapping.write_text(MAPPING + "header_row: 2\n", encoding="utf-8")
    pd.testing.assert_frame_equal(tidy(run(tmp_path / "e.xlsx", mapping)), EXPECTED)


# ----------------------------------------------------------------------------------------------- the CLI
@pytest.mark.parametrize("case", ["short-row", "unknown-name", "title-row", "bad-mapping", "blank-block",
                                  "utf16-cut-off", "null-bytes"])
def test_every_rejection_exits_non_zero_without_traceback_and_writes_nothing(tmp_path, capsys, case):
    text, mapping = csv_text(), MAPPING
    if case == "blank-block":  # row 4 leaves Ticks X blank: not reached, or not ticked?
        mapping = MAPPING + "not_ticked_blank: [Ticks X]\n"
    elif case == "utf16-cut-off":
        text = csv_text().encode("utf-16")[:-1]
    elif case == "null-bytes":
        text = csv_text().encode("utf-32")
    elif case == "short-row":
        text = csv_text([ROWS[0], "147,Delvist gennemført", ROWS[2]])
    elif case == "unknown-name":
        text = csv_text([r.replace("101", "København", 1) for r in ROWS])
        mapping = MAPPING + "municipality_by: name\n"
    elif case == "title-row":
        text = "Titel\r\n" + csv_text()
    else:
        mapping = MAPPING + "not_ticked_blank: 3\n"
    path, mapping_path = write_case(tmp_path, text, mapping)
    output = tmp_path / "out" / "responses.csv"
    for command in (["validate"], ["import", "--output", str(output)]):
        assert cli.main([*command, str(path), "--mapping", str(mapping_path)]) == 2
        captured = capsys.readouterr()
        assert "Traceback" not in captured.out + captured.err
        assert "nothing was imported" in captured.out + captured.err
    assert not output.parent.exists()


def test_import_records_the_export_beside_the_responses_for_the_banner(tmp_path, exports, capsys, monkeypatch):
    import hashlib

    export, mapping = copied(exports["surveyxact"], tmp_path / "private")
    output = tmp_path / "imported" / "responses.csv"
    assert cli.main(["import", str(export), "--mapping", str(mapping), "--output", str(output)]) == 0
    assert "ignored 5 columns: respondent, email, starttime, endtime, statusTool" in capsys.readouterr().out
    source = source_of(output)
    assert source["export"] == "surveyxact.csv"
    assert source["export_sha256"] == hashlib.sha256(export.read_bytes()).hexdigest()
    assert sorted(p.name for p in output.parent.iterdir()) == ["responses.csv", source_path(output).name]
    # A record that belongs to another version of the responses is not believed.
    output.write_text(output.read_text() + "\n")
    assert source_of(output) is None
    # The dataset banner on every page names the export, not responses.csv; the data page gives its hash.
    dataset_banner = book_extension.load("dataset_banner")
    output.write_text(output.read_text()[:-1])  # the imported version again: the record holds
    monkeypatch.setenv(paths.RESPONSES_ENV, str(output))
    text = dataset_banner.banner("data.html")
    assert "eksporten <code>surveyxact.csv</code>" in text and "responses.csv" not in text
    assert "importerede data" in text and "sha256" not in text
    digest = hashlib.sha256(export.read_bytes()).hexdigest()[:12]
    assert f"eksporten <code>surveyxact.csv</code>, sha256 <code>{digest}</code>" in dataset_banner.details()


def test_the_mappings_on_the_data_page_are_valid(tmp_path):
    """Every whole mapping shown in book/data.md parses with known keys and codebook question ids."""
    import re

    from municipal_survey.data.codebook import load_codebook
    from municipal_survey.data.importers import load_mapping

    page = (paths.PROJECT_ROOT / "book" / "data.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```yaml\n(.*?)```", page, re.S) if "municipality_column" in b]
    assert len(blocks) >= 6  # the general example and one per tool
    codebook = load_codebook()
    for k, block in enumerate(blocks):
        (tmp_path / f"m{k}.yml").write_text(block, encoding="utf-8")
        mapping, problems = load_mapping(tmp_path / f"m{k}.yml", codebook)
        assert mapping is not None and problems == [], f"{block}\n" + "\n".join(map(str, problems))


@pytest.mark.parametrize(("extra", "column", "expected"), [
    ("labels: {likert: 3}\n", "labels", "a kind of question (likert, multiple_choice, status) with its labels"),
    ("column_labels: {A samlet: {Ja: [4]}}\n", "column_labels.A samlet",
     "a whole-number answer code (or null = unanswered) for 'Ja'"),
    ("not_ticked_blank: [{answered_with: A behov}]\n", "not_ticked_blank",
     "columns: [the block's export columns]"),
    ("not_ticked_blank: [Nope]\n", "not_ticked_blank",
     "a column mapped under columns to a multiple-choice question"),
    ("multi_select: {Ticks X: {options: {a: org_a_stoette_y}}}\n", "multi_select",
     "a column not also mapped elsewhere"),
    ("multi_select: {S: {options: {a: org_a_samlet}}}\n", "multi_select",
     "a multiple-choice question id in the codebook for option 'a'"),
    ("header_rows: 3\n", "header_rows", "1 or 2 (question and option rows)"),
    ("header_row: 0\n", "header_row", "the header's row number, 1 or more"),
    ("municipality_by: names\n", "municipality_by", "code (kommunekode, e.g. 101) or name (e.g. København)"),
    ("pad_short_rows: 1\n", "pad_short_rows", "true or false"),
])
def test_malformed_new_mapping_keys_are_located_on_their_line(tmp_path, extra, column, expected):
    problems = problems_of(*write_case(tmp_path, csv_text(), MAPPING + extra))
    first = problems[0]
    assert (Path(first.file).name, first.row, first.unit, first.column) == ("mapping.yml", 9, "line", column)
    assert problems[0].expected == expected


# ------------------------------------------------------- what mutation testing found unchecked (importer)
def test_file_level_problems_name_the_file_and_are_structural(tmp_path):
    _, mapping = write_case(tmp_path, "", name="unused.csv")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip file")
    (tmp_path / "broken.sav").write_bytes(b"not spss")
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "blank.csv").write_text("\r\n;;\r\n", encoding="utf-8")
    book = openpyxl.Workbook()
    book.active.title = "Ark1"
    book.create_sheet("Ark2")
    book.save(tmp_path / "two-sheets.xlsx")
    for name, value_type, expected in [
        ("broken.xlsx", str, "a readable .xlsx workbook"), ("broken.sav", str, "a readable SPSS .sav file"),
        ("empty.csv", str, "a header row and one row per municipality"),
        ("blank.csv", str, "a header row and one row per municipality"),
    ]:
        problems = problems_of(tmp_path / name, mapping)
        assert [(p.file, p.row, p.column, p.structural, p.expected) for p in problems] == \
            [(str(tmp_path / name), None, None, True, expected)]
        assert isinstance(problems[0].value, value_type) and (name.endswith("csv") or problems[0].value)
    assert problems_of(tmp_path / "broken.xlsx", mapping)[0].value.startswith("BadZipFile: ")
    for sheet in (2, 5, "Data"):  # one past the last sheet, further, and a name that is not there
        mapping.write_text(MAPPING + f"sheet: {sheet}\n", encoding="utf-8")
        problems = problems_of(tmp_path / "two-sheets.xlsx", mapping)
        assert [(p.file, p.value, p.structural, p.expected) for p in problems] == \
            [(str(tmp_path / "two-sheets.xlsx"), sheet, True, "a sheet of the workbook: Ark1, Ark2")]


def test_an_encoding_problem_names_its_line_even_below_a_blank_first_line(tmp_path):
    text = "\r\n" + csv_text()
    data = text.encode("utf-8").replace(b"Slet ikke", "Slet ikke ø".encode("cp1252"))
    problems = problems_of(*write_case(tmp_path, data))
    assert [(p.row, p.structural) for p in problems] == [(5, True)]
    long_line = "101," + "x" * 120 + "ø"
    data = csv_text().encode("utf-8") + (long_line + "\r\n").encode("cp1252")
    problem = problems_of(*write_case(tmp_path, data))[0]
    assert problem.value == long_line[:77] + "..." and len(problem.value) == 80


def test_spss_values_without_a_value_label_are_read_as_codes(tmp_path):
    frame = pd.DataFrame({"Kommunekode": [101.0, 147.0], "A_samlet": [3.0, 8.0]})
    pyreadstat.write_sav(frame, str(tmp_path / "e.sav"), variable_value_labels={"A_samlet": {8.0: "Ved ikke"}})
    mapping = "municipality_column: Kommunekode\nwave: 2020\ncolumns:\n  A_samlet: org_a_samlet\n"
    _, mapping_path = write_case(tmp_path, "", mapping, name="unused.csv")
    got = run(tmp_path / "e.sav", mapping_path)
    pd.testing.assert_frame_equal(tidy(got), ticks([("101", "org_a_samlet", 3), ("147", "org_a_samlet", 8)]))


def test_spss_problems_without_a_municipality_column_still_name_the_case(tmp_path):
    frame = pd.DataFrame({"kode": [101.0, 147.0], "A_samlet": [3.0, 7.0]})
    pyreadstat.write_sav(frame, str(tmp_path / "e.sav"))
    mapping = "municipality_column: Kommunekode\nwave: 2020\ncolumns:\n  A_samlet: org_a_samlet\nignore: [kode]\n"
    _, mapping_path = write_case(tmp_path, "", mapping, name="unused.csv")
    problems = problems_of(tmp_path / "e.sav", mapping_path)
    assert [str(p).split(": got")[0] for p in problems] == [
        f"{tmp_path / 'e.sav'}, column 'Kommunekode'", f"{tmp_path / 'e.sav'}, case 2, column 'A_samlet'"]
    assert problems[0].structural and not problems[1].structural


def test_every_kind_of_problem_in_one_file_is_reported(tmp_path):
    """No kind of problem ends the collection early: two of each, in several columns and rows."""
    header = "Kommunekode,Ekstra 1,Status,A samlet,Støtte,Ekstra 2"
    rows = ["101,a,Gennemført,5,Kompetenceudvikling;Foo,b", "9999,a,3,I høj grad,Bar,b",
            "101,a,Gennemført,7,Netværk;Baz;Qux,b", ",a,Gennemført,I høj grad,,b"]
    mapping = """\
municipality_column: Kommunekode
wave: 2020
columns: {Status: meta_status, A samlet: org_a_samlet, Mangler 1: org_a_sub, Mangler 2: org_a_behov}
multi_select:
  Støtte: {options: {Kompetenceudvikling: org_a_stoette_x, Netværk: org_a_stoette_y}}
  Væk: {options: {Andet: org_b_samlet}}
labels: {Meget høj: 6, Høj: 3, Lav: 0}
"""
    path, mapping_path = write_case(tmp_path, csv_text(rows, header), mapping)
    problems = problems_of(path, mapping_path)
    got = [(Path(p.file).name, p.row, p.column, p.value) for p in problems]
    assert got == [
        ("mapping.yml", 3, "columns", "Mangler 1"), ("mapping.yml", 3, "columns", "Mangler 2"),
        ("mapping.yml", 6, "multi_select", "org_b_samlet"), ("mapping.yml", 6, "multi_select", "Væk"),
        ("mapping.yml", 7, "labels", 6),   # 0 is a code of multiple choice, so "Lav: 0" is allowed
        ("export.csv", 1, "Ekstra 1", "Ekstra 1"), ("export.csv", 1, "Ekstra 2", "Ekstra 2"),
        ("export.csv", 2, "A samlet", "5"), ("export.csv", 2, "Støtte", "Kompetenceudvikling;Foo"),
        ("export.csv", 3, "Kommunekode", "9999"), ("export.csv", 3, "Status", "3"),
        ("export.csv", 3, "Støtte", "Bar"),
        ("export.csv", 4, "Kommunekode", "101"), ("export.csv", 4, "A samlet", "7"),
        ("export.csv", 4, "Støtte", "Netværk;Baz;Qux"),
        ("export.csv", 5, "Kommunekode", None), ("export.csv", 5, "Støtte", None),   # blank: reached?
    ]
    by_place = {(p.row, p.column): p for p in problems if Path(p.file).name == "export.csv"}
    assert by_place[(4, "Støtte")].expected == \
        "options separated by ';', each one of: Kompetenceudvikling, Netværk (not: baz, qux)"
    assert by_place[(1, "Ekstra 1")].expected == \
        f"a column named under columns or ignore in {mapping_path} (or ignore_unmapped: true)"
    assert by_place[(5, "Kommunekode")].expected == "a kommunekode (the cell is blank but the row holds answers)"
    missing = [p for p in problems if p.value == "Mangler 1"][0]
    assert (missing.unit, missing.expected) == ("line", f"a column of {path}")


def test_a_missing_multi_select_column_is_named_under_multi_select(tmp_path):
    mapping = MULTI_MAPPING.replace("Støtte:", "Støtteformer:")
    path, mapping_path = write_case(tmp_path, csv_text(["101,Ved ikke,Netværk"], "Kommunekode,A behov,Støtte"),
                                    mapping)
    problems = problems_of(path, mapping_path)
    assert [(Path(p.file).name, p.row, p.unit, p.column, p.value) for p in problems][-1] == \
        ("mapping.yml", 5, "line", "multi_select", "Støtteformer")


def test_a_blank_municipality_name_and_a_date_in_a_multi_select_cell(tmp_path):
    book = openpyxl.Workbook()
    for row in [["Kommune", "A behov", "Støtte"], ["København", "Ved ikke", dt.datetime(2020, 10, 1)],
                [None, "Slet ikke", "Netværk"]]:
        book.active.append(row)
    book.save(tmp_path / "e.xlsx")
    mapping = MULTI_MAPPING.replace("Kommunekode", "Kommune") + "municipality_by: name\n"
    _, mapping_path = write_case(tmp_path, "", mapping, name="unused.csv")
    report = inspect_export(tmp_path / "e.xlsx", mapping_path, CODEBOOK, NAMES_REGISTER)
    assert [(p.row, p.column, p.expected[:40]) for p in report.problems] == [
        (2, "Støtte", "options separated by ';', each one of: K"),
        (3, "Kommune", "a municipality name (the cell is blank b")]


def test_the_nearest_names_are_the_three_closest():
    from municipal_survey.data.register import load_register

    municipalities = Municipalities.build(load_register(), "name")
    expected = municipalities.expected("Frederik")
    nearest = expected.removeprefix("a municipality's name in the register (nearest: ").removesuffix(")")
    names = nearest.split(", ")
    assert len(names) == 3 and all(n.startswith("Frede") for n in names), expected


def test_two_bad_labels_and_a_bad_answered_with_are_each_reported(tmp_path):
    mapping = TICKS_MAPPING + ('labels: {a: 12, b: "x", c: 4}\n'
                               'not_ticked_blank:\n  - {columns: [Ticks X], answered_with: ""}\n'
                               '  - {columns: [Ticks Y], answered_with: [A behov]}\n')
    problems = problems_of(*write_case(tmp_path, csv_text(["101,Ved ikke,1,0"], TICKS_HEADER), mapping))
    assert [(p.row, p.column, p.value, p.expected[:28]) for p in problems] == [
        (4, "labels", 12, "an answer code of the likert"), (4, "labels", "x", "a whole-number answer code ("),
        (6, "not_ticked_blank", None, "the name of an export column"),
        (7, "not_ticked_blank", None, "the name of an export column")]


def test_a_new_record_of_the_export_rebuilds_the_book(project):
    """Same responses from another export: the banner must change, so the build inputs change too."""
    from municipal_survey.build import fingerprint

    imported = project / "data" / "imported" / "responses.csv"
    before = fingerprint.inputs_digest(imported)
    source_path(imported).write_text('{"export": "other.csv"}\n', encoding="utf-8")
    assert fingerprint.inputs_digest(imported) != before
