"""The committed notebooks are what a clean execution gives, and nothing depends on hash order.

`make test` executes the book once (`make build-check`: every notebook in a fresh kernel, on all
cores, with PYTHONHASHSEED=2, into the build's execution cache; jupyter-book writes the executed
copies to _build/jupyter_execute/). These tests compare that one execution with the outputs
committed in notebooks/, cell by cell and output by output, sanitised with the same patterns as
nbval (nbval-sanitize.cfg): text, HTML tables, every glued value and the pictures. The committed
outputs come from `make execute`, a different process with a different hash seed, so an agreement
also shows that no number depends on set or dict order, time or leftovers of an earlier run.
`make nbval` runs nbval itself, which executes every notebook again.

They need a build that is newer than the notebooks; without one they skip, unless
BOOK_REQUIRE_BUILD=1 (set by `make test`), which makes a missing build a failure.
"""
from __future__ import annotations

import configparser
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
EXECUTED = Path(os.environ.get("BOOK_BUILD_DIR") or ROOT / "_build") / "jupyter_execute" / "notebooks"
REQUIRED = os.environ.get("BOOK_REQUIRE_BUILD") == "1"
GLUE_PREFIX = "application/papermill.record/"
GLUE_MIME = GLUE_PREFIX + "text/plain"
HASH_SEEDS = ("1", "2")
# What nbval ignores as well: the execution count and per-output metadata.
IGNORED_KEYS = {"execution_count", "metadata"}


def _sanitizers() -> list[tuple[re.Pattern, str]]:
    config = configparser.ConfigParser()
    config.read(ROOT / "nbval-sanitize.cfg", encoding="utf-8")
    return [(re.compile(config[s]["regex"]), config[s]["replace"]) for s in config.sections()]


SANITIZE = _sanitizers()


def sanitize(text: str) -> str:
    for pattern, replacement in SANITIZE:
        text = pattern.sub(replacement, text)
    return text


def outputs(cell: dict) -> list[dict]:
    """A code cell's outputs as nbval compares them: streams merged, text sanitised, counts dropped."""
    found: list[dict] = []
    for output in cell.get("outputs", []):
        item = {k: v for k, v in output.items() if k not in IGNORED_KEYS}
        if output.get("output_type") == "stream":
            text = sanitize("".join(output.get("text", "")))
            if found and found[-1].get("output_type") == "stream" and found[-1]["name"] == output["name"]:
                found[-1]["text"] += text
                continue
            item["text"] = text
        if "data" in item:
            item["data"] = {k: sanitize("".join(v)) if isinstance(v, list | str) else v
                            for k, v in item["data"].items()}
        if "scrapbook" in output.get("metadata", {}):  # a glue output: its name is part of what it says
            item["glue"] = output["metadata"]["scrapbook"]["name"]
        found.append(item)
    return found


def differences(committed: dict, executed: dict, name: str) -> list[str]:
    """Where a fresh execution's outputs differ from the committed ones, cell by cell."""
    ours = [c for c in committed["cells"] if c["cell_type"] == "code"]
    theirs = [c for c in executed["cells"] if c["cell_type"] == "code"]
    if [c["source"] for c in ours] != [c["source"] for c in theirs]:
        return [f"{name}: the executed copy has other code than the committed notebook (rebuild the book)"]
    out = []
    for index, (a, b) in enumerate(zip(ours, theirs)):
        left, right = outputs(a), outputs(b)
        if left == right:
            continue
        if len(left) != len(right):
            out.append(f"{name}, code cell {index + 1}: {len(left)} outputs committed, {len(right)} executed")
            continue
        for x, y in zip(left, right):
            if x.get("glue") != y.get("glue"):
                out.append(f"{name}, code cell {index + 1}: glue {x.get('glue')!r} is {y.get('glue')!r} now")
            for key in sorted(set(x.get("data", {})) | set(y.get("data", {}))):
                if x.get("data", {}).get(key) != y.get("data", {}).get(key):
                    label = f" (glue {x.get('glue')!r})" if x.get("glue") else ""
                    out.append(f"{name}, code cell {index + 1}: {key}{label} differs")
            if x.get("text") != y.get("text"):
                out.append(f"{name}, code cell {index + 1}: printed text differs")
    return out


@pytest.fixture(scope="module")
def executions() -> dict[str, tuple[dict, dict]]:
    """Notebook name -> (committed, executed by the build)."""
    newest = max(p.stat().st_mtime for p in NOTEBOOKS)
    copies = {p.name: EXECUTED / p.name for p in NOTEBOOKS}
    missing = [n for n, c in copies.items() if not c.exists() or c.stat().st_mtime < newest]
    if missing:
        reason = f"no fresh build of {', '.join(missing)} in {EXECUTED} (run `make build-check` first)"
        if REQUIRED:
            pytest.fail(reason)
        pytest.skip(reason)
    return {n: (json.loads((ROOT / "notebooks" / n).read_text(encoding="utf-8")),
                json.loads(c.read_text(encoding="utf-8"))) for n, c in copies.items()}


@pytest.mark.book
def test_every_notebook_was_executed_and_shows_numbers(executions):
    for name, (_, executed) in executions.items():
        glued = [o for c in executed["cells"] for o in c.get("outputs", []) if GLUE_MIME in o.get("data", {})]
        tables = [o for c in executed["cells"] for o in c.get("outputs", [])
                  if "<table" in "".join(o.get("data", {}).get("text/html", ""))]
        assert glued or tables, f"{name}: no glued values and no tables in the executed notebook"


@pytest.mark.book
def test_committed_outputs_are_what_a_fresh_execution_gives(executions):
    found = [d for name, (committed, executed) in executions.items()
             for d in differences(committed, executed, name)]
    assert not found, ("committed outputs differ from a fresh execution; run `make execute` "
                       "(or `make execute NB=notebooks/x.ipynb`) and commit:\n" + "\n".join(found[:40]))


def test_comparison_catches_a_changed_number_a_renamed_glue_and_a_new_output():
    cell = {"cell_type": "code", "source": "x", "outputs": [
        {"output_type": "display_data", "metadata": {"scrapbook": {"name": "k1_share"}},
         "data": {GLUE_MIME: "'46 pct.'"}},
        {"output_type": "stream", "name": "stdout", "text": "at 0x7f00aa\n"}]}
    notebook = {"cells": [cell]}

    def changed(edit) -> dict:
        copy = json.loads(json.dumps(notebook))
        edit(copy["cells"][0])
        return copy

    assert differences(notebook, changed(lambda c: c["outputs"][1].update(text="at 0x7f00bb\n")), "n") == []
    number = changed(lambda c: c["outputs"][0]["data"].update({GLUE_MIME: "'47 pct.'"}))
    assert differences(notebook, number, "n") == [f"n, code cell 1: {GLUE_MIME} (glue 'k1_share') differs"]
    renamed = changed(lambda c: c["outputs"][0]["metadata"]["scrapbook"].update(name="k1_other"))
    assert differences(notebook, renamed, "n")
    extra = changed(lambda c: c["outputs"].append({"output_type": "stream", "name": "stderr", "text": "!"}))
    assert differences(notebook, extra, "n") == ["n, code cell 1: 2 outputs committed, 3 executed"]
    code = changed(lambda c: c.update(source="y"))
    assert "other code" in differences(notebook, code, "n")[0]


def _env(seed: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "MUNICIPAL_SURVEY_RESPONSES": ""}
    env.pop("MUNICIPAL_SURVEY_ROOT", None)
    return env


def test_verification_recomputed_identically_in_two_processes():
    code = ("from municipal_survey.analysis import verification\n"
            "from municipal_survey.data.survey import load_survey\n"
            "s = load_survey()\n"
            "print(verification.verify(s.published, s.responses, s.codebook).to_csv(index=False))\n")
    processes = [subprocess.Popen([sys.executable, "-c", code], env=_env(seed), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE) for seed in HASH_SEEDS]
    outputs_ = []
    for process in processes:
        out, err = process.communicate()
        assert process.returncode == 0, err.decode(errors="replace")[-3000:]
        outputs_.append(out)
    assert outputs_[0].count(b"\n") > 10
    assert hashlib.sha256(outputs_[0]).hexdigest() == hashlib.sha256(outputs_[1]).hexdigest()
