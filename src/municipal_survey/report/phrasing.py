"""Danish words that depend on a number, computed from the number.

The report varies its wording ("Hertil angiver hele 77 pct.", "Cirka halvdelen af kommunerne",
"den næsthyppigste udfordring"). When a user imports the real answers every such word must still be
true, so none of them is typed in the book's Markdown: the section helpers ask this module.
All functions are pure and take whole-number percentages as the report prints them.
"""
from __future__ import annotations

from collections.abc import Iterable

from .text import fmt_pct, number_word

# A share at or above this is stressed with "hele" ("hele 77 pct."), as the report does for 77 pct.
EMPHASIS_FROM = 70
# Fractions the report's readers use for a share, and how far a share may lie from one.
FRACTIONS = ((25, "en fjerdedel"), (100 / 3, "en tredjedel"), (50, "halvdelen"),
             (200 / 3, "to tredjedele"), (75, "tre fjerdedele"))
# Within this distance (percentage points) a share is "cirka" the fraction (the report: 47 pct. is
# "cirka halvdelen"); up to NEAR_WITHIN below it is "knap", above it "godt"; further off, no fraction.
ABOUT_WITHIN = 3
NEAR_WITHIN = 6

# Ordinal prefixes of a superlative: "største", "næststørste", "tredjestørste", ...
RANK_PREFIX = ("", "næst", "tredje", "fjerde", "femte", "sjette", "syvende", "ottende", "niende")


def capitalize(text: str) -> str:
    """The first letter upper-case, the rest untouched ('hele 77 pct.' -> 'Hele 77 pct.')."""
    return text[:1].upper() + text[1:]


def share_words(pct: int) -> str:
    """A share as the report writes it: '46 pct.', and 'hele 77 pct.' from EMPHASIS_FROM on."""
    _check(pct)
    return f"hele {fmt_pct(pct)}" if pct >= EMPHASIS_FROM else fmt_pct(pct)


def fraction_words(pct: int) -> str | None:
    """'cirka halvdelen', 'knap en tredjedel', 'godt en fjerdedel' ... or None when no fraction fits."""
    _check(pct)
    value, name = min(FRACTIONS, key=lambda f: abs(pct - f[0]))
    distance = pct - value
    if abs(distance) <= ABOUT_WITHIN:
        return f"cirka {name}"
    if abs(distance) <= NEAR_WITHIN:
        return f"{'knap' if distance < 0 else 'godt'} {name}"
    return None


def share_of(pct: int, whole: str = "kommunerne") -> str:
    """'cirka halvdelen af kommunerne (47 pct.)' when a fraction fits, else '47 pct. af kommunerne'
    (with 'hele' for a large share). The number is always given."""
    fraction = fraction_words(pct)
    if fraction is None:
        return f"{share_words(pct)} af {whole}"
    return f"{fraction} af {whole} ({fmt_pct(pct)})"


def majority_words(pct: int) -> str:
    """Which part of the municipalities a share is: 'et flertal', 'halvdelen' or 'et mindretal'."""
    _check(pct)
    return "et flertal" if pct > 50 else "halvdelen" if pct == 50 else "et mindretal"


def rank_word(rank: int, superlative: str = "største") -> str:
    """'største', 'næststørste', 'tredjestørste' for rank 1, 2, 3 (also 'hyppigste', 'laveste')."""
    if not 1 <= rank <= len(RANK_PREFIX):
        raise ValueError(f"rank {rank} outside 1..{len(RANK_PREFIX)}")
    return RANK_PREFIX[rank - 1] + superlative


def compare(pct: int, other: int) -> str:
    """How `pct` stands to `other`: 'flere', 'færre' or 'lige så mange' (kommuner)."""
    _check(pct)
    _check(other)
    return "flere" if pct > other else "færre" if pct < other else "lige så mange"


def count_of(count: int, total: int, noun: str = "", neuter: bool = False) -> str:
    """k of n as prose: 'alle ni områder', 'ingen af de ni områder', 'fem af de ni områder'
    (never '9 af 9 områder'); the noun, if any, in the plural ('to af de tre'); one of a neuter noun
    is 'et' ('et af de 12 spørgsmål')."""
    if not 0 <= count <= total:
        raise ValueError(f"a count must lie in 0..{total}, got {count}")
    if count == total:
        phrase = f"alle {number_word(total)}"
    elif count == 0:
        phrase = f"ingen af de {number_word(total)}"
    else:
        phrase = f"{number_word(count, neuter)} af de {number_word(total)}"
    return f"{phrase} {noun}".rstrip()


def enumerate_da(items: Iterable[str], last: str = "og") -> str:
    """'a, b og c' (or 'a, b samt c' with last='samt')."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def _check(pct: int) -> None:
    if not 0 <= pct <= 100:
        raise ValueError(f"a percentage must lie in 0..100, got {pct}")
