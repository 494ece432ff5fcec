"""Danish number formatting and the glue helper: every number in the book's prose goes through here."""
from __future__ import annotations

from collections.abc import Iterable

from ..analysis.rounding import round_half_away


def fmt_int(value: float | int) -> str:
    """Whole number with Danish thousands separator: 5822679 -> '5.822.679'."""
    number = int(round_half_away(float(value)))
    return f"{number:,}".replace(",", ".")


def fmt_num(value: float, decimals: int = 1) -> str:
    """Decimal number with a Danish decimal comma: 2.55 -> '2,6' (rounded half away from zero)."""
    rounded = round_half_away(float(value), decimals)
    text = f"{abs(rounded):,.{decimals}f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return ("-" if rounded < 0 else "") + text


def fmt_pct(value: float | int) -> str:
    """Whole-number percentage as the report writes it: 46 -> '46 pct.'."""
    return f"{fmt_int(value)} pct."


def fmt_p(p: float) -> str:
    """A p-value in Danish notation, with a floor so tiny values do not look exact."""
    if p < 0.001:
        return "under 0,001"
    return fmt_num(p, 3)


def join_da(items: Iterable[str]) -> str:
    """Danish enumeration: ['a', 'b', 'c'] -> 'a, b og c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " og " + items[-1]


def glue_text(name: str, text: str) -> None:
    """Glue a pre-formatted Danish string for {glue:text}`name` (returns nothing, so no cell echoes it).

    Strings, not numbers, are glued: a format spec on a numpy value fails in myst-nb and would
    give a decimal point.
    """
    from myst_nb import glue

    if not isinstance(text, str):
        raise TypeError(f"glue {name!r}: format the value as Danish text first, got {type(text)}")
    glue(name, text, display=False)


def lower_first(text: str) -> str:
    """'At indsamle data' -> 'at indsamle data'; other texts (names such as Familieretshuset) are kept."""
    return "at" + text[2:] if text.startswith("At ") else text


def list_with_pcts(pairs: Iterable[tuple[str, float]]) -> str:
    """'at a (67 pct.), at b (65 pct.) og c (60 pct.)' from (text, pct) pairs, as a clause in a sentence."""
    return join_da(f"{lower_first(label)} ({fmt_pct(pct)})" for label, pct in pairs)


def list_with_counts(pairs: Iterable[tuple[str, int]]) -> str:
    """'kompetenceudvikling (53 kommuner) og ...' from (text, count) pairs."""
    return join_da(f"{label} ({fmt_int(count)} kommuner)" for label, count in pairs)
