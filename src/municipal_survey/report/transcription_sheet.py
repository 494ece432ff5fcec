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
from .downloads import BOOK_SOURCE
from .downloads import _workbook_bytes as workbook_bytes

FILE_NAME = "indtastning-af-rapportens-tal.xlsx"
REPORT_DA = ("Socialstyrelsen (2021): Udfordringer i forhold til børn og unge på det specialiserede "
             "socialområde – Kommunale perspektiver (maj 2021), som PDF på www.socialstyrelsen.dk")
COMMAND = ("python -m municipal_survey transcription import ark-1.xlsx --second ark-2.xlsx "
           "--transcriber \"Navn 1\" --transcriber \"Navn 2\" --date ÅÅÅÅ-MM-DD")
KIND_DA = {"chapter": "Kapitel", "section": "Afsnit", "appendix": "Bilag", "figure": "Figur"}
VALUE_FILL, HEADER_FILL = "FFF2CC", "D9E1F2"


def current_plan() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The numbers the book expects today (from the codebook and the published table) and the
    report's contents."""
    published = load_published()
    contents = load_report_contents()
    plan = expected_numbers(load_codebook(), load_topics(), published, contents, participants_from(published))
    return plan, contents


def _guide_lines(plan: pd.DataFrame, contents: pd.DataFrame) -> list[list]:
    """The instructions sheet, row by row (a row is a list of cell values)."""
    shares = plan[~plan["statistic"].isin(N_STATISTICS)]
    unread = contents[~contents["in_source"]]
    figures = [f for f in unread.loc[unread["kind"] == "figure", "ref"] if f in set(plan["figure"])]
    sections = sorted(set(unread.loc[unread["kind"] == "section", "ref"]) & set(plan["section"]), key=section_key)
    lines: list[list] = [
        ["Indtastning af rapportens tal"],
        [],
        [f"Bogen bygger på rapportens tekst, så langt den foreligger i bogens kilde. Rapporten selv trykker "
         f"flere tal: {' og '.join(f'figur {f}' for f in figures)} og figurerne og teksten i afsnit "
         f"{sections[0]}–{sections[-1]}. "
         f"Indtil de er indtastet, er bogens tal dér antagelser i det syntetiske datasæt (mærket †). Arket "
         f"»{ENTRY_SHEET}« har én række pr. tal, bogen venter på: {len(plan)} tal, heraf {len(shares)} andele "
         f"for {shares['question'].nunique()} spørgsmål."],
        [],
        ["Sådan gør du"],
        [f"1. Hent rapporten: {REPORT_DA}."],
        ["2. Kolonnen »Side« er rapportens sidetal, som i dens indholdsfortegnelse (ikke PDF-læserens "
         "sidenummer). »Afsnit« og »Figur« er rapportens numre."],
        [f"3. Skriv tallet, som rapporten trykker det, i kolonnen »{VALUE_COLUMN}«: hele procent uden %-tegn "
         "(12, ikke 12 % eller 0,12). Excel afviser et tal uden for kolonnen »Tilladt«."],
        ["4. Udfyld alle svarkategorier for et spørgsmål eller ingen af dem. Viser søjlen ikke en kategori, "
         "skrives 0."],
        ["5. »N, mindste« og »N, største« står i noten under figuren (»N = …«). Står der ét N, skrives det i "
         "begge rækker. Uden figurens N kan andelene ikke kontrolleres."],
        ["6. Rækken »Andel i høj eller meget høj grad« udfyldes kun, hvor rapportens tekst nævner tallet."],
        ["7. Et tomt felt betyder »ikke indtastet«: man kan indtaste én figur ad gangen. Rækkerne må "
         f"sorteres og filtreres, men kolonnen »{KEY_COLUMN}« må ikke ændres."],
        ["8. En kollega indtaster de samme tal uafhængigt i sit eget ark. Kommandoen sammenligner de to ark "
         "celle for celle, og enhver forskel skal rettes, før tallene bruges."],
        ["9. Kør kommandoen (i projektets mappe):"],
        [COMMAND],
        ["Kommandoen kontrollerer hvert tal: at det ligger i det tilladte interval, at en andel kan fås som "
         "et helt antal kommuner ud af figurens N (afrundet som i rapporten), at svarkategorierne for et "
         "spørgsmål går op, og at de to ark er ens. Hver fejl nævner fil, ark, række, kolonne og det "
         "forventede, og så skrives intet. Er alt i orden, bliver tallene nye, daterede rækker i tabellen "
         "over rapportens tal (en ny fil i data/published/ med kilden »Socialstyrelsen (2021), s. N«, "
         "indtasternes navne og datoen). Det syntetiske datasæt kalibreres så til tallene, og de pågældende "
         "tal mister mærket † i hele bogen."],
        [],
        ["Hvad arket dækker"],
        ["Afsnit", "Side", "Figur", "Antal tal"],
    ]
    for (section, page, figure), rows in plan.groupby(["section", "page", "figure"], sort=False):
        lines.append([section, int(page), figure or "–", len(rows)])
    covered = set(plan["section"])
    chapters = {s.split(".")[0] for s in covered}
    uncovered = unread[(unread["kind"] == "appendix")
                       | ((unread["kind"] == "section") & ~unread["ref"].isin(covered))
                       | ((unread["kind"] == "chapter") & ~unread["ref"].isin(chapters))]
    lines += [
        [],
        ["Dele af rapporten uden rækker"],
        ["Kodebogen (data/codebook/) har endnu ingen spørgsmål for disse dele af rapporten, så bogen kan ikke "
         "modtage deres tal. Når spørgsmålene og figurernes indhold er skrevet i kodebogen, får arket rækker "
         "for dem af sig selv."],
        ["Del", "Side", "Titel"],
    ]
    for row in uncovered.itertuples(index=False):
        lines.append([f"{KIND_DA[row.kind]} {row.ref}", int(row.page), row.title_da])
    lines += [[], [f"Arket er skrevet af bogen ud fra kodebogen. Kilde: {BOOK_SOURCE}."]]
    return lines


def sheet_xlsx(plan: pd.DataFrame, contents: pd.DataFrame) -> bytes:
    """The workbook's bytes: the instructions, then the entry sheet (frozen header, filter, checked cells)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    guide = wb.active
    guide.title = GUIDE_SHEET
    for line in _guide_lines(plan, contents):
        guide.append(line)
        if len(line) == 1:
            guide.cell(guide.max_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
    for cell in (guide["A1"], *(row[0] for row in guide.iter_rows() if row[0].value in (
            "Sådan gør du", "Hvad arket dækker", "Dele af rapporten uden rækker"))):
        cell.font = Font(bold=True, size=14 if cell.coordinate == "A1" else 12)
    for row in guide.iter_rows():
        if row[0].value in ("Afsnit", "Del"):
            for cell in row:
                cell.font = Font(bold=True)
    guide.column_dimensions["A"].width = 110
    for column in "BCD":
        guide.column_dimensions[column].width = 12

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
    value_column = get_column_letter(headers.index(VALUE_COLUMN) + 1)
    key_column = get_column_letter(headers.index(KEY_COLUMN) + 1)
    for i, width in enumerate(COLUMNS.values(), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
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
