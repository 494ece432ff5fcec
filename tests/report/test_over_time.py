"""The pages about the survey over time: the published figures of the 2022 wave against the book's 2020
numbers, the participation of every round, the comparison page with one and with two waves, and their
charts (drawn from the same numbers as their tables, readable at the book's width)."""
from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from chart_layout import layout_problems  # noqa: E402

from municipal_survey.analysis import waves  # noqa: E402
from municipal_survey.data import paths  # noqa: E402
from municipal_survey.data.other_surveys import load_other_surveys  # noqa: E402
from municipal_survey.report import figures, over_time, sections  # noqa: E402
from municipal_survey.synthetic.provenance import DATA, PUBLISHED  # noqa: E402


def contrast_white(colour: str) -> float:
    """WCAG contrast ratio of a colour against white."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


@pytest.fixture(scope="module")
def book(shipped_book):
    return shipped_book


@pytest.fixture(scope="module")
def other():
    return load_other_surveys()


@pytest.fixture(scope="module")
def items(book, other):
    return over_time.both_rounds(book, other).set_index("question")


def test_the_questions_both_rounds_print_against_the_reports_2020_shares(items):
    # 2020: the report's 2.3, 2.1 and summary (42, 56, 70, 66 pct.), reproduced by the synthetic data.
    assert items["pct"].to_dict() == {
        "mg_selvskade_samlet": 42, "mg_autisme_samlet": 56, "tema_skolefravaer_almen_serviceloven": 70,
        "tema_skolefravaer_kompetencer": 66}
    assert set(items["share_source"]) == {PUBLISHED}
    # 2022: the news of 20 April 2023; words stay words and get no number.
    assert items.at["mg_selvskade_samlet", "later_pct"] == 60 and items.at["mg_autisme_samlet", "later_pct"] == 59
    assert items.at["tema_skolefravaer_almen_serviceloven", "printed"] == "Næsten ni ud af ti"
    assert math.isnan(items.at["tema_skolefravaer_almen_serviceloven", "later_pct"])
    assert items.at["tema_skolefravaer_kompetencer", "change_words"] == "markant stigning"
    assert set(items["comparability"]) == {"anden formulering"}


def test_the_chart_draws_2022_only_where_a_number_is_printed(book, items):
    points = over_time.both_rounds_points(items.reset_index(), book.survey.book_wave)
    assert sorted(points.groupby("wave").size().items()) == [("2020", 4), ("2022", 2)]
    worded = points[points["label"].str.contains("»Næsten ni ud af ti«, i ord")]
    assert list(worded["wave"]) == ["2020"] and list(worded["pct"]) == [70]
    fig = figures.wave_points(points, title="Spørgsmål, begge runder giver tal eller ord for", note="En note.")
    drawn: dict[str, list[float]] = {}  # gid -> x of its point, then of its interval's two caps
    for ax in fig.axes:
        for line in ax.lines:
            if line.get_gid():
                drawn.setdefault(line.get_gid(), []).append(float(line.get_xdata()[0]))
    for row in points.itertuples():
        assert drawn[f"waves:{row.label}:{row.wave}"] == pytest.approx([row.pct, row.low, row.high])
    assert layout_problems(fig) == []


def test_participation_of_every_round(book, other):
    rounds = over_time.participation(book, other).set_index("label")
    # VIVE 2019 prints 85 municipalities: 85 of 98 is 86.7 pct., shown as 87 and marked derived.
    assert rounds.loc["Børn og unge 2019 (VIVE)", ["pct", "derived"]].tolist() == [87, True]
    assert rounds["pct"].to_dict() == {"Voksne 2018 (VIVE)": 77, "Børn og unge 2019 (VIVE)": 87,
                                       "Børn og unge 2020": 97, "Voksne 2020": 95, "Børn og unge 2022": 88,
                                       "Voksne 2022": 86}
    fig = figures.participation_bars(rounds.reset_index(), title="Deltagelsen i hver runde")
    bars = {p.get_gid(): p for ax in fig.axes for p in ax.patches if p.get_gid()}
    assert bars["participation:Børn og unge 2019 (VIVE)"].get_hatch() == figures.DERIVED_HATCH
    assert bars["participation:Voksne 2022"].get_width() == 86
    assert layout_problems(fig) == []
    # Non-text contrast (WCAG 1.4.11) of the areas' colours against the white page.
    assert all(contrast_white(colour) >= 3 for colour in figures.AREA_COLOURS.values())


def test_what_the_sources_do_not_give_is_counted_from_the_data(book, items):
    published = book.survey.published
    shares = published[(published["statistic"] == "share_top2") & (published["question"] != "")
                       & (published["conflicts_with"] == "") & (published["tolerance"] == 0)]
    printed = shares["question"].nunique()
    text = over_time.not_in_the_sources(book, items.reset_index())
    assert text.startswith(f"Af de {printed} spørgsmål, rapporten fra 2020 trykker en andel for, har kilderne "
                           "om runden 2022 et tal for to og ord for to; for de øvrige "
                           f"{printed - 4} giver de hverken tal eller ord.")


def test_the_comparison_page_with_one_wave_says_what_it_would_show(book):
    comparison = over_time.compare(book)
    assert not comparison.shown and comparison.changes is None
    status = comparison.section.values["cmp_status"][0]
    assert status.startswith("Bogens data har svar fra én runde, 2020, så siden sammenligner ikke runder.")
    assert "2022" not in " ".join(value for value, _ in comparison.section.values.values())


@pytest.fixture(scope="module")
def two_waves(tmp_path_factory):
    """The synthetic 2020 answers and a small fictitious 2022 wave: the first 20 municipalities of the
    register answer one question."""
    path = tmp_path_factory.mktemp("waves") / "responses.csv"
    frame = pd.read_csv(paths.SYNTHETIC_RESPONSES, dtype=str)
    later = sorted(pd.read_csv(paths.REGISTER_FILE, dtype=str)["code"])[:20]
    answers = [4, 4, 4, 3, 3, 3, 3, 2, 1, 1] * 2
    rows = pd.DataFrame({"wave": "2022", "municipality": later, "question": "org_sektorer_samlet",
                         "answer": [str(a) for a in answers]})
    pd.concat([frame, rows]).to_csv(path, index=False)
    return path


def test_the_comparison_page_with_two_waves(two_waves):
    book = sections.setup(two_waves)
    comparison = over_time.compare(book)
    assert comparison.shown and (comparison.book_wave, comparison.other_wave) == (2020, 2022)
    assert list(comparison.changes.index) == ["org_sektorer_samlet"]  # the only question of both waves
    row = comparison.changes.loc["org_sektorer_samlet"]
    # 2022: 14 of the 20 answers are 4 or 3; 2020: the report's 1.2 (38 pct.) of its N.
    assert (row["k_second"], row["n_second"]) == (14, 20)
    assert round(100 * row["share_first"]) == 38
    table = over_time.changes_table(book, comparison)
    assert table.loc[0, "2022 (pct.)"] == "70" and table.loc[0, "N 2022"] == 20
    assert table.loc[0, "Ændring (procentpoint)"] == f"{round(100 * (0.7 - row['share_first']))}"
    values = {name: value for name, (value, _) in comparison.section.values.items()}
    assert values["cmp_status"].startswith(
        "Siden sammenligner bogens runde, 2020, med runden 2022: et af de 199 spørgsmål")
    # one question in both waves: the chart and the table speak of it in the singular
    assert values["cmp_shares"].startswith("Figuren viser det ene spørgsmål, der er besvaret i begge runder,")
    method = "parret" if row["method"] == waves.PAIRED else "uparret"
    assert values["cmp_all"] == ("Tabellen viser det ene spørgsmål på svarskalaen, der er besvaret i begge "
                                 f"runder. Ændringens interval er {method}; kolonnen Beregning siger hvorfor.")
    answered_2020 = set(pd.read_csv(paths.SYNTHETIC_RESPONSES, dtype=str)["municipality"])  # any question
    later = set(pd.read_csv(two_waves, dtype=str).query("wave == '2022'")["municipality"])
    assert values["cmp_pairs"] == (f"{len(answered_2020 & later)} kommuner har svaret i begge runder, "
                                   f"{len(answered_2020 - later)} kun i 2020 og {len(later - answered_2020)} kun "
                                   "i 2022.")


def test_imported_numbers_carry_no_marks_synthetic_ones_do(two_waves, monkeypatch):
    book = sections.setup(two_waves)  # a file other than the shipped one: imported data
    comparison = over_time.compare(book)
    assert "†" not in over_time.changes_table(book, comparison).to_csv()
    assert comparison.section.values["cmp_status"][1] == DATA
    monkeypatch.setattr(paths, "is_synthetic", lambda path: True)
    book = sections.setup(two_waves)
    table = over_time.changes_table(book, over_time.compare(book))
    assert table.loc[0, "2022 (pct.)"] == "70 †"  # nothing of a synthetic second wave is published
    assert table.loc[0, "Ændring (procentpoint)"].endswith(" †")
    assert table.loc[0, "2020 (pct.)"] == "38"  # the report's 1.2


def test_the_population_year_of_each_wave_is_said():
    class Survey:
        waves, book_wave, population_years = [2020, 2022], 2020, {2020: 2020, 2022: 2020}

    assert over_time.population_date(Survey) == "1. januar 2020"
    assert over_time.population_note(Survey) == (
        "Det er året for runden 2020. Registret har ikke folketal for 2022; for runden 2022 bruger bogen "
        "folketallet pr. 1. januar 2020, det nærmeste år, registret har.")
