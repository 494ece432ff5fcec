"""The whole book as one PDF (build.pdf), joined from a miniature site: chapters in the table of
contents' order after a title page, the contents with page numbers, links, images and stylesheets inside
the joined document, what has no place on paper left out. The PDF of the built book is
tests/book/test_book_pdf.py.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
import yaml
from project_root import ROOT

from municipal_survey.build import pdf

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




def test_the_first_print_has_empty_boxes_of_each_charts_size_and_keeps_other_images(site):
    images = site / "_build" / "html" / "_images"
    images.mkdir()
    (images / "b.svg").write_text('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
                                  'width="432.5pt" height="216pt" viewBox="0 0 432.5 216"><text>Nord</text></svg>')
    document = joined(site)
    boxed = pdf.charts_as_boxes(document, site / "_build" / "pdf")
    [chart] = re.findall(r'<img alt="Prikker for regionerne"[^>]*>', boxed)
    assert 'src="data:image/svg+xml,' in chart and "width=%22432.5pt%22 height=%22216pt%22" in chart
    assert "Nord" not in chart and "b.svg" not in boxed
    # the PNG keeps its picture, and nothing else of the document changes
    assert re.findall(r'<img[^>]*a\.png[^>]*>', boxed) == re.findall(r'<img[^>]*a\.png[^>]*>', document)
    assert re.sub(r"<img[^>]*>", "", boxed) == re.sub(r"<img[^>]*>", "", document)


def test_an_svg_without_a_size_of_its_own_stays_in_the_first_print(site):
    images = site / "_build" / "html" / "_images"
    images.mkdir()
    (images / "b.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"/>')
    document = joined(site)
    assert pdf.charts_as_boxes(document, site / "_build" / "pdf") == document
