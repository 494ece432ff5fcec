"""Every page of the book follows the rules of "Udvid bogen" (build.notebook_rules): its prose, the
figures of its execution in the build's cache, and no built page outside the table of contents."""
import os
from pathlib import Path

import pytest
from project_root import ROOT

from municipal_survey.build.notebook_rules import check_project, orphan_pages, toc_files
from municipal_survey.build.pages import PageError

BUILD_DIR = Path(os.environ.get("BOOK_BUILD_DIR") or ROOT / "_build")


# Today's violations in notebooks other engineers own. Each entry is (notebook, rule) -> why it is
# still here; delete the entry when the notebook is fixed (the test below then insists it stays fixed).
KNOWN_VIOLATIONS: dict[tuple[str, str], str] = {}


def test_every_page_follows_the_prose_rules():
    found = check_project(ROOT)
    new = [str(v) for v in found if (v.notebook, v.rule) not in KNOWN_VIOLATIONS]
    assert not new, "\n".join(new)
    fixed = set(KNOWN_VIOLATIONS) - {(v.notebook, v.rule) for v in found}
    assert not fixed, f"fixed now, delete from KNOWN_VIOLATIONS: {sorted(fixed)}"


@pytest.mark.book
def test_every_page_follows_the_figure_rules_in_its_execution():
    """The figure rules read outputs: those of each page's execution in the build's cache."""
    try:
        found = check_project(ROOT, BUILD_DIR)
    except PageError as err:
        if os.environ.get("BOOK_REQUIRE_BUILD") == "1":
            pytest.fail(str(err))
        pytest.skip(str(err))
    assert not found, "\n".join(map(str, found))


@pytest.mark.book
def test_the_built_site_has_no_page_outside_the_toc():
    html = BUILD_DIR / "html"
    if not html.is_dir():
        if os.environ.get("BOOK_REQUIRE_BUILD") == "1":
            pytest.fail(f"no built book in {html}")
        pytest.skip(f"no built book in {html}: run `make book`")
    stale = orphan_pages(html, toc_files(ROOT / "_toc.yml"))
    assert not stale, f"pages of notebooks no longer in _toc.yml: {stale}; run `make clean book`"
