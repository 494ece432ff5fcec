"""The calibrated synthetic responses (see book/arkitektur.md, "Syntetiske data").

Every published number is a hard target; every other parameter comes from the documented
assumptions. Marginals are exact: an item's categories are handed out by ranking a latent score
among the item's respondents and cutting at the target counts, so related items correlate while
each item's distribution is exactly the planned one. Each random draw has its own seeded stream
(seed, name), so adding a question never changes the answers to the others.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..analysis.likert import POPULATION
from ..analysis.rounding import counts_for_percent, round_half_away
from ..data.errors import DataError, Problem
from ..data.published import calibration_targets

STATUS_QUESTION = "meta_status"


@dataclass
class ItemPlan:
    """What the generator will produce for one question, and where each number comes from."""

    question: str
    kind: str
    block: str
    topic: str
    item: str
    order: int
    n: int
    counts: dict[int, int] = field(default_factory=dict)  # likert: code -> count; choice: {1: ticks}
    sources: dict[str, str] = field(default_factory=dict)  # parameter -> "published <id>" / "assumption"


def _stream(seed: int, name: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(name.encode("utf-8"))])


def _middle(candidates: list[int]) -> int:
    return candidates[(len(candidates) - 1) // 2]


def participants_from(published: pd.DataFrame, population: int = POPULATION) -> int:
    """How many municipalities took part: the count whose share of all rounds to the published pct."""
    rows = published[published["statistic"] == "participation_pct"]
    if rows.empty:
        raise DataError(Problem("published", None, "statistic", None, "a participation_pct row"))
    candidates = counts_for_percent(int(rows["value"].iloc[0]), population)
    if len(candidates) != 1:
        raise DataError(Problem("published", None, "value", rows["value"].iloc[0],
                                f"a participation share that fixes one count (got {candidates})"))
    return candidates[0]


def plan_items(codebook: pd.DataFrame, published: pd.DataFrame, assumptions: dict) -> list[ItemPlan]:
    """Resolve N and category counts of every question from published targets and assumptions."""
    defaults = assumptions["defaults"]
    items = assumptions["items"]
    top2 = calibration_targets(published, "share_top2")
    mindre = calibration_targets(published, "share_mindre")
    ticked = calibration_targets(published, "count_ticked")
    targets = published[(published["conflicts_with"] == "") & (published["tolerance"] == 0)]
    ids = dict(zip(targets["question"] + "|" + targets["statistic"], targets["id"]))
    problems: list[Problem] = []
    plans: dict[str, ItemPlan] = {}
    known = set(codebook["question"])
    for qid in sorted(set(items) - known):
        problems.append(Problem(assumptions["origin"][qid], None, qid, None, "a question in the codebook"))

    def source(qid: str, statistic: str) -> str:
        return f"published {ids.get(qid + '|' + statistic, '?')}"

    for row in codebook.itertuples(index=False):
        qid, spec = row.question, items.get(row.question, {})
        if row.kind == "status":
            continue
        plan = ItemPlan(qid, row.kind, row.block, row.topic, row.item, row.order, 0)
        n = spec.get("n")
        if n is not None:
            plan.sources["n"] = "assumption"
        elif pd.notna(row.n_min) and row.n_min == row.n_max:
            n = int(row.n_min)
            plan.sources["n"] = f"codebook (figure {row.figure})"
        if row.kind == "multiple_choice":
            plans[qid] = plan  # N follows the area's need question, resolved below
            if qid in ticked and "count" in spec:
                problems.append(Problem(assumptions["origin"][qid], None, qid, spec["count"],
                                        "no assumed count for a published count"))
            if qid in ticked:
                plan.counts = {1: int(ticked[qid])}
                plan.sources["count"] = source(qid, "count_ticked")
            elif "count" in spec:
                plan.counts = {1: int(spec["count"])}
                plan.sources["count"] = "assumption"
            else:
                problems.append(Problem("assumptions", None, qid, None, "a published or assumed count"))
            if n is not None:
                plan.n = int(n)
            continue
        if n is None:
            problems.append(Problem("codebook/assumptions", None, qid, None,
                                    "a single N in the codebook or an assumed n"))
            continue
        plan.n = n = int(n)
        if qid in top2 and "share_top2" in spec:
            problems.append(Problem(assumptions["origin"][qid], None, qid, spec["share_top2"],
                                    "no assumed share for a published share"))
        if qid in top2:
            pct, plan.sources["share_top2"] = int(top2[qid]), source(qid, "share_top2")
        elif "share_top2" in spec:
            pct, plan.sources["share_top2"] = int(spec["share_top2"]), "assumption"
        else:
            problems.append(Problem("assumptions", None, qid, None, "a published or assumed share_top2"))
            continue
        k_candidates = counts_for_percent(pct, n)
        if not k_candidates:
            problems.append(Problem("targets", None, qid, pct, f"a share reachable with N = {n}"))
            continue
        k = _middle(k_candidates)
        share_mindre = mindre.get(qid, spec.get("share_mindre"))
        if share_mindre is not None:
            plan.sources["share_mindre"] = source(qid, "share_mindre") if qid in mindre else "assumption"
        param = {key: spec.get(key, defaults[key]) for key in
                 ("very_high_of_top2", "dont_know", "not_relevant", "not_at_all_of_rest")}
        n_8 = int(round_half_away(param["dont_know"] * n))
        n_9 = int(round_half_away(param["not_relevant"] * n))
        n_4 = int(round_half_away(param["very_high_of_top2"] * k))
        rest = n - k - n_8 - n_9
        if share_mindre is not None:
            m_candidates = counts_for_percent(int(share_mindre), n)
            n_2 = _middle(m_candidates) if m_candidates else -1
            n_1 = rest - n_2
        else:
            n_1 = int(round_half_away(param["not_at_all_of_rest"] * rest))
            n_2 = rest - n_1
        plan.counts = {4: n_4, 3: k - n_4, 2: n_2, 1: n_1, 8: n_8, 9: n_9}
        if min(plan.counts.values()) < 0:
            problems.append(Problem("targets", None, qid, plan.counts, "non-negative category counts"))
        plans[qid] = plan
    # Support forms are asked of those who answered the area's need question.
    need_n = {p.topic: p.n for p in plans.values() if p.kind == "likert" and p.item == "behov"}
    for plan in plans.values():
        if plan.kind == "multiple_choice" and not plan.n:
            if plan.topic not in need_n:
                problems.append(Problem("codebook", None, plan.question, None,
                                        "a need question (item behov) in the same topic, or an assumed n"))
                continue
            plan.n = need_n[plan.topic]
            plan.sources["n"] = "the area's need question"
        if plan.kind == "multiple_choice" and plan.counts and plan.counts[1] > plan.n:
            problems.append(Problem("targets", None, plan.question, plan.counts[1], f"at most N = {plan.n}"))
    if problems:
        raise DataError(problems)
    return sorted(plans.values(), key=lambda p: (p.order, p.question))


def _latent(register: pd.DataFrame, plans: list[ItemPlan], assumptions: dict) -> dict[str, np.ndarray]:
    """A latent score per question and municipality (rows in register order)."""
    seed = int(assumptions["seed"])
    load = assumptions["loadings"]
    size_effects = assumptions.get("size_effects", {}) or {}
    m = len(register)
    general = _stream(seed, "general").standard_normal(m)
    log_pop = np.log(register["population_2020"].to_numpy(dtype=float))
    size = (log_pop - log_pop.mean()) / log_pop.std()
    topics: dict[str, np.ndarray] = {}
    item_types: dict[str, np.ndarray] = {}
    scores: dict[str, np.ndarray] = {}
    w_general = float(load["general"])
    for plan in plans:
        key = f"{plan.block}:{plan.topic}"
        if key not in topics:
            w_size = float(size_effects.get(plan.topic, 0.0))
            own = _stream(seed, "topic:" + key).standard_normal(m)
            rest = max(0.0, 1 - w_general**2 - w_size**2) ** 0.5
            topics[key] = w_general * general + w_size * size + rest * own
        if plan.block == "target_group" and plan.item not in item_types:
            item_types[plan.item] = _stream(seed, "item_type:" + plan.item).standard_normal(m)
        w_topic = float(load["topic"])
        w_type = float(load["item_type"]) if plan.block == "target_group" else 0.0
        noise = _stream(seed, "item:" + plan.question).standard_normal(m)
        if plan.kind == "multiple_choice":
            need = scores.get(f"org_{plan.topic}_behov", topics[key])
            w_need = float(load["support_form_on_need"])
            scores[plan.question] = w_need * need + (1 - w_need**2) ** 0.5 * noise
            continue
        base = w_topic * topics[key] + w_type * item_types.get(plan.item, 0.0)
        scores[plan.question] = base + max(0.0, 1 - w_topic**2 - w_type**2) ** 0.5 * noise
    return scores


def generate(codebook: pd.DataFrame, register: pd.DataFrame, published: pd.DataFrame,
             assumptions: dict) -> pd.DataFrame:
    """The synthetic tidy responses; byte-identical for the same inputs."""
    seed, wave = int(assumptions["seed"]), int(assumptions["wave"])
    plans = plan_items(codebook, published, assumptions)
    register = register.sort_values("code").reset_index(drop=True)
    codes = register["code"].to_numpy()
    n_participants = participants_from(published, len(codes))
    absent = _stream(seed, "participation").choice(len(codes), len(codes) - n_participants, replace=False)
    participating = np.setdiff1d(np.arange(len(codes)), absent)
    # Persistence order: the first N participants answer an item of N respondents, so item N falls
    # along the questionnaire as municipalities drop out (book/arkitektur.md).
    persistence = _stream(seed, "persistence").permutation(participating)
    scores = _latent(register, plans, assumptions)
    too_many = [p for p in plans if p.n > n_participants]
    if too_many:
        raise DataError([Problem("targets", None, p.question, p.n, f"N <= {n_participants} participants")
                         for p in too_many])
    # Columns are collected as arrays and framed once: a DataFrame per question cost more than the draws.
    who_all, questions, answer_all = [], [], []
    for plan in plans:
        who = persistence[: plan.n]
        answers = np.zeros(plan.n, dtype=int)
        score = scores[plan.question][who]
        if plan.kind == "multiple_choice":
            ranked = np.argsort(-score, kind="stable")
            answers[ranked[: plan.counts[1]]] = 1
        else:
            c = plan.counts
            aside = _stream(seed, "aside:" + plan.question).permutation(plan.n)[: c[8] + c[9]]
            answers[aside[: c[8]]] = 8
            answers[aside[c[8]:]] = 9
            substantive = np.setdiff1d(np.arange(plan.n), aside)
            ranked = substantive[np.argsort(-score[substantive], kind="stable")]
            cuts = np.cumsum([c[4], c[3], c[2]])
            answers[ranked[: cuts[0]]] = 4
            answers[ranked[cuts[0]: cuts[1]]] = 3
            answers[ranked[cuts[1]: cuts[2]]] = 2
            answers[ranked[cuts[2]:]] = 1
        who_all.append(who)
        questions.append(np.full(plan.n, plan.question, dtype=object))
        answer_all.append(answers)
    last_order = max(p.order for p in plans)
    completed = set(persistence[: min(p.n for p in plans if p.order == last_order)])
    who_all.append(participating)
    questions.append(np.full(len(participating), STATUS_QUESTION, dtype=object))
    answer_all.append(np.array([2 if i in completed else 1 for i in participating]))
    who = np.concatenate(who_all)
    out = pd.DataFrame({"wave": np.full(len(who), wave), "municipality": codes[who],
                        "question": np.concatenate(questions), "answer": np.concatenate(answer_all)})
    return out.sort_values(["wave", "municipality", "question"]).reset_index(drop=True)
