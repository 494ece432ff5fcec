"""Pages are MyST Markdown text, and the glue manifests beside them are what their execution gives
(build.pages): a planted notebook converted and read back, a planted execution's manifest, the code
written out for the linter, the glue names and section calls read from a page, and a stale manifest
told from a prose edit. The book's own pages and manifests are tests/book/test_page_manifests.py.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import nbformat
import pytest
from project_root import ROOT

from municipal_survey.build import pages

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


def test_section_calls_reads_helpers_arguments_and_options_in_page_order(tmp_path):
    nb = planted_notebook()
    nb.cells[1].source = 'sections.area(book, "tidlig", forms=2).glue()\nsections.ch1_overview(book).glue()'
    nb.cells[2].source = "x = sections.setup()\nsections.theme(book, 'etnisk')"
    page = tmp_path / "p.md"
    page.write_text(pages.to_markdown(nb), encoding="utf-8")
    assert [str(c) for c in pages.section_calls(page)] == [
        'sections.area(book, "tidlig", forms=2)', "sections.ch1_overview(book)", 'sections.theme(book, "etnisk")']


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
