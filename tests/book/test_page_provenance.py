"""The pages say where every number comes from: no assumed number reaches the prose as a finding
(the glued texts of the chapters, read from their manifests), and no interval shown on a built page lies
outside the non-response bounds."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from project_root import ROOT

from municipal_survey.build import pages
from municipal_survey.build.disclosure_check import page_tables


def glued(page: Path) -> dict[str, tuple[str, str | None]]:
    """Name -> (Danish text, provenance or None) of the page's glued texts (report.text.glue_text)."""
    return {name: (entry["text"], entry.get("provenance")) for name, entry in pages.committed_glue(page).items()
            if "text" in entry}


CHAPTERS = ["01_organisering.md", "02_maalgrupper.md", "04_aktuelle_temaer.md"]


@pytest.mark.parametrize("name", CHAPTERS)
def test_no_assumed_number_reaches_the_prose_as_a_finding(name):
    """In the committed chapters every glued number carries its provenance, and an assumed one says
    so in its own words (the mark † or 'syntetisk')."""
    values = glued(ROOT / "notebooks" / name)
    assert len(values) > 5, f"{name}: glued values carry no provenance (glue through report.sections)"
    unmarked = [k for k, (v, p) in values.items() if p == "assumed" and "†" not in v and "syntetisk" not in v]
    assert not unmarked, f"{name}: assumed numbers glued as findings: {unmarked}"
    # Every glue role in the prose refers to a value that says where it comes from.
    roles = set(re.findall(r"\{glue:text\}`([^`]+)`", pages.prose(ROOT / "notebooks" / name)))
    assert roles <= set(values), f"{name}: prose uses glue without provenance: {sorted(roles - set(values))}"


def test_the_report_voice_carries_only_published_numbers_in_the_example_of_section_2_7():
    values = glued(ROOT / "notebooks" / "02_maalgrupper.md")
    opening, source = values["k2_rusmidler_aabning"]
    assert source == "assumed" and "syntetiske datasæt" in opening and "angiver" not in opening
    published, source = values["k2_autisme_aabning"]
    assert source == "published" and "af kommunerne angiver" in published


BUILD = Path(os.environ.get("A11Y_HTML_DIR") or ROOT / "_build" / "html")


@pytest.mark.book
def test_no_shown_interval_lies_outside_the_nonresponse_bounds():
    pages = [p for p in BUILD.rglob("*.html") if p.relative_to(BUILD).parts[0] not in ("_static", "_sources")]
    if not pages:
        if os.environ.get("BOOK_REQUIRE_BUILD") == "1":
            pytest.fail(f"no built book in {BUILD}")
        pytest.skip(f"no built book in {BUILD}")
    checked = 0
    for page in pages:
        for table in page_tables(page, str(page.relative_to(BUILD))):
            if "95 pct.-interval" not in table.header or "Grænser ved frafald" not in table.header:
                continue
            i, j = table.header.index("95 pct.-interval"), table.header.index("Grænser ved frafald")
            for row in table.rows:
                if row[i] == "–":
                    continue
                low, high = (int(v) for v in row[i].split("–"))
                floor, ceiling = (int(v) for v in row[j].split("–"))
                assert floor <= low <= high <= ceiling, f"{table.where}: {row[0]}: {row[i]} outside {row[j]}"
                checked += 1
    assert checked > 100
