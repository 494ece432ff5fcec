"""The mapping file (data.import_mapping): every key's problem with its line, column, value and
expectation, at the edges of what is allowed, and the defaults of a clean mapping."""

from __future__ import annotations

import pytest
import yaml
from small_mapping import BASE, CODEBOOK, TICKS, load, problems

from municipal_survey.data.import_mapping import Block, load_mapping


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


def test_labels_and_column_labels_after_a_bad_entry_are_read(tmp_path):
    mapping, found = load(
        tmp_path,
        BASE + "labels:\n  farve: {Rød: 1}\n  likert: {Ja: 4}\n"
        "column_labels:\n  Andet: {Ja: 1}\n  A samlet: {Nej: 1}\n",
    )
    assert [(p.row, p.column) for p in found] == [(7, "labels"), (10, "column_labels")]
    assert mapping.labels["likert"] == {"ja": 4} and mapping.column_labels == {"A samlet": {"nej": 1}}


def test_header_rows_1_is_allowed_and_a_listed_sheet_shows_no_value(tmp_path):
    assert problems(tmp_path, BASE + "header_rows: 1\n") == []
    assert problems(tmp_path, BASE + "sheet: [1]\n") == [(6, "sheet", None, "a sheet name or position")]
