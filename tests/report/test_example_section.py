"""The template page's section helper: its numbers counted by hand from the responses."""
from __future__ import annotations

import re

import pytest

from municipal_survey.analysis.disclosure import MIN_COUNT
from municipal_survey.report import example_section
from municipal_survey.report.text import count_da


@pytest.fixture(scope="module")
def made(shipped_book):
    return shipped_book, example_section.section(shipped_book)


def test_the_share_and_n_are_the_answers_counted_by_hand(made):
    book, section = made
    answers = book.survey.responses.loc[book.survey.responses["question"] == example_section.QUESTION, "answer"]
    n = len(answers)
    top2 = int((answers.isin([3, 4])).sum())
    low = int((answers.isin([1, 2])).sum())
    half_up = lambda k: int(k * 100 / n + 0.5)  # noqa: E731 (the report rounds half away from zero)
    assert section.values["skabelon_n"][0] == str(n)
    assert section.values["skabelon_andel"][0].removesuffix(" †") == f"{half_up(top2)} pct."
    # "i mindre grad" and "slet ikke" rounded one by one, then added, as the sentence reads the figure
    assert abs(int(section.values["skabelon_mindre"][0].split()[0]) - low * 100 / n) <= 1


def test_the_page_gets_its_figure_tables_and_threshold_under_its_own_prefix(made):
    _, section = made
    assert section.values["skabelon_graense"][0] == count_da(MIN_COUNT)
    assert set(section.figures) == {"skabelon_fig"}
    assert set(section.tables) == {"skabelon_tab", "skabelon_tab_region"}
    assert all(name.startswith("skabelon_") for name in section.values)
    assert re.search(r'<table[^>]*class="[^"]*\bbreakdown\b', section.tables["skabelon_tab_region"])
    assert "skabelon-figur.xlsx" in section.tables["skabelon_tab"]
