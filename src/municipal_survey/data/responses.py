"""The tidy responses (wave, municipality, question, answer): load and validate against the contract."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import paths
from .codebook import VALID_CODES
from .errors import DataError, Problem

RESPONSE_COLUMNS = ["wave", "municipality", "question", "answer"]
# Several waves are more rows of the same files (responses, published numbers), told apart by their
# `wave`; which one the chapters report on is a setting (data.settings.book_wave).


@dataclass(frozen=True)
class Dataset:
    """Which responses a page was computed from: shown on every page of the book."""

    path: Path
    synthetic: bool
    sha256: str

    @property
    def short_hash(self) -> str:
        return self.sha256[:12]

    @property
    def label_da(self) -> str:
        kind = "syntetiske (kalibrerede) data" if self.synthetic else "importerede data"
        return f"{kind}: {self.path.name}, sha256 {self.short_hash}"


def file_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def validate_responses(frame: pd.DataFrame, codebook: pd.DataFrame, register: pd.DataFrame,
                       file: str = "responses") -> pd.DataFrame:
    """Check a tidy responses frame against codebook and register; return it with proper dtypes.

    Collects every problem (unknown municipality or question, answer outside the question's scale,
    duplicate answers) and raises one DataError listing them all.
    """
    problems: list[Problem] = []
    missing = [c for c in RESPONSE_COLUMNS if c not in frame.columns]
    if missing:
        raise DataError([Problem(file, 1, c, None, "this column in the header") for c in missing])
    kinds = dict(zip(codebook["question"], codebook["kind"]))
    codes = set(register["code"])
    text = frame[RESPONSE_COLUMNS].astype(str).apply(lambda s: s.str.strip())
    # Plain lists: itertuples costs more than all the checks on ~20,000 rows.
    rows = zip(*(text[column].tolist() for column in RESPONSE_COLUMNS))
    for position, (wave, muni, qid, answer) in enumerate(rows, start=2):
        if not wave.isdigit():
            problems.append(Problem(file, position, "wave", wave, "a survey year such as 2020"))
        if muni not in codes:
            problems.append(Problem(file, position, "municipality", muni,
                                    "a 3-digit kommunekode in the register"))
        kind = kinds.get(qid)
        if kind is None:
            problems.append(Problem(file, position, "question", qid, "a question id in the codebook"))
            continue
        valid = VALID_CODES[kind]
        if not answer.lstrip("-").isdigit() or int(answer) not in valid:
            problems.append(Problem(file, position, "answer", answer,
                                    f"one of {sorted(valid)} for a {kind} question"))
    duplicated = text.duplicated(["wave", "municipality", "question"], keep="first")
    for position in (duplicated[duplicated].index + 2):
        row = text.iloc[position - 2]
        problems.append(Problem(file, int(position), "question", row["question"],
                                f"one answer per wave and municipality (municipality {row['municipality']} "
                                "answers it twice)"))
    if problems:
        raise DataError(problems)
    out = pd.DataFrame({
        "wave": text["wave"].astype(int),
        "municipality": text["municipality"].astype(str),
        "question": text["question"].astype(str),
        "answer": text["answer"].astype(int),
    })
    return out


def read_responses_csv(path: Path) -> pd.DataFrame:
    """Read a tidy responses CSV as text (validation turns it into numbers)."""
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except pd.errors.EmptyDataError:
        raise DataError(Problem(str(path), None, None, "", "a header row and data")) from None


def load_responses(path: Path | None = None, codebook: pd.DataFrame | None = None,
                   register: pd.DataFrame | None = None) -> pd.DataFrame:
    """Load and validate tidy responses (by default the synthetic file)."""
    from .codebook import load_codebook
    from .register import load_register

    path = Path(path or paths.SYNTHETIC_RESPONSES)
    codebook = load_codebook() if codebook is None else codebook
    register = load_register() if register is None else register
    return validate_responses(read_responses_csv(path), codebook, register, file=str(path))


def waves(responses: pd.DataFrame) -> list[int]:
    """The survey years present in a responses frame, oldest first."""
    return sorted(int(w) for w in pd.unique(responses["wave"]))


def one_wave(responses: pd.DataFrame, wave: int) -> pd.DataFrame:
    """The rows of one wave; an unknown wave is an error naming the waves there are."""
    present = waves(responses)
    if wave not in present:
        raise KeyError(f"no responses for wave {wave} (the data hold {present or 'no wave'})")
    return responses[responses["wave"] == wave].reset_index(drop=True)


def write_responses(frame: pd.DataFrame, path: Path) -> None:
    """Write tidy responses deterministically: fixed order, LF line ends, no index."""
    ordered = frame.sort_values(["wave", "municipality", "question"]).reset_index(drop=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    ordered[RESPONSE_COLUMNS].to_csv(path, index=False, lineterminator="\n")
