"""One call per section of the report: its glued numbers, figures and tables.

A chapter notebook calls `setup()` once and then one helper per section, e.g.
`sections.area(book, "kvalitet").glue()`. The Markdown beside the call holds the prose with
`{glue:text}` roles, the figures with `{glue:figure}` (caption and alt text visible in the
Markdown) and the tables with `{glue}`. Glue names are fixed here, so a page and its helper agree:

- numbers: `k<chapter>_<section>_<what>` (e.g. `k1_kvalitet_behov`);
- figures: `..._fig_<what>`, tables: `..._tab_<what>`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import pandas as pd

from ..analysis import likert, organisation, stats, themes
from ..analysis import target_groups as tg
from ..data.survey import Survey, load_survey
from ..synthetic import provenance
from . import figures, tables, text
from .text import fmt_int, fmt_num, fmt_pct


@dataclass
class Book:
    """What every section of a chapter needs: the survey, which questions are assumed, their texts."""

    survey: Survey
    assumed: set[str]
    labels: dict[str, str]

    @property
    def forms(self) -> dict[str, str]:
        """Support-form key -> Danish label."""
        forms = self.survey.support_forms
        return dict(zip(forms["form"], forms["label_da"]))


@dataclass
class Section:
    """A section's glue values (name -> Danish text), figures and tables (name -> HTML)."""

    values: dict[str, str] = field(default_factory=dict)
    figures: dict[str, plt.Figure] = field(default_factory=dict)
    tables: dict[str, str] = field(default_factory=dict)

    def glue(self) -> None:
        """Glue everything for the page (nothing is displayed in the cell) and close the figures."""
        from IPython.display import HTML
        from myst_nb import glue

        for name, value in self.values.items():
            text.glue_text(name, value)
        for name, fig in self.figures.items():
            glue(name, fig, display=False)
            plt.close(fig)
        for name, html in self.tables.items():
            glue(name, HTML(html), display=False)


def setup(responses=None) -> Book:
    """Load and validate the survey once and glue the dataset's name."""
    survey = load_survey(responses)
    book = Book(survey=survey, assumed=provenance.assumed_questions(survey.codebook, survey.published),
                labels=dict(zip(survey.codebook["question"], survey.codebook["text_da"])))
    # Not shown: every page carries the dataset banner. Kept in the outputs so the tracked-files
    # check can tell a notebook executed on imported data.
    text.glue_text("dataset", survey.dataset.label_da)
    return book


def _likert(shares: pd.DataFrame, labels: dict[str, str], book: Book, caption: str, filename: str) -> str:
    return tables.table_html(tables.likert_table(shares, labels, book.assumed), caption, filename)


def _figure_file(survey: Survey, questions) -> str:
    """The report's (first) figure number of the questions, for download file names."""
    figures_of = survey.questions.loc[list(questions), "figure"].astype(str).str.split(";")
    return str(min(int(f) for row in figures_of for f in row if f.strip().isdigit()))


# ------------------------------------------------------------------------------------- chapter 1
def ch1_overview(book: Book) -> Section:
    """Figure 1: every area's overall challenge, largest share first."""
    survey = book.survey
    overall = organisation.overall_shares(survey)
    area_table = organisation.areas(survey)
    short = dict(zip(area_table["overall"], area_table["short_label"]))
    section = Section()
    for _, row in overall.iterrows():
        section.values[f"k1_{row['topic']}_samlet"] = fmt_pct(row["pct_top2"])
    section.values["k1_fig1_n"] = f"{fmt_int(overall['n'].min())}–{fmt_int(overall['n'].max())}"
    top = overall.head(3)
    section.values["k1_top3"] = text.list_with_pcts((area_table.at[t, "short_label"].lower(), p)
                                                    for t, p in zip(top["topic"], top["pct_top2"]))
    last = overall.iloc[-1]
    section.values["k1_lowest"] = (f"{area_table.at[last['topic'], 'short_label'].lower()} "
                                   f"({fmt_pct(last['pct_top2'])})")
    same_order = list(overall["topic"]) == list(area_table.index)
    section.values["k1_order_same"] = "samme" if same_order else "ikke samme"
    section.figures["k1_fig_figur1"] = figures.diverging_bars(
        overall, short, assumed=book.assumed, n_text=f"N = {overall['n'].min()}–{overall['n'].max()}")
    section.tables["k1_tab_figur1"] = _likert(overall, short, book,
                                              "Tabel til figur 1: svarfordeling i procent pr. fokusområde",
                                              "figur_01.csv")
    return section


def area(book: Book, name: str) -> Section:
    """Sections 1.1-1.9: an area's specific challenges, its need for support and the support forms."""
    survey, forms = book.survey, book.forms
    area_table = organisation.areas(survey)
    prefix = f"k1_{name}"
    section = Section()

    subs = organisation.sub_item_shares(survey, name)
    if len(subs):
        section.values[f"{prefix}_subs"] = text.list_with_pcts((book.labels[q], p)
                                                               for q, p in subs["pct_top2"].items())
        section.values[f"{prefix}_subs_n"] = fmt_int(subs["n"].max())
        section.figures[f"{prefix}_fig_subs"] = figures.diverging_bars(
            subs, book.labels, assumed=book.assumed, n_text=f"N = {subs['n'].max()}")
        section.tables[f"{prefix}_tab_subs"] = _likert(
            subs, book.labels, book, "Tabel: svarfordeling i procent for de specifikke udfordringer",
            f"figur_{_figure_file(survey, subs.index)}_{name}.csv")

    need = area_table.at[name, "need"]
    need_shares = likert.shares(survey.responses, [need])
    section.values[f"{prefix}_behov"] = fmt_pct(need_shares.at[need, "pct_top2"])
    section.values[f"{prefix}_behov_mindre"] = fmt_pct(need_shares.at[need, "pct_2"])
    section.values[f"{prefix}_behov_n"] = fmt_int(need_shares.at[need, "n"])

    counts = organisation.support_counts(survey, name)
    ranked = counts.sort_values(ascending=False, kind="stable")
    section.values[f"{prefix}_forms"] = text.list_with_counts((forms[k], v) for k, v in ranked.head(3).items())
    section.values[f"{prefix}_ticks"] = fmt_int(counts.sum())
    questions = organisation.support_questions(survey, name)
    keys = dict(zip(questions["item"], questions["question"]))
    form_labels = {k: provenance.mark(forms[k], keys[k], book.assumed) for k in counts.index}
    section.figures[f"{prefix}_fig_stoette"] = figures.count_bars(
        counts, form_labels, n_text=f"N = {counts.sum()} afkrydsninger", highlight=set(ranked.head(3).index))
    section.tables[f"{prefix}_tab_stoette"] = tables.table_html(
        tables.counts_table(counts, forms, book.assumed, keys), "Tabel: antal kommuner pr. støtteform",
        f"figur_{_figure_file(survey, questions['question'])}_{name}_stoetteformer.csv")
    return section


def support_across_areas(book: Book) -> Section:
    """Section 1.11: which support forms the municipalities ask for, area by area."""
    survey, forms = book.survey, book.forms
    area_table = organisation.areas(survey)
    matrix = organisation.support_matrix(survey)
    means = organisation.support_means(survey)
    section = Section()
    section.values["k1_means_top3"] = text.join_da(f"{forms[k]} ({fmt_num(v, 1)} kommuner)"
                                                   for k, v in means.head(3).items())
    section.values["k1_ticks_all"] = fmt_int(matrix.to_numpy().sum())
    area_labels = dict(zip(area_table.index, area_table["short_label"]))
    shown = matrix.rename(index=area_labels, columns=forms)
    marks = pd.DataFrame([[f" {provenance.ASSUMED_MARK}" if f"org_{a}_stoette_{f}" in book.assumed else ""
                           for f in matrix.columns] for a in matrix.index], index=matrix.index,
                         columns=matrix.columns).rename(index=area_labels, columns=forms)
    section.figures["k1_fig_stoetteformer"] = figures.heatmap(shown, cbar_label="Antal kommuner", marks=marks)
    table = shown.astype(object)
    table.loc["Gennemsnit pr. område"] = [fmt_num(v, 1) for v in matrix.mean()]
    section.tables["k1_tab_stoetteformer"] = tables.table_html(
        table.reset_index(names="Fokusområde"), "Tabel: antal kommuner pr. fokusområde og støtteform",
        "stoetteformer_omraader.csv")
    return section


def _interval_text(low: pd.Series, high: pd.Series) -> list[str]:
    return [f"{fmt_num(lo, 2)} til {fmt_num(hi, 2)}" for lo, hi in zip(low, high)]


def association(book: Book) -> Section:
    """Section 1.12: challenges against need for support per area (figure 19 and the tests)."""
    survey = book.survey
    area_table = organisation.areas(survey)
    short = dict(zip(area_table.index, area_table["short_label"]))
    means = organisation.challenge_need_means(survey)
    assoc = stats.association_table(survey.responses, organisation.association_pairs(survey))
    section = Section(values={
        "k1_assoc_min_rho": fmt_num(assoc["rho"].min(), 2),
        "k1_assoc_max_rho": fmt_num(assoc["rho"].max(), 2),
        "k1_assoc_n_sig": fmt_int((assoc["p_holm"] < 0.05).sum()),
        "k1_assoc_n_areas": fmt_int(len(assoc)),
        "k1_assoc_max_p": text.fmt_p(assoc["p_holm"].max()),
    })
    n_range = f"N = {int(means['n_scale_challenge'].min())}–{int(means['n_scale_challenge'].max())}"
    section.figures["k1_fig_figur19"] = figures.mean_dots(means, short, n_text=n_range)
    section.tables["k1_tab_figur19"] = tables.table_html(pd.DataFrame({
        "Fokusområde": [short[a] for a in means.index],
        "Udfordringer, gennemsnit": [fmt_num(v, 2) for v in means["mean_challenge"]],
        "Udfordringer, N": means["n_scale_challenge"].astype(int).to_numpy(),
        "Behov for støtte, gennemsnit": [fmt_num(v, 2) for v in means["mean_need"]],
        "Behov for støtte, N": means["n_scale_need"].astype(int).to_numpy(),
    }), "Tabel til figur 19: gennemsnit (4 = i meget høj grad, 1 = slet ikke)", "figur_19.csv")
    section.tables["k1_tab_sammenhaeng"] = tables.table_html(pd.DataFrame({
        "Fokusområde": [short[a] for a in assoc.index],
        "N": assoc["n"].to_numpy(),
        "Spearmans rho": [fmt_num(v, 2) for v in assoc["rho"]],
        "rho, 95 pct.-interval": _interval_text(assoc["rho_low"], assoc["rho_high"]),
        "Odds ratio pr. skalatrin": [fmt_num(v, 2) for v in assoc["odds_ratio"]],
        "OR, 95 pct.-interval": _interval_text(assoc["or_low"], assoc["or_high"]),
        "p (Holm)": [text.fmt_p(p) for p in assoc["p_holm"]],
        "p (Kruskal–Wallis)": [text.fmt_p(p) for p in assoc["p_kruskal"]],
    }), "Tabel: sammenhæng mellem udfordringer og behov for støtte pr. fokusområde",
        "sammenhaeng_udfordring_behov.csv")
    return section


# ------------------------------------------------------------------------------------- chapter 2
def _focus_labels(questions) -> dict[str, str]:
    return {q: tg.FOCUS_LABELS_DA[q.rsplit("_", 1)[1]] for q in questions}


def ch2_overview(book: Book) -> Section:
    """Figure 20: every target group's overall challenge, in the report's order."""
    survey = book.survey
    group_table = tg.groups(survey)
    short = dict(zip(group_table["overall"], group_table["short_label"]))
    overall = tg.overall_shares(survey)
    section = Section()
    for _, row in overall.iterrows():
        section.values[f"k2_{row['group']}_samlet"] = fmt_pct(row["pct_top2"])
    ranked = overall.sort_values("share_top2", ascending=False, kind="stable")
    top = ranked.head(3)
    section.values["k2_top3"] = text.list_with_pcts((group_table.at[g, "label"].lower(), p)
                                                    for g, p in zip(top["group"], top["pct_top2"]))
    section.values["k2_fig20_n"] = fmt_int(overall["n"].max())
    order = tg.figure20_order(overall.rename(columns={"pct_top2": "pct"})[["group", "pct"]])
    section.values["k2_order_same"] = "samme" if order == list(group_table.index) else "ikke samme"
    section.values["k2_n_assumed_overall"] = fmt_int(sum(q in book.assumed for q in overall.index))
    section.figures["k2_fig_figur20"] = figures.diverging_bars(
        overall, short, assumed=book.assumed, n_text=f"N = {overall['n'].max()}")
    section.tables["k2_tab_figur20"] = _likert(overall, short, book,
                                               "Tabel til figur 20: svarfordeling i procent pr. målgruppe",
                                               "figur_20.csv")
    return section


def ch2_patterns(book: Book) -> Section:
    """The three largest challenges per target group, and how often each focus area is among them."""
    survey = book.survey
    group_table = tg.groups(survey)
    matrix = tg.share_matrix(survey)
    top = tg.three_largest(tg.long_shares(survey))
    counts = tg.pattern_counts(tg.long_shares(survey))
    section = Section(values={f"k2_count_{item}": fmt_int(counts[item]) for item in tg.FOCUS_ITEMS})
    section.values["k2_n_groups"] = fmt_int(len(matrix))
    rows = dict(zip(group_table.index, group_table["short_label"]))
    marks = pd.DataFrame([[f" {provenance.ASSUMED_MARK}" if f"mg_{g}_{i}" in book.assumed else ""
                           for i in tg.FOCUS_ITEMS] for g in matrix.index],
                         index=matrix.index, columns=matrix.columns)
    shown = matrix.rename(index=rows, columns=tg.FOCUS_LABELS_DA)
    section.figures["k2_fig_varmekort"] = figures.heatmap(
        shown, cbar_label="Pct. i høj eller meget høj grad",
        marks=marks.rename(index=rows, columns=tg.FOCUS_LABELS_DA))
    table = shown.astype(object)
    for g, label in rows.items():
        for i, name in tg.FOCUS_LABELS_DA.items():
            table.loc[label, name] = f"{matrix.loc[g, i]}{marks.loc[g, i]}"
    section.tables["k2_tab_varmekort"] = tables.table_html(
        table.reset_index(names="Målgruppe"),
        "Tabel: pct. i høj eller meget høj grad pr. målgruppe og fokusområde († = antagelse)",
        "maalgrupper_fokusomraader.csv")
    largest = (top.assign(text=top["item"].map(tg.FOCUS_LABELS_DA) + " (" + top["pct"].astype(str) + ")")
               .groupby("group", sort=False)["text"].apply("; ".join))
    section.tables["k2_tab_tre_stoerste"] = tables.table_html(pd.DataFrame({
        "Målgruppe": [rows[g] for g in largest.index],
        "De tre største udfordringer (pct.)": largest.to_numpy()}),
        "Tabel: de tre største udfordringer pr. målgruppe", "tre_stoerste.csv")
    section.tables["k2_tab_moenstre"] = tables.table_html(pd.DataFrame({
        "Fokusområde": [tg.FOCUS_LABELS_DA[i] for i in counts.index], "Antal målgrupper": counts.to_numpy()}),
        "Tabel: antal målgrupper, hvor fokusområdet er blandt de tre største", "moenstre.csv")
    return section


def target_group(book: Book, group: str) -> Section:
    """Sections 2.1-2.17: one target group's eight focus areas."""
    survey = book.survey
    group_table = tg.groups(survey)
    focus = tg.focus_shares(survey, group)
    biggest = tg.three_largest(tg.long_shares(survey))
    biggest = biggest[biggest["group"] == group]
    prefix = f"k2_{group}"
    n_assumed = sum(q in book.assumed for q in [*focus.index, group_table.at[group, "overall"]])
    status = ("Alle tal i dette afsnit er offentliggjort i rapporten." if n_assumed == 0 else
              f"{fmt_int(n_assumed)} af afsnittets {fmt_int(len(focus) + 1)} fordelinger er antagelser i det "
              "syntetiske datasæt, ikke tal fra rapporten (markeret med †). De viser ikke, hvad kommunerne "
              "har svaret.")
    labels = _focus_labels(focus.index)
    return Section(
        values={f"{prefix}_top": text.join_da(f"{tg.FOCUS_LABELS_DA[i].lower()} ({fmt_pct(p)})"
                                              for i, p in zip(biggest["item"], biggest["pct"])),
                f"{prefix}_status": status,
                f"{prefix}_n": f"{fmt_int(focus['n'].min())}–{fmt_int(focus['n'].max())}"},
        figures={f"{prefix}_fig": figures.diverging_bars(
            focus, tg.FOCUS_LABELS_DA | labels, assumed=book.assumed,
            n_text=f"N = {focus['n'].min()}–{focus['n'].max()}")},
        tables={f"{prefix}_tab": _likert(focus, labels, book, "Tabel: svarfordeling i procent pr. fokusområde",
                                         f"figur_{_figure_file(survey, focus.index)}_{group}.csv")})


def vive_2019(book: Book) -> Section:
    """The report's comparison with VIVE's 2019 survey (autism, ADHD and similar)."""
    published, overall = book.survey.published, tg.overall_shares(book.survey)
    vive = published[(published["statistic"] == "external") & published["section"].str.startswith("2")]
    return Section(values={
        "k2_vive": fmt_pct(vive["value"].iloc[0]),
        "k2_autisme_adhd": text.join_da([fmt_pct(overall.at["mg_autisme_samlet", "pct_top2"]),
                                         fmt_pct(overall.at["mg_adhd_samlet", "pct_top2"])]),
    })


# ------------------------------------------------------------------------------------- chapter 4
def theme(book: Book, name: str) -> Section:
    """Sections 4.1, 4.4 and 4.6: the items of a current theme the report's summary names."""
    shares = themes.theme_shares(book.survey, name)
    # The report states the ethnic-minority item as the share answering "i mindre grad".
    column = "pct_2" if name == "etnisk" else "pct_top2"
    prefix = f"k4_{name}"
    return Section(
        values={f"{prefix}_count": fmt_int(len(shares)),
                f"{prefix}_range": text.join_da(fmt_pct(p) for p in sorted(set(shares[column]), reverse=True)),
                f"{prefix}_n": fmt_int(shares["n"].max())},
        figures={f"{prefix}_fig": figures.diverging_bars(shares, book.labels, assumed=book.assumed,
                                                         n_text=f"N = {shares['n'].max()} (antaget)")},
        tables={f"{prefix}_tab": _likert(shares, book.labels, book, "Tabel: svarfordeling i procent",
                                         f"tema_{name}.csv")})
