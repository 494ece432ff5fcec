"""Chapter 3 – variation by municipality size and region (the socioeconomic index is not available).

Breakdown cells are computed here and suppressed by `disclosure` before any page shows them: no
cell may rest on fewer than five municipalities (the disclosure rule, analysis.disclosure).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as st
from statsmodels.stats.multitest import multipletests

from ..data.register import REGIONS
from . import likert

# The report (bilag 5) groups municipalities by size without printing the cut points in the source
# text. These are the book's choice: round numbers that split the 98 municipalities into three
# groups of roughly a third each (see size_groups()).
SIZE_BINS = (0, 35_000, 55_000, np.inf)  # 29, 36 and 33 municipalities
SIZE_LABELS = ("Under 35.000 indbyggere", "35.000–54.999 indbyggere", "55.000 indbyggere og derover")


def size_groups(register: pd.DataFrame) -> pd.Series:
    """Size group of every municipality (index: kommunekode), ordered small to large."""
    groups = pd.cut(register["population_2020"], bins=list(SIZE_BINS), labels=list(SIZE_LABELS), right=False)
    return pd.Series(pd.Categorical(groups, categories=list(SIZE_LABELS), ordered=True),
                     index=register["code"].to_numpy(), name="size_group")


def grouping(survey, by: str) -> pd.Series:
    """kommunekode -> group label for by = 'size' or 'region' (ordered categorical)."""
    if by == "size":
        return size_groups(survey.register)
    if by == "region":
        return pd.Series(pd.Categorical(survey.register["region"], categories=list(REGIONS), ordered=True),
                         index=survey.register["code"].to_numpy(), name="region")
    raise ValueError(f"no grouping {by!r}; use 'size' or 'region'")


def breakdown(survey, questions, by: str) -> pd.DataFrame:
    """Per question and group: n answering, count and whole-number pct "i høj eller meget høj grad"."""
    groups = grouping(survey, by)
    answers = survey.responses[survey.responses["question"].isin(list(questions))].copy()
    answers["group"] = pd.Categorical(groups.reindex(answers["municipality"]).to_numpy(),
                                      categories=groups.cat.categories, ordered=True)
    answers["top2"] = answers["answer"].isin(likert.TOP_TWO)
    table = (answers.groupby(["question", "group"], observed=False)
             .agg(n=("answer", "size"), k_top2=("top2", "sum")).reset_index())
    table["pct_top2"] = likert.percents(table["k_top2"], table["n"])
    return table


def group_differences(survey, questions: dict[str, str], by: str) -> pd.DataFrame:
    """Kruskal–Wallis of the 4..1 answers across groups per question, with Holm-adjusted p-values."""
    groups = grouping(survey, by)
    rows = []
    for label, qid in questions.items():
        answers = likert.scale_answers(survey.responses, [qid])
        grouped = answers.assign(group=groups.reindex(answers["municipality"]).to_numpy()).groupby(
            "group", observed=True)["answer"]
        samples = [g.to_numpy() for _, g in grouped]
        h, p = st.kruskal(*samples)
        # epsilon-squared: the share of rank variance explained by the grouping (0 = none)
        n = sum(len(s) for s in samples)
        rows.append({"label": label, "question": qid, "n": n, "groups": len(samples),
                     "epsilon2": h * (n + 1) / (n**2 - 1), "p": p})
    table = pd.DataFrame(rows)
    table["p_holm"] = multipletests(table["p"], method="holm")[1]
    return table


def breakdown_wide(table: pd.DataFrame, questions, labels: dict[str, str]) -> pd.DataFrame:
    """Questions × groups with "46 pct. (n = 27)" cells (or the suppression mark), groups in order."""
    def cell(pct, n) -> str:
        return f"{pct} pct. (n = {n})" if isinstance(n, (int, np.integer)) else str(n)

    out = table.assign(cell=[cell(p, n) for p, n in zip(table["pct_top2"], table["n"])])
    wide = out.pivot(index="question", columns="group", values="cell").reindex(list(questions))
    wide = wide[[c for c in table["group"].cat.categories if c in wide.columns]] \
        if isinstance(table["group"].dtype, pd.CategoricalDtype) else wide
    wide.columns.name = None
    wide.index = [labels.get(q, q) for q in wide.index]
    return wide
