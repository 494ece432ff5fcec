"""One export per wave: each checked against its own mapping, then combined into one tidy file.

A data holder with the 2020 and the 2022 survey has two exports, each from its year's questionnaire and
tool, each with a mapping whose `wave:` names its survey year. `import_waves` checks every export as a
single import does (importers.inspect_export) and combines their answers into one tidy frame with the
wave in a column. The same municipality in two waves is expected; the same municipality twice in one
wave (two exports that both say `wave: 2022`) is an error naming both exports' rows. An export kept in
a folder named after a year (data/private/2022/eksport.csv) must be that year's wave.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import Problem, ordered
from .importers import ImportReport, inspect_export, source_record
from .responses import validate_responses

YEAR_FOLDER = re.compile(r"(19|20)[0-9]{2}")


@dataclass(frozen=True)
class WaveExport:
    """One wave's export and the mapping that reads it (the mapping names the wave)."""

    export: Path
    mapping: Path


@dataclass
class WavesReport:
    """What checking the exports found: the combined responses (None on any problem), every problem,
    and each export's own report, in the order given."""

    responses: pd.DataFrame | None
    problems: list[Problem]
    reports: list[ImportReport] = field(default_factory=list)
    exports: list[WaveExport] = field(default_factory=list)

    @property
    def derived(self) -> list[str]:
        """What each export read from blank cells (importers.Derived), named with its export when there
        are several."""
        if len(self.reports) == 1:
            return [str(block) for block in self.reports[0].derived]
        return [f"{export.export}: {block}" for export, report in zip(self.exports, self.reports)
                for block in report.derived]

    @property
    def ignored(self) -> list[str]:
        """The columns read as not answers, named with their export when there are several."""
        if len(self.reports) == 1:
            return self.reports[0].ignored
        return [f"{report.export}: {column}" for report in self.reports for column in report.ignored]


def pair_exports(exports: list[Path | str], mappings: list[Path | str]) -> list[WaveExport]:
    """Exports and mappings given as two lists (command line, make): paired in order, one mapping each."""
    if len(exports) != len(mappings):
        raise ValueError(f"{len(exports)} export(s) but {len(mappings)} mapping(s): give one mapping per "
                         "export, in the same order")
    return [WaveExport(Path(e), Path(m)) for e, m in zip(exports, mappings)]


def _wave_of(report: ImportReport) -> int:
    return int(report.responses["wave"].iloc[0])


def _folder_problems(exports: list[WaveExport], reports: list[ImportReport]) -> list[Problem]:
    """An export in a folder named after a year whose mapping names another wave."""
    problems = []
    for export, report in zip(exports, reports):
        folder = export.export.resolve().parent.name
        if YEAR_FOLDER.fullmatch(folder) and _wave_of(report) != int(folder):
            problems.append(Problem(str(export.mapping), None, "wave", _wave_of(report),
                                    f"{folder}, the year of the folder {export.export.parent} the export is in "
                                    "(or move the export to the folder of its wave)"))
    return problems


def _twice_in_a_wave(exports: list[WaveExport], reports: list[ImportReport]) -> list[Problem]:
    """A municipality in two exports of the same wave: named at its row in the later export, with the
    row of the earlier one (by path: every wave's export may be called eksport.csv)."""
    problems = []
    first: dict[tuple[int, str], tuple[Path, ImportReport]] = {}
    for export, report in zip(exports, reports):
        wave = _wave_of(report)
        for code, row in report.rows.items():
            path, earlier = first.setdefault((wave, code), (export.export, report))
            if earlier is not report:
                problems.append(Problem(
                    str(export.export), row, None, code,
                    f"each municipality once per wave: kommunekode {code} answers wave {wave} also in "
                    f"{path}, {earlier.row_unit} {earlier.rows[code]}", unit=report.row_unit))
    return problems


def import_waves(exports: list[WaveExport], codebook: pd.DataFrame | None = None,
                 register: pd.DataFrame | None = None) -> WavesReport:
    """Check every export against its mapping and combine them: one tidy frame, oldest wave first.

    One export gives exactly what importers.inspect_export gives. Nothing is combined while any export
    has a problem; every problem of every export is listed.
    """
    if codebook is None:
        from .codebook import load_codebook

        codebook = load_codebook()
    if register is None:
        from .register import load_register

        register = load_register()
    reports = [inspect_export(e.export, e.mapping, codebook, register) for e in exports]
    problems = [p for report in reports for p in report.problems]
    problems += [Problem(str(export.export), None, None, "no answers", "at least one answered question (every "
                         "answer cell is blank)", structural=True)
                 for export, report in zip(exports, reports)
                 if report.responses is not None and report.responses.empty]
    if not problems:
        problems = _folder_problems(exports, reports) + _twice_in_a_wave(exports, reports)
    result = WavesReport(None, ordered(problems), reports, list(exports))
    if problems:
        return result
    if len(reports) == 1:  # a single export: exactly the single import's responses
        result.responses = reports[0].responses
        return result
    combined = pd.concat([report.responses for report in reports], ignore_index=True)
    result.responses = validate_responses(  # the combined file meets the contract as each part did
        combined.sort_values(["wave", "municipality", "question"]).reset_index(drop=True), codebook, register,
        file=", ".join(str(export.export) for export in exports))
    return result


def waves_record(result: WavesReport, responses_sha256: str) -> str:
    """The record beside the tidy responses naming the export(s) they came from (read by
    importers.source_of). One export: the single import's record; several: one entry per wave."""
    if len(result.reports) == 1:
        return source_record(result.reports[0], result.exports[0].mapping, responses_sha256)
    pairs = sorted(zip(result.exports, result.reports), key=lambda pair: _wave_of(pair[1]))
    exports = [{"wave": _wave_of(report), "export": report.export, "export_sha256": report.sha256,
                "mapping": export.mapping.name} for export, report in pairs]
    return json.dumps({"exports": exports, "responses_sha256": responses_sha256},
                      ensure_ascii=False, indent=1) + "\n"


def exports_of(record: dict) -> list[dict]:
    """The export(s) named by a record (importers.source_of): each with export and export_sha256."""
    return record.get("exports") or [record]
