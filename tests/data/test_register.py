from pathlib import Path

import pandas as pd
import pytest

from municipal_survey.data import paths
from municipal_survey.data.errors import DataError
from municipal_survey.data.register import REGIONS, load_register, population_year_for, register_years


@pytest.fixture(scope="module")
def register():
    return load_register()


def test_register_holds_the_98_municipalities(register):
    assert list(register.columns) == ["code", "name", "region", "population", "population_year"]
    assert len(register) == 98
    assert register["code"].is_unique
    assert register["code"].str.fullmatch(r"[0-9]{3}").all()
    assert pd.api.types.is_string_dtype(register["code"])
    assert list(register["code"]) == sorted(register["code"])
    assert set(register["region"]) == set(REGIONS) and len(REGIONS) == 5
    assert register["population"].dtype == "int64"
    assert register["population"].sum() == 5_822_679
    assert set(register["population_year"]) == {2020}  # 1 January 2020 (FOLK1A 2020K1)
    assert "411" not in set(register["code"])  # Christiansø is not a municipality


def test_region_totals_match_danmarks_statistik(register):
    totals = register.groupby("region")["population"].sum().to_dict()
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
    assert (row["name"], row["region"], row["population"]) == (name, region, population)


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
    (3, "101,Frederiksberg,Region Hovedstaden,104305,2020", "code", "'101'",
     "a unique kommunekode per population_year (also in row 2)"),
    (3, "14,Frederiksberg,Region Hovedstaden,104305,2020", "code", "'14'", "a 3-digit kommunekode"),
    (3, "１４７,Frederiksberg,Region Hovedstaden,104305,2020", "code", "'１４７'", "a 3-digit kommunekode"),
    (3, "147,Frederiksberg,Region Øst,104305,2020", "region", "'Region Øst'", "one of Region Hovedstaden"),
    (3, "147,Frederiksberg,Hovedstaden,104305,2020", "region", "'Hovedstaden'", "one of Region Hovedstaden"),
    (3, "147,Frederiksberg,Region Hovedstaden,-5,2020", "population", "'-5'", "a positive whole number"),
    (3, "147,Frederiksberg,Region Hovedstaden,0,2020", "population", "'0'", "a positive whole number"),
    (3, "147,Frederiksberg,Region Hovedstaden,104.305,2020", "population", "'104.305'",
     "a positive whole number"),
    (3, "147,Frederiksberg,Region Hovedstaden,mange,2020", "population", "'mange'", "a positive whole number"),
    (3, "147,Frederiksberg,Region Hovedstaden,²,2020", "population", "'²'", "a positive whole number"),
    (3, "147,,Region Hovedstaden,104305,2020", "name", "''", "the municipality's name"),
    (3, "147,Frederiksberg,Region Hovedstaden,104305,20", "population_year", "'20'",
     "the year of the population figure (1 January)"),
    (3, "147, Frederiksberg,Region Hovedstaden,104305,2020", "name", "' Frederiksberg'",
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
    assert f"{path}, row 1, column 'population_year'" in text and "expected this column in the header" in text


def test_wrong_number_of_fields_and_blank_lines_are_named(tmp_path):
    path = corrupt(tmp_path, 3, "147,Frederiksberg,Region Hovedstaden,104305,2020,x")
    assert f"{path}, row 3: got '6 fields', expected 5 fields, as in the header" in problem_text(path)
    path = corrupt(tmp_path, 3, "")
    assert f"{path}, row 3: got 'an empty line', expected a municipality row" in problem_text(path)


def test_header_only_file_is_refused(tmp_path):
    path = tmp_path / "municipalities.csv"
    path.write_text("code,name,region,population,population_year\n", encoding="utf-8")
    assert "expected one row per municipality" in problem_text(path)


def test_all_problems_are_listed_one_per_line(tmp_path):
    path = corrupt(tmp_path, 3, "101,,Region Øst,-1,2020")
    with pytest.raises(DataError) as err:
        load_register(path)
    assert [(p.row, p.column) for p in err.value.problems] == [
        (3, "code"), (3, "name"), (3, "region"), (3, "population")]
    lines = str(err.value).splitlines()
    assert len(lines) == 5 and lines[0] == "4 problem(s) in the input:"
    assert all(str(path) in line for line in lines[1:])


# --- several population years ---------------------------------------------------------------

def with_a_later_year(tmp_path: Path, change=lambda line: line) -> Path:
    """The register plus every municipality again for 1 January 2022 (population + 1000), each
    added line passed through `change`."""
    lines = paths.REGISTER_FILE.read_text(encoding="utf-8").splitlines()
    later = []
    for line in lines[1:]:
        code, name, region, population, _year = line.split(",")
        later.append(change(f"{code},{name},{region},{int(population) + 1000},2022"))
    path = tmp_path / "municipalities.csv"
    path.write_text("\n".join(lines + later) + "\n", encoding="utf-8")
    return path


def test_the_register_gives_the_population_of_the_nearest_year(tmp_path):
    path = with_a_later_year(tmp_path)
    assert register_years(path) == [2020, 2022]
    for asked, used in ((2019, 2020), (2020, 2020), (2021, 2022), (2022, 2022), (2030, 2022)):
        register = load_register(path, year=asked)
        assert len(register) == 98 and set(register["population_year"]) == {used}, asked
        assert register["population"].sum() == 5_822_679 + (98_000 if used == 2022 else 0)
    assert register_years() == [2020]
    assert load_register(year=2022)["population"].sum() == 5_822_679  # only 2020 is there


def test_population_year_for_names_its_rule():
    assert population_year_for(2022, [2020]) == 2020
    assert population_year_for(2021, [2020, 2022]) == 2022  # a tie: the later year
    assert population_year_for(2018, [2020, 2022]) == 2020
    with pytest.raises(ValueError, match="no population year"):
        population_year_for(2020, [])


def test_a_year_missing_a_municipality_is_named(tmp_path):
    path = with_a_later_year(tmp_path, lambda line: "" if line.startswith("825,") else line)
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    text = problem_text(path)
    assert f"{path}, column 'population_year': got '2022', expected a row for every municipality" in text
    assert "(missing: 825)" in text


def test_a_municipality_renamed_between_years_is_named(tmp_path):
    path = with_a_later_year(tmp_path, lambda line: line.replace("Læsø", "Læsø Kommune"))
    rows = [number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
            if line.startswith("825,")]
    assert rows[1] == rows[0] + 98  # the 2022 block repeats the 98 rows after the 2020 block
    assert (f"{path}, row {rows[1]}, column 'name': got 'Læsø Kommune', expected 'Læsø' as in row {rows[0]}"
            in problem_text(path))
