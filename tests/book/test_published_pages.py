"""Every built page as a publication shows it: the date of the last change and the citation, no
placeholder of an unconfigured publisher, and code behind one switch (build.publication)."""
import re

import pytest
from built_site import HTML_DIR, current_pages

from municipal_survey.build import publication

# The placeholders an unconfigured _config.yml holds.
PLACEHOLDERS = ("udfyldes i _config.yml", "example.invalid")


@pytest.fixture(scope="module")
def html_pages() -> dict[str, str]:
    return {path.relative_to(HTML_DIR).as_posix(): path.read_text(encoding="utf-8") for path in current_pages()}


@pytest.mark.book
def test_every_page_has_date_and_citation_and_no_placeholder(html_pages):
    fields = publication.publisher_fields(publication.read_config())
    date = publication.danish_date(publication.last_updated())
    for name, page in html_pages.items():
        if 'http-equiv="Refresh"' in page:
            continue  # the site's index.html only redirects to the front page
        assert not any(mark in page for mark in PLACEHOLDERS), name
        assert f"Sidst opdateret {date}" in page and "Citér som:" in page, name
        if not fields["udgiver"]:
            assert "ikke en udgivelse fra Socialstyrelsen" in page, name


@pytest.mark.book
def test_code_is_behind_one_switch_on_every_page_with_code(html_pages):
    with_code = [name for name, page in html_pages.items() if re.search(r'class="[^"]*above-input', page)]
    assert with_code
    for name in with_code:
        assert "code_toggle.js" in html_pages[name] and "code_toggle.css" in html_pages[name], name
