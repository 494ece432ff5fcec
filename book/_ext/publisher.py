"""The publisher, the date and the citation, written once in _config.yml, on every page.

_config.yml holds the publisher's fields as MyST substitutions (udgiver, kontakt_email, …). This
extension derives the sentences pages use from them ({{ udgiver_linje }}, {{ kontakt_linje }},
{{ citer_som }}, {{ sidst_opdateret }}; municipal_survey.build.publication), so an unconfigured book
names no publisher instead of showing a placeholder, and fills the plain-HTML footer's {udgiver_linje},
{citer_som}, {sidst_opdateret} and {tilgaengelighed} (the accessibility statement, relative to each page).
"""
import posixpath

from municipal_survey.build import publication

STATEMENT = "book/tilgaengelighed"


def _derive(app, config):
    book_config = {"title": config.html_title, "parse": {"myst_substitutions": config.myst_substitutions}}
    config.myst_substitutions.update(
        publication.substitutions(book_config, publication.last_updated(app.srcdir)))


def _footer(app, pagename, templatename, context, doctree):
    template = app.config.html_theme_options.get("extra_footer", "")
    if "{" not in template:
        return
    link = posixpath.relpath(STATEMENT, posixpath.dirname(pagename) or ".") + ".html"
    context["theme_extra_footer"] = template.format(tilgaengelighed=link, **app.config.myst_substitutions)


def setup(app):
    app.connect("config-inited", _derive)
    app.connect("html-page-context", _footer)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
