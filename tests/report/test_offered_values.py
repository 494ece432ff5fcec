"""A section glues an offered value (a share's form for a sentence's start, a number only some pages
name) only when its page asks for it by name, and a page asks only for names its text uses."""
import ast

import pytest

from municipal_survey.build import pages
from municipal_survey.report import sections


def test_a_section_glues_its_values_and_of_the_offered_only_those_asked_for(monkeypatch):
    glued = []
    monkeypatch.setattr(sections.text, "glue_text", lambda name, value, source=None: glued.append((name, value)))
    section = sections.Section()
    section.add("k9_n", "81", None)
    section.offer("k9_andel", "hele 77 pct.", None)
    section.offer("k9_andel_start", "Hele 77 pct.", None)
    section.glue("k9_andel_start")
    assert glued == [("k9_n", "81"), ("k9_andel_start", "Hele 77 pct.")]
    glued.clear()
    section.glue()
    assert glued == [("k9_n", "81")]


def test_asking_for_a_name_the_section_does_not_offer_is_an_error_naming_what_it_offers(monkeypatch):
    monkeypatch.setattr(sections.text, "glue_text", lambda *args: None)
    section = sections.Section()
    section.add("k9_n", "81", None)
    section.offer("k9_andel", "46 pct.", None)
    with pytest.raises(KeyError, match=r"glue\('k9_andel_strat'\).*offers \['k9_andel'\]"):
        section.glue("k9_andel_strat")
    with pytest.raises(KeyError, match=r"glue\('k9_n'\)"):  # glued anyway: not an offered value
        section.glue("k9_n")


def asked_for(page) -> list[str]:
    """The names a page asks its sections for: the text arguments of `sections.<helper>(...).glue(...)`."""
    names = []
    for cell in pages.read_page(page).cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "glue"
                    and isinstance(node.func.value, ast.Call)
                    and isinstance(node.func.value.func, ast.Attribute)
                    and isinstance(node.func.value.func.value, ast.Name)
                    and node.func.value.func.value.id == "sections"):
                names += [ast.literal_eval(arg) for arg in node.args]
    return names


@pytest.mark.parametrize("page", pages.page_paths(), ids=lambda p: p.name)
def test_a_page_asks_only_for_offered_values_its_text_uses(page):
    used = {name for doc, name in pages.glue_uses(page.read_text(encoding="utf-8")) if not doc}
    unused = [name for name in asked_for(page) if name not in used]
    assert not unused, f"notebooks/{page.name} asks for values its text does not use: {unused}"


def test_the_page_check_reads_the_names_a_page_asks_for(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("---\njupytext:\n  text_representation:\n    format_name: myst\nkernelspec:\n  name: python3\n"
                    "  display_name: Python 3\n---\n\n```{code-cell}\nsections.area(book, \"x\").glue(\n"
                    "    \"k1_x_samlet\", \"k1_x_behov_start\")\nsections.ch1_overview(book).glue()\n```\n\n"
                    "{glue:text}`k1_x_samlet` af kommunerne\n", encoding="utf-8")
    assert asked_for(page) == ["k1_x_samlet", "k1_x_behov_start"]
    used = {name for _, name in pages.glue_uses(page.read_text(encoding="utf-8"))}
    assert [n for n in asked_for(page) if n not in used] == ["k1_x_behov_start"]
