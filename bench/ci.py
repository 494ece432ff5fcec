"""How long the workshop takes from a fresh clone, as CI and a newcomer meet it. Never run by the tests.

    python bench/ci.py [--runs N] [--only check,ci,book]

Each run clones this repository (its committed HEAD) into a temporary folder and times, as whole
processes:

  check        `make check` in a clone whose virtual environment is already made (the edit-test loop)
  ci           `bash .ci/run` with CI=true: environment, browser packages, `make test` (CI's whole run)
  book-uv      a fresh clone's first `make book` (environment included), installing with uv
  book-pip     the same with INSTALLER=pip

Prints median and range per measurement and writes bench/results/ci.json. Run it on a quiet machine:
the figures are wall-clock times on the 2 cores there are.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"check": 30.0, "ci": 200.0}


def clone(directory: Path) -> Path:
    target = directory / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(target)], check=True)
    return target


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{done.stdout.decode(errors='replace')[-3000:]}")
    return seconds


def measure(name: str, runs: int) -> list[float]:
    figures = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench-ci-") as tmp:
            copy = clone(Path(tmp))
            if name == "check":
                timed(["make", "venv"], copy)
                figures.append(timed(["make", "check"], copy))
            elif name == "ci":
                figures.append(timed(["bash", ".ci/run"], copy, {"CI": "true"}))
            elif name == "book-uv":
                figures.append(timed(["make", "book"], copy, {"INSTALLER": "uv"}))
            elif name == "book-pip":
                figures.append(timed(["make", "book"], copy, {"INSTALLER": "pip"}))
        print(f"  {name}: {figures[-1]:.1f} s", flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="check,ci,book-uv,book-pip")
    args = parser.parse_args()
    results = {}
    for name in args.only.split(","):
        figures = measure(name, args.runs)
        results[name] = {"median": statistics.median(figures), "min": min(figures), "max": max(figures),
                         "runs": figures, "target": TARGETS.get(name)}
    print("\n| measurement | median s | min–max s | target |\n|---|---:|---:|---|")
    for name, r in results.items():
        target = f"≤ {r['target']:.0f} s: {'holds' if r['median'] <= r['target'] else 'missed'}" \
            if r["target"] else ""
        print(f"| {name} | {r['median']:.1f} | {r['min']:.1f}–{r['max']:.1f} | {target} |")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "ci.json").write_text(json.dumps({"date": time.strftime("%Y-%m-%d"), **results}, indent=1) + "\n")


if __name__ == "__main__":
    main()
