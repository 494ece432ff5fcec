"""Chapter 3 as the page shows it: every sentence that depends on the data, its tables and its charts.

`chapter3.section(book, chapter, index)` returns a sections.Section; the notebook glues it and holds
only the prose around the glued values. Nothing the data decide is typed: which way the odds ratios
point, how many differences the confirmatory test shows, what the intervals rule out, which groups
were merged, and whether a summary of the respondents may be shown are all computed here, so the page
says what any dataset shows (the synthetic one, another seed, an imported export). The sentences
themselves are templates in notebooks/_sentences/03_variation.yml (report.sentences): this module
chooses the one that applies and computes what goes in it.

Glue names: `k3_<what>` for text, `k3_fig_<what>` for charts, `k3_tab_<what>` for tables.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..analysis import stats, variation
from ..analysis.disclosure import MARK, MIN_COUNT, ROWS_ADD_UP
from ..data import socioeconomic
from ..data.codebook import report_page
from ..data.register import SIZE_BINS
from . import figure_titles, figures, phrasing, tables
from .sections import Book, Section
from .sentences import say
from .text import count_da, fmt_int, fmt_num, join_da, lower_first, number_word

Q_LEVEL = 0.05  # the false discovery rate at which the screen counts a test


# Each question's row adds up to its national figure; a group's column adds up to nothing.
SHARE_CLASSES = f"breakdown {ROWS_ADD_UP}"


def captioned(book: Book, table: pd.DataFrame, caption: str, filename: str, classes: str = "") -> str:
    """tables.table_html with the dataset named in the caption and the download (as show_table does)."""
    synthetic, source = tables.dataset_source(book.survey.dataset.path)
    if synthetic and "syntetisk" not in caption.lower():
        caption = f"{caption} – syntetiske data"
    return tables.table_html(table, caption, filename, classes, source=source)


def _chart(book: Book, glue_name: str, cells: pd.DataFrame, suffix: str = "") -> plt.Figure:
    """A chart of group shares with its heading and source inside the image: on the synthetic dataset
    every difference between groups is an assumption (hollow markers, "Syntetiske tal")."""
    synthetic = book.provenance.synthetic
    fig = figures.group_shares(cells, assumed=synthetic)
    kind = figure_titles.SOURCE_SYNTHETIC if synthetic else figure_titles.SOURCE_DATA
    return figures.frame(fig, figure_titles.book_heading(glue_name) + suffix, figure_titles.source_line(kind))


def _pct(value: float) -> str:
    return f"{fmt_int(100 * value)} pct."


def _range(low: float, high: float, decimals: int = 2) -> str:
    return f"{fmt_num(low, decimals)}–{fmt_num(high, decimals)}"


def cut_points_text() -> str:
    """The size groups' cut points from the register module's constants."""
    edges = [b for b in SIZE_BINS if b not in (0, float("inf"))]
    first, last = edges[0], edges[-1]
    middle = [f"{fmt_int(low)}–{fmt_int(high - 1)}" for low, high in zip(edges[:-1], edges[1:])]
    return join_da([f"under {fmt_int(first)}", *middle, f"{fmt_int(last)} og derover"]) + " indbyggere"


def merges_text(split: variation.Breakdown, groups: str) -> str:
    """The merges of a breakdown in words, computed from the grouping; `groups` names its groups in the
    plural ("størrelsesgrupper")."""
    merges = split.grouping.merges
    if not merges:
        return say("k3_merges_none", groups=f"{count_da(len(split.factor.groups), neuter=False)} {groups}")
    steps = [say("k3_merges_step", group=_quoted(m.failing, split), partner=_quoted(m.partner, split))
             for m in merges]
    return say("k3_merges", steps=join_da(steps), count=count_da(len(split.grouping.groups), neuter=False),
               shown=join_da(f"»{g}«" for g in split.grouping.groups))


def _quoted(group: str, split: variation.Breakdown) -> str:
    """A group's name inside a sentence (a region keeps its capital, "laveste tredjedel" does not), in »«
    when it is itself a merged group."""
    if group not in split.factor.groups:
        return f"»{group}«"
    return group if split.factor.key == "region" else lower_first(group)


def suppressed_text(cells: pd.DataFrame) -> str:
    hidden = int(cells["suppressed"].sum())
    if hidden == 0:
        return say("k3_suppressed_none")
    return say("k3_suppressed", count=phrasing.capitalize(count_da(hidden)), cells=fmt_int(len(cells)), mark=MARK)


def _direction_sentence(conf: pd.DataFrame) -> str:
    fitted = conf[conf["reason"] == ""]
    as_stated = int(sum(np.sign(np.log(r.odds_ratio)) == r.direction for r in fitted.itertuples()))
    return say("k3_book_direction", areas=phrasing.count_of(as_stated, len(conf), "områder"))


def _test_sentence(conf: pd.DataFrame, level_text: str) -> str:
    fitted = conf[conf["reason"] == ""]
    shown = int((fitted["p_bonferroni"] < 0.05).sum())
    tests = number_word(len(conf))
    missing = len(conf) - len(fitted)
    not_computed = f" {say('k3_book_test_not_computed', count=count_da(missing))}" if missing else ""
    named = join_da(lower_first(r.label) for r in fitted.itertuples() if r.p_bonferroni < 0.05)
    if shown == 0:
        return say("k3_book_test_none", tests=tests, level=level_text, not_computed=not_computed)
    if shown == 1:
        return say("k3_book_test_one", tests=tests, named=named, not_computed=not_computed)
    return say("k3_book_test_several", tests=tests, count=count_da(shown), named=named, not_computed=not_computed)


def _effect_sentence(predicted: pd.DataFrame, sizes: tuple[int, ...]) -> str:
    """The named item whose predicted share changes most between the smallest and largest named size."""
    fitted = predicted[predicted["reason"] == ""]
    if fitted.empty:
        return say("k3_book_effect_not_fitted")
    small, large = sizes[0], sizes[-1]
    wide = fitted.pivot(index="label", columns="at", values="share")
    spread = (wide[large] - wide[small]).abs()
    label = spread.idxmax()
    rows = fitted[fitted["label"] == label].set_index("at")[["share", "low", "high"]]
    return say("k3_book_effect", area=lower_first(label), small_share=tables.pct_interval(*rows.loc[small]),
               small_size=fmt_int(small), large_share=tables.pct_interval(*rows.loc[large]),
               large_size=fmt_int(large))


def _pooled_sentence(pooled: dict, areas: int) -> str:
    """The model over all `areas` areas: its odds ratio per doubling and what its interval says."""
    if pooled["reason"]:
        return say("k3_pooled_not_fitted", areas=count_da(areas), reason=pooled["reason"])
    verdict = (say("k3_pooled_includes_one") if pooled["or_low"] <= 1 <= pooled["or_high"] else
               say("k3_pooled_excludes_one"))
    return say("k3_pooled", areas=count_da(areas), odds_ratio=fmt_num(pooled["odds_ratio"], 2),
               interval=_range(pooled["or_low"], pooled["or_high"]), verdict=verdict,
               low=fmt_num(pooled["or_low"], 2), high=fmt_num(pooled["or_high"], 2))


def _rules_out(models: pd.DataFrame, reference: str) -> str:
    """What the shown odds-ratio intervals of a group factor rule out, read off the intervals."""
    shown = models[models["reason"] == ""]
    if shown.empty:
        return say("k3_region_rules_out_not_fitted")
    low, high = float(shown["or_low"].min()), float(shown["or_high"].max())
    return say("k3_region_rules_out", reference=reference, low=fmt_num(low, 2), high=fmt_num(high, 2),
               factor=fmt_num(max(1 / low, high), 1))


def _confirmatory_rules_out(conf: pd.DataFrame, level_text: str) -> str:
    """What the simultaneous intervals of the confirmatory family rule out, per area."""
    fitted = conf[conf["reason"] == ""]
    if fitted.empty:
        return say("k3_size_rules_out_not_fitted", models=number_word(len(conf)))
    parts = [f"{lower_first(r.label)} {_range(r.or_low_simultaneous, r.or_high_simultaneous)}"
             for r in fitted.itertuples()]
    return say("k3_size_rules_out", level=level_text, intervals=join_da(parts))


def _screen_sentence(screen: pd.DataFrame) -> str:
    found = int((screen["q_bh"] < Q_LEVEL).sum())
    sparse = int(((screen["q_bh"] < Q_LEVEL) & screen["sparse"]).sum())
    return say("k3_screen", tests=fmt_int(len(screen)), found=count_da(found), q_level=fmt_num(Q_LEVEL, 2),
               sparse=f"; {say('k3_screen_sparse', count=count_da(sparse))}" if sparse else "")


def _sensitivity_sentence(conf: pd.DataFrame) -> str:
    fitted = conf[conf["reason"] == ""]
    if fitted.empty:
        return say("k3_sensitivity_not_fitted")

    def excludes_one(low, high) -> bool:
        return not low <= 1 <= high

    same = sum(excludes_one(r.binary_low, r.binary_high) == excludes_one(r.missing_low, r.missing_high)
               == excludes_one(r.or_low, r.or_high) for r in fitted.itertuples())
    return say("k3_sensitivity", areas=phrasing.count_of(same, len(fitted), "områder"))


def _nonresponse_sentence(table: pd.DataFrame) -> str:
    shown = table[table["median_reason"] == ""]
    if shown.empty:
        return say("k3_nonresponse_hidden")
    gaps = (shown["median"] - shown["median_all"]).abs()
    everyone = fmt_int(shown["median_all"].iloc[0])
    if gaps.max() == 0:
        return say("k3_nonresponse_same", median=everyone)
    return say("k3_nonresponse_near", gap=fmt_int(gaps.max()), median=everyone)


def _index_recipe(index) -> str:
    if index.synthetic:
        return say("k3_index_recipe_synthetic", sd=fmt_num(socioeconomic.STANDIN_SD, 2),
                   seed=str(socioeconomic.STANDIN_SEED))
    return say("k3_index_recipe_file", file=index.path.name, year=str(index.year))


def _report_pages(book: Book) -> str:
    """Where the report prints chapter 3's numbers: 'kapitel 3 (s. 49–53) og bilag 5 (s. 68), 6 (s. 71)
    og 7 (s. 73)' (its table of contents; the chapter ends where chapter 4 begins)."""
    first = book.page("3", "chapter")
    last = report_page(book.contents, "4", "chapter") - 1
    appendices = [f"{n} ({book.page(n, 'appendix')})" for n in ("5", "6", "7")]
    return say("k3_data_box_pages", first=first, last=str(last), appendices=join_da(appendices))


def _unread_sentence(book: Book, section_ref: str, appendix: str) -> str:
    """Where the report prints its own numbers for a breakdown, which the book has not read yet (no group
    named: the disclosure attack reads every sentence that names one)."""
    return say("k3_source_unread", section=section_ref, section_page=book.page(section_ref), appendix=appendix,
               appendix_page=book.page(appendix, "appendix"))


def _data_box(book: Book, chapter: variation.Chapter) -> str:
    if not book.provenance.synthetic:
        return say("k3_data_box_imported")
    from ..synthetic.assumptions import load_assumptions

    effects = load_assumptions().get("size_effects", {}) or {}
    label = {qid.split("_")[1]: name for name, qid in chapter.areas.items()}
    larger = [lower_first(label[t]) for t, w in effects.items() if w > 0 and t in label]
    smaller = [lower_first(label[t]) for t, w in effects.items() if w < 0 and t in label]
    parts = ([say("k3_data_box_larger", areas=join_da(larger))] if larger else []) + \
        ([say("k3_data_box_smaller", areas=join_da(smaller))] if smaller else [])
    assumed = join_da(parts) if parts else say("k3_data_box_no_effect")
    return say("k3_data_box_synthetic", report_pages=_report_pages(book), assumed=assumed)


def section(book: Book, chapter: variation.Chapter, index) -> Section:
    """Every glued text, table and chart of chapter 3."""
    survey = book.survey
    out = Section()
    conf = chapter.confirmatory
    level = conf.attrs["simultaneous_level"]
    level_text = f"{fmt_num(100 * level, 1)} pct."
    sizes = variation.NAMED_SIZES

    # The opening: the report's answer is quoted in the Markdown; the book's answer is computed.
    out.add("k3_book_direction", _direction_sentence(conf), None)
    out.add("k3_book_test", _test_sentence(conf, level_text), None)
    out.add("k3_book_effect", _effect_sentence(chapter.predicted, sizes), None)
    out.add("k3_data_box", _data_box(book, chapter), None)
    out.add("k3_size_page", book.page("3.1"), None)

    # Counts: N as the book defines it (everyone who answered, "ved ikke" included) and on the scale.
    n = chapter.answers_n
    areas_n = n[n["question"].isin(chapter.areas.values())]
    out.add("k3_participants", fmt_int(survey.responses["municipality"].nunique()), None)
    out.add("k3_questions", fmt_int(len(chapter.questions)), None)
    out.add("k3_areas", count_da(len(chapter.areas)), None)
    out.add("k3_groups", fmt_int(len(chapter.target_groups)), None)
    out.add("k3_n_range", f"{fmt_int(n['n'].min())}–{fmt_int(n['n'].max())}", None)
    out.add("k3_n_range_areas", f"{fmt_int(areas_n['n'].min())}–{fmt_int(areas_n['n'].max())}", None)
    out.add("k3_scale_range", f"{fmt_int(n['n_scale'].min())}–{fmt_int(n['n_scale'].max())}", None)
    complete = _complete_count(survey, list(chapter.areas.values()))
    out.add("k3_complete", fmt_int(complete), None)

    # The chart a reader understands: shares by size group, then the effects in shares.
    size_split = chapter.breakdowns["size_group"]
    out.figures["k3_fig_size"] = _chart(book, "k3_fig_size", chapter.shares["size_group"])
    out.tables["k3_tab_size"] = captioned(book, tables.shares_wide(chapter.shares["size_group"]),
                                          say("k3_tab_shares", breakdown="kommunestørrelse"),
                                          "kapitel-3-stoerrelse", SHARE_CLASSES)
    names = {s: f"{fmt_int(s)} indbyggere" for s in sizes}
    out.tables["k3_tab_predicted"] = captioned(
        book, tables.predicted_table(chapter.predicted, names, chapter.pooled,
                                     f"Alle {count_da(len(chapter.areas))} områder (samlet model)"),
        "Forventet andel »i høj eller meget høj grad« efter folketal (95 pct.-interval, modelramme)",
        "kapitel-3-forventede-andele")
    out.add("k3_named_sizes", join_da(fmt_int(s) for s in sizes), None)
    out.add("k3_pooled", _pooled_sentence(chapter.pooled, len(chapter.areas)), None)
    out.add("k3_level_text", level_text, None)
    out.add("k3_alpha", fmt_num(stats.ALPHA, 2), None)
    out.add("k3_power", f"{fmt_int(100 * stats.POWER)} pct.", None)

    # 3.1 size
    out.add("k3_size_rules_out", _confirmatory_rules_out(conf, level_text), None)
    out.add("k3_size_cuts", cut_points_text(), None)
    out.add("k3_size_counts", join_da(fmt_int(v) for v in size_split.register_sizes.values()), None)
    out.add("k3_size_merges", merges_text(size_split, "størrelsesgrupper"), None)
    out.add("k3_size_suppressed", suppressed_text(chapter.shares["size_group"]), None)

    # 3.2 region
    region_split = chapter.breakdowns["region"]
    out.add("k3_region_source", _unread_sentence(book, "3.2", "6"), None)
    out.add("k3_region_merges", merges_text(region_split, "regioner"), None)
    out.add("k3_region_suppressed", suppressed_text(chapter.shares["region"]), None)
    out.add("k3_region_rules_out", _rules_out(chapter.models["region"], region_split.grouping.groups[0]), None)
    out.figures["k3_fig_region"] = _chart(book, "k3_fig_region", chapter.shares["region"])
    out.tables["k3_tab_region"] = captioned(book, tables.shares_wide(chapter.shares["region"]),
                                            say("k3_tab_shares", breakdown="region"), "kapitel-3-region",
                                            SHARE_CLASSES)

    # 3.3 the socioeconomic index
    index_split = chapter.breakdowns["index_group"]
    stand_in = " (syntetisk erstatning)" if index.synthetic else ""
    out.add("k3_index_label", index.label_da, None)
    out.add("k3_index_recipe", _index_recipe(index), None)
    out.add("k3_index_source", _unread_sentence(book, "3.3", "7"), None)
    out.add("k3_index_merges", merges_text(index_split, "tredjedele"), None)
    out.add("k3_index_suppressed", suppressed_text(chapter.shares["index_group"]), None)
    out.add("k3_index_sentence", _index_sentence(index), None)
    out.figures["k3_fig_index"] = _chart(book, "k3_fig_index", chapter.shares["index_group"], stand_in)
    out.tables["k3_tab_index"] = captioned(book, tables.shares_wide(chapter.shares["index_group"]),
                                           say("k3_tab_shares", breakdown=f"indeksgruppe{stand_in}"),
                                           "kapitel-3-indeks",
                                           SHARE_CLASSES)
    sd_names = {f"{v:+.0f} SD": f"{'+' if v > 0 else '−'}{fmt_num(abs(v), 0)} standardafvigelse"
                for v in variation.NAMED_INDEX_SD}
    out.tables["k3_tab_predicted_index"] = captioned(
        book, tables.predicted_table(chapter.predicted_index, sd_names),
        f"Forventet andel »i høj eller meget høj grad« efter indekset{stand_in} (95 pct.-interval, modelramme)",
        "kapitel-3-forventede-andele-indeks")

    # Non-response and sensitivity
    out.add("k3_nonresponse", _nonresponse_sentence(chapter.nonresponse), None)
    out.tables["k3_tab_nonresponse"] = captioned(book, tables.nonresponse_table(chapter.nonresponse),
                                                 say("k3_tab_nonresponse"),
                                                 "kapitel-3-frafald")
    out.add("k3_sensitivity", _sensitivity_sentence(conf), None)

    # Metode og detaljer
    out.add("k3_screen", _screen_sentence(chapter.screen), None)
    out.add("k3_screen_n", fmt_int(len(chapter.screen)), None)
    out.add("k3_alpha_family", fmt_num(100 * (1 - level), 2) + " pct.", None)
    out.add("k3_mde_confirmatory", _range_of(conf["mde_or"]), None)
    out.add("k3_sparse_ratio", fmt_int(variation.SPARSE_RATIO), None)
    out.add("k3_min_count", count_da(MIN_COUNT), None)
    out.tables["k3_tab_confirmatory"] = captioned(book, tables.confirmatory_table(conf, level_text),
                                                  "Bekræftende test: de tre udsagn om kommunestørrelse",
                                                  "kapitel-3-bekraeftende")
    out.tables["k3_tab_robustness"] = captioned(book, tables.robustness_table(conf),
                                                "Robusthed: odds ratio pr. fordobling, ordinal og binær",
                                                "kapitel-3-robusthed")
    reference = {key: chapter.breakdowns[key].grouping.groups[0] for key in variation.GROUP_FACTORS}
    for key, caption, filename, classes in (
            ("size", "Sonderende: folketal (odds ratio pr. fordobling)", "kapitel-3-folketal-model", ""),
            ("size_group", f"Sonderende: størrelsesgruppe (odds ratio mod {reference['size_group'].lower()})",
             "kapitel-3-stoerrelsesgruppe-model", "breakdown"),
            ("region", f"Sonderende: region (odds ratio mod {reference['region']})", "kapitel-3-region-model",
             "breakdown"),
            ("index", f"Sonderende: socioøkonomisk indeks{stand_in} (odds ratio pr. standardafvigelse)",
             "kapitel-3-indeks-model", ""),
            ("index_group",
             f"Sonderende: indeksgruppe{stand_in} (odds ratio mod {reference['index_group'].lower()})",
             "kapitel-3-indeksgruppe-model", "breakdown")):
        out.tables[f"k3_tab_model_{key}"] = captioned(book, tables.model_table(chapter.models[key]), caption,
                                                       filename, classes)
    return out


def _range_of(values: pd.Series) -> str:
    values = values.dropna()
    if values.empty:
        return "–"
    low, high = fmt_num(values.min(), 2), fmt_num(values.max(), 2)
    return low if low == high else f"{low}–{high}"


def _index_sentence(index) -> str:
    if index.synthetic:
        return say("k3_index_sentence_synthetic")
    return say("k3_index_sentence_file", file=index.path.name, year=str(index.year))


def _complete_count(survey, questions: list[str]) -> int:
    """Municipalities that answered every one of `questions` by the book's N ("ved ikke" included)."""
    from ..analysis.likert import CATEGORY_ORDER

    rows = survey.responses[survey.responses["question"].isin(questions)
                            & survey.responses["answer"].isin(CATEGORY_ORDER)]
    answered = rows.groupby("municipality")["question"].nunique()
    return int((answered == len(questions)).sum())

