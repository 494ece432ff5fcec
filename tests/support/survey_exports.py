"""Exports made from the synthetic answers as a data holder's survey tool writes them, for the builds
that go the whole way (`make book RESPONSES=... MAPPING=...`): whole municipalities left out (lower
participation, concentrated in one region), answers moved, another seed or another survey year.

`write_export` goes the way a real export does: the tidy answers, changed here, written by
`python -m municipal_survey export-fixture` as a wide CSV (or XLSX, SPSS) with its mapping. Nothing of
it is written inside the project.
"""
from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from municipal_survey.data import paths
from municipal_survey.data.register import load_register

# Lower participation as the disclosure rule must survive it: 25 more municipalities absent (70 of 98
# take part), most of them in one region, so that the region is left with 2 or 4 participants.
LOW_PARTICIPATION = {
    "nordjylland": {"count": 25, "region": "Region Nordjylland", "in_region": 9},
    "sjaelland": {"count": 25, "region": "Region Sjælland", "in_region": 12},
}
UP, DOWN = ((2, 1), 4), ((4, 3), 1)  # which answers a move takes, and the answer it gives them


def _municipality_module(*args: str, cwd: Path) -> None:
    subprocess.run([sys.executable, "-m", "municipal_survey", *args], check=True, capture_output=True, cwd=cwd)


def synthetic_answers(folder: Path, seed: int | None = None) -> pd.DataFrame:
    """The shipped synthetic answers, or those of another seed (generated into `folder`)."""
    source = paths.SYNTHETIC_RESPONSES
    if seed is not None:
        _municipality_module("synth", "--seed", str(seed), "--output", str(folder / "synth"), cwd=folder)
        source = folder / "synth" / "responses.csv"
    return pd.read_csv(source, dtype={"municipality": str})


def left_out(responses: pd.DataFrame, count: int, region: str | None = None, in_region: int = 0) -> list[str]:
    """`count` participating municipalities to leave out: the first `in_region` of `region` by
    kommunekode, the rest spread evenly (by kommunekode) over the participants of the other regions."""
    register = load_register()
    region_of = dict(zip(register["code"].astype(str), register["region"]))
    participants = sorted(responses["municipality"].unique())
    inside = [m for m in participants if region is not None and region_of[m] == region]
    outside = [m for m in participants if m not in inside]
    if in_region > len(inside) or count - in_region > len(outside):
        raise ValueError(f"cannot leave out {in_region} of {region}'s {len(inside)} participants and "
                         f"{count - in_region} of the other {len(outside)}")
    rest = count - in_region
    spread = [outside[round(i * len(outside) / rest)] for i in range(rest)] if rest else []
    return inside[:in_region] + spread


def move_answers(responses: pd.DataFrame, moved: dict[str, int]) -> pd.DataFrame:
    """n > 0 moves n answers "i mindre grad"/"slet ikke" of the question up to "i meget høj grad";
    n < 0 moves -n answers "i høj grad"/"i meget høj grad" down to "slet ikke" (the first by kommunekode)."""
    out = responses.copy()
    for question, count in moved.items():
        source, target = UP if count > 0 else DOWN
        rows = out[(out["question"] == question) & out["answer"].isin(source)].sort_values("municipality")
        if len(rows) < abs(count):
            raise ValueError(f"{question}: only {len(rows)} answers to move, not {abs(count)}")
        out.loc[rows.index[:abs(count)], "answer"] = target
    return out


def write_export(folder: Path, *, seed: int | None = None, leave_out: Iterable[str] = (),
                 moved: dict[str, int] | None = None, wave: int | None = None,
                 fmt: str = "csv") -> tuple[Path, Path]:
    """The synthetic answers (another `seed`'s if given) without the municipalities in `leave_out`, with
    the answers in `moved` moved (move_answers) and the survey year set to `wave`, written into `folder`
    as a survey tool's export with its mapping. Returns (export, mapping)."""
    folder.mkdir(parents=True, exist_ok=True)
    responses = synthetic_answers(folder, seed)
    responses = responses[~responses["municipality"].isin(set(leave_out))]
    responses = move_answers(responses, moved or {})
    if wave is not None:
        responses = responses.assign(wave=wave)
    tidy = folder / "tidy.csv"
    responses.to_csv(tidy, index=False)
    _municipality_module("export-fixture", "--format", fmt, "--responses", str(tidy),
                         "--output", str(folder / "export"), cwd=folder)
    suffix = {"csv": ".csv", "csv-semicolon": ".csv", "xlsx": ".xlsx", "sav": ".sav"}[fmt]
    return folder / "export" / f"export{suffix}", folder / "export" / "mapping.yml"


def low_participation_export(folder: Path, scenario: str,
                             moved: dict[str, int] | None = None) -> tuple[Path, Path]:
    """An export of the synthetic answers with participation as LOW_PARTICIPATION[scenario] says."""
    absent = left_out(synthetic_answers(folder), **LOW_PARTICIPATION[scenario])
    return write_export(folder, leave_out=absent, moved=moved)
