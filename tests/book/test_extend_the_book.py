"""The steps of "Udvid bogen", followed in a scratch copy of the project: copy the template, add it to
_toc.yml, execute it with `make execute NB=...` (which writes its glue manifest), pass the notebook
rules, build the book without warnings; and no existing test needs an edit for the new page.

The existing pages are not executed again: the copy starts from the execution cache of the book's own
synthetic build ($BOOK_BUILD_DIR, default _build, made by `make build-check` in `make test`), as an
analyst's clone does after an earlier `make book`; jupyter-cache keys on the code cells, so only what
the newcomer changes is executed. Without a current synthetic build the test skips, unless
BOOK_REQUIRE_BUILD=1 (`make test`), which makes that a failure. A whole book build: marked `book`.
"""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from project_root import ROOT, scratch_make_venv

from municipal_survey.build import fingerprint, pages
from municipal_survey.build.notebook_rules import check_notebook, orphan_pages, toc_files
from municipal_survey.data import paths

pytestmark = pytest.mark.book

NEW = "min_analyse"
SKIP = {".venv", "_build", ".git", ".pytest_cache", ".ruff_cache", "node_modules", "bench"}
SYNTHETIC_BUILD = Path(os.environ.get("BOOK_BUILD_DIR") or ROOT / "_build")
REQUIRED = os.environ.get("BOOK_REQUIRE_BUILD") == "1"


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    """A copy of the project whose execution cache (make execute's) is the synthetic build's."""
    if not fingerprint.stamp_matches(SYNTHETIC_BUILD, fingerprint.inputs_digest(paths.SYNTHETIC_RESPONSES)):
        message = f"no synthetic build of the current inputs in {SYNTHETIC_BUILD} (make build-check)"
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    root = tmp_path_factory.mktemp("extend") / "project"
    shutil.copytree(ROOT, root, ignore=lambda _d, names: [n for n in names if n in SKIP])
    executions = root / "_build" / "execute" / "_build"
    shutil.copytree(SYNTHETIC_BUILD / fingerprint.CACHE, executions / fingerprint.CACHE)
    shutil.copy(SYNTHETIC_BUILD / fingerprint.STAMP, executions / fingerprint.STAMP)
    return root


def test_a_newcomer_gets_from_the_template_to_a_page(scratch):
    # Step 1: copy the template.
    page = scratch / "notebooks" / f"{NEW}.md"
    shutil.copy(scratch / "notebooks" / "skabelon_ny_analyse.md", page)
    # Before step 9 the rules report the missing table-of-contents entry, with the fix.
    toc_path = scratch / "_toc.yml"
    [missing] = check_notebook(page, toc_files(toc_path))
    assert missing.rule == "toc" and f"notebooks/{NEW}" in missing.fix
    # Step 9: add it to _toc.yml, in the analysts' part.
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    part = next(p for p in toc["parts"] if any(c["file"] == "book/udvid_bogen" for c in p["chapters"]))
    part["chapters"].append({"file": f"notebooks/{NEW}"})
    toc_path.write_text(yaml.safe_dump(toc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    # Step 10: make execute NB=notebooks/<new>.md (the Makefile target, with this interpreter's venv).
    venv = Path(sys.executable).parent.parent
    env = {**os.environ, "MUNICIPAL_SURVEY_ROOT": str(scratch), "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    done = subprocess.run(["make", "-s", "execute", f"NB=notebooks/{NEW}.md", *scratch_make_venv(venv)],
                          cwd=scratch, env=env, check=True, capture_output=True, text=True)
    # The copy kept the cache (same inputs), and the new page, still the template's code, is found in it.
    assert "inputs unchanged: cache kept" in done.stdout, done.stdout
    assert re.search(r"execute-cache: 0 of \d+ notebooks executed", done.stdout), done.stdout
    executions = scratch / "_build" / "execute" / "_build"
    assert check_notebook(page, toc_files(toc_path), executions) == []
    glued = pages.committed_glue(page)  # its manifest, written by make execute
    assert glued["skabelon_andel"]["text"].endswith("pct.")
    assert glued["skabelon_andel"]["code"] == "example_section.section(book).glue()"  # the code that glued it
    # Step 11: the book builds without warnings, from that execution (jupyter-book finds it in the cache).
    build = subprocess.run([str(venv / "bin" / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going",
                            "--builder", "html", "-q", "--path-output", str(executions.parent)],
                           cwd=scratch, env=env, capture_output=True, text=True)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    html = (executions / "html" / "notebooks" / f"{NEW}.html").read_text(encoding="utf-8")
    assert "Udfordringer med en tidlig og forebyggende indsats (som rapportens figur 15" in html  # caption
    assert 'alt="Vandrette, delte søjler for tidlig og forebyggende indsats' in html and "<table" in html
    assert orphan_pages(executions / "html", toc_files(toc_path)) == []
    # No existing test needs an edit: the tests that read every page pass in the scratch copy.
    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                            "tests/book/test_page_manifests.py", "tests/book/test_page_rules.py"],
                           cwd=scratch, env={**env, "BOOK_BUILD_DIR": str(executions), "BOOK_REQUIRE_BUILD": "1"},
                           capture_output=True, text=True)
    assert tests.returncode == 0, tests.stdout[-3000:]
