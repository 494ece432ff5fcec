"""The verification page says what its recomputation means for the dataset it was built from."""
from types import SimpleNamespace

from municipal_survey.report import verification_page


def book_of(synthetic: bool):
    return SimpleNamespace(survey=SimpleNamespace(dataset=SimpleNamespace(synthetic=synthetic)))


def test_synthetic_data_reproduce_the_report_by_construction_imported_answers_check_it():
    synthetic, imported = verification_page.meaning(book_of(True)), verification_page.meaning(book_of(False))
    assert "syntetisk og kalibreret" in synthetic and "pr. konstruktion og bekræfter ikke rapporten" in synthetic
    assert imported.startswith("Tallene er genberegnet fra de importerede svar.")
    assert "syntetisk" not in imported
