"""The external figures of other surveys: the shipped file loads, and bad rows name file, row and column."""
import shutil

import pytest

from municipal_survey.data import paths
from municipal_survey.data.errors import DataError
from municipal_survey.data.other_surveys import FILE_NAME, load_other_surveys


def test_the_shipped_figures_load_with_their_sources():
    table = load_other_surveys()
    # The figures the sources print (Socialstyrelsen's news pages of 2018 and 2019).
    assert table.at["vive2018_deltagelse", "value"] == 77
    assert table.at["vive2018_deltagelse", "survey_year"] == 2018
    assert table.at["vive2019_deltagere", "value"] == 85
    assert table.at["vive2019_deltagere", "unit"] == "kommuner"
    assert (table["source"].str.len() > 0).all()


@pytest.mark.parametrize("column, old, new, expected", [
    ("value", ",77,pct,", ",syvoghalvfjerds,pct,", "a number"),
    ("survey_year", ",2018,participation_pct,", ",18,participation_pct,", "the survey year"),
    ("unit", ",77,pct,", ",77,kommuner,", "'pct' for a participation_pct"),
    ("statistic", ",participation_pct,77,", ",andel,77,", "one of participation_pct"),
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
