"""A chart's SVG carries its numbers: every point drawn, with or without an interval, is read back in data
units, on a linear and on a logarithmic axis, to far more digits than a table shows."""
import io

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from municipal_survey.build.site_charts import drawn_points
from municipal_survey.report import figures


def svg(fig) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, **figures.SAVE_KWARGS)
    plt.close(fig)
    return buffer.getvalue()


def test_group_shares_are_read_back_from_the_coordinates():
    cells = pd.DataFrame({"label": ["Sagsbehandling"] * 3, "group": ["Region A", "Region B", "Region C"],
                          "share": [44.0, 61.0, 12.0], "suppressed": [False, False, True]})
    points = {p.gid: p for p in drawn_points(svg(figures.group_shares(cells)))}
    assert set(points) == {"shares:Sagsbehandling:Region A", "shares:Sagsbehandling:Region B"}  # hidden: not drawn
    a = points["shares:Sagsbehandling:Region A"]
    assert (a.value, a.low, a.high) == (pytest.approx(44.0, abs=1e-5), None, None)
    assert points["shares:Sagsbehandling:Region B"].value == pytest.approx(61.0, abs=1e-5)


def test_odds_ratios_are_read_back_on_a_logarithmic_axis():
    table = pd.DataFrame({"label": ["Sagsbehandling", "Tilbudsvifte"], "term": ["Region B", "Region B"],
                          "odds_ratio": [0.42, 2.2], "or_low": [0.13, 0.79], "or_high": [1.38, 6.15]})
    points = {p.gid: p for p in drawn_points(svg(figures.odds_ratios(table)))}
    drawn = points["or:Tilbudsvifte:Region B"]
    assert (drawn.value, drawn.low, drawn.high) == pytest.approx((2.2, 0.79, 6.15), rel=1e-5)
    assert points["or:Sagsbehandling:Region B"].value == pytest.approx(0.42, rel=1e-5)


def test_a_chart_without_numeric_ticks_gives_nothing():
    fig, ax = plt.subplots()
    ax.errorbar([1], [1], xerr=[[0.1], [0.1]], gid="means:x:y")
    ax.set_xticks([0.5, 1.5], ["lav", "høj"])
    assert drawn_points(svg(fig)) == []
