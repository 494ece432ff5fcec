"""a11y/axe-check.mjs finds a planted violation on the page and in the colour scheme where it is, and
nowhere else, while several browsers share the pages out.

A small site in a temporary folder: a redirect stub, three clean pages, a page with an image without
alt text (a violation in both schemes) and a page whose text has too little contrast in dark mode only.
Needs node, Chromium and the npm packages (cd a11y && npm ci); skipped without them unless
A11Y_BROWSER_REQUIRED=1 (CI), which makes their absence a failure.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from project_root import ROOT

pytestmark = [pytest.mark.book, pytest.mark.scratch]

CHROMIUM = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
MISSING = [what for what, there in [("node", shutil.which("node")), ("Chromium", Path(CHROMIUM).exists()),
                                    ("npm packages", (ROOT / "a11y" / "node_modules" / "axe-core").is_dir())]
           if not there]

PAGE = """<!DOCTYPE html>
<html lang="da"><head><meta charset="utf-8"><title>{title}</title><style>{style}</style></head>
<body><main><h1>{title}</h1><p class="body">Tekst til læseren.</p>{extra}</main></body></html>
"""
DARK_FAINT = "@media (prefers-color-scheme: dark) { body { background: #000; } p.body { color: #222; } }"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    pages = {
        "a.html": PAGE.format(title="A", style="", extra=""),
        "b.html": PAGE.format(title="B", style="", extra='<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'),
        "c.html": PAGE.format(title="C", style="", extra=""),
        "sub/d.html": PAGE.format(title="D", style=DARK_FAINT, extra=""),
        "sub/e.html": PAGE.format(title="E", style="", extra=""),
        "index.html": '<!DOCTYPE html><html><head><meta http-equiv="refresh" content="0; url=a.html">'
                      '</head></html>',
    }
    for name, text in pages.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_violations_are_reported_for_the_page_and_scheme_they_are_in(site: Path, tmp_path_factory):
    if MISSING:
        if os.environ.get("A11Y_BROWSER_REQUIRED"):
            pytest.fail(f"the browser check is required, but missing: {', '.join(MISSING)}")
        pytest.skip(f"missing: {', '.join(MISSING)}")
    report = tmp_path_factory.mktemp("axe") / "report.json"
    done = subprocess.run(["node", str(ROOT / "a11y" / "axe-check.mjs"), str(site), "--json", str(report)],
                          env={**os.environ, "CHROMIUM": CHROMIUM, "AXE_WORKERS": "2"}, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr  # serious or critical violations found
    views = json.loads(report.read_text(encoding="utf-8"))["report"]
    # Every page in both schemes, in page order, however the browsers shared them out.
    assert [(v["page"], v["scheme"]) for v in views] == [
        (page, scheme) for page in ["a.html", "b.html", "c.html", "sub/d.html", "sub/e.html"]
        for scheme in ("light", "dark")]
    found = {(v["page"], v["scheme"]): sorted(x["id"] for x in v["violations"]) for v in views if v["violations"]}
    assert found == {("b.html", "light"): ["image-alt"], ("b.html", "dark"): ["image-alt"],
                     ("sub/d.html", "dark"): ["color-contrast"]}
    lines = done.stdout.splitlines()
    assert lines[lines.index("b.html [light]: 1 violation(s), 1 serious/critical") + 1].startswith(
        "  - critical: image-alt")
    assert "index.html: redirect to a.html" in lines
    assert lines[-1].endswith("10 page views checked (wcag2a, wcag2aa, wcag21a, wcag21aa); "
                              "3 serious/critical violation(s)")
