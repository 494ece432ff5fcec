"""One export per wave: each checked against its own mapping and combined into one tidy file.

Hand-made exports (the small codebook and register of tests/support/hand_made_export.py): the 2020
export answers for København, Frederiksberg and Ballerup, the 2022 export for København, Ballerup and
Brøndby.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import book_extension
import pandas as pd
import pytest
from hand_made_export import CODEBOOK, EXPECTED, MAPPING, REGISTER, ROWS, csv_text

from municipal_survey import cli
from municipal_survey.data import paths
from municipal_survey.data.importers import inspect_export, source_of, source_path
from municipal_survey.data.responses import RESPONSE_COLUMNS
from municipal_survey.data.wave_exports import WaveExport, import_waves, pair_exports, waves_record

ROWS_2022 = ["101,Gennemført,Slet ikke,I høj grad,0,2022-06-01",
             "151,Delvist gennemført,I høj grad,,,2022-06-02",
             "153,Gennemført,I mindre grad,Slet ikke,1,2022-06-03"]
# What the 2022 export holds, read cell by cell from ROWS_2022 (a blank tick is no answer).
EXPECTED_2022 = pd.DataFrame(
    [(2022, "101", "meta_status", 2), (2022, "101", "org_a_behov", 3), (2022, "101", "org_a_samlet", 1),
     (2022, "101", "org_a_stoette_x", 0), (2022, "151", "meta_status", 1), (2022, "151", "org_a_samlet", 3),
     (2022, "153", "meta_status", 2), (2022, "153", "org_a_behov", 1), (2022, "153", "org_a_samlet", 2),
     (2022, "153", "org_a_stoette_x", 1)],
    columns=RESPONSE_COLUMNS)


def write_wave(folder, rows, wave):
    """An export and its mapping in `folder` (eksport.csv, kortlaegning.yml: the layout of data/private/)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "eksport.csv").write_text(csv_text(rows), encoding="utf-8")
    (folder / "kortlaegning.yml").write_text(MAPPING.replace("wave: 2020", f"wave: {wave}"), encoding="utf-8")
    return WaveExport(folder / "eksport.csv", folder / "kortlaegning.yml")


def combine(exports):
    return import_waves(exports, CODEBOOK, REGISTER)


def test_two_waves_combine_into_one_tidy_file_with_the_wave(tmp_path):
    later = write_wave(tmp_path / "2022", ROWS_2022, 2022)
    earlier = write_wave(tmp_path / "2020", ROWS, 2020)
    report = combine([later, earlier])  # given in any order: the file is sorted, oldest wave first
    assert report.problems == []
    expected = pd.concat([EXPECTED, EXPECTED_2022], ignore_index=True)
    pd.testing.assert_frame_equal(report.responses, expected)
    # The same municipality in two waves is expected: København and Ballerup answer both.
    both = set(report.responses.query("wave == 2020")["municipality"]) & set(
        report.responses.query("wave == 2022")["municipality"])
    assert both == {"101", "151"}


def test_one_export_gives_exactly_the_single_import(tmp_path):
    export = write_wave(tmp_path / "private", ROWS, 2020)
    report = combine([export])
    single = inspect_export(export.export, export.mapping, CODEBOOK, REGISTER)
    pd.testing.assert_frame_equal(report.responses, single.responses)
    assert waves_record(report, "ab" * 32) == json.dumps(
        {"export": "eksport.csv", "export_sha256": hashlib.sha256(export.export.read_bytes()).hexdigest(),
         "mapping": "kortlaegning.yml", "responses_sha256": "ab" * 32}, ensure_ascii=False, indent=1) + "\n"


def test_the_same_municipality_twice_in_one_wave_names_both_rows(tmp_path):
    first = write_wave(tmp_path / "a", ROWS, 2020)
    # A second 2020 export: Ballerup (its row 3 here) again, and Brøndby, who is new.
    second = write_wave(tmp_path / "b", ["153,Gennemført,I høj grad,,1,2020-11-01",
                                         "151,Gennemført,I høj grad,,1,2020-11-02"], 2020)
    report = combine([first, second])
    assert report.responses is None
    [problem] = report.problems
    assert (problem.file, problem.row, problem.value) == (str(second.export), 3, "151")
    # Ballerup is the third data row of the first export: spreadsheet row 4 (header = row 1).
    assert problem.expected == ("each municipality once per wave: kommunekode 151 answers wave 2020 also in "
                                f"{first.export}, row 4")


def test_twice_in_one_export_is_still_the_importers_error_with_both_rows(tmp_path):
    export = write_wave(tmp_path / "2020", [*ROWS, "147,Gennemført,Slet ikke,,1,2020-10-09"], 2020)
    report = combine([export])
    [problem] = report.problems
    assert (problem.row, problem.value) == (5, "147")
    assert "each municipality once (kommunekode 147 is also in row 3)" in problem.expected


def test_an_export_in_a_year_folder_must_be_that_wave(tmp_path):
    export = write_wave(tmp_path / "2022", ROWS, 2020)  # the 2022 folder, a mapping that says 2020
    [problem] = combine([export]).problems
    assert (problem.file, problem.column, problem.value) == (str(export.mapping), "wave", 2020)
    assert problem.expected.startswith("2022, the year of the folder")


def test_every_exports_problems_are_listed_and_nothing_is_combined(tmp_path):
    good = write_wave(tmp_path / "2020", ROWS, 2020)
    bad = write_wave(tmp_path / "2022", ["101,Gennemført,Måske,,0,2022-06-01"], 2022)
    report = combine([good, bad])
    assert report.responses is None
    assert [(p.file, p.row, p.value) for p in report.problems] == [(str(bad.export), 2, "Måske")]


def test_exports_and_mappings_are_paired_in_order():
    assert pair_exports(["a.csv", "b.csv"], ["a.yml", "b.yml"])[1] == WaveExport(Path("b.csv"), Path("b.yml"))
    with pytest.raises(ValueError, match="2 export\\(s\\) but 1 mapping\\(s\\)"):
        pair_exports(["a.csv", "b.csv"], ["a.yml"])


def test_the_cli_imports_two_waves_and_the_banner_names_both_exports(tmp_path, monkeypatch, capsys):
    # The command reads the project's codebook and register; these exports use the small ones.
    monkeypatch.setattr("municipal_survey.data.wave_exports.import_waves.__defaults__", (CODEBOOK, REGISTER))
    earlier = write_wave(tmp_path / "2020", ROWS, 2020)
    later = write_wave(tmp_path / "2022", ROWS_2022, 2022)
    output = tmp_path / "imported" / "responses.csv"
    assert cli.main(["import", str(earlier.export), str(later.export), "--mapping", str(earlier.mapping),
                     str(later.mapping), "--output", str(output)]) == 0
    printed = capsys.readouterr().out
    assert f"{earlier.export}: OK - 3 municipalities" in printed and "(wave 2022)" in printed
    written = pd.read_csv(output, dtype={"municipality": str})
    assert sorted(set(written["wave"])) == [2020, 2022] and len(written) == len(EXPECTED) + len(EXPECTED_2022)
    record = source_of(output)
    assert [(e["wave"], e["export"]) for e in record["exports"]] == [(2020, "eksport.csv"), (2022, "eksport.csv")]
    assert record["exports"][1]["export_sha256"] == hashlib.sha256(later.export.read_bytes()).hexdigest()
    assert sorted(p.name for p in output.parent.iterdir()) == ["responses.csv", source_path(output).name]

    dataset_banner = book_extension.load("dataset_banner")
    monkeypatch.setenv(paths.RESPONSES_ENV, str(output))
    text = dataset_banner.banner("data.html")
    assert text.count("<code>eksport.csv</code>") == 2 and "sha256" not in text
    assert "<code>eksport.csv</code> (runden 2022)" in text
    digest = hashlib.sha256(later.export.read_bytes()).hexdigest()[:12]
    assert f"<code>eksport.csv</code>, sha256 <code>{digest}</code> (runden 2022)" in dataset_banner.details()


def test_the_cli_refuses_a_missing_mapping_without_a_traceback(tmp_path, capsys):
    earlier = write_wave(tmp_path / "2020", ROWS, 2020)
    output = tmp_path / "imported" / "responses.csv"
    assert cli.main(["import", str(earlier.export), str(earlier.export), "--mapping", str(earlier.mapping),
                     "--output", str(output)]) == 2
    assert "2 export(s) but 1 mapping(s)" in capsys.readouterr().err
    assert not output.exists()


def test_make_book_finds_one_export_per_wave_folder_in_order(tmp_path):
    """data/private/<year>/eksport.* with its kortlaegning.yml: make imports every wave, each with its own
    mapping, in the folders' order (a dry run: nothing is executed)."""
    import shutil
    import subprocess

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    private = tmp_path / "private"
    for year, suffix in (("2022", "xlsx"), ("2020", "csv")):
        (private / year).mkdir(parents=True)
        (private / year / f"eksport.{suffix}").write_text("")
        (private / year / "kortlaegning.yml").write_text("")
    (private / "2019").mkdir()  # a folder without an export is not a wave
    done = subprocess.run(["make", "--no-print-directory", "-n", "-C", str(paths.PROJECT_ROOT), "data",
                           f"PRIVATE_DIR={private}", "SOCIOECONOMIC_INDEX="], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    [command] = [line for line in done.stdout.splitlines() if "municipal_survey import" in line]
    assert command.split(" import ", 1)[1].startswith(
        f'"{private}/2020/eksport.csv" "{private}/2022/eksport.xlsx" --mapping '
        f'"{private}/2020/kortlaegning.yml" "{private}/2022/kortlaegning.yml"')
