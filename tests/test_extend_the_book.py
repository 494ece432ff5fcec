"""The steps of "Udvid bogen", followed in a scratch copy of the project: copy the template, add it to
_toc.yml, execute it with `make execute NB=...`, pass the notebook rules, build the book without warnings.

Slow (a whole book build, only the new notebook executed): marked `book`.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from municipal_survey.build.notebook_rules import check_notebook, orphan_pages, toc_files

pytestmark = [pytest.mark.book, pytest.mark.scratch]

ROOT = Path(__file__).resolve().parents[1]
NEW = "min_analyse"
SKIP = {".venv", "_build", ".git", ".pytest_cache", ".ruff_cache", "node_modules", "bench"}


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    root = tmp_path_factory.mktemp("extend") / "project"
    shutil.copytree(ROOT, root, ignore=lambda _d, names: [n for n in names if n in SKIP])
    return root


def test_a_newcomer_gets_from_the_template_to_a_page(scratch):
    # Step 1: copy the template.
    shutil.copy(scratch / "notebooks" / "skabelon_ny_analyse.ipynb", scratch / "notebooks" / f"{NEW}.ipynb")
    # Before step 8 the rules report the missing table-of-contents entry, with the fix.
    toc_path = scratch / "_toc.yml"
    [missing] = check_notebook(scratch / "notebooks" / f"{NEW}.ipynb", toc_files(toc_path))
    assert missing.rule == "toc" and f"notebooks/{NEW}" in missing.fix
    # Step 8: add it to _toc.yml, in the analysts' part.
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    part = next(p for p in toc["parts"] if any(c["file"] == "book/udvid_bogen" for c in p["chapters"]))
    part["chapters"].append({"file": f"notebooks/{NEW}"})
    toc_path.write_text(yaml.safe_dump(toc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    # Step 9: make execute NB=notebooks/<new>.ipynb (the Makefile target, with this interpreter's venv).
    venv = Path(sys.executable).parent.parent
    env = {**os.environ, "MUNICIPAL_SURVEY_ROOT": str(scratch), "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    subprocess.run(["make", "-s", "execute", f"NB=notebooks/{NEW}.ipynb", f"VENV={venv}"], cwd=scratch,
                   env=env, check=True, capture_output=True, text=True)
    assert check_notebook(scratch / "notebooks" / f"{NEW}.ipynb", toc_files(toc_path)) == []
    # Step 10: the book builds without warnings; only the new notebook is executed here.
    config_path = scratch / "_config.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["execute"]["execute_notebooks"] = "force"
    config["execute"]["exclude_patterns"] = [p.name for p in (scratch / "notebooks").glob("*.ipynb")
                                             if p.stem != NEW]
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    build = subprocess.run([str(venv / "bin" / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going",
                            "--builder", "html", "-q"], cwd=scratch, env=env, capture_output=True, text=True)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    page = scratch / "_build" / "html" / "notebooks" / f"{NEW}.html"
    html = page.read_text(encoding="utf-8")
    assert "Udfordringer med en tidlig og forebyggende indsats (som rapportens figur 15" in html  # caption
    assert 'alt="Vandrette, delte søjler for tidlig og forebyggende indsats' in html and "<table" in html
    assert orphan_pages(scratch / "_build" / "html", toc_files(toc_path)) == []
