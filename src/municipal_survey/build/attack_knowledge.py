"""What the attacker of the built book knows, and what counts as a finding.

The reader of `disclosure_attack` has the public municipality register, the socioeconomic index the book
used, the labels the pages give the questions, and the national answer counts of every question (assumed
known exactly). The true answers of the dataset the site was built from are held here too, but the
attack uses them only to decide which of the book's formulas a figure came from (the code is public, so a
real reader knows) and to apply the rule to the true counts; a finding states what a reader recovers,
never the true answers.

A finding is what a page adds to the national figures: a count the national counts and the group's size
in the register alone pin as narrowly (e.g. the only other "slet ikke" in the country, for a municipality
that answered it) is told by the national figures, which the report publishes, not by the breakdown.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..analysis.disclosure import MIN_COUNT
from ..synthetic.provenance import MARKS
from .published_figures import GroupNames

KINDS = {
    "cell-candidates": "a shown mean or share with its interval and n leaves few answer distributions",
    "n-per-cell": "a shown n against the register tells how many gave no answer on the scale",
    "national-margin": "shown cells and the national counts pin a cell (secondary suppression)",
    "kruskal-wallis": "a Kruskal–Wallis row over the groups pins a cell",
    "power": "a minimal detectable odds ratio, inverted to group sizes, pins a cell",
    "insider": "a municipality that knows its own answer pins the others' answers",
    "test-over-hidden-group": "a statistic over the groups is shown while one of them is hidden",
    "inconsistent-suppression": "a group's figure is shown in one place and hidden in another",
    "participants": "a summary of participants or respondents names those left out",
    "pdf": "the PDF shows what the site does not, or belongs to another build",
}
CATEGORIES = {0: "slet ikke", 1: "i mindre grad", 2: "i høj grad", 3: "i meget høj grad",
              "top2": "i høj eller meget høj grad", "none": "intet svar på skalaen"}

@dataclass(frozen=True)
class AttackFinding:
    """One thing a reader can work out that the rule forbids (`key`: the same finding read from a table
    and from its downloads is reported once)."""

    kind: str
    where: str
    statistic: str
    recovered: str
    key: tuple = field(default=(), compare=False, repr=False)

    def __str__(self) -> str:
        return f"[{self.kind}] {self.where}: {self.statistic}: {self.recovered}"


@dataclass
class Reader:
    """The register, the index, the national counts; and the true answers, to check the attack's models."""

    register: pd.DataFrame
    answers: pd.DataFrame  # municipality, question, answer (the book's wave)
    labels: dict[str, str]  # a question's labels as pages show them -> question id
    names: GroupNames
    min_count: int = MIN_COUNT
    _scale: dict = field(default_factory=dict, repr=False)

    @property
    def population(self) -> pd.Series:
        return self.register.set_index("code")["population"]

    @property
    def participants(self) -> set[str]:
        return set(self.answers["municipality"])

    def question_of(self, label: str) -> str | None:
        return self.labels.get(" ".join(re.sub(MARKS, "", label).split()))

    def scale(self, question: str) -> pd.DataFrame:
        """The answers on the 1-4 scale to `question` (computed once per question)."""
        if question not in self._scale:
            rows = self.answers[self.answers["question"] == question]
            self._scale[question] = rows[rows["answer"].isin([1, 2, 3, 4])]
        return self._scale[question]

    def respondents(self, question: str) -> set[str]:
        return set(self.scale(question)["municipality"])

    def vector(self, question: str, members=None) -> np.ndarray:
        """Counts of answers 1..4 to `question` (among `members`; None: the whole country)."""
        rows = self.scale(question)
        if members is not None:
            rows = rows[rows["municipality"].isin(members)]
        return np.bincount(rows["answer"].to_numpy(dtype=int), minlength=5)[1:5]


def load_reader(responses: Path | None = None, index_path: Path | None = None) -> Reader:
    """What the attacker is given, for the book built from `responses` (None: the active dataset) and
    the index in `index_path` (None: the one the book used, $MUNICIPAL_SURVEY_SOCIOECONOMIC_INDEX)."""
    from ..analysis import organisation, target_groups
    from ..data import socioeconomic
    from ..data.survey import load_survey
    from ..report.labels import question_label

    survey = load_survey(responses)
    register = survey.register
    index = (socioeconomic.load_index(index_path, register) if index_path
             else socioeconomic.active_index(register))
    labels = {}
    for question in survey.codebook["question"]:
        labels[" ".join(str(survey.questions.at[question, "text_da"]).split())] = question
        labels[" ".join(question_label(survey, question).split())] = question
    for table in (organisation.areas(survey), target_groups.groups(survey)):
        labels.update(zip(table["short_label"], table["overall"]))
    return Reader(register, survey.responses[["municipality", "question", "answer"]], labels,
                  GroupNames(register, index.values))
