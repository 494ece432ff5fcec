"""Words that depend on a number are computed from it, with the boundaries where they change."""
import pytest

from municipal_survey.report import phrasing


@pytest.mark.parametrize("pct, expected", [
    (69, "69 pct."), (70, "hele 70 pct."), (77, "hele 77 pct."), (100, "hele 100 pct."), (0, "0 pct."),
])
def test_a_large_share_is_stressed_with_hele_from_70(pct, expected):
    assert phrasing.share_words(pct) == expected


@pytest.mark.parametrize("pct, expected", [
    (47, "cirka halvdelen"),  # the report's 1.9: 47 pct. (summary) is "cirka halvdelen"
    (50, "cirka halvdelen"), (53, "cirka halvdelen"),
    (46, "knap halvdelen"), (44, "knap halvdelen"), (43, None),
    (54, "godt halvdelen"), (56, "godt halvdelen"), (57, None),
    (30, "knap en tredjedel"), (31, "cirka en tredjedel"), (36, "cirka en tredjedel"), (37, "godt en tredjedel"),
    (25, "cirka en fjerdedel"), (19, "knap en fjerdedel"), (18, None),
    (67, "cirka to tredjedele"), (75, "cirka tre fjerdedele"), (81, "godt tre fjerdedele"), (82, None),
    (0, None), (100, None),
])
def test_fraction_words_at_their_boundaries(pct, expected):
    assert phrasing.fraction_words(pct) == expected


def test_share_of_keeps_the_number_beside_the_fraction_and_falls_back_to_the_number():
    assert phrasing.share_of(47) == "cirka halvdelen af kommunerne (47 pct.)"
    assert phrasing.share_of(40) == "40 pct. af kommunerne"
    assert phrasing.share_of(90, "de adspurgte kommuner") == "hele 90 pct. af de adspurgte kommuner"


@pytest.mark.parametrize("pct, expected", [(49, "et mindretal"), (50, "halvdelen"), (51, "et flertal")])
def test_majority_words(pct, expected):
    assert phrasing.majority_words(pct) == expected


def test_rank_words_as_the_report_writes_them():
    assert phrasing.rank_word(1) == "største"
    assert phrasing.rank_word(2, "hyppigste") == "næsthyppigste"
    assert phrasing.rank_word(3, "hyppigste") == "tredjehyppigste"
    assert phrasing.rank_word(3, "laveste") == "tredjelaveste"
    with pytest.raises(ValueError):
        phrasing.rank_word(0)


def test_comparisons():
    assert phrasing.compare(31, 15) == "flere"
    assert phrasing.compare(15, 31) == "færre"
    assert phrasing.compare(20, 20) == "lige så mange"


def test_number_words_and_enumerations():
    assert [phrasing.number_word(n) for n in (1, 4, 9, 12, 13)] == ["en", "fire", "ni", "tolv", "13"]
    assert phrasing.number_word(1, neuter=True) == "et" and phrasing.number_word(2, neuter=True) == "to"
    assert phrasing.enumerate_da(["a", "b", "c"], "samt") == "a, b samt c"
    assert phrasing.enumerate_da(["a"]) == "a"
    assert phrasing.capitalize("cirka halvdelen") == "Cirka halvdelen"


@pytest.mark.parametrize("bad", [-1, 101])
def test_a_share_outside_0_100_is_an_error(bad):
    with pytest.raises(ValueError, match="0..100"):
        phrasing.share_words(bad)


def test_a_count_of_a_whole_reads_as_words_never_as_nine_of_nine():
    assert phrasing.count_of(9, 9, "områder") == "alle ni områder"
    assert phrasing.count_of(0, 9, "områder") == "ingen af de ni områder"
    assert phrasing.count_of(5, 9, "områder") == "fem af de ni områder"
    assert phrasing.count_of(14, 17, "målgrupper") == "14 af de 17 målgrupper"
    # without a noun, as the summary tells how many of the three areas go the stated way
    assert [phrasing.count_of(k, 3) for k in (3, 2, 0)] == ["alle tre", "to af de tre", "ingen af de tre"]
    with pytest.raises(ValueError):
        phrasing.count_of(10, 9, "områder")
