"""Published, derived or assumed: where every number the book shows comes from.

On the synthetic dataset a number is *published* when the report prints it, *derived* when it
follows exactly from published numbers (an interval computed from a published share and N), and
*assumed* otherwise (an assumption of the synthetic data). On imported (real) data every number is
*data*: nothing is assumed, and the marks disappear.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from ..data import settings
from ..data.published import CATEGORY_STATISTICS, calibration_targets, figure_n_bounds

ASSUMED_MARK = settings.assumed_mark()  # data/settings.yml
# The marks a label or cell may end with (the assumed mark; "*" for a significant difference).
MARKS = f"[{re.escape(ASSUMED_MARK)}*]+"
# The column of a table that names, row by row, which of its numbers the report prints.
PROVENANCE_COLUMN = "Fra rapporten"
PUBLISHED, DERIVED, ASSUMED, DATA = "published", "derived", "assumed", "data"
# The Danish names of a likert row's numbers, as the tables' provenance column lists them.
PART_DA = {"distribution": "hele fordelingen", "share_top2": "andel i høj/meget høj grad",
           "share_mindre": "andel i mindre grad", "n": "N", "count": "antal"}


def distribution_published(published: pd.DataFrame) -> set[str]:
    """Questions whose whole answer distribution the report prints (the share of every category)."""
    found = [set(calibration_targets(published, statistic)) for statistic in CATEGORY_STATISTICS.values()]
    return set.intersection(*found)


def assumed_questions(codebook: pd.DataFrame, published: pd.DataFrame) -> set[str]:
    """Questions whose distribution is an assumption: a likert item with neither a published share
    nor a published distribution, or a support form without a published count."""
    shares = set(calibration_targets(published, "share_top2")) | distribution_published(published)
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
    # question -> numbers that follow from published ones (a top-two share summed from a printed distribution)
    derived_parts: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, codebook: pd.DataFrame, published: pd.DataFrame, synthetic: bool) -> Provenance:
        parts: dict[str, set[str]] = {}
        derived: dict[str, set[str]] = {}
        for statistic, key in (("share_top2", "share_top2"), ("share_mindre", "share_mindre"),
                               ("count_ticked", "count")):
            for question in calibration_targets(published, statistic):
                parts.setdefault(question, set()).add(key)
        # With every category's share printed, the whole distribution is the report's; the top-two share
        # shown then follows from it (the report may print it too, in its text).
        for question in distribution_published(published):
            parts.setdefault(question, set()).update({"distribution", "share_mindre"})
            if "share_top2" not in parts[question]:
                derived.setdefault(question, set()).add("share_top2")
        # N is published when the question's figure prints one N (not a range) for it.
        exact = codebook[codebook["n_min"].notna() & (codebook["n_min"] == codebook["n_max"])]
        single = [q for questions, low, high in figure_n_bounds(published, codebook) if low == high
                  for q in questions]
        for question in [*exact["question"], *single]:
            parts.setdefault(question, set()).add("n")
        return cls(synthetic, {q: frozenset(p) for q, p in parts.items()},
                   {q: frozenset(p) for q, p in derived.items()})

    def of_part(self, question: str, part: str) -> str:
        """published, derived, assumed or (on imported data) data, for one number of a question."""
        if not self.synthetic:
            return DATA
        if part in self.published_parts.get(question, ()):
            return PUBLISHED
        return DERIVED if part in self.derived_parts.get(question, ()) else ASSUMED

    def of_interval(self, question: str) -> str:
        """An interval of the top-two share is derived when its share (printed, or summed from a printed
        distribution) and N are both published."""
        if not self.synthetic:
            return DATA
        parts = self.published_parts.get(question, frozenset())
        has_share = "share_top2" in parts or "share_top2" in self.derived_parts.get(question, ())
        return DERIVED if has_share and "n" in parts else ASSUMED

    def of_all(self, questions, part: str) -> str:
        """The provenance of a statement about several questions: assumed if any number is, derived if
        any follows from published numbers and the rest are published."""
        found = {self.of_part(q, part) for q in questions}
        for kind in (ASSUMED, DATA, DERIVED):
            if kind in found:
                return kind
        return PUBLISHED

    def from_report_da(self, question: str, parts=("share_top2", "share_mindre", "n")) -> str:
        """The Danish text of a table's provenance column: which of the row's numbers the report prints."""
        published = self.published_parts.get(question, frozenset())
        if "distribution" in published and "share_mindre" in parts:
            # every category's share: the whole row but N and the top-two share, which the text may print
            parts = ("distribution", *(p for p in parts if p != "share_mindre"))
        shown = [PART_DA[p] for p in parts if p in published]
        if "share_top2" in parts and self.of_part(question, "share_top2") == DERIVED:
            shown.append(f"{PART_DA['share_top2']} (afledt)")
        if "share_top2" in parts and self.of_interval(question) == DERIVED:
            shown.append("intervallerne (afledt)")
        return ", ".join(shown) if shown else f"intet (antaget {ASSUMED_MARK})"
