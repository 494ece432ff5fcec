"""Sphinx extension: every page of the book says what its numbers are, and the data page names the files
they are computed from, with their checksums."""
from __future__ import annotations

import html
import re

from municipal_survey.data.importers import source_of
from municipal_survey.data.paths import active_index_path, active_responses_path, is_synthetic
from municipal_survey.data.responses import file_digest
from municipal_survey.data.wave_exports import exports_of

DATA_PAGE = "book/data"
# The anchor of the section on the data page that lists the files (book/data.md: "(datagrundlag)=").
DATA_ANCHOR = "datagrundlag"
# Where the data page wants the file list: an empty <div class="dataset-details"> in book/data.md.
DETAILS_PLACEHOLDER = re.compile(r'<div class="dataset-details">\s*</div>')


def _code(name: str) -> str:
    return f"<code>{html.escape(name)}</code>"


def _hashed(name: str, digest: str) -> str:
    return f"{_code(name)}, sha256 <code>{digest}</code>"


def _exports() -> list[dict] | None:
    """The export(s) an imported dataset came from, oldest wave first; None on the synthetic data."""
    path = active_responses_path()
    if is_synthetic(path):
        return None
    source = source_of(path)
    return exports_of(source) if source else []


def _named_exports(exports: list[dict], name) -> str:
    """'eksporten <code>a.csv</code>' or 'eksporterne <code>a.csv</code> (runden 2020); ...', where
    `name(export)` renders one export (its name alone, or with its hash)."""
    if len(exports) == 1:
        return "eksporten " + name(exports[0])
    return "eksporterne " + "; ".join(f"{name(e)} (runden {e['wave']})" for e in exports)


REPORT_NUMBERS = ("Tallene i teksten er rapportens; fordelinger markeret † er antagelser i bogens syntetiske "
                  "datasæt, ikke kommunernes egne svar")
# Pages whose numbers on the synthetic data are the book's own computations, not the report's.
COMPUTED_PAGES = {
    "notebooks/03_variation": ("Tallene i kapitlet er beregnet af bogen fra dens syntetiske datasæt, hvor "
                               "forskellene mellem grupper er antagelser; de er ikke rapportens"),
}


def banner(data_href: str, pagename: str = "") -> str:
    """What the page's numbers are, said positively; the files and their hashes are on the data page."""
    exports = _exports()
    synthetic = exports is None
    link = f'<a href="{html.escape(data_href)}#{DATA_ANCHOR}">filer og kontroltal</a>'
    if synthetic:
        said = COMPUTED_PAGES.get(pagename, REPORT_NUMBERS)
        said = f"{said} ({link})."
    else:
        files = (_named_exports(exports, lambda e: _code(e["export"])) if exports
                 else "filen " + _code(active_responses_path().name))
        said = (f"Tallene er beregnet fra importerede data, kommunernes egne svar ({files}; {link}). Hvor de "
                "afviger fra rapportens, står det på siden Verifikation.")
    css = "dataset-banner synthetic" if synthetic else "dataset-banner imported"
    return (f'<div class="{css}" role="note" data-dataset="{"synthetic" if synthetic else "imported"}">'
            f"<strong>Datagrundlag:</strong> {said} {_index_note()}</div>")


def _index_note() -> str:
    """Which socioeconomic index chapter 3 uses: a user's file, or the labelled synthetic stand-in."""
    index = active_index_path()
    if index is None:
        return ("<strong>Socioøkonomisk indeks:</strong> syntetisk erstatning – ikke ministeriets indeks "
                "(afsnit 3.3).")
    return f"<strong>Socioøkonomisk indeks:</strong> {_code(index.name)}."


def _digest(path) -> str:
    return file_digest(path)[:12] if path.exists() else "mangler"


def details() -> str:
    """The data page's list of the files behind the numbers, each with its short sha256."""
    path = active_responses_path()
    exports = _exports()
    if exports is None:
        answers = f"Syntetiske, kalibrerede data: {_hashed(path.name, _digest(path))}."
    elif exports:
        answers = "Importerede data: " + _named_exports(
            exports, lambda e: _hashed(e["export"], e["export_sha256"][:12])) + "."
    else:
        answers = f"Importerede data: {_hashed(path.name, _digest(path))}."
    index = active_index_path()
    index_line = ("syntetisk erstatning – ikke ministeriets indeks (afsnit 3.3)." if index is None
                  else f"{_hashed(index.name, _digest(index))}.")
    return (f'<ul class="dataset-details"><li><strong>Svar:</strong> {answers}</li>'
            f"<li><strong>Socioøkonomisk indeks:</strong> {index_line}</li></ul>")


_DETAILS: list[str] = []


def _add_banner(app, pagename, templatename, context, doctree):
    if "body" not in context:
        return
    body = context["body"]
    if pagename == DATA_PAGE:
        body, found = DETAILS_PLACEHOLDER.subn(_DETAILS[0], body)
        if found != 1:
            raise ValueError(f"{DATA_PAGE}.md: expected one <div class=\"dataset-details\"></div> for the list of "
                             f"the dataset's files, found {found}")
    context["body"] = banner(context["pathto"](DATA_PAGE), pagename) + body


def setup(app):
    _DETAILS[:] = [details()]
    app.connect("html-page-context", _add_banner)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
