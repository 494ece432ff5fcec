"""A notebook that fails stops the book: `make book` exits non-zero, names the notebook and the cell, and
leaves nothing to publish, neither the notebook's committed outputs (computed from another dataset) nor
an older site. The same holds when jupyter-book itself executes the notebook (the book's _config.yml).

In a scratch copy of the project whose table of contents holds one page: a notebook whose second cell
raises and whose committed output is a stale number.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from project_root import ROOT, scratch_make_venv

# Marked `book` but not `scratch` although it reads nothing of the main build: make test then runs it in
# the line of the book tests, which has room beside the unit and scratch tests, the longer line.
pytestmark = [pytest.mark.book, pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")]

SKIP = {".venv", "_build", ".git", ".pytest_cache", ".ruff_cache", "node_modules", "bench", "tests", "a11y"}
STALE = "Forældet tal 4242"


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("failing") / "project"
    shutil.copytree(ROOT, root, ignore=lambda _d, names: [n for n in names if n in SKIP])
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    broken = nbformat.v4.new_code_cell("total = 41 + 1\nraise OverflowError('math range error')")
    broken.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"{STALE}\n")]
    nb.cells = [nbformat.v4.new_markdown_cell("# Side med fejl"), broken]
    nbformat.write(nb, root / "notebooks" / "fejl.ipynb")
    (root / "_toc.yml").write_text("format: jb-book\nroot: notebooks/fejl\n", encoding="utf-8")
    return root


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    env["MUNICIPAL_SURVEY_ROOT"] = str(cwd)  # the package reads the scratch copy's book, not the project's
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def published(html: Path) -> list[str]:
    return sorted(str(p.relative_to(html)) for p in html.rglob("*") if p.is_file()) if html.exists() else []


def test_make_book_stops_at_the_failing_cell_and_publishes_nothing(scratch):
    venv = Path(sys.executable).parent.parent
    html = scratch / "_build" / "html"
    html.mkdir(parents=True)
    (html / "index.html").write_text(f"<p>{STALE}: a site of another dataset</p>", encoding="utf-8")
    done = run(["make", "--no-print-directory", "book", "RESPONSES=", "BOOK_PDF=0", *scratch_make_venv(venv)],
               scratch)
    output = done.stdout + done.stderr
    assert done.returncode != 0, output[-3000:]
    assert "notebooks/fejl.ipynb failed in cell 2: total = 41 + 1" in output
    assert "OverflowError: math range error" in output
    assert published(html) == []  # no page, no error log, no older site


def test_jupyter_book_itself_fails_on_the_cell_and_writes_no_page(scratch):
    done = run([str(Path(sys.executable).with_name("jupyter-book")), "build", ".", "--builder", "html", "-q",
                "--path-output", str(scratch / "direct")], scratch)
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert "fejl.ipynb" in output and "OverflowError" in output
    pages = published(scratch / "direct" / "_build" / "html")
    assert not any(p.endswith(".html") or p.endswith(".err.log") for p in pages), pages
