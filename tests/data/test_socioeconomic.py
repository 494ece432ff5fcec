"""The socioeconomic index file: validated precisely, named on the pages it is used on, and a labelled
stand-in until one is given."""
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import book_extension
import pandas as pd
import pytest

from municipal_survey import cli
from municipal_survey.data import paths, socioeconomic
from municipal_survey.data.errors import DataError
from municipal_survey.data.register import load_register

ROOT = paths.PROJECT_ROOT
FIXTURE = ROOT / "tests" / "fixtures" / "socioeconomic_index.csv"


@pytest.fixture(scope="module")
def register():
    return load_register()


def lines(register, year="2020") -> list[str]:
    codes = sorted(register["code"])
    return ["kommunekode;indeks;år"] + [f"{c};1,0{i % 10};{year}" for i, c in enumerate(codes)]


def write(tmp_path, rows: list[str], name="indeks.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def problems(path, register) -> list[str]:
    with pytest.raises(DataError) as error:
        socioeconomic.load_index(path, register)
    return [str(p) for p in error.value.problems]


def test_a_valid_csv_is_read_with_danish_decimals(tmp_path, register):
    index = socioeconomic.load_index(write(tmp_path, lines(register)), register)
    assert len(index.values) == 98 and index.values["101"] == 1.0 and index.values["147"] == 1.01
    assert not index.synthetic and index.year == 2020
    assert index.label_da == "socioøkonomisk indeks fra filen indeks.csv (2020)"


def test_the_shipped_fixture_is_valid(register):
    index = socioeconomic.load_index(FIXTURE, register)
    assert index.values.is_monotonic_increasing  # the fixture rises with the kommunekode


def test_a_valid_xlsx_is_read(tmp_path, register):
    codes = sorted(register["code"])
    frame = pd.DataFrame({"kommunekode": [int(c) for c in codes], "indeks": [0.9 + i / 1000 for i in range(98)],
                          "år": 2020})
    path = tmp_path / "indeks.xlsx"
    frame.to_excel(path, index=False)
    index = socioeconomic.load_index(path, register)
    assert index.values["101"] == pytest.approx(0.9) and len(index.values) == 98


@pytest.mark.parametrize("row", [1, 50, 98])  # a bad value first, in the middle and last
def test_each_bad_cell_is_named_by_file_row_and_column(tmp_path, register, row):
    rows = lines(register)
    code = rows[row].split(";")[0]
    rows[row] = f"{code};høj;20x0"
    path = write(tmp_path, rows)
    assert problems(path, register) == [
        f"{path}, row {row + 1}, column 'indeks': got 'høj', expected a positive number, e.g. 1,02 or 0.87",
        f"{path}, row {row + 1}, column 'år': got '20x0', expected the year 2020"]


def test_codes_unknown_duplicated_malformed_and_missing(tmp_path, register):
    rows = lines(register)
    first = rows[1].split(";")[0]
    rows[2] = f"{first};1,1;2020"  # row 3 repeats row 2's municipality (and so row 3's is missing)
    rows[4] = "999;1,1;2020"
    rows[5] = "12;1,1;2020"
    path = write(tmp_path, rows)
    found = problems(path, register)
    assert found[:3] == [
        f"{path}, row 3, column 'kommunekode': got '{first}', expected each municipality once (also in row 2)",
        f"{path}, row 5, column 'kommunekode': got '999', expected a kommunekode in the register",
        f"{path}, row 6, column 'kommunekode': got '12', expected a 3-digit kommunekode, e.g. 101"]
    assert found[3].startswith(f"{path}, column 'kommunekode': got '") and "(3 missing)" in found[3]


@pytest.mark.parametrize("value", ["0", "-1,2", "1.2.3", ""])
def test_the_index_must_be_a_positive_number(tmp_path, register, value):
    rows = lines(register)
    rows[7] = rows[7].split(";")[0] + f";{value};2020"
    assert problems(write(tmp_path, rows), register)[0].endswith(
        f"row 8, column 'indeks': got '{value}', expected a positive number, e.g. 1,02 or 0.87")


def test_another_year_is_rejected(tmp_path, register):
    found = problems(write(tmp_path, lines(register, year="2019")), register)
    assert len(found) == 98 and found[0].endswith("row 2, column 'år': got '2019', expected the year 2020")


def test_layout_problems(tmp_path, register):
    comma = write(tmp_path, [r.replace(";", ",") for r in lines(register)], "komma.csv")
    assert problems(comma, register)[0] == (
        f"{comma}, row 1, column 'kommunekode': got ['kommunekode,indeks,år'], expected the header "
        "kommunekode;indeks;år (separated by semicolons); the fields are separated by commas")
    two = ["kommunekode;indeks"] + [r.rsplit(";", 1)[0] for r in lines(register)[1:]]
    missing = write(tmp_path, two, "to.csv")
    assert [p.split(": got")[0] for p in problems(missing, register)] == [f"{missing}, row 1, column 'år'"]
    rows = lines(register)
    rows[10] = rows[10] + ";ekstra"
    rows.insert(20, "")
    extra = write(tmp_path, rows, "ekstra.csv")
    found = problems(extra, register)
    assert found[0].startswith(f"{extra}, row 11: got [") and "three fields: kommunekode;indeks;år" in found[0]
    assert found[1] == f"{extra}, row 21: got 'a blank row', expected one row per municipality"


def test_file_level_problems(tmp_path, register):
    assert problems(tmp_path / "none.csv", register) == [
        f"{tmp_path / 'none.csv'}: got 'no such file', expected a CSV or XLSX file with the columns "
        "kommunekode;indeks;år"]
    text = write(tmp_path, lines(register), "indeks.txt")
    assert problems(text, register) == [f"{text}: got '.txt', expected a .csv or .xlsx file"]
    latin = tmp_path / "latin.csv"
    latin.write_bytes("\n".join(lines(register)).encode("cp1252"))
    assert problems(latin, register) == [f"{latin}: got \"b'\\\\xe5'\", expected UTF-8 text"]
    empty = write(tmp_path, [""], "tom.csv")
    assert problems(empty, register) == [f"{empty}: got 'an empty file', expected a header kommunekode;indeks;år "
                                         "and data"]
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    assert problems(broken, register)[0].startswith(f"{broken}: got '")


def test_the_stand_in_is_labelled_and_fixed(register):
    index = socioeconomic.standin_index(register)
    assert index.synthetic and "syntetisk erstatning" in index.label_da
    assert len(index.values) == 98 and index.values.equals(socioeconomic.standin_index(register).values)
    assert 0.9 < index.values.mean() < 1.1


def test_the_active_index_follows_the_environment(register, monkeypatch):
    monkeypatch.delenv(paths.INDEX_ENV, raising=False)
    assert socioeconomic.active_index(register).synthetic
    monkeypatch.setenv(paths.INDEX_ENV, str(FIXTURE))
    assert socioeconomic.active_index(register).path == FIXTURE.resolve()


def test_cli_index_command(capsys, tmp_path, register):
    assert cli.main(["index", str(FIXTURE)]) == 0
    assert "98 municipalities, year 2020" in capsys.readouterr().out
    bad = write(tmp_path, lines(register, year="2019"))
    assert cli.main(["index", str(bad)]) == 2
    assert "98 problem(s) in the socioeconomic index file" in capsys.readouterr().err


def test_the_banner_names_the_index_file_or_the_stand_in(monkeypatch):
    dataset_banner = book_extension.load("dataset_banner")
    monkeypatch.delenv(paths.INDEX_ENV, raising=False)
    assert "syntetisk erstatning – ikke ministeriets indeks" in dataset_banner.banner("data.html")
    assert "syntetisk erstatning" in dataset_banner.details()
    monkeypatch.setenv(paths.INDEX_ENV, str(FIXTURE))
    shown = dataset_banner.banner("data.html")
    assert "<code>socioeconomic_index.csv</code>" in shown and "erstatning" not in shown
    # The index file's hash is on the data page, computed here from the file.
    digest = hashlib.sha256(FIXTURE.read_bytes()).hexdigest()[:12]
    assert f"<code>socioeconomic_index.csv</code>, sha256 <code>{digest}</code>" in dataset_banner.details()


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_book_passes_the_index_file_to_every_build_step(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", paths.INDEX_ENV)}
    dry = subprocess.run(["make", "-n", "--no-print-directory", "-C", str(ROOT), "book",
                          f"SOCIOECONOMIC_INDEX={FIXTURE}", f"BUILD_DIR={tmp_path / '_build'}"],
                         env=env, capture_output=True, text=True, check=True).stdout
    assert f"-m municipal_survey index \"{FIXTURE}\"" in dry  # checked before anything is built
    for step in ("site-current", "fingerprint", "execute-cache", "jupyter-book build"):
        line = next(x for x in dry.splitlines() if step in x)
        assert f"{paths.INDEX_ENV}={FIXTURE.resolve()}" in line, step
