"""Sphinx extension: the book's search finds the chapters, not the pages for analysts.

Everyday words ("små kommuner") occur on the pages that explain the data preparation, the package
and how to extend the book as often as in the chapters, and Sphinx ranks ties alphabetically, so
"Arkitektur" came first. Those pages stay in the navigation but out of the search index: each gets
the file-wide metadata `nosearch` after it is read (Sphinx's metadata collector fills the page's
metadata on the same event, hence the later priority).
"""
ANALYST_PAGES = ("book/data", "notebooks/00_dataforberedelse", "book/udvid_bogen",
                 "notebooks/skabelon_ny_analyse", "book/arkitektur")
AFTER_METADATA_COLLECTOR = 900


def _leave_out_of_search(app, doctree):
    docname = app.env.docname
    if docname in ANALYST_PAGES:
        app.env.metadata[docname]["nosearch"] = ""


def setup(app):
    app.connect("doctree-read", _leave_out_of_search, priority=AFTER_METADATA_COLLECTOR)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
