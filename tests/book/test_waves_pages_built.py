"""The built book's pages about the waves (the shipped, synthetic build of `make build-check`):

- the over-time page shows the 2022 wave's published figures as printed (numbers and words) beside the
  book's 2020 numbers, with the participation of every round;
- the comparison page says what it would show and shows no wave but the book's own: the shipped site
  never publishes a fictitious wave.

Reads $BOOK_BUILD_DIR/html (default _build/html); skips without a build unless BOOK_REQUIRE_BUILD=1.
"""
import os
import re
from pathlib import Path

import pytest
from fictitious_wave import page_rows

from municipal_survey.data import paths

HTML_DIR = Path(os.environ.get("BOOK_BUILD_DIR") or paths.PROJECT_ROOT / "_build") / "html"

pytestmark = pytest.mark.book


@pytest.fixture(scope="module")
def pages():
    if not (HTML_DIR / "notebooks" / "06_runder_sammenlignet.html").is_file():
        if os.environ.get("BOOK_REQUIRE_BUILD") == "1":
            pytest.fail(f"no built book in {HTML_DIR}")
        pytest.skip(f"no built book in {HTML_DIR}: run `make book`")
    return {name: (HTML_DIR / "notebooks" / f"{name}.html") for name in ("05_over_tid", "06_runder_sammenlignet")}


def glued(html: str) -> str:
    return " ".join(re.findall(r'<span class="pasted-text">(.*?)</span>', html, flags=re.S))


def test_the_shipped_comparison_page_shows_no_second_wave(pages):
    html = pages["06_runder_sammenlignet"].read_text(encoding="utf-8")
    assert "Bogens data har svar fra én runde, 2020, så siden sammenligner ikke runder." in glued(html)
    assert "<table" not in html and "<img" not in html  # no table, no chart
    assert not re.search(r"\b20(1[0-9]|2[1-9])\b", glued(html))  # no other wave is named in its numbers
    assert 'data-dataset="synthetic"' in html


def test_the_over_time_page_shows_2022_as_printed_beside_2020(pages):
    page = pages["05_over_tid"]
    table = page_rows(page, "Spørgsmål, begge runder giver tal eller ord for")
    rows = {row["Spørgsmål i 2020"]: row for row in table}
    assert rows["Børn og unge med selvskadende adfærd: samlet set"]["2022, som trykt"] == "60 pct."
    assert rows["Børn og unge med selvskadende adfærd: samlet set"]["2020 (pct.)"] == "42"
    assert rows["Børn og unge med autisme: samlet set"]["2022, som trykt"] == "59 pct."
    placement = next(row for label, row in rows.items() if label.startswith("Udfordringer i forhold til, om"))
    assert placement["2022, som trykt"] == "Næsten ni ud af ti"
    assert placement["Kan sammenlignes"] == "anden formulering"
    participation = {row["Runde"]: row["Deltagelse"] for row in page_rows(page, "Deltagelsen i hver runde")}
    assert participation == {
        "Voksne 2018 (VIVE)": "77 pct.", "Børn og unge 2019 (VIVE)": "87 pct.", "Børn og unge 2020": "97 pct.",
        "Voksne 2020": "95 pct.", "Børn og unge 2022": "88 pct.", "Voksne 2022": "86 pct."}
    text = glued(page.read_text(encoding="utf-8"))
    assert "»Næsten ni ud af ti«" in text and "»markant stigning«" in text
