"""The book's settings (data/settings.yml): the wave the chapters report on is read from the file, and a
bad file names file, key and what was expected."""
import json
import re
import shutil

import pytest

from municipal_survey.data import paths, settings
from municipal_survey.data.errors import DataError
from municipal_survey.data.settings import FILE_NAME, book_wave, load_settings
from municipal_survey.data.survey import load_survey


def test_the_shipped_book_reports_on_2020_with_the_threshold_five():
    """The shipped policy itself (the one test that states the numbers): the report's survey of autumn
    2020, no page lets a reader infer fewer than five municipalities, † marks an assumption."""
    assert book_wave() == 2020
    assert load_settings() == {"book_wave": 2020, "disclosure_threshold": 5, "assumed_mark": "\u2020",
                               "pdf_name": "kommuneundersoegelsen-{book_wave}.pdf"}
    assert (settings.min_count(), settings.suppressed_mark(), settings.assumed_mark()) == (5, "<5", "\u2020")
    assert settings.pdf_name() == "kommuneundersoegelsen-2020.pdf"


VALID = {"book_wave": "2020", "disclosure_threshold": "5", "assumed_mark": '"*"', "pdf_name": "bog.pdf"}


@pytest.mark.parametrize("body, column, value, expected", [
    ("book_wave: tyve\n", "book_wave", "tyve", "the survey year the chapters report on"),
    ("book_wave: 20\n", "book_wave", 20, "the survey year the chapters report on"),
    ("book_wave: true\n", "book_wave", True, "the survey year"),
    ("bogens_runde: 2020\n", "book_wave", None, "the survey year"),
    ("disclosure_threshold: 1\n", "disclosure_threshold", 1, "a whole number from 2"),
    ("disclosure_threshold: 4.5\n", "disclosure_threshold", 4.5, "a whole number from 2"),
    ("assumed_mark: a\n", "assumed_mark", "a", "no letter, digit or space"),
    ("assumed_mark: ''\n", "assumed_mark", "", "no letter, digit or space"),
    ("pdf_name: bog.html\n", "pdf_name", "bog.html", "ending in .pdf"),
    ("pdf_name: bog-{year}.pdf\n", "pdf_name", "bog-{year}.pdf", "{book_wave}"),
])
def test_a_bad_setting_names_file_key_and_expectation(tmp_path, body, column, value, expected):
    path = tmp_path / FILE_NAME
    key = body.partition(":")[0]
    path.write_text(body + "".join(f"{k}: {v}\n" for k, v in VALID.items() if k != key and k != column),
                    encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_settings(path)
    problem = caught.value.problems[0]
    assert (problem.file, problem.column, problem.value) == (str(path), column, value)
    assert expected in problem.expected


def test_an_unknown_setting_is_named_not_ignored(tmp_path):
    path = tmp_path / FILE_NAME
    path.write_text("".join(f"{k}: {v}\n" for k, v in VALID.items()) + "book_wav: 2022\n", encoding="utf-8")
    with pytest.raises(DataError, match="book_wav.*one of the known settings: book_wave"):
        load_settings(path)


def test_a_book_wave_without_responses_is_an_error_naming_the_waves_there_are(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data)
    monkeypatch.setattr(paths, "DATA_DIR", data)
    shipped = (data / FILE_NAME).read_text(encoding="utf-8")
    (data / FILE_NAME).write_text(shipped.replace("book_wave: 2020", "book_wave: 2022"), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_survey(paths.SYNTHETIC_RESPONSES)
    [problem] = caught.value.problems
    assert problem.file == str(data / FILE_NAME) and problem.column == "book_wave" and problem.value == 2022
    assert problem.expected == "a wave with responses in responses.csv (2020)"


# The policy as prose types it: the threshold in words or digits after the phrases that state the rule,
# or the suppressed mark in quotes. Pages write {{ graense }} and {{ skjult_markering }} instead.
TYPED_POLICY = re.compile(r'"<\s*\d+"|\b(færre end|mindst|grænsen på|under) (\d+|fem|tre|fire|seks|ti)\b'
                          r'(?=[,.](?!\d)| (kommuner|på|mulige|kan|ikke|andre|er))', re.IGNORECASE)


def _page_prose() -> dict[str, str]:
    root = paths.PROJECT_ROOT
    pages = {str(p.relative_to(root)): p.read_text(encoding="utf-8")
             for p in [*root.glob("book/*.md"), *root.glob("notebooks/*.md")]}
    for notebook in root.glob("notebooks/*.ipynb"):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        pages[str(notebook.relative_to(root))] = "\n".join("".join(c["source"]) for c in cells
                                                            if c["cell_type"] == "markdown")
    return pages


def test_no_page_types_the_threshold_or_the_suppressed_mark():
    typed = {page: [m.group(0) for m in TYPED_POLICY.finditer(" ".join(text.split()))]
             for page, text in _page_prose().items()}
    assert {page: found for page, found in typed.items() if found} == {}


def test_the_policy_scan_finds_what_a_page_could_type():
    text = ('Celler med færre end fem kommuner vises som "<5"; mindst 5 kommuner på hver side, og '
            "mindst {{ graense }} kommuner; fem fokusområder")
    assert [m.group(0) for m in TYPED_POLICY.finditer(text)] == ["færre end fem", '"<5"', "mindst 5"]


def test_the_pages_substitutions_follow_the_settings(tmp_path, monkeypatch):
    """{{ graense }} and {{ skjult_markering }} are the settings' threshold and mark, set at build time."""
    monkeypatch.syspath_prepend(str(paths.PROJECT_ROOT / "book" / "_ext"))
    from settings_substitutions import substitutions

    path = tmp_path / FILE_NAME
    path.write_text(settings.settings_path().read_text(encoding="utf-8")
                    .replace(f"disclosure_threshold: {settings.min_count()}", "disclosure_threshold: 3"),
                    encoding="utf-8")
    monkeypatch.setattr(settings, "settings_path", lambda: path)
    assert {k: substitutions()[k] for k in ("graense", "graense_minus_en", "skjult_markering")} == \
        {"graense": "tre", "graense_minus_en": "to", "skjult_markering": "<3"}


def test_the_pages_confidence_level_follows_the_books_significance_level(monkeypatch):
    """{{ konfidensniveau }} is the level of the book's single intervals: 95 pct. at the 5 pct. level."""
    monkeypatch.syspath_prepend(str(paths.PROJECT_ROOT / "book" / "_ext"))
    from settings_substitutions import substitutions

    from municipal_survey.analysis import stats

    assert substitutions()["konfidensniveau"] == "95 pct."
    monkeypatch.setattr(stats, "ALPHA", 0.1)
    assert substitutions()["konfidensniveau"] == "90 pct."
