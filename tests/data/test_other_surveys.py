"""The published figures of other rounds: the shipped file loads with the figures its sources print,
words stay words, and a bad row names file, row, column and what was expected."""
import shutil

import pandas as pd
import pytest

from municipal_survey.data import paths
from municipal_survey.data.errors import DataError
from municipal_survey.data.other_surveys import COLUMNS, FILE_NAME, load_other_surveys


@pytest.fixture(scope="module")
def table():
    return load_other_surveys()


def test_the_2022_wave_figures_as_the_news_of_20_april_2023_prints_them(table):
    # Social- og Boligstyrelsen, news of 20 April 2023: self-harm 60 pct., autism 59 pct.
    assert table.at["ss2022_boern_selvskade", "value"] == 60
    assert table.at["ss2022_boern_autisme", "value"] == 59
    news = table.loc[["ss2022_boern_selvskade", "ss2022_boern_autisme"]]
    assert set(news["date"]) == {"20. april 2023"} and set(news["wave"]) == {2022}
    assert set(news["question"]) == {"mg_selvskade_samlet", "mg_autisme_samlet"}
    # ... "oplever udfordringer" without the grade: not the 2020 report's measure for sure.
    assert set(news["comparability"]) == {"other_wording"}
    assert table.at["ss2022_boern_deltagelse", "value"] == 88


def test_a_figure_printed_in_words_stays_words(table):
    placement = table.loc["ss2022_boern_skolefravaer_placering"]
    assert placement["printed"] == "Næsten ni ud af ti" and pd.isna(placement["value"])
    assert placement["statistic"] == "share_words" and placement["unit"] == ""
    rise = table.loc["ss2022_boern_skolefravaer_kompetencer_stigning"]
    assert rise["printed"] == "markant stigning" and pd.isna(rise["value"])
    words = table[table["statistic"].str.endswith("_words")]
    assert words["value"].isna().all() and not words["printed"].str.contains(r"\d").any()


def test_vive_2019_means_are_on_its_own_scale(table):
    means = table[table["statistic"] == "mean_1_4"]
    assert means["value"].to_dict() == {"vive2019_autisme_udfordringer": 2.7, "vive2019_skole_udfordringer": 2.5,
                                        "vive2019_skole_behov": 2.3}
    assert set(table.loc[table["wave"] == 2019, "comparability"]) <= {"other_scale", "other_wording"}
    assert set(means["comparability"]) == {"other_scale"}


def test_the_covid_block_of_the_2020_survey(table):
    covid = table[table.index.str.startswith("covid2020_")]
    assert covid["value"].to_dict() == {
        "covid2020_boern_positive": 74, "covid2020_voksne_positive": 78,
        "covid2020_boern_nye_udfordringer": 15, "covid2020_voksne_nye_udfordringer": 32}
    assert set(covid["wave"]) == {2020}


def test_every_row_has_wave_source_date_quote_and_a_reasoned_mark(table):
    assert list(table.reset_index().columns) == COLUMNS
    for column in ("source", "quote", "date", "comparability_reason", "statement_da"):
        assert (table[column].str.strip() != "").all(), column
    participation = table[table["statistic"].str.startswith("particip")]
    assert participation["wave"].to_dict() == {
        "vive2018_deltagelse": 2018, "vive2019_deltagere": 2019, "ss2020_voksne_deltagelse": 2020,
        "ss2022_boern_deltagelse": 2022, "ss2022_voksne_deltagelse": 2022}
    # Each figure is in its own quote, as printed.
    for printed, quote in zip(table["printed"], table["quote"]):
        assert printed.casefold() in quote.casefold()


@pytest.mark.parametrize("column, old, new, expected", [
    ("value", ",77,pct,77 %,", ",syvoghalvfjerds,pct,77 %,", "a number"),
    ("value", ",77,pct,77 %,", ",78,pct,77 %,", "the number printed in the column printed ('77 %')"),
    ("wave", "vive2018_deltagelse,2018,", "vive2018_deltagelse,18,", "the survey year"),
    ("unit", ",77,pct,", ",77,kommuner,", "'pct' for a participation_pct"),
    ("statistic", ",participation_pct,77,", ",andel,77,", "one of participation_pct"),
    ("target", ",2018,voksne,", ",2018,ældre,", "one of børn og unge, voksne"),
    ("printed", ",pct,77 %,", ",pct,77 pct.,", "words that occur in the row's quote"),
    ("comparability", ',other_wording,"Kilden', ',maaske,"Kilden', "one of comparable, other_wording"),
    ("date", ",14. december 2018,", ",14-12-2018,", "the source's date in Danish, e.g. 20. april 2023"),
    ("date", ",14. december 2018,", ",14. dec 2018,", "the source's date in Danish"),
    ("url", "https://www.sbst.dk/udgivelser/2019", "http://www.sbst.dk/udgivelser/2019", "https://"),
])
def test_a_bad_row_names_file_row_and_column(tmp_path, column, old, new, expected):
    path = tmp_path / FILE_NAME
    shutil.copy(paths.PUBLISHED_DIR / FILE_NAME, path)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_other_surveys(path)
    [problem] = caught.value.problems
    assert problem.file == FILE_NAME and problem.column == column and problem.row in (2, 3)
    assert expected in problem.expected


def test_a_word_given_a_number_is_refused(tmp_path):
    """'næsten ni ud af ti' is not 90: a figure printed in words has no value."""
    path = tmp_path / FILE_NAME
    shutil.copy(paths.PUBLISHED_DIR / FILE_NAME, path)
    text = path.read_text(encoding="utf-8")
    old = ",share_words,,,Næsten ni ud af ti,"
    assert old in text
    path.write_text(text.replace(old, ",share_words,90,,Næsten ni ud af ti,"), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_other_surveys(path)
    [problem] = caught.value.problems
    rows = path.read_text(encoding="utf-8").splitlines()
    assert problem.row == 1 + next(i for i, line in enumerate(rows) if ",share_words,90," in line)
    assert (problem.column, problem.value) == ("value", "90")
    assert "a word stays a word" in problem.expected


def test_a_question_outside_the_codebook_is_named(tmp_path):
    path = tmp_path / FILE_NAME
    shutil.copy(paths.PUBLISHED_DIR / FILE_NAME, path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",mg_autisme_samlet,other_wording,", ",mg_autisme_i_alt,other_wording,"),
                    encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_other_surveys(path)
    [problem] = caught.value.problems
    assert (problem.column, problem.value) == ("question", "mg_autisme_i_alt")
    assert "a question id in the codebook" in problem.expected
