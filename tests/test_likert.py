import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from municipal_survey.analysis import likert
from municipal_survey.analysis.rounding import percent


def _responses(answers: dict[str, list[int]]) -> pd.DataFrame:
    rows = [{"wave": 2020, "municipality": f"{100 + i:03d}", "question": q, "answer": a}
            for q, values in answers.items() for i, a in enumerate(values)]
    return pd.DataFrame(rows)


def test_share_counts_dont_know_in_the_denominator():
    # 3 of 8 in the top two, "ved ikke" and "ikke relevant" counted in N: 37.5 % -> 38 (half up)
    frame = _responses({"q": [4, 3, 3, 2, 1, 1, 8, 9]})
    table = likert.shares(frame, ["q"])
    assert table.at["q", "n"] == 8
    assert table.at["q", "k_top2"] == 3
    assert table.at["q", "pct_top2"] == 38
    assert table.at["q", "pct_8"] == 13  # 12.5 -> 13


def test_shares_keeps_requested_order_and_unanswered_questions():
    frame = _responses({"a": [4, 4], "b": [1]})
    table = likert.shares(frame, ["b", "a", "c"])
    assert list(table.index) == ["b", "a", "c"]
    assert table.at["c", "n"] == 0 and pd.isna(table.at["c", "pct_top2"])


def test_means_exclude_dont_know_and_not_relevant():
    frame = _responses({"q": [4, 3, 2, 1, 8, 9, 9]})
    table = likert.means(frame, ["q"])
    assert table.at["q", "n_scale"] == 4
    assert table.at["q", "mean"] == pytest.approx(2.5)
    assert table.at["q", "ci_low"] < 2.5 < table.at["q", "ci_high"]


def test_wilson_interval_and_finite_population_correction():
    low, high = likert.wilson_interval(39, 85)
    assert 0.35 < low < 0.459 < high < 0.57
    low_fpc, high_fpc = likert.wilson_interval(39, 85, population=98)
    assert low < low_fpc < high_fpc < high  # a near-census is more certain
    full = likert.wilson_interval(39, 98, population=98)
    assert full[0] == pytest.approx(39 / 98) and full[1] == pytest.approx(39 / 98)
    assert all(math.isnan(x) for x in likert.wilson_interval(0, 0))


# likert.counts/shares/means count with one bincount and vectorised arithmetic; these references are
# the straightforward groupby and per-question formulas they replaced, compared on a small survey.

def _reference_counts(responses: pd.DataFrame, questions) -> pd.DataFrame:
    subset = responses[responses["question"].isin(list(questions))]
    table = (subset.groupby(["question", "answer"]).size().unstack("answer")
             .reindex(columns=list(likert.CATEGORY_ORDER), fill_value=0).fillna(0).astype(int))
    table = table.reindex(list(questions), fill_value=0)
    table.columns = [likert.CATEGORY_COLUMNS[c] for c in table.columns]
    table["n"] = table.sum(axis=1)
    table.index.name = "question"
    return table


def _reference_shares(responses: pd.DataFrame, questions) -> pd.DataFrame:
    table = _reference_counts(responses, questions)
    out = pd.DataFrame(index=table.index)
    out["n"] = table["n"]
    out["k_top2"] = table["n_4"] + table["n_3"]
    out["share_top2"] = np.where(out["n"] > 0, out["k_top2"] / out["n"].where(out["n"] > 0), np.nan)
    out["pct_top2"] = [percent(k, n) if n else pd.NA for k, n in zip(out["k_top2"], out["n"])]
    out["k_low"] = table["n_2"] + table["n_1"]
    out["pct_low"] = pd.array([percent(k, n) if n else pd.NA for k, n in zip(out["k_low"], out["n"])],
                              dtype="Int64")
    for code in likert.CATEGORY_ORDER:
        column = likert.CATEGORY_COLUMNS[code]
        out[f"pct_{code}"] = [percent(k, n) if n else pd.NA for k, n in zip(table[column], table["n"])]
    out["pct_top2"] = out["pct_top2"].astype("Int64")
    return out


def _reference_means(responses: pd.DataFrame, questions) -> pd.DataFrame:
    subset = responses[responses["question"].isin(list(questions))
                       & responses["answer"].isin(likert.SCALE_POINTS)]
    grouped = subset.groupby("question")["answer"]
    out = pd.DataFrame({"n_scale": grouped.size(), "mean": grouped.mean(), "sd": grouped.std(ddof=1)})
    out = out.reindex(list(questions))
    # The t interval with the finite-population correction for 98 municipalities, kept on the 1..4 scale.
    half = [stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n) * math.sqrt((98 - n) / 97) if n and n > 1 else np.nan
            for n, sd in zip(out["n_scale"].fillna(0).astype(int), out["sd"])]
    out["ci_low"] = (out["mean"] - half).clip(lower=1)
    out["ci_high"] = (out["mean"] + half).clip(upper=4)
    out.index.name = "question"
    return out


@pytest.fixture(scope="module")
def small_responses() -> pd.DataFrame:
    from small_survey import assumptions, codebook, published, register

    from municipal_survey.synthetic import generator

    generated = generator.generate(codebook(), register(), published(), assumptions())
    one_answer = pd.DataFrame({"wave": [2020], "municipality": ["100"], "question": ["q_single"], "answer": [3]})
    return pd.concat([generated, one_answer], ignore_index=True)


ASKED = [
    ["org_a_samlet", "org_a_sub", "org_a_behov", "org_b_samlet"],  # every question answered
    ["org_b_samlet", "nobody", "org_a_samlet", "org_a_samlet"],  # unanswered, repeated, reordered
    ["org_a_stoette_x", "meta_status", "q_single"],  # codes outside the likert scale are not counted
]


@pytest.mark.parametrize("questions", ASKED)
def test_counts_shares_and_means_equal_the_straightforward_computation(small_responses, questions):
    pd.testing.assert_frame_equal(likert.counts(small_responses, questions),
                                  _reference_counts(small_responses, questions), check_exact=True)
    pd.testing.assert_frame_equal(likert.shares(small_responses, questions),
                                  _reference_shares(small_responses, questions), check_exact=True)
    pd.testing.assert_frame_equal(likert.means(small_responses, questions),
                                  _reference_means(small_responses, questions), check_exact=True)


def test_no_questions_give_empty_tables_with_every_column(small_responses):
    for compute, reference in ((likert.counts, _reference_counts), (likert.shares, _reference_shares)):
        table, expected = compute(small_responses, []), reference(small_responses, [])
        assert table.empty and list(table.columns) == list(expected.columns)
        pd.testing.assert_index_equal(table.index, expected.index)
