"""The importer's pieces one at a time: every mapping key's problem with its line, column, value and
expectation (at the edges of what is allowed), how cells become codes and municipalities, how the
header and rows of an export are read, and the problems located in the export itself."""

from __future__ import annotations

import pandas as pd
import pytest
import small_survey
import yaml

from municipal_survey.data.errors import DataError
from municipal_survey.data.import_cells import Municipalities, Scale, cell_text, municipality_code
from municipal_survey.data.import_mapping import Block, load_mapping
from municipal_survey.data.import_reading import RawTable, Records, _column_letter, _frame, table_of

CODEBOOK = small_survey.codebook()
BASE = "municipality_column: Kommunekode\nwave: 2020\ncolumns:\n  Status: meta_status\n  A samlet: org_a_samlet\n"
TICKS = "  X: org_a_stoette_x\n  Y: org_a_stoette_y\n"


def load(tmp_path, text: str):
    path = tmp_path / "mapping.yml"
    path.write_text(text, encoding="utf-8")
    return load_mapping(path, CODEBOOK)


def problems(tmp_path, text: str) -> list[tuple]:
    """(line, column, value, expected) of each problem; every one must be in the mapping file, by line."""
    _, found = load(tmp_path, text)
    assert all(p.file == str(tmp_path / "mapping.yml") and p.unit == "line" for p in found), found
    return [(p.row, p.column, p.value, p.expected) for p in found]


# ---------------------------------------------------------------------------------- the mapping file
def test_a_clean_mapping_has_every_default(tmp_path):
    mapping, found = load(tmp_path, BASE)
    assert found == []
    assert (mapping.municipality_column, mapping.wave, mapping.columns) == (
        "Kommunekode",
        2020,
        {"Status": "meta_status", "A samlet": "org_a_samlet"},
    )
    assert mapping.lines == {"Status": 4, "A samlet": 5}
    assert (mapping.ignore, mapping.unusable, mapping.blocks, mapping.multi_select) == ([], [], [], {})
    assert (mapping.value_labels, mapping.ignore_unmapped, mapping.pad_short_rows) == (True, False, False)
    assert (mapping.header_row, mapping.header_rows, mapping.sheet, mapping.municipality_by) == (
        None,
        1,
        0,
        "code",
    )
    assert mapping.labels == {"likert": {}, "multiple_choice": {}, "status": {}}
    assert mapping.file == str(tmp_path / "mapping.yml")


def test_unknown_and_repeated_keys_are_named_on_their_line(tmp_path):
    found = problems(tmp_path, BASE + "colums: {}\nwave: 2021\n")
    assert found[0][:3] == (6, "colums", "colums") and found[0][3].startswith(
        "only the keys municipality_column, "
    )
    assert found[0][3].endswith(", header_rows, sheet")  # every key of the schema, in its order
    assert found[1] == (7, "wave", "wave", "each key once")
    assert load(tmp_path, BASE + "wave: 2021\n")[0] is not None  # the first wave stands


def test_a_key_given_twice_inside_a_key_is_named_and_the_first_stands(tmp_path):
    text = BASE + "labels:\n  Ja: 4\n  Ja: 3\ncolumn_labels:\n  A samlet: {Nej: 1, Nej: 2}\n"
    mapping, found = load(tmp_path, text)
    assert [(p.row, p.column, p.value, p.expected) for p in found] == [
        (8, "labels", "Ja", "each key once (also on line 7)"),
        (10, "column_labels.A samlet", "Nej", "each key once (also on line 10)")]
    assert mapping.labels["likert"] == {"ja": 4} and mapping.column_labels == {"A samlet": {"nej": 1}}


def test_names_that_yaml_reads_as_numbers_keep_how_they_were_written(tmp_path):
    text = BASE.replace("Kommunekode", "0101") + TICKS + "ignore: [2.10, 1e3]\nnot_ticked_blank:\n" \
        "  - {columns: [X, Y], answered_with: 007}\n"
    mapping, found = load(tmp_path, text)
    assert found == []
    assert (mapping.municipality_column, mapping.ignore, mapping.blocks[0].answered_with) == (
        "0101", ["2.10", "1e3"], "007")


@pytest.mark.parametrize("missing", ["municipality_column", "wave", "columns"])
def test_each_required_key_is_named_when_missing(tmp_path, missing):
    text = "\n".join(
        line
        for line in BASE.splitlines()
        if not line.startswith(missing) and not (missing == "columns" and line.startswith("  "))
    )
    mapping, found = load(tmp_path, text + "\n")
    assert mapping is None
    assert [(p.row, p.column, p.value, p.expected) for p in found] == [
        (None, missing, None, "this key (see the importers module docs)")
    ]


@pytest.mark.parametrize(
    "value, ok",
    [
        ("1900", True),
        ("2100", True),
        ("1899", False),
        ("2101", False),
        ("true", False),
        ("'2020'", False),
        ("2020.0", False),
        ("[2020]", False),
    ],
)
def test_the_wave_is_a_year_from_1900_to_2100(tmp_path, value, ok):
    mapping, found = load(tmp_path, BASE.replace("wave: 2020", f"wave: {value}"))
    if ok:
        assert found == [] and mapping.wave == int(value)
        return
    assert mapping is None
    [(line, column, got, expected)] = [(p.row, p.column, p.value, p.expected) for p in found]
    assert (line, column, expected) == (2, "wave", "the survey year as a whole number, e.g. 2020")
    assert (
        got
        == {"true": True, "'2020'": "2020", "2020.0": 2020.0, "1899": 1899, "2101": 2101, "[2020]": None}[value]
    )


@pytest.mark.parametrize("value", ["''", "'  '", "[Kommunekode]"])
def test_a_blank_or_listed_municipality_column_is_a_problem(tmp_path, value):
    mapping, found = load(
        tmp_path, BASE.replace("municipality_column: Kommunekode", f"municipality_column: {value}")
    )
    assert mapping is None
    assert [(p.row, p.column, p.expected) for p in found] == [
        (1, "municipality_column", "the name of the column holding the municipality (its kommunekode or name)")
    ]


def test_municipality_by(tmp_path):
    assert load(tmp_path, BASE + "municipality_by: name\n")[0].municipality_by == "name"
    assert problems(tmp_path, BASE + "municipality_by: code\n") == []
    assert problems(tmp_path, BASE + "municipality_by: name\n") == []
    assert problems(tmp_path, BASE + "municipality_by: Name\n") == [
        (6, "municipality_by", "Name", "code (kommunekode, e.g. 101) or name (e.g. København)")
    ]
    assert problems(tmp_path, BASE + "municipality_by: [name]\n") == [
        (6, "municipality_by", None, "code (kommunekode, e.g. 101) or name (e.g. København)")
    ]


def test_columns_problems_each_on_their_line(tmp_path):
    text = (
        "municipality_column: Kommunekode\nwave: 2020\ncolumns:\n"
        "  Status: meta_status\n"  # 4
        "  Status: org_a_samlet\n"  # 5: the column again
        "  Ukendt: org_zz\n"  # 6: no such question
        "  Kommunekode: org_a_sub\n"  # 7: the municipality column
        "  Igen: meta_status\n"  # 8: the question again
        "  Liste: [org_b_samlet]\n"  # 9: not a question id
        "  '': org_a_behov\n"  # 10: a blank column name
        "  Sidst: org_b_samlet\n"
    )  # 11: fine
    mapping, found = load(tmp_path, text)
    assert [(p.row, p.column, p.value, p.expected) for p in found] == [
        (5, "columns", "Status", "each export column once (also on line 4)"),
        (6, "columns", "org_zz", "a question id in the codebook for export column 'Ukendt'"),
        (7, "columns", "Kommunekode", "the municipality column not to be mapped to a question"),
        (
            8,
            "columns",
            "meta_status",
            "one export column per question (column 'Status' on line 4 also maps to it)",
        ),
        (9, "columns", None, "a question id in the codebook for export column 'Liste'"),
        (10, "columns", "", "the name of an export column"),
    ]
    assert mapping.columns == {"Status": "meta_status", "Sidst": "org_b_samlet"}
    assert mapping.unusable == ["Ukendt", "Kommunekode", "Igen", "Liste", ""]
    assert mapping.lines == {
        "Status": 4,
        "Ukendt": 6,
        "Kommunekode": 7,
        "Igen": 8,
        "Liste": 9,
        "": 10,
        "Sidst": 11,
    }


@pytest.mark.parametrize("value", ["{}", "[Status]", "Status"])
def test_columns_must_be_a_mapping_of_something(tmp_path, value):
    text = f"municipality_column: Kommunekode\nwave: 2020\ncolumns: {value}\n"
    assert problems(tmp_path, text) == [(3, "columns", None, "a mapping of export column: codebook question id")]


def test_ignore(tmp_path):
    mapping, found = load(tmp_path, BASE + "ignore: [Starttid, ' Slut ']\n")
    assert found == [] and mapping.ignore == ["Starttid", "Slut"]
    assert problems(tmp_path, BASE + "ignore: Starttid\n") == [
        (6, "ignore", None, "a list of export column names")
    ]
    assert problems(tmp_path, BASE + "ignore: [Starttid, '']\n") == [
        (6, "ignore", None, "a list of export column names")
    ]
    assert problems(tmp_path, BASE + "ignore:\n  - Starttid\n  - A samlet\n") == [
        (8, "ignore", "A samlet", "a column either mapped or ignored, not both")
    ]


def test_flat_labels_go_to_every_kind_whose_scale_has_the_code(tmp_path):
    mapping, found = load(
        tmp_path, BASE + "labels: {Meget høj grad: 4, Ja: 1, Nej: 0, ' Ubesvaret ': null, '02': 2}\n"
    )
    assert found == []
    assert mapping.labels["likert"] == {"meget høj grad": 4, "ja": 1, "ubesvaret": None, "2": 2}
    assert mapping.labels["multiple_choice"] == {"ja": 1, "nej": 0, "ubesvaret": None}
    assert mapping.labels["status"] == {"ja": 1, "ubesvaret": None, "2": 2}


@pytest.mark.parametrize(
    "code, value, expected",
    [
        ("5", 5, "an answer code of the likert or multiple_choice or status scale (0, 1, 2, 3, 4, 8, 9) for 'Ja'"),
        ("true", True, "a whole-number answer code (or null = unanswered) for 'Ja'"),
        ("2.0", 2.0, "a whole-number answer code (or null = unanswered) for 'Ja'"),
        ("'3'", "3", "a whole-number answer code (or null = unanswered) for 'Ja'"),
        ("[3]", None, "a whole-number answer code (or null = unanswered) for 'Ja'"),
    ],
)
def test_a_label_s_code_must_be_a_whole_number_on_a_scale(tmp_path, code, value, expected):
    assert problems(tmp_path, BASE + f"labels:\n  Ja: {code}\n  Nej: 1\n") == [(7, "labels", value, expected)]
    mapping, _ = load(tmp_path, BASE + f"labels:\n  Ja: {code}\n  Nej: 1\n")
    assert mapping.labels["likert"] == {"nej": 1}  # the label after the bad one is still read


def test_labels_per_kind_check_each_kind_s_own_scale(tmp_path):
    mapping, found = load(
        tmp_path, BASE + "labels:\n  likert: {Ja: 4, Nej: 0}\n  status: {Færdig: 2}\n  farve: {Rød: 1}\n"
    )
    assert [(p.row, p.column, p.value, p.expected) for p in found] == [
        (7, "labels.likert", 0, "an answer code of the likert scale (1, 2, 3, 4, 8, 9) for 'Nej'"),
        (9, "labels", "farve", "a kind of question (likert, multiple_choice, status) with its labels"),
    ]
    assert mapping.labels == {"likert": {"ja": 4}, "multiple_choice": {}, "status": {"færdig": 2}}
    assert problems(tmp_path, BASE + "labels: [Ja]\n") == [(6, "labels", None, "a mapping of label: code")]


def test_column_labels(tmp_path):
    mapping, found = load(tmp_path, BASE + "column_labels:\n  A samlet: {Ja: 4, Nej: 0}\n  Andet: {Ja: 1}\n")
    assert [(p.row, p.column, p.value, p.expected) for p in found] == [
        (7, "column_labels.A samlet", 0, "an answer code of the likert scale (1, 2, 3, 4, 8, 9) for 'Nej'"),
        (8, "column_labels", "Andet", "a column mapped under columns"),
    ]
    assert mapping.column_labels == {"A samlet": {"ja": 4}}
    assert problems(tmp_path, BASE + "column_labels: [A samlet]\n") == [
        (6, "column_labels", None, "a mapping of export column: {label: code}")
    ]
    assert mapping.scale("likert", "org_a_samlet", "A samlet").table["ja"] == 4
    assert "ja" not in mapping.scale("likert", "org_b_samlet", "B").table


def test_not_ticked_blank_blocks(tmp_path):
    text = BASE + TICKS + "not_ticked_blank:\n  - X\n  - {columns: [Y], answered_with: Status}\n"
    mapping, found = load(tmp_path, text)
    assert found == []
    assert mapping.blocks == [Block(["X"], None, 9), Block(["Y"], "Status", 10)]
    assert mapping.block_of("Y") is mapping.blocks[1] and mapping.block_of("Status") is None
    assert mapping.scale("multiple_choice", "org_a_stoette_x", "X").blank_is_zero is True
    assert mapping.scale("multiple_choice", "org_a_stoette_x", "Z").blank_is_zero is False
    assert mapping.scale("multiple_choice", "org_a_stoette_x").blank_is_zero is False
    assert mapping.names() == ["Kommunekode", "Status", "A samlet", "X", "Y"]


BLOCK = "an export column or {columns: [...], answered_with: column or all_blank: ...}"


def test_not_ticked_blank_problems(tmp_path):
    text = (
        BASE
        + TICKS
        + (
            "not_ticked_blank:\n  - [X]\n  - {columns: [Y], note: z}\n  - {columns: Y}\n"
            "  - {columns: [A samlet, X], answered_with: ''}\n  - {columns: []}\n"
        )
    )
    assert problems(tmp_path, text) == [
        (9, "not_ticked_blank", None, BLOCK),
        (10, "not_ticked_blank", None, BLOCK),
        (11, "not_ticked_blank", None, "a list of export column names"),
        (12, "not_ticked_blank", None, "the name of an export column"),
        (12, "not_ticked_blank", "A samlet", "a column mapped under columns to a multiple-choice question"),
        (13, "not_ticked_blank", None, "columns: [the block's export columns]"),
    ]
    assert problems(tmp_path, BASE + "not_ticked_blank: X\n") == [
        (
            6,
            "not_ticked_blank",
            None,
            "a list of export columns or of blocks {columns: [...], answered_with: column}",
        )
    ]


def test_multi_select(tmp_path):
    text = BASE + (
        "multi_select:\n  Støtte:\n    separator: ','\n    answered_with: Status\n"
        "    options: {Kurser: org_a_stoette_x, ' SUPERVISION ': org_a_stoette_y}\n"
    )
    mapping, found = load(tmp_path, text)
    assert found == []
    multi = mapping.multi_select["Støtte"]
    assert (multi.column, multi.separator, multi.answered_with, multi.line) == ("Støtte", ",", "Status", 7)
    assert multi.options == {"kurser": "org_a_stoette_x", "supervision": "org_a_stoette_y"}
    assert multi.spelled == {"kurser": "Kurser", "supervision": "SUPERVISION"}
    assert multi.tokens(" Kurser , ,supervision") == ["kurser", "supervision"]
    assert multi.tokens(None) == [] and multi.tokens(True) == []
    assert mapping.lines["Støtte"] == 7
    assert mapping.names() == ["Kommunekode", "Status", "A samlet", "Støtte"]


def test_multi_select_alone_needs_no_columns(tmp_path):
    text = "municipality_column: K\nwave: 2020\nmulti_select:\n  S:\n    options: {a: org_a_stoette_x}\n"
    mapping, found = load(tmp_path, text)
    assert found == [] and mapping.columns == {} and list(mapping.multi_select) == ["S"]


def test_multi_select_problems(tmp_path):
    text = BASE + (
        "multi_select:\n"
        "  S1: {options: {a: org_a_stoette_x}, farve: rød}\n"  # 7
        "  S2: {separator: ''}\n"  # 8
        "  S3: {options: [a]}\n"  # 9
        "  Status: {options: {a: org_a_stoette_x}}\n"  # 10
        "  S4: {separator: '', options: {b: org_a_stoette_x, c: org_a_stoette_y}}\n"  # 11
        "  S5: {options: {d: org_a_stoette_y}}\n"  # 12
        "  S6: [x]\n"
    )  # 13
    expected_spec = "options: {option text: question id}, and optionally separator, answered_with and all_blank"
    assert problems(tmp_path, text) == [
        (7, "multi_select", "S1", expected_spec),
        (8, "multi_select", "S2", expected_spec),
        (9, "multi_select", "S3", expected_spec),
        (10, "multi_select", "Status", "a column not also mapped elsewhere"),
        (11, "multi_select", None, "a separator such as ';' or ','"),
        (
            12,
            "columns",
            "org_a_stoette_y",
            "one export column per question (option 'c' of 'S4' on line 11 also maps to it)",
        ),
        (13, "multi_select", "S6", expected_spec),
    ]
    assert problems(tmp_path, BASE + "multi_select: [S]\n") == [
        (6, "multi_select", None, "a mapping of export column: {options: {option: question id}}")
    ]
    assert problems(tmp_path, BASE + "multi_select:\n  S: {options: {a: org_a_samlet}}\n") == [
        (7, "multi_select", "org_a_samlet", "a multiple-choice question id in the codebook for option 'a'")
    ]


def test_flags_and_numbers(tmp_path):
    mapping, found = load(
        tmp_path,
        BASE + "value_labels: false\nignore_unmapped: true\npad_short_rows: true\n"
        "header_row: 1\nheader_rows: 2\nsheet: Data\n",
    )
    assert found == []
    assert (mapping.value_labels, mapping.ignore_unmapped, mapping.pad_short_rows) == (False, True, True)
    assert (mapping.header_row, mapping.header_rows, mapping.sheet) == (1, 2, "Data")
    assert load(tmp_path, BASE + "header_row: 999999\nsheet: 2\n")[0].header_row == 999999
    assert load(tmp_path, BASE + "sheet: 2\n")[0].sheet == 2
    assert problems(
        tmp_path,
        BASE + "value_labels: ja\nheader_row: 1000000\nheader_rows: 0\nsheet: true\n"
        "ignore_unmapped: [true]\nheader_row: x\n",
    ) == [
        (11, "header_row", "header_row", "each key once"),  # keys are checked before their values
        (6, "value_labels", "ja", "true or false"),
        (10, "ignore_unmapped", None, "true or false"),
        (7, "header_row", 1000000, "the header's row number, 1 or more"),
        (8, "header_rows", 0, "1 or 2 (question and option rows)"),
        (9, "sheet", True, "a sheet name or position"),
    ]
    mapping, _ = load(tmp_path, BASE + "value_labels: ja\nheader_rows: true\nsheet: [1]\n")
    assert (mapping.value_labels, mapping.header_rows, mapping.sheet) == (True, 1, 0)
    assert problems(tmp_path, BASE + "header_row: true\n") == [
        (6, "header_row", True, "the header's row number, 1 or more")
    ]


def test_files_that_are_no_mapping(tmp_path):
    def only(text: str | bytes) -> tuple:
        path = tmp_path / "m.yml"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        mapping, [problem] = load_mapping(path, CODEBOOK)
        assert mapping is None and problem.file == str(path) and problem.column is None
        return problem.row, problem.unit, problem.value, problem.expected

    assert only("") == (None, "row", None, "a YAML mapping with municipality_column, wave and columns")
    assert only("- a\n- b\n")[3] == "a YAML mapping with municipality_column, wave and columns"
    assert only("2020\n") == (None, "row", 2020, "a YAML mapping with municipality_column, wave and columns")
    bad_yaml = "wave: 2020\ncolumns: {a: b\n"
    try:
        yaml.compose(bad_yaml, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        problem = exc.problem
    assert only(bad_yaml) == (3, "line", problem, "valid YAML")
    # A character YAML refuses has no line of its own: the message says where it is.
    try:
        yaml.compose("wave: 2020\x07\n", Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        said = str(exc)
    assert only("wave: 2020\x07\n") == (None, "line", said, "valid YAML")
    try:  # what Python itself says about the byte
        b"wave: \xff\n".decode("utf-8")
    except UnicodeDecodeError as exc:
        said = str(exc)
    assert only(b"wave: \xff\n") == (None, "row", said, "a readable UTF-8 YAML mapping file")
    _, [missing] = load_mapping(tmp_path / "none.yml", CODEBOOK)
    assert (missing.file, missing.row, missing.value, missing.expected) == (
        str(tmp_path / "none.yml"),
        None,
        None,
        "an existing mapping file",
    )
    mapping, found = load(tmp_path, "\ufeff" + BASE)
    assert found == [] and mapping.municipality_column == "Kommunekode"


# ----------------------------------------------------------------------------------------------- cells
@pytest.mark.parametrize(
    "value, text",
    [
        (None, None),
        (pd.NA, None),
        (pd.NaT, None),
        (float("nan"), None),
        ("  ", None),
        (" 3 ", "3"),
        (3, "3"),
        (3.0, "3"),
        (2.5, "2.5"),
        (-1.0, "-1"),
        (True, "wrong"),
        (pd.Timestamp("2020-01-01"), "wrong"),
    ],
)
def test_cell_text(value, text):
    got = cell_text(value)
    assert (repr(got) == "<wrong type>") if text == "wrong" else got == text


@pytest.mark.parametrize(
    "value, code",
    [
        ("101", "101"),
        (101, "101"),
        (101.0, "101"),
        ("0101", "101"),
        ("7", "007"),
        ("101.0", "101"),
        ("+101", "101"),
        ("0", None),
        ("1000", None),
        ("101.5", None),
        ("a101", None),
        (None, None),
    ],
)
def test_municipality_code(value, code):
    assert municipality_code(value) == code


def test_municipalities_by_name_and_their_expectations():
    register = pd.DataFrame(
        {
            "code": ["101", "147", "390", "400"],
            "name": ["København", "Frederiksberg", "Vordingborg", "Vordingborg"],
        }
    )
    by_name = Municipalities.build(register, "name")
    assert by_name.code("Københavns Kommune") == "101" and by_name.code("frederiksberg") == "147"
    assert by_name.code("Vordingborg") is None and by_name.code(3) is None and by_name.code(None) is None
    assert by_name.well_formed("Ukendt") and not by_name.well_formed("101") and not by_name.well_formed(None)
    assert (
        by_name.expected("101") == "a municipality's name, e.g. København (municipality_by: name in the mapping)"
    )
    assert by_name.expected("Vordingborg") == "one municipality (the name fits Vordingborg, Vordingborg)"
    assert by_name.expected("Frederiksbjerg") == "a municipality's name in the register (nearest: Frederiksberg)"
    assert by_name.expected("Xyzzy") == "a municipality's name in the register (no register name is close)"
    by_code = Municipalities.build(register)
    assert by_code.code("0147") == "147" and by_code.code("148") is None
    assert by_code.well_formed("148") and not by_code.well_formed("Ballerup")
    assert by_code.expected("148") == "a kommunekode of a municipality in the register"
    assert by_code.expected("x") == "a kommunekode: a whole number of up to 3 digits, e.g. 101"


@pytest.mark.parametrize(
    "value, result",
    [
        ("I høj grad", ("ok", 3)),
        (" i  HØJ grad ", ("ok", 3)),
        ("4", ("ok", 4)),
        (4.0, ("ok", 4)),
        ("8,0", ("ok", 8)),
        ("5", ("scale", 5)),
        ("0", ("scale", 0)),
        ("-1", ("scale", -1)),
        ("2.5", ("type", None)),
        ("Måske", ("type", None)),
        (True, ("type", None)),
        ("", ("blank", None)),
        (None, ("blank", None)),
    ],
)
def test_likert_cells(value, result):
    assert Scale.build("likert", "q").classify(value) == result


def test_extra_labels_override_and_null_means_unanswered():
    scale = Scale.build("likert", "q", {"ja": 4, "ubesvaret": None}, {"ja": 3, "7": 9})
    assert scale.classify("Ja") == ("ok", 3) and scale.classify("Ubesvaret") == ("blank", None)
    assert scale.classify("7") == ("ok", 9)
    assert Scale.build("likert", "q", {"nej": 0}).classify("nej") == ("scale", 0)


def test_ticks():
    plain = Scale.build("multiple_choice", "q")
    assert plain.classify("x") == ("type", None) and plain.classify("1") == ("ok", 1)
    ticks = Scale.build("multiple_choice", "q", ticks=True)
    assert ticks.classify("X") == ("ok", 1) and ticks.classify("0") == ("ok", 0) and ticks.blank_is_zero
    assert ticks.classify("Afkrydset") == ("ok", 1)


def test_what_each_scale_expects():
    assert Scale.build("likert", "q1").expected("scale") == "a code on the likert scale (4, 3, 2, 1, 8, 9) for q1"
    assert Scale.build("likert", "q1").expected("type") == (
        "a likert answer for q1: a label such as 'I høj grad' or 'Ved ikke' (other spellings go under labels: "
        "in the mapping) or a code 4, 3, 2, 1, 8, 9"
    )
    assert (
        Scale.build("status", "s").expected("type") == "a status, 1 (Delvist gennemført) or 2 (Gennemført), for s"
    )
    assert Scale.build("multiple_choice", "m").expected("type") == (
        "0 (not ticked) or 1 (ticked) for the multiple-choice question m"
    )
    assert Scale.build("multiple_choice", "m", ticks=True).expected("scale") == (
        "1 or X (ticked), 0 or blank (not ticked) for the multiple-choice question m"
    )


# ------------------------------------------------------------------------------------ header and rows
@pytest.mark.parametrize(
    "position, letters",
    [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (27, "AB"), (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA")],
)
def test_column_letters(position, letters):
    assert _column_letter(position) == letters


@pytest.mark.parametrize("bad", [0, 2, 4])
def test_a_nameless_column_first_middle_or_last_is_named_by_its_letter_and_the_rest_are_read(bad):
    header = ["Kommunekode", "a", "b", "c", "d"]
    header[bad] = ""
    rows = [(2, ["101", "1", "2", "3", "4"]), (3, ["147", "5", "6", "7", "8"])]
    frame, found = _frame(RawTable(header, rows), "e.csv")
    assert [(p.row, p.column, p.value, p.expected, p.structural) for p in found] == [
        (1, f"column {'ABCDE'[bad]}", "", "a column name in the header (the column holds answers)", True)
    ]
    assert list(frame.columns) == [h for h in header if h]
    assert frame.loc[3].tolist() == [v for h, v in zip(header, rows[1][1]) if h]
    assert list(frame.index) == [2, 3] and frame.index.name == "row"


def test_a_nameless_empty_column_is_no_problem():
    frame, found = _frame(RawTable(["K", "", "a"], [(2, ["101", " ", "1"]), (3, ["147"])]), "e.csv", True)
    assert found == [] and list(frame.columns) == ["K", "a"]
    assert frame["K"].tolist() == ["101", "147"] and frame.loc[2, "a"] == "1" and pd.isna(frame.loc[3, "a"])


@pytest.mark.parametrize("second", [1, 2, 3])
def test_a_duplicated_column_is_read_in_neither_copy_and_the_others_are_read(second):
    header = ["K", "a", "b", "c", "d"]
    header[second + 1] = "a"
    rows = [(2, ["101", "1", "2", "3", "4"])]
    frame, found = _frame(RawTable(header, rows, kind="xlsx"), "e.xlsx")
    assert [(p.row, p.column, p.value, p.expected) for p in found] == [
        (1, "a", "a", "a unique column name (column B has it too)")
    ]
    assert frame.loc[2, "a"] is None
    assert {c: frame.loc[2, c] for c in frame.columns if c not in ("K", "a")} == {
        h: v for h, v in zip(header, rows[0][1]) if h not in ("K", "a")
    }
    assert frame.index.name == "row"


def test_extra_and_missing_fields_are_named_with_their_row():
    table = RawTable(["K", "a"], [(2, ["101", "1", "", "x"]), (3, ["147"]), (4, ["151", "2"])], kind="csv")
    _, found = _frame(table, "e.csv")
    assert [(p.row, p.value, p.expected) for p in found] == [
        (2, "x", "at most 2 cells in the row, as in the header"),
        (
            3,
            "1 fields",
            "2 fields as in the header (row 1); if the tool drops empty trailing fields, set "
            "pad_short_rows: true in the mapping",
        ),
    ]
    table.complete = False
    table.rows = [(2, ["101", "1"]), (3, ["147"])]
    _, found = _frame(table, "e.csv", pad_short_rows=True)
    assert [(p.row, p.value, p.expected) for p in found] == [
        (
            3,
            "1 fields",
            "2 fields as in the header: the file ends inside this row (no line break after it), so "
            "the export was cut off",
        )
    ]
    short_xlsx = RawTable(["K", "a"], [(2, ["101"])], kind="xlsx")
    assert _frame(short_xlsx, "e.xlsx")[1] == []


def test_spss_cases_are_numbered_as_cases():
    frame, _ = _frame(RawTable(["K"], [(1, ["101"])], None, "sav"), "e.sav")
    assert frame.index.name == "case"


def test_the_header_is_the_first_non_blank_row_and_data_rows_skip_blanks():
    records = Records([(1, [None, " "]), (2, ["K", "a"]), (3, [None, None]), (4, ["101", "1"])])
    table, found = table_of(records, "e.csv", None)
    assert found == [] and (table.header, table.header_row, table.rows) == (["K", "a"], 2, [(4, ["101", "1"])])


def test_a_header_row_that_is_missing_or_blank_is_structural(tmp_path):
    mapping, _ = load(tmp_path, BASE + "header_row: 3\n")
    for records in (Records([(1, ["K"]), (2, ["101"])]), Records([(1, ["K"]), (2, ["101"]), (3, ["", None])])):
        with pytest.raises(DataError) as info:
            table_of(records, "e.csv", mapping)
        [problem] = info.value.problems
        assert (problem.row, problem.expected, problem.structural) == (
            3,
            "the header (column names) in row 3, as header_row says",
            True,
        )
    with pytest.raises(DataError):
        table_of(Records([(1, [None])]), "e.csv", None)


def test_a_title_row_is_named_when_the_rows_below_are_wider():
    records = Records([(1, ["Kortlægning 2020"]), (2, ["K", "a", "b"]), (3, ["101", "1", "2"])])
    _, [problem] = table_of(records, "e.csv", None)
    assert (problem.row, problem.value, problem.structural) == (1, "Kortlægning 2020", True)
    assert problem.expected == (
        "column names in the header row (this row has at most one: a title? set header_row: N in the mapping)"
    )
    # One named column over one-cell rows is a table, not a title.
    assert table_of(Records([(1, ["K"]), (2, ["101"])]), "e.csv", None)[1] == []


def test_the_mapping_s_names_in_a_later_row_give_the_header_row_to_set(tmp_path):
    mapping, _ = load(tmp_path, BASE)
    records = Records(
        [
            (1, ["Titel", "x", "y"]),
            (2, ["Kommunekode", "Status", "A samlet"]),
            (3, ["101", "Gennemført", "I høj grad"]),
        ]
    )
    _, [problem] = table_of(records, "e.csv", mapping)
    assert (problem.row, problem.value) == (1, ["Titel", "x", "y"])
    assert problem.expected == (
        f"the header (the column names of {mapping.file}); they are in row 2: set header_row: 2 in the mapping"
    )


def test_a_two_row_header_joins_question_and_option():
    path_mapping = type("M", (), {"header_rows": 2, "header_row": None, "names": lambda self: []})()
    records = Records(
        [
            (1, ["K", "Støtte", None, None, "Note"]),
            (2, [None, "Kurser", "Supervision", None]),
            (3, ["101", "1", None, None, "x"]),
        ]
    )
    table, _ = table_of(records, "e.csv", path_mapping)
    assert table.header == ["K", "Støtte | Kurser", "Støtte | Supervision", "", "Note"]
    assert table.rows == [(3, ["101", "1", None, None, "x"])]


# ------------------------------------------------------------------------------------- the importer
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


def test_municipality_names_ignore_separators_and_need_the_whole_name():
    register = pd.DataFrame(
        {"code": ["169", "173", "101"], "name": ["Høje-Taastrup", "Lyngby-Taarbæk", "København"]}
    )
    by_name = Municipalities.build(register, "name")
    assert by_name.code("HøjeTaastrup") == "169" and by_name.code("Lyngby - Taarbæk") == "173"
    assert by_name.code("Lyngby.Taarbæk") == "173" and by_name.code("Københavns") == "101"
    assert by_name.code("Københavnx") is None  # only a genitive s may follow the name


def test_a_register_without_names_is_read_by_code():
    by_code = Municipalities.build(pd.DataFrame({"code": [101, 147]}))
    assert by_code.codes == {"101", "147"} and by_code.names == {"101": "101", "147": "147"}
    assert by_code.code("147") == "147"


def test_a_no_break_space_inside_a_name_is_a_space():
    from municipal_survey.data.import_cells import nfc

    assert nfc(" A\xa0samlet\xa0") == "A samlet"
    assert nfc("a\u030a") == "å"


def test_a_mixed_encoding_names_both_lines_and_shows_the_bad_line_as_it_is():
    from municipal_survey.data.import_reading import decode_text

    data = b"\nKommunekode;Navn\r\n101;\xc3\xa6 ok\r\n147;\xe6 X  \r\n"
    with pytest.raises(DataError) as info:
        decode_text(data, "e.csv")
    [problem] = info.value.problems
    assert (problem.file, problem.row, problem.column, problem.structural) == ("e.csv", 4, None, True)
    assert problem.value == "147;\\xe6 X  "  # trailing spaces kept, only the line break dropped
    assert problem.expected == (
        "one text encoding (UTF-8 or Windows-1252) for the whole file: mixed encodings, "
        "byte 0xE6 on this line is not UTF-8 (Windows-1252?) while line 3 holds UTF-8 "
        "characters"
    )


def test_read_raw_gives_the_header_and_rows_or_raises(tmp_path):
    from municipal_survey.data.import_reading import read_raw

    path = tmp_path / "e.csv"
    path.write_text("Kommunekode;A\r\n101;1\r\n", encoding="utf-8")
    table = read_raw(path, None)
    assert (table.header, table.rows, table.header_row, table.kind) == (
        ["Kommunekode", "A"],
        [(2, ["101", "1"])],
        1,
        "csv",
    )
    path.write_text("Titel\r\nKommunekode;A\r\n101;1\r\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_raw(path, None)
    assert [(p.row, p.value) for p in info.value.problems] == [(1, "Titel")]


def test_an_unreadable_sav_file_shows_what_pyreadstat_said(tmp_path):
    import pyreadstat

    from municipal_survey.data.import_reading import read_records

    path = tmp_path / "broken.sav"
    path.write_bytes(b"not an spss file")
    try:
        pyreadstat.read_sav(str(path))
    except Exception as exc:  # what the library itself says about the file
        said = str(exc)
    with pytest.raises(DataError) as info:
        read_records(path, None)
    [problem] = info.value.problems
    assert (problem.value, problem.expected, problem.structural) == (said, "a readable SPSS .sav file", True)


def test_a_listed_number_shows_no_value(tmp_path):
    assert problems(tmp_path, BASE + "header_row: [1]\nheader_rows: {a: 1}\n") == [
        (6, "header_row", None, "the header's row number, 1 or more"),
        (7, "header_rows", None, "1 or 2 (question and option rows)"),
    ]


def test_the_mapping_is_read_as_utf8_whatever_the_system_s_text_encoding(tmp_path, monkeypatch):
    import io

    monkeypatch.setattr(io, "text_encoding", lambda encoding, stacklevel=2: encoding or "cp1252")
    mapping, found = load(tmp_path, BASE + "ignore: [Støttetid]\n")
    assert found == [] and mapping.ignore == ["Støttetid"]


def test_a_byte_valid_in_neither_encoding_is_a_structural_problem():
    from municipal_survey.data.import_reading import decode_text

    with pytest.raises(DataError) as info:
        decode_text(b"K;A\r\n101;\x81\r\n", "e.csv")
    [problem] = info.value.problems
    assert (problem.row, problem.value, problem.structural) == (2, "101;\\x81", True)
    assert problem.expected == (
        "one text encoding (UTF-8 or Windows-1252) for the whole file: mixed encodings, "
        "byte 0x81 on this line is valid in neither"
    )


def test_utf8_at_the_very_start_is_not_called_a_byte_order_mark():
    from municipal_survey.data.import_reading import decode_text

    with pytest.raises(DataError) as info:
        decode_text("Ærø;A\r\n".encode() + b"101;\xe6\r\n", "e.csv")
    assert info.value.problems[0].expected.endswith("while line 1 holds UTF-8 characters")
    with pytest.raises(DataError) as info:
        decode_text(b"\xef\xbb\xbfK;A\r\n101;\xe6\r\n", "e.csv")
    assert info.value.problems[0].expected.endswith("while the file starts with a UTF-8 byte order mark")


def csv_records(tmp_path, text: str, mapping_text: str | None = None):
    from municipal_survey.data.import_reading import read_records

    path = tmp_path / "e.csv"
    path.write_text(text, encoding="utf-8")
    mapping = load(tmp_path, mapping_text)[0] if mapping_text else None
    return [rec for _, rec in read_records(path, mapping).records]


def test_the_delimiter_comes_from_the_header_row_the_mapping_names(tmp_path):
    # The title line splits by commas; the header (the last line here) by semicolons.
    assert csv_records(tmp_path, "Titel, med, kommaer\r\nK;A;B\r\n", BASE + "header_row: 2\n") == [
        ["Titel, med, kommaer"],
        ["K", "A", "B"],
    ]


def test_without_header_row_the_first_line_with_fields_gives_the_delimiter(tmp_path):
    assert csv_records(tmp_path, "Kortlægning\r\n\r\nK;A,x;B\r\n101;1;2\r\n") == [
        ["Kortlægning"],
        [],
        ["K", "A,x", "B"],
        ["101", "1", "2"],
    ]
    # A file of one column reads as one column.
    assert csv_records(tmp_path, "K\r\n101\r\n") == [["K"], ["101"]]
    # Only the first 20 lines are looked at.
    assert csv_records(tmp_path, "titel\r\n" * 20 + "K;A\r\n")[-1] == ["K;A"]


def test_an_empty_sheet_names_the_workbook(tmp_path):
    import openpyxl

    from municipal_survey.data.import_reading import read_records

    book = openpyxl.Workbook()
    book.save(tmp_path / "e.xlsx")
    with pytest.raises(DataError) as info:
        read_records(tmp_path / "e.xlsx", None)
    [problem] = info.value.problems
    assert (problem.file, problem.expected) == (
        str(tmp_path / "e.xlsx"),
        "a header row and one row per municipality",
    )


def test_a_two_field_header_below_a_title_gives_the_delimiter(tmp_path):
    assert csv_records(tmp_path, "Titel\r\nK;A\r\n101;1\r\n") == [["Titel"], ["K", "A"], ["101", "1"]]


def test_a_quoted_cell_keeps_its_line_break(tmp_path):
    assert csv_records(tmp_path, 'K;Note\r\n101;"a\r\nb"\r\n') == [["K", "Note"], ["101", "a\r\nb"]]


@pytest.mark.parametrize("ending, complete", [("\r\n", True), ("\n", True), ("\r", True), ("", False)])
def test_a_file_not_ending_in_a_line_break_is_marked_cut_off(tmp_path, ending, complete):
    from municipal_survey.data.import_reading import read_records

    path = tmp_path / "e.csv"
    path.write_bytes(b"K;A\r\n101;1" + ending.encode())
    assert read_records(path, None).complete is complete


def test_a_repeated_header_line_above_the_named_header_row_is_no_problem(tmp_path):
    mapping, _ = load(tmp_path, BASE + "header_row: 2\n")
    header = ["Kommunekode", "Status", "A samlet"]
    records = Records([(1, header), (2, header), (3, ["101", "Gennemført", "I høj grad"])])
    assert table_of(records, "e.csv", mapping)[1] == []


def test_the_header_hint_names_the_first_row_with_the_names_and_shows_three_cells(tmp_path):
    mapping, _ = load(tmp_path, BASE)
    header = ["Kommunekode", "Status", "A samlet"]
    records = Records(
        [(1, ["Titel", "a", "b", "c", "d"]), (2, header), (3, header), (4, ["101", "Gennemført", ""])]
    )
    [problem] = table_of(records, "e.csv", mapping)[1]
    assert problem.value == ["Titel", "a", "b"]
    assert problem.expected.endswith("they are in row 2: set header_row: 2 in the mapping")


def test_multi_select_options_after_a_bad_one_are_read(tmp_path):
    text = (
        BASE
        + "multi_select:\n  S:\n    answered_with: ''\n"
        + "    options: {a: [org_a_stoette_x], b: org_a_samlet, c: org_a_stoette_y}\n"
    )
    mapping, found = load(tmp_path, text)
    assert [(p.row, p.column, p.value, p.expected) for p in found] == [
        (9, "multi_select", None, "a multiple-choice question id in the codebook for option 'a'"),
        (9, "multi_select", "org_a_samlet", "a multiple-choice question id in the codebook for option 'b'"),
        (8, "multi_select", None, "the name of an export column"),
    ]
    assert mapping.multi_select["S"].options == {"c": "org_a_stoette_y"}


def test_header_names_from_numbers_dates_and_booleans():
    import datetime as dt

    from municipal_survey.data.import_reading import _header_names

    assert _header_names([2020.0, dt.datetime(2020, 1, 1), True, " A ", None], None) == [
        "2020",
        "2020-01-01 00:00:00",
        "True",
        "A",
        "",
    ]


def test_a_two_row_header_longer_in_either_row():
    from municipal_survey.data.import_reading import _header_names

    assert _header_names(["K", "Q"], ["", "a", "b"]) == ["K", "Q | a", "Q | b"]
    assert _header_names(["K", "Q", "R"], [None, "a"]) == ["K", "Q | a", "R"]
    assert _header_names(["", "Q"], ["a", "b"]) == ["a", "Q | b"]


def test_extra_cells_are_a_structural_problem():
    _, [problem] = _frame(RawTable(["K"], [(2, ["101", "x"])], kind="xlsx"), "e.xlsx")
    assert (problem.row, problem.value, problem.structural) == (2, "x", True)


def test_labels_and_column_labels_after_a_bad_entry_are_read(tmp_path):
    mapping, found = load(
        tmp_path,
        BASE + "labels:\n  farve: {Rød: 1}\n  likert: {Ja: 4}\n"
        "column_labels:\n  Andet: {Ja: 1}\n  A samlet: {Nej: 1}\n",
    )
    assert [(p.row, p.column) for p in found] == [(7, "labels"), (10, "column_labels")]
    assert mapping.labels["likert"] == {"ja": 4} and mapping.column_labels == {"A samlet": {"nej": 1}}


def test_cells_keep_their_type_in_a_column_with_blanks():
    frame, _ = _frame(RawTable(["K", "a"], [(2, ["101", 7]), (3, ["147", None])], kind="xlsx"), "e.xlsx")
    assert type(frame.loc[2, "a"]) is int and frame.loc[3, "a"] is None  # 7, not 7.0 in a message


def test_a_cut_off_last_row_is_structural():
    table = RawTable(["K", "a"], [(2, ["101"])], kind="csv", complete=False)
    _, [problem] = _frame(table, "e.csv", pad_short_rows=True)
    assert problem.structural is True and problem.row == 2


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


def test_a_one_column_header_without_data_rows_is_read():
    table, found = table_of(Records([(1, ["Kommunekode"])]), "e.csv", None)
    assert found == [] and table.header == ["Kommunekode"] and table.rows == []


def test_file_level_problems_of_read_records(tmp_path):
    from municipal_survey.data.import_reading import read_records

    def problem_of(path):
        with pytest.raises(DataError) as info:
            read_records(path, None)
        [problem] = info.value.problems
        return problem.file, problem.row, problem.column, problem.value, problem.expected, problem.structural

    assert problem_of(tmp_path / "e.json") == (
        str(tmp_path / "e.json"),
        None,
        None,
        ".json",
        "a .csv, .xlsx or .sav export",
        True,
    )
    assert problem_of(tmp_path / "none.csv") == (
        str(tmp_path / "none.csv"),
        None,
        None,
        None,
        "an existing export file",
        True,
    )
    (tmp_path / "one.csv").write_text("K", encoding="utf-8")
    assert read_records(tmp_path / "one.csv", None).records == [(1, ["K"])]


def test_a_header_of_two_names_over_wider_rows_is_no_title():
    _, found = table_of(Records([(1, ["K", "A"]), (2, ["101", "1", "2"])]), "e.csv", None)
    assert found == []
    _, [problem] = table_of(Records([(1, ["Titel"]), (2, ["101", "1"])]), "e.csv", None)
    assert problem.file == "e.csv"


def test_without_a_mapping_the_first_sheet_and_the_value_labels_are_read(tmp_path):
    import openpyxl
    import pyreadstat

    from municipal_survey.data.import_reading import read_records

    book = openpyxl.Workbook()
    book.active.append(["Kommunekode", "A"])
    book.create_sheet("Andet").append(["x"])
    book.save(tmp_path / "e.xlsx")
    assert read_records(tmp_path / "e.xlsx", None).records == [(1, ["Kommunekode", "A"])]
    frame = pd.DataFrame({"Kommunekode": [101.0], "A": [3.0]})
    pyreadstat.write_sav(frame, str(tmp_path / "e.sav"), variable_value_labels={"A": {3.0: "I høj grad"}})
    assert read_records(tmp_path / "e.sav", None).records == [(1, [101.0, "I høj grad"])]


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


def test_header_rows_1_is_allowed_and_a_listed_sheet_shows_no_value(tmp_path):
    assert problems(tmp_path, BASE + "header_rows: 1\n") == []
    assert problems(tmp_path, BASE + "sheet: [1]\n") == [(6, "sheet", None, "a sheet name or position")]


@pytest.mark.parametrize("length, shown", [(80, None), (81, 77)])
def test_a_bad_line_is_shown_up_to_80_characters(length, shown):
    from municipal_survey.data.import_reading import decode_text

    # The bad byte is shown as the four characters \xe6, so the line shows `length` characters.
    shown_line = "101;\\xe6" + "X" * (length - 8)
    data = "Ærø;A\r\n".encode() + b"101;\xe6" + b"X" * (length - 8) + b"\r\n"
    with pytest.raises(DataError) as info:
        decode_text(data, "e.csv")
    value = info.value.problems[0].value
    assert value == (shown_line if shown is None else shown_line[:77] + "...")


def test_read_raw_follows_the_mapping(tmp_path):
    from municipal_survey.data.import_reading import read_raw

    path = tmp_path / "e.csv"
    path.write_text("Titel, med, komma\r\nKommunekode;Status\r\n101;Gennemført\r\n", encoding="utf-8")
    mapping, _ = load(tmp_path, BASE + "header_row: 2\n")
    table = read_raw(path, mapping)
    assert (table.header, table.header_row) == (["Kommunekode", "Status"], 2)
    path.write_text("Titel\r\nKommunekode;Status\r\n101;Gennemført\r\n", encoding="utf-8")
    mapping, _ = load(tmp_path, BASE)
    with pytest.raises(DataError) as info:
        read_raw(path, mapping)
    [problem] = info.value.problems
    assert (problem.file, problem.row) == (str(path), 1)
    assert problem.expected.endswith("they are in row 2: set header_row: 2 in the mapping")
