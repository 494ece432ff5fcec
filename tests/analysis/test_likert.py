import math
import warnings

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


# ------------------------------------------------------------------ intervals against independent arithmetic

Z95 = stats.norm.ppf(0.975)  # 1.95996...


def _wilson_by_quadratic(k: int, n: int, z: float) -> tuple[float, float]:
    """The Wilson bounds are the two p with (k/n - p)^2 = z^2 p (1 - p) / n; solve that quadratic in p.

    Expanded: (1 + z^2/n) p^2 - (2 k/n + z^2/n) p + (k/n)^2 = 0.
    """
    phat = k / n
    a, b, c = 1 + z * z / n, -(2 * phat + z * z / n), phat * phat
    root = math.sqrt(b * b - 4 * a * c)
    return (-b - root) / (2 * a), (-b + root) / (2 * a)


@pytest.mark.parametrize(("k", "n"), [(39, 85), (1, 29), (84, 85), (12, 40), (5, 5), (0, 7)])
def test_wilson_interval_solves_the_score_quadratic(k, n):
    expected = _wilson_by_quadratic(k, n, Z95)
    assert likert.wilson_interval(k, n) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(("k", "n", "low", "high"), [
    # Newcombe (1998), Statistics in Medicine 17:857-872, table I, method 3 (Wilson score, no continuity
    # correction): 81/263, 15/148, 0/20 and 1/29, bounds printed to four decimals.
    (81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718),
])
def test_wilson_interval_matches_the_textbook_table(k, n, low, high):
    assert likert.wilson_interval(k, n) == pytest.approx((low, high), abs=5e-5)


@pytest.mark.parametrize(("k", "n", "population"), [(39, 85, 98), (40, 92, 98), (3, 10, 12), (1, 97, 98)])
def test_finite_population_correction_shrinks_z_by_sqrt_of_unsampled_share(k, n, population):
    # With N municipalities and n answering, the factor is sqrt((N - n) / (N - 1)): 39 of 85 of 98 gives
    # sqrt(13 / 97) = 0.366..., so the interval is the Wilson interval with z = 1.96 * 0.366.
    factor = math.sqrt((population - n) / (population - 1))
    expected = _wilson_by_quadratic(k, n, Z95 * factor)
    assert likert.wilson_interval(k, n, population=population) == pytest.approx(expected, abs=1e-12)


def test_finite_population_correction_at_the_smallest_populations():
    # N = 2, n = 1: the factor sqrt(1/1) = 1, so 1 of 1 gets the plain Wilson bounds 1/(1 + z^2) and 1.
    assert likert.wilson_interval(1, 1, population=2) == pytest.approx((1 / (1 + Z95 ** 2), 1.0), abs=1e-12)
    # N = 1, n = 1: the whole population answered, nothing is uncertain.
    assert likert.wilson_interval(1, 1, population=1) == (1.0, 1.0)
    assert likert.wilson_interval(0, 1, population=1) == (0.0, 0.0)
    # n = 1 without a population is a share like any other: 1/(1 + z^2) = 0.2065 to 1.
    assert likert.wilson_interval(1, 1) == pytest.approx((1 / (1 + Z95 ** 2), 1.0), abs=1e-12)


def test_wilson_interval_stays_within_0_and_1_at_the_extremes():
    # k = n and k = 0 put a bound exactly on 1 or 0 in exact arithmetic; floating point must not cross it
    # (unclamped, 1 of 1 ... 98 of 98 gives 1.0000000000000002 for 23 of these cases).
    for n in range(1, 99):
        for population in (None, 98):
            low, high = likert.wilson_interval(n, n, population=population)
            assert 1.0 - 1e-12 < high <= 1.0 and 0.0 <= low <= 1.0, (n, population)
            low, high = likert.wilson_interval(0, n, population=population)
            assert 0.0 <= low < 1e-12 and 0.0 <= high <= 1.0, (n, population)


def test_more_answers_than_municipalities_is_refused():
    with pytest.raises(ValueError, match="n=99 exceeds the population 98"):
        likert.wilson_interval(50, 99, population=98)


def test_means_interval_is_the_t_interval_with_the_finite_population_factor_worked_by_hand():
    # Answers 3, 3, 3, 3, 2, 2, 2, 2 (+ "ved ikke"): mean 2.5, sample variance 8 * 0.25 / 7 = 2/7;
    # half width t(0.975, 7) * sd / sqrt(8) * sqrt((98 - 8) / (98 - 1)), t(0.975, 7) = 2.364624 (t tables).
    frame = _responses({"q": [3, 3, 3, 3, 2, 2, 2, 2, 8]})
    row = likert.means(frame, ["q"]).loc["q"]
    half = 2.364624251592785 * math.sqrt(2 / 7) / math.sqrt(8) * math.sqrt(90 / 97)
    assert (row["n_scale"], row["mean"]) == (8, 2.5) and row["sd"] == pytest.approx(math.sqrt(2 / 7))
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((2.5 - half, 2.5 + half), abs=1e-9)
    # Of 10 municipalities: the factor sqrt(2/9).
    row = likert.means(frame, ["q"], population=10).loc["q"]
    half = 2.364624251592785 * math.sqrt(2 / 7) / math.sqrt(8) * math.sqrt(2 / 9)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((2.5 - half, 2.5 + half), abs=1e-9)


def test_means_interval_never_leaves_the_scale():
    # 4, 3, 2, 1: mean 2.5, half width 3.182446 * 1.290994 / 2 * sqrt(94/97) = 2.02 -> 0.48..4.52, cut to 1..4.
    row = likert.means(_responses({"q": [4, 3, 2, 1]}), ["q"]).loc["q"]
    assert (row["ci_low"], row["ci_high"]) == (1.0, 4.0)


def test_means_refuse_more_answers_than_municipalities():
    with pytest.raises(ValueError, match="more answers than the population of 3 municipalities"):
        likert.means(_responses({"q": [4, 3, 2, 1]}), ["q"], population=3)


def test_means_with_one_or_no_scale_answer_have_no_interval():
    frame = _responses({"one": [3, 8], "none": [8, 9, 9]})
    table = likert.means(frame, ["one", "none", "unasked"])
    assert table.at["one", "n_scale"] == 1 and table.at["one", "mean"] == 3.0
    assert table[["ci_low", "ci_high"]].isna().all().all()
    assert pd.isna(table.at["none", "mean"]) and pd.isna(table.at["unasked", "n_scale"])


# --------------------------------------------------------------------------- shares and percents at edges

def test_only_dont_know_and_not_relevant_answers():
    # 2 "ved ikke" and 1 "ikke relevant": N = 3, nobody in the top two, 67 and 33 pct.
    table = likert.shares(_responses({"q": [8, 8, 9]}), ["q"])
    row = table.loc["q"]
    assert (row["n"], row["k_top2"], row["share_top2"], row["pct_top2"]) == (3, 0, 0.0, 0)
    assert [row[f"pct_{c}"] for c in (4, 3, 2, 1, 8, 9)] == [0, 0, 0, 0, 67, 33]


def test_one_category_takes_every_answer():
    row = likert.shares(_responses({"q": [3] * 7}), ["q"]).loc["q"]
    assert (row["n"], row["k_top2"], row["share_top2"], row["pct_top2"], row["pct_3"]) == (7, 7, 1.0, 100, 100)
    assert [row[f"pct_{c}"] for c in (4, 2, 1, 8, 9)] == [0, 0, 0, 0, 0]


def test_top_two_is_very_high_plus_high_only():
    # 1 x 4, 2 x 3, 4 x 2, 1 x 1: top two = 3 of 8 = 37.5 % -> 38; "i mindre grad" 4 of 8 = 50 %.
    row = likert.shares(_responses({"q": [4, 3, 3, 2, 2, 2, 2, 1]}), ["q"]).loc["q"]
    assert (row["k_top2"], row["share_top2"], row["pct_top2"], row["pct_2"]) == (3, 0.375, 38, 50)
    assert (row["pct_4"], row["pct_3"], row["pct_1"]) == (13, 25, 13)  # 12.5 -> 13, 25, 12.5 -> 13


def test_percents_of_whole_columns():
    # 1/8 = 12.5 -> 13, 17/40 = 42.5 -> 43, 0/5 = 0, 5/5 = 100, and no total -> missing.
    out = likert.percents([1, 17, 0, 5, 0], [8, 40, 5, 5, 0])
    assert list(out[:4]) == [13, 43, 0, 100] and out[4] is pd.NA
    assert likert.percents([2, 1], [3, 3]).tolist() == [67, 33]  # all answered: plain integers


def test_empty_responses_give_unanswered_rows():
    empty = pd.DataFrame({"wave": [], "municipality": [], "question": [], "answer": []})
    table = likert.shares(empty, ["q"])
    assert table.at["q", "n"] == 0 and math.isnan(table.at["q", "share_top2"])
    assert pd.isna(table.at["q", "pct_top2"]) and pd.isna(table.at["q", "pct_8"])


def test_percents_are_whole_numbers_even_from_float_columns():
    # Counts summed in a float column (e.g. after a reindex) must still print as 13, not 13.0.
    out = likert.percents(np.array([1.0, 17.0]), np.array([8.0, 40.0]))
    assert out.dtype == np.int64 and out.tolist() == [13, 43]
    assert likert.percents([1, 17], np.array([8.0, 40.0])).dtype == np.int64


def test_unanswered_questions_raise_no_numeric_warnings():
    # A question nobody answered (n = 0) or answered once must not print division warnings into a page.
    frame = _responses({"once": [3], "dont_know": [8]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        shares = likert.shares(frame, ["once", "dont_know", "nobody"])
        means = likert.means(frame, ["once", "dont_know", "nobody"])
    assert math.isnan(shares.at["nobody", "share_top2"]) and shares.at["once", "share_top2"] == 1.0
    assert means[["ci_low", "ci_high"]].isna().all().all()


def test_two_scale_answers_get_an_interval():
    # 4 and 2 from both of 2 municipalities: the factor sqrt((2 - 2)/(2 - 1)) = 0, nothing is uncertain.
    row = likert.means(_responses({"q": [4, 2]}), ["q"], population=2).loc["q"]
    assert (row["mean"], row["ci_low"], row["ci_high"]) == (3.0, 3.0, 3.0)
    # Of 3 municipalities: half width t(0.975, 1) * sqrt(2) / sqrt(2) * sqrt(1/2) = 12.7062 * 0.7071 = 8.98,
    # which the scale cuts to 1..4.
    row = likert.means(_responses({"q": [4, 2]}), ["q"], population=3).loc["q"]
    assert (row["ci_low"], row["ci_high"]) == (1.0, 4.0)


# ------------------------------------------------------------------------- waves and the share interval

def test_shares_by_wave_counts_each_year_apart_oldest_first():
    # Rows of 2023 come first in the file; the table still starts with 2020.
    later = _responses({"q": [4, 4, 1, 8]}).assign(wave=2023)  # 2 of 4 in the top two: 50 pct.
    earlier = _responses({"q": [4, 3, 3, 2, 1]}).assign(wave=2020)  # 3 of 5: 60 pct.
    table = likert.shares_by_wave(pd.concat([later, earlier], ignore_index=True), ["q"])
    assert list(table.index.names) == ["wave", "question"]
    assert list(table.index) == [(2020, "q"), (2023, "q")]
    assert list(table["n"]) == [5, 4] and list(table["pct_top2"]) == [60, 50]
    assert list(table.columns) == list(likert.shares(earlier, ["q"]).columns)


def test_shares_by_wave_of_no_rows_is_empty_with_the_columns_of_shares():
    empty = pd.DataFrame({"wave": [], "municipality": [], "question": [], "answer": []})
    table = likert.shares_by_wave(empty, ["q"])
    assert len(table) == 0 and list(table.index.names) == ["wave", "question"]
    assert list(table.columns) == list(likert.shares(empty, ["q"]).columns)


def test_share_interval_is_cut_to_the_nonresponse_bounds_of_its_own_population():
    # 3 of 10 answering among 12 municipalities: whatever the 2 others answered, the share among all 12
    # lies in 3/12 .. 5/12. The Wilson interval with z * sqrt(2/11) is wider on both sides, so it is cut.
    low, high = _wilson_by_quadratic(3, 10, Z95 * math.sqrt(2 / 11))
    assert low < 3 / 12 and high > 5 / 12
    assert likert.share_interval(3, 10, population=12) == pytest.approx((3 / 12, 5 / 12), abs=1e-12)


def test_two_waves_in_one_count_are_refused_with_the_way_out():
    both = pd.concat([_responses({"q": [4]}).assign(wave=2023), _responses({"q": [3]})], ignore_index=True)
    expected = ("responses hold the waves [2020, 2023]; count one wave at a time (survey.responses is the "
                "book's wave, survey.wave(year) another; shares_by_wave compares them)")
    with pytest.raises(ValueError) as error:
        likert.shares(both, ["q"])
    assert str(error.value) == expected
