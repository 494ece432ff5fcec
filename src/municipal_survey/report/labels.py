"""Danish names for what the data files call by id: questions, answer kinds and assumption parameters.

Readers see these; the ids stay in the frames the package returns, for those who rerun cells.
"""
from __future__ import annotations

import pandas as pd

from ..analysis.target_groups import FOCUS_LABELS_DA
from .text import fmt_int, fmt_num, lower_first

KIND_DA = {"likert": "Svarskala", "multiple_choice": "Afkrydsning", "status": "Status"}

# The item-level parameters of data/synthetic/assumptions/ch*.yml.
PARAMETER_DA = {
    "n": "Antal besvarelser (N)",
    "share_top2": "Andel i høj eller meget høj grad (pct.)",
    "share_mindre": "Andel i mindre grad (pct.)",
    "count": "Antal kommuner, der ønsker støtteformen",
    "very_high_of_top2": "Andel »i meget høj grad« af de to øverste kategorier",
    "dont_know": "Andel »ved ikke«",
    "not_relevant": "Andel »ikke relevant«",
    "not_at_all_of_rest": "Andel »slet ikke« af svarene under de to øverste kategorier",
}
# The general parameters of data/synthetic/assumptions/general.yml (section.key).
LOADING_DA = {
    "general": "Sammenhæng: kommunens fælles tendens til at melde udfordringer",
    "topic": "Sammenhæng: spørgsmål inden for samme område eller målgruppe",
    "item_type": "Sammenhæng: samme slags spørgsmål på tværs af målgrupper",
    "support_form_on_need": "Sammenhæng: flere støtteformer ved større behov",
}


def parameter_label(parameter: str, topics: pd.DataFrame | None = None) -> str:
    """'share_top2' -> 'Andel i høj eller meget høj grad (pct.)'; 'defaults.dont_know' -> 'Standard:
    andel »ved ikke«'; 'size_effects.tidlig' -> 'Kommunestørrelse: tidlig og forebyggende indsats'."""
    section, _, key = parameter.rpartition(".")
    if not section:
        return PARAMETER_DA.get(key, key)
    if section == "defaults":
        return "Standard: " + lower_first(PARAMETER_DA.get(key, key))
    if section == "loadings":
        return LOADING_DA.get(key, key)
    if section == "size_effects":
        names = {} if topics is None else dict(zip(topics["topic"], topics["short_label_da"]))
        return "Kommunestørrelse: " + lower_first(names.get(key, key))
    return parameter


def value_text(value) -> str:
    """A parameter's value in Danish notation: 81 -> '81', 0.25 -> '0,25', -0.15 -> '−0,15'."""
    number = float(value)
    if number.is_integer():
        return fmt_int(number).replace("-", "−")
    return fmt_num(number, 2).replace("-", "−")


def question_label(survey, question: str) -> str:
    """The Danish text a reader recognises for a question id of the codebook or the published table.

    A target-group item names its group ('Børn og unge med autisme: vækst i målgruppeomfang'), a
    support form its area ('Strategi for området: kompetenceudvikling'); the published table's
    patterns ('org_*_stoette_data', 'mg_*_samlet') and the summary's item keys ('tidlig') name
    what they cover. An empty id (a number about a whole figure) gives ''.
    """
    if not isinstance(question, str) or not question:
        return ""
    if ";" in question:  # the questions of a figure whose number is not known
        return "; ".join(question_label(survey, q.strip()) for q in question.split(";"))
    topics = dict(zip(survey.topics["topic"], survey.topics["short_label_da"]))
    forms = dict(zip(survey.support_forms["form"], survey.support_forms["label_da"]))
    if question in FOCUS_LABELS_DA:
        return f"Alle målgrupper: {lower_first(FOCUS_LABELS_DA[question])}"
    if question.startswith("org_*_stoette_"):
        return f"Alle fokusområder: {lower_first(forms.get(question.removeprefix('org_*_stoette_'), question))}"
    if question == "mg_*_samlet":
        return "Alle målgrupper: samlet set"
    book = survey.questions
    if question not in book.index:
        return question
    row = book.loc[question]
    if row["block"] == "target_group":
        what = FOCUS_LABELS_DA.get(row["item"], "samlet set")
        return f"{topics.get(row['topic'], row['topic'])}: {lower_first(what)}"
    if row["kind"] == "multiple_choice":
        form = str(row["item"]).removeprefix("stoette_")
        return f"{topics.get(row['topic'], row['topic'])}: {lower_first(forms.get(form, form))}"
    return str(row["text_da"])
