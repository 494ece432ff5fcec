"""Published, derived or assumed: where every number the book shows comes from.

On the synthetic dataset a number is *published* when the report prints it, *derived* when it
follows exactly from published numbers (an interval computed from a published share and N), and
*assumed* otherwise (an assumption of the synthetic data). On imported (real) data every number is
*data*: nothing is assumed, and the marks disappear.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..data.published import calibration_targets

ASSUMED_MARK = "†"
# The column of a table that names, row by row, which of its numbers the report prints.
PROVENANCE_COLUMN = "Fra rapporten"
PUBLISHED, DERIVED, ASSUMED, DATA = "published", "derived", "assumed", "data"
# The Danish names of a likert row's numbers, as the tables' provenance column lists them.
PART_DA = {"share_top2": "andel i høj/meget høj grad", "share_mindre": "andel i mindre grad", "n": "N",
           "count": "antal"}


def assumed_questions(codebook: pd.DataFrame, published: pd.DataFrame) -> set[str]:
    """Questions whose distribution is an assumption: a likert item without a published share,
    or a support form without a published count."""
    shares = calibration_targets(published, "share_top2")
    counts = calibration_targets(published, "count_ticked")
    likert_ids = codebook.loc[codebook["kind"] == "likert", "question"]
    choice_ids = codebook.loc[codebook["kind"] == "multiple_choice", "question"]
    return {q for q in likert_ids if q not in shares} | {q for q in choice_ids if q not in counts}


def mark(label: str, question: str, assumed: set[str]) -> str:
    """A label with † when the question's numbers are assumed."""
    return f"{label} {ASSUMED_MARK}" if question in assumed else label


@dataclass(frozen=True)
class Provenance:
    """Which numbers of each question the report publishes (on the synthetic dataset)."""

    synthetic: bool
    published_parts: dict[str, frozenset[str]]  # question -> published statistics (PART_DA keys)

    @classmethod
    def of(cls, codebook: pd.DataFrame, published: pd.DataFrame, synthetic: bool) -> Provenance:
        parts: dict[str, set[str]] = {}
        for statistic, key in (("share_top2", "share_top2"), ("share_mindre", "share_mindre"),
                               ("count_ticked", "count")):
            for question in calibration_targets(published, statistic):
                parts.setdefault(question, set()).add(key)
        # N is published when the question's figure prints one N (not a range) for it.
        exact = codebook[codebook["n_min"].notna() & (codebook["n_min"] == codebook["n_max"])]
        for question in exact["question"]:
            parts.setdefault(question, set()).add("n")
        return cls(synthetic, {q: frozenset(p) for q, p in parts.items()})

    def of_part(self, question: str, part: str) -> str:
        """published, assumed or (on imported data) data, for one number of a question."""
        if not self.synthetic:
            return DATA
        return PUBLISHED if part in self.published_parts.get(question, ()) else ASSUMED

    def of_interval(self, question: str) -> str:
        """An interval of the top-two share is derived when its share and N are both published."""
        if not self.synthetic:
            return DATA
        parts = self.published_parts.get(question, frozenset())
        return DERIVED if {"share_top2", "n"} <= parts else ASSUMED

    def of_all(self, questions, part: str) -> str:
        """The provenance of a statement about several questions: assumed if any number is."""
        found = {self.of_part(q, part) for q in questions}
        return ASSUMED if ASSUMED in found else (DATA if DATA in found else PUBLISHED)

    def from_report_da(self, question: str, parts=("share_top2", "share_mindre", "n")) -> str:
        """The Danish text of a table's provenance column: which of the row's numbers the report prints."""
        published = self.published_parts.get(question, frozenset())
        shown = [PART_DA[p] for p in parts if p in published]
        if "share_top2" in parts and self.of_interval(question) == DERIVED:
            shown.append("intervallerne (afledt)")
        return ", ".join(shown) if shown else f"intet (antaget {ASSUMED_MARK})"
