"""Danish labels for ids: what a reader sees instead of question ids and assumption parameters."""
import pytest

from municipal_survey.report import labels


@pytest.fixture(scope="module")
def survey(shipped_book):
    return shipped_book.survey


def test_questions_are_named_by_their_danish_text(survey):
    assert labels.question_label(survey, "org_sektorer_psykiatri") == \
        "Udfordringer i samarbejdet med børne- og ungdomspsykiatrien"
    # A target-group item names its group the person-first way the report writes it.
    assert labels.question_label(survey, "mg_vold_samlet") == "Børn og unge udsat for vold: samlet set"
    assert labels.question_label(survey, "mg_boern_udadreagerende_vaekst") == \
        "Børn med udadreagerende adfærd: vækst i målgruppeomfang"
    assert labels.question_label(survey, "org_strategi_stoette_kompetenceudvikling") == \
        "Strategi for området: kompetenceudvikling"


def test_the_published_tables_patterns_and_keys_are_named(survey):
    assert labels.question_label(survey, "org_*_stoette_data") == "Alle fokusområder: data og nøgletal"
    assert labels.question_label(survey, "mg_*_samlet") == "Alle målgrupper: samlet set"
    assert labels.question_label(survey, "vaekst") == "Alle målgrupper: vækst i målgruppeomfang"
    assert labels.question_label(survey, "") == ""


def test_every_question_has_a_danish_label_without_its_id(survey):
    for question in list(survey.codebook["question"]) + list(survey.published["question"]):
        label = labels.question_label(survey, question)
        assert question == "" or (label and "_" not in label), (question, label)


def test_parameters_and_values_in_danish(survey):
    assert labels.parameter_label("share_top2") == "Andel i høj eller meget høj grad (pct.)"
    assert labels.parameter_label("defaults.dont_know") == "Standard: andel »ved ikke«"
    assert labels.parameter_label("size_effects.kommuner", survey.topics) == \
        "Kommunestørrelse: samarbejde på tværs af kommuner"
    assert labels.parameter_label("loadings.topic").startswith("Sammenhæng: ")
    assert [labels.value_text(v) for v in (0.25, -0.15, 81, 0.0)] == ["0,25", "−0,15", "81", "0"]
