"""The .xlsx downloads: numbers stored as numbers, the notes rows, file and sheet names, the chapter
workbook, and the disclosure check reading them (the book test reading the built pages is
tests/book/test_downloads_book.py)."""
from __future__ import annotations

import base64
import io
import re

import openpyxl
import pandas as pd
import pytest

from municipal_survey.analysis.disclosure import MARK, suppress_small
from municipal_survey.analysis.disclosure import MIN_COUNT as T  # the book's threshold (data/settings.yml)
from municipal_survey.build import disclosure_check
from municipal_survey.report import downloads, tables

SYNTHETIC = "syntetiske, kalibrerede data – ikke kommunernes egne svar"


def sheet(payload: bytes, name: str | None = None):
    wb = openpyxl.load_workbook(io.BytesIO(payload))
    return wb[name] if name else wb.worksheets[0]


def xlsx_of(html: str) -> bytes:
    return base64.b64decode(re.search(r'spreadsheetml\.sheet;base64,([A-Za-z0-9+/=]+)"', html).group(1))


@pytest.fixture(autouse=True)
def fresh_registry():
    downloads.forget_rendered()


def test_danish_number_text_becomes_numbers_and_the_rest_stays_text():
    table = pd.DataFrame({
        "Område": ["A", "B"], "N": [3, 1200], "Folketal": ["1.845.939", "632"],
        "Gennemsnit": ["2,60", "-0,5"], "Andel": ["22 pct.", "61 †"],
        "Interval": ["2–5", "40–61"], "p": ["under 0,001", "0,023"], "Celle": [MARK, "–"],
        "Kode": ["007", "1.9"], "Tal": [0.25, float("nan")]})
    ws = sheet(downloads.table_xlsx(table, "Min tabel", "kapitel-1-min-tabel", SYNTHETIC))
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=1, max_row=3)]
    # an interval as its two ends, numbers a spreadsheet computes with; a p-value under a floor as the floor
    assert rows[0] == ["Område", "N", "Folketal", "Gennemsnit", "Andel", "Interval, nedre grænse",
                       "Interval, øvre grænse", "p", "Celle", "Kode", "Tal"]
    assert rows[1] == ["A", 3, 1845939, 2.6, 22, 2, 5, 0.001, MARK, "007", 0.25]
    assert rows[2] == ["B", 1200, 632, -0.5, 61, 40, 61, 0.023, "–", "1.9", "–"]
    assert all(type(v) is int for v in (rows[1][1], rows[1][2], rows[1][4], rows[2][4]))
    formats = {c.column_letter: c.number_format for c in ws[2]} | {f"{c.column_letter}3": c.number_format
                                                                  for c in ws[3]}
    # Excel shows what the page shows: decimals kept, thousands grouped, the unit and the mark kept.
    assert formats["C"] == "#,##0" and formats["D"] == "0.00" and formats["E"] == '0" pct."'
    assert formats["E3"] == '0" †"' and formats["D3"] == "0.0" and formats["H3"] == "0.000"
    assert formats["H"] == '"under "0.000'  # Excel shows "under 0,001", as the page does


def test_an_estimate_with_interval_and_n_becomes_one_number_per_column():
    table = pd.DataFrame({"Område": ["A", "B", "C"],
                          "Region X": ["2,6 (2,2–2,9; n = 25)", MARK, "2,1 † (1,9–2,3; n = 30)"]})
    ws = sheet(downloads.table_xlsx(table, "Gennemsnit", "kapitel-3-x", SYNTHETIC))
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=1, max_row=4)]
    assert rows[0] == ["Område", "Region X", "Region X, nedre grænse", "Region X, øvre grænse", "Region X, n"]
    assert rows[1] == ["A", 2.6, 2.2, 2.9, 25]
    assert rows[2] == ["B", MARK, "–", "–", "–"]  # a hidden cell stays hidden in every column
    assert rows[3] == ["C", 2.1, 1.9, 2.3, 30]


def test_text_that_looks_like_a_formula_stays_text():
    ws = sheet(downloads.table_xlsx(pd.DataFrame({"Svar": ["=1+1"]}), "T", "t"))
    assert ws["A2"].value == "=1+1" and ws["A2"].data_type == "s"


def test_the_notes_rows_follow_a_blank_row_and_say_source_dataset_and_provenance():
    table = pd.DataFrame({"Spørgsmål": ["Kvalitet"], "N": [80], "I høj grad (pct.)": [41],
                          "Fra rapporten": ["andel i høj/meget høj grad"]})
    ws = sheet(downloads.table_xlsx(table, "Tabel til figur 1", "kapitel-1-figur-01-x", SYNTHETIC))
    values = [row[0] for row in ws.iter_rows(values_only=True)]
    assert values[2] is None and all(v is None for v in next(ws.iter_rows(min_row=3, max_row=3, values_only=True)))
    notes = dict(v.split(": ", 1) for v in values[3:])
    assert list(notes) == ["Overskrift", "Kilde", "Datagrundlag", "Oprindelse", "Fil"]
    assert notes["Overskrift"] == "Tabel til figur 1" and "Socialstyrelsen" in notes["Kilde"]
    assert notes["Datagrundlag"] == SYNTHETIC and notes["Fil"] == "kapitel-1-figur-01-x.xlsx"
    assert "'Fra rapporten'" in notes["Oprindelse"] and "antagelser" in notes["Oprindelse"]


@pytest.mark.parametrize(("cells", "source", "expected", "absent"), [
    (["41 †"], SYNTHETIC, "Antaget: tal med †", "Fra rapporten"),
    (["41"], SYNTHETIC, "ikke rapportens", "†"),
    (["41"], "importerede data (eksport.csv, sha256 0123456789ab)", "importerede besvarelser", "syntetisk"),
    (["41"], "", "ikke beregnet af kommunernes svar", "syntetisk"),
])
def test_the_provenance_note_follows_the_marks_and_the_dataset(cells, source, expected, absent):
    note = downloads.provenance_note(pd.DataFrame({"Andel (pct.)": cells}), source)
    assert expected in note and absent not in note


def test_a_mark_in_the_caption_counts_too():
    table = pd.DataFrame({"Gennemsnit": ["2,54"]})
    assert "Antaget" not in downloads.provenance_note(table, SYNTHETIC, "Gennemsnit")
    assert "Antaget" in downloads.provenance_note(table, SYNTHETIC, "Gennemsnit; antagelser †")


def test_the_csv_stays_the_documented_machine_file():
    table = pd.DataFrame({"Område": ["A"], "Gennemsnit": ["2,60"]})
    html = tables.table_html(table, "T", "kapitel-1-t.csv", source=SYNTHETIC)
    payload = re.search(r'text/csv;charset=utf-8;base64,([A-Za-z0-9+/=]+)"', html).group(1)
    raw = base64.b64decode(payload)
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    assert raw.decode("utf-8-sig") == f'Område,Gennemsnit,Datagrundlag\nA,"2,60","{SYNTHETIC}"\n'
    assert 'download="kapitel-1-t.csv"' in html and 'download="kapitel-1-t.xlsx"' in html


@pytest.mark.parametrize(("name", "stem"), [
    ("figur_01.csv", "figur-01"), ("Kapitel 2: Målgrupper – Ærø.xlsx", "kapitel-2-maalgrupper-aeroe"),
    ("kapitel-3-region-model", "kapitel-3-region-model"), ("  Støtte__former  ", "stoette-former"),
])
def test_file_stems_are_lower_case_ascii_words_joined_by_hyphens(name, stem):
    assert downloads.file_stem(name) == stem and downloads.STEM.match(stem)


def test_a_name_without_letters_or_digits_is_refused():
    with pytest.raises(ValueError, match="'–.csv'"):
        downloads.file_stem("–.csv")


def test_sheet_names_are_short_unique_and_drop_the_chapter_prefix():
    stems = ["kapitel-2-figur-21-autisme", "kapitel-2-figur-22-meget-lange-navne-paa-maalgrupper-a",
             "kapitel-2-figur-22-meget-lange-navne-paa-maalgrupper-b", "kapitel-2-indhold", "andet"]
    names = downloads.sheet_names(stems, "kapitel-2")
    assert names[0] == "figur-21-autisme" and names[4] == "andet"
    assert all(len(n) <= downloads.SHEET_NAME_MAX for n in names)
    assert len({n.casefold() for n in names} | {downloads.CONTENTS_SHEET.casefold()}) == len(names) + 1
    assert names[2].endswith("-2")


def test_the_bytes_are_the_same_for_the_same_table_and_differ_for_another():
    table = pd.DataFrame({"A": [1, 2]})
    first = downloads.table_xlsx(table, "T", "t")
    assert first == downloads.table_xlsx(table, "T", "t")
    assert first != downloads.table_xlsx(table.assign(A=[1, 3]), "T", "t")


def test_the_workbook_has_a_contents_sheet_and_one_sheet_per_rendered_table():
    one = pd.DataFrame({"Område": ["A"], "N": [12]})
    two = pd.DataFrame({"Gruppe": ["B"], "Andel (pct.)": ["40 †"]})
    tables.table_html(one, "Første", "kapitel-1-foerste")
    tables.table_html(two, "Anden", "kapitel-1-anden", source=SYNTHETIC)
    tables.table_html(one.assign(N=[13]), "Første igen", "kapitel-1-foerste")  # a rerun cell replaces
    html = downloads.workbook_html("kapitel-1-tabeller", "Kapitel 1", "kapitel-1")
    assert 'download="kapitel-1-tabeller.xlsx"' in html and "Hent alle sidens to tabeller" in html
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_of(html)))
    assert wb.sheetnames == [downloads.CONTENTS_SHEET, "anden", "foerste"]
    assert [c.value for c in wb["foerste"][2]] == ["A", 13]
    assert wb["anden"]["B2"].value == 40 and wb["anden"]["B2"].number_format == '0" †"'
    contents = [row for row in wb[downloads.CONTENTS_SHEET].iter_rows(min_row=4, max_row=5, values_only=True)]
    assert contents == [("anden", "Anden", "kapitel-1-anden.xlsx"),
                        ("foerste", "Første igen", "kapitel-1-foerste.xlsx")]


def test_a_workbook_of_one_table_says_sidens_tabel():
    tables.table_html(pd.DataFrame({"Område": ["A"], "N": [12]}), "Eneste", "data-eneste")
    html = downloads.workbook_html("data-tabeller", "Data", "data")
    assert "Hent sidens tabel i én Excel-projektmappe" in html and "1 tabeller" not in html


def test_a_workbook_without_tables_is_refused():
    with pytest.raises(ValueError, match="at least one table"):
        downloads.workbook_html("kapitel-9-tabeller", "Kapitel 9")


# ------------------------------------------------------------------------------ the disclosure check
def page(body: str) -> str:
    return f"<html><body>{body}</body></html>"


def findings(tmp_path, html: str):
    (tmp_path / "html").mkdir(exist_ok=True)
    (tmp_path / "html" / "k3.html").write_text(page(html), encoding="utf-8")
    return disclosure_check.check_html(tmp_path / "html")


@pytest.fixture
def by_region() -> pd.DataFrame:
    return pd.DataFrame({"Region": ["Hovedstaden", "Sjælland", "Syddanmark", "Midtjylland"],
                         "N": [6 * T - 1, T - 2, 4 * T + 2, T - 1]})


def test_displayed_cells_keep_the_text_of_their_number_format():
    assert disclosure_check.displayed_cell(22, '0" pct."') == "22 pct."
    assert disclosure_check.displayed_cell(61.0, '0" †"') == "61 †"
    # the decimals the format shows, as Excel does ("2,60"; an interval's end 2 with "0.0" is "2,0")
    assert disclosure_check.displayed_cell(2.6, "0.00") == "2.60"
    assert disclosure_check.displayed_cell(2.0, "0.0") == "2.0" and disclosure_check.displayed_cell(3, "0") == "3"
    assert disclosure_check.displayed_cell(None) == "" and disclosure_check.displayed_cell(" a  b ") == "a b"


def test_a_count_under_the_threshold_hidden_only_in_the_xlsx_is_found(tmp_path, by_region):
    shown = suppress_small(by_region, "N")
    html = tables.table_html(shown, "Andel pr. region", "kapitel-3-region", classes="breakdown")
    assert findings(tmp_path, html) == []
    leaked = downloads.table_xlsx(by_region, "Andel pr. region", "kapitel-3-region")
    html = html.replace(downloads.data_uri(xlsx_of(html), downloads.XLSX_MIME),
                        downloads.data_uri(leaked, downloads.XLSX_MIME))
    found = findings(tmp_path, html)
    assert {f.where for f in found} == {"k3.html, Excel download kapitel-3-region.xlsx, sheet 'kapitel-3-region' "
                                        "(Andel pr. region)"}
    assert [f.what for f in found][:2] == [f"row {r}, column 'N': count '{n}' under {T} is not suppressed"
                                           for r, n in ((2, T - 2), (4, T - 1))]


def test_a_workbook_sheet_is_checked_like_the_table_its_file_note_names(tmp_path, by_region):
    shown = suppress_small(by_region, "N")
    # A caption that does not say "region": only the table's class marks it as a breakdown.
    html = tables.table_html(shown, "Andel pr. gruppe", "kapitel-3-grupper", classes="breakdown")
    other = tables.table_html(pd.DataFrame({"Støtteform": ["Netværk"], "Antal kommuner": [3]}),
                              "Antal kommuner pr. støtteform", "kapitel-3-former")
    leaked = downloads.Download("kapitel-3-grupper", "Andel pr. gruppe", by_region, "")
    workbook = downloads.workbook_xlsx([leaked, downloads.rendered()[1]], "Kapitel 3", "kapitel-3")
    href = downloads.data_uri(workbook, downloads.XLSX_MIME)
    link = f'<p><a download="kapitel-3-tabeller.xlsx" href="{href}">x</a>'
    found = findings(tmp_path, html + other + link)
    # The national count 3 under "Antal kommuner pr. støtteform" is no breakdown, on the page or in its sheet.
    assert {f.where for f in found} == {"k3.html, Excel download kapitel-3-tabeller.xlsx, sheet 'grupper' "
                                        "(Andel pr. gruppe)"}


def test_an_unreadable_xlsx_download_is_a_finding(tmp_path):
    link = f'<p><a download="x.xlsx" href="{downloads.XLSX_MIME.join(["data:", ";base64,bm90IGEgemlw"])}">x</a>'
    found = findings(tmp_path, link)
    assert [(f.where, f.what) for f in found] == [("k3.html, Excel download x.xlsx", "unreadable .xlsx download")]


def test_the_notes_under_a_one_row_table_do_not_count_as_its_rows(tmp_path):
    # Two suppressed cells in the one row: nothing to recover, in the table and in its .xlsx alike.
    wide = pd.DataFrame({"Spørgsmål": ["Tidlig indsats"], "Region Hovedstaden": [MARK], "Region Sjælland": [MARK],
                         "Region Syddanmark": ["2,6 (2,4–2,8; n = 21)"]})
    assert findings(tmp_path, tables.table_html(wide, "Gennemsnit pr. region", "kapitel-3-r", "breakdown")) == []


def test_rows_below_the_notes_are_checked_too(tmp_path, by_region):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Region", "N"])
    wb.active.append(["Hovedstaden", MARK])
    for row in ([], ["Overskrift: Andel pr. region"], [], ["Region", "N"], ["Sjælland", T - 1]):
        wb.active.append(row)
    raw = io.BytesIO()
    wb.save(raw)
    link = f'<p><a download="r.xlsx" href="{downloads.data_uri(raw.getvalue(), downloads.XLSX_MIME)}">x</a></p>'
    found = findings(tmp_path, link)
    assert [(f.where, f.what) for f in found] == [
        ("k3.html, Excel download r.xlsx, sheet 'Sheet', rows after blank row 2 (Andel pr. region)",
         f"row 1, column 'N': count '{T - 1}' under {T} is not suppressed")]
