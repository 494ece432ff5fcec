"""The documented assumptions behind the synthetic data (data/synthetic/assumptions/*.yml)."""
from __future__ import annotations

from pathlib import Path

import yaml

from ..data import paths
from ..data.errors import DataError, Problem

ITEM_KEYS = {"n", "share_top2", "share_mindre", "count", "very_high_of_top2", "dont_know",
             "not_relevant", "not_at_all_of_rest", "reason", "reason_da"}
REQUIRED_GENERAL = ("seed", "wave", "defaults", "loadings")
# libyaml's parser when PyYAML has it: the same safe constructors, about ten times faster to parse.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _safe_load(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)


def load_assumptions(directory: Path | None = None) -> dict:
    """Merge general.yml with the per-part files; no item twice. Every item needs a reason (English, for
    those who edit the files) and reason_da (Danish, the one the book shows its readers)."""
    directory = directory or paths.ASSUMPTIONS_DIR
    general_path = directory / "general.yml"
    if not general_path.exists():
        raise DataError(Problem(str(general_path), None, None, None, "the general assumptions file"))
    general = _safe_load(general_path) or {}
    problems = [Problem(str(general_path), None, key, None, "this top-level key")
                for key in REQUIRED_GENERAL if key not in general]
    items: dict[str, dict] = {}
    origin: dict[str, str] = {}
    for path in sorted(directory.glob("*.yml")):
        if path.name == "general.yml":
            continue
        part = _safe_load(path) or {}
        for qid, spec in (part.get("items") or {}).items():
            if qid in items:
                problems.append(Problem(path.name, None, qid, None, f"one entry only (also in {origin[qid]})"))
                continue
            if not isinstance(spec, dict):
                problems.append(Problem(path.name, None, qid, spec, "a mapping of assumption keys"))
                continue
            unknown = set(spec) - ITEM_KEYS
            if unknown:
                problems.append(Problem(path.name, None, qid, sorted(unknown),
                                        f"only keys {sorted(ITEM_KEYS)}"))
            for key, what in (("reason", "a reason for the assumption"),
                              ("reason_da", "a Danish reason for the assumption (reason_da), shown in the book")):
                if not str(spec.get(key, "")).strip():
                    problems.append(Problem(path.name, None, qid, None, what))
            items[qid] = spec
            origin[qid] = path.name
    if problems:
        raise DataError(problems)
    merged = dict(general)
    merged["items"] = items
    merged["origin"] = origin
    return merged
