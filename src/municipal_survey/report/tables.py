"""Tables as the book shows them: accessible HTML with a caption and a CSV download link."""
from __future__ import annotations

import base64
import html

import pandas as pd

from ..synthetic.provenance import Provenance


def table_html(table: pd.DataFrame, caption: str, filename: str, classes: str = "", source: str = "") -> str:
    """An HTML table with caption and header scope, followed by a data-URI CSV download.

    The CSV travels inside the page, so it is always the table shown, even when the build serves
    the notebook from its cache. With `source`, the CSV gets a column "Datagrundlag" saying which
    dataset its numbers come from, so a downloaded file still tells synthetic from real data.
    """
    body = table.to_html(index=False, border=0, classes=f"dataframe data-table {classes}".strip(), escape=True,
                         na_rep="–")
    body = body.replace("<th>", '<th scope="col">')
    body = body.replace(">\n  <thead>", f">\n  <caption>{html.escape(caption)}</caption>\n  <thead>", 1)
    download = table.assign(Datagrundlag=source) if source else table
    csv = download.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")
    href = "data:text/csv;charset=utf-8;base64," + base64.b64encode(csv).decode("ascii")
    link = (f'<p><a download="{html.escape(filename)}" href="{href}">'
            f"Hent tabellen som CSV ({html.escape(filename)})</a></p>")
    return body + "\n" + link


def fmt_value(value) -> str:
    """A published or recomputed number as Danish text: whole numbers without decimals."""
    from .text import fmt_int, fmt_num

    if value is None or pd.isna(value):
        return "–"
    return fmt_int(value) if float(value).is_integer() else fmt_num(value, 1)


def show_table(table: pd.DataFrame, caption: str, filename: str, classes: str = ""):
    """Display table_html in a notebook; classes="breakdown" marks tables the disclosure check reads."""
    from IPython.display import HTML, display

    display(HTML(table_html(table, caption, filename, classes)))


def _interval(k: int, n: int) -> str:
    """95% interval of a top-two share among all 98 municipalities, in whole percent."""
    from ..analysis.likert import share_interval

    if not n:
        return "–"
    return _pct_range(*share_interval(int(k), int(n)))


def _bounds(k: int, n: int) -> str:
    """The non-response bounds of a top-two share among all 98 municipalities, in whole percent."""
    from ..analysis.likert import nonresponse_bounds

    if not n:
        return "–"
    return _pct_range(*nonresponse_bounds(int(k), int(n)))


def _pct_range(low: float, high: float) -> str:
    """Whole percents for an interval: the low end rounded down, the high end up, so the shown
    interval always contains the exact one (and stays inside whatever contains that)."""
    import math

    return f"{math.floor(100 * low + 1e-9)}–{math.ceil(100 * high - 1e-9)}"


PROVENANCE_COLUMN = "Fra rapporten"


def likert_table(shares: pd.DataFrame, labels: dict[str, str], provenance: Provenance) -> pd.DataFrame:
    """The data table beside a diverging-bar figure: Danish headers, whole-number percentages.

    On the synthetic dataset the column "Fra rapporten" names, row by row, the numbers the report
    prints; every other number of the row is an assumption. On imported data it is left out.
    """
    from ..data.codebook import LIKERT_LABELS

    out = pd.DataFrame({"Spørgsmål": [labels.get(q, q) for q in shares.index],
                        "N": shares["n"].astype(int).to_numpy()})
    for code in (4, 3, 2, 1, 8, 9):
        out[f"{LIKERT_LABELS[code]} (pct.)"] = shares[f"pct_{code}"].to_numpy()
    out["I høj eller meget høj grad (pct.)"] = shares["pct_top2"].to_numpy()
    out["95 pct.-interval"] = [_interval(k, n) for k, n in zip(shares["k_top2"], shares["n"])]
    out["Grænser ved frafald"] = [_bounds(k, n) for k, n in zip(shares["k_top2"], shares["n"])]
    if provenance.synthetic:
        out[PROVENANCE_COLUMN] = [provenance.from_report_da(q) for q in shares.index]
    return out


def counts_table(counts: pd.Series, labels: dict[str, str], provenance: Provenance,
                 keys: dict[str, str]) -> pd.DataFrame:
    """The data table beside a support-form chart; `keys` maps form key -> question id."""
    ordered = counts.sort_values(ascending=False, kind="stable")
    out = pd.DataFrame({"Støtteform": [labels.get(k, k) for k in ordered.index],
                        "Antal kommuner": ordered.astype(int).to_numpy()})
    if provenance.synthetic:
        out[PROVENANCE_COLUMN] = [provenance.from_report_da(keys.get(k, k), parts=("count",))
                                  for k in ordered.index]
    return out
