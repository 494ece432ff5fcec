"""Where a notebook's execution time goes: kernel start, first cell (imports, loading), the rest.

    python bench/breakdown.py [--json]      (run from the project root; bench.py calls it)

Executes every notebook in notebooks/ once with nbclient (outputs discarded) and times the kernel
start, the first code cell (the imports and load_survey()) and the other cells. Then runs the
import lines of the notebooks' first cells under `python -X importtime` and lists the heaviest
imports: each top-level import of the cell, and each heavy third-party package with the cell-level
import that pulled it in.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

HEAVY = ("matplotlib", "seaborn", "scipy", "statsmodels", "pandas", "numpy", "pandera", "yaml", "IPython")


def execute(path: Path) -> dict:
    from nbclient import NotebookClient

    from municipal_survey.build.pages import read_page

    nb = read_page(path)
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    cells = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    start = time.perf_counter()
    with client.setup_kernel():
        started = time.perf_counter()
        spent = []
        for index, cell in cells:
            t = time.perf_counter()
            client.execute_cell(cell, index)
            spent.append(time.perf_counter() - t)
        ran = time.perf_counter()
    end = time.perf_counter()
    return {"notebook": path.name, "kernel_start": started - start, "first_cell": spent[0] if spent else 0.0,
            "other_cells": sum(spent[1:]), "shutdown": end - ran, "total": end - start}


def first_cell_imports(paths: list[Path]) -> list[str]:
    from municipal_survey.build.pages import read_page

    lines: list[str] = []
    for path in paths:
        nb = read_page(path)
        first = next((c for c in nb.cells if c.cell_type == "code"), None)
        if first is None:
            continue
        source = re.sub(r"\(\s*\n\s*", "(", first.source)  # join parenthesised import lists
        for line in source.splitlines():
            if re.match(r"(import|from)\s", line) and line not in lines:
                lines.append(line)
    return lines


def importtime(lines: list[str]) -> list[tuple[str, float]]:
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", "\n".join(lines)], capture_output=True,
                          text=True, check=True)
    # importtime prints a module after its children, indented by depth: rebuild the tree
    pending: list[dict] = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        _, cumulative, name = line.split(":", 1)[1].split("|")
        depth = (len(name) - len(name.lstrip())) // 2
        node = {"module": name.strip(), "seconds": int(cumulative) / 1e6, "depth": depth, "children": []}
        while pending and pending[-1]["depth"] > depth:
            node["children"].insert(0, pending.pop())
        pending.append(node)
    out = [(f"{n['module']} (as imported by the cell)", n["seconds"]) for n in pending]
    # each heavy package: total of its outermost imports, and the cell-level import that pulled it in
    totals: dict[str, list] = {}

    def walk(node: dict, root: str, inside: frozenset) -> None:
        top = node["module"].split(".")[0]
        if top in HEAVY and top not in inside and top != root.split(".")[0]:
            entry = totals.setdefault(top, [0.0, []])
            entry[0] += node["seconds"]
            if root not in entry[1]:
                entry[1].append(root)
        for child in node["children"]:
            walk(child, root, inside | {top})

    for node in pending:
        walk(node, node["module"], frozenset())
    out += [(f"{top} (pulled in by {', '.join(roots)})", seconds) for top, (seconds, roots) in totals.items()]
    return sorted(out, key=lambda r: -r[1])[:12]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    paths = sorted(Path("notebooks").glob("*.md"))
    result = {"notebooks": [execute(p) for p in paths], "imports": importtime(first_cell_imports(paths))}
    if args.json:
        print(json.dumps(result))
    else:
        for nb in result["notebooks"]:
            print(f"{nb['notebook']}: kernel start {nb['kernel_start']:.2f} s, "
                  f"first cell {nb['first_cell']:.2f} s, other cells {nb['other_cells']:.2f} s, "
                  f"total {nb['total']:.2f} s")
        for name, seconds in result["imports"]:
            print(f"  {seconds:5.2f} s  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
