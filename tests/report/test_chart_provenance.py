"""Every chart says, inside its image, which figure it is and where its numbers come from, and draws the
numbers that are assumptions so that they look assumed: a chart pasted into a slide keeps its provenance."""
import csv
import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from project_root import ROOT

from municipal_survey.analysis import likert  # noqa: E402
from municipal_survey.report import figure_titles, figures, tables  # noqa: E402
from municipal_survey.synthetic.provenance import ASSUMED, DATA, DERIVED, PUBLISHED, Provenance  # noqa: E402

REPORT_SOURCE = "Socialstyrelsen (2021)"
STAMP = "Syntetiske tal – ikke rapportens"
# ColorBrewer's PuOr (11 classes, as published by colorbrewer2.org) and the greys the book uses.
PUOR_11 = {"#7f3b08", "#b35806", "#e08214", "#fdb863", "#fee0b6", "#f7f7f7", "#d8daeb", "#b2abd2", "#8073ac",
           "#542788", "#2d004b", "#f1a340", "#998ec3"}  # the last two: PuOr's 5- and 7-class mid tones


def svg_text(fig) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, **figures.SAVE_KWARGS)
    plt.close(fig)
    return buffer.getvalue()


def shares_of(answers: dict[str, list[int]]) -> pd.DataFrame:
    frame = pd.DataFrame([{"wave": 2020, "municipality": f"{100 + i:03d}", "question": q, "answer": v}
                          for q, values in answers.items() for i, v in enumerate(values)])
    return likert.shares(frame, list(answers))


# ------------------------------------------------------------------------------- heading and source
def test_source_line_says_only_what_is_true_of_the_charts_numbers():
    report_only = figure_titles.source_line(figure_titles.source_kind([PUBLISHED, DERIVED]))
    mixed = figure_titles.source_line(figure_titles.source_kind([PUBLISHED, ASSUMED]))
    synthetic = figure_titles.source_line(figure_titles.source_kind([ASSUMED]))
    imported = figure_titles.source_line(figure_titles.source_kind([DATA]))
    assert report_only.startswith(f"Kilde: {REPORT_SOURCE}") and "syntetisk" not in report_only.lower()
    assert mixed.startswith(f"Kilde: {REPORT_SOURCE}")
    assert mixed.endswith("bogens syntetiske datasæt, hvor markeret †.")
    assert STAMP in synthetic and REPORT_SOURCE not in synthetic
    assert "syntetisk" not in imported.lower() and "importerede" in imported


def test_headings_carry_the_reports_numbers_and_titles_or_the_books_own_series():
    assert figure_titles.report_heading([12, 13]) == (
        "Figur 12 og 13. Udfordringer med koordinering mellem lovgivninger; Udfordringer med koordinering og "
        "samarbejde på tværs af fagområder i kommunen")
    assert figure_titles.report_heading([27], {27: "Børn og unge med problematisk forbrug af rusmidler"}) == (
        "Figur 27. Udfordringer i arbejdet med børn og unge med problematisk forbrug af rusmidler")
    assert figure_titles.book_heading("k1_fig_stoetteformer").startswith("Figur B2 (afsnit 1.11). ")
    with pytest.raises(KeyError, match="figure 40"):
        figure_titles.report_heading([40])


def test_the_saved_svg_carries_heading_and_source_and_the_plot_keeps_its_height():
    shares = shares_of({"a": [4, 3, 3, 2, 1, 8]})
    plain = figures.diverging_bars(shares, {"a": "Spørgsmål A"}, note="Fed: andelen.")
    framed = figures.diverging_bars(shares, {"a": "Spørgsmål A"}, note="Fed: andelen.")
    figures.frame(framed, "Figur 7. Udfordringer i sagsbehandling", "Kilde: Socialstyrelsen (2021).")
    for fig in (plain, framed):
        fig.draw_without_rendering()
    height = [fig.axes[0].get_window_extent().height for fig in (plain, framed)]
    assert height[1] >= 0.97 * height[0]  # the figure grows by the heading and source: the plot does not shrink
    text = svg_text(framed)
    assert "Figur 7. Udfordringer i sagsbehandling" in text
    assert "Kilde: Socialstyrelsen (2021)." in text and "Fed: andelen." in text
    assert "Figur" not in svg_text(plain) and "Kilde" not in svg_text(plain)


# ------------------------------------------------------------------------------------ assumed style
def test_bars_of_assumed_rows_are_hatched_and_the_legend_says_so():
    shares = shares_of({"a": [4, 3, 2, 1, 8], "b": [4, 4, 3, 2, 1]})
    fig = figures.diverging_bars(shares, {"a": "A", "b": "B"}, assumed={"b"})
    hatched = {p.get_gid().split(":")[0] for ax in fig.axes for p in ax.patches if p.get_gid() and p.get_hatch()}
    plain = {p.get_gid().split(":")[0] for ax in fig.axes for p in ax.patches if p.get_gid() and not p.get_hatch()}
    assert hatched == {"b"} and plain == {"a"}
    assert "† antaget" in [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    plt.close(fig)
    fig = figures.diverging_bars(shares, {"a": "A", "b": "B"})
    assert "† antaget" not in [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    plt.close(fig)


def test_heatmap_colours_only_published_cells_and_hatches_the_assumed():
    matrix = pd.DataFrame([[10, 20, 30], [40, 50, 60]], index=["r1", "r2"], columns=["c1", "c2", "c3"])
    marks = pd.DataFrame([["", " †", ""], [" †", " †", ""]], index=matrix.index, columns=matrix.columns)
    fig = figures.heatmap(matrix, marks=marks)
    ax = fig.axes[0]
    colours = ax.collections[0].get_array()
    coloured = ~np.ma.getmaskarray(colours).reshape(matrix.shape)
    assert coloured.tolist() == [[True, False, True], [False, False, True]]
    # the colour scale runs over the published cells only (10-60 here, 30 being the smallest other than 10)
    assert ax.collections[0].get_clim() == (10.0, 60.0)
    grey = sorted(p.get_gid() for p in ax.patches if p.get_hatch())
    assert grey == ["cell:0:1:assumed", "cell:1:0:assumed", "cell:1:1:assumed"]
    written = {t.get_text() for t in ax.texts}
    assert {"20\u00a0†", "40\u00a0†", "50\u00a0†", "10", "30", "60"} <= written  # every number still shown
    plt.close(fig)


def test_means_drawn_hollow_when_assumed():
    table = pd.DataFrame({"mean_challenge": [2.6, 2.0], "ci_low_challenge": [2.5, 1.9],
                          "ci_high_challenge": [2.7, 2.1],
                          "mean_need": [2.3, 2.1], "ci_low_need": [2.2, 2.0], "ci_high_need": [2.4, 2.2]},
                         index=["x", "y"])
    for assumed, face in ((True, "white"), (False, None)):
        fig = figures.mean_dots(table, {}, assumed=assumed)
        markers = [line for line in fig.axes[0].lines if line.get_marker() in ("o", "s")]
        faces = {matplotlib.colors.to_hex(line.get_markerfacecolor()) for line in markers}
        assert (faces == {"#ffffff"}) == (face == "white")
        plt.close(fig)


# ------------------------------------------------------------------------------ the bold number of 4.1
def test_a_question_asked_positively_has_the_reports_i_mindre_grad_share_in_bold_and_in_the_table():
    # 50 answers: 5 "i meget høj grad", 15 "i høj grad", 27 "i mindre grad", 2 "slet ikke", 1 "ved ikke":
    # 27/50 = 54 pct. "i mindre grad", as the report states it; "i mindre grad eller slet ikke" would be 58.
    shares = shares_of({"k": [4] * 5 + [3] * 15 + [2] * 27 + [1] * 2 + [8], "t": [4] * 3 + [3] * 2 + [2] * 5})
    fig = figures.diverging_bars(shares, {"k": "Har tilstrækkelig viden", "t": "T"}, low_is_challenge={"k"})
    bold = {t.get_gid(): t.get_text() for t in fig.axes[0].texts if t.get_gid()}
    assert bold == {"k:challenge": "54", "t:challenge": "50"}
    plt.close(fig)
    provenance = Provenance(synthetic=False, published_parts={})
    table = tables.likert_table(shares, {}, provenance, low_is_challenge={"k"})
    assert table[tables.CHALLENGE_COLUMN].tolist() == [54, 50]
    assert tables.CHALLENGE_COLUMN not in tables.likert_table(shares, {}, provenance).columns


# ------------------------------------------------------------------------------------ one palette
def test_chapter_3_forest_and_participation_charts_use_the_books_palette():
    group = {colour for _, colour in figures.GROUP_STYLES}
    assert group <= PUOR_11 | {"#636363"}
    assert set(figures.AREA_COLOURS.values()) <= PUOR_11
    assert set(figures.COLOURS.values()) - {"#bdbdbd", "#636363"} <= PUOR_11


def test_a_group_with_nothing_drawn_has_no_legend_entry():
    cells = pd.DataFrame({"label": ["A", "A", "B", "B"], "group": ["Hovedstaden", "Nordjylland"] * 2,
                          "share": [31.0, 44.0, 25.0, 52.0], "suppressed": [False, True, False, True]})
    fig = figures.group_shares(cells)
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["Hovedstaden"]
    plt.close(fig)


def test_figure_19s_axis_spans_the_means_not_the_whole_scale():
    table = pd.DataFrame({"mean_challenge": [2.55, 2.2], "ci_low_challenge": [2.47, 2.14],
                          "ci_high_challenge": [2.62, 2.27], "mean_need": [2.5, 2.02],
                          "ci_low_need": [2.41, 1.97], "ci_high_need": [2.6, 2.08]}, index=["x", "y"])
    fig = figures.mean_dots(table, {})
    low, high = fig.axes[0].get_xlim()
    assert 1.8 <= low <= 1.97 and 2.62 <= high <= 2.8  # 1-4 would squeeze 2.0-2.6 into a fifth of the width
    plt.close(fig)


# ------------------------------------------------------------------------------ every chart of the book
@pytest.mark.book
@pytest.mark.scratch
def test_every_chart_of_the_book_carries_its_figure_number_and_a_true_source_line(book_charts):
    _, drawn, _ = book_charts
    charts = {name: (chart.heading, chart.source) for name, chart in drawn.items()}
    assert len(charts) >= 1 + 2 * 9 - 2 + 2 + 2 + 17 + 3 + 1 + 3  # every helper's charts
    for name, (heading, source) in charts.items():
        assert heading.startswith("Figur "), name
        assert "Kilde: " in source, name
        kilde = source[source.index("Kilde: "):]
        if kilde.startswith(f"Kilde: {REPORT_SOURCE}") and "syntetisk" not in kilde:
            continue
        assert "syntetisk" in kilde, name
    # chapter 2's sections without a single published number (2.7 onwards) say so in the image
    rusmidler = charts["k2_rusmidler_fig"]
    assert rusmidler[0].startswith("Figur 27. Udfordringer i arbejdet med børn og unge med problematisk")
    assert STAMP in rusmidler[1] and REPORT_SOURCE not in rusmidler[1].split("Kilde")[-1]
    # the summary's overview shows only the report's shares: no synthetic data in its source
    assert "syntetisk" not in charts["sam_fig_overblik"][1].split("Kilde")[-1]
    assert STAMP in charts["k3_fig_region"][1]


@pytest.mark.book
@pytest.mark.scratch
def test_the_bold_number_of_41_is_the_reports_54_and_the_table_agrees(book_charts):
    _, charts, tables_shown = book_charts
    bold = {gid: text for chart in charts.values() for gid, text in chart.challenge_numbers.items()}
    with open(ROOT / "data" / "published" / "published_ind_sam_k1.csv", encoding="utf-8") as handle:
        printed = [row for row in csv.DictReader(handle)
                   if row["question"] == "tema_etnisk_kompetencer" and row["statistic"] == "share_mindre"]
    assert [row["value"] for row in printed] == ["54"]
    assert bold["tema_etnisk_kompetencer:challenge"] == "54"
    from bs4 import BeautifulSoup

    table = BeautifulSoup(tables_shown["k4_etnisk_tab"], "html.parser").find("table")
    headers = [th.get_text() for th in table.find("thead").find_all("th")]
    first = [td.get_text() for td in table.find("tbody").find("tr").find_all("td")]
    assert first[headers.index(tables.CHALLENGE_COLUMN)] == "54"


# ------------------------------------------------------------------------------- the downloads' notes
@pytest.mark.book
@pytest.mark.scratch
def test_every_downloads_notes_are_true_of_its_own_sheet(book_charts):
    """A note may name the column "Fra rapporten" only where the sheet has it; the summary's overview, which
    holds the report's summary shares, says so rather than that its numbers are not the report's; and no two
    sheets of the chapters are called the same (they carry their figure's title)."""
    from municipal_survey.report import downloads
    from municipal_survey.synthetic.provenance import PROVENANCE_COLUMN

    items = {item.stem: item for item in downloads.rendered()}
    assert len(items) > 40
    for stem, item in items.items():
        said = dict(downloads.notes(item.table, item.caption, item.stem, item.source))
        for label, text in said.items():
            if f"'{PROVENANCE_COLUMN}'" in text:
                assert PROVENANCE_COLUMN in item.table.columns, (stem, label)
    overview = items["sammenfatning-overblik"]
    said = dict(downloads.notes(overview.table, overview.caption, overview.stem, overview.source))
    assert "ikke rapportens" not in said["Oprindelse"]
    assert set(overview.table[PROVENANCE_COLUMN]) <= {"andel i høj/meget høj grad",
                                                      "andel i høj/meget høj grad, N, intervallerne (afledt)"}
    chapter_1_figures = [i.caption for s, i in items.items() if s.startswith("kapitel-1-figur-")]
    assert len(chapter_1_figures) > 15 and len(set(chapter_1_figures)) == len(chapter_1_figures)


def test_an_answer_nobody_gave_has_no_column_in_the_table():
    # figure 1's "ikke relevant": 0 in every row
    shares = shares_of({"a": [4, 3, 2, 8], "b": [3, 2, 1, 1]})
    provenance = Provenance(synthetic=False, published_parts={})
    columns = list(tables.likert_table(shares, {}, provenance).columns)
    assert tables.LIKERT_SHORT[9] not in columns and tables.LIKERT_SHORT[8] in columns
    assert tables.LIKERT_SHORT[1] in columns  # a scale answer stays, even where few gave it


# ------------------------------------------------------------------------------ table headers
# Where Danish hyphenates these words (Retskrivningsordbogen's syllables): a break may fall only there.
SYLLABLES = ["im-ple-men-te-rings-støt-te", "kom-pe-ten-ce-ud-vik-ling", "ret-nings-lin-jer", "an-be-fa-lin-ger",
             "fo-kus-om-rå-de", "sam-ar-bej-de", "gen-nem-snit", "op-spo-ring", "na-tio-na-le", "spear-mans",
             "op-mærk-som-heds-for-styr-rel-ser", "mål-grup-pe-om-fang", "kom-mu-ne-stør-rel-se"]


@pytest.mark.parametrize("syllables", SYLLABLES)
def test_header_words_break_only_where_danish_hyphenates(syllables):
    word = syllables.replace("-", "")
    allowed = {len(part) for part in (syllables[:i].replace("-", "") for i, c in enumerate(syllables) if c == "-")}
    hyphenated = tables.soft_hyphens(word)
    breaks = {len(part) for part in (hyphenated[:i].replace("\u00ad", "") for i, c in enumerate(hyphenated)
                                     if c == "\u00ad")}
    assert hyphenated.replace("\u00ad", "") == word
    assert breaks <= allowed, (hyphenated.replace("\u00ad", "-"), syllables)


def test_a_long_header_breaks_at_soft_hyphens_and_the_disclosure_check_reads_it_whole(tmp_path):
    from municipal_survey.build.disclosure_check import page_tables

    table = pd.DataFrame({"Fokusområde": ["Kvalitet"], "Implementeringsstøtte": [12]})
    html = tables.table_html(table, "Tabel", "kapitel-1-test")
    assert "long-words" in html and "men\u00adte\u00adrings" in html
    css = (ROOT / "book" / "_static" / "custom.css").read_text(encoding="utf-8")
    assert "table.dataframe.long-words th { overflow-wrap: normal; hyphens: manual; }" in css  # never a bare break
    page = tmp_path / "side.html"
    page.write_text(f"<html><body>{html}</body></html>", encoding="utf-8")
    assert page_tables(page)[0].header == ["Fokusområde", "Implementeringsstøtte"]


def test_a_split_sheet_reads_back_as_the_page_shows_it_for_the_disclosure_checks():
    """The Excel download gives each number its own column; the checks that read downloads join them back,
    and read the mean, both interval ends (with their decimals) and n as on the page."""
    from municipal_survey.build.disclosure_check import xlsx_sheets
    from municipal_survey.build.published_figures import MEAN_CELL
    from municipal_survey.report import downloads

    table = pd.DataFrame({"Spørgsmål": ["A", "B"], "Under 35.000 indbyggere": ["2,4 (2,0–2,8; n = 12)", "<5"]})
    [(_, blocks)] = xlsx_sheets(downloads.table_xlsx(table, "Gennemsnit", "kapitel-3-x", "syntetiske data"))
    header, rows = downloads.joined_columns(blocks[0][0], blocks[0][1:])
    assert header == ["Spørgsmål", "Under 35.000 indbyggere"] and rows[1] == ["B", "<5"]
    read = MEAN_CELL.match(rows[0][1])
    assert read and (read["mean"], read["low"], read["high"], read["n"]) == ("2.4", "2.0", "2.8", "12")


def test_each_groups_point_lies_nearest_its_own_rows_label():
    cells = pd.DataFrame([{"label": label, "group": g, "share": 40.0, "suppressed": False}
                          for label in ("A", "B", "C") for g in ("G1", "G2", "G3")])
    fig = figures.group_shares(cells)
    ax = fig.axes[0]
    rows = dict(zip([t.get_text() for t in ax.get_yticklabels()], ax.get_yticks()))
    points = [line.get_ydata()[0] for line in ax.get_lines()
              if (line.get_gid() or "").startswith("shares:")]  # one per (group, row)
    assert len(points) == 9
    # a row's three points around its label, closer to it than to any other row's (the rows are 1 apart)
    for label, y in rows.items():
        own = [p for p in points if abs(p - y) < 0.25]
        assert len(own) == 3, (label, sorted(points))
    plt.close(fig)


def test_the_data_and_over_time_charts_carry_their_number_and_a_true_source_line(shipped_book):
    from municipal_survey.data.other_surveys import load_other_surveys
    from municipal_survey.report import over_time

    book = shipped_book
    other = load_other_surveys()
    n = book.survey.responses.groupby("question")["municipality"].nunique()
    participants = book.survey.responses["municipality"].nunique()
    charts = {"data": figures.responses_chart(n, participants, synthetic=book.provenance.synthetic),
              "rounds": over_time.participation_chart(over_time.participation(book, other)),
              "both": over_time.both_rounds_chart(book, over_time.both_rounds(book, other))}
    heading = {k: " ".join(f.get_suptitle().split()) for k, f in charts.items()}
    source = {k: " ".join(f.get_supxlabel().split()) for k, f in charts.items()}
    for fig in charts.values():
        plt.close(fig)
    assert heading["data"].startswith("Figur B11 (datagrundlaget).")
    assert heading["rounds"].startswith("Figur B12") and heading["both"].startswith("Figur B13")
    # on the synthetic dataset every question's N is the report's; the rounds' figures are other publications'
    assert source["data"] == f"Kilde: {figure_titles.REPORT}." and "syntetisk" not in source["data"]
    assert "Kilde: de udgivelser om hver runde" in source["rounds"]
    assert "2020: bogens tal (syntetisk datasæt); 2022: udgivelsen om runden" in source["both"]
