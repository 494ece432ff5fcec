"""The book's HTML tables (report.tables): a caption, headers with their scope and the same numbers as
the CSV download; the interval around a share inside the non-response bounds; and tables as a reader at
1280 px sees them: numbers right-aligned (class "num"), never broken, the mark † kept with its number,
short headers."""
import base64
import re

import pandas as pd

from municipal_survey.analysis import likert
from municipal_survey.report import tables
from municipal_survey.synthetic.provenance import Provenance


def cells_by_column(html: str) -> list[list[str]]:
    """The opening tag of every header and body cell, per row."""
    return [re.findall(r"<t[hd][^>]*>", row) for row in re.findall(r"<tr[^>]*>.*?</tr>", html, flags=re.DOTALL)]


def test_numeric_columns_are_told_from_text_columns():
    table = pd.DataFrame({"Spørgsmål": ["Vold", "Rusmidler"], "N": [85, 90], "Andel": ["46 †", "–"],
                          "Interval": ["30–49", "2,5 (2,2–2,8; n = 20)"], "p": ["under 0,001", "0,042"],
                          "Tal": ["77 pct.", "85 kommuner"],
                          "Fra rapporten": ["antal", "intet (antaget †)"], "Blandet": ["12", "tolv"]})
    assert tables.numeric_columns(table) == [False, True, True, True, True, True, False, False]


def test_numbers_carry_the_class_num_in_header_and_body_and_single_numbers_are_whole():
    table = pd.DataFrame({"Område": ["A", "B"], "Antal": [3, 14], "Interval": ["30–49", "2,5 (2,2–2,8; n = 20)"]})
    rows = cells_by_column(tables.table_html(table, "Tabel", "t.csv"))
    assert rows[0] == ['<th scope="col">', '<th scope="col" class="num">', '<th scope="col" class="num">']
    assert rows[1] == ["<td>", '<td class="num whole">', '<td class="num whole">']
    assert rows[2] == ["<td>", '<td class="num whole">', '<td class="num">']  # may wrap at its spaces


def test_the_mark_stays_with_its_number_on_the_page_but_not_in_the_download():
    import base64

    table = pd.DataFrame({"Område": ["A"], "Andel": ["46 †"]})
    html = tables.table_html(table, "Tabel († = antagelse)", "t.csv")
    assert "46&nbsp;†" in html and "46 †" not in html.split("<p>")[0]
    payload = re.search(r'data:text/csv;[^,]*base64,([A-Za-z0-9+/=]+)"', html).group(1)
    assert "46 †" in base64.b64decode(payload).decode("utf-8-sig")


def test_a_text_cell_may_break_after_a_slash():
    html = tables.table_html(pd.DataFrame({"Fra rapporten": ["andel i høj/meget høj grad"]}), "Tabel", "t.csv")
    assert "<td>andel i høj/<wbr>meget høj grad</td>" in html


def test_only_tables_with_long_header_words_may_break_inside_them():
    short = tables.table_html(pd.DataFrame({"Meget høj grad": [1], "95 pct.-interval": ["3–5"]}), "Tabel", "t.csv")
    long = tables.table_html(pd.DataFrame({"Kompetenceudvikling": [1]}), "Tabel", "t.csv")
    assert "long-words" not in short and '<table class="long-words ' in long
    many = pd.DataFrame({f"Spearmans {i}": [1] for i in range(10)})  # ten short header words do not fit
    assert '<table class="long-words ' in tables.table_html(many, "Tabel", "t.csv")
    address = pd.DataFrame({"Kilde": ["https://www.sbst.dk/udgivelser/2023/kommunale-udfordringer"]})
    assert '<table class="long-cells ' in tables.table_html(address, "Tabel", "t.csv")


def test_in_a_table_with_a_very_long_word_only_that_word_breaks_anywhere_the_others_at_syllables():
    table = pd.DataFrame({"Række": ["sam-001"], "Afsnit": ["Sammenfatning"],
                          "Spørgsmål": ["org_kvalitet_data_progression"], "Type": ["Afkrydsning"],
                          "Statistik": ["Andel i høj/meget høj grad"], "Emne": ["implementeringsstøtte."]})
    html = tables.table_html(table, "Tabel", "t.csv")
    assert '<table class="long-cells ' in html
    row = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert cells[0] == "sam-001"
    assert cells[1] == "Sam\u00admen\u00adfat\u00adning"  # Danish syllables, a hyphen shown only at a break
    assert cells[2] == '<span class="long-word">org_kvalitet_data_progression</span>'  # breaks anywhere
    assert cells[3] == "Afkryds\u00adning"
    assert cells[4] == "Andel i høj/<wbr>meget høj grad"
    # a long Danish word too (not after "m" of "mpl", nor with 2 letters after: "støt-te")
    assert cells[5] == "imple\u00admen\u00adte\u00adrings\u00adstøtte."
    # a table without such a word keeps its text cells' words whole
    plain = tables.table_html(table.drop(columns=["Spørgsmål", "Emne"]), "Tabel", "t.csv")
    assert "long-cells" not in plain and "\u00ad" not in plain.split("<tbody>")[1] and "long-word" not in plain


def test_likert_table_headers_are_short():
    frame = pd.DataFrame([{"wave": 2020, "municipality": f"{100 + i:03d}", "question": "q", "answer": a}
                          for i, a in enumerate([4, 3, 3, 2, 2, 1, 8, 9] * 3)])
    table = tables.likert_table(likert.shares(frame, ["q"]), {}, Provenance(synthetic=True, published_parts={}))
    answers = list(table.columns[2:9])
    assert answers == ["Meget høj grad", "Høj grad", "Mindre grad", "Slet ikke", "Ved ikke", "Ikke relevant",
                       tables.TOP2_COLUMN]
    assert all("pct." not in c and len(c) <= 20 for c in answers)  # the caption says "i procent"
    assert table.loc[0, "Ved ikke"] == table.loc[0, "Ikke relevant"] == 13  # 3 of 24 = 12.5, rounded half up


def _shares():
    frame = pd.DataFrame([{"wave": 2020, "municipality": f"{100 + i:03d}", "question": "q", "answer": a}
                          for i, a in enumerate([4, 3, 3, 2, 2, 2, 1, 8] * 10)])
    return likert.shares(frame, ["q"])


def test_likert_table_holds_the_interval_around_the_share_inside_the_nonresponse_bounds():
    provenance = Provenance(synthetic=True, published_parts={})
    table = tables.likert_table(_shares(), {"q": "Spørgsmål"}, provenance)
    row = table.iloc[0]
    low, high = (int(x) for x in row["95 pct.-interval"].split("–"))
    floor, ceiling = (int(x) for x in row["Grænser ved frafald"].split("–"))
    assert floor <= low < row[tables.TOP2_COLUMN] < high <= ceiling
    # 30 of 80 answered 4 or 3; 18 of the 98 did not answer: between 30/98 and 48/98.
    assert (floor, ceiling) == (30, 49)
    assert row["Fra rapporten"] == "intet (antaget †)" and row["N"] == 80


def test_table_html_has_caption_header_scope_and_the_same_csv():
    table = pd.DataFrame({"Område": ["A", "B"], "Antal": [3, 4]})
    html = tables.table_html(table, "Min tabel", "min.csv", classes="breakdown")
    assert "<caption>Min tabel</caption>" in html and '<th scope="col">' in html and "breakdown" in html
    payload = re.search(r'text/csv;charset=utf-8;base64,([A-Za-z0-9+/=]+)"', html).group(1)
    assert base64.b64decode(payload).decode("utf-8-sig") == "Område,Antal\nA,3\nB,4\n"


def test_fmt_value_prints_whole_numbers_without_decimals():
    assert tables.fmt_value(66.0) == "66"
    assert tables.fmt_value(37.56) == "37,6"
    assert tables.fmt_value(None) == "–"
