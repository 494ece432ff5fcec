"""Published or assumed: which numbers of the synthetic data come from the report."""
from __future__ import annotations

import pandas as pd

from ..data.published import calibration_targets

ASSUMED_MARK = "†"


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
