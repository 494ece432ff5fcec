"""Where the project's files live, found relative to the installed package."""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]
# src/municipal_survey -> src -> project root (an editable install keeps this layout).
PROJECT_ROOT = Path(os.environ.get("MUNICIPAL_SURVEY_ROOT", PACKAGE_DIR.parents[1]))
DATA_DIR = PROJECT_ROOT / "data"
CODEBOOK_DIR = DATA_DIR / "codebook"
PUBLISHED_DIR = DATA_DIR / "published"
REGISTER_FILE = DATA_DIR / "register" / "municipalities.csv"
SYNTHETIC_DIR = DATA_DIR / "synthetic"
ASSUMPTIONS_DIR = SYNTHETIC_DIR / "assumptions"
SYNTHETIC_RESPONSES = SYNTHETIC_DIR / "responses.csv"

# The dataset the book shows: set by `make book RESPONSES=...` (an imported export), else synthetic.
RESPONSES_ENV = "MUNICIPAL_SURVEY_RESPONSES"


def active_responses_path() -> Path:
    """The tidy responses the book shows: $MUNICIPAL_SURVEY_RESPONSES, else the synthetic file."""
    override = os.environ.get(RESPONSES_ENV, "").strip()
    return Path(override).resolve() if override else SYNTHETIC_RESPONSES


def source_path(responses: Path) -> Path:
    """The file beside imported responses that names the export they came from (written by the import)."""
    return responses.with_name(responses.stem + ".source.json")


# The socioeconomic index file: set by `make book SOCIOECONOMIC_INDEX=...`; unset: a synthetic stand-in.
INDEX_ENV = "MUNICIPAL_SURVEY_SOCIOECONOMIC_INDEX"


def active_index_path() -> Path | None:
    """The socioeconomic index file the book uses ($MUNICIPAL_SURVEY_SOCIOECONOMIC_INDEX), or None."""
    given = os.environ.get(INDEX_ENV, "").strip()
    return Path(given).resolve() if given else None


def is_synthetic(responses: Path) -> bool:
    """True when `responses` is the shipped synthetic dataset (the one rule every page uses)."""
    return Path(responses).resolve() == SYNTHETIC_RESPONSES.resolve()
