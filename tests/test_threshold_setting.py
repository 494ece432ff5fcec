"""A changed threshold in data/settings.yml reaches every mark, message and decision.

A scratch copy of the project's data with the threshold 3, and of the pages' sentence templates (the
package reads both through $MUNICIPAL_SURVEY_ROOT, as a data holder's copy would): the suppressed mark
becomes "<3", a group of three passes the rule and one of two does not, the sentences and the
disclosure check of the built pages name the new mark and threshold, and the pages' substitutions say
"tre".
"""
import json
import os
import re
import shutil
import subprocess
import sys

from municipal_survey.data import paths
from municipal_survey.report import sentences

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
    shutil.copytree(paths.PROJECT_ROOT / sentences.SENTENCES_DIR, tmp_path / sentences.SENTENCES_DIR)
    settings = tmp_path / "data" / "settings.yml"
    text, changed = re.subn(r"(?m)^disclosure_threshold: \d+$", "disclosure_threshold: 3",
                            settings.read_text(encoding="utf-8"))
    assert changed == 1
    settings.write_text(text, encoding="utf-8")
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
