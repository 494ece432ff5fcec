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
from ..synthetic.provenance import ASSUMED, ASSUMED_MARK, DERIVED, PUBLISHED
from . import figures, tables, text
from .text import fmt_int, fmt_num, fmt_pct


@dataclass
class Book:
    """What every section of a chapter needs: the survey, which questions are assumed, their texts."""

    survey: Survey
    assumed: set[str]
    labels: dict[str, str]
    provenance: provenance.Provenance

    @property
    def low_is_challenge(self) -> set[str]:
        """Questions asked positively: "i mindre grad / slet ikke" is the challenge (codebook)."""
        book = self.survey.codebook
        return set(book.loc[book["challenge"] == "low", "question"])

    @property
    def source_da(self) -> str:
        """The dataset behind every table, as its download states it (tables.dataset_source), and on
        the synthetic dataset which of its numbers are the report's."""
        synthetic, source = tables.dataset_source(self.survey.dataset.path)
        if synthetic:
            return (f"{source}; kun tal, kolonnen 'Fra rapporten' nævner, eller tal uden {ASSUMED_MARK} "
                    "er rapportens")
        return source

    @property
    def forms(self) -> dict[str, str]:
        """Support-form key -> Danish label."""
        forms = self.survey.support_forms
        return dict(zip(forms["form"], forms["label_da"]))


@dataclass
class Section:
    """A section's glue values (name -> (Danish text, provenance)), figures and tables (name -> HTML)."""

    values: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    figures: dict[str, plt.Figure] = field(default_factory=dict)
    tables: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, value: str, source: str | None) -> None:
        """A number for the prose and where it comes from (provenance.PUBLISHED, ...; None for what is
        not a survey result); an assumed one carries the mark † (see text.glue_text)."""
        if source == ASSUMED and ASSUMED_MARK not in value:
            value = f"{value} {ASSUMED_MARK}"
        self.values[name] = (value, source)

    def glue(self) -> None:
        """Glue everything for the page (nothing is displayed in the cell) and close the figures."""
        from IPython.display import HTML
        from myst_nb import glue

        for name, (value, source) in self.values.items():
            text.glue_text(name, value, source)
        for name, fig in self.figures.items():
            glue(name, fig, display=False)
            plt.close(fig)
        for name, html in self.tables.items():
            glue(name, HTML(html), display=False)


def setup(responses=None) -> Book:
    """Load and validate the survey once and glue the dataset's name."""
    survey = load_survey(responses)
    synthetic = survey.dataset.synthetic
    # On imported (real) data nothing is assumed: no mark anywhere.
    assumed = provenance.assumed_questions(survey.codebook, survey.published) if synthetic else set()
    book = Book(survey=survey, assumed=assumed,
                labels=dict(zip(survey.codebook["question"], survey.codebook["text_da"])),
                provenance=provenance.Provenance.of(survey.codebook, survey.published, synthetic))
    # Not shown: every page carries the dataset banner. Kept in the outputs so the tracked-files
    # check can tell a notebook executed on imported data.
    text.glue_text("dataset", survey.dataset.label_da)
    return book


def _published_figure_statistic(book: Book, figure: str, statistic: str) -> str:
    """published when the report prints `statistic` for the whole figure (e.g. its N range)."""
    if not book.provenance.synthetic:
        return provenance.DATA
    rows = book.survey.published
    found = rows[(rows["figure"] == str(figure)) & (rows["statistic"] == statistic)
                 & (rows["conflicts_with"] == "")]
    return PUBLISHED if len(found) else ASSUMED


def _derived(book: Book) -> str:
    """Follows from published numbers (an order, a count of areas): derived, or data on real data."""
    return DERIVED if book.provenance.synthetic else provenance.DATA


def _marked(value: str, assumed: bool) -> str:
    return f"{value} {ASSUMED_MARK}" if assumed else value


def _list_split(items: list[tuple[str, bool]], stated: str, only_assumed: str) -> str:
    """A list of findings in the report's voice, with the assumed ones set apart as the synthetic data's.

    `items` are (text, assumed) in order; `stated` is the sentence for the report's items with "{}"
    where they go; `only_assumed` the sentence when none is the report's. Assumed items carry †.
    """
    told = [t for t, assumed in items if not assumed]
    synthetic = [_marked(t, True) for t, assumed in items if assumed]
    if not told:
        return only_assumed.format(text.join_da(synthetic))
    sentence = stated.format(text.join_da(told))
    if synthetic:
        sentence += f"; i det syntetiske datasæt følger {text.join_da(synthetic)}"
    return sentence


def _lower(label: str) -> str:
    """A label used inside a sentence: 'Kompetenceudvikling' -> 'kompetenceudvikling'."""
    return label[:1].lower() + label[1:]


def _note(book: Book) -> str:
    """The line under a diverging-bar chart that says what its bold numbers are and whose they are."""
    bold = "Fed: andelen med udfordringen (i høj eller meget høj grad; ved ↔ i mindre grad eller slet ikke)"
    if not book.provenance.synthetic:
        return bold + "."
    return (f"{bold} – rapportens tal, undtagen i rækker med {ASSUMED_MARK}. "
            "Fordelingen inden for søjlerne er antaget.")


def _likert(shares: pd.DataFrame, labels: dict[str, str], book: Book, caption: str, filename: str) -> str:
    return tables.table_html(tables.likert_table(shares, labels, book.provenance), caption, filename,
                             source=book.source_da)


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
    share = book.provenance.of_part
    for q, row in overall.iterrows():
        section.add(f"k1_{row['topic']}_samlet", fmt_pct(row["pct_top2"]), share(q, "share_top2"))
    section.add("k1_fig1_n", f"{fmt_int(overall['n'].min())}–{fmt_int(overall['n'].max())}",
                _published_figure_statistic(book, "1", "n_min"))
    top = overall.head(3)
    section.add("k1_top3", text.list_with_pcts((area_table.at[t, "short_label"].lower(), p, q in book.assumed)
                                               for q, t, p in zip(top.index, top["topic"], top["pct_top2"])),
                book.provenance.of_all(top.index, "share_top2"))
    last = overall.iloc[-1]
    section.add("k1_lowest", text.list_with_pcts([(area_table.at[last["topic"], "short_label"].lower(),
                                                   last["pct_top2"], overall.index[-1] in book.assumed)]),
                share(overall.index[-1], "share_top2"))
    same_order = list(overall["topic"]) == list(area_table.index)
    section.add("k1_order_same", "samme" if same_order else "ikke samme", _derived(book))
    section.figures["k1_fig_figur1"] = figures.diverging_bars(
        overall, short, assumed=book.assumed, note=_note(book), low_is_challenge=book.low_is_challenge,
        n_text=f"N = {overall['n'].min()}–{overall['n'].max()}")
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
    # The report compares some areas with VIVE's 2019 survey (another survey and scale).
    published = survey.published
    vive = published[(published["statistic"] == "external")
                     & (published["question"] == area_table.at[name, "overall"])]
    if len(vive):
        section.add(f"{prefix}_vive", fmt_pct(vive["value"].iloc[0]), PUBLISHED)

    subs = organisation.sub_item_shares(survey, name)
    if len(subs):
        items = [(f"{text.lower_first(book.labels[q])} ({fmt_pct(p)})", q in book.assumed)
                 for q, p in subs["pct_top2"].items()]
        section.add(f"{prefix}_subs", _list_split(
            items, "Andelen, der i høj eller i meget høj grad oplever dem, er størst for {}",
            "Rapporten oplyser ikke andelene; i det syntetiske datasæt er de størst for {}"),
            book.provenance.of_all(subs.index, "share_top2"))
        section.add(f"{prefix}_subs_n", fmt_int(subs["n"].max()), book.provenance.of_all(subs.index, "n"))
        section.figures[f"{prefix}_fig_subs"] = figures.diverging_bars(
            subs, book.labels, assumed=book.assumed, note=_note(book),
            low_is_challenge=book.low_is_challenge, n_text=f"N = {subs['n'].max()}")
        section.tables[f"{prefix}_tab_subs"] = _likert(
            subs, book.labels, book, "Tabel: svarfordeling i procent for de specifikke udfordringer",
            f"figur_{_figure_file(survey, subs.index)}_{name}.csv")

    need = area_table.at[name, "need"]
    need_shares = likert.shares(survey.responses, [need])
    of = book.provenance.of_part
    section.add(f"{prefix}_behov", fmt_pct(need_shares.at[need, "pct_top2"]), of(need, "share_top2"))
    less, n = fmt_pct(need_shares.at[need, "pct_2"]), fmt_int(need_shares.at[need, "n"])
    less_assumed, n_assumed = of(need, "share_mindre") == ASSUMED, of(need, "n") == ASSUMED
    if less_assumed or n_assumed:
        rest = (f"Resten af fordelingen oplyser rapporten ikke; i det syntetiske datasæt har "
                f"{_marked(less, less_assumed)} i mindre grad behov for det (N = {_marked(n, n_assumed)}).")
    else:
        rest = f"Til sammenligning har {less} i mindre grad behov for det (N = {n})."
    section.add(f"{prefix}_behov_resten", rest, ASSUMED if less_assumed or n_assumed else of(need, "share_mindre"))

    counts = organisation.support_counts(survey, name)
    ranked = counts.sort_values(ascending=False, kind="stable")
    questions = organisation.support_questions(survey, name)
    keys = dict(zip(questions["item"], questions["question"]))
    top3 = ranked.head(3)
    ticks_source = _published_figure_statistic(book, _figure_file(survey, questions["question"]), "ticks_total")
    ticks = _marked(fmt_int(counts.sum()), ticks_source == ASSUMED)
    items = [(f"{_lower(forms[k])} ({fmt_int(v)} kommuner)", keys[k] in book.assumed) for k, v in top3.items()]
    forms_source = book.provenance.of_all([keys[k] for k in top3.index], "count")
    section.add(f"{prefix}_stoette", _list_split(
        items, "Flest kommuner peger på {}", "Rapporten oplyser ikke antallene; i det syntetiske datasæt peger "
        "flest kommuner på {}") + f" (i alt {ticks} afkrydsninger).",
        ASSUMED if ASSUMED in (forms_source, ticks_source) else forms_source)
    form_labels = {k: provenance.mark(forms[k], keys[k], book.assumed) for k in counts.index}
    section.figures[f"{prefix}_fig_stoette"] = figures.count_bars(
        counts, form_labels, n_text=f"N = {counts.sum()} afkrydsninger", highlight=set(ranked.head(3).index))
    section.tables[f"{prefix}_tab_stoette"] = tables.table_html(
        tables.counts_table(counts, forms, book.provenance, keys), "Tabel: antal kommuner pr. støtteform",
        f"figur_{_figure_file(survey, questions['question'])}_{name}_stoetteformer.csv", source=book.source_da)
    return section


def support_forms_box(book: Book) -> Section:
    """The report's box 2: the support forms and the help text the questionnaire gave for each."""
    forms = book.survey.support_forms
    return Section(tables={"k1_tab_boks2": tables.table_html(
        pd.DataFrame({"Støtteform": forms["label_da"], "Hjælpetekst i spørgeskemaet": forms["help_da"]}),
        "Boks 2: svarkategorier til spørgsmålene om støtteformer", "boks2_stoetteformer.csv")})


def support_across_areas(book: Book) -> Section:
    """Section 1.11: which support forms the municipalities ask for, area by area."""
    survey, forms = book.survey, book.forms
    area_table = organisation.areas(survey)
    matrix = organisation.support_matrix(survey)
    means = organisation.support_means(survey)
    section = Section()
    # The report prints the three largest averages (section 1.11) in whole municipalities: so does
    # the book, which makes them the report's numbers (the decimals would be the synthetic data's).
    section.add("k1_means_top3", text.list_with_counts((forms[k], v) for k, v in means.head(3).items()),
                _published_figure_statistic(book, "", "mean_count"))
    every_area = [_published_figure_statistic(book, _figure_file(survey, organisation.support_questions(
        survey, a)["question"]), "ticks_total") for a in area_table.index]
    section.add("k1_ticks_all", fmt_int(matrix.to_numpy().sum()),
                DERIVED if set(every_area) == {PUBLISHED} else every_area[0] if len(set(every_area)) == 1
                else ASSUMED)
    area_labels = dict(zip(area_table.index, area_table["short_label"]))
    shown = matrix.rename(index=area_labels, columns=forms)
    marks = pd.DataFrame([[f" {provenance.ASSUMED_MARK}" if f"org_{a}_stoette_{f}" in book.assumed else ""
                           for f in matrix.columns] for a in matrix.index], index=matrix.index,
                         columns=matrix.columns).rename(index=area_labels, columns=forms)
    section.figures["k1_fig_stoetteformer"] = figures.heatmap(shown, cbar_label="Antal kommuner", marks=marks)
    table = (shown.astype(str) + marks).astype(object)  # the heatmap's marks † in its table too
    table.loc["Gennemsnit pr. område"] = [fmt_num(v, 1) for v in matrix.mean()]
    section.tables["k1_tab_stoetteformer"] = tables.table_html(
        table.reset_index(names="Fokusområde"),
        f"Tabel: antal kommuner pr. fokusområde og støtteform ({provenance.ASSUMED_MARK} = antagelse)",
        "stoetteformer_omraader.csv", source=book.source_da)
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
    # The report states that the association is significant in all nine areas (appendix 4); how
    # strong it is, is the synthetic data's assumption.
    strength = ASSUMED if book.provenance.synthetic else provenance.DATA
    section = Section()
    section.add("k1_assoc_min_rho", fmt_num(assoc["rho"].min(), 2), strength)
    section.add("k1_assoc_max_rho", fmt_num(assoc["rho"].max(), 2), strength)
    section.add("k1_assoc_n_sig", fmt_int((assoc["p_holm"] < 0.05).sum()),
                PUBLISHED if book.provenance.synthetic else provenance.DATA)
    section.add("k1_assoc_n_areas", fmt_int(len(assoc)), None)
    section.add("k1_assoc_max_p", text.fmt_p(assoc["p_holm"].max()), strength)
    n_range = f"N = {int(means['n_scale_challenge'].min())}–{int(means['n_scale_challenge'].max())}"
    section.figures["k1_fig_figur19"] = figures.mean_dots(means, short, n_text=n_range)
    section.tables["k1_tab_figur19"] = tables.table_html(pd.DataFrame({
        "Fokusområde": [short[a] for a in means.index],
        "Udfordringer, gennemsnit": [fmt_num(v, 2) for v in means["mean_challenge"]],
        "Udfordringer, N": means["n_scale_challenge"].astype(int).to_numpy(),
        "Behov for støtte, gennemsnit": [fmt_num(v, 2) for v in means["mean_need"]],
        "Behov for støtte, N": means["n_scale_need"].astype(int).to_numpy(),
    }), "Tabel til figur 19: gennemsnit (4 = i meget høj grad, 1 = slet ikke)"
        + (f"; gennemsnittene er antagelser i det syntetiske datasæt {ASSUMED_MARK}" if book.provenance.synthetic
           else ""), "figur_19.csv", source=book.source_da)
    section.add("k1_assoc_n_po", fmt_int(assoc["proportional_odds"].sum()), strength)
    section.add("k1_assoc_kilde", (
        "Hvor stærk sammenhængen er, oplyser rapporten ikke: i det syntetiske datasæt er styrken en "
        "antagelse, så tallene herunder viser, hvordan analysen ser ud, ikke hvad kommunerne har svaret."
        if strength == ASSUMED else "Tallene herunder er beregnet fra de importerede svar."), None)
    section.figures["k1_fig_forest"] = figures.odds_ratios(
        pd.DataFrame({"label": [short[a] for a in assoc.index], "term": "pr. skalatrin",
                      "odds_ratio": assoc["odds_ratio"].astype(float), "or_low": assoc["or_low"].astype(float),
                      "or_high": assoc["or_high"].astype(float)}),
        xlabel="Odds ratio pr. skalatrin med 95 pct.-interval (logaritmisk akse; 1 = ingen sammenhæng)")
    mark = f" {ASSUMED_MARK}" if strength == ASSUMED else ""
    section.tables["k1_tab_sammenhaeng"] = tables.table_html(pd.DataFrame({
        "Fokusområde": [short[a] for a in assoc.index],
        "N": assoc["n"].to_numpy(),
        "Spearmans rho": [fmt_num(v, 2) + mark for v in assoc["rho"]],
        "rho, 95 pct.-interval": _interval_text(assoc["rho_low"], assoc["rho_high"]),
        "Odds ratio pr. skalatrin": [fmt_num(v, 2) + mark for v in assoc["odds_ratio"]],
        "OR, 95 pct.-interval": _interval_text(assoc["or_low"], assoc["or_high"]),
        "OR pr. skæring (kontrol)": _interval_text(assoc["cut_or_min"], assoc["cut_or_max"]),
        "Fælles OR i alle skæringers interval": ["ja" if v else "nej" for v in assoc["proportional_odds"]],
        "p, ordinal (Holm)": [text.fmt_p(p) for p in assoc["p_holm"]],
        "p, Spearman (Holm)": [text.fmt_p(p) for p in assoc["p_spearman_holm"]],
        "p, Kruskal–Wallis (Holm)": [text.fmt_p(p) for p in assoc["p_kruskal_holm"]],
    }), "Tabel: sammenhæng mellem udfordringer og behov for støtte pr. fokusområde"
        + (f" ({ASSUMED_MARK} = styrken er en antagelse i det syntetiske datasæt)" if mark else ""),
        "sammenhaeng_udfordring_behov.csv", source=book.source_da)
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
    for q, row in overall.iterrows():
        section.add(f"k2_{row['group']}_samlet", fmt_pct(row["pct_top2"]),
                    book.provenance.of_part(q, "share_top2"))
    ranked = overall.sort_values("share_top2", ascending=False, kind="stable")
    top = ranked.head(3)
    section.add("k2_top3", text.list_with_pcts((group_table.at[g, "label"].lower(), p, q in book.assumed)
                                               for q, g, p in zip(top.index, top["group"], top["pct_top2"])),
                book.provenance.of_all(top.index, "share_top2"))
    section.add("k2_fig20_n", fmt_int(overall["n"].max()), _published_figure_statistic(book, "20", "n_min"))
    order = tg.figure20_order(overall.rename(columns={"pct_top2": "pct"})[["group", "pct"]])
    section.add("k2_order_same", "samme" if order == list(group_table.index) else "ikke samme", _derived(book))
    section.add("k2_n_assumed_overall", fmt_int(sum(q in book.assumed for q in overall.index)), None)
    section.figures["k2_fig_figur20"] = figures.diverging_bars(
        overall, short, assumed=book.assumed, note=_note(book),
        low_is_challenge=book.low_is_challenge, n_text=f"N = {overall['n'].max()}")
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
    stated = set(book.survey.published.loc[book.survey.published["statistic"] == "pattern_count", "question"])
    section = Section()
    for item in tg.FOCUS_ITEMS:
        source = (PUBLISHED if item in stated else ASSUMED) if book.provenance.synthetic else provenance.DATA
        section.add(f"k2_count_{item}", fmt_int(counts[item]), source)
    section.add("k2_n_groups", fmt_int(len(matrix)), None)
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
        "maalgrupper_fokusomraader.csv", source=book.source_da)
    cell = marks.stack()
    largest = (top.assign(text=[f"{tg.FOCUS_LABELS_DA[i]} ({p}{cell[(g, i)]})"
                                for g, i, p in zip(top["group"], top["item"], top["pct"])])
               .groupby("group", sort=False)["text"].apply("; ".join))
    section.tables["k2_tab_tre_stoerste"] = tables.table_html(pd.DataFrame({
        "Målgruppe": [rows[g] for g in largest.index],
        "De tre største udfordringer (pct.)": largest.to_numpy()}),
        "Tabel: de tre største udfordringer pr. målgruppe († = antagelse)", "tre_stoerste.csv",
        source=book.source_da)
    section.tables["k2_tab_moenstre"] = tables.table_html(pd.DataFrame({
        "Fokusområde": [tg.FOCUS_LABELS_DA[i] for i in counts.index],
        "Antal målgrupper": [_marked(fmt_int(v), section.values[f"k2_count_{i}"][1] == ASSUMED)
                             for i, v in counts.items()]}),
        "Tabel: antal målgrupper, hvor fokusområdet er blandt de tre største", "moenstre.csv",
        source=book.source_da)
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
    questions = [f"mg_{group}_{i}" for i in biggest["item"]]
    section = Section(
        figures={f"{prefix}_fig": figures.diverging_bars(
            focus, tg.FOCUS_LABELS_DA | labels, assumed=book.assumed, note=_note(book),
            low_is_challenge=book.low_is_challenge, n_text=f"N = {focus['n'].min()}–{focus['n'].max()}")},
        tables={f"{prefix}_tab": _likert(focus, labels, book, "Tabel: svarfordeling i procent pr. fokusområde",
                                         f"figur_{_figure_file(survey, focus.index)}_{group}.csv")})
    overall_q = group_table.at[group, "overall"]
    share = fmt_pct(tg.overall_shares(survey).at[overall_q, "pct_top2"])
    if overall_q in book.assumed:
        opening = (f"Rapporten oplyser ikke andelen for målgruppen samlet set; i det syntetiske datasæt "
                   f"oplever {_marked(share, True)} af kommunerne i høj eller i meget høj grad udfordringer "
                   "i arbejdet med målgruppen.")
    else:
        opening = (f"{share} af kommunerne angiver, at de i høj eller i meget høj grad oplever udfordringer "
                   "i arbejdet med målgruppen samlet set (figur 20).")
    section.add(f"{prefix}_aabning", opening, book.provenance.of_part(overall_q, "share_top2"))
    items = [(f"{tg.FOCUS_LABELS_DA[i].lower()} ({fmt_pct(p)})", q in book.assumed)
             for q, i, p in zip(questions, biggest["item"], biggest["pct"])]
    section.add(f"{prefix}_top", _list_split(
        items, "De største udfordringer blandt de otte fokusområder er {}",
        "Rapporten oplyser ikke fordelingerne; i det syntetiske datasæt er de største udfordringer {}"),
        book.provenance.of_all(questions, "share_top2"))
    section.add(f"{prefix}_status", status, None)
    section.add(f"{prefix}_n", f"{fmt_int(focus['n'].min())}–{fmt_int(focus['n'].max())}",
                book.provenance.of_all(focus.index, "n"))
    return section


def vive_2019(book: Book) -> Section:
    """The report's comparison with VIVE's 2019 survey (autism, ADHD and similar)."""
    published, overall = book.survey.published, tg.overall_shares(book.survey)
    vive = published[(published["statistic"] == "external") & published["section"].str.startswith("2")]
    section = Section()
    # VIVE's figure is published (in the report, from VIVE's 2019 survey) whatever the dataset.
    section.add("k2_vive", fmt_pct(vive["value"].iloc[0]), PUBLISHED)
    pair = ["mg_autisme_samlet", "mg_adhd_samlet"]
    section.add("k2_autisme_adhd", text.join_da(
        f"{fmt_pct(overall.at[q, 'pct_top2'])}{' ' + ASSUMED_MARK if q in book.assumed else ''}" for q in pair),
        book.provenance.of_all(pair, "share_top2"))
    return section


# ------------------------------------------------------------------------------------- chapter 4
def theme(book: Book, name: str) -> Section:
    """Sections 4.1, 4.4 and 4.6: the items of a current theme the report's summary names."""
    shares = themes.theme_shares(book.survey, name)
    # A theme asked positively ("har tilstrækkelig viden") is reported as the share "i mindre grad".
    low = set(shares.index) <= book.low_is_challenge
    column, part = ("pct_2", "share_mindre") if low else ("pct_top2", "share_top2")
    prefix = f"k4_{name}"
    section = Section(
        figures={f"{prefix}_fig": figures.diverging_bars(shares, book.labels, assumed=book.assumed,
                                                         note=_note(book), low_is_challenge=book.low_is_challenge,
                                                         n_text=f"N = {shares['n'].max()}" + (
                                                             f" {ASSUMED_MARK}" if book.provenance.of_all(
                                                                 shares.index, "n") == ASSUMED else ""))},
        tables={f"{prefix}_tab": _likert(shares, book.labels, book, "Tabel: svarfordeling i procent",
                                         f"tema_{name}.csv")})
    section.add(f"{prefix}_count", fmt_int(len(shares)), None)
    section.add(f"{prefix}_range", text.join_da(fmt_pct(p) for p in sorted(set(shares[column]), reverse=True)),
                book.provenance.of_all(shares.index, part))
    section.add(f"{prefix}_n", fmt_int(shares["n"].max()), book.provenance.of_all(shares.index, "n"))
    return section


# ----------------------------------------------------------------------------------- the summary
SUMMARY_SECTION = "Sammenfatning"
# The three areas whose size pattern the summary describes, and the direction it states for large
# municipalities (+1: relatively larger challenges, -1: relatively smaller).
SIZE_PATTERN = {"org_tidlig_samlet": 1, "org_sektorer_samlet": 1, "org_kommuner_samlet": -1}


def summary(book: Book) -> Section:
    """The report's summary, number by number: every share it names recomputed from the data.

    Glue names: `sam_<question>` for a share (the summary's statistic for that question), and
    `sam_<what>` for the rest. Where the summary prints another number than the chapter (the
    report contradicts itself), `sam_<question>_trykt` holds the summary's own figure.
    """
    from ..analysis import likert as likert_
    from ..synthetic import calibration

    survey = book.survey
    rows = survey.published[(survey.published["section"] == SUMMARY_SECTION)
                            & survey.published["statistic"].isin(["share_top2", "share_mindre"])]
    shares = likert_.shares(survey.responses, list(dict.fromkeys(rows["question"])))
    section = Section()
    for row in rows.itertuples(index=False):
        column = "pct_top2" if row.statistic == "share_top2" else "pct_2"
        part = "share_top2" if row.statistic == "share_top2" else "share_mindre"
        section.add(f"sam_{row.question}", fmt_pct(shares.at[row.question, column]),
                    book.provenance.of_part(row.question, part))
        if row.conflicts_with:
            section.add(f"sam_{row.question}_trykt", fmt_pct(row.value), PUBLISHED)

    participants = survey.responses["municipality"].nunique()
    section.add("sam_deltagelse", fmt_pct(100 * participants / len(survey.register)),
                PUBLISHED if book.provenance.synthetic else provenance.DATA)
    long = tg.long_shares(survey)
    counts = tg.pattern_counts(long)
    stated = set(survey.published.loc[survey.published["statistic"] == "pattern_count", "question"])
    for item in ("tidlig", "vaekst", "tilbud"):
        source = (PUBLISHED if item in stated else ASSUMED) if book.provenance.synthetic else provenance.DATA
        section.add(f"sam_count_{item}", fmt_int(counts[item]), source)
    section.add("sam_n_groups", fmt_int(long["group"].nunique()), None)

    size = calibration.size_association(survey, {q: q for q in SIZE_PATTERN})
    as_stated = sum(1 for q, sign in SIZE_PATTERN.items()
                    if sign * size.set_index("question").at[q, "rho"] > 0)
    section.add("sam_size_as_stated", fmt_int(as_stated), None)
    section.add("sam_size_n_areas", fmt_int(len(SIZE_PATTERN)), None)
    section.add("sam_size_n_sig", fmt_int((size["p"] < 0.05).sum()) if (size["p"] < 0.05).any() else "ingen",
                None)

    forms = book.forms
    top = organisation.support_means(survey).head(3)
    section.add("sam_stoetteformer", text.join_da(_lower(forms[k]) for k in top.index),
                _published_figure_statistic(book, "", "mean_count"))

    headline = shares.loc[[q for q in rows["question"].drop_duplicates()
                           if rows.loc[rows["question"] == q, "statistic"].iloc[0] == "share_top2"]]
    groups = tg.groups(survey)

    def label(q: str) -> str:
        """A target-group item names its group: 'Autisme: vækst i målgruppeomfang'."""
        if q.startswith("mg_"):
            group, item = q[3:].rsplit("_", 1)
            what = tg.FOCUS_LABELS_DA.get(item, "samlet set").lower()
            return f"{groups.at[group, 'short_label']}: {what}"
        return book.labels[q]

    labels = {q: label(q) for q in headline.index}
    ordered = headline.sort_values("share_top2", ascending=True, kind="stable")
    section.figures["sam_fig_overblik"] = figures.count_bars(
        ordered["pct_top2"].astype(int),
        {q: provenance.mark(labels[q], q, book.assumed) for q in ordered.index},
        xlabel="Procent af kommunerne i høj eller meget høj grad")
    section.tables["sam_tab_overblik"] = tables.table_html(pd.DataFrame({
        "Spørgsmål": [labels[q] for q in ordered.index[::-1]],
        "N": ordered["n"].astype(int).to_numpy()[::-1],
        "I høj eller meget høj grad (pct.)": ordered["pct_top2"].astype(int).to_numpy()[::-1],
        "95 pct.-interval": [tables.interval_text(k, n)
                             for k, n in zip(ordered["k_top2"][::-1], ordered["n"][::-1])],
    }), "Tabel: andelene, sammenfatningen nævner", "sammenfatning.csv", source=book.source_da)
    return section


def themes_summed_up(book: Book) -> Section:
    """Section 4.7: the themes' items side by side, by the share that has the challenge."""
    survey = book.survey
    topics = survey.topics[survey.topics["block"] == "theme"]
    asked = themes.themes(survey)
    items = pd.concat([themes.theme_shares(survey, t) for t in asked.index])
    low = items.index.isin(list(book.low_is_challenge))
    challenge = pd.Series(items["pct_top2"].astype(int).to_numpy(), index=items.index)
    challenge[low] = items.loc[low, "pct_2"].astype(int)  # as the report states such an item
    order = challenge.sort_values(ascending=False, kind="stable")
    top = order.head(3)
    section = Section()
    section.add("k4_n_themes", fmt_int(len(topics)), None)
    section.add("k4_n_themes_asked", fmt_int(len(asked)), None)
    section.add("k4_n_items", fmt_int(len(items)), None)
    part = {q: ("share_mindre" if q in book.low_is_challenge else "share_top2") for q in items.index}
    source = {q: book.provenance.of_part(q, part[q]) for q in items.index}

    def statement(questions) -> str:
        found = {source[q] for q in questions}
        return ASSUMED if ASSUMED in found else found.pop()

    section.add("k4_top", text.list_with_pcts((book.labels[q], v, source[q] == ASSUMED) for q, v in top.items()),
                statement(top.index))
    last = order.index[-1]
    section.add("k4_lowest", text.list_with_pcts([(book.labels[last], order.iloc[-1], source[last] == ASSUMED)]),
                statement([last]))
    return section
