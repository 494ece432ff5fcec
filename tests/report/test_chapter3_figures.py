"""Chapter 3's charts and tables draw exactly what the disclosure rule lets through."""
import matplotlib
import matplotlib.lines

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from municipal_survey.analysis.disclosure import MARK  # noqa: E402
from municipal_survey.report import figures, tables  # noqa: E402


def cells():
    return pd.DataFrame({
        "label": ["A", "A", "B", "B"], "question": ["qa", "qa", "qb", "qb"], "group": ["G1", "G2", "G1", "G2"],
        "n": [20, 8, 22, 9], "share": [45.0, 50.0, 32.0, 67.0], "suppressed": [False, True, False, True]})


def drawn_gids(fig):
    return sorted({a.get_gid() for ax in fig.axes for a in ax.get_children() if a.get_gid()})


def test_group_shares_draws_only_the_shown_cells_and_no_legend_for_a_group_never_drawn():
    fig = figures.group_shares(cells())
    assert drawn_gids(fig) == ["shares:A:G1", "shares:B:G1"]
    legend = fig.legends[0] if fig.legends else fig.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["G1"]


def test_shares_wide_shows_the_mark_for_every_suppressed_cell_and_no_n():
    wide = tables.shares_wide(cells())
    assert wide.to_dict("records") == [{"Spørgsmål": "A", "G1": "45 pct.", "G2": MARK},
                                       {"Spørgsmål": "B", "G1": "32 pct.", "G2": MARK}]


def test_the_chart_carries_only_the_rounded_numbers_of_the_table(shipped_book):
    from municipal_survey.analysis import variation
    from municipal_survey.data import socioeconomic

    survey = shipped_book.survey
    factor = variation.factors(survey.register, socioeconomic.standin_index(survey.register))["size_group"]
    split = variation.breakdown(survey, {"Tidlig": "org_tidlig_samlet"}, factor)
    shares = variation.group_shares(split)
    fig = figures.group_shares(shares)
    drawn = [v for ax in fig.axes for artist in ax.get_children()
             if isinstance(artist, matplotlib.lines.Line2D) and (artist.get_gid() or "").startswith("shares:")
             for v in artist.get_xdata()]
    assert drawn and all(round(v) == v for v in drawn)


def odds_rows():
    return pd.DataFrame({
        "label": ["A", "A", "B", "B"], "question": ["qa", "qa", "qb", "qb"], "term": ["G2", "G3", "G2", "G3"],
        "odds_ratio": [1.5, 0.5, 2.0, 1.0], "or_low": [1.0, 0.25, 1.1, 0.5], "or_high": [2.25, 1.0, 3.6, 2.0]})


def model_rows():
    return pd.DataFrame({
        "label": ["A", "A", "B", "B"], "question": ["qa", "qa", "qb", "qb"], "term": ["G2", "G3", "G2", "G3"],
        "n": 80, "odds_ratio": [1.5, 0.5, float("nan"), float("nan")], "or_low": [1.0, 0.25, float("nan"),
                                                                                   float("nan")],
        "or_high": [2.25, 1.0, float("nan"), float("nan")], "p_lr": [0.2, 0.2, float("nan"), float("nan")],
        "q_bh": [0.6, 0.6, float("nan"), float("nan")], "mde_or": [1.7, 1.7, float("nan"), float("nan")],
        "sparse": [True, True, False, False],
        "reason": ["", ""] + ["kan ikke vises: mindst én gruppe er skjult efter reglen for diskretion"] * 2})


def test_model_table_shows_why_a_row_is_empty_and_flags_a_sparse_result():
    table = tables.model_table(model_rows())
    assert list(table.columns) == ["Spørgsmål (samlet set)", "Svar på skalaen 1–4",
                                   "G2: odds ratio (95 pct.-interval)", "G3: odds ratio (95 pct.-interval)",
                                   "p (ujusteret)", "q (Benjamini–Hochberg)", "Mindste påviselige OR", "Note"]
    assert table["G2: odds ratio (95 pct.-interval)"].tolist() == ["1,50 (1,00–2,25)", "–"]
    assert table["p (ujusteret)"].tolist() == ["0,20", "–"]
    assert table["Note"].tolist() == [tables.SPARSE_NOTE,
                                      "kan ikke vises: mindst én gruppe er skjult efter reglen for diskretion"]


def test_odds_ratio_chart_keeps_each_terms_look_when_some_are_left_out():
    full = figures.odds_ratios(odds_rows(), terms=["G2", "G3"])
    part = figures.odds_ratios(odds_rows()[odds_rows()["term"] == "G3"], terms=["G2", "G3"])

    def colour(fig, gid):
        for ax in fig.axes:
            for artist in ax.get_children():
                if artist.get_gid() == gid and isinstance(artist, matplotlib.lines.Line2D):
                    return artist.get_color()

    assert colour(full, "or:A:G3") == colour(part, "or:A:G3") == figures.GROUP_STYLES[1][1]
    assert drawn_gids(part) == ["or:A:G3", "or:B:G3"]


def test_odds_ratio_chart_axis_is_logarithmic_around_one():
    fig = figures.odds_ratios(odds_rows())
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    low, high = ax.get_xlim()
    assert low <= 0.25 and high >= 3.6
    assert any(line.get_xdata()[0] == pytest.approx(1.0) for line in ax.get_lines())
