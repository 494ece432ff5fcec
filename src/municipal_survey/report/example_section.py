"""The template page's section (notebooks/skabelon_ny_analyse.md): the pattern a new page copies.

A page's numbers, figures and tables are made here, in the package, as one `sections.Section`; the
page's notebook calls `example_section.section(book).glue()` in a hidden cell and its Markdown holds
the sentences with {glue:text}`skabelon_…`, {glue:figure}`skabelon_fig` and {glue}`skabelon_tab…`.
Danish text the helper writes itself (a sentence whose wording depends on the data, a caption that
says what the numbers are) is not written here: it is a template in the page's sentence file,
notebooks/_sentences/skabelon_ny_analyse.yml, filled in with `say("<key>", <field>=...)`.
Every glue name and sentence key starts with the page's prefix (`skabelon_`) and every download name
with the page's download prefix (`skabelon-`).
"""
from __future__ import annotations

from ..analysis import likert, variation
from ..analysis.disclosure import MIN_COUNT, ROWS_ADD_UP
from ..data.codebook import figure_questions
from . import figures, tables
from .sections import Book, Section
from .sentences import say
from .text import count_da, fmt_int, fmt_pct, lower_first

QUESTION = "org_tidlig_samlet"  # the area's overall question
FIGURE = 15  # the report's figure of the area's sub-questions
SHORT_LABEL = "Tidlig og forebyggende indsats samlet set"


def section(book: Book) -> Section:
    """Glue names: skabelon_andel, _n, _mindre (shares of the overall question), _top_opgave and
    _top_andel (the sub-question most municipalities find a challenge), _graense (the disclosure
    threshold); figure skabelon_fig with its table skabelon_tab; the breakdown by region
    skabelon_tab_region."""
    survey = book.survey
    items = figure_questions(survey.codebook, FIGURE)["question"].tolist()
    short = {**book.labels, QUESTION: SHORT_LABEL}
    of = book.provenance.of_part
    shares = likert.shares(survey.responses, [QUESTION, *items])
    row = shares.loc[QUESTION]
    top_item = shares.loc[items, "share_top2"].astype(float).idxmax()
    result = Section()
    result.add("skabelon_andel", fmt_pct(row["pct_top2"]), of(QUESTION, "share_top2"))
    result.add("skabelon_n", fmt_int(row["n"]), None)
    result.add("skabelon_mindre", fmt_pct(row["pct_2"] + row["pct_1"]), of(QUESTION, "share_slet_ikke"))
    label = book.labels[top_item]
    result.add("skabelon_top_opgave", lower_first(label), None)
    result.add("skabelon_top_andel", fmt_pct(shares.at[top_item, "pct_top2"]), of(top_item, "share_top2"))
    result.add("skabelon_graense", count_da(MIN_COUNT), None)
    result.figures["skabelon_fig"] = figures.diverging_bars(
        shares, short, assumed=book.assumed, n_text=f"N = {shares['n'].min()}–{shares['n'].max()}")
    result.tables["skabelon_tab"] = tables.table_html(
        tables.likert_table(shares, short, book.provenance), "Tabel til figuren: svarfordeling i procent",
        "skabelon-figur", source=book.source_da)
    # Every breakdown passes the disclosure rule inside variation.breakdown: a region too small for the
    # rule is merged with a neighbour, and a cell that could tell the answers of too few municipalities
    # shows the mark, as does a partner that would give it away.
    split = variation.breakdown(survey, {SHORT_LABEL: QUESTION}, variation.grouping(survey.register, "region"))
    # The caption says in words what the shares are: text, so a template in the page's sentence file.
    result.tables["skabelon_tab_region"] = tables.table_html(
        tables.shares_wide(variation.group_shares(split)),
        say("skabelon_tab_region", area=lower_first(SHORT_LABEL)), "skabelon-region",
        classes=f"breakdown {ROWS_ADD_UP}", source=book.source_da)
    return result
