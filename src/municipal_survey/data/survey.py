"""Everything a notebook needs, loaded and validated once: the single entry point of the book."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from . import paths
from .codebook import load_codebook, load_support_forms, load_topics
from .errors import DataError, Problem
from .paths import active_responses_path
from .published import load_published
from .register import load_register, population_year_for, register_years
from .responses import Dataset, file_digest, load_responses, one_wave, waves
from .settings import book_wave, settings_path


@dataclass
class Survey:
    """The validated inputs of the book.

    `responses` and `published` hold the book's wave (`book_wave`, a setting), so no chapter mixes
    two waves by accident; `all_responses` and `all_published` hold every wave in the data. `register`
    has the population of the book's wave's year or, where the register lacks it, of the nearest year;
    `population_years` says which year each wave in the data uses.
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
    book_wave: int | None = None
    population_years: dict[int, int] | None = None

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
    wave = book_wave()
    codebook = load_codebook()
    register = load_register(year=wave)
    responses = load_responses(path, codebook, register)
    present = waves(responses)
    if wave not in present:
        held = ", ".join(map(str, present)) or "none"
        raise DataError(Problem(str(settings_path()), None, "book_wave", wave,
                                f"a wave with responses in {path.name} ({held})"))
    published = load_published(wave=None)
    synthetic = paths.is_synthetic(path)
    years = register_years()
    return Survey(codebook=codebook, topics=load_topics(), support_forms=load_support_forms(),
                  register=register, published=published[published["wave"] == wave].reset_index(drop=True),
                  responses=one_wave(responses, wave),
                  dataset=Dataset(path=path, synthetic=synthetic, sha256=file_digest(path)),
                  all_responses=responses, all_published=published, book_wave=wave,
                  population_years={w: population_year_for(w, years) for w in present})
