"""The synthetic generator (synthetic.generator) on the small hand-made survey: the data contract, the
published targets met exactly, item respondents nested along the questionnaire, one dataset per seed,
the other answers unchanged when a question is added, and a missing target and an unreachable share
reported together."""
import pandas as pd
import pytest
from small_survey import assumptions, codebook, published, register

from municipal_survey.analysis import likert
from municipal_survey.data.errors import DataError
from municipal_survey.data.responses import validate_responses
from municipal_survey.synthetic import generator


@pytest.fixture(scope="module")
def generated() -> pd.DataFrame:
    return generator.generate(codebook(), register(), published(), assumptions())


def test_generated_responses_meet_the_data_contract(generated):
    validated = validate_responses(generated, codebook(), register())
    assert len(validated) == len(generated)
    assert generated["municipality"].nunique() == 11  # 92 pct. of 12 can only be 11


def test_published_targets_are_met_exactly(generated):
    table = likert.shares(generated, ["org_a_samlet", "org_a_sub", "org_a_behov", "org_b_samlet"])
    assert table.at["org_a_samlet", "pct_top2"] == 40  # the target row, not the conflicting 41
    assert table.at["org_a_samlet", "n"] == 10
    assert table.at["org_a_sub", "pct_top2"] == 56 and table.at["org_a_sub", "n"] == 9
    assert table.at["org_a_behov", "pct_2"] == 60  # a published "i mindre grad" constraint
    assert table.at["org_b_samlet", "pct_top2"] == 25 and table.at["org_b_samlet", "n"] == 8
    ticks = generated[generated["question"].str.contains("stoette")].groupby("question")["answer"].sum()
    assert ticks["org_a_stoette_x"] == 5 and ticks["org_a_stoette_y"] == 3


def test_item_respondents_are_nested_along_the_questionnaire(generated):
    who = generated.groupby("question")["municipality"].apply(set)
    assert who["org_b_samlet"] <= who["org_a_sub"] <= who["org_a_samlet"]
    # support forms are asked of exactly those who answered the need question
    assert who["org_a_stoette_x"] == who["org_a_behov"]


def test_generation_is_deterministic_and_seed_dependent(generated):
    again = generator.generate(codebook(), register(), published(), assumptions())
    pd.testing.assert_frame_equal(generated, again)
    other = assumptions() | {"seed": 8}
    assert not generator.generate(codebook(), register(), published(), other).equals(generated)


def test_adding_a_question_leaves_other_answers_unchanged(generated):
    book = codebook()
    extra = book.iloc[[-1]].assign(question="org_b_extra", order=1200)
    book = pd.concat([book, extra], ignore_index=True)
    spec = assumptions()
    spec["items"]["org_b_extra"] = {"n": 8, "share_top2": 50, "reason": "test"}
    bigger = generator.generate(book, register(), published(), spec)
    same = bigger[bigger["question"] != "org_b_extra"].reset_index(drop=True)
    pd.testing.assert_frame_equal(same, generated)


def test_missing_target_and_unreachable_share_are_reported_together():
    spec = assumptions()
    del spec["items"]["org_b_samlet"]["share_top2"]
    spec["items"]["org_a_behov"]["share_top2"] = 15  # 15 % of 10 is not a whole count
    with pytest.raises(DataError) as err:
        generator.plan_items(codebook(), published(), spec)
    text = str(err.value)
    assert "org_b_samlet" in text and "published or assumed share_top2" in text
    assert "org_a_behov" in text and "reachable with N = 10" in text


