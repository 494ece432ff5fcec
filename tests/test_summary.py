"""The summary page: every number glued from the same package calls the chapters use, and they
follow the data (a test changes the data and sees the summary change)."""
from __future__ import annotations

from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from municipal_survey.build import pages
from municipal_survey.data import paths
from municipal_survey.report import sections

matplotlib.use("agg")
ROOT = Path(__file__).resolve().parents[1]


def test_the_summary_page_glues_at_least_twenty_numbers_each_with_its_source():
    page = ROOT / "notebooks" / "sammenfatning.md"
    glued = {name: entry.get("provenance") for name, entry in pages.committed_glue(page).items()
             if "text" in entry}
    numbers = {k: v for k, v in glued.items() if k.startswith("sam_") and v is not None}
    assert len(numbers) >= 20
    prose = pages.prose(page)
    used = {k for k in glued if f"`{k}`" in prose}
    assert len(used & set(numbers)) >= 20, "the prose must use the glued numbers"


def test_the_summary_follows_the_data(tmp_path, capsys):
    """Change the answers to one question the summary names and its number changes with them."""
    synthetic = sections.summary(sections.setup(paths.SYNTHETIC_RESPONSES)).values
    responses = pd.read_csv(paths.SYNTHETIC_RESPONSES, dtype=str)
    question = "org_kvalitet_data_progression"
    responses.loc[responses["question"] == question, "answer"] = "1"  # nobody has the challenge
    changed_file = tmp_path / "responses.csv"
    responses.to_csv(changed_file, index=False)
    changed = sections.summary(sections.setup(changed_file)).values
    capsys.readouterr()
    assert synthetic[f"sam_{question}"][0] == "67 pct."
    assert changed[f"sam_{question}"] == ("0 pct.", "data")  # imported data: nothing assumed
    unchanged = [k for k in synthetic if k != f"sam_{question}" and k.startswith("sam_org_sektorer")]
    assert unchanged and all(changed[k][0] == synthetic[k][0] for k in unchanged)


@pytest.mark.parametrize("name", ["sam_org_sektorer_psykiatri", "sam_org_sektorer_psykiatri_trykt"])
def test_the_summarys_own_contradiction_is_shown_not_hidden(name):
    values = sections.summary(sections.setup(paths.SYNTHETIC_RESPONSES)).values
    assert name in values
    assert values["sam_org_sektorer_psykiatri"][0] != values["sam_org_sektorer_psykiatri_trykt"][0]


def test_both_printed_numbers_of_the_contradiction_are_the_reports():
    """The sentence about the contradiction quotes the two printed numbers, whatever the data say."""
    values = sections.summary(sections.setup(paths.SYNTHETIC_RESPONSES)).values
    assert values["sam_org_sektorer_psykiatri_trykt"] == ("66 pct.", "published")
    assert values["sam_org_sektorer_psykiatri_afsnit"] == ("65 pct.", "published")


def test_the_summary_table_names_target_groups_the_person_first_way():
    table = sections.summary(sections.setup(paths.SYNTHETIC_RESPONSES)).tables["sam_tab_overblik"]
    assert "Børn og unge med autisme: vækst i målgruppeomfang" in table
    assert "Autisme:" not in table
