"""Chapter 3's charts and tables draw exactly what the disclosure rule lets through."""
import matplotlib
import matplotlib.lines

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from municipal_survey.analysis import variation  # noqa: E402
from municipal_survey.analysis.disclosure import MARK  # noqa: E402
from municipal_survey.report import figures, tables  # noqa: E402


def cells():
    return pd.DataFrame({
        "label": ["A", "A", "B", "B"], "question": ["qa", "qa", "qb", "qb"], "group": ["G1", "G2", "G1", "G2"],
        "n": [20, 8, 22, 9], "mean": [2.5, 2.0, 2.2, 3.0], "ci_low": [2.2, 1.5, 1.9, 2.5],
        "ci_high": [2.8, 2.5, 2.5, 3.5], "suppressed": [False, True, False, True]})


def drawn_gids(fig):
    return sorted({a.get_gid() for ax in fig.axes for a in ax.get_children() if a.get_gid()})


def test_group_means_draws_only_the_shown_cells():
    fig = figures.group_means(cells())
    assert drawn_gids(fig) == ["means:A:G1", "means:B:G1"]


def test_means_wide_shows_the_mark_for_every_suppressed_cell():
    wide = tables.means_wide(cells())
    assert wide.to_dict("records") == [{"Spørgsmål": "A", "G1": "2,5 (2,2–2,8; n = 20)", "G2": MARK},
                                       {"Spørgsmål": "B", "G1": "2,2 (1,9–2,5; n = 22)", "G2": MARK}]


def models():
    return pd.DataFrame({
        "label": ["A", "A", "B", "B"], "question": ["qa", "qa", "qb", "qb"], "term": ["G2", "G3", "G2", "G3"],
        "n": 80, "odds_ratio": [1.5, 0.5, 2.0, 1.0], "or_low": [1.0, 0.25, 1.1, 0.5],
        "or_high": [2.25, 1.0, 3.6, 2.0], "p_lr": 0.2, "p_holm": 1.0,
        "p_proportional_odds": [0.5, 0.5, None, None],
        "mde_or": 1.7})


def test_hide_small_terms_follows_the_group_and_the_reference_with_a_partner():
    means = pd.DataFrame({"question": ["qa", "qa", "qa", "qb", "qb", "qb"], "group": ["G1", "G2", "G3"] * 2,
                          "suppressed": [False, False, True, True, False, False]})
    hidden = variation.hide_small_terms(models(), means, "G1")
    # qa: G3 hidden, and G2 as its partner (a lone hidden odds ratio); qb: the reference G1 is hidden
    assert hidden["suppressed"].tolist() == [True, True, True, True]
    means["suppressed"] = False
    assert not variation.hide_small_terms(models(), means, "G1")["suppressed"].any()


def test_model_table_marks_hidden_odds_ratios_and_keeps_the_question_p_values():
    table = tables.model_table(models().assign(suppressed=[True, True, False, False]))
    assert list(table.columns) == ["Spørgsmål (samlet set)", "N", "G2: odds ratio (95 pct.-interval)",
                                   "G3: odds ratio (95 pct.-interval)", "p", "p (Holm, hele kapitlet)",
                                   "Proportionale odds, p", "Mindste påviselige OR"]
    assert table["G2: odds ratio (95 pct.-interval)"].tolist() == [MARK, "2,00 (1,10–3,60)"]
    assert table["G3: odds ratio (95 pct.-interval)"].tolist() == [MARK, "1,00 (0,50–2,00)"]
    assert table["Proportionale odds, p"].tolist() == ["0,500", "–"]
    single = tables.model_table(models()[models()["term"] == "G2"].assign(term="pr. fordobling"))
    assert single["Odds ratio (95 pct.-interval)"].tolist() == ["1,50 (1,00–2,25)", "2,00 (1,10–3,60)"]


def test_odds_ratio_chart_keeps_each_terms_look_when_some_are_left_out():
    full = figures.odds_ratios(models(), terms=["G2", "G3"])
    part = figures.odds_ratios(models()[models()["term"] == "G3"], terms=["G2", "G3"])

    def colour(fig, gid):
        for ax in fig.axes:
            for artist in ax.get_children():
                if artist.get_gid() == gid and isinstance(artist, matplotlib.lines.Line2D):
                    return artist.get_color()

    assert colour(full, "or:A:G3") == colour(part, "or:A:G3") == figures.GROUP_STYLES[1][1]
    assert drawn_gids(part) == ["or:A:G3", "or:B:G3"]


def test_odds_ratio_chart_axis_is_logarithmic_around_one():
    fig = figures.odds_ratios(models())
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    low, high = ax.get_xlim()
    assert low <= 0.25 and high >= 3.6
    assert any(line.get_xdata()[0] == pytest.approx(1.0) for line in ax.get_lines())
