"""The built-book disclosure check (build.disclosure_check), as an outside reader attacks the pages: how
pages are parsed into tables, how numbers in Danish notation are read, municipality-level answers, and the
exact findings at the thresholds (counts 0, 1, 4 and 5; shares of 0 and 100 pct.; shares and group sizes
turned back into counts: "22 pct. (n = 9)" is 2 of 9), wherever in the table the bad cell is, in the
HTML and in the tables' downloads.

The worked examples are computed for a threshold of five, given to the check explicitly
(EXAMPLE_THRESHOLD): they test how the check reads and attacks a table whatever the book's threshold
(data/settings.yml); the pages written with the book's own table helpers, and the command line, which
use the book's threshold T, are tested in its terms."""
from __future__ import annotations

import base64
from urllib.parse import quote

import pandas as pd
import pytest

from municipal_survey.analysis.disclosure import MARK, Finding, suppress_small
from municipal_survey.analysis.disclosure import MIN_COUNT as T  # the book's threshold (data/settings.yml)
from municipal_survey.build import disclosure_check as check
from municipal_survey.build.disclosure_check import Table, municipality_findings
from municipal_survey.report.tables import table_html

EXAMPLE_THRESHOLD = 5


def breakdown_findings(table: Table, min_count: int = EXAMPLE_THRESHOLD, **options):
    return check.breakdown_findings(table, min_count, **options)


def parse(tmp_path, html: str) -> list[Table]:
    page = tmp_path / "p.html"
    page.write_text("<html><body>" + html + "</body></html>", encoding="utf-8")
    return check.page_tables(page, "p.html")


def csv_link(text: str, name: str | None = "t.csv", base64_encoded: bool = True) -> str:
    if base64_encoded:
        href = "data:text/csv;charset=utf-8;base64," + base64.b64encode(text.encode("utf-8")).decode()
    else:
        href = "data:text/csv;charset=utf-8," + quote(text)
    download = f' download="{name}"' if name else ""
    return f'<p><a{download} href="{href}">Hent</a></p>'


def whats(findings) -> list[str]:
    return [f.what for f in findings]


def test_a_header_row_without_thead_names_the_columns_and_captions_are_one_line(tmp_path):
    html = ("<table class='breakdown x'><caption>\n  Andel\n   pr.  region </caption>"
            "<tr><th>Region</th><th>N</th></tr><tr><td> A </td><td>3</td></tr>"
            "<tr><th>B</th><td>7</td></tr></table>")
    [table] = parse(tmp_path, html)
    assert table.where == "p.html, table 1"
    assert table.caption == "Andel pr. region"
    assert table.classes == {"breakdown", "x"}
    assert table.header == ["Region", "N"]
    # A row mixing th and td is data, not a second header.
    assert table.rows == [["A", "3"], ["B", "7"]]


def test_a_second_all_th_row_below_data_is_data(tmp_path):
    html = ("<table><tr><th>Region</th><th>N</th></tr><tr><td>A</td><td>9</td></tr>"
            "<tr><th>I alt</th><th>9</th></tr></table>")
    [table] = parse(tmp_path, html)
    assert table.header == ["Region", "N"] and table.rows == [["A", "9"], ["I alt", "9"]]


def test_the_last_thead_row_names_the_columns(tmp_path):
    html = ("<table><thead><tr><th>Spørgsmål</th><th>Region</th></tr><tr><th>Tekst</th><th>N</th></tr></thead>"
            "<tbody><tr><td>a</td><td>2</td></tr></tbody></table>")
    [table] = parse(tmp_path, html)
    assert table.header == ["Tekst", "N"] and table.rows == [["a", "2"]]


def test_tables_are_numbered_in_page_order_and_csv_downloads_take_the_table_above(tmp_path):
    first = "<table class='breakdown'><caption>Svar</caption><tr><th>A</th></tr><tr><td>1</td></tr></table>"
    second = "<table><caption>Landet</caption><tr><th>B</th></tr><tr><td>2</td></tr></table>"
    tables = parse(tmp_path, first + csv_link("Gruppe,Antal\nSmå,3\n", "a.csv") + second
                   + csv_link("B\n2\n", None))
    assert [t.where for t in tables] == ["p.html, table 1", "p.html, CSV download a.csv", "p.html, table 3",
                                         "p.html, CSV download (unnamed)"]
    assert tables[1].caption == "Svar" and tables[1].classes == {"breakdown"}
    assert tables[1].header == ["Gruppe", "Antal"] and tables[1].rows == [["Små", "3"]]
    assert tables[3].caption == "Landet" and tables[3].classes == set()


def test_a_percent_encoded_csv_download_is_read(tmp_path):
    [table] = parse(tmp_path, csv_link(" Region , N \nA,3\n", base64_encoded=False))
    assert table.header == ["Region", "N"] and table.rows == [["A", "3"]]
    assert table.caption == "" and table.classes == set()


def test_a_csv_link_inside_a_table_cell_is_not_a_download_table(tmp_path):
    html = "<table><tr><th>Fil</th></tr><tr><td>" + csv_link("Region,N\nA,3\n") + "</td></tr></table>"
    assert len(parse(tmp_path, html)) == 1


def test_a_broken_or_empty_download_is_skipped_and_what_follows_is_still_read(tmp_path):
    broken = '<a download="b.csv" href="data:text/csv;base64,@@@">Hent</a>'
    empty = csv_link("", "e.csv")
    good = csv_link("Region,N\nA,3\n", "g.csv")
    tables = parse(tmp_path, broken + empty + good)
    assert [t.where for t in tables] == ["p.html, CSV download g.csv"]


def test_a_cell_holding_markup_is_read_as_its_text(tmp_path):
    html = "<table><tr><th>Region</th><th>N</th></tr><tr><td><b>A</b> <i>syd</i></td><td>1</td></tr></table>"
    [table] = parse(tmp_path, html)
    assert table.rows == [["A syd", "1"]]


@pytest.mark.parametrize("cell, value", [
    ("3", 3.0), ("1.234", 1234.0), ("12.345.678", 12345678.0), ("2,5", 2.5), ("2.5", 2.5), ("-4", -4.0),
    ("3*", 3.0), ("3 †", 3.0), ("\xa07", 7.0), ("1\xa0234", 1234.0), ("", None), ("x", None), ("<5", None),
    ("3 pct.", None), ("1.23", 1.23)])
def test_numbers_are_read_in_danish_and_plain_notation(cell, value):
    assert check.cell_number(cell) == value


def test_municipality_finding_names_the_column_what_stands_beside_it_and_the_row_count():
    table = Table("p", header=["Kommune", "Region", "Svar", "Andel"],
                  rows=[["A", "R", "1", "2"], ["B", "R", "3", "4"], ["C", "R", "5", "6"]])
    assert whats(municipality_findings(table)) == [
        "municipality-level data: column 'Kommune' next to 'Svar', 'Andel' (3 rows)"]


def test_answer_labels_beside_municipalities_are_named_up_to_three():
    rows = [["A", label] for label in ("Slet ikke", "I høj grad", "I mindre grad", "Ved ikke")]
    table = Table("p", header=["Kommunenavn", "Region"], rows=rows)
    assert whats(municipality_findings(table)) == [
        "municipality-level data: column 'Kommunenavn' next to answer labels 'I høj grad', 'I mindre grad', "
        "'Slet ikke' (4 rows)"]


def test_the_municipality_column_itself_is_not_read_as_answers():
    # A municipality column holding a label-like text is not an answer beside it.
    table = Table("p", header=["Region", "Kommune"], rows=[["Hovedstaden", "Gennemført"]])
    assert municipality_findings(table) == []


@pytest.mark.parametrize("header", ["Kommunekode", "kommunenr.", "Municipality code", "municipality_name",
                                    "KOMMUNE*"])
def test_every_spelling_of_a_municipality_column_is_known(header):
    table = Table("p", header=["Svar", header], rows=[["1", "101"]])
    assert whats(municipality_findings(table)) == [
        f"municipality-level data: column {header!r} next to 'Svar' (1 rows)"]


def counts_table(counts: list[str], caption: str = "Antal pr. region", header: str = "Antal kommuner") -> Table:
    return Table("p", caption, header=["Region", header], rows=[[f"R{i}", c] for i, c in enumerate(counts, 1)])


def test_counts_of_0_1_and_4_are_findings_5_and_more_are_not():
    found = breakdown_findings(counts_table(["0", "1", "4", "5", "98"]))
    assert whats(found) == [f"row {r}, column 'Antal kommuner': count '{c}' under 5 is not suppressed"
                            for r, c in ((1, "0"), (2, "1"), (3, "4"))]
    assert {f.where for f in found} == {"p (Antal pr. region)"}


def test_a_count_of_one_is_a_finding_even_when_zeros_are_allowed():
    assert whats(breakdown_findings(counts_table(["0", "1", "2"]), include_zero=False)) == [
        "row 2, column 'Antal kommuner': count '1' under 5 is not suppressed",
        "row 3, column 'Antal kommuner': count '2' under 5 is not suppressed"]


def test_the_minimum_is_a_parameter():
    found = breakdown_findings(counts_table(["2", "3"]), min_count=3)
    assert whats(found) == ["row 1, column 'Antal kommuner': count '2' under 3 is not suppressed"]


def test_suppressed_and_marked_counts_pass():
    assert breakdown_findings(counts_table(["<5", "x", "..", "12*", "<5"])) == []


def test_negative_numbers_are_not_counts_in_a_class_only_breakdown():
    table = Table("p", "Ændring", {"breakdown"}, ["Region", "Forskel"], [["A", "-3"], ["B", "2"]])
    assert breakdown_findings(table) == []  # a column with a negative number is no column of counts
    table = Table("p", "Ændring", {"breakdown"}, ["Region", "Forskel"], [["A", "3"], ["B", "2"]])
    assert len(breakdown_findings(table)) == 2


def test_a_class_only_breakdown_does_not_treat_decimals_as_counts():
    table = Table("p", "Svar", {"breakdown"}, ["Region", "Værdi"], [["A", "2,5"], ["B", "3"]])
    assert breakdown_findings(table) == []


def test_count_headers_are_recognised_under_a_caption_only_breakdown():
    for header in ("N", "Kommuner", "Besvarelser", "Antal svar", "Svar, n", "Svar (n)", "Svar (antal)"):
        assert len(breakdown_findings(counts_table(["3"], header=header))) == 1, header
    for header in ("Andel (pct.)", "Gennemsnit", "Folketal", "Kode", "Svar"):
        assert breakdown_findings(counts_table(["3"], header=header)) == [], header


def test_a_group_size_column_under_the_minimum_flags_every_number_in_its_row():
    table = Table("p", "Andel pr. region", header=["Region", "N", "Andel (pct.)", "Gennemsnit", "Note"],
                  rows=[["A", "<5", "50", "2,5", "tekst"], ["B", "20", "50", "2,4", "tekst"],
                        ["C", "x", "<5", "<5", "tekst"]])
    assert whats(breakdown_findings(table))[0] == (
        "row 1: numbers computed from fewer than 5 municipalities are shown in ['Andel (pct.)', 'Gennemsnit']")
    # Row 3 (its numbers suppressed) is not a finding of its own.
    assert not any(w.startswith("row 3") for w in whats(breakdown_findings(table)))


def test_a_small_group_with_every_number_suppressed_passes():
    table = Table("p", "Andel pr. region", header=["Region", "N", "Andel (pct.)"],
                  rows=[["A", "<5", "<5"], ["B", "20", "50"], ["C", "<5", "<5"]])
    assert breakdown_findings(table) == []


def test_the_first_group_size_column_with_a_number_is_the_row_s_size():
    # "Besvarelser" is blank in row 1, so "N" (later) gives the size; 40 pct. of 10 is 4 of 10.
    table = Table("p", "Andel pr. region", header=["Region", "Besvarelser", "N", "Andel (pct.)"],
                  rows=[["A", "", "10", "40"], ["B", "20", "10", "50"]])
    assert whats(breakdown_findings(table)) == [
        "row 1, column 'Andel (pct.)': '40' of n = 10 tells that 4 of 10 municipalities gave the answer: fewer "
        "than 5 on one side"]


def shares_table(*cells: str) -> Table:
    header = ["Spørgsmål", *[f"Region {c}" for c in "ABCDE"[:len(cells)]]]
    return Table("p", "Andel pr. region", header=header, rows=[["Kvalitet", *cells]])


@pytest.mark.parametrize("position", [0, 1, 2])
@pytest.mark.parametrize("cell, k", [("0 pct. (n = 10)", "0"), ("100 pct. (n = 10)", "10"),
                                     ("40 pct. (n = 10)", "4"), ("60 pct. (n = 10)", "6"),
                                     ("50 pct. (n = 4)", None), ("0 % (n = 12)", "0"), ("33,3 pct. (n = 6)", "2")])
def test_a_bad_share_is_found_first_middle_or_last(position, cell, k):
    cells = ["50 pct. (n = 10)"] * 3
    cells[position] = cell
    found = whats(breakdown_findings(shares_table(*cells)))
    column = f"Region {'ABC'[position]}"
    if k is None:
        expected = f"row 1, column {column!r}: {cell!r} rests on fewer than 5 municipalities and is not suppressed"
    else:
        n = cell.split("n = ")[1].rstrip(")")
        expected = (f"row 1, column {column!r}: {cell!r} of n = {n} tells that {k} of {n} municipalities gave "
                    "the answer: fewer than 5 on one side")
    assert found == [expected]


def test_a_share_that_fits_a_range_of_counts_names_the_range():
    # 3 pct. of 100 could be 2.5 ... 3.5 of 100: only 3; 0 pct. of 300 is 0 or 1 (0.17 pct. rounds to 0).
    found = whats(breakdown_findings(shares_table("0 pct. (n = 300)")))
    assert found == ["row 1, column 'Region A': '0 pct. (n = 300)' of n = 300 tells that 0-1 of 300 "
                     "municipalities gave the answer: fewer than 5 on one side"]


def test_group_sizes_in_danish_thousands_notation_are_read():
    assert breakdown_findings(shares_table("50 pct. (n = 1.000)")) == []
    found = whats(breakdown_findings(shares_table("0 pct. (n = 1.000)")))
    # 5 of 1000 is 0.5 pct., on the rounding border: counted among the possible counts.
    assert found and "of n = 1000 tells that 0-5 of 1000" in found[0]


def test_shares_safe_on_both_sides_pass():
    assert breakdown_findings(shares_table("50 pct. (n = 10)", "83 pct. (n = 30)", "17 pct. (n = 30)")) == []


def test_a_share_without_a_group_size_is_not_attacked():
    assert breakdown_findings(shares_table("0 pct.", "100 %")) == []


def test_a_share_of_a_group_size_column_of_zero_is_not_attacked_but_the_zero_is_a_finding():
    table = Table("p", "Andel pr. region", header=["Region", "N", "Andel (pct.)"], rows=[["A", "0", "0"]])
    assert whats(breakdown_findings(table)) == [
        "row 1, column 'N': count '0' under 5 is not suppressed",
        "row 1: numbers computed from fewer than 5 municipalities are shown in ['Andel (pct.)']"]


def test_share_like_columns_that_are_not_shares_of_the_group_are_not_attacked():
    table = Table("p", "Andel pr. region", header=["Region", "N", "Ændring (pct.point)", "Andel, p-værdi"],
                  rows=[["A", "20", "0", "0"]])
    assert breakdown_findings(table) == []


def test_one_suppressed_cell_in_a_row_is_a_finding_two_are_not():
    table = Table("p", "Andel pr. region", header=["Spørgsmål", "A", "B", "C"],
                  rows=[["q1", "<5", "50 pct. (n = 20)", "50 pct. (n = 30)"],
                        ["q2", "<5", "<5", "<5"],
                        ["q3", "50 pct. (n = 10)", "<5", "<5"]])
    assert whats(breakdown_findings(table)) == [
        "row 1: the only suppressed cell (column 'A') can be recovered from the other cells of the row and the "
        "national figure"]


def test_one_suppressed_cell_in_a_column_is_a_finding():
    table = Table("p", "Andel pr. region", header=["Spørgsmål", "A", "B"],
                  rows=[["q1", "x", ".."], ["q2", "50 pct. (n = 20)", "50 pct. (n = 30)"]])
    assert whats(breakdown_findings(table)) == [
        "column 'A': the only suppressed cell (row 1) can be recovered from the other cells of the column and "
        "the national figure",
        "column 'B': the only suppressed cell (row 1) can be recovered from the other cells of the column and "
        "the national figure"]


def test_a_table_of_one_value_column_or_one_row_has_no_secondary_finding():
    one_column = Table("p", "Andel pr. region", header=["Spørgsmål", "A"], rows=[["q1", "<5"], ["q2", "<5"]])
    assert breakdown_findings(one_column) == []
    one_row = Table("p", "Andel pr. region", header=["Spørgsmål", "A", "B"], rows=[["q1", "<5", "<5"]])
    assert breakdown_findings(one_row) == []


def test_the_label_column_is_not_a_value_column():
    # The first column names the rows; a "<5" there is not a suppressed value, and the row's only
    # value column is "A".
    table = Table("p", "Andel pr. region", header=["Gruppe", "A", "B"],
                  rows=[["<5", "<5", "50 pct. (n = 20)"], ["x", "50 pct. (n = 20)", "50 pct. (n = 30)"]])
    assert whats(breakdown_findings(table)) == [
        "row 1: the only suppressed cell (column 'A') can be recovered from the other cells of the row and the "
        "national figure",
        "column 'A': the only suppressed cell (row 1) can be recovered from the other cells of the column and "
        "the national figure"]


def test_short_rows_are_read_as_blank_cells():
    table = Table("p", "Antal pr. region", header=["Region", "Antal", "N"], rows=[["A", "3"], ["B"]])
    assert whats(breakdown_findings(table)) == ["row 1, column 'Antal': count '3' under 5 is not suppressed"]


def test_a_table_without_caption_is_named_by_its_place_only():
    table = Table("p, table 2", "", {"breakdown"}, ["Region", "Antal"], [["A", "2"]])
    assert [str(f) for f in breakdown_findings(table)] == [
        "p, table 2: row 1, column 'Antal': count '2' under 5 is not suppressed"]


@pytest.mark.parametrize("caption, breakdown", [
    ("Svar pr. region", True), ("Svar efter REGION", True), ("Kommunestørrelse", True),
    ("Svar pr. størrelsesgruppe", True), ("Indeksgruppe", True), ("Delregioner", False), ("Svar", False)])
def test_breakdowns_are_known_by_caption(caption, breakdown):
    assert check.is_breakdown(Table("p", caption)) is breakdown


def test_the_cli_lists_each_finding_and_counts_them(tmp_path, capsys):
    html = tmp_path / "html"
    (html / "_static").mkdir(parents=True)
    under = T - 1  # the command line uses the book's threshold
    table = ("<table class='breakdown'><tr><th>Region</th><th>Antal</th></tr>"
             f"<tr><td>A</td><td>{under}</td></tr><tr><td>B</td><td>{T}</td></tr>"
             "<tr><td>C</td><td>1</td></tr></table>")
    (html / "kap.html").write_text("<html><body>" + table + "</body></html>", encoding="utf-8")
    (html / "_static" / "skip.html").write_text("<html><body>" + table + "</body></html>", encoding="utf-8")
    assert check.main(["--html", str(html)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [f"  - kap.html, table 1: row {r}, column 'Antal': count '{n}' under {T} is not "
                   "suppressed"
                   for r, n in ((1, under), (3, 1))] + [f"disclosure check of pages in {html}: 2 finding(s)"]


def test_pages_in_sources_static_and_images_are_not_read_but_subfolders_are(tmp_path):
    html = tmp_path / "html"
    table = ("<table class='breakdown'><tr><th>Region</th><th>Antal</th></tr>"
             "<tr><td>A</td><td>3</td></tr></table>")
    for folder in ("_static", "_sources", "_images", "notebooks"):
        (html / folder).mkdir(parents=True)
        (html / folder / "p.html").write_text(table, encoding="utf-8")
    assert [f.where for f in check.check_html(html, EXAMPLE_THRESHOLD)] == ["notebooks/p.html, table 1"]


def test_the_cli_needs_html_or_repo(capsys):
    with pytest.raises(SystemExit) as info:
        check.main([])
    assert info.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "python -m municipal_survey.build.disclosure_check: error: give --html DIR, --repo or both")


def test_the_cli_checks_tracked_files_with_repo(tmp_path, capsys, monkeypatch):
    from municipal_survey.analysis.disclosure import Finding

    monkeypatch.setattr(check, "check_tracked_files", lambda: [Finding("data/x.csv", "holds answers")])
    assert check.main(["--repo"]) == 1
    assert capsys.readouterr().out.splitlines() == ["  - data/x.csv: holds answers",
                                                    "disclosure check of tracked files: 1 finding(s)"]
    monkeypatch.setattr(check, "check_tracked_files", lambda: [])
    (tmp_path / "html").mkdir()
    assert check.main(["--repo", "--html", str(tmp_path / "html")]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"disclosure check of tracked files and pages in {tmp_path / 'html'}: nothing disclosed"]


def test_the_cli_reports_a_missing_build_on_stderr(tmp_path, capsys):
    assert check.main(["--html", str(tmp_path / "none")]) == 2
    captured = capsys.readouterr()
    assert "no built book in" in captured.err and "make book" in captured.err and captured.out == ""


def test_a_page_with_a_byte_that_is_not_utf8_is_still_read(tmp_path):
    page = tmp_path / "p.html"
    page.write_bytes(b"<table><tr><th>Region</th><th>N</th></tr><tr><td>A\xff</td><td>3</td></tr></table>")
    [table] = check.page_tables(page)
    assert table.where == f"{page}, table 1"  # without a name, the page is named by its path
    assert table.rows == [["A\ufffd", "3"]]


def test_cells_outside_a_row_are_not_read(tmp_path):
    [table] = parse(tmp_path, "<table><td>3</td><tr><td>A</td></tr></table>")
    assert table.rows == [["A"]]


def test_a_csv_download_with_plain_commas_in_its_data_uri(tmp_path):
    [table] = parse(tmp_path, '<a download="r.csv" href="data:text/csv,Region,N%0AA,3">Hent</a>')
    assert table.header == ["Region", "N"] and table.rows == [["A", "3"]]


def test_the_minimum_reaches_the_html_check(tmp_path):
    html = tmp_path / "html"
    html.mkdir()
    (html / "p.html").write_text("<table class='breakdown'><tr><th>Region</th><th>Antal</th></tr>"
                                 "<tr><td>A</td><td>3</td></tr><tr><td>B</td><td>2</td></tr></table>")
    assert [f.what for f in check.check_html(html, min_count=3)] == [
        "row 2, column 'Antal': count '2' under 3 is not suppressed"]


def test_a_marked_header_is_read_without_its_mark():
    assert len(breakdown_findings(counts_table(["3"], header="N †"))) == 1
    assert len(breakdown_findings(counts_table(["3"], header="Antal*"))) == 1


def test_decimal_shares_are_recovered_to_their_own_precision():
    # 0.1 pct. shown with one decimal is 0.05 ... 0.15 pct.: 1, 2 or 3 of 2000.
    assert check.recovered_counts(0.1, 2000) == [1, 2, 3]
    # 12.5 pct. of 40 is exactly 5 of 40 (35 did not): safe on both sides.
    assert breakdown_findings(shares_table("12,5 pct. (n = 40)")) == []


def test_a_share_over_100_pct_is_no_share_of_the_group():
    assert check.recovered_counts(110, 10) == []
    assert breakdown_findings(shares_table("110 pct. (n = 10)")) == []


def test_the_cli_help_names_the_command_and_its_options(capsys):
    with pytest.raises(SystemExit) as info:
        check.main(["--help"])
    assert info.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert out.startswith("usage: python -m municipal_survey.build.disclosure_check [-h] [--html HTML] [--repo]")
    assert "Attack the built book as an outside reader would" in out
    assert "--html HTML the built book's html folder, e.g. _build/html" in out
    assert "--repo also check the files git tracks" in out


def test_the_cli_description_keeps_its_line_breaks(capsys):
    with pytest.raises(SystemExit):
        check.main(["--help"])
    assert "\n- `municipality_findings`: no page shows one municipality's answers" in capsys.readouterr().out


def test_the_cli_adds_the_html_findings_to_the_tracked_files_findings(tmp_path, capsys, monkeypatch):
    from municipal_survey.analysis.disclosure import Finding

    monkeypatch.setattr(check, "check_tracked_files", lambda: [Finding("data/x.csv", "holds answers")])
    html = tmp_path / "html"
    html.mkdir()
    (html / "p.html").write_text("<table class='breakdown'><tr><th>Region</th><th>Antal</th></tr>"
                                 f"<tr><td>A</td><td>{T - 1}</td></tr></table>")
    assert check.main(["--repo", "--html", str(html)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "  - data/x.csv: holds answers",
        f"  - p.html, table 1: row 1, column 'Antal': count '{T - 1}' under {T} is not suppressed",
        f"disclosure check of tracked files and pages in {html}: 2 finding(s)"]


def test_a_caption_with_markup_is_read_whole(tmp_path):
    [table] = parse(tmp_path, "<table><caption>Andel <b>pr.</b> region</caption><tr><th>A</th></tr></table>")
    assert table.caption == "Andel pr. region"


def test_stray_cells_and_end_tags_do_not_break_the_table(tmp_path):
    [table] = parse(tmp_path, "<table><tr></td><td>A</td></tr><td>3</td><tr><td>B</td></tr></table>")
    assert table.rows == [["A"], ["B"]]


@pytest.mark.parametrize("first_row", ["<th>Region</th><td>N</td>", "<td>Region</td><th>N</th>"])
def test_a_first_row_mixing_th_and_td_is_data(tmp_path, first_row):
    [table] = parse(tmp_path, f"<table><tr>{first_row}</tr><tr><td>A</td><td>3</td></tr></table>")
    assert table.header == [] and table.rows == [["Region", "N"], ["A", "3"]]


def test_a_group_size_of_one_is_a_finding_for_the_count_the_share_and_the_row():
    table = Table("p", "Andel pr. region", header=["Region", "N", "Andel (pct.)"], rows=[["A", "1", "0"]])
    assert whats(breakdown_findings(table)) == [
        "row 1, column 'N': count '1' under 5 is not suppressed",
        "row 1, column 'Andel (pct.)': '0' of n = 1 tells that 0 of 1 municipalities gave the answer: fewer "
        "than 5 on one side",
        "row 1: numbers computed from fewer than 5 municipalities are shown in ['Andel (pct.)']"]


def test_a_text_column_is_not_a_value_column_of_the_secondary_check():
    # One value column ("A") beside a note: a lone mark in a row cannot be recovered from other values.
    table = Table("p", "Andel pr. region", header=["Spørgsmål", "A", "Note"],
                  rows=[["q1", "<5", "tekst"], ["q2", "50 pct. (n = 20)", "tekst"]])
    assert whats(breakdown_findings(table)) == [
        "column 'A': the only suppressed cell (row 1) can be recovered from the other cells of the column and the "
        "national figure"]


def test_a_class_only_breakdown_reads_a_column_of_whole_numbers_with_zeros_as_counts():
    table = Table("p", "Svar", {"breakdown"}, ["Svar", "Hovedstaden"], [["I høj grad", "0"], ["Slet ikke", "7"]])
    assert whats(breakdown_findings(table)) == ["row 1, column 'Hovedstaden': count '0' under 5 is not suppressed"]


def test_a_share_shown_in_a_count_column_is_attacked_too():
    # "Kommuner, antal" holds counts, yet its second row shows a share: 40 pct. of 10 is 4 of 10.
    table = Table("p", "Andel pr. region", header=["Region", "Kommuner, antal"],
                  rows=[["A", "12"], ["B", "40 pct. (n = 10)"]])
    assert whats(breakdown_findings(table)) == [
        "row 2, column 'Kommuner, antal': '40 pct. (n = 10)' of n = 10 tells that 4 of 10 municipalities gave the "
        "answer: fewer than 5 on one side"]


def test_pages_are_read_as_utf8_whatever_the_system_s_text_encoding(tmp_path, monkeypatch):
    import io

    # As on a system whose locale encoding is Windows-1252: a page read without naming UTF-8 would
    # garble "kommunestørrelse" and the breakdown would go unrecognised.
    monkeypatch.setattr(io, "text_encoding", lambda encoding, stacklevel=2: encoding or "cp1252")
    html = ("<table><caption>Svar efter kommunestørrelse</caption><tr><th>Gruppe</th><th>Antal</th></tr>"
            "<tr><td>Små</td><td>3</td></tr></table>")
    (tmp_path / "p.html").write_bytes(html.encode("utf-8"))
    [table] = check.page_tables(tmp_path / "p.html", "p.html")
    assert table.caption == "Svar efter kommunestørrelse" and table.rows == [["Små", "3"]]


def test_a_table_whose_rows_alone_add_up_has_no_column_finding():
    from municipal_survey.analysis.disclosure import ROWS_ADD_UP

    rows = [["q1", "<5", "<5", "50 pct."], ["q2", "40 pct.", "45 pct.", "50 pct."]]
    by_question = Table("p", "Andel pr. gruppe", classes={"breakdown", ROWS_ADD_UP},
                        header=["Spørgsmål", "A", "B", "C"], rows=rows)
    assert breakdown_findings(by_question) == []
    plain = Table("p", "Andel pr. gruppe", classes={"breakdown"}, header=["Spørgsmål", "A", "B", "C"], rows=rows)
    assert [f.what for f in breakdown_findings(plain)][:1] == [
        "column 'A': the only suppressed cell (row 1) can be recovered from the other cells of the column and "
        "the national figure"]


# ------------------------------------------------------------------- shares turned back into counts
@pytest.mark.parametrize("pct, n, expected", [(22, 9, [2]), (0, 9, [0]), (100, 12, [12]), (50, 10, [5]),
                                              (33, 3, [1]), (22.2, 9, [2]), (3, 100, [3])])
def test_counts_are_recovered_from_a_share_and_its_group_size(pct, n, expected):
    assert check.recovered_counts(pct, n) == expected


def page_with(table: pd.DataFrame, caption: str = "Andel pr. region", csv: bool = True) -> str:
    html = table_html(table, caption, "t.csv")
    return "<html><body>" + (html if csv else html.split("<p><a")[0]) + "</body></html>"


def findings_for(tmp_path, html: str) -> list[str]:
    (tmp_path / "html").mkdir(exist_ok=True)
    (tmp_path / "html" / "kap3.html").write_text(html, encoding="utf-8")
    return [str(f) for f in check.check_html(tmp_path / "html", EXAMPLE_THRESHOLD)]


def wide(*cells_in_row_2: str) -> pd.DataFrame:
    """Two questions x four regions; the second row's cells given, the first row always safe."""
    return pd.DataFrame({"Fokusområde": ["Kvalitet", "Strategi"],
                         "Region A": ["50 pct. (n = 20)", cells_in_row_2[0]],
                         "Region B": ["40 pct. (n = 25)", cells_in_row_2[1]],
                         "Region C": ["45 pct. (n = 22)", cells_in_row_2[2]]})


@pytest.mark.parametrize("cell, bad", [
    ("22 pct. (n = 9)", True),    # 2 of 9
    ("44 pct. (n = 9)", True),    # 4 of 9 answered, 5 did not: 4 is too few
    ("50 pct. (n = 10)", False),  # 5 and 5
    ("0 pct. (n = 30)", True), ("100 pct. (n = 30)", True),
    ("17 pct. (n = 30)", False),  # 5 of 30
    ("13 pct. (n = 30)", True),   # 4 of 30
    ("83 pct. (n = 30)", False),  # 25 of 30: 5 did not
    ("87 pct. (n = 30)", True),   # 26 of 30: 4 did not
])
def test_the_attack_finds_every_share_that_leaves_fewer_than_five_on_a_side(tmp_path, cell, bad):
    # The cell under test is in the last column, after two safe ones: every column is read.
    found = findings_for(tmp_path, page_with(wide("50 pct. (n = 20)", "48 pct. (n = 25)", cell), csv=False))
    assert bool(found) is bad, found
    if bad:
        assert "row 2, column 'Region C'" in found[0] and "fewer than 5 on one side" in found[0]


def test_the_attack_reads_shares_in_their_own_column_with_the_group_size_beside_them(tmp_path):
    table = pd.DataFrame({"Region": ["A", "B", "C"], "N": [9, 20, 30], "I høj grad (pct.)": [56, 50, 40],
                          "Gennemsnit": [2.5, 2.4, 2.6]})
    found = findings_for(tmp_path, page_with(table, csv=False))
    assert len(found) == 1 and "row 1, column 'I høj grad (pct.)': '56' of n = 9 tells that 5 of 9" in found[0]


def test_the_attack_reads_the_csv_download_of_a_class_only_breakdown(tmp_path):
    table = pd.DataFrame({"Gruppe": ["Små", "Store"], "Andel": ["50 pct. (n = 20)", "13 pct. (n = 30)"]})
    html = page_with(table, caption="Svar").replace("data-table", "data-table breakdown", 1)
    shown, download = html.split("<p><a")
    safe_shown = shown.replace("13 pct. (n = 30)", MARK).replace("50 pct. (n = 20)", MARK)
    found = findings_for(tmp_path, safe_shown + "<p><a" + download)
    # the table's downloads: its CSV and its .xlsx
    assert found and all("CSV download t.csv" in f or "Excel download t.xlsx" in f for f in found)
    assert any("CSV download t.csv" in f for f in found) and any("Excel download t.xlsx" in f for f in found)
    assert any("'13 pct. (n = 30)' of n = 30 tells that 4 of 30" in f for f in found)


def test_a_csv_download_alone_is_read_too(tmp_path):
    csv = b"Region,N,Andel (pct.)\nA,9,22\nB,30,50\n"
    link = (f'<table class="breakdown"><caption>Andel pr. region</caption><thead><tr><th>Region</th></tr></thead>'
            f'<tbody><tr><td>A</td></tr></tbody></table>'
            f'<p><a download="r.csv" href="data:text/csv;base64,{base64.b64encode(csv).decode()}">Hent</a></p>')
    found = findings_for(tmp_path, "<html><body>" + link + "</body></html>")
    assert len(found) == 1 and "CSV download r.csv" in found[0] and "2 of 9" in found[0]


def test_a_lone_suppressed_cell_in_a_row_or_column_is_found(tmp_path):
    found = findings_for(tmp_path, page_with(wide(MARK, "48 pct. (n = 25)", "50 pct. (n = 30)"), csv=False))
    assert any("row 2: the only suppressed cell (column 'Region A')" in f for f in found)
    assert any("column 'Region A': the only suppressed cell (row 2)" in f for f in found)
    paired = pd.DataFrame({"Fokusområde": ["Kvalitet", "Strategi"], "Region A": [MARK, MARK],
                           "Region B": [MARK, MARK], "Region C": ["45 pct. (n = 22)", "50 pct. (n = 30)"]})
    assert findings_for(tmp_path, page_with(paired, csv=False)) == []


def test_a_table_that_is_not_a_breakdown_is_not_attacked(tmp_path):
    table = pd.DataFrame({"Fokusområde": ["Kvalitet"], "Landet": ["3 pct. (n = 90)"]})
    assert findings_for(tmp_path, page_with(table, caption="Andel i hele landet", csv=False)) == []


def test_count_columns_after_a_share_column_are_checked(tmp_path):
    table = pd.DataFrame({"Region": ["A", "B"], "Andel (pct.)": [50, 50], "Antal kommuner": [10, 3],
                          "Kommuner med svar": [10, 2]})
    html = page_with(table, csv=False).replace("data-table", "data-table breakdown", 1)
    found = findings_for(tmp_path, html)
    assert any("row 2, column 'Antal kommuner': count '3' under 5" in f for f in found)
    assert any("row 2, column 'Kommuner med svar': count '2' under 5" in f for f in found)


def test_every_bad_cell_of_a_row_is_reported_not_just_the_first(tmp_path):
    row = wide("22 pct. (n = 9)", "50 pct. (n = 4)", "0 pct. (n = 30)")
    found = findings_for(tmp_path, page_with(row, csv=False))
    columns = sorted(f.split("column ")[1].split(":")[0] for f in found if f.count("row 2, column"))
    assert columns == ["'Region A'", "'Region B'", "'Region C'"]


def test_zero_counts_may_be_allowed_but_one_never(tmp_path):
    from municipal_survey.build.disclosure_check import Table, breakdown_findings

    table = Table("p", "Antal pr. region", header=["Region", "Antal kommuner"], rows=[["A", "0"], ["B", "1"],
                                                                                      ["C", "5"]])
    assert [f.what.split(":")[0] for f in breakdown_findings(table, EXAMPLE_THRESHOLD)] == [
        "row 1, column 'Antal kommuner'", "row 2, column 'Antal kommuner'"]
    assert [f.what.split(":")[0] for f in breakdown_findings(table, EXAMPLE_THRESHOLD, include_zero=False)] == [
        "row 2, column 'Antal kommuner'"]


# ------------------------------------------------- tables as the book writes them, at its threshold
def page(*bodies: str) -> str:
    return "<html><body><div class='dataset-banner'>Datagrundlag</div>" + "\n".join(bodies) + "</body></html>"


def book_findings(tmp_path, html: str) -> list[Finding]:
    """The findings on a page of the book at the book's threshold."""
    (tmp_path / "html" / "notebooks").mkdir(parents=True, exist_ok=True)
    (tmp_path / "html" / "notebooks" / "03_temaer.html").write_text(html, encoding="utf-8")
    return check.check_html(tmp_path / "html")


def breakdown(table: pd.DataFrame, caption: str = "Andel pr. region") -> str:
    return table_html(table, caption, "tabel.csv")


def test_a_suppressed_breakdown_table_passes(tmp_path, by_region):
    assert book_findings(tmp_path, page(breakdown(suppress_small(by_region, "N")))) == []


def test_an_unsuppressed_breakdown_table_fails_on_the_html_and_on_its_csv(tmp_path, by_region):
    found = book_findings(tmp_path, page(breakdown(by_region)))
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
        assert book_findings(tmp_path, page(html)) == []  # a national count is no breakdown
        html = html.replace("dataframe data-table", "dataframe data-table breakdown", 1)
    found = book_findings(tmp_path, page(html))
    assert found and f"'Antal kommuner': count '{T - 1}' under {T}" in str(found[0])


def test_a_breakdown_class_table_checks_every_column_of_whole_counts(tmp_path):
    crosstab = pd.DataFrame({"Svar": ["I høj grad", "Slet ikke"], "Hovedstaden": [4 * T, T - 1],
                             "Sjælland": [T + 2, 12],
                             "I høj grad (pct.)": [1, 2], "Folketal": [2, 3]})
    html = breakdown(crosstab, "Svar").replace("data-table", "data-table breakdown", 1)
    found = book_findings(tmp_path, page(html.split("<p><a")[0]))
    assert [str(f).split(": ", 1)[1] for f in found] == [
        f"row 2, column 'Hovedstaden': count '{T - 1}' under {T} is not suppressed"]


def test_shares_of_a_suppressed_group_must_be_suppressed_too(tmp_path, by_region):
    half = by_region.copy()
    half["N"] = suppress_small(by_region, "N", dependent=[])["N"]
    found = book_findings(tmp_path, page(breakdown(half)))
    assert found and f"numbers computed from fewer than {T} municipalities" in str(found[0])


def test_cells_that_name_their_group_size_are_checked(tmp_path):
    wide = pd.DataFrame({"Spørgsmål": ["Kvalitet i indsats og metode"],
                         "Region Hovedstaden": ["46 pct. (n = 27)"], "Region Nordjylland": [MARK],
                         "Region Sjælland": [f"50 pct. (n = {T - 1})"]})
    html = table_html(wide, "Andel i høj eller meget høj grad", "t.csv").split("<p><a")[0]
    html = html.replace("data-table", "data-table breakdown", 1)
    found = book_findings(tmp_path, page(html))
    assert [str(f).split(": ", 1)[1] for f in found] == [
        f"row 1, column 'Region Sjælland': '50 pct. (n = {T - 1})' rests on fewer than {T} municipalities and is "
        "not suppressed",
        "row 1: the only suppressed cell (column 'Region Nordjylland') can be recovered from the other cells of "
        "the row and the national figure"]


def test_municipality_level_answers_fail(tmp_path):
    answers = pd.DataFrame({"Kommunekode": ["101", "147"], "Kommune": ["København", "Frederiksberg"],
                            "Udfordringer samlet set": ["I høj grad", "Slet ikke"]})
    found = book_findings(tmp_path, page(table_html(answers, "Svar", "svar.csv")))
    # the page's table, its CSV and its .xlsx download
    assert len(found) == 3 and "municipality-level data: column 'Kommunekode'" in str(found[0])


def test_municipality_answers_hidden_in_a_csv_download_fail(tmp_path):
    csv = b"municipality,org_kvalitet_samlet\n101,4\n"
    link = (f'<p><a download="svar.csv" href="data:text/csv;base64,{base64.b64encode(csv).decode()}">'
            "Hent</a></p>")
    found = book_findings(tmp_path, page(link))
    assert [f.where for f in found] == ["notebooks/03_temaer.html, CSV download svar.csv"]


def test_municipality_register_facts_pass(tmp_path):
    register = pd.DataFrame({"Kommunekode": ["101"], "Kommune": ["København"], "Region": ["Region Hovedstaden"],
                             "Folketal 1. januar 2020": ["632.340"]})
    assert book_findings(tmp_path, page(table_html(register, "Kommunerne", "kommuner.csv"))) == []


def test_answer_labels_next_to_a_municipality_fail_even_under_a_register_heading(tmp_path):
    html = ("<table><thead><tr><th>Kommune</th><th>Region</th></tr></thead>"
            "<tbody><tr><td>København</td><td>I høj grad</td></tr></tbody></table>")
    assert len(book_findings(tmp_path, page(html))) == 1


def test_check_html_needs_a_build(tmp_path):
    with pytest.raises(FileNotFoundError, match="make book"):
        check.check_html(tmp_path / "_build" / "html")


def test_cli_exit_codes(tmp_path, capsys, by_region):
    assert check.main(["--html", str(tmp_path / "none")]) == 2
    book_findings(tmp_path, page(breakdown(suppress_small(by_region, "N"))))
    assert check.main(["--html", str(tmp_path / "html")]) == 0
    assert "nothing disclosed" in capsys.readouterr().out
    book_findings(tmp_path, page(breakdown(by_region)))
    assert check.main(["--html", str(tmp_path / "html")]) == 1


def test_table_parser_reads_caption_header_and_rows(tmp_path):
    table = suppress_small(pd.DataFrame({"Region": ["A"], "N": [T - 1]}), "N")
    (tmp_path / "p.html").write_text(page(breakdown(table)))
    tables = check.page_tables(tmp_path / "p.html", "p.html")
    assert tables[0] == Table("p.html, table 1", "Andel pr. region", {"dataframe", "data-table"}, ["Region", "N"],
                              [["A", MARK]])
    csv = next(t for t in tables if "CSV download" in t.where)
    assert csv.header == ["Region", "N"] and csv.rows == [["A", MARK]]
