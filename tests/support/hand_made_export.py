"""A small hand-made export (three municipalities of a five-municipality register, the small survey's
codebook) with its mapping and the tidy responses it must import as, for the importer's tests."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import small_survey

from municipal_survey.data.errors import DataError, Problem
from municipal_survey.data.importers import import_export
from municipal_survey.data.responses import RESPONSE_COLUMNS

CODEBOOK = small_survey.codebook()  # meta_status, org_a_samlet, org_a_sub, org_a_behov, org_a_stoette_x/y, ...
REGISTER = pd.DataFrame({"code": ["101", "147", "151", "153", "155"],
                         "name": ["København", "Frederiksberg", "Ballerup", "Brøndby", "Dragør"]})

HEADER = "Kommunekode,Status,A samlet,A behov,Ticks X,Starttid"
ROWS = ["101,Gennemført,I høj grad,Ved ikke,1,2020-10-01",
        "147,Delvist gennemført,I meget høj grad,,0,2020-10-02",
        "151,Gennemført,Slet ikke,I mindre grad,,2020-10-03"]
MAPPING = """\
municipality_column: Kommunekode
wave: 2020
columns:
  Status: meta_status
  A samlet: org_a_samlet
  A behov: org_a_behov
  Ticks X: org_a_stoette_x
ignore: [Starttid]
"""
EXPECTED = pd.DataFrame(
    [(2020, "101", "meta_status", 2), (2020, "101", "org_a_behov", 8), (2020, "101", "org_a_samlet", 3),
     (2020, "101", "org_a_stoette_x", 1), (2020, "147", "meta_status", 1), (2020, "147", "org_a_samlet", 4),
     (2020, "147", "org_a_stoette_x", 0), (2020, "151", "meta_status", 2), (2020, "151", "org_a_behov", 2),
     (2020, "151", "org_a_samlet", 1)],
    columns=RESPONSE_COLUMNS)


def csv_text(rows: list[str] = ROWS, header: str = HEADER, sep: str = ",") -> str:
    return "\r\n".join([header, *rows]).replace(",", sep) + "\r\n"


def write_case(tmp_path: Path, export: str | bytes, mapping: str = MAPPING, name: str = "export.csv",
               encoding: str = "utf-8") -> tuple[Path, Path]:
    path = tmp_path / name
    path.write_bytes(export if isinstance(export, bytes) else export.encode(encoding))
    mapping_path = tmp_path / "mapping.yml"
    mapping_path.write_text(mapping, encoding="utf-8")
    return path, mapping_path


def tidy(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["wave", "municipality", "question"]).reset_index(drop=True)


def run(path: Path, mapping: Path) -> pd.DataFrame:
    return import_export(path, mapping, CODEBOOK, REGISTER)


def problems_of(path: Path, mapping: Path) -> list[Problem]:
    with pytest.raises(DataError) as info:
        run(path, mapping)
    return info.value.problems
