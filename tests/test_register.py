import pytest

from municipal_survey.errors import DataError
from municipal_survey.register import REGIONS, load_register


@pytest.fixture(scope="module")
def register():
    return load_register()


def test_register_holds_the_98_municipalities(register):
    assert len(register) == 98
    assert register["code"].is_unique
    assert set(register["region"]) == set(REGIONS)
    assert register["population_2020"].sum() == 5_822_679
    assert "411" not in set(register["code"])  # Christiansø is not a municipality


def test_region_totals_match_danmarks_statistik(register):
    totals = register.groupby("region")["population_2020"].sum().to_dict()
    assert totals == {"Region Hovedstaden": 1_845_939, "Region Sjælland": 837_359,
                      "Region Syddanmark": 1_223_105, "Region Midtjylland": 1_326_340,
                      "Region Nordjylland": 589_936}


@pytest.mark.parametrize(("code", "name", "population"), [
    ("101", "København", 632_340), ("751", "Aarhus", 349_983), ("461", "Odense", 204_895),
    ("851", "Aalborg", 217_075), ("825", "Læsø", 1_786),
])
def test_spot_checks(register, code, name, population):
    row = register.set_index("code").loc[code]
    assert (row["name"], row["population_2020"]) == (name, population)


@pytest.mark.parametrize(("line", "column", "expected"), [
    ("101,København,Region Hovedstaden,632340", "code", "unique kommunekode"),
    ("99,Foo,Region Hovedstaden,10", "code", "3-digit kommunekode"),
    ("999,Foo,Region Øst,10", "region", "one of Region Hovedstaden"),
    ("999,Foo,Region Sjælland,-5", "population_2020", "positive whole number"),
])
def test_bad_rows_name_file_row_column_and_expectation(tmp_path, line, column, expected):
    path = tmp_path / "register.csv"
    path.write_text("code,name,region,population_2020\n101,København,Region Hovedstaden,632340\n" + line + "\n",
                    encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_register(path)
    text = str(err.value)
    assert str(path) in text and "row 3" in text and f"column '{column}'" in text and expected in text


def test_missing_column_is_named(tmp_path):
    path = tmp_path / "register.csv"
    path.write_text("code,name,region\n101,København,Region Hovedstaden\n", encoding="utf-8")
    with pytest.raises(DataError, match="column 'population_2020'"):
        load_register(path)
