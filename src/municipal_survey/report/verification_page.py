"""The verification page (notebooks/99_verifikation.md): what recomputing the report's numbers means
on the active dataset. Its sentences are templates in notebooks/_sentences/99_verifikation.yml."""
from __future__ import annotations

from .sentences import say


def meaning(book) -> str:
    """On the synthetic dataset the report's numbers come back by construction (calibration); on
    imported answers the recomputation is a check of the report."""
    if book.survey.dataset.synthetic:
        return say("v_betydning_syntetisk")
    return say("v_betydning_importeret")
