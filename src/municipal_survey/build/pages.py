"""The book's pages as text, and what their execution gives as reviewable glue manifests.

A page is a MyST Markdown notebook (notebooks/<page>.md, jupytext's `myst` format): prose is plain
text, so a prose edit is a one-line diff, and Jupyter opens it (with jupytext) to run all cells.
Outputs are not kept beside the page. Instead each page has a glue manifest,
notebooks/_glue/<page>.yml, written from an execution: every glued name with its Danish text, its
provenance and the line of code that glued it, and a digest of every other output (tables, figures,
printed text). So a changed number shows in review as a changed line, every glue name the prose uses
stands literally in a committed file, and `make test` proves that a fresh execution gives exactly the
committed manifests (`stale_manifests`).

The executed notebooks are read from the build's execution cache (jupyter-cache, keyed by a page's
code cells), which `make build-check` and `make execute` fill and `fingerprint` empties whenever
data or package code change: an entry that matches a page's code is an execution of that code on the
current inputs, however old the files around it are.

Commands (python -m municipal_survey.build.pages ...):
  convert [NOTEBOOK.ipynb ...]  turn notebooks into MyST Markdown pages (all in notebooks/ by default)
  manifest [--page P ...]       write the glue manifests from the build's execution cache
  check                         exit 1 when a fresh execution differs from a committed manifest
  code --into DIR               write each page's code cells as DIR/<page>.py (make lint runs ruff on them)
"""
from __future__ import annotations

import argparse
import configparser
import hashlib
import re
import sys
from pathlib import Path

import yaml

from ..data import paths
from .fingerprint import CACHE, inputs_digest, stamp_matches

PAGES_DIR = "notebooks"
MANIFEST_DIR = "_glue"
GLUE_PREFIX = "application/papermill.record/"
GLUE_TEXT = GLUE_PREFIX + "text/plain"
# Notebook metadata a page keeps; the rest (language_info, widgets) is written by whoever ran it last.
KEPT_METADATA = ("kernelspec", "jupytext")
# Output data that is a picture or a table: recorded by digest, not by content.
DIGESTED = ("text/html", "image/png", "image/svg+xml", "image/jpeg", "text/plain")
# A reference from a text page to a notebook page (README, book/*.md): `notebooks/x.ipynb`.
NOTEBOOK_REFERENCE = re.compile(r"\b(notebooks/[\w<>-]+)\.ipynb\b")
# Glue roles and directives in page text: {glue}`name`, {glue:text}`name:.1f`,
# {glue:text}`../notebooks/page.md::name:s`, ```{glue:figure} name.
GLUE_ROLE = re.compile(r"\{glue(?::\w+)?\}`(?:([^`:]+\.(?:md|ipynb))::)?([^`:]+)(?::[^`]*)?`")
GLUE_DIRECTIVE = re.compile(r"^[`:]{3,}\{glue(?::\w+)?\}\s+(?:([^\s:]+\.(?:md|ipynb))::)?(\S+)", re.M)


class PageError(Exception):
    """A page that cannot be converted, or has no execution to read."""


# --- pages as text --------------------------------------------------------------------------------

def page_paths(root: Path | None = None) -> list[Path]:
    """The pages (MyST Markdown notebooks) in notebooks/, by name."""
    root = root or paths.PROJECT_ROOT
    return sorted(p for p in (root / PAGES_DIR).glob("*.md") if is_page(p))


def is_page(path: Path) -> bool:
    from myst_nb.core.read import is_myst_markdown_notebook

    return is_myst_markdown_notebook(Path(path).read_text(encoding="utf-8"))


def read_page(path: Path):
    """A page as the notebook myst-nb builds from it (so its code hashes as in the book's build)."""
    from myst_nb.core.read import read_myst_markdown_notebook

    return read_myst_markdown_notebook(Path(path).read_text(encoding="utf-8"))


def _without_outputs(notebook):
    for cell in notebook.cells:
        cell.pop("id", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    notebook.metadata = {k: v for k, v in notebook.metadata.items() if k in KEPT_METADATA}
    return notebook


def to_markdown(notebook) -> str:
    """The notebook as a MyST Markdown page, without outputs; raises PageError if the page would not
    read back as the same cells (source, type and metadata)."""
    import jupytext

    notebook = _without_outputs(notebook)
    text = jupytext.writes(notebook, fmt="md:myst")
    back = read_myst_markdown_notebook_text(text)
    if _cells(back) != _cells(notebook):
        mine, theirs = _cells(notebook), _cells(back)
        first = next((i for i, (a, b) in enumerate(zip(mine, theirs)) if a != b), min(len(mine), len(theirs)))
        raise PageError(f"cell {first} does not survive the conversion to MyST Markdown: "
                        f"{mine[first] if first < len(mine) else None!r} became "
                        f"{theirs[first] if first < len(theirs) else None!r}")
    return text


def read_myst_markdown_notebook_text(text: str):
    from myst_nb.core.read import read_myst_markdown_notebook

    return read_myst_markdown_notebook(text)


def _cells(notebook) -> list[tuple]:
    return [(c.cell_type, c.source.strip("\n"), dict(c.get("metadata", {}))) for c in notebook.cells]


def convert(notebooks: list[Path], root: Path | None = None) -> list[Path]:
    """Write each notebook as notebooks/<name>.md beside it and remove the .ipynb; point references in
    the README and book/*.md at the new pages. Returns the pages written."""
    import nbformat

    root = root or paths.PROJECT_ROOT
    written = []
    for path in notebooks:
        try:
            text = to_markdown(nbformat.read(path, as_version=4))
        except PageError as err:
            raise PageError(f"{path}: {err}") from None
        page = path.with_suffix(".md")
        page.write_text(text, encoding="utf-8")
        path.unlink()
        written.append(page)
    for text_file in [root / "README.md", *sorted((root / "book").rglob("*.md"))]:
        if not text_file.exists():
            continue
        old = text_file.read_text(encoding="utf-8")
        new = NOTEBOOK_REFERENCE.sub(r"\1.md", old)
        if new != old:
            text_file.write_text(new, encoding="utf-8")
    return written


# --- executions and manifests ---------------------------------------------------------------------

BUILD_CHECK = "run `make build-check`: it executes what changed"
EXECUTE = "run `make execute`: it executes what changed"


def executed(page: Path, build_dir: Path, advice: str = BUILD_CHECK):
    """The execution of the page's current code in the build's execution cache; PageError if none."""
    from jupyter_cache import get_cache

    cache = get_cache(str(Path(build_dir) / CACHE))
    try:
        record = cache.match_cache_notebook(read_page(page))
    except KeyError:
        raise PageError(f"{page.parent.name}/{page.name} has no execution of its current code in "
                        f"{Path(build_dir) / CACHE} ({advice}; a page is executed once it is in "
                        "_toc.yml)") from None
    return cache.get_cache_bundle(record.pk).nb


def executed_page(page: Path, build_dir: Path, advice: str = BUILD_CHECK):
    """The page with the outputs of its execution in the build's cache merged into its cells."""
    from jupyter_cache import get_cache

    executed(page, build_dir, advice)  # names the page when there is no execution
    return get_cache(str(Path(build_dir) / CACHE)).merge_match_into_notebook(read_page(page))[1]


def _sanitizers(root: Path) -> list[tuple[re.Pattern, str]]:
    """The patterns nbval uses too (nbval-sanitize.cfg): memory addresses, dates, temporary paths."""
    config = configparser.ConfigParser()
    config.read(root / "nbval-sanitize.cfg", encoding="utf-8")
    return [(re.compile(config[s]["regex"]), config[s]["replace"]) for s in config.sections()]


def _digest(value, sanitize) -> str:
    text = "".join(value) if isinstance(value, list) else value if isinstance(value, str) else repr(value)
    return hashlib.sha256(sanitize(text).encode()).hexdigest()[:16]


def _plain(value) -> str:
    """A glued string as Danish text: IPython's repr ('46 pct.') without its quotes."""
    import ast

    text = "".join(value) if isinstance(value, list) else value
    try:
        literal = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    return literal if isinstance(literal, str) else text


def _last_statement(source: str) -> str:
    """The first line of a cell's last top-level statement: the call that glues or shows."""
    starts = [line.rstrip() for line in source.splitlines()
              if line.strip() and not line[0].isspace() and line[0] not in ")]}#"]
    return starts[-1] if starts else ""


def manifest(notebook, root: Path | None = None) -> dict:
    """What an executed page shows: its glued values by name and the digest of every other output,
    per code cell (named by its first line)."""
    root = root or paths.PROJECT_ROOT
    rules = _sanitizers(root)

    def sanitize(text: str) -> str:
        for pattern, replacement in rules:
            text = pattern.sub(replacement, text)
        return text

    glue: dict[str, dict] = {}
    outputs: list[dict] = []
    for number, cell in enumerate((c for c in notebook.cells if c.cell_type == "code"), start=1):
        code = _last_statement(cell.source)
        shown: list[str] = []
        stream = ""
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                stream += "".join(output.get("text", ""))
                continue
            scrapbook = output.get("metadata", {}).get("scrapbook")
            data = output.get("data", {})
            if scrapbook:
                name = scrapbook["name"]
                if name in glue:
                    raise PageError(f"glue {name!r} is glued twice (code cells {glue[name]['cell']} and {number})")
                literal = [line.strip() for line in cell.source.splitlines() if f'"{name}"' in line]
                entry = {"cell": number, "code": literal[0] if literal else code}
                kinds = {k[len(GLUE_PREFIX):]: v for k, v in data.items()}
                if set(kinds) == {"text/plain"}:  # a glued text; figures and tables carry other kinds too
                    entry["text"] = _plain(kinds["text/plain"])
                else:
                    kind = next(k for k in DIGESTED if k in kinds)
                    entry["shown"] = f"{kind} {_digest(kinds[kind], sanitize)}"
                if scrapbook.get("provenance"):
                    entry["provenance"] = scrapbook["provenance"]
                glue[name] = entry
                continue
            for kind in DIGESTED:
                if kind in data:
                    shown.append(f"{kind} {_digest(data[kind], sanitize)}")
                    break
            else:
                if output.get("output_type") == "error":
                    raise PageError(f"code cell {number} ({code}) raised {output.get('ename')}")
        if stream:
            shown.append(f"text {_digest(stream, sanitize)}")
        if shown:
            outputs.append({"cell": number, "code": code, "shown": shown})
    return {"glue": glue, "outputs": outputs}


HEADER = ("# What a fresh execution of {page} gives (python -m municipal_survey.build.pages manifest;\n"
          "# make test checks it): every glued value with its Danish text, its provenance and the code cell\n"
          "# that glued it, and a digest of every other output. Do not edit by hand.\n")


def manifest_path(page: Path) -> Path:
    return page.parent / MANIFEST_DIR / f"{page.stem}.yml"


def dump(page: Path, content: dict) -> str:
    return HEADER.format(page=f"{page.parent.name}/{page.name}") + yaml.safe_dump(
        content, allow_unicode=True, sort_keys=False, width=110)


def _require_fresh_cache(build_dir: Path, advice: str) -> None:
    if not stamp_matches(build_dir, inputs_digest(paths.SYNTHETIC_RESPONSES)):
        raise PageError(f"the execution cache in {build_dir} was not made from the current data and code on "
                        f"the synthetic dataset ({advice})")


def write_manifests(build_dir: Path, pages: list[Path]) -> list[Path]:
    """Write each page's manifest from its execution in the build's cache; the files that changed."""
    _require_fresh_cache(build_dir, EXECUTE)
    changed = []
    for page in pages:
        target = manifest_path(page)
        text = dump(page, manifest(executed(page, build_dir, EXECUTE)))
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.parent.mkdir(exist_ok=True)
            target.write_text(text, encoding="utf-8")
            changed.append(target)
    return changed


def stale_manifests(build_dir: Path, pages: list[Path]) -> list[str]:
    """Where a committed manifest differs from what the page's execution in the build gives, line by
    line (a missing manifest is one difference)."""
    import difflib

    _require_fresh_cache(build_dir, BUILD_CHECK)
    found = []
    for page in pages:
        target = manifest_path(page)
        fresh = dump(page, manifest(executed(page, build_dir)))
        if not target.exists():
            found.append(f"{target.relative_to(page.parent.parent)} is missing")
            continue
        diff = difflib.unified_diff(target.read_text(encoding="utf-8").splitlines(), fresh.splitlines(),
                                    f"committed {target.name}", "fresh execution", lineterm="", n=0)
        found += [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")][:20]
    return found


def committed_glue(page: Path) -> dict[str, dict]:
    """The page's glued values as its committed manifest records them: name -> {text or shown,
    provenance, cell, code}."""
    target = manifest_path(Path(page))
    if not target.exists():
        raise PageError(f"{target} is missing (run `make execute NB={page.parent.name}/{page.name}`)")
    return yaml.safe_load(target.read_text(encoding="utf-8"))["glue"]


def prose(page: Path) -> str:
    """The Markdown cells of a page, joined: what a reader reads around the glued values."""
    return "\n\n".join(c.source for c in read_page(page).cells if c.cell_type == "markdown")


def section_calls(page: Path) -> list:
    """The section helpers the page's code calls (`sections.<helper>(book, ...)`), in page order, as
    report.registry.Section: what the registry must list for the page."""
    import ast

    from ..report.registry import Section

    found = []
    for cell in read_page(page).cells:
        if cell.cell_type != "code":
            continue
        calls = [node for node in ast.walk(ast.parse(cell.source)) if isinstance(node, ast.Call)
                 and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)
                 and node.func.value.id == "sections" and node.args and isinstance(node.args[0], ast.Name)
                 and node.args[0].id == "book"]
        found += [Section(call.func.attr, tuple(ast.literal_eval(a) for a in call.args[1:]),
                          {k.arg: ast.literal_eval(k.value) for k in call.keywords})
                  for call in sorted(calls, key=lambda c: (c.lineno, c.col_offset))]
    return found


def write_code(page_files: list[Path], folder: Path) -> list[Path]:
    """Each page's code cells as one Python file in `folder` (a `# %%` line before each cell), for
    ruff, which reads notebooks but not MyST Markdown pages."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for page in page_files:
        cells = [c.source.strip("\n") for c in read_page(page).cells if c.cell_type == "code"]
        target = folder / f"{page.stem}.py"
        target.write_text(f"# The code cells of {page.parent.name}/{page.name}, in order.\n"
                          + "".join(f"# %%\n{source}\n\n" for source in cells).rstrip("\n") + "\n",
                          encoding="utf-8")
        written.append(target)
    return written


def glue_uses(text: str) -> list[tuple[str | None, str]]:
    """(page referred to or None for this page, name) of every glue role and directive in page text."""
    return GLUE_ROLE.findall(text) + GLUE_DIRECTIVE.findall(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m municipal_survey.build.pages", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    conv = sub.add_parser("convert", help="notebooks (.ipynb) to MyST Markdown pages")
    conv.add_argument("notebooks", nargs="*", type=Path)
    code = sub.add_parser("code", help="each page's code cells as a Python file, for ruff")
    code.add_argument("--into", type=Path, required=True)
    for name in ("manifest", "check"):
        cmd = sub.add_parser(name)
        cmd.add_argument("--build-dir", type=Path, default=Path("_build"))
        cmd.add_argument("--page", type=Path, action="append", help="one page (default: every page)")
    args = parser.parse_args(argv)
    try:
        if args.command == "convert":
            notebooks = args.notebooks or sorted((paths.PROJECT_ROOT / PAGES_DIR).glob("*.ipynb"))
            for page in convert(notebooks):
                print(f"wrote {page}")
            return 0
        if args.command == "code":
            write_code(page_paths(), args.into)
            return 0
        pages = [p.resolve() for p in args.page] if args.page else page_paths()
        if args.command == "manifest":
            for target in write_manifests(args.build_dir, pages):
                print(f"wrote {target}")
            return 0
        found = stale_manifests(args.build_dir, pages)
        if found:
            print("the committed glue manifests differ from a fresh execution (run `make execute`, review "
                  "and commit notebooks/_glue/):\n" + "\n".join(found), file=sys.stderr)
            return 1
        return 0
    except PageError as err:
        print(err, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
