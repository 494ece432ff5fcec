"""The page "Arkitektur for vedligeholdere" lists every module of the package and has its recipes."""
from __future__ import annotations

import re

from project_root import ROOT

PACKAGE = ROOT / "src" / "municipal_survey"
PAGE = (ROOT / "book" / "arkitektur.md").read_text(encoding="utf-8")
LAYERS = ("data", "analysis", "synthetic", "report", "build")


def layer_row(layer: str) -> str:
    rows = [line for line in PAGE.splitlines() if line.startswith("|") and f"`{layer}/`" in line]
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
