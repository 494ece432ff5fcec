"""Recompute every published number from the responses and say whether it is reproduced."""
from __future__ import annotations

import fnmatch

import numpy as np
import pandas as pd

from ..data.codebook import figure_questions
from ..data.published import CATEGORY_STATISTICS, superseded_ids
from . import likert
from .rounding import percent, round_half_away

STATUS_DA = {
    "reproduced": "Genskabt",
    "approximate": "Genskabt (rapportens cirka-tal)",
    "contradiction": "Rapportens egen modstrid (dokumenteret)",
    "external": "Tal fra en anden undersøgelse",
    "superseded": "Rettet i en senere række",
    "mismatch": "AFVIGER",
    "missing": "MANGLER I DATA",
}
PASSING = {"reproduced", "approximate", "contradiction", "external", "superseded"}
STATISTIC_DA = {
    "share_top2": "Andel i høj eller meget høj grad (pct.)",
    "share_meget_hoej": "Andel i meget høj grad (pct.)",
    "share_hoej": "Andel i høj grad (pct.)",
    "share_mindre": "Andel i mindre grad (pct.)",
    "share_slet_ikke": "Andel slet ikke (pct.)",
    "share_ved_ikke": "Andel ved ikke (pct.)",
    "share_ikke_relevant": "Andel ikke relevant (pct.)",
    "n": "Antal besvarelser (N)",
    "n_min": "Mindste N i figuren",
    "n_max": "Største N i figuren",
    "count_ticked": "Antal kommuner, der ønsker støtteformen",
    "ticks_total": "Afkrydsninger i alt (N)",
    "mean_count": "Gennemsnitligt antal kommuner pr. område",
    "participation_pct": "Deltagende kommuner (pct.)",
    "external": "Tal fra anden undersøgelse",
    "pattern_count": "Antal målgrupper, hvor udfordringen er blandt de tre største",
    "rank_order": "Rækkefølgen i figur 20 (1 = som rapporten)",
}


class Recomputer:
    """Computes each published statistic from one set of responses (results cached per question)."""

    def __init__(self, responses: pd.DataFrame, codebook: pd.DataFrame, population: int = likert.POPULATION):
        self.population = population
        self.responses = responses
        self.codebook = codebook
        likert_ids = codebook.loc[codebook["kind"] == "likert", "question"]
        present = set(responses["question"])
        self.shares = likert.shares(responses, [q for q in likert_ids if q in present])
        choice = responses[responses["question"].isin(
            codebook.loc[codebook["kind"] == "multiple_choice", "question"])]
        self.ticks = choice.groupby("question")["answer"].sum()

    def _matching(self, pattern: str) -> list[str]:
        return [q for q in self.codebook["question"] if fnmatch.fnmatchcase(q, pattern)]

    def value(self, row) -> float | None:
        stat, qid, figure = row.statistic, row.question, row.figure
        if stat == "external":
            return None
        columns = {"share_top2": "pct_top2", "n": "n"} | {s: f"pct_{c}" for c, s in CATEGORY_STATISTICS.items()}
        if stat in columns:
            if qid not in self.shares.index:
                return None
            return float(self.shares.at[qid, columns[stat]])
        if stat in ("n_min", "n_max"):
            # The figure's questions, or those the row lists where the figure's number is not known.
            ids = figure_questions(self.codebook, figure) if not qid else \
                self.codebook[self.codebook["question"].isin([q.strip() for q in qid.split(";")])]
            ids = ids.loc[ids["kind"] == "likert", "question"]
            ns = self.shares["n"].reindex(ids).dropna()
            if ns.empty:
                return None
            return float(ns.min() if stat == "n_min" else ns.max())
        if stat == "count_ticked":
            return float(self.ticks[qid]) if qid in self.ticks.index else None
        if stat == "ticks_total":
            ids = figure_questions(self.codebook, figure)
            ids = ids.loc[ids["kind"] == "multiple_choice", "question"]
            present = self.ticks.reindex(ids).dropna()
            return float(present.sum()) if len(present) else None
        if stat == "mean_count":
            present = self.ticks.reindex(self._matching(qid)).dropna()
            return round_half_away(float(present.mean())) if len(present) else None
        if stat == "participation_pct":
            started = self.responses["municipality"].nunique()
            return float(percent(started, self.population))
        if stat in ("pattern_count", "rank_order"):
            from . import target_groups

            return target_groups.recompute(stat, qid, self.shares, self.codebook)
        raise ValueError(f"no recipe for statistic {stat!r}")


def verify(published: pd.DataFrame, responses: pd.DataFrame, codebook: pd.DataFrame,
           population: int = likert.POPULATION) -> pd.DataFrame:
    """One row per published number: the printed value, the recomputed one and a status."""
    recompute = Recomputer(responses, codebook, population)
    out = published.drop(columns=[c for c in ("_file", "_row") if c in published.columns]).copy()
    out["recomputed"] = [recompute.value(row) for row in out.itertuples(index=False)]
    status = {}
    superseded = superseded_ids(out)
    for row in out.itertuples(index=False):
        if row.id in superseded:
            status[row.id] = "superseded"
        elif row.statistic == "external":
            status[row.id] = "external"
        elif row.recomputed is None or (isinstance(row.recomputed, float) and np.isnan(row.recomputed)):
            status[row.id] = "missing"
        elif abs(row.recomputed - row.value) <= row.tolerance:
            status[row.id] = "approximate" if row.tolerance else "reproduced"
        else:
            status[row.id] = "mismatch"
    for row in out.itertuples(index=False):
        # A printed number that disagrees with another printed number of the same quantity, which
        # the data reproduces, is the report contradicting itself, not a failure of the data.
        if status[row.id] == "mismatch" and row.conflicts_with and \
                status.get(row.conflicts_with) in ("reproduced", "approximate"):
            status[row.id] = "contradiction"
    out["status"] = out["id"].map(status)
    out["status_da"] = out["status"].map(STATUS_DA)
    return out


def failures(table: pd.DataFrame) -> pd.DataFrame:
    """The rows that are neither reproduced nor explained."""
    return table[~table["status"].isin(PASSING)]


def explanation_da(row) -> str:
    """A Danish sentence saying why a row that is not plainly reproduced still passes (or not)."""
    if row.status == "contradiction":
        return (f"Rapporten trykker et andet tal for samme spørgsmål i række {row.conflicts_with}; "
                "bogen kalibrerer efter tallet ved figuren, så dette tal kan ikke også rammes.")
    if row.status == "approximate":
        return (f"Rapporten skriver et cirka-tal; datasættets tal ligger inden for ±{row.tolerance:g} "
                "procentpoint.")
    if row.status == "superseded":
        return "Tallet er rettet: en senere række med en note erstatter det, og dataene genskaber den."
    if row.status == "external":
        return "Tallet stammer fra en anden undersøgelse og kan ikke genberegnes fra disse data."
    if row.status == "reproduced":
        return "Genskabt præcist."
    return "Tallet er hverken genskabt eller forklaret."
