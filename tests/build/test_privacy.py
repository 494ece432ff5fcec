"""Privacy and disclosure control (the disclosure rule in book/metode.md).

- Real answers are never committed: git ignores the places they live, and no tracked file holds
  responses other than the synthetic dataset. That data/synthetic/responses.csv is a fresh generation
  byte for byte (so it holds no real answer) is tests/test_calibration.py::test_regeneration_is_byte_identical.
- The built book shows no municipality's own answers and no unsuppressed breakdown cell under the threshold
  (the check over the real build runs after it in `make test`: make disclosure-check).
- `suppress_small` is the helper breakdown tables (chapter 3) use.
"""
import base64
import shutil
import subprocess

import pandas as pd
import pytest

from municipal_survey.analysis.disclosure import MARK, Finding, suppress_small
from municipal_survey.analysis.disclosure import MIN_COUNT as T  # the book's threshold (data/settings.yml)
from municipal_survey.build import disclosure_check, tracked_files
from municipal_survey.build.disclosure_check import Table
from municipal_survey.data import paths
from municipal_survey.report.tables import table_html

ROOT = paths.PROJECT_ROOT


def in_git_work_tree() -> bool:
    if shutil.which("git") is None:
        return False
    done = subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], cwd=ROOT, capture_output=True)
    return done.returncode == 0


needs_git = pytest.mark.skipif(not in_git_work_tree(), reason="not a git work tree: nothing is tracked")


# ----------------------------------------------------------------------------- the repository itself
@needs_git
def test_no_tracked_file_holds_responses_other_than_the_synthetic_ones():
    findings = tracked_files.check_tracked_files(ROOT)
    assert findings == [], "\n".join(map(str, findings))


@needs_git
def test_the_synthetic_responses_are_tracked_where_the_check_expects_them():
    assert tracked_files.SYNTHETIC_FILE in tracked_files.tracked_files(ROOT)
    assert (ROOT / tracked_files.SYNTHETIC_FILE).resolve() == paths.SYNTHETIC_RESPONSES.resolve()


@needs_git
@pytest.mark.parametrize("path", [
    "data/imported/responses.csv", "data/raw/export.csv", "data/real/answers.csv",
    "eksport.sav", "data/kommuner.xlsx", "noget/svar.zsav", "svar.xlsm", "fixture-export/export.csv",
])
def test_git_ignores_where_real_answers_live(path):
    done = subprocess.run(["git", "check-ignore", "--no-index", "-q", path], cwd=ROOT)
    assert done.returncode == 0, f"{path} is not ignored by .gitignore"


@needs_git
@pytest.mark.parametrize("path", ["tests/fixtures/export.sav", "tests/fixtures/wide/export.xlsx"])
def test_fixtures_may_be_committed(path):
    done = subprocess.run(["git", "check-ignore", "--no-index", "-q", path], cwd=ROOT)
    assert done.returncode == 1, f"{path} should not be ignored"


# -------------------------------------------------------------------------- the tracked-files check
QUESTIONS = ["org_kvalitet_samlet", "org_sektorer_samlet", "org_kommuner_samlet", "meta_status"]
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
    assert tracked_files.check_tracked_files(tmp_path, files=SAFE, question_ids=QUESTIONS) == []


@pytest.mark.parametrize("name", sorted(LEAKS))
def test_tracked_files_check_catches_responses_outside_the_synthetic_file(tmp_path, name):
    write_tree(tmp_path, SAFE | {name: LEAKS[name]})
    findings = tracked_files.check_tracked_files(tmp_path, files=[*SAFE, name], question_ids=QUESTIONS)
    assert [f.where for f in findings] == [name]


def test_tracked_files_are_what_git_tracks_or_has_staged(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    write_tree(tmp_path, {"data/imported/responses.csv": LEAKS["data/imported_copy.csv"],
                          "staged.csv": LEAKS["data/imported_copy.csv"], "notes.md": "hello\n"})
    (tmp_path / ".gitignore").write_text("data/imported/\n")
    subprocess.run(["git", "add", "staged.csv", "notes.md"], cwd=tmp_path, check=True)
    assert sorted(tracked_files.tracked_files(tmp_path)) == ["notes.md", "staged.csv"]
    findings = tracked_files.check_tracked_files(tmp_path, question_ids=QUESTIONS)
    assert [f.where for f in findings] == ["staged.csv"]  # staged is enough; the ignored file is not seen


def test_tracked_files_outside_git_is_an_error(tmp_path):
    with pytest.raises(RuntimeError, match="not a git work tree"):
        tracked_files.tracked_files(tmp_path / "nowhere")


# ------------------------------------------------------------------------------------ suppress_small
@pytest.fixture
def by_region():
    return pd.DataFrame({
        "Region": ["Hovedstaden", "Sjælland", "Nordjylland", "Syddanmark", "Midtjylland"],
        "N": pd.array([6 * T - 1, T - 1, 0, 2 * T, None], dtype="Int64"),
        "I høj grad (pct.)": [45, 50, 0, 50, 30],
        "Gennemsnit": [2.9, 3.25, None, 2.4, 2.0],
    })


def test_suppress_small_marks_the_count_and_what_is_computed_from_it(by_region):
    out = suppress_small(by_region, "N")
    assert list(out["N"].iloc[:4]) == [6 * T - 1, MARK, MARK, 2 * T] and pd.isna(out["N"].iloc[4])
    assert list(out["I høj grad (pct.)"]) == [45, MARK, MARK, 50, 30]
    assert out.loc[1, "Gennemsnit"] == MARK and out.loc[0, "Gennemsnit"] == 2.9
    assert list(out["Region"]) == list(by_region["Region"])  # the group's name stays
    assert by_region.loc[1, "N"] == T - 1  # the input is not changed


def test_suppress_small_options(by_region):
    out = suppress_small(by_region, "N", min_count=2 * T + 1, mark="x", dependent=["Gennemsnit"],
                         include_zero=False)
    assert list(out["N"].iloc[:4]) == [6 * T - 1, "x", 0, "x"]
    assert list(out["I høj grad (pct.)"]) == [45, 50, 0, 50, 30]
    assert [out.loc[i, "Gennemsnit"] for i in (0, 1, 3)] == [2.9, "x", "x"] and pd.isna(out.loc[2, "Gennemsnit"])


def test_suppress_small_counts_in_a_crosstab_one_column_at_a_time():
    crosstab = pd.DataFrame({"Svar": ["I høj grad", "Slet ikke"], "Hovedstaden": [4 * T, T - 1],
                             "Sjælland": [1, 12]})
    out = crosstab
    for region in ("Hovedstaden", "Sjælland"):
        out = suppress_small(out, region, dependent=[])
    assert out.values.tolist() == [["I høj grad", 4 * T, MARK], ["Slet ikke", MARK, 12]]


def test_suppress_small_names_a_missing_column(by_region):
    with pytest.raises(KeyError, match="Antal"):
        suppress_small(by_region, "Antal")
    with pytest.raises(KeyError, match="Andel"):
        suppress_small(by_region, "N", dependent=["Andel"])


# ----------------------------------------------------------------------------------------- HTML check
def page(*bodies: str) -> str:
    return "<html><body><div class='dataset-banner'>Datagrundlag</div>" + "\n".join(bodies) + "</body></html>"


def findings_for(tmp_path, html: str) -> list[Finding]:
    (tmp_path / "html" / "notebooks").mkdir(parents=True, exist_ok=True)
    (tmp_path / "html" / "notebooks" / "03_temaer.html").write_text(html, encoding="utf-8")
    return disclosure_check.check_html(tmp_path / "html")


def breakdown(table: pd.DataFrame, caption: str = "Andel pr. region") -> str:
    return table_html(table, caption, "tabel.csv")


def test_a_suppressed_breakdown_table_passes(tmp_path, by_region):
    assert findings_for(tmp_path, page(breakdown(suppress_small(by_region, "N")))) == []


def test_an_unsuppressed_breakdown_table_fails_on_the_html_and_on_its_csv(tmp_path, by_region):
    found = findings_for(tmp_path, page(breakdown(by_region)))
    text = "\n".join(map(str, found))
    assert f"row 2, column 'N': count '{T - 1}' under {T}" in text
    assert f"row 3, column 'N': count '0' under {T}" in text
    assert any("CSV download tabel.csv" in f.where for f in found)
    assert all("03_temaer.html" in f.where and "Andel pr. region" in f.where for f in found)


@pytest.mark.parametrize("caption", ["Svar efter kommunestørrelse", "Regionernes kommuner", "x"])
def test_breakdowns_are_known_by_caption_or_css_class(tmp_path, caption):
    table = pd.DataFrame({"Gruppe": ["Små", "Store"], "Antal kommuner": [T - 1, 8 * T]})
    html = breakdown(table, caption)
    if caption == "x":
        assert findings_for(tmp_path, page(html)) == []  # a national count is no breakdown
        html = html.replace("dataframe data-table", "dataframe data-table breakdown", 1)
    found = findings_for(tmp_path, page(html))
    assert found and f"'Antal kommuner': count '{T - 1}' under {T}" in str(found[0])


def test_a_breakdown_class_table_checks_every_column_of_whole_counts(tmp_path):
    crosstab = pd.DataFrame({"Svar": ["I høj grad", "Slet ikke"], "Hovedstaden": [4 * T, T - 1],
                             "Sjælland": [T + 2, 12],
                             "I høj grad (pct.)": [1, 2], "Folketal": [2, 3]})
    html = breakdown(crosstab, "Svar").replace("data-table", "data-table breakdown", 1)
    found = findings_for(tmp_path, page(html.split("<p><a")[0]))
    assert [str(f).split(": ", 1)[1] for f in found] == [
        f"row 2, column 'Hovedstaden': count '{T - 1}' under {T} is not suppressed"]


def test_shares_of_a_suppressed_group_must_be_suppressed_too(tmp_path, by_region):
    half = by_region.copy()
    half["N"] = suppress_small(by_region, "N", dependent=[])["N"]
    found = findings_for(tmp_path, page(breakdown(half)))
    assert found and f"numbers computed from fewer than {T} municipalities" in str(found[0])


def test_cells_that_name_their_group_size_are_checked(tmp_path):
    wide = pd.DataFrame({"Spørgsmål": ["Kvalitet i indsats og metode"],
                         "Region Hovedstaden": ["46 pct. (n = 27)"], "Region Nordjylland": [MARK],
                         "Region Sjælland": [f"50 pct. (n = {T - 1})"]})
    html = table_html(wide, "Andel i høj eller meget høj grad", "t.csv").split("<p><a")[0]
    html = html.replace("data-table", "data-table breakdown", 1)
    found = findings_for(tmp_path, page(html))
    assert [str(f).split(": ", 1)[1] for f in found] == [
        f"row 1, column 'Region Sjælland': '50 pct. (n = {T - 1})' rests on fewer than {T} municipalities and is "
        "not suppressed",
        "row 1: the only suppressed cell (column 'Region Nordjylland') can be recovered from the other cells of "
        "the row and the national figure"]


def test_municipality_level_answers_fail(tmp_path):
    answers = pd.DataFrame({"Kommunekode": ["101", "147"], "Kommune": ["København", "Frederiksberg"],
                            "Udfordringer samlet set": ["I høj grad", "Slet ikke"]})
    found = findings_for(tmp_path, page(table_html(answers, "Svar", "svar.csv")))
    # the page's table, its CSV and its .xlsx download
    assert len(found) == 3 and "municipality-level data: column 'Kommunekode'" in str(found[0])


def test_municipality_answers_hidden_in_a_csv_download_fail(tmp_path):
    csv = b"municipality,org_kvalitet_samlet\n101,4\n"
    link = (f'<p><a download="svar.csv" href="data:text/csv;base64,{base64.b64encode(csv).decode()}">'
            "Hent</a></p>")
    found = findings_for(tmp_path, page(link))
    assert [f.where for f in found] == ["notebooks/03_temaer.html, CSV download svar.csv"]


def test_municipality_register_facts_pass(tmp_path):
    register = pd.DataFrame({"Kommunekode": ["101"], "Kommune": ["København"], "Region": ["Region Hovedstaden"],
                             "Folketal 1. januar 2020": ["632.340"]})
    assert findings_for(tmp_path, page(table_html(register, "Kommunerne", "kommuner.csv"))) == []


def test_answer_labels_next_to_a_municipality_fail_even_under_a_register_heading(tmp_path):
    html = ("<table><thead><tr><th>Kommune</th><th>Region</th></tr></thead>"
            "<tbody><tr><td>København</td><td>I høj grad</td></tr></tbody></table>")
    assert len(findings_for(tmp_path, page(html))) == 1


def test_check_html_needs_a_build(tmp_path):
    with pytest.raises(FileNotFoundError, match="make book"):
        disclosure_check.check_html(tmp_path / "_build" / "html")


def test_cli_exit_codes(tmp_path, capsys, by_region):
    assert disclosure_check.main(["--html", str(tmp_path / "none")]) == 2
    findings_for(tmp_path, page(breakdown(suppress_small(by_region, "N"))))
    assert disclosure_check.main(["--html", str(tmp_path / "html")]) == 0
    assert "nothing disclosed" in capsys.readouterr().out
    findings_for(tmp_path, page(breakdown(by_region)))
    assert disclosure_check.main(["--html", str(tmp_path / "html")]) == 1


def test_table_parser_reads_caption_header_and_rows(tmp_path):
    table = suppress_small(pd.DataFrame({"Region": ["A"], "N": [T - 1]}), "N")
    (tmp_path / "p.html").write_text(page(breakdown(table)))
    tables = disclosure_check.page_tables(tmp_path / "p.html", "p.html")
    assert tables[0] == Table("p.html, table 1", "Andel pr. region", {"dataframe", "data-table"}, ["Region", "N"],
                              [["A", MARK]])
    csv = next(t for t in tables if "CSV download" in t.where)
    assert csv.header == ["Region", "N"] and csv.rows == [["A", MARK]]


# ------------------------------------------------------------------------------------ the built book
@pytest.mark.book
def test_the_built_book_discloses_nothing():
    html = ROOT / "_build" / "html"
    if not (html / "index.html").exists():
        pytest.skip(f"no built book in {html}: run `make book`; `make test` checks the fresh build after "
                    "building it (make disclosure-check)")
    findings = disclosure_check.check_html(html)
    assert findings == [], "\n".join(map(str, findings))
