"""A published answer distribution (every category's share, as a transcription adds them) is a target of
the synthetic data, is recomputed by the verification and makes its numbers the report's in provenance.

The small survey (tests/support/small_survey.py) gets extra published rows. Expected counts are worked out by
hand in the comments: with N = 9 one municipality is 11.1 pct., so 11, 22, 44, 11, 11 and 0 pct. can only
be 1, 2, 4, 1, 1 and 0 municipalities (sum 9).
"""
from __future__ import annotations

import pandas as pd
import pytest
from small_survey import assumptions, codebook, published, register

from municipal_survey.analysis import likert
from municipal_survey.analysis.rounding import counts_for_shares
from municipal_survey.analysis.verification import failures, verify
from municipal_survey.data.errors import DataError
from municipal_survey.data.published import PUBLISHED_COLUMNS, calibration_targets, load_published
from municipal_survey.synthetic import generator, provenance

ITEM = "org_b_samlet"  # assumed: n 8, 25 pct. in the top two
DISTRIBUTION = {"share_meget_hoej": 11, "share_hoej": 22, "share_mindre": 44, "share_slet_ikke": 11,
                "share_ved_ikke": 11, "share_ikke_relevant": 0}
COUNTS = {4: 1, 3: 2, 2: 4, 1: 1, 8: 1, 9: 0}


def _with(*rows: tuple) -> pd.DataFrame:
    """The small survey's published table and rows (id, figure, question, statistic, value, supersedes)."""
    extra = pd.DataFrame([{"id": r[0], "section": "1.2", "figure": r[1], "question": r[2], "statistic": r[3],
                           "value": float(r[4]), "tolerance": 0.0, "conflicts_with": "", "quote": "figur",
                           "note": "", "supersedes": r[5] if len(r) > 5 else ""} for r in rows])
    base = published().assign(supersedes="")
    return pd.concat([base, extra[[*PUBLISHED_COLUMNS, "supersedes"]]], ignore_index=True)


def _distribution(n: int = 9) -> list[tuple]:
    rows = [(f"d{i}", "", ITEM, stat, value) for i, (stat, value) in enumerate(DISTRIBUTION.items())]
    return rows + [("dn1", "", ITEM, "n_min", n), ("dn2", "", ITEM, "n_max", n)]


def test_counts_for_shares_finds_the_only_counts_by_hand():
    pcts = dict(zip(COUNTS, DISTRIBUTION.values()))
    assert counts_for_shares(pcts, 9) == COUNTS
    assert counts_for_shares(pcts, 9, top2=33) == COUNTS  # 3 of 9 = 33.3 pct.
    assert counts_for_shares(pcts, 9, top2=34) is None
    assert counts_for_shares(pcts | {2: 56}, 9) is None  # 5 in "i mindre grad": 10 answers, not 9


def test_a_published_distribution_replaces_the_assumptions_of_its_item():
    table = _with(*_distribution())
    plans = {p.question: p for p in generator.plan_items(codebook(), table, assumptions())}
    assert plans[ITEM].n == 9 and plans[ITEM].counts == COUNTS
    assert plans[ITEM].sources["share_top2"] == "the published distribution"
    responses = generator.generate(codebook(), register(), table, assumptions())
    answers = responses.loc[responses["question"] == ITEM, "answer"].tolist()
    assert {code: answers.count(code) for code in COUNTS} == COUNTS
    checked = verify(table, responses, codebook(), population=12)
    assert failures(checked).empty
    assert set(checked.loc[checked["id"].str.startswith("d"), "status"]) == {"reproduced"}


def test_a_published_share_replaces_the_assumed_one():
    spec = assumptions()
    spec["items"]["org_a_sub"] = {"share_top2": 30, "reason": "test", "reason_da": "test"}
    spec["origin"]["org_a_sub"] = "test.yml"
    plan = {p.question: p for p in generator.plan_items(codebook(), published(), spec)}["org_a_sub"]
    # N = 9 (codebook); the report's 56 pct. is 5 municipalities (55.6 pct.), the assumed 30 is not used.
    assert plan.counts[4] + plan.counts[3] == 5
    assert plan.sources["share_top2"] == "published p4; replaces the assumption"


def test_the_items_of_a_figure_span_its_printed_n_range():
    book = codebook()
    extra = book[book["question"] == ITEM].assign(figure="9", n_min=pd.NA, n_max=pd.NA)
    book = pd.concat([book, extra.assign(question="org_b_x", order=1110), extra.assign(question="org_b_y",
                                                                                          order=1120)])
    book["n_min"] = book["n_min"].astype("Int64")
    book["n_max"] = book["n_max"].astype("Int64")
    spec = assumptions()
    for question in ("org_b_x", "org_b_y"):  # 50 pct. is 4 of 8 or 5 of 10, but no count of 9
        spec["items"][question] = {"n": 9, "share_top2": 50, "reason": "test", "reason_da": "test"}
        spec["origin"][question] = "test.yml"
    table = _with(("f1", "9", "", "n_min", 8), ("f2", "9", "", "n_max", 10))
    plans = {p.question: p for p in generator.plan_items(book, table, spec)}
    assert sorted(plans[q].n for q in ("org_b_x", "org_b_y")) == [8, 10]
    responses = generator.generate(book, register(), table, spec)
    assert failures(verify(table, responses, book, population=12)).empty


def test_provenance_follows_a_published_distribution():
    before = provenance.Provenance.of(codebook(), published(), synthetic=True)
    assert before.of_part(ITEM, "share_mindre") == provenance.ASSUMED
    assert ITEM in provenance.assumed_questions(codebook(), published())
    table = _with(*_distribution())
    after = provenance.Provenance.of(codebook(), table, synthetic=True)
    assert after.of_part(ITEM, "share_mindre") == provenance.PUBLISHED
    assert after.of_part(ITEM, "share_top2") == provenance.DERIVED  # summed from the printed categories
    assert after.of_part(ITEM, "n") == provenance.PUBLISHED  # one N printed under its figure
    assert after.of_interval(ITEM) == provenance.DERIVED
    assert after.from_report_da(ITEM) == \
        "hele fordelingen, N, andel i høj/meget høj grad (afledt), intervallerne (afledt)"
    assert ITEM not in provenance.assumed_questions(codebook(), table)
    # a range of N (8-10) does not make the item's own N the report's
    ranged = provenance.Provenance.of(codebook(), _with(*_distribution()[:-2], ("r1", "", ITEM, "n_min", 8),
                                                        ("r2", "", ITEM, "n_max", 10)), synthetic=True)
    assert ranged.of_part(ITEM, "n") == provenance.ASSUMED


def test_a_correction_supersedes_the_row_it_names():
    table = _with(*_distribution(), ("old", "", ITEM, "share_ved_ikke", 22),
                  ("new", "", ITEM, "share_ved_ikke", 11, "old"))
    table = table[table["id"] != "d4"]  # the corrected number only as "old" and "new"
    assert calibration_targets(table, "share_ved_ikke")[ITEM] == 11
    responses = generator.generate(codebook(), register(), table, assumptions())
    checked = verify(table, responses, codebook(), population=12).set_index("id")
    assert checked.loc["old", "status"] == "superseded" and checked.loc["new", "status"] == "reproduced"
    assert failures(checked.reset_index()).empty
    shares = likert.shares(responses, [ITEM])
    assert shares.at[ITEM, "pct_8"] == 11


def test_the_loader_refuses_a_correction_of_a_row_that_is_not_there(tmp_path):
    header = ",".join(PUBLISHED_COLUMNS) + ",supersedes\n"
    (tmp_path / "published_a.csv").write_text(
        header + "a1,1,1,org_a_samlet,share_top2,40,,,40 pct.,,\n"
                 "a2,1,1,org_a_samlet,share_top2,41,,,41 pct.,rettet,zz\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"published_a.csv, row 3, column 'supersedes': got 'zz'"):
        load_published(tmp_path)
    (tmp_path / "published_a.csv").write_text(
        header + "a1,1,1,org_a_samlet,share_top2,40,,,40 pct.,,\n"
                 "a2,1,1,org_a_samlet,share_top2,41,,,41 pct.,rettet,a1\n", encoding="utf-8")
    assert calibration_targets(load_published(tmp_path), "share_top2") == {"org_a_samlet": 41.0}


def test_the_loader_names_every_bad_cell_with_its_file_and_row(tmp_path):
    header = ",".join(PUBLISHED_COLUMNS) + "\n"
    (tmp_path / "published_a.csv").write_text(header + "\n".join([
        "a1,1,1,org_a_samlet,share_top2,40,,,40 pct.,",      # row 2: fine
        "a1,1,1,org_a_samlet,share_top2,41,,,41 pct.,",      # row 3: the id again
        "a3,1,1,org_a_samlet,share_top3,41,,,41 pct.,",      # row 4: no such statistic
        "a4,1,1,org_a_samlet,share_top2,fyrre,,,fyrre,",     # row 5: a value that is no number
        "a5,1,1,org_a_samlet,share_top2,,,,tom,",            # row 6: no value
        "a6,1,1,org_a_samlet,share_top2,40,lidt,,40 pct.,",  # row 7: a tolerance that is no number
        "a7,1,1,org_a_samlet,share_top2,40,,,,",             # row 8: no quote
        "a8,1,1,org_a_samlet,share_top2,40,,a8,40 pct.,",    # row 9: in conflict with itself
    ]) + "\n", encoding="utf-8")
    (tmp_path / "published_b.csv").write_text(
        "wave," + header + "20x,b1,1,1,org_a_samlet,share_top2,40,,,40 pct.,\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_published(tmp_path)
    assert [(p.file, p.row, p.column, p.value) for p in caught.value.problems] == [
        ("published_b.csv", 2, "wave", "20x"),
        ("published_a.csv", 3, "id", "a1"), ("published_a.csv", 4, "statistic", "share_top3"),
        ("published_a.csv", 5, "value", "fyrre"), ("published_a.csv", 6, "value", ""),
        ("published_a.csv", 7, "tolerance", "lidt"), ("published_a.csv", 8, "quote", ""),
        ("published_a.csv", 9, "conflicts_with", "a8")]


def test_the_assumptions_a_published_number_replaces_leave_the_list_of_assumptions():
    from municipal_survey.synthetic.calibration import assumption_table

    listed = assumption_table(assumptions(), published())
    assert set(listed.loc[listed["question"] == ITEM, "parameter"]) == {"n", "share_top2"}
    listed = assumption_table(assumptions(), _with(*_distribution()))
    assert set(listed.loc[listed["question"] == ITEM, "parameter"]) == {"n"}  # the split is the report's now
    # org_a_behov's assumed share_top2 stays: only its "i mindre grad" is printed
    assert set(listed.loc[listed["question"] == "org_a_behov", "parameter"]) == {"n", "share_top2"}
