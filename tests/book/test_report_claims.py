"""The book never says that the report lacks a number the report prints.

The book's source for the report is its text up to section 2.6, the summary and the table of contents.
The report itself prints the numbers of every figure, of sections 2.7-4.7, chapter 3 and the
appendices. A page may say that the book has not read (transcribed) those numbers yet, and where the
report prints them; it may not say that the report does not give them. Read here: the Markdown and
the committed glue manifests (glued text) of every page, the book's own pages and, when a build
exists, the built HTML. Every section the book has not read names the report's page, taken here from
the table of contents file itself.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import book_extension
import pytest
from project_root import ROOT

from municipal_survey.build import pages

# How the book used to misstate its source, and close variants.
FALSE_CLAIMS = [re.compile(p) for p in (
    r"[Rr]apporten (?:oplyser|offentliggør|trykker|nævner|viser|angiver|giver) ikke",
    r"[Rr]apporten, som den foreligger",
    r"slutter i kapitel",
    r"rapportens \S+ offentliggjorte tal",
    r"ikke offentliggjort i rapporten",
    r"[Ii]ngen af afsnittets andele står i rapporten",
    r"indgår ikke i den kildetekst",
    r"fremgår ikke af kildeteksten",
    r"bilag \d i rapporten angiver kun",
    r"[Hh]vor stærk sammenhængen er, oplyser rapporten ikke",
)]


def notebooks() -> list[Path]:
    return pages.page_paths()


def notebook_texts(path: Path) -> list[str]:
    """The page's Markdown and every text it glues (its committed glue manifest)."""
    return [pages.prose(path), *(entry["text"] for entry in pages.committed_glue(path).values()
                                 if isinstance(entry.get("text"), str))]


def claims(text: str) -> list[str]:
    return [m.group(0) for pattern in FALSE_CLAIMS for m in pattern.finditer(text)]


def test_the_patterns_catch_the_old_phrasings():
    old = ["Rapporten oplyser ikke andelen for børn i psykisk mistrivsel samlet set.",
           "Rapporten, som den foreligger her, offentliggør tal for målgrupperne i afsnit 2.1–2.6",
           "Rapporten offentliggør ikke tal pr. kommunegruppe.",
           "Kildeteksten, bogen bygger på, slutter i kapitel 2,",
           "Af rapportens 181 offentliggjorte tal er",
           "Gennemsnittene er ikke offentliggjort i rapporten.",
           "Ingen af afsnittets andele står i rapporten: alle ni fordelinger",
           "Rapportens spørgsmål og tal om temaet indgår ikke i den kildetekst, bogen bygger på",
           "Rapportens egne grænser fremgår ikke af kildeteksten;"]
    assert all(claims(sentence) for sentence in old)
    new = ["Bogen har endnu ikke læst andelen for børn i psykisk mistrivsel samlet set; rapporten trykker den "
           "i figur 20 (s. 30).", "Af de 181 tal fra rapporten, bogen har læst, er"]
    assert not any(claims(sentence) for sentence in new)


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: p.name)
def test_no_notebook_says_the_report_lacks_a_number(path):
    found = [c for text in notebook_texts(path) for c in claims(text)]
    assert not found, f"{path.name}: {found}"


def test_no_page_of_the_book_says_the_report_lacks_a_number():
    found = {p.name: claims(p.read_text(encoding="utf-8")) for p in (ROOT / "book").glob("*.md")}
    assert not {k: v for k, v in found.items() if v}


def test_the_report_modules_write_no_such_sentence():
    found = {p.name: claims(p.read_text(encoding="utf-8"))
             for p in (ROOT / "src" / "municipal_survey" / "report").glob("*.py")}
    assert not {k: v for k, v in found.items() if v}


def unread_sections() -> dict[str, int]:
    """Section -> the report's page, for each section whose numbers are not in the book's source
    (data/codebook/report_contents.csv, read here with the csv module)."""
    with open(ROOT / "data" / "codebook" / "report_contents.csv", encoding="utf-8", newline="") as f:
        return {r["ref"]: int(r["page"]) for r in csv.DictReader(f)
                if r["kind"] == "section" and r["in_source"] == "no"}


def section_texts() -> dict[str, str]:
    """Section number -> its text as a reader sees it: the Markdown under the heading '## <ref> ...' up to
    the next heading, with every {glue:text} role replaced by its committed glued value."""
    found = {}
    for path in notebooks():
        glued = {name: entry["text"] for name, entry in pages.committed_glue(path).items()
                 if isinstance(entry.get("text"), str)}
        markdown = pages.prose(path)
        for part in re.split(r"^(?=#{1,2} )", markdown, flags=re.M):
            heading = re.match(r"#{1,2} (\d+(?:\.\d+)+) ", part)
            if heading:
                found[heading.group(1)] = re.sub(r"\{glue:text\}`([^`]+)`",
                                                 lambda m, values=glued: values.get(m.group(1), m.group(0)), part)
    return found


def test_the_table_of_contents_gives_the_pages_the_report_prints():
    # The pages the report's own table of contents gives (2.7-2.17: pp. 37-47; 4.2, 4.3, 4.5: 55-58).
    pages = unread_sections()
    assert [pages[f"2.{n}"] for n in range(7, 18)] == list(range(37, 48))
    assert (pages["4.2"], pages["4.3"], pages["4.5"]) == (55, 56, 58)
    assert (pages["3.1"], pages["3.2"], pages["3.3"]) == (49, 52, 53)


def test_every_section_the_book_has_not_read_names_the_reports_page():
    texts = section_texts()
    pages = unread_sections()
    shown = {ref: page for ref, page in pages.items() if ref in texts}
    # Chapter 2 from 2.7, chapter 3 and chapter 4 are pages of the book.
    assert {f"2.{n}" for n in range(7, 18)} | {"3.1", "3.2", "3.3", "4.2", "4.3", "4.5"} <= set(shown)
    missing = {ref: page for ref, page in shown.items() if not re.search(rf"\bs\. {page}\b", texts[ref])}
    assert not missing, f"sections that do not name the report's page: {missing}"
    unglued = {ref for ref in shown if "{glue:text}" in texts[ref]}
    assert not unglued, f"sections with glue roles that have no committed value: {sorted(unglued)}"


def test_the_page_check_fails_on_a_section_without_its_page():
    text = "## 2.7 Børn og unge\n\nI det syntetiske datasæt svarer 31 pct. † af kommunerne ..."
    assert not re.search(r"\bs\. 37\b", text)
    assert re.search(r"\bs\. 37\b", text + " Rapporten trykker afsnittets tal i sin figur 27 (s. 37).")


@pytest.mark.book
def test_no_built_page_says_the_report_lacks_a_number():
    from built_site import HTML_DIR, REQUIRED, built_pages, stale_reason

    reason = stale_reason()
    if reason:
        if REQUIRED:
            pytest.fail(reason)
        pytest.skip(reason)
    found = {}
    for page in built_pages():
        text = re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))
        hits = claims(re.sub(r"\s+", " ", text))
        if hits:
            found[str(page.relative_to(HTML_DIR))] = hits
    assert not found


def test_the_banner_says_what_the_numbers_are_and_leaves_the_hashes_to_the_data_page(monkeypatch):
    from municipal_survey.data import paths

    dataset_banner = book_extension.load("dataset_banner")
    monkeypatch.delenv(paths.RESPONSES_ENV, raising=False)
    chapter = dataset_banner.banner("../book/data.html", "notebooks/02_maalgrupper")
    assert "Tallene i teksten er rapportens; fordelinger markeret † er antagelser" in chapter
    assert "sha256" not in chapter and 'href="../book/data.html#datagrundlag"' in chapter
    # Chapter 3's numbers are the book's computations on the synthetic data: the banner says so.
    assert "ikke rapportens" in dataset_banner.banner("../book/data.html", "notebooks/03_variation")
    assert "sha256 <code>" in dataset_banner.details()
