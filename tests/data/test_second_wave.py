"""A second wave of the survey is data, not code: codebook rows, a published table and responses.

The test copies the project's data into a temporary folder, adds a small fictitious wave (2022)
there, and shows that the package keeps the book's wave apart from it and can compare the two.
"""
import shutil

import pandas as pd
import pytest

from municipal_survey.analysis import likert
from municipal_survey.analysis.verification import failures, verify
from municipal_survey.data import paths
from municipal_survey.data.errors import DataError
from municipal_survey.data.published import calibration_targets, load_published
from municipal_survey.data.survey import load_survey

NEW_WAVE = 2022
ITEM = "org_sektorer_samlet"  # asked again in the new wave: same id, same codebook row
NEW_ITEM = "tema_fiktiv_2022"  # a question only the new wave asks: one more codebook row
# Ten municipalities answer the new wave: four "i meget høj grad", two "i høj grad", four "slet ikke"
# -> 6 of 10 in the top two = 60 pct.
NEW_ANSWERS = [4, 4, 4, 4, 3, 3, 1, 1, 1, 1]


@pytest.fixture
def two_waves(tmp_path, monkeypatch):
    """A copy of data/ with a fictitious 2022 wave added as files only; returns the responses path."""
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data)
    for name, value in {"DATA_DIR": data, "CODEBOOK_DIR": data / "codebook",
                        "PUBLISHED_DIR": data / "published",
                        "REGISTER_FILE": data / "register" / "municipalities.csv",
                        "SYNTHETIC_DIR": data / "synthetic",
                        "SYNTHETIC_RESPONSES": data / "synthetic" / "responses.csv"}.items():
        monkeypatch.setattr(paths, name, value)
    (data / "codebook" / "questions_2022.csv").write_text(
        "question,order,chapter,section,figure,block,topic,item,kind,text_da,n_min,n_max,note\n"
        f"{NEW_ITEM},9000,4,4.9,,theme,fiktiv,samlet,likert,Et fiktivt spørgsmål kun i testen,,,test only\n",
        encoding="utf-8")
    (data / "published" / "published_2022_fiktiv.csv").write_text(
        "id,wave,section,figure,question,statistic,value,tolerance,conflicts_with,quote,note\n"
        f"f22-001,{NEW_WAVE},1.2,,{ITEM},share_top2,60,,,fiktivt citat,test only\n", encoding="utf-8")
    responses = data / "synthetic" / "responses.csv"
    codes = pd.read_csv(data / "register" / "municipalities.csv", dtype=str)["code"].head(len(NEW_ANSWERS))
    rows = [f"{NEW_WAVE},{code},{question},{answer}"
            for code, answer in zip(codes, NEW_ANSWERS) for question in (ITEM, NEW_ITEM)]
    with responses.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(rows) + "\n")
    return responses


def test_the_book_wave_is_unchanged_by_a_second_wave(two_waves, shipped_book):
    original = shipped_book.survey
    survey = load_survey(two_waves)
    assert survey.waves == [2020, NEW_WAVE]
    pd.testing.assert_frame_equal(survey.responses, original.responses)
    assert set(survey.published["id"]) == set(original.published["id"])
    assert "f22-001" in set(survey.all_published["id"])
    # The chapters' verification sees only the book's wave: still nothing unexplained.
    assert failures(verify(survey.published, survey.responses, survey.codebook)).empty


def test_per_wave_shares(two_waves):
    survey = load_survey(two_waves)
    table = likert.shares_by_wave(survey.all_responses, [ITEM, NEW_ITEM])
    assert table.loc[(NEW_WAVE, ITEM), "pct_top2"] == 60
    assert table.loc[(NEW_WAVE, ITEM), "n"] == len(NEW_ANSWERS)
    assert table.loc[(NEW_WAVE, NEW_ITEM), "pct_top2"] == 60
    assert table.loc[(2020, NEW_ITEM), "n"] == 0  # not asked in 2020
    book = likert.shares(survey.responses, [ITEM])
    assert table.loc[(2020, ITEM), "pct_top2"] == book.at[ITEM, "pct_top2"]
    assert likert.shares(survey.wave(NEW_WAVE), [ITEM]).at[ITEM, "pct_top2"] == 60


def test_counting_two_waves_together_is_an_error(two_waves):
    survey = load_survey(two_waves)
    with pytest.raises(ValueError, match=r"waves \[2020, 2022\]"):
        likert.shares(survey.all_responses, [ITEM])
    with pytest.raises(ValueError, match="one wave at a time"):
        likert.means(survey.all_responses, [ITEM])
    with pytest.raises(KeyError, match="2019"):
        survey.wave(2019)


def test_published_numbers_of_another_wave_are_not_calibration_targets(two_waves):
    assert "f22-001" not in set(load_published()["id"])  # default: the book's wave
    assert set(load_published(wave=NEW_WAVE)["id"]) == {"f22-001"}
    everything = load_published(wave=None)
    assert (everything.loc[everything["id"] == "f22-001", "wave"] == NEW_WAVE).all()
    assert calibration_targets(load_published(), "share_top2")[ITEM] == 38  # the report's 1.2, not 2022's
    # Both waves in one call would make two targets for the same question: the loader's default avoids it.
    with pytest.raises(DataError, match=ITEM):
        calibration_targets(everything, "share_top2")


def test_a_wave_that_is_not_a_year_names_file_row_and_column(two_waves):
    published = paths.PUBLISHED_DIR / "published_2022_fiktiv.csv"
    published.write_text(published.read_text(encoding="utf-8").replace(f"f22-001,{NEW_WAVE}", "f22-001,tyve"),
                         encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_published(wave=None)
    problem = caught.value.problems[0]
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "published_2022_fiktiv.csv", 2, "wave", "tyve")
