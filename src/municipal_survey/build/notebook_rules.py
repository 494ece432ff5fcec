"""The rules of "Udvid bogen", checked for every notebook in notebooks/.

- No number typed in Markdown prose, in digits or as a word ("seks"): numbers come from the data
  through glue, or stand in a `>` quote of a source. Years, section and figure numbers, dates and
  list markers are not findings and pass (a number that starts a wrapped line of a paragraph is not
  a list marker: CommonMark starts a list inside a paragraph only with "1."); anything else that
  looks like a number needs an entry in ALLOWED with its reason.
- Every figure has alternative text and a caption where myst-nb reads them (cell metadata
  mystnb.image.alt and mystnb.figure.caption, or the :alt: option and caption of a {glue:figure}),
  and its own data table (an HTML table) right after it: in the same cell or the next one, for a
  glued figure the table placed next after its {glue:figure} (the glued table named like the figure,
  `_fig` -> `_tab`, where the page glues one). A caption or alt text put at another level is
  reported, because myst-nb ignores it without a word.
- Every notebook is in _toc.yml, and the built site has no page of a notebook outside it.

The prose rules read a page's text (notebooks/*.md) alone; the figure rules read its outputs too,
from an execution in the build's cache (`check_project(root, build_dir)`), or from an .ipynb file
with outputs. Each violation names the notebook, the cell (0-based, in the order of the page) and
the fix.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import pages

# Numbers that are not findings, with the reason they may be typed.
ALLOWED: list[tuple[str, str]] = [
    (r"\b98 (danske )?kommuner\b", "the survey's population: Denmark's municipalities, not a finding"),
    (r"\b5-procents?niveau\w*", "the significance level: a choice of method, not a finding"),
    (r"\b\d = (i|slet|ved|ikke)\b", "the answer codes of the scale (4 = i meget høj grad ...)"),
    (r"\bhvor 0 betyder\b", "explains the range of a statistic, not a result"),
    (r"\bCOVID-19\b", "the name of the disease"),
]
# A count of municipalities or a share written as a word ("seks kommuner", "seks af kommunerne",
# "ti procent"): a finding all the same. Number words that count the questionnaire's parts ("ni
# fokusområder", "de tre største udfordringer") or a method's ("to decimaler") are not findings.
# "en"/"et" are articles too and are left out.
NUMBER_WORD = (r"\b(?:to|tre|fire|fem|seks|syv|otte|ni|ti|elleve|tolv|tretten|fjorten|femten|seksten|sytten|"
               r"atten|nitten|tyve|tredive|fyrre|halvtreds|tres|halvfjerds|firs|halvfems|hundrede|tusinde?)")
COUNTED_WORD = re.compile(NUMBER_WORD + r"(?=(?:\s+\w+){0,2}?\s+(?:kommune[nr]?|kommunerne|procent|pct\.?)(?!\w)"
                                        r"|\s+(?:ud\s+)?af\b)", re.IGNORECASE)

UNIT = r"(?:\s?(?:pct\.?|procent|%))"
NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*" + UNIT + r"?(?![\w])")
YEAR = re.compile(r"^(19|20)\d\d$")
SECTION = re.compile(r"^\d{1,2}(\.\d{1,2})+$")  # 1.2, 4.1, 2.10 (a Danish decimal has a comma)
REFERENCE_WORDS = (r"(?:figur|figurerne|figurer|boks|bilag|kapitel|kapitlerne|afsnit|afsnittene|"
                   r"tabel|tabellerne|trin|punkt|side|siderne|celle|version|WCAG|niveau)")
REFERENCE = re.compile(REFERENCE_WORDS + r"\s+\d[\d.,–\- ogsamt]*$", re.IGNORECASE)
MONTHS = r"(januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december)"
DATE = re.compile(r"\b\d{1,2}\.\s" + MONTHS, re.IGNORECASE)
IMAGE_TYPES = ("image/png", "image/svg+xml", "image/jpeg")
# Places where a caption or alt text is sometimes put but myst-nb does not read it.
WRONG_LEVELS = {
    ("caption",): "mystnb.figure.caption", ("alt",): "mystnb.image.alt",
    ("mystnb", "caption"): "mystnb.figure.caption", ("mystnb", "alt"): "mystnb.image.alt",
    ("mystnb", "image", "caption"): "mystnb.figure.caption", ("mystnb", "figure", "alt"): "mystnb.image.alt",
    ("figure", "caption"): "mystnb.figure.caption", ("image", "alt"): "mystnb.image.alt",
}


@dataclass(frozen=True)
class Violation:
    notebook: str
    cell: int | None
    rule: str
    message: str
    fix: str

    def __str__(self) -> str:
        where = self.notebook if self.cell is None else f"{self.notebook}, cell {self.cell}"
        return f"{where} [{self.rule}]: {self.message}. Fix: {self.fix}"


def _prose(markdown: str) -> list[str]:
    """The lines of a Markdown cell that are the book's own prose (no code, quotes, roles or links)."""
    out: list[str] = []
    fences: list[tuple[str, bool]] = []  # open fences: (marker, body is prose)
    previous = ""  # the line before: a list marker starts a paragraph, continues a list or is "1."
    in_list = False
    for line in markdown.splitlines():
        stripped = line.strip()
        starts_paragraph = not previous.strip()
        previous = line
        fence = re.match(r"^(`{3,}|~{3,}|:{3,})(.*)$", stripped)
        if fence:
            marker, rest = fence.groups()
            if fences and marker == fences[-1][0] and not rest.strip():
                fences.pop()
            else:
                fences.append((marker, bool(re.match(r"\{(admonition|note|important|tip|warning|glue:figure|"
                                                     r"figure|dropdown)", rest.strip()))))
            continue
        if any(not prose for _marker, prose in fences):
            continue  # inside a code block
        if stripped.startswith(">") or re.match(r"^:[\w-]+:", stripped):
            continue
        line = re.sub(r"\{[\w:-]+\}`[^`]*`", " ", line)  # glue and other roles
        line = re.sub(r"`[^`]*`", " ", line)  # inline code: file names, identifiers
        line = re.sub(r"\]\([^)]*\)", "]", line)  # link targets
        line = re.sub(r"<!--.*?-->", " ", line)
        line = re.sub(r"^\s*#+\s+\d+(?:\.\d+)*\.?\s", " ", line)  # a numbered heading
        marker = re.match(r"^\s*(\d{1,9})[.)]\s", line)
        if marker and (starts_paragraph or in_list or marker.group(1) == "1"):
            in_list = True
            line = line[marker.end():]
        elif starts_paragraph and not line[:1].isspace():
            in_list = False  # a new paragraph that is no item ends the list
        out.append(line)
    return out


def typed_numbers(markdown: str) -> list[str]:
    """The numbers typed in a Markdown cell's prose that are not allowed through."""
    found = []
    for line in _prose(markdown):
        for pattern, _reason in ALLOWED:
            line = re.sub(pattern, " ", line)
        line = DATE.sub(" ", line)
        for match in NUMBER.finditer(line):
            token = match.group(0)
            bare = re.sub(UNIT + "$", "", token)
            has_unit = bare != token
            if not has_unit and (YEAR.match(bare) or SECTION.match(bare)):
                continue
            if not has_unit and REFERENCE.search(line[:match.end()]):
                continue
            found.append(token.strip())
        found += [match.group(0) for match in COUNTED_WORD.finditer(line)]
    return found


def _get(mapping: dict, keys: tuple[str, ...]):
    for key in keys:
        if not isinstance(mapping, dict) or key not in mapping:
            return None
        mapping = mapping[key]
    return mapping


def _kinds(output: dict) -> dict[str, object]:
    """An output's data by mime type; a glued output's prefix (application/papermill.record/) removed."""
    prefix = _get(output.get("metadata", {}), ("scrapbook", "mime_prefix")) or ""
    return {(key[len(prefix):] if prefix and key.startswith(prefix) else key): value
            for key, value in output.get("data", {}).items()}


def _has_table(cell: dict) -> bool:
    """An HTML table among the cell's outputs (shown, or glued for the Markdown to place)."""
    return any("<table" in "".join(_kinds(out).get("text/html", "")) for out in cell.get("outputs", []))


def _glue_figures(cells: list[dict]) -> dict[str, int]:
    """Name -> index of the Markdown cell that places a glued figure with {glue:figure}."""
    placed = {}
    for index, cell in enumerate(cells):
        if cell["cell_type"] == "markdown":
            for name in re.findall(r"[`:]{3,}\{glue:figure\}\s+(\S+)", cell["source"]):
                placed[name] = index
    return placed


def _glue_block(markdown: str, name: str) -> str:
    match = re.search(r"([`:]{3,})\{glue:figure\}\s+" + re.escape(name) + r"\s*\n(.*?)\n\1", markdown, re.S)
    return match.group(2) if match else ""


def _cells(path: Path, build_dir: Path | None) -> tuple[list[dict], bool]:
    """The page's cells as dicts (source joined) and whether they carry outputs: an .ipynb with its
    outputs, or a MyST Markdown page with those of its execution in the build's cache (if given)."""
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return [{**c, "source": "".join(c["source"])} for c in cells], True
    if build_dir is None:
        return [dict(c) for c in pages.read_page(path).cells], False
    return [dict(c) for c in pages.executed_page(path, build_dir).cells], True


def check_notebook(path: Path, toc: set[str] | None = None, build_dir: Path | None = None) -> list[Violation]:
    """Every violation of the rules in one page; `toc` is the set of files in _toc.yml. The figure
    rules need outputs: an .ipynb's own, or a page's execution in `build_dir`'s cache."""
    path = Path(path)
    name = path.name
    cells, with_outputs = _cells(path, build_dir)
    found: list[Violation] = []
    placed = _glue_figures(cells)
    glued_tables = {_get(out.get("metadata", {}), ("scrapbook", "name")) for cell in cells
                    for out in cell.get("outputs", []) if "text/html" in _kinds(out)}
    for index, cell in enumerate(cells):
        source = cell["source"]
        if cell["cell_type"] == "markdown":
            for number in typed_numbers(source):
                found.append(Violation(name, index, "typed-number", f"the number '{number}' is typed in the prose",
                                       "compute it and glue it (report.text.glue_text, then {glue:text}`name`), "
                                       "or quote the source on a `>` line"))
            continue
        if cell["cell_type"] != "code":
            continue
        if path.suffix == ".ipynb" and source.strip() and cell.get("execution_count") is None:
            found.append(Violation(name, index, "not-executed", "the cell has not been executed",
                                   f"run `make execute NB=notebooks/{name}`"))
        metadata = cell.get("metadata", {})
        for keys, right in WRONG_LEVELS.items():
            if _get(metadata, keys) is not None:
                found.append(Violation(name, index, "wrong-level",
                                       f"metadata {'.'.join(keys)} is ignored by myst-nb",
                                       f"move it to `{right}` in the cell's metadata"))
        for output in cell.get("outputs", []) if with_outputs else []:
            if not any(kind in _kinds(output) for kind in IMAGE_TYPES):
                continue
            glued = _get(output.get("metadata", {}), ("scrapbook", "name"))
            if glued:
                found += _check_glued_figure(name, cells, glued, placed, glued_tables)
                continue
            if not str(_get(metadata, ("mystnb", "image", "alt")) or "").strip():
                found.append(Violation(name, index, "figure-alt", "the figure has no alternative text",
                                       "add `mystnb.image.alt` to the cell's metadata (what the figure shows)"))
            if not str(_get(metadata, ("mystnb", "figure", "caption")) or "").strip():
                found.append(Violation(name, index, "figure-caption", "the figure has no caption",
                                       "add `mystnb.figure.caption` to the cell's metadata"))
            nxt = cells[index + 1] if index + 1 < len(cells) else {}
            if not (_has_table(cell) or _has_table(nxt)):
                found.append(Violation(
                    name, index, "figure-table", "the figure has no data table beside it",
                    "show its table with report.tables.show_table in the same or the next cell"))
            break  # one figure per cell is checked once
    if toc is not None and f"notebooks/{path.stem}" not in toc:
        found.append(Violation(name, None, "toc", "the notebook is not in _toc.yml, so the book leaves it out",
                               f"add `- file: notebooks/{path.stem}` to a part of _toc.yml"))
    return found


def _placed_after(markdown: str, figure: str) -> str | None:
    """What the Markdown places right after the {glue:figure} `figure`: the name of the next {glue}
    directive, "" when the figure ends the cell, None when text, a heading or another figure comes
    first."""
    directive = r"([`:]{3,})\{glue:figure\}\s+" + re.escape(figure) + r"\s*\n.*?\n\1[ \t]*\n?"
    match = re.search(directive, markdown, re.S)
    rest = markdown[match.end():].lstrip() if match else ""
    if not rest:
        return ""
    following = re.match(r"[`:]{3,}\{glue(?::any)?\}\s+(\S+)", rest)
    return following.group(1) if following else None


def _check_glued_figure(name: str, cells: list[dict], figure: str, placed: dict[str, int],
                        glued_tables: set[str]) -> list[Violation]:
    if figure not in placed:
        return []  # a glued value that no page places as a figure (e.g. shown with {glue}) is not a chart
    where = placed[figure]
    block = _glue_block(cells[where]["source"], figure)
    found = []
    if not re.search(r"^:alt:\s*\S", block, re.M):
        found.append(Violation(name, where, "figure-alt", f"the glued figure '{figure}' has no alternative text",
                               "add an `:alt:` line to its {glue:figure} directive"))
    caption = [line for line in block.splitlines() if line.strip() and not line.strip().startswith(":")]
    if not caption:
        found.append(Violation(name, where, "figure-caption", f"the glued figure '{figure}' has no caption",
                               "write the caption in the body of its {glue:figure} directive"))
    own = figure.replace("_fig", "_tab", 1)
    after = _placed_after(cells[where]["source"], figure)
    nxt = cells[where + 1] if where + 1 < len(cells) else {}
    if own in glued_tables and after != own:
        found.append(Violation(name, where, "figure-table", f"the glued figure '{figure}' is not followed by "
                               f"its table '{own}'", f"place ```{{glue}} {own}``` right after the figure"))
    elif own not in glued_tables and not (after in glued_tables or (after == "" and _has_table(nxt))):
        found.append(Violation(name, where, "figure-table",
                               f"the glued figure '{figure}' has no data table right after it",
                               "glue its table and place it with ```{glue} name``` right after the figure, or "
                               "show it with report.tables.show_table in the next cell"))
    return found


def toc_files(toc_path: Path) -> set[str]:
    """Every `file:` in _toc.yml, without suffix."""
    files: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("file", "root") and isinstance(value, str):
                    files.add(re.sub(r"\.(ipynb|md)$", "", value))
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(yaml.safe_load(Path(toc_path).read_text(encoding="utf-8")))
    return files


def check_project(root: Path, build_dir: Path | None = None) -> list[Violation]:
    """The rules for every page in root/notebooks, against root/_toc.yml; the figure rules too when
    `build_dir` holds the pages' executions."""
    root = Path(root)
    toc = toc_files(root / "_toc.yml")
    found = []
    for path in pages.page_paths(root):
        found += check_notebook(path, toc, build_dir)
    return found


def orphan_pages(html_dir: Path, toc: set[str]) -> list[str]:
    """Built notebook pages whose notebook is not in _toc.yml (a stale copy from an earlier build)."""
    html_dir = Path(html_dir)
    pages = sorted(html_dir.glob("notebooks/*.html"))
    return [str(p.relative_to(html_dir)) for p in pages if f"notebooks/{p.stem}" not in toc]
