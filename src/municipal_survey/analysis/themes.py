"""Chapter 4 – current themes: the items the report's summary names (chapter 4 itself is not in the source)."""
from __future__ import annotations

import pandas as pd

from ..data.codebook import section_key
from . import likert


def themes(survey) -> pd.DataFrame:
    """The themes that have questions in the codebook, in section order, with their labels."""
    topics = survey.topics[survey.topics["block"] == "theme"].set_index("topic")
    asked = set(survey.codebook.loc[survey.codebook["block"] == "theme", "topic"])
    topics = topics[topics.index.isin(asked)]
    order = sorted(topics.index, key=lambda t: section_key(topics.at[t, "section"]))
    return topics.loc[order]


def theme_shares(survey, theme: str) -> pd.DataFrame:
    """A theme's items, largest share "i høj eller meget høj grad" first."""
    book = survey.codebook
    ids = book.loc[(book["block"] == "theme") & (book["topic"] == theme) & (book["kind"] == "likert"), "question"]
    return likert.shares(survey.responses, ids).sort_values("share_top2", ascending=False, kind="stable")
