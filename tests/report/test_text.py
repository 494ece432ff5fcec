import pytest

from municipal_survey.report.text import fmt_int, fmt_num, fmt_p, fmt_pct, join_da, parse_number


def test_danish_numbers():
    assert fmt_int(5822679) == "5.822.679"
    assert fmt_num(2.55, 1) == "2,6"
    assert fmt_num(-0.125, 2) == "-0,13"
    assert fmt_num(1234.5, 1) == "1.234,5"
    assert fmt_pct(46) == "46 pct."
    assert fmt_p(0.0004) == "under 0,001"
    assert fmt_p(0.0456) == "0,046"


@pytest.mark.parametrize("shown, plain, expected", [
    ("5.822.679", False, (5822679.0, 0)), ("2,6", False, (2.6, 1)), ("\u22121,25", False, (-1.25, 2)),
    ("1.234,5", False, (1234.5, 1)), ("17", False, (17.0, 0)), ("0", False, (0.0, 0)),
    ("1.234", True, (1234.0, 0)),  # a dot that can group thousands does so, also in plain notation
    ("0.070", True, (0.07, 3)), ("2.5", True, (2.5, 1)), ("2.5", False, None),
    ("<5", True, None), ("012", True, None), ("1,2,3", True, None), ("3 pct.", True, None), ("", True, None),
])
def test_the_one_danish_number_reader_inverts_the_formatters(shown, plain, expected):
    assert parse_number(shown, plain=plain) == expected


@pytest.mark.parametrize("value, decimals", [(5822679, 0), (1234.5, 1), (-0.13, 2), (0.0, 1), (46, 0)])
def test_a_formatted_number_reads_back_as_itself(value, decimals):
    shown = fmt_int(value) if decimals == 0 else fmt_num(value, decimals)
    assert parse_number(shown) == (value, decimals)


def test_join_da():
    assert join_da(["a"]) == "a"
    assert join_da(["a", "b", "c"]) == "a, b og c"


def test_glue_text_refuses_numbers():
    from municipal_survey.report.text import glue_text

    with pytest.raises(TypeError, match="Danish text"):
        glue_text("x", 46)


def test_lists_read_as_part_of_a_sentence():
    from municipal_survey.report.text import list_with_counts, list_with_pcts, lower_first

    assert list_with_pcts([("At indsamle data", 67), ("Familieretshuset", 48)]) == \
        "at indsamle data (67 pct.) og Familieretshuset (48 pct.)"  # a name keeps its capital
    assert lower_first("At anvende data") == "at anvende data"
    assert lower_first("Udfordringer i samarbejdet") == "udfordringer i samarbejdet"  # no capital mid-sentence
    assert lower_first("PPR's rolle") == "PPR's rolle" and lower_first("VISO") == "VISO"
    assert list_with_counts([("netværk", 23)]) == "netværk (23 kommuner)"
    assert list_with_pcts([("a", 5, True), ("b", 4, False)]) == "a (5 pct. †) og b (4 pct.)"
    assert list_with_counts([("netværk", 23, True)]) == "netværk (23 kommuner †)"


def test_small_counts_are_words_in_running_text():
    from municipal_survey.report.text import count_da

    assert [count_da(n) for n in (0, 1, 3, 9, 12)] == ["ingen", "én", "tre", "ni", "tolv"]
    assert count_da(1, neuter=True) == "ét" and count_da(3, neuter=True) == "tre"
    assert count_da(13) == "13" and count_da(1181) == "1.181"  # larger counts keep their digits
