"""Chapter 3 built on another synthetic seed says what that data show: its sentences are computed, so
they follow the data (checked here with fits and counts written out, not with the package's helpers)."""
import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from project_root import ROOT  # noqa: E402
from scipy import stats as st  # noqa: E402
from statsmodels.miscmodels.ordinal_model import OrderedModel  # noqa: E402

from municipal_survey import cli  # noqa: E402
from municipal_survey.analysis import variation  # noqa: E402
from municipal_survey.build import pages  # noqa: E402
from municipal_survey.data import socioeconomic  # noqa: E402
from municipal_survey.report import chapter3, phrasing, sections  # noqa: E402

SEED = 7


def built(responses=None):
    book = sections.setup(responses)
    index = socioeconomic.standin_index(book.survey.register)
    chapter = variation.chapter(book.survey, index)
    section = chapter3.section(book, chapter, index)
    for fig in section.figures.values():
        plt.close(fig)
    return book.survey, chapter, {name: value for name, (value, _) in section.values.items()}


@pytest.fixture(scope="module")
def other(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seed")
    assert cli.main(["synth", "--seed", str(SEED), "--output", str(folder)]) == 0
    return built(folder / "responses.csv")


@pytest.fixture(scope="module")
def shipped() -> dict[str, str]:
    """The glued texts of the committed chapter (the shipped seed), read from its glue manifest."""
    glued = pages.committed_glue(ROOT / "notebooks" / "03_variation.md")
    return {name: entry["text"] for name, entry in glued.items() if "text" in entry}


def lr_fit(survey, qid):
    """(log odds ratio per doubling, LR p) by statsmodels' OrderedModel, fitted here."""
    responses = survey.responses
    answers = responses[(responses["question"] == qid) & responses["answer"].between(1, 4)]
    population = survey.register.set_index("code")["population"].astype(float)
    x = np.log2(population.reindex(answers["municipality"]).to_numpy()) - np.log2(population).mean()
    y = answers["answer"].to_numpy()
    fit = OrderedModel(pd.Series(pd.Categorical(y, ordered=True)), pd.DataFrame({"x": x}), distr="logit").fit(
        method="bfgs", disp=False, maxiter=5000)
    counts = np.bincount(y)[1:]
    counts = counts[counts > 0]
    null = float(np.sum(counts * np.log(counts / counts.sum())))
    return float(fit.params["x"]), float(st.chi2.sf(2 * (fit.llf - null), 1))


def test_the_opening_states_what_the_other_seed_shows(other):
    survey, _, values = other
    fits = {qid: lr_fit(survey, qid) for qid in variation.CONFIRMATORY}
    as_stated = sum(np.sign(beta) == direction for (beta, _), direction
                    in zip(fits.values(), variation.CONFIRMATORY.values()))
    assert values["k3_book_direction"].endswith(phrasing.count_of(int(as_stated), 3, "områder"))
    shown = sum(min(1.0, 3 * p) < 0.05 for _, p in fits.values())
    if shown == 0:
        assert "kan ingen af de tre forskelle påvises" in values["k3_book_test"]
    else:
        assert f"kan {phrasing.number_word(shown) if shown > 1 else 'én'} forskel" in values["k3_book_test"]


def test_the_merges_and_the_shares_are_the_other_seeds(other, shipped):
    _, chapter, values = other
    region = chapter.breakdowns["region"].grouping
    if region.merges:
        for group in region.groups:
            assert f"»{group}«" in values["k3_region_merges"] or group in values["k3_region_merges"]
    else:
        assert "ingen er slået sammen" in values["k3_region_merges"]
    # The named sizes' shares are this seed's model's, not the shipped one's.
    predicted = chapter.predicted[chapter.predicted["question"] == "org_tidlig_samlet"].set_index("at")
    small = predicted.loc[variation.NAMED_SIZES[0]]
    assert f"{round(100 * small.share)} pct." in values["k3_book_effect"] or \
        "org_tidlig_samlet" not in set(chapter.predicted["question"])
    differing = [name for name in ("k3_book_effect", "k3_pooled", "k3_size_rules_out")
                 if values[name] != shipped[name]]
    assert differing, "every data-dependent sentence is the same on another seed"


def test_the_pooled_sentence_reads_its_interval(other):
    _, chapter, values = other
    pooled = chapter.pooled
    assert not math.isnan(pooled["odds_ratio"])
    includes_one = pooled["or_low"] <= 1 <= pooled["or_high"]
    assert ("Intervallet omfatter 1" in values["k3_pooled"]) == includes_one
