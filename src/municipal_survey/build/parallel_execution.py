"""Execute the book's notebooks on all cores into jupyter-book's execution cache, before the build.

jupyter-book 1.x (myst-nb, `execute_notebooks: cache`) executes notebooks one after another while
Sphinx reads them, so a cold build uses one of the machine's cores. `make book` therefore first runs
`python -m municipal_survey execute-cache`, which does for every notebook of the table of contents
without a cache entry what myst-nb would do (jupyter-cache's `single_nb_execution` in the notebook's
folder with the book's timeout and allow_errors, then `cache_notebook_bundle`), but several at once.
The cache key is myst-nb's own (jupyter-cache's hash of the code cells and the kernelspec), so the
build that follows finds every notebook cached and executes nothing; `fingerprint` (run before)
still empties the cache whenever data or package code change.

A notebook whose cell raises fails the book: `main` names the notebook, the cell and the error and
exits non-zero, so that `make book` stops before anything is built (jupyter-book would otherwise show
the notebook's committed outputs, computed from another dataset). A notebook whose kernel could not
start (two kernels started together can be handed the same free port) is left out of the cache
instead: the build then executes it again, and fails the same way if a cell raises there
(`nb_execution_raise_on_error` in _config.yml).
"""
from __future__ import annotations

import multiprocessing
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..data import paths
from . import pages
from .fingerprint import CACHE


@dataclass(frozen=True)
class Outcome:
    notebook: Path
    seconds: float
    error: str | None = None
    cell: str | None = None  # the cell that raised ("cell 3: <its first line>"); None: before any cell ran

    @property
    def failed_in_a_cell(self) -> bool:
        return self.error is not None and self.cell is not None


def failing_cell(notebook) -> str:
    """Which cell of an executed notebook raised: its number among all cells and its first line."""
    for number, cell in enumerate(notebook.cells, start=1):
        if any(output.get("output_type") == "error" for output in cell.get("outputs", [])):
            first = next((line for line in cell.source.splitlines() if line.strip()), "")
            return f"cell {number}: {first.strip()}"
    return "a cell that did not finish (time-out)"


def toc_notebooks(root: Path = paths.PROJECT_ROOT) -> list[Path]:
    """The notebooks the book's _toc.yml lists (.ipynb files and MyST Markdown pages), in
    table-of-contents order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    found: list[Path] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            for key in ("root", "file"):  # the front page may be a notebook too
                if not isinstance(node.get(key), str):
                    continue
                path = _source(root / node[key])
                if path is not None and path not in found:
                    found.append(path)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(toc)
    return found


def _source(entry: Path) -> Path | None:
    """The notebook a _toc.yml entry names (its suffix may be left out), or None for a text page."""
    candidates = [entry] if entry.suffix else [entry.with_suffix(".md"), entry.with_suffix(".ipynb")]
    for path in candidates:
        if path.exists() and (path.suffix == ".ipynb" or (path.suffix == ".md" and pages.is_page(path))):
            return path
    return None


def read_notebook(path: Path):
    """The notebook at `path` as myst-nb reads it for the build (so its cache key is the build's)."""
    import nbformat

    return pages.read_page(path) if Path(path).suffix == ".md" else nbformat.read(path, as_version=4)


def execution_settings(root: Path = paths.PROJECT_ROOT) -> dict:
    """timeout and allow_errors as the book's _config.yml sets them for myst-nb (jupyter-book's defaults
    otherwise)."""
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    execute = config.get("execute") or {}
    return {"timeout": execute.get("timeout", 30), "allow_errors": bool(execute.get("allow_errors", False))}


def _execute(path: str, timeout: int, allow_errors: bool):
    from jupyter_cache.executors.utils import single_nb_execution

    notebook = read_notebook(Path(path))
    # meta_override as myst-nb: a notebook's own metadata.execution may change timeout/allow_errors.
    # An immediate kernel shutdown saves ~0.5 s per notebook and changes no output.
    try:
        result = single_nb_execution(notebook, cwd=str(Path(path).parent), timeout=timeout,
                                     allow_errors=allow_errors, meta_override=True, shutdown_kernel="immediate")
    except Exception as err:  # the build executes this notebook again and reports what happens
        # Before any cell ran: e.g. no such kernel, or a kernel that died at start because one started
        # beside it was handed the same free TCP port ("Kernel died before replying to kernel_info").
        return notebook, 0.0, f"{err.__class__.__name__}: {err}", None
    if result.err is None:
        return notebook, result.time, None, None
    error = f"{result.err.__class__.__name__}\n{result.exc_string[-3000:]}"
    return notebook, result.time, error, failing_cell(notebook)


def fill_cache(cache_dir: Path, notebooks: list[Path], *, jobs: int, timeout: int,
               allow_errors: bool) -> list[Outcome]:
    """Execute, `jobs` at a time, every notebook without an entry in the jupyter-cache at `cache_dir`,
    and cache each that succeeds. Returns what was executed (already cached notebooks are skipped)."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(str(cache_dir))
    todo = []
    for path in notebooks:
        try:
            cache.match_cache_notebook(read_notebook(path))
        except KeyError:
            todo.append(path)
    # Largest first (the notebooks with most figures run longest), so neither core idles at the end.
    todo.sort(key=lambda p: p.stat().st_size, reverse=True)
    outcomes: list[Outcome] = []
    if not todo:
        return outcomes
    # Workers only execute; this process alone writes the cache's SQLite database.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(todo))), mp_context=context) as pool:
        futures = {path: pool.submit(_execute, str(path), timeout, allow_errors) for path in todo}
        for path, future in futures.items():
            notebook, seconds, error, cell = future.result()
            if error is None:
                record = cache.add_nb_to_project(str(path))
                cache.cache_notebook_bundle(
                    CacheBundleIn(notebook, record.uri, data={"execution_seconds": seconds}),
                    check_validity=False, overwrite=True)
            outcomes.append(Outcome(path, seconds, error, cell))
    return outcomes


def run(build_dir: Path, jobs: int, root: Path = paths.PROJECT_ROOT) -> list[Outcome]:
    """fill_cache() for the book at `root` into the build's execution cache, where jupyter-book looks."""
    return fill_cache(build_dir / CACHE, toc_notebooks(root), jobs=jobs, **execution_settings(root))


def report(outcomes: list[Outcome], total: int, jobs: int, seconds: float) -> str:
    lines = [f"execute-cache: {len(outcomes)} of {total} notebooks executed on up to {jobs} processes "
             f"in {seconds:.1f} s"]
    for outcome in outcomes:
        name = f"{outcome.notebook.parent.name}/{outcome.notebook.name}"
        if outcome.failed_in_a_cell:
            lines.append(f"  {name} failed in {outcome.cell}\n    {_last_error_line(outcome.error)}\n"
                         "  Nothing was built: the book is not published with outputs of another dataset.")
        elif outcome.error:
            lines.append(f"  {name} failed before any cell ran; the book build will execute it "
                         f"again and report the error:\n    {outcome.error.splitlines()[0]}")
    return "\n".join(lines)


def _last_error_line(error: str) -> str:
    """The exception's own line ("OverflowError: math range error") from a cell's traceback."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", error)  # the kernel's traceback is coloured
    lines = [line.strip() for line in plain.splitlines() if line.strip()]
    named = [line for line in lines if re.match(r"^[A-Za-z_][\w.]*(Error|Exception|Warning|Interrupt)\b", line)]
    return named[-1] if named else lines[0]


def main(build_dir: Path, jobs: int) -> int:
    """Exit 1 when a notebook's cell raised (make book then stops), else 0."""
    start = time.perf_counter()
    outcomes = run(build_dir, jobs)
    print(report(outcomes, len(toc_notebooks()), jobs, time.perf_counter() - start),
          file=sys.stderr if any(o.failed_in_a_cell for o in outcomes) else sys.stdout)
    return 1 if any(o.failed_in_a_cell for o in outcomes) else 0
