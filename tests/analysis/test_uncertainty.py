"""Intervals that cannot be impossible: the non-response bounds and the model interval inside them."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from municipal_survey.analysis import likert


def test_nonresponse_bounds_are_the_extremes_among_all_98():
    # 4 of 81 answered yes; 17 did not answer: at least 4, at most 4 + 17 of the 98 say yes.
    assert likert.nonresponse_bounds(4, 81) == (4 / 98, 21 / 98)
    assert likert.nonresponse_bounds(0, 98) == (0.0, 0.0)
    assert likert.nonresponse_bounds(81, 81) == (81 / 98, 1.0)


@pytest.mark.parametrize("k, n", [(-1, 10), (11, 10), (5, 99)])
def test_nonresponse_bounds_reject_impossible_counts(k, n):
    with pytest.raises(ValueError, match="k <= n <= population"):
        likert.nonresponse_bounds(k, n)


def test_the_interval_never_leaves_the_bounds():
    for n in range(1, 99):
        for k in range(n + 1):
            low, high = likert.share_interval(k, n)
            floor, ceiling = likert.nonresponse_bounds(k, n)
            assert floor <= low <= high <= ceiling, (k, n)


def test_the_bounds_cut_the_wilson_interval_where_it_reaches_too_far():
    # The case of communication disability: Wilson with the finite-population correction reaches
    # below 4/98, which no answer of the 17 missing municipalities could give.
    wilson_low, _ = likert.wilson_interval(4, 81, population=98)
    assert wilson_low < 4 / 98
    assert likert.share_interval(4, 81)[0] == 4 / 98


def test_mean_intervals_use_the_finite_population_and_stay_on_the_scale():
    answers = [4] * 60 + [3] * 20  # 80 municipalities, almost all at the top of the scale
    frame = pd.DataFrame({"wave": 2020, "municipality": [f"{100 + i}" for i in range(80)], "question": "q",
                          "answer": answers})
    row = likert.means(frame, ["q"]).loc["q"]
    assert row["ci_high"] <= 4
    values = np.array(answers, dtype=float)
    # The t interval narrowed by sqrt((98 - 80) / 97), computed independently.
    from scipy import stats

    half = stats.t.ppf(0.975, 79) * values.std(ddof=1) / np.sqrt(80) * np.sqrt(18 / 97)
    assert row["ci_low"] == pytest.approx(values.mean() - half)
    assert row["ci_high"] == pytest.approx(min(4.0, values.mean() + half))
    full = likert.means(frame.assign(municipality=[f"{100 + i}" for i in range(80)]), ["q"], population=80)
    assert full.loc["q", "ci_low"] == pytest.approx(full.loc["q", "mean"])  # a census has no sampling error


def test_coverage_withholds_the_participants_figures_when_only_three_stayed_away(shipped_book):
    from municipal_survey.analysis.participation import coverage

    survey = shipped_book.survey
    cover = coverage(survey)
    table = cover.table.set_index("Kommuner")
    register = survey.register
    answered = register[register["code"].isin(set(survey.responses["municipality"]))]
    assert table.loc["Alle kommuner", "Antal"] == 98
    assert table.loc["Deltagende kommuner", "Antal"] == len(answered) == 95
    assert table.loc["Alle kommuner", "Andel af befolkningen (pct.)"] == 100
    # The median of all 98 (43.172 in the register) to whole thousands; the participants' figures withheld.
    assert table.loc["Alle kommuner", "Median folketal (hele tusinder)"] == 43_000
    summary = ["Andel af befolkningen (pct.)", "Median folketal (hele tusinder)"]
    assert table.loc["Deltagende kommuner", summary].isna().all()
    assert cover.reason.startswith("kun 3 kommuner ikke deltog")


def test_coverage_shows_the_participants_when_many_stayed_away_and_none_can_be_named(tmp_path, shipped_book):
    from municipal_survey.analysis.participation import coverage
    from municipal_survey.data.survey import load_survey

    shipped = shipped_book.survey
    register = shipped.register
    away = sorted(shipped.responses["municipality"].unique())[::4][:22]  # 22 more, spread over the register
    kept = shipped.responses[~shipped.responses["municipality"].isin(away)]
    path = tmp_path / "responses.csv"
    kept.to_csv(path, index=False)
    cover = coverage(load_survey(path))
    assert cover.reason == ""
    row = cover.table.set_index("Kommuner").loc["Deltagende kommuner"]
    participants = register[register["code"].isin(set(kept["municipality"]))]["population"]
    assert row["Antal"] == len(participants) == 95 - 22
    everyone = register["population"].sum()
    assert row["Andel af befolkningen (pct.)"] == math.floor(100 * participants.sum() / everyone + 0.5)
    assert row["Median folketal (hele tusinder)"] == 1000 * math.floor(participants.median() / 1000 + 0.5)
