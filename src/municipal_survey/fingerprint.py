"""Never serve stale numbers: jupyter-cache keys on code cells only, so the build's execution cache
is cleared whenever the data, the package code or the chosen dataset change."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from . import paths
from .survey import active_responses_path

STAMP = ".inputs.sha256"
CACHE = ".jupyter_cache"


def inputs_digest(responses: Path | None = None) -> str:
    """One digest over package code, the data folder and the active responses file."""
    responses = responses or active_responses_path()
    digest = hashlib.sha256()
    files = sorted(paths.PACKAGE_DIR.rglob("*.py")) + sorted(
        p for p in paths.DATA_DIR.rglob("*") if p.is_file() and "imported" not in p.parts)
    for path in files + [responses]:
        digest.update(str(path.relative_to(paths.PROJECT_ROOT) if path.is_relative_to(paths.PROJECT_ROOT)
                          else path).encode())
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
    return digest.hexdigest()


def refresh_cache(build_dir: Path) -> bool:
    """Clear the execution cache when the inputs changed since the last build; True if cleared."""
    build_dir.mkdir(parents=True, exist_ok=True)
    stamp = build_dir / STAMP
    current = inputs_digest()
    if stamp.exists() and stamp.read_text().strip() == current:
        return False
    shutil.rmtree(build_dir / CACHE, ignore_errors=True)
    stamp.write_text(current + "\n")
    return True
