"""The built book discloses nothing: the disclosure check over the site of the last `make book` (`make
test` runs it over its fresh build: make disclosure-check, with the attack on everything the site
publishes)."""
import pytest
from project_root import ROOT

from municipal_survey.build import disclosure_check


@pytest.mark.book
def test_the_built_book_discloses_nothing():
    html = ROOT / "_build" / "html"
    if not (html / "index.html").exists():
        pytest.skip(f"no built book in {html}: run `make book`; `make test` checks the fresh build after "
                    "building it (make disclosure-check)")
    findings = disclosure_check.check_html(html)
    assert findings == [], "\n".join(map(str, findings))
