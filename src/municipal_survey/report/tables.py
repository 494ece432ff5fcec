"""Tables as the book shows them: accessible HTML with a caption and a CSV download link."""
from __future__ import annotations

import html
import math
import re
from pathlib import Path

import pandas as pd

from ..analysis.disclosure import MARK
from ..synthetic.provenance import ASSUMED_MARK, PROVENANCE_COLUMN, Provenance


def table_html(table: pd.DataFrame, caption: str, filename: str, classes: str = "", source: str = "") -> str:
    """An HTML table with caption and header scope, followed by its downloads as data URIs: an .xlsx
    for people and a CSV for machines (report.downloads), both named after `filename`'s stem.

    The files travel inside the page, so they are always the table shown, even when the build serves
    the notebook from its cache. With `source`, the CSV gets a column "Datagrundlag" and the .xlsx a
    notes row saying which dataset its numbers come from, so a downloaded file still tells synthetic
    from real data.
    """
    from . import downloads

    body = table.to_html(index=False, border=0, classes=f"dataframe data-table {classes}".strip(), escape=True,
                         na_rep="–")
    body = _align_numbers(body.replace("<th>", '<th scope="col">'), table)
    body = body.replace(">\n  <thead>", f">\n  <caption>{html.escape(caption)}</caption>\n  <thead>", 1)
    download = table.assign(Datagrundlag=source) if source else table
    csv = download.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")
    return body + "\n" + downloads.download_links(table, caption, downloads.file_stem(filename), source, csv)


# A cell that is a number as the book writes it: "46", "2,6", "37,6 †", "5.822.679", "30–49", "85 kommuner",
# "66 pct. (n = 33)", "2,5 (2,2–2,8; n = 20)", "under 0,001", "–" (no value) or the mark of a suppressed cell.
_NUMBER_CELL = re.compile(r"^(under )?[-−]?\d[\d.,]*( ?%| pct\.| kommuner)?( ?[–-] ?\d[\d.,]*)?( \(.*\))?"
                          f"( ?{re.escape(ASSUMED_MARK)})?$"
                          r"|^–$|^<\s*\d+$")


# Characters: a table with a longer word in a header may break header words (class "long-words"), one
# with a longer word in a text cell its cells' words (class "long-cells").
LONG_WORD, LONG_CELL_WORD = 12, 20


# The content column at a 1280 px window (as figures.DISPLAY_WIDTH_PX, plus the figure's margin), and
# the width of a character in the tables' 0.76rem font (bold headers, about 0.6 em).
CONTENT_WIDTH_PX, CHAR_PX, CELL_PADDING_PX = 676, 7.3, 6


def _min_width_px(table: pd.DataFrame, header_words: list[list[str]]) -> float:
    """About how wide the table is at the least when no word breaks: per column its longest header
    word or its longest single number."""
    numeric = numeric_columns(table)
    width = 0.0
    for i, column in enumerate(table.columns):
        longest = max((len(w) for w in header_words[i]), default=0)
        if numeric[i]:
            longest = max([longest] + [len(str(v)) for v in table[column] if " " not in str(v)])
        width += longest * CHAR_PX + CELL_PADDING_PX
    return width


def numeric_columns(table: pd.DataFrame) -> list[bool]:
    """Per column: whether every cell is a number as the book writes it (right-aligned on the page)."""
    def number(value) -> bool:
        return value is None or (not isinstance(value, str) and pd.isna(value)) or bool(
            _NUMBER_CELL.match(str(value).strip()))

    return [bool(len(table)) and all(number(v) for v in table.iloc[:, i]) for i in range(table.shape[1])]


def _align_numbers(body: str, table: pd.DataFrame) -> str:
    """The class "num" on the header and cells of every numeric column (CSS aligns them right; a cell
    that is one number, without a space, also gets "whole": it is never broken across lines), and the
    mark † kept on the line of the number or word it belongs to (no-break space)."""
    numeric = numeric_columns(table)
    # "Kompetenceudvikling" in a header, an id or a web address in a cell may break inside the word,
    # or the table would not fit the column; other words never do.
    marks = []
    # (a header breaks at spaces and after hyphens by itself: "95 pct.-interval" has no long word)
    words = [[w.strip(",.:;()") for w in re.split(r"[\s\-–/]+", str(header))] for header in table.columns]
    if any(len(w) > LONG_WORD for ws in words for w in ws) or _min_width_px(table, words) > CONTENT_WIDTH_PX:
        marks.append("long-words")
    if any(len(word) > LONG_CELL_WORD for column in table.columns for v in table[column] if isinstance(v, str)
           for word in v.split()):
        marks.append("long-cells")

    def row(match: re.Match) -> str:
        cells = iter(numeric)

        def cell(m: re.Match) -> str:
            kind, scope, content = m.group(1), m.group(2) or "", m.group(3)
            if not next(cells, False):
                return f"<td>{_text_cell(content, 'long-cells' in marks)}</td>" if kind == "d" else m.group(0)
            classes = "num whole" if kind == "d" and " " not in content.replace(" " + ASSUMED_MARK, "") else "num"
            return f'<t{kind}{scope} class="{classes}">{content}</t{kind}>'

        return re.sub(r'<t([hd])( scope="col")?>(.*?)</t\1>', cell, match.group(0), flags=re.DOTALL)

    body = re.sub(r"<tr[^>]*>.*?</tr>", row, body, flags=re.DOTALL)
    if marks:
        body = body.replace('<table class="', f'<table class="{" ".join(marks)} ', 1)
    if "long-words" in marks:  # header words break only where Danish hyphenates, with a hyphen shown
        body = re.sub(r"(<th[^>]*>)(.*?)(</th>)", lambda m: m.group(1) + soft_hyphens(m.group(2)) + m.group(3),
                      body, flags=re.DOTALL)
    return body.replace(" " + ASSUMED_MARK, "&nbsp;" + ASSUMED_MARK)


def _text_cell(content: str, long_cells: bool) -> str:
    """A text cell's content: it may break after a slash ("høj/meget høj grad"). In a table with a word
    longer than LONG_CELL_WORD (class "long-cells") such a word that is not a Danish word (an id, a web
    address) may break anywhere (CSS: span.long-word) and the cell's other words only where Danish
    hyphenates (soft_hyphens), so that a narrow window never breaks "Sammenfatning" or
    "implementeringsstøtte" bare. Tags in the cell are left as they are."""
    def word(m: re.Match) -> str:
        text = m.group()
        if long_cells and len(text) > LONG_CELL_WORD and not _DANISH_WORD.fullmatch(text):
            return f'<span class="long-word">{text.replace("/", "/<wbr>")}</span>'
        return (soft_hyphens(text) if long_cells else text).replace("/", "/<wbr>")

    parts = re.split(r"(<[^>]*>)", content)
    return "".join(part if part.startswith("<") else re.sub(r"[^\s<>]+", word, part) for part in parts)


# Danish hyphenation without a dictionary (browsers on Linux, and so the book's PDF, hyphenate no
# Danish), cautious where compounds make the rules uncertain: one consonant between vowels begins the
# next syllable ("na-tio-na-le"), unless a word part that begins with a vowel follows ("fokus-område");
# two consonants are parted ("ud-vik"), unless they can begin a syllable together ("st", "kl": no break);
# of three or more, only a linking s after g or d ends the first part ("rings-støtte"). Never in a
# word under 8 letters, never leaving fewer than 2 letters before a break or 3 after it.
_VOWELS = set("aeiouyæøåé")
_ONSETS = {"bl", "br", "dr", "fl", "fr", "gl", "gr", "kl", "kn", "kr", "pl", "pr", "sk", "sl", "sm", "sn",
           "sp", "st", "sv", "tr", "tv"}
_VOWEL_PARTS = ("område", "omfang", "arbejd", "indsats", "udvikling", "anbefal", "opfølg", "oplev", "ophold")
SOFT_HYPHEN = "\u00ad"


def _break_at(lower: str, before: int, after: int) -> int | None:
    """Where the consonants between the vowels at `before` and `after` are parted, or None."""
    consonants = lower[before + 1:after]
    if len(consonants) == 1:
        return after if lower[after:].startswith(_VOWEL_PARTS) else before + 1
    if len(consonants) == 2:
        return None if consonants in _ONSETS else before + 2
    linking = consonants.find("s", 1)  # after g or d: "rings-", "nings-", "heds-" (not "gennem-snit")
    return before + 2 + linking if 0 < linking < len(consonants) - 1 and consonants[linking - 1] in "gd" else None


def _hyphenate(word: str) -> str:
    lower = word.lower()
    vowels = [i for i, c in enumerate(lower) if c in _VOWELS]
    cuts = [_break_at(lower, before, after) for before, after in zip(vowels, vowels[1:]) if after - before > 1]
    points = [cut for cut in cuts if cut is not None and cut >= 2 and len(word) - cut >= 3]
    for cut in reversed(points):
        word = word[:cut] + SOFT_HYPHEN + word[cut:]
    return word


_LETTERS = "A-Za-zÆØÅæøåé"
_DANISH_WORD = re.compile(rf"[{_LETTERS}-]+[,.;:)]?")  # a word of a cell's text, not an id or an address


def soft_hyphens(text: str) -> str:
    """`text` with soft hyphens where its words of 8 letters or more may break ("Kompetenceudvikling" ->
    "Kom-pe-ten-ce-ud-vik-ling", the hyphens shown only at a line's end)."""
    return re.sub(rf"[{_LETTERS}]{{8,}}", lambda m: _hyphenate(m.group()), text)


def fmt_value(value) -> str:
    """A published or recomputed number as Danish text: whole numbers without decimals."""
    from .text import fmt_int, fmt_num

    if value is None or pd.isna(value):
        return "–"
    return fmt_int(value) if float(value).is_integer() else fmt_num(value, 1)


def show_table(table: pd.DataFrame, caption: str, filename: str, classes: str = "", *,
               from_responses: bool = True):
    """Display table_html in a notebook; classes="breakdown" marks tables the disclosure check reads.

    A table computed from the responses says which dataset they are: on the synthetic dataset its
    caption ends "syntetiske data" (a table under real region names must not read as a finding),
    and its download has the column Datagrundlag. `from_responses=False` for register facts.
    """
    from IPython.display import HTML, display

    synthetic, source = dataset_source()
    if from_responses and synthetic and "syntetisk" not in caption.lower():
        caption = f"{caption} – syntetiske data"
    display(HTML(table_html(table, caption, filename, classes, source=source if from_responses else "")))


def dataset_source(path: Path | None = None) -> tuple[bool, str]:
    """(synthetic?, the Danish description a download states) of `path`, by default the dataset the
    book shows."""
    from ..data.paths import active_responses_path, is_synthetic
    from ..data.responses import file_digest

    path = path or active_responses_path()
    if is_synthetic(path):
        return True, "syntetiske, kalibrerede data – ikke kommunernes egne svar"
    return False, f"importerede data ({path.name}, sha256 {file_digest(path)[:12]})"


def interval_text(k: int, n: int) -> str:
    """95% interval of a top-two share among all 98 municipalities, in whole percent."""
    from ..analysis.likert import share_interval

    if not n:
        return "–"
    return _pct_range(*share_interval(int(k), int(n)))


def bounds_text(k: int, n: int) -> str:
    """The non-response bounds of a top-two share among all 98 municipalities, in whole percent."""
    from ..analysis.likert import nonresponse_bounds

    if not n:
        return "–"
    return _pct_range(*nonresponse_bounds(int(k), int(n)))


def _pct_range(low: float, high: float) -> str:
    """Whole percents for an interval: the low end rounded down, the high end up, so the shown
    interval always contains the exact one (and stays inside whatever contains that)."""
    import math

    return f"{math.floor(100 * low + 1e-9)}–{math.ceil(100 * high - 1e-9)}"


# Short headers of the answer columns (the captions say "i procent"): the long answer texts with
# "(pct.)" wrapped onto five lines in the content column.
LIKERT_SHORT = {4: "Meget høj grad", 3: "Høj grad", 2: "Mindre grad", 1: "Slet ikke", 8: "Ved ikke",
                9: "Ikke relevant"}
TOP2_COLUMN = "Høj + meget høj grad"


CHALLENGE_COLUMN = "Andel med udfordringen (fed i figuren)"


def likert_table(shares: pd.DataFrame, labels: dict[str, str], provenance: Provenance,
                 low_is_challenge=frozenset()) -> pd.DataFrame:
    """The data table beside a diverging-bar figure: short Danish headers (LIKERT_SHORT; the caption
    says the numbers are percentages), whole-number percentages; "ved ikke" or "ikke relevant" is left out
    when no row has it. With a question asked positively
    (`low_is_challenge`) among its rows, the column CHALLENGE_COLUMN holds the figure's bold number of
    every row: "i mindre grad" for such a question, as the report states it, else the top-two share.

    On the synthetic dataset the column "Fra rapporten" names, row by row, the numbers the report
    prints; every other number of the row is an assumption. On imported data it is left out.
    """
    out = pd.DataFrame({"Spørgsmål": [labels.get(q, q) for q in shares.index],
                        "N": shares["n"].astype(int).to_numpy()})
    for code in (4, 3, 2, 1, 8, 9):
        # "ved ikke" / "ikke relevant" nobody gave (figure 1's "ikke relevant"): no empty column
        if code in (8, 9) and len(shares) and (shares[f"pct_{code}"].fillna(0) == 0).all():
            continue
        out[LIKERT_SHORT[code]] = shares[f"pct_{code}"].to_numpy()
    out[TOP2_COLUMN] = shares["pct_top2"].to_numpy()
    flipped = shares.index.isin(list(low_is_challenge))
    if flipped.any():
        out[CHALLENGE_COLUMN] = shares["pct_2"].where(flipped, shares["pct_top2"]).to_numpy()
    out["95 pct.-interval"] = [interval_text(k, n) for k, n in zip(shares["k_top2"], shares["n"])]
    out["Grænser ved frafald"] = [bounds_text(k, n) for k, n in zip(shares["k_top2"], shares["n"])]
    if provenance.synthetic:
        out[PROVENANCE_COLUMN] = [provenance.from_report_da(q) for q in shares.index]
    return out


def counts_table(counts: pd.Series, labels: dict[str, str], provenance: Provenance,
                 keys: dict[str, str]) -> pd.DataFrame:
    """The data table beside a support-form chart; `keys` maps form key -> question id."""
    ordered = counts.sort_values(ascending=False, kind="stable")
    out = pd.DataFrame({"Støtteform": [labels.get(k, k) for k in ordered.index],
                        "Antal kommuner": ordered.astype(int).to_numpy()})
    if provenance.synthetic:
        out[PROVENANCE_COLUMN] = [provenance.from_report_da(keys.get(k, k), parts=("count",))
                                  for k in ordered.index]
    return out



def shares_wide(cells: pd.DataFrame, mark: str = MARK) -> pd.DataFrame:
    """Questions × groups with "45 pct." cells (the share of the group's municipalities answering "i høj
    eller meget høj grad", whole pct.; no n), or the mark where the decision (disclosure.Grouping) hides
    the cell."""
    from .text import fmt_pct

    out = cells.assign(cell=[mark if r.suppressed else fmt_pct(r.share) for r in cells.itertuples()])
    wide = out.pivot(index="label", columns="group", values="cell")
    wide = wide.reindex(index=list(dict.fromkeys(cells["label"])), columns=list(dict.fromkeys(cells["group"])))
    wide.columns.name = None
    return wide.reset_index(names="Spørgsmål")


def _or_text(value, low, high) -> str:
    from .text import fmt_num

    return f"{fmt_num(value, 2)} ({fmt_num(low, 2)}–{fmt_num(high, 2)})"


def _p(value) -> str:
    from .text import fmt_p_significant

    return "–" if pd.isna(value) else fmt_p_significant(value)


def _note(reason: str, sparse: bool) -> str:
    if reason:
        return reason
    return SPARSE_NOTE if sparse else ""


SPARSE_NOTE = "forsigtighed: intervallet er meget bredt eller hviler på få kommuner"


def model_table(models: pd.DataFrame) -> pd.DataFrame:
    """The exploratory models, one row per question: the odds ratio with its single (unadjusted) 95 pct.
    profile interval (one column per group against the first, for a group factor), the likelihood-ratio
    p (df), the Benjamini-Hochberg q-value of the screen, the smallest odds ratio the test could detect
    (80 pct. power) and a note: why nothing is shown ("kan ikke vises", "kan ikke beregnes") or a
    caution where the result rests on few municipalities."""
    from .text import fmt_num

    terms = list(dict.fromkeys(models["term"]))
    cells = models.assign(cell=["–" if pd.isna(v) else _or_text(v, lo, hi) for v, lo, hi
                                in zip(models["odds_ratio"], models["or_low"], models["or_high"])])
    wide = cells.pivot(index="question", columns="term", values="cell")
    first = models.drop_duplicates("question").set_index("question")
    questions = list(first.index)
    out = pd.DataFrame({"Spørgsmål (samlet set)": first["label"].to_numpy(),
                        "Svar på skalaen 1–4": first["n"].to_numpy()})
    continuous = all(str(term).startswith("pr. ") for term in terms)  # "pr. fordobling af folketallet"
    for term in terms:
        name = "Odds ratio (95 pct.-interval)" if continuous else f"{term}: odds ratio (95 pct.-interval)"
        out[name] = wide.loc[questions, term].to_numpy()
    out["p (ujusteret)"] = [_p(v) for v in first["p_lr"]]
    out["q (Benjamini–Hochberg)"] = [_p(v) for v in first["q_bh"]]
    out["Mindste påviselige OR"] = ["–" if pd.isna(v) else fmt_num(v, 2) for v in first["mde_or"]]
    return with_notes(out, [_note(r, s) for r, s in zip(first["reason"], first["sparse"])])


def confirmatory_table(table: pd.DataFrame, level_text: str) -> pd.DataFrame:
    """The declared family: odds ratio per doubling with its 95 pct. interval and LR p, the Bonferroni p
    with the simultaneous interval (`level_text`, e.g. "98,3 pct.") beside it and the minimal detectable
    odds ratio at the Bonferroni level; a note where a model cannot be computed."""
    from .text import fmt_num

    rows = list(table.itertuples())
    out = pd.DataFrame({
        "Spørgsmål (samlet set)": [r.label for r in rows],
        "Svar på skalaen 1–4": [r.n for r in rows],
        "Odds ratio pr. fordobling (95 pct.-interval)":
            [_or_cell(r, "odds_ratio", "or_low", "or_high") for r in rows],
        "p (ujusteret)": [_p(getattr(r, "p_lr", math.nan)) for r in rows],
        "p (Bonferroni)": [_p(getattr(r, "p_bonferroni", math.nan)) for r in rows],
        f"Simultant {level_text}-interval": ["–" if r.reason else f"{fmt_num(r.or_low_simultaneous, 2)}–"
                                             f"{fmt_num(r.or_high_simultaneous, 2)}" for r in rows],
        "Mindste påviselige OR": ["–" if r.reason else fmt_num(r.mde_or, 2) for r in rows],
    })
    return with_notes(out, [r.reason for r in rows])


def robustness_table(table: pd.DataFrame) -> pd.DataFrame:
    """The confirmatory items' ordinal odds ratio beside the binary logits of the report's own split
    ("ved ikke" counted as not "i høj eller meget høj grad") and of the same split without "ved ikke"."""
    rows = list(table.itertuples())
    out = pd.DataFrame({
        "Spørgsmål (samlet set)": [r.label for r in rows],
        "Ordinal (95 pct.-interval)": [_or_cell(r, "odds_ratio", "or_low", "or_high") for r in rows],
        "Rapportens opdeling (95 pct.-interval)": [_or_cell(r, "binary_or", "binary_low", "binary_high")
                                                   for r in rows],
        "Uden »ved ikke« (95 pct.-interval)": [_or_cell(r, "missing_or", "missing_low", "missing_high")
                                               for r in rows],
    })
    return with_notes(out, [r.reason for r in rows])


def _or_cell(row, value: str, low: str, high: str) -> str:
    return "–" if row.reason else _or_text(getattr(row, value), getattr(row, low), getattr(row, high))


def with_notes(table: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """A column "Note" when a row has one (a table without notes leaves the empty column out)."""
    return table.assign(Note=notes) if any(notes) else table


def pct_interval(share: float, low: float, high: float) -> str:
    """'18 pct. (10–30)': a predicted share with its interval, whole percent."""
    from .text import fmt_int

    return f"{fmt_int(100 * share)} pct. ({fmt_int(100 * low)}–{fmt_int(100 * high)})"


def predicted_table(predicted: pd.DataFrame, names: dict, pooled: dict | None = None,
                    pooled_label: str = "") -> pd.DataFrame:
    """Predicted shares "i høj eller meget høj grad" with 95 pct. intervals: one row per question, one
    column per named point (`names`: point -> column header); with `pooled`, a last row for the pooled
    model over every area."""
    rows = []
    for label, part in predicted.groupby("label", sort=False):
        row = {"Spørgsmål (samlet set)": label}
        for point, header in names.items():
            found = part[part["at"] == point].iloc[0]
            row[header] = NOT_COMPUTED_CELL if found.reason else pct_interval(found.share, found.low, found.high)
        rows.append(row)
    if pooled is not None:
        row = {"Spørgsmål (samlet set)": pooled_label}
        for point, header in names.items():
            row[header] = NOT_COMPUTED_CELL if pooled["reason"] else pct_interval(*pooled["shares"][point])
        rows.append(row)
    return pd.DataFrame(rows)


NOT_COMPUTED_CELL = "kan ikke beregnes"


def nonresponse_table(table: pd.DataFrame) -> pd.DataFrame:
    """The respondents on the 1–4 scale against all 98: median population and the largest regional
    difference in percentage points, or why a figure is not shown."""
    from .text import fmt_int

    return pd.DataFrame({
        "Spørgsmål (samlet set)": table["label"].to_numpy(),
        "Svar på skalaen 1–4": table["n"].to_numpy(),
        "Median-folketal, de der svarede": [r.median_reason or fmt_int(r.median) for r in table.itertuples()],
        "Median-folketal, alle 98": [fmt_int(v) for v in table["median_all"]],
        "Største forskel i en regions andel (procentpoint)":
            [r.region_reason or fmt_int(r.region_difference) for r in table.itertuples()],
    })
