"""The charts' palette (report.figures) meets WCAG 2.1 AA: text on bars and bars, markers and lines on
the background contrast enough, and colour is never the only signal."""
import matplotlib.colors as mcolors
import pytest

from municipal_survey.report import figures


def _luminance(colour) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in mcolors.to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula():
    assert contrast("black", "white") == pytest.approx(21)
    assert contrast("#767676", "white") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("code", sorted(figures.COLOURS))
def test_value_labels_on_bars_have_text_contrast(code):
    """The numbers written on the bars (TEXT_ON on COLOURS) reach 4.5:1 (small text, WCAG 1.4.3)."""
    ratio = contrast(figures.COLOURS[code], figures.TEXT_ON[code])
    assert ratio >= 4.5, f"code {code}: {figures.TEXT_ON[code]} on {figures.COLOURS[code]} is {ratio:.2f}:1"


@pytest.mark.parametrize("code", sorted(figures.COLOURS))
def test_bars_are_distinguishable_from_the_background(code):
    """A bar either stands out from the white background at 3:1 (WCAG 1.4.11) or carries its value as
    text at 4.5:1; every chart also has its numbers in a table."""
    against_white = contrast(figures.COLOURS[code], "white")
    label = contrast(figures.COLOURS[code], figures.TEXT_ON[code])
    assert against_white >= 3 or label >= 4.5, (
        f"code {code}: {figures.COLOURS[code]} is {against_white:.2f}:1 against white and its label "
        f"{label:.2f}:1")


def test_markers_and_lines_stand_out_on_white():
    """The figure-19 dots use codes 4 and 1, the support-form bars two neutral greys: 3:1 against white."""
    for colour in (figures.COLOURS[4], figures.COLOURS[1], figures.NEUTRAL, figures.NEUTRAL_HIGHLIGHT):
        assert contrast(colour, "white") >= 3


def test_colour_is_not_the_only_signal():
    """"Ved ikke" and "ikke relevant" are one bar in a panel named by its axis label (the split is in
    the table); the support forms' highlight and assumed bars differ by more than colour (legend,
    hatch: test_chart_layout)."""
    import pandas as pd

    table = pd.DataFrame({"n": [10], "pct_4": [10], "pct_3": [20], "pct_2": [30], "pct_1": [30], "pct_8": [10],
                          "pct_9": [0], "pct_top2": [30], "pct_low": [60]}, index=["q"])
    fig = figures.diverging_bars(table, {})
    assert fig.axes[1].get_xlabel().replace("\n", " ") == "Ved ikke / ikke relevant"
    assert len(set(figures.COLOURS.values())) == len(figures.COLOURS)
