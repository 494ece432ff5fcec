"""The tracked-files check file by file: how text tables are read (delimiter, encoding, JSON shapes),
when a table counts as answers by municipality (the 80 pct. thresholds, two answer columns), and that
one file never ends the scan of the files after it."""
from __future__ import annotations

import json
import os
import shutil
import subprocess

import pandas as pd
import pytest

from municipal_survey.build import tracked_files as tf

REGISTER = pd.DataFrame({"code": ["101", "147", "151", "153", "155", "157", "159", "161", "163", "165"],
                         "name": ["København", "Frederiksberg", "Ballerup", "Brøndby", "Dragør", "Gentofte",
                                  "Gladsaxe", "Glostrup", "Herlev", "Albertslund"]})
QUESTIONS = ["org_kvalitet_samlet", "org_sektorer_samlet", "org_kommuner_samlet", "meta_status"]
MUNICIPALITIES = (tf.Municipalities.build(REGISTER, "code"), tf.Municipalities.build(REGISTER, "name"))
LABELS = ["I høj grad", "Slet ikke", "I mindre grad", "Ved ikke", "I meget høj grad"]


def check(tmp_path, files: dict[str, str | bytes]) -> list[tuple[str, str]]:
    for name, body in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))
    found = tf.check_tracked_files(tmp_path, files=list(files), question_ids=QUESTIONS, register=REGISTER)
    return [(f.where, f.what) for f in found]


def answers_csv(rows: int = 10, sep: str = ",") -> str:
    lines = [sep.join(["kommune", "strategi", "samarbejde"])]
    lines += [sep.join([REGISTER["code"][i], LABELS[i % 5], LABELS[(i + 1) % 5]]) for i in range(rows)]
    return "\n".join(lines) + "\n"


def why(rows) -> str | None:
    return tf.answers_by_municipality(rows, set(QUESTIONS), MUNICIPALITIES)


def rows_of(*columns: list[object]) -> list[list[object]]:
    return [list(r) for r in zip(*columns)]


# -------------------------------------------------------------------------- answers by municipality
def test_the_finding_names_the_municipality_column_and_counts_the_answer_columns():
    rows = rows_of(["Note", *["n"] * 10], ["Kommune", *REGISTER["code"]], ["a", *LABELS * 2],
                   ["b", *LABELS[::-1] * 2], ["c", *["1", "0"] * 5])
    assert why(rows) == ("holds answers by municipality: a column of municipalities (column 2) and 3 columns of "
                         "answers; real answers are never committed (keep exports in data/private/)")


def test_one_column_of_answers_is_not_enough_two_are():
    codes = ["Kommune", *REGISTER["code"]]
    assert why(rows_of(codes, ["a", *LABELS * 2])) is None
    assert why(rows_of(codes, ["a", *LABELS * 2], ["b", *LABELS * 2])) is not None


def test_a_municipality_column_needs_eight_in_ten_register_municipalities():
    answers = (["a", *LABELS * 2], ["b", *LABELS * 2])
    # Header + 10 cells; 80 pct. of the 11 cells is 8.8: nine municipalities pass, eight do not.
    nine = ["Kommune", *REGISTER["code"][:9], "Ukendt"]
    eight = ["Kommune", *REGISTER["code"][:8], "Ukendt", "Ukendt"]
    assert why(rows_of(nine, *answers)) is not None
    assert why(rows_of(eight, *answers)) is None


def test_municipality_names_count_as_well_as_codes():
    names = ["Kommune", *[f"{n} Kommune" for n in REGISTER["name"]]]
    assert why(rows_of(names, ["a", *LABELS * 2], ["b", *LABELS * 2])) is not None


def test_an_answer_column_needs_eight_in_ten_answer_cells():
    codes = ["Kommune", *REGISTER["code"]]
    # Ten cells below the header: eight answers pass, seven do not (the header row is not counted).
    eight = ["a", *LABELS[:4] * 2, "tekst", "tekst"]
    seven = ["b", *LABELS[:4], *LABELS[:3], "tekst", "tekst", "tekst"]
    assert why(rows_of(codes, eight, eight)) is not None
    assert why(rows_of(codes, eight, seven)) is None


def test_answer_codes_and_a_question_id_in_the_first_rows_make_answer_columns():
    codes = ["Kommune", *REGISTER["code"]]
    numbers = ["x", *["3.0", "4,0", "1", "9", "8", "2", "0", "1", "3", "4"]]
    assert why(rows_of(codes, numbers, numbers)) is not None
    not_codes = ["x", *["5", "7", "6", "35", "3.5", "10", "6", "7", "5", "6"]]
    assert why(rows_of(codes, not_codes, not_codes)) is None
    # A question id in the header names an answer column, whatever its cells.
    free_text = ["org_kvalitet_samlet", *["tekst"] * 10]
    assert why(rows_of(codes, free_text, ["META_STATUS", *["tekst"] * 10])) is not None
    # Only the first three rows name the column.
    late = ["", "", "", "org_kvalitet_samlet", *["tekst"] * 7]
    assert why(rows_of(codes, late, free_text)) is None


def test_blank_cells_do_not_count_against_answers():
    codes = ["Kommune", *REGISTER["code"]]
    sparse = ["a", *LABELS, *[None] * 5]
    assert why(rows_of(codes, sparse, sparse)) is not None


def test_a_header_alone_is_no_table_of_answers():
    assert why([["Kommune", "a", "b"]]) is None
    assert why([]) is None


def test_short_rows_are_read_as_blank_cells():
    rows = [["Kommune", "a", "b"], *[[c, LABELS[0], LABELS[1]] for c in REGISTER["code"][:9]],
            [REGISTER["code"][9]]]
    assert why(rows) is not None


@pytest.mark.parametrize("text, code", [("3", True), ("3.0", True), ("3,00", True), ("0", True), ("9", True),
                                        ("5", False), ("6", False), ("3.5", False), ("33", False), ("", False),
                                        ("a", False)])
def test_answer_codes(text, code):
    assert tf._is_code(text) is code


# ------------------------------------------------------------------------------------- reading files
@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_every_delimiter_is_read(tmp_path, sep):
    path = tmp_path / "svar.txt"
    path.write_text(answers_csv(sep=sep), encoding="utf-8")
    rows = tf.read_rows(path)
    assert rows[0] == ["kommune", "strategi", "samarbejde"] and len(rows) == 11
    assert rows[1] == ["101", "I høj grad", "Slet ikke"]


def test_the_delimiter_is_the_one_that_splits_most_lines_alike(tmp_path):
    # Commas inside one text field do not outvote the semicolon that splits every line.
    path = tmp_path / "svar.csv"
    path.write_text("kommune;svar;note\n101;I høj grad;a, b, c, d, e\n147;Slet ikke;x\n151;Ved ikke;y\n",
                    encoding="utf-8")
    assert tf.read_rows(path)[1] == ["101", "I høj grad", "a, b, c, d, e"]


def test_windows_1252_and_blank_lines(tmp_path):
    path = tmp_path / "svar.csv"
    path.write_bytes("kommune;svar\n\n   \n101;Høj\n".encode("cp1252"))
    assert tf.read_rows(path) == [["kommune", "svar"], ["101", "Høj"]]


def test_a_file_that_is_not_utf8_or_cp1252_is_read_as_latin1():
    assert tf._decode(b"\x81\xe6") == "\x81æ"
    assert tf._decode("\ufeffæ".encode("utf-8")) == "æ"
    assert tf._decode("æ".encode("cp1252")) == "æ"


def test_an_empty_file_has_no_rows(tmp_path):
    (tmp_path / "e.csv").write_text("\n  \n", encoding="utf-8")
    assert tf.read_rows(tmp_path / "e.csv") == []


def test_only_the_first_rows_are_read(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("\n".join(f"{i},a" for i in range(1000)) + "\n", encoding="utf-8")
    rows = tf.read_rows(path)
    assert len(rows) == tf.MAX_ROWS == 400 and rows[-1] == ["399", "a"]


def test_json_shapes(tmp_path):
    records = [{"Kommune": "101", "a": "Ja"}, {"Kommune": "147", "b": "Nej"}]
    assert tf._json_rows(json.dumps(records)) == [["Kommune", "a", "b"], ["101", "Ja", None], ["147", None, "Nej"]]
    columns = {"Kommune": ["101", "147"], "a": ["Ja", "Nej"]}
    assert tf._json_rows(json.dumps(columns)) == [["Kommune", "a"], ["101", "Ja"], ["147", "Nej"]]
    nested = {"Kommune": {"0": "101", "1": "147"}, "a": {"0": "Ja", "1": "Nej"}}
    assert tf._json_rows(json.dumps(nested)) == [["Kommune", "a"], ["101", "Ja"], ["147", "Nej"]]
    lines = "\n".join(json.dumps(r) for r in records) + "\n\n"
    assert tf._json_rows(lines) == [["Kommune", "a", "b"], ["101", "Ja", None], ["147", None, "Nej"]]
    for other in ("[1, 2]", "{}", "[]", '{"a": 1}', "{not json", '{"a": [1], "b": 2}', '{"a": {"x": 1}, "b": 2}'):
        assert tf._json_rows(other) == [], other


def test_json_is_cut_to_the_first_rows():
    records = [{"Kommune": str(i)} for i in range(500)]
    assert len(tf._json_rows(json.dumps(records))) == tf.MAX_ROWS + 1  # the header and 400 records
    columns = {"Kommune": list(range(500))}
    assert len(tf._json_rows(json.dumps(columns))) == tf.MAX_ROWS
    nested = {"Kommune": {str(i): i for i in range(500)}}
    assert len(tf._json_rows(json.dumps(nested))) == tf.MAX_ROWS


def test_header_fields_and_first_line(tmp_path):
    assert tf._header_fields('\ufeff "Wave" ; municipality;QUESTION ;answer\r') == ["wave", "municipality",
                                                                                   "question", "answer"]
    assert tf._header_fields("a|b|c") == ["a", "b", "c"]
    path = tmp_path / "f.csv"
    path.write_bytes("Æble;b\r\nc\n".encode("cp1252"))
    assert tf._first_line(path) == "Æble;b"
    path.write_bytes(b"")
    assert tf._first_line(path) == ""


# ------------------------------------------------------------------------------------------ the scan
def test_each_kind_of_file_is_found_and_none_ends_the_scan(tmp_path):
    files = {
        "a/export.sav": b"binary",
        "b/notebook.ipynb": '{"outputs": [{"text": "importerede data: r.csv, sha256 0123456789ab"}]}',
        "c/clean.ipynb": '{"outputs": [{"text": "syntetiske (kalibrerede) data: r.csv, sha256 0123456789ab"}]}',
        "d/tidy.csv": "wave,municipality,question,answer\n",
        "tests/fixtures/ok.csv": answers_csv(),
        "e/wide.csv": "Kommunekode,org_kvalitet_samlet,org_sektorer_samlet,meta_status\n",
        "f/answers.csv": answers_csv(),
        "g/notes.md": answers_csv(),
        "h/last.tsv": answers_csv(sep="\t"),
    }
    found = check(tmp_path, files)
    assert [w for w, _ in found] == ["a/export.sav", "b/notebook.ipynb", "d/tidy.csv", "e/wide.csv",
                                     "f/answers.csv", "h/last.tsv"]
    assert found[0][1] == ("a survey-tool export or binary table (.sav/.xlsx/.parquet/...) is tracked outside "
                           "tests/fixtures/; real answers are never committed")
    assert found[1][1] == ("the notebook's outputs were computed from imported data; re-execute it on the "
                           "synthetic data (make execute)")
    assert found[2][1] == ("holds tidy survey responses (header wave, municipality, question, answer); only "
                           "data/synthetic/responses.csv may")
    assert found[3][1] == "holds a wide table of answers (codebook question ids as columns)"


def test_a_tidy_header_in_the_fixtures_is_still_a_finding_but_the_synthetic_file_is_not(tmp_path):
    tidy = "wave,municipality,question,answer\n2020,101,meta_status,2\n"
    found = check(tmp_path, {"tests/fixtures/tidy.csv": tidy, tf.SYNTHETIC_FILE: tidy,
                             "tests/fixturesX.csv": tidy})
    assert [w for w, _ in found] == ["tests/fixtures/tidy.csv", "tests/fixturesX.csv"]


def test_exports_in_the_fixtures_folder_pass_but_not_in_a_similarly_named_one(tmp_path):
    found = check(tmp_path, {"tests/fixtures/e.xlsx": b"x", "tests/fixtures_old/e.XLSM": b"x",
                             "tests/fixtures/sub/e.sav": b"x", "e.Parquet": b"x"})
    assert [w for w, _ in found] == ["tests/fixtures_old/e.XLSM", "e.Parquet"]


def test_two_question_ids_as_columns_are_not_yet_a_wide_table(tmp_path):
    found = check(tmp_path, {"two.csv": "Kommunekode,org_kvalitet_samlet,meta_status\n",
                             "three.csv": "Kommunekode;ORG_KVALITET_SAMLET;Meta_Status;org_sektorer_samlet\n"})
    assert [w for w, _ in found] == ["three.csv"]


def test_files_that_are_no_text_tables_are_not_read_for_answers(tmp_path):
    found = check(tmp_path, {"notes.md": answers_csv(), "data.CSV": answers_csv(), "data.jsonl": "\n".join(
        json.dumps({"kommune": c, "a": LABELS[0], "b": LABELS[1]}) for c in REGISTER["code"])})
    assert [w for w, _ in found] == ["data.CSV", "data.jsonl"]


def test_files_missing_from_the_work_tree_are_skipped(tmp_path):
    (tmp_path / "there.csv").write_text(answers_csv(), encoding="utf-8")
    found = tf.check_tracked_files(tmp_path, files=["gone.csv", "gone.ipynb", "there.csv"], question_ids=QUESTIONS,
                                   register=REGISTER)
    assert [f.where for f in found] == ["there.csv"]


# ---------------------------------------------------------------------------- found by mutation testing
def test_a_folder_that_is_not_a_git_work_tree_is_an_error(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    with pytest.raises(RuntimeError, match="is not a git work tree"):
        tf.tracked_files(tmp_path)


def test_tracked_names_that_are_not_utf8_are_kept(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    try:
        (tmp_path / os.fsdecode(b"svar\xff.csv")).write_text("a\n", encoding="utf-8")
    except (OSError, UnicodeError):
        pytest.skip("the file system does not take such names")
    subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
    assert tf.tracked_files(tmp_path) == ["svar\udcff.csv"]


def test_windows_1252_is_tried_before_latin1():
    assert tf._decode(b"pris \x80 5") == "pris € 5"  # the euro sign of Windows-1252, not a control character


def test_only_the_first_megabyte_is_read(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(("a," + "x" * 4997 + "\n") * 300, encoding="utf-8")  # 5000 bytes a line
    assert len(tf.read_rows(path)) == 200


def test_only_the_first_twenty_lines_vote_on_the_delimiter(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a;b,c\n" * 20 + "a;b,c,d\n", encoding="utf-8")
    # Comma and semicolon split the first twenty lines alike: the comma (first candidate) wins.
    assert tf.read_rows(path)[0] == ["a;b", "c"]


def test_json_lines_in_an_ndjson_file_are_read(tmp_path):
    path = tmp_path / "svar.ndjson"
    path.write_text("\n".join(json.dumps({"kommune": c, "a": LABELS[0], "b": LABELS[1]})
                              for c in REGISTER["code"]), encoding="utf-8")
    assert tf.read_rows(path)[:2] == [["kommune", "a", "b"], ["101", LABELS[0], LABELS[1]]]


def test_blank_columns_are_no_answers():
    codes = ["Kommune", *REGISTER["code"]]
    assert why(rows_of(codes, ["a", *[None] * 10], ["b", *[""] * 10])) is None


def test_a_table_of_two_rows_without_a_header_is_read():
    assert why([["101", LABELS[0], LABELS[1]], ["147", LABELS[2], LABELS[3]]]) is not None
    assert why([["101", LABELS[0], LABELS[1]]]) is None


def test_eight_codes_in_ten_cells_make_an_answer_column_from_the_first_data_row():
    codes = ["Kommune", *REGISTER["code"]]
    eight = ["x", "3", "4", "1", "2", "8", "9", "1", "2", "tekst", "tekst"]
    assert why(rows_of(codes, eight, eight)) is not None
    seven = ["x", "3", "4", "1", "2", "8", "9", "1", "tekst", "tekst", "tekst"]
    assert why(rows_of(codes, seven, seven)) is None


def test_the_first_line_is_read_up_to_its_limit(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("wave,municipality,question,answer\n", encoding="utf-8")
    assert tf._first_line(path, 5) == "wave,"


def test_a_notebook_with_a_stray_byte_is_still_checked(tmp_path):
    found = check(tmp_path, {"n.ipynb": b'{"outputs": ["\xff", "importerede data: r.csv, sha256 0123456789ab"]}'})
    assert [w for w, _ in found] == ["n.ipynb"]
