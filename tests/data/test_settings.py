"""The book's settings (data/settings.yml): the wave the chapters report on is read from the file, a bad
file names file, key and what was expected, and a changed threshold reaches every mark, message and
decision (the suppressed mark, the rule, the sentences, the disclosure check and the pages' substitutions)."""
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from municipal_survey.data import paths, settings
from municipal_survey.data.errors import DataError
from municipal_survey.data.settings import FILE_NAME, book_wave, load_settings
from municipal_survey.data.survey import load_survey
from municipal_survey.report import sentences


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


# A changed threshold reaches every mark, message and decision: a scratch copy of the project's data with
# the threshold 3 (the package reads it through $MUNICIPAL_SURVEY_ROOT, as a data holder's copy would).
# Run in a fresh interpreter: the package reads the settings when it is imported.
PROBE = r"""
import json, sys
import pandas as pd
from municipal_survey.analysis import disclosure
from municipal_survey.build import disclosure_check as check
from municipal_survey.report import chapter3, tables
sys.path.insert(0, sys.argv[1])
from settings_substitutions import substitutions

table = pd.DataFrame({"Gruppe": ["a", "b", "c"], "Kommuner": [2, 3, 4], "Andel": [50.0, 33.0, 25.0]})
shown = disclosure.suppress_small(table, "Kommuner")
page = check.Table("k3.html", "Andel pr. region", {check.BREAKDOWN_CLASS}, ["Region", "N"],
                   [["Nord", "2"], ["Syd", "3"], ["Øst", "4"]])
print(json.dumps({
    "min_count": disclosure.MIN_COUNT, "mark": disclosure.MARK,
    "suppressed": shown["Kommuner"].tolist(), "share": shown["Andel"].tolist(),
    "share_reasons": [disclosure.share_reason(3, 6), bool(disclosure.share_reason(2, 6))],
    "sentence": chapter3.suppressed_text(pd.DataFrame({"suppressed": [True, False, False]})),
    "shares": tables.shares_wide(pd.DataFrame({"label": ["x"], "group": ["a"], "share": [25.0],
                                               "suppressed": [True]})).iloc[0].tolist(),
    "findings": [f.what for f in check.breakdown_findings(page)],
    "pages": {k: substitutions()[k] for k in ("graense", "skjult_markering")},
}))
"""


def test_threshold_three_in_the_settings_changes_marks_messages_and_suppression(tmp_path):
    shutil.copytree(paths.DATA_DIR, tmp_path / "data", ignore=shutil.ignore_patterns("private", "imported"))
    # and the pages' sentence templates, read through $MUNICIPAL_SURVEY_ROOT as the data are
    shutil.copytree(paths.PROJECT_ROOT / sentences.SENTENCES_DIR, tmp_path / sentences.SENTENCES_DIR)
    settings_file = tmp_path / "data" / FILE_NAME
    text, changed = re.subn(r"(?m)^disclosure_threshold: \d+$", "disclosure_threshold: 3",
                            settings_file.read_text(encoding="utf-8"))
    assert changed == 1
    settings_file.write_text(text, encoding="utf-8")
    env = {**os.environ, "MUNICIPAL_SURVEY_ROOT": str(tmp_path), "MUNICIPAL_SURVEY_RESPONSES": ""}
    run = subprocess.run([sys.executable, "-c", PROBE, str(paths.PROJECT_ROOT / "book" / "_ext")],
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    assert (seen["min_count"], seen["mark"]) == (3, "<3")
    assert seen["suppressed"] == ["<3", 3, 4] and seen["share"] == ["<3", 33.0, 25.0]
    assert seen["share_reasons"] == ["", True]  # 3 with the answer and 3 without pass; 2 does not
    assert seen["sentence"] == 'Én af tabellens 3 celler er skjult (vist som "<3").'
    assert "<3" in seen["shares"]
    assert seen["findings"] == ["row 1, column 'N': count '2' under 3 is not suppressed"]
    assert seen["pages"] == {"graense": "tre", "skjult_markering": "<3"}
