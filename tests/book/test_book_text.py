"""The text a reader sees on every built page: Danish only, and none of the known slips.

Reads the built site ($A11Y_HTML_DIR, default _build/html, as tests/book/test_accessibility.py does) and
scans the visible text of each page's article: prose, lists, headings, captions, table cells and
printed cell output. Code (the cells' input, code blocks and inline code such as file names) is
not read: identifiers there are for those who rerun cells. Each finding names the page, the kind
and a snippet of the sentence.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from built_site import HTML_DIR, current_pages

# Elements whose text is read as one unit (a sentence never runs across two of them).
BLOCKS = {"p", "li", "td", "th", "caption", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd",
          "figcaption", "pre", "summary", "blockquote", "div"}
VOID = {"img", "br", "hr", "meta", "link", "input", "source", "col", "wbr"}

# English that must not reach a reader. Words that are not Danish and do not occur in the book's
# Danish terms; proper names and statistics terms (odds ratio, Kruskal–Wallis, Brant-test) are not
# listed.
ENGLISH = re.compile(
    r"\b(?:the|because|which|without|between|assumptions?|assumed|published|figure|figures|"
    r"municipalit(?:y|ies)|should|would|lists more actors|reason|above|below|share of|stand-in)\b")

# Capitalised label words that mark a label pasted mid-sentence ("er størst for Udfordringer i",
# "peger på Kompetenceudvikling"): after a lower-case preposition, only names may start with a capital.
NAMES = {"Region", "Regions", "Familieretshuset", "Socialstyrelsen", "Socialstyrelsens", "VIVE", "VIVE's",
         "VIVE’s", "Debian", "Danmark", "Danmarks", "Danish", "Social-", "Holms", "Whiteheads", "Kruskal–Wallis",
         "Bonferroni", "Bonferroni-korrektion", "Benjamini–Hochberg",
         "Kruskal–Wallis-testen", "Spearmans", "Socialpolitisk", "Metode", "Verifikation", "Referencer",
         "Python", "Excel", "Chromium", "Jupyter", "GitHub", "PDF", "CSV", "Sphinx", "WCAG", "Udvid", "Ordliste",
         "Bilag", "Boks", "Tabel", "Figur", "Kapitel", "Afsnit", "Sammenfatning", "Sammenfatningen",
         "Indledning", "Læsevejledning", "Data", "Arkitektur", "Baggrund", "Tilgængelighed", "Forside",
         "Dataforberedelse", "Aktuelle", "Organisering", "Målgrupper", "Undersøgelserne", "Kommunal",
         "Skabelon", "Ministeriet", "Indenrigsministeriets", "Boligstyrelsen", "FOLK1A", "Statistik"}
CAPITAL_AFTER = re.compile(r"\b(?:for|på|med|om|af) ([A-ZÆØÅ][\w’'–-]*)")
# A small count written as a bare digit ("nævner 3 udfordringer", "for 3 af de 3 områder", "i 5 regioner"):
# running text writes counts up to nine in words. Digits stay where the report puts them: next to
# larger numbers ("8 af de 17 målgrupper"), in rules and references ("mindst 5 kommuner", "figur 4").
COUNT_NOUNS = (r"udfordring(?:er)?|spørgsmål|(?:fokus)?områder?|temaer?|tal|test|regioner?|beskrivelser?|"
               r"målgrupper?|celler?|forskelle|kommuner?")
BARE_DIGIT = re.compile(rf"(?<![\w,.:\-–−])([1-9]) (?:[a-zæøå]+ )?(?:{COUNT_NOUNS})\b")
# After these words a digit is a reference or a rule, not a count in running text.
DIGIT_OK_AFTER = re.compile(
    r"(?:afsnit|kapitel|figur|tabel|bilag|boks|trin|nr\.|=|mindst|højst|end|under|over)\s*$", re.IGNORECASE)
# The second of two numbers side by side ("4 (5 pct.) eller 3 kommuner") keeps its digits too.
PAIRED = re.compile(r"\d[\d\s().,]*(?:pct\.)?\)?\s(?:eller|og|til)\s*$")

SLIPS = {  # kind -> pattern
    "dobbelt punktum": re.compile(r"pct\.\."),
    "brøkdel af kommuner": re.compile(r"\b\d+,\d+ kommuner\b"),
    "dobbelt parentes": re.compile(r"\)\)"),
    "heatmap (skriv varmekort)": re.compile(r"(?i)heatmap"),
    "»er samme som«": re.compile(r"\ber samme som\b"),
    "»summe til«": re.compile(r"\bsumme til\b"),
    "0 i stedet for »ingen«": re.compile(r"(?<![\w,.\-–−])0 (?:af|tal)\b"),
    "»egne modstrid«": re.compile(r"\begne modstrid\b"),
    "»gengivet« (bogen skriver »genskabt«)": re.compile(r"\b[Gg]engiv(?:et|e|er|ne)\b"),
    # A question id, not a download's file name (tema_etnisk.csv).
    "spørgsmålets id i stedet for dets tekst":
        re.compile(r"\b(?:org|mg|tema|meta)_[a-z_*]+(?![\w*]*\.(?:csv|xlsx))"),
    "kort etiket uden personen": re.compile(r"\bUdadreagerende børn\b|(?<![\w-])Vold\b"),
}


class VisibleText(HTMLParser):
    """The text of each innermost block of the page's article that a reader sees, in order."""

    # The cells' input, code blocks, inline code and the heading anchors.
    SKIP_CLASSES = {"cell_input", "highlight", "headerlink", "pre", "literal"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._stack: list[tuple[str, set[str], bool, bool]] = []  # (tag, classes, skipped, block)
        self._parts: list[list[str]] = []

    def _inside(self, cls: str) -> bool:
        return any(cls in classes for _, classes, _, _ in self._stack)

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        printed = self._inside("cell_output")  # a cell's printed output is read, code is not
        skipped = tag in {"script", "style", "button"} or (
            not printed and (tag in {"code", "kbd", "pre"} or bool(classes & self.SKIP_CLASSES)))
        block = tag in BLOCKS
        if block:
            self._parts.append([])
        self._stack.append((tag, classes, skipped, block))

    def handle_endtag(self, tag):
        if tag in VOID or tag not in {t for t, _, _, _ in self._stack}:
            return
        while self._stack:
            open_tag, _, _, block = self._stack.pop()
            if block:
                text = " ".join("".join(self._parts.pop()).split())
                if text and self._inside("bd-article"):
                    self.blocks.append(text)
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._parts and self._inside("bd-article") and not any(s for _, _, s, _ in self._stack):
            self._parts[-1].append(data.replace("\u00ad", ""))  # a soft hyphen shows only at a line's end


def visible_blocks(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.blocks


def _snippet(text: str, match: re.Match) -> str:
    return "…" + text[max(0, match.start() - 50):match.end() + 30] + "…"


def findings(blocks: list[str]) -> list[tuple[str, str]]:
    """(kind, snippet) for every English word and every slip in the blocks."""
    found = []
    for text in blocks:
        for match in ENGLISH.finditer(text):
            found.append(("engelsk", _snippet(text, match)))
        for kind, pattern in SLIPS.items():
            for match in pattern.finditer(text):
                found.append((kind, _snippet(text, match)))
        for match in CAPITAL_AFTER.finditer(text):
            word = match.group(1)
            if word not in NAMES and not word.isupper() and not text[:match.start()].rstrip().endswith((".", ":")):
                found.append(("stort bogstav midt i sætningen", _snippet(text, match)))
        for match in BARE_DIGIT.finditer(text):
            before = text[:match.start()]
            if not DIGIT_OK_AFTER.search(before) and not PAIRED.search(before):
                found.append(("tal med ciffer, hvor teksten vil have et ord", _snippet(text, match)))
    return found


@pytest.fixture(scope="module")
def pages() -> dict[str, list[str]]:
    return {path.relative_to(HTML_DIR).as_posix(): visible_blocks(path.read_text(encoding="utf-8"))
            for path in current_pages()}


@pytest.mark.book
def test_no_english_and_no_slips_on_any_page(pages):
    problems = [f"{name}: {kind}: {snippet}" for name, blocks in pages.items()
                for kind, snippet in findings(blocks)]
    assert not problems, f"{len(problems)} findings:\n" + "\n".join(problems)


@pytest.mark.book
def test_the_scan_reads_the_pages_text(pages):
    """The scan sees prose and tables, not the code: a parser that reads nothing passes nothing."""
    text = " ".join(pages["notebooks/99_verifikation.html"])
    assert "Verifikation" in text and "som CSV til maskiner" in text
    assert "import " not in text and "glue_text(" not in text


PAGE = """<html><body><nav><p>the navigation is not read</p></nav><article class="bd-article">
<h1>Titel</h1>
<p>Andelen er størst for Udfordringer i samarbejdet, og flest peger på Kompetenceudvikling.</p>
<p>Det er samme som før; andelene summe til 100, og 35 pct.. af dem, 37,6 kommuner (N = 80 (antaget)).</p>
<p>Heatmappet viser, at 0 af forskellene er signifikante; Rapportens egne modstrid; Gengivet.</p>
<p>Sammenfatningen nævner 3 udfordringer for 80 kommuner i afsnit 3 og figur 4.</p>
<table><tr><td>Udadreagerende børn</td><td>Vold</td><td>org_sektorer_psykiatri</td></tr></table>
<p>Figure 4 lists more actors because the report says so.</p>
<p>Tal for Region Hovedstaden og samarbejdet med Familieretshuset; 5 pct. af 95 kommuner.</p>
<div class="cell_input"><pre>the = because  # code is not read</pre></div>
<div class="cell_output"><pre>the printed output is read</pre></div>
<p>Filen <code class="literal">the_file.csv</code> er ikke tekst.</p>
</article></body></html>"""


def test_scan_finds_every_kind_and_reports_the_snippet():
    found = findings(visible_blocks(PAGE))
    kinds = {kind for kind, _ in found}
    assert kinds == {"engelsk", "stort bogstav midt i sætningen", "»er samme som«", "»summe til«",
                     "dobbelt punktum", "brøkdel af kommuner", "dobbelt parentes", "heatmap (skriv varmekort)",
                     "0 i stedet for »ingen«", "»egne modstrid«", "»gengivet« (bogen skriver »genskabt«)",
                     "tal med ciffer, hvor teksten vil have et ord", "kort etiket uden personen",
                     "spørgsmålets id i stedet for dets tekst"}
    capitals = [s for k, s in found if k == "stort bogstav midt i sætningen"]
    assert len(capitals) == 2 and "Udfordringer i" in capitals[0] and "Kompetenceudvikling" in capitals[1]
    english = " ".join(s for k, s in found if k == "engelsk")
    assert "lists more actors" in english and "printed output" in english
    assert "navigation" not in english and "code is not read" not in english and "the_file" not in english
    digits = [s for k, s in found if k.startswith("tal med ciffer")]
    assert len(digits) == 1 and "nævner 3" in digits[0]
    assert len([k for k, _ in found if k == "kort etiket uden personen"]) == 2


def test_names_and_numbers_in_their_place_pass():
    text = ("<article class='bd-article'><p>Tal for Region Hovedstaden og samarbejdet med Familieretshuset; "
            "5 pct. af 95 kommuner i afsnit 3 og figur 4; ingen af forskellene; Børn og unge udsat for vold; "
            "kun 4 (5 pct.) eller 3 kommuner (4 pct.); Hent tabellen som CSV (tema_etnisk.csv).</p>"
            "</article>")
    assert findings(visible_blocks(text)) == []
