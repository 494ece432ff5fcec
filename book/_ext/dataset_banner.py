"""Sphinx extension: every page of the book says which dataset its numbers come from."""
from __future__ import annotations

import html

from municipal_survey.data.importers import source_of
from municipal_survey.data.paths import active_index_path, active_responses_path, is_synthetic
from municipal_survey.data.responses import file_digest
from municipal_survey.data.wave_exports import exports_of


def _named(name: str, digest: str) -> str:
    return f"<code>{html.escape(name)}</code>, sha256 <code>{digest}</code>"


def _banner() -> str:
    path = active_responses_path()
    synthetic = is_synthetic(path)
    kind = ("Syntetiske, kalibrerede data – ikke kommunernes egne svar" if synthetic
            else "Importerede data – ikke de syntetiske data")
    named = _named(path.name, file_digest(path)[:12] if path.exists() else "mangler")
    source = None if synthetic else source_of(path)
    if source:  # imported: name the export(s) the user gave, not the intermediate responses.csv
        exports = exports_of(source)
        if len(exports) == 1:
            named = "eksporten " + _named(exports[0]["export"], exports[0]["export_sha256"][:12])
        else:  # one export per wave, oldest first
            named = "eksporterne " + "; ".join(
                f"{_named(e['export'], e['export_sha256'][:12])} (runden {e['wave']})" for e in exports)
    css = "dataset-banner synthetic" if synthetic else "dataset-banner imported"
    return (f'<div class="{css}" role="note" data-dataset="{"synthetic" if synthetic else "imported"}">'
            f"<strong>Datagrundlag:</strong> {html.escape(kind)} ({named}). {_index_note()}</div>")


def _index_note() -> str:
    """Which socioeconomic index chapter 3 uses: a user's file, or the labelled synthetic stand-in."""
    index = active_index_path()
    if index is None:
        return ("<strong>Socioøkonomisk indeks:</strong> syntetisk erstatning – ikke ministeriets indeks "
                "(afsnit 3.3).")
    digest = file_digest(index)[:12] if index.exists() else "mangler"
    return (f"<strong>Socioøkonomisk indeks:</strong> <code>{html.escape(index.name)}</code>, "
            f"sha256 <code>{digest}</code>.")


_BANNER: list[str] = []


def _add_banner(app, pagename, templatename, context, doctree):
    if "body" in context:
        context["body"] = _BANNER[0] + context["body"]


def setup(app):
    _BANNER[:] = [_banner()]
    app.connect("html-page-context", _add_banner)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
