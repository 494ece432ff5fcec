"""What the report says must hold in the synthetic data for every seed, not for a lucky one.

Each seed's data is checked with computations written here (Spearman, shares by size third, the
ordinal association of challenge and need, the verification of every published number), not with
the generator's own checks."""
from types import SimpleNamespace

import numpy as np
import pytest
from scipy import stats as st

from municipal_survey import cli
from municipal_survey.analysis import likert, ordinal, organisation, stats
from municipal_survey.analysis.verification import failures, verify
from municipal_survey.data import paths
from municipal_survey.data.codebook import load_codebook, load_topics
from municipal_survey.data.errors import DataError
from municipal_survey.data.published import load_published
from municipal_survey.data.register import load_register, size_groups
from municipal_survey.synthetic import generator as synthetic
from municipal_survey.synthetic.assumptions import load_assumptions

# Whole round trips (data regenerated, exports written and imported): the scratch line of make test,
# not make check.
pytestmark = [pytest.mark.book, pytest.mark.scratch]

SEEDS = list(range(1, 21)) + [20201001]  # twenty other seeds and the shipped one
# The report (summary, "Variation i udfordringer og kommunestørrelse"): larger municipalities report
# relatively more challenges with early effort and cross-sector work, fewer with cross-municipal work.
DIRECTIONS = {"org_tidlig_samlet": +1, "org_sektorer_samlet": +1, "org_kommuner_samlet": -1}


@pytest.fixture(scope="module")
def inputs():
    return load_codebook(), load_register(), load_published(), load_assumptions()


@pytest.fixture(scope="module")
def generated(inputs):
    codebook, register, published, assumptions = inputs
    return {seed: synthetic.generate(codebook, register, published, {**assumptions, "seed": seed})
            for seed in SEEDS}


def scale(responses, qid):
    return likert.scale_answers(responses, [qid])


@pytest.mark.parametrize("seed", SEEDS)
def test_every_published_number_is_reproduced(generated, inputs, seed):
    codebook, _, published, _ = inputs
    table = verify(published, generated[seed], codebook)
    assert failures(table).empty, failures(table)[["id", "statistic", "value", "recomputed"]]


@pytest.mark.parametrize("seed", SEEDS)
def test_size_directions_hold_in_rank_correlation_and_in_the_thirds_without_significance(generated, inputs, seed):
    _, register, _, _ = inputs
    population = register.set_index("code")["population"]
    thirds = size_groups(register)
    for qid, direction in DIRECTIONS.items():
        answers = scale(generated[seed], qid)
        rho, p = st.spearmanr(answers["answer"], np.log(population.reindex(answers["municipality"]).to_numpy()))
        assert np.sign(rho) == direction, (seed, qid, rho)
        assert p >= 0.05, (seed, qid, p)
        third = thirds.reindex(answers["municipality"]).to_numpy()
        top = answers["answer"].isin(likert.TOP_TWO).to_numpy()
        smallest = top[third == thirds.cat.categories[0]].mean()
        largest = top[third == thirds.cat.categories[-1]].mean()
        assert np.sign(largest - smallest) == direction, (seed, qid, smallest, largest)


def test_the_size_directions_are_not_all_that_chance_gives(generated, inputs):
    # Without the size effects and the constraints, each direction holds for about half of the
    # seeds; with them, for every seed. Checked here on the raw latent draw: the effect is assumed,
    # so its average over seeds must lean the stated way clearly, not just pass.
    _, register, _, _ = inputs
    population = register.set_index("code")["population"]
    for qid, direction in DIRECTIONS.items():
        rhos = []
        for seed in SEEDS:
            answers = scale(generated[seed], qid)
            rhos.append(st.spearmanr(answers["answer"],
                                     np.log(population.reindex(answers["municipality"]).to_numpy()))[0])
        assert direction * np.mean(rhos) > 0.08, (qid, np.mean(rhos))
        assert max(abs(r) for r in rhos) < 0.22  # never as large as a significant correlation at N ~ 85


@pytest.mark.parametrize("seed", SEEDS[::4])
def test_challenge_and_need_are_associated_in_every_area(generated, inputs, seed):
    # The book's test of each area (stats.association_table): Spearman's rho, and the likelihood-ratio p
    # of the proportional-odds model, Bonferroni-adjusted over the nine areas. Only those two are computed
    # here, not the table's profile intervals (tests/analysis/test_association.py checks them).
    codebook, _, _, _ = inputs
    survey = SimpleNamespace(codebook=codebook, topics=load_topics())  # what association_pairs reads
    pairs = organisation.association_pairs(survey)
    assert len(pairs) == 9
    for area, (challenge, need) in pairs.items():
        both = stats.paired_scale_answers(generated[seed], challenge, need)
        rho = st.spearmanr(both["x"], both["y"])[0]
        p = ordinal.lr_test(both["y"].to_numpy(), both["x"].to_numpy(dtype=float))[2]
        assert rho > 0 and min(p * len(pairs), 1.0) < 0.05, (area, rho, p)


def test_a_constraint_that_cannot_be_met_is_an_error_not_a_silent_pass(inputs, monkeypatch):
    codebook, register, published, assumptions = inputs
    monkeypatch.setattr(synthetic, "MAX_REDRAWS", 3)
    monkeypatch.setattr(synthetic, "ALPHA", 1.01)  # every p-value counts as significant: unmeetable
    with pytest.raises(DataError) as error:
        synthetic.generate(codebook, register, published, assumptions)
    text = str(error.value)
    assert "org_tidlig_samlet" in text and "significant" in text and "after 3 redraws" in text


def test_synth_writes_another_seed_into_a_folder_without_touching_data(tmp_path, capsys):
    before = paths.SYNTHETIC_RESPONSES.read_bytes()
    assert cli.main(["synth", "--seed", "7", "--output", str(tmp_path / "seed7")]) == 0
    written = (tmp_path / "seed7" / "responses.csv").read_bytes()
    assert written != before and paths.SYNTHETIC_RESPONSES.read_bytes() == before
    assert cli.main(["synth", "--seed", "7"]) == 2
    assert "needs --output" in capsys.readouterr().err
