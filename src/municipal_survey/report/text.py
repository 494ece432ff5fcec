"""Danish number formatting and the glue helper: every number in the book's prose goes through here."""
from __future__ import annotations

import re
from collections.abc import Iterable

from ..analysis.rounding import round_half_away
from ..synthetic.provenance import ASSUMED_MARK


def fmt_int(value: float | int) -> str:
    """Whole number with Danish thousands separator: 5822679 -> '5.822.679'."""
    number = int(round_half_away(float(value)))
    return f"{number:,}".replace(",", ".")


def fmt_num(value: float, decimals: int = 1) -> str:
    """Decimal number with a Danish decimal comma: 2.55 -> '2,6' (rounded half away from zero)."""
    rounded = round_half_away(float(value), decimals)
    text = f"{abs(rounded):,.{decimals}f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return ("-" if rounded < 0 else "") + text


# A number as the book writes it (Danish: "." groups thousands, "," before the decimals), and a decimal
# in plain notation whose dot cannot group thousands ("0.070", "2.5").
_DANISH_NUMBER = re.compile(r"^-?(?P<whole>0|[1-9]\d{0,2}(?:\.\d{3})+|[1-9]\d*)(?:,(?P<fraction>\d+))?$")
_PLAIN_DECIMAL = re.compile(r"^-?(?P<whole>\d+)\.(?P<fraction>\d+)$")


def parse_number(text: str, plain: bool = False) -> tuple[float, int] | None:
    """A number a page shows, read back: its value and its decimals. '5.822.679' -> (5822679.0, 0),
    '2,6' -> (2.6, 1), '−1,25' -> (-1.25, 2); with `plain`, also '0.070' -> (0.07, 3) (a dot that cannot
    group thousands). None for anything else (words, marks such as '<5', '012', '1,2,3')."""
    text = text.strip().replace("\u2212", "-")
    match = _DANISH_NUMBER.match(text) or (_PLAIN_DECIMAL.match(text) if plain else None)
    if match is None:
        return None
    fraction = match.group("fraction") or ""
    whole = match.group("whole").replace(".", "") if match.re is _DANISH_NUMBER else match.group("whole")
    return float(f"{'-' if text.startswith('-') else ''}{whole}.{fraction or 0}"), len(fraction)


def fmt_pct(value: float | int) -> str:
    """Whole-number percentage as the report writes it: 46 -> '46 pct.'."""
    return f"{fmt_int(value)} pct."


def fmt_p(p: float) -> str:
    """A p-value in Danish notation, with a floor so tiny values do not look exact."""
    if p < 0.001:
        return "under 0,001"
    return fmt_num(p, 3)


def fmt_p_significant(p: float) -> str:
    """A p-value with two significant digits ('0,042', '0,24', '1,0'), 'under 0,001' below 0,001."""
    import math

    if p < 0.001:
        return "under 0,001"
    return fmt_num(p, max(1, 1 - math.floor(math.log10(p))))


def join_da(items: Iterable[str]) -> str:
    """Danish enumeration: ['a', 'b', 'c'] -> 'a, b og c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " og " + items[-1]


GLUE_PREFIX = "application/papermill.record/"
PROVENANCES = ("published", "derived", "assumed", "data")


def glue_text(name: str, text: str, provenance: str | None = None) -> None:
    """Glue a pre-formatted Danish string for {glue:text}`name` (returns nothing, so no cell echoes it).

    Strings, not numbers, are glued: a format spec on a numpy value fails in myst-nb and would
    give a decimal point. `provenance` says where the number comes from (published, derived, assumed
    or, on imported data, data; None for what is not a survey result, e.g. a count of questions) and
    travels with the glued value in the notebook, where the tests read it. An assumed number must
    say so in its own text (the mark † or "syntetisk"), so no page states it as a finding.
    """
    from IPython.core.formatters import format_display_data
    from IPython.display import display

    if not isinstance(text, str):
        raise TypeError(f"glue {name!r}: format the value as Danish text first, got {type(text)}")
    if provenance is not None and provenance not in PROVENANCES:
        raise ValueError(f"glue {name!r}: provenance {provenance!r} is not one of {PROVENANCES}")
    if provenance == "assumed" and ASSUMED_MARK not in text and "syntetisk" not in text:
        raise ValueError(f"glue {name!r}: an assumed number must be marked ({ASSUMED_MARK} or 'syntetisk'): "
                         f"{text!r}")
    bundle, _ = format_display_data(text)
    # What myst_nb.glue(name, text, display=False) writes, plus the provenance.
    display({GLUE_PREFIX + mime: value for mime, value in bundle.items()}, raw=True,
            metadata={"scrapbook": {"name": name, "mime_prefix": GLUE_PREFIX, "provenance": provenance}})


def lower_first(text: str) -> str:
    """A question text used inside a sentence: 'At indsamle data' -> 'at indsamle data',
    'Udfordringer i ...' -> 'udfordringer i ...'. Names and abbreviations (Familieretshuset, PPR:
    a capital not followed by a lower-case letter, or a name the codebook uses) are kept."""
    first = text.split(" ", 1)[0]
    if not first[:1].isupper() or first in NAMES or not first[1:2].islower():
        return text
    return text[:1].lower() + text[1:]


# Words that start a question text and keep their capital inside a sentence.
NAMES = frozenset({"Familieretshuset", "Socialstyrelsen", "VISO", "PPR", "Danmark"})


def _mark(text: str, assumed: bool) -> str:
    return f"{text} {ASSUMED_MARK}" if assumed else text


def list_with_pcts(items: Iterable[tuple]) -> str:
    """'at a (67 pct.), at b (65 pct.) og c (60 pct. †)' from (text, pct) or (text, pct, assumed)
    items, as a clause in a sentence; an assumed share carries the mark †."""
    return join_da(f"{lower_first(label)} ({_mark(fmt_pct(pct), bool(rest and rest[0]))})"
                   for label, pct, *rest in items)


def list_with_counts(items: Iterable[tuple]) -> str:
    """'kompetenceudvikling (53 kommuner) og ...' from (text, count) or (text, count, assumed) items."""
    return join_da(f"{label} ({_mark(fmt_int(count) + ' kommuner', bool(rest and rest[0]))})"
                   for label, count, *rest in items)


# Danish prose writes the numbers up to twelve in words.
NUMBER_WORDS = ("nul", "en", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti", "elleve", "tolv")


def number_word(n: int, neuter: bool = False) -> str:
    """A count in words as Danish prose writes small numbers: words up to twelve ('fire'), digits from 13
    on ('17', '1.181'); one is 'en', 'et' before a neuter noun ('et af de ni spørgsmål')."""
    n = int(n)
    if n < 0:
        raise ValueError(f"a count cannot be negative: {n}")
    if n == 1 and neuter:
        return "et"
    return NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else fmt_int(n)


def count_da(n: int, neuter: bool = False) -> str:
    """A count standing on its own in running text (`number_word`, stressed): 0 -> 'ingen', 1 -> 'én'
    ('ét' for a neuter noun: 'ét tal'), 3 -> 'tre', 17 -> '17'."""
    word = number_word(n, neuter)
    return {"nul": "ingen", "en": "én", "et": "ét"}.get(word, word)
