"""The summary page: every number glued from the same package calls the chapters use, and they
follow the data (a test changes the data and sees the summary change)."""
from __future__ import annotations

import matplotlib
import pandas as pd
import pytest
from project_root import ROOT

from municipal_survey.build import pages
from municipal_survey.data import paths
from municipal_survey.report import sections, tables
from municipal_survey.report.text import count_da

matplotlib.use("agg")


@pytest.fixture(scope="module")
def summary(shipped_book):
    """The summary of the shipped synthetic dataset, which most tests here only read."""
    return sections.summary(shipped_book)


def test_the_summary_page_glues_at_least_twenty_numbers_each_with_its_source():
    page = ROOT / "notebooks" / "sammenfatning.md"
    glued = {name: entry.get("provenance") for name, entry in pages.committed_glue(page).items()
             if "text" in entry}
    numbers = {k: v for k, v in glued.items() if k.startswith("sam_") and v is not None}
    assert len(numbers) >= 20
    prose = pages.prose(page)
    used = {k for k in glued if f"`{k}`" in prose}
    assert len(used & set(numbers)) >= 20, "the prose must use the glued numbers"


def test_the_summary_follows_the_data(summary, tmp_path, capsys):
    """Change the answers to one question the summary names and its number changes with them."""
    synthetic = summary.values
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
def test_the_summarys_own_contradiction_is_shown_not_hidden(summary, name):
    values = summary.values
    assert name in values
    assert values["sam_org_sektorer_psykiatri"][0] != values["sam_org_sektorer_psykiatri_trykt"][0]


def test_both_printed_numbers_of_the_contradiction_are_the_reports(summary):
    """The sentence about the contradiction quotes the two printed numbers, whatever the data say."""
    values = summary.values
    assert values["sam_org_sektorer_psykiatri_trykt"] == ("66 pct.", "published")
    assert values["sam_org_sektorer_psykiatri_afsnit"] == ("65 pct.", "published")


def test_the_summary_table_names_target_groups_the_person_first_way(summary):
    table = summary.tables["sam_tab_overblik"].replace(tables.SOFT_HYPHEN, "")  # shown only where a word breaks
    assert "Børn og unge med autisme: vækst i målgruppeomfang" in table
    assert "Autisme:" not in table


def test_the_summarys_size_statements_count_as_significant_only_as_chapter_3_tests_them(shipped_book):
    """The verification page counts the summary's three size statements as significant only as chapter 3
    tests them:
    one likelihood-ratio test each on log2 population (proportional odds, answers 1-4), Bonferroni over
    the three. Refitted here with statsmodels' OrderedModel, an implementation independent of the book's."""
    import numpy as np
    from scipy import stats as scipy_stats
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    book = shipped_book
    survey = book.survey
    log_population = np.log2(survey.register.set_index("code")["population"].astype(float))
    significant = unadjusted = 0
    for question in ("org_tidlig_samlet", "org_sektorer_samlet", "org_kommuner_samlet"):
        answers = survey.responses[survey.responses["question"] == question]
        answers = answers[answers["answer"].isin([1, 2, 3, 4])]
        y = pd.Series(pd.Categorical(answers["answer"], ordered=True))
        x = log_population.reindex(answers["municipality"]).to_numpy() - log_population.mean()
        full = OrderedModel(y, x[:, None], distr="logit").fit(method="bfgs", disp=False)
        shares = y.value_counts(normalize=True).sort_index().to_numpy()
        null_loglik = float((y.value_counts().sort_index().to_numpy() * np.log(shares)).sum())
        p = scipy_stats.chi2.sf(2 * (full.llf - null_loglik), 1)
        significant += min(1.0, 3 * p) < 0.05
        unadjusted += p < 0.05
    assert unadjusted != significant  # on these data the adjustment decides: the count must be the adjusted one
    assert sections.orders_and_directions(book).values["v_size_n_sig"][0] == count_da(significant)
