"""Parse police.uk's monthly 999 (and 101) call-answering files, and the dlt source that loads them.

The layout contract is `extract.police_uk.calls_settings` (column patterns, file name, index path).

Tables in schema `raw_police_uk_calls`:
- `call_answering`: one row per file x force x month: `force_name` as published (checked against
  seeds/force_name_variants.csv, plus the non-England-and-Wales bodies of NON_EW_BODIES, kept in raw and
  mapped to no force downstream), `month_start` (the first of the month), every count and seconds column
  of calls_settings as a double with `<column>_marker` / `<column>_marker_reason` (a blank cell is marker
  `blank`, `..` is `not_available`, ...; the value is then null, never 0; an optional column the file
  does not have is marker `not_published`), and provenance: source_file, source_row (1-based),
  file_sha256, source_location, loaded_at. Merged (delete-insert) on month_start: a month's file replaces
  that month whole.
- `published_files`: one row per month: the file loaded for it, its checksum and row count.

Every file is parsed before anything is written (`extract.police_uk.calls_pipeline`), so a malformed file
fails the run and leaves the warehouse as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import dlt
import pyarrow as pa
from dlt.extract import materialize_schema_item

from extract.errors import MalformedFileError
from extract.home_office.parse import _data_rows, known_force_names
from extract.police_uk.calls_settings import (
    COUNT_COLUMNS,
    FILE_NAME_RE,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    SECONDS_COLUMNS,
)
from extract.spreadsheet import (
    Header,
    Sheet,
    column_cells,
    find_header,
    parse_numbers,
    read_sheet,
    sheet_names,
    text_cells,
)
from extract.warehouse import arrow_schema, empty_table

CALLS_TABLE = "call_answering"
FILES_TABLE = "published_files"
# Bodies that publish call-answering figures beside the 43 forces of England and Wales, but are not among
# them (seeds/force_name_variants.csv covers England and Wales only): kept in raw, mapped to no force.
NON_EW_BODIES = ("Police Scotland", "Police Service of Northern Ireland")
# The value columns, in the order of the contract: required first, then optional.
VALUE_COLUMNS = tuple(k for k in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if k in (*COUNT_COLUMNS, *SECONDS_COLUMNS))
NOT_PUBLISHED = "not_published"
LOADABLE_SUFFIXES = (".csv", ".xlsx")

_YEAR_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
_TEXT_MONTH_FORMATS = ("%b %Y", "%B %Y", "%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S")
MONTH_EXAMPLES = "2025-01, Jan 2025, January 2025 or 01/01/2025"


def _text(nullable: bool = True) -> dict[str, Any]:
    return {"data_type": "text", "nullable": nullable}


CALL_COLUMNS: dict[str, dict[str, Any]] = {
    "force_name": _text(False),
    "month_start": {"data_type": "date", "nullable": False},
}
for _key in VALUE_COLUMNS:
    CALL_COLUMNS[_key] = {"data_type": "double", "nullable": True}
    CALL_COLUMNS[f"{_key}_marker"] = _text()
    CALL_COLUMNS[f"{_key}_marker_reason"] = _text()
CALL_COLUMNS |= {
    "source_file": _text(False),
    "source_row": {"data_type": "bigint", "nullable": False},
    "file_sha256": _text(False),
    "source_location": _text(False),
    "loaded_at": {"data_type": "timestamp", "nullable": False},
}
FILES_COLUMNS: dict[str, dict[str, Any]] = {
    "month_start": {"data_type": "date", "nullable": False},
    "source_file": _text(False),
    "file_sha256": _text(False),
    "row_count": {"data_type": "bigint", "nullable": False},
    "source_location": _text(False),
    "loaded_at": {"data_type": "timestamp", "nullable": False},
}


# --- parsing -----------------------------------------------------------------------------------------------


def month_of_file_name(file_name: str) -> date | None:
    """The month a published file name stands for (999-call-answering-2025-01.csv), None for other names."""
    match = FILE_NAME_RE.match(file_name)
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise MalformedFileError(f"{file_name}: month {match.group(2)} in the file name is not a month")
    return date(year, month, 1)


def month_start_of(cell: object) -> date | None:
    """A month cell as the first of that month; None when it is not a month."""
    if isinstance(cell, bool) or cell is None:
        return None
    if isinstance(cell, datetime):
        return cell.date().replace(day=1)
    if isinstance(cell, date):
        return cell.replace(day=1)
    text = " ".join(str(cell).split())
    match = _YEAR_MONTH_RE.match(text)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        return date(year, month, 1) if 1 <= month <= 12 else None
    for fmt in _TEXT_MONTH_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().replace(day=1)
        except ValueError:
            continue
    return None


def _check_forces(sheet: Sheet, names: list[str | None], first_row: int) -> None:
    blanks = [first_row + i + 1 for i, name in enumerate(names) if name is None]
    if blanks:
        raise sheet.error(f"{len(blanks)} data rows have no force name (first at row {blanks[0]})")
    known = known_force_names() | {n.lower() for n in NON_EW_BODIES}
    unknown: dict[str, int] = {}
    seen: dict[str, int] = {}
    for offset, name in enumerate(names):
        assert name is not None
        row = first_row + offset + 1
        if name.lower() not in known and name not in unknown:
            unknown[name] = row
        if name.lower() in seen:
            raise sheet.error(f"force {name!r} has two rows (rows {seen[name.lower()]} and {row}); one row per "
                              "force and month is expected")
        seen[name.lower()] = row
    if unknown:
        listed = ", ".join(f"{name!r} (row {row})" for name, row in list(unknown.items())[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        raise sheet.error(
            f"unknown force name {listed}{more}; if it is a new spelling of a force, add it to "
            f"seeds/force_name_variants.csv (bodies outside England and Wales: {', '.join(NON_EW_BODIES)})"
        )


def _months(sheet: Sheet, cells: Sequence[object], label: str, first_row: int) -> date:
    """The one month every row of a file covers."""
    converted: dict[tuple[type, object], date | None] = {}
    month: date | None = None
    for offset, cell in enumerate(cells):
        key = (type(cell), cell)
        if key not in converted:
            converted[key] = None if cell in (None, "") else month_start_of(cell)
        value = converted[key]
        row = first_row + offset + 1
        if value is None:
            shown = "a blank cell" if cell in (None, "") else repr(cell)
            raise sheet.error(f"row {row}, column {label!r}: {shown} is not a month (expected e.g. {MONTH_EXAMPLES})")
        if month is None:
            month = value
        elif value != month:
            raise sheet.error(f"row {row}, column {label!r}: {value:%Y-%m} where the rows above are {month:%Y-%m}; "
                              "a file holds one month")
    assert month is not None
    return month


def _values(sheet: Sheet, key: str, cells: Sequence[object], label: str, first_row: int) -> list[pa.Array]:
    parsed = parse_numbers(sheet, cells, label, first_row)
    for offset, value in enumerate(parsed.values):
        if value is None:
            continue
        where = f"row {first_row + offset + 1}, column {label!r}"
        if value < 0:
            raise sheet.error(f"{where}: {value:g} is negative")
        if key in COUNT_COLUMNS and not value.is_integer():
            raise sheet.error(f"{where}: {value:g} is not a whole number of calls")
    return [pa.array(parsed.values, pa.float64()), pa.array(parsed.markers, pa.string()),
            pa.array(parsed.reasons, pa.string())]


@dataclass(frozen=True)
class ParsedCalls:
    month_start: date
    table: pa.Table  # force_name, month_start, the value columns with markers, source_row


def _header(sheet: Sheet) -> Header:
    return find_header(sheet, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)


def parse_sheet(sheet: Sheet) -> ParsedCalls:
    """The rows of a call-answering sheet (one month, every force)."""
    header = _header(sheet)
    end = _data_rows(sheet, header.row_index, [header.columns["force_name"], header.columns["month"]])
    first_row = header.row_index + 1
    if end <= first_row:
        raise sheet.error(f"no data rows under the header (row {header.row_index + 1})")
    rows = end - first_row
    forces = text_cells(column_cells(sheet, header, "force_name", end))
    _check_forces(sheet, forces, first_row)
    month_label = header.labels[header.columns["month"]]
    month = _months(sheet, column_cells(sheet, header, "month", end), month_label, first_row)
    file_month = month_of_file_name(sheet.path.name)
    if file_month is not None and file_month != month:
        raise sheet.error(f"the rows are for {month:%Y-%m} (column {month_label!r}) but the file name says "
                          f"{file_month:%Y-%m}")
    columns: dict[str, pa.Array] = {
        "force_name": pa.array(forces, pa.string()),
        "month_start": pa.array([month] * rows, pa.date32()),
    }
    for key in VALUE_COLUMNS:
        if key in header.columns:
            label = header.labels[header.columns[key]]
            arrays = _values(sheet, key, column_cells(sheet, header, key, end), label, first_row)
        else:
            reason = f"the file has no column matching {OPTIONAL_COLUMNS[key]!r}"
            arrays = [pa.nulls(rows, pa.float64()), pa.array([NOT_PUBLISHED] * rows, pa.string()),
                      pa.array([reason] * rows, pa.string())]
        for suffix, array in zip(("", "_marker", "_marker_reason"), arrays, strict=True):
            columns[f"{key}{suffix}"] = array
    columns["source_row"] = pa.array(range(first_row + 1, end + 1), pa.int64())
    return ParsedCalls(month, pa.table(columns))


def read_calls_sheet(path: Path) -> Sheet:
    """The CSV file, or the first sheet of a workbook whose header has every required column."""
    if path.suffix.lower() not in LOADABLE_SUFFIXES:
        raise MalformedFileError(f"{path.name}: not a CSV or XLSX file; police.uk call-answering data is loaded "
                                 "from 999-call-answering-YYYY-MM.csv or .xlsx")
    if path.suffix.lower() == ".csv":
        return read_sheet(path, "")
    first_error: MalformedFileError | None = None
    for name in sheet_names(path):
        sheet = read_sheet(path, name)
        try:
            _header(sheet)
        except MalformedFileError as exc:
            first_error = first_error or exc
            continue
        return sheet
    raise first_error or MalformedFileError(f"{path.name}: the workbook has no sheets")


def parse_file(path: Path) -> ParsedCalls:
    return parse_sheet(read_calls_sheet(path))


# --- the dlt source --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CallsFile:
    """One parsed file and where it came from; the plan has decided it replaces its month."""

    path: Path
    source_file: str
    source_location: str
    sha256: str
    parsed: ParsedCalls

    @property
    def month_start(self) -> date:
        return self.parsed.month_start


def with_provenance(file: CallsFile, loaded_at: datetime) -> pa.Table:
    table = file.parsed.table
    rows = table.num_rows
    for name, array in (
        ("source_file", pa.array([file.source_file] * rows, pa.string())),
        ("file_sha256", pa.array([file.sha256] * rows, pa.string())),
        ("source_location", pa.array([file.source_location] * rows, pa.string())),
        ("loaded_at", pa.array([loaded_at] * rows, pa.timestamp("us", tz="UTC"))),
    ):
        table = table.append_column(name, array)
    # in the declared order, with the declared NOT NULLs: dlt has no hints to reconcile
    schema = arrow_schema(CALL_COLUMNS)
    return table.select(schema.names).cast(schema)


@dlt.source(name="police_uk_calls", max_table_nesting=0)
def police_uk_calls(files: Sequence[CallsFile], loaded_at: datetime) -> Any:
    """The parsed files (already planned: at most one per month)."""

    @dlt.resource(
        name=CALLS_TABLE,
        write_disposition={"disposition": "merge", "strategy": "delete-insert"},
        merge_key=["month_start"],
        columns=CALL_COLUMNS,
    )
    def call_answering() -> Iterator[Any]:
        yield empty_table(CALL_COLUMNS)  # the table exists even when a run has nothing to load
        for file in files:
            yield with_provenance(file, loaded_at)

    @dlt.resource(
        name=FILES_TABLE,
        write_disposition={"disposition": "merge", "strategy": "delete-insert"},
        primary_key=["month_start"],
        columns=FILES_COLUMNS,
    )
    def published_files() -> Iterator[Any]:
        yield materialize_schema_item()
        for file in files:
            yield {
                "month_start": file.month_start,
                "source_file": file.source_file,
                "file_sha256": file.sha256,
                "row_count": file.parsed.table.num_rows,
                "source_location": file.source_location,
                "loaded_at": loaded_at,
            }

    return call_answering, published_files


__all__ = [
    "CALLS_TABLE", "CALL_COLUMNS", "FILES_COLUMNS", "FILES_TABLE", "NON_EW_BODIES", "CallsFile", "ParsedCalls",
    "month_of_file_name", "month_start_of", "parse_file", "parse_sheet", "police_uk_calls",
]
