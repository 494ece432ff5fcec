"""Pages are MyST Markdown text, and the glue manifests beside them are what their execution gives.

The unit tests convert a planted notebook, read a planted execution, and check the committed pages
against their committed manifests (every glue name the text uses is in a manifest). The book test
proves that the one execution of `make test` (`make build-check`, PYTHONHASHSEED=2) gives exactly the
committed manifests, which `make execute` wrote in another process with another hash seed: so no
number depends on set or dict order, time or leftovers of an earlier run. It reads the build's
execution cache; without a current one it skips, unless BOOK_REQUIRE_BUILD=1 (`make test`).
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from project_root import ROOT

from municipal_survey.build import pages
from municipal_survey.build.parallel_execution import toc_notebooks

BUILD_DIR = Path(os.environ.get("BOOK_BUILD_DIR") or ROOT / "_build")
REQUIRED = os.environ.get("BOOK_REQUIRE_BUILD") == "1"
GLUE = "application/papermill.record/text/plain"
ALT = "Søjler for fire svar."


def planted_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"},
                                            "language_info": {"name": "python", "version": "3.11.7"}})
    nb.cells = [
        nbformat.v4.new_markdown_cell("# En side\n\nKommunerne oplever udfordringer {glue:text}`andel`.\n"
                                      "Anden linje af afsnittet.\n\nTredje afsnit."),
        nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["remove-input"]}, execution_count=3,
                                  outputs=[nbformat.v4.new_output("stream", name="stdout", text="1\n")]),
        nbformat.v4.new_code_cell("plot()", metadata={"mystnb": {"image": {"alt": ALT}}}),
    ]
    return nb


def test_a_converted_page_reads_back_as_the_same_cells_without_outputs():
    text = pages.to_markdown(planted_notebook())
    back = pages.read_myst_markdown_notebook_text(text)
    assert [c.cell_type for c in back.cells] == ["markdown", "code", "code"]
    assert back.cells[0].source.startswith("# En side") and back.cells[1].source == "x = 1"
    assert back.cells[1].metadata == {"tags": ["remove-input"]}
    assert back.cells[2].metadata["mystnb"]["image"]["alt"] == ALT
    assert "outputs" not in text and "language_info" not in text and "3.11.7" not in text
    assert "Anden linje af afsnittet." in text.splitlines()  # prose stays lines of text


def test_a_one_word_prose_edit_is_a_one_line_diff():
    before = planted_notebook()
    after = planted_notebook()
    after.cells[0].source = after.cells[0].source.replace("Anden", "Næste")
    old, new = pages.to_markdown(before).splitlines(), pages.to_markdown(after).splitlines()
    assert len(old) == len(new)
    changed = [(a, b) for a, b in zip(old, new) if a != b]
    assert changed == [("Anden linje af afsnittet.", "Næste linje af afsnittet.")]


def test_convert_replaces_the_notebook_and_points_the_text_pages_at_the_page(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "book").mkdir()
    notebook = tmp_path / "notebooks" / "50_ny.ipynb"
    nbformat.write(planted_notebook(), notebook)
    (tmp_path / "book" / "forside.md").write_text("{glue:text}`../notebooks/50_ny.ipynb::andel:s` og "
                                                  "`notebooks/<navn>.ipynb`\n", encoding="utf-8")
    [page] = pages.convert([notebook], root=tmp_path)
    assert page == tmp_path / "notebooks" / "50_ny.md" and not notebook.exists() and pages.is_page(page)
    assert (tmp_path / "book" / "forside.md").read_text(encoding="utf-8") == \
        "{glue:text}`../notebooks/50_ny.md::andel:s` og `notebooks/<navn>.md`\n"


def executed_notebook() -> nbformat.NotebookNode:
    nb = planted_notebook()
    glue = nbformat.v4.new_output("display_data", data={GLUE: "'46 pct.'"},
                                  metadata={"scrapbook": {"name": "andel", "provenance": "published",
                                                          "mime_prefix": "application/papermill.record/"}})
    figure = nbformat.v4.new_output("display_data", data={"image/svg+xml": "<svg id='0x7f12ab'/>",
                                                          "text/plain": "<Figure>"})
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="at 0x7f00aa\n"), glue]
    nb.cells[1].source = 'from x import y\n\nglue_text("andel", y(\n    1))\nshow_all(\n    "x")\n'

    nb.cells[2].outputs = [figure]
    return nb


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def test_the_manifest_names_each_glued_text_and_digests_every_other_output():
    found = pages.manifest(executed_notebook(), ROOT)
    printed = sha("at 0xADDRESS\n")  # memory addresses sanitised as nbval does
    svg = sha("<svg id='0xADDRESS'/>")
    assert found == {
        "glue": {"andel": {"cell": 1, "code": 'glue_text("andel", y(', "text": "46 pct.",
                           "provenance": "published"}},
        "outputs": [{"cell": 1, "code": "show_all(", "shown": [f"text {printed}"]},
                    {"cell": 2, "code": "plot()", "shown": [f"image/svg+xml {svg}"]}],
    }


def test_the_manifest_refuses_a_name_glued_twice_and_an_error_output():
    nb = executed_notebook()
    nb.cells[2].outputs.append(nb.cells[1].outputs[1])
    with pytest.raises(pages.PageError, match="'andel' is glued twice"):
        pages.manifest(nb, ROOT)
    nb = executed_notebook()
    nb.cells[2].outputs = [nbformat.v4.new_output("error", ename="ValueError", evalue="x", traceback=[])]
    with pytest.raises(pages.PageError, match=r"code cell 2 \(plot\(\)\) raised ValueError"):
        pages.manifest(nb, ROOT)


def test_the_code_of_a_page_is_written_out_for_the_linter(tmp_path):
    page = tmp_path / "50_ny.md"
    page.write_text(pages.to_markdown(planted_notebook()), encoding="utf-8")
    [script] = pages.write_code([page], tmp_path / "code")
    assert script.read_text(encoding="utf-8") == ("# The code cells of " + tmp_path.name + "/50_ny.md, in order.\n"
                                                  "# %%\nx = 1\n\n# %%\nplot()\n")


def test_glue_uses_finds_roles_references_and_figures():
    text = ("{glue:text}`k1_top3` og {glue}`n:.1f` og {glue:text}`../notebooks/sammenfatning.md::sam_n:s`\n"
            "```{glue:figure} k1_fig_figur1\n:alt: x\n```\n:::{glue:figure} k2_fig\n:::\n")
    assert sorted(pages.glue_uses(text)) == sorted([
        ("", "k1_top3"), ("", "n"), ("../notebooks/sammenfatning.md", "sam_n"), ("", "k1_fig_figur1"),
        ("", "k2_fig")])


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


def test_every_page_calls_exactly_the_sections_the_registry_lists():
    from municipal_survey.data.survey import load_survey
    from municipal_survey.report import registry

    listed = registry.page_sections(load_survey())
    for page in pages.page_paths(ROOT):
        called = [str(c) for c in pages.section_calls(page)]
        expected = [str(c) for c in listed.get(page.stem, [])]
        assert called == expected, (f"notebooks/{page.name} calls {called}, but page_sections in "
                                    f"src/municipal_survey/report/registry.py lists {expected}: make them agree")


def test_section_calls_reads_helpers_arguments_and_options_in_page_order(tmp_path):
    nb = planted_notebook()
    nb.cells[1].source = 'sections.area(book, "tidlig", forms=2).glue()\nsections.ch1_overview(book).glue()'
    nb.cells[2].source = "x = sections.setup()\nsections.theme(book, 'etnisk')"
    page = tmp_path / "p.md"
    page.write_text(pages.to_markdown(nb), encoding="utf-8")
    assert [str(c) for c in pages.section_calls(page)] == [
        'sections.area(book, "tidlig", forms=2)', "sections.ch1_overview(book)", 'sections.theme(book, "etnisk")']


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


def test_a_prose_edit_needs_no_new_build_and_a_code_edit_names_the_command_that_helps(tmp_path):
    """The check is by content: the execution in the cache that matches the page's code, on the current
    inputs. So an edited, newer page is no reason for `make clean`; a page whose code changed since the
    build says to run `make build-check`, which executes exactly the pages that changed."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    from municipal_survey.build import fingerprint
    from municipal_survey.data import paths

    page = tmp_path / "notebooks" / "50_ny.md"
    page.parent.mkdir()
    page.write_text(pages.to_markdown(planted_notebook()), encoding="utf-8")
    build = tmp_path / "_build"
    run = pages.read_page(page)
    run.cells[1].outputs = executed_notebook().cells[1].outputs
    cache = get_cache(str(build / fingerprint.CACHE))
    cache.cache_notebook_bundle(CacheBundleIn(run, str(page)), check_validity=False, overwrite=True)
    (build / fingerprint.STAMP).write_text(fingerprint.inputs_digest(paths.SYNTHETIC_RESPONSES) + "\n")
    pages.write_manifests(build, [page])
    assert pages.committed_glue(page)["andel"]["text"] == "46 pct."
    page.write_text(page.read_text(encoding="utf-8").replace("Anden linje", "Næste linje"), encoding="utf-8")
    assert pages.stale_manifests(build, [page]) == []  # a prose edit: the same execution still holds
    page.write_text(page.read_text(encoding="utf-8").replace("x = 1", "x = 2"), encoding="utf-8")
    with pytest.raises(pages.PageError, match=r"notebooks/50_ny.md has no execution of its current code .*"
                                              r"run `make build-check`: it executes what changed"):
        pages.stale_manifests(build, [page])


def test_the_pages_command_names_a_missing_execution(tmp_path):
    result = subprocess.run([sys.executable, "-m", "municipal_survey.build.pages", "check", "--build-dir",
                             str(tmp_path)], capture_output=True, text=True, env={**os.environ,
                                                                               "MUNICIPAL_SURVEY_RESPONSES": ""})
    assert result.returncode == 2
    assert "run `make build-check`: it executes what changed" in result.stderr
