"""Mutation score per module: run mutmut one module at a time and count the mutants the tests catch.

    python bench/mutation_score.py --run            # every module in [tool.mutmut] only_mutate
    python bench/mutation_score.py --run rounding   # modules whose path contains "rounding"
    python bench/mutation_score.py                  # only print the score of the last run

mutmut (3.x) keeps its results in mutants/<path>.meta; this script reads them. A mutant counts as
caught when a test failed (killed) or the tests ran into mutmut's time limit (timeout: the change made
the code loop). Mutants listed in bench/mutation_equivalent.md change nothing a reader or user could
see; they are left out of the score and counted apart.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EQUIVALENT_FILE = ROOT / "bench" / "mutation_equivalent.md"
# mutmut's exit-code convention (mutmut/stats.py): 1 and 3 killed, 0 survived, 36 and +-24/152/255 timeout.
KILLED = {1, 3}
TIMEOUT = {36, 24, -24, 152, 255}
SURVIVED = {0}
NO_TESTS = {5, 33}


def modules(selection: list[str]) -> list[str]:
    """The configured module paths (src/...py), narrowed to those containing one of `selection`."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mutmut"]
    paths = config["only_mutate"]
    chosen = [p for p in paths if not selection or any(s in p for s in selection)]
    unknown = [s for s in selection if not any(s in p for p in paths)]
    if unknown:
        raise SystemExit(f"no module in [tool.mutmut] only_mutate matches {unknown}; configured: {paths}")
    return chosen


def dotted(path: str) -> str:
    """src/municipal_survey/analysis/rounding.py -> municipal_survey.analysis.rounding (mutmut's names)."""
    return ".".join(Path(path).with_suffix("").parts[1:])


def equivalent_mutants() -> set[str]:
    """Mutant names written in backticks in the equivalent-mutant list."""
    if not EQUIVALENT_FILE.exists():
        return set()
    return set(re.findall(r"`([\w.]+__mutmut_\d+)`", EQUIVALENT_FILE.read_text("utf-8")))


def run(path: str, max_children: int) -> None:
    mutmut = Path(sys.executable).with_name("mutmut")
    print(f"== mutmut run {dotted(path)}", flush=True)
    log = ROOT / "mutants" / "mutmut-run.log"
    log.parent.mkdir(exist_ok=True)
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run([str(mutmut), "run", "--max-children", str(max_children), f"{dotted(path)}.*"],
                              cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        tail = log.read_text("utf-8", errors="replace").replace("\r", "\n").splitlines()[-25:]
        raise SystemExit("\n".join(tail) + f"\nmutmut run failed for {path} (exit {done.returncode}); "
                         f"its whole output is in {log.relative_to(ROOT)}")


def score(path: str, equivalent: set[str]) -> dict:
    meta = ROOT / "mutants" / (path + ".meta")
    if not meta.exists():
        return {"module": path, "missing": True}
    exit_codes = json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
    tally = Counter({key: 0 for key in ("equivalent", "caught", "survived", "no_tests", "not_checked", "other")})
    survivors = []
    for name, code in exit_codes.items():
        if name in equivalent:
            tally["equivalent"] += 1
        elif code in KILLED or code in TIMEOUT:
            tally["caught"] += 1
        elif code in SURVIVED:
            tally["survived"] += 1
            survivors.append(name)
        elif code in NO_TESTS:
            tally["no_tests"] += 1
            survivors.append(name)
        elif code is None:
            tally["not_checked"] += 1
        else:
            tally["other"] += 1
            survivors.append(name)
    counted = tally["caught"] + tally["survived"] + tally["no_tests"] + tally["other"]
    return {"module": path, "total": len(exit_codes), "counted": counted, **tally,
            "score": 100 * tally["caught"] / counted if counted else float("nan"), "survivors": sorted(survivors)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="parts of module paths to select (default: all configured)")
    parser.add_argument("--run", action="store_true", help="run mutmut on each module first, one at a time")
    parser.add_argument("--max-children", type=int, default=2, help="parallel mutmut workers (default 2)")
    parser.add_argument("--survivors", action="store_true", help="list the surviving mutants too")
    args = parser.parse_args(argv)

    chosen = modules(args.modules)
    if args.run:
        for path in chosen:
            run(path, args.max_children)
    equivalent = equivalent_mutants()
    print(f"{'module':48} {'mutants':>7} {'equiv.':>6} {'caught':>6} {'missed':>6} {'score':>7}")
    below = False
    for path in chosen:
        row = score(path, equivalent)
        if row.get("missing"):
            print(f"{path:48} not run yet (make mutation)")
            continue
        missed = row["counted"] - row["caught"]
        note = f"  ({row['not_checked']} not checked)" if row.get("not_checked") else ""
        print(f"{path:48} {row['total']:>7} {row['equivalent']:>6} {row['caught']:>6} {missed:>6} "
              f"{row['score']:>6.1f}%{note}")
        below |= row["score"] < 90
        if args.survivors:
            for name in row["survivors"]:
                print(f"    survived: {name}")
    print("caught = a test failed or timed out; see one mutant with `.venv/bin/mutmut show NAME`.")
    if below:
        print("Below the 90 % target: list the survivors with --survivors.")
    return 0  # a report, not a gate: the run takes tens of minutes and is not part of make test


if __name__ == "__main__":
    sys.exit(main())
