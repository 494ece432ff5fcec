"""The whole book as one PDF (municipal_survey.build.pdf).

Unit tests join a miniature site; the `book` tests read the PDF that `make build-check` (and make book)
printed from the built site: every chapter in the table of contents' order, every figure of the site with
its alt text, page numbers, the dataset banner on page 1, and a link to it on every page. They skip when
there is no PDF (no build, or no Chromium), unless BOOK_REQUIRE_BUILD=1 and Chromium is there, or
A11Y_BROWSER_REQUIRED=1 (CI): then a missing or stale PDF is a failure.
"""
from __future__ import annotations

import datetime as dt
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


# ---------------------------------------------------------------------------------------------
# A miniature site

TOC = {"format": "jb-book", "root": "book/forside",
       "parts": [{"caption": "Kapitler", "chapters": [{"file": "notebooks/02_b"}, {"file": "notebooks/01_a"}]},
                 {"caption": "Opslag", "chapters": [{"file": "book/ordliste.md",
                                                     "sections": [{"file": "book/under"}]}]}]}
BANNER = '<div class="dataset-banner synthetic" role="note"><strong>Datagrundlag:</strong> Syntetiske</div>'


def page(title: str, body: str, depth: int = 1) -> str:
    up = "../" * depth
    return (f'<!DOCTYPE html><html lang="da"><head><title>{title}</title>'
            f'<link rel="stylesheet" href="{up}_static/custom.css?v=1">'
            f'<link rel="stylesheet" href="{up}_static/styles/pydata-sphinx-theme.css?v=1"></head>'
            f'<body><nav><a href="{up}search.html">Søg</a></nav><main><article class="bd-article">'
            f'<p class="pdf-download"><a href="{up}{pdf.PDF_NAME}">PDF</a></p>{BANNER}'
            f'<section id="top"><h1>{title}<a class="headerlink" href="#top">#</a></h1>{body}</section>'
            f'</article></main></body></html>')


CHAPTER_A = """
<p>Se <a href="../book/ordliste.html#ord">ordlisten</a>, <a href="#fig">figuren</a>,
<a href="../genindex.html">indekset</a> og <a href="https://example.org/">rapporten</a>.</p>
<div class="cell tag_hide-input"><details class="hide above-input"><summary>Vis kode</summary>
<div class="cell_input"><pre>sections.ch1(book)</pre></div></details></div>
<details class="dropdown"><summary>Mere</summary><p>Foldet tekst</p></details>
<div class="cell tag_remove-input"><div class="cell_output">
<img alt="Prikker for regionerne" src="../_images/b.svg"></div></div>
<div class="cell"><div class="cell_input"><pre>vist_kode()</pre></div>
<div class="cell_output"><p>Vist output</p></div></div>
<figure id="fig"><img alt="Søjler for ni fokusområder med andelen" src="../_images/a.png">
<figcaption>Udfordringer samlet set</figcaption></figure>
<table aria-labelledby="fig"><caption>Tabel</caption><tr><th>Spørgsmål</th></tr>
<tr><td>org_kvalitet_data_progression</td></tr><tr><td>kort_id</td></tr></table>
<p><a download="figur_1.csv" href="data:text/csv;base64,QQ==">Hent tabellen som CSV (figur_1.csv)</a></p>
<p>Tal og <a download="t.csv" href="../_downloads/t.csv">en fil</a> i teksten.</p>
<script>kernelName = 'python3'</script>
"""


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "project"
    html_dir = root / "_build" / "html"
    pages = {"book/forside": page("Bogens titel", "<p>Forside</p>"),
             "notebooks/02_b": page("2 Andet kapitel", "<p>B</p>"),
             "notebooks/01_a": page("1 Første kapitel", CHAPTER_A),
             "book/ordliste": page("Ordliste", '<dl><dt id="ord">Ord</dt><dd>Forklaring</dd></dl>'),
             "book/under": page("Under", "<p>Et underafsnit</p>")}
    for docname, text in pages.items():
        (html_dir / docname).parent.mkdir(parents=True, exist_ok=True)
        (html_dir / f"{docname}.html").write_text(text, encoding="utf-8")
    (html_dir / "index.html").write_text('<meta http-equiv="Refresh" content="0; url=book/forside.html" />')
    (root / "_toc.yml").write_text(yaml.safe_dump(TOC, allow_unicode=True), encoding="utf-8")
    (root / "_config.yml").write_text("title: Bogens titel – undertitel\nauthor: Forfatteren\n", encoding="utf-8")
    return root


CONFIG = {"title": "Bogens titel – undertitel", "author": "Forfatteren"}
DAY = dt.date(2026, 12, 4)


def joined(site: Path, config: dict = CONFIG, **options) -> str:
    html_dir = site / "_build" / "html"
    return pdf.assemble(html_dir, site / "_build" / "pdf", pdf.toc_entries(site / "_toc.yml"), config, DAY,
                        **options)


def test_toc_entries_follow_the_table_of_contents(site):
    assert pdf.toc_entries(site / "_toc.yml") == [
        ("book/forside", ""), ("notebooks/02_b", "Kapitler"), ("notebooks/01_a", "Kapitler"),
        ("book/ordliste", "Opslag"), ("book/under", "Opslag")]


def test_the_book_toc_lists_every_page_once():
    entries = [name for name, _ in pdf.toc_entries()]
    assert entries[0] == "book/forside" and len(entries) == len(set(entries)) > 10
    assert all((ROOT / f"{name}.md").exists() or (ROOT / f"{name}.ipynb").exists() for name in entries)


def test_chapters_are_joined_in_toc_order_after_a_title_page_with_banner_and_contents(site):
    document = joined(site)
    titles = [document.index('<p class="pdf-title">Bogens titel – undertitel</p>')] + [
        document.index(f"<h1>{title}</h1>") for title in
        ("Bogens titel", "2 Andet kapitel", "1 Første kapitel", "Ordliste", "Under")]
    assert titles == sorted(titles) and document.count("<h1>") == 5
    title_page = document[:titles[1]]
    assert title_page.count("Datagrundlag:") == 1 and document.count("Datagrundlag:") == 1  # once, page 1
    assert '<a href="#side-notebooks-01_a"><span>1 Første kapitel</span>' in title_page
    assert '<p class="pdf-part">Opslag</p>' in title_page and "<h2" not in title_page
    assert document.count('class="pdf-chapter') == 5


def test_the_contents_carry_the_page_numbers_of_the_first_print(site):
    before = joined(site)
    assert before.count('<span class="pdf-page">000</span>') == 5  # the first print: room for a number
    after = joined(site, page_numbers=[3, 4, 9, 12, 14])
    numbers = re.findall(r'<span>([^<]+)</span><span class="pdf-page">(\d+)</span>', after)
    assert numbers == [("Bogens titel", "3"), ("2 Andet kapitel", "4"), ("1 Første kapitel", "9"),
                       ("Ordliste", "12"), ("Under", "14")]
    with pytest.raises(ValueError, match="2 page numbers for 5 chapters"):
        joined(site, page_numbers=[3, 4])


def test_front_page_and_colophon_name_the_publisher_only_when_set(site):
    unset = joined(site)
    assert "Sidst opdateret 4. december 2026" in unset and "Kolofon" in unset
    assert "ikke en udgivelse fra Socialstyrelsen" in unset and 'class="pdf-publisher"' not in unset
    assert "Citér som: Bogens titel – undertitel (2026)." in unset
    config = {**CONFIG, "parse": {"myst_substitutions": {"udgiver": "Analyseenheden",
                                                         "kontakt_email": "a@kommune.dk"}}}
    published = joined(site, config)
    assert '<p class="pdf-publisher">Analyseenheden</p>' in published
    assert "Citér som: Analyseenheden (2026)." in published and "ikke en udgivelse" not in published


def test_a_page_may_keep_only_its_first_sections(site):
    body = ('<section id="a"><h2>Resultat</h2><p>Kort</p></section>'
            '<section id="b"><h2>Modsigelser</h2><section id="b1"><h3>Under</h3><p>Detalje</p></section></section>'
            '<section id="c"><h2>Alle tal</h2><p>Lang tabel</p></section>')
    (site / "_build" / "html" / "book" / "under.html").write_text(page("Under", body), encoding="utf-8")
    document = joined(site, kept_sections={"book/under": 2})
    assert "Kort" in document and "Detalje" in document and "Lang tabel" not in document
    assert "Lang tabel" in joined(site)


def test_the_reader_pdf_holds_the_report_chapters_and_leaves_the_appendix_to_the_site():
    entries = [docname for docname, _ in pdf.reader_entries()]
    assert entries == ["notebooks/sammenfatning", "notebooks/01_organisering", "notebooks/02_maalgrupper",
                       "notebooks/03_variation", "notebooks/04_aktuelle_temaer", "book/laesevejledning",
                       "book/metode", "notebooks/99_verifikation"]


def test_links_ids_and_images_point_inside_the_joined_document(site):
    document = joined(site)
    assert '<a href="#side-book-ordliste--ord">ordlisten</a>' in document
    assert '<a href="#side-notebooks-01_a--fig">figuren</a>' in document
    assert 'id="side-book-ordliste--ord"' in document and 'id="side-notebooks-01_a--fig"' in document
    assert 'aria-labelledby="side-notebooks-01_a--fig"' in document
    assert "indekset" in document and "genindex" not in document  # no page of the PDF: plain text
    assert 'href="https://example.org/"' in document
    assert 'src="../html/_images/a.png"' in document
    assert "search.html" not in document  # the navigation is not part of the article
    assert document.count('id="side-book-forside--top"') == 1 and 'id="top"' not in document


def test_what_has_no_place_on_paper_is_left_out(site):
    document = joined(site)
    assert "sections.ch1(book)" not in document and "Vis kode" not in document  # hidden code
    assert "vist_kode()" not in document and "Vist output" in document  # shown code goes, its output stays
    assert 'alt="Prikker for regionerne"' in document  # the output of a cell whose code the page removes
    assert "headerlink" not in document and "kernelName" not in document
    assert "Hent tabellen som CSV" not in document and "data:text/csv" not in document
    assert "Tal og  i teksten." in document  # a download inside a sentence: only the link goes
    assert "_downloads" not in document and pdf.PDF_NAME not in document
    assert '<details class="dropdown" open="">' in document and "Foldet tekst" in document


def test_long_identifiers_in_tables_may_wrap_after_underscores(site):
    document = joined(site)
    assert "org_<wbr/>kvalitet_<wbr/>data_<wbr/>progression" in document
    assert "<td>kort_id</td>" in document  # short: left whole


def test_stylesheets_come_from_the_site_but_not_the_theme_frame(site):
    document = joined(site)
    assert '<link rel="stylesheet" href="../html/_static/custom.css">' in document
    assert "pydata-sphinx-theme" not in document
    assert 'counter(page) " af " counter(pages)' in document and "size: A4" in document
    assert '<html lang="da"' in document and "<title>Bogens titel – undertitel</title>" in document


def test_a_page_that_is_not_a_built_page_is_named(site):
    (site / "_build" / "html" / "notebooks" / "02_b.html").write_text("<html><body>nothing</body></html>")
    with pytest.raises(ValueError, match="02_b.html"):
        joined(site)
    (site / "_build" / "html" / "notebooks" / "02_b.html").unlink()
    with pytest.raises(FileNotFoundError, match="02_b.html.*not built"):
        joined(site)


def test_without_chromium_the_pdf_is_skipped_or_required(site, monkeypatch, capsys):
    monkeypatch.setattr(pdf, "find_chromium", lambda: None)
    build_dir = str(site / "_build")
    assert pdf.main(["--build-dir", build_dir]) == 0
    assert "SKIPPED" in capsys.readouterr().out
    assert pdf.main(["--build-dir", build_dir, "--require"]) == 1
    assert pdf.main(["--build-dir", str(site / "nothing")]) == 2


def test_is_current_compares_with_every_page(site):
    build_dir = site / "_build"
    toc = site / "_toc.yml"
    assert not pdf.is_current(build_dir, toc)
    target = build_dir / "html" / pdf.PDF_NAME
    target.write_bytes(b"%PDF")
    later = max(Path(pdf.__file__).stat().st_mtime_ns, target.stat().st_mtime_ns) + 10**9
    os.utime(target, ns=(later, later))
    assert pdf.is_current(build_dir, toc)
    os.utime(build_dir / "html" / "book" / "under.html", ns=(later + 1, later + 1))
    assert not pdf.is_current(build_dir, toc)


# ---------------------------------------------------------------------------------------------
# The PDF the build printed

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
