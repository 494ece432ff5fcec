"""Which municipalities a summary of the others names, against brute force over every possible set."""
import itertools

import numpy as np
import pandas as pd
import pytest

from municipal_survey.analysis import participation
from municipal_survey.analysis.disclosure import MIN_COUNT
from municipal_survey.data.register import load_register

SMALL = pd.Series([1200, 3400, 3500, 5000, 7100, 9000, 9100, 12000, 15500, 30000, 42000, 90000],
                  index=[f"{100 + i}" for i in range(12)])


def brute_force(populations: pd.Series, m: int, summary: participation.Summary) -> list[set[str]]:
    """Every set of m municipalities whose absence leaves a total and a median in the summary's windows."""
    fitting = []
    for absent in itertools.combinations(populations.index, m):
        rest = populations.drop(list(absent))
        total_ok = summary.total is None or summary.total[0] <= rest.sum() <= summary.total[1]
        median_ok = summary.median is None or summary.median[0] <= rest.median() <= summary.median[1]
        if total_ok and median_ok:
            fitting.append(set(absent))
    return fitting


@pytest.mark.parametrize(("absent", "total_step", "median_step"), [
    (["101", "104", "111"], 1, None), (["101", "104", "111"], 5000, 1000), (["100", "105"], None, 1),
    (["102", "103", "106", "107", "110"], 20000, 2000)])
def test_every_possible_set_is_tried_when_there_are_few(absent, total_step, median_step):
    members = set(SMALL.index) - set(absent)
    rest = SMALL[list(members)]

    def window(value, step):
        return None if step is None else (value - step / 2, value + step / 2)

    summary = participation.Summary(len(members), window(rest.sum(), total_step),
                                    window(rest.median(), median_step))
    fitting = brute_force(SMALL, len(absent), summary)
    search = participation.absent_sets(SMALL, members, summary)
    assert search.exhaustive
    assert set(search.named) == set.intersection(*fitting)
    assert search.consistent == min(len(fitting), MIN_COUNT)  # the search stops at the threshold


def fitting_sets(values: np.ndarray, m: int, total, median) -> np.ndarray:
    """Brute force with numpy: every set of m positions whose absence fits the windows."""
    every = np.array(list(itertools.combinations(range(len(values)), m)))
    rest = np.tile(values, (len(every), 1))
    np.put_along_axis(rest, every, np.nan, axis=1)
    sums, medians = np.nansum(rest, axis=1), np.nanmedian(rest, axis=1)
    ok = (sums >= total[0]) & (sums <= total[1]) & (medians >= median[0]) & (medians <= median[1])
    return every[ok]


@pytest.mark.parametrize(("absent", "total_half", "median_half"), [
    ([0, 7, 12, 20, 24], 20_000, 1000), ([1, 2, 3, 23, 24], 3_000, 500), ([5, 6, 14, 15, 16], 500, 50)])
def test_sets_found_by_exchange_clear_those_brute_force_clears(monkeypatch, absent, total_half, median_half):
    population = load_register().set_index("code")["population"].sort_values().iloc[::4]  # 25 of them
    values, codes = population.to_numpy(dtype=float), population.index.to_numpy()
    members = set(codes) - set(codes[absent])
    rest = population[list(members)]
    total = (rest.sum() - total_half, rest.sum() + total_half)
    median = (rest.median() - median_half, rest.median() + median_half)
    fitting = fitting_sets(values, len(absent), total, median)
    named = set(codes[sorted(set.intersection(*map(set, fitting)))])
    monkeypatch.setattr(participation, "EXHAUSTIVE_SETS", 0)  # as for a large register
    search = participation.absent_sets(population, members, participation.Summary(len(members), total, median))
    assert not search.exhaustive
    assert set(search.named) == named
    assert search.consistent == min(len(fitting), MIN_COUNT)  # the search stops at the threshold


def test_the_shown_summary_is_a_share_in_whole_pct_and_a_median_in_thousands():
    population = load_register().set_index("code")["population"]
    members = set(population.index[:60])
    summary, share, median = participation.shown_summary(population, members)
    chosen = population[list(members)]
    assert share == int(np.floor(100 * chosen.sum() / population.sum() + 0.5))
    assert median == 1000 * int(np.floor(chosen.median() / 1000 + 0.5))
    assert summary.median == (median - 500, median + 500) and summary.count == 60


def test_the_reasons_say_why_in_danish():
    population = load_register().set_index("code")["population"]
    members = set(population.index[MIN_COUNT - 1:])  # one fewer stayed away than the threshold
    summary, _, _ = participation.shown_summary(population, members)
    assert participation.summary_reason(population, members, summary, left_out="ikke deltog",
                                        number=lambda n: {MIN_COUNT - 1: "få"}[n]).startswith(
        "kun få kommuner ikke deltog")
