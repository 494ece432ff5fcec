"""Every chart of the book as a reader sees it in the content column (figures.DISPLAY_WIDTH_PX):
no wider than the column, text at least figures.MIN_FONT_PT there, no two texts on top of each
other, saved as SVG with its text kept as text."""
import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from chart_layout import layout_problems  # noqa: E402

from municipal_survey.analysis import likert  # noqa: E402
from municipal_survey.report import figures  # noqa: E402


# ------------------------------------------------------------------------------ the checks themselves
def test_the_checks_find_overlapping_small_and_too_wide_text():
    fig, ax = plt.subplots(figsize=(12, 3))
    ax.text(0.5, 0.5, "1000", fontsize=7)
    ax.text(0.52, 0.5, "0", fontsize=12)
    problems = layout_problems(fig)
    assert any("wide" in p for p in problems)
    assert any("'1000' at" in p for p in problems)
    assert any("'1000' overlaps '0'" in p for p in problems)
    plt.close(fig)


# --------------------------------------------------------------------------------------- unit charts
@pytest.fixture()
def shares() -> pd.DataFrame:
    """Two questions with "ved ikke" but no "ikke relevant" and no "slet ikke", shares near 100."""
    answers = {"a": [4] * 18 + [3] * 1 + [8], "b": [3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 8, 8]}
    frame = pd.DataFrame([{"wave": 2020, "municipality": f"{100 + i:03d}", "question": q, "answer": v}
                          for q, values in answers.items() for i, v in enumerate(values)])
    return likert.shares(frame, ["a", "b"])


def test_main_axis_and_side_panel_labels_do_not_run_together(shares):
    """The "100" at the end of the main axis and the side panel's "0" once read as "1000"."""
    fig = figures.diverging_bars(shares, {"a": "Et langt spørgsmål om noget, der fylder to linjer", "b": "B"},
                                 assumed={"a"}, n_text="N = 12–20", note="Fed: andelen med udfordringen.")
    assert layout_problems(fig) == []
    plt.close(fig)


def test_legend_on_top_lists_only_the_answers_drawn(shares):
    fig = figures.diverging_bars(shares, {})
    legend = fig.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["I mindre grad", "I høj grad", "I meget høj grad"]
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    assert legend.get_window_extent(renderer).y0 >= max(ax.get_window_extent(renderer).y1 for ax in fig.axes)
    plt.close(fig)


def test_ved_ikke_and_ikke_relevant_are_one_bar_with_its_number(shares):
    fig = figures.diverging_bars(shares, {})
    drawn = figures.drawn_bars(fig)
    for q in shares.index:
        assert drawn[f"{q}:8+9"] == pytest.approx(shares.at[q, "pct_8"] + shares.at[q, "pct_9"])
    aside = fig.axes[1]
    assert aside.get_xticklabels() == [] or not any(t.get_text() for t in aside.get_xticklabels())
    numbers = sorted(t.get_text() for t in aside.texts)
    assert numbers == sorted(str(int(shares.at[q, "pct_8"] + shares.at[q, "pct_9"])) for q in shares.index)
    plt.close(fig)


def test_no_side_panel_when_nobody_answered_ved_ikke_or_ikke_relevant(shares):
    table = shares.assign(pct_8=0, pct_9=0)
    fig = figures.diverging_bars(table, {})
    assert len(fig.axes) == 1
    plt.close(fig)


def test_a_mark_is_never_alone_on_a_wrapped_line():
    label = "x" * 29 + " †"  # textwrap.fill(label, 30) puts † on a line of its own
    assert "\n†" in __import__("textwrap").fill(label, 30)
    assert figures.wrap(label, 30) == label  # kept with its word (the line may run over)
    assert figures.wrap("Et " + "y" * 28 + " ↔ †", 30).splitlines()[-1] == "y" * 28 + " ↔ †"


def test_support_forms_use_neutral_colours_a_legend_and_hatch_assumed_bars():
    counts = pd.Series({"a": 50, "b": 40, "c": 30, "d": 20})
    fig = figures.count_bars(counts, {"a": "A", "b": "B †", "c": "C", "d": "D †"}, highlight={"a", "b", "c"})
    bars = {p.get_gid().split(":")[0]: p for p in fig.axes[0].patches if p.get_gid()}
    from matplotlib.colors import to_hex

    colours = {k: to_hex(p.get_facecolor()) for k, p in bars.items()}
    assert colours == {"a": figures.NEUTRAL_HIGHLIGHT, "b": figures.NEUTRAL_HIGHLIGHT,
                       "c": figures.NEUTRAL_HIGHLIGHT, "d": figures.NEUTRAL}
    assert not set(colours.values()) & set(figures.COLOURS.values())  # not the answer scale's colours
    assert {k for k, p in bars.items() if p.get_hatch()} == {"b", "d"}  # assumed: hatched, whatever the colour
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["De tre hyppigste", "† antaget (ikke et tal fra rapporten)"]
    assert layout_problems(fig) == []
    plt.close(fig)


def test_saved_as_svg_with_text_as_text(shares):
    fig = figures.diverging_bars(shares, {"a": "Spørgsmål A"})
    buffer = io.BytesIO()
    fig.savefig(buffer, **figures.SAVE_KWARGS)
    svg = buffer.getvalue().decode("utf-8")
    assert "Spørgsmål A" in svg  # a text element, not glyph outlines
    assert "<dc:date>" not in svg  # re-executing gives the same file
    plt.close(fig)


def test_chapter_3_charts_fit_with_long_titles_and_five_groups():
    groups = ["Region Hovedstaden", "Region Sjælland", "Region Syddanmark", "Region Midtjylland",
              "Region Nordjylland"]
    labels = ["Kvalitet i indsats og metode", "Samarbejde på tværs af fagområder i kommunen", "Tilbudsvifte"]
    cells = pd.DataFrame([{"label": label, "group": g, "n": 20, "share": 40 + 5 * j, "suppressed": j == 4}
                          for label in labels for j, g in enumerate(groups)])
    title = "Udfordringer efter socioøkonomisk indeks (syntetisk stand-in) – ikke ministeriets tal"
    fig = figures.group_shares(cells, title=title)
    assert layout_problems(fig) == []
    plt.close(fig)
    models = pd.DataFrame([{"label": label, "term": g, "odds_ratio": 1.2, "or_low": 0.4, "or_high": 3.1}
                           for label in labels for g in groups[1:]])
    fig = figures.odds_ratios(models, title=title, first_style=1,
                              xlabel="Odds ratio pr. standardafvigelse af indekset (logaritmisk akse)")
    assert layout_problems(fig) == []
    plt.close(fig)


# ---------------------------------------------------------------------------------- the book's charts
# Drawing every chart of the book takes most of these tests' CPU: `make test` does it once for the layout
# and the provenance checks (the session fixture book_charts; marker book, beside the main build, as it
# reads none of it); `make check` keeps the unit charts above.
def test_the_charts_checked_are_every_charted_section_the_pages_call(book_helpers):
    from municipal_survey.build import pages
    from municipal_survey.report import registry

    book, helpers = book_helpers
    called = [call for page in pages.page_paths() for call in pages.section_calls(page)]
    assert sorted(map(str, helpers)) == sorted(str(c) for c in called if c.helper not in registry.DRAWLESS)
    assert len(helpers) > len(registry.page_sections(book.survey))  # a section per area, group and theme


@pytest.mark.book
@pytest.mark.scratch
def test_every_book_chart_fits_the_column_with_readable_text_and_no_lone_mark(book_helpers, book_charts):
    _, helpers = book_helpers
    _, charts, _ = book_charts
    assert {str(h) for h in helpers} <= {chart.call for chart in charts.values()}  # every helper draws a chart
    assert {name: chart.problems for name, chart in charts.items() if chart.problems} == {}
    assert {name: chart.lone_marks for name, chart in charts.items() if chart.lone_marks} == {}


def test_the_data_pages_response_chart_fits_and_draws_every_n():
    n = pd.Series([92, 92, 90, 88, 85, 83, 81])
    fig = figures.responses_per_question(n, participants=95)
    assert layout_problems(fig) == []
    [line] = [ln for ln in fig.axes[0].lines if ln.get_gid() == "responses:n"]
    assert list(line.get_ydata()) == [92, 92, 90, 88, 85, 83, 81]
    assert fig.axes[0].get_ylim()[1] > 95  # the participants' line is inside the chart
    plt.close(fig)
