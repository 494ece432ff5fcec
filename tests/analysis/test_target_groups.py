"""The chapter-2 patterns: 'among the three largest' with ties, the counts over groups, figure 20's order."""
import pandas as pd
import pytest

from municipal_survey.analysis import target_groups as tg


def _shares(table: dict[str, dict[str, int]]) -> pd.DataFrame:
    return pd.DataFrame([{"group": g, "item": i, "pct": p}
                         for g, items in table.items() for i, p in items.items()])


def _members(shares: pd.DataFrame) -> dict[str, set[str]]:
    out = tg.three_largest(shares)
    return {g: set(rows["item"]) for g, rows in out.groupby("group")}


def test_distinct_shares_give_exactly_the_three_largest():
    shares = _shares({"a": {"opsporing": 10, "vaekst": 70, "tidlig": 50, "tilbud": 40, "borgere": 45}})
    out = tg.three_largest(shares)
    assert list(out["item"]) == ["vaekst", "tidlig", "borgere"]
    assert list(out["larger"]) == [0, 1, 2]


def test_a_tie_at_third_place_keeps_both_items():
    shares = _shares({"a": {"vaekst": 60, "tidlig": 50, "tilbud": 40, "borgere": 40, "tvaers": 39}})
    assert _members(shares) == {"a": {"vaekst", "tidlig", "tilbud", "borgere"}}


def test_a_tie_above_third_place_pushes_the_next_item_out():
    # 60, 40, 40: the 30 has three items strictly larger, so it is not among the three largest.
    shares = _shares({"a": {"vaekst": 60, "tidlig": 40, "tilbud": 40, "borgere": 30}})
    assert _members(shares) == {"a": {"vaekst", "tidlig", "tilbud"}}


def test_all_equal_shares_all_count():
    shares = _shares({"a": {"vaekst": 20, "tidlig": 20, "tilbud": 20, "borgere": 20}})
    assert _members(shares) == {"a": {"vaekst", "tidlig", "tilbud", "borgere"}}


def test_samlet_is_never_among_the_focus_items():
    shares = _shares({"a": {"samlet": 90, "vaekst": 30, "tidlig": 20, "tilbud": 10, "borgere": 5}})
    assert _members(shares) == {"a": {"vaekst", "tidlig", "tilbud"}}


def test_groups_are_ranked_separately():
    shares = _shares({
        "a": {"vaekst": 80, "tidlig": 70, "tilbud": 60, "borgere": 50},
        "b": {"vaekst": 5, "tidlig": 6, "tilbud": 7, "borgere": 8},
    })
    assert _members(shares) == {"a": {"vaekst", "tidlig", "tilbud"}, "b": {"tidlig", "tilbud", "borgere"}}


def test_pattern_counts_count_groups_and_keep_items_never_counted():
    shares = _shares({
        "a": {"vaekst": 80, "tidlig": 70, "tilbud": 60, "borgere": 50},
        "b": {"vaekst": 10, "tidlig": 70, "tilbud": 60, "borgere": 50},
        "c": {"vaekst": 10, "tidlig": 70, "tilbud": 60, "borgere": 60, "samlet": 99},
    })
    counts = tg.pattern_counts(shares)
    assert counts.to_dict() == {"tidlig": 3, "tilbud": 3, "borgere": 2, "vaekst": 1}
    assert list(counts.index) == ["tidlig", "tilbud", "borgere", "vaekst"]
    assert "samlet" not in counts.index
    zero = tg.pattern_counts(_shares({"a": {"vaekst": 4, "tidlig": 3, "tilbud": 2, "borgere": 1}}))
    assert zero["borgere"] == 0 and zero["vaekst"] == 1


def test_missing_share_is_an_error_not_a_zero():
    shares = _shares({"a": {"vaekst": 80, "tidlig": 70}})
    shares.loc[1, "pct"] = None
    with pytest.raises(ValueError, match="without a pct"):
        tg.three_largest(shares)


def test_figure20_order_sorts_descending_and_keeps_ties_in_input_order():
    samlet = pd.DataFrame({"group": ["x", "y", "z", "w"], "pct": [5, 40, 5, 4]})
    assert tg.figure20_order(samlet) == ["y", "x", "z", "w"]
    assert tg.figure20_order(samlet.iloc[[1, 2, 0, 3]]) == ["y", "z", "x", "w"]


def _codebook_and_shares(samlet: dict[str, int]):
    rows, pct = [], {}
    focus = {"g1": {"vaekst": 70, "tidlig": 60, "tilbud": 50, "borgere": 10},
             "g2": {"vaekst": 10, "tidlig": 60, "tilbud": 50, "borgere": 40},
             "g10": {"vaekst": 30, "tidlig": 20, "tilbud": 10, "borgere": 40}}
    sections = {"g1": "2.1", "g2": "2.2", "g10": "2.10"}
    for group in ("g10", "g1", "g2"):  # file order differs from section order on purpose
        for item, p in list(focus[group].items()) + [("samlet", samlet[group])]:
            qid = f"mg_{group}_{item}"
            rows.append({"question": qid, "block": "target_group", "topic": group, "item": item,
                         "section": sections[group]})
            pct[qid] = p
    rows.append({"question": "org_a_samlet", "block": "area", "topic": "a", "item": "samlet", "section": "1.1"})
    pct["org_a_samlet"] = 99
    shares_table = pd.DataFrame({"pct_top2": pd.Series(pct, dtype="Int64")})
    return pd.DataFrame(rows), shares_table


def test_recompute_pattern_count_from_a_shares_table():
    codebook, shares_table = _codebook_and_shares({"g1": 50, "g2": 40, "g10": 30})
    # g1: vaekst, tidlig, tilbud; g2: tidlig, tilbud, borgere; g10: borgere, vaekst, tidlig.
    assert tg.recompute("pattern_count", "tidlig", shares_table, codebook) == 3.0
    assert tg.recompute("pattern_count", "borgere", shares_table, codebook) == 2.0
    assert tg.recompute("pattern_count", "vaekst", shares_table, codebook) == 2.0
    assert tg.recompute("pattern_count", "tilbud", shares_table, codebook) == 2.0
    assert tg.recompute("pattern_count", "nosuchitem", shares_table, codebook) is None


def test_recompute_rank_order_uses_numeric_section_order():
    codebook, shares_table = _codebook_and_shares({"g1": 50, "g2": 40, "g10": 30})
    assert tg.recompute("rank_order", "mg_*_samlet", shares_table, codebook) == 1.0  # 2.1, 2.2, 2.10
    codebook, shares_table = _codebook_and_shares({"g1": 50, "g2": 30, "g10": 40})
    assert tg.recompute("rank_order", "mg_*_samlet", shares_table, codebook) == 0.0  # 2.10 above 2.2
    codebook, shares_table = _codebook_and_shares({"g1": 50, "g2": 40, "g10": 40})
    assert tg.recompute("rank_order", "mg_*_samlet", shares_table, codebook) == 1.0  # a tie is no disorder


def test_recompute_is_none_when_a_share_is_missing():
    codebook, shares_table = _codebook_and_shares({"g1": 50, "g2": 40, "g10": 30})
    shares_table.loc["mg_g2_tidlig", "pct_top2"] = pd.NA
    assert tg.recompute("pattern_count", "tidlig", shares_table, codebook) is None
    with pytest.raises(ValueError):
        tg.recompute("share_top2", "tidlig", shares_table.fillna(0), codebook)
