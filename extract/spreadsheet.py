"""Reading published spreadsheets (XLSX, ODS, and CSV exports of them) whose layout drifts between releases.

Publishers move header rows, add cover and notes sheets, rename sheets and reword column headers from one
year to the next. So nothing here relies on positions: sheets are chosen by a name pattern, the header
row is found by scanning for every required column, and columns are matched by pattern. A layout that
cannot be matched raises MalformedFileError naming the file, the sheet and what is missing.

Cells are read by python-calamine (Rust) in one call per sheet; count columns are then converted
column by column. Markers such as `..`, `[x]` or `N/A - data not provided` are kept as a marker and a
reason with a null value: missing is never zero.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from extract.errors import MalformedFileError

HEADER_SCAN_ROWS = 60

# Published "no number" markers -> (status, reason). Keys are compared after lower-casing and squeezing spaces.
MARKERS: dict[str, tuple[str, str]] = {
    "..": ("not_available", "'..': not available"),
    "[x]": ("not_available", "'[x]': not available"),
    "x": ("not_available", "'x': not available"),
    "n/a": ("not_applicable", "'N/A': not applicable"),
    "na": ("not_applicable", "'NA': not applicable"),
    "[z]": ("not_applicable", "'[z]': not applicable"),
    "n/a - offence code expired": ("not_applicable", "'N/A - offence code expired': the offence code had expired"),
    "n/a - data not provided": ("not_provided", "'N/A - data not provided': the force did not provide data"),
    "*": ("suppressed", "'*': suppressed"),
    "[c]": ("suppressed", "'[c]': suppressed to protect confidentiality"),
    "[u]": ("low_reliability", "'[u]': low reliability"),
}

_NOTE_RE = re.compile(r"\[\s*note\s*\d+\s*\]", re.IGNORECASE)
_DASHES_RE = re.compile("[\u2010-\u2015\u2212]")
_SPACES_RE = re.compile(r"\s+")
# Footnote numbers glued to a label: "Greater Manchester8,9", "Violence against the person4".
_GLUED_FOOTNOTE_RE = re.compile(r"(?<=[A-Za-z\)])\d+(?:\s*,\s*\d+)*$")
_NUMBER_RE = re.compile(r"^[-+]?\d[\d,]*(\.\d+)?$|^[-+]?\.\d+$")


def clean_label(value: object, *, strip_footnotes: bool = True) -> str:
    """A header or name as a person reads it: no `[note N]`, no glued footnote digits, one space, ASCII dashes."""
    if value is None:
        return ""
    text = str(value)
    text = _NOTE_RE.sub(" ", text)
    text = _DASHES_RE.sub("-", text)
    text = _SPACES_RE.sub(" ", text).strip()
    if strip_footnotes:
        text = _GLUED_FOOTNOTE_RE.sub("", text).strip()
    return text


def _label_key(text: str) -> str:
    return clean_label(text).lower()


@dataclass(frozen=True)
class Sheet:
    """The cells of one sheet (or a CSV file) as rows, with where they came from for messages."""

    path: Path
    name: str
    rows: list[list[object]]

    @property
    def where(self) -> str:
        return f"{self.path.name}, sheet {self.name!r}" if self.name else self.path.name

    def error(self, problem: str) -> MalformedFileError:
        return MalformedFileError(f"{self.where}: {problem}")


def sheet_names(path: Path) -> list[str]:
    """Sheet names of a workbook ([''] for a CSV file)."""
    if path.suffix.lower() == ".csv":
        return [""]
    return list(_workbook(path).sheet_names)


def _workbook(path: Path):
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every unreadable format
        raise MalformedFileError(f"{path.name}: not a readable spreadsheet ({type(exc).__name__}: {exc})") from exc


def read_sheet(path: Path, name: str) -> Sheet:
    """All cells of one sheet; a CSV file is a workbook with one unnamed sheet."""
    if path.suffix.lower() == ".csv":
        try:
            with open(path, newline="", encoding="utf-8-sig") as fh:
                return Sheet(path, "", [list(row) for row in csv.reader(fh)])
        except UnicodeDecodeError as exc:
            raise MalformedFileError(f"{path.name}: not UTF-8 text ({exc})") from exc
    book = _workbook(path)
    try:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception as exc:
        raise MalformedFileError(f"{path.name}, sheet {name!r}: cannot be read ({exc})") from exc
    return Sheet(path, name, rows)


def find_sheets(path: Path, pattern: str | re.Pattern[str]) -> list[str]:
    """Names of the sheets whose name (trimmed, case-insensitive) matches `pattern`, in workbook order."""
    regex = re.compile(pattern, re.IGNORECASE) if isinstance(pattern, str) else pattern
    return [name for name in sheet_names(path) if regex.search(name.strip())]


@dataclass(frozen=True)
class Header:
    row_index: int  # 0-based index of the header row in Sheet.rows
    columns: dict[str, int]  # wanted key -> 0-based column index
    labels: list[str]  # the cleaned header labels of the row


def find_header(
    sheet: Sheet,
    required: Mapping[str, str | re.Pattern[str]],
    optional: Mapping[str, str | re.Pattern[str]] | None = None,
    scan_rows: int = HEADER_SCAN_ROWS,
) -> Header:
    """Find the first row whose cells match every required pattern (full match on the cleaned label).

    The patterns are regular expressions matched case-insensitively against clean_label(cell); each
    required key must match exactly one cell of the row, so an ambiguous header is refused rather than
    guessed.
    """
    patterns = {k: re.compile(v, re.IGNORECASE) if isinstance(v, str) else v for k, v in required.items()}
    optional_patterns = {
        k: re.compile(v, re.IGNORECASE) if isinstance(v, str) else v for k, v in (optional or {}).items()
    }
    best: tuple[int, int, list[str]] | None = None  # (matched count, row index, missing keys)
    for index, row in enumerate(sheet.rows[:scan_rows]):
        labels = [clean_label(cell) for cell in row]
        found: dict[str, int] = {}
        missing: list[str] = []
        for key, regex in patterns.items():
            hits = [i for i, label in enumerate(labels) if label and regex.fullmatch(label)]
            if len(hits) > 1:
                raise sheet.error(
                    f"header row {index + 1} has {len(hits)} columns matching {key!r} "
                    f"({', '.join(repr(labels[i]) for i in hits)}); cannot tell which to read"
                )
            if hits:
                found[key] = hits[0]
            else:
                missing.append(key)
        if not missing:
            for key, regex in optional_patterns.items():
                hits = [i for i, label in enumerate(labels) if label and regex.fullmatch(label)]
                if len(hits) == 1:
                    found[key] = hits[0]
            return Header(index, found, labels)
        if found and (best is None or len(found) > best[0]):
            best = (len(found), index, missing)
    if best is None:
        raise sheet.error(
            f"no header row in the first {scan_rows} rows has any of the expected columns "
            f"({', '.join(patterns)}); is this the right file?"
        )
    _, index, missing = best
    wanted = "; ".join(f"{key} (pattern {patterns[key].pattern!r})" for key in missing)
    raise sheet.error(f"the header row (row {index + 1}) has no column for {wanted}; the layout has changed")


@dataclass(frozen=True)
class Column:
    """One published count column: values with markers kept apart, never zero-filled."""

    values: list[float | None]
    markers: list[str | None]  # the status a marker stands for (not_available, not_provided, ...)
    reasons: list[str | None]  # the published marker and what it means


def parse_numbers(
    sheet: Sheet,
    cells: Sequence[object],
    column_label: str,
    first_row: int,
    extra_markers: Mapping[str, tuple[str, str]] | None = None,
) -> Column:
    """Numbers from a published column: numeric cells as they are, text such as '5,287,312 ' parsed,
    markers kept with their reason. Anything else is refused with the sheet, row and column named.

    `first_row` is the 0-based sheet row of cells[0], for messages.
    """
    markers = {**MARKERS, **{k.lower(): v for k, v in (extra_markers or {}).items()}}
    values: list[float | None] = []
    marker_out: list[str | None] = []
    reasons: list[str | None] = []
    for offset, cell in enumerate(cells):
        if cell is None or cell == "":
            values.append(None)
            marker_out.append("blank")
            reasons.append("blank cell")
            continue
        if isinstance(cell, bool):
            raise sheet.error(f"row {first_row + offset + 1}, column {column_label!r}: {cell!r} is not a number")
        if isinstance(cell, int | float):
            values.append(float(cell))
            marker_out.append(None)
            reasons.append(None)
            continue
        if isinstance(cell, date | datetime):
            raise sheet.error(
                f"row {first_row + offset + 1}, column {column_label!r}: a date ({cell}) where a number belongs"
            )
        text = _SPACES_RE.sub(" ", _NOTE_RE.sub("", str(cell))).strip()
        if _NUMBER_RE.match(text):
            values.append(float(text.replace(",", "")))
            marker_out.append(None)
            reasons.append(None)
            continue
        found = markers.get(_DASHES_RE.sub("-", text).lower())
        if found is None:
            raise sheet.error(
                f"row {first_row + offset + 1}, column {column_label!r}: {str(cell)!r} is neither a number "
                "nor a known marker (.., [x], [c], [z], N/A, N/A - data not provided, ...)"
            )
        values.append(None)
        marker_out.append(found[0])
        reasons.append(found[1])
    return Column(values, marker_out, reasons)


def column_cells(sheet: Sheet, header: Header, key: str, stop: int | None = None) -> list[object]:
    """The cells under the header in column `key`, up to row `stop` (exclusive; default the last row)."""
    index = header.columns[key]
    rows = sheet.rows[header.row_index + 1 : stop]
    return [row[index] if index < len(row) else None for row in rows]


def text_cells(cells: Sequence[object]) -> list[str | None]:
    """Text as published, trimmed; numbers that are codes (offence code 802 read as 802.0) back to text."""
    out: list[str | None] = []
    for cell in cells:
        if cell is None or cell == "":
            out.append(None)
        elif isinstance(cell, float) and cell.is_integer():
            out.append(str(int(cell)))
        else:
            out.append(str(cell).strip())
    return out
