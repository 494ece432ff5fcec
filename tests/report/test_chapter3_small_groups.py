"""Small groups are data: chapter 3 built on answers where one region has only T - 2 respondents (T the
book's threshold: three at five) and one question is separated by size completes, merges the region and
says what cannot be computed."""
import dataclasses

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from municipal_survey.analysis import variation  # noqa: E402
from municipal_survey.analysis.disclosure import MIN_COUNT  # noqa: E402
from municipal_survey.data import socioeconomic  # noqa: E402
from municipal_survey.report import chapter3  # noqa: E402

SEPARATED = "mg_autisme_samlet"


@pytest.fixture(scope="module")
def small(shipped_book):
    survey = shipped_book.survey
    register = survey.register.set_index("code")
    north = sorted(set(register.index[register["region"] == "Region Nordjylland"])
                   & set(survey.responses["municipality"]))
    responses = survey.responses[~survey.responses["municipality"].isin(north[MIN_COUNT - 2:])].copy()
    # One target group answered "i meget høj grad" by every large municipality and "slet ikke" by every
    # small one: the size model has no finite odds ratio.
    population = register["population"]
    rows = responses["question"] == SEPARATED
    large = population.reindex(responses.loc[rows, "municipality"]).to_numpy() >= population.median()
    responses.loc[rows, "answer"] = [4 if big else 1 for big in large]
    small_survey = dataclasses.replace(survey, responses=responses.reset_index(drop=True))
    book = dataclasses.replace(shipped_book, survey=small_survey)
    index = socioeconomic.standin_index(survey.register)
    return book, variation.chapter(small_survey, index), index


def test_the_chapter_completes_and_merges_the_small_region(small):
    book, chapter, index = small
    region = chapter.breakdowns["region"]
    assert "Region Nordjylland" not in region.grouping.groups
    assert region.grouping.merges[0].failing == "Region Nordjylland"
    section = chapter3.section(book, chapter, index)
    for fig in section.figures.values():
        plt.close(fig)
    assert "Region Nordjylland med Region Midtjylland" in section.values["k3_region_merges"][0]
    # every group the page shows passes the rule or is hidden, and no test is shown over a hidden group
    cells = region.grouping.cells
    shown = cells[~cells["suppressed"]]
    assert ((shown["n"] - shown[["n_1", "n_2", "n_3", "n_4"]].max(axis=1)) >= MIN_COUNT).all()


def test_a_model_that_cannot_be_fitted_says_so_in_danish(small):
    _, chapter, _ = small
    size = chapter.models["size"].set_index("question")
    reason = size.at[SEPARATED, "reason"]
    assert reason.startswith("kan ikke beregnes: ") and "adskilt" in reason
    assert size.at[SEPARATED, "odds_ratio"] != size.at[SEPARATED, "odds_ratio"]  # NaN: nothing shown
    assert SEPARATED not in set(chapter.screen["question"][chapter.screen["factor"] == "size"])
