"""A small mapping file as text (BASE, TICKS: the small survey's codebook), written to a temporary
folder and loaded, for the tests of the importer's modules."""
from __future__ import annotations

import small_survey

from municipal_survey.data.import_mapping import load_mapping

CODEBOOK = small_survey.codebook()


BASE = "municipality_column: Kommunekode\nwave: 2020\ncolumns:\n  Status: meta_status\n  A samlet: org_a_samlet\n"


TICKS = "  X: org_a_stoette_x\n  Y: org_a_stoette_y\n"


def load(tmp_path, text: str):
    path = tmp_path / "mapping.yml"
    path.write_text(text, encoding="utf-8")
    return load_mapping(path, CODEBOOK)


def problems(tmp_path, text: str) -> list[tuple]:
    """(line, column, value, expected) of each problem; every one must be in the mapping file, by line."""
    _, found = load(tmp_path, text)
    assert all(p.file == str(tmp_path / "mapping.yml") and p.unit == "line" for p in found), found
    return [(p.row, p.column, p.value, p.expected) for p in found]
