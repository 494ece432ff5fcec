"""Chapter 2: the patterns across the 17 target groups that the report states in words.

The summary counts, over the 17 groups, how often an item is "one of the group's three largest
challenges" (early effort 14, growth 9, offers 8), and chapter 2 presents the groups in the order of
figure 20, which is sorted by the share "i høj eller meget høj grad" of the samlet question. The
report does not say how ties are ranked, so this module fixes the rule:

* the eight focus items of a group (every item except ``samlet``) are ranked by the rounded
  share (whole-number pct, as printed);
* an item is *among the three largest* when fewer than three items of its group have a strictly
  larger share. Ties at the third place therefore all count (a group can have more than three
  such items), and a tie never pushes an item out that a strictly smaller item would keep.

All functions are pure: they take a frame with columns ``group``, ``item``, ``pct`` (one row per
group and item) and return new frames or series.
"""
from __future__ import annotations

import fnmatch

import pandas as pd

from ..data.codebook import OVERALL_ITEM, section_key

FOCUS_ITEMS = ("opsporing", "vaekst", "tidlig", "tilbud", "borgere", "tvaers", "sektorer", "kompetencer")
TOP = 3


def _checked(shares: pd.DataFrame, columns=("group", "item", "pct")) -> pd.DataFrame:
    missing = [c for c in columns if c not in shares.columns]
    if missing:
        raise ValueError(f"shares need the columns {list(columns)}; missing {missing}")
    if shares["pct"].isna().any():
        bad = shares.loc[shares["pct"].isna(), ["group", "item"] if "item" in columns else ["group"]]
        raise ValueError(f"shares without a pct: {bad.to_dict('records')}")
    key = ["group", "item"] if "item" in columns else ["group"]
    if shares.duplicated(key).any():
        raise ValueError(f"one row per {' and '.join(key)} expected")
    return shares


def three_largest(shares: pd.DataFrame, top: int = TOP) -> pd.DataFrame:
    """Per group, the focus items among its `top` largest: fewer than `top` items strictly larger.

    Returns columns group, item, pct, larger (how many items of the group are strictly larger),
    sorted by group (first appearance) and then by pct descending; ``samlet`` rows are ignored.
    """
    focus = _checked(shares)
    focus = focus[focus["item"] != OVERALL_ITEM][["group", "item", "pct"]].copy()
    focus["pct"] = focus["pct"].astype(int)
    # Strictly larger items = items of the group with a higher pct: the "min" rank minus one.
    focus["larger"] = (focus.groupby("group", sort=False)["pct"].rank(method="min", ascending=False)
                       .astype(int) - 1)
    kept = focus[focus["larger"] < top].copy()
    group_rank = {g: i for i, g in enumerate(pd.unique(focus["group"]))}
    kept["_g"] = kept["group"].map(group_rank)
    kept = kept.sort_values(["_g", "larger"], kind="stable").drop(columns="_g")
    return kept.reset_index(drop=True)


def pattern_counts(shares: pd.DataFrame, top: int = TOP) -> pd.Series:
    """Number of groups in which each focus item is among the `top` largest (items with 0 included).

    Indexed by item, sorted by count descending (ties in the order of first appearance).
    """
    focus = _checked(shares)
    items = [i for i in pd.unique(focus["item"]) if i != OVERALL_ITEM]
    counts = three_largest(focus, top).groupby("item")["group"].nunique()
    out = pd.Series([int(counts.get(i, 0)) for i in items], index=pd.Index(items, name="item"),
                    name="groups", dtype="int64")
    return out.sort_values(ascending=False, kind="stable")


def figure20_order(samlet_shares: pd.DataFrame) -> list[str]:
    """Groups ordered as figure 20: by pct descending; ties keep the order of the input rows.

    Pass the rows in the report's section order and the result equals that order exactly when
    the shares never increase along it.
    """
    frame = _checked(samlet_shares, ("group", "pct"))
    return list(frame.sort_values("pct", ascending=False, kind="stable")["group"])


def group_shares(shares_table: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame | None:
    """The target-group rows of a likert shares table as (group, item, pct, section, question).

    `shares_table` is indexed by question with a `pct_top2` column (likert.shares). None when a
    target-group question has no share (not in the responses).
    """
    book = codebook[codebook["block"] == "target_group"]
    if book.empty:
        return None
    pct = shares_table["pct_top2"].reindex(book["question"])
    if pct.isna().any():
        return None
    out = pd.DataFrame({"group": book["topic"].to_numpy(), "item": book["item"].to_numpy(),
                        "pct": pct.astype(int).to_numpy(), "section": book["section"].to_numpy(),
                        "question": book["question"].to_numpy()})
    order = sorted(range(len(out)), key=lambda i: (section_key(out.at[i, "section"]), i))
    return out.iloc[order].reset_index(drop=True)


def recompute(statistic: str, question: str, shares_table: pd.DataFrame, codebook: pd.DataFrame) -> float | None:
    """A published chapter-2 pattern recomputed (verify.Recomputer calls this).

    pattern_count: `question` is an item key; the number of groups where it is among the three largest.
    rank_order: `question` is a glob over samlet ids; 1.0 when ordering those groups by pct gives the
    section order (figure 20), else 0.0. None when a needed share is missing.
    """
    table = group_shares(shares_table, codebook)
    if table is None:
        return None
    if statistic == "pattern_count":
        if question not in set(table["item"]):
            return None
        return float(pattern_counts(table).get(question, 0))
    if statistic == "rank_order":
        rows = table[[fnmatch.fnmatchcase(q, question) for q in table["question"]]]
        if rows.empty:
            return None
        return 1.0 if figure20_order(rows) == list(rows["group"]) else 0.0
    raise ValueError(f"no chapter-2 recipe for statistic {statistic!r}")


# The eight focus items as Boks 1 names them ("Spørgsmål til hver målgruppe").
FOCUS_LABELS_DA = {
    "opsporing": "Opsporing",
    "vaekst": "Vækst i målgruppeomfang",
    "tidlig": "Tidlige og forebyggende tiltag",
    "tilbud": "Tilbud og indsatser",
    "borgere": "Samarbejde med borgere",
    "tvaers": "Samarbejde på tværs af kommunen",
    "sektorer": "Samarbejde med relevante sektorer",
    "kompetencer": "Kompetencer og viden hos fagprofessionelle",
}


def groups(survey) -> pd.DataFrame:
    """The 17 target groups in the report's section order (= figure 20), with labels and samlet id."""
    topics = survey.topics[survey.topics["block"] == "target_group"].set_index("topic")
    book = survey.codebook
    book = book[(book["block"] == "target_group") & (book["item"] == OVERALL_ITEM)]
    table = pd.DataFrame({"section": topics["section"], "label": topics["label_da"],
                          "short_label": topics["short_label_da"]})
    table["overall"] = book.set_index("topic")["question"].reindex(table.index)
    order = sorted(table.index, key=lambda g: section_key(table.at[g, "section"]))
    return table.loc[order]


def overall_shares(survey) -> pd.DataFrame:
    """Figure 20: every group's samlet question, in section order, with likert.shares columns."""
    from . import likert

    table = groups(survey)
    shares = likert.shares(survey.responses, table["overall"])
    shares["group"] = table.index.to_numpy()
    return shares


def focus_shares(survey, group: str) -> pd.DataFrame:
    """One group's eight focus items, largest share first (the report's bullet order)."""
    from . import likert

    known = set(survey.codebook["question"])
    ids = [f"mg_{group}_{item}" for item in FOCUS_ITEMS if f"mg_{group}_{item}" in known]
    return likert.shares(survey.responses, ids).sort_values("share_top2", ascending=False, kind="stable")


def share_matrix(survey) -> pd.DataFrame:
    """Groups (section order) × focus items: whole-number pct "i høj eller meget høj grad"."""
    from . import likert

    table = groups(survey)
    ids = [f"mg_{g}_{i}" for g in table.index for i in FOCUS_ITEMS]
    pct = likert.shares(survey.responses, ids)["pct_top2"]
    return pd.DataFrame([[int(pct[f"mg_{g}_{i}"]) for i in FOCUS_ITEMS] for g in table.index],
                        index=table.index, columns=list(FOCUS_ITEMS))


def long_shares(survey) -> pd.DataFrame:
    """share_matrix as (group, item, pct) rows, for three_largest and pattern_counts."""
    matrix = share_matrix(survey)
    return matrix.reset_index(names="group").melt("group", var_name="item", value_name="pct")
