"""One call per section of the report: its glued numbers, figures and tables.

A chapter notebook calls `setup()` once and then one helper per section, e.g.
`sections.area(book, "kvalitet").glue()`. The Markdown beside the call holds the prose with
`{glue:text}` roles, the figures with `{glue:figure}` (caption and alt text visible in the
Markdown) and the tables with `{glue}`. A glued sentence whose wording depends on the data is a
template in notebooks/_sentences/<page>.yml, which the helper chooses and fills (report.sentences:
`say("<key>", ...)`, the key named after the glue name it feeds). Glue names are fixed here, so a page
and its helper agree:

- numbers: `k<chapter>_<section>_<what>` (e.g. `k1_kvalitet_behov`);
- figures: `..._fig_<what>`, tables: `..._tab_<what>`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import pandas as pd

from ..analysis import likert, organisation, themes
from ..analysis import target_groups as tg
from ..data.codebook import load_report_contents, report_page
from ..data.survey import Survey, load_survey
from ..synthetic import provenance
from ..synthetic.provenance import ASSUMED, ASSUMED_MARK, DERIVED, PUBLISHED
from . import figure_titles, figures, phrasing, tables, text
from . import labels as labels_da
from .sentences import say
from .text import fmt_int, fmt_num, fmt_pct


@dataclass
class Book:
    """What every section of a chapter needs: the survey, which questions are assumed, their texts."""

    survey: Survey
    assumed: set[str]
    labels: dict[str, str]
    provenance: provenance.Provenance
    contents: pd.DataFrame

    def page(self, ref: str, kind: str = "section") -> str:
        """Where the report prints a section, figure or appendix: 's. 37' (its table of contents)."""
        return f"s. {report_page(self.contents, ref, kind)}"

    def figure_page(self, figure: str) -> str:
        """The page of a report figure: its own row in the contents, else the page of the one section
        whose questions it shows."""
        contents = self.contents
        if ((contents["kind"] == "figure") & (contents["ref"] == str(figure))).any():
            return self.page(figure, "figure")
        questions = self.survey.codebook
        shown = questions["figure"].astype(str).map(lambda f: str(figure) in [x.strip() for x in f.split(";")])
        found = set(questions.loc[shown, "section"])
        if len(found) != 1:
            raise ValueError(f"figure {figure}: its questions lie in sections {sorted(found)}, not in one; give "
                             "the figure its own row in report_contents.csv")
        return self.page(found.pop())

    @property
    def low_is_challenge(self) -> set[str]:
        """Questions asked positively: "i mindre grad / slet ikke" is the challenge (codebook)."""
        book = self.survey.codebook
        return set(book.loc[book["challenge"] == "low", "question"])

    @property
    def source_da(self) -> str:
        """The dataset behind every table, as its download states it (tables.dataset_source). Which of a
        table's numbers are the report's, its own notes say (downloads.provenance_note: from its column
        "Fra rapporten", its marks and its caption), so that the note is true of each table."""
        return tables.dataset_source(self.survey.dataset.path)[1]

    @property
    def forms(self) -> dict[str, str]:
        """Support-form key -> Danish label."""
        forms = self.survey.support_forms
        return dict(zip(forms["form"], forms["label_da"]))


@dataclass
class Section:
    """A section's glue values (name -> (Danish text, provenance)), figures and tables (name -> HTML).

    Some values are only offered (`offered`): a form of a share for one place in a sentence ('Hele 77
    pct.' at its start) or a number only some pages' prose names. The page asks for those its prose
    uses by name, `.glue("k1_tidlig_behov_start")`, so that it glues no name its text does not use."""

    values: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    figures: dict[str, plt.Figure] = field(default_factory=dict)
    tables: dict[str, str] = field(default_factory=dict)
    offered: set[str] = field(default_factory=set)

    def add(self, name: str, value: str, source: str | None) -> None:
        """A number for the prose and where it comes from (provenance.PUBLISHED, ...; None for what is
        not a survey result); an assumed one carries the mark † (see text.glue_text)."""
        if source == ASSUMED and ASSUMED_MARK not in value:
            value = f"{value} {ASSUMED_MARK}"
        self.values[name] = (value, source)

    def offer(self, name: str, value: str, source: str | None) -> None:
        """A value as `add`, glued only when the page asks for it (`glue(name)`)."""
        self.add(name, value, source)
        self.offered.add(name)

    def glue(self, *asked: str) -> None:
        """Glue the values, figures and tables for the page (nothing is displayed in the cell), of the
        offered values those `asked` for, and close the figures."""
        from IPython.display import HTML
        from myst_nb import glue

        unknown = [name for name in asked if name not in self.offered]
        if unknown:
            raise KeyError(f"glue({', '.join(map(repr, unknown))}): the section offers no such value; it offers "
                           f"{sorted(self.offered)}")
        for name, (value, source) in self.values.items():
            if name not in self.offered or name in asked:
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
                provenance=provenance.Provenance.of(survey.codebook, survey.published, synthetic),
                contents=load_report_contents())
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


def _note(book: Book, questions) -> str:
    """The line under a diverging-bar chart that says what its bold numbers are and whose they are; the
    distribution within the bars is the report's where it prints every category's share."""
    bold = ("Fed: andelen med udfordringen (i høj eller meget høj grad; ved ↔ i mindre grad, som rapporten "
            "opgør den)")
    if not book.provenance.synthetic:
        return bold + "."
    printed = [book.provenance.of_part(q, "distribution") == PUBLISHED for q in questions]
    within = ("Fordelingen inden for søjlerne er rapportens." if all(printed) else
              "Fordelingen inden for søjlerne er antaget." if not any(printed) else
              "Fordelingen inden for søjlerne er antaget, undtagen hvor tabellen siger »hele fordelingen«.")
    return f"{bold} – rapportens tal, undtagen i rækker med {ASSUMED_MARK}. {within}"


def _framed(fig, heading: str, kinds, synthetic_part: str = "") -> plt.Figure:
    """The chart with its heading and source line inside the image (figure_titles); `kinds` are the
    provenances of every number it shows."""
    kind = figure_titles.source_kind(kinds)
    source = (figure_titles.source_line(kind, synthetic_part) if synthetic_part
              else figure_titles.source_line(kind))
    return figures.frame(fig, heading, source)


def _likert_chart(book: Book, fig, heading: str, questions) -> plt.Figure:
    """A diverging-bar chart framed: its bold numbers (the report's statistic for each row) and the
    distributions within its bars decide its source line."""
    questions = list(questions)
    bold = [book.provenance.of_part(q, "share_mindre" if q in book.low_is_challenge else "share_top2")
            for q in questions]
    within = [book.provenance.of_part(q, "distribution") for q in questions]
    marked = any(q in book.assumed for q in questions)
    unmarked_within = any(w == ASSUMED and q not in book.assumed for q, w in zip(questions, within))
    part = ("for rækker markeret " + ASSUMED_MARK if marked else "") + (" og " if marked and unmarked_within
                                                                        else "") + (
        ("fordelingen inden for de øvrige søjler" if marked else "for fordelingen inden for søjlerne")
        if unmarked_within else "")
    return _framed(fig, heading, [*bold, *within], part)


def _report_heading(book: Book, questions) -> str:
    """The heading of a chart that redraws the report's figure(s) of `questions` (each question's first
    figure: figure 1's items are also figure 19's means)."""
    asked = book.survey.questions
    numbers = {int(str(f).split(";")[0]) for f in asked.loc[list(questions), "figure"]}
    by_figure = {}  # a target group's own figure (21-37) -> the group's name
    for group, label in tg.groups(book.survey)["label"].items():
        own = asked.loc[(asked["topic"] == group) & (asked["figure"].astype(str) != "20"), "figure"]
        by_figure.update({int(f): label for f in own.astype(str) if f.isdigit()})
    return figure_titles.report_heading(numbers, by_figure)


def _table_caption(heading: str, what: str) -> str:
    """A chart's table named after the chart's figure and title, so that a workbook's sheets and the
    tables' downloads carry the report's figure titles: 'Figur 2. Udfordringer ...' ->
    'Tabel til figur 2: Udfordringer ... (svarfordeling i procent)'."""
    number, title = heading.split(". ", 1)
    return f"Tabel til {number[:1].lower()}{number[1:]}: {title} ({what})"


def _likert(shares: pd.DataFrame, labels: dict[str, str], book: Book, caption: str, filename: str) -> str:
    return tables.table_html(tables.likert_table(shares, labels, book.provenance, book.low_is_challenge), caption,
                             filename, source=book.source_da)


def _figure_file(survey: Survey, questions) -> str:
    """The report's (first) figure number of the questions."""
    figures_of = survey.questions.loc[list(questions), "figure"].astype(str).str.split(";")
    return str(min(int(f) for row in figures_of for f in row if f.strip().isdigit()))


def _figure_stem(survey: Survey, questions) -> str:
    """The figure number as download names carry it: two digits ("03"), so files sort by figure."""
    return f"{int(_figure_file(survey, questions)):02d}"


# ------------------------------------------------------------------------------------- chapter 1
def _offer_share(section: Section, name: str, pct: int, source: str) -> None:
    """A share for the prose as the report writes it, offered (Section.offer) in three forms: for inside
    a sentence (`name`: '46 pct.', 'hele 77 pct.'), for its start (`name_start`: 'Hele 77 pct.') and
    with the municipalities as a fraction where one fits (`name_af_start`)."""
    words = phrasing.share_words(int(pct))
    section.offer(name, words, source)
    section.offer(f"{name}_start", phrasing.capitalize(words), source)
    # As a fraction where one fits: 'Cirka halvdelen af kommunerne (47 pct.)' (the report's 1.9).
    section.offer(f"{name}_af_start", phrasing.capitalize(phrasing.share_of(int(pct))), source)


def _challenge_phrase(question_text: str) -> str:
    """What an area's overall question asks about, as the report's sentence continues after
    'oplever udfordringer': 'Udfordringer med koordinering ... samlet set' -> 'med koordinering ...'."""
    phrase = question_text.removeprefix("Udfordringer ")
    return phrase.removesuffix(" samlet set")


def _bullet_labels(labels: list[str]) -> list[str]:
    """Item texts as the report's bullets write them after a lead-in: a prefix of three words or
    more that all items share ('Udfordringer i samarbejdet med ...') belongs to the lead-in and is
    dropped; a short one ('At sikre ...') stays."""
    words = [label.split(" ") for label in labels]
    shared = 0
    if len(words) > 1:
        while all(len(w) > shared + 1 for w in words) and len({w[shared] for w in words}) == 1:
            shared += 1
    cut = shared if shared >= 3 else 0
    return [text.lower_first(" ".join(w[cut:])) for w in words]


def ch1_overview(book: Book) -> Section:
    """Figure 1: every area's overall challenge, largest share first, in the report's sentences."""
    survey = book.survey
    overall = organisation.overall_shares(survey)
    area_table = organisation.areas(survey)
    short = dict(zip(area_table["overall"], area_table["short_label"]))
    section = Section()
    share = book.provenance.of_part
    section.add("k1_fig1_n", f"{fmt_int(overall['n'].min())}–{fmt_int(overall['n'].max())}",
                _published_figure_statistic(book, "1", "n_min"))

    def told(q: str) -> str:
        pct = _marked(fmt_pct(overall.at[q, "pct_top2"]), q in book.assumed)
        return f"{_challenge_phrase(book.labels[q])} ({pct})"

    top = overall.head(3)
    section.add("k1_top3", phrasing.enumerate_da((told(q) for q in top.index), "samt"),
                book.provenance.of_all(top.index, "share_top2"))
    section.add("k1_lowest", told(overall.index[-1]), share(overall.index[-1], "share_top2"))
    section.figures["k1_fig_figur1"] = _likert_chart(book, figures.diverging_bars(
        overall, short, assumed=book.assumed, note=_note(book, overall.index),
        low_is_challenge=book.low_is_challenge, n_text=f"N = {overall['n'].min()}–{overall['n'].max()}"),
        _report_heading(book, overall.index), overall.index)
    section.tables["k1_tab_figur1"] = _likert(overall, short, book,
                                              "Tabel til figur 1: svarfordeling i procent pr. fokusområde",
                                              "kapitel-1-figur-01-fokusomraader")
    return section


def area(book: Book, name: str, forms: int = 3, bullets: int = 3) -> Section:
    """Sections 1.1-1.9: an area's overall challenge, its specific challenges, its need for support
    and the support forms, as parts of the report's sentences (the Markdown holds the rest).

    Glue names (prefix `k1_<area>`): `_punkt_<r>` the r-th largest specific challenge of the area's
    largest sub-figure as a bullet ('at indsamle data ... (67 pct.)') for r = 1..`bullets` (the report
    lists up to three, or none); `_stoette_<r>` the r-th most wanted support form for r = 1..`forms`
    (the report lists two or three); `_vive` VIVE's 2019 share ('15 pct.'). Offered, for the page to
    ask for (Section.offer): `_samlet`, `_behov`, `_behov_mindre` and `_<item>` for each specific
    challenge, each also as `..._start` and `..._af_start` (see _offer_share), and `_antal_under` (how
    many specific challenges, in words).
    """
    survey, form_labels_da = book.survey, book.forms
    area_table = organisation.areas(survey)
    prefix = f"k1_{name}"
    section = Section()
    of = book.provenance.of_part
    # The report compares some areas with VIVE's 2019 survey (another survey and scale).
    published = survey.published
    vive = published[(published["statistic"] == "external")
                     & (published["question"] == area_table.at[name, "overall"])]
    overall_q = area_table.at[name, "overall"]
    overall = likert.shares(survey.responses, [overall_q])
    pct = int(overall.at[overall_q, "pct_top2"])
    _offer_share(section, f"{prefix}_samlet", pct, of(overall_q, "share_top2"))
    if len(vive):
        # 'Til sammenligning angav 15 pct. ...': the share as the report states it, with no judgement.
        section.add(f"{prefix}_vive", fmt_pct(int(vive["value"].iloc[0])), PUBLISHED)

    subs = organisation.sub_item_shares(survey, name)
    if len(subs):
        section.offer(f"{prefix}_antal_under", phrasing.number_word(len(subs)), None)
        items = survey.questions.loc[list(subs.index), "item"]
        for q, pct in subs["pct_top2"].items():
            _offer_share(section, f"{prefix}_{items[q]}", pct, of(q, "share_top2"))
        # The bullets rank the items of one figure (1.7 splits its items over figures 12 and 13).
        figure_of = survey.questions.loc[list(subs.index), "figure"].astype(str)
        listed = figure_of[figure_of == figure_of.value_counts().index[0]].index
        ranked = subs.loc[listed].sort_values("pct_top2", ascending=False, kind="stable")
        bullet_texts = _bullet_labels([book.labels[q] for q in ranked.index])
        # The lead-in a bullet leaves out is shared by all the figure's items, also those not listed.
        for rank, (q, label) in enumerate(zip(ranked.index[:bullets], bullet_texts), start=1):
            pct = _marked(fmt_pct(ranked.at[q, "pct_top2"]), q in book.assumed)
            section.add(f"{prefix}_punkt_{rank}", f"{label} ({pct})", of(q, "share_top2"))
        heading = _report_heading(book, subs.index)
        section.figures[f"{prefix}_fig_subs"] = _likert_chart(book, figures.diverging_bars(
            subs, book.labels, assumed=book.assumed, note=_note(book, subs.index),
            low_is_challenge=book.low_is_challenge, n_text=f"N = {subs['n'].max()}"), heading, subs.index)
        section.tables[f"{prefix}_tab_subs"] = _likert(
            subs, book.labels, book, _table_caption(heading, "svarfordeling i procent"),
            f"kapitel-1-figur-{_figure_stem(survey, subs.index)}-{name}")

    need = area_table.at[name, "need"]
    need_shares = likert.shares(survey.responses, [need])
    _offer_share(section, f"{prefix}_behov", need_shares.at[need, "pct_top2"], of(need, "share_top2"))
    _offer_share(section, f"{prefix}_behov_mindre", need_shares.at[need, "pct_2"], of(need, "share_mindre"))

    counts = organisation.support_counts(survey, name)
    ranked_forms = counts.sort_values(ascending=False, kind="stable")
    questions = organisation.support_questions(survey, name)
    keys = dict(zip(questions["item"], questions["question"]))
    for rank, (form, count) in enumerate(ranked_forms.head(forms).items(), start=1):
        number = _marked(f"{fmt_int(count)} kommuner", keys[form] in book.assumed)
        section.add(f"{prefix}_stoette_{rank}", f"{text.lower_first(form_labels_da[form])} ({number})",
                    of(keys[form], "count"))
    labels = {k: provenance.mark(form_labels_da[k], keys[k], book.assumed) for k in counts.index}
    heading = _report_heading(book, questions["question"])
    section.figures[f"{prefix}_fig_stoette"] = _framed(figures.count_bars(
        counts, labels, n_text=f"N = {counts.sum()} afkrydsninger", highlight=set(ranked_forms.head(3).index)),
        heading, [of(keys[k], "count") for k in counts.index])
    section.tables[f"{prefix}_tab_stoette"] = tables.table_html(
        tables.counts_table(counts, form_labels_da, book.provenance, keys),
        _table_caption(heading, "antal kommuner pr. støtteform"),
        f"kapitel-1-figur-{_figure_stem(survey, questions['question'])}-{name}-stoetteformer",
        source=book.source_da)
    return section


def support_forms_box(book: Book) -> Section:
    """The report's box 2: the support forms and the help text the questionnaire gave for each."""
    forms = book.survey.support_forms
    return Section(tables={"k1_tab_boks2": tables.table_html(
        pd.DataFrame({"Støtteform": forms["label_da"], "Hjælpetekst i spørgeskemaet": forms["help_da"]}),
        "Boks 2: svarkategorier til spørgsmålene om støtteformer", "kapitel-1-boks-2-stoetteformer")})


def support_across_areas(book: Book) -> Section:
    """Section 1.11: which support forms the municipalities ask for, area by area."""
    survey, forms = book.survey, book.forms
    area_table = organisation.areas(survey)
    matrix = organisation.support_matrix(survey)
    means = organisation.support_means(survey)
    section = Section()
    # The report prints the three largest averages (section 1.11) in whole municipalities: so does
    # the book, which makes them the report's numbers (the decimals would be the synthetic data's).
    source = _published_figure_statistic(book, "", "mean_count")
    for rank, (form, mean) in enumerate(means.head(3).items(), start=1):
        # "cirka 38 kommuner" for an average of 37.6, "36 kommuner" for exactly 36, as the report writes.
        about = "" if float(mean).is_integer() else "cirka "
        section.add(f"k1_means_{rank}", f"{forms[form]} ({about}{fmt_int(mean)} kommuner)", source)
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
    section.figures["k1_fig_stoetteformer"] = _framed(
        figures.heatmap(shown, cbar_label="Antal kommuner", marks=marks),
        figure_titles.book_heading("k1_fig_stoetteformer"),
        [book.provenance.of_part(f"org_{a}_stoette_{f}", "count") for a in matrix.index for f in matrix.columns])
    table = (shown.astype(str) + marks).astype(object)  # the heatmap's marks † in its table too
    table.loc["Gennemsnit pr. område"] = [fmt_num(v, 1) for v in matrix.mean()]
    section.tables["k1_tab_stoetteformer"] = tables.table_html(
        table.reset_index(names="Fokusområde"),
        f"Tabel: antal kommuner pr. fokusområde og støtteform ({provenance.ASSUMED_MARK} = antagelse)",
        "kapitel-1-stoetteformer-omraader", source=book.source_da)
    return section


def _interval_text(low: pd.Series, high: pd.Series) -> list[str]:
    return ["–" if pd.isna(lo) else f"{fmt_num(lo, 2)}–{fmt_num(hi, 2)}" for lo, hi in zip(low, high)]


def _p_texts(values: pd.Series) -> list[str]:
    return ["–" if pd.isna(p) else text.fmt_p_significant(p) for p in values.astype(float)]


def _association_first(assoc: pd.DataFrame, significant: int) -> str:
    """1.12's opening sentence, chosen by what the data show (k1_assoc_first_* in the page's sentences)."""
    fitted = assoc[assoc["reason"] == ""]
    positive = int((fitted["odds_ratio"].astype(float) > 1).sum())
    total = len(assoc)
    if significant == total:
        return say("k1_assoc_first_alle", areas=phrasing.number_word(total))
    return say("k1_assoc_first_delvis", positive=phrasing.count_of(positive, total, "områder"),
               significant=phrasing.count_of(significant, total, "områder"))


def association(book: Book) -> Section:
    """Section 1.12: challenges against need for support per area (figure 19 and the tests).

    The nine areas are one declared family: a likelihood-ratio test per area, Bonferroni-adjusted,
    with the simultaneous profile intervals (level 1 - 0.05/9) beside the adjusted p."""
    # Imported here, as calibration is in summary(): scipy.stats and statsmodels take a second to
    # import, and chapters 2 and 4 test nothing.
    from ..analysis import stats

    survey = book.survey
    area_table = organisation.areas(survey)
    short = dict(zip(area_table.index, area_table["short_label"]))
    means = organisation.challenge_need_means(survey)
    assoc = stats.association_table(survey.responses, organisation.association_pairs(survey))
    level = assoc.attrs["simultaneous_level"]
    level_text = f"{fmt_num(100 * level, 1)} pct."
    fitted = assoc["reason"] == ""
    # The report states that the association is significant in all nine areas (appendix 4); how
    # strong it is, is the synthetic data's assumption.
    strength = ASSUMED if book.provenance.synthetic else provenance.DATA
    section = Section()
    section.add("k1_assoc_min_rho", fmt_num(assoc["rho"].min(), 2), strength)
    section.add("k1_assoc_max_rho", fmt_num(assoc["rho"].max(), 2), strength)
    n_sig = int((assoc.loc[fitted, "p_bonferroni"] < 0.05).sum())
    section.add("k1_assoc_first", _association_first(assoc, n_sig), None)
    section.add("k1_assoc_sig_areas", phrasing.count_of(n_sig, len(assoc), "områder"),
                PUBLISHED if book.provenance.synthetic else provenance.DATA)
    section.add("k1_assoc_max_p", text.fmt_p_significant(assoc.loc[fitted, "p_bonferroni"].max())
                if fitted.any() else "–", strength)
    section.add("k1_assoc_level", level_text, None)
    section.add("k1_assoc_family", phrasing.number_word(len(assoc)), None)
    section.add("k1_assoc_alpha", fmt_num(stats.ALPHA, 2), None)
    binary_agrees = int(sum((not lo <= 1 <= hi) == (not blo <= 1 <= bhi) for lo, hi, blo, bhi in zip(
        assoc.loc[fitted, "or_low"], assoc.loc[fitted, "or_high"], assoc.loc[fitted, "binary_low"],
        assoc.loc[fitted, "binary_high"])))
    section.add("k1_assoc_binary", phrasing.count_of(binary_agrees, len(assoc), "områder"), None)
    n_range = f"N = {int(means['n_scale_challenge'].min())}–{int(means['n_scale_challenge'].max())}"
    # The means are the synthetic data's (the report draws them but prints no number): as strength.
    section.figures["k1_fig_figur19"] = _framed(
        figures.mean_dots(means, short, n_text=n_range, assumed=strength == ASSUMED),
        figure_titles.report_heading([19]), [strength])
    section.tables["k1_tab_figur19"] = tables.table_html(pd.DataFrame({
        "Fokusområde": [short[a] for a in means.index],
        "Udfordringer, gennemsnit": [fmt_num(v, 2) for v in means["mean_challenge"]],
        "Udfordringer, svar på skalaen 1–4": means["n_scale_challenge"].astype(int).to_numpy(),
        "Behov for støtte, gennemsnit": [fmt_num(v, 2) for v in means["mean_need"]],
        "Behov for støtte, svar på skalaen 1–4": means["n_scale_need"].astype(int).to_numpy(),
    }), "Tabel til figur 19: gennemsnit (4 = i meget høj grad, 1 = slet ikke)"
        + ("; " + say("k1_tab_figur19_antaget", mark=ASSUMED_MARK) if book.provenance.synthetic else ""),
        "kapitel-1-figur-19-gennemsnit", source=book.source_da)
    section.add("k1_gennemsnit_kilde", say("k1_gennemsnit_kilde_antaget", page=book.page("1.12"))
                if book.provenance.synthetic else say("k1_gennemsnit_kilde_data"), None)
    section.add("k1_assoc_kilde", say("k1_assoc_kilde_antaget", page=book.page("4", "appendix"))
                if strength == ASSUMED else say("k1_assoc_kilde_data"), None)
    shown = assoc[fitted]
    section.figures["k1_fig_forest"] = _framed(figures.odds_ratios(
        pd.DataFrame({"label": [short[a] for a in shown.index], "term": "pr. skalatrin",
                      "odds_ratio": shown["odds_ratio"].astype(float),
                      "or_low": shown["or_low_simultaneous"].astype(float),
                      "or_high": shown["or_high_simultaneous"].astype(float)}),
        xlabel=f"Odds ratio pr. skalatrin med simultant {level_text}-interval "
               "(logaritmisk akse; 1 = ingen sammenhæng)", assumed=strength == ASSUMED),
        figure_titles.book_heading("k1_fig_forest"), [strength])
    mark = f" {ASSUMED_MARK}" if strength == ASSUMED else ""

    def with_interval(value: str, low: str, high: str) -> list[str]:
        columns = zip(*(assoc[c].astype(float) for c in (value, low, high)))
        return ["–" if pd.isna(v) else f"{fmt_num(v, 2)}{mark} ({fmt_num(lo, 2)}–{fmt_num(hi, 2)})"
                for v, lo, hi in columns]

    caption_mark = " " + say("k1_tab_sammenhaeng_antaget", mark=ASSUMED_MARK) if mark else ""
    section.tables["k1_tab_sammenhaeng"] = tables.table_html(tables.with_notes(pd.DataFrame({
        "Fokusområde": [short[a] for a in assoc.index],
        "Svar på skalaen 1–4 (begge spørgsmål)": assoc["n"].to_numpy(),
        "Odds ratio pr. skalatrin (95 pct.-interval)": with_interval("odds_ratio", "or_low", "or_high"),
        "p (likelihood-ratio)": _p_texts(assoc["p_lr"]),
        "p (Bonferroni, ni områder)": _p_texts(assoc["p_bonferroni"]),
        f"Simultant {level_text}-interval": _interval_text(assoc["or_low_simultaneous"],
                                                           assoc["or_high_simultaneous"]),
    }), list(assoc["reason"])), "Tabel: sammenhæng mellem udfordringer og behov for støtte pr. fokusområde, "
        "likelihood-ratio-test med Bonferroni-korrektion" + caption_mark,
        "kapitel-1-sammenhaeng-udfordring-behov", source=book.source_da)
    section.tables["k1_tab_sammenhaeng_styrke"] = tables.table_html(pd.DataFrame({
        "Fokusområde": [short[a] for a in assoc.index],
        "Spearmans rho (95 pct.-interval)": with_interval("rho", "rho_low", "rho_high"),
        "Binær: behov i høj eller meget høj grad, odds ratio (95 pct.-interval)":
            with_interval("binary_or", "binary_low", "binary_high"),
    }), "Tabel: rangkorrelation og rapportens opdeling af behovet (beskrivende og til sammenligning)"
        + caption_mark, "kapitel-1-sammenhaeng-styrke", source=book.source_da)
    return section


# ------------------------------------------------------------------------------------- chapter 2
def _focus_labels(questions) -> dict[str, str]:
    return {q: tg.FOCUS_LABELS_DA[q.rsplit("_", 1)[1]] for q in questions}


def _printed_in(book: Book, questions) -> str:
    """Where the report prints the questions' numbers: 'figur 20 (s. 30) og figur 27 (s. 37)'."""
    shown = book.survey.questions.loc[list(questions), "figure"].astype(str).str.split(";")
    numbers = sorted({int(f) for row in shown for f in row if f.strip().isdigit()})
    return text.join_da(f"figur {n} ({book.figure_page(str(n))})" for n in numbers)


def _synthetic_status(book: Book, questions: list[str]) -> str:
    """Whose the section's shares are, in words: the report's where the book has read them, and where
    the report prints the rest (figure and page) that the book has not read yet; on imported data,
    that all are the data's."""
    if not book.provenance.synthetic:
        return say("k2_status_data")
    unread = [q for q in questions if book.provenance.of_part(q, "share_top2") == ASSUMED]
    told, whole = len(questions) - len(unread), phrasing.number_word(len(questions), neuter=True)
    if not unread:
        return say("k2_status_rapport", whole=whole, where=_printed_in(book, questions))
    where = _printed_in(book, unread)
    if not told:
        status = say("k2_status_antaget", where=where, whole=whole, mark=ASSUMED_MARK)
    else:
        status = say("k2_status_delvis", told=phrasing.number_word(told, neuter=True), whole=whole,
                     rest=phrasing.number_word(len(unread), neuter=True), where=where, mark=ASSUMED_MARK)
    return f"{status} {say('k2_status_indtastning')}"


def ch2_overview(book: Book) -> Section:
    """Figure 20: every target group's overall challenge, in the report's order.

    Glue: `k2_top_<r>` the r-th largest group with its share ('børn og unge med ... (56 pct.)'),
    `k2_antaget_samlet` (which overall shares are assumptions) and `k2_fig20_n`.
    """
    survey = book.survey
    group_table = tg.groups(survey)
    short = dict(zip(group_table["overall"], group_table["short_label"]))
    overall = tg.overall_shares(survey)
    section = Section()
    ranked = overall.sort_values("share_top2", ascending=False, kind="stable")
    for rank, (q, row) in enumerate(ranked.head(3).iterrows(), start=1):
        pct = _marked(fmt_pct(row["pct_top2"]), q in book.assumed)
        section.add(f"k2_top_{rank}", f"{text.lower_first(group_table.at[row['group'], 'label'])} ({pct})",
                    book.provenance.of_part(q, "share_top2"))
    section.add("k2_fig20_n", fmt_int(overall["n"].max()), _published_figure_statistic(book, "20", "n_min"))
    n_assumed = sum(q in book.assumed for q in overall.index)
    section.add("k2_antaget_samlet", say(
        "k2_antaget_samlet_nogle", count=phrasing.number_word(n_assumed), groups=fmt_int(len(overall)),
        mark=ASSUMED_MARK, page=book.figure_page("20")) if n_assumed else say("k2_antaget_samlet_ingen"), None)
    section.figures["k2_fig_figur20"] = _likert_chart(book, figures.diverging_bars(
        overall, short, assumed=book.assumed, note=_note(book, overall.index),
        low_is_challenge=book.low_is_challenge, n_text=f"N = {overall['n'].max()}"),
        figure_titles.report_heading([20]), overall.index)
    section.tables["k2_tab_figur20"] = _likert(overall, short, book,
                                               "Tabel til figur 20: svarfordeling i procent pr. målgruppe",
                                               "kapitel-2-figur-20-maalgrupper")
    return section


def pattern_sentences(counts: pd.Series, n_groups: int, marks: dict[str, bool]) -> str:
    """The summary's account of how often a focus area is among a group's three largest, ranked:
    'X fremgår hyppigst: for 14 ud af 17 målgrupper er det blandt de tre største udfordringer. Den
    næsthyppigste er Y (...), og den tredjehyppigste er Z (...).' Items with the same count share a
    rank; `marks` says which counts are assumptions (†)."""
    levels = sorted({int(v) for v in counts.to_numpy()}, reverse=True)[:3]

    def named(count: int) -> str:
        items = [tg.FOCUS_LABELS_DA[i].lower() for i, v in counts.items() if v == count]
        return phrasing.enumerate_da(items)

    def told(count: int) -> str:
        marked = any(marks[i] for i, v in counts.items() if v == count)
        return say("k2_moenstre_antal", count=_marked(fmt_int(count), marked), groups=fmt_int(n_groups))

    first = levels[0]
    several = int((counts == first).sum()) > 1
    items = phrasing.capitalize(named(first))
    sentences = [say("k2_moenstre_hyppigst_flere", items=items, count=told(first)) if several
                 else say("k2_moenstre_hyppigst", items=items, count=told(first))]
    rest = [say("k2_moenstre_naeste", rank=phrasing.rank_word(rank, "hyppigste"), items=named(c), count=told(c))
            for rank, c in enumerate(levels[1:], start=2)]
    if rest:
        sentences.append(phrasing.capitalize(", og ".join(rest)) + ".")
    return " ".join(sentences)


def ch2_patterns(book: Book) -> Section:
    """The three largest challenges per target group, and how often each focus area is among them.

    Glue: `k2_moenstre` (the summary's account of the counts), `k2_moenstre_rapport` (whether the
    report's counts agree), `k2_n_groups`, the heat map and three tables. Offered (Section.offer):
    `k2_count_<focus area>`, in how many groups it is among the three largest."""
    survey = book.survey
    group_table = tg.groups(survey)
    matrix = tg.share_matrix(survey)
    top = tg.three_largest(tg.long_shares(survey))
    counts = tg.pattern_counts(tg.long_shares(survey))
    published = book.survey.published
    stated = published[published["statistic"] == "pattern_count"].set_index("question")["value"]
    section = Section()
    for item in tg.FOCUS_ITEMS:
        source = (PUBLISHED if item in stated.index else ASSUMED) if book.provenance.synthetic else provenance.DATA
        section.offer(f"k2_count_{item}", fmt_int(counts[item]), source)
    section.add("k2_n_groups", fmt_int(len(matrix)), None)
    marks_of = {i: section.values[f"k2_count_{i}"][1] == ASSUMED for i in counts.index}
    shown_levels = sorted(set(counts.to_numpy()), reverse=True)[:3]
    shown_assumed = any(marks_of[i] for i, v in counts.items() if v in shown_levels)
    section.add("k2_moenstre", pattern_sentences(counts, len(matrix), marks_of),
                ASSUMED if shown_assumed else _derived(book))
    # The summary's counts (tidlig 14, vaekst 9, tilbud 8): does the dataset give the same?
    same = all(int(counts[i]) == int(v) for i, v in stated.items())
    told = phrasing.enumerate_da(f"{tg.FOCUS_LABELS_DA[i].lower()} {fmt_int(v)}" for i, v in stated.items())
    section.add("k2_moenstre_rapport", say("k2_moenstre_rapport_samme") if same else
                say("k2_moenstre_rapport_andre", counts=told), _derived(book) if same else PUBLISHED)
    rows = dict(zip(group_table.index, group_table["short_label"]))
    marks = pd.DataFrame([[f" {provenance.ASSUMED_MARK}" if f"mg_{g}_{i}" in book.assumed else ""
                           for i in tg.FOCUS_ITEMS] for g in matrix.index],
                         index=matrix.index, columns=matrix.columns)
    shown = matrix.rename(index=rows, columns=tg.FOCUS_LABELS_DA)
    section.figures["k2_fig_varmekort"] = _framed(figures.heatmap(
        shown, cbar_label="Pct. i høj eller meget høj grad",
        marks=marks.rename(index=rows, columns=tg.FOCUS_LABELS_DA)),
        figure_titles.book_heading("k2_fig_varmekort"),
        [book.provenance.of_part(f"mg_{g}_{i}", "share_top2") for g in matrix.index for i in tg.FOCUS_ITEMS])
    table = shown.astype(object)
    for g, label in rows.items():
        for i, name in tg.FOCUS_LABELS_DA.items():
            table.loc[label, name] = f"{matrix.loc[g, i]}{marks.loc[g, i]}"
    section.tables["k2_tab_varmekort"] = tables.table_html(
        table.reset_index(names="Målgruppe"),
        f"Tabel: pct. i høj eller meget høj grad pr. målgruppe og fokusområde ({ASSUMED_MARK} = antagelse)",
        "kapitel-2-varmekort-maalgrupper-fokusomraader", source=book.source_da)
    cell = marks.stack()
    largest = (top.assign(text=[f"{tg.FOCUS_LABELS_DA[i]} ({p}{cell[(g, i)]})"
                                for g, i, p in zip(top["group"], top["item"], top["pct"])])
               .groupby("group", sort=False)["text"].apply("; ".join))
    section.tables["k2_tab_tre_stoerste"] = tables.table_html(pd.DataFrame({
        "Målgruppe": [rows[g] for g in largest.index],
        "De tre største udfordringer (pct.)": largest.to_numpy()}),
        f"Tabel: de tre største udfordringer pr. målgruppe ({ASSUMED_MARK} = antagelse)", "kapitel-2-tre-stoerste",
        source=book.source_da)
    section.tables["k2_tab_moenstre"] = tables.table_html(pd.DataFrame({
        "Fokusområde": [tg.FOCUS_LABELS_DA[i] for i in counts.index],
        "Antal målgrupper": [_marked(fmt_int(v), section.values[f"k2_count_{i}"][1] == ASSUMED)
                             for i, v in counts.items()]}),
        "Tabel: antal målgrupper, hvor fokusområdet er blandt de tre største", "kapitel-2-moenstre",
        source=book.source_da)
    return section


def target_group(book: Book, group: str, bullets: int = 3) -> Section:
    """Sections 2.1-2.17: one target group's overall challenge and its eight focus areas, in the
    report's sentences where its numbers are the report's, and in the synthetic data's voice where
    they are assumptions.

    Glue (prefix `k2_<group>`): `_aabning` the opening sentence (share, figure 20, and the group's
    rank among the 17 when it is among the three largest or smallest); `_punkter_intro` the lead-in of
    the bullet list and `_punkt_<r>` its r-th item for r = 1..`bullets` (the report lists two or
    three, and none where its sentences name the largest, 2.1); `_status` which numbers are the
    report's (the item N is on the chart). Offered, for the page to ask for (Section.offer): `_nr<r>` /
    `_nr<r>_andel` (in the forms of _offer_share) the r-th largest focus area and its share, r = 1..3,
    for sentences.
    """
    survey = book.survey
    group_table = tg.groups(survey)
    focus = tg.focus_shares(survey, group)
    prefix = f"k2_{group}"
    of = book.provenance.of_part
    labels = _focus_labels(focus.index)
    overall_q = group_table.at[group, "overall"]
    heading = _report_heading(book, focus.index)
    section = Section(
        figures={f"{prefix}_fig": _likert_chart(book, figures.diverging_bars(
            focus, tg.FOCUS_LABELS_DA | labels, assumed=book.assumed, note=_note(book, focus.index),
            low_is_challenge=book.low_is_challenge, n_text=f"N = {focus['n'].min()}–{focus['n'].max()}"),
            heading, focus.index)},
        tables={f"{prefix}_tab": _likert(focus, labels, book,
                                         _table_caption(heading, "svarfordeling i procent pr. fokusområde"),
                                         f"kapitel-2-figur-{_figure_stem(survey, focus.index)}-{group}")})

    overall = tg.overall_shares(survey)
    pct = int(overall.at[overall_q, "pct_top2"])
    who = text.lower_first(group_table.at[group, "label"])
    source = of(overall_q, "share_top2")
    # Among the three largest or smallest of the 17: say so, as the report does ("den største",
    # "færrest"); a share tied with another's is "en af de tre ...".
    others = overall.drop(index=overall_q)["pct_top2"].astype(int)
    larger, smaller, tied = int((others > pct).sum()), int((others < pct).sum()), int((others == pct).sum())
    groups = fmt_int(len(overall))
    rank = ""
    for before, word in ((larger, "største"), (smaller, "laveste")):
        if rank or before + tied >= 3:
            continue
        rank = " " + (say("k2_aabning_rang", rank=phrasing.rank_word(before + 1, word), groups=groups) if not tied
                      else say("k2_aabning_rang_delt", count=phrasing.number_word(before + tied + 1),
                               superlative=word, groups=groups))
    if source == ASSUMED:
        opening = say("k2_aabning_antaget", who=who, page=book.figure_page("20"),
                      share=_marked(phrasing.share_words(pct), True), rank=rank)
    else:
        opening = say("k2_aabning_rapport", share=phrasing.capitalize(phrasing.share_words(pct)), who=who,
                      rank=rank)
    section.add(f"{prefix}_aabning", opening, source)

    # The focus areas, largest first (ties in the questionnaire's order, as the report lists 2.5).
    ranked = focus.sort_values("pct_top2", ascending=False, kind="stable")
    texts = {q: text.lower_first(book.labels[q]) for q in ranked.index}
    for r, q in enumerate(ranked.index[:3], start=1):
        section.offer(f"{prefix}_nr{r}", texts[q], None)
        _offer_share(section, f"{prefix}_nr{r}_andel", ranked.at[q, "pct_top2"], of(q, "share_top2"))
    listed = list(ranked.index[:bullets])
    for r, q in enumerate(listed, start=1):
        share = _marked(fmt_pct(ranked.at[q, "pct_top2"]), q in book.assumed)
        section.add(f"{prefix}_punkt_{r}", f"{texts[q]} ({share})", of(q, "share_top2"))
    if listed:
        if book.provenance.of_all(listed, "share_top2") == ASSUMED:
            intro = say("k2_punkter_intro_antaget", count=phrasing.number_word(len(listed)))
        else:
            intro = say("k2_punkter_intro_rapport")
        # No number of its own: the bullets carry the shares and their marks.
        section.add(f"{prefix}_punkter_intro", intro, None)
    section.add(f"{prefix}_status", _synthetic_status(book, [overall_q, *focus.index]), None)
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
    # VIVE found a growing target group to be the main challenge: does this survey point the same way?
    focus = tg.focus_shares(book.survey, "autisme")
    first = focus["pct_top2"].astype(int).idxmax()
    growth = "mg_autisme_vaekst"
    section.add("k2_vive_vaekst", say("k2_vive_vaekst_samme") if first == growth else say("k2_vive_vaekst_anden"),
                book.provenance.of_part(growth, "share_top2"))
    return section


# ------------------------------------------------------------------------------------- chapter 4
def theme(book: Book, name: str) -> Section:
    """Sections 4.1, 4.4 and 4.6: the items of a current theme the report's summary names.

    Glue (prefix `k4_<theme>`): `_n` (the most answers to an item), the chart `_fig` and its table
    `_tab`. Offered, for the page to ask for (Section.offer), the theme told in one of two ways: `_count`
    (how many items, in words) with `_items` (each item with its share, largest first), or `_range`
    (the shares alone, largest first)."""
    shares = themes.theme_shares(book.survey, name)
    # A theme asked positively ("har tilstrækkelig viden") is reported as the share "i mindre grad".
    low = set(shares.index) <= book.low_is_challenge
    column, part = ("pct_2", "share_mindre") if low else ("pct_top2", "share_top2")
    prefix = f"k4_{name}"
    section = Section(
        figures={f"{prefix}_fig": _likert_chart(book, figures.diverging_bars(
            shares, book.labels, assumed=book.assumed, note=_note(book, shares.index),
            low_is_challenge=book.low_is_challenge, n_text=f"N = {shares['n'].max()}" + (
                f" {ASSUMED_MARK}" if book.provenance.of_all(shares.index, "n") == ASSUMED else "")),
            figure_titles.book_heading(f"{prefix}_fig"), shares.index)},
        tables={f"{prefix}_tab": _likert(shares, book.labels, book,
                                         _table_caption(figure_titles.book_heading(f"{prefix}_fig"),
                                                        "svarfordeling i procent"),
                                         f"kapitel-4-tema-{name}")})
    section.offer(f"{prefix}_count", text.count_da(len(shares)), None)
    # Each share with its question, largest first, as the summary states them.
    section.offer(f"{prefix}_range", text.join_da(fmt_pct(p) for p in sorted(set(shares[column]), reverse=True)),
                book.provenance.of_all(shares.index, part))
    ranked = shares.sort_values(column, ascending=False, kind="stable")
    section.offer(f"{prefix}_items", text.list_with_pcts(
        (book.labels[q], ranked.at[q, column], book.provenance.of_part(q, part) == ASSUMED) for q in ranked.index),
        book.provenance.of_all(shares.index, part))
    section.add(f"{prefix}_n", fmt_int(shares["n"].max()), book.provenance.of_all(shares.index, "n"))
    return section


# ----------------------------------------------------------------------------------- the summary
SUMMARY_SECTION = "Sammenfatning"


def summary(book: Book) -> Section:
    """The report's summary, number by number: every share it names recomputed from the data.

    Glue names: `sam_<question>` for a share (the summary's statistic for that question), and
    `sam_<what>` for the rest. Where the summary prints another number than the chapter (the
    report contradicts itself), `sam_<question>_trykt` holds the summary's own figure and
    `sam_<question>_afsnit` the chapter's.
    """
    from ..analysis import likert as likert_

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
        if row.conflicts_with:  # the summary prints another number than the chapter: both are the report's
            section.add(f"sam_{row.question}_trykt", fmt_pct(row.value), PUBLISHED)
            chapter = survey.published.loc[survey.published["id"] == row.conflicts_with, "value"]
            section.add(f"sam_{row.question}_afsnit", fmt_pct(chapter.iloc[0]), PUBLISHED)

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

    forms = book.forms
    top = organisation.support_means(survey).head(3)
    section.add("sam_stoetteformer", text.join_da(text.lower_first(forms[k]) for k in top.index),
                _published_figure_statistic(book, "", "mean_count"))

    headline = shares.loc[[q for q in rows["question"].drop_duplicates()
                           if rows.loc[rows["question"] == q, "statistic"].iloc[0] == "share_top2"]]
    labels = {q: labels_da.question_label(survey, q) for q in headline.index}
    ordered = headline.sort_values("share_top2", ascending=True, kind="stable")
    section.figures["sam_fig_overblik"] = _framed(figures.count_bars(
        ordered["pct_top2"].astype(int),
        {q: provenance.mark(labels[q], q, book.assumed) for q in ordered.index},
        xlabel="Procent af kommunerne i høj eller meget høj grad"), figure_titles.book_heading("sam_fig_overblik"),
        [book.provenance.of_part(q, "share_top2") for q in ordered.index])
    overview = pd.DataFrame({
        "Spørgsmål": [labels[q] for q in ordered.index[::-1]],
        "N": ordered["n"].astype(int).to_numpy()[::-1],
        "I høj eller meget høj grad (pct.)": ordered["pct_top2"].astype(int).to_numpy()[::-1],
        "95 pct.-interval": [tables.interval_text(k, n)
                             for k, n in zip(ordered["k_top2"][::-1], ordered["n"][::-1])],
    })
    if book.provenance.synthetic:  # the shares are the summary's; N and the interval often are not
        overview[provenance.PROVENANCE_COLUMN] = [book.provenance.from_report_da(q, ("share_top2", "n"))
                                                  for q in ordered.index[::-1]]
    section.tables["sam_tab_overblik"] = tables.table_html(
        overview, "Tabel: andelene, sammenfatningen nævner", "sammenfatning-overblik", source=book.source_da)
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
    # Counts up to twelve are words in running text ("seks aktuelle temaer").
    section.add("k4_n_themes", text.count_da(len(topics)), None)
    section.add("k4_n_themes_asked", text.count_da(len(asked)), None)
    section.add("k4_n_items", text.count_da(len(items)), None)
    # Where the report prints each theme (its table of contents), also for the themes the book has not read.
    for topic, ref in zip(topics["topic"], topics["section"]):
        section.add(f"k4_{topic}_side", book.page(ref), None)
    section.add("k4_opsamling_side", book.page("4.7"), None)
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


# ---------------------------------------------------------------------------------- the data page
COVERAGE_SHARE, COVERAGE_MEDIAN = "Andel af befolkningen (pct.)", "Median folketal (hele tusinder)"


def participation_coverage(book: Book) -> Section:
    """The data page's comparison of the participants with all municipalities (analysis.participation):
    `d_cover_sentence`, and the table `d_tab_cover`, whose participants' figures say »vises ikke« where
    the register could name a municipality that did not take part."""
    from ..analysis.participation import coverage
    from .over_time import population_date  # imported here: over_time builds on this module

    survey = book.survey
    cover = coverage(survey, number=text.count_da)
    # Which municipalities did not answer is an assumption of the synthetic data; on real data it is data.
    assumed = book.provenance.synthetic
    rows = cover.table.set_index("Kommuner")
    section = Section()
    if cover.reason:
        section.add("d_cover_sentence", say("d_cover_sentence_skjult", reason=cover.reason), DERIVED)
    else:
        participants = rows.loc["Deltagende kommuner"]
        told = say("d_cover_sentence_tal", share=_marked(fmt_pct(participants[COVERAGE_SHARE]), assumed),
                   median=_marked(fmt_int(participants[COVERAGE_MEDIAN]), assumed),
                   median_all=fmt_int(rows.at["Alle kommuner", COVERAGE_MEDIAN]))
        section.add("d_cover_sentence", told, ASSUMED if assumed else provenance.DATA)
    shown = cover.table.copy()
    for column in (COVERAGE_SHARE, COVERAGE_MEDIAN):
        shown[column] = [fmt_int(v) if pd.notna(v) else "vises ikke" for v in shown[column]]
    caption = (f"Deltagende kommuner og alle {fmt_int(len(survey.register))} kommuner (folketal "
               f"{population_date(survey)})")
    if assumed:
        caption += "; " + say("d_tab_cover_antaget", mark=ASSUMED_MARK)
    section.tables["d_tab_cover"] = tables.table_html(shown, caption, "data-deltagelse-folketal",
                                                      source=book.source_da)
    return section


# ------------------------------------------------------------------------- the verification page
def orders_and_directions(book: Book) -> Section:
    """The report's orders and the summary's size pattern, checked against the dataset: on the synthetic
    dataset true by construction, so they are shown on the verification page, not in the chapters.

    Glue: `v_order_areas` ('den samme som'), `v_order_groups` ('den samme rækkefølge som'),
    `v_size_as_stated` ('tre af tre') and `v_size_n_sig` ('ingen')."""
    # Imported here: the ordinal models need scipy, which the chapters that glue no test do not.
    import numpy as np

    from ..analysis import stats, variation

    survey = book.survey
    section = Section()
    overall = organisation.overall_shares(survey)
    same = list(overall["topic"]) == list(organisation.areas(survey).index)
    section.add("v_order_areas", say("v_order_areas_samme") if same else say("v_order_areas_anden"),
                _derived(book))
    groups = tg.overall_shares(survey)
    order = tg.figure20_order(groups.rename(columns={"pct_top2": "pct"})[["group", "pct"]])
    same = order == list(tg.groups(survey).index)
    section.add("v_order_groups", say("v_order_groups_samme") if same else say("v_order_groups_anden"),
                _derived(book))
    # The report's three size statements as chapter 3 tests them: one family, Bonferroni-adjusted.
    statements = variation.confirmatory(survey, {q: q for q in variation.CONFIRMATORY},
                                        variation.size_factor(survey.register))
    fitted = statements[statements["reason"] == ""]
    as_stated = int((fitted["direction"] * np.log(fitted["odds_ratio"]) > 0).sum())
    section.add("v_size_as_stated", phrasing.count_of(as_stated, len(variation.CONFIRMATORY)), None)
    section.add("v_size_n_sig", text.count_da(int((fitted["p_bonferroni"] < stats.ALPHA).sum())), None)
    return section
