"""Reading an export and its header (data.import_reading): encodings, delimiters, title rows, one- and
two-row headers, nameless, duplicated and extra columns, short and cut-off rows, each problem located
in the export."""

from __future__ import annotations

import pandas as pd
import pytest
from small_mapping import BASE, load

from municipal_survey.data.errors import DataError
from municipal_survey.data.import_reading import RawTable, Records, frame_of, table_of


@pytest.mark.parametrize(
    "position, letters",
    [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (27, "AB"), (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA")],
)
def test_a_nameless_column_is_named_by_its_spreadsheet_letters(position, letters):
    header = [f"q{i}" for i in range(position)] + [""]
    _, [problem] = frame_of(RawTable(header, [(2, ["1"] * (position + 1))]), "e.csv")
    assert problem.column == f"column {letters}"


@pytest.mark.parametrize("bad", [0, 2, 4])
def test_a_nameless_column_first_middle_or_last_is_named_by_its_letter_and_the_rest_are_read(bad):
    header = ["Kommunekode", "a", "b", "c", "d"]
    header[bad] = ""
    rows = [(2, ["101", "1", "2", "3", "4"]), (3, ["147", "5", "6", "7", "8"])]
    frame, found = frame_of(RawTable(header, rows), "e.csv")
    assert [(p.row, p.column, p.value, p.expected, p.structural) for p in found] == [
        (1, f"column {'ABCDE'[bad]}", "", "a column name in the header (the column holds answers)", True)
    ]
    assert list(frame.columns) == [h for h in header if h]
    assert frame.loc[3].tolist() == [v for h, v in zip(header, rows[1][1]) if h]
    assert list(frame.index) == [2, 3] and frame.index.name == "row"


def test_a_nameless_empty_column_is_no_problem():
    frame, found = frame_of(RawTable(["K", "", "a"], [(2, ["101", " ", "1"]), (3, ["147"])]), "e.csv", True)
    assert found == [] and list(frame.columns) == ["K", "a"]
    assert frame["K"].tolist() == ["101", "147"] and frame.loc[2, "a"] == "1" and pd.isna(frame.loc[3, "a"])


@pytest.mark.parametrize("second", [1, 2, 3])
def test_a_duplicated_column_is_read_in_neither_copy_and_the_others_are_read(second):
    header = ["K", "a", "b", "c", "d"]
    header[second + 1] = "a"
    rows = [(2, ["101", "1", "2", "3", "4"])]
    frame, found = frame_of(RawTable(header, rows, kind="xlsx"), "e.xlsx")
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
    _, found = frame_of(table, "e.csv")
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
    _, found = frame_of(table, "e.csv", pad_short_rows=True)
    assert [(p.row, p.value, p.expected) for p in found] == [
        (
            3,
            "1 fields",
            "2 fields as in the header: the file ends inside this row (no line break after it), so "
            "the export was cut off",
        )
    ]
    short_xlsx = RawTable(["K", "a"], [(2, ["101"])], kind="xlsx")
    assert frame_of(short_xlsx, "e.xlsx")[1] == []


def test_spss_cases_are_numbered_as_cases():
    frame, _ = frame_of(RawTable(["K"], [(1, ["101"])], None, "sav"), "e.sav")
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


def test_header_names_from_numbers_dates_and_booleans():
    import datetime as dt

    header = [2020.0, dt.datetime(2020, 1, 1), True, " A ", None]
    table, _ = table_of(Records([(1, header)]), "e.csv", None)
    assert table.header == ["2020", "2020-01-01 00:00:00", "True", "A", ""]


def test_a_two_row_header_longer_in_either_row(tmp_path):
    mapping, _ = load(tmp_path, BASE + "header_rows: 2\n")

    def header(first: list, second: list) -> list[str]:
        return table_of(Records([(1, first), (2, second)]), "e.csv", mapping)[0].header

    assert header(["K", "Q"], ["", "a", "b"]) == ["K", "Q | a", "Q | b"]
    assert header(["K", "Q", "R"], [None, "a"]) == ["K", "Q | a", "R"]
    assert header(["", "Q"], ["a", "b"]) == ["a", "Q | b"]


def test_extra_cells_are_a_structural_problem():
    _, [problem] = frame_of(RawTable(["K"], [(2, ["101", "x"])], kind="xlsx"), "e.xlsx")
    assert (problem.row, problem.value, problem.structural) == (2, "x", True)


def test_cells_keep_their_type_in_a_column_with_blanks():
    frame, _ = frame_of(RawTable(["K", "a"], [(2, ["101", 7]), (3, ["147", None])], kind="xlsx"), "e.xlsx")
    assert type(frame.loc[2, "a"]) is int and frame.loc[3, "a"] is None  # 7, not 7.0 in a message


def test_a_cut_off_last_row_is_structural():
    table = RawTable(["K", "a"], [(2, ["101"])], kind="csv", complete=False)
    _, [problem] = frame_of(table, "e.csv", pad_short_rows=True)
    assert problem.structural is True and problem.row == 2


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
