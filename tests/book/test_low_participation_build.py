"""The pages that show figures for groups of municipalities, built with `make book RESPONSES=... MAPPING=...`
on an export where participation is low and concentrated: 25 more municipalities absent, 12 of them in
Region Sjælland, which keeps 4 of its 17 (tests/support/survey_exports.py). The book must build, with every
chapter ("kan ikke beregnes" where a model cannot be fitted), and the attack must find nothing.

A second build of the whole book on imported data would cost a minute of CI; this one builds only the
pages that show figures for groups or summaries of the participants (the data page and chapter 3; the
template for new analyses shows a breakdown the same way as chapter 3) in a scratch copy of the project,
through the same make book path. The other low-participation build is the
imported-export test (tests/book/test_make_book_real_data.py), which rebuilds the whole book.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from project_root import ROOT, scratch_make_venv
from survey_exports import low_participation_export

from municipal_survey.build import disclosure_attack

# Marked `book` but not `scratch` although it reads nothing of the main build: make test then runs it in
# the line of the book tests, which has room beside the unit and scratch tests, the longer line.
pytestmark = [pytest.mark.book, pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")]

SKIP = {".venv", "_build", ".git", ".pytest_cache", ".ruff_cache", "node_modules", "bench", "tests", "a11y"}
GROUP_PAGE = "notebooks/03_variation"


def test_a_book_on_low_and_concentrated_participation_builds_and_gives_nothing_away(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, ignore=lambda _d, names: [n for n in names if n in SKIP])
    (project / "_toc.yml").write_text(f"format: jb-book\nroot: {GROUP_PAGE}\n", encoding="utf-8")
    export, mapping = low_participation_export(tmp_path / "export", "sjaelland")
    imported = tmp_path / "imported" / "responses.csv"
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}
    env["MUNICIPAL_SURVEY_ROOT"] = str(project)
    venv = Path(sys.executable).parent.parent
    done = subprocess.run(["make", "--no-print-directory", "book", f"RESPONSES={export}", f"MAPPING={mapping}",
                           f"IMPORTED={imported}", "BOOK_PDF=0", *scratch_make_venv(venv)],
                          cwd=project, env=env, capture_output=True, text=True, timeout=900)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]
    html = project / "_build" / "html"
    page = (html / f"{GROUP_PAGE}.html").read_text(encoding="utf-8")
    assert "Traceback" not in page and "Region Sjælland" in page
    report = disclosure_attack.attack(html, disclosure_attack.load_reader(imported), pdf=False)
    assert report.findings == [], "\n".join(map(str, report.findings[:40]))
