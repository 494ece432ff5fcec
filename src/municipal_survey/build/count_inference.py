"""What a reader can work out about a group's answers from the figures a page shows about it.

A group's answers to one question on the 1–4 scale are a count vector (c1, c2, c3, c4): how many of its
municipalities answered "slet ikke", "i mindre grad", "i høj grad" and "i meget høj grad". A shown mean,
its interval and its n each rule vectors out; what is left is the reader's candidate set. Several
groups of one breakdown must add up to the national counts (which a reader is assumed to know
exactly), so the groups' candidate sets constrain each other (`margin_feasible`, by dynamic programming
over reachable partial sums); statistics computed over all groups at once (Kruskal–Wallis, the minimal
detectable odds ratio of a group contrast) then rule out whole tables (`joint_tables`).

- `compositions`, `cell_figures`: every count vector of a group and the figures a page would show for it;
- `Window`: the values a shown, rounded number stands for;
- `margin_feasible`, `joint_tables`: groups combined with the national counts;
- `kruskal_wallis`, `harmonic_size`, `minimal_detectable_or`: statistics over groups, from counts.
When a count counts as given away is the disclosure module's rule (`analysis.disclosure.pinned`), the
same the book's own decisions use.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import stats as st

SCALE = np.array([1, 2, 3, 4])
# Drawn coordinates carry six decimals of a pixel; a chart's axis spans a few hundred pixels per unit.
DRAWN_TOLERANCE = 2e-5


@dataclass(frozen=True)
class Window:
    """The closed interval of true values a shown number stands for."""

    low: float
    high: float

    @classmethod
    def rounded(cls, shown: float, decimals: int) -> Window:
        """A number shown with `decimals` decimals (rounded half away from zero, or any other way)."""
        half = 0.5 * 10.0 ** -decimals
        return cls(shown - half - 1e-9, shown + half + 1e-9)

    @classmethod
    def drawn(cls, value: float) -> Window:
        """A coordinate read from a chart."""
        return cls(value - DRAWN_TOLERANCE, value + DRAWN_TOLERANCE)

    def contains(self, values) -> np.ndarray:
        values = np.asarray(values, dtype=float)
        return (values >= self.low) & (values <= self.high)


@lru_cache(maxsize=64)
def compositions(max_total: int) -> np.ndarray:
    """Every count vector (c1, c2, c3, c4) of non-negative counts with c1 + c2 + c3 + c4 <= max_total."""
    pairs = {r: np.array([(a, s - a) for s in range(r + 1) for a in range(s + 1)], dtype=np.int16)
             for r in range(max_total + 1)}
    blocks = []
    for c1 in range(max_total + 1):
        for c2 in range(max_total + 1 - c1):
            tail = pairs[max_total - c1 - c2]
            head = np.broadcast_to(np.array([c1, c2], dtype=np.int16), (len(tail), 2))
            blocks.append(np.hstack([head, tail]))
    out = np.vstack(blocks)
    out.setflags(write=False)
    return out


@lru_cache(maxsize=64)
def composition_figures(max_total: int) -> dict[str, np.ndarray]:
    """cell_figures of every composition up to `max_total` (computed once)."""
    return cell_figures(compositions(max_total))


# The intervals the book has drawn around a group's mean: a t-interval cut at the scale's ends, and a
# t-interval on the logit scale of (mean − 1)/3, mapped back (inside [1, 4] without cutting).
INTERVALS = {"t-interval": ("ci_low", "ci_high"), "logit t-interval": ("logit_low", "logit_high")}


def cell_figures(vectors: np.ndarray) -> dict[str, np.ndarray]:
    """What a page shows for each count vector: n, the mean on the 1–4 scale and its 95 pct. intervals
    (INTERVALS; NaN where undefined), and the share "i høj eller meget høj grad" in pct."""
    from scipy.special import expit, logit

    v = np.asarray(vectors, dtype=float)
    n = v.sum(axis=1)
    sizes = np.arange(int(n.max()) + 1 if len(n) else 1)
    t_quantile = st.t.ppf(0.975, np.where(sizes > 1, sizes - 1, 1))  # once per group size
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = v @ SCALE / n
        variance = (v @ SCALE**2 - n * mean**2) / (n - 1)
        half = t_quantile[n.astype(int)] * np.sqrt(np.clip(variance, 0, None) / n)
        share = (mean - 1) / 3
        logit_half = half / 3 / (share * (1 - share))
        inside = (share > 0) & (share < 1) & (variance > 1e-12) & (n > 1)
        logit_low = np.where(inside, 1 + 3 * expit(logit(share) - logit_half), np.nan)
        logit_high = np.where(inside, 1 + 3 * expit(logit(share) + logit_half), np.nan)
        top_share = 100 * (v[:, 2] + v[:, 3]) / n
    half = np.where(n > 1, half, np.nan)
    return {"n": n, "mean": mean, "ci_low": np.maximum(1.0, mean - half), "ci_high": np.minimum(4.0, mean + half),
            "logit_low": logit_low, "logit_high": logit_high, "share": top_share}


# ------------------------------------------------------------------------ groups and the national margin
# A group is given by its candidate vectors, or as free (None): every vector with at most its register
# size of answers, as for a hidden cell. Free groups are never listed: together they can absorb any
# remainder r >= 0 of the margin with sum(r) <= their sizes together (less if several must each stay
# inside their own size, which `joint_tables` checks).
def _grid(vectors: np.ndarray, margin: np.ndarray) -> np.ndarray:
    grid = np.zeros(tuple(int(m) + 1 for m in margin), dtype=bool)
    inside = np.all(vectors <= margin, axis=1)
    grid[tuple(vectors[inside].T.astype(np.intp))] = True
    return grid


def _sumset(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Every sum of a point of `a` and a point of `b` (boolean grids), cut at the grids' shape."""
    small, large = (a, b) if a.sum() <= b.sum() else (b, a)
    points = np.argwhere(small)
    if len(points) > 400:
        from scipy.signal import fftconvolve

        full = fftconvolve(small.astype(float), large.astype(float))
        return full[tuple(slice(0, s) for s in a.shape)] > 0.5
    out = np.zeros_like(large)
    for point in points:
        target = tuple(slice(int(p), None) for p in point)
        source = tuple(slice(0, s - int(p)) for s, p in zip(large.shape, point))
        out[target] |= large[source]
    return out


def _grow(grid: np.ndarray, capacity: int) -> np.ndarray:
    """Every point p with some point q of `grid`, q <= p and sum(p - q) <= capacity."""
    out = grid.copy()
    for _ in range(capacity):
        step = out.copy()
        for axis in range(out.ndim):
            shifted = np.zeros_like(out)
            index = [slice(None)] * out.ndim
            source = [slice(None)] * out.ndim
            index[axis], source[axis] = slice(1, None), slice(0, -1)
            shifted[tuple(index)] = out[tuple(source)]
            step |= shifted
        if np.array_equal(step, out):
            break
        out = step
    return out


def _reachable(groups: list[np.ndarray | None], sizes: list[int], margin: np.ndarray, skip: int) -> np.ndarray:
    """The sums the groups other than `skip` can reach (free groups absorbing up to their sizes)."""
    grid = np.zeros(tuple(int(m) + 1 for m in margin), dtype=bool)
    grid[(0,) * len(margin)] = True
    for g, vectors in enumerate(groups):
        if g != skip and vectors is not None:
            grid = _sumset(grid, _grid(vectors, margin))
    free = sum(size for g, (vectors, size) in enumerate(zip(groups, sizes)) if g != skip and vectors is None)
    return _grow(grid, free)


def margin_feasible(groups: list[np.ndarray | None], sizes: list[int], margin) -> list[np.ndarray]:
    """For each group, its candidate vectors (every vector up to its size for a free group) that the
    other groups can complete to `margin` (the national counts of the municipalities in the groups)."""
    margin = np.asarray(margin, dtype=int)
    out = []
    for g, (vectors, size) in enumerate(zip(groups, sizes)):
        vectors = compositions(size) if vectors is None else vectors
        vectors = vectors[np.all(vectors <= margin, axis=1)]
        rest = (margin - vectors).astype(np.intp)
        out.append(vectors[_reachable(groups, sizes, margin, g)[tuple(rest.T)]])
    return out


def _extend(chosen: np.ndarray, sums: np.ndarray, vectors: np.ndarray, allowed_rest: np.ndarray,
            margin: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Every partial table extended by every vector that keeps the remainder in `allowed_rest`."""
    step = max(1, 2_000_000 // max(1, len(vectors)))
    kept_chosen, kept_sums, count = [], [], 0
    for start in range(0, len(sums), step):
        total = sums[start:start + step, None, :] + vectors[None, :, :].astype(np.int32)
        rows, cols = np.nonzero(np.all(total <= margin, axis=2))
        rest = (margin - total[rows, cols]).astype(np.intp)
        keep = allowed_rest[tuple(rest.T)]
        rows, cols = rows[keep], cols[keep]
        count += len(rows)
        if count > limit:
            return None
        kept_chosen.append(np.concatenate([chosen[start + rows], vectors[cols][:, None, :]], axis=1))
        kept_sums.append(total[rows, cols])
    return np.concatenate(kept_chosen), np.concatenate(kept_sums)


def joint_tables(groups: list[np.ndarray], margin, limit: int = 400_000) -> np.ndarray | None:
    """Every table (one of each group's candidate vectors) that adds up to `margin`, as an array
    (tables, groups, 4); None when there are more than `limit`. The group with most candidates comes
    last and is whatever remains."""
    margin = np.asarray(margin, dtype=int)
    order = sorted(range(len(groups)), key=lambda g: len(groups[g]))
    grids = [_grid(groups[g], margin) for g in order]
    origin = np.zeros_like(grids[0])
    origin[(0,) * len(margin)] = True
    after = [origin]  # after[k]: the sums the groups from position len(order) - k on can reach
    for grid in reversed(grids):
        after.append(_sumset(after[-1], grid))
    after = after[::-1]
    chosen = np.zeros((1, 0, 4), dtype=np.int16)
    sums = np.zeros((1, 4), dtype=np.int32)
    for position, g in enumerate(order[:-1]):
        extended = _extend(chosen, sums, groups[g], after[position + 1], margin, limit)
        if extended is None:
            return None
        chosen, sums = extended
    last = (margin - sums).astype(np.int16)
    ok = grids[-1][tuple(last.T.astype(np.intp))]
    tables = np.concatenate([chosen[ok], last[ok][:, None, :]], axis=1)
    return tables[:, np.argsort(order), :]


# ------------------------------------------------------------------------- statistics over groups
def kruskal_wallis(tables: np.ndarray) -> dict[str, np.ndarray]:
    """Kruskal–Wallis H (tie-corrected, as scipy.stats.kruskal), its p-value and the bias-adjusted
    epsilon² ((H − k + 1)/(n − k), kept inside [0, 1]) of each table (tables, groups, 4); groups without
    answers are left out (k counts the others)."""
    t = np.asarray(tables, dtype=float)
    counts = t.sum(axis=1)  # per table: the national counts per category
    n = counts.sum(axis=1)
    below = np.cumsum(counts, axis=1) - counts
    midranks = below + (counts + 1) / 2
    rank_sums = np.einsum("tgc,tc->tg", t, midranks)
    sizes = t.sum(axis=2)
    present = sizes > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        terms = np.where(present, rank_sums**2 / np.where(present, sizes, 1), 0.0).sum(axis=1)
        h = 12 / (n * (n + 1)) * terms - 3 * (n + 1)
        ties = 1 - (counts**3 - counts).sum(axis=1) / (n**3 - n)
        h = h / ties
    k = present.sum(axis=1)
    p = st.chi2.sf(h, k - 1)
    epsilon2 = np.clip((h - k + 1) / (n - k), 0, 1)
    return {"h": h, "p": p, "epsilon2": epsilon2}


def minimal_detectable_or(harmonic, shares, alpha: float = 0.05, power: float = 0.8):
    """The minimal detectable odds ratio of a proportional-odds contrast between two groups (Whitehead
    1993), from the groups' harmonic size n_a·n_b/(n_a + n_b) and the answers' category shares."""
    spread = 1 - np.sum(np.asarray(shares, dtype=float) ** 3)
    z = st.norm.ppf(1 - alpha / 2) + st.norm.ppf(power)
    with np.errstate(divide="ignore"):
        return np.exp(z / np.sqrt(np.asarray(harmonic, dtype=float) * spread / 3))


def harmonic_size(n_a, n_b):
    """n_a·n_b/(n_a + n_b): how two group sizes enter a contrast's information (0 for an empty group)."""
    n_a, n_b = np.asarray(n_a, dtype=float), np.asarray(n_b, dtype=float)
    total = n_a + n_b
    return np.divide(n_a * n_b, total, out=np.zeros_like(total), where=total > 0)


# ---------------------------------------------------------------------------------- the finding
def describe(values) -> str:
    """The feasible values of a count as a reader would state them: "{2}", "{2, 3}", "1–4"."""
    values = np.unique(np.asarray(values)).astype(int)
    if len(values) <= 3:
        return "{" + ", ".join(str(v) for v in values) + "}"
    return f"{values.min()}–{values.max()}"


def harmonic_window(mde: Window, shares, alpha: float = 0.05, power: float = 0.8) -> Window:
    """The harmonic group sizes whose minimal detectable odds ratio is shown as `mde`."""
    spread = 1 - np.sum(np.asarray(shares, dtype=float) ** 3)
    z = st.norm.ppf(1 - alpha / 2) + st.norm.ppf(power)

    def size(odds_ratio: float) -> float:
        return math.inf if odds_ratio <= 1 else 3 * (z / math.log(odds_ratio)) ** 2 / spread

    return Window(size(mde.high), size(mde.low))
