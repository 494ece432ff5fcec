"""The transcription sheet and its import, end to end in a scratch copy of data/.

Expected values are computed here from the files themselves: the rows the sheet must hold from the
codebook and published CSVs read with the csv module, the pages from the report's table of contents
typed below, and every share by a hand count of data/synthetic/responses.csv rounded with Decimal.
"""
from __future__ import annotations

import base64
import csv
import re
import shutil
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from openpyxl import load_workbook

from municipal_survey import cli
from municipal_survey.data import paths

# Whole round trips (data regenerated, exports written and imported): the scratch line of make test,
# not make check.
pytestmark = [pytest.mark.book, pytest.mark.scratch]

# The report's table of contents (pages of the parts the sheet covers); figure 20 stands on p. 30.
TOC_PAGES = {"2.7": 37, "2.8": 38, "2.9": 39, "2.10": 40, "2.11": 41, "2.12": 42, "2.13": 43, "2.14": 44,
             "2.15": 45, "2.16": 46, "2.17": 47, "4.1": 54, "4.2": 55, "4.3": 56, "4.4": 57, "4.5": 58,
             "4.6": 59, "4.7": 60}
FIGURE_20_PAGE = 30
CATEGORIES = {"share_meget_hoej": "4", "share_hoej": "3", "share_mindre": "2", "share_slet_ikke": "1",
              "share_ved_ikke": "8", "share_ikke_relevant": "9"}
DATE = "2026-12-04"
ENTRY_XML = "xl/worksheets/sheet2.xml"  # where openpyxl writes the second sheet, "Indtastning"


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _codebook(data: Path) -> list[dict]:
    return [r for f in sorted((data / "codebook").glob("questions_*.csv")) for r in _rows(f)]


def _published(data: Path) -> list[dict]:
    return [r for f in sorted((data / "published").glob("published_*.csv")) for r in _rows(f)]


def _in_scope(row: dict) -> bool:
    figures = [f.strip() for f in row["figure"].split(";")]
    return row["kind"] == "likert" and (row["section"] in TOC_PAGES or "20" in figures)


def _key(row: dict) -> str:
    """The figure a number is read from: its number, or its section where the codebook has none."""
    figures = [f.strip() for f in row["figure"].split(";") if f.strip()]
    return f"figur {'20' if '20' in figures else figures[0]}" if figures else f"afsnit {row['section']}"


def expected_rows(data: Path) -> dict[str, int]:
    """How many rows the sheet must hold per section, counted from the CSV files."""
    printed = {(r["question"], r["statistic"]) for r in _published(data)
               if not r["conflicts_with"] and not r["tolerance"]}
    counts: dict[str, int] = {}
    figures: dict[str, list[dict]] = {}
    for row in filter(_in_scope, _codebook(data)):
        missing = [s for s in [*CATEGORIES, "share_top2"] if (row["question"], s) not in printed]
        counts[row["section"]] = counts.get(row["section"], 0) + len(missing)
        figures.setdefault(_key(row), []).append(row)
    n_printed = {r["figure"] for r in _published(data) if r["statistic"] == "n_min"}
    for key, rows in figures.items():
        single = all(r["n_min"] and r["n_min"] == r["n_max"] for r in rows)
        if not (key.removeprefix("figur ") in n_printed or single):
            counts[rows[0]["section"]] = counts.get(rows[0]["section"], 0) + 2  # N, smallest and largest
    return counts


def pct(count: int, total: int) -> int:
    """A whole percent rounded half away from zero, by hand with Decimal."""
    return int((Decimal(100 * count) / Decimal(total)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def answers(data: Path) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for row in _rows(data / "synthetic" / "responses.csv"):
        found.setdefault(row["question"], []).append(int(row["answer"]))
    return found


def figure_questions(data: Path, key: str) -> list[str]:
    kind, ref = key.split(" ")
    book = [r for r in _codebook(data) if r["kind"] == "likert"]
    if kind == "figur":
        return [r["question"] for r in book if ref in [f.strip() for f in r["figure"].split(";")]]
    return [r["question"] for r in book if r["section"] == ref and not r["figure"]]


def fill(sheet: Path, target: Path, data: Path) -> dict[str, int]:
    """The sheet filled in from the synthetic answers by hand count: every category share, every figure's
    N range, and the share "i høj eller meget høj grad" of the overall items (their text prints it)."""
    given = answers(data)
    workbook = load_workbook(sheet)
    ws = workbook["Indtastning"]
    column = {c.value: c.column for c in ws[1]}
    values = {}
    for row in ws.iter_rows(min_row=2):
        key = row[column["Id"] - 1].value
        head, statistic = key.rsplit(":", 1)
        if statistic in ("n_min", "n_max"):
            ns = [len(given[q]) for q in figure_questions(data, head)]
            value = min(ns) if statistic == "n_min" else max(ns)
        elif statistic == "share_top2":
            if not head.endswith("_samlet"):
                continue
            value = pct(sum(a in (3, 4) for a in given[head]), len(given[head]))
        else:
            value = pct(sum(a == int(CATEGORIES[statistic]) for a in given[head]), len(given[head]))
        row[column["Værdi"] - 1].value = value
        values[key] = value
    workbook.save(target)
    return values


class EntryCells:
    """The entry sheet of a filled .xlsx, changed in the sheet's XML inside the file: a typed cell is written
    as openpyxl (and a spreadsheet program) stores it, the rest of the file is kept byte for byte. openpyxl's
    own load and save of the 800 styled rows cost about twenty times more; the importer reads the result with
    openpyxl like any sheet."""

    STYLES = "xl/styles.xml"

    def __init__(self, sheet: Path):
        with zipfile.ZipFile(sheet) as xlsx:
            self.parts = {name: xlsx.read(name) for name in xlsx.namelist()}
        self.xml = {part: self.parts[part].decode("utf-8") for part in (ENTRY_XML, self.STYLES)}
        self.letter = {name: self._find(rf'<c r="([A-Z]+)1"[^>]*><is><t>{re.escape(name)}</t>')
                       for name in ("Id", "Værdi")}

    def _find(self, pattern: str, part: str = ENTRY_XML) -> str:
        found = re.search(pattern, self.xml[part])
        if found is None:
            raise KeyError(f"{pattern} in {part}")
        return found.group(1)

    def _put(self, ref: str, content: str, style: str | None = None) -> None:
        """Cell `ref` anew: its style (kept unless given) and `content`, e.g. ' t="n"><v>12</v>'."""
        style = style or self._find(rf'<c r="{ref}" s="(\d+)"')
        cell = re.compile(rf'<c r="{ref}" [^>]*?(?:/>|>.*?</c>)')  # one cell, empty (/>) or not
        self.xml[ENTRY_XML], found = cell.subn(f'<c r="{ref}" s="{style}"{content}</c>', self.xml[ENTRY_XML])
        if found != 1:
            raise KeyError(f"cell {ref} in {ENTRY_XML}")

    def _percent_style(self, ref: str) -> str:
        """A copy of the cell's style with Excel's built-in percent format (9, "0%"), added to the
        workbook's styles; returns its index."""
        block = re.search(r'<cellXfs count="\d+">(.*?)</cellXfs>', self.xml[self.STYLES])
        styles = re.findall(r"<xf [^>]*?(?:/>|>.*?</xf>)", block.group(1))
        copied = re.sub(r' applyNumberFormat="\d"', "", styles[int(self._find(rf'<c r="{ref}" s="(\d+)"'))])
        styles.append(re.sub(r'numFmtId="\d+"', 'numFmtId="9" applyNumberFormat="1"', copied, count=1))
        self.xml[self.STYLES] = self.xml[self.STYLES].replace(
            block.group(0), f'<cellXfs count="{len(styles)}">{"".join(styles)}</cellXfs>')
        return str(len(styles) - 1)

    def set(self, key: str, value: object, percent: bool = False) -> int:
        """Type `value` into the row of `key` (formatted as a percentage, if `percent`); returns the row's
        number."""
        row = int(self._find(rf'<c r="{self.letter["Id"]}(\d+)"[^>]*><is><t>{re.escape(key)}</t>'))
        ref = f"{self.letter['Værdi']}{row}"
        style = self._percent_style(ref) if percent else None
        if isinstance(value, str):
            self._put(ref, f' t="inlineStr"><is><t>{escape(value)}</t></is>', style)
        else:
            self._put(ref, f' t="n"><v>{value}</v>', style)
        return row

    def rename(self, column: str, name: str) -> None:
        self._put(f"{self.letter[column]}1", f' t="inlineStr"><is><t>{escape(name)}</t></is>')

    def save(self, target: Path) -> None:
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as xlsx:
            for name, data in self.parts.items():
                xlsx.writestr(name, self.xml[name].encode("utf-8") if name in self.xml else data)


def set_values(sheet: Path, target: Path, values: dict[str, object], percent: bool = False) -> dict[str, int]:
    """A copy of a sheet with some values changed; returns each changed row's number by key."""
    cells = EntryCells(sheet)
    rows = {key: cells.set(key, value, percent) for key, value in values.items()}
    cells.save(target)
    return rows


def set_value(sheet: Path, target: Path, key: str, value, percent: bool = False) -> int:
    """A copy of a sheet with one value changed; returns the changed row's number."""
    return set_values(sheet, target, {key: value}, percent)[key]


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """A copy of the project's data/ that the package reads and writes instead of the repository's."""
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data, ignore=shutil.ignore_patterns("imported", "private"))
    for name, value in {"DATA_DIR": data, "CODEBOOK_DIR": data / "codebook", "PUBLISHED_DIR": data / "published",
                        "REGISTER_FILE": data / "register" / "municipalities.csv",
                        "SYNTHETIC_DIR": data / "synthetic", "ASSUMPTIONS_DIR": data / "synthetic" / "assumptions",
                        "SYNTHETIC_RESPONSES": data / "synthetic" / "responses.csv"}.items():
        monkeypatch.setattr(paths, name, value)
    return data


def state(data: Path) -> dict[str, bytes]:
    """Every file of the published table and the synthetic responses, by name: what an import may change."""
    files = [*sorted((data / "published").glob("*.csv")), data / "synthetic" / "responses.csv"]
    return {f.name: f.read_bytes() for f in files}


@pytest.fixture(scope="module")
def sheets(tmp_path_factory) -> tuple[Path, Path, dict[str, int]]:
    """The blank sheet `transcription sheet` writes for the repository's data/, and a copy filled in by
    hand count, made once for the module: (blank, filled, the filled values by key). Tests only read
    them (the repository's data/ is read, never written); a test that changes a sheet copies it."""
    folder = tmp_path_factory.mktemp("sheets")
    blank, filled = folder / "ark.xlsx", folder / "fyldt.xlsx"
    assert cli.main(["transcription", "sheet", "--output", str(blank)]) == 0
    return blank, filled, fill(blank, filled, paths.DATA_DIR)


@pytest.fixture(scope="module")
def blank_workbook(sheets):
    """The blank sheet as openpyxl reads it, loaded once for the tests that only look at it."""
    return load_workbook(sheets[0])


@pytest.fixture
def filled_sheet(sheets, tmp_path) -> tuple[Path, dict[str, int]]:
    """A copy of the filled sheet that a test may change, and its values."""
    copy = tmp_path / "fyldt.xlsx"
    shutil.copy(sheets[1], copy)
    return copy, dict(sheets[2])


def run(capsys, *argv) -> tuple[int, str]:
    code = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


# ------------------------------------------------------------------------------------------ the sheet
def test_the_sheet_lists_every_expected_number_with_its_page(blank_workbook):
    ws = blank_workbook["Indtastning"]
    header = [c.value for c in ws[1]]
    assert header[:8] == ["Side", "Afsnit", "Figur", "Målgruppe / tema", "Spørgsmål", "Tal", "Værdi", "Tilladt"]
    rows = [dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True)]
    per_section: dict[str, int] = {}
    for row in rows:
        per_section[row["Afsnit"]] = per_section.get(row["Afsnit"], 0) + 1
    assert per_section == expected_rows(paths.DATA_DIR)
    assert len(rows) == 808  # 17 bars of figure 20, 11 figures of 2.7-2.17, three themes (counted above)
    for row in rows:
        assert row["Værdi"] is None
        if row["Figur"] == "20" and not row["Id"].endswith("share_top2"):
            assert row["Side"] == FIGURE_20_PAGE, row
        else:
            assert row["Side"] == TOC_PAGES[row["Afsnit"]], row
    # What a transcriber reads off the sheet for one number (section 2.7, figure 27).
    example = next(r for r in rows if r["Id"] == "mg_rusmidler_opsporing:share_slet_ikke")
    assert (example["Side"], example["Figur"], example["Tal"], example["Tilladt"]) == \
        (37, "27", "Andel »slet ikke« (pct.)", "0–100")
    assert example["Målgruppe / tema"] == "Børn og unge med problematisk forbrug af rusmidler"


def test_the_sheet_is_ready_for_excel(blank_workbook):
    workbook = blank_workbook
    assert workbook.sheetnames == ["Vejledning", "Indtastning"]
    ws = workbook["Indtastning"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:K{ws.max_row}"
    ranges = {row[10].value: row[7].value for row in ws.iter_rows(min_row=2)}
    checked = {}
    for validation in ws.data_validations.dataValidation:
        assert validation.type == "whole" and validation.showErrorMessage
        for cell_range in validation.sqref.ranges:
            for row, column in cell_range.cells:
                assert column == 7  # the column "Værdi"
                checked[row] = f"{validation.formula1}–{validation.formula2}"
    # every value cell is checked by Excel against the range the row states
    assert {ws.cell(r, 11).value: v for r, v in checked.items()} == ranges
    guide = [[c for c in r if c not in (None, "")] for r in workbook["Vejledning"].iter_rows(values_only=True)]
    # the parts the codebook has no questions for, named with their pages
    for part, page in (("Kapitel 3", 49), ("Afsnit 4.2", 55), ("Bilag 5", 68), ("Bilag 6", 71), ("Bilag 7", 73)):
        assert [page, part] in [r[:2] for r in guide], part
    assert any("transcription import" in str(r[0]) for r in guide if r)


def test_the_sheet_is_the_same_file_each_time(scratch, sheets, tmp_path):
    again = tmp_path / "igen.xlsx"  # written again, from a copy of data/ elsewhere
    assert cli.main(["transcription", "sheet", "--output", str(again)]) == 0
    assert again.read_bytes() == sheets[0].read_bytes()


# ----------------------------------------------------------------------------------- the round trip
def _xlsx_column(html: str, stem: str, column: str) -> dict[str, str]:
    """A download inside a page's HTML, read back: the first column -> `column`."""
    payload = re.search(rf'download="{stem}\.xlsx" href="data:[^;]+;base64,([^"]+)"', html).group(1)
    ws = load_workbook(BytesIO(base64.b64decode(payload))).active
    header = [c.value for c in ws[1]]
    return {r[0]: r[header.index(column)] for r in ws.iter_rows(min_row=2, values_only=True)
            if r[0] and len(r) > header.index(column) and r[header.index(column)] is not None}


def _rusmidler():
    """Section 2.7 as the book renders it: the book, the table's HTML, its download's provenance column,
    the status sentence of the prose and the chart's row labels."""
    import matplotlib.pyplot as plt

    from municipal_survey.report import sections

    book = sections.setup()
    section = sections.target_group(book, "rusmidler")
    html = next(iter(section.tables.values()))
    stem = re.search(r'download="([^"]+)\.xlsx"', html).group(1)
    figure = next(iter(section.figures.values()))
    labels = " ".join(t.get_text() for axis in figure.axes for t in axis.get_yticklabels())
    plt.close("all")
    return book, html, _xlsx_column(html, stem, "Fra rapporten"), section.values["k2_rusmidler_status"][0], labels


def test_a_transcription_round_trips(scratch, sheets, tmp_path, capsys):
    from municipal_survey.data.codebook import load_codebook
    from municipal_survey.data.published import load_published
    from municipal_survey.synthetic import provenance

    first, second = tmp_path / "anna.xlsx", tmp_path / "bo.xlsx"
    shutil.copy(sheets[1], first)  # filled in by hand count
    values = dict(sheets[2])
    item = "mg_rusmidler_opsporing"
    before_book, _, before_download, before_prose, before_chart = _rusmidler()
    assert item in before_book.assumed
    assert before_book.provenance.of_part(item, "share_mindre") == provenance.ASSUMED
    assert "antaget" in before_download["Opsporing"]
    assert "antagelser" in before_prose and provenance.ASSUMED_MARK in before_chart

    # One deliberate difference that each sheet passes on its own: two categories swapped.
    a, b = f"{item}:share_mindre", f"{item}:share_slet_ikke"
    assert values[a] != values[b]
    rows = set_values(first, second, {a: values[b], b: values[a]})
    untouched = state(scratch)
    code, out = run(capsys, "transcription", "import", first, "--second", second, "--transcriber", "Anna",
                    "--transcriber", "Bo", "--date", DATE)
    assert code == 2 and "Traceback" not in out
    for row in rows.values():
        assert f"anna.xlsx, sheet 'Indtastning', row {row}, column 'Værdi'" in out, out
        assert f"bo.xlsx, sheet 'Indtastning', row {row}, column 'Værdi'" in out, out
    assert out.count("second transcription") == 2  # the two swapped cells, and nothing else
    assert state(scratch) == untouched

    shutil.copy(first, tmp_path / "bo2.xlsx")  # Bo's sheet, now the same as Anna's
    code, out = run(capsys, "transcription", "import", first, "--second", tmp_path / "bo2.xlsx",
                    "--transcriber", "Anna", "--transcriber", "Bo", "--date", DATE)
    assert code == 0, out
    written = scratch / "published" / f"published_transcribed_{DATE}.csv"
    new_rows = _rows(written)
    assert len(new_rows) == len(values)
    for name, content in untouched.items():  # the earlier snapshots are untouched
        if name != "responses.csv":
            assert (scratch / "published" / name).read_bytes() == content
    by_number = {(r["question"], r["statistic"]): r for r in new_rows}
    one = by_number[(item, "share_slet_ikke")]
    assert (one["value"], one["figure"], one["section"]) == (str(values[b]), "27", "2.7")
    assert (one["source"], one["transcribed_by"], one["transcribed_on"]) == \
        ("Socialstyrelsen (2021), s. 37", "Anna; Bo", DATE)
    assert by_number[("mg_rusmidler_samlet", "share_ved_ikke")]["source"] == "Socialstyrelsen (2021), s. 30"

    # The recalibrated synthetic data reproduce every transcribed number (hand count).
    given = answers(scratch)
    for (question, statistic), published_row in by_number.items():
        if statistic in ("n_min", "n_max"):
            figure = published_row["figure"]
            listed = question.split(";") if question else figure_questions(scratch, f"figur {figure}")
            ns = [len(given[q]) for q in listed]
            assert int(published_row["value"]) == (min(ns) if statistic == "n_min" else max(ns))
            continue
        codes = (3, 4) if statistic == "share_top2" else (int(CATEGORIES[statistic]),)
        assert int(published_row["value"]) == pct(sum(x in codes for x in given[question]), len(given[question]))

    # Provenance follows the published rows: the API, a rendered table and its download.
    prov = provenance.Provenance.of(load_codebook(), load_published(), synthetic=True)
    assert prov.of_part(item, "share_mindre") == provenance.PUBLISHED
    assert prov.of_part(item, "share_top2") == provenance.DERIVED
    assert item not in provenance.assumed_questions(load_codebook(), load_published())
    after_book, html, after_download, after_prose, after_chart = _rusmidler()
    assert not any(q.startswith("mg_rusmidler_") for q in after_book.assumed)
    assert "hele fordelingen" in after_download["Opsporing"] and "antaget" not in after_download["Opsporing"]
    assert provenance.ASSUMED_MARK not in html.split("<caption>", 1)[1].split("</table>", 1)[0]
    assert "antagelser" not in after_prose and provenance.ASSUMED_MARK not in after_chart

    from municipal_survey.synthetic.assumptions import load_assumptions
    from municipal_survey.synthetic.calibration import assumption_table

    listed = assumption_table(load_assumptions(), load_published())  # the data page's list of assumptions
    assert not set(listed.loc[listed["question"] == item, "parameter"]) & {"share_top2", "share_mindre"}

    code, out = run(capsys, "verify")
    assert code == 0 and "reproduced or explained" in out

    # The same sheet again: nothing new is written.
    snapshot = state(scratch)
    code, out = run(capsys, "transcription", "import", tmp_path / "bo2.xlsx", "--transcriber", "Anna",
                    "--date", "2026-12-05")
    assert code == 0 and "nothing new" in out and state(scratch) == snapshot


def test_a_correction_is_a_new_row_that_supersedes_the_old(scratch, filled_sheet, tmp_path, capsys):
    first, values = filled_sheet
    assert run(capsys, "transcription", "import", first, "--transcriber", "Anna", "--date", DATE)[0] == 0
    # A swap of two categories of one item is a consistent correction.
    item = "mg_vold_tvaers"
    corrected = tmp_path / "rettet.xlsx"
    set_values(first, corrected, {f"{item}:share_mindre": values[f"{item}:share_slet_ikke"],
                                  f"{item}:share_slet_ikke": values[f"{item}:share_mindre"]})
    old = state(scratch)
    code, out = run(capsys, "transcription", "import", corrected, "--transcriber", "Bo", "--date", "2026-12-06")
    assert code == 0, out
    rows = _rows(scratch / "published" / "published_transcribed_2026-12-06.csv")
    assert {(r["question"], r["statistic"]) for r in rows} == {(item, "share_mindre"), (item, "share_slet_ikke")}
    earlier = {(r["question"], r["statistic"]): r["id"]
               for r in _rows(scratch / "published" / f"published_transcribed_{DATE}.csv")}
    for row in rows:
        assert row["supersedes"] == earlier[(item, row["statistic"])] and "Corrects" in row["note"]
    assert (scratch / "published" / f"published_transcribed_{DATE}.csv").read_bytes() == \
        old[f"published_transcribed_{DATE}.csv"]
    given = answers(scratch)[item]
    assert pct(given.count(2), len(given)) == values[f"{item}:share_slet_ikke"]
    assert run(capsys, "verify")[0] == 0


# --------------------------------------------------------------------------------- malformed sheets
def _unreachable(n: int) -> int:
    """A whole percent no count of n answers gives (by hand: all k/n, rounded)."""
    return min(set(range(101)) - {pct(k, n) for k in range(n + 1)})


def _break_header(sheet: Path, target: Path) -> None:
    cells = EntryCells(sheet)
    cells.rename("Værdi", "Tal fra rapporten")
    cells.save(target)


@pytest.mark.parametrize("case", ["unreachable", "not adding up", "out of range", "wrong N", "missing column",
                                  "text", "percent format"])
def test_a_malformed_sheet_is_refused_with_its_place(case, scratch, filled_sheet, tmp_path, capsys):
    filled, values = filled_sheet
    bad = tmp_path / "forkert.xlsx"
    item = "mg_kriminalitet_tilbud"
    expected = {}
    if case == "unreachable":
        # one N for the figure, and a share no count of it gives
        n = values["figur 32:n_min"]
        rows = set_values(filled, bad, {"figur 32:n_max": n, f"{item}:share_hoej": _unreachable(n)})
        expected = {"row": rows[f"{item}:share_hoej"], "text": f"N = {n}"}
    elif case == "not adding up":
        # a larger share that some N of the figure reaches, so that only the sum is wrong
        low, high = values["figur 32:n_min"], values["figur 32:n_max"]
        reachable = {pct(k, n) for n in range(low, high + 1) for k in range(n + 1)}
        old = values[f"{item}:share_meget_hoej"]
        new = min(p for p in reachable if p >= old + 10)
        total = sum(values[f"{item}:{s}"] for s in CATEGORIES) - old + new
        expected = {"row": set_value(filled, bad, f"{item}:share_meget_hoej", new), "text": f"sum {total} pct."}
    elif case == "out of range":
        expected = {"row": set_value(filled, bad, f"{item}:share_mindre", 101), "text": "from 0 to 100"}
    elif case == "wrong N":
        expected = {"row": set_value(filled, bad, "figur 32:n_max", 96), "text": "from 1 to 95"}
    elif case == "missing column":
        _break_header(filled, bad)
        expected = {"row": 1, "column": "Værdi", "text": "this column in the header row"}
    elif case == "text":
        expected = {"row": set_value(filled, bad, f"{item}:share_mindre", "33 pct."), "text": "not text"}
    elif case == "percent format":
        expected = {"row": set_value(filled, bad, f"{item}:share_mindre", 0.33, percent=True),
                    "text": "12, not 12 %"}
    before = state(scratch)
    code, out = run(capsys, "transcription", "import", bad, "--transcriber", "Anna", "--date", DATE)
    assert code == 2 and "Traceback" not in out
    place = f"forkert.xlsx, sheet 'Indtastning', row {expected['row']}, column '{expected.get('column', 'Værdi')}'"
    assert place in out, out
    assert expected["text"] in out, out
    assert "nothing was imported" in out
    assert state(scratch) == before
