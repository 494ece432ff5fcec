"""Two clean executions give identical numbers.

Every notebook in notebooks/ is executed twice from a copy in a temporary folder, both runs side by
side (one per core) and with different string-hash seeds, so nothing may depend on set or dict
order, time, or leftovers of an earlier run. The runs must agree on every glued value (the numbers
in the prose) and on every HTML table the notebooks show (the data tables and the verification
table), and the first run must agree with the outputs committed in notebooks/. Separately, the
verification table itself is recomputed in two processes with different hash seeds.

Slow (a full execution of the book, about as long as nbval): it runs in `make test`.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
GLUE_MIME = "application/papermill.record/text/plain"
HASH_SEEDS = ("1", "2")


def _env(seed: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "MUNICIPAL_SURVEY_RESPONSES": ""}
    for name in ("MUNICIPAL_SURVEY_ROOT", "MPLBACKEND"):  # kernels run as in the book build (inline figures)
        env.pop(name, None)
    return env


def numbers(notebook: dict) -> dict[str, object]:
    """What a reader sees as numbers: every glued value by name, every HTML table in order."""
    glued, tables = {}, []
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if GLUE_MIME in data:
                name = output.get("metadata", {}).get("scrapbook", {}).get("name")
                glued[name] = "".join(data[GLUE_MIME])
            elif "text/html" in data and "<table" in "".join(data["text/html"]):
                tables.append("".join(data["text/html"]))
    return {"glue": glued, "tables": tables}


def digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> list[dict[str, dict]]:
    """Execute copies of all notebooks twice, concurrently; per run: notebook name -> numbers()."""
    if not NOTEBOOKS:
        pytest.skip("no notebooks in notebooks/")
    processes, folders = [], []
    for seed in HASH_SEEDS:
        folder = tmp_path_factory.mktemp(f"run-seed{seed}")
        for path in NOTEBOOKS:
            shutil.copy2(path, folder / path.name)
        cmd = [sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute", "--inplace",
               "--ExecutePreprocessor.record_timing=False", "--ExecutePreprocessor.timeout=600",
               *[str(folder / p.name) for p in NOTEBOOKS]]
        processes.append(subprocess.Popen(cmd, cwd=folder, env=_env(seed), stdout=subprocess.PIPE,
                                          stderr=subprocess.STDOUT))
        folders.append(folder)
    for process in processes:
        log = process.communicate()[0].decode(errors="replace")
        assert process.returncode == 0, f"executing the notebooks failed:\n{log[-5000:]}"
    return [{p.name: numbers(json.loads((folder / p.name).read_text(encoding="utf-8"))) for p in NOTEBOOKS}
            for folder in folders]


def _differences(first: dict, second: dict) -> list[str]:
    out = []
    for name in sorted(set(first) | set(second)):
        a, b = first.get(name, {"glue": {}, "tables": []}), second.get(name, {"glue": {}, "tables": []})
        for key in sorted(set(a["glue"]) | set(b["glue"])):
            if a["glue"].get(key) != b["glue"].get(key):
                out.append(f"{name}: glue {key!r}: {a['glue'].get(key)!r} != {b['glue'].get(key)!r}")
        if len(a["tables"]) != len(b["tables"]):
            out.append(f"{name}: {len(a['tables'])} tables != {len(b['tables'])} tables")
        for i, (x, y) in enumerate(zip(a["tables"], b["tables"])):
            if x != y:
                out.append(f"{name}: table {i + 1} differs")
    return out


def test_notebooks_glue_numbers_and_show_tables(runs):
    for name, found in runs[0].items():
        assert found["glue"] or found["tables"], f"{name}: no glued values and no tables found"


def test_two_executions_give_identical_numbers(runs):
    first, second = runs
    assert digest(first) == digest(second), "\n".join(_differences(first, second)[:40])


def test_verification_table_identical_across_executions(runs):
    name = "99_verifikation.ipynb"
    if name not in runs[0]:
        pytest.skip(f"no {name}")
    tables = [run[name]["tables"] for run in runs]
    assert tables[0], f"{name} shows no table"
    assert digest(tables[0]) == digest(tables[1])


def test_fresh_execution_matches_committed_outputs(runs):
    """The numbers committed in notebooks/ are the ones a clean execution gives (names included)."""
    committed = {p.name: numbers(json.loads(p.read_text(encoding="utf-8"))) for p in NOTEBOOKS}
    assert digest(committed) == digest(runs[0]), "\n".join(_differences(committed, runs[0])[:40])


def test_verification_recomputed_identically_in_two_processes():
    code = ("from municipal_survey.analysis import verification\n"
            "from municipal_survey.data.survey import load_survey\n"
            "s = load_survey()\n"
            "print(verification.verify(s.published, s.responses, s.codebook).to_csv(index=False))\n")
    processes = [subprocess.Popen([sys.executable, "-c", code], env=_env(seed), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE) for seed in HASH_SEEDS]
    outputs = []
    for process in processes:
        out, err = process.communicate()
        assert process.returncode == 0, err.decode(errors="replace")[-3000:]
        outputs.append(out)
    assert outputs[0].count(b"\n") > 10
    assert hashlib.sha256(outputs[0]).hexdigest() == hashlib.sha256(outputs[1]).hexdigest()
