"""Chapters 1 and 2 say what the report says, in its words, for the numbers it publishes.

The expected strings are written from the report's text (sections 1.1-1.11, 2 and 2.1-2.6 and
its summary), not from the helpers' output: on the synthetic dataset, which reproduces every
published number, the section helpers must produce the report's bullets and sentence parts.
"""
import dataclasses
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from project_root import ROOT  # noqa: E402

from municipal_survey.build import pages  # noqa: E402
from municipal_survey.report import sections  # noqa: E402
from municipal_survey.synthetic import provenance  # noqa: E402


@pytest.fixture(scope="module")
def book(shipped_book):
    return shipped_book


def values(section) -> dict[str, str]:
    for fig in section.figures.values():
        plt.close(fig)
    return {name: value for name, (value, _) in section.values.items()}


@pytest.fixture(scope="module")
def overviews(book) -> dict[str, dict[str, str]]:
    """The values of the overviews that open chapters 1 and 2, which several tests read."""
    return {"ch1": values(sections.ch1_overview(book)), "ch2": values(sections.ch2_overview(book))}


def test_chapter_1_opens_with_the_reports_three_largest_and_smallest_area(overviews):
    v = overviews["ch1"]
    # "Hertil angiver flest kommuner, at de ... oplever udfordringer med at kvalitetsudvikle
    # socialfaglige indsatser og metoder (46 pct.), med koordinering og samarbejde mellem sektorer
    # (38 pct.) samt med at sikre relevant og effektivt samarbejde med relevante kommuner om
    # etablering af en dækkende tilbudsvifte (33 pct.)"
    assert v["k1_top3"] == (
        "med at kvalitetsudvikle socialfaglige indsatser og metoder (46 pct.), med koordinering og "
        "samarbejde mellem sektorer (38 pct.) samt med at sikre relevant og effektivt samarbejde med "
        "relevante kommuner om etablering af en dækkende tilbudsvifte (33 pct.)")
    # "Færrest kommuner angiver ... udfordringer med strategiarbejdet (21 pct.)."
    assert v["k1_lowest"].startswith("med strategiarbejdet") and v["k1_lowest"].endswith("(21 pct.)")


def test_section_1_1_bullets_are_the_reports(book):
    v = values(sections.area(book, "kvalitet"))
    assert v["k1_kvalitet_samlet"] == "46 pct."
    assert v["k1_kvalitet_antal_under"] == "fire"  # "med fire mere specifikke udfordringer"
    assert [v[f"k1_kvalitet_punkt_{r}"] for r in (1, 2, 3)] == [
        "at indsamle data om barnets/den unges progression på en systematisk måde (67 pct.)",
        "at anvende data om børn og unge til refleksion over og udvikling af den socialfaglige praksis (65 pct.)",
        "at følge og udvikle kvaliteten i socialfaglige indsatser og metoder på en systematisk måde (60 pct.)"]
    assert v["k1_kvalitet_behov_start"] == "48 pct."
    assert [v[f"k1_kvalitet_stoette_{r}"] for r in (1, 2, 3)] == [
        "kompetenceudvikling (53 kommuner)", "indsatser og metoder (50 kommuner)",
        "data og nøgletal (45 kommuner)"]


def test_section_1_2_names_the_actors_after_the_lead_in_and_keeps_familieretshuset_capital(book):
    v = values(sections.area(book, "sektorer"))
    # "... oplever udfordringer i samarbejdet med: • børne- og ungdomspsykiatrien (65 pct.)
    # • Familieretshuset (48 pct.)"
    assert [v["k1_sektorer_punkt_1"], v["k1_sektorer_punkt_2"]] == [
        "børne- og ungdomspsykiatrien (65 pct.)", "Familieretshuset (48 pct.)"]
    assert "k1_sektorer_punkt_3" not in v
    assert v["k1_sektorer_vive"] == "41 pct."
    assert [v[f"k1_sektorer_stoette_{r}"] for r in (1, 2, 3)] == [
        "nationale retningslinjer og anbefalinger (35 kommuner)", "indsatser og metoder (28 kommuner)",
        "data og nøgletal (26 kommuner)"]


def test_section_1_4_states_vives_share_without_a_judgement(book):
    v = values(sections.area(book, "sagsbehandling"))
    # The report: "Til sammenligning var der 15 pct. af kommunerne i VIVE's undersøgelse" - no "kun".
    assert v["k1_sagsbehandling_samlet_start"] == "31 pct."
    assert v["k1_sagsbehandling_vive"] == "15 pct."


def test_section_1_7_lists_figure_13s_areas_after_its_lead_in(book):
    v = values(sections.area(book, "fagomraader"))
    assert v["k1_fagomraader_lovgivninger"] == "43 pct."
    # "... at etablere et samarbejde med: • skoleområdet (herunder PPR) (33 pct.)
    # • uddannelsesområdet (26 pct.) • voksenområdet (23 pct.)"
    assert [v[f"k1_fagomraader_punkt_{r}"] for r in (1, 2, 3)] == [
        "skoleområdet (herunder PPR) (33 pct.)", "uddannelsesområdet (26 pct.)", "voksenområdet (23 pct.)"]


def test_sections_1_8_and_1_9_as_the_report_writes_them(book):
    v = values(sections.area(book, "tidlig"))
    assert v["k1_tidlig_behov_start"] == "18 pct." and v["k1_tidlig_behov_mindre_start"] == "62 pct."
    assert v["k1_tidlig_punkt_1"] == ("at samarbejde med og få inddraget foreningslivet og civilsamfundet, "
                                      "hvor det er hensigtsmæssigt (56 pct.)")
    v = values(sections.area(book, "strategi"))
    # "Cirka halvdelen af kommunerne angiver ..." (the summary gives 47 pct.)
    assert v["k1_strategi_data_styring_af_start"] == "Cirka halvdelen af kommunerne (47 pct.)"
    assert v["k1_strategi_behov_mindre_start"] == "69 pct."
    v = values(sections.area(book, "civilsamfund", forms=2))
    assert [v["k1_civilsamfund_stoette_1"], v["k1_civilsamfund_stoette_2"]] == [
        "indsatser og metoder (28 kommuner)", "netværk (22 kommuner)"]
    assert "k1_civilsamfund_stoette_3" not in v


def test_section_1_11_says_cirka_only_for_an_average_that_is_not_whole(book):
    v = values(sections.support_across_areas(book))
    # "Indsatser og metoder ... (cirka 38 kommuner)", "Kompetenceudvikling ... (36 kommuner)",
    # "Data og nøgletal ... (cirka 33 kommuner)"
    assert [v[f"k1_means_{r}"] for r in (1, 2, 3)] == [
        "Indsatser og metoder (cirka 38 kommuner)", "Kompetenceudvikling (36 kommuner)",
        "Data og nøgletal (cirka 33 kommuner)"]


def test_chapter_2_lists_the_reports_three_groups_person_first(overviews):
    v = overviews["ch2"]
    assert [v[f"k2_top_{r}"] for r in (1, 2, 3)] == [
        "børn og unge med autismespektrumforstyrrelser (56 pct.)",
        "meget udsatte unge med komplekse problemer og udadreagerende adfærd (44 pct.)",
        "børn og unge med selvskadende adfærd, herunder spiseforstyrrelser (42 pct.)"]



def test_the_reports_orders_are_checked_on_the_verification_page_not_in_the_chapters(book, overviews):
    # The calibrated data give the report's order of the areas (figure 1) and groups (figure 20), and
    # the summary's three size directions: true by construction, so only the verification page says so.
    v = values(sections.orders_and_directions(book))
    assert v["v_order_areas"] == "den samme som" and v["v_order_groups"] == "den samme rækkefølge som"
    assert v["v_size_as_stated"] == "alle tre" and v["v_size_n_sig"] == "ingen"
    assert not any(name.endswith("order_same") for name in overviews["ch1"])
    assert not any(name.endswith("order_same") for name in overviews["ch2"])


def test_the_summarys_patterns_in_its_order(book):
    v = values(sections.ch2_patterns(book))
    text = v["k2_moenstre"]
    assert text.startswith("Tidlige og forebyggende tiltag fremgår hyppigst: for 14 ud af 17 målgrupper")
    assert "den næsthyppigste er vækst i målgruppeomfang (9 ud af 17 målgrupper)" in text.lower()
    assert "den tredjehyppigste er tilbud og indsatser (8 ud af 17 målgrupper)" in text
    assert v["k2_moenstre_rapport"] == "Det er de samme tal som i rapportens sammenfatning."


def test_section_2_1_hele_77_pct(book):
    v = values(sections.target_group(book, "autisme"))
    # Summary: "Hertil angiver hele 77 pct. af kommunerne, at de oplever udfordringer med vækst i
    # målgruppen, og 49 pct. at de oplever udfordringer med at arbejde hen imod en tidlig og
    # forebyggende indsats blandt målgruppen."
    assert v["k2_autisme_nr1"] == "vækst i antallet af personer i målgruppen"
    assert v["k2_autisme_nr1_andel"] == "hele 77 pct."
    assert v["k2_autisme_nr2"] == "at arbejde hen imod en tidlig og forebyggende indsats til målgruppen"
    assert v["k2_autisme_nr2_andel"] == "49 pct."
    assert v["k2_autisme_aabning"].startswith(
        "56 pct. af kommunerne angiver, at de i høj eller i meget høj grad oplever udfordringer i arbejdet "
        "med børn og unge med autismespektrumforstyrrelser, jf. figur 20.")
    assert v["k2_autisme_aabning"].endswith("Det er den største andel blandt de 17 målgrupper.")


def test_sections_2_2_to_2_5_bullets_are_the_reports(book):
    v = values(sections.target_group(book, "komplekse_unge"))
    assert v["k2_komplekse_unge_aabning"].startswith(
        "44 pct. af kommunerne angiver, at de i høj eller i meget høj grad oplever udfordringer i arbejdet "
        "med meget udsatte unge med komplekse problemer og udadreagerende adfærd, jf. figur 20.")
    assert [v[f"k2_komplekse_unge_punkt_{r}"] for r in (1, 2, 3)] == [
        "at tilbyde relevante tilbud og indsatser til målgruppen (49 pct.)",
        "at udvikle og fastholde relevante kompetencer og viden hos de fagprofessionelle, som sikrer et "
        "kvalificeret socialfagligt arbejde med målgruppen (46 pct.)",
        "at arbejde hen imod en tidlig og forebyggende indsats til målgruppen (45 pct.)"]
    assert v["k2_komplekse_unge_punkter_intro"].startswith("I forbindelse med arbejdet med målgruppen er der "
                                                          "flest kommuner, der angiver")
    v = values(sections.target_group(book, "unge_mistrivsel", bullets=2))
    assert [v["k2_unge_mistrivsel_punkt_1"], v["k2_unge_mistrivsel_punkt_2"]] == [
        "vækst i antallet af personer i målgruppen (78 pct.)",
        "at arbejde hen imod en tidlig og forebyggende indsats til målgruppen (60 pct.)"]
    v = values(sections.target_group(book, "boern_udadreagerende"))
    assert v["k2_boern_udadreagerende_aabning"].startswith("36 pct. af kommunerne angiver")
    assert "børn med udadreagerende adfærd, jf. figur 20." in v["k2_boern_udadreagerende_aabning"]
    assert v["k2_boern_udadreagerende_punkt_1"] == "vækst i antallet af personer i målgruppen (61 pct.)"
    assert sorted([v["k2_boern_udadreagerende_punkt_2"], v["k2_boern_udadreagerende_punkt_3"]]) == [
        "at arbejde hen imod en tidlig og forebyggende indsats til målgruppen (39 pct.)",
        "at tilbyde relevante tilbud og indsatser til målgruppen (39 pct.)"]


def test_the_smallest_groups_say_their_rank(book):
    # Summary: 4 pct. (kommunikationshandicap), 5 pct. (bevægelseshandicap), 6 pct. (udviklingshæmning);
    # in the synthetic data one more group has 5 pct., so bevægelseshandicap shares its place.
    def opening(group):
        return values(sections.target_group(book, group))[f"k2_{group}_aabning"]

    assert opening("kommunikationshandicap").endswith("Det er den laveste andel blandt de 17 målgrupper.")
    assert opening("bevaegelseshandicap").endswith("Det er en af de tre laveste andele blandt de 17 målgrupper.")
    assert "andel" not in opening("rusmidler").split("målgruppen.")[-1]  # in the middle: no rank


def test_a_section_after_2_6_speaks_in_the_synthetic_datas_voice(book):
    v = values(sections.target_group(book, "rusmidler"))
    assert "syntetiske datasæt" in v["k2_rusmidler_aabning"] and "angiver" not in v["k2_rusmidler_aabning"]
    assert "syntetiske datasæt" in v["k2_rusmidler_punkter_intro"]
    assert all("†" in v[f"k2_rusmidler_punkt_{r}"] for r in (1, 2, 3))
    # The report prints them (figures 20 and 27); the book has not read them yet, and says where they are.
    status = v["k2_rusmidler_status"]
    assert status.startswith("Rapporten trykker afsnittets tal i sin figur 20 (s. 30) og figur 27 (s. 37), "
                             "men bogen har endnu ikke læst dem: alle ni fordelinger")
    assert "indtastningsarket" in status
    assert v["k2_rusmidler_aabning"].startswith("Bogen har endnu ikke læst andelen for børn og unge med "
                                                "problematisk forbrug af rusmidler samlet set; rapporten "
                                                "trykker den i figur 20 (s. 30).")


def test_on_imported_data_the_same_section_speaks_in_the_reports_voice(book):
    real = dataclasses.replace(book, assumed=set(),
                               provenance=dataclasses.replace(book.provenance, synthetic=False))
    v = values(sections.target_group(real, "rusmidler"))
    assert "af kommunerne angiver" in v["k2_rusmidler_aabning"] and "syntetisk" not in v["k2_rusmidler_aabning"]
    assert "flest kommuner" in v["k2_rusmidler_punkter_intro"]
    assert not any("†" in text for text in v.values())
    assert v["k2_rusmidler_status"] == "Alle tal i afsnittet er beregnet fra de importerede svar."
    sources = {source for _, source in sections.target_group(real, "rusmidler").values.values()}
    assert provenance.ASSUMED not in sources


# Words whose truth depends on a number: chapters 1 and 2 may only show them glued (report.phrasing).
NUMBER_WORDS = ("hele", "cirka", "knap", "godt", "flertal", "flertallet", "halvdelen", "tredjedel",
                "fjerdedel", "største andel", "laveste andel", "næsthyppigste", "tredjehyppigste")


@pytest.mark.parametrize("name", ["01_organisering.md", "02_maalgrupper.md"])
def test_no_number_dependent_word_is_typed_in_the_chapters_markdown(name):
    page = ROOT / "notebooks" / name
    prose = re.sub(r"\{glue:text\}`[^`]+`", "", pages.prose(page))
    prose = "\n".join(line for line in prose.splitlines() if not line.startswith(">"))  # quotes
    typed = [w for w in NUMBER_WORDS if re.search(rf"\b{w}\b", prose, flags=re.IGNORECASE)]
    assert not typed, f"{name}: typed words that depend on a number: {typed}"


def test_pattern_sentences_rank_ties_together():
    counts = pd.Series({"tidlig": 9, "vaekst": 9, "tilbud": 5, "opsporing": 2, "borgere": 1})
    marks = {"tidlig": False, "vaekst": False, "tilbud": True, "opsporing": False, "borgere": False}
    text = sections.pattern_sentences(counts, 17, marks)
    assert text == ("Tidlige og forebyggende tiltag og vækst i målgruppeomfang fremgår hyppigst: for 9 ud af "
                    "17 målgrupper er de blandt de tre største udfordringer. Den næsthyppigste er tilbud og "
                    "indsatser (5 † ud af 17 målgrupper), og den tredjehyppigste er opsporing (2 ud af 17 "
                    "målgrupper).")
