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
from ..analysis.rounding import counts_for_percent, counts_for_shares, round_half_away
from ..data.codebook import NEED_ITEM, OVERALL_ITEM
from ..data.errors import DataError, Problem
from ..data.published import CATEGORY_STATISTICS, calibration_targets, figure_n_bounds, figure_n_ranges, targets

STATUS_QUESTION = "meta_status"
REDRAW = "redraw:"
MAX_REDRAWS = 500
# What "not significant" and "associated" mean for the constraints below (two-sided p-values).
ALPHA = 0.05
NEED_ALPHA = ALPHA / 9  # nine areas: Holm's strictest step, so every area passes Holm


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


def _n_candidates(row, spec: dict, n_ranges: dict[str, tuple[int, int]]) -> tuple[list[int], int | None, str]:
    """The N an item may have, the one preferred, and where they come from. The report's numbers come
    first: the N the codebook gives the item, else the range printed under its figure (the assumed n
    preferred inside it), else the assumed n."""
    assumed = spec.get("n")
    if pd.notna(row.n_min) and row.n_min == row.n_max:
        return [int(row.n_min)], int(row.n_min), f"codebook (figure {row.figure})"
    if row.question in n_ranges:
        low, high = n_ranges[row.question]
        if pd.notna(row.n_min):
            low, high = max(low, int(row.n_min)), min(high, int(row.n_max))
        inside = list(range(low, high + 1))
        preferred = int(assumed) if assumed is not None and low <= int(assumed) <= high else (low + high) // 2
        return inside, preferred, f"published figure N {low}-{high}"
    if assumed is not None:
        return [int(assumed)], int(assumed), "assumption"
    return [], None, ""


def _likert_counts(n: int, top2: int | None, mindre: int | None, distribution: dict[int, int] | None,
                   param: dict) -> dict[int, int] | None:
    """Category counts of an item of N answers: from a published distribution when there is one (and
    the top-two share, if published), else the top-two count and "i mindre grad" from their shares and
    the rest split by the assumptions. None when the shares cannot be met with this N."""
    if distribution is not None:
        return counts_for_shares(distribution, n, top2)
    k_candidates = counts_for_percent(top2, n)
    if not k_candidates:
        return None
    k = _middle(k_candidates)
    n_8 = int(round_half_away(param["dont_know"] * n))
    n_9 = int(round_half_away(param["not_relevant"] * n))
    n_4 = int(round_half_away(param["very_high_of_top2"] * k))
    rest = n - k - n_8 - n_9
    if mindre is not None:
        m_candidates = counts_for_percent(mindre, n)
        if not m_candidates:
            return None
        n_2 = _middle(m_candidates)
        n_1 = rest - n_2
    else:
        n_1 = int(round_half_away(param["not_at_all_of_rest"] * rest))
        n_2 = rest - n_1
    counts = {4: n_4, 3: k - n_4, 2: n_2, 1: n_1, 8: n_8, 9: n_9}
    return counts if min(counts.values()) >= 0 else None


def plan_items(codebook: pd.DataFrame, published: pd.DataFrame, assumptions: dict) -> list[ItemPlan]:
    """Resolve N and category counts of every question from published targets and assumptions.

    Wherever the report's number is in the published table, it is used and the assumption for the same
    number is set aside (its source says so): an item's published answer distribution, top-two share,
    "i mindre grad" share, support-form count, and the N range printed under its figure.
    """
    defaults = assumptions["defaults"]
    items = assumptions["items"]
    top2 = calibration_targets(published, "share_top2")
    categories = {code: calibration_targets(published, stat) for code, stat in CATEGORY_STATISTICS.items()}
    ticked = calibration_targets(published, "count_ticked")
    n_ranges = figure_n_ranges(published, codebook)
    target_rows = targets(published)
    ids = dict(zip(target_rows["question"] + "|" + target_rows["statistic"], target_rows["id"]))
    problems: list[Problem] = []
    plans: dict[str, ItemPlan] = {}
    feasible: dict[str, dict[int, dict[int, int]]] = {}
    known = set(codebook["question"])
    for qid in sorted(set(items) - known):
        problems.append(Problem(assumptions["origin"][qid], None, qid, None, "a question in the codebook"))

    def source(qid: str, statistic: str, spec: dict, key: str) -> str:
        found = f"published {ids.get(qid + '|' + statistic, '?')}"
        return found + ("; replaces the assumption" if key in spec else "")

    for row in codebook.itertuples(index=False):
        qid, spec = row.question, items.get(row.question, {})
        if row.kind == "status":
            continue
        plan = ItemPlan(qid, row.kind, row.block, row.topic, row.item, row.order, 0)
        if row.kind == "multiple_choice":
            plans[qid] = plan  # N follows the area's need question, resolved below
            if qid in ticked:
                plan.counts = {1: int(ticked[qid])}
                plan.sources["count"] = source(qid, "count_ticked", spec, "count")
            elif "count" in spec:
                plan.counts = {1: int(spec["count"])}
                plan.sources["count"] = "assumption"
            else:
                problems.append(Problem("assumptions", None, qid, None, "a published or assumed count"))
            if spec.get("n") is not None:
                plan.n = int(spec["n"])
                plan.sources["n"] = "assumption"
            continue
        candidates, preferred, n_source = _n_candidates(row, spec, n_ranges)
        if not candidates:
            problems.append(Problem("codebook/assumptions", None, qid, None,
                                    "a single N in the codebook, a published N range or an assumed n"))
            continue
        shown = {code: int(found[qid]) for code, found in categories.items() if qid in found}
        distribution = shown if len(shown) == len(CATEGORY_STATISTICS) else None
        if shown and distribution is None and set(shown) != {2}:
            problems.append(Problem("published", None, qid, sorted(shown),
                                    "the shares of all six answer categories, or of 'i mindre grad' alone"))
            continue
        if qid in top2:
            pct, plan.sources["share_top2"] = int(top2[qid]), source(qid, "share_top2", spec, "share_top2")
        elif distribution is not None:
            pct, plan.sources["share_top2"] = None, "the published distribution"
        elif "share_top2" in spec:
            pct, plan.sources["share_top2"] = int(spec["share_top2"]), "assumption"
        else:
            problems.append(Problem("assumptions", None, qid, None, "a published or assumed share_top2"))
            continue
        for code in shown:
            statistic = CATEGORY_STATISTICS[code]
            plan.sources[statistic] = source(qid, statistic, spec, statistic)
        if 2 not in shown and "share_mindre" in spec:
            plan.sources["share_mindre"] = "assumption"
        mindre = shown.get(2, spec.get("share_mindre"))
        param = {key: spec.get(key, defaults[key]) for key in
                 ("very_high_of_top2", "dont_know", "not_relevant", "not_at_all_of_rest")}
        options = {n: _likert_counts(n, pct, None if mindre is None else int(mindre), distribution, param)
                   for n in candidates}
        feasible[qid] = {n: counts for n, counts in options.items() if counts is not None}
        if not feasible[qid]:
            where = f"N = {candidates[0]}" if len(candidates) == 1 else \
                f"one N in {candidates[0]}-{candidates[-1]}"
            problems.append(Problem("targets", None, qid, pct if distribution is None else distribution,
                                    f"a share reachable with {where} and non-negative category counts"))
            continue
        plan.n = min(feasible[qid], key=lambda n: (abs(n - preferred), n))
        plan.counts = feasible[qid][plan.n]
        plan.sources["n"] = n_source
        plans[qid] = plan
    problems += _span_figure_ranges(plans, feasible, figure_n_bounds(published, codebook))
    # Support forms are asked of those who answered the area's need question.
    need_n = {p.topic: p.n for p in plans.values() if p.kind == "likert" and p.item == NEED_ITEM}
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


def _span_figure_ranges(plans: dict[str, ItemPlan], feasible: dict[str, dict[int, dict[int, int]]],
                        bounds: list[tuple[list[str], int, int]]) -> list[Problem]:
    """Make the items of each figure with a printed N range span it: the smallest item N is the range's
    low end and the largest its high end. An item that can take an end (its shares are met there) is
    moved to it, the one whose chosen N is nearest first; nothing moves when the ends are already met."""
    problems = []
    for questions, low, high in bounds:
        shown = [q for q in questions if q in plans and q in feasible]
        if not shown:
            continue
        for end in (low, high):
            ns = [plans[q].n for q in shown]
            if end in ns:
                continue
            other = high if end == low else low
            # Keep an item that alone holds the other end where it is.
            movable = [q for q in shown if end in feasible[q]
                       and not (plans[q].n == other and ns.count(other) == 1)]
            if not movable:
                problems.append(Problem("targets", None, ";".join(shown), sorted(set(ns)),
                                        f"item N that reach the figure's printed N = {low}-{high}"))
                continue
            moved = min(movable, key=lambda q: (abs(plans[q].n - end), q))
            plans[moved].n, plans[moved].counts = end, feasible[moved][end]
    return problems


def _latent(register: pd.DataFrame, plans: list[ItemPlan], assumptions: dict) -> dict[str, np.ndarray]:
    """A latent score per question and municipality (rows in register order)."""
    seed = int(assumptions["seed"])
    load = assumptions["loadings"]
    size_effects = assumptions.get("size_effects", {}) or {}
    m = len(register)
    general = _stream(seed, "general").standard_normal(m)
    log_pop = np.log(register["population"].to_numpy(dtype=float))
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
            need = scores.get(f"org_{plan.topic}_{NEED_ITEM}", topics[key])
            w_need = float(load["support_form_on_need"])
            scores[plan.question] = w_need * need + (1 - w_need**2) ** 0.5 * noise
            continue
        base = w_topic * topics[key] + w_type * item_types.get(plan.item, 0.0)
        weight = max(0.0, 1 - w_topic**2 - w_type**2) ** 0.5
        scores[plan.question] = base + weight * noise
        if plan.item == OVERALL_ITEM and plan.block == "area":
            scores[REDRAW + plan.question] = (base, weight)  # for redraws of the item's own noise
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
    answered: dict[str, np.ndarray] = {}
    for plan in plans:
        who = persistence[: plan.n]
        answered[plan.question] = _assign(plan, scores[plan.question][who], seed)
    _enforce(plans, scores, answered, persistence, register, assumptions)
    for plan in plans:
        who_all.append(persistence[: plan.n])
        questions.append(np.full(plan.n, plan.question, dtype=object))
        answer_all.append(answered[plan.question])
    last_order = max(p.order for p in plans)
    completed = set(persistence[: min(p.n for p in plans if p.order == last_order)])
    who_all.append(participating)
    questions.append(np.full(len(participating), STATUS_QUESTION, dtype=object))
    answer_all.append(np.array([2 if i in completed else 1 for i in participating]))
    who = np.concatenate(who_all)
    out = pd.DataFrame({"wave": np.full(len(who), wave), "municipality": codes[who],
                        "question": np.concatenate(questions), "answer": np.concatenate(answer_all)})
    return out.sort_values(["wave", "municipality", "question"]).reset_index(drop=True)


def _assign(plan: ItemPlan, score: np.ndarray, seed: int) -> np.ndarray:
    """Answers of an item's respondents: categories handed out by rank of the latent score at the
    planned counts ("ved ikke"/"ikke relevant" set aside at random first)."""
    answers = np.zeros(plan.n, dtype=int)
    if plan.kind == "multiple_choice":
        ranked = np.argsort(-score, kind="stable")
        answers[ranked[: plan.counts[1]]] = 1
        return answers
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
    return answers


def size_check(answers: np.ndarray, population: np.ndarray, thirds: np.ndarray, direction: int) -> str:
    """"" if an item's answers follow the stated size direction without a significant difference, else
    what fails. `thirds` is 0 (smallest), 1, 2 (largest) per respondent; 8/9 answers are left out.

    The direction must show both in Spearman's rho with log population and in the share "i høj eller
    meget høj grad" of the largest third against the smallest third."""
    from scipy import stats as st

    scale = answers <= 4
    rho, p = st.spearmanr(answers[scale], np.log(population[scale]))
    top = answers >= 3
    small, large = scale & (thirds == 0), scale & (thirds == 2)
    gap = top[large].mean() - top[small].mean()
    if not np.sign(rho) == direction:
        return f"rho {rho:.3f} against the direction {direction:+d}"
    if not np.sign(gap) == direction:
        return f"top-two share gap {gap:.3f} (largest - smallest third) against the direction {direction:+d}"
    if p < ALPHA:
        return f"significant (p = {p:.4f})"
    return ""


def need_check(challenge: np.ndarray, need: np.ndarray) -> str:
    """"" if an area's challenge and need for support are positively and clearly associated (Spearman,
    among municipalities answering both on the scale)."""
    from scipy import stats as st

    both = (challenge <= 4) & (need <= 4)
    rho, p = st.spearmanr(challenge[both], need[both])
    return "" if rho > 0 and p < NEED_ALPHA else f"challenge-need rho {rho:.3f}, p = {p:.4f}"


def _failure(answers: np.ndarray, need: np.ndarray | None, direction: int, population: np.ndarray,
             thirds: np.ndarray) -> str:
    """Every reason an area's overall item breaks the constraints ("" if none)."""
    reasons = [need_check(answers, need) if need is not None else "",
               size_check(answers, population, thirds, direction) if direction else ""]
    return "; ".join(r for r in reasons if r)


def _enforce(plans: list[ItemPlan], scores: dict, answered: dict[str, np.ndarray], persistence: np.ndarray,
             register: pd.DataFrame, assumptions: dict) -> None:
    """Make the statements the report makes about the areas hold for every seed, not by luck.

    For each area's overall item: the challenge-need association, and for the areas with an assumed
    size effect its direction without significance (size_check). An item that fails gets a fresh draw
    of its own noise (stream "item:<id>#<attempt>"), keeping its marginal counts, until it passes;
    nothing else changes. Attempt 0 is the ordinary draw, so a seed that already passes is unchanged."""
    from ..data.register import size_groups

    seed = int(assumptions["seed"])
    effects = assumptions.get("size_effects", {}) or {}
    population = register["population"].to_numpy(dtype=float)
    thirds = size_groups(register).cat.codes.to_numpy()
    by_question = {p.question: p for p in plans}
    problems = []
    for plan in plans:
        if plan.block != "area" or plan.item != OVERALL_ITEM or REDRAW + plan.question not in scores:
            continue
        need_id = f"org_{plan.topic}_{NEED_ITEM}"
        who = persistence[: plan.n]
        direction = int(np.sign(effects.get(plan.topic, 0.0)))

        need = None
        if need_id in by_question:
            need_who = persistence[: by_question[need_id].n]
            need = pd.Series(answered[need_id], index=need_who).reindex(who, fill_value=9).to_numpy()
        context = (need, direction, population[who], thirds[who])

        base, weight = scores[REDRAW + plan.question]
        attempt, why = 0, _failure(answered[plan.question], *context)
        while why and attempt < MAX_REDRAWS:
            attempt += 1
            noise = _stream(seed, f"item:{plan.question}#{attempt}").standard_normal(len(register))
            answers = _assign(plan, (base + weight * noise)[who], seed)
            why = _failure(answers, *context)
            if not why:
                answered[plan.question] = answers
        if why:
            problems.append(Problem("synthetic generator", None, plan.question, why,
                                    f"the report's statements after {MAX_REDRAWS} redraws"))
    if problems:
        raise DataError(problems)

