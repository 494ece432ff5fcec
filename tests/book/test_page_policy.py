"""The pages write the policy of the settings (data/settings.yml), never type it: no page types the
threshold or the suppressed mark, and the MyST substitutions ({{ graense }}, {{ skjult_markering }},
{{ konfidensniveau }}) follow the settings and the significance level."""
import json
import re

from municipal_survey.data import paths, settings
from municipal_survey.data.settings import FILE_NAME

# The policy as prose types it: the threshold in words or digits after the phrases that state the rule,
# or the suppressed mark in quotes. Pages write {{ graense }} and {{ skjult_markering }} instead.
TYPED_POLICY = re.compile(r'"<\s*\d+"|\b(færre end|mindst|grænsen på|under) (\d+|fem|tre|fire|seks|ti)\b'
                          r'(?=[,.](?!\d)| (kommuner|på|mulige|kan|ikke|andre|er))', re.IGNORECASE)


def _page_prose() -> dict[str, str]:
    root = paths.PROJECT_ROOT
    pages = {str(p.relative_to(root)): p.read_text(encoding="utf-8")
             for p in [*root.glob("book/*.md"), *root.glob("notebooks/*.md")]}
    for notebook in root.glob("notebooks/*.ipynb"):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        pages[str(notebook.relative_to(root))] = "\n".join("".join(c["source"]) for c in cells
                                                            if c["cell_type"] == "markdown")
    return pages


def test_no_page_types_the_threshold_or_the_suppressed_mark():
    typed = {page: [m.group(0) for m in TYPED_POLICY.finditer(" ".join(text.split()))]
             for page, text in _page_prose().items()}
    assert {page: found for page, found in typed.items() if found} == {}


def test_the_policy_scan_finds_what_a_page_could_type():
    text = ('Celler med færre end fem kommuner vises som "<5"; mindst 5 kommuner på hver side, og '
            "mindst {{ graense }} kommuner; fem fokusområder")
    assert [m.group(0) for m in TYPED_POLICY.finditer(text)] == ["færre end fem", '"<5"', "mindst 5"]


def test_the_pages_substitutions_follow_the_settings(tmp_path, monkeypatch):
    """{{ graense }} and {{ skjult_markering }} are the settings' threshold and mark, set at build time."""
    monkeypatch.syspath_prepend(str(paths.PROJECT_ROOT / "book" / "_ext"))
    from settings_substitutions import substitutions

    path = tmp_path / FILE_NAME
    path.write_text(settings.settings_path().read_text(encoding="utf-8")
                    .replace(f"disclosure_threshold: {settings.min_count()}", "disclosure_threshold: 3"),
                    encoding="utf-8")
    monkeypatch.setattr(settings, "settings_path", lambda: path)
    assert {k: substitutions()[k] for k in ("graense", "graense_minus_en", "skjult_markering")} == \
        {"graense": "tre", "graense_minus_en": "to", "skjult_markering": "<3"}


def test_the_pages_confidence_level_follows_the_books_significance_level(monkeypatch):
    """{{ konfidensniveau }} is the level of the book's single intervals: 95 pct. at the 5 pct. level."""
    monkeypatch.syspath_prepend(str(paths.PROJECT_ROOT / "book" / "_ext"))
    from settings_substitutions import substitutions

    from municipal_survey.analysis import stats

    assert substitutions()["konfidensniveau"] == "95 pct."
    monkeypatch.setattr(stats, "ALPHA", 0.1)
    assert substitutions()["konfidensniveau"] == "90 pct."
