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
from .responses import Dataset, file_digest, load_responses


@dataclass
class Survey:
    codebook: pd.DataFrame
    topics: pd.DataFrame
    support_forms: pd.DataFrame
    register: pd.DataFrame
    published: pd.DataFrame
    responses: pd.DataFrame
    dataset: Dataset

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
    synthetic = paths.is_synthetic(path)
    return Survey(codebook=codebook, topics=load_topics(), support_forms=load_support_forms(),
                  register=register, published=load_published(), responses=responses,
                  dataset=Dataset(path=path, synthetic=synthetic, sha256=file_digest(path)))
