"""A fictitious second wave for the end-to-end test of two waves, and the comparison page recomputed
without the package.

`make_fictitious_wave` goes the way a data holder's second export would: the synthetic generator with
another seed (`python -m municipal_survey synth --seed N --output DIR`), a lower participation and some
answers moved (so that there are changes to find), the wave set to 2022, written as a survey tool's
export with its mapping (`python -m municipal_survey export-fixture`). Nothing of it is written inside
the project.

`expected_comparison` recomputes every row of the comparison page's table from the two exports' cells
alone (labels as the tool writes them, blank = not answered), with Wilson's interval in the frame of
the 98 municipalities, the non-response bounds, and Newcombe's combination (MOVER) written out here;
`page_rows` reads a table of the built page as the disclosure check reads it (as a reader sees it).
"""
from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import yaml

from municipal_survey.build.disclosure_check import page_tables

FICTITIOUS_WAVE = 2022
SEED = 2022
LEFT_OUT = 9  # of the 95 participants: 86 of the 98 answer, 88 pct. as in the real 2022 round
# Question -> answers moved: n > 0 moves n answers "i mindre grad"/"slet ikke" up to "i meget høj grad",
# n < 0 moves -n answers "i høj grad"/"i meget høj grad" down to "slet ikke" (the first by kommunekode).
MOVED = {"mg_selvskade_samlet": 16, "tema_skolefravaer_kompetencer": 12, "org_kommuner_samlet": -12}
TOP_TWO = ("I meget høj grad", "I høj grad")
POPULATION = 98
MIN_COUNT = 5  # the book's disclosure threshold, as the method page states it
Z = 1.959963984540054


def _run(*args: str, cwd: Path) -> None:
    subprocess.run([sys.executable, "-m", "municipal_survey", *args], check=True, capture_output=True, cwd=cwd)


def make_fictitious_wave(folder: Path) -> tuple[Path, Path]:
    """Write the fictitious wave's export and mapping in `folder`; returns (export, mapping)."""
    folder.mkdir(parents=True, exist_ok=True)
    _run("synth", "--seed", str(SEED), "--output", str(folder / "synth"), cwd=folder)
    frame = pd.read_csv(folder / "synth" / "responses.csv", dtype={"municipality": str})
    leaving = sorted(frame["municipality"].unique())[-LEFT_OUT:]
    frame = frame[~frame["municipality"].isin(leaving)].copy()
    for question, count in MOVED.items():
        source, target = ((2, 1), 4) if count > 0 else ((4, 3), 1)
        rows = frame[(frame["question"] == question) & frame["answer"].isin(source)].sort_values("municipality")
        assert len(rows) >= abs(count), question
        frame.loc[rows.index[:abs(count)], "answer"] = target
    frame["wave"] = FICTITIOUS_WAVE
    tidy = folder / "synth" / f"responses_{FICTITIOUS_WAVE}.csv"
    frame.to_csv(tidy, index=False)
    _run("export-fixture", "--format", "csv", "--responses", str(tidy), "--output", str(folder / "export"),
         cwd=folder)
    return folder / "export" / "export.csv", folder / "export" / "mapping.yml"


# ------------------------------------------------------------------------- the page, recomputed here
def _cells(export: Path, mapping: Path) -> tuple[pd.DataFrame, dict[str, str]]:
    columns = yaml.safe_load(mapping.read_text(encoding="utf-8"))["columns"]
    frame = pd.read_csv(export, dtype=str, keep_default_na=False, encoding="utf-8").set_index("Kommunekode")
    return frame, columns


def _wilson(k: int, n: int) -> tuple[float, float]:
    z = Z * math.sqrt((POPULATION - n) / (POPULATION - 1))
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def _share_interval(k: int, n: int) -> tuple[float, float]:
    low, high = _wilson(k, n)
    return max(low, k / POPULATION), min(high, (k + POPULATION - n) / POPULATION)


def _pct(k: int, n: int) -> int:
    return math.floor(100 * k / n + 0.5 + 1e-12)


def _range(low: float, high: float, joiner: str) -> str:
    return f"{math.floor(100 * low + 1e-9)}{joiner}{math.ceil(100 * high - 1e-9)}"


def expected_comparison(first: tuple[Path, Path], second: tuple[Path, Path], likert: list[str]) -> pd.DataFrame:
    """Per likert question answered in both exports (in `likert`'s order): the page's cells as text."""
    (one, columns_one), (two, columns_two) = _cells(*first), _cells(*second)
    column_one = {q: c for c, q in columns_one.items()}
    column_two = {q: c for c, q in columns_two.items()}
    rows = []
    for question in likert:
        a_cells, b_cells = one[column_one[question]], two[column_two[question]]
        a_cells, b_cells = a_cells[a_cells != ""], b_cells[b_cells != ""]
        if a_cells.empty or b_cells.empty:
            continue
        yes_one, yes_two = a_cells.isin(TOP_TWO), b_cells.isin(TOP_TWO)
        n1, k1, n2, k2 = len(a_cells), int(yes_one.sum()), len(b_cells), int(yes_two.sum())
        both = a_cells.index.intersection(b_cells.index)
        y1, y2 = yes_one[both], yes_two[both]
        a, b = int((y1 & y2).sum()), int((y1 & ~y2).sum())
        c, d = int((~y1 & y2).sum()), int((~y1 & ~y2).sum())
        p1, p2 = k1 / n1, k2 / n2
        l1, u1 = _share_interval(k1, n1)
        l2, u2 = _share_interval(k2, n2)
        paired = b >= MIN_COUNT and c >= MIN_COUNT
        margins = (a + b) * (c + d) * (a + c) * (b + d)
        phi = (a * d - b * c) / math.sqrt(margins) if margins else 0.0
        r = phi * len(both) / math.sqrt(n1 * n2) if paired else 0.0
        change = p2 - p1
        low = change - math.sqrt(max(0.0, (p2 - l2) ** 2 - 2 * r * (p2 - l2) * (u1 - p1) + (u1 - p1) ** 2))
        high = change + math.sqrt(max(0.0, (u2 - p2) ** 2 - 2 * r * (u2 - p2) * (p1 - l1) + (p1 - l1) ** 2))
        rows.append({"question": question, "n1": str(n1), "pct1": str(_pct(k1, n1)),
                     "interval1": _range(l1, u1, "–"), "n2": str(n2), "pct2": str(_pct(k2, n2)),
                     "interval2": _range(l2, u2, "–"),
                     "change": str(math.floor(abs(100 * change) + 0.5 + 1e-12) * (1 if change >= 0 else -1)),
                     "change_interval": _range(max(-1.0, low), min(1.0, high), " til "),
                     "paired": paired, "pairs": len(both), "abs_change": abs(change)})
    return pd.DataFrame(rows).set_index("question")


def page_rows(page: Path, caption_start: str) -> list[dict[str, str]]:
    """The rows (header -> cell) of the page's HTML table whose caption starts with `caption_start`."""
    [table] = [t for t in page_tables(page) if ", table " in t.where and t.caption.startswith(caption_start)]
    return [dict(zip(table.header, row)) for row in table.rows]


def check_comparison_page(page: Path, expected: pd.DataFrame, labels: dict[str, str]) -> None:
    """Every row of the page's tables against the recomputed numbers."""
    html = page.read_text(encoding="utf-8")
    assert "Bogens data har svar fra én runde" not in html
    shown = page_rows(page, "Andelen i høj eller meget høj grad i begge runder")
    assert [row["Spørgsmål"] for row in shown] == [labels[q] for q in expected.index]
    later = FICTITIOUS_WAVE
    for row, (question, want) in zip(shown, expected.iterrows()):
        got = (row["N 2020"], row["2020 (pct.)"], row["Interval 2020"], row[f"N {later}"], row[f"{later} (pct.)"],
               row[f"Interval {later}"], row["Ændring (procentpoint)"], row["Interval for ændringen"])
        assert got == (want["n1"], want["pct1"], want["interval1"], want["n2"], want["pct2"], want["interval2"],
                       want["change"], want["change_interval"]), question
        method = row["Beregning"]
        assert method.startswith(f"parret ({want['pairs']} med svar i begge") if want["paired"] else \
            method.startswith("uparret: færre end 5 kommuner"), (question, method)
    largest = expected.sort_values("abs_change", ascending=False, kind="stable").index[:10]
    beside = page_rows(page, "De spørgsmål, hvor andelen har ændret sig mest")
    assert [row["Spørgsmål"] for row in beside] == [labels[q] for q in largest]
    assert re.search(r"Størst er ændringen for", html)
