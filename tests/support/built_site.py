"""The built site that the book tests read: $A11Y_HTML_DIR, default _build/html.

Those tests skip when there is no build, or when the build is older than the book's sources, unless
A11Y_REQUIRE_BUILD=1 (set by `make a11y` and `make book-tests`, which run right after the warning-free
build): then a missing build is a failure.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from project_root import ROOT

HTML_DIR = Path(os.environ.get("A11Y_HTML_DIR") or ROOT / "_build" / "html")
REQUIRED = os.environ.get("A11Y_REQUIRE_BUILD") == "1"
SOURCES = ["notebooks/*.md", "book/**/*.md", "book/_static/*", "_config.yml", "_toc.yml"]


def built_pages() -> list[Path]:
    """Every page of the built site (hidden folders, sources and static files are not pages)."""
    pages = []
    for path in sorted(HTML_DIR.rglob("*.html")):
        parts = path.relative_to(HTML_DIR).parts
        if any(p.startswith(".") or p in {"_sources", "_static", "_images"} for p in parts[:-1]):
            continue
        pages.append(path)
    return pages


def stale_reason() -> str | None:
    """Why the built site cannot be read as the book's (missing, or older than a source), else None."""
    if not (HTML_DIR / "index.html").exists():
        return f"no built book at {HTML_DIR} (run `make book`; `make a11y` runs these checks after the build)"
    built = max(p.stat().st_mtime for p in HTML_DIR.rglob("*") if p.is_file())
    newer = [p for pattern in SOURCES for p in ROOT.glob(pattern) if p.is_file() and p.stat().st_mtime > built]
    if newer:
        return (f"the built book is older than {newer[0].relative_to(ROOT)} (and {len(newer) - 1} more): "
                "rebuild first (`make a11y` builds, then checks)")
    return None


def current_pages() -> list[Path]:
    """built_pages() of a current build; skips without one, unless a build is required: then a missing
    build fails (a build older than a source is read, as make's own fresh build may be)."""
    reason = stale_reason()
    if reason and not REQUIRED:
        pytest.skip(reason)
    if not (HTML_DIR / "index.html").exists():
        pytest.fail(reason)
    return built_pages()
