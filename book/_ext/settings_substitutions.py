"""Sphinx extension: the book's settings (data/settings.yml) as MyST substitutions for the pages' prose.

A page writes "færre end {{ graense }} kommuner" or 'vises som "{{ skjult_markering }}"', never the number,
so a changed threshold changes every page. The values are set when the build starts (config-inited), from
the same functions the package uses; changing them changes the configuration, so Sphinx rereads every
page. Substitutions of the same name in _config.yml would be overwritten: the settings file decides.
"""
from municipal_survey.data import settings
from municipal_survey.report.text import count_da, fmt_int


def substitutions() -> dict[str, str]:
    """The Danish text of each setting, as prose uses it."""
    return {
        "graense": count_da(settings.min_count()),  # "fem": "færre end fem kommuner"
        "graense_minus_en": count_da(settings.min_count() - 1),  # "fire": the others beside a reader's own
        "skjult_markering": settings.suppressed_mark(),  # "<5"
        "antaget_markering": settings.assumed_mark(),  # "†"
        "bogens_runde": str(settings.book_wave()),  # "2020"
        "pdf_fil": settings.pdf_name(),
        "konfidensniveau": _confidence_level(),  # "95 pct.": the level of every single interval
    }


def _confidence_level() -> str:
    """The level of the book's single (unadjusted) intervals, from its significance level."""
    from municipal_survey.analysis.stats import ALPHA  # imported here: scipy is slow to import

    return f"{fmt_int(100 * (1 - ALPHA))} pct."


def _set(app, config):
    config.myst_substitutions = {**config.myst_substitutions, **substitutions()}


def setup(app):
    app.connect("config-inited", _set)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
