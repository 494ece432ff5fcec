"""Sphinx extension: the transcription sheet, made from the codebook at every build, lies at the site's
root beside the PDF; the page Data links to it (book/data.md, "Indtast rapportens tal")."""
from __future__ import annotations

from pathlib import Path

from municipal_survey.report.transcription_sheet import FILE_NAME, current_plan, sheet_xlsx


def _write_sheet(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        plan, contents = current_plan()
        (Path(app.outdir) / FILE_NAME).write_bytes(sheet_xlsx(plan, contents))


def setup(app):
    app.connect("build-finished", _write_sheet)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
