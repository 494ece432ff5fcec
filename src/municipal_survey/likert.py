"""Frequency tables, shares and means as the report defines them (DESIGN.md §3)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from .codebook import LIKERT_LABELS
from .rounding import percent

TOP_TWO = (4, 3)
SCALE_POINTS = (4, 3, 2, 1)
NON_SUBSTANTIVE = (8, 9)
CATEGORY_ORDER = (4, 3, 2, 1, 8, 9)
CATEGORY_COLUMNS = {code: f"n_{code}" for code in CATEGORY_ORDER}
POPULATION = 98  # Denmark's municipalities: the survey's whole population


def counts(responses: pd.DataFrame, questions) -> pd.DataFrame:
    """Count of each answer code per question: columns n_4, n_3, n_2, n_1, n_8, n_9 and n (all answers)."""
    subset = responses[responses["question"].isin(list(questions))]
    table = (subset.groupby(["question", "answer"]).size().unstack("answer")
             .reindex(columns=list(CATEGORY_ORDER), fill_value=0).fillna(0).astype(int))
    table = table.reindex(list(questions), fill_value=0)
    table.columns = [CATEGORY_COLUMNS[c] for c in table.columns]
    table["n"] = table.sum(axis=1)
    table.index.name = "question"
    return table


def shares(responses: pd.DataFrame, questions) -> pd.DataFrame:
    """Per question: n, the top-two count, and whole-number percentages of every category.

    pct_top2 = (4 + 3) / all who answered, including "ved ikke" and "ikke relevant", rounded half away
    from zero (the report's definition). share_top2 keeps the unrounded fraction for ranking and CIs.
    """
    table = counts(responses, questions)
    out = pd.DataFrame(index=table.index)
    out["n"] = table["n"]
    out["k_top2"] = table["n_4"] + table["n_3"]
    out["share_top2"] = np.where(out["n"] > 0, out["k_top2"] / out["n"].where(out["n"] > 0), np.nan)
    out["pct_top2"] = [percent(k, n) if n else pd.NA for k, n in zip(out["k_top2"], out["n"])]
    for code in CATEGORY_ORDER:
        column = CATEGORY_COLUMNS[code]
        out[f"pct_{code}"] = [percent(k, n) if n else pd.NA for k, n in zip(table[column], table["n"])]
    out["pct_top2"] = out["pct_top2"].astype("Int64")
    return out


def means(responses: pd.DataFrame, questions) -> pd.DataFrame:
    """Mean on the 4..1 scale excluding "ved ikke"/"ikke relevant" (figure 19), with n used and a 95% CI."""
    subset = responses[responses["question"].isin(list(questions))
                       & responses["answer"].isin(SCALE_POINTS)]
    grouped = subset.groupby("question")["answer"]
    out = pd.DataFrame({"n_scale": grouped.size(), "mean": grouped.mean(), "sd": grouped.std(ddof=1)})
    out = out.reindex(list(questions))
    half = [stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n) if n and n > 1 else np.nan
            for n, sd in zip(out["n_scale"].fillna(0).astype(int), out["sd"])]
    out["ci_low"] = out["mean"] - half
    out["ci_high"] = out["mean"] + half
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


def distribution(responses: pd.DataFrame, questions) -> pd.DataFrame:
    """Long table of whole-number percentages per question and Danish category label (for figures)."""
    table = shares(responses, questions)
    rows = []
    for qid in table.index:
        for code in CATEGORY_ORDER:
            rows.append({"question": qid, "code": code, "category": LIKERT_LABELS[code],
                         "pct": table.at[qid, f"pct_{code}"], "n": int(table.at[qid, "n"])})
    return pd.DataFrame(rows)
