"""No stale numbers, end to end: `make book RESPONSES=... MAPPING=...` on a survey-tool export rebuilds an
existing synthetic build and the book shows the export's numbers, says it is not synthetic, and names
the imported file by its hash; nothing of the synthetic build is left (`BOOK_PDF=0` removes its PDF and
every link to it); and the attack finds nothing to give away.

The export has lower participation than the synthetic answers (tests/support/survey_exports.py: 25 more
municipalities absent, 9 of them in Region Nordjylland, which keeps 2 of its 11) and some answers moved.

The rebuild imports two waves at once, as a data holder with two rounds would: the changed 2020 export and
a fictitious 2022 wave made from the synthetic answers (tests/support/fictitious_wave.py: another seed, lower
participation, some answers moved, exported as a tool would). The comparison page then shows them, and
every number of its tables is recomputed here from the two exports' cells. One rebuild serves both
checks.

The existing build is a copy of the book's own synthetic build ($BOOK_BUILD_DIR, default _build, made by
`make build-check` in `make test`): its execution cache, Sphinx environment and pages. A first
`make book` finds nothing to execute or re-read in it, as after any earlier synthetic build. The
imported build must then throw away both that cache and Sphinx's environment (which would otherwise
not even re-read the unchanged notebooks). One real build, about a minute: the notebooks are executed
on the imported data. Without a synthetic build the test skips, unless BOOK_REQUIRE_BUILD=1 (set by
`make test`), which makes that a failure.

Everything is written under tmp_path (BUILD_DIR and IMPORTED are overridden); nothing in the project
or in the copied build changes. A real export legitimately differs from the report, so the verification
page lists mismatches: that must not fail the build.
"""
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from fictitious_wave import check_comparison_page, expected_comparison, make_fictitious_wave
from survey_exports import LOW_PARTICIPATION, left_out, write_export

from municipal_survey.analysis import organisation
from municipal_survey.analysis.rounding import percent
from municipal_survey.build import disclosure_attack, disclosure_check, fingerprint
from municipal_survey.build.pdf import PDF_NAME
from municipal_survey.data import paths
from municipal_survey.data.paths import RESPONSES_ENV
from municipal_survey.data.responses import file_digest
from municipal_survey.data.survey import load_survey
from municipal_survey.report.labels import question_label
from municipal_survey.report.text import fmt_pct

ROOT = paths.PROJECT_ROOT
TOP_TWO = ("I meget høj grad", "I høj grad")
CHANGED = 12  # answers moved from "i mindre grad"/"slet ikke" to "i meget høj grad"

SYNTHETIC_BUILD = Path(os.environ.get("BOOK_BUILD_DIR") or ROOT / "_build")
REQUIRED = os.environ.get("BOOK_REQUIRE_BUILD") == "1"

pytestmark = [pytest.mark.book,
              pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")]


def make(*args: str, pdf: bool = False) -> str:
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", RESPONSES_ENV)}
    # BOOK_PDF=0: the PDF is checked on the main build (tests/book/test_book_pdf.py); printing it here
    # costs seconds.
    done = subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), f"BOOK_PDF={int(pdf)}", *args],
                          env=env, capture_output=True, text=True, timeout=900)
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"make {' '.join(args)} failed:\n{output[-4000:]}"
    assert "Executing notebook failed" not in output and "Traceback" not in output, output[-4000:]
    return output


def glued(html: str, before: str) -> list[str]:
    """The glued texts that directly follow `before` in a page."""
    return re.findall(re.escape(before) + r'\s*<span class="pasted-text">([^<]*)</span>', html)


def banners(html_dir: Path) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Page -> (data-dataset, the file names) of its dataset banner."""
    pattern = re.compile(r'data-dataset="(\w+)">(.*?)</div>', re.S)
    found = {}
    for page in sorted(html_dir.rglob("*.html")):
        match = pattern.search(page.read_text(encoding="utf-8"))
        if match:
            kind, banner = match.groups()
            found[str(page.relative_to(html_dir))] = (kind, tuple(re.findall(r"<code>([^<]*)</code>", banner)))
    return found


def dataset_files(html_dir: Path) -> list[tuple[str, str]]:
    """(file name, short hash) of every file the data page lists as the dataset behind the numbers."""
    page = (html_dir / "book" / "data.html").read_text(encoding="utf-8")
    details = re.search(r'<ul class="dataset-details">(.*?)</ul>', page, re.S)
    assert details, "the data page lists no dataset files"
    return re.findall(r"<code>([^<]*)</code>, sha256 <code>([0-9a-f]+|mangler)</code>", details.group(1))


def copy_synthetic_build(build: Path) -> None:
    """A copy of the book's synthetic build, with its execution cache stamped with the synthetic inputs."""
    current = fingerprint.stamp_matches(SYNTHETIC_BUILD, fingerprint.inputs_digest(paths.SYNTHETIC_RESPONSES))
    if not (current and (SYNTHETIC_BUILD / "html" / "index.html").is_file()):
        message = f"no synthetic build of the current inputs in {SYNTHETIC_BUILD} (make build-check)"
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    shutil.copytree(SYNTHETIC_BUILD, build, symlinks=True)


def changed_export(tmp_path: Path) -> tuple[Path, Path, str, str, str]:
    """A wide CSV export of the synthetic answers with lower participation and figure 1's top area moved up.

    Returns export, mapping, the area's label, and its share before and after as the book prints them.
    """
    survey = load_survey(paths.SYNTHETIC_RESPONSES)
    overall = organisation.overall_shares(survey)
    top = overall.index[0]
    # Chapter 1 names an area as the report does, by its question: "oplever udfordringer med at
    # kvalitetsudvikle ... (46 pct.)" for "Udfordringer med at kvalitetsudvikle ... samlet set".
    text = survey.questions.at[top, "text_da"]
    label = text.removeprefix("Udfordringer ").removesuffix(" samlet set")
    answers = survey.responses[survey.responses["question"] == top]["answer"]
    before = percent(answers.isin([3, 4]).sum(), len(answers))
    absent = left_out(survey.responses, **LOW_PARTICIPATION["nordjylland"])
    export, mapping = write_export(tmp_path / "export", leave_out=absent, moved={top: CHANGED})
    column = {qid: col for col, qid in yaml.safe_load(mapping.read_text())["columns"].items()}[top]
    frame = pd.read_csv(export, dtype=str, keep_default_na=False, encoding="utf-8")
    assert len(frame) == survey.responses["municipality"].nunique() - len(absent) == 70
    answered = frame[column] != ""
    after = percent(frame[column].isin(TOP_TWO).sum(), answered.sum())  # computed from the cells themselves
    assert after != before
    return export, mapping, label, fmt_pct(before), fmt_pct(after)


def test_make_book_on_an_imported_export_shows_its_numbers_not_stale_ones(tmp_path):
    build = tmp_path / "site" / "_build"
    html_dir = build / "html"
    imported = tmp_path / "imported" / "responses.csv"
    export, mapping, label, before, after = changed_export(tmp_path)

    # An existing synthetic build with its PDF: nothing is executed or re-read, nothing printed again.
    copy_synthetic_build(build)
    if not (html_dir / PDF_NAME).exists():  # printed by make build-check where Chromium is installed
        (html_dir / PDF_NAME).write_bytes(b"%PDF-1.4 printed from the synthetic pages")
    started = time.perf_counter()
    output = make("book", "RESPONSES=", f"BUILD_DIR={build}", pdf=True)  # synthetic even with data/private/
    synthetic_seconds = time.perf_counter() - started
    assert "inputs unchanged: cache kept" in output and "execute-cache: 0 of" in output
    page = (html_dir / "notebooks" / "01_organisering.html").read_text(encoding="utf-8")
    assert glued(page, "oplever udfordringer")[0].startswith(f"{label} ({before})")
    assert set(b[0] for b in banners(html_dir).values()) == {"synthetic"}

    # Switch to the exports of two waves: import, fingerprint, rebuild.
    started = time.perf_counter()
    later, later_mapping = make_fictitious_wave(tmp_path / "wave2022")
    second_wave_seconds = time.perf_counter() - started
    index = ROOT / "tests" / "fixtures" / "socioeconomic_index.csv"
    output = make("book", f"RESPONSES={export} {later}", f"MAPPING={mapping} {later_mapping}",
                  f"BUILD_DIR={build}", f"IMPORTED={imported}", f"SOCIOECONOMIC_INDEX={index}")
    imported_seconds = time.perf_counter() - started - second_wave_seconds
    print(f"synthetic build {synthetic_seconds:.1f} s, second wave made in {second_wave_seconds:.1f} s, "
          f"imported build {imported_seconds:.1f} s")
    assert "wrote " + str(imported) in output and "inputs changed: execution cache cleared" in output

    # Every page says it shows the imported exports, by name; the data page gives their hashes.
    shown = banners(html_dir)
    toc_pages = {"book/forside.html", "book/data.html", "notebooks/01_organisering.html",
                 "notebooks/99_verifikation.html"}
    assert toc_pages <= set(shown)
    # The banner names the exports the user gave (and the index), not the intermediate responses.csv.
    assert set(shown.values()) == {("imported", (export.name, later.name, index.name))}
    # The data page holds each export's hash, computed here from the files themselves, and the index's.
    assert dataset_files(html_dir) == [(export.name, file_digest(export)[:12]),
                                       (later.name, file_digest(later)[:12]),
                                       (index.name, file_digest(index)[:12])]

    # The glued prose shows the new share, in the overview and in the area's own section.
    page = (html_dir / "notebooks" / "01_organisering.html").read_text(encoding="utf-8")
    overview = glued(page, "oplever udfordringer")[0]
    assert overview.startswith(f"{label} ({after})"), overview
    assert f"({before})" not in overview
    assert re.search(rf'angiver\s*<span class="pasted-text">{re.escape(after)}</span>\s*af kommunerne', page)

    # The report's number is no longer reproduced: the verification page says so, and the build went on.
    verification = (html_dir / "notebooks" / "99_verifikation.html").read_text(encoding="utf-8")
    failures = glued(verification, "Tal, der hverken er genskabt eller forklaret:")
    assert failures and failures[0] not in {"0", "ingen"}  # a count in words or digits, not none

    # Chapter 3 says which socioeconomic index file it used (make book SOCIOECONOMIC_INDEX=...), not
    # the synthetic stand-in.
    chapter3 = (html_dir / "notebooks" / "03_variation.html").read_text(encoding="utf-8")
    prose = " ".join(re.findall(r'<span class="pasted-text">(.*?)</span>', chapter3, flags=re.S))
    assert "socioeconomic_index.csv" in prose and "erstatning" not in prose

    # The comparison page shows the two waves: every row of its tables recomputed from the exports' cells.
    survey = load_survey(imported)
    likert = survey.codebook.loc[survey.codebook["kind"] == "likert", "question"].tolist()
    check_comparison_page(html_dir / "notebooks" / "06_runder_sammenlignet.html",
                          expected_comparison((export, mapping), (later, later_mapping), likert),
                          {q: question_label(survey, q) for q in likert})

    # The synthetic PDF is gone, and no page links to a PDF (BOOK_PDF=0).
    assert not (html_dir / PDF_NAME).exists()
    linked = re.compile(r'href="[^"]*' + re.escape(PDF_NAME))
    assert not [p.name for p in html_dir.rglob("*.html") if linked.search(p.read_text(encoding="utf-8"))]

    # Disclosure rules hold on the imported build too: nothing a reader can work out from the site.
    assert disclosure_check.check_html(html_dir) == []
    report = disclosure_attack.attack(html_dir, disclosure_attack.load_reader(imported, index))
    assert report.findings == [], "\n".join(map(str, report.findings[:40]))
