"""The project the tests belong to (the folder above tests/), for the tests that read its files."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def scratch_make_venv(venv: Path) -> list[str]:
    """Make arguments for `make` in a scratch copy of the project that uses the tests' own environment:
    VENV points at it, and its install stamp counts as up to date (`-o`), so make never reinstalls the
    package from the temporary copy (that would leave the environment importing the copy's code)."""
    return [f"VENV={venv}", "-o", f"{venv}/.installed"]
