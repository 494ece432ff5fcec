"""The publisher's contact details, written once in _config.yml, in the footer of every page.

_config.yml holds them as MyST substitutions (udgiver, kontakt_email), so pages use {{ udgiver }};
the footer is plain HTML, so this extension fills its {udgiver}, {kontakt_email} and
{tilgaengelighed} (the link to the accessibility statement, relative to each page).
"""
import posixpath

FIELDS = ("udgiver", "kontakt_email")
STATEMENT = "book/tilgaengelighed"


def _footer(app, pagename, templatename, context, doctree):
    template = app.config.html_theme_options.get("extra_footer", "")
    if "{" not in template:
        return
    values = {field: app.config.myst_substitutions.get(field, "") for field in FIELDS}
    link = posixpath.relpath(STATEMENT, posixpath.dirname(pagename) or ".") + ".html"
    footer = template.format(tilgaengelighed=link, **values)
    context["theme_extra_footer"] = footer


def setup(app):
    app.connect("html-page-context", _footer)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
