"""The calibration report: what the synthetic data was asked to meet and what it gives."""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as st

from ..analysis import likert
from ..data.survey import Survey

PARAMETERS = ("n", "share_top2", "share_mindre", "count", "very_high_of_top2", "dont_know",
              "not_relevant", "not_at_all_of_rest")
# The assumptions a published number replaces (the generator uses the report's number instead).
REPLACED_BY = {"share_top2": "share_top2", "share_mindre": "share_mindre", "count": "count_ticked"}
OF_THE_DISTRIBUTION = ("share_top2", "share_mindre", "very_high_of_top2", "dont_know", "not_relevant",
                       "not_at_all_of_rest")


def replaced_assumptions(published: pd.DataFrame) -> set[tuple[str, str]]:
    """(question, parameter) of every assumption the report's own number has replaced."""
    from ..data.published import calibration_targets
    from .provenance import distribution_published

    replaced = {(q, parameter) for parameter, statistic in REPLACED_BY.items()
                for q in calibration_targets(published, statistic)}
    return replaced | {(q, p) for q in distribution_published(published) for p in OF_THE_DISTRIBUTION}


def assumption_table(assumptions: dict, published: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every item-level assumption in use: question, parameter, value, reason (English and Danish) and its
    file. With the published table, an assumption the report's own number replaces is left out."""
    replaced = replaced_assumptions(published) if published is not None else set()
    rows = []
    for qid, spec in sorted(assumptions["items"].items()):
        for parameter in PARAMETERS:
            if parameter in spec and (qid, parameter) not in replaced:
                rows.append({"question": qid, "parameter": parameter, "value": spec[parameter],
                             "reason": str(spec.get("reason", "")).strip(),
                             "reason_da": str(spec.get("reason_da", "")).strip(),
                             "file": assumptions["origin"][qid]})
    return pd.DataFrame(rows, columns=["question", "parameter", "value", "reason", "reason_da", "file"])


def general_assumptions(assumptions: dict) -> pd.DataFrame:
    """The defaults, loadings and size effects with their reasons (English and Danish)."""
    rows = []
    reasons = assumptions.get("default_reasons", {})
    reasons_da = assumptions.get("default_reasons_da", {})
    for key, value in assumptions["defaults"].items():
        rows.append({"parameter": f"defaults.{key}", "value": value, "reason": reasons.get(key, ""),
                     "reason_da": reasons_da.get(key, "")})
    for key, value in assumptions["loadings"].items():
        rows.append({"parameter": f"loadings.{key}", "value": value,
                     "reason": assumptions.get("loading_reasons", ""),
                     "reason_da": assumptions.get("loading_reasons_da", "")})
    for key, value in (assumptions.get("size_effects") or {}).items():
        rows.append({"parameter": f"size_effects.{key}", "value": value,
                     "reason": assumptions.get("size_effect_reason", ""),
                     "reason_da": assumptions.get("size_effect_reason_da", "")})
    return pd.DataFrame(rows, columns=["parameter", "value", "reason", "reason_da"])


def item_response(survey: Survey) -> pd.DataFrame:
    """Per question in questionnaire order: how many of the participants answered it."""
    participants = survey.responses["municipality"].nunique()
    answered = survey.responses.groupby("question")["municipality"].nunique()
    book = survey.codebook[survey.codebook["kind"] != "status"]
    out = book[["question", "order", "chapter", "section", "kind"]].copy()
    out["n"] = answered.reindex(out["question"]).fillna(0).astype(int).to_numpy()
    out["non_response"] = participants - out["n"]
    return out.reset_index(drop=True)


def size_association(survey: Survey, questions: dict[str, str]) -> pd.DataFrame:
    """Spearman correlation of an item (4..1) with log population: direction, size and p-value."""
    population = survey.register.set_index("code")["population_2020"]
    rows = []
    for label, qid in questions.items():
        answers = likert.scale_answers(survey.responses, [qid])
        logpop = np.log(population.reindex(answers["municipality"]).to_numpy(dtype=float))
        rho, p = st.spearmanr(answers["answer"].to_numpy(), logpop)
        rows.append({"label": label, "question": qid, "n": len(answers), "rho": rho, "p": p})
    return pd.DataFrame(rows)
