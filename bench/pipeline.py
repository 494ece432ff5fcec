"""The floor: the whole pipeline (load, validate, every table, the verification) in one process.

Run: python bench/pipeline.py [--waves N]  -- prints seconds per stage as one JSON line.

"Every table" is every table function the chapter notebooks call (chapter 1 organisation, chapter 2
target groups, the data-preparation checks, the association statistics), without drawing figures.
With --waves N the synthetic responses are repeated as N survey years (2020, 2021, ...) and written
to a temporary CSV before the clock starts; the pipeline then loads and validates all N waves from
that file and computes every table and the verification once per wave, as the book would for a
repeated survey. Time should grow at most linearly in N.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
import time
from pathlib import Path


def write_waves(waves: int, directory: Path) -> Path:
    """The synthetic responses repeated as `waves` survey years, as a tidy CSV (set-up, not timed)."""
    import pandas as pd

    from municipal_survey.data import paths
    from municipal_survey.data.responses import read_responses_csv, write_responses

    base = read_responses_csv(paths.SYNTHETIC_RESPONSES)
    year = base["wave"].astype(int)
    frame = pd.concat([base.assign(wave=(year + i).astype(str)) for i in range(waves)], ignore_index=True)
    path = directory / f"responses_{waves}_waves.csv"
    write_responses(frame, path)
    return path


def tables(survey) -> int:
    """Every table the notebooks compute for one wave; returns how many tables were made."""
    from municipal_survey.analysis import likert, organisation, stats
    from municipal_survey.analysis import target_groups as tg
    from municipal_survey.synthetic import calibration

    made = []
    likert_ids = survey.codebook.loc[survey.codebook["kind"] == "likert", "question"]
    made += [likert.shares(survey.responses, likert_ids), likert.means(survey.responses, likert_ids)]
    # chapter 1: organisation
    area_table = organisation.areas(survey)
    made += [area_table, organisation.overall_shares(survey)]
    for area in area_table.index:
        made.append(likert.shares(survey.responses, [area_table.at[area, "need"]]))
        if organisation.sub_items(survey, area):
            made.append(organisation.sub_item_shares(survey, area))
        made += [organisation.support_questions(survey, area), organisation.support_counts(survey, area)]
    made += [organisation.support_matrix(survey), organisation.support_means(survey),
             organisation.challenge_need_means(survey),
             stats.association_table(survey.responses, organisation.association_pairs(survey))]
    # chapter 2: target groups
    group_table = tg.groups(survey)
    made += [group_table, tg.overall_shares(survey), tg.share_matrix(survey)]
    made += [tg.focus_shares(survey, group) for group in group_table.index]
    long = tg.long_shares(survey)
    made += [long, tg.three_largest(long), tg.pattern_counts(long)]
    # data preparation: item response and the size check
    made += [calibration.item_response(survey),
             calibration.size_association(survey, {"tidlig": "org_tidlig_samlet",
                                                   "sektorer": "org_sektorer_samlet",
                                                   "kommuner": "org_kommuner_samlet"})]
    return len(made)


def run(waves: int = 1) -> dict[str, float]:
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        source = write_waves(waves, Path(tmp)) if waves > 1 else None
        start = time.perf_counter()
        import pandas  # noqa: F401  (counted: the notebooks import it too)

        from municipal_survey.analysis import verification
        from municipal_survey.data.survey import load_survey
        from municipal_survey.synthetic import calibration  # noqa: F401

        timings["import"] = time.perf_counter() - start
        t = time.perf_counter()
        survey = load_survey(source)
        timings["load_and_validate"] = time.perf_counter() - t
        timings["tables"] = timings["verification"] = 0.0
        n_tables = 0
        for _, frame in survey.responses.groupby("wave", sort=True):
            one = dataclasses.replace(survey, responses=frame.reset_index(drop=True))
            t = time.perf_counter()
            n_tables += tables(one)
            timings["tables"] += time.perf_counter() - t
            t = time.perf_counter()
            table = verification.verify(one.published, one.responses, one.codebook)
            timings["verification"] += time.perf_counter() - t
            if not verification.failures(table).empty:
                sys.exit(f"verification failed for wave {frame['wave'].iloc[0]}")
        timings["total"] = time.perf_counter() - start
    timings["waves"] = waves
    timings["rows"] = len(survey.responses)
    timings["tables_made"] = n_tables
    return timings


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--waves", type=int, default=1)
    args = parser.parse_args()
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in run(args.waves).items()}))
