"""How one cell of a survey export is read: text, answer codes and municipalities (see data.importers)."""
from __future__ import annotations

import difflib
import math
import numbers
import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from .codebook import VALID_CODES

# Codes in the order a survey tool lists them (the report's order of the scale).
CODE_ORDER = {"likert": [4, 3, 2, 1, 8, 9], "multiple_choice": [0, 1], "status": [1, 2]}
# What a ticked box looks like where a blank means "not ticked".
TICKS = {"1": 1, "x": 1, "0": 0}

_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_WHOLE = re.compile(r"([+-]?\d+)(?:[.,]0+)?")
_KOMMUNEKODE = re.compile(r"0*(\d{1,3})")


class _WrongType:
    """Marker for a cell of a type no answer can have (a date, a boolean, ...)."""

    def __repr__(self) -> str:
        return "<wrong type>"


WRONG_TYPE = _WrongType()


# --------------------------------------------------------------------------------------------- cells
def nfc(text: object) -> str:
    """A name as compared: Unicode NFC, no-break spaces as spaces, no spacing at the ends."""
    return unicodedata.normalize("NFC", str(text)).replace("\xa0", " ").strip()


def normalise_label(text: str) -> str:
    """Compare labels ignoring case, spacing and Unicode form: ' i HØJ grad ' -> 'i høj grad'."""
    return " ".join(nfc(text).split()).casefold()


def cell_text(value: object) -> str | None | _WrongType:
    """A cell as stripped text; None when blank; WRONG_TYPE for dates, booleans and the like.

    Whole numbers lose a trailing .0 (Excel and SPSS store 3 as 3.0), so 3, 3.0 and "3" agree.
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool):
        return WRONG_TYPE
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isnan(number):
            return None
        return str(int(number)) if number.is_integer() else repr(number)
    if isinstance(value, str):
        text = value.strip()
        return text or None
    return WRONG_TYPE


def _number_key(text: str) -> str:
    """'1.0', '1,0', '+1' and '01' all become '1'; other text is returned unchanged."""
    match = _WHOLE.fullmatch(text)
    return str(int(match.group(1))) if match else text


def municipality_code(value: object) -> str | None:
    """'101', 101, 101.0 and '0101' -> '101'; None for anything that is not a 1-3 digit code."""
    text = cell_text(value)
    if not isinstance(text, str):
        return None
    match = _KOMMUNEKODE.fullmatch(_number_key(text))
    if not match or int(match.group(1)) == 0:
        return None
    return f"{int(match.group(1)):03d}"


def municipality_key(name: str) -> str:
    """A municipality's name as compared: 'Københavns Kommune' -> 'københavns', 'Høje Taastrup' ->
    'højetåstrup' (aa and å agree; case, spaces, hyphens and a trailing '(Regions)kommune' do not count)."""
    text = normalise_label(name)
    text = re.sub(r"\s*(regions)?kommune$", "", text)
    text = text.replace("aa", "å")
    return re.sub(r"[\s\-–.']", "", text)


@dataclass
class Municipalities:
    """Reads the municipality column: kommunekoder, or names matched against the register."""

    codes: set[str]
    by: str = "code"
    keys: dict[str, list[str]] = field(default_factory=dict)   # name key -> codes
    names: dict[str, str] = field(default_factory=dict)        # code -> register name

    @classmethod
    def build(cls, register: pd.DataFrame, by: str = "code") -> Municipalities:
        codes = [str(c) for c in register["code"]]
        names = [str(n) for n in register["name"]] if "name" in register.columns else codes
        keys: dict[str, list[str]] = {}
        for code, name in zip(codes, names):
            keys.setdefault(municipality_key(name), []).append(code)
        return cls(set(codes), by, keys, dict(zip(codes, names)))

    def _candidates(self, text: str) -> list[str]:
        key = municipality_key(text)
        if key in self.keys:
            return self.keys[key]
        if key.endswith("s") and key[:-1] in self.keys:  # genitive: "Københavns (Kommune)"
            return self.keys[key[:-1]]
        return []

    def code(self, value: object) -> str | None:
        """The kommunekode, or None when the cell is not one municipality of the register."""
        if self.by == "code":
            code = municipality_code(value)
            return code if code in self.codes else None
        text = cell_text(value)
        if not isinstance(text, str):
            return None
        found = self._candidates(text)
        return found[0] if len(found) == 1 else None

    def well_formed(self, value: object) -> bool:
        if self.by == "code":
            return municipality_code(value) is not None
        text = cell_text(value)
        return isinstance(text, str) and not _NUMBER.fullmatch(text)

    def expected(self, value: object) -> str:
        if self.by == "code":
            if municipality_code(value) is None:
                return "a kommunekode: a whole number of up to 3 digits, e.g. 101"
            return "a kommunekode of a municipality in the register"
        text = cell_text(value)
        if not isinstance(text, str) or _NUMBER.fullmatch(text):
            return "a municipality's name, e.g. København (municipality_by: name in the mapping)"
        found = self._candidates(text)
        if len(found) > 1:
            return f"one municipality (the name fits {', '.join(self.names[c] for c in found)})"
        near = difflib.get_close_matches(municipality_key(text), list(self.keys), n=3, cutoff=0.6)
        nearest = [self.names[self.keys[k][0]] for k in near]
        return ("a municipality's name in the register" +
                (f" (nearest: {', '.join(nearest)})" if nearest else " (no register name is close)"))


@dataclass
class Scale:
    """How the cells of one question's column become answer codes."""

    kind: str
    question: str
    table: dict[str, int | None] = field(default_factory=dict)
    blank_is_zero: bool = False   # multiple choice in a not_ticked_blank block: X ticks, blank is 0
    # A column holds a few distinct values in many cells: each is read once (keyed by its type too, as
    # True == 1 but a boolean is no answer).
    _read: dict[tuple[type, object], tuple[str, int | None]] = field(default_factory=dict, init=False,
                                                                      repr=False, compare=False)

    @classmethod
    def build(cls, kind: str, question: str, *extra: dict[str, int | None], ticks: bool = False) -> Scale:
        table: dict[str, int | None] = {}
        for code, label in VALID_CODES[kind].items():
            table[normalise_label(label)] = code
            table[str(code)] = code
        if ticks:
            table.update(TICKS)
        for more in extra:
            table.update(more)
        return cls(kind, question, table, ticks)

    @property
    def codes(self) -> list[int]:
        return CODE_ORDER[self.kind]

    def classify(self, value: object) -> tuple[str, int | None]:
        """('ok', code), ('blank', None), ('type', None) or ('scale', code outside the scale)."""
        try:
            key = (type(value), value)
            return self._read[key]
        except TypeError:  # unhashable: no answer either, read every time
            return self._classify(value)
        except KeyError:
            self._read[key] = self._classify(value)
            return self._read[key]

    def _classify(self, value: object) -> tuple[str, int | None]:
        text = cell_text(value)
        if text is None:
            return "blank", None
        if text is WRONG_TYPE:
            return "type", None
        key = _number_key(normalise_label(text))
        if key in self.table:
            code = self.table[key]
            if code is None:
                return "blank", None
            return ("ok", code) if code in VALID_CODES[self.kind] else ("scale", code)
        if _WHOLE.fullmatch(key):
            return "scale", int(key)
        return "type", None

    def expected(self, failure: str) -> str:
        codes = ", ".join(str(c) for c in self.codes)
        if self.kind == "multiple_choice":
            if self.blank_is_zero:
                return (f"1 or X (ticked), 0 or blank (not ticked) for the multiple-choice question "
                        f"{self.question}")
            return f"0 (not ticked) or 1 (ticked) for the multiple-choice question {self.question}"
        if self.kind == "status":
            return f"a status, 1 (Delvist gennemført) or 2 (Gennemført), for {self.question}"
        if failure == "scale":
            return f"a code on the likert scale ({codes}) for {self.question}"
        return (f"a likert answer for {self.question}: a label such as 'I høj grad' or 'Ved ikke' "
                f"(other spellings go under labels: in the mapping) or a code {codes}")
