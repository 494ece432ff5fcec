"""The rules of "Udvid bogen" are enforced (build.notebook_rules): each mistake planted in a scratch
notebook is reported with the notebook, the cell and the fix. That the book's pages follow them is
tests/book/test_page_rules.py."""
import copy
import json

import pytest

from municipal_survey.build.notebook_rules import (
    check_notebook,
    orphan_pages,
    typed_numbers,
)

PNG = "iVBORw0KGgo="  # any image payload: the rules read the metadata, not the picture
TABLE = "<table><caption>Tabel</caption><tr><th>A</th></tr></table>"

GOOD = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": [
            "# 1.2 En ny analyse\n",
            "\n",
            "{glue:text}`andel` af kommunerne oplever udfordringer (figur 3, afsnit 1.2, boks 1), målt\n",
            "pr. 1. januar 2020 blandt landets 98 kommuner.\n",
            "\n",
            "> 46 pct. af kommunerne angiver ... (rapporten, afsnit 1.1)\n",
            "\n",
            "1. Første trin uden tal.\n"]},
        {"cell_type": "code", "execution_count": 1, "metadata": {"tags": ["remove-input"]},
         "source": ["x = 1"], "outputs": []},
        {"cell_type": "code", "execution_count": 2,
         "metadata": {"mystnb": {"image": {"alt": "Søjler for fire svar."},
                                 "figure": {"caption": "Udfordringer samlet set."}}},
         "source": ["plot()"],
         "outputs": [{"output_type": "display_data", "metadata": {}, "data": {"image/png": PNG}}]},
        {"cell_type": "code", "execution_count": 3, "metadata": {}, "source": ["show_table()"],
         "outputs": [{"output_type": "display_data", "metadata": {}, "data": {"text/html": TABLE}}]},
    ],
    "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
}


def write(tmp_path, notebook, name="50_ny.ipynb"):
    path = tmp_path / name
    path.write_text(json.dumps(notebook), encoding="utf-8")
    return path


def violations(tmp_path, notebook, toc=frozenset({"notebooks/50_ny"})):
    return check_notebook(write(tmp_path, notebook), set(toc))


def test_a_notebook_that_follows_the_rules_passes(tmp_path):
    assert violations(tmp_path, GOOD) == []


def test_a_typed_percentage_names_notebook_cell_and_fix(tmp_path):
    bad = copy.deepcopy(GOOD)
    bad["cells"][0]["source"].append("Det gælder 13 pct. af kommunerne.\n")
    [found] = violations(tmp_path, bad)
    assert found.rule == "typed-number" and found.cell == 0
    assert str(found).startswith("50_ny.ipynb, cell 0 [typed-number]: the number '13 pct.'")
    assert "glue" in found.fix


@pytest.mark.parametrize("sentence, number", [
    ("Det gælder 46 procent.", "46 procent"), ("Andelen er 12,5 %.", "12,5 %"),
    ("Hele 54 kommuner svarer ja.", "54"), ("N = 85.", "85"),
])
def test_other_typed_findings_are_caught(tmp_path, sentence, number):
    bad = copy.deepcopy(GOOD)
    bad["cells"][0]["source"].append(sentence + "\n")
    assert [v.message for v in violations(tmp_path, bad)] == [f"the number '{number}' is typed in the prose"]


def test_a_figure_without_alt_text(tmp_path):
    bad = copy.deepcopy(GOOD)
    del bad["cells"][2]["metadata"]["mystnb"]["image"]
    [found] = violations(tmp_path, bad)
    assert (found.cell, found.rule) == (2, "figure-alt")
    assert found.fix == "add `mystnb.image.alt` to the cell's metadata (what the figure shows)"


def test_a_figure_without_caption(tmp_path):
    bad = copy.deepcopy(GOOD)
    del bad["cells"][2]["metadata"]["mystnb"]["figure"]
    [found] = violations(tmp_path, bad)
    assert (found.cell, found.rule) == (2, "figure-caption")
    assert "add `mystnb.figure.caption` to the cell's metadata" in found.fix


def test_a_figure_without_its_table(tmp_path):
    bad = copy.deepcopy(GOOD)
    del bad["cells"][3]
    [found] = violations(tmp_path, bad)
    assert (found.cell, found.rule) == (2, "figure-table")
    assert "show_table" in found.fix


@pytest.mark.parametrize("wrong", [{"caption": "Tekst"}, {"mystnb": {"caption": "Tekst"}}])
def test_a_caption_at_the_wrong_level_is_reported_not_dropped(tmp_path, wrong):
    bad = copy.deepcopy(GOOD)
    metadata = bad["cells"][2]["metadata"]
    del metadata["mystnb"]["figure"]
    if "mystnb" in wrong:
        metadata["mystnb"].update(wrong["mystnb"])
    else:
        metadata.update(wrong)
    found = {v.rule: v for v in violations(tmp_path, bad)}
    assert set(found) == {"wrong-level", "figure-caption"}
    assert found["wrong-level"].fix == "move it to `mystnb.figure.caption` in the cell's metadata"
    assert "is ignored by myst-nb" in found["wrong-level"].message


def test_a_notebook_outside_the_table_of_contents(tmp_path):
    [found] = violations(tmp_path, GOOD, toc={"notebooks/01_organisering"})
    assert found.rule == "toc" and found.cell is None
    assert found.fix == "add `- file: notebooks/50_ny` to a part of _toc.yml"
    assert str(found).startswith("50_ny.ipynb [toc]")


def test_an_unexecuted_cell_says_how_to_rerun(tmp_path):
    bad = copy.deepcopy(GOOD)
    bad["cells"][1]["execution_count"] = None
    [found] = violations(tmp_path, bad)
    assert (found.cell, found.rule) == (1, "not-executed")
    assert "run `make execute NB=notebooks/50_ny.ipynb`" in found.fix


def test_a_glued_figure_needs_alt_caption_and_table(tmp_path):
    good = copy.deepcopy(GOOD)
    good["cells"][2] = {"cell_type": "code", "execution_count": 2, "metadata": {}, "source": ["glue()"],
                        "outputs": [{"output_type": "display_data",  # as myst_nb.glue stores a figure
                                     "data": {"application/papermill.record/image/png": PNG},
                                     "metadata": {"scrapbook": {"name": "fig_a",
                                                                "mime_prefix": "application/papermill.record/"}}}]}
    good["cells"].insert(3, {"cell_type": "markdown", "metadata": {}, "source": [
        "```{glue:figure} fig_a\n", ":alt: Søjler for fire svar.\n", "\n", "Udfordringer samlet set.\n", "```\n"]})
    assert violations(tmp_path, good) == []
    bad = copy.deepcopy(good)
    bad["cells"][3]["source"] = ["```{glue:figure} fig_a\n", "```\n"]
    del bad["cells"][4]
    assert {(v.cell, v.rule) for v in violations(tmp_path, bad)} == {
        (3, "figure-alt"), (3, "figure-caption"), (3, "figure-table")}


def test_a_number_that_wrapped_to_the_start_of_a_line_is_still_typed(tmp_path):
    bad = copy.deepcopy(GOOD)
    bad["cells"][0]["source"] += ["2. Andet trin, et punkt i listen.\n", "\n",
                                  "Udfordringen gælder for kommunerne i\n", "13 kommuner, og i\n",
                                  "14. grad for resten.\n"]
    found = [v.message for v in violations(tmp_path, bad)]
    assert found == ["the number '13' is typed in the prose", "the number '14' is typed in the prose"]


def test_a_count_written_as_a_word_is_typed(tmp_path):
    bad = copy.deepcopy(GOOD)
    bad["cells"][0]["source"] += ["\n", "Det gælder seks kommuner og ti procent, fire ud af de ni\n",
                                  "organisatoriske fokusområder, målt på to måder.\n"]
    found = [v.message for v in violations(tmp_path, bad)]
    assert found == ["the number 'seks' is typed in the prose", "the number 'ti' is typed in the prose",
                     "the number 'fire' is typed in the prose"]


def glued_output(name: str, kind: str, payload: str) -> dict:
    return {"output_type": "display_data", "data": {f"application/papermill.record/{kind}": payload},
            "metadata": {"scrapbook": {"name": name, "mime_prefix": "application/papermill.record/"}}}


def test_a_glued_figure_whose_own_table_was_deleted_is_reported(tmp_path):
    figure = "```{glue:figure} k9_fig_a\n:alt: Søjler for fire svar.\n\nUdfordringer samlet set.\n```\n"
    page = {"cells": [
        {"cell_type": "code", "execution_count": 1, "metadata": {}, "source": ["sections.area(book).glue()"],
         "outputs": [glued_output("k9_fig_a", "image/png", PNG), glued_output("k9_tab_a", "text/html", TABLE),
                     glued_output("k9_tab_b", "text/html", TABLE)]},
        {"cell_type": "markdown", "metadata": {}, "source": [
            figure, "\n", "```{glue} k9_tab_a\n```\n", "\n", "Teksten.\n", "\n", "```{glue} k9_tab_b\n```\n"]},
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    assert violations(tmp_path, page) == []
    deleted = copy.deepcopy(page)  # its own table deleted: an unrelated one follows the figure now
    deleted["cells"][1]["source"] = [figure, "\n", "```{glue} k9_tab_b\n```\n"]
    [found] = violations(tmp_path, deleted)
    assert (found.cell, found.rule) == (1, "figure-table")
    assert found.message == "the glued figure 'k9_fig_a' is not followed by its table 'k9_tab_a'"
    assert found.fix == "place ```{glue} k9_tab_a``` right after the figure"
    unnamed = copy.deepcopy(page)  # a figure without a table named like it: the next placement must be a table
    unnamed["cells"][0]["outputs"][1]["metadata"]["scrapbook"]["name"] = "k9_other"
    unnamed["cells"][1]["source"] = [figure, "\n", "Teksten.\n", "\n", "```{glue} k9_tab_b\n```\n"]
    [found] = violations(tmp_path, unnamed)
    assert found.message == "the glued figure 'k9_fig_a' has no data table right after it"


def test_a_stale_page_outside_the_toc_is_found(tmp_path):
    for name in ("01_organisering", "50_gammel"):
        (tmp_path / "notebooks").mkdir(exist_ok=True)
        (tmp_path / "notebooks" / f"{name}.html").write_text("<html></html>")
    assert orphan_pages(tmp_path, {"notebooks/01_organisering"}) == ["notebooks/50_gammel.html"]


def test_a_typed_suppressed_mark_is_a_typed_number_and_its_substitution_is_not():
    # The mark follows the threshold in data/settings.yml, so prose writes {{ skjult_markering }}.
    assert typed_numbers('Skjulte celler ("<5") er ikke tegnet.') == ["5"]
    assert typed_numbers('Skjulte celler ("{{ skjult_markering }}") er ikke tegnet.') == []
