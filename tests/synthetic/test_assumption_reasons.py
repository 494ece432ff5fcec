"""Every assumption of the synthetic data gives its reason in Danish, the language the book shows."""
import re

import pytest

from municipal_survey.data.errors import DataError
from municipal_survey.synthetic import calibration
from municipal_survey.synthetic.assumptions import load_assumptions

ENGLISH = re.compile(r"\b(?:the|because|which|without|between|published|figure|item|municipalit(?:y|ies)|"
                     r"share|of|and|not|is|are)\b")


def test_every_reason_has_a_danish_text_with_danish_numbers():
    assumptions = load_assumptions()
    items = calibration.assumption_table(assumptions)
    general = calibration.general_assumptions(assumptions)
    assert len(items) > 300 and len(general) >= 10
    for reason in list(items["reason_da"]) + list(general["reason_da"]):
        assert reason and not ENGLISH.search(reason), reason
        # Ranges take an en dash and decimals a comma (section numbers such as 2.16 keep their point).
        assert not re.search(r"\d-\d|\d\.\d+ pct|0\.\d", reason), reason
    assert (items["reason"] != items["reason_da"]).all()  # the English stays for those who edit the files


def test_a_missing_danish_reason_names_the_file_and_the_question(tmp_path):
    (tmp_path / "general.yml").write_text("seed: 1\nwave: 2020\ndefaults: {}\nloadings: {}\n")
    (tmp_path / "ch9.yml").write_text("items:\n  org_x_samlet:\n    n: 80\n    reason: 'only English'\n")
    with pytest.raises(DataError, match=r"ch9\.yml.*org_x_samlet.*reason_da") as err:
        load_assumptions(tmp_path)
    assert "Danish" in str(err.value)
