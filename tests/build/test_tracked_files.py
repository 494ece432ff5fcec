"""The tracked-files check (build.tracked_files): no file under version control holds answers by
municipality other than the synthetic dataset.

The repository itself passes, and git ignores the places real answers live. A wide export committed by
mistake, in any shape the importer reads (CSV, TSV, JSON; codes or names; title rows, two-row headers),
makes the check, and so `make test`, fail with the file named; register, codebook, published numbers and
the synthetic file pass. File by file: how text tables are read (delimiter, encoding, JSON shapes), when a
table counts as answers by municipality (the 80 pct. thresholds, two answer columns), and that one file
never ends the scan of the files after it."""
from __future__ import annotations

import json
import os
import shutil
import subprocess

import export_shapes
import openpyxl
import pandas as pd
import pyreadstat
import pytest

from municipal_survey.build import tracked_files as tf
from municipal_survey.data import paths

# The repository the package belongs to (the one `make test` checks).
REPOSITORY = paths.PROJECT_ROOT


# ---------------------------------------------------------------------------- the repository itself
def in_git_work_tree() -> bool:
    if shutil.which("git") is None:
        return False
    done = subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], cwd=REPOSITORY, capture_output=True)
    return done.returncode == 0


needs_git = pytest.mark.skipif(not in_git_work_tree(), reason="not a git work tree: nothing is tracked")


@needs_git
def test_no_tracked_file_holds_responses_other_than_the_synthetic_ones():
    findings = tf.check_tracked_files(REPOSITORY)
    assert findings == [], "\n".join(map(str, findings))


@needs_git
def test_the_synthetic_responses_are_tracked_where_the_check_expects_them():
    assert tf.SYNTHETIC_FILE in tf.tracked_files(REPOSITORY)
    assert (REPOSITORY / tf.SYNTHETIC_FILE).resolve() == paths.SYNTHETIC_RESPONSES.resolve()


@needs_git
@pytest.mark.parametrize("path", [
    "data/imported/responses.csv", "data/raw/export.csv", "data/real/answers.csv",
    "eksport.sav", "data/kommuner.xlsx", "noget/svar.zsav", "svar.xlsm", "fixture-export/export.csv",
])
def test_git_ignores_where_real_answers_live(path):
    done = subprocess.run(["git", "check-ignore", "--no-index", "-q", path], cwd=REPOSITORY)
    assert done.returncode == 0, f"{path} is not ignored by .gitignore"


@needs_git
@pytest.mark.parametrize("path", ["tests/fixtures/export.sav", "tests/fixtures/wide/export.xlsx"])
def test_fixtures_may_be_committed(path):
    done = subprocess.run(["git", "check-ignore", "--no-index", "-q", path], cwd=REPOSITORY)
    assert done.returncode == 1, f"{path} should not be ignored"


def test_git_ignores_the_folder_for_real_exports():
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    for name in ("data/private/eksport.csv", "data/private/kortlaegning.yml", "data/private/sub/svar.json"):
        done = subprocess.run(["git", "check-ignore", "--no-index", "-q", name], cwd=paths.PROJECT_ROOT)
        assert done.returncode == 0, f"{name} is not ignored by .gitignore"


# --------------------------------------------------------------------------- exports in every shape
@pytest.fixture(scope="module")
def real():
    from municipal_survey.data.codebook import load_codebook
    from municipal_survey.data.register import load_register
    from municipal_survey.data.responses import load_responses

    codebook, register = load_codebook(), load_register()
    responses = load_responses(codebook=codebook, register=register)
    few = responses[responses["municipality"].isin(sorted(responses["municipality"].unique())[:8])]
    return codebook, register, few


def findings(root, names, codebook, register):
    return [(f.where, f.what) for f in tf.check_tracked_files(root, files=names, question_ids=codebook["question"],
                                                           register=register)]


def as_text_table(xlsx, target, sep=",", encoding="utf-8"):
    rows = list(openpyxl.load_workbook(xlsx).worksheets[-1].iter_rows(values_only=True))
    target.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(target, sep=sep, index=False, header=False, encoding=encoding)


@pytest.mark.parametrize("shape", ["surveyxact", "surveymonkey", "unicode_text", "enalyzer", "forms",
                                   "spss-as-csv", "tsv", "json-records", "json-columns", "codes-only-numbers"])
def test_a_committed_export_is_found_in_every_shape(tmp_path, real, shape):
    codebook, register, responses = real
    made = tmp_path / "made"
    suffix = {"tsv": "tsv", "unicode_text": "txt"}.get(shape, "json" if shape.startswith("json") else "csv")
    name = f"notebooks/data/kommuner_svar.{suffix}"
    target = tmp_path / name
    target.parent.mkdir(parents=True)
    if shape in ("surveyxact", "surveymonkey", "unicode_text"):
        export, _ = export_shapes.write(shape, responses, codebook, register, made)
        shutil.copy(export, target)
    elif shape in ("enalyzer", "forms"):
        export, _ = export_shapes.write(shape, responses, codebook, register, made)
        as_text_table(export, target, sep=";", encoding="cp1252")
    else:
        export, _ = export_shapes.write("spss", responses, codebook, register, made)
        frame = pyreadstat.read_sav(str(export))[0]
        frame["kommune"] = frame["kommune"].astype(int).astype(str)
        frame = frame.drop(columns="email")
        if shape == "tsv":
            frame.to_csv(target, sep="\t", index=False)
        elif shape == "json-records":
            target.write_text(frame.to_json(orient="records"), encoding="utf-8")
        elif shape == "json-columns":
            target.write_text(json.dumps({c: frame[c].tolist() for c in frame.columns}), encoding="utf-8")
        elif shape == "codes-only-numbers":
            frame.astype(object).where(frame.notna(), "").map(
                lambda v: int(v) if isinstance(v, float) else v).to_csv(target, index=False)
        else:
            frame.to_csv(target, index=False)  # as SPSS writes numbers: 3.0
    got = findings(tmp_path, [name], codebook, register)
    assert [where for where, _ in got] == [name]
    assert "holds answers by municipality" in got[0][1]


def test_binary_tables_the_check_cannot_read_are_found_by_their_suffix(tmp_path, real):
    codebook, register, _ = real
    names = ["data/svar.parquet", "analysis/svar.feather", "tests/fixtures/export.parquet"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"PAR1")
    assert [w for w, _ in findings(tmp_path, names, codebook, register)] == names[:2]


def test_the_project_s_own_tables_and_fixtures_pass(tmp_path, real):
    codebook, register, responses = real
    names = ["data/register/municipalities.csv", "data/codebook/questions_ch1.csv",
             "data/published/published_k2.csv", "data/synthetic/responses.csv", "data/codebook/support_forms.csv"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(paths.PROJECT_ROOT / name, tmp_path / name)
    export, _ = export_shapes.write("surveyxact", responses, codebook, register, tmp_path / "tests" / "fixtures")
    names.append("tests/fixtures/surveyxact.csv")
    # A table of shares by region, and register facts by municipality, are not answers.
    (tmp_path / "regions.csv").write_text("region,andel,n\nRegion Hovedstaden,46,28\nRegion Sjælland,40,17\n")
    (tmp_path / "sizes.csv").write_text("\n".join(["kommune,folketal,areal"] + [
        f"{c},{p},{p % 300}" for c, p in zip(register["code"], register["population"])]) + "\n")
    names += ["regions.csv", "sizes.csv"]
    assert findings(tmp_path, names, codebook, register) == []


def test_a_committed_wide_export_makes_the_check_fail_naming_it(tmp_path, real):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    codebook, register, responses = real
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    export, _ = export_shapes.write("surveyxact", responses, codebook, register, tmp_path / "notebooks" / "data")
    export.rename(tmp_path / "notebooks" / "data" / "kommuner_svar.csv")
    subprocess.run(["git", "add", "notebooks/data/kommuner_svar.csv"], cwd=tmp_path, check=True)
    got = tf.check_tracked_files(tmp_path, question_ids=codebook["question"], register=register)
    assert [str(f).split(":")[0] for f in got] == ["notebooks/data/kommuner_svar.csv"]


def test_a_file_deleted_from_the_work_tree_does_not_end_the_scan(tmp_path, real):
    codebook, register, responses = real
    export, _ = export_shapes.write("surveyxact", responses, codebook, register, tmp_path)
    names = ["deleted.csv", "deleted.sav.txt", export.name, "notes/after.json"]
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "after.json").write_text(json.dumps(
        [{"Kommune": name, "Status": "Gennemført", "Strategi": "I høj grad"} for name in register["name"][:6]]),
        encoding="utf-8")
    assert [w for w, _ in findings(tmp_path, names, codebook, register)] == [export.name, "notes/after.json"]


# ----------------------------------------------------------------------- the check on planted trees
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


SAFE = {
    "data/synthetic/responses.csv": "wave,municipality,question,answer\n2020,101,meta_status,2\n",
    "data/register/municipalities.csv":
        "code,name,region,population,population_year\n101,København,Region Hovedstaden,1,2020\n",
    "data/codebook/questions_ch1.csv": "question,order,chapter\norg_kvalitet_samlet,1,1\n",
    "tests/fixtures/export.sav": "binary",
    "tests/fixtures/export.csv": "Kommunekode,org_kvalitet_samlet,org_sektorer_samlet,org_kommuner_samlet\n",
    "notebooks/01_organisering.ipynb":
        '{"outputs": [{"text": "syntetiske (kalibrerede) data: responses.csv, sha256 681f736de339\\n"}]}',
    "README.md": "Real data go in data/imported/ (importerede data are never committed).\n",
}


LEAKS = {
    "data/imported_copy.csv": "wave,municipality,question,answer\n2020,101,meta_status,2\n",
    "analysis/svar.txt": "\ufeff\"wave\";\"municipality\";\"question\";\"answer\";\"note\"\r\n",
    "tests/fixtures/responses.csv": "wave,municipality,question,answer\n",
    "data/synthetic/responses_real.csv": "wave\tmunicipality\tquestion\tanswer\n",
    "exports/kommuner.sav": "binary",
    "exports/Kommuner.XLSX": "binary",
    "docs/svar.zsav": "binary",
    "wide.csv": "Kommunekode;org_kvalitet_samlet;org_sektorer_samlet;org_kommuner_samlet\n101;I høj grad;;\n",
    "notebooks/02_maalgrupper.ipynb":
        '{"outputs": [{"text": "importerede data: responses.csv, sha256 0123456789ab\\n"}]}',
}


def write_tree(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_tracked_files_check_passes_synthetic_register_codebook_and_fixtures(tmp_path):
    write_tree(tmp_path, SAFE)
    assert tf.check_tracked_files(tmp_path, files=SAFE, question_ids=QUESTIONS) == []


@pytest.mark.parametrize("name", sorted(LEAKS))
def test_tracked_files_check_catches_responses_outside_the_synthetic_file(tmp_path, name):
    write_tree(tmp_path, SAFE | {name: LEAKS[name]})
    findings = tf.check_tracked_files(tmp_path, files=[*SAFE, name], question_ids=QUESTIONS)
    assert [f.where for f in findings] == [name]


def test_tracked_files_are_what_git_tracks_or_has_staged(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    write_tree(tmp_path, {"data/imported/responses.csv": LEAKS["data/imported_copy.csv"],
                          "staged.csv": LEAKS["data/imported_copy.csv"], "notes.md": "hello\n"})
    (tmp_path / ".gitignore").write_text("data/imported/\n")
    subprocess.run(["git", "add", "staged.csv", "notes.md"], cwd=tmp_path, check=True)
    assert sorted(tf.tracked_files(tmp_path)) == ["notes.md", "staged.csv"]
    findings = tf.check_tracked_files(tmp_path, question_ids=QUESTIONS)
    assert [f.where for f in findings] == ["staged.csv"]  # staged is enough; the ignored file is not seen


def test_tracked_files_outside_git_is_an_error(tmp_path):
    with pytest.raises(RuntimeError, match="not a git work tree"):
        tf.tracked_files(tmp_path / "nowhere")


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
    # Two columns holding nothing but this cell beside the municipalities: answers exactly when it is a code.
    codes = ["Kommune", *REGISTER["code"]]
    assert (why(rows_of(codes, ["a", *[text] * 10], ["b", *[text] * 10])) is not None) is code


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


def rows_of_bytes(tmp_path, data: bytes, name: str = "t.csv") -> list[list[object]]:
    path = tmp_path / name
    path.write_bytes(data)
    return tf.read_rows(path)


def test_a_file_that_is_not_utf8_or_cp1252_is_read_as_latin1(tmp_path):
    assert rows_of_bytes(tmp_path, b"\x81\xe6") == [["\x81æ"]]
    assert rows_of_bytes(tmp_path, "\ufeffæ".encode("utf-8")) == [["æ"]]
    assert rows_of_bytes(tmp_path, "æ".encode("cp1252")) == [["æ"]]


def test_an_empty_file_has_no_rows(tmp_path):
    (tmp_path / "e.csv").write_text("\n  \n", encoding="utf-8")
    assert tf.read_rows(tmp_path / "e.csv") == []


def test_only_the_first_rows_are_read(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("\n".join(f"{i},a" for i in range(1000)) + "\n", encoding="utf-8")
    rows = tf.read_rows(path)
    assert len(rows) == tf.MAX_ROWS == 400 and rows[-1] == ["399", "a"]


def json_rows(tmp_path, text: str) -> list[list[object]]:
    return rows_of_bytes(tmp_path, text.encode("utf-8"), "t.json")


def test_json_shapes(tmp_path):
    records = [{"Kommune": "101", "a": "Ja"}, {"Kommune": "147", "b": "Nej"}]
    assert json_rows(tmp_path, json.dumps(records)) == [["Kommune", "a", "b"], ["101", "Ja", None],
                                                       ["147", None, "Nej"]]
    columns = {"Kommune": ["101", "147"], "a": ["Ja", "Nej"]}
    assert json_rows(tmp_path, json.dumps(columns)) == [["Kommune", "a"], ["101", "Ja"], ["147", "Nej"]]
    nested = {"Kommune": {"0": "101", "1": "147"}, "a": {"0": "Ja", "1": "Nej"}}
    assert json_rows(tmp_path, json.dumps(nested)) == [["Kommune", "a"], ["101", "Ja"], ["147", "Nej"]]
    lines = "\n".join(json.dumps(r) for r in records) + "\n\n"
    assert json_rows(tmp_path, lines) == [["Kommune", "a", "b"], ["101", "Ja", None], ["147", None, "Nej"]]
    for other in ("[1, 2]", "{}", "[]", '{"a": 1}', "{not json", '{"a": [1], "b": 2}', '{"a": {"x": 1}, "b": 2}'):
        assert json_rows(tmp_path, other) == [], other


def test_json_is_cut_to_the_first_rows(tmp_path):
    records = [{"Kommune": str(i)} for i in range(500)]
    assert len(json_rows(tmp_path, json.dumps(records))) == tf.MAX_ROWS + 1  # the header and 400 records
    columns = {"Kommune": list(range(500))}
    assert len(json_rows(tmp_path, json.dumps(columns))) == tf.MAX_ROWS
    nested = {"Kommune": {str(i): i for i in range(500)}}
    assert len(json_rows(tmp_path, json.dumps(nested))) == tf.MAX_ROWS


def test_a_header_is_read_whatever_its_byte_order_mark_quotes_spaces_case_delimiter_and_encoding(tmp_path):
    found = check(tmp_path, {
        "a.txt": '\ufeff "Wave" ; municipality;QUESTION ;answer\r\n',
        "b.txt": "wave|municipality|question|answer\n",
        "c.txt": "Æble;org_kvalitet_samlet;org_sektorer_samlet;org_kommuner_samlet\r\nc\n".encode("cp1252"),
        "d.txt": b""})
    assert [(where, what.split(" (")[0]) for where, what in found] == [
        ("a.txt", "holds tidy survey responses"), ("b.txt", "holds tidy survey responses"),
        ("c.txt", "holds a wide table of answers")]


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


def test_windows_1252_is_tried_before_latin1(tmp_path):
    # The euro sign of Windows-1252, not a control character.
    assert rows_of_bytes(tmp_path, b"pris \x80 5") == [["pris € 5"]]


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
    # Only the start of a file is read for its header: not a tidy header 100,000 characters into the line.
    header = "x,wave,municipality,question,answer\n"
    assert [w for w, _ in check(tmp_path, {"short.txt": header})] == ["short.txt"]
    assert check(tmp_path, {"long.txt": "x" * 100_000 + header}) == []


def test_a_notebook_with_a_stray_byte_is_still_checked(tmp_path):
    found = check(tmp_path, {"n.ipynb": b'{"outputs": ["\xff", "importerede data: r.csv, sha256 0123456789ab"]}'})
    assert [w for w, _ in found] == ["n.ipynb"]
