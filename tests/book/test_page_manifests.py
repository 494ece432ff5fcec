"""The book's pages and their glue manifests (notebooks/_glue/<page>.yml): every page has its manifest,
every glue name the text uses is in one, each glued text carries its provenance, every page calls the
sections the registry lists; and the one execution of `make test` (`make build-check`, PYTHONHASHSEED=2)
gives exactly the committed manifests, which `make execute` wrote in another process with another hash
seed: so no number depends on set or dict order, time or leftovers of an earlier run. That test reads the
build's execution cache; without a current one it skips, unless BOOK_REQUIRE_BUILD=1 (`make test`).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from project_root import ROOT

from municipal_survey.build import pages
from municipal_survey.build.parallel_execution import toc_notebooks

BUILD_DIR = Path(os.environ.get("BOOK_BUILD_DIR") or ROOT / "_build")


REQUIRED = os.environ.get("BOOK_REQUIRE_BUILD") == "1"


def manifests() -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
            for p in (ROOT / "notebooks" / pages.MANIFEST_DIR).glob("*.yml")}


def test_every_page_has_a_manifest_and_every_manifest_a_page():
    stems = {p.stem for p in pages.page_paths(ROOT)}
    assert stems, "no MyST Markdown pages in notebooks/"
    assert set(manifests()) == stems, (
        f"pages without a manifest: {sorted(stems - set(manifests()))} (run `make execute "
        f"NB=notebooks/<page>.md` and commit notebooks/_glue/); manifests without a page: "
        f"{sorted(set(manifests()) - stems)} (delete them)")
    assert {p.stem for p in toc_notebooks(ROOT)} <= stems


def test_every_glue_name_in_the_text_is_in_the_manifest_of_its_page():
    known = manifests()
    missing = []
    for page in pages.page_paths(ROOT):
        for doc, name in pages.glue_uses(page.read_text(encoding="utf-8")):
            source = Path(doc).stem if doc else page.stem
            if name not in known.get(source, {}).get("glue", {}):
                missing.append(f"notebooks/{page.name}: {name} (not in notebooks/_glue/{source}.yml)")
    for text_page in sorted((ROOT / "book").rglob("*.md")):  # text pages glue only from notebooks (path::name)
        for doc, name in pages.glue_uses(text_page.read_text(encoding="utf-8")):
            if doc and name not in known.get(Path(doc).stem, {}).get("glue", {}):
                missing.append(f"{text_page.relative_to(ROOT)}: {doc}::{name}")
    assert not missing, ("glue names the text uses that no execution glues (a typo, or a page executed "
                         "before the name was added: run `make execute`):\n" + "\n".join(missing))


def test_every_manifest_records_a_glued_text_with_its_provenance():
    for stem, content in manifests().items():
        texts = [e for e in content["glue"].values() if "text" in e]
        assert texts or content["outputs"], f"{stem}: no glued values and no outputs"
        for name, entry in content["glue"].items():
            assert ("text" in entry) != ("shown" in entry), f"{stem}: {name}"
            assert entry.get("provenance") in (None, "published", "derived", "assumed", "data"), f"{stem}: {name}"


def test_every_page_calls_exactly_the_sections_the_registry_lists(shipped_book):
    from municipal_survey.report import registry

    listed = registry.page_sections(shipped_book.survey)
    for page in pages.page_paths(ROOT):
        called = [str(c) for c in pages.section_calls(page)]
        expected = [str(c) for c in listed.get(page.stem, [])]
        assert called == expected, (f"notebooks/{page.name} calls {called}, but page_sections in "
                                    f"src/municipal_survey/report/registry.py lists {expected}: make them agree")


@pytest.mark.book
def test_a_fresh_execution_gives_exactly_the_committed_manifests():
    try:
        found = pages.stale_manifests(BUILD_DIR, pages.page_paths(ROOT))
    except pages.PageError as err:
        if REQUIRED:
            pytest.fail(str(err))
        pytest.skip(str(err))
    assert not found, ("the committed glue manifests differ from this execution; run `make execute`, "
                       "review the diff of notebooks/_glue/ and commit it:\n" + "\n".join(found[:40]))
