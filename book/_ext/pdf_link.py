"""Sphinx extension: every page links to the book's reader edition as one PDF.

The PDF is printed from the built site afterwards (`municipal_survey.build.pdf`, run by make book) and
lies at the site's root; the link sits under the dataset banner of every page, and in the footer of
every page (the search and index pages have no banner). A book built without its PDF
(`make book BOOK_PDF=0`, which sets $MUNICIPAL_SURVEY_BOOK_PDF=0) links to none: the setting is a
configuration value, so changing it rewrites every page.
"""
import os

from municipal_survey.build.pdf import LINK_ENV, PDF_NAME

TEXT = "Hent bogens læseudgave som PDF-fil"
NOTE = "(sammenfatning, kapitel 1–4, læsevejledning og metode; A4, til udskrift og deling)"


def _link(context) -> str:
    return f'<a href="{context["pathto"](PDF_NAME, 1)}" type="application/pdf">{TEXT}</a>'


def _add_to_page(app, pagename, templatename, context, doctree):
    # runs before the banner is prepended, so the link comes right under it
    if app.config.book_pdf_link and "body" in context:
        context["body"] = f'<p class="pdf-download">{_link(context)} {NOTE}.</p>' + context["body"]


def _add_to_footer(app, pagename, templatename, context, doctree):
    # after the publisher extension has filled in the footer
    if not app.config.book_pdf_link:
        return
    footer = context.get("theme_extra_footer") or ""
    context["theme_extra_footer"] = footer + f'<p class="pdf-download-footer">{_link(context)} {NOTE}.</p>'


def setup(app):
    app.add_config_value("book_pdf_link", os.environ.get(LINK_ENV, "1") != "0", "html", types=(bool,))
    app.connect("html-page-context", _add_to_page, priority=400)
    app.connect("html-page-context", _add_to_footer, priority=600)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
