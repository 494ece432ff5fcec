"""The book's search (Sphinx's searchindex.js) finds the chapters, not the pages for analysts."""
from __future__ import annotations

import json
import re

import pytest
from test_accessibility import HTML_DIR, REQUIRED, _stale_reason

ANALYST_PAGES = {"book/data", "notebooks/00_dataforberedelse", "book/udvid_bogen",
                 "notebooks/skabelon_ny_analyse", "book/arkitektur"}
CHAPTERS = {"notebooks/sammenfatning", "notebooks/01_organisering", "notebooks/02_maalgrupper",
            "notebooks/03_variation", "notebooks/04_aktuelle_temaer"}


@pytest.fixture(scope="module")
def index() -> dict:
    reason = _stale_reason()
    if reason and not REQUIRED:
        pytest.skip(reason)
    text = (HTML_DIR / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(re.fullmatch(r"Search\.setIndex\((.*)\)\s*", text, re.S).group(1))


def pages_with(index: dict, stem: str) -> set[str]:
    """The pages whose text holds a word with this (Danish-stemmed) form."""
    found = index["terms"].get(stem, [])
    return {index["docnames"][number] for number in ([found] if isinstance(found, int) else found)}


@pytest.mark.book
def test_pages_for_analysts_are_not_searched(index):
    assert ANALYST_PAGES.isdisjoint(index["docnames"])
    assert CHAPTERS <= set(index["docnames"])


@pytest.mark.book
def test_everyday_words_find_the_chapters(index):
    # "små kommuner": both words, stemmed as Sphinx's Danish stemmer does, lead to the chapters only
    for stem in ("små", "kommun"):
        pages = pages_with(index, stem)
        assert CHAPTERS & pages and not ANALYST_PAGES & pages, (stem, sorted(pages))
