import pandas as pd
from small_survey import assumptions, codebook, published, register

from municipal_survey.analysis.verification import failures, verify
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
    assert table.loc["p4", "status"] == "missing"
    assert "p4" in set(failures(table.reset_index())["id"])
    assert isinstance(table, pd.DataFrame)
