"""The disclosure rule (analysis.disclosure), which every breakdown of the book goes through: a share
needs the threshold T (data/settings.yml) on each side, T passes and T - 1 does not; suppression of small
counts and of what is computed from them; secondary suppression; merging groups instead of leaving holes;
and the summaries of the respondents, checked against hand-worked cases and a brute-force search over
every possible set of non-respondents."""
from itertools import combinations

import numpy as np
import pandas as pd
import pytest

from municipal_survey.analysis import disclosure
from municipal_survey.analysis.disclosure import MARK, share_reason, suppress_cells, suppress_small
from municipal_survey.analysis.disclosure import MIN_COUNT as T  # the book's threshold (data/settings.yml)
from municipal_survey.analysis.rounding import round_half_away


# ------------------------------------------------------------------------------ a share and a count
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


# ---------------------------------------------------------------------------- secondary suppression
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


# -------------------------------------------------- merging groups and summaries of the respondents
NEIGHBOURS = {"N": ("M",), "M": ("N", "S"), "S": ("M", "E"), "E": ("H", "S"), "H": ("E",)}


def counts(rows: dict[tuple[str, str], list[int]]) -> pd.DataFrame:
    return pd.DataFrame([{"question": q, "group": g, "n_1": c[0], "n_2": c[1], "n_3": c[2], "n_4": c[3]}
                         for (q, g), c in rows.items()])


def test_a_failing_region_is_merged_with_its_first_declared_neighbour_and_the_rule_is_met():
    # N fails on q1 (only T - 2 of its 11 municipalities answer i høj or meget høj grad); the others pass.
    good = [4, 10, 6, 3]
    table = counts({**{("q1", g): good for g in "HESM"}, ("q1", "N"): [0, T + 1, T - 2, 0],
                    **{("q2", g): good for g in "HESMN"}})
    grouping = disclosure.merge_groups(table, list("HESMN"), NEIGHBOURS, dict(zip("HESMN", (29, 17, 22, 19, 11))))
    assert [(m.failing, m.partner, m.merged) for m in grouping.merges] == [("N", "M", "M og N")]
    assert grouping.groups == ["H", "E", "S", "M og N"]
    merged = grouping.cells[(grouping.cells["question"] == "q1") & (grouping.cells["group"] == "M og N")].iloc[0]
    assert [merged.n_1, merged.n_2, merged.n_3, merged.n_4] == [4, 10 + T + 1, 6 + T - 2, 3]
    assert not grouping.cells["suppressed"].any()
    assert grouping.statistic_reason("q1") == ""


def test_merging_stops_at_two_groups_and_then_suppresses_with_a_partner():
    bad = [0, 8, 0, 1]
    table = counts({("q1", "A"): bad, ("q1", "B"): bad, ("q1", "C"): [3, 5, 5, 3], ("q2", "A"): [3, 5, 5, 3],
                    ("q2", "B"): [3, 5, 5, 3], ("q2", "C"): [3, 5, 5, 3]})
    grouping = disclosure.merge_groups(table, list("ABC"), {}, {"A": 16, "B": 18, "C": 20})
    assert len(grouping.groups) == 2
    q1 = grouping.cells[grouping.cells["question"] == "q1"]
    # A (the smaller of the two failing) joins B, its only neighbour; (0, 16, 0, 2) still fails, and as the
    # lone hidden cell of q1 it gets C as its partner (the national figure would give it away)
    assert q1["suppressed"].all() and sorted(q1["suppression"]) == ["primær", "sekundær"]
    assert grouping.statistic_reason("q1").startswith("kan ikke vises")
    assert not grouping.cells.loc[grouping.cells["question"] == "q2", "suppressed"].any()


def test_an_ordered_group_merges_with_the_smaller_adjacent_group():
    table = counts({("q", "A"): [3, 5, 5, 3], ("q", "B"): [0, 3, 1, 0], ("q", "C"): [3, 5, 5, 3],
                    ("q", "D"): [3, 5, 5, 3]})
    grouping = disclosure.merge_groups(table, list("ABCD"), {}, {"A": 30, "B": 8, "C": 20, "D": 25})
    assert [(m.failing, m.partner) for m in grouping.merges] == [("B", "C")]


def _brute_force_median(values, m, shown, step):
    """Every set of m non-respondents whose complement's median rounds to `shown`."""
    found = []
    for missing in combinations(range(len(values)), m):
        rest = np.delete(values, missing)
        if disclosure.round_to(float(np.median(rest)), step) == shown:
            found.append(set(missing))
    return found


@pytest.mark.parametrize("missing", [(0, 1, 2, 3, 4), (0, 3, 5, 8, 11), (9, 10, 11, 12, 13), (2, 4, 6, 8, 10, 12)])
def test_the_median_check_agrees_with_a_search_over_every_set_of_non_respondents(missing):
    values = np.array([5, 7, 8, 11, 12, 15, 16, 18, 21, 25, 30, 34, 40, 51], dtype=float) * 1000
    respondent = np.ones(len(values), dtype=bool)
    respondent[list(missing)] = False
    shown = disclosure.round_to(float(np.median(values[respondent])), 1000)
    sets = _brute_force_median(values, len(missing), shown, 1000)
    named = set.intersection(*sets)
    reason = disclosure.median_summary_reason(values, respondent, 1000)
    if named:
        assert reason == "medianen ville udpege kommuner, der ikke har svaret"
    elif len(sets) < 5:
        assert "færre end 5 mulige sæt" in reason
    else:
        assert reason == ""


def test_the_median_is_withheld_when_fewer_than_the_threshold_are_missing():
    values = np.arange(1, 21, dtype=float) * 1000
    respondent = np.ones(20, dtype=bool)
    respondent[:T - 1] = False
    assert disclosure.median_summary_reason(values, respondent, 1000) == f"færre end {T} kommuner mangler"


def test_the_largest_regional_difference_is_withheld_when_it_pins_a_small_count():
    sizes = {"H": 29, "E": 17, "S": 22, "M": 19, "N": 11}
    # Eight missing spread as the register: the difference rounds to 0 pct. points and that pins the
    # large regions' counts (each split giving 0 must be close to proportional).
    missing = {"H": 2, "E": 2, "S": 2, "M": 1, "N": 1}
    assert round_half_away(disclosure.largest_share_difference(sizes, missing)) == 1
    feasible = {g: set() for g in sizes}
    shown = round_half_away(disclosure.largest_share_difference(sizes, missing))
    for h in range(9):
        for e in range(9 - h):
            for s in range(9 - h - e):
                for m_ in range(9 - h - e - s):
                    split = {"H": h, "E": e, "S": s, "M": m_, "N": 8 - h - e - s - m_}
                    if round_half_away(disclosure.largest_share_difference(sizes, split)) == shown:
                        for g in sizes:
                            feasible[g].add(split[g])
    pinned = any(1 <= missing[g] <= 4 and (len(feasible[g]) <= 2 or max(feasible[g]) <= 4)
                 for g in sizes)
    reason = disclosure.difference_summary_reason(sizes, missing)
    assert (reason != "") == pinned
    many = {"H": 9, "E": 0, "S": 0, "M": 0, "N": 0}
    assert disclosure.difference_summary_reason(sizes, many) == ""  # only H is missing, and 9 of them


WORKED_THRESHOLD = 5  # the worked examples below are counted for a threshold of five


def _feasible_by_brute_force(first, second, own=None):
    """Every count of each answer (1-4, no answer) that group one can hold, given both groups' sizes, both
    groups' counts "i høj eller meget høj grad" and the national counts, listed with itertools; with `own`,
    as a municipality of group one that answered `own` sees the others' counts."""
    import itertools

    national = [a + b for a, b in zip(first, second)]
    size_one, size_two, top_one, top_two = sum(first), sum(second), first[2] + first[3], second[2] + second[3]
    seen = [set() for _ in range(5)]
    for vector in itertools.product(*(range(min(size_one, n) + 1) for n in national)):
        rest = [n - v for n, v in zip(national, vector)]
        if sum(vector) != size_one or sum(rest) != size_two:
            continue
        if vector[2] + vector[3] != top_one or rest[2] + rest[3] != top_two:
            continue
        if own is not None:
            if vector[own] < 1:
                continue
            vector = [v - (c == own) for c, v in enumerate(vector)]
        for c in range(5):
            seen[c].add(vector[c])
    return seen


@pytest.mark.parametrize("first, second, given_away", [
    # Five answer i høj/meget høj grad in the first group, ten in the second, and only three "i meget høj
    # grad" nationally: a municipality of the first group that answered "i meget høj grad" knows that 2 to
    # 4 others answered "i høj grad".
    ((4, 5, 3, 2, 1), (6, 5, 9, 1, 2), True),
    ((1, 1, 3, 2, 5), (6, 5, 9, 1, 2), True),
    # Only two "slet ikke" nationally: the national count alone tells a municipality that answered it
    # that at most one other did, whatever the groups show.
    ((1, 6, 4, 5, 1), (1, 6, 1, 9, 3), False),
    ((4, 4, 5, 5, 0), (6, 6, 7, 7, 1), False),  # enough on every side
    ((2, 6, 3, 6, 2), (1, 9, 12, 2, 0), False),
])
def test_margin_reasons_agree_with_every_table_the_figures_allow(first, second, given_away):
    reasons = disclosure.margin_reasons({"A": first, "B": second}, min_count=WORKED_THRESHOLD)

    def pinned(values, true, min_count=WORKED_THRESHOLD, lowest=1):
        values = sorted(values)
        return lowest <= true < min_count and (len(values) <= 2 or (values[0] >= 1 and values[-1] < min_count))

    def national_alone(c, own=None):
        # what the national counts and the group's size tell without the shares
        size, total, n = sum(first), sum(first) + sum(second), first[c] + second[c]
        if own is not None:
            size, total, n = size - 1, total - 1, n - (c == own)
        return set(range(max(0, size + n - total), min(size, n) + 1))

    expected = any(pinned(values, first[c]) and values < national_alone(c)
                   for c, values in enumerate(_feasible_by_brute_force(first, second)))
    for own in range(5):
        if first[own] < 1:
            continue
        for c, values in enumerate(_feasible_by_brute_force(first, second, own)):
            rule = (WORKED_THRESHOLD - 1, 0) if c == own else (WORKED_THRESHOLD, 1)
            expected |= pinned(values, first[c] - (c == own), *rule) and values < national_alone(c, own)
    assert expected == given_away
    assert (reasons["A"] != "") == expected
