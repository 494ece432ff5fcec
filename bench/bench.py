"""Benchmarks of the book on this machine (quality gates). Never run by the tests.

    python bench/bench.py [--runs N] [--skip-test] [--keep]        (or: make bench)

Everything runs in a scratch copy of the project (the files git would commit, plus untracked ones it
does not ignore), so a benchmark never deletes your _build or edits your notebooks. The copy uses
this project's .venv; PYTHONPATH points at the copy's src/, so kernels and the book's extension
import the copy's package. Measured as whole processes, median and range of N runs:

  cold build       `make book` with dependencies installed and no _build (notebooks executed on
                   all cores by execute-cache, then jupyter-book build)
  cold, one core   the same with JOBS=1: the notebooks executed one at a time, as jupyter-book
                   alone would
  no-change        `make book` again (it finds the site current and skips jupyter-book)
  no-change, jb    `jupyter-book build .` again, as make book ran it: what Sphinx needs to find
                   that nothing changed
  one notebook     `make book` after changing one code cell of one notebook
  make test        `make test` (once: it is slow), unless --skip-test
  pipeline         bench/pipeline.py: load, validate, every table, verification in one process
  synth            python -m municipal_survey synth --output <tmp>
  growth           bench/pipeline.py --waves 1, 5, 20 (per-stage times from the script itself)
  breakdown        bench/breakdown.py: per notebook, kernel start vs first cell (imports, load) vs
                   the rest, and the heaviest imports of the notebooks' first cell (-X importtime)

Prints a Markdown table (the README quotes it), the ratio cold build / pipeline floor, and writes
bench/results/latest.json.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
NOTEBOOK = Path("notebooks") / "01_organisering.md"
TARGETS = {  # the quality gates the README reports
    "cold build": 30.0,
    "no-change rebuild": 3.0,
    "whole pipeline, one process": 2.0,
    "synthetic generation": 2.0,
}


def project_files(*options: str) -> list[str]:
    out = subprocess.run(["git", "ls-files", "-z", *options], cwd=ROOT, check=True,
                         capture_output=True).stdout.decode()
    return [f for f in out.split("\0") if f and (ROOT / f).is_file()]


def scratch_copy(directory: Path) -> Path:
    copy = directory / "project"
    for name in project_files("-co", "--exclude-standard"):
        target = copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    # A git work tree with the same files staged as tracked here (make test's disclosure check asks git).
    subprocess.run(["git", "init", "-q"], cwd=copy, check=True)
    subprocess.run(["git", "add", "--pathspec-from-file=-", "--pathspec-file-nul"], cwd=copy, check=True,
                   input="\0".join(project_files("--cached")).encode())
    modules = ROOT / "a11y" / "node_modules"
    if modules.is_dir():  # the browser check of `make test` uses the installed npm packages
        (copy / "a11y" / "node_modules").symlink_to(modules)
    return copy


def environment(copy: Path) -> dict[str, str]:
    env = {**os.environ, "MUNICIPAL_SURVEY_RESPONSES": "", "PYTHONPATH": str(copy / "src"),
           "PATH": f"{VENV / 'bin'}:{os.environ['PATH']}", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("MUNICIPAL_SURVEY_ROOT", None)
    return env


def make(target: str) -> list[str]:
    # -o: never remake the venv from the copy (its files are not newer, but be sure).
    return ["make", "--no-print-directory", f"VENV={VENV}", "-o", f"{VENV}/.installed", target]


class Bench:
    def __init__(self, copy: Path, runs: int):
        self.copy, self.runs, self.env = copy, runs, environment(copy)
        self.results: dict[str, dict] = {}

    def timed(self, cmd: list[str], before=None) -> float:
        if before:
            before()
        start = time.perf_counter()
        done = subprocess.run(cmd, cwd=self.copy, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        elapsed = time.perf_counter() - start
        if done.returncode:
            sys.stderr.write(done.stdout.decode(errors="replace")[-4000:])
            raise SystemExit(f"failed: {' '.join(cmd)}")
        return elapsed

    def measure(self, name: str, cmd: list[str], before=None, runs: int | None = None) -> dict:
        values = [self.timed(cmd, before) for _ in range(runs or self.runs)]
        result = {"median": statistics.median(values), "min": min(values), "max": max(values),
                  "runs": len(values), "values": values}
        self.results[name] = result
        print(f"  {name}: median {result['median']:.2f} s ({result['min']:.2f}–{result['max']:.2f}, "
              f"n={result['runs']})", flush=True)
        return result

    def output(self, cmd: list[str]) -> str:
        return subprocess.run(cmd, cwd=self.copy, env=self.env, check=True, capture_output=True,
                              text=True).stdout

    def clean_build(self) -> None:
        shutil.rmtree(self.copy / "_build", ignore_errors=True)

    def change_notebook(self):
        from municipal_survey.build import pages

        path = self.copy / NOTEBOOK
        counter = {"i": 0}

        def before() -> None:
            counter["i"] += 1
            nb = pages.read_page(path)
            first_code = next(c for c in nb.cells if c.cell_type == "code")
            first_code.source += f"\n# benchmark change {counter['i']}"
            path.write_text(pages.to_markdown(nb), encoding="utf-8")
        return before


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-test", action="store_true", help="do not time `make test`")
    parser.add_argument("--keep", action="store_true", help="keep the scratch copy and print its path")
    parser.add_argument("--project", type=Path,
                        help="benchmark this existing copy (e.g. one with a patch to try) instead of a fresh "
                             "one; its _build is deleted and a notebook edited")
    args = parser.parse_args()
    if not (VENV / "bin" / "jupyter-book").exists():
        return f"no venv at {VENV}: run `make venv` first"
    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    copy = args.project.resolve() if args.project else scratch_copy(tmp)
    print(f"scratch copy: {copy}\nload average at start: {load()}", flush=True)
    bench = Bench(copy, args.runs)
    py = str(VENV / "bin" / "python")
    try:
        bench.measure("cold build", make("book"), bench.clean_build)
        bench.measure("cold build, notebooks executed one at a time (JOBS=1)", make("book") + ["JOBS=1"],
                      bench.clean_build)
        bench.measure("no-change rebuild", make("book"))
        bench.measure("no-change rebuild, jupyter-book build alone",
                      [str(VENV / "bin" / "jupyter-book"), "build", ".", "--builder", "html", "-q"])
        bench.measure("rebuild after changing one notebook", make("book"), bench.change_notebook())
        # Part of every make book that changed the site (without Chromium it only says it skipped).
        bench.measure("the book's PDF: join the built pages, Chromium prints",
                      [py, "-m", "municipal_survey.build.pdf", "--build-dir", "_build"])
        if not args.skip_test:
            bench.measure("make test", make("test"), runs=1)
        bench.measure("whole pipeline, one process", [py, "bench/pipeline.py"])
        with tempfile.TemporaryDirectory() as out:
            bench.measure("synthetic generation", [py, "-m", "municipal_survey", "synth", "--output",
                                                   f"{out}/responses.csv"])
        growth = {}
        for waves in (1, 5, 20):
            r = bench.measure(f"pipeline, {waves} wave(s)", [py, "bench/pipeline.py", "--waves", str(waves)],
                              runs=max(1, min(args.runs, 3)))
            stages = json.loads(bench.output([py, "bench/pipeline.py", "--waves", str(waves)]))
            growth[waves] = {"process": r["median"], **stages}
        breakdown = json.loads(bench.output([py, "bench/breakdown.py", "--json"]))
    finally:
        if args.keep and not args.project:
            print(f"kept {copy}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    results = bench.results
    ratio = results["cold build"]["median"] / results["whole pipeline, one process"]["median"]
    print(f"\nload average at end: {load()}")
    print(f"\n{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}\n")
    print("| measurement | median s | min–max s | runs | target |")
    print("|---|---:|---:|---:|---|")
    for name, r in results.items():
        target = TARGETS.get(name)
        verdict = "" if target is None else f"≤ {target:g} s: {'holds' if r['median'] <= target else 'missed'}"
        print(f"| {name} | {r['median']:.2f} | {r['min']:.2f}–{r['max']:.2f} | {r['runs']} | {verdict} |")
    print(f"\ncold build / pipeline floor = {ratio:.1f}\n")
    print("| waves | rows | process s | import s | load+validate s | tables s | verification s | per wave s |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for waves, g in growth.items():
        per_wave = (g["load_and_validate"] + g["tables"] + g["verification"]) / waves
        print(f"| {waves} | {g['rows']} | {g['process']:.2f} | {g['import']:.2f} | {g['load_and_validate']:.2f} "
              f"| {g['tables']:.2f} | {g['verification']:.2f} | {per_wave:.2f} |")
    print("\nWhere a notebook's time goes (one execution each, seconds):\n")
    print("| notebook | kernel start | first cell (imports, load) | other cells | total |")
    print("|---|---:|---:|---:|---:|")
    for nb in breakdown["notebooks"]:
        print(f"| {nb['notebook']} | {nb['kernel_start']:.2f} | {nb['first_cell']:.2f} | {nb['other_cells']:.2f} "
              f"| {nb['total']:.2f} |")
    print("\nHeaviest imports of the notebooks' first cell (python -X importtime, cumulative s):\n")
    for name, seconds in breakdown["imports"]:
        print(f"- {name}: {seconds:.2f}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps({
        "host": platform.node(), "cores": os.cpu_count(), "python": platform.python_version(),
        "runs": args.runs, "results": results, "ratio_cold_build_to_pipeline": ratio,
        "growth": growth, "breakdown": breakdown}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
