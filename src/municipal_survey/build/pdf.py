"""The book for readers as one PDF: the built pages' content in table-of-contents order, printed by Chromium.

    python -m municipal_survey.build.pdf --build-dir _build [--require] [--if-stale | --remove-stale]

Reads the pages `jupyter-book build` already wrote and joins the articles of the reader's pages
(READER_PAGES: the summary, chapters 1–4, the reading guide, the method and the verification's summary)
into one HTML document (`_build/pdf/bog.html`, outside the site, so the page checks do not count it
twice): a front page with title, publisher (when set), date and the dataset banner, a page with the
contents (with page numbers) and the colophon, then every chapter on a new page. The technical appendix
(data preparation, assumptions, architecture, extending the book) stays on the site. Links between the
pages become links inside the PDF; links to pages left out become plain text; downloads (files only a
web page can offer) and hidden code are left out. The contents' page numbers come from a first print:
Chromium's CSS has no target-counter(), so the document is printed (its charts as empty boxes of their
size: the same pages in less than half the time), the page of each chapter's bookmark read back (pypdf),
and printed again, whole, with the numbers.
Debian's Chromium, the one the browser accessibility checks use, prints it to A4 with page numbers
(CSS page-margin boxes), as a tagged PDF with a document outline and the language set. The PDF is
written into the site (`_build/html/PDF_NAME`), where every page links to it.

Why not Sphinx's singlehtml builder: a second build took more than twice the CPU time of joining the
pages, and it rewrites the Sphinx environment the html build shares, so the next `make book` would
no longer find the site current.
"""
from __future__ import annotations

import argparse
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from ..data import paths, settings
from . import publication

PDF_NAME = settings.pdf_name()  # data/settings.yml
# "0": the book is built without its PDF (make book BOOK_PDF=0), so no page links to one.
LINK_ENV = "MUNICIPAL_SURVEY_BOOK_PDF"
SOURCE_NAME = "bog.html"
CHROMIUM_ENV = "CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
# The site's stylesheets the printed content needs (code, notebook outputs, the book's own rules); the
# theme's 400 kB stylesheet styles the web page's frame and costs a fifth of the printing time, so
# print_css() gives the few rules of it the content needs.
STYLESHEETS = ("pygments.css", "mystnb.", "sphinx-design", "custom.css")
PRINT_TIMEOUT = 300  # seconds; printing the book takes a few
IDENTIFIER_WRAP = 15  # characters: a longer word_with_underscores may wrap after an underscore
PAGE_WIDTH_MM, MARGIN_MM = 210, 16  # A4; the text is 178 mm wide
# Before printing, a table wider than the text (its columns' shortest possible widths add up to more)
# gets a smaller font; if that is not enough, its long words may break, then any word, rather than the
# table run off the page. The screen layout has the printed width, so the measurement holds on paper.
SQUEEZE_SCRIPT = """
const width = (element) => element.getBoundingClientRect().width;
const tooWide = (table) => width(table) > width(table.parentElement) + 1;
for (const table of document.querySelectorAll("table")) {
  if (tooWide(table)) table.classList.add("pdf-squeeze");
  if (tooWide(table)) {
    for (const cell of table.querySelectorAll("th, td")) {
      if (cell.textContent.split(/\\s+/).some((word) => word.length > 12)) cell.classList.add("pdf-break-words");
    }
  }
  if (tooWide(table)) table.classList.add("pdf-break-words");
}
"""


# The reader's pages, in _toc.yml's order, and how many of a page's sections (<h2>) are kept (None: all).
# The verification keeps its result and the report's inconsistencies; the table of every published
# number (more than 10 pages) stays on the site.
READER_PAGES = {"notebooks/sammenfatning": None, "notebooks/01_organisering": None,
                "notebooks/02_maalgrupper": None, "notebooks/03_variation": None,
                "notebooks/04_aktuelle_temaer": None, "book/laesevejledning": None, "book/metode": None,
                "notebooks/99_verifikation": 2}
MAX_PRINTS = 3  # the contents' page numbers settle after the second print; a third is a safeguard


@dataclass
class Chapter:
    docname: str  # e.g. notebooks/01_organisering
    part: str  # the caption of its part in _toc.yml ("" for the front page)
    title: str
    html: str  # the page's article, ready to be joined


def toc_entries(toc_path: Path | None = None) -> list[tuple[str, str]]:
    """(docname, part caption) of every page in _toc.yml's order, the front page first."""
    toc = yaml.safe_load(Path(toc_path or paths.PROJECT_ROOT / "_toc.yml").read_text(encoding="utf-8"))
    entries = [(toc["root"], "")]

    def chapters(items: list, part: str) -> None:
        for item in items:
            entries.append((item["file"], part))
            chapters(item.get("sections", []), part)

    for part in toc.get("parts", []):
        chapters(part.get("chapters", []), part.get("caption", ""))
    chapters(toc.get("chapters", []), "")
    return [(re.sub(r"\.(md|ipynb)$", "", name), part) for name, part in entries]


def reader_entries(toc_path: Path | None = None) -> list[tuple[str, str]]:
    """(docname, part caption) of the reader's pages (READER_PAGES) in _toc.yml's order."""
    entries = [(docname, part) for docname, part in toc_entries(toc_path) if docname in READER_PAGES]
    missing = set(READER_PAGES) - {docname for docname, _ in entries}
    if missing:
        raise ValueError(f"_toc.yml: the reader's PDF needs {sorted(missing)}, which the table of contents lacks")
    return entries


def anchor(docname: str, fragment: str = "") -> str:
    """The id a page (or an id on it) has in the joined document: ids are unique per page only."""
    base = "side-" + re.sub(r"[^A-Za-z0-9_-]", "-", docname)
    return f"{base}--{fragment}" if fragment else base


ARTICLE_START, ARTICLE_END = '<article class="bd-article">', "</article>"
# What has no place on paper: the per-page dataset banner (the title page has it once), the link to this
# PDF, heading anchors, scripts, and code: the code the web page folds away and any shown code cell.
# The outputs of a cell whose code the page removes (remove-input) are content and stay.
LEFT_OUT = [("div", "dataset-banner"), ("p", "pdf-download"), ("a", "headerlink"), ("script", None),
            ("details", "above-input"), ("details", "below-input"), ("div", "cell_input")]


def _article(page_html: str, path: Path):
    """The page's <article>, parsed on its own (the navigation around it is most of the page)."""
    from bs4 import BeautifulSoup

    start, end = page_html.find(ARTICLE_START), page_html.rfind(ARTICLE_END)
    if start < 0 or end < start:
        raise ValueError(f'{path}: no <article class="bd-article"> (not a page jupyter-book built?)')
    return BeautifulSoup(page_html[start:end + len(ARTICLE_END)], "html.parser")


def _left_out(tag) -> bool:
    classes = tag.get("class") or []
    return any(tag.name == name and (css is None or css in classes) for name, css in LEFT_OUT)


def _local_target(url: str, page_url: str) -> str:
    """A relative URL on page_url as a path from the site's root."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(page_url), url))


def _rewrite_link(link, page_url: str, site_pages: set[str]) -> None:
    """A link to a page of the book points inside the PDF; a download (a file only a web page can hand
    over) goes, with a paragraph that only offered downloads ("Hent tabellen som CSV (figur_20.csv)");
    other local links (search, index, sources) have no target in a PDF and become plain text."""
    href = link["href"]
    parts = urlsplit(href)
    if link.has_attr("download") or parts.scheme == "data":
        block = link.find_parent(["p", "li"])
        link.decompose()
        if block is not None and not block.find("img") and not re.sub(r"[\W_]+", "", block.get_text()):
            block.decompose()
    elif parts.scheme or href.startswith("//"):
        return  # https:, mailto:
    elif not parts.path:
        link["href"] = "#" + (anchor(page_url[:-len(".html")], parts.fragment) if parts.fragment else "")
    elif (target := _local_target(parts.path, page_url)) in site_pages:
        link["href"] = "#" + anchor(target[:-len(".html")], parts.fragment)
    else:
        link.unwrap()


def _break_identifiers(soup) -> None:
    """Question ids in tables (org_kvalitet_data_progression) may wrap after an underscore: a long
    unbreakable word would widen its column."""
    for text in soup.find_all(string=re.compile(r"\w_\w")):
        if max(map(len, text.split())) <= IDENTIFIER_WRAP or text.find_parent(["td", "th"]) is None:
            continue
        pieces = re.split(r"(?<=_)(?=\w)", str(text))
        for piece in pieces[:-1]:
            text.insert_before(piece)
            text.insert_before(soup.new_tag("wbr"))
        text.replace_with(pieces[-1])


def _keep_sections(soup, kept: int | None) -> None:
    """Drop the page's sections after the first `kept` (<section> elements headed by an <h2>)."""
    if kept is None:
        return
    sections = [section for section in soup.find_all("section")
                if (heading := section.find(["h1", "h2", "h3"])) is not None and heading.name == "h2"]
    for section in sections[kept:]:
        section.decompose()


def extract_chapter(page_html: str, docname: str, part: str, html_dir: Path, out_dir: Path,
                    site_pages: set[str], kept_sections: int | None = None) -> Chapter:
    """One built page's article, with ids made unique in the book, links and images rewritten, and what
    has no place on paper (LEFT_OUT, downloads, sections after `kept_sections`) left out."""
    page_url = docname + ".html"
    soup = _article(page_html, html_dir / page_url)
    _keep_sections(soup, kept_sections)
    for tag in [tag for tag in soup.find_all(True) if _left_out(tag)]:
        if not tag.decomposed:
            tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed:
            continue
        if tag.name == "details":
            tag["open"] = ""  # other folded content is part of the text: print it unfolded
        if tag.name == "a" and tag.has_attr("href"):
            _rewrite_link(tag, page_url, site_pages)
            if tag.decomposed or tag.parent is None:
                continue
        if tag.has_attr("src") and not urlsplit(tag["src"]).scheme and not tag["src"].startswith("//"):
            # images are files of the site: point at them from the joined document
            tag["src"] = Path(os.path.relpath(html_dir / _local_target(tag["src"], page_url), out_dir)).as_posix()
        if tag.has_attr("id"):
            tag["id"] = anchor(docname, tag["id"])
        if tag.has_attr("aria-labelledby"):
            tag["aria-labelledby"] = " ".join(anchor(docname, i) for i in tag["aria-labelledby"].split())
    _break_identifiers(soup)
    article = soup.find("article")
    heading = article.find("h1")
    if heading is None:
        raise ValueError(f"{html_dir / page_url}: no <h1> heading")
    title = " ".join(heading.get_text(" ", strip=True).split())
    return Chapter(docname, part, title, article.decode_contents())


def _head_links(page_html: str, page_url: str, html_dir: Path, out_dir: Path) -> list[str]:
    """The stylesheets of STYLESHEETS a page uses, as paths from the joined document."""
    from bs4 import BeautifulSoup

    head = BeautifulSoup(page_html[:page_html.find("</head>")], "html.parser")
    links = []
    for link in head.find_all("link", rel="stylesheet"):
        href = link["href"].split("?")[0]
        if any(name in posixpath.basename(href) for name in STYLESHEETS):
            links.append(Path(os.path.relpath(html_dir / _local_target(href, page_url), out_dir)).as_posix())
    return links


def _banner(page_html: str, path: Path) -> str:
    banner = _article(page_html, path).find("div", class_="dataset-banner")
    if banner is None:
        raise ValueError(f"{path}: no dataset banner (book/_ext/dataset_banner.py)")
    return str(banner)


def _short_title(title: str) -> str:
    return title.split(" – ")[0]


def print_css(title: str) -> str:
    """A4 pages numbered in the bottom margin; content fitted to the page width (wide tables wrap their
    cells instead of running off the page)."""
    running = _short_title(title).replace("\\", "\\\\").replace('"', '\\"')
    return f"""
@page {{
  size: A4;
  margin: 18mm {MARGIN_MM}mm 20mm {MARGIN_MM}mm;
  @top-left {{ content: "{running}"; font: 8pt sans-serif; color: #444; }}
  @bottom-center {{ content: "Side " counter(page) " af " counter(pages); font: 9pt sans-serif; color: #222; }}
}}
@page :first {{ @top-left {{ content: none; }} }}
html {{ font-size: 10pt; }}
@media screen {{ body {{ width: {PAGE_WIDTH_MM - 2 * MARGIN_MM}mm; }} }}
body {{ margin: 0; background: #fff; color: #111; font-family: "DejaVu Sans", sans-serif; line-height: 1.4; }}
h1, h2, h3, h4 {{ line-height: 1.2; break-after: avoid; }}
.pdf-titlepage .pdf-title {{ font-size: 2em; font-weight: bold; line-height: 1.2; margin-top: 30mm; }}
.pdf-titlepage .pdf-author {{ font-size: 1.2em; }}
.pdf-contents ol {{ list-style: none; padding-left: 0; }}
.pdf-contents li {{ margin: 0.15em 0; }}
.pdf-contents li a {{ display: flex; gap: 0.5em; color: inherit; text-decoration: none; }}
.pdf-contents .pdf-page {{ margin-left: auto; }}
.pdf-titlepage .pdf-publisher, .pdf-titlepage .pdf-date {{ font-size: 1.1em; }}
.pdf-colophon-page {{ break-before: page; }}
.pdf-colophon {{ margin-top: 2em; font-size: 0.85em; border-top: 0.5pt solid #888; }}
.pdf-contents .pdf-contents-title {{ font-size: 1.45em; font-weight: bold; margin: 1.2em 0 0.4em; }}
.pdf-contents .pdf-part {{ margin: 0.8em 0 0.2em; font-weight: bold; }}
.pdf-chapter {{ break-before: page; }}
.pdf-chapter h1 {{ font-size: 1.9em; margin-top: 0; }}
.pdf-chapter h2 {{ font-size: 1.45em; margin-top: 1.2em; }}
.pdf-chapter h3 {{ font-size: 1.15em; }}
figure, img, tr, .admonition, .dataset-banner {{ break-inside: avoid; }}
/* a chart taller than a page is scaled down to fit one, not cut in two */
img {{ max-width: 100% !important; max-height: 225mm !important; width: auto; height: auto !important; }}
figure {{ margin: 0.8em 0; }}
figcaption {{ font-size: 0.9em; color: #333; text-align: center; }}
.admonition, div.topic {{ border-left: 4px solid #8c6d1f; background: #faf6ec; padding: 0.3em 0.8em;
  margin: 0.8em 0; }}
.admonition-title {{ font-weight: bold; margin: 0.2em 0; }}
blockquote {{ border-left: 3px solid #bbb; margin-left: 0; padding-left: 0.8em; color: #222; }}
code, pre, kbd {{ font-family: "DejaVu Sans Mono", monospace; font-size: 0.9em; }}
pre {{ background: #f6f6f6; padding: 0.4em; white-space: pre-wrap !important; overflow-wrap: anywhere;
  font-size: 7.5pt; }}
div.cell_output, div.output, .output, div.highlight, .table-wrapper, .pst-scrollable-table-container {{
  overflow: visible !important; max-height: none !important; max-width: 100% !important;
}}
table {{ width: 100% !important; max-width: 100% !important; table-layout: auto; border-collapse: collapse;
  font-size: 7.5pt; margin: 0.6em 0; }}
th, td {{ padding: 1.5pt 3pt !important; overflow-wrap: break-word; vertical-align: top;
  border-bottom: 0.5pt solid #ccc; }}
thead th {{ border-bottom: 1pt solid #444; }}
caption {{ caption-side: top; text-align: left; font-weight: bold; padding-bottom: 0.3em; }}
table.pdf-squeeze {{ font-size: 6.5pt; }}
.pdf-break-words, table.pdf-break-words th, table.pdf-break-words td {{ overflow-wrap: anywhere; }}
a {{ color: #0b4f8a; }}
"""


def _contents(chapters: list[Chapter], page_numbers: list[int] | None) -> str:
    """The contents by part, each chapter with its page ("000" before the first print has told it)."""
    import html as html_lib

    lines, current = [], None
    for index, chapter in enumerate(chapters):
        if chapter.part != current:
            if current is not None:
                lines.append("</ol>")
            lines.append(f'<p class="pdf-part">{html_lib.escape(chapter.part)}</p><ol>')
            current = chapter.part
        page = page_numbers[index] if page_numbers else "000"
        lines.append(f'<li><a href="#{anchor(chapter.docname)}"><span>{html_lib.escape(chapter.title)}</span>'
                     f'<span class="pdf-page">{page}</span></a></li>')
    lines.append("</ol>")
    return "".join(lines)


def _front_matter(config: dict, day, banner: str, contents: str) -> str:
    """Front page (title, publisher when set, date, dataset banner), then contents and colophon. No
    headings: each heading is a bookmark, and the bookmarks are the chapters."""
    import html as html_lib

    text = {key: html_lib.escape(value) for key, value in publication.substitutions(config, day).items()}
    title, author = html_lib.escape(config.get("title", "")), html_lib.escape(config.get("author", ""))
    publisher = publication.publisher_fields(config)["udgiver"]
    return f"""<section class="pdf-titlepage">
<p class="pdf-title">{title}</p>
<p class="pdf-author">{author}</p>
{f'<p class="pdf-publisher">{html_lib.escape(publisher)}</p>' if publisher else ""}
<p class="pdf-date">Sidst opdateret {text["sidst_opdateret"]}</p>
{banner}
</section>
<section class="pdf-colophon-page">
<nav class="pdf-contents" aria-label="Indhold"><p class="pdf-contents-title">Indhold</p>
{contents}
</nav>
<div class="pdf-colophon">
<p><strong>Kolofon</strong></p>
<p>{title}. {text["udgiver_linje"]} Sidst opdateret {text["sidst_opdateret"]}.</p>
<p>Citér som: {text["citer_som"]}</p>
<p>Bogen bygger på Socialstyrelsens rapport »Udfordringer i forhold til børn og unge på det
specialiserede socialområde – Kommunale perspektiver« (maj 2021). Alle tal i teksten er regnet ud fra
data, da bogen blev bygget.</p>
<p>Denne fil er bogens læseudgave: sammenfatningen, kapitel 1–4, læsevejledningen, metoden og
verifikationens resultat. Dataforberedelsen, antagelserne, tabellen over alle offentliggjorte tal,
arkitekturen og vejledningen i at udvide bogen står på bogens websider, hvor tabellerne også kan hentes
som filer.</p>
</div>
</section>
"""


def assemble(html_dir: Path, out_dir: Path, entries: list[tuple[str, str]], config: dict, day,
             kept_sections: dict[str, int | None] | None = None, page_numbers: list[int] | None = None) -> str:
    """The joined document: front matter (front page, contents, colophon), then every chapter of
    `entries`, each cut to its `kept_sections`; `page_numbers`: each chapter's first page, from a
    first print."""
    import html as html_lib

    kept_sections = kept_sections or {}
    site_pages = {docname + ".html" for docname, _ in entries}
    chapters, stylesheets, banner = [], [], ""
    for docname, part in entries:
        path = html_dir / f"{docname}.html"
        if not path.exists():
            raise FileNotFoundError(f"{path}: the page is in _toc.yml but was not built (run make book)")
        page_html = path.read_text(encoding="utf-8")
        if not chapters:
            stylesheets = _head_links(page_html, docname + ".html", html_dir, out_dir)
            banner = _banner(page_html, path)
        chapters.append(extract_chapter(page_html, docname, part, html_dir, out_dir, site_pages,
                                        kept_sections.get(docname)))
    if page_numbers is not None and len(page_numbers) != len(chapters):
        raise ValueError(f"{len(page_numbers)} page numbers for {len(chapters)} chapters")
    title = config.get("title", "")
    links = "\n".join(f'<link rel="stylesheet" href="{html_lib.escape(href)}">' for href in stylesheets)
    body = "\n".join(f'<section class="pdf-chapter bd-article" id="{anchor(c.docname)}">\n{c.html}\n</section>'
                     for c in chapters)
    return f"""<!DOCTYPE html>
<html lang="da" data-theme="light">
<head>
<meta charset="utf-8">
<title>{html_lib.escape(title)}</title>
<meta name="author" content="{html_lib.escape(config.get("author", ""))}">
{links}
<style>{print_css(title)}</style>
</head>
<body>
<main>
{_front_matter(config, day, banner, _contents(chapters, page_numbers))}
{body}
</main>
<script>{SQUEEZE_SCRIPT}</script>
</body>
</html>
"""


def chapter_pages(pdf_path: Path) -> list[int]:
    """The page (1 = the first) on which each chapter starts: its <h1> is a top-level bookmark."""
    from pypdf import PdfReader

    reader = PdfReader(pdf_path)
    return [reader.get_destination_page_number(item) + 1 for item in reader.outline if not isinstance(item, list)]


def find_chromium() -> str | None:
    """$CHROMIUM, else Debian's /usr/bin/chromium, else chromium on the PATH."""
    for candidate in (os.environ.get(CHROMIUM_ENV), DEFAULT_CHROMIUM, shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def print_pdf(source: Path, target: Path, chromium: str) -> None:
    """Chromium prints `source` to `target` (A4 and margins come from the document's @page rule)."""
    with tempfile.TemporaryDirectory(prefix="pdf-chromium-") as profile:
        partial = target.with_name(f".{target.name}.partial")
        command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   "--disable-dev-shm-usage", "--lang=da-DK", f"--user-data-dir={profile}",
                   "--no-pdf-header-footer", "--generate-pdf-document-outline",
                   f"--print-to-pdf={partial}", source.resolve().as_uri()]
        result = subprocess.run(command, capture_output=True, text=True, timeout=PRINT_TIMEOUT)
        if result.returncode != 0 or not partial.exists() or partial.stat().st_size == 0:
            partial.unlink(missing_ok=True)
            raise RuntimeError(f"{chromium} could not print {source} (exit {result.returncode}):\n"
                               + result.stderr[-2000:])
        partial.replace(target)  # never a half-written PDF in the site


def charts_as_boxes(document: str, out_dir: Path) -> str:
    """The joined document with every SVG chart replaced by an empty image of the same size (its width and
    height as the SVG gives them): the pages break in the same places, and Chromium prints it in under
    half the time. For the first print, which only tells each chapter's first page."""
    def box(match: re.Match) -> str:
        tag = match.group(0)
        src = re.search(r'\ssrc="([^"]+\.svg)"', tag)
        if src is None:
            return tag
        with open(os.path.normpath(out_dir / unquote(src.group(1))), encoding="utf-8") as handle:
            head = re.search(r"<svg\b[^>]*>", handle.read(4096))
        width = head and re.search(r'\swidth="([^"]+)"', head.group(0))
        height = head and re.search(r'\sheight="([^"]+)"', head.group(0))
        if not (width and height):  # no size of its own: the chart stays
            return tag
        empty = (f"data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 width=%22{width.group(1)}%22 "
                 f"height=%22{height.group(1)}%22/%3E")
        return tag.replace(src.group(0), f' src="{empty}"')

    return re.sub(r"<img\b[^>]*>", box, document)


def build(build_dir: Path, chromium: str, toc_path: Path | None = None,
          config_path: Path | None = None) -> tuple[Path, int]:
    """Join the reader's pages and print them until the contents' page numbers are those of the print: the
    first print (charts as empty boxes, charts_as_boxes) tells each chapter's first page, the second, whole,
    carries those numbers. Only a whole print whose numbers hold reaches the site; on any failure no PDF
    is left there. Returns the PDF's path in the site and how many prints it took."""
    html_dir = build_dir / "html"
    out_dir = build_dir / "pdf"
    out_dir.mkdir(parents=True, exist_ok=True)
    config = yaml.safe_load(Path(config_path or paths.PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8"))
    day = publication.last_updated()
    entries = reader_entries(toc_path)
    source, target = out_dir / SOURCE_NAME, html_dir / PDF_NAME
    draft = source.with_suffix(".pdf")  # printed beside its source; only a settled print goes to the site
    numbers = None
    try:
        for prints in range(1, MAX_PRINTS + 1):
            document = assemble(html_dir, out_dir, entries, config, day, READER_PAGES, numbers)
            source.write_text(document if numbers else charts_as_boxes(document, out_dir), encoding="utf-8")
            print_pdf(source, draft, chromium)
            printed = chapter_pages(draft)
            if numbers and printed == numbers:
                draft.replace(target)
                return target, prints
            if len(printed) != len(entries):
                raise RuntimeError(f"{target}: {len(printed)} chapter bookmarks for {len(entries)} chapters")
            numbers = printed
        raise RuntimeError(f"{target}: the contents' page numbers did not settle after {MAX_PRINTS} prints")
    except BaseException:
        draft.unlink(missing_ok=True)
        target.unlink(missing_ok=True)
        raise


def is_current(build_dir: Path, toc_path: Path | None = None) -> bool:
    """True if the PDF is newer than every page it is printed from (and than this module)."""
    target = build_dir / "html" / PDF_NAME
    if not target.exists():
        return False
    sources = [build_dir / "html" / f"{docname}.html" for docname, _ in toc_entries(toc_path)] + [Path(__file__)]
    return all(source.exists() and source.stat().st_mtime_ns <= target.stat().st_mtime_ns for source in sources)


def remove_stale(build_dir: Path, toc_path: Path | None = None) -> bool:
    """Remove a PDF printed from other pages than the site's (another dataset or older code); True if
    one was removed."""
    target = build_dir / "html" / PDF_NAME
    if target.exists() and not is_current(build_dir, toc_path):
        target.unlink()
        return True
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m municipal_survey.build.pdf", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-dir", default="_build", help="the build folder (its html/ holds the site)")
    parser.add_argument("--require", action="store_true",
                        help="fail when Chromium is missing (else: skip with a message)")
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--if-stale", action="store_true",
                      help="do nothing if the PDF is newer than every page it is printed from")
    what.add_argument("--remove-stale", action="store_true",
                      help="print nothing; remove a PDF that is older than the pages (make book BOOK_PDF=0)")
    args = parser.parse_args(argv)
    build_dir = Path(args.build_dir)
    if not (build_dir / "html" / "index.html").exists():
        print(f"pdf: no built site in {build_dir / 'html'} (run make book first)", file=sys.stderr)
        return 2
    if args.remove_stale:
        if remove_stale(build_dir):
            print(f"removed {build_dir / 'html' / PDF_NAME}: it was printed from older pages")
        return 0
    if args.if_stale and is_current(build_dir):
        print(f"{build_dir / 'html' / PDF_NAME} is current")
        return 0
    chromium = find_chromium()
    if chromium is None:
        message = f"Chromium (${CHROMIUM_ENV}, {DEFAULT_CHROMIUM} or chromium on the PATH)"
        if args.require:
            print(f"pdf: the PDF is required, but {message} is missing", file=sys.stderr)
            return 1
        print(f"SKIPPED the book's PDF: {message} is missing"
              + ("; removed the PDF printed from older pages" if remove_stale(build_dir) else ""))
        return 0
    try:
        target, prints = build(build_dir, chromium)
    except (FileNotFoundError, ValueError, RuntimeError, subprocess.TimeoutExpired) as exc:
        print(f"pdf: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB, {prints} prints)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
