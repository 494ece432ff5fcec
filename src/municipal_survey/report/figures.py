"""The book's charts: diverging Likert bars, support-form bars, heatmaps and the figure-19 means.

Drawn with matplotlib under seaborn's "whitegrid" theme (THEME below); seaborn itself draws the
heatmap and is imported only there, because importing it (and the scipy it pulls in) costs about a
second in every notebook that draws a chart. Colours are set per bar from explicit tables, never via
seaborn's `hue` (which can mis-assign colours on categorical columns with pandas 3). Every bar carries
a `gid` ("question:code") so tests can check what is drawn against the table it came from.
"""
from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..data.codebook import LIKERT_LABELS
from ..synthetic.provenance import mark

# Colour-blind-safe diverging palette (ColorBrewer PuOr): orange = challenge, purple = no challenge.
COLOURS = {4: "#b35806", 3: "#f1a340", 2: "#998ec3", 1: "#542788", 8: "#bdbdbd", 9: "#636363"}
HATCHES = {8: "..", 9: "//"}  # "ved ikke"/"ikke relevant" are told apart without colour too
TEXT_ON = {4: "white", 3: "black", 2: "black", 1: "white", 8: "black", 9: "white"}

# seaborn's set_theme(style="whitegrid", context="notebook", font_scale=0.95, palette="deep") as
# matplotlib settings, so a chart needs no seaborn import; test_figures checks them against seaborn.
# Left out: seaborn's default colormap "rocket", which exists only once seaborn is imported (every
# chart here names its colormap).
_DARK, _LIGHT = ".15", ".8"
_FONT = 12 * 0.95
_SMALL = 11 * 0.95
DEEP_PALETTE = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c",
                "#ccb974", "#64b5cd"]
THEME = {
    "figure.facecolor": "white", "axes.facecolor": "white", "axes.edgecolor": _LIGHT, "axes.grid": True,
    "axes.axisbelow": True, "axes.labelcolor": _DARK, "axes.linewidth": 1.25, "grid.color": _LIGHT,
    "grid.linestyle": "-", "grid.linewidth": 1.0, "text.color": _DARK, "xtick.color": _DARK,
    "ytick.color": _DARK, "xtick.direction": "out", "ytick.direction": "out", "xtick.bottom": False,
    "ytick.left": False, "xtick.top": False, "ytick.right": False, "xtick.major.size": 6.0,
    "ytick.major.size": 6.0, "xtick.minor.size": 4.0, "ytick.minor.size": 4.0, "xtick.major.width": 1.25,
    "ytick.major.width": 1.25, "xtick.minor.width": 1.0, "ytick.minor.width": 1.0,
    "axes.spines.left": True, "axes.spines.bottom": True, "axes.spines.right": True, "axes.spines.top": True,
    "lines.solid_capstyle": "round", "patch.edgecolor": "w", "patch.force_edgecolor": True,
    "font.family": ["sans-serif"],
    "font.sans-serif": ["Arial", "DejaVu Sans", "Liberation Sans", "Bitstream Vera Sans", "sans-serif"],
    "font.size": _FONT, "axes.labelsize": _FONT, "axes.titlesize": _FONT, "legend.title_fontsize": _FONT,
    "xtick.labelsize": _SMALL, "ytick.labelsize": _SMALL, "legend.fontsize": _SMALL,
    "lines.linewidth": 1.5, "lines.markersize": 6.0, "patch.linewidth": 1.0,
}


def set_style() -> None:
    """The book's shared look: seaborn's white grid, Danish-friendly sizes."""
    from cycler import cycler

    plt.rcParams.update(THEME)
    plt.rcParams["axes.prop_cycle"] = cycler(color=DEEP_PALETTE)
    plt.rcParams.update({"figure.dpi": 100, "savefig.dpi": 100, "axes.titleweight": "bold",
                         "svg.hashsalt": "municipal-survey"})


def _label(ax, x: float, y: float, pct: float, code: int) -> None:
    if pct >= 4:
        ax.text(x, y, f"{int(pct)}", ha="center", va="center", fontsize=8, color=TEXT_ON[code])


def diverging_bars(table: pd.DataFrame, labels: dict[str, str], *, title: str = "",
                   assumed: set[str] = frozenset(), n_text: str = "", note: str = "",
                   low_is_challenge: set[str] = frozenset()) -> plt.Figure:
    """Diverging stacked bars of the Likert distribution of several questions.

    `table` is likert.shares(): the challenge goes to the right, no challenge to the left, and
    pct_8, pct_9 as a separate grey bar in a panel of its own. For most questions the challenge is
    "i høj / meget høj grad" (pct_3, pct_4); for a question in `low_is_challenge` (asked positively,
    e.g. "har tilstrækkelig viden") it is "i mindre grad / slet ikke", and those go to the right,
    with the mark ↔ after the label. Rows are drawn in table order, top to bottom. The challenge
    share stands in bold at the end of each bar: for most questions the number the report prints,
    where the split between its two parts is often an assumption. Questions in `assumed` get the
    mark † after their label; `note` is printed under the chart.
    """
    set_style()
    rows = list(table.index)
    lines = sum(len(textwrap.wrap(labels.get(q, q), 48)) or 1 for q in rows)
    height = 1.3 + 0.3 * max(lines, 1.5 * len(rows))
    fig, (ax, ax_aside) = plt.subplots(1, 2, figsize=(9.5, height), sharey=True,
                                       gridspec_kw={"width_ratios": [5, 1], "wspace": 0.05})
    y = np.arange(len(rows))[::-1]
    pct = {code: table.loc[rows, f"pct_{code}"].astype(float).to_numpy() for code in (4, 3, 2, 1, 8, 9)}
    flipped = np.array([q in low_is_challenge for q in rows])
    zero = np.zeros(len(rows))
    # One barh call per position (not per bar): a chart has up to 17 x 6 bars, and each call costs
    # more than drawing its bar. Each bar carries its own answer code's colour and gid "question:code".
    # Positions, from zero outwards: (axis, direction, code normally, code when flipped).
    stacks = (((ax, 1, 3, 2), (ax, 1, 4, 1)), ((ax, -1, 2, 3), (ax, -1, 1, 4)),
              ((ax_aside, 1, 8, 8), (ax_aside, 1, 9, 9)))
    for stack in stacks:
        left = zero
        for axis, direction, normal, when_flipped in stack:
            codes = np.where(flipped, when_flipped, normal)
            values = np.array([pct[c][i] for i, c in enumerate(codes)])
            width = direction * values
            bars = axis.barh(y, width, left=left, color=[COLOURS[c] for c in codes],
                             hatch=HATCHES.get(normal), edgecolor="white")
            for bar, qid, yi, start, value, code in zip(bars, rows, y, left, values, codes):
                bar.set_gid(f"{qid}:{code}")
                _label(axis, start + direction * value / 2, yi, value, code)
            left = left + width
    challenge = np.where(flipped, table.loc[rows, "pct_low"].astype(float),
                         table.loc[rows, "pct_top2"].astype(float))
    right_end = np.where(flipped, pct[2] + pct[1], pct[4] + pct[3])
    for qid, yi, end, value in zip(rows, y, right_end, challenge):
        ax.text(end + 1.5, yi, f"{int(value)}", ha="left", va="center", fontsize=8, fontweight="bold",
                gid=f"{qid}:challenge")
    labels = {q: labels.get(q, q) + (" ↔" if q in low_is_challenge else "") for q in rows}
    names = [textwrap.fill(mark(labels.get(q, q), q, assumed), 48) for q in rows]
    ax.set_yticks(y, names)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlim(-100, 100)
    ticks = np.arange(-100, 101, 25)
    ax.set_xticks(ticks, [f"{abs(t)}" for t in ticks])
    ax.set_xlabel("Procent af kommunerne" + (f" ({n_text})" if n_text else ""))
    ax_aside.set_xlim(0, 30)
    ax_aside.set_xlabel("Ved ikke / ikke relevant")
    ax_aside.tick_params(axis="y", length=0)
    handles = [plt.Rectangle((0, 0), 1, 1, color=COLOURS[c], hatch=HATCHES.get(c)) for c in (4, 3, 2, 1, 8, 9)]
    fig.legend(handles, [LIKERT_LABELS[c] for c in (4, 3, 2, 1, 8, 9)], loc="lower center",
               ncol=6, fontsize=8, frameon=False, bbox_to_anchor=(0.5, -0.02 - 0.25 / len(rows)))
    if note:
        fig.text(0.01, 0.005, note, fontsize=8, style="italic", ha="left", va="bottom")
    if title:
        ax.set_title(title, loc="left")
    fig.subplots_adjust(bottom=0.22 if len(rows) > 3 else 0.35)
    return fig


def count_bars(counts: pd.Series, labels: dict[str, str], *, title: str = "", n_text: str = "",
               highlight: set[str] = frozenset(), xlabel: str = "Antal kommuner") -> plt.Figure:
    """Horizontal bars of how many municipalities ticked each support form (or of shares, with
    another `xlabel`), largest first."""
    set_style()
    ordered = counts.sort_values(ascending=True, kind="stable")
    names = [textwrap.fill(labels.get(k, k), 40) for k in ordered.index]
    # Each row as tall as its wrapped label (in label lines), so long labels never overlap.
    heights = np.array([max(1, name.count("\n") + 1) for name in names], dtype=float)
    y = np.cumsum(heights) - heights / 2
    fig, ax = plt.subplots(figsize=(8, 0.8 + max(0.42 * len(ordered), 0.19 * heights.sum() + 0.1 * len(ordered))))
    for yi, (key, value) in zip(y, ordered.items()):
        colour = COLOURS[4] if key in highlight else COLOURS[2]
        ax.barh(yi, value, height=0.8 * min(heights.min(), 1.5), color=colour, gid=f"{key}:count")
        ax.text(value + 0.5, yi, str(int(value)), va="center", fontsize=9)
    ax.set_yticks(y, names)
    ax.set_ylim(0, heights.sum())
    ax.set_xlabel(xlabel + (f" ({n_text})" if n_text else ""))
    ax.set_xlim(0, max(10, ordered.max() * 1.15))
    if title:
        ax.set_title(title, loc="left")
    fig.tight_layout()
    return fig


def heatmap(matrix: pd.DataFrame, *, title: str = "", fmt: str = "d", cbar_label: str = "",
            marks: pd.DataFrame | None = None) -> plt.Figure:
    """Annotated heatmap (rows × columns); `marks` (same shape, str) is appended to annotations."""
    import seaborn as sns

    set_style()
    fig, ax = plt.subplots(figsize=(1.2 + 1.05 * matrix.shape[1], 0.8 + 0.45 * matrix.shape[0]))
    annot = matrix.map(lambda v: format(v, fmt) if pd.notna(v) else "")
    if marks is not None:
        annot = annot + marks.reindex_like(matrix).fillna("")
    sns.heatmap(matrix.astype(float), annot=annot.to_numpy(), fmt="", cmap="Oranges", ax=ax,
                linewidths=0.5, linecolor="white", cbar_kws={"label": cbar_label})
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(axis="x", rotation=35)
    plt.setp(ax.get_xticklabels(), ha="right")
    if title:
        ax.set_title(title, loc="left")
    fig.tight_layout()
    return fig


def mean_dots(table: pd.DataFrame, labels: dict[str, str], *, title: str = "", n_text: str = "") -> plt.Figure:
    """Figure 19: mean challenge and mean need for support per area, with 95% intervals.

    `table` has index area and columns mean_challenge, ci_low_challenge, ci_high_challenge,
    mean_need, ci_low_need, ci_high_need. Circles and squares tell the two apart without colour.
    """
    set_style()
    fig, ax = plt.subplots(figsize=(8.5, 0.8 + 0.5 * len(table)))
    y = np.arange(len(table))[::-1]
    for kind, marker, colour, offset, name in (("challenge", "o", COLOURS[4], 0.12, "Udfordringer"),
                                                ("need", "s", COLOURS[1], -0.12, "Behov for støtte")):
        mean = table[f"mean_{kind}"].to_numpy()
        err = np.vstack([mean - table[f"ci_low_{kind}"].to_numpy(), table[f"ci_high_{kind}"].to_numpy() - mean])
        ax.errorbar(mean, y + offset, xerr=err, fmt=marker, color=colour, label=name, capsize=3,
                    gid=f"means:{kind}")
    ax.set_yticks(y, [labels.get(a, a) for a in table.index])
    ax.set_xlim(1, 4)
    ax.set_xticks([1, 2, 3, 4], ["1\nslet ikke", "2\ni mindre grad", "3\ni høj grad", "4\ni meget høj grad"])
    ax.set_xlabel("Gennemsnit (ved ikke udeladt)" + (f", {n_text}" if n_text else ""))
    ax.legend(loc="lower right", fontsize=8)
    if title:
        ax.set_title(title, loc="left")
    fig.tight_layout()
    return fig


def drawn_bars(fig: plt.Figure) -> dict[str, float]:
    """gid -> drawn width of every bar in a figure (negative for bars drawn to the left)."""
    out = {}
    for ax in fig.axes:
        for patch in ax.patches:
            gid = patch.get_gid()
            if gid:
                out[gid] = patch.get_width()
    return out


# Chapter 3: groups told apart by marker shape as well as colour (Okabe–Ito, colour-blind safe).
GROUP_STYLES = (("o", "#0072B2"), ("s", "#D55E00"), ("^", "#009E73"), ("D", "#CC79A7"), ("v", "#E69F00"))


def _offset_points(ax, table: pd.DataFrame, column: str, series: list, labels: list, y: np.ndarray, *,
                   value: str, low: str, high: str, gid: str, first_style: int = 0, markersize: int = 5,
                   legend_when_empty: bool = False) -> None:
    """One point with its interval per (label, series) row of `table`, the series of a label spread
    around its row and told apart by marker and colour (GROUP_STYLES), each with a legend entry (also
    for a series with nothing drawn when `legend_when_empty`) and the gid "<gid>:<label>:<series>"."""
    step = 0.6 / (len(series) - 1) if len(series) > 1 else 0
    for j, name in enumerate(series):
        marker, colour = GROUP_STYLES[(j + first_style) % len(GROUP_STYLES)]
        offset = (0.3 - j * step) if len(series) > 1 else 0
        rows = table[table[column] == name]
        if rows.empty and not legend_when_empty:
            continue
        for row in rows.itertuples():
            at = getattr(row, value)
            ax.errorbar(at, y[labels.index(row.label)] + offset,
                        xerr=[[at - getattr(row, low)], [getattr(row, high) - at]], fmt=marker, color=colour,
                        capsize=2, markersize=markersize, gid=f"{gid}:{row.label}:{name}")
        ax.plot([], [], marker, color=colour, label=str(name))


def group_means(cells: pd.DataFrame, *, title: str = "", n_text: str = "") -> plt.Figure:
    """Mean answer (1–4) per question and group with 95 pct. intervals; suppressed cells are not drawn.

    `cells` is analysis.variation.group_means (columns label, group, mean, ci_low, ci_high, suppressed).
    Each drawn point has the gid "means:<label>:<group>".
    """
    set_style()
    labels = list(dict.fromkeys(cells["label"]))
    groups = list(dict.fromkeys(cells["group"]))
    fig, ax = plt.subplots(figsize=(9, 1.2 + 0.55 * len(labels)))
    y = np.arange(len(labels))[::-1]
    _offset_points(ax, cells[~cells["suppressed"]], "group", groups, labels, y,
                   value="mean", low="ci_low", high="ci_high", gid="means", legend_when_empty=True)
    ax.set_yticks(y, [textwrap.fill(str(label), 34) for label in labels])
    ax.set_xlim(1, 4)
    ax.set_xticks([1, 2, 3, 4], ["1\nslet ikke", "2\ni mindre grad", "3\ni høj grad", "4\ni meget høj grad"])
    ax.set_xlabel("Gennemsnit med 95 pct.-interval (ved ikke udeladt)" + (f", {n_text}" if n_text else ""))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16 - 0.6 / len(labels)), ncol=min(3, len(groups)),
              fontsize=8, frameon=False)
    if title:
        ax.set_title(title, loc="left")
    fig.tight_layout()
    return fig


def odds_ratios(table: pd.DataFrame, *, title: str = "", xlabel: str = "Odds ratio (logaritmisk akse)",
                first_style: int = 0, separator_after: int | None = None, terms: list | None = None) -> plt.Figure:
    """Odds ratios with 95 pct. intervals on a log axis, one row per question (and term).

    `table` has columns label, term, odds_ratio, or_low, or_high; with several terms per question the
    terms are offset and told apart by marker and colour (GROUP_STYLES from `first_style`, so a group
    keeps the look it has in group_means). A line after row `separator_after` parts two blocks of
    questions. Each point has the gid "or:<label>:<term>".
    """
    set_style()
    labels = list(dict.fromkeys(table["label"]))
    terms = list(terms) if terms is not None else list(dict.fromkeys(table["term"]))
    fig, ax = plt.subplots(figsize=(9, 1.2 + (0.32 if len(terms) == 1 else 0.5) * len(labels)))
    y = np.arange(len(labels))[::-1]
    _offset_points(ax, table, "term", terms, labels, y, value="odds_ratio", low="or_low", high="or_high",
                   gid="or", first_style=first_style, markersize=4)
    ax.axvline(1.0, color=_DARK, linewidth=1)
    if separator_after is not None:
        ax.axhline(y[separator_after] - 0.5, color=_DARK, linewidth=0.8, linestyle="--")
    ax.set_xscale("log")
    ticks = [0.125, 0.25, 0.5, 1, 2, 4, 8, 16]
    low, high = float(table["or_low"].min()), float(table["or_high"].max())
    ax.set_xlim(min(0.5, low / 1.1), max(2.0, high * 1.1))
    ax.set_xticks([t for t in ticks if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]],
                  [str(t).replace(".", ",") for t in ticks if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]])
    ax.minorticks_off()
    ax.set_yticks(y, [textwrap.fill(str(label), 40) for label in labels])
    ax.set_xlabel(xlabel)
    if len(terms) > 1:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1 - 1.2 / len(labels)), ncol=min(2, len(terms)),
                  fontsize=8, frameon=False)
    if title:
        ax.set_title(title, loc="left")
    fig.tight_layout()
    return fig
