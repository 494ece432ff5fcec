"""A tiny hand-made survey (two areas, one register of 12 municipalities) for unit tests."""
from __future__ import annotations

import pandas as pd

from municipal_survey.data.codebook import QUESTION_COLUMNS
from municipal_survey.data.published import PUBLISHED_COLUMNS


def register() -> pd.DataFrame:
    return pd.DataFrame({
        "code": [f"{100 + i:03d}" for i in range(12)],
        "name": [f"Kommune {i}" for i in range(12)],
        "region": ["Region Hovedstaden"] * 6 + ["Region Sjælland"] * 6,
        "population": [10_000 * (i + 1) for i in range(12)],
        "population_year": [2020] * 12,
    })


def codebook() -> pd.DataFrame:
    rows = [
        ("meta_status", 0, 0, "", "", "meta", "meta", "status", "status", "Status", None, None),
        ("org_a_samlet", 1000, 1, "1.1", "1;19", "area", "a", "samlet", "likert", "A samlet", 10, 10),
        ("org_a_sub", 1010, 1, "1.1", "2", "area", "a", "sub", "likert", "A sub", 9, 9),
        ("org_a_behov", 1020, 1, "1.1", "19", "area", "a", "behov", "likert", "A behov", None, None),
        ("org_a_stoette_x", 1030, 1, "1.1", "3", "area", "a", "x", "multiple_choice", "X", None, None),
        ("org_a_stoette_y", 1040, 1, "1.1", "3", "area", "a", "y", "multiple_choice", "Y", None, None),
        ("org_b_samlet", 1100, 1, "1.2", "1;19", "area", "b", "samlet", "likert", "B samlet", None, None),
    ]
    frame = pd.DataFrame(rows, columns=QUESTION_COLUMNS[:-1])
    frame["note"] = ""
    frame["n_min"] = frame["n_min"].astype("Int64")
    frame["n_max"] = frame["n_max"].astype("Int64")
    return frame


def published() -> pd.DataFrame:
    rows = [
        ("p1", "Indledning", "", "", "participation_pct", 92, 0, "", "92 pct.", ""),  # 11 of 12
        ("p2", "1.1", "1", "org_a_samlet", "share_top2", 40, 0, "", "40 pct.", ""),
        ("p3", "Sammenfatning", "1", "org_a_samlet", "share_top2", 41, 0, "p2", "41 pct.", "slip"),
        ("p4", "1.1", "2", "org_a_sub", "share_top2", 56, 0, "", "56 pct.", ""),
        ("p5", "1.1", "", "org_a_behov", "share_mindre", 60, 0, "", "60 pct.", ""),
        ("p6", "1.1", "3", "org_a_stoette_x", "count_ticked", 5, 0, "", "5 kommuner", ""),
        ("p7", "1.1", "3", "", "ticks_total", 8, 0, "", "N = 8", ""),
        ("p8", "1.1", "2", "org_a_sub", "share_top2", 50, 10, "", "cirka halvdelen", ""),
        ("p9", "1.1", "1", "", "n_max", 10, 0, "", "N = 9-10", ""),
        ("p10", "1.1", "", "", "external", 15, 0, "", "VIVE 15 pct.", ""),
    ]
    frame = pd.DataFrame(rows, columns=PUBLISHED_COLUMNS)
    frame["value"] = frame["value"].astype(float)
    frame["tolerance"] = frame["tolerance"].astype(float)
    return frame


def assumptions() -> dict:
    items = {
        "org_a_behov": {"n": 10, "share_top2": 20, "reason": "test", "reason_da": "test"},
        "org_a_stoette_y": {"count": 3, "reason": "test", "reason_da": "test"},
        "org_b_samlet": {"n": 8, "share_top2": 25, "reason": "test", "reason_da": "test"},
    }
    return {
        "seed": 7, "wave": 2020,
        "defaults": {"very_high_of_top2": 0.25, "dont_know": 0.1, "not_relevant": 0.0,
                     "not_at_all_of_rest": 0.2},
        "loadings": {"general": 0.4, "topic": 0.8, "item_type": 0.3, "support_form_on_need": 0.6},
        "size_effects": {},
        "items": items, "origin": {k: "test.yml" for k in items},
    }
