"""Frequency tables, shares and means as the report defines them (the data contract in book/arkitektur.md)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

TOP_TWO = (4, 3)
SCALE_POINTS = (4, 3, 2, 1)
CATEGORY_ORDER = (4, 3, 2, 1, 8, 9)
CATEGORY_COLUMNS = {code: f"n_{code}" for code in CATEGORY_ORDER}
POPULATION = 98  # Denmark's municipalities: the survey's whole population


def _count_matrix(responses: pd.DataFrame, questions: list) -> np.ndarray:
    """Answers per (question, category in CATEGORY_ORDER) as an int64 array, one row per question.

    One bincount over the rows of the asked questions instead of a groupby/unstack: the book asks
    for counts dozens of times per page, so the per-call overhead of pandas dominated.
    """
    _single_wave(responses)
    wanted = pd.Index(list(dict.fromkeys(questions)))  # each question once, in the asked order
    question = responses["question"]
    mask = question.isin(wanted).to_numpy()
    row = wanted.get_indexer(question[mask])
    column = pd.Index(CATEGORY_ORDER).get_indexer(responses["answer"].to_numpy()[mask])
    known = column >= 0  # other codes (e.g. a multiple-choice tick) are not likert categories
    width = len(CATEGORY_ORDER)
    cells = np.bincount(row[known] * width + column[known], minlength=len(wanted) * width)
    return cells.reshape(len(wanted), width).astype(np.int64)[wanted.get_indexer(questions)]


def _single_wave(responses: pd.DataFrame) -> None:
    """Counting two survey years together would be a silent error: one wave per call."""
    if "wave" in responses.columns and responses["wave"].nunique() > 1:
        found = sorted(int(w) for w in pd.unique(responses["wave"]))
        raise ValueError(f"responses hold the waves {found}; count one wave at a time "
                         "(survey.responses is the book's wave, survey.wave(year) another; "
                         "shares_by_wave compares them)")


def shares_by_wave(responses: pd.DataFrame, questions) -> pd.DataFrame:
    """shares() for each wave in `responses`: one row per (wave, question), oldest wave first."""
    parts = {int(wave): shares(rows, questions)
             for wave, rows in responses.groupby("wave", sort=True)}
    if not parts:  # no rows at all: the columns of shares(), no rows
        return pd.concat({0: shares(responses, questions)}, names=["wave", "question"]).iloc[:0]
    return pd.concat(parts, names=["wave", "question"])


def scale_answers(responses: pd.DataFrame, questions) -> pd.DataFrame:
    """The answers to `questions` on the 4..1 scale: "ved ikke" and "ikke relevant" left out."""
    _single_wave(responses)
    return responses[responses["question"].isin(list(questions)) & responses["answer"].isin(SCALE_POINTS)]


def counts(responses: pd.DataFrame, questions) -> pd.DataFrame:
    """Count of each answer code per question: columns n_4, n_3, n_2, n_1, n_8, n_9 and n (all answers)."""
    questions = list(questions)
    cells = _count_matrix(responses, questions)
    table = {CATEGORY_COLUMNS[code]: cells[:, i] for i, code in enumerate(CATEGORY_ORDER)}
    table["n"] = cells.sum(axis=1)
    return pd.DataFrame(table, index=_question_index(questions))


def shares(responses: pd.DataFrame, questions) -> pd.DataFrame:
    """Per question: n, the top-two count, and whole-number percentages of every category.

    pct_top2 = (4 + 3) / all who answered, including "ved ikke" and "ikke relevant", rounded half away
    from zero (the report's definition). share_top2 keeps the unrounded fraction for ranking and CIs.
    k_low and pct_low are the other side, (2 + 1): the challenge of a question asked positively.
    Unanswered questions get n 0, share_top2 NaN and pd.NA percentages.
    """
    questions = list(questions)
    cells = _count_matrix(responses, questions)
    n = cells.sum(axis=1)
    k_top2 = cells[:, CATEGORY_ORDER.index(4)] + cells[:, CATEGORY_ORDER.index(3)]
    k_low = cells[:, CATEGORY_ORDER.index(2)] + cells[:, CATEGORY_ORDER.index(1)]
    out = {"n": n, "k_top2": k_top2,
           "share_top2": np.divide(k_top2, n, out=np.full(len(n), np.nan), where=n > 0),
           "pct_top2": pd.array(percents(k_top2, n), dtype="Int64"),
           "k_low": k_low, "pct_low": pd.array(percents(k_low, n), dtype="Int64")}
    for i, code in enumerate(CATEGORY_ORDER):
        out[f"pct_{code}"] = percents(cells[:, i], n)
    return pd.DataFrame(out, index=_question_index(questions))


def _question_index(questions: list) -> pd.Index:
    return pd.Index(questions, dtype=str, name="question")  # text even when no question is asked


def percents(counts, totals) -> np.ndarray:
    """rounding.percent for whole columns at once; pd.NA (in an object column) where the total is 0."""
    counts, totals = np.asarray(counts, dtype=np.int64), np.asarray(totals, dtype=np.int64)
    answered = totals > 0
    # The same integer formula as rounding.percent, so the result is exact.
    pct = (200 * counts + totals) // np.where(answered, 2 * totals, 1)
    if answered.all():
        return pct
    out = pct.astype(object)
    out[~answered] = pd.NA
    return out


def means(responses: pd.DataFrame, questions, population: int = POPULATION) -> pd.DataFrame:
    """Mean on the 4..1 scale excluding "ved ikke"/"ikke relevant" (figure 19), with n used and a 95% CI.

    The interval is the book's finite-population frame, as for shares: the t interval with the
    correction sqrt((N - n)/(N - 1)) for the `population` municipalities, and never outside 1..4.
    """
    grouped = scale_answers(responses, questions).groupby("question")["answer"]
    out = pd.DataFrame({"n_scale": grouped.size(), "mean": grouped.mean(), "sd": grouped.std(ddof=1)})
    out = out.reindex(list(questions))
    # Imported here: scipy.stats takes most of a second to import, and `synth` needs only constants.
    from scipy import stats

    n, sd = out["n_scale"].fillna(0).astype(int).to_numpy(), out["sd"].to_numpy()
    enough = n > 1
    half = np.full(len(out), np.nan)
    if (n > population).any():
        raise ValueError(f"more answers than the population of {population} municipalities")
    fpc = np.sqrt((population - n[enough]) / (population - 1))
    half[enough] = stats.t.ppf(0.975, n[enough] - 1) * sd[enough] / np.sqrt(n[enough]) * fpc
    out["ci_low"] = (out["mean"] - half).clip(lower=min(SCALE_POINTS))
    out["ci_high"] = (out["mean"] + half).clip(upper=max(SCALE_POINTS))
    out.index.name = "question"
    return out


def wilson_interval(k: int, n: int, z: float = 1.959963984540054,
                    population: int | None = None) -> tuple[float, float]:
    """Wilson score interval for a share k/n; with `population`, the finite-population correction.

    The survey covers nearly every municipality, so the correction sqrt((N-n)/(N-1)) narrows the
    interval to what sampling from 98 municipalities can leave uncertain.
    """
    if n <= 0:
        return (math.nan, math.nan)
    p = k / n
    if population is not None:
        if n > population:
            raise ValueError(f"n={n} exceeds the population {population}")
        fpc = math.sqrt((population - n) / (population - 1)) if population > 1 else 0.0
        z = z * fpc
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def nonresponse_bounds(k: int, n: int, population: int = POPULATION) -> tuple[float, float]:
    """The share among all `population` municipalities if every one that did not answer had answered
    no (low) or yes (high): what is logically possible whatever the non-respondents think.

    With 4 of 81 answering yes, the share among 98 lies between 4/98 and (4 + 17)/98.
    """
    if not 0 <= k <= n <= population:
        raise ValueError(f"need 0 <= k <= n <= population, got k={k}, n={n}, population={population}")
    return k / population, (k + population - n) / population


def share_interval(k: int, n: int, population: int = POPULATION) -> tuple[float, float]:
    """The 95% interval of a share among all `population` municipalities: Wilson with the
    finite-population correction (it assumes the non-respondents resemble the respondents),
    never outside the non-response bounds."""
    low, high = wilson_interval(k, n, population=population)
    floor, ceiling = nonresponse_bounds(k, n, population)
    return max(low, floor), min(high, ceiling)
