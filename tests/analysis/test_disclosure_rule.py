"""The disclosure rule at its exact thresholds, secondary suppression, and the outside reader's attack
on built pages (shares and group sizes turned back into counts).

The rule is tested at the book's threshold T (data/settings.yml): T on each side passes, T - 1 does not.
The attack's worked examples ("22 pct. (n = 9)" is 2 of 9) are computed for a threshold of five, given
to the check explicitly (EXAMPLE_THRESHOLD)."""
import base64

import pandas as pd
import pytest

from municipal_survey.analysis.disclosure import MARK, share_reason, suppress_cells, suppress_small
from municipal_survey.analysis.disclosure import MIN_COUNT as T
from municipal_survey.build import disclosure_check as disclosure
from municipal_survey.report.tables import table_html


# ------------------------------------------------------------------------------------------ the rule
@pytest.mark.parametrize("k, n, safe", [
    (T, 2 * T, True), (T - 1, 2 * T, False), (T + 1, 2 * T, False), (T, 2 * T - 1, False), (0, 6 * T, False),
    (6 * T, 6 * T, False), (1, 6 * T, False), (5 * T, 6 * T, True), (5 * T + 1, 6 * T, False),
    (T - 1, T - 1, False), (0, 0, False), (3 * T, 6 * T, True)])
def test_a_share_needs_the_threshold_on_each_side(k, n, safe):
    assert (share_reason(k, n) == "") is safe


def test_share_reasons_name_the_side_that_is_too_small():
    assert share_reason(1, T - 1) == f"gruppen har færre end {T} besvarelser"
    assert share_reason(T - 1, 4 * T) == f"færre end {T} kommuner har svaret"
    assert share_reason(3 * T + 1, 4 * T) == f"færre end {T} kommuner har ikke svaret"
    assert share_reason(3, 9, min_count=3) == "" and share_reason(2, 9, min_count=3) != ""


def test_suppress_small_counts_of_one_and_under_the_threshold():
    table = pd.DataFrame({"Gruppe": list("abcde"), "N": [0, 1, T - 1, T, T + 1],
                          "Andel (pct.)": [0, 10, 20, 30, 40]})
    assert MARK == f"<{T}"  # the mark follows from the threshold
    out = suppress_small(table, "N")
    assert list(out["N"]) == [MARK, MARK, MARK, T, T + 1]
    assert list(out["Andel (pct.)"]) == [MARK, MARK, MARK, 30, 40]
    kept_zero = suppress_small(table, "N", include_zero=False)
    assert list(kept_zero["N"]) == [0, MARK, MARK, T, T + 1]  # a single municipality is always suppressed
    assert list(suppress_small(table, "N", min_count=T + 1)["N"])[3] == f"<{T + 1}"  # its own threshold's mark


def cells(reasons, rows=("q1", "q2", "q3"), columns=("A", "B", "C")):
    """Long-form cells; reasons[r][c] is the primary reason ('' = shown)."""
    return pd.DataFrame([{"question": q, "group": g, "n": 10 + 3 * j + i, "reason": reasons[i][j]}
                         for i, q in enumerate(rows) for j, g in enumerate(columns)])


def marks(out, rows=("q1", "q2", "q3"), columns=("A", "B", "C")):
    grid = out.pivot(index="question", columns="group", values="suppression").reindex(index=rows, columns=columns)
    return grid.values.tolist()


def test_a_lone_suppressed_cell_gets_a_partner_in_its_row_and_column():
    out = suppress_cells(cells([["x", "", ""], ["", "", ""], ["", "", ""]]), "question", "group")
    # q1/A is primary; its row partner is the smallest other cell (q1/B, n = 13); then column A needs one
    # (q2/A, n = 11), column B needs one (q2/B), and row q2 then has two.
    assert marks(out) == [["primær", "sekundær", ""], ["sekundær", "sekundær", ""], ["", "", ""]]
    for key in ("question", "group"):
        per_line = out.groupby(key)["suppressed"].sum()
        assert not (per_line == 1).any()


def test_secondary_suppression_only_along_lines_with_published_totals():
    out = suppress_cells(cells([["x", "", ""], ["", "", ""], ["", "", ""]]), "question", "group", totals=("row",))
    assert marks(out) == [["primær", "sekundær", ""], ["", "", ""], ["", "", ""]]
    none = suppress_cells(cells([["", "", ""]] * 3), "question", "group")
    assert not none["suppressed"].any()


def test_two_primary_cells_in_a_row_need_no_partner_there():
    out = suppress_cells(cells([["x", "x", ""], ["", "", ""], ["", "", ""]]), "question", "group", totals=("row",))
    assert marks(out)[0] == ["primær", "primær", ""]


def test_suppress_cells_names_missing_columns_and_bad_totals():
    with pytest.raises(KeyError, match="'reason'"):
        suppress_cells(cells([[""] * 3] * 3).drop(columns="reason"), "question", "group")
    with pytest.raises(ValueError, match="diagonal"):
        suppress_cells(cells([[""] * 3] * 3), "question", "group", totals=("diagonal",))


# -------------------------------------------------------------------------------- the reader's attack
@pytest.mark.parametrize("pct, n, expected", [(22, 9, [2]), (0, 9, [0]), (100, 12, [12]), (50, 10, [5]),
                                              (33, 3, [1]), (22.2, 9, [2]), (3, 100, [3])])
def test_counts_are_recovered_from_a_share_and_its_group_size(pct, n, expected):
    assert disclosure.recovered_counts(pct, n) == expected


def page_with(table: pd.DataFrame, caption: str = "Andel pr. region", csv: bool = True) -> str:
    html = table_html(table, caption, "t.csv")
    return "<html><body>" + (html if csv else html.split("<p><a")[0]) + "</body></html>"


EXAMPLE_THRESHOLD = 5


def findings_for(tmp_path, html: str) -> list[str]:
    (tmp_path / "html").mkdir(exist_ok=True)
    (tmp_path / "html" / "kap3.html").write_text(html, encoding="utf-8")
    return [str(f) for f in disclosure.check_html(tmp_path / "html", EXAMPLE_THRESHOLD)]


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
