"""Chapter 1 – the nine organisational focus areas: the tables behind figures 1-19."""
from __future__ import annotations

import pandas as pd

from ..data.codebook import NEED_ITEM, OVERALL_ITEM, section_key
from ..data.survey import Survey
from . import likert


def areas(survey: Survey) -> pd.DataFrame:
    """One row per focus area in the report's section order, with its overall and need question."""
    book = survey.codebook[survey.codebook["block"] == "area"]
    overall = book[book["item"] == OVERALL_ITEM].set_index("topic")
    need = book[book["item"] == NEED_ITEM].set_index("topic")
    topics = survey.topics[survey.topics["block"] == "area"].set_index("topic")
    table = pd.DataFrame({
        "section": overall["section"],
        "label": topics["label_da"].reindex(overall.index),
        "short_label": topics["short_label_da"].reindex(overall.index),
        "overall": overall["question"],
        "need": need["question"].reindex(overall.index),
        "questionnaire_order": overall["order"],
    })
    return table.sort_values("section", key=lambda s: s.map(section_key), kind="stable")


def overall_shares(survey: Survey) -> pd.DataFrame:
    """Figure 1: the overall question of every area, largest share of challenges first."""
    table = areas(survey)
    shares = likert.shares(survey.responses, table["overall"]).reset_index()
    shares["topic"] = table.index
    shares = shares.set_index("question")
    return shares.sort_values(["share_top2"], ascending=False, kind="stable")


def sub_items(survey: Survey, area: str) -> list[str]:
    """The specific likert items of an area (not its overall or need question), questionnaire order."""
    book = survey.codebook
    mask = (book["block"] == "area") & (book["topic"] == area) & (book["kind"] == "likert") \
        & ~book["item"].isin([OVERALL_ITEM, NEED_ITEM])
    return list(book.loc[mask, "question"])


def sub_item_shares(survey: Survey, area: str) -> pd.DataFrame:
    """An area's specific items, largest share of challenges first (the report's bullet order)."""
    table = likert.shares(survey.responses, sub_items(survey, area))
    return table.sort_values("share_top2", ascending=False, kind="stable")


def support_questions(survey: Survey, area: str | None = None) -> pd.DataFrame:
    book = survey.codebook
    mask = (book["block"] == "area") & (book["kind"] == "multiple_choice")
    if area is not None:
        mask &= book["topic"] == area
    return book[mask]


def support_counts(survey: Survey, area: str) -> pd.Series:
    """How many municipalities ticked each support form for an area (index: form key)."""
    questions = support_questions(survey, area)
    return _form_counts(questions, _ticks(survey.responses, questions["question"]), area)


def _ticks(responses: pd.DataFrame, questions: pd.Series) -> pd.Series:
    """Number of ticks per multiple-choice question (only questions someone answered)."""
    return responses[responses["question"].isin(questions)].groupby("question")["answer"].sum()


def _form_counts(questions: pd.DataFrame, ticks: pd.Series, area: str) -> pd.Series:
    return pd.Series(ticks.reindex(questions["question"]).fillna(0).astype(int).to_numpy(),
                     index=questions["item"].to_numpy(), name=area)


def support_matrix(survey: Survey) -> pd.DataFrame:
    """Areas × support forms: number of municipalities that ticked the form (section 1.11)."""
    table = areas(survey)
    forms = list(survey.support_forms["form"])
    # Count the ticks of every area in one pass rather than filtering the responses once per area.
    questions = support_questions(survey)
    ticks = _ticks(survey.responses, questions["question"])
    return pd.DataFrame({area: _form_counts(questions[questions["topic"] == area], ticks, area).reindex(forms)
                         for area in table.index}).T


def support_means(survey: Survey) -> pd.Series:
    """Mean number of municipalities per area asking for each form, largest first (section 1.11)."""
    return support_matrix(survey).mean().sort_values(ascending=False, kind="stable")


def challenge_need_means(survey: Survey) -> pd.DataFrame:
    """Figure 19: mean challenge and mean need per area (4..1, "ved ikke" left out), with 95% CIs."""
    table = areas(survey)
    challenge = likert.means(survey.responses, table["overall"])
    need = likert.means(survey.responses, table["need"])
    out = pd.DataFrame(index=table.index)
    for name, frame, column in (("challenge", challenge, "overall"), ("need", need, "need")):
        frame = frame.reindex(table[column])
        for stat in ("mean", "ci_low", "ci_high", "n_scale"):
            out[f"{stat}_{name}"] = frame[stat].to_numpy()
    return out.sort_values("mean_challenge", ascending=False, kind="stable")


def association_pairs(survey: Survey) -> dict[str, tuple[str, str]]:
    """area -> (overall challenge question, need question), for the bilag-4 analysis."""
    table = areas(survey)
    return {area: (row.overall, row.need) for area, row in table.iterrows()}
