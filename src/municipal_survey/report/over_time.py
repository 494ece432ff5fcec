"""The pages about the survey over time.

- "Undersøgelserne over tid" (notebooks/05_over_tid): the figures other publications print about other
  rounds (data.other_surveys) beside the book's own wave: the questions both rounds print, the
  participation of every round, and what the sources do not give.
- "Runderne sammenlignet" (notebooks/06_runder_sammenlignet): two waves of answers in the data compared
  item by item (analysis.waves); with one wave the page says what it would show.

Every number comes with its provenance: printed by the report or another source (published), following
from printed numbers (derived), an assumption of the synthetic data (assumed, †), or the imported data.
The sentences are templates in notebooks/_sentences/ beside the page that shows them (report.sentences).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from ..analysis import likert, waves
from ..analysis.disclosure import MIN_COUNT
from ..analysis.rounding import percent
from ..data.other_surveys import COMPARABILITY
from ..data.published import REPORT_DATE_DA, UNMARKED_WAVE, calibration_targets
from ..synthetic.provenance import ASSUMED, ASSUMED_MARK, DATA, DERIVED, PUBLISHED
from . import figure_titles, figures, labels, phrasing, tables
from .sections import Section
from .sentences import say
from .text import count_da, fmt_int, fmt_num, fmt_pct, join_da, lower_first

POPULATION = likert.POPULATION
PROVENANCE_DA = {PUBLISHED: "trykt i rapporten", DERIVED: "afledt af trykte tal",
                 ASSUMED: f"antaget {ASSUMED_MARK}", DATA: "beregnet af bogens data"}
SHARES = ("share_pct", "share_words")  # the statistics that give a later round's share of a question


# ------------------------------------------------------------------------- published figures of other rounds
def later_round(other: pd.DataFrame, book_wave: int) -> pd.DataFrame:
    """The rows of a later round of the children's survey that print something about a question of the
    book's wave (a share in digits or words, or a change in words)."""
    rows = other[(other["wave"] > book_wave) & (other["target"] == "børn og unge") & (other["question"] != "")]
    return rows[rows["statistic"].isin([*SHARES, "change_words"])]


def _book_share(book, question: str) -> dict:
    """The book wave's share of a question as the book shows it: recomputed from the responses, with its
    interval and the provenance of each (published by the report on the synthetic dataset)."""
    shares = likert.shares(book.survey.responses, [question])
    k, n = int(shares.at[question, "k_top2"]), int(shares.at[question, "n"])
    low, high = likert.share_interval(k, n)
    return {"pct": int(shares.at[question, "pct_top2"]), "low": 100 * low, "high": 100 * high,
            "interval": tables.interval_text(k, n),
            "share_source": book.provenance.of_part(question, "share_top2"),
            "interval_source": book.provenance.of_interval(question)}


def _marked(text: str, source: str) -> str:
    return f"{text} {ASSUMED_MARK}" if source == ASSUMED else text


def both_rounds(book, other: pd.DataFrame) -> pd.DataFrame:
    """One row per question that a later round prints something about: the book wave's share (pct, low,
    high, interval, provenances), the later round's share as printed (`printed`, and `later_pct` when
    printed in digits), its change in words, comparability and reason, source and date."""
    later = later_round(other, book.survey.book_wave)
    rows = []
    for question, group in later.groupby("question", sort=False):
        share = group[group["statistic"].isin(SHARES)]
        change = group[group["statistic"] == "change_words"]
        shown = share.iloc[0] if len(share) else change.iloc[0]
        numeric = share[share["statistic"] == "share_pct"]
        rows.append({
            "question": question, "label": labels.question_label(book.survey, question),
            **_book_share(book, question), "later_wave": int(shown["wave"]),
            "printed": share.iloc[0]["printed"] if len(share) else "",
            "later_pct": float(numeric.iloc[0]["value"]) if len(numeric) else math.nan,
            "change_words": change.iloc[0]["printed"] if len(change) else "",
            "comparability": COMPARABILITY[shown["comparability"]], "reason": shown["comparability_reason"],
            "source": shown["source"], "date": shown["date"]})
    return pd.DataFrame(rows)


def both_rounds_table(items: pd.DataFrame, book_wave: int) -> pd.DataFrame:
    """The data table beside the chart of the questions both rounds print."""
    later = int(items["later_wave"].iloc[0])
    return pd.DataFrame({
        f"Spørgsmål i {book_wave}": items["label"],
        f"{book_wave} (pct.)": [_marked(str(p), s) for p, s in zip(items["pct"], items["share_source"])],
        f"95 pct.-interval {book_wave}": [_marked(i, s)
                                          for i, s in zip(items["interval"], items["interval_source"])],
        f"{later}, som trykt": [p or "–" for p in items["printed"]],
        "Udvikling ifølge kilden": [f"{w} siden {book_wave}" if w else "–" for w in items["change_words"]],
        "Kan sammenlignes": items["comparability"],
        "Hvorfor": items["reason"],
        "Oprindelse": [f"{book_wave}: {PROVENANCE_DA[s]}, interval {PROVENANCE_DA[i]}. {later}: ekstern kilde, {d}"
                       for s, i, d in zip(items["share_source"], items["interval_source"], items["date"])],
    })


def both_rounds_points(items: pd.DataFrame, book_wave: int) -> pd.DataFrame:
    """What the chart draws: the book wave's share with its interval, the later round's share where it is
    printed in digits (no interval: no N is printed); a share printed in words is named in the row's
    label, never drawn as a number."""
    rows = []
    for item in items.itertuples():
        label = item.label if item.printed == "" or not math.isnan(item.later_pct) else \
            f"{item.label} ({item.later_wave}: »{item.printed}«, i ord)"
        rows.append({"label": label, "wave": str(book_wave), "pct": item.pct, "low": item.low, "high": item.high})
        if not math.isnan(item.later_pct):
            rows.append({"label": label, "wave": str(item.later_wave), "pct": item.later_pct,
                         "low": item.later_pct, "high": item.later_pct})
    return pd.DataFrame(rows)


def both_rounds_chart(book, items: pd.DataFrame):
    """The chart of the questions both rounds give numbers or words for, with its number, title and
    source inside the image."""
    wave = book.survey.book_wave
    later = join_da(str(w) for w in sorted(set(items["later_wave"])))
    fig = figures.wave_points(both_rounds_points(items, wave),
                              note=say("t_fig_begge_runder_note", book_wave=str(wave), later=later))
    dataset = "syntetisk datasæt" if book.provenance.synthetic else "importerede data"
    source = figure_titles.SOURCE_BOTH_ROUNDS.format(book_wave=wave, dataset=dataset, later=later)
    return figures.frame(fig, figure_titles.book_heading("t_fig_begge_runder"), source)


def participation_chart(rounds: pd.DataFrame):
    """Every round's participation (participation()) as bars, with number, title and source in the image."""
    return figures.frame(figures.participation_bars(rounds), figure_titles.book_heading("t_fig_deltagelse"),
                         figure_titles.SOURCE_OTHER_ROUNDS)


def participation(book, other: pd.DataFrame) -> pd.DataFrame:
    """Every round's participation in percent of the 98 municipalities: printed as a share, or derived
    from a printed count of municipalities (then `derived`); the book's wave from the report."""
    rows = []
    report = book.survey.published[book.survey.published["statistic"] == "participation_pct"]
    for row in report.itertuples():
        rows.append({"wave": int(row.wave), "target": "børn og unge", "survey": "Socialstyrelsen (rapporten)",
                     "pct": int(row.value), "printed": fmt_pct(row.value), "derived": False,
                     "comparability": COMPARABILITY["comparable"], "source": f"Rapporten, {row.section}",
                     "date": REPORT_DATE_DA if row.wave == UNMARKED_WAVE else "–"})
    for _, row in other[other["statistic"].isin(["participation_pct", "participant_count"])].iterrows():
        derived = row["statistic"] == "participant_count"
        rows.append({"wave": int(row["wave"]), "target": row["target"], "survey": row["survey"],
                     "pct": percent(int(row["value"]), POPULATION) if derived else int(row["value"]),
                     "printed": f"{row['printed']} kommuner" if derived else row["printed"], "derived": derived,
                     "comparability": COMPARABILITY[row["comparability"]], "source": row["source"],
                     "date": row["date"]})
    table = pd.DataFrame(rows).sort_values(["wave", "target"], kind="stable").reset_index(drop=True)
    table["label"] = [f"{t.capitalize()} {w}" + (" (VIVE)" if s.startswith("VIVE") else "")
                      for t, w, s in zip(table["target"], table["wave"], table["survey"])]
    return table


def participation_table(rounds: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Runde": rounds["label"], "Deltagelse": [fmt_pct(p) for p in rounds["pct"]],
        "Som trykt": rounds["printed"],
        "Oprindelse": [f"afledt: {p} af {POPULATION} kommuner" if d else "trykt"
                       for p, d in zip(rounds["printed"].str.removesuffix(" kommuner"), rounds["derived"])],
        "Kan sammenlignes": rounds["comparability"], "Kilde": rounds["source"], "Dato": rounds["date"]})


def sources_table(other: pd.DataFrame) -> pd.DataFrame:
    """Every published figure of another round, as its source prints it, with its mark and reason."""
    marks = other["comparability"].map(COMPARABILITY)
    return pd.DataFrame({
        "Runde": [f"{w}, {t}" for w, t in zip(other["wave"], other["target"])],
        "Hvad tallet er": other["statement_da"].to_numpy(), "Som trykt": other["printed"].to_numpy(),
        "Kan sammenlignes": [f"{m}: {r}" for m, r in zip(marks, other["comparability_reason"])],
        "Citat": [f"»{q}«" for q in other["quote"]],
        "Kilde": [f"{s} ({d})" + (f", {u}" if u else "") for s, d, u in zip(other["source"], other["date"],
                                                                           other["url"])]})


def not_in_the_sources(book, items: pd.DataFrame) -> str:
    """What the sources about the later round do not give, in words computed from the data."""
    printed = calibration_targets(book.survey.published, "share_top2")
    later = int(items["later_wave"].iloc[0])
    digits = int(items["later_pct"].notna().sum())
    words = int((items["later_pct"].isna() & (items["printed"] != "")).sum())
    return say("ikke_i_kilderne", printed=fmt_int(len(printed)), book_wave=str(book.survey.book_wave),
               later=str(later), digits=count_da(digits), words=count_da(words),
               rest=fmt_int(len(printed) - digits - words))


def population_date(survey) -> str:
    """The date of the register's population the book's wave uses: '1. januar 2020'."""
    return _january_first(survey.population_years[survey.book_wave])


def _january_first(year: int) -> str:
    """The date the register's population of a year is counted at."""
    return f"1. januar {year}"


def population_note(survey) -> str:
    """Which year's population each wave in the data uses: its own year, or where the register has no
    figures for it the nearest year (register.population_year_for), said so."""
    own = [w for w in survey.waves if survey.population_years[w] == w]
    other = [w for w in survey.waves if survey.population_years[w] != w]
    sentences = [say("d_population_note_own", waves=join_da(map(str, own)))] if own else []
    sentences += [say("d_population_note_nearest", wave=str(w), date=_january_first(survey.population_years[w]))
                  for w in other]
    return " ".join(sentences)


# -------------------------------------------------------------------------------- two waves of answers
@dataclass
class Comparison:
    """The book's wave against another wave in the data (None when the data hold one wave): every
    likert question answered in both (`changes`, analysis.waves.item_changes) and the page's texts
    (`section`, glued by the notebook)."""

    book_wave: int
    other_wave: int | None
    changes: pd.DataFrame | None = None
    section: Section = field(default_factory=Section)

    @property
    def shown(self) -> bool:
        return self.other_wave is not None

    @property
    def waves(self) -> tuple[int, int]:
        """The two waves compared, earlier first (the order of `changes`' _first and _second columns)."""
        return tuple(sorted((self.book_wave, self.other_wave)))


LARGEST = 10  # questions in the chart of the largest changes
METHOD_DA = {waves.PAIRED: "parret", waves.UNPAIRED: "uparret"}
NAMED = 3  # of them named in the text


def _pp(value: float) -> str:
    """A change in whole percentage points ('9', '-3')."""
    return fmt_int(100 * value)


def _minus(text: str) -> str:
    """A negative number in running text with a minus sign, not a hyphen ('−16'); tables keep the hyphen
    their downloads read as a number."""
    return text.replace("-", "−")


def change_interval_text(low: float, high: float) -> str:
    """The interval of a change in whole percentage points, wide enough to hold the exact one."""
    return f"{math.floor(100 * low + 1e-9)} til {math.ceil(100 * high - 1e-9)}"


def _other_source(book) -> str:
    """The provenance of the other wave's numbers and of the changes: data on imported data; on the
    synthetic dataset assumed (nothing of a second synthetic wave is published)."""
    return ASSUMED if book.provenance.synthetic else DATA


def compare(book) -> Comparison:
    """The book's wave against the nearest other wave in the data, with the glued texts of the page."""
    survey = book.survey
    result = Comparison(survey.book_wave, waves.comparison_wave(survey.waves, survey.book_wave))
    if not result.shown:
        texts = _one_wave_texts(survey)
    else:
        likert_items = survey.codebook.loc[survey.codebook["kind"] == "likert", "question"]
        result.changes = waves.item_changes(survey.all_responses, likert_items, *result.waves)
        texts = _two_wave_texts(book, result)
    for name, (value, source) in texts.items():
        result.section.add(name, value, source)
    return result


def _one_wave_texts(survey) -> dict[str, tuple[str, str | None]]:
    return {
        "cmp_status": (say("cmp_status_one_wave", waves=join_da(str(w) for w in survey.waves)), None),
        "cmp_pairs": (say("cmp_pairs_one_wave"), None),
        "cmp_shares": (say("cmp_shares_one_wave"), None),
        "cmp_all": (say("cmp_all_one_wave"), None),
        "cmp_largest": (say("cmp_largest_one_wave"), None),
        "cmp_threshold": (count_da(MIN_COUNT), None),
    }


def _two_wave_texts(book, comparison: Comparison) -> dict[str, tuple[str, str | None]]:
    """The page's texts; an assumed one gets its mark from the section (Section.add)."""
    survey, changes = book.survey, comparison.changes
    earlier, later = comparison.waves
    source = _other_source(book)
    answered = {w: set(survey.all_responses.loc[survey.all_responses["wave"] == w, "municipality"])
                for w in (earlier, later)}
    both = answered[earlier] & answered[later]
    asked = len(survey.codebook[survey.codebook["kind"] == "likert"])
    paired = int((changes["method"] == waves.PAIRED).sum())
    largest = waves.largest_changes(changes, NAMED)
    named = [say("cmp_largest_item", question=lower_first(labels.question_label(survey, q)),
                 first=fmt_pct(percent(r.k_first, r.n_first)), second=fmt_pct(percent(r.k_second, r.n_second)),
                 change=_minus(_pp(r.change)), interval=_minus(change_interval_text(r.change_low, r.change_high)),
                 method=METHOD_DA[r.method])
             for q, r in zip(largest.index, largest.itertuples())]
    beyond = int(waves.excludes_zero(changes).sum())

    def of_the_questions(count: int, total: int) -> str:
        return phrasing.count_of(count, total, "spørgsmål", neuter=True)

    return {
        "cmp_status": (say("cmp_status", book_wave=str(comparison.book_wave),
                           other_wave=str(comparison.other_wave), questions=of_the_questions(len(changes), asked)),
                       source),
        "cmp_pairs": (say("cmp_pairs", both=fmt_int(len(both)), earlier=str(earlier), later=str(later),
                          only_earlier=fmt_int(len(answered[earlier] - both)),
                          only_later=fmt_int(len(answered[later] - both))), source),
        "cmp_shares": (say("cmp_shares", count=count_da(min(LARGEST, len(changes)))) if len(changes) > 1
                       else say("cmp_shares_single"), source),
        "cmp_all": (say("cmp_all", count=fmt_int(len(changes)), paired=fmt_int(paired),
                        unpaired=fmt_int(len(changes) - paired)) if len(changes) > 1
                    else say("cmp_all_single", method="parret" if paired else "uparret"), source),
        "cmp_largest": (say("cmp_largest", named=join_da(named), beyond=of_the_questions(beyond, len(changes)),
                            expected=fmt_int(len(changes) / 20)), source),
        "cmp_threshold": (count_da(MIN_COUNT), None),
    }


def changes_table(book, comparison: Comparison, questions=None) -> pd.DataFrame:
    """The table of shares and changes (all questions, or `questions` in their order)."""
    changes = comparison.changes if questions is None else comparison.changes.loc[list(questions)]
    other = _other_source(book)
    earlier, later = comparison.waves

    def cells(wave: int, suffix: str, text) -> list[str]:
        """One wave's column: the book wave's numbers as the report prints them or not, the other's `other`."""
        return [_marked(text(k, n), book.provenance.of_part(q, "share_top2") if wave == comparison.book_wave
                        else other)
                for q, k, n in zip(changes.index, changes[f"k_{suffix}"], changes[f"n_{suffix}"])]

    def share(k: int, n: int) -> str:
        return str(percent(k, n))

    return pd.DataFrame({
        "Spørgsmål": [labels.question_label(book.survey, q) for q in changes.index],
        f"N {earlier}": changes["n_first"].to_numpy(), f"{earlier} (pct.)": cells(earlier, "first", share),
        f"Interval {earlier}": cells(earlier, "first", tables.interval_text),
        f"N {later}": changes["n_second"].to_numpy(), f"{later} (pct.)": cells(later, "second", share),
        f"Interval {later}": cells(later, "second", tables.interval_text),
        "Ændring (procentpoint)": [_marked(_pp(c), other) for c in changes["change"]],
        "Interval for ændringen": [_marked(change_interval_text(lo, hi), other)
                                   for lo, hi in zip(changes["change_low"], changes["change_high"])],
        "Beregning": [f"parret ({m} med svar i begge runder)" if method == waves.PAIRED
                      else f"uparret: {reason}"
                      for m, method, reason in zip(changes["m"], changes["method"], changes["paired_reason"])],
    })


def largest(comparison: Comparison) -> pd.Index:
    """The questions of the chart of the largest changes, largest first."""
    return waves.largest_changes(comparison.changes, LARGEST).index


def changes_points(book, comparison: Comparison) -> pd.DataFrame:
    """What the chart of the largest changes draws: both waves' shares with their intervals (percent)."""
    earlier, later = comparison.waves
    rows = []
    for question, row in comparison.changes.loc[largest(comparison)].iterrows():
        label = labels.question_label(book.survey, question)
        for wave, suffix in ((earlier, "first"), (later, "second")):
            rows.append({"label": label, "wave": str(wave), "question": question,
                         "pct": 100 * row[f"share_{suffix}"], "low": 100 * row[f"low_{suffix}"],
                         "high": 100 * row[f"high_{suffix}"]})
    return pd.DataFrame(rows)


def changes_chart(book, comparison: Comparison):
    """The questions that changed most between the two waves, with number, title and source in the image."""
    return figures.frame(figures.wave_points(changes_points(book, comparison)),
                         figure_titles.book_heading("cmp_fig_aendringer"), figure_titles.SOURCE_TWO_WAVES)


def figure_text(row: pd.Series) -> str:
    """A published figure of another round as the book writes it: '60 pct.', '85 kommuner', '2,7', or
    the words the source printed, in quotation marks (»næsten ni ud af ti«)."""
    if pd.isna(row["value"]):
        return f"»{row['printed']}«"
    if row["unit"] == "pct":
        return fmt_pct(row["value"])
    if row["unit"] == "kommuner":
        return f"{fmt_int(row['value'])} kommuner"
    return fmt_num(row["value"], 1)
