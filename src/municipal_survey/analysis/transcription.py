"""Transcribing the report's numbers from its PDF: which numbers the book expects, and the checks of
a filled transcription sheet.

The book's source text of the report ends in section 2.6; the report itself prints the later sections'
figures (report_contents.csv: parts with in_source = no). Each number the book expects there and does
not have yet is one row of the sheet: every answer category's share of each likert item of such a part
(a bar of the figure), the share "i høj eller meget høj grad" where the text may print it, and the N
range under the figure. Numbers the published table already has are not asked for again; they take
part in the checks.
"""
from __future__ import annotations

import pandas as pd

from ..data.codebook import LIKERT_LABELS, section_key
from ..data.errors import Problem
from ..data.published import CATEGORY_STATISTICS, calibration_targets, figure_n_ranges, targets
from ..data.transcription_sheet import Cell
from .rounding import counts_for_shares, percent

TOP2 = "share_top2"
N_STATISTICS = ("n_min", "n_max")
STATISTIC_DA = {
    **{stat: f"Andel »{LIKERT_LABELS[code].lower()}« (pct.)" for code, stat in CATEGORY_STATISTICS.items()},
    TOP2: "Andel »i høj eller meget høj grad« (pct.) – kun hvis teksten nævner den",
    "n_min": "N, mindste (figurens note; ét N: skriv det i begge rækker)",
    "n_max": "N, største (figurens note; ét N: skriv det i begge rækker)",
}
SHARE_RANGE = (0, 100)
PLAN_COLUMNS = ["key", "page", "section", "figure", "figure_key", "topic_da", "item_da", "statistic",
                "statistic_da", "low", "high", "question", "questions", "known_da", "order"]


def _figures(value) -> list[str]:
    return [f.strip() for f in str(value).split(";") if f.strip()]


def _figure_key(figure: str, section: str) -> str:
    """How the sheet names the figure a number is read from: its number, or its section where the
    codebook does not know the figure's number."""
    return f"figur {figure}" if figure else f"afsnit {section}"


def original_rows(published: pd.DataFrame) -> pd.DataFrame:
    """The published rows that are not transcriptions (the snapshot of the report's text)."""
    if "transcribed_on" not in published.columns:
        return published
    return published[published["transcribed_on"].astype(str).str.strip() == ""]


def expected_numbers(codebook: pd.DataFrame, topics: pd.DataFrame, published: pd.DataFrame,
                     contents: pd.DataFrame, participants: int) -> pd.DataFrame:
    """One row per number the book expects from the parts of the report outside its source text and
    does not have from the report's text: key, page, section, figure, the topic and item text, the
    statistic (code and Danish), the allowed range (low, high), the question(s) and what the book
    already knows of the item (known_da). Sorted as the report is read: by page, figure, questionnaire.

    `participants` bounds an N the codebook does not know: no item has more answers than participants.
    Rows of earlier transcriptions stay expected (a later sheet may correct them).
    """
    text_rows = original_rows(published)
    pages = {(k, r): p for k, r, p in zip(contents["kind"], contents["ref"], contents["page"])}
    unread_sections = set(contents.loc[(contents["kind"] == "section") & ~contents["in_source"], "ref"])
    unread_figures = set(contents.loc[(contents["kind"] == "figure") & ~contents["in_source"], "ref"])
    topic_da = dict(zip(topics["topic"], topics["label_da"]))
    top2 = calibration_targets(text_rows, TOP2)
    shown = {stat: calibration_targets(text_rows, stat) for stat in CATEGORY_STATISTICS.values()}
    n_known = figure_n_ranges(text_rows, codebook)
    likert = codebook[codebook["kind"] == "likert"]
    rows = []
    figure_items: dict[str, list] = {}
    for item in likert.itertuples(index=False):
        figures = _figures(item.figure)
        unread = [f for f in figures if f in unread_figures]
        if item.section not in unread_sections and not unread:
            continue
        figure = unread[0] if unread else (figures[0] if figures else "")
        key = _figure_key(figure, item.section)
        figure_items.setdefault(key, []).append(item)
        page = pages.get(("figure", figure), pages.get(("section", item.section)))
        known = _known_da(item, top2, shown, n_known)
        common = dict(section=item.section, figure=figure, figure_key=key, topic_da=topic_da.get(item.topic, ""),
                      item_da=item.text_da, low=SHARE_RANGE[0], high=SHARE_RANGE[1], question=item.question,
                      questions=(item.question,), known_da=known)
        for order, statistic in enumerate(CATEGORY_STATISTICS.values()):
            if item.question not in shown[statistic]:
                rows.append(dict(common, key=f"{item.question}:{statistic}", page=page, statistic=statistic,
                                 order=(item.order, order)))
        if item.question not in top2:
            # The text names a share in its own section, also for an item drawn in a figure elsewhere.
            text_page = pages.get(("section", item.section), page)
            rows.append(dict(common, key=f"{item.question}:{TOP2}", page=text_page, statistic=TOP2,
                             order=(item.order, len(CATEGORY_STATISTICS))))
    for key, items in figure_items.items():
        questions = tuple(i.question for i in items)
        exact = all(pd.notna(i.n_min) and i.n_min == i.n_max for i in items)
        if exact or all(q in n_known for q in questions):
            continue  # the report's N for this figure is in the book already
        known_low = [int(i.n_min) for i in items if pd.notna(i.n_min)]
        known_high = [int(i.n_max) for i in items if pd.notna(i.n_max)]
        low, high = (min(known_low), max(known_high)) if known_low and known_high else (1, participants)
        first = items[0]
        figure = _figures(first.figure)[0] if key.startswith("figur") else ""
        page = pages.get(("figure", figure), pages.get(("section", first.section)))
        topic = topic_da.get(first.topic, "") if len({i.topic for i in items}) == 1 else ""
        for order, statistic in enumerate(N_STATISTICS):
            rows.append(dict(key=f"{key}:{statistic}", page=page, section=first.section, figure=figure,
                             figure_key=key, topic_da=topic, item_da="Figurens note under figuren (N = …)",
                             statistic=statistic, low=low, high=high, question="", questions=questions,
                             known_da="", order=(min(i.order for i in items) - 1, order)))
    plan = pd.DataFrame(rows, columns=PLAN_COLUMNS)
    plan["statistic_da"] = plan["statistic"].map(STATISTIC_DA)
    plan["section_order"] = plan["section"].map(section_key)
    plan = plan.sort_values(["page", "section_order", "order"], kind="stable")
    return plan.drop(columns=["section_order", "order"]).reset_index(drop=True)


def _known_da(item, top2: dict, shown: dict, n_known: dict) -> str:
    """What the book already has of an item from the report's text, for the transcriber to compare."""
    parts = []
    if item.question in top2:
        parts.append(f"i høj eller meget høj grad {int(top2[item.question])} pct.")
    for code, statistic in CATEGORY_STATISTICS.items():
        if item.question in shown[statistic]:
            parts.append(f"{LIKERT_LABELS[code].lower()} {int(shown[statistic][item.question])} pct.")
    if pd.notna(item.n_min) and item.n_min == item.n_max:
        parts.append(f"N = {int(item.n_min)}")
    elif item.question in n_known:
        low, high = n_known[item.question]
        parts.append(f"N = {low}–{high}" if low != high else f"N = {low}")
    return "; ".join(parts)


# -------------------------------------------------------------------------------------- the checks
def _problem(entry: Cell, expected: str, value=None) -> Problem:
    shown = value if value is not None else ("a blank" if entry.value is None else entry.value)
    return Problem(entry.file, entry.row, entry.column, shown, expected)


def reachable_shares(low: int, high: int) -> set[int]:
    """Every whole percent that k of N gives (k/N rounded half away from zero) for some N in low..high."""
    return {percent(k, n) for n in range(max(low, 1), high + 1) for k in range(n + 1)}


def _nearest(pct: int, reachable: set[int]) -> str:
    """The reachable shares next to an unreachable one, for the message."""
    below = [p for p in sorted(reachable) if p < pct]
    above = [p for p in sorted(reachable) if p > pct]
    return " or ".join(str(p) for p in (below[-1:] + above[:1]))


def _n_text(low: int, high: int) -> str:
    return f"N = {low}" if low == high else f"an N from {low} to {high}"


def check_entries(entries: list[Cell], plan: pd.DataFrame, codebook: pd.DataFrame,
                  published: pd.DataFrame) -> list[Problem]:
    """Every problem of one filled sheet: a number outside its range, an N pair out of order or
    outside the codebook's range, a share that no whole count of the figure's N rounds to (half away
    from zero), an item with some answer categories filled and others not, and categories that do not
    add up: no N of the figure's range has whole counts that round to every share, add up to N and
    give the share "i høj eller meget høj grad" the report prints (in its text or in this sheet).

    A cell that is not a whole number (reported when the sheet was read) leaves its item, or for an N
    its figure, unchecked here."""
    problems: list[Problem] = []
    by_key = plan.set_index("key")
    cells = {e.key: e for e in entries}
    filled = {k: e for k, e in cells.items() if e.value is not None}
    invalid = {e.key for e in entries if e.invalid}
    for entry in filled.values():
        low, high = int(by_key.at[entry.key, "low"]), int(by_key.at[entry.key, "high"])
        if not low <= entry.value <= high:
            problems.append(_problem(entry, f"a whole number from {low} to {high}"))
            invalid.add(entry.key)  # the checks below need numbers inside their range
    ranges, range_problems, unknown = _figure_ranges(filled, invalid, plan, codebook, published)
    problems += range_problems
    known_top2 = calibration_targets(targets(published), TOP2)
    known_shares = {stat: calibration_targets(targets(published), stat) for stat in CATEGORY_STATISTICS.values()}
    share_rows = plan[~plan["statistic"].isin(N_STATISTICS)]
    for question, rows in share_rows.groupby("question", sort=False):
        key = rows["figure_key"].iloc[0]
        mine = {stat: filled.get(k) for k, stat in zip(rows["key"], rows["statistic"])}
        if not any(mine.values()) or key in unknown or invalid & set(rows["key"]):
            continue
        if key not in ranges:
            first = next(e for e in mine.values() if e)
            problems.append(_problem(first, f"the N under {key} filled in too (its rows {key}:n_min and "
                                            f"{key}:n_max): a share is checked against the figure's N"))
            continue
        low, high = ranges[key]
        reachable = reachable_shares(low, high)
        unreachable = [e for e in mine.values() if e and e.value not in reachable]
        for entry in unreachable:
            nearest = _nearest(entry.value, reachable)
            problems.append(_problem(entry, f"a share that a whole count k of {_n_text(low, high)} gives as k/N "
                                            f"rounded half away from zero (nearest: {nearest})"))
        if unreachable:
            continue
        categories = [stat for stat in CATEGORY_STATISTICS.values() if stat in mine]
        given = [stat for stat in categories if mine[stat]]
        if given and len(given) < len(categories):
            for blank_key in rows.loc[rows["statistic"].isin(set(categories) - set(given)), "key"]:
                problems.append(_problem(cells[blank_key], "a share here too: an item's answer categories are "
                                                           "filled in all or none (0 for a category the bar "
                                                           "does not show)"))
            continue
        if not given:
            continue
        shares = {code: (mine[stat].value if stat in mine else int(known_shares[stat][question]))
                  for code, stat in CATEGORY_STATISTICS.items()}
        top2_entry = mine.get(TOP2)
        top2 = top2_entry.value if top2_entry else (int(known_top2[question]) if question in known_top2 else None)
        if any(counts_for_shares(shares, n, top2) for n in range(low, high + 1)):
            continue
        first = mine[given[0]]
        if top2 is not None and any(counts_for_shares(shares, n) for n in range(low, high + 1)):
            where = top2_entry or first
            source = "" if top2_entry else " (the report's text, in the published table)"
            problems.append(_problem(where, f"a share 'i høj eller meget høj grad'{source} that the item's "
                                            f"categories give: {top2} does not follow from "
                                            f"{_listing(shares)} with {_n_text(low, high)}", value=top2))
            continue
        problems.append(_problem(first, f"category shares that add up: whole counts of {_n_text(low, high)} "
                                        f"that round to {_listing(shares)} (sum {sum(shares.values())} pct.) "
                                        "must add up to N", value=sum(shares.values())))
    return problems


def _listing(shares: dict[int, int]) -> str:
    return ", ".join(f"{LIKERT_LABELS[c].lower()} {p}" for c, p in shares.items())


def _figure_ranges(filled: dict[str, Cell], invalid: set[str], plan: pd.DataFrame, codebook: pd.DataFrame,
                   published: pd.DataFrame) -> tuple[dict[str, tuple[int, int]], list[Problem], set[str]]:
    """The N range of each figure: as this sheet gives it, else as the book knows it (the codebook's
    single N, or a published range); and the figures whose N this sheet gives wrongly (their shares
    cannot be checked)."""
    known = figure_n_ranges(targets(published), codebook)
    exact = {q: (int(a), int(b)) for q, a, b in zip(codebook["question"], codebook["n_min"], codebook["n_max"])
             if pd.notna(a) and a == b}
    ranges: dict[str, tuple[int, int]] = {}
    problems, unknown = [], set()
    for key, rows in plan.groupby("figure_key", sort=False):
        questions = [q for qs in rows["questions"] for q in qs]
        pair = {stat: filled.get(f"{key}:{stat}") for stat in N_STATISTICS}
        if invalid & {f"{key}:{stat}" for stat in N_STATISTICS}:
            unknown.add(key)
            continue
        if any(pair.values()):
            unknown.add(key)
            if not all(pair.values()):
                given = next(e for e in pair.values() if e)
                problems.append(_problem(given, "both ends of the figure's N filled in (one N: the same in both)"))
                continue
            if pair["n_min"].value > pair["n_max"].value:
                problems.append(_problem(pair["n_max"], f"at least the smallest N ({pair['n_min'].value})"))
                continue
            unknown.discard(key)
            ranges[key] = (pair["n_min"].value, pair["n_max"].value)
        elif questions and all(q in exact or q in known for q in questions):
            ends = [exact.get(q, known.get(q)) for q in questions]
            ranges[key] = (min(e[0] for e in ends), max(e[1] for e in ends))
    return ranges, problems, unknown


def compare_entries(first: list[Cell], second: list[Cell]) -> list[Problem]:
    """Two independent transcriptions, cell by cell: every value that differs (a blank included) is a
    problem naming both cells."""
    other = {e.key: e for e in second}
    problems = []
    for entry in first:
        twin = other.get(entry.key)
        if twin is not None and twin.value != entry.value and not (entry.invalid or twin.invalid):
            theirs = "a blank" if twin.value is None else repr(twin.value)
            problems.append(_problem(entry, f"the same value as the second transcription, {twin.file}, row "
                                            f"{twin.row}, column '{twin.column}', which holds {theirs}"))
    return problems


# ------------------------------------------------------------------------------ the published rows
QUOTE_DA = {**{stat: LIKERT_LABELS[code].lower() for code, stat in CATEGORY_STATISTICS.items()},
            TOP2: "i høj eller meget høj grad", "n_min": "N (mindste)", "n_max": "N (største)"}


def published_rows(cells: list[Cell], plan: pd.DataFrame, published: pd.DataFrame, transcribers: list[str],
                   date: str, prefix: str, remarks: dict[str, str] | None = None) -> tuple[pd.DataFrame, int]:
    """The filled numbers as new rows of the published table, and how many were published already.

    A number an earlier transcription published with the same value is left out; with another value
    the new row corrects it (`supersedes` names the earlier row, the note says so). Every row carries
    its source (the report's page), the transcribers and the date."""
    current = targets(published)
    earlier = current.drop(original_rows(current).index)
    previous = {(r["question"], r["statistic"], r["figure"]): (r["id"], r["value"])
                for r in earlier.to_dict("records")}
    by_key = plan.set_index("key")
    how = (f"two independent transcriptions ({' and '.join(transcribers)}), compared cell by cell"
           if len(transcribers) > 1 else f"one transcription ({transcribers[0]})")
    rows, unchanged = [], 0
    for cell in cells:
        if cell.value is None:
            continue
        spec = by_key.loc[cell.key]
        # An N row names its figure, or lists the figure's questions where its number is not known.
        question = spec["question"] or ("" if spec["figure"] else ";".join(spec["questions"]))
        old = previous.get((question, spec["statistic"], spec["figure"]))
        if old is not None and old[1] == cell.value:
            unchanged += 1
            continue
        note = f"Transcribed from the report's PDF: {how}."
        if old is not None:
            note += f" Corrects {old[0]} (which had {old[1]:g})."
        if remarks and remarks.get(cell.key):
            note += f" Transcriber's remark: {remarks[cell.key]}"
        where = spec["figure_key"][:1].upper() + spec["figure_key"][1:]
        unit = " pct." if spec["statistic"] not in N_STATISTICS else ""
        item = f", {spec['item_da']}" if spec["question"] else ""
        rows.append({"section": spec["section"], "figure": spec["figure"], "question": question,
                     "statistic": spec["statistic"], "value": cell.value, "tolerance": "", "conflicts_with": "",
                     "quote": f"{where}{item}: {QUOTE_DA[spec['statistic']]} {cell.value}{unit}",
                     "note": note, "source": f"Socialstyrelsen (2021), s. {int(spec['page'])}",
                     "transcribed_by": "; ".join(transcribers), "transcribed_on": date,
                     "supersedes": old[0] if old is not None else ""})
    out = pd.DataFrame(rows, columns=["section", "figure", "question", "statistic", "value", "tolerance",
                                      "conflicts_with", "quote", "note", "source", "transcribed_by",
                                      "transcribed_on", "supersedes"])
    out.insert(0, "id", [f"{prefix}{i:03d}" for i in range(1, len(out) + 1)])
    return out, unchanged
