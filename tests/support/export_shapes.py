"""Exports shaped like those of real survey tools, written from tidy responses, each with its mapping.

SurveyXact (Windows-1252, semicolons, CRLF, municipality names, X/blank ticks, metadata columns),
Enalyzer (XLSX: a cover sheet first, title rows above the header, the tool's own 1..6 numbering),
SurveyMonkey (UTF-8 with BOM, two-row header, the option's text for a tick), Microsoft Forms (XLSX,
one column of ticked options per question: "Kompetenceudvikling;Netværk;"), SPSS (value labels,
8 and 9 declared user-missing), a workbook saved from Excel as "Unicode-tekst" (UTF-16 with a byte
order mark, tabs, CRLF, a quoted comment with a line break) and a report-style workbook whose header is
two rows of merged cells (the municipality columns merged over both, a heading merged over each
section's questions) below a title, answers from row 4. Importing any of them with its mapping must
give back the responses.
"""
from __future__ import annotations

import csv
import itertools
from pathlib import Path

import openpyxl
import pandas as pd
import pyreadstat
import yaml

from municipal_survey.data import paths
from municipal_survey.data.codebook import VALID_CODES

LIKERT = VALID_CODES["likert"]
STATUS = VALID_CODES["status"]
# The tool's own numbering of the likert scale (1 = "I meget høj grad" ... 6 = "Ikke relevant").
TOOL_NUMBERS = {4: 1, 3: 2, 2: 3, 1: 4, 8: 5, 9: 6}
# How a survey tool or a person writes some municipalities' names.
SPELLINGS = {"101": "Københavns Kommune", "169": "Høje Taastrup Kommune", "173": "Lyngby-Tårbæk",
             "400": "Bornholms Regionskommune", "580": "Åbenrå Kommune", "751": "Århus Kommune",
             "147": "frederiksberg kommune"}
SHAPES = ("surveyxact", "enalyzer", "surveymonkey", "forms", "spss", "unicode_text", "merged_header")


def _support_blocks(codebook: pd.DataFrame) -> dict[str, tuple[str, list[str]]]:
    """Per area: (the need-for-support question, the multiple-choice support forms in order)."""
    blocks = {}
    for topic, group in codebook.sort_values("order").groupby("topic", sort=False):
        ticks = group.loc[group["kind"] == "multiple_choice", "question"].tolist()
        if ticks:
            behov = group.loc[group["item"] == "behov", "question"]
            blocks[topic] = (behov.iloc[0], ticks)
    return blocks


def _wide(responses: pd.DataFrame) -> dict[str, dict[str, int]]:
    return {str(m): dict(zip(g["question"], g["answer"].astype(int)))
            for m, g in responses.groupby("municipality")}


def _options(codebook: pd.DataFrame) -> dict[str, str]:
    forms = pd.read_csv(paths.CODEBOOK_DIR / "support_forms.csv")
    return dict(zip(forms["form"], forms["label_da"]))


def _mapping(path: Path, body: dict) -> Path:
    path.write_text(yaml.safe_dump(body, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _names(register: pd.DataFrame) -> dict[str, str]:
    names = dict(zip(register["code"].astype(str), register["name"]))
    return {code: SPELLINGS.get(code, f"{name} Kommune") for code, name in names.items()}


def write(shape: str, responses: pd.DataFrame, codebook: pd.DataFrame, register: pd.DataFrame,
          directory: Path) -> tuple[Path, Path]:
    """Write `responses` as `shape`'s export in `directory`; returns (export, mapping)."""
    directory.mkdir(parents=True, exist_ok=True)
    return {"surveyxact": _surveyxact, "enalyzer": _enalyzer, "surveymonkey": _surveymonkey,
            "forms": _forms, "spss": _spss, "unicode_text": _unicode_text,
            "merged_header": _merged_header}[shape](responses, codebook, register, directory)


def _ordered(codebook: pd.DataFrame) -> list[tuple[str, str, str]]:
    frame = codebook.sort_values(["order", "question"])
    return list(zip(frame["question"], frame["kind"], frame["text_da"]))


def _surveyxact(responses, codebook, register, directory):
    wide, names = _wide(responses), _names(register)
    columns = {qid: f"s_{i}" for i, (qid, _, _) in enumerate(_ordered(codebook), start=1)}
    kinds = dict(zip(codebook["question"], codebook["kind"]))
    header = ["respondent", "email", "starttime", "endtime", "statusTool", "Kommune", *columns.values()]
    path = directory / "surveyxact.csv"
    with open(path, "w", encoding="cp1252", newline="") as handle:
        out = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        out.writerow(header)
        for k, (code, answers) in enumerate(sorted(wide.items()), start=1):
            row = [1000 + k, f"kontakt{k}@kommune.dk", "01-10-2020 09:00", "", "1", names[code]]
            for qid in columns:
                value = answers.get(qid)
                if value is None:
                    row.append("")
                elif kinds[qid] == "multiple_choice":
                    row.append("X" if value == 1 else "")
                else:
                    row.append((LIKERT if kinds[qid] == "likert" else STATUS)[value])
            out.writerow(row)  # every row has every field, trailing ones empty: ;;;
    blocks = [{"columns": [columns[q] for q in ticks], "answered_with": columns[behov]}
              for behov, ticks in _support_blocks(codebook).values()]
    body = {"municipality_column": "Kommune", "municipality_by": "name", "wave": 2020,
            "columns": {name: qid for qid, name in columns.items()}, "ignore_unmapped": True,
            "not_ticked_blank": blocks}
    return path, _mapping(directory / "surveyxact.yml", body)


def _enalyzer(responses, codebook, register, directory):
    wide = _wide(responses)
    columns = {qid: f"{i}. {text}"[:200] for i, (qid, _, text) in enumerate(_ordered(codebook), start=1)}
    kinds = dict(zip(codebook["question"], codebook["kind"]))
    book = openpyxl.Workbook()
    book.active.title = "Forside"
    book.active.append(["Eksport fra Enalyzer"])
    sheet = book.create_sheet("Data")
    sheet.append(["Kommuneundersøgelsen 2020 – alle besvarelser"])
    sheet.append([])
    sheet.append(["RespondentId", "Kommunenummer", *columns.values()])
    for k, (code, answers) in enumerate(sorted(wide.items()), start=1):
        row = [k, int(code)]
        for qid in columns:
            value = answers.get(qid)
            if value is None or (kinds[qid] == "multiple_choice" and value == 0):
                row.append(None)
            else:
                row.append(TOOL_NUMBERS[value] if kinds[qid] == "likert" else value)
        sheet.append(row)
    path = directory / "enalyzer.xlsx"
    book.save(path)
    blocks = [{"columns": [columns[q] for q in ticks], "answered_with": columns[behov]}
              for behov, ticks in _support_blocks(codebook).values()]
    body = {"sheet": "Data", "header_row": 3, "municipality_column": "Kommunenummer", "wave": 2020,
            "columns": {name: qid for qid, name in columns.items()}, "ignore": ["RespondentId"],
            "labels": {"likert": {str(n): code for code, n in TOOL_NUMBERS.items()}},
            "not_ticked_blank": blocks}
    return path, _mapping(directory / "enalyzer.yml", body)


def _surveymonkey(responses, codebook, register, directory):
    wide, names = _wide(responses), dict(zip(register["code"].astype(str), register["name"]))
    options = _options(codebook)
    items = dict(zip(codebook["question"], codebook["item"]))
    kinds = dict(zip(codebook["question"], codebook["kind"]))
    first, second, columns = ["Respondent ID", "Start Date", "Hvilken kommune?"], ["", "", "Response"], {}
    column_labels = {}
    ticks_of = {q: topic for topic, (_, ticks) in _support_blocks(codebook).items() for q in ticks}
    last_topic, block_question = None, ""
    for i, (qid, kind, text) in enumerate(_ordered(codebook), start=1):
        if kind == "multiple_choice":
            topic = ticks_of[qid]
            if topic != last_topic:  # the question stands above its first option only
                block_question = f"{i}. Former for ekstern viden og støtte ({topic})"
            first.append(block_question if topic != last_topic else "")
            last_topic = topic
            second.append(options[items[qid]])
            columns[qid] = f"{block_question} | {options[items[qid]]}"
            column_labels[columns[qid]] = {options[items[qid]]: 1}
        else:
            last_topic = None
            first.append(f"{i}. {text}")
            second.append("Response")
            columns[qid] = f"{i}. {text} | Response"
    path = directory / "surveymonkey.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle, lineterminator="\r\n")
        out.writerow(first)
        out.writerow(second)
        for k, (code, answers) in enumerate(sorted(wide.items()), start=1):
            row = [11800 + k, "10/01/2020 09:00:00", names[code]]
            for qid in columns:
                value = answers.get(qid)
                if value is None:
                    row.append("")
                elif kinds[qid] == "multiple_choice":
                    row.append(options[items[qid]] if value == 1 else "")
                else:
                    row.append((LIKERT if kinds[qid] == "likert" else STATUS)[value])
            out.writerow(row)
    blocks = [{"columns": [columns[q] for q in ticks], "answered_with": columns[behov]}
              for behov, ticks in _support_blocks(codebook).values()]
    body = {"header_rows": 2, "municipality_column": "Hvilken kommune? | Response", "municipality_by": "name",
            "wave": 2020, "columns": {name: qid for qid, name in columns.items()},
            "ignore": ["Respondent ID", "Start Date"], "column_labels": column_labels, "not_ticked_blank": blocks}
    return path, _mapping(directory / "surveymonkey.yml", body)


def _forms(responses, codebook, register, directory):
    wide, names = _wide(responses), _names(register)
    options = _options(codebook)
    items = dict(zip(codebook["question"], codebook["item"]))
    kinds = dict(zip(codebook["question"], codebook["kind"]))
    blocks = _support_blocks(codebook)
    block_of = {q: topic for topic, (_, ticks) in blocks.items() for q in ticks}
    columns: dict[str, str] = {}
    header = ["Id", "Starttidspunkt", "Fuldførelsestidspunkt", "Mail", "Navn", "Kommune"]
    for i, (qid, kind, text) in enumerate(_ordered(codebook), start=1):
        if kind == "multiple_choice":
            name = f"Former for ekstern viden og støtte ({block_of[qid]})"
            if name not in header:
                header.append(name)
        else:
            columns[qid] = f"{i}. {text}"
            header.append(columns[qid])
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(header)
    for k, (code, answers) in enumerate(sorted(wide.items()), start=1):
        row = [k, "2020-10-01 09:00", "2020-10-01 09:40", "anonymous", None, names[code]]
        for name in header[6:]:
            topic = name.rsplit("(", 1)[-1].rstrip(")") if name.startswith("Former for ekstern") else None
            if topic is None:
                qid = next(q for q, n in columns.items() if n == name)
                value = answers.get(qid)
                row.append(None if value is None else (LIKERT if kinds[qid] == "likert" else STATUS)[value])
            else:
                ticked = [options[items[q]] for q in blocks[topic][1] if answers.get(q) == 1]
                row.append("".join(t + ";" for t in ticked) or None)
        sheet.append(row)
    path = directory / "forms.xlsx"
    book.save(path)
    multi = {f"Former for ekstern viden og støtte ({topic})": {
        "separator": ";", "options": {options[items[q]]: q for q in ticks}, "answered_with": columns[behov]}
        for topic, (behov, ticks) in blocks.items()}
    body = {"municipality_column": "Kommune", "municipality_by": "name", "wave": 2020,
            "columns": {name: qid for qid, name in columns.items()}, "multi_select": multi,
            "ignore_unmapped": True}
    return path, _mapping(directory / "forms.yml", body)


def _spss(responses, codebook, register, directory):
    wide = _wide(responses)
    ordered = _ordered(codebook)
    columns = {qid: f"Q{i}" for i, (qid, _, _) in enumerate(ordered, start=1)}
    data: dict[str, list] = {"kommune": [float(c) for c in sorted(wide)], "email": ["x@y.dk"] * len(wide)}
    for qid in columns:
        data[columns[qid]] = [float(wide[c][qid]) if qid in wide[c] else float("nan") for c in sorted(wide)]
    frame = pd.DataFrame(data)
    value_labels = {columns[q]: {float(c): label for c, label in VALID_CODES[kind].items()}
                    for q, kind, _ in ordered}
    missing = {columns[q]: [8, 9] for q, kind, _ in ordered if kind == "likert"}
    path = directory / "spss.sav"
    pyreadstat.write_sav(frame, str(path), variable_value_labels=value_labels, missing_ranges=missing,
                         column_labels={columns[q]: text[:120] for q, _, text in ordered})
    body = {"municipality_column": "kommune", "wave": 2020,
            "columns": {name: qid for qid, name in columns.items()}, "ignore": ["email"]}
    return path, _mapping(directory / "spss.yml", body)


def _labelled(kind: str, value: int | None) -> object:
    """An answer as a spreadsheet holds it: the label, a 0/1 tick, or nothing."""
    if value is None:
        return None
    return value if kind == "multiple_choice" else (LIKERT if kind == "likert" else STATUS)[value]


def _unicode_text(responses, codebook, register, directory):
    """Excel's "Gem som > Unicode-tekst": UTF-16 little-endian with a byte order mark, tab-separated,
    CRLF; a cell holding a tab, a quote or a line break is quoted, its quotes doubled."""
    wide, names = _wide(responses), _names(register)
    columns = {qid: f"{i}. {text}"[:80] for i, (qid, _, text) in enumerate(_ordered(codebook), start=1)}
    kinds = dict(zip(codebook["question"], codebook["kind"]))
    rows = [["Kommune", "Bemærkning", *columns.values()]]
    for k, (code, answers) in enumerate(sorted(wide.items())):
        remark = 'Svar fra "forvaltningen"\nrettet 2. gang' if k % 10 == 3 else ""
        rows.append([names[code], remark, *(_labelled(kinds[q], answers.get(q)) for q in columns)])
    path = directory / "unicode_tekst.txt"
    with open(path, "w", encoding="utf-16", newline="") as handle:  # Python's utf-16 writes the mark, LE here
        csv.writer(handle, delimiter="\t", lineterminator="\r\n").writerows(
            [["" if v is None else v for v in row] for row in rows])
    body = {"municipality_column": "Kommune", "municipality_by": "name", "wave": 2020,
            "columns": {name: qid for qid, name in columns.items()}, "ignore": ["Bemærkning"]}
    return path, _mapping(directory / "unicode_tekst.yml", body)


def _merged_header(responses, codebook, register, directory):
    """A report-style workbook: a title merged over the first row; the municipality columns merged over
    rows 2-3; in row 2 each section's heading merged over its questions, in row 3 the questions."""
    wide = _wide(responses)
    names = dict(zip(register["code"].astype(str), register["name"]))
    ordered = _ordered(codebook)
    columns = {qid: f"Spm. {i}" for i, (qid, _, _) in enumerate(ordered, start=1)}
    kinds = dict(zip(codebook["question"], codebook["kind"]))
    sections = dict(zip(codebook["question"], codebook["section"].fillna("").astype(str)))
    headings, merges = [], [(1, 1, 1, 2 + len(columns)), (2, 1, 3, 1), (2, 2, 3, 2)]
    for section, group in itertools.groupby(columns, key=sections.get):
        size = len(list(group))
        merges.append((2, 3 + len(headings), 2, 2 + len(headings) + size))
        headings += [f"Afsnit {section or 'indledning'}"] + [None] * (size - 1)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Rapport"
    sheet.append(["Kommuneundersøgelsen 2020 – besvarelser pr. kommune"])
    sheet.append(["Kommunenummer", "Kommune", *headings])
    sheet.append([None, None, *columns.values()])
    for code, answers in sorted(wide.items()):
        sheet.append([int(code), names[code], *(_labelled(kinds[q], answers.get(q)) for q in columns)])
    for top, left, bottom, right in merges:  # after the values: Excel keeps only the top-left one
        if (top, left) != (bottom, right):
            sheet.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)
    path = directory / "rapport.xlsx"
    book.save(path)
    body = {"header_row": 3, "municipality_column": "Kommunenummer", "wave": 2020, "ignore": ["Kommune"],
            "columns": {name: qid for qid, name in columns.items()}}
    return path, _mapping(directory / "rapport.yml", body)
