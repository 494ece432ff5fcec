"""The page "Arkitektur for vedligeholdere" lists every module of the package and has its recipes; the tests
are laid out like the package, as the page says."""
from __future__ import annotations

import re

from project_root import ROOT

PACKAGE = ROOT / "src" / "municipal_survey"
PAGE = (ROOT / "book" / "arkitektur.md").read_text(encoding="utf-8")
LAYERS = ("data", "analysis", "synthetic", "report", "build")


def layer_row(layer: str) -> str:
    # The layers' table: | layer | `folder/` | modules |
    rows = [line for line in PAGE.splitlines()
            if line.startswith("|") and line.split("|")[2].strip() == f"`{layer}/`"]
    assert len(rows) == 1, f"book/arkitektur.md: expected one table row for `{layer}/`, found {len(rows)}"
    return rows[0]


def test_every_module_is_named_in_its_layers_row():
    missing = [f"{layer}/{path.stem}" for layer in LAYERS for path in sorted((PACKAGE / layer).glob("*.py"))
               if path.stem != "__init__" and f"`{path.stem}`" not in layer_row(layer)]
    assert not missing, f"book/arkitektur.md does not name these modules in their layer's row: {missing}"


def test_every_subpackage_is_a_layer_on_the_page():
    subpackages = {path.parent.name for path in PACKAGE.glob("*/__init__.py")}
    assert subpackages == set(LAYERS)
    top_level = {path.stem for path in PACKAGE.glob("*.py")} - {"__init__", "__main__"}
    assert all(f"`{name}`" in PAGE for name in top_level), top_level


def test_recipes_name_the_files_to_touch():
    recipes = PAGE[PAGE.index("## Opskrifter"):PAGE.index("## Sådan kører make test")]
    for title in ("En ny side", "En ny målgruppe eller et nyt område", "En ændret diskretionsgrænse",
                  "Et rettet offentliggjort tal", "En ny runde"):
        start = recipes.index(f"**{title}.**")
        body = recipes[start:recipes.find("\n\n**", start + 1)]
        assert re.search(r"`[\w./<>-]+\.(?:py|yml|csv|ipynb)`|`data/[\w/<>]+`", body), title


TESTS = ROOT / "tests"
# Beside a folder per layer: the whole-book checks, the tests' shared helpers and their fixture files.
TEST_FOLDERS = {*LAYERS, "book", "support", "fixtures"}


def test_the_tests_are_laid_out_like_the_package():
    folders = {p.name for p in TESTS.iterdir() if p.is_dir() and not p.name.startswith((".", "__"))}
    assert folders == TEST_FOLDERS, f"tests/ holds a folder per layer and {sorted(TEST_FOLDERS - set(LAYERS))}"
    loose = sorted(p.name for p in TESTS.glob("test_*.py"))
    assert not loose, f"test files go in the folder of the layer they protect, or in tests/book/: {loose}"
    names = [p.name for p in TESTS.rglob("test_*.py")]
    doubled = sorted({name for name in names if names.count(name) > 1})
    assert not doubled, f"pytest imports test files by their name, so each name is used once: {doubled}"
    importing = [str(p.relative_to(ROOT)) for p in TESTS.rglob("test_*.py")
                 if re.search(r"^\s*(?:from|import) test_", p.read_text(encoding="utf-8"), re.MULTILINE)]
    assert not importing, f"shared test helpers live in tests/support/, not in a test file: {importing}"


def test_the_page_gives_the_layout_of_the_tests():
    [row] = [line for line in PAGE.splitlines() if line.startswith("| `tests/` |")]
    assert all(f"`{layer}/`" in row for layer in LAYERS), row
    assert all(f"`tests/{folder}/`" in row for folder in ("book", "support", "fixtures")), row
