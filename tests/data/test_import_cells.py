"""One cell of an export (data.import_cells): its text, answer codes on each scale and ticks,
kommunekoder and municipality names as people write them."""

from __future__ import annotations

import pandas as pd
import pytest

from municipal_survey.data.import_cells import Municipalities, Scale, cell_text, municipality_code, normalise_label


@pytest.mark.parametrize(
    "value, text",
    [
        (None, None),
        (pd.NA, None),
        (pd.NaT, None),
        (float("nan"), None),
        ("  ", None),
        (" 3 ", "3"),
        (3, "3"),
        (3.0, "3"),
        (2.5, "2.5"),
        (-1.0, "-1"),
        (True, "wrong"),
        (pd.Timestamp("2020-01-01"), "wrong"),
    ],
)
def test_cell_text(value, text):
    got = cell_text(value)
    assert (repr(got) == "<wrong type>") if text == "wrong" else got == text


@pytest.mark.parametrize(
    "value, code",
    [
        ("101", "101"),
        (101, "101"),
        (101.0, "101"),
        ("0101", "101"),
        ("7", "007"),
        ("101.0", "101"),
        ("+101", "101"),
        ("0", None),
        ("1000", None),
        ("101.5", None),
        ("a101", None),
        (None, None),
    ],
)
def test_municipality_code(value, code):
    assert municipality_code(value) == code


def test_municipalities_by_name_and_their_expectations():
    register = pd.DataFrame(
        {
            "code": ["101", "147", "390", "400"],
            "name": ["København", "Frederiksberg", "Vordingborg", "Vordingborg"],
        }
    )
    by_name = Municipalities.build(register, "name")
    assert by_name.code("Københavns Kommune") == "101" and by_name.code("frederiksberg") == "147"
    assert by_name.code("Vordingborg") is None and by_name.code(3) is None and by_name.code(None) is None
    assert by_name.well_formed("Ukendt") and not by_name.well_formed("101") and not by_name.well_formed(None)
    assert (
        by_name.expected("101") == "a municipality's name, e.g. København (municipality_by: name in the mapping)"
    )
    assert by_name.expected("Vordingborg") == "one municipality (the name fits Vordingborg, Vordingborg)"
    assert by_name.expected("Frederiksbjerg") == "a municipality's name in the register (nearest: Frederiksberg)"
    assert by_name.expected("Xyzzy") == "a municipality's name in the register (no register name is close)"
    by_code = Municipalities.build(register)
    assert by_code.code("0147") == "147" and by_code.code("148") is None
    assert by_code.well_formed("148") and not by_code.well_formed("Ballerup")
    assert by_code.expected("148") == "a kommunekode of a municipality in the register"
    assert by_code.expected("x") == "a kommunekode: a whole number of up to 3 digits, e.g. 101"


@pytest.mark.parametrize(
    "value, result",
    [
        ("I høj grad", ("ok", 3)),
        (" i  HØJ grad ", ("ok", 3)),
        ("4", ("ok", 4)),
        (4.0, ("ok", 4)),
        ("8,0", ("ok", 8)),
        ("5", ("scale", 5)),
        ("0", ("scale", 0)),
        ("-1", ("scale", -1)),
        ("2.5", ("type", None)),
        ("Måske", ("type", None)),
        (True, ("type", None)),
        ("", ("blank", None)),
        (None, ("blank", None)),
    ],
)
def test_likert_cells(value, result):
    assert Scale.build("likert", "q").classify(value) == result


def test_one_column_reads_equal_values_of_another_type_on_their_own():
    # A scale reads each distinct value once; True == 1 == 1.0, but a boolean is no answer.
    scale = Scale.build("multiple_choice", "q")
    cells = [1, True, 1.0, "1", True, 1, [1], float("nan"), None]
    assert [scale.classify(v) for v in cells] == [
        ("ok", 1), ("type", None), ("ok", 1), ("ok", 1), ("type", None), ("ok", 1), ("type", None),
        ("blank", None), ("blank", None)]


def test_extra_labels_override_and_null_means_unanswered():
    scale = Scale.build("likert", "q", {"ja": 4, "ubesvaret": None}, {"ja": 3, "7": 9})
    assert scale.classify("Ja") == ("ok", 3) and scale.classify("Ubesvaret") == ("blank", None)
    assert scale.classify("7") == ("ok", 9)
    assert Scale.build("likert", "q", {"nej": 0}).classify("nej") == ("scale", 0)


def test_ticks():
    plain = Scale.build("multiple_choice", "q")
    assert plain.classify("x") == ("type", None) and plain.classify("1") == ("ok", 1)
    ticks = Scale.build("multiple_choice", "q", ticks=True)
    assert ticks.classify("X") == ("ok", 1) and ticks.classify("0") == ("ok", 0) and ticks.blank_is_zero
    assert ticks.classify("Afkrydset") == ("ok", 1)


def test_what_each_scale_expects():
    assert Scale.build("likert", "q1").expected("scale") == "a code on the likert scale (4, 3, 2, 1, 8, 9) for q1"
    assert Scale.build("likert", "q1").expected("type") == (
        "a likert answer for q1: a label such as 'I høj grad' or 'Ved ikke' (other spellings go under labels: "
        "in the mapping) or a code 4, 3, 2, 1, 8, 9"
    )
    assert (
        Scale.build("status", "s").expected("type") == "a status, 1 (Delvist gennemført) or 2 (Gennemført), for s"
    )
    assert Scale.build("multiple_choice", "m").expected("type") == (
        "0 (not ticked) or 1 (ticked) for the multiple-choice question m"
    )
    assert Scale.build("multiple_choice", "m", ticks=True).expected("scale") == (
        "1 or X (ticked), 0 or blank (not ticked) for the multiple-choice question m"
    )


def test_municipality_names_ignore_separators_and_need_the_whole_name():
    register = pd.DataFrame(
        {"code": ["169", "173", "101"], "name": ["Høje-Taastrup", "Lyngby-Taarbæk", "København"]}
    )
    by_name = Municipalities.build(register, "name")
    assert by_name.code("HøjeTaastrup") == "169" and by_name.code("Lyngby - Taarbæk") == "173"
    assert by_name.code("Lyngby.Taarbæk") == "173" and by_name.code("Københavns") == "101"
    assert by_name.code("Københavnx") is None  # only a genitive s may follow the name


def test_a_register_without_names_is_read_by_code():
    by_code = Municipalities.build(pd.DataFrame({"code": [101, 147]}))
    assert by_code.codes == {"101", "147"} and by_code.names == {"101": "101", "147": "147"}
    assert by_code.code("147") == "147"


def test_a_no_break_space_inside_a_name_is_a_space():
    from municipal_survey.data.import_cells import nfc

    assert nfc(" A\xa0samlet\xa0") == "A samlet"
    assert nfc("a\u030a") == "å"


def test_normalise_label():
    assert normalise_label(" i HØJ\u00a0 grad ") == "i høj grad" == normalise_label("I høj grad")
    assert normalise_label("p\u0061\u030a  ÅR") == normalise_label("på år")  # decomposed å (macOS, SPSS)
