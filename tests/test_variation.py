import pytest

from municipal_survey.analysis import organisation, variation
from municipal_survey.data.survey import load_survey


def test_size_groups_split_the_municipalities_in_about_thirds():
    survey = load_survey()
    counts = variation.size_groups(survey.register).value_counts()
    assert counts.to_dict() == {"Under 35.000 indbyggere": 29, "35.000–54.999 indbyggere": 36,
                                "55.000 indbyggere og derover": 33}
    groups = variation.size_groups(survey.register)
    assert groups["101"] == "55.000 indbyggere og derover" and groups["825"] == "Under 35.000 indbyggere"


def test_breakdown_cells_add_up_to_the_national_share():
    survey = load_survey()
    qid = "org_kvalitet_samlet"
    table = variation.breakdown(survey, [qid], "region")
    assert len(table) == 5
    assert table["n"].sum() == 85 and table["k_top2"].sum() == 39  # 39/85 = 46 pct., figure 1


def test_no_size_or_region_difference_is_significant_after_holm():
    # The report: no clear tendency by size or region, and the differences it names are not significant.
    survey = load_survey()
    areas = organisation.areas(survey)
    questions = dict(zip(areas["short_label"], areas["overall"]))
    for by in ("size", "region"):
        table = variation.group_differences(survey, questions, by)
        assert len(table) == 9
        assert (table["p_holm"] >= 0.05).all()
        # Holm: the smallest p is multiplied by the number of tests (9), and no adjusted p is below its own p.
        smallest = table["p"].idxmin()
        assert table.at[smallest, "p_holm"] == pytest.approx(min(1.0, 9 * table.at[smallest, "p"]))
        assert (table["p_holm"] >= table["p"]).all()


def test_small_cells_are_suppressed_in_the_shown_table():
    from municipal_survey.analysis import disclosure

    survey = load_survey()
    table = variation.breakdown(survey, ["org_kvalitet_samlet"], "region")
    table.loc[table["group"] == "Region Nordjylland", ["n", "k_top2"]] = [4, 1]  # a cell of 4 municipalities
    wide = variation.breakdown_wide(disclosure.suppress_small(table, "n"), ["org_kvalitet_samlet"], {})
    assert wide.at["org_kvalitet_samlet", "Region Nordjylland"] == "<5"
    assert wide.at["org_kvalitet_samlet", "Region Hovedstaden"].endswith(")")
    assert list(wide.columns)[0] == "Region Hovedstaden"  # the register's region order, not alphabetical
