"""The tracked-files check recognises answers by municipality in every shape the importer reads.

A wide export committed by mistake (CSV, TSV, JSON; codes or names; title rows, two-row headers)
must make the check, and so `make test` (tests/test_privacy.py runs it over the repository), fail
with the file named. Register, codebook, published numbers and the synthetic file must pass.
"""
from __future__ import annotations

import json
import shutil
import subprocess

import export_shapes
import openpyxl
import pandas as pd
import pyreadstat
import pytest

from municipal_survey.build.tracked_files import check_tracked_files
from municipal_survey.data import paths


@pytest.fixture(scope="module")
def real():
    from municipal_survey.data.codebook import load_codebook
    from municipal_survey.data.register import load_register
    from municipal_survey.data.responses import load_responses

    codebook, register = load_codebook(), load_register()
    responses = load_responses(codebook=codebook, register=register)
    few = responses[responses["municipality"].isin(sorted(responses["municipality"].unique())[:8])]
    return codebook, register, few


def findings(root, names, codebook, register):
    return [(f.where, f.what) for f in check_tracked_files(root, files=names, question_ids=codebook["question"],
                                                           register=register)]


def as_text_table(xlsx, target, sep=",", encoding="utf-8"):
    rows = list(openpyxl.load_workbook(xlsx).worksheets[-1].iter_rows(values_only=True))
    target.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(target, sep=sep, index=False, header=False, encoding=encoding)


@pytest.mark.parametrize("shape", ["surveyxact", "surveymonkey", "unicode_text", "enalyzer", "forms",
                                   "spss-as-csv", "tsv", "json-records", "json-columns", "codes-only-numbers"])
def test_a_committed_export_is_found_in_every_shape(tmp_path, real, shape):
    codebook, register, responses = real
    made = tmp_path / "made"
    suffix = {"tsv": "tsv", "unicode_text": "txt"}.get(shape, "json" if shape.startswith("json") else "csv")
    name = f"notebooks/data/kommuner_svar.{suffix}"
    target = tmp_path / name
    target.parent.mkdir(parents=True)
    if shape in ("surveyxact", "surveymonkey", "unicode_text"):
        export, _ = export_shapes.write(shape, responses, codebook, register, made)
        shutil.copy(export, target)
    elif shape in ("enalyzer", "forms"):
        export, _ = export_shapes.write(shape, responses, codebook, register, made)
        as_text_table(export, target, sep=";", encoding="cp1252")
    else:
        export, _ = export_shapes.write("spss", responses, codebook, register, made)
        frame = pyreadstat.read_sav(str(export))[0]
        frame["kommune"] = frame["kommune"].astype(int).astype(str)
        frame = frame.drop(columns="email")
        if shape == "tsv":
            frame.to_csv(target, sep="\t", index=False)
        elif shape == "json-records":
            target.write_text(frame.to_json(orient="records"), encoding="utf-8")
        elif shape == "json-columns":
            target.write_text(json.dumps({c: frame[c].tolist() for c in frame.columns}), encoding="utf-8")
        elif shape == "codes-only-numbers":
            frame.astype(object).where(frame.notna(), "").map(
                lambda v: int(v) if isinstance(v, float) else v).to_csv(target, index=False)
        else:
            frame.to_csv(target, index=False)  # as SPSS writes numbers: 3.0
    got = findings(tmp_path, [name], codebook, register)
    assert [where for where, _ in got] == [name]
    assert "holds answers by municipality" in got[0][1]


def test_binary_tables_the_check_cannot_read_are_found_by_their_suffix(tmp_path, real):
    codebook, register, _ = real
    names = ["data/svar.parquet", "analysis/svar.feather", "tests/fixtures/export.parquet"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"PAR1")
    assert [w for w, _ in findings(tmp_path, names, codebook, register)] == names[:2]


def test_the_project_s_own_tables_and_fixtures_pass(tmp_path, real):
    codebook, register, responses = real
    names = ["data/register/municipalities.csv", "data/codebook/questions_ch1.csv",
             "data/published/published_k2.csv", "data/synthetic/responses.csv", "data/codebook/support_forms.csv"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(paths.PROJECT_ROOT / name, tmp_path / name)
    export, _ = export_shapes.write("surveyxact", responses, codebook, register, tmp_path / "tests" / "fixtures")
    names.append("tests/fixtures/surveyxact.csv")
    # A table of shares by region, and register facts by municipality, are not answers.
    (tmp_path / "regions.csv").write_text("region,andel,n\nRegion Hovedstaden,46,28\nRegion Sjælland,40,17\n")
    (tmp_path / "sizes.csv").write_text("\n".join(["kommune,folketal,areal"] + [
        f"{c},{p},{p % 300}" for c, p in zip(register["code"], register["population"])]) + "\n")
    names += ["regions.csv", "sizes.csv"]
    assert findings(tmp_path, names, codebook, register) == []


def test_a_committed_wide_export_makes_the_check_fail_naming_it(tmp_path, real):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    codebook, register, responses = real
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    export, _ = export_shapes.write("surveyxact", responses, codebook, register, tmp_path / "notebooks" / "data")
    export.rename(tmp_path / "notebooks" / "data" / "kommuner_svar.csv")
    subprocess.run(["git", "add", "notebooks/data/kommuner_svar.csv"], cwd=tmp_path, check=True)
    got = check_tracked_files(tmp_path, question_ids=codebook["question"], register=register)
    assert [str(f).split(":")[0] for f in got] == ["notebooks/data/kommuner_svar.csv"]


def test_a_file_deleted_from_the_work_tree_does_not_end_the_scan(tmp_path, real):
    codebook, register, responses = real
    export, _ = export_shapes.write("surveyxact", responses, codebook, register, tmp_path)
    names = ["deleted.csv", "deleted.sav.txt", export.name, "notes/after.json"]
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "after.json").write_text(json.dumps(
        [{"Kommune": name, "Status": "Gennemført", "Strategi": "I høj grad"} for name in register["name"][:6]]),
        encoding="utf-8")
    assert [w for w, _ in findings(tmp_path, names, codebook, register)] == [export.name, "notes/after.json"]


def test_git_ignores_the_folder_for_real_exports():
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    for name in ("data/private/eksport.csv", "data/private/kortlaegning.yml", "data/private/sub/svar.json"):
        done = subprocess.run(["git", "check-ignore", "--no-index", "-q", name], cwd=paths.PROJECT_ROOT)
        assert done.returncode == 0, f"{name} is not ignored by .gitignore"
