"""The published table's loader (data.published.load_published): every problem of every row is reported with
its file, spreadsheet row and column, in the order of the files and their rows; a table without problems
comes back with numbers.

The files below are written by hand; the expected problems are read off them (row 2 is a file's first row
under the header)."""
from __future__ import annotations

import pytest

from municipal_survey.data.errors import DataError
from municipal_survey.data.published import PUBLISHED_COLUMNS, load_published

HEADER = ",".join([*PUBLISHED_COLUMNS, "wave", "supersedes"])


def test_every_problem_of_every_row_is_named_in_file_and_row_order(tmp_path):
    (tmp_path / "published_a.csv").write_text("\n".join([
        HEADER,
        "a1,1.2,1,org_a_samlet,share_top2,40,,,40 pct.,,2020,",
        "a1,1.2,1,org_a_samlet,share_mindre,tolv,x,,,,tyve,",  # repeated id, bad value and tolerance
        ",1.2,1,org_a_samlet,median,,,zz,12 pct.,,2020,a2",  # no id, unknown statistic, no value
    ]) + "\n", encoding="utf-8")
    (tmp_path / "published_b.csv").write_text("\n".join([
        HEADER,
        "b1,1.2,1,org_a_samlet,share_top2,41,,,41 pct.,,2020,b1",  # corrects itself
    ]) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_published(tmp_path)
    assert [(p.file, p.row, p.column, p.value) for p in caught.value.problems] == [
        ("published_a.csv", 3, "wave", "tyve"),
        ("published_a.csv", 3, "id", "a1"),
        ("published_a.csv", 3, "value", "tolv"),
        ("published_a.csv", 3, "tolerance", "x"),
        ("published_a.csv", 3, "quote", ""),
        ("published_a.csv", 4, "id", ""),
        ("published_a.csv", 4, "statistic", "median"),
        ("published_a.csv", 4, "value", ""),
        ("published_a.csv", 4, "conflicts_with", "zz"),
        ("published_a.csv", 4, "supersedes", "a2"),
        ("published_b.csv", 2, "supersedes", "b1"),
    ]


def test_a_table_without_problems_comes_back_with_numbers(tmp_path):
    (tmp_path / "published_a.csv").write_text("\n".join([
        HEADER,
        "a1,1.2,1,org_a_samlet,share_top2,\"40,5\",1,,40 pct.,,2020,",
        "a2,1.2,1,org_a_samlet,share_top2,41,,a1,41 pct.,,2021,",
    ]) + "\n", encoding="utf-8")
    every_wave = load_published(tmp_path, wave=None)
    assert list(every_wave["value"]) == [40.5, 41.0] and list(every_wave["tolerance"]) == [1.0, 0.0]
    assert list(every_wave["wave"]) == [2020, 2021]
    assert list(load_published(tmp_path, wave=2021)["id"]) == ["a2"]
