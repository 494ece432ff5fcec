"""Everything a notebook needs, loaded and validated once: the single entry point of the book."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from . import paths
from .codebook import load_codebook, load_support_forms, load_topics
from .paths import active_responses_path
from .published import load_published
from .register import load_register
from .responses import BOOK_WAVE, Dataset, file_digest, load_responses, one_wave, waves


@dataclass
class Survey:
    """The validated inputs of the book.

    `responses` and `published` hold the book's wave (the report's year), so no chapter mixes two
    waves by accident; `all_responses` and `all_published` hold every wave in the data.
    """

    codebook: pd.DataFrame
    topics: pd.DataFrame
    support_forms: pd.DataFrame
    register: pd.DataFrame
    published: pd.DataFrame
    responses: pd.DataFrame
    dataset: Dataset
    all_responses: pd.DataFrame | None = None
    all_published: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        if self.all_responses is None:
            self.all_responses = self.responses
        if self.all_published is None:
            self.all_published = self.published

    @property
    def waves(self) -> list[int]:
        """The survey years with responses, oldest first."""
        return waves(self.all_responses)

    def wave(self, year: int) -> pd.DataFrame:
        """The responses of one wave (KeyError naming the waves there are, if absent)."""
        return one_wave(self.all_responses, year)

    @cached_property
    def questions(self) -> pd.DataFrame:
        """Codebook indexed by question id."""
        return self.codebook.set_index("question")


def load_survey(responses_path: Path | None = None) -> Survey:
    """Load codebook, register, published numbers and the active responses, all validated."""
    path = Path(responses_path) if responses_path else active_responses_path()
    codebook = load_codebook()
    register = load_register()
    responses = load_responses(path, codebook, register)
    published = load_published(wave=None)
    synthetic = paths.is_synthetic(path)
    book_responses = responses[responses["wave"] == BOOK_WAVE].reset_index(drop=True)
    book_published = published[published["wave"] == BOOK_WAVE].reset_index(drop=True)
    return Survey(codebook=codebook, topics=load_topics(), support_forms=load_support_forms(),
                  register=register, published=book_published, responses=book_responses,
                  dataset=Dataset(path=path, synthetic=synthetic, sha256=file_digest(path)),
                  all_responses=responses, all_published=published)
