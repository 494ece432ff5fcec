"""The number, title and source every chart carries inside its image, so that a chart pasted into a
slide keeps its provenance (as Danish public statistics print "Figur 3. ..." above and "Kilde: ..."
under a chart).

A chart that redraws one of the report's figures carries the report's number and title; a chart the
book adds carries a number of its own series ("Figur B2") and the section it belongs to, so it is never
mistaken for one of the report's figures.
"""
from __future__ import annotations

from ..synthetic.provenance import ASSUMED, ASSUMED_MARK, DATA

REPORT = ("Socialstyrelsen (2021): Udfordringer i forhold til børn og unge på det specialiserede "
          "socialområde – Kommunale perspektiver")

# The report's own figure titles (its figures 1-20; 21-37 are named after their target group, below).
REPORT_FIGURES = {
    1: "Kommunernes oplevede udfordringer på tværs af organisatoriske fokusområder på børne- og ungeområdet",
    2: "Udfordringer i arbejdet med at sikre kvalitet i indsats og metode",
    3: "Kommunernes ønsker til viden og støtte i forhold til kvalitet i indsats og metode",
    4: "Udfordringer med koordinering og samarbejde mellem sektorer",
    5: "Kommunernes ønsker til viden og støtte i forhold til koordinering og samarbejde mellem sektorer",
    6: "Kommunernes ønsker til viden og støtte i forhold til samarbejde på tværs af kommuner",
    7: "Udfordringer i sagsbehandling",
    8: "Kommunernes ønsker til viden og støtte i forhold til sagsbehandling",
    9: "Udfordringer med koordinering og samarbejde med civilsamfund og lokale aktører",
    10: "Kommunernes ønsker til viden og støtte i forhold til koordinering og samarbejde med civilsamfund og "
        "lokale aktører",
    11: "Kommunernes ønsker til viden og støtte i forhold til indsats og metode: tilbudsvifte",
    12: "Udfordringer med koordinering mellem lovgivninger",
    13: "Udfordringer med koordinering og samarbejde på tværs af fagområder i kommunen",
    14: "Kommunernes ønsker til viden og støtte i forhold til samarbejdet på tværs af fagområder i kommunen",
    15: "Udfordringer omkring en tidlig og forebyggende indsats",
    16: "Kommunernes ønsker til viden og støtte i forhold til en tidlig og forebyggende indsats",
    17: "Udfordringer med strategiarbejdet på det specialiserede børne- og ungeområde",
    18: "Kommunernes ønsker til viden og støtte i forhold til strategiarbejdet på det specialiserede børne- og "
        "ungeområde",
    19: "Kommunernes oplevede udfordringer og behov for støtte for de organisatoriske fokusområder på børne- og "
        "ungeområdet (gennemsnit)",
    20: "Udfordringer i arbejdet med målgrupper samlet set",
}
# The report's figures 21-37, one per target group (sections 2.1-2.17), all titled so.
TARGET_GROUP_TITLE = "Udfordringer i arbejdet med {group}"

# The charts the book adds: glue name -> (number in the book's own series, section, title).
BOOK_FIGURES = {
    "sam_fig_overblik": ("B1", "sammenfatningen",
                         "De andele, sammenfatningen nævner (i høj eller meget høj grad)"),
    "k1_fig_stoetteformer": ("B2", "afsnit 1.11", "Antal kommuner, der ønsker hver støtteform, pr. fokusområde"),
    "k1_fig_forest": ("B3", "afsnit 1.12",
                      "Sammenhæng mellem udfordringer og behov for støtte pr. fokusområde (odds ratio)"),
    "k2_fig_varmekort": ("B4", "kapitel 2", "Andel kommuner med udfordringer i høj eller meget høj grad pr. "
                                            "målgruppe og fokusområde"),
    "k3_fig_size": ("B5", "afsnit 3.1", "Andel af kommunerne med udfordringer samlet set i høj eller meget høj "
                                        "grad efter kommunestørrelse"),
    "k3_fig_region": ("B6", "afsnit 3.2", "Andel af kommunerne med udfordringer samlet set i høj eller meget høj "
                                          "grad efter region"),
    "k3_fig_index": ("B7", "afsnit 3.3", "Andel af kommunerne med udfordringer samlet set i høj eller meget høj "
                                         "grad efter socioøkonomisk indeks"),
    "k4_etnisk_fig": ("B8", "afsnit 4.1",
                      "Sociale problemstillinger hos børn, unge og familier med etnisk minoritetsbaggrund"),
    "k4_anbragte_fig": ("B9", "afsnit 4.4", "Anbragte børn og unge"),
    "k4_skolefravaer_fig": ("B10", "afsnit 4.6", "Børn og unge med bekymrende skolefravær og skolevægring"),
    "d_fig_svar": ("B11", "datagrundlaget", "Antal besvarelser pr. spørgsmål gennem skemaet"),
    "t_fig_deltagelse": ("B12", "undersøgelsen over tid", "Deltagelsen i hver runde"),
    "t_fig_begge_runder": ("B13", "undersøgelsen over tid", "Spørgsmål, begge runder giver tal eller ord for"),
    "cmp_fig_aendringer": ("B14", "runderne sammenlignet", "De spørgsmål, hvor andelen har ændret sig mest"),
}
# The source lines of charts whose numbers come from other publications or from two waves of answers.
SOURCE_OTHER_ROUNDS = "Kilde: de udgivelser om hver runde, som tabellen under figuren nævner."
SOURCE_BOTH_ROUNDS = ("Kilde: {book_wave}: bogens tal ({dataset}); {later}: udgivelsen om runden, som tabellen "
                      "under figuren nævner.")
SOURCE_TWO_WAVES = "Kilde: kommunernes svar i de to runder (importerede data), bogens beregninger."

# What a chart's numbers are, for its source line.
SOURCE_REPORT, SOURCE_MIXED, SOURCE_SYNTHETIC, SOURCE_DATA = "report", "mixed", "synthetic", "data"
SYNTHETIC_STAMP = "Syntetiske tal – ikke rapportens"


def report_heading(numbers, group_labels: dict[int, str] | None = None) -> str:
    """'Figur 12. <the report's title>' for one of the report's figures; for a chart that draws the
    items of two figures (1.7 splits its items over figures 12 and 13) both numbers and titles."""
    numbers = sorted({int(n) for n in numbers})
    titles = []
    for number in numbers:
        if number in REPORT_FIGURES:
            titles.append(REPORT_FIGURES[number])
        elif group_labels and number in group_labels:
            group = group_labels[number]
            titles.append(TARGET_GROUP_TITLE.format(group=group[:1].lower() + group[1:]))
        else:
            raise KeyError(f"figure {number}: no title known (REPORT_FIGURES or a target group's figure)")
    listed = " og ".join(str(n) for n in numbers)
    return f"Figur {listed}. " + "; ".join(titles)


def book_heading(glue_name: str) -> str:
    """'Figur B2 (afsnit 1.11). <title>' for a chart the book adds (not one of the report's figures)."""
    number, where, title = BOOK_FIGURES[glue_name]
    return f"Figur {number} ({where}). {title}"


def source_line(kind: str, synthetic_part: str = f"hvor markeret {ASSUMED_MARK}") -> str:
    """The chart's "Kilde" line, saying only what is true of its numbers: all the report's, some the
    synthetic dataset's (`synthetic_part` says which), all the synthetic dataset's, or all computed
    from imported answers."""
    if kind == SOURCE_REPORT:
        return f"Kilde: {REPORT}."
    if kind == SOURCE_MIXED:
        joint = ", " if synthetic_part.startswith("hvor") else " "
        return f"Kilde: {REPORT}; bogens syntetiske datasæt{joint}{synthetic_part}."
    if kind == SOURCE_SYNTHETIC:
        return f"Kilde: bogens syntetiske datasæt. {SYNTHETIC_STAMP}."
    if kind == SOURCE_DATA:
        return "Kilde: kommunernes svar i Kommuneundersøgelsen 2020 (importerede data), bogens beregninger."
    raise ValueError(f"source kind {kind!r}: expected one of report, mixed, synthetic, data")


def source_kind(kinds) -> str:
    """The source kind of a chart from the provenance of every number it shows (provenance.PUBLISHED,
    DERIVED, ASSUMED or DATA): the report's when none is assumed, synthetic when none is the report's."""
    kinds = set(kinds)
    if DATA in kinds:
        return SOURCE_DATA
    if ASSUMED not in kinds:
        return SOURCE_REPORT
    return SOURCE_MIXED if kinds - {ASSUMED} else SOURCE_SYNTHETIC
