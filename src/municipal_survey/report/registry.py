"""The book's pages and the report's sections on them: the one list the pages, the chart checks and the
prose tests read (instead of lists of their own).

A page (notebooks/<stem>.md) with tables is listed in PAGES with the prefix of its table downloads:
every table is offered as <prefix>-<what>.csv/.xlsx, and a page with a workbook offers all its tables
as <prefix>-tabeller.xlsx. The report's sections are the section helpers (report.sections) a page
calls, in page order: `page_sections` lists them for a survey (the areas, target groups and themes
come from its codebook), and a test checks that each page calls exactly these.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..analysis import organisation, target_groups, themes


@dataclass(frozen=True)
class Page:
    stem: str  # notebooks/<stem>.md
    prefix: str  # its table downloads are named <prefix>-<what>
    workbook: bool = False  # all its tables in one <prefix>-tabeller.xlsx

    @property
    def workbook_name(self) -> str | None:
        return f"{self.prefix}-tabeller.xlsx" if self.workbook else None


PAGES = (
    Page("sammenfatning", "sammenfatning", workbook=True),
    Page("01_organisering", "kapitel-1", workbook=True),
    Page("02_maalgrupper", "kapitel-2", workbook=True),
    Page("03_variation", "kapitel-3", workbook=True),
    Page("04_aktuelle_temaer", "kapitel-4", workbook=True),
    Page("00_dataforberedelse", "data", workbook=True),
    Page("05_over_tid", "over-tid"),
    Page("99_verifikation", "verifikation"),
    Page("skabelon_ny_analyse", "skabelon", workbook=True),
)


def page(stem: str) -> Page:
    """The registered page; a clear error for a page with tables that is not registered."""
    for entry in PAGES:
        if entry.stem == stem:
            return entry
    raise KeyError(f"notebooks/{stem}.md shows tables but is not in PAGES of src/municipal_survey/report/"
                   f"registry.py: add Page({stem!r}, '<prefix of its downloads>') there")


@dataclass(frozen=True)
class Section:
    """One call of a section helper: report.sections.<helper>(book, *args, **options)."""
    helper: str
    args: tuple = ()
    options: dict = field(default_factory=dict, hash=False)

    def __call__(self, book):
        from . import sections

        return getattr(sections, self.helper)(book, *self.args, **self.options)

    def __str__(self) -> str:
        given = [json.dumps(a) for a in self.args] + [f"{k}={json.dumps(v)}" for k, v in self.options.items()]
        return f"sections.{self.helper}({', '.join(['book', *given])})"


# Where the book follows the report's own length: the support forms and bullets of an area, the bullets
# of a group (none where the report's sentences name the largest instead).
AREA_OPTIONS = {"civilsamfund": {"forms": 2, "bullets": 0}, "tilbudsvifte": {"forms": 2},
                "strategi": {"bullets": 0}}
GROUP_OPTIONS = {"adhd": {"bullets": 2}, "unge_mistrivsel": {"bullets": 2}, "autisme": {"bullets": 0}}


def page_sections(survey) -> dict[str, list[Section]]:
    """Page stem -> the section helpers it calls, in page order (only pages built from helpers)."""
    areas = organisation.areas(survey).index
    groups = target_groups.groups(survey).index
    return {
        "sammenfatning": [Section("summary")],
        "01_organisering": [Section("ch1_overview"), Section("support_forms_box")]
        + [Section("area", (a,), AREA_OPTIONS.get(a, {})) for a in areas]
        + [Section("support_across_areas"), Section("association")],
        "02_maalgrupper": [Section("ch2_overview"), Section("ch2_patterns")]
        + [Section("target_group", (g,), GROUP_OPTIONS.get(g, {})) for g in groups]
        + [Section("vive_2019")],
        "04_aktuelle_temaer": [Section("themes_summed_up")]
        + [Section("theme", (t,)) for t in themes.themes(survey).index],
        "00_dataforberedelse": [Section("participation_coverage")],
        "99_verifikation": [Section("orders_and_directions")],
    }


# Section helpers that draw no chart: a box of answer categories, a comparison in words, a list, the
# verification page's checks of the report's orders, the data page's comparison with all municipalities.
DRAWLESS = frozenset({"support_forms_box", "vive_2019", "themes_summed_up", "orders_and_directions",
                      "participation_coverage"})


def charted_sections(survey) -> list[Section]:
    """Every section of page_sections that draws charts of the book."""
    return [s for calls in page_sections(survey).values() for s in calls if s.helper not in DRAWLESS]
