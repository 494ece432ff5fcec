"""a11y/phone-check.mjs finds, at a phone's width, the page that scrolls sideways and the chart whose text is
shown under 9 px, and passes the page whose wide chart scrolls inside its own box at the size it is drawn.

A small site in a temporary folder; needs node, Chromium and the npm packages (cd a11y && npm ci), skipped
without them unless A11Y_BROWSER_REQUIRED=1 (CI), which makes their absence a failure."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from project_root import ROOT

pytestmark = [pytest.mark.book, pytest.mark.scratch]

CHROMIUM = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
MISSING = [what for what, there in [("node", shutil.which("node")), ("Chromium", Path(CHROMIUM).exists()),
                                    ("npm packages", (ROOT / "a11y" / "node_modules" / "puppeteer-core").is_dir())]
           if not there]
# A chart as matplotlib saves it: 504 units wide (672 CSS px at its own size), text of 9.5 units.
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="504pt" height="100pt" viewBox="0 0 504 100">'
       '<text style="font-size: 9.5px; font-family: sans-serif" x="10" y="50">Procent af kommunerne</text></svg>')
PAGE = '<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>T</title></head><body>{}</body></html>'


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "chart.svg").write_text(SVG, encoding="utf-8")
    pages = {
        # shrunk to 200 px: 9.5 x 200 / 504 = 3.8 px
        "shrunk.html": '<p>Tekst.</p><img alt="Figur" src="chart.svg" style="width: 200px">',
        # 672 px wide, in a box that scrolls by itself: 12.7 px, and the page does not scroll
        "scrolls.html": '<figure style="max-width: 100%; overflow-x: auto"><img alt="Figur" src="chart.svg">'
                        '</figure>',
        "wide.html": '<h2 style="white-space: nowrap">Børn og unge med opmærksomhedsforstyrrelser og andet</h2>',
        "index.html": '<meta http-equiv="refresh" content="0; url=scrolls.html">',
    }
    for name, body in pages.items():
        (tmp_path / name).write_text(PAGE.format(body), encoding="utf-8")
    return tmp_path


def test_sideways_scrolling_and_small_chart_text_are_found_on_their_pages(site: Path):
    if MISSING:
        if os.environ.get("A11Y_BROWSER_REQUIRED"):
            pytest.fail(f"the browser check is required, but missing: {', '.join(MISSING)}")
        pytest.skip(f"missing: {', '.join(MISSING)}")
    done = subprocess.run(["node", str(ROOT / "a11y" / "phone-check.mjs"), str(site)],
                          env={**os.environ, "CHROMIUM": CHROMIUM}, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    failing = [line.rstrip(":") for line in lines if line.endswith(":")]
    assert failing == ["shrunk.html", "wide.html"]
    assert lines[lines.index("shrunk.html:") + 1] == "  - chart chart.svg: text 3.8 px"
    assert lines[lines.index("wide.html:") + 1].startswith("  - scrolls sideways by ")
    assert lines[-1] == "3 pages at 390 px: 2 with sideways scrolling or chart text under 9 px"
