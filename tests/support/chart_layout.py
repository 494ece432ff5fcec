"""Every chart as a reader sees it in the content column (figures.DISPLAY_WIDTH_PX): the checks the chart
tests share (no wider than the column, text at least figures.MIN_FONT_PT there, no two texts on top of
each other)."""
import io
import re

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


def shown_texts(fig) -> list[Text]:
    """Every text the saved figure shows: tick labels in view, labels, titles, legends, annotations."""
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


def overlapping_texts(fig, tolerance_px: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of shown texts whose drawn boxes overlap (by more than `tolerance_px` both ways)."""
    renderer = fig.canvas.get_renderer()
    texts = shown_texts(fig)
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
    for text in shown_texts(fig):
        if text.get_fontsize() * scale < figures.MIN_FONT_PT - 1e-9:
            problems.append(f"{text.get_text()!r} at {text.get_fontsize() * scale:.1f} pt as displayed")
    problems += [f"{a!r} overlaps {b!r}" for a, b in overlapping_texts(fig)]
    return problems
