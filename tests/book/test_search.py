"""The book's search (Sphinx's searchindex.js) finds the chapters, not the pages for analysts."""
from __future__ import annotations

import json
import re

import pytest
from built_site import HTML_DIR, REQUIRED, stale_reason

ANALYST_PAGES = {"book/data", "notebooks/00_dataforberedelse", "book/udvid_bogen",
                 "notebooks/skabelon_ny_analyse", "book/arkitektur"}
CHAPTERS = {"notebooks/sammenfatning", "notebooks/01_organisering", "notebooks/02_maalgrupper",
            "notebooks/03_variation", "notebooks/04_aktuelle_temaer"}


@pytest.fixture(scope="module")
def index() -> dict:
    reason = stale_reason()
    if reason and not REQUIRED:
        pytest.skip(reason)
    text = (HTML_DIR / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(re.fullmatch(r"Search\.setIndex\((.*)\)\s*", text, re.S).group(1))


def pages_with(index: dict, stem: str) -> set[str]:
    """The pages whose text holds a word with this (Danish-stemmed) form."""
    found = index["terms"].get(stem, [])
    return {index["docnames"][number] for number in ([found] if isinstance(found, int) else found)}


def searched_pages(index: dict) -> set[str]:
    """The pages with a title or a word in the index (Sphinx keeps a `nosearch` page with neither)."""
    numbers = set()
    for found in [*index["terms"].values(), *index["titleterms"].values()]:
        numbers.update([found] if isinstance(found, int) else found)
    return {index["docnames"][number] for number in numbers}


@pytest.mark.book
def test_pages_for_analysts_are_not_searched(index):
    searched = searched_pages(index)
    assert not ANALYST_PAGES & searched, sorted(ANALYST_PAGES & searched)
    assert CHAPTERS <= searched


@pytest.mark.book
def test_everyday_words_find_the_chapters_not_the_pages_for_analysts(index):
    # "små kommuner", stemmed as Sphinx's Danish stemmer does
    assert CHAPTERS & pages_with(index, "kommun")
    for stem in ("små", "kommun"):
        assert pages_with(index, stem) and not ANALYST_PAGES & pages_with(index, stem), stem
