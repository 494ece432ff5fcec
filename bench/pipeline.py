"""The floor: the whole pipeline (load, validate, every table, the verification) in one process.

Run: python bench/pipeline.py [--waves N]  -- prints seconds for each stage and the total.
With --waves N the synthetic wave is repeated as N survey years to show how time grows.
"""
from __future__ import annotations

import argparse
import json
import time

import pandas as pd


def run(waves: int = 1) -> dict[str, float]:
    timings: dict[str, float] = {}
    start = time.perf_counter()
    from municipal_survey import likert, organisation, verify
    from municipal_survey.responses import validate_responses
    from municipal_survey.survey import load_survey

    timings["import"] = time.perf_counter() - start
    t = time.perf_counter()
    survey = load_survey()
    timings["load_and_validate"] = time.perf_counter() - t
    base = survey.responses
    frame = pd.concat([base.assign(wave=base["wave"] + i) for i in range(waves)], ignore_index=True)
    t = time.perf_counter()
    if waves > 1:
        frame = validate_responses(frame, survey.codebook, survey.register, file="waves")
    likert_ids = survey.codebook.loc[survey.codebook["kind"] == "likert", "question"]
    for _, wave in frame.groupby("wave"):
        survey.responses = wave
        likert.shares(wave, likert_ids)
        likert.means(wave, likert_ids)
        organisation.support_matrix(survey)
        organisation.challenge_need_means(survey)
        table = verify.verify(survey.published, wave, survey.codebook)
        assert verify.failures(table).empty
    timings["tables_and_verification"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - start
    return timings


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--waves", type=int, default=1)
    args = parser.parse_args()
    print(json.dumps({k: round(v, 3) for k, v in run(args.waves).items()}))
