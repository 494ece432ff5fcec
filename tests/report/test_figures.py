import matplotlib.pyplot as plt
import pandas as pd
import pytest

from municipal_survey.analysis import likert
from municipal_survey.report import figures


@pytest.fixture()
def shares() -> pd.DataFrame:
    answers = {"a": [4, 4, 3, 3, 3, 2, 2, 1, 8, 9], "b": [4, 3, 2, 2, 2, 2, 1, 1, 1, 8]}
    frame = pd.DataFrame([{"wave": 2020, "municipality": f"{100 + i:03d}", "question": q, "answer": v}
                          for q, values in answers.items() for i, v in enumerate(values)])
    return likert.shares(frame, ["a", "b"])


def test_diverging_bars_draw_exactly_the_table(shares):
    fig = figures.diverging_bars(shares, {"a": "Spørgsmål A", "b": "Spørgsmål B"}, assumed={"b"})
    drawn = figures.drawn_bars(fig)
    for qid in shares.index:
        for code in (4, 3):
            assert drawn[f"{qid}:{code}"] == pytest.approx(shares.at[qid, f"pct_{code}"])
        for code in (2, 1):  # "no challenge" is drawn to the left of zero
            assert drawn[f"{qid}:{code}"] == pytest.approx(-shares.at[qid, f"pct_{code}"])
        # "ved ikke" and "ikke relevant": one bar in the side panel (the split is in the table)
        assert drawn[f"{qid}:8+9"] == pytest.approx(shares.at[qid, "pct_8"] + shares.at[qid, "pct_9"])
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["Spørgsmål A", "Spørgsmål B †"]  # table order top to bottom, assumed marked
    plt.close(fig)


def test_bar_colours_follow_the_answer_code_not_the_row(shares):
    fig = figures.diverging_bars(shares, {})
    checked = set()
    for ax in fig.axes:
        for patch in ax.patches:
            if patch.get_gid():
                code = int(patch.get_gid().split(":")[1].split("+")[0])
                assert matplotlib_hex(patch.get_facecolor()) == figures.COLOURS[code]
                checked.add(code)
    assert checked == {4, 3, 2, 1, 8}  # every category's bars were found and checked (8+9 share one bar)
    plt.close(fig)


def matplotlib_hex(rgba) -> str:
    from matplotlib.colors import to_hex

    return to_hex(rgba)


def test_count_bars_draw_the_counts_largest_on_top():
    counts = pd.Series({"kompetenceudvikling": 53, "netvaerk": 20, "indsatser": 50})
    fig = figures.count_bars(counts, {"netvaerk": "Netværk"})
    drawn = figures.drawn_bars(fig)
    assert {k.split(":")[0]: v for k, v in drawn.items()} == counts.to_dict()
    ticks = sorted(fig.axes[0].get_yticklabels(), key=lambda t: t.get_position()[1], reverse=True)
    assert [t.get_text() for t in ticks] == ["kompetenceudvikling", "indsatser", "Netværk"]  # top to bottom
    plt.close(fig)


def test_the_theme_is_seaborns_whitegrid_without_importing_seaborn():
    import subprocess
    import sys

    # Drawing a bar chart must not import seaborn or scipy (a second per notebook).
    code = ("import sys, matplotlib; matplotlib.use('agg'); import pandas as pd; "
            "from municipal_survey.report import figures; "
            "figures.count_bars(pd.Series({'a': 3, 'b': 5}), {}); "
            "print(sorted(m for m in ('seaborn', 'scipy') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert loaded.strip() == "[]"
    # ... yet look exactly as seaborn.set_theme(style="whitegrid", context="notebook", font_scale=0.95).
    import matplotlib as mpl
    import seaborn as sns

    expected = {**sns.axes_style("whitegrid"), **sns.plotting_context("notebook", font_scale=0.95)}
    expected.pop("image.cmap")  # seaborn's own colormap; every chart here names its colormap
    assert set(figures.THEME) == set(expected)
    with mpl.rc_context():
        mpl.rcParams.update(expected)
        seaborn_params = {key: mpl.rcParams[key] for key in expected}
        mpl.rcParams.update(figures.THEME)
        assert {key: mpl.rcParams[key] for key in expected} == seaborn_params
    assert figures.DEEP_PALETTE == sns.color_palette("deep").as_hex()
