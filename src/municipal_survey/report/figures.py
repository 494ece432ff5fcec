"""The book's charts: diverging Likert bars, support-form bars, heatmaps and the figure-19 means.

Drawn with matplotlib under seaborn's "whitegrid" theme (THEME below); seaborn itself draws the
heatmap and is imported only there, because importing it (and the scipy it pulls in) costs about a
second in every notebook that draws a chart. Colours are set per bar from explicit tables, never via
seaborn's `hue` (which can mis-assign colours on categorical columns with pandas 3). Every bar carries
a `gid` ("question:code") so tests can check what is drawn against the table it came from.

Every chart is drawn at the width the book shows it (DISPLAY_WIDTH_PX) with text of at least
MIN_FONT_PT there, and a notebook shows it as SVG with its text kept as text (use_svg).
"""
from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch, Rectangle

from ..data.codebook import LIKERT_LABELS
from ..synthetic.provenance import ASSUMED_MARK, mark
from . import figure_titles

# Colour-blind-safe diverging palette (ColorBrewer PuOr): orange = challenge, purple = no challenge.
COLOURS = {4: "#b35806", 3: "#f1a340", 2: "#998ec3", 1: "#542788", 8: "#bdbdbd", 9: "#636363"}
# Support-form charts: neutral greys (not the answer scale's colours), darker for the highlighted
# bars; assumed bars are hatched (and their label carries †), never told apart by colour alone.
NEUTRAL, NEUTRAL_HIGHLIGHT, ASSUMED_HATCH = "#8c8c8c", "#3b3b3b", "////"
ASSUMED_LEGEND = f"{ASSUMED_MARK} antaget (ikke et tal fra rapporten)"
# A heat-map cell whose number is an assumption: light grey and hatched, never on the colour scale.
ASSUMED_CELL = "#e6e6e6"

# The width a chart is shown at: the book's content column at a 1280 px wide window, measured in
# headless Chromium on the built chapter 1 (sphinx-book-theme 1.3.0): every figure's
# `img.getBoundingClientRect().width` was 672 CSS px (the article 752 px less 2 x 32 px padding, less
# the figure's margin), while the images were 790-1350 px wide. A chart is drawn at that width at
# 96 CSS px per inch, so a font size in pt is the size a reader sees; saved as SVG with text kept as
# text, it stays sharp on any screen.
DISPLAY_WIDTH_PX = 672
DISPLAY_WIDTH_IN = DISPLAY_WIDTH_PX / 96
PAD_IN = 0.05  # the white margin around a saved chart
FIG_WIDTH_IN = DISPLAY_WIDTH_IN - 2 * PAD_IN  # the drawn figure, so that with its margin it fills the column
MIN_FONT_PT = 9  # the smallest text of any chart as displayed
TEXT_PT = 9.5  # value labels, legends, notes
# How the book saves a chart (the notebooks' inline backend uses it): SVG cropped to its content,
# without a date (so re-executing gives the same file).
SAVE_KWARGS = {"format": "svg", "bbox_inches": "tight", "pad_inches": PAD_IN, "metadata": {"Date": None}}
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
    """The book's shared look: seaborn's white grid, Danish-friendly sizes; charts shown as SVG."""
    from cycler import cycler

    plt.rcParams.update(THEME)
    plt.rcParams["axes.prop_cycle"] = cycler(color=DEEP_PALETTE)
    plt.rcParams.update({"figure.dpi": 100, "savefig.dpi": 100, "axes.titleweight": "bold",
                         "svg.hashsalt": "municipal-survey", "svg.fonttype": "none"})
    use_svg()


def use_svg() -> None:
    """Show figures in a notebook as SVG (SAVE_KWARGS), text kept as text: sharp at any pixel density,
    small files, and the figure's words readable by screen readers' find and by search."""
    plt.rcParams.update({"svg.hashsalt": "municipal-survey", "svg.fonttype": "none"})
    try:
        from IPython import get_ipython
    except ImportError:  # drawing outside IPython (tests, scripts): nothing to configure
        return
    if get_ipython() is None:
        return
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    options = {k: v for k, v in SAVE_KWARGS.items() if k != "format"}
    set_matplotlib_formats(SAVE_KWARGS["format"], **options)


def _keep_marks(label: str) -> str:
    """A label whose marks († assumed, ↔ reversed) stay with their last word when it is wrapped."""
    return label.replace(f" {ASSUMED_MARK}", f"\u00a0{ASSUMED_MARK}").replace(" ↔", "\u00a0↔")


def wrap(label: str, width: int) -> str:
    """textwrap.fill that never leaves a mark alone on a line (the no-break space is given back as a
    space afterwards, so the label's text is unchanged apart from its line breaks)."""
    filled = textwrap.fill(_keep_marks(label), width, break_on_hyphens=False, break_long_words=False)
    return filled.replace("\u00a0", " ")


def _note_lines(note: str, fontsize: float = TEXT_PT) -> str:
    """A note wrapped to the chart's width (at most about 0.6 em a character, italic sans-serif)."""
    return wrap(note, int(FIG_WIDTH_IN * 72 / (0.6 * fontsize)))


def _add_note(fig: plt.Figure, note: str) -> None:
    """The note at the bottom of the figure, left-aligned; as the figure's supxlabel, the
    constrained layout keeps room for it (a plain figure text would be drawn over the axis label)."""
    fig.supxlabel(_note_lines(note), x=0.01, ha="left", fontsize=TEXT_PT, style="italic", linespacing=1.3)


def _legend_on_top(ax, handles, labels, ncol: int | None = None, **options) -> None:
    """The legend right above the plot area, from the figure's left edge (so a wide legend still
    fits; the constrained layout keeps room for it, and a title set with _add_title goes above it)."""
    from matplotlib.transforms import blended_transform_factory

    ax.legend(handles, labels, loc="lower left", bbox_to_anchor=(0, 1.01), ncol=ncol or len(handles),
              bbox_transform=blended_transform_factory(ax.figure.transFigure, ax.transAxes),
              fontsize=TEXT_PT, frameon=False, borderaxespad=0, columnspacing=1.0,
              **{"handlelength": 1.2, **options})


def _add_title(fig: plt.Figure, title: str) -> None:
    """The title above the chart (and its legend), left-aligned, wrapped to the chart's width."""
    fig.suptitle(wrap(title, int(FIG_WIDTH_IN * 72 / (0.65 * _FONT))), x=0.01, ha="left", fontweight="bold")


def frame(fig: plt.Figure, heading: str, source: str) -> plt.Figure:
    """The chart's number and title above it and its source line under it (after its note), inside the
    image, so that a chart pasted elsewhere keeps its provenance. The figure grows by their height, so
    the plot keeps its size; a title given before is replaced by the heading."""
    title = wrap(heading, int(FIG_WIDTH_IN * 72 / (0.72 * _FONT)))  # bold: wider than the notes' 0.6 em
    source_text = _note_lines(source)
    note = fig.get_supxlabel()
    added_pt = (title.count("\n") + 1) * _FONT * 1.3 + (source_text.count("\n") + 1) * TEXT_PT * 1.4 + 10
    if fig.get_suptitle():
        added_pt -= (fig.get_suptitle().count("\n") + 1) * _FONT * 1.3
    width, height = fig.get_size_inches()
    fig.set_size_inches(width, height + max(added_pt, 0) / 72)
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    fig.supxlabel(f"{note}\n{source_text}" if note else source_text, x=0.01, ha="left", fontsize=TEXT_PT,
                  style="italic", linespacing=1.3)
    return fig


def _rows(names: list[str], line_in: float = 0.17, minimum: float = 0.34) -> tuple[np.ndarray, float]:
    """The y centre of each row (top row first, y growing upwards) and the total height in inches:
    every row is as tall as its wrapped label, so labels never overlap."""
    pitch = np.array([max(minimum, line_in * (name.count("\n") + 1) + 0.1) for name in names])
    top = pitch.sum()
    centres = top - (np.cumsum(pitch) - pitch / 2)
    return centres, top


def _label_fits(ax, value: float, text: str, fontsize: float) -> bool:
    """Whether a number fits inside a bar `value` data units wide (axis drawn already)."""
    fig = ax.figure
    width_pt = ax.get_window_extent().width * 72 / fig.dpi
    span = np.diff(ax.get_xlim())[0]
    return abs(value) / span * width_pt >= 0.62 * fontsize * len(text) + 3


def _hatch_assumed(bar) -> None:
    """A bar whose numbers are assumptions: thin white hatching over its colour, light enough that the
    number written on it stays readable."""
    bar.set_hatch(ASSUMED_HATCH)
    bar.set_hatch_linewidth(0.5)


def diverging_bars(table: pd.DataFrame, labels: dict[str, str], *, title: str = "",
                   assumed: set[str] = frozenset(), n_text: str = "", note: str = "",
                   low_is_challenge: set[str] = frozenset()) -> plt.Figure:
    """Diverging stacked bars of the Likert distribution of several questions.

    `table` is likert.shares(): the challenge goes to the right, no challenge to the left, and
    "ved ikke" + "ikke relevant" as one grey bar with its number in a narrow panel of its own (the
    split between the two is in the table). For most questions the challenge is
    "i høj / meget høj grad" (pct_3, pct_4); for a question in `low_is_challenge` (asked positively,
    e.g. "har tilstrækkelig viden") it is "i mindre grad / slet ikke", and those go to the right,
    with the mark ↔ after the label. Rows are drawn in table order, top to bottom. The challenge
    share stands in bold at the end of each bar, as the report states it: "i høj eller meget høj grad",
    and for a question in `low_is_challenge` "i mindre grad" (the report's 54 pct. in 4.1; "slet ikke"
    is drawn beside it but not counted). Questions in `assumed` get the mark † after their label and
    hatched bars; `note` is printed under the chart. The legend, on top, lists only the
    answers drawn.
    """
    set_style()
    rows = list(table.index)
    shown = {q: labels.get(q, q) + (" ↔" if q in low_is_challenge else "") for q in rows}
    names = [wrap(mark(shown[q], q, assumed), 30) for q in rows]
    y, rows_height = _rows(names)
    pct = {code: table.loc[rows, f"pct_{code}"].astype(float).to_numpy() for code in (4, 3, 2, 1, 8, 9)}
    aside = pct[8] + pct[9]
    with_aside = bool(aside.sum() > 0)
    fig, axes = plt.subplots(1, 2 if with_aside else 1, sharey=True, layout="constrained",
                             figsize=(FIG_WIDTH_IN, rows_height + 1.35),
                             gridspec_kw={"width_ratios": [4.2, 1]} if with_aside else None)
    ax, ax_aside = (axes[0], axes[1]) if with_aside else (axes, None)
    flipped = np.array([q in low_is_challenge for q in rows])
    left_total = np.where(flipped, pct[4] + pct[3], pct[2] + pct[1])
    right_total = np.where(flipped, pct[2] + pct[1], pct[4] + pct[3])
    # Limits from the data in steps of 25, with room for the bold number after the longest bar.
    ax.set_xlim(-25 * np.ceil(max(left_total.max(), 1) / 25), 25 * np.ceil((right_total.max() + 12) / 25))
    ticks = np.arange(ax.get_xlim()[0], ax.get_xlim()[1] + 1, 25)
    ax.set_xticks(ticks, [f"{abs(int(t))}" for t in ticks])
    ax.set_ylim(0, rows_height)
    ax.set_yticks(y, names, fontsize=TEXT_PT)
    ax.set_xlabel("Procent af kommunerne" + (f" ({n_text})" if n_text else ""))
    if ax_aside is not None:
        ax_aside.set_xlim(0, max(10.0, aside.max() * 1.6))
        ax_aside.set_xticks([])
        ax_aside.set_xlabel("Ved ikke /\nikke relevant", fontsize=TEXT_PT)
        ax_aside.tick_params(axis="y", length=0)
        ax_aside.grid(False)
    fig.draw_without_rendering()  # the layout, so labels can be placed where they fit
    zero = np.zeros(len(rows))
    height = 0.22
    drawn_codes: set[int] = set()
    # One barh call per position (not per bar): a chart has up to 17 x 4 bars, and each call costs
    # more than drawing its bar. Each bar carries its own answer code's colour and gid "question:code".
    # Positions, from zero outwards: (direction, code normally, code when flipped).
    for stack in (((1, 3, 2), (1, 4, 1)), ((-1, 2, 3), (-1, 1, 4))):
        left = zero
        for direction, normal, when_flipped in stack:
            codes = np.where(flipped, when_flipped, normal)
            values = np.array([pct[c][i] for i, c in enumerate(codes)])
            width = direction * values
            bars = ax.barh(y, width, left=left, height=height, color=[COLOURS[c] for c in codes],
                           edgecolor="white")
            for bar, qid, yi, start, value, code in zip(bars, rows, y, left, values, codes):
                bar.set_gid(f"{qid}:{code}")
                if qid in assumed:
                    _hatch_assumed(bar)
                if value > 0:
                    drawn_codes.add(int(code))
                text = f"{int(value)}"
                if value > 0 and _label_fits(ax, value, text, TEXT_PT):
                    ax.text(start + direction * value / 2, yi, text, ha="center", va="center",
                            fontsize=TEXT_PT, color=TEXT_ON[code])
            left = left + width
    challenge = np.where(flipped, table.loc[rows, "pct_2"].astype(float),
                         table.loc[rows, "pct_top2"].astype(float))
    for qid, yi, end, value in zip(rows, y, right_total, challenge):
        ax.text(end + 1.5, yi, f"{int(value)}", ha="left", va="center", fontsize=TEXT_PT, fontweight="bold",
                gid=f"{qid}:challenge")
    ax.axvline(0, color="black", linewidth=0.8)
    if ax_aside is not None:
        bars = ax_aside.barh(y, aside, height=height, color=COLOURS[8], edgecolor="white")
        for bar, qid, yi, value in zip(bars, rows, y, aside):
            bar.set_gid(f"{qid}:8+9")
            if qid in assumed:
                _hatch_assumed(bar)
            ax_aside.annotate(f"{int(value)}", xy=(value, yi), xytext=(3, 0), textcoords="offset points",
                              ha="left", va="center", fontsize=TEXT_PT)
    # Legend on top, in the order the answers lie from left to right; only answers drawn.
    order = [c for c in (1, 2, 3, 4) if c in drawn_codes]
    handles, names_ = [Patch(color=COLOURS[c]) for c in order], [LIKERT_LABELS[c] for c in order]
    if set(rows) & set(assumed):
        # Short, so that it fits on the answers' row (the note says what is assumed).
        handles.append(Patch(facecolor=NEUTRAL, hatch=ASSUMED_HATCH, edgecolor="white"))
        names_.append(f"{ASSUMED_MARK} antaget")
    _legend_on_top(ax, handles, names_)
    if note:
        _add_note(fig, note)
    if title:
        _add_title(fig, title)
    return fig


def count_bars(counts: pd.Series, labels: dict[str, str], *, title: str = "", n_text: str = "",
               highlight: set[str] = frozenset(), highlight_label: str = "De tre hyppigste",
               xlabel: str = "Antal kommuner") -> plt.Figure:
    """Horizontal bars of how many municipalities ticked each support form (or of shares, with
    another `xlabel`), largest first.

    Bars are neutral grey, those in `highlight` darker with the legend entry `highlight_label`; a bar
    whose label ends with † (an assumed number) is hatched, with a legend entry saying so.
    """
    set_style()
    ordered = counts.sort_values(ascending=False, kind="stable")
    names = [wrap(labels.get(k, k), 36) for k in ordered.index]
    y, rows_height = _rows(names, minimum=0.3)
    fig, ax = plt.subplots(figsize=(FIG_WIDTH_IN, rows_height + 1.0), layout="constrained")
    any_assumed = False
    for yi, name, (key, value) in zip(y, names, ordered.items()):
        assumed = name.endswith(ASSUMED_MARK)
        any_assumed |= assumed
        colour = NEUTRAL_HIGHLIGHT if key in highlight else NEUTRAL
        ax.barh(yi, value, height=0.22, color=colour, hatch=ASSUMED_HATCH if assumed else None,
                edgecolor="white", gid=f"{key}:count")
        ax.annotate(str(int(value)), xy=(value, yi), xytext=(3, 0), textcoords="offset points", va="center",
                    fontsize=TEXT_PT)
    ax.set_yticks(y, names, fontsize=TEXT_PT)
    ax.set_ylim(0, rows_height)
    ax.set_xlabel(xlabel + (f" ({n_text})" if n_text else ""))
    ax.set_xlim(0, max(10, ordered.max() * 1.15))
    handles, names_ = [], []
    if set(highlight) & set(ordered.index):
        handles.append(Patch(color=NEUTRAL_HIGHLIGHT))
        names_.append(highlight_label)
    if any_assumed:
        handles.append(Patch(facecolor=NEUTRAL, hatch=ASSUMED_HATCH, edgecolor="white"))
        names_.append(ASSUMED_LEGEND)
    if handles:
        _legend_on_top(ax, handles, names_, handlelength=1.6)
    if title:
        _add_title(fig, title)
    return fig


def heatmap(matrix: pd.DataFrame, *, title: str = "", fmt: str = "d", cbar_label: str = "",
            marks: pd.DataFrame | None = None) -> plt.Figure:
    """Annotated heatmap (rows × columns); `marks` (same shape, str) is appended to annotations."""
    import seaborn as sns

    set_style()
    rows = [wrap(str(r), 28) for r in matrix.index]
    columns = [wrap(str(c), 24) for c in matrix.columns]  # read upwards, two lines at most
    # The heatmap's rows are equally tall, so each must fit the label with the most lines.
    rows_height = len(rows) * max(_rows([r], minimum=0.3)[1] for r in rows)
    label_lines = max(len(max(c.splitlines(), key=len)) for c in columns)
    fig, ax = plt.subplots(figsize=(FIG_WIDTH_IN, rows_height + 0.6 + 0.075 * label_lines), layout="constrained")
    annot = matrix.map(lambda v: format(v, fmt) if pd.notna(v) else "")
    assumed = pd.DataFrame(False, index=matrix.index, columns=matrix.columns)
    if marks is not None:
        marks = marks.reindex_like(matrix).fillna("")
        assumed = marks.map(lambda m: ASSUMED_MARK in m)
        annot = annot + marks.map(lambda m: m.replace(" ", "\u00a0"))
    # Only cells with the report's numbers are coloured (and set the colour scale); an assumed cell is
    # light grey and hatched, its number written on it.
    sns.heatmap(matrix.astype(float), annot=annot.to_numpy(), fmt="", cmap="Oranges", ax=ax,
                mask=assumed.to_numpy(), linewidths=0.5, linecolor="white",
                cbar_kws={"label": cbar_label, "pad": 0.02}, annot_kws={"fontsize": TEXT_PT})
    colourbar = ax.collections[0].colorbar
    low, high = colourbar.mappable.get_clim()
    colourbar.set_ticks([t for t in colourbar.get_ticks() if low <= t <= high])  # none beyond the bar's ends
    for (i, j) in zip(*np.nonzero(assumed.to_numpy())):
        ax.add_patch(Rectangle((j, i), 1, 1, facecolor=ASSUMED_CELL, hatch=ASSUMED_HATCH, edgecolor="#a8a8a8",
                               linewidth=0.5, gid=f"cell:{i}:{j}:assumed"))
        ax.text(j + 0.5, i + 0.5, annot.iat[i, j], ha="center", va="center", fontsize=TEXT_PT, color=_DARK)
    if assumed.to_numpy().any():
        _legend_on_top(ax, [Patch(facecolor=ASSUMED_CELL, hatch=ASSUMED_HATCH, edgecolor="#a8a8a8")],
                       [f"{ASSUMED_MARK} antaget (ikke et tal fra rapporten); farvede celler: rapportens tal"],
                       handlelength=1.6)
    ax.set_yticks(np.arange(len(rows)) + 0.5, rows, fontsize=TEXT_PT, rotation=0)
    ax.set_xticks(np.arange(len(columns)) + 0.5, columns, fontsize=TEXT_PT, rotation=90, ha="center",
                  multialignment="right")
    ax.set_xlabel("")
    ax.set_ylabel("")
    fig.axes[-1].tick_params(labelsize=TEXT_PT)
    fig.axes[-1].yaxis.label.set_size(TEXT_PT)
    if title:
        ax.set_title(title, loc="left")
    return fig


def responses_per_question(n: pd.Series, participants: int) -> plt.Figure:
    """The data page's chart: N of each question in the questionnaire's order, as steps, under a dashed
    line at the number of participating municipalities."""
    set_style()
    fig, ax = plt.subplots(figsize=(FIG_WIDTH_IN, 2.8), layout="constrained")
    ax.step(range(len(n)), n.to_numpy(), where="mid", color=COLOURS[1], gid="responses:n")
    ax.set_xlabel("Spørgsmål i skemaets rækkefølge")
    ax.set_ylabel("Antal besvarelser (N)")
    ax.set_ylim(0, participants + 8)
    ax.axhline(participants, color=COLOURS[8], linestyle="--", linewidth=1)
    ax.text(0, participants + 1.5, "Deltagende kommuner", fontsize=TEXT_PT)
    return fig


def mean_dots(table: pd.DataFrame, labels: dict[str, str], *, title: str = "", n_text: str = "",
              assumed: bool = False) -> plt.Figure:
    """Figure 19: mean challenge and mean need for support per area, with 95% intervals.

    `table` has index area and columns mean_challenge, ci_low_challenge, ci_high_challenge,
    mean_need, ci_low_need, ci_high_need. Circles and squares tell the two apart without colour; when
    the means are `assumed` (the synthetic data's), the markers are hollow. The axis spans the
    intervals in steps of 0.1 (the means lie close together: on the whole 1-4 scale their differences
    would not show); its label names the scale's answers.
    """
    set_style()
    names = [wrap(labels.get(a, a), 30) for a in table.index]
    y, rows_height = _rows(names, minimum=0.42)
    fig, ax = plt.subplots(figsize=(FIG_WIDTH_IN, rows_height + 1.3), layout="constrained")
    for kind, marker, colour, offset, name in (("challenge", "o", COLOURS[4], 0.08, "Udfordringer"),
                                                ("need", "s", COLOURS[1], -0.08, "Behov for støtte")):
        mean = table[f"mean_{kind}"].to_numpy()
        err = np.vstack([mean - table[f"ci_low_{kind}"].to_numpy(), table[f"ci_high_{kind}"].to_numpy() - mean])
        ax.errorbar(mean, y + offset, xerr=err, fmt=marker, color=colour, label=name, capsize=3,
                    markerfacecolor="white" if assumed else colour, gid=f"means:{kind}")
    ax.set_yticks(y, names, fontsize=TEXT_PT)
    ax.set_ylim(0, rows_height)
    lows = table[["ci_low_challenge", "ci_low_need"]].to_numpy(dtype=float)
    highs = table[["ci_high_challenge", "ci_high_need"]].to_numpy(dtype=float)
    low = max(1.0, np.floor(np.nanmin(lows) * 10 - 1) / 10)
    high = min(4.0, np.ceil(np.nanmax(highs) * 10 + 1) / 10)
    ax.set_xlim(low, high)
    ticks = np.round(np.arange(low, high + 1e-9, 0.1 if high - low <= 1.2 else 0.2), 1)
    ax.set_xticks(ticks, [f"{t:.1f}".replace(".", ",") for t in ticks])
    ax.set_xlabel(wrap("Gennemsnit på skalaen 1–4: 1 = slet ikke, 2 = i mindre grad, 3 = i høj grad, "
                       "4 = i meget høj grad (ved ikke udeladt)" + (f"; {n_text}" if n_text else ""), 55))
    _legend_on_top(ax, *ax.get_legend_handles_labels())
    if title:
        _add_title(fig, title)
    return fig


# The pages about the waves: the same questions in two rounds, and the participation of every round.
def responses_chart(n: pd.Series, participants: int, synthetic: bool) -> plt.Figure:
    """responses_per_question with number, title and source inside the image: on the synthetic dataset
    every question's N is the report's, on imported data the answers'."""
    kind = figure_titles.SOURCE_REPORT if synthetic else figure_titles.SOURCE_DATA
    return frame(responses_per_question(n, participants), figure_titles.book_heading("d_fig_svar"),
                 figure_titles.source_line(kind))


def wave_points(table: pd.DataFrame, *, title: str = "", note: str = "",
                xlabel: str = "Andel i høj eller meget høj grad (pct.) med 95 pct.-interval") -> plt.Figure:
    """The share of each question in two (or more) waves, with its interval where it has one.

    `table` has columns label (the row), wave (the series, e.g. "2020"), pct, low and high in percent
    (low = high = pct for a share printed without an interval). The waves are told apart by marker and
    colour (GROUP_STYLES); each point has the gid "waves:<label>:<wave>".
    """
    set_style()
    labels = list(dict.fromkeys(table["label"]))
    series = list(dict.fromkeys(table["wave"]))
    names = [wrap(str(label), 32) for label in labels]
    y, rows_height = _rows(names, line_in=0.2, minimum=0.5)  # room for the waves' points around each row
    fig, ax = plt.subplots(figsize=(FIG_WIDTH_IN, rows_height + 1.5), layout="constrained")
    _offset_points(ax, table, "wave", series, labels, y, value="pct", low="low", high="high", gid="waves",
                   legend_when_empty=True, spread=0.26)
    ax.grid(axis="y", visible=False)  # a line through a row's centre would part its two points
    ax.set_yticks(y, names, fontsize=TEXT_PT)
    ax.set_ylim(0, rows_height)
    ax.set_xlim(0, 100)
    ax.set_xlabel(wrap(xlabel, 50))
    _legend_on_top(ax, *ax.get_legend_handles_labels(), ncol=min(3, len(series)))
    if note:
        _add_note(fig, note)
    if title:
        _add_title(fig, title)
    return fig


# Participation: the two areas told apart by colour and by the row's own label; a share derived from a
# printed count (not printed as a share) is hatched and says so in its label.
AREA_COLOURS = {"børn og unge": COLOURS[1], "voksne": COLOURS[4]}
DERIVED_HATCH = "////"


def participation_bars(table: pd.DataFrame, *, title: str = "") -> plt.Figure:
    """The participation of every round as horizontal bars (percent of the 98 municipalities).

    `table` has columns label, target (a key of AREA_COLOURS), pct and derived (bool). Each bar has the
    gid "participation:<label>" and its value written after it ("87 pct. (afledt)" when derived).
    """
    set_style()
    names = [wrap(str(label), 30) for label in table["label"]]
    y, rows_height = _rows(names, minimum=0.36)
    fig, ax = plt.subplots(figsize=(FIG_WIDTH_IN, rows_height + 1.2), layout="constrained")
    for centre, row in zip(y, table.itertuples()):
        ax.barh(centre, row.pct, height=0.26, color=AREA_COLOURS[row.target], edgecolor="white",
                hatch=DERIVED_HATCH if row.derived else None, gid=f"participation:{row.label}")
        shown = f"{row.pct:.0f} pct." + (" (afledt)" if row.derived else "")
        ax.text(row.pct + 1, centre, shown, va="center", fontsize=TEXT_PT)
    ax.set_yticks(y, names, fontsize=TEXT_PT)
    ax.set_ylim(0, rows_height)
    ax.set_xlim(0, 125)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel("Andel af de 98 kommuner, der deltog (pct.)")
    handles = [Patch(facecolor=colour, label=area.capitalize()) for area, colour in AREA_COLOURS.items()
               if area in set(table["target"])]
    if table["derived"].any():
        handles.append(Patch(facecolor="white", edgecolor=_DARK, hatch=DERIVED_HATCH,
                             label="Afledt af et trykt antal"))
    _legend_on_top(ax, handles, [h.get_label() for h in handles])
    if title:
        _add_title(fig, title)
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


# Chapter 3 and the forest plots: groups told apart by marker shape as well as colour, the colours from
# the book's one palette (ColorBrewer PuOr, as COLOURS, and grey), each at least 3:1 against white.
GROUP_STYLES = (("o", COLOURS[1]), ("s", COLOURS[4]), ("^", COLOURS[9]), ("D", "#8073ac"), ("v", "#7f3b08"))


def _offset_points(ax, table: pd.DataFrame, column: str, series: list, labels: list, y: np.ndarray, *,
                   value: str, low: str | None, high: str | None, gid: str, first_style: int = 0,
                   markersize: int = 5, legend_when_empty: bool = False, spread: float = 0.6,
                   hollow: bool = False) -> None:
    """One point with its interval (none when `low` is None) per (label, series) row of `table`, the
    series of a label spread over `spread` (y units) around its row and told apart by marker and colour
    (GROUP_STYLES), each with a legend entry (also for a series with nothing drawn when
    `legend_when_empty`) and the gid "<gid>:<label>:<series>". `hollow` markers: the numbers are the
    synthetic data's."""
    step = spread / (len(series) - 1) if len(series) > 1 else 0
    for j, name in enumerate(series):
        marker, colour = GROUP_STYLES[(j + first_style) % len(GROUP_STYLES)]
        offset = (spread / 2 - j * step) if len(series) > 1 else 0
        rows = table[table[column] == name]
        if rows.empty and not legend_when_empty:
            continue
        for row in rows.itertuples():
            at = getattr(row, value)
            where, point_gid = y[labels.index(row.label)] + offset, f"{gid}:{row.label}:{name}"
            face = "white" if hollow else colour
            if low is None:
                ax.plot([at], [where], marker, color=colour, markersize=markersize, markerfacecolor=face,
                        gid=point_gid)
                continue
            ax.errorbar(at, where, xerr=[[at - getattr(row, low)], [getattr(row, high) - at]], fmt=marker,
                        color=colour, capsize=2, markersize=markersize, markerfacecolor=face, gid=point_gid)
        ax.plot([], [], marker, color=colour, markerfacecolor="white" if hollow else colour, label=str(name))


def group_shares(cells: pd.DataFrame, *, title: str = "", assumed: bool = False) -> plt.Figure:
    """The share of the group's municipalities answering "i høj eller meget høj grad" (whole pct.) per
    question and group; suppressed cells are not drawn, and a group with nothing drawn has no legend entry.
    `assumed`: hollow markers (synthetic numbers).

    `cells` is analysis.variation.group_shares (columns label, group, share, suppressed). Each drawn point
    has the gid "shares:<label>:<group>".
    """
    set_style()
    labels = list(dict.fromkeys(cells["label"]))
    groups = list(dict.fromkeys(cells["group"]))
    fig, ax = plt.subplots(figsize=(FIG_WIDTH_IN, 1.4 + 0.55 * len(labels)), layout="constrained")
    y = np.arange(len(labels))[::-1]
    _offset_points(ax, cells[~cells["suppressed"]], "group", groups, labels, y,
                   value="share", low=None, high=None, gid="shares", hollow=assumed, spread=0.4)
    ax.grid(axis="y", visible=False)  # a line through a row's centre would part its groups' points
    ax.set_yticks(y, [wrap(str(label), 30) for label in labels], fontsize=TEXT_PT)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Andel af gruppens kommuner (pct.)")
    _legend_on_top(ax, *ax.get_legend_handles_labels(), ncol=min(3, len(groups)))
    if title:
        _add_title(fig, title)
    return fig


def odds_ratios(table: pd.DataFrame, *, title: str = "", xlabel: str = "Odds ratio (logaritmisk akse)",
                first_style: int = 0, separator_after: int | None = None, terms: list | None = None,
                assumed: bool = False) -> plt.Figure:
    """Odds ratios with 95 pct. intervals on a log axis, one row per question (and term).

    `table` has columns label, term, odds_ratio, or_low, or_high; with several terms per question the
    terms are offset and told apart by marker and colour (GROUP_STYLES from `first_style`, so a group
    keeps the look it has in group_shares). A line after row `separator_after` parts two blocks of
    questions. Each point has the gid "or:<label>:<term>".
    """
    set_style()
    labels = list(dict.fromkeys(table["label"]))
    terms = list(terms) if terms is not None else list(dict.fromkeys(table["term"]))
    fig, ax = plt.subplots(figsize=(FIG_WIDTH_IN, 1.4 + (0.34 if len(terms) == 1 else 0.5) * len(labels)),
                           layout="constrained")
    y = np.arange(len(labels))[::-1]
    _offset_points(ax, table, "term", terms, labels, y, value="odds_ratio", low="or_low", high="or_high",
                   gid="or", first_style=first_style, markersize=4, hollow=assumed)
    ax.axvline(1.0, color=_DARK, linewidth=1)
    if separator_after is not None:
        ax.axhline(y[separator_after] - 0.5, color=_DARK, linewidth=0.8, linestyle="--")
    ax.set_xscale("log")
    ticks = [0.125, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128]
    low, high = float(table["or_low"].min()), float(table["or_high"].max())
    ax.set_xlim(min(0.5, low / 1.1), max(2.0, high * 1.1))
    ax.set_xticks([t for t in ticks if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]],
                  [str(t).replace(".", ",") for t in ticks if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]])
    ax.minorticks_off()
    ax.set_yticks(y, [wrap(str(label), 30) for label in labels], fontsize=TEXT_PT)
    ax.set_xlabel(wrap(xlabel, 60))
    if len(terms) > 1:
        _legend_on_top(ax, *ax.get_legend_handles_labels(), ncol=min(3, len(terms)))
    if title:
        _add_title(fig, title)
    return fig
