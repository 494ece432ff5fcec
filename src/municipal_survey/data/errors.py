"""One error type for bad input: it lists every problem with file, row, column, value and expectation."""
from __future__ import annotations

from dataclasses import dataclass

# How many rows, columns or values one collapsed line names before it says "…".
LISTED = 12


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an input file.

    `row` is where in the file: by default the spreadsheet row (the header is row 1, the first data row
    is row 2); `unit` says what it counts when that is something else: "line" for a text file such as
    the mapping, "case" for an SPSS file (the case number in SPSS's Data View). `note` follows the row,
    e.g. "kommunekode 147". `row` is None when the problem concerns the whole file or a whole column.
    `structural` marks problems with the shape of the file itself (encoding, header, field counts): they
    usually explain the others, so they are listed first.
    """

    file: str
    row: int | None
    column: str | None
    value: object
    expected: str
    unit: str = "row"
    note: str | None = None
    structural: bool = False

    @property
    def place(self) -> str:
        """'row 3', 'line 5' or 'case 2 (kommunekode 147)'; '' without a row."""
        if self.row is None:
            return ""
        return f"{self.unit} {self.row}" + (f" ({self.note})" if self.note else "")

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", {self.place}"
        if self.column is not None:
            where += f", column '{self.column}'"
        return f"{where}: got {self.value!r}, expected {self.expected}"


def ordered(problems: list[Problem]) -> list[Problem]:
    """Structural problems first; then by file (in the order the files first appear), then by row.

    The sort is stable, so problems of one row keep their order (the columns' order in the file).
    """
    files: dict[str, int] = {}
    for problem in problems:
        files.setdefault(problem.file, len(files))
    return sorted(problems, key=lambda p: (not p.structural, files[p.file], p.row is not None, p.row or 0))


def _listing(items: list[str]) -> str:
    shown = ", ".join(items[:LISTED])
    return shown + (f", … ({len(items)} in all)" if len(items) > LISTED else "")


def summary_lines(problems: list[Problem]) -> list[str]:
    """One line per problem, in `ordered` order; problems that differ only in where they are (same file,
    same expectation) collapse into one line with their count and the list of rows or columns."""
    groups: dict[tuple, list[Problem]] = {}
    for problem in ordered(problems):
        groups.setdefault((problem.file, problem.unit, problem.expected, problem.structural), []).append(problem)
    lines = []
    for (file, unit, expected, _), group in groups.items():
        if len(group) == 1:
            lines.append(str(group[0]))
            continue
        values = _listing(list(dict.fromkeys(repr(p.value) for p in group)))
        columns = list(dict.fromkeys(p.column for p in group))
        rows = list(dict.fromkeys(p.place for p in group))
        if len(columns) == 1:  # one column, many rows
            where = f", {unit}s {_listing([p.place.split(' ', 1)[1] for p in group if p.row is not None])}" \
                if rows != [""] else ""
            where += f", column '{columns[0]}'" if columns[0] is not None else ""
        elif len(rows) == 1:  # one row, many columns
            where = f", {rows[0]}" if rows[0] else ""
            where += f", columns {_listing([repr(c) for c in columns])}"
        else:
            where = ", at " + _listing([f"{p.place} column {p.column!r}".strip() for p in group])
        lines.append(f"{file}{where}: {len(group)} times: got {values}, expected {expected}")
    return lines


class DataError(ValueError):
    """Raised when an input file breaks its contract; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem] | Problem):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        lines = [f"{len(self.problems)} problem(s) in the input:"]
        lines += [f"  - {line}" for line in summary_lines(self.problems)]
        super().__init__("\n".join(lines))
