"""Who publishes the book, when it was last changed and how to cite it.

The publisher's fields live once in _config.yml (parse.myst_substitutions). Left empty, the book names
no publisher and says it is not a publication of Socialstyrelsen; `publish_problems` lists what must be
filled in before the book may be published (`make publish-check`). The date is the last commit's date
(the build's date outside a git checkout), so it is never typed.
"""
from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import yaml

from ..data import paths

CONFIG = "_config.yml"
# Fields the publisher must fill in; the optional ones only add to the citation.
REQUIRED = {"udgiver": "the publisher's name", "kontakt_email": "the publisher's e-mail address",
            "kontakt_telefon": "the publisher's telephone number"}
OPTIONAL = ("udgivelse_url", "version")
# Text that only a template would hold: a published book never shows it.
PLACEHOLDER_MARKS = ("example.invalid", "udfyldes", "xxx", "todo")
DANISH_MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
                 "oktober", "november", "december")
NOT_PUBLISHED = ("Bogen er ikke en udgivelse fra Socialstyrelsen og har endnu ingen udgiver; "
                 "den bygger på Socialstyrelsens rapport fra maj 2021.")


def read_config(root: Path | None = None) -> dict:
    path = (root or paths.PROJECT_ROOT) / CONFIG
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def publisher_fields(config: dict) -> dict[str, str]:
    """The publisher's fields from a parsed _config.yml, stripped; missing ones are empty."""
    substitutions = (config.get("parse") or {}).get("myst_substitutions") or {}
    return {field: str(substitutions.get(field) or "").strip() for field in (*REQUIRED, *OPTIONAL)}


def publish_problems(config: dict) -> list[str]:
    """What stops the book from being published: empty or placeholder publisher fields."""
    fields = publisher_fields(config)
    problems = []
    for field, meaning in REQUIRED.items():
        value = fields[field]
        if not value:
            problems.append(f"{CONFIG}: parse.myst_substitutions.{field} is empty; expected {meaning}")
        elif any(mark in value.lower() for mark in PLACEHOLDER_MARKS):
            problems.append(f"{CONFIG}: parse.myst_substitutions.{field} is a placeholder ({value!r}); "
                            f"expected {meaning}")
    email = fields["kontakt_email"]
    if email and "@" not in email:
        problems.append(f"{CONFIG}: parse.myst_substitutions.kontakt_email {email!r} is not an e-mail address")
    return problems


def danish_date(day: dt.date) -> str:
    """4. december 2026, as Danish public texts write a date."""
    return f"{day.day}. {DANISH_MONTHS[day.month - 1]} {day.year}"


def last_updated(root: Path | None = None) -> dt.date:
    """The date of the last commit; the build's date when the book is built outside a git checkout."""
    try:
        stamp = subprocess.run(["git", "log", "-1", "--format=%cs"], cwd=root or paths.PROJECT_ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        stamp = ""
    return dt.date.fromisoformat(stamp) if stamp else dt.date.today()


def citation(title: str, day: dt.date, fields: dict[str, str]) -> str:
    """The line a reader copies to cite the book: publisher (when set), year, title, version, address."""
    parts = ([f"{fields['udgiver']} ({day.year}).", f"{title}."] if fields["udgiver"]
             else [f"{title} ({day.year})."])
    if fields["version"]:
        parts.append(f"Version {fields['version']}.")
    if fields["udgivelse_url"]:
        parts.append(fields["udgivelse_url"])
    return " ".join(parts)


def substitutions(config: dict, day: dt.date) -> dict[str, str]:
    """The sentences pages and footer use ({{ udgiver_linje }} …), true whether or not a publisher is set."""
    fields = publisher_fields(config)
    publisher, email, phone = fields["udgiver"], fields["kontakt_email"], fields["kontakt_telefon"]
    if publisher:
        publisher_line = f"Udgivet af {publisher}. Spørgsmål og fejl: {email}."
        contact_line = f"Kontakt {publisher}: e-mail {email}, telefon {phone}."
    else:
        publisher_line = NOT_PUBLISHED
        contact_line = "Bogen har endnu ingen udgiver og derfor ingen kontaktadresse."
    return {"udgiver_linje": publisher_line, "kontakt_linje": contact_line,
            "sidst_opdateret": danish_date(day), "citer_som": citation(config.get("title", ""), day, fields)}
