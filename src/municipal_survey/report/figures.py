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
                   assumed: set[str] = frozenset(), n_text: str = "", note: str = "") -> plt.Figure:
    """Diverging stacked bars of the Likert distribution of several questions.

    `table` is likert.shares(): pct_4, pct_3 to the right, pct_2, pct_1 to the left, and
    pct_8, pct_9 as a separate grey bar in a panel of its own. Rows are drawn in table order, top
    to bottom. The share "i høj eller meget høj grad" stands in bold at the end of each bar: the
    number the report prints, where the split between its two parts is often an assumption.
    Questions in `assumed` get the mark † after their label; `note` is printed under the chart.
    """
    set_style()
    rows = list(table.index)
    lines = sum(len(textwrap.wrap(labels.get(q, q), 48)) or 1 for q in rows)
    height = 1.3 + 0.3 * max(lines, 1.5 * len(rows))
    fig, (ax, ax_aside) = plt.subplots(1, 2, figsize=(9.5, height), sharey=True,
                                       gridspec_kw={"width_ratios": [5, 1], "wspace": 0.05})
    y = np.arange(len(rows))[::-1]
    pct = {code: table.loc[rows, f"pct_{code}"].astype(float).to_numpy() for code in (4, 3, 2, 1, 8, 9)}
    zero = np.zeros(len(rows))
    # One barh call per answer code (not per bar): a chart has up to 17 x 6 bars, and each call
    # costs more than drawing its bar. Each bar still carries its own gid "question:code".
    stacks = ((ax, (3, 4), 1), (ax, (2, 1), -1), (ax_aside, (8, 9), 1))
    for axis, codes, direction in stacks:
        left = zero
        for code in codes:  # "i høj grad" next to zero, "i meget høj grad" outside it
            width = direction * pct[code]
            bars = axis.barh(y, width, left=left, color=COLOURS[code], hatch=HATCHES.get(code),
                             edgecolor="white")
            for bar, qid, yi, start, value in zip(bars, rows, y, left, pct[code]):
                bar.set_gid(f"{qid}:{code}")
                _label(axis, start + direction * value / 2, yi, value, code)
            left = left + width
    top2 = table.loc[rows, "pct_top2"].astype(float).to_numpy()
    for qid, yi, end, value in zip(rows, y, pct[4] + pct[3], top2):
        ax.text(end + 1.5, yi, f"{int(value)}", ha="left", va="center", fontsize=8, fontweight="bold",
                gid=f"{qid}:top2")
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
               highlight: set[str] = frozenset()) -> plt.Figure:
    """Horizontal bars of how many municipalities ticked each support form, largest first."""
    set_style()
    ordered = counts.sort_values(ascending=True, kind="stable")
    fig, ax = plt.subplots(figsize=(8, 0.6 + 0.42 * len(ordered)))
    for yi, (key, value) in enumerate(ordered.items()):
        colour = COLOURS[4] if key in highlight else COLOURS[2]
        ax.barh(yi, value, color=colour, gid=f"{key}:count")
        ax.text(value + 0.5, yi, str(int(value)), va="center", fontsize=9)
    ax.set_yticks(range(len(ordered)), [textwrap.fill(labels.get(k, k), 40) for k in ordered.index])
    ax.set_xlabel("Antal kommuner" + (f" ({n_text})" if n_text else ""))
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


def forest(table: pd.DataFrame, labels: dict[str, str], *, estimate: str, low: str, high: str, xlabel: str,
           reference: float = 1.0, log: bool = True, title: str = "") -> plt.Figure:
    """A forest plot: one row per entry of `table` (in its order, top to bottom), the estimate as a
    dot and its 95% interval as a line, with a dashed line at `reference` (no association)."""
    set_style()
    fig, ax = plt.subplots(figsize=(8.5, 0.8 + 0.45 * len(table)))
    y = np.arange(len(table))[::-1]
    value = table[estimate].astype(float).to_numpy()
    err = np.vstack([value - table[low].astype(float).to_numpy(), table[high].astype(float).to_numpy() - value])
    ax.errorbar(value, y, xerr=err, fmt="o", color=COLOURS[1], capsize=3, gid="forest")
    ax.axvline(reference, color=COLOURS[9], linestyle="--", linewidth=1)
    if log:
        ax.set_xscale("log")
        ticks = [t for t in (0.5, 1, 2, 5, 10, 20, 50) if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
        ax.set_xticks(ticks, [str(t).replace(".", ",") for t in ticks])
    ax.set_yticks(y, [labels.get(a, a) for a in table.index])
    ax.set_xlabel(xlabel)
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
