"""Sphinx extension: every page links to the whole book as one PDF.

The PDF is printed from the built site afterwards (`municipal_survey.build.pdf`, run by make book) and
lies at the site's root; the link sits under the dataset banner of every page, and in the footer of
every page (the search and index pages have no banner).
"""
from municipal_survey.build.pdf import PDF_NAME

TEXT = "Hent hele bogen som én PDF-fil"
NOTE = "(A4, til udskrift og deling)"


def _link(context) -> str:
    return f'<a href="{context["pathto"](PDF_NAME, 1)}" type="application/pdf">{TEXT}</a>'


def _add_to_page(app, pagename, templatename, context, doctree):
    if "body" in context:  # runs before the banner is prepended, so the link comes right under it
        context["body"] = f'<p class="pdf-download">{_link(context)} {NOTE}.</p>' + context["body"]


def _add_to_footer(app, pagename, templatename, context, doctree):
    # after the publisher extension has filled in the footer
    footer = context.get("theme_extra_footer") or ""
    context["theme_extra_footer"] = footer + f'<p class="pdf-download-footer">{_link(context)} {NOTE}.</p>'


def setup(app):
    app.connect("html-page-context", _add_to_page, priority=400)
    app.connect("html-page-context", _add_to_footer, priority=600)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
