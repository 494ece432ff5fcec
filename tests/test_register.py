from pathlib import Path

import pandas as pd
import pytest

from municipal_survey.data import paths
from municipal_survey.data.errors import DataError
from municipal_survey.data.register import REGIONS, load_register


@pytest.fixture(scope="module")
def register():
    return load_register()


def test_register_holds_the_98_municipalities(register):
    assert list(register.columns) == ["code", "name", "region", "population_2020"]
    assert len(register) == 98
    assert register["code"].is_unique
    assert register["code"].str.fullmatch(r"[0-9]{3}").all()
    assert pd.api.types.is_string_dtype(register["code"])
    assert list(register["code"]) == sorted(register["code"])
    assert set(register["region"]) == set(REGIONS) and len(REGIONS) == 5
    assert register["population_2020"].dtype == "int64"
    assert register["population_2020"].sum() == 5_822_679
    assert "411" not in set(register["code"])  # Christiansø is not a municipality


def test_region_totals_match_danmarks_statistik(register):
    totals = register.groupby("region")["population_2020"].sum().to_dict()
    assert totals == {"Region Hovedstaden": 1_845_939, "Region Sjælland": 837_359,
                      "Region Syddanmark": 1_223_105, "Region Midtjylland": 1_326_340,
                      "Region Nordjylland": 589_936}


@pytest.mark.parametrize(("code", "name", "region", "population"), [
    ("101", "København", "Region Hovedstaden", 632_340),
    ("751", "Aarhus", "Region Midtjylland", 349_983),
    ("461", "Odense", "Region Syddanmark", 204_895),
    ("851", "Aalborg", "Region Nordjylland", 217_075),
    ("825", "Læsø", "Region Nordjylland", 1_786),
    ("169", "Høje-Taastrup", "Region Hovedstaden", 50_759),
    ("173", "Lyngby-Taarbæk", "Region Hovedstaden", 56_214),
    ("580", "Aabenraa", "Region Syddanmark", 58_761),
    ("400", "Bornholm", "Region Hovedstaden", 39_499),
])
def test_spot_checks(register, code, name, region, population):
    row = register.set_index("code").loc[code]
    assert (row["name"], row["region"], row["population_2020"]) == (name, region, population)


def test_default_path_is_the_projects_register():
    assert paths.REGISTER_FILE == paths.DATA_DIR / "register" / "municipalities.csv"
    assert paths.REGISTER_FILE.is_file()
    assert load_register(paths.REGISTER_FILE).equals(load_register())


# --- malformed copies of the real register --------------------------------------------------

def corrupt(tmp_path: Path, row: int, line: str | None) -> Path:
    """A copy of the register whose spreadsheet `row` (header = 1) is replaced by `line` (None: dropped)."""
    lines = paths.REGISTER_FILE.read_text(encoding="utf-8").splitlines()
    if line is None:
        del lines[row - 1]
    else:
        lines[row - 1] = line
    path = tmp_path / "municipalities.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def problem_text(path: Path) -> str:
    with pytest.raises(DataError) as err:
        load_register(path)
    return str(err.value)


@pytest.mark.parametrize(("row", "line", "column", "value", "expected"), [
    # row 3 is Frederiksberg (147): give it København's code
    (3, "101,Frederiksberg,Region Hovedstaden,104305", "code", "'101'", "a unique kommunekode (also in row 2)"),
    (3, "14,Frederiksberg,Region Hovedstaden,104305", "code", "'14'", "a 3-digit kommunekode"),
    (3, "１４７,Frederiksberg,Region Hovedstaden,104305", "code", "'１４７'", "a 3-digit kommunekode"),
    (3, "147,Frederiksberg,Region Øst,104305", "region", "'Region Øst'", "one of Region Hovedstaden"),
    (3, "147,Frederiksberg,Hovedstaden,104305", "region", "'Hovedstaden'", "one of Region Hovedstaden"),
    (3, "147,Frederiksberg,Region Hovedstaden,-5", "population_2020", "'-5'", "a positive whole number"),
    (3, "147,Frederiksberg,Region Hovedstaden,0", "population_2020", "'0'", "a positive whole number"),
    (3, "147,Frederiksberg,Region Hovedstaden,104.305", "population_2020", "'104.305'",
     "a positive whole number"),
    (3, "147,Frederiksberg,Region Hovedstaden,mange", "population_2020", "'mange'", "a positive whole number"),
    (3, "147,Frederiksberg,Region Hovedstaden,²", "population_2020", "'²'", "a positive whole number"),
    (3, "147,,Region Hovedstaden,104305", "name", "''", "the municipality's name"),
    (3, "147, Frederiksberg,Region Hovedstaden,104305", "name", "' Frederiksberg'",
     "the municipality's name (not empty, no leading or trailing spaces)"),
])
def test_bad_cell_names_file_row_column_value_and_expectation(tmp_path, row, line, column, value, expected):
    path = corrupt(tmp_path, row, line)
    text = problem_text(path)
    assert f"{path}, row {row}, column '{column}': got {value}, expected {expected}" in text


def test_missing_column_is_named(tmp_path):
    path = tmp_path / "municipalities.csv"
    lines = paths.REGISTER_FILE.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n", encoding="utf-8")
    text = problem_text(path)
    assert f"{path}, row 1, column 'population_2020'" in text and "expected this column in the header" in text


def test_wrong_number_of_fields_and_blank_lines_are_named(tmp_path):
    path = corrupt(tmp_path, 3, "147,Frederiksberg,Region Hovedstaden,104305,x")
    assert f"{path}, row 3: got '5 fields', expected 4 fields, as in the header" in problem_text(path)
    path = corrupt(tmp_path, 3, "")
    assert f"{path}, row 3: got 'an empty line', expected a municipality row" in problem_text(path)


def test_header_only_file_is_refused(tmp_path):
    path = tmp_path / "municipalities.csv"
    path.write_text("code,name,region,population_2020\n", encoding="utf-8")
    assert "expected one row per municipality" in problem_text(path)


def test_all_problems_are_listed_one_per_line(tmp_path):
    path = corrupt(tmp_path, 3, "101,,Region Øst,-1")
    with pytest.raises(DataError) as err:
        load_register(path)
    assert [(p.row, p.column) for p in err.value.problems] == [
        (3, "code"), (3, "name"), (3, "region"), (3, "population_2020")]
    lines = str(err.value).splitlines()
    assert len(lines) == 5 and lines[0] == "4 problem(s) in the input:"
    assert all(str(path) in line for line in lines[1:])
