"""What a reader can work out from shown group figures, checked against brute force written out here:
every count vector listed with itertools, means and intervals from the answers themselves (scipy),
Kruskal–Wallis from scipy.stats.kruskal on the expanded answers."""
import itertools
import math

import numpy as np
import pytest
from scipy import stats

from municipal_survey.analysis.disclosure import pinned
from municipal_survey.build import count_inference as ci


def vectors_up_to(total: int) -> set[tuple[int, ...]]:
    return {v for v in itertools.product(range(total + 1), repeat=4) if sum(v) <= total}


def answers(vector) -> np.ndarray:
    return np.repeat([1, 2, 3, 4], vector)


def test_compositions_are_every_count_vector_once():
    listed = [tuple(map(int, row)) for row in ci.compositions(7)]
    assert len(listed) == len(set(listed)) == math.comb(7 + 4, 4)  # stars and bars
    assert set(listed) == vectors_up_to(7)


def test_cell_figures_are_the_mean_and_t_interval_of_the_answers_kept_on_the_scale():
    vectors = np.array([[0, 13, 1, 1], [4, 0, 0, 1], [0, 0, 0, 6], [0, 1, 0, 0]])
    figures = ci.cell_figures(vectors)
    for row, vector in enumerate(vectors):
        y = answers(vector)
        assert figures["n"][row] == len(y)
        assert figures["mean"][row] == pytest.approx(y.mean())
        if len(y) > 1 and y.std() > 0:
            low, high = stats.t.interval(0.95, len(y) - 1, loc=y.mean(), scale=stats.sem(y))
            assert figures["ci_low"][row] == pytest.approx(max(1.0, low))
            assert figures["ci_high"][row] == pytest.approx(min(4.0, high))
    assert math.isnan(figures["ci_low"][3])  # one answer: no interval
    assert figures["ci_low"][2] == figures["ci_high"][2] == 4  # all alike: the interval is the point


def test_a_shown_number_stands_for_its_rounding_window():
    window = ci.Window.rounded(2.2, 1)
    assert window.contains([2.15, 2.2499]).all() and not window.contains([2.1499, 2.2501]).any()


def test_the_issues_mean_leaves_two_answer_distributions():
    """"2,2 (1,9–2,5; n = 15)" is 0/13/1/1 or 1/10/4/0 (brute force over every vector of 15 answers)."""
    shown = [v for v in vectors_up_to(15) if sum(v) == 15 and round(answers(v).mean() + 1e-9, 1) == 2.2
             and [round(x + 1e-9, 1) for x in stats.t.interval(0.95, 14, loc=answers(v).mean(),
                                                                 scale=stats.sem(answers(v)))] == [1.9, 2.5]]
    assert sorted(shown) == [(0, 13, 1, 1), (1, 10, 4, 0)]
    vectors = ci.compositions(15)
    figures = ci.composition_figures(15)
    keep = ((figures["n"] == 15) & ci.Window.rounded(2.2, 1).contains(figures["mean"])
            & ci.Window.rounded(1.9, 1).contains(figures["ci_low"])
            & ci.Window.rounded(2.5, 1).contains(figures["ci_high"]))
    assert sorted(tuple(map(int, v)) for v in vectors[keep]) == sorted(shown)


def brute_force_tables(groups, margin):
    return {combo for combo in itertools.product(*[[tuple(map(int, v)) for v in g] for g in groups])
            if tuple(np.sum(combo, axis=0)) == tuple(margin)}


def test_groups_combined_with_the_national_counts_as_brute_force_finds_them():
    rng = np.random.default_rng(7)
    every = ci.compositions(4)
    groups = [every[rng.random(len(every)) < 0.3] for _ in range(3)]
    truth = [tuple(map(int, g[0])) for g in groups]
    margin = np.sum(truth, axis=0)
    tables = brute_force_tables(groups, margin)
    listed = ci.joint_tables(groups, margin)
    assert {tuple(tuple(map(int, v)) for v in table) for table in listed} == tables
    feasible = ci.margin_feasible(groups, [4, 4, 4], margin)
    for g in range(3):
        assert {tuple(map(int, v)) for v in feasible[g]} == {table[g] for table in tables}


def test_a_free_group_takes_whatever_the_others_leave_within_its_size():
    shown = np.array([[1, 2, 0, 0], [0, 3, 0, 0]])
    margin = np.array([2, 4, 1, 0])
    feasible = ci.margin_feasible([shown, None], [3, 5], margin)
    assert {tuple(map(int, v)) for v in feasible[1]} == {(1, 2, 1, 0), (2, 1, 1, 0)}
    assert {tuple(map(int, v)) for v in feasible[0]} == {(1, 2, 0, 0), (0, 3, 0, 0)}
    # Two free groups share the remainder, each within its own size.
    feasible = ci.margin_feasible([None, None], [1, 2], np.array([0, 1, 1, 1]))
    assert {tuple(map(int, v)) for v in feasible[0]} == {(0, 1, 0, 0), (0, 0, 1, 0), (0, 0, 0, 1)}


def test_joint_tables_give_up_beyond_the_limit():
    every = ci.compositions(6)
    assert ci.joint_tables([every, every, every], np.array([4, 4, 5, 5]), limit=50) is None


def test_kruskal_wallis_from_counts_is_scipys_on_the_answers():
    tables = np.array([[[2, 7, 1, 0], [1, 10, 4, 1], [0, 3, 8, 2]], [[0, 0, 0, 0], [3, 3, 3, 3], [1, 2, 3, 4]]])
    tests = ci.kruskal_wallis(tables)
    for t, table in enumerate(tables):
        present = [answers(v) for v in table if sum(v)]
        h, p = stats.kruskal(*present)
        n, k = sum(map(len, present)), len(present)
        assert tests["h"][t] == pytest.approx(h) and tests["p"][t] == pytest.approx(p)
        assert tests["epsilon2"][t] == pytest.approx(min(1, max(0, (h - k + 1) / (n - k))))


def test_the_minimal_detectable_odds_ratio_inverts_to_the_harmonic_group_size():
    shares = np.array([0.1, 0.5, 0.3, 0.1])
    # Whitehead (1993): n·Var(x)·(1 − Σp³)/3 with Var(x) of a 0/1 contrast of groups of 26 and 9.
    n_a, n_b = 26, 9
    information = (n_a + n_b) * (n_b / (n_a + n_b)) * (n_a / (n_a + n_b)) * (1 - np.sum(shares**3)) / 3
    by_hand = math.exp((stats.norm.ppf(0.975) + stats.norm.ppf(0.8)) / math.sqrt(information))
    assert ci.minimal_detectable_or(ci.harmonic_size(n_a, n_b), shares) == pytest.approx(by_hand)
    window = ci.harmonic_window(ci.Window.rounded(round(by_hand, 2), 2), shares)
    pairs = [(a, b) for a in range(30) for b in range(12) if window.contains(ci.harmonic_size(a, b))]
    assert (26, 9) in pairs and all(b in (8, 9, 10) for a, b in pairs if a == 26)


@pytest.mark.parametrize(("values", "true", "given_away"), [
    ([2], 2, True), ([1, 4], 1, True), ([1, 2, 3], 3, True), ([0, 1, 2, 3, 4], 2, False),
    ([3, 4, 5], 4, False), ([5], 5, False), ([0], 0, False), ([2, 3, 4, 5], 2, False)])
def test_a_count_of_one_to_four_may_not_be_pinned(values, true, given_away):
    assert pinned(values, true, 5) is given_away


def test_for_an_insider_four_others_are_enough_but_none_is_not():
    assert pinned([4], 4, 4, lowest=0) is False
    assert pinned([0], 0, 4, lowest=0) is True
    assert pinned([2, 3], 3, 4, lowest=0) is True
