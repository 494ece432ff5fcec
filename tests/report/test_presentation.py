import base64
import re

import pandas as pd

from municipal_survey.analysis import likert
from municipal_survey.report import tables
from municipal_survey.synthetic.provenance import Provenance


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
