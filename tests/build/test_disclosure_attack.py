"""The attack on small planted sites: each kind of attack finds what a page gives away, and the expected
recoveries are worked out here by brute force (every split of the counts listed with itertools, tests
from scipy on the expanded answers, Whitehead's formula written out), not by the attack's own code.

A planted site is a few HTML pages shaped as the book writes them (a caption, a header of group names,
one row per question), with planted answers for the question "Sagsbehandling" in the real register's
regions. The scenarios are worked out for a threshold of five, given to the attacker explicitly
(EXAMPLE_THRESHOLD), whatever the book's threshold (data/settings.yml).
"""
import dataclasses
import itertools
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from project_root import ROOT
from scipy import stats

from municipal_survey.build import disclosure_attack as attack
from municipal_survey.build.published_figures import GroupNames
from municipal_survey.data.register import load_register

REGISTER = load_register()
REGIONS = ["Region Hovedstaden", "Region Sjælland", "Region Syddanmark", "Region Midtjylland",
           "Region Nordjylland"]
SIZE = {r: int((REGISTER["region"] == r).sum()) for r in REGIONS}
QUESTION, LABEL = "q_sagsbehandling", "Sagsbehandling"
EXAMPLE_THRESHOLD = 5


def rounded(value: float, decimals: int) -> str:
    text = str(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
    return text.replace(".", ",")


def answers_of(vector) -> np.ndarray:
    return np.repeat([1, 2, 3, 4], vector)


T_QUANTILE: dict[int, float] = {}


def mean_cell(vector, with_n: bool = True) -> str:
    """A group's mean with its 95 pct. t-interval as the book prints it."""
    y = answers_of(vector)
    n, mean = len(y), y.mean()
    if n not in T_QUANTILE:
        T_QUANTILE[n] = stats.t.ppf(0.975, n - 1)
    half = T_QUANTILE[n] * y.std(ddof=1) / math.sqrt(n)
    shown_n = f"; n = {n}" if with_n else ""
    return f"{rounded(mean, 1)} ({rounded(max(1, mean - half), 1)}–{rounded(min(4, mean + half), 1)}{shown_n})"


def planted_answers(vectors: dict[str, tuple]) -> pd.DataFrame:
    """Answers to the question: in each region its first municipalities (by code) give the vector's answers."""
    rows = []
    for region, vector in vectors.items():
        codes = sorted(REGISTER.loc[REGISTER["region"] == region, "code"])
        for code, answer in zip(codes, answers_of(vector)):
            rows.append({"municipality": code, "question": QUESTION, "answer": int(answer)})
    return pd.DataFrame(rows)


def reader(vectors: dict[str, tuple]) -> attack.Reader:
    return attack.Reader(REGISTER, planted_answers(vectors), {LABEL: QUESTION}, GroupNames(REGISTER, None),
                         min_count=EXAMPLE_THRESHOLD)


def table(caption: str, header: list[str], rows: list[list[str]], classes: str = "breakdown") -> str:
    head = "".join(f'<th scope="col">{h}</th>' for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{classes}"><caption>{caption}</caption><thead><tr>{head}</tr></thead>' \
           f"<tbody>{body}</tbody></table>"


def site(tmp_path: Path, *blocks: str) -> Path:
    html = tmp_path / "site" / "html"
    (html / "notebooks").mkdir(parents=True)
    (html / "index.html").write_text("<html><body><h1>Forside</h1></body></html>", encoding="utf-8")
    (html / "notebooks" / "side.html").write_text(
        "<html><body><h1>Side</h1>" + "".join(blocks) + "</body></html>", encoding="utf-8")
    return html


def means_table(vectors: dict[str, tuple], hidden=(), with_n: bool = True, regions=REGIONS) -> str:
    cells = [("&lt;5" if r in hidden else mean_cell(vectors[r], with_n)) for r in regions]
    return table("Gennemsnit (95 pct.-interval; n) efter region", ["Spørgsmål", *regions], [[LABEL, *cells]])


def findings(html: Path, planted: dict[str, tuple], kind: str | None = None) -> list[attack.AttackFinding]:
    found = attack.attack(html, reader(planted), pdf=False).findings
    return [f for f in found if kind is None or f.kind == kind]


def about(found, region: str) -> list[attack.AttackFinding]:
    return [f for f in found if f.statistic.startswith(f"{region},")]


# --------------------------------------------------------------------------------- a group's own cell
def candidates(shown: str) -> list[tuple]:
    """Every count vector that the book would print as `shown` (a cell with its n)."""
    n = int(shown.rpartition("n = ")[2].rstrip(")"))
    vectors = [(a, b, c, n - a - b - c)
               for a in range(n + 1) for b in range(n + 1 - a) for c in range(n + 1 - a - b)]
    return [v for v in vectors if mean_cell(v) == shown]


def test_a_mean_with_its_interval_and_n_leaves_two_answer_distributions(tmp_path):
    planted = {"Region Syddanmark": (0, 13, 1, 1), "Region Midtjylland": (3, 6, 5, 3)}
    shown = mean_cell(planted["Region Syddanmark"])
    assert shown == "2,2 (1,9–2,5; n = 15)"
    expected = candidates(shown)
    assert sorted(expected) == [(0, 13, 1, 1), (1, 10, 4, 0)]
    html = site(tmp_path, means_table(planted, regions=list(planted)))
    [found] = about(findings(html, planted, "cell-candidates"), "Region Syddanmark")
    # i høj grad 1 or 4, i meget høj grad 1 or 0, the top two 2 or 4: each a count of 1-4 pinned to two values.
    assert "0/13/1/1 or 1/10/4/0" in found.recovered
    for pinned in ("i høj grad {1, 4}", "i meget høj grad {0, 1}", "i høj eller meget høj grad {2, 4}"):
        assert pinned in found.recovered


def test_a_shown_n_against_the_register_tells_who_gave_no_answer(tmp_path):
    planted = {"Region Syddanmark": (3, 8, 6, 3), "Region Midtjylland": (3, 6, 5, 3)}  # 20 of 22 answered
    html = site(tmp_path, means_table(planted, regions=list(planted)))
    [found] = about(findings(html, planted, "n-per-cell"), "Region Syddanmark")
    assert found.recovered.endswith(f"intet svar på skalaen {{{SIZE['Region Syddanmark'] - 20}}}")
    # Without n, vectors of several sizes print the same mean and interval: who answered stays open.
    shown = mean_cell(planted["Region Syddanmark"], with_n=False)
    sizes = {n for n in range(2, SIZE["Region Syddanmark"] + 1)
             for a in range(n + 1) for b in range(n + 1 - a) for c in range(n + 1 - a - b)
             if mean_cell((a, b, c, n - a - b - c), with_n=False) == shown}
    assert len(sizes) > 2 and not all(SIZE["Region Syddanmark"] - n < 5 for n in sizes)
    html = site(tmp_path / "without", means_table(planted, regions=list(planted), with_n=False))
    assert about(findings(html, planted, "n-per-cell"), "Region Syddanmark") == []


def share_cell(vector) -> str:
    """A group's share "i høj eller meget høj grad" of its answers on the scale, as chapter 3 prints it."""
    return f"{rounded(100 * (vector[2] + vector[3]) / sum(vector), 0)} pct."


def shares_table(vectors: dict[str, tuple], regions) -> str:
    return table("Andel i høj eller meget høj grad efter region", ["Spørgsmål", *regions],
                 [[LABEL, *(share_cell(vectors[r]) for r in regions)]])


def test_a_groups_share_is_read_and_a_share_of_everyone_but_two_is_found(tmp_path):
    # Two regions make up the nation. Nordjylland's share 82 pct. of its 11 answers can only be 9 of 11
    # (brute force below): with the national counts that leaves the two without the answer pinned.
    planted = {"Region Hovedstaden": (5, 6, 10, 8), "Region Nordjylland": (1, 1, 5, 4)}
    shown = share_cell(planted["Region Nordjylland"])
    fits = {(a + b, c + d) for a, b, c, d in itertools.product(range(12), repeat=4)
            if a + b + c + d == 11 and share_cell((a, b, c, d)) == shown}
    assert fits == {(2, 9)}
    html = site(tmp_path, shares_table(planted, list(planted)))
    assert about(findings(html, planted), "Region Nordjylland")
    # The same share for a group with several on each side of it pins nothing.
    safe = {"Region Hovedstaden": (5, 6, 10, 8), "Region Nordjylland": (3, 3, 3, 2)}
    html = site(tmp_path / "safe", shares_table(safe, list(safe)))
    assert about(findings(html, safe), "Region Nordjylland") == []


def test_the_cells_of_a_question_add_up_to_the_national_counts(tmp_path):
    # Cells that pin their groups (every answer alike) leave the hidden group what the nation has left.
    planted = {"Region Hovedstaden": (0, 0, 24, 0), "Region Sjælland": (0, 14, 0, 0),
               "Region Syddanmark": (0, 18, 0, 0), "Region Midtjylland": (0, 0, 0, 15),
               "Region Nordjylland": (1, 3, 0, 0)}
    html = site(tmp_path, means_table(planted, hidden={"Region Nordjylland"}))
    [found] = about(findings(html, planted, "national-margin"), "Region Nordjylland")
    assert "1/3/0/0 (answers 1/2/3/4)" in found.recovered


# ------------------------------------------------------------------------- statistics over groups
def kruskal_row(vectors: list[tuple]) -> tuple[float, float]:
    present = [answers_of(v) for v in vectors if sum(v)]
    h, p = stats.kruskal(*present)
    n, k = sum(map(len, present)), len(present)
    return min(1.0, max(0.0, (h - k + 1) / (n - k))), p


KRUSKAL = {"Region Hovedstaden": (0, 0, 24, 0), "Region Sjælland": (1, 5, 6, 1),
           "Region Syddanmark": (0, 18, 0, 0), "Region Midtjylland": (0, 0, 0, 15),
           "Region Nordjylland": (1, 3, 0, 0)}


def test_a_kruskal_wallis_row_over_a_hidden_group_rebuilds_it(tmp_path):
    epsilon, p = kruskal_row([KRUSKAL[r] for r in REGIONS])
    shown_eps, shown_p = rounded(epsilon, 3), ("<0,001" if p < 0.001 else rounded(p, 3))
    # Brute force: every split of what the hidden groups hold together, kept if it gives the shown row.
    together = np.add(KRUSKAL["Region Sjælland"], KRUSKAL["Region Nordjylland"])
    splits = []
    for sjaelland in itertools.product(*[range(s + 1) for s in together]):
        nordjylland = tuple(int(x) for x in together - np.array(sjaelland))
        if sum(sjaelland) > SIZE["Region Sjælland"] or sum(nordjylland) > SIZE["Region Nordjylland"]:
            continue
        e, q = kruskal_row([KRUSKAL["Region Hovedstaden"], sjaelland, KRUSKAL["Region Syddanmark"],
                            KRUSKAL["Region Midtjylland"], nordjylland])
        if rounded(e, 3) == shown_eps and (q < 0.001 if shown_p == "<0,001" else rounded(q, 3) == shown_p):
            splits.append(nordjylland)
    assert splits == [KRUSKAL["Region Nordjylland"]] and len(together.nonzero()[0]) > 1
    hidden = {"Region Sjælland", "Region Nordjylland"}
    kruskal = table("Kruskal–Wallis-test mellem de fem regioner", ["Spørgsmål (samlet set)", "N", "Epsilon²", "p"],
                    [[LABEL, str(sum(map(sum, KRUSKAL.values()))), shown_eps, shown_p]], classes="")
    html = site(tmp_path, means_table(KRUSKAL, hidden=hidden), kruskal)
    found = findings(html, KRUSKAL)
    # The national counts alone leave Nordjylland many distributions (its one "i meget høj grad" at most) ...
    [margin] = about([f for f in found if f.kind == "national-margin"], "Region Nordjylland")
    assert "candidate answer distributions" in margin.recovered
    # ... the test over the groups, one.
    [rebuilt] = about([f for f in found if f.kind == "kruskal-wallis"], "Region Nordjylland")
    assert "1/3/0/0 (answers 1/2/3/4)" in rebuilt.recovered
    [test] = [f for f in found if f.kind == "test-over-hidden-group"]
    assert "Region Sjælland, Region Nordjylland" in test.recovered and shown_eps in test.statistic


def whitehead_mde(n_a: int, n_b: int, shares) -> float:
    information = n_a * n_b / (n_a + n_b) * (1 - np.sum(np.asarray(shares) ** 3)) / 3
    return math.exp((stats.norm.ppf(0.975) + stats.norm.ppf(0.8)) / math.sqrt(information))


def test_the_minimal_detectable_odds_ratio_gives_a_hidden_groups_size_away(tmp_path):
    planted = {**KRUSKAL, "Region Nordjylland": (1, 4, 3, 1)}
    national = np.sum(list(planted.values()), axis=0)
    shares = national / national.sum()
    n_first = sum(planted["Region Hovedstaden"])
    shown = rounded(whitehead_mde(n_first, sum(planted["Region Nordjylland"]), shares), 2)
    possible = [n for n in range(1, SIZE["Region Nordjylland"] + 1)
                if rounded(whitehead_mde(n_first, n, shares), 2) == shown]
    assert possible == [9]  # Nordjylland's n: 2 of its 11 municipalities gave no answer on the scale
    model = table("Ordinal logistisk regression på region pr. spørgsmål: odds ratio mod Region Hovedstaden",
                  ["Spørgsmål (samlet set)", "N", "p", "Mindste påviselige OR"],
                  [[LABEL, str(national.sum()), "0,500", shown]])
    hidden = {"Region Sjælland", "Region Nordjylland"}
    html = site(tmp_path, means_table(planted, hidden=hidden), model)
    [found] = about(findings(html, planted, "power"), "Region Nordjylland")
    assert found.recovered.endswith("intet svar på skalaen {2}")


def test_a_groups_figure_shown_where_its_cell_is_hidden(tmp_path):
    planted = {r: (2, 8, 6, 2) for r in REGIONS}
    model = table("Ordinal logistisk regression på region pr. spørgsmål: odds ratio mod Region Hovedstaden",
                  ["Spørgsmål (samlet set)", "N", "Region Nordjylland: odds ratio (95 pct.-interval)"],
                  [[LABEL, "90", "1,20 (0,50–2,90)"]])
    html = site(tmp_path, means_table(planted, hidden={"Region Nordjylland", "Region Sjælland"}), model)
    [found] = findings(html, planted, "inconsistent-suppression")
    assert "Region Nordjylland: odds ratio" in found.statistic and "hidden" in found.recovered
    # The same odds ratio beside a shown cell is no finding.
    html = site(tmp_path / "shown", means_table(planted), model)
    assert findings(html, planted, "inconsistent-suppression") == []


# ------------------------------------------------------------------------------------- the insider
def test_a_municipality_that_knows_its_own_answer_pins_the_others(tmp_path):
    planted = {"Region Sjælland": (1, 2, 6, 3), "Region Syddanmark": (3, 6, 5, 3)}
    shown = mean_cell(planted["Region Sjælland"])
    every = candidates(shown)
    assert every == sorted(every) and len(every) == 5
    # An outsider: i meget høj grad is 3, 4 or 5. One that answered "slet ikke" keeps the vectors with one.
    assert sorted({v[3] for v in every}) == [3, 4, 5] and sorted({v[3] for v in every if v[0] >= 1}) == [3, 4]
    html = site(tmp_path, means_table(planted, regions=list(planted)))
    found = findings(html, planted)
    assert not [f for f in about(found, "Region Sjælland") if f.kind == "cell-candidates"]
    insider = [(f.statistic, f.recovered) for f in about(found, "Region Sjælland") if f.kind == "insider"]
    assert ("Region Sjælland, Sagsbehandling: a municipality of the group that answered slet ikke",
            "the others' i meget høj grad {3, 4}") in insider


# ------------------------------------------------------------------------------ share tables and summaries
def test_one_hidden_share_is_the_national_count_less_the_others(tmp_path):
    planted = {"Region Hovedstaden": (2, 10, 9, 3), "Region Sjælland": (2, 5, 6, 1),
               "Region Syddanmark": (3, 8, 5, 2), "Region Midtjylland": (2, 7, 6, 2),
               "Region Nordjylland": (1, 1, 1, 0)}
    rows = []
    for region in REGIONS:
        k, size = sum(planted[region]), SIZE[region]
        shown = f"{rounded(100 * k / size, 0)} pct. (n = {size})"
        rows.append([region, "&lt;5" if region == "Region Nordjylland" else shown])
    shares = table("Fuldstændige besvarelser efter region", ["Gruppe", "Besvarede spørgsmålet"], rows)
    html = site(tmp_path, means_table(planted, hidden={"Region Nordjylland"}, with_n=False), shares)
    found = [f for f in findings(html, planted, "national-margin") if "Fuldstændige" in f.statistic]
    assert "Region Nordjylland: municipalities with 'Besvarede spørgsmålet' {3}" in [f.recovered for f in found]


def summary_table(count: int, total: str, share: str, median: str) -> str:
    return table("Deltagende kommuner og alle 98 kommuner",
                 ["Kommuner", "Antal", "Folketal i alt", "Andel af befolkningen (pct.)", "Median folketal"],
                 [["Deltagende kommuner", str(count), total, share, median]], classes="")


def participants_reader(participants) -> attack.Reader:
    """Every participant answered something; the planted question's answers as elsewhere."""
    answers = planted_answers({r: (2, 5, 3, 1) for r in REGIONS})
    answers = answers[answers["municipality"].isin(participants)]
    others = pd.DataFrame({"municipality": sorted(participants), "question": "q_other", "answer": 2})
    return attack.Reader(REGISTER, pd.concat([answers, others]), {LABEL: QUESTION}, GroupNames(REGISTER, None),
                         min_count=EXAMPLE_THRESHOLD)


def thousands(value: float) -> str:
    return f"{int(value):,}".replace(",", ".")


def test_the_participants_total_names_those_who_did_not_take_part(tmp_path):
    population = REGISTER.set_index("code")["population"]
    absent = ["161", "350", "630"]
    participants = population.drop(absent)
    # Brute force: the sets of three municipalities whose population is what the total leaves out.
    values, codes = population.to_numpy(), population.index.to_numpy()
    left = population.sum() - participants.sum()
    fitting = [tuple(codes[list(c)]) for c in itertools.combinations(range(len(values)), 3)
               if values[list(c)].sum() == left]
    assert fitting == [tuple(absent)]
    html = site(tmp_path, summary_table(len(participants), thousands(participants.sum()), "97",
                                        thousands(participants.median())))
    [found] = [f for f in attack.attack(html, participants_reader(participants.index), pdf=False).findings
               if f.kind == "participants"]
    assert found.recovered.startswith("Glostrup, Lejre, Vejle")


def test_a_rounded_summary_of_many_participants_names_no_one(tmp_path):
    population = REGISTER.set_index("code")["population"]
    participants = population.drop(sorted(population.index)[::4][:25])  # 25 spread over the register
    share = rounded(100 * participants.sum() / population.sum(), 0)
    html = site(tmp_path, summary_table(len(participants), "", share, thousands(round(participants.median(), -3))))
    found = attack.attack(html, participants_reader(participants.index), pdf=False).findings
    assert [f for f in found if f.kind == "participants"] == []


# -------------------------------------------------------------------------------------- the PDF
def test_a_pdf_printed_before_the_pages_belongs_to_another_build(tmp_path):
    planted = {r: (2, 8, 6, 2) for r in REGIONS}
    html = site(tmp_path, means_table(planted, with_n=False))
    (html / "kommuneundersoegelsen-2020.pdf").write_bytes(b"%PDF-1.4 another build")
    [found] = [f for f in attack.attack(html, reader(planted)).findings if f.kind == "pdf"]
    assert found.recovered == "it belongs to another build"


def test_nothing_is_found_where_merged_groups_are_shown_without_n(tmp_path):
    planted = {"Region Hovedstaden": (3, 11, 9, 4), "Region Sjælland": (2, 6, 5, 2),
               "Region Syddanmark": (3, 8, 5, 3), "Region Midtjylland": (2, 7, 6, 2),
               "Region Nordjylland": (2, 3, 3, 2)}
    merged = {"Region Hovedstaden og Sjælland": ("Region Hovedstaden", "Region Sjælland"),
              "Region Syddanmark, Midtjylland og Nordjylland": ("Region Syddanmark", "Region Midtjylland",
                                                                "Region Nordjylland")}
    cells = [mean_cell(np.sum([planted[r] for r in regions], axis=0), with_n=False) for regions in merged.values()]
    means = table("Gennemsnit (95 pct.-interval) efter region", ["Spørgsmål", *merged], [[LABEL, *cells]])
    html = site(tmp_path, means)
    assert findings(html, planted) == []


@pytest.mark.parametrize("header", ["Region Hovedstaden og Sjælland",
                                    "Region Syddanmark, Midtjylland og Nordjylland"])
def test_a_merged_groups_header_names_its_regions(header):
    breakdown, members = GroupNames(REGISTER, None).resolve(header)
    named = [r for r in REGIONS if r.removeprefix("Region ") in header]
    assert breakdown == "region" and members == frozenset(REGISTER.loc[REGISTER["region"].isin(named), "code"])


# ------------------------------------------------------------- the book as it was published before
OLD_SITE = ROOT / "tests" / "fixtures" / "old_site"
OLD_SITE_DATA = "681f736de3392df93024dd5737bef9b426694f0a8d9bcae617fcfff324a6a522"


@pytest.fixture(scope="module")
def old_site():
    from municipal_survey.data import paths
    from municipal_survey.data.responses import file_digest

    assert file_digest(paths.SYNTHETIC_RESPONSES) == OLD_SITE_DATA, \
        "the synthetic answers changed: extract tests/fixtures/old_site again (see its README)"
    spy = dataclasses.replace(attack.load_reader(paths.SYNTHETIC_RESPONSES), min_count=EXAMPLE_THRESHOLD)
    responses = pd.read_csv(paths.SYNTHETIC_RESPONSES, dtype={"municipality": str})
    return attack.attack(OLD_SITE, spy).findings, responses


def true_vector(responses: pd.DataFrame, question: str, region: str) -> tuple[int, ...]:
    codes = set(REGISTER.loc[REGISTER["region"] == region, "code"])
    rows = responses[(responses["question"] == question) & responses["municipality"].isin(codes)]
    return tuple(int((rows["answer"] == a).sum()) for a in (1, 2, 3, 4))


def test_the_old_chapter_3_gave_hidden_regions_away(old_site):
    found, responses = old_site
    nordjylland = true_vector(responses, "org_sagsbehandling_samlet", "Region Nordjylland")
    row = "Region Nordjylland, Sagsbehandling: Kruskal–Wallis (ε² 0,022, p 0,220"
    [rebuilt] = [f for f in found if f.kind == "kruskal-wallis" and f.statistic.startswith(row)]
    options = rebuilt.recovered.split(" (answers")[0].split(" or ")
    assert "/".join(map(str, nordjylland)) in options and len(options) <= 3
    # The power column names how many of Nordjylland's 11 gave no answer on the scale.
    answered = true_vector(responses, "org_tilbudsvifte_samlet", "Region Nordjylland")
    missing = SIZE["Region Nordjylland"] - sum(answered)
    assert [f.recovered for f in found if f.kind == "power" and f.statistic.startswith(
        "Region Nordjylland, Tilbudsvifte")][0].endswith(f"intet svar på skalaen {{{missing}}}")
    # Every row of a test over the regions for a question with a hidden region: the model's and Kruskal–Wallis'.
    over_hidden = [f for f in found if f.kind == "test-over-hidden-group"]
    assert len(over_hidden) == 18 and {f.statistic.split(": ")[0] for f in over_hidden} == {
        "Kvalitet i indsats og metode", "Samarbejde mellem sektorer", "Samarbejde på tværs af kommuner",
        "Sagsbehandling", "Samarbejde med civilsamfund", "Tilbudsvifte", "Samarbejde på tværs af fagområder",
        "Tidlig og forebyggende indsats", "Strategi for området"}
    # An odds ratio shown for a region whose mean is hidden: in the model table and in its chart.
    shown = sorted(f.statistic for f in found if f.kind == "inconsistent-suppression")
    assert shown[0].startswith("Samarbejde med civilsamfund: Region Syddanmark: odds ratio (95 pct.-interval) "
                               "0,84")
    assert shown[1] == "odds ratio of Region Syddanmark drawn in a chart, Samarbejde med civilsamfund"


def test_the_old_means_with_their_n_gave_answers_and_non_response_away(old_site):
    found, responses = old_site
    shown = "2,2 (1,9–2,4; n = 18)"
    assert candidates(shown) == [(0, 16, 1, 1), (1, 13, 4, 0)]
    [cell] = [f for f in found if f.kind == "cell-candidates" and f.statistic.startswith(
        f"Region Syddanmark, Sagsbehandling: '{shown}'")]
    assert cell.recovered.startswith("0/16/1/1 or 1/13/4/0")
    # Every shown cell whose n leaves 1-4 of the region's municipalities without an answer on the scale.
    page = (OLD_SITE / "notebooks" / "03_variation.html").read_text(encoding="utf-8")
    region_table = page[page.index("Gennemsnit (95 pct.-interval; n) efter region"):]
    region_table = region_table[:region_table.index("</table>")]
    expected = set()
    for row in re.findall(r"<tr>(.*?)</tr>", region_table, re.S)[1:]:
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        label, *cells = [re.sub(r"<[^>]+>", "", c).strip() for c in cells]
        for region, cell in zip(REGIONS, cells):
            n = re.search(r"n = (\d+)", cell)
            if n and 1 <= SIZE[region] - int(n.group(1)) <= 4:
                expected.add(f"{region}, {label}")
    reported = {f.statistic.split(": ")[0] for f in found if f.kind == "n-per-cell"}
    assert expected and expected <= reported


def test_the_old_data_page_named_the_three_that_did_not_take_part(old_site):
    found, responses = old_site
    absent = REGISTER[~REGISTER["code"].isin(set(responses["municipality"]))]
    [named] = [f for f in found if f.kind == "participants"]
    assert named.recovered == f"{', '.join(absent['name'])}: left out of every set that fits" and len(absent) == 3


def test_the_largest_difference_of_a_regions_share_of_the_respondents(tmp_path):
    """Four of Nordjylland's municipalities did not answer: the largest difference between a region's
    share of the 94 respondents and of all 98 (4 pct. points) fits only splits of the four that put none
    or all of them in Nordjylland (every split tried here)."""
    away = set(sorted(REGISTER.loc[REGISTER["region"] == "Region Nordjylland", "code"])[:4])
    respondents = sorted(set(REGISTER["code"]) - away)
    answers = pd.DataFrame({"municipality": respondents, "question": QUESTION, "answer": 2})
    shown = max(abs(100 * (SIZE[r] - (4 if r == "Region Nordjylland" else 0)) / 94 - 100 * SIZE[r] / 98)
                for r in REGIONS)
    shown = rounded(shown, 0)
    splits = [s for s in itertools.product(*[range(min(SIZE[r], 4) + 1) for r in REGIONS]) if sum(s) == 4
              and rounded(max(abs(100 * (SIZE[r] - k) / 94 - 100 * SIZE[r] / 98) for r, k in zip(REGIONS, s)), 0)
              == shown]
    assert sorted({s[-1] for s in splits}) == [0, 4]
    page = table("De kommuner, der svarede på skalaen, sammenlignet med alle 98",
                 ["Spørgsmål (samlet set)", "Svar på skalaen 1–4",
                  "Største forskel i en regions andel (procentpoint)"],
                 [[LABEL, "94", shown]], classes="")
    spy = attack.Reader(REGISTER, answers, {LABEL: QUESTION}, GroupNames(REGISTER, None),
                        min_count=EXAMPLE_THRESHOLD)
    found = [f for f in attack.attack(site(tmp_path, page), spy, pdf=False).findings if f.kind == "participants"]
    assert [f.recovered for f in found] == ["Region Nordjylland: municipalities without an answer {0, 4}"]
