"""The book's settings (data/settings.yml): the wave the chapters report on is read from the file, and a
bad file names file, key and what was expected."""
import shutil

import pytest

from municipal_survey.data import paths
from municipal_survey.data.errors import DataError
from municipal_survey.data.settings import FILE_NAME, book_wave, load_settings
from municipal_survey.data.survey import load_survey


def test_the_shipped_book_reports_on_2020():
    assert book_wave() == 2020  # the report's survey, autumn 2020
    assert load_settings() == {"book_wave": 2020}


@pytest.mark.parametrize("body, column, value, expected", [
    ("book_wave: tyve\n", "book_wave", "tyve", "the survey year the chapters report on"),
    ("book_wave: 20\n", "book_wave", 20, "the survey year the chapters report on"),
    ("book_wave: true\n", "book_wave", True, "the survey year"),
    ("bogens_runde: 2020\n", "book_wave", None, "the survey year"),
])
def test_a_bad_setting_names_file_key_and_expectation(tmp_path, body, column, value, expected):
    path = tmp_path / FILE_NAME
    path.write_text(body, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_settings(path)
    problem = caught.value.problems[0]
    assert (problem.file, problem.column, problem.value) == (str(path), column, value)
    assert expected in problem.expected


def test_an_unknown_setting_is_named_not_ignored(tmp_path):
    path = tmp_path / FILE_NAME
    path.write_text("book_wave: 2020\nbook_wav: 2022\n", encoding="utf-8")
    with pytest.raises(DataError, match="book_wav.*one of the known settings: book_wave"):
        load_settings(path)


def test_a_book_wave_without_responses_is_an_error_naming_the_waves_there_are(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data)
    monkeypatch.setattr(paths, "DATA_DIR", data)
    (data / FILE_NAME).write_text("book_wave: 2022\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_survey(paths.SYNTHETIC_RESPONSES)
    [problem] = caught.value.problems
    assert problem.file == str(data / FILE_NAME) and problem.column == "book_wave" and problem.value == 2022
    assert problem.expected == "a wave with responses in responses.csv (2020)"
