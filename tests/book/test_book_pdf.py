"""The book's PDF as a reader gets it: the PDF that `make build-check` (and make book) printed from the
built site (build.pdf) holds every chapter in the table of contents' order, every figure of the site with
its alt text, page numbers, the dataset banner on page 1, and every page links to it. The tests skip when
there is no PDF (no build, or no Chromium), unless BOOK_REQUIRE_BUILD=1 and Chromium is there, or
A11Y_BROWSER_REQUIRED=1 (CI): then a missing or stale PDF is a failure.
"""
from __future__ import annotations

import html
import os
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml
from project_root import ROOT

from municipal_survey.build import pdf

HTML_DIR = Path(os.environ.get("BOOK_BUILD_DIR") or ROOT / "_build") / "html"


PDF_PATH = HTML_DIR / pdf.PDF_NAME


def _required() -> bool:
    if os.environ.get("A11Y_BROWSER_REQUIRED"):
        return True
    return os.environ.get("BOOK_REQUIRE_BUILD") == "1" and pdf.find_chromium() is not None


def site_chapters() -> list[tuple[str, str]]:
    """(docname, the page's <h1>) of every page of the reader's PDF, in the table of contents' order."""
    chapters = []
    for docname, _ in pdf.reader_entries():
        text = (HTML_DIR / f"{docname}.html").read_text(encoding="utf-8")
        heading = re.search(r"<h1>(.*?)</h1>", text, re.S)
        assert heading, f"{docname}: no <h1>"
        chapters.append((docname, html.unescape(re.sub(r"<[^>]+>|#", "", heading.group(1)))))
    return chapters


def site_alt_texts() -> list[str]:
    alts = []
    for docname, _ in pdf.reader_entries():
        text = (HTML_DIR / f"{docname}.html").read_text(encoding="utf-8")
        article = text[text.find(pdf.ARTICLE_START):text.rfind(pdf.ARTICLE_END)]
        alts += [html.unescape(alt) for alt in re.findall(r'<img\b[^>]*\balt="([^"]*)"', article)]
    return alts


def squeeze(text: str) -> str:
    """Text without whitespace (a PDF's text layer loses or adds spaces where lines wrap) and without
    ligatures (the text layer has "ﬁ" for "fi")."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="module")
def reader():
    if not PDF_PATH.exists():
        if _required():
            pytest.fail(f"no PDF at {PDF_PATH} (make build-check prints it)")
        pytest.skip(f"no PDF at {PDF_PATH} (make pdf, with Chromium)")
    newest = max((HTML_DIR / f"{docname}.html").stat().st_mtime for docname, _ in pdf.toc_entries())
    if PDF_PATH.stat().st_mtime < newest:
        if _required():
            pytest.fail(f"{PDF_PATH} is older than the pages it is printed from")
        pytest.skip(f"{PDF_PATH} is older than the built pages (make pdf)")
    from pypdf import PdfReader

    return PdfReader(PDF_PATH)


@pytest.mark.book
def test_pdf_has_every_chapter_in_toc_order_each_from_a_new_page(reader):
    top = [item for item in reader.outline if not isinstance(item, list)]  # a bookmark per <h1>
    expected = [title for _, title in site_chapters()]
    assert [squeeze(item.title) for item in top] == [squeeze(title) for title in expected]
    first_pages = [reader.get_destination_page_number(item) for item in top]
    assert first_pages[0] > 0, "page 1 is the title page"
    assert first_pages == sorted(set(first_pages)), "every chapter starts on a page of its own, in order"
    for item, number in zip(top, first_pages):
        assert squeeze(item.title) in squeeze(reader.pages[number].extract_text()), item.title


@pytest.mark.book
def test_pdf_has_every_figure_of_the_site_with_its_alt_text(reader):
    # The charts are SVG, which Chromium draws into the page itself (no image object to count), so
    # the figures are counted as the tagged PDF's figures: one alt text each, as on the site.
    site = site_alt_texts()
    assert len(site) > 0
    raw = PDF_PATH.read_bytes()
    assert b"/ObjStm" not in raw, "objects in compressed streams: read the alt texts from the structure tree"
    alts = [_pdf_string(match) for match in re.findall(rb"/Alt\s*(<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\))", raw)]
    assert Counter(" ".join(a.split()) for a in alts) == Counter(" ".join(a.split()) for a in site)


def _pdf_string(token: bytes) -> str:
    if token.startswith(b"<"):
        data = bytes.fromhex(re.sub(rb"\s", b"", token[1:-1]).decode())
    else:
        data = re.sub(rb"\\(.)", lambda m: {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(m.group(1), m.group(1)),
                      token[1:-1])
    return data[2:].decode("utf-16-be") if data.startswith(b"\xfe\xff") else data.decode("latin-1")


@pytest.mark.book
def test_pdf_is_short_enough_to_read_and_its_contents_give_each_chapters_page(reader):
    assert len(reader.pages) <= 110
    contents = squeeze(reader.pages[1].extract_text())
    top = [item for item in reader.outline if not isinstance(item, list)]
    for item in top:
        page = reader.get_destination_page_number(item) + 1
        assert squeeze(item.title) + str(page) in contents, (item.title, page)


@pytest.mark.book
def test_pdf_pages_are_numbered(reader):
    total = len(reader.pages)
    for number in sorted({1, total // 2, total}):
        assert f"Side {number} af {total}" in reader.pages[number - 1].extract_text()


@pytest.mark.book
def test_pdf_first_page_shows_the_dataset_banner(reader):
    front = (HTML_DIR / f"{pdf.toc_entries()[0][0]}.html").read_text(encoding="utf-8")
    banner = re.search(r'<div class="dataset-banner[^"]*"[^>]*>(.*?)</div>', front, re.S)
    assert banner, "the front page has no dataset banner"
    expected = squeeze(html.unescape(re.sub(r"<[^>]+>", "", banner.group(1))))
    assert expected.startswith("Datagrundlag:")
    assert expected in squeeze(reader.pages[0].extract_text())


@pytest.mark.book
def test_pdf_is_tagged_in_danish_with_a_title(reader):
    """What the accessibility statement says about the PDF."""
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "da"
    assert bool(catalog["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in catalog
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]


@pytest.mark.book
def test_every_built_page_links_to_the_pdf(reader):
    missing = []
    for path in sorted(HTML_DIR.rglob("*.html")):
        rel = path.relative_to(HTML_DIR)
        if any(part.startswith(".") or part in {"_sources", "_static", "_images"} for part in rel.parts[:-1]):
            continue
        text = path.read_text(encoding="utf-8")
        if 'http-equiv="Refresh"' in text or 'http-equiv="refresh"' in text:
            continue  # the site's index.html only redirects to the front page
        targets = {(path.parent / href).resolve() for href in re.findall(r'<a [^>]*href="([^"#]+\.pdf)"', text)}
        if PDF_PATH.resolve() not in targets:
            missing.append(str(rel))
    assert not missing, f"pages without a link to {pdf.PDF_NAME}: {missing}"
