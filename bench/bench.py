"""Benchmarks of the book on this machine (issue: quality gates). Never run by the tests.

python bench/bench.py [--runs N] [--skip-test]
Measures, as whole processes, the median of several runs of:
  cold build      `jupyter-book build .` with dependencies installed and no _build
  no-change       the same build again
  one notebook    the build after changing one code cell of one notebook (restored afterwards)
  make test       once per run (slow), unless --skip-test
  pipeline        bench/pipeline.py: load, validate, every table, verification in one process
  synth           python -m municipal_survey synth --output <tmp>
  growth          bench/pipeline.py --waves 1, 5, 20
and prints a Markdown table (the README quotes it) and the ratio cold build / pipeline.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
ENV = {**os.environ, "MUNICIPAL_SURVEY_RESPONSES": "", "PATH": f"{VENV_BIN}:{os.environ['PATH']}"}
BUILD = [str(VENV_BIN / "jupyter-book"), "build", ".", "-q"]
NOTEBOOK = ROOT / "notebooks" / "01_organisering.ipynb"


def timed(cmd: list[str], before=None) -> float:
    if before:
        before()
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def median_of(runs: int, cmd: list[str], before=None) -> dict:
    values = [timed(cmd, before) for _ in range(runs)]
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": runs}


def clean_build() -> None:
    shutil.rmtree(ROOT / "_build", ignore_errors=True)


def change_one_notebook(original: bytes):
    counter = {"i": 0}

    def before() -> None:
        import nbformat

        counter["i"] += 1
        nb = nbformat.reads(original.decode("utf-8"), as_version=4)
        first_code = next(c for c in nb.cells if c.cell_type == "code")
        first_code.source += f"\n# benchmark change {counter['i']}"
        nbformat.write(nb, NOTEBOOK)
    return before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-test", action="store_true")
    args = parser.parse_args()
    py = str(VENV_BIN / "python")
    results: dict[str, dict] = {}
    results["cold build"] = median_of(args.runs, BUILD, clean_build)
    results["no-change rebuild"] = median_of(args.runs, BUILD)
    original = NOTEBOOK.read_bytes()
    try:
        results["rebuild after changing one notebook"] = median_of(args.runs, BUILD, change_one_notebook(original))
    finally:
        NOTEBOOK.write_bytes(original)
        timed(BUILD)
    if not args.skip_test:
        results["make test"] = median_of(1, ["make", "test"])
    results["whole pipeline, one process"] = median_of(args.runs, [py, "bench/pipeline.py"])
    with tempfile.TemporaryDirectory() as tmp:
        results["synthetic generation"] = median_of(
            args.runs, [py, "-m", "municipal_survey", "synth", "--output", f"{tmp}/r.csv"])
    for waves in (1, 5, 20):
        results[f"pipeline, {waves} wave(s)"] = median_of(args.runs, [py, "bench/pipeline.py", "--waves", str(waves)])
    ratio = results["cold build"]["median"] / results["whole pipeline, one process"]["median"]
    print(f"| measurement ({args.runs} runs unless noted) | median s | min s | max s |")
    print("|---|---:|---:|---:|")
    for name, r in results.items():
        print(f"| {name} (n={r['runs']}) | {r['median']:.2f} | {r['min']:.2f} | {r['max']:.2f} |")
    print(f"\ncold build / pipeline floor = {ratio:.1f}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    sys.exit(main())
