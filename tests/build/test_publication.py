"""The book as a publication: no placeholder publisher, a check before publishing, a date and a citation."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml

from municipal_survey import cli
from municipal_survey.build import publication

UNSET = {"title": "Bogens titel", "parse": {"myst_substitutions": {
    "udgiver": "", "kontakt_email": "", "kontakt_telefon": "", "udgivelse_url": "", "version": ""}}}
SET = {"title": "Bogens titel", "parse": {"myst_substitutions": {
    "udgiver": "Analyseenheden", "kontakt_email": "analyse@kommune.dk", "kontakt_telefon": "12 34 56 78",
    "udgivelse_url": "https://analyse.kommune.dk/bog", "version": "1.2"}}}
PLACEHOLDERS = ("udfyldes i _config.yml", "example.invalid")


def _with(**fields) -> dict:
    config = yaml.safe_load(yaml.safe_dump(SET))
    config["parse"]["myst_substitutions"].update(fields)
    return config


@pytest.mark.parametrize("day, written", [(dt.date(2026, 12, 4), "4. december 2026"),
                                          (dt.date(2027, 1, 31), "31. januar 2027"),
                                          (dt.date(2026, 5, 1), "1. maj 2026")])
def test_dates_are_written_the_danish_way(day, written):
    assert publication.danish_date(day) == written


def test_an_unconfigured_book_cannot_be_published():
    problems = publication.publish_problems(UNSET)
    assert len(problems) == 3
    assert all("_config.yml: parse.myst_substitutions." in problem for problem in problems)
    named = {re.search(r"myst_substitutions\.(\w+) is empty", problem).group(1) for problem in problems}
    assert named == {"udgiver", "kontakt_email", "kontakt_telefon"}


@pytest.mark.parametrize("field, value", [("udgiver", "Udgiveren (navn udfyldes i _config.yml)"),
                                          ("kontakt_email", "kontakt@example.invalid"),
                                          ("kontakt_email", "analyse.kommune.dk"),
                                          ("kontakt_telefon", "  ")])
def test_a_placeholder_or_wrong_field_stops_publishing(field, value):
    problems = publication.publish_problems(_with(**{field: value}))
    assert len(problems) == 1 and field in problems[0]


def test_a_configured_book_can_be_published():
    assert publication.publish_problems(SET) == []


def _project(tmp_path, config: dict):
    (tmp_path / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return str(tmp_path)


def test_the_command_fails_until_the_publisher_is_set(tmp_path, capsys):
    assert cli.main(["publish-check", "--root", _project(tmp_path, UNSET)]) == 1
    assert "udgiver is empty" in capsys.readouterr().err
    assert cli.main(["publish-check", "--root", _project(tmp_path, SET)]) == 0


def test_an_unconfigured_book_names_no_publisher_and_says_whose_it_is_not():
    text = " ".join(publication.substitutions(UNSET, dt.date(2026, 12, 4)).values())
    assert "ikke en udgivelse fra Socialstyrelsen" in text
    assert not any(mark in text for mark in PLACEHOLDERS) and "Udgivet af" not in text


def test_the_citation_names_publisher_title_year_version_and_address():
    day = dt.date(2027, 3, 2)
    assert (publication.substitutions(SET, day)["citer_som"]
            == "Analyseenheden (2027). Bogens titel. Version 1.2. https://analyse.kommune.dk/bog")
    assert publication.substitutions(UNSET, day)["citer_som"] == "Bogens titel (2027)."
    assert publication.substitutions(SET, day)["sidst_opdateret"] == "2. marts 2027"


def test_the_last_updated_date_is_the_last_commit_date():
    assert publication.last_updated() <= dt.date.today()
    assert publication.last_updated() > dt.date(2024, 1, 1)


def test_the_projects_config_holds_no_placeholder():
    fields = publication.publisher_fields(publication.read_config())
    assert not any(mark in value for value in fields.values() for mark in PLACEHOLDERS)


