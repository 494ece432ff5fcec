"""The transcription sheet: an .xlsx a reader with the report's PDF fills in, made from the codebook.

One row per number the book expects from the parts of the report outside its source text
(analysis.transcription.expected_numbers), with the report's page, section, figure, the item's text,
the statistic, the allowed range and an empty value cell that Excel checks as it is typed; a sheet of
instructions in Danish comes first. `python -m municipal_survey transcription import` reads it back.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..analysis.transcription import N_STATISTICS, expected_numbers
from ..data.codebook import load_codebook, load_report_contents, load_topics, section_key
from ..data.published import load_published
from ..data.transcription_sheet import COLUMNS, ENTRY_SHEET, GUIDE_SHEET, KEY_COLUMN, VALUE_COLUMN
from ..synthetic.generator import participants_from
from ..synthetic.provenance import ASSUMED_MARK
from .downloads import BOOK_SOURCE
from .downloads import _workbook_bytes as workbook_bytes

FILE_NAME = "indtastning-af-rapportens-tal.xlsx"
REPORT_DA = ("Socialstyrelsen (2021): Udfordringer i forhold til børn og unge på det specialiserede "
             "socialområde – Kommunale perspektiver (maj 2021), som PDF på www.socialstyrelsen.dk")
COMMAND = ("python -m municipal_survey transcription import ark-1.xlsx --second ark-2.xlsx "
           "--transcriber \"Navn 1\" --transcriber \"Navn 2\" --date ÅÅÅÅ-MM-DD")
KIND_DA = {"chapter": "Kapitel", "section": "Afsnit", "appendix": "Bilag", "figure": "Figur"}
VALUE_FILL, HEADER_FILL = "FFF2CC", "D9E1F2"
GUIDE_WIDTHS = (10, 14, 14, 70)  # the instructions' columns A-D; a paragraph spans all four
WRAPPED = ("Målgruppe / tema", "Spørgsmål", "Tal", "Kendt fra rapporten")  # entry columns whose text wraps


def current_plan() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The numbers the book expects today (from the codebook and the published table) and the
    report's contents."""
    published = load_published()
    contents = load_report_contents()
    plan = expected_numbers(load_codebook(), load_topics(), published, contents, participants_from(published))
    return plan, contents


def _guide_lines(plan: pd.DataFrame, contents: pd.DataFrame) -> list[tuple[str, object]]:
    """The instructions sheet, line by line: (kind, content) with kind "title", "heading" or "text" (one
    paragraph) or "header"/"row" (a list of cells of a small table), or "blank"."""
    shares = plan[~plan["statistic"].isin(N_STATISTICS)]
    unread = contents[~contents["in_source"]]
    figures = [f for f in unread.loc[unread["kind"] == "figure", "ref"] if f in set(plan["figure"])]
    sections = sorted(set(unread.loc[unread["kind"] == "section", "ref"]) & set(plan["section"]), key=section_key)
    steps = [
        f"Hent rapporten: {REPORT_DA}.",
        "Kolonnen »Side« er rapportens sidetal, som i dens indholdsfortegnelse (ikke PDF-læserens "
        "sidenummer). »Afsnit« og »Figur« er rapportens numre.",
        f"Skriv tallet, som rapporten trykker det, i kolonnen »{VALUE_COLUMN}«: hele procent uden %-tegn "
        "(12, ikke 12 % eller 0,12). Excel afviser et tal uden for kolonnen »Tilladt«.",
        "Udfyld alle svarkategorier for et spørgsmål eller ingen af dem. Viser søjlen ikke en kategori, "
        "skrives 0.",
        "»N, mindste« og »N, største« står i noten under figuren (»N = …«). Står der ét N, skrives det i "
        "begge rækker. Uden figurens N kan andelene ikke kontrolleres.",
        "Rækken »Andel i høj eller meget høj grad« udfyldes kun, hvor rapportens tekst nævner tallet.",
        "Et tomt felt betyder »ikke indtastet«: man kan indtaste én figur ad gangen. Rækkerne må sorteres "
        f"og filtreres, men kolonnen »{KEY_COLUMN}« må ikke ændres.",
        "En kollega indtaster de samme tal uafhængigt i sit eget ark. Kommandoen sammenligner de to ark "
        "celle for celle, og enhver forskel skal rettes, før tallene bruges.",
        "Kør kommandoen i projektets mappe:",
    ]
    lines: list[tuple[str, object]] = [
        ("title", "Indtastning af rapportens tal"),
        ("text", f"Bogen bygger på rapportens tekst, så langt den foreligger i bogens kilde. Rapporten selv "
                 f"trykker flere tal: {' og '.join(f'figur {f}' for f in figures)} og figurerne og teksten i "
                 f"afsnit {sections[0]}–{sections[-1]}. Indtil de er indtastet, er bogens tal dér antagelser i "
                 f"det syntetiske datasæt (mærket {ASSUMED_MARK}). Arket »{ENTRY_SHEET}« har én række pr. tal, "
                 f"bogen venter på: {len(plan)} tal, heraf {len(shares)} andele for "
                 f"{shares['question'].nunique()} spørgsmål."),
        ("blank", None),
        ("heading", "Sådan gør du"),
        *(("text", f"{i}. {step}") for i, step in enumerate(steps, start=1)),
        ("text", COMMAND),
        ("text", "Kommandoen kontrollerer hvert tal: at det ligger i det tilladte interval, at en andel kan fås "
                 "som et helt antal kommuner ud af figurens N (afrundet som i rapporten), at svarkategorierne "
                 "for et spørgsmål går op, og at de to ark er ens. Hver fejl nævner fil, ark, række, kolonne og "
                 "det forventede, og så skrives intet. Er alt i orden, bliver tallene nye, daterede rækker i "
                 "tabellen over rapportens tal (en ny fil i data/published/ med kilden »Socialstyrelsen "
                 "(2021), s. N«, indtasternes navne og datoen). Det syntetiske datasæt kalibreres så til "
                 f"tallene, og de pågældende tal mister mærket {ASSUMED_MARK} i hele bogen."),
        ("blank", None),
        ("heading", "Hvad arket dækker"),
        ("header", ["Side", "Afsnit", "Figur", "Antal tal"]),
    ]
    for page, rows in plan.groupby("page", sort=True):
        in_order = sorted(set(rows["section"]), key=section_key)
        shown = in_order[0] if len(in_order) == 1 else f"{in_order[0]}–{in_order[-1]}"
        drawn = ", ".join(dict.fromkeys(f or "–" for f in rows["figure"]))
        lines.append(("row", [int(page), shown, drawn, len(rows)]))
    covered = set(plan["section"])
    chapters = {s.split(".")[0] for s in covered}
    uncovered = unread[(unread["kind"] == "appendix")
                       | ((unread["kind"] == "section") & ~unread["ref"].isin(covered))
                       | ((unread["kind"] == "chapter") & ~unread["ref"].isin(chapters))]
    lines += [
        ("blank", None),
        ("heading", "Dele af rapporten uden rækker"),
        ("text", "Kodebogen (data/codebook/) har endnu ingen spørgsmål for disse dele af rapporten, så bogen "
                 "kan ikke modtage deres tal. Når spørgsmålene og figurernes indhold er skrevet i kodebogen, "
                 "får arket rækker for dem af sig selv."),
        ("header", ["Side", "Del", "", "Titel"]),
        *(("row", [int(r.page), f"{KIND_DA[r.kind]} {r.ref}", "", r.title_da])
          for r in uncovered.itertuples(index=False)),
        ("blank", None),
        ("text", f"Arket er skrevet af bogen ud fra kodebogen. Kilde: {BOOK_SOURCE}."),
    ]
    return lines


def _lines_needed(text: str, width: float) -> int:
    """How many lines a wrapped text takes in a column `width` characters wide (a cautious estimate)."""
    return max(1, -(-len(str(text)) // max(1, int(width * 1.05))))


def sheet_xlsx(plan: pd.DataFrame, contents: pd.DataFrame) -> bytes:
    """The workbook's bytes: the instructions, then the entry sheet (frozen header, filter, checked cells)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    guide = wb.active
    guide.title = GUIDE_SHEET
    for column, width in zip("ABCD", GUIDE_WIDTHS):
        guide.column_dimensions[column].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for kind, content in _guide_lines(plan, contents):
        guide.append(list(content) if kind in ("header", "row") else [content])
        row = guide.max_row
        if kind in ("title", "heading", "text"):
            guide.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
            guide.cell(row, 1).alignment = wrap
            size = {"title": 14, "heading": 12}.get(kind)
            if size:
                guide.cell(row, 1).font = Font(bold=True, size=size)
            guide.row_dimensions[row].height = (size or 11) * 1.4 * _lines_needed(content, sum(GUIDE_WIDTHS))
        elif kind == "header":
            for cell in guide[row]:
                cell.font = Font(bold=True)
        elif kind == "row":
            for cell in guide[row]:
                cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
    guide.page_setup.fitToWidth, guide.page_setup.fitToHeight = 1, 0
    guide.sheet_properties.pageSetUpPr.fitToPage = True

    ws = wb.create_sheet(ENTRY_SHEET)
    headers = list(COLUMNS)
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in plan.itertuples(index=False):
        ws.append([int(row.page), row.section, row.figure or "–", row.topic_da, row.item_da, row.statistic_da,
                   None, f"{int(row.low)}–{int(row.high)}", None, row.known_da, row.key])
        # Excel and LibreOffice keep a row one line high unless told: room for the longest wrapped text.
        lines = max(_lines_needed(getattr(row, field), COLUMNS[name]) for name, field in
                    zip(WRAPPED, ("topic_da", "item_da", "statistic_da", "known_da")))
        ws.row_dimensions[ws.max_row].height = 15 * lines
    value_column = get_column_letter(headers.index(VALUE_COLUMN) + 1)
    key_column = get_column_letter(headers.index(KEY_COLUMN) + 1)
    for i, width in enumerate(COLUMNS.values(), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    wrap = Alignment(wrap_text=True, vertical="top", horizontal="left")
    for cells in ws.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = wrap
    for cell in ws[value_column][1:]:
        cell.fill = PatternFill("solid", fgColor=VALUE_FILL)
        cell.number_format = "0"
    for cell in ws[key_column][1:]:
        cell.font = Font(color="595959")
    for (low, high), rows in plan.groupby(["low", "high"], sort=False):
        check = DataValidation(type="whole", operator="between", formula1=str(int(low)), formula2=str(int(high)),
                               allow_blank=True, showErrorMessage=True, showInputMessage=True,
                               errorTitle="Ikke et gyldigt tal", promptTitle="Tallet fra rapporten",
                               error=f"Skriv et helt tal fra {int(low)} til {int(high)}, som rapporten trykker "
                                     "det (procent uden %-tegn).",
                               prompt=f"Et helt tal fra {int(low)} til {int(high)}.")
        for first, last in _runs([i + 2 for i in rows.index]):
            check.add(f"{value_column}{first}:{value_column}{last}")
        ws.add_data_validation(check)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{key_column}{len(plan) + 1}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return workbook_bytes(wb)


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as runs of consecutive ones: [2, 3, 4, 9] -> [(2, 4), (9, 9)]."""
    runs: list[tuple[int, int]] = []
    for number in numbers:
        if runs and number == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs


def write_sheet(target: Path) -> int:
    """Write the sheet for today's codebook and published table; returns how many numbers it asks for."""
    plan, contents = current_plan()
    Path(target).write_bytes(sheet_xlsx(plan, contents))
    return len(plan)
