"""The verification of every published number (analysis.verification): each kind of number gets its
status, said in Danish, and a changed answer, a missing question or an unknown statistic is caught."""
import pandas as pd
import pytest
from small_survey import assumptions, codebook, published, register

from municipal_survey.analysis import verification
from municipal_survey.analysis.verification import failures, verify
from municipal_survey.data.published import PUBLISHED_COLUMNS
from municipal_survey.synthetic import generator


def _table(responses=None):
    responses = responses if responses is not None else generator.generate(
        codebook(), register(), published(), assumptions())
    return verify(published(), responses, codebook(), population=12).set_index("id")


def test_every_kind_of_published_number_gets_its_status():
    table = _table()
    assert table.loc["p1", "status"] == "reproduced" and table.loc["p1", "recomputed"] == 92
    assert table.loc["p2", "status"] == "reproduced"
    assert table.loc["p3", "status"] == "contradiction"  # 41 vs 40 printed elsewhere
    assert table.loc["p7", "status"] == "reproduced" and table.loc["p7", "recomputed"] == 8
    assert table.loc["p8", "status"] == "approximate"  # "cirka halvdelen" vs 56
    assert table.loc["p9", "recomputed"] == 10
    assert table.loc["p10", "status"] == "external"
    assert failures(table.reset_index()).empty


def test_a_changed_answer_is_caught():
    responses = generator.generate(codebook(), register(), published(), assumptions())
    hit = responses.index[(responses["question"] == "org_a_samlet") & (responses["answer"].isin([1, 2]))][0]
    responses.loc[hit, "answer"] = 4  # one more municipality in the top two: 50 pct., not 40
    table = _table(responses)
    assert table.loc["p2", "status"] == "mismatch"
    assert table.loc["p3", "status"] == "mismatch"  # no reproduced partner: no longer an explained conflict
    assert set(failures(table.reset_index())["id"]) == {"p2", "p3"}


def test_missing_question_is_reported_not_passed():
    responses = generator.generate(codebook(), register(), published(), assumptions())
    table = _table(responses[responses["question"] != "org_a_sub"].reset_index(drop=True))
    # Both printed numbers about org_a_sub (p4 and the approximate p8) have nothing to be computed from.
    assert table.loc["p4", "status"] == "missing" and pd.isna(table.loc["p4", "recomputed"])
    assert table.loc["p8", "status"] == "missing" and table.loc["p4", "status_da"] == "MANGLER I DATA"
    assert set(failures(table.reset_index())["id"]) == {"p4", "p8"}
    assert table.loc["p2", "status"] == "reproduced"  # the other questions are still checked


def _published_with(*rows) -> pd.DataFrame:
    """The small survey's published numbers with extra rows (id, figure, question, statistic, value, ...)."""
    extra = pd.DataFrame([dict(zip(PUBLISHED_COLUMNS, ("",) * len(PUBLISHED_COLUMNS)))
                          | {"section": "1.1", "tolerance": 0.0, "conflicts_with": ""} | row for row in rows])
    frame = pd.concat([published(), extra[PUBLISHED_COLUMNS]], ignore_index=True)
    frame["value"], frame["tolerance"] = frame["value"].astype(float), frame["tolerance"].astype(float)
    return frame


def _verify_with(*rows, responses=None) -> pd.DataFrame:
    responses = responses if responses is not None else generator.generate(
        codebook(), register(), published(), assumptions())
    return verify(_published_with(*rows), responses, codebook(), population=12).set_index("id")


def test_status_in_danish_for_every_status():
    table = _table()
    assert table["status_da"].to_dict() == {
        "p1": "Genskabt", "p2": "Genskabt", "p3": "Rapportens egen modstrid (dokumenteret)",
        "p4": "Genskabt", "p5": "Genskabt", "p6": "Genskabt", "p7": "Genskabt",
        "p8": "Genskabt (rapportens cirka-tal)", "p9": "Genskabt", "p10": "Tal fra en anden undersøgelse"}
    changed = _verify_with({"id": "q1", "question": "org_a_samlet", "statistic": "share_top2", "value": 70})
    assert changed.loc["q1", "status_da"] == "AFVIGER"


def test_every_status_has_its_danish_explanation():
    table = _table().reset_index()
    explained = {row.id: verification.explanation_da(row) for row in table.itertuples(index=False)}
    assert explained["p3"] == ("Rapporten trykker et andet tal for samme spørgsmål i række p2; bogen kalibrerer "
                               "efter tallet ved figuren, så dette tal kan ikke også rammes.")
    assert explained["p8"] == "Rapporten skriver et cirka-tal; datasættets tal ligger inden for ±10 procentpoint."
    assert explained["p10"] == "Tallet stammer fra en anden undersøgelse og kan ikke genberegnes fra disse data."
    assert explained["p1"] == "Genskabt præcist."
    mismatch = table.loc[table["id"] == "p2"].assign(status="mismatch")
    assert verification.explanation_da(next(mismatch.itertuples(index=False))) == \
        "Tallet er hverken genskabt eller forklaret."
    missing = table.loc[table["id"] == "p2"].assign(status="missing")
    assert verification.explanation_da(next(missing.itertuples(index=False))) == \
        "Tallet er hverken genskabt eller forklaret."


def test_the_loaders_file_and_row_columns_are_left_out():
    located = published().assign(_file="published.csv", _row=range(2, 12))
    table = verify(located, generator.generate(codebook(), register(), published(), assumptions()), codebook(),
                   population=12)
    assert list(table.columns) == PUBLISHED_COLUMNS + ["recomputed", "status", "status_da"]


def test_the_number_of_answers_is_recomputed():
    # org_a_samlet is answered by 10 municipalities (its n_min and n_max in the codebook are 10).
    table = _verify_with({"id": "q1", "question": "org_a_samlet", "statistic": "n", "value": 10},
                         {"id": "q2", "question": "org_a_samlet", "statistic": "n", "value": 11})
    assert table.loc["q1", "recomputed"] == 10 and table.loc["q1", "status"] == "reproduced"
    assert table.loc["q2", "status"] == "mismatch"


def test_a_slip_next_to_an_approximate_number_is_a_contradiction():
    # p8 ("cirka halvdelen", 50 +- 10) is reproduced approximately; a printed 70 for the same share that
    # names p8 as its partner is the report contradicting itself.
    table = _verify_with({"id": "q1", "question": "org_a_sub", "statistic": "share_top2", "value": 70,
                          "conflicts_with": "p8"})
    assert table.loc["p8", "status"] == "approximate"
    assert table.loc["q1", "status"] == "contradiction"
    # A partner that is itself a mismatch explains nothing:
    refused = _verify_with({"id": "q3", "question": "org_a_sub", "statistic": "share_top2", "value": 70,
                            "conflicts_with": "q4"},
                           {"id": "q4", "question": "org_a_sub", "statistic": "share_top2", "value": 71})
    assert refused.loc["q3", "status"] == "mismatch"


def test_counts_of_ticks_and_their_mean():
    # org_a_stoette_x is ticked by 5 municipalities (p6), org_a_stoette_y by 3: mean (5 + 3) / 2 = 4.
    table = _verify_with({"id": "q1", "question": "org_a_stoette_*", "statistic": "mean_count", "value": 4},
                         {"id": "q2", "question": "org_b_stoette_*", "statistic": "mean_count", "value": 4},
                         {"id": "q3", "question": "org_b_stoette_x", "statistic": "count_ticked", "value": 1},
                         {"id": "q4", "figure": "1", "statistic": "ticks_total", "value": 8})
    assert table.loc["q1", "recomputed"] == 4 and table.loc["q1", "status"] == "reproduced"
    assert pd.isna(table.loc["q2", "recomputed"]) and table.loc["q2", "status"] == "missing"
    assert pd.isna(table.loc["q3", "recomputed"]) and table.loc["q3", "status"] == "missing"
    # figure 1 has no multiple-choice question, so it has no ticks to add up
    assert pd.isna(table.loc["q4", "recomputed"]) and table.loc["q4", "status"] == "missing"


def test_an_unknown_statistic_is_refused_by_name():
    with pytest.raises(ValueError, match="no recipe for statistic 'median'"):
        _verify_with({"id": "q1", "question": "org_a_samlet", "statistic": "median", "value": 3})
