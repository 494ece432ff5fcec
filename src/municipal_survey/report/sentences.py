"""The book's data-dependent Danish sentences, kept as text beside the pages that show them.

A sentence whose wording depends on the data (which of two openings, a rank, a list of names) is a
template in notebooks/_sentences/<page>.yml, e.g.

    k2_aabning_rapport: >-
      {share} af kommunerne angiver, at de i høj eller i meget høj grad oplever udfordringer i
      arbejdet med {who}, jf. figur 20.{rank}

A section helper computes the fields (the numbers, the phrasing rules of report.phrasing) and fills
the template with `say("k2_aabning_rapport", share=..., who=..., rank=...)`; so a writer edits the
words in a text file and the code only decides which sentence applies and what goes in it. Keys are
unique over all files; a missing key, a missing field or a field the template does not use is an error
(tests check every template is used).
"""
from __future__ import annotations

import string
from functools import cache
from pathlib import Path

import yaml

from ..data import paths

SENTENCES_DIR = Path("notebooks") / "_sentences"


def sentence_files(root: Path | None = None) -> list[Path]:
    """Every sentence file, one per page that has data-dependent sentences."""
    return sorted(((root or paths.PROJECT_ROOT) / SENTENCES_DIR).glob("*.yml"))


@cache
def templates(root: Path | None = None) -> dict[str, str]:
    """Key -> template over every sentence file; an error names the file and key of a bad entry."""
    found: dict[str, str] = {}
    where: dict[str, Path] = {}
    for path in sentence_files(root):
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(entries, dict):
            raise ValueError(f"{path}: expected a mapping of sentence keys to templates")
        for key, template in entries.items():
            if not isinstance(template, str):
                raise ValueError(f"{path}: {key}: expected a sentence (text), got {template!r}")
            if key in found:
                raise ValueError(f"{path}: {key} is also in {where[key]}: keys must be unique")
            found[key], where[key] = template.strip(), path
    return found


def fields(template: str) -> set[str]:
    """The names in {braces} of a template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def say(key: str, **values: str) -> str:
    """The sentence `key` with its fields filled in; every field must be given, and no other."""
    known = templates()
    if key not in known:
        raise KeyError(f"no sentence {key!r} in {SENTENCES_DIR}/*.yml")
    template = known[key]
    needed = fields(template)
    missing, unused = needed - set(values), set(values) - needed
    if missing or unused:
        raise ValueError(f"sentence {key!r}: " + "; ".join(
            part for part in (f"fields not given: {sorted(missing)}" if missing else "",
                              f"given but not in the sentence: {sorted(unused)}" if unused else "") if part))
    return template.format_map(values)
