"""Never serve stale numbers: jupyter-cache keys on code cells only, so the build's execution cache
is cleared whenever the data, the package code or the chosen dataset change.

Clearing the execution cache alone is not enough: Sphinx re-reads only source files whose mtime
changed (myst-nb adds no outdated documents), so an unchanged notebook would keep its old numbers and
every page its old dataset banner. The Sphinx environment (.doctrees) is cleared with it, so every
page is read, executed and written again.
"""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from ..data import paths
from ..data.paths import active_responses_path, source_path
from ..report.sentences import sentence_files

STAMP = ".inputs.sha256"
CACHE = ".jupyter_cache"
SPHINX_ENV = ".doctrees"


def inputs_digest(responses: Path | None = None) -> str:
    """One digest over package code, the book's extensions, the sentence files, the data folder and the
    active responses."""
    responses = responses or active_responses_path()
    digest = hashlib.sha256()
    extensions = paths.PROJECT_ROOT / "book" / "_ext"  # the dataset banner is written by an extension
    files = sorted(paths.PACKAGE_DIR.rglob("*.py")) + sorted(extensions.rglob("*.py")) + sorted(
        p for p in paths.DATA_DIR.rglob("*") if p.is_file() and "imported" not in p.parts)
    files += sentence_files()  # the pages' data-dependent sentences (report.sentences)
    index = paths.active_index_path()  # the socioeconomic index file, when one is given
    files += [index] if index is not None else []
    # The record of the export beside imported responses names it in the dataset banner.
    for path in files + [responses, source_path(responses)]:
        digest.update(_where(path).encode())
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
    return digest.hexdigest()


def _where(path: Path) -> str:
    """A file's name in the digest, the same wherever the project lies: the package's files relative to
    the package (a copy of the project may use the package installed from the original), the rest
    relative to the project."""
    for base in (paths.PACKAGE_DIR.parent, paths.PROJECT_ROOT):
        if path.is_relative_to(base):
            return str(path.relative_to(base))
    return str(path)


def stamp_matches(build_dir: Path, digest: str) -> bool:
    """True when the build's caches were made from the inputs with this digest (see inputs_digest)."""
    stamp = build_dir / STAMP
    return stamp.is_file() and stamp.read_text().strip() == digest


def refresh_cache(build_dir: Path) -> bool:
    """Clear the execution cache and the Sphinx environment when the inputs changed since the last
    build (or no build recorded them); True if cleared."""
    build_dir.mkdir(parents=True, exist_ok=True)
    stamp = build_dir / STAMP
    current = inputs_digest()
    if stamp_matches(build_dir, current):
        return False
    for name in (CACHE, SPHINX_ENV):
        shutil.rmtree(build_dir / name, ignore_errors=True)
    stamp.write_text(current + "\n")
    return True
