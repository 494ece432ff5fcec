"""Nothing the book computes depends on hash order: the published numbers are recomputed identically
in two processes with different hash seeds. (That the pages' committed glue manifests are what a fresh
execution gives, with another hash seed than the one that wrote them, is tests/book/test_page_manifests.py.)"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys

HASH_SEEDS = ("1", "2")


def _env(seed: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "MUNICIPAL_SURVEY_RESPONSES": ""}
    env.pop("MUNICIPAL_SURVEY_ROOT", None)
    return env


def test_verification_recomputed_identically_in_two_processes():
    code = ("from municipal_survey.analysis import verification\n"
            "from municipal_survey.data.survey import load_survey\n"
            "s = load_survey()\n"
            "print(verification.verify(s.published, s.responses, s.codebook).to_csv(index=False))\n")
    processes = [subprocess.Popen([sys.executable, "-c", code], env=_env(seed), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE) for seed in HASH_SEEDS]
    outputs_ = []
    for process in processes:
        out, err = process.communicate()
        assert process.returncode == 0, err.decode(errors="replace")[-3000:]
        outputs_.append(out)
    assert outputs_[0].count(b"\n") > 10
    assert hashlib.sha256(outputs_[0]).hexdigest() == hashlib.sha256(outputs_[1]).hexdigest()
