"""Every number says where it comes from: published, derived or assumed (on real data: data)."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from municipal_survey.analysis import organisation
from municipal_survey.data.published import load_published
from municipal_survey.report import tables, text
from municipal_survey.synthetic.provenance import Provenance


@pytest.fixture(scope="module")
def survey(shipped_book):
    return shipped_book.survey


def test_the_figure_1_table_says_cell_by_cell_what_the_report_prints(survey):
    """Each row's "Fra rapporten" names exactly the numbers data/published/ holds for its question,
    and those cells hold the published values."""
    published = load_published()
    provenance = Provenance.of(survey.codebook, published, synthetic=True)
    overall = organisation.overall_shares(survey)
    table = tables.likert_table(overall, {}, provenance)
    targets = published[(published["conflicts_with"] == "") & (published["tolerance"] == 0)]
    figure_rows = survey.codebook.set_index("question")
    for question, row in zip(overall.index, table.itertuples(index=False)):
        parts = set(row[-1].split(", ")) - {"intet (antaget †)", "intervallerne (afledt)"}
        derived = "intervallerne (afledt)" in row[-1]
        share = targets[(targets["question"] == question) & (targets["statistic"] == "share_top2")]
        assert ("andel i høj/meget høj grad" in parts) == (len(share) > 0), question
        if len(share):  # the summary and the section may both print it: then with one value
            assert set(share["value"]) == {row[table.columns.get_loc(tables.TOP2_COLUMN)]}
        n_min, n_max = figure_rows.loc[question, ["n_min", "n_max"]]
        assert ("N" in parts) == (pd.notna(n_min) and n_min == n_max), question
        if "N" in parts:
            assert row.N == n_min
        assert derived == ({"N", "andel i høj/meget høj grad"} <= parts), question
        assert parts <= {"andel i høj/meget høj grad", "N", "andel i mindre grad"}


def test_every_diverging_chart_states_the_reports_share_at_the_end_of_its_bar(survey):
    import matplotlib

    matplotlib.use("agg")
    from municipal_survey.report import figures

    overall = organisation.overall_shares(survey)
    fig = figures.diverging_bars(overall, {}, note="Fed: andel i høj eller meget høj grad.")
    totals = {t.get_gid().split(":")[0]: t for t in fig.axes[0].texts
              if (t.get_gid() or "").endswith(":challenge")}
    assert set(totals) == set(overall.index)
    for question, label in totals.items():
        assert label.get_text() == str(int(overall.at[question, "pct_top2"]))
        # at the end of the bar: past the two right-hand segments
        assert label.get_position()[0] > overall.at[question, "pct_4"] + overall.at[question, "pct_3"]
    assert any(t.get_text().startswith("Fed:") for t in fig.texts)


def test_on_imported_data_nothing_is_assumed_and_the_column_goes(survey):
    provenance = Provenance.of(survey.codebook, survey.published, synthetic=False)
    assert provenance.of_part("org_kvalitet_samlet", "share_top2") == "data"
    assert provenance.of_interval("org_kvalitet_samlet") == "data"
    table = tables.likert_table(organisation.overall_shares(survey), {}, provenance)
    assert tables.PROVENANCE_COLUMN not in table.columns


def test_an_interval_is_derived_only_from_a_published_share_and_n():
    codebook = pd.DataFrame({"question": ["a", "b"], "n_min": [85.0, None], "n_max": [85.0, None]})
    published = pd.DataFrame({"question": ["a", "b"], "statistic": ["share_top2", "share_top2"],
                              "value": [46.0, 38.0], "conflicts_with": ["", ""], "tolerance": [0.0, 0.0]})
    provenance = Provenance.of(codebook, published, synthetic=True)
    assert provenance.of_interval("a") == "derived"
    assert provenance.of_interval("b") == "assumed"  # N of b is not printed
    assert provenance.of_part("b", "share_top2") == "published"
    assert provenance.of_part("b", "n") == "assumed"
    assert provenance.from_report_da("b") == "andel i høj/meget høj grad"
    assert provenance.from_report_da("a") == "andel i høj/meget høj grad, N, intervallerne (afledt)"
    assert provenance.from_report_da("c") == "intet (antaget †)"
    assert provenance.of_all(["a", "c"], "share_top2") == "assumed"


def test_an_assumed_number_cannot_be_glued_as_a_finding():
    with pytest.raises(ValueError, match="must be marked"):
        text.glue_text("k2_x", "31 pct.", "assumed")
    with pytest.raises(ValueError, match="provenance"):
        text.glue_text("k2_x", "31 pct.", "maybe")


def test_every_chart_puts_the_reports_challenge_on_the_challenge_side(survey, shipped_book):
    """The report's challenge is drawn to the right: "i høj grad" for most questions, "i mindre grad"
    for a question asked positively (codebook column challenge = low), whose published share is the
    share "i mindre grad"."""
    import matplotlib

    matplotlib.use("agg")
    from municipal_survey.report import figures, registry, sections
    from municipal_survey.report.figures import drawn_bars

    book = shipped_book
    low = book.low_is_challenge
    assert "tema_etnisk_kompetencer" in low and "tema_skolefravaer_kompetencer" not in low
    assert book.labels["tema_skolefravaer_kompetencer"].startswith("Mangler viden om og kompetencer")
    published = load_published()
    shown = [s.args[0] for s in registry.page_sections(survey)["04_aktuelle_temaer"] if s.helper == "theme"]
    assert shown  # the themes chapter 4 shows, as the registry lists them
    for theme in shown:
        shares = sections.themes.theme_shares(survey, theme)
        bars = drawn_bars(figures.diverging_bars(shares, {}, low_is_challenge=low))
        for question in shares.index:
            right, left = ((2, 1), (3, 4)) if question in low else ((3, 4), (2, 1))
            assert all(bars[f"{question}:{c}"] >= 0 for c in right), question
            assert all(bars[f"{question}:{c}"] <= 0 for c in left), question
            if question in low:  # the report's "i mindre grad" share is the first segment on the right
                value = published[(published["question"] == question)
                                  & (published["statistic"] == "share_mindre")]["value"]
                assert bars[f"{question}:2"] == value.iloc[0]


def test_a_table_from_the_synthetic_responses_says_so_in_caption_and_download(monkeypatch):
    import base64

    from IPython.display import HTML

    from municipal_survey.report import tables as tables_

    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    frame = pd.DataFrame({"Region": ["Region Hovedstaden"], "Gennemsnit": ["2,4"]})
    tables_.show_table(frame, "Gennemsnit efter region", "r.csv", classes="breakdown")
    tables_.show_table(frame, "Kommuneregistret", "k.csv", from_responses=False)
    html = [obj.data for obj in shown if isinstance(obj, HTML)]
    assert "<caption>Gennemsnit efter region – syntetiske data</caption>" in html[0]
    csv = base64.b64decode(re.search(r'text/csv;charset=utf-8;base64,([A-Za-z0-9+/=]+)"',
                                     html[0]).group(1)).decode("utf-8-sig")
    assert csv.splitlines()[0].endswith(",Datagrundlag") and "syntetiske, kalibrerede data" in csv
    assert "<caption>Kommuneregistret</caption>" in html[1] and "Datagrundlag" not in html[1]
