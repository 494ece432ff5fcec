"""Every chart as a reader sees it in the content column (figures.DISPLAY_WIDTH_PX): the checks the chart
tests share (no wider than the column, text at least figures.MIN_FONT_PT there, no two texts on top of
each other)."""
import io
import re
from dataclasses import dataclass

from matplotlib.text import Text

from municipal_survey.report import figures


def saved_width_px(fig) -> float:
    """The width, in CSS px, of the SVG the book saves (its width is given in pt)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, **figures.SAVE_KWARGS)
    svg = buffer.getvalue().decode("utf-8")
    width = re.search(r'<svg[^>]*\swidth="([\d.]+)pt"', svg)
    assert width, "the saved figure is not an SVG with a width in pt"
    return float(width.group(1)) * 96 / 72


def shown_texts(fig, draw: bool = True) -> list[Text]:
    """Every text the saved figure shows: tick labels in view, labels, titles, legends, annotations.
    draw=False: the figure was laid out by a draw since it last changed (e.g. by layout_problems)."""
    if draw:
        fig.draw_without_rendering()
    found = []
    for ax in fig.axes:
        found += ax.get_xticklabels() + ax.get_yticklabels()
        # The axes' own texts: its three titles (left, centre, right) and what ax.text() placed.
        found += [c for c in ax.get_children() if isinstance(c, Text)]
        found += [ax.xaxis.label, ax.yaxis.label]
        if ax.get_legend():
            found += ax.get_legend().get_texts()
    found += list(fig.texts) + [t for legend in fig.legends for t in legend.get_texts()]
    unique = list({id(t): t for t in found}.values())  # fig.texts holds the suptitle and supxlabel too
    return [t for t in unique if t.get_visible() and t.get_text().strip()]


def overlapping_texts(fig, texts: list[Text] | None = None, tolerance_px: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of shown texts (by default: shown_texts) whose drawn boxes overlap (by more than
    `tolerance_px` both ways)."""
    renderer = fig.canvas.get_renderer()
    texts = shown_texts(fig) if texts is None else texts
    boxes = [t.get_window_extent(renderer) for t in texts]
    pairs = []
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            a, b = boxes[i], boxes[j]
            width = min(a.x1, b.x1) - max(a.x0, b.x0)
            height = min(a.y1, b.y1) - max(a.y0, b.y0)
            if width > tolerance_px and height > tolerance_px:
                pairs.append((texts[i].get_text(), texts[j].get_text()))
    return pairs


def layout_problems(fig) -> list[str]:
    """What a reader at 1280 px would stumble on: a figure wider than the column (shown smaller),
    text under the minimum as displayed, overlapping texts."""
    problems = []
    width = saved_width_px(fig)
    if width > 1.01 * figures.DISPLAY_WIDTH_PX:  # drawn at the width it is shown at (within 1 pct.)
        problems.append(f"{width:.0f} px wide, shown at {figures.DISPLAY_WIDTH_PX} px")
    scale = min(1.0, figures.DISPLAY_WIDTH_PX / width)
    texts = shown_texts(fig)
    for text in texts:
        if text.get_fontsize() * scale < figures.MIN_FONT_PT - 1e-9:
            problems.append(f"{text.get_text()!r} at {text.get_fontsize() * scale:.1f} pt as displayed")
    problems += [f"{a!r} overlaps {b!r}" for a, b in overlapping_texts(fig, texts)]
    return problems


@dataclass(frozen=True)
class DrawnChart:
    """What the chart checks read of one chart of the book."""
    call: str  # the section call that drew it
    heading: str  # the title above the chart, on one line
    source: str  # the line under it (figure number, source, provenance), on one line
    problems: list[str]  # layout_problems
    lone_marks: list[str]  # a mark († assumed, ↔ reversed) wrapped onto a line of its own
    challenge_numbers: dict[str, str]  # the bold numbers (gid "<question>:challenge") as drawn


def drawn_chart(fig, call: str) -> DrawnChart:
    """One chart of the book, checked as a reader sees it: its layout problems and the words it shows."""
    problems = layout_problems(fig)
    lines = {line.strip() for text in shown_texts(fig, draw=False) for line in text.get_text().splitlines()}
    return DrawnChart(
        call=call,
        heading=" ".join(fig.get_suptitle().split()),
        source=" ".join(fig.get_supxlabel().split()),
        problems=problems,
        lone_marks=sorted({"†", "↔"} & lines),
        challenge_numbers={t.get_gid(): t.get_text() for ax in fig.axes for t in ax.texts
                           if (t.get_gid() or "").endswith(":challenge")},
    )
