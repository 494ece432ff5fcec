"""Accessibility (WCAG 2.1 AA) checks of the built HTML that need no browser (the charts' palette is
tests/report/test_chart_palette.py).

The browser check (axe-core in headless Chromium over every page) is a11y/axe-check.mjs, run by
`make a11y`. The HTML tests read $A11Y_HTML_DIR (default _build/html). They skip when there is no
build, or when the build is older than the book's sources, unless A11Y_REQUIRE_BUILD=1 (set by
`make a11y`, which runs right after the warning-free build): then a missing build is a failure.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from built_site import HTML_DIR, current_pages

# Alt texts that say nothing about the chart (lower-cased, stripped of punctuation).
GENERIC_ALT = {"", "image", "img", "figure", "figur", "billede", "graf", "diagram", "chart", "plot", "png",
               "output", "untitled"}


# ---------------------------------------------------------------------------------------------
# Parsing the built pages (stdlib only)

class Page(HTMLParser):
    """The facts about one page the checks need, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.title = ""
        self.images: list[dict] = []
        self.events: list[tuple[str, int]] = []  # ("figure" | "table" | "section-start" | "section-end", id)
        self.tables: list[dict] = []
        self.h1 = 0
        self.redirect: str | None = None
        self._stack: list[str] = []
        self._in_title = False
        self._figure_depth = 0
        self._table: dict | None = None
        self._capture: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            self.redirect = (attrs.get("content") or "").partition("url=")[2]
        elif tag == "title":
            self._in_title = True
        elif tag == "h1":
            self.h1 += 1
        elif tag == "section":
            self.events.append(("section-start", len(self.events)))
        elif tag == "figure":
            self._figure_depth += 1
        elif tag == "img":
            decorative = attrs.get("role") == "presentation" or attrs.get("aria-hidden") == "true"
            self.images.append({"alt": attrs.get("alt"), "src": attrs.get("src", ""), "decorative": decorative,
                                "in_figure": self._figure_depth > 0})
            if self._figure_depth > 0:
                self.events.append(("figure", len(self.images) - 1))
        elif tag == "table":
            self._table = {"caption": "", "th": 0, "th_scoped": 0, "csv_link": False}
            self.tables.append(self._table)
            self.events.append(("table", len(self.tables) - 1))
        elif tag == "caption" and self._table is not None:
            self._capture = "caption"
        elif tag == "th" and self._table is not None:
            self._table["th"] += 1
            self._table["th_scoped"] += "scope" in attrs
        elif tag == "a" and self.tables and (attrs.get("href") or "").startswith("data:text/csv"):
            self.tables[-1]["csv_link"] = True
        if tag not in {"img", "br", "hr", "meta", "link", "input", "source", "col", "wbr"}:
            self._stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "section":
            self.events.append(("section-end", len(self.events)))
        elif tag == "figure":
            self._figure_depth -= 1
        elif tag == "table":
            self._table = None
        elif tag == "caption":
            self._capture = None

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._capture == "caption" and self._table is not None:
            self._table["caption"] += data


@pytest.fixture(scope="module")
def pages() -> dict[str, Page]:
    parsed = {}
    for path in current_pages():
        page = Page()
        page.feed(path.read_text(encoding="utf-8"))
        parsed[path.relative_to(HTML_DIR).as_posix()] = page
    return parsed


def content_pages(pages: dict[str, Page]) -> dict[str, Page]:
    """Pages with content of their own: jupyter-book's index.html is a bare redirect to the first page."""
    return {name: page for name, page in pages.items() if page.redirect is None}


@pytest.mark.book
def test_redirects_lead_to_built_pages(pages):
    redirects = {name: page.redirect for name, page in pages.items() if page.redirect is not None}
    assert "index.html" in redirects, "the site's index.html should redirect to the front page"
    for name, target in redirects.items():
        assert (HTML_DIR / name).parent.joinpath(target).is_file(), f"{name} -> {target}"


# ---------------------------------------------------------------------------------------------
# The built HTML

@pytest.mark.book
def test_every_page_declares_danish(pages):
    assert content_pages(pages), "no pages found"
    wrong = {name: page.lang for name, page in content_pages(pages).items() if page.lang != "da"}
    assert not wrong, f'pages without <html lang="da">: {wrong}'


@pytest.mark.book
def test_every_page_has_a_title_and_a_main_heading(pages):
    for name, page in content_pages(pages).items():
        assert page.title.strip(), f"{name}: empty <title>"
        assert page.h1 >= 1, f"{name}: no <h1> heading"


def _meaningless(alt: str | None) -> str | None:
    if alt is None:
        return "no alt attribute"
    words = re.sub(r"[^\w\s]", " ", alt.lower()).split()
    if " ".join(words) in GENERIC_ALT:
        return f"generic alt text {alt!r}"
    if re.search(r"\.(png|jpe?g|svg|gif)\b", alt.lower()) or re.fullmatch(r"[0-9a-f]{16,}", alt.strip()):
        return f"a file name as alt text {alt!r}"
    if len(words) < 4:
        return f"alt text too short to describe a chart: {alt!r}"
    return None


@pytest.mark.book
def test_every_image_has_meaningful_alt_text(pages):
    problems = []
    for name, page in pages.items():
        for image in page.images:
            if image["decorative"] and not image["in_figure"] and image["alt"] == "":
                continue  # explicitly decorative (role="presentation" / aria-hidden), not a chart
            reason = _meaningless(image["alt"])
            if reason:
                problems.append(f"{name}: <img src={image['src']!r}>: {reason}")
    assert not problems, "\n".join(problems)


def test_alt_text_check_catches_bad_images():
    page = Page()
    page.feed('<html lang="da"><body><img src="a.png"><img src="b.png" alt="">'
              '<img src="c.png" alt="Figur"><img src="d.png" alt="fig_01.png">'
              '<img src="e.png" alt="Søjler for ni fokusområder med andelen i høj grad"></body></html>')
    reasons = [_meaningless(image["alt"]) for image in page.images]
    assert [r is not None for r in reasons] == [True, True, True, True, False]


def figure_problems(name: str, page: Page) -> list[str]:
    """After each chart, before the next chart and within its section, comes a table with a caption,
    column headers with scope, and a CSV download."""
    problems = []
    events = page.events
    for position, (kind, index) in enumerate(events):
        if kind != "figure":
            continue
        depth, table = 0, None
        for later_kind, later_index in events[position + 1:]:
            if later_kind == "section-start":
                depth += 1
            elif later_kind == "section-end":
                depth -= 1
                if depth < 0:
                    break
            elif later_kind == "figure":
                break
            elif later_kind == "table":
                table = page.tables[later_index]
                break
        src = page.images[index]["src"]
        if table is None:
            problems.append(f"{name}: figure {src} has no data table after it in its section")
            continue
        if not table["caption"].strip():
            problems.append(f"{name}: the table after figure {src} has no <caption>")
        if not table["th"] or table["th_scoped"] < table["th"]:
            problems.append(f"{name}: the table after figure {src} lacks <th scope> headers")
        if not table["csv_link"]:
            problems.append(f"{name}: the table after figure {src} has no CSV download")
    return problems


@pytest.mark.book
def test_every_figure_has_its_data_table_nearby(pages):
    problems = [p for name, page in pages.items() for p in figure_problems(name, page)]
    assert not problems, "\n".join(problems)


def test_figure_table_check_catches_missing_and_incomplete_tables():
    def problems(html: str) -> list[str]:
        page = Page()
        page.feed(html)
        return figure_problems("t", page)

    figure = '<figure><img alt="Søjler for ni fokusområder" src="1.png"></figure>'
    good = ('<table><caption>Tabel</caption><thead><tr><th scope="col">A</th></tr></thead></table>'
            '<p><a download="t.csv" href="data:text/csv;base64,QQ==">CSV</a></p>')
    assert problems(f"<section>{figure}{good}</section>") == []
    assert problems(f"<section>{figure}</section><section>{good}</section>")  # table in the next section
    assert problems(f"<section>{figure}{figure}{good}</section>")  # the first figure has none
    assert problems(f"<section>{figure}<table><tr><th>A</th></tr></table></section>")  # no caption, scope, CSV


# ---------------------------------------------------------------------------------------------
# The chart palette (WCAG 1.4.3 text contrast, 1.4.11 non-text contrast, 1.4.1 use of colour)


