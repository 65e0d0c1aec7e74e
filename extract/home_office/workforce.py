"""Parse the Home Office police workforce open data tables, and the dlt source that loads them.

Tables in schema `raw_home_office_workforce`, one per dataset of `workforce_settings.DATASETS`
(workforce, functions, absence, limited_duties, joiners_leavers):
- every column of `COLUMNS[dataset]`, as published: the snapshot (`as_at`, or `year_ending` for joiners and
  leavers) as a date, `force_name` checked against seeds/force_name_variants.csv, the other labels as
  trimmed text (codes such as function subgroup `1.2` kept as published), and each count column `c` of
  `COUNT_COLUMNS[dataset]` as a double (FTE has decimals) with `c_marker` / `c_marker_reason` for `..`,
  `[x]` and the other published markers (the value is then null, never 0);
- provenance: source_file, source_sheet, source_row (1-based sheet row), file_sha256, release_date (the
  file name's DDMMYY suffix), release_title (the release page's title; null for a file loaded by hand),
  source_location and loaded_at.
- `published_files`: one row per dataset x release date: the file, its checksum, size, row count and the
  first and last snapshot it holds.

Every open data table re-publishes the whole history, and a later release may revise earlier figures, so
each release is kept as a vintage: the data tables are merged (delete-insert) on release_date, so loading
a file replaces that dataset's rows of the same release date and leaves other releases' rows alone.
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
import pyarrow.compute as pc
from dlt.extract import materialize_schema_item
from dlt.extract.resource import DltResource

from extract.errors import MalformedFileError
from extract.home_office.parse import _check_force_names, _data_rows, normalise_financial_year, release_date_of
from extract.home_office.workforce_settings import (
    ABSENCE,
    COLUMNS,
    COUNT_COLUMNS,
    DATA_SHEET_RE,
    DATASETS,
    FILE_PATTERNS,
    FUNCTIONS,
    JOINERS_LEAVERS,
    LIMITED_DUTIES,
    WORKFORCE,
)
from extract.spreadsheet import (
    Header,
    Sheet,
    column_cells,
    find_header,
    find_sheets,
    parse_numbers,
    read_sheet,
    sheet_names,
    text_cells,
)
from extract.warehouse import arrow_schema as declared_arrow_schema
from extract.warehouse import empty_table

FILES_TABLE = "published_files"
DATA_TABLES = DATASETS
# The date column of each dataset: a stock at a snapshot date, or flows in the year ending on a date.
DATE_COLUMN = {dataset: "year_ending" if dataset == JOINERS_LEAVERS else "as_at" for dataset in DATASETS}
# A renamed file's dataset is told from its header: the datasets with the most specific columns first
# (the workforce table's columns are a subset of the others').
DETECTION_ORDER = (FUNCTIONS, LIMITED_DUTIES, ABSENCE, JOINERS_LEAVERS, WORKFORCE)

_YEAR_RE = re.compile(r"^\d{4}$")
_TEXT_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d-%b-%Y", "%Y-%m-%d %H:%M:%S")


def _text(nullable: bool = True) -> dict[str, Any]:
    return {"data_type": "text", "nullable": nullable}


def _data_columns(dataset: str) -> dict[str, dict[str, Any]]:
    columns: dict[str, dict[str, Any]] = {}
    for key in COLUMNS[dataset]:
        if key in COUNT_COLUMNS[dataset]:
            columns[key] = {"data_type": "double", "nullable": True}
            columns[f"{key}_marker"] = _text()
            columns[f"{key}_marker_reason"] = _text()
        elif key == DATE_COLUMN[dataset]:
            columns[key] = {"data_type": "date", "nullable": False}
        else:
            columns[key] = _text(key != "force_name")
    return columns


PROVENANCE_COLUMNS: dict[str, dict[str, Any]] = {
    "source_file": _text(False),
    "source_sheet": _text(False),
    "source_row": {"data_type": "bigint", "nullable": False},
    "file_sha256": _text(False),
    "release_date": {"data_type": "date", "nullable": False},
    "release_title": _text(),
    "source_location": _text(False),
    "loaded_at": {"data_type": "timestamp", "nullable": False},
}
TABLE_COLUMNS: dict[str, dict[str, dict[str, Any]]] = {
    dataset: _data_columns(dataset) | PROVENANCE_COLUMNS for dataset in DATASETS
}
FILES_COLUMNS: dict[str, dict[str, Any]] = {
    "dataset": _text(False),
    "source_file": _text(False),
    "source_sheet": _text(False),
    "release_date": {"data_type": "date", "nullable": False},
    "release_title": _text(),
    "source_location": _text(False),
    "file_sha256": _text(False),
    "file_size": {"data_type": "bigint", "nullable": False},
    "row_count": {"data_type": "bigint", "nullable": False},
    "first_snapshot": {"data_type": "date", "nullable": False},
    "last_snapshot": {"data_type": "date", "nullable": False},
    "loaded_at": {"data_type": "timestamp", "nullable": False},
}


# --- parsing -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedTable:
    dataset: str
    sheet: str  # '' for a CSV file
    table: pa.Table  # the rows, with source_sheet and source_row, without file-level provenance

    @property
    def snapshots(self) -> tuple[date, date]:
        """The first and last snapshot (or year end) in the table."""
        bounds = pc.min_max(self.table.column(DATE_COLUMN[self.dataset]))
        return bounds["min"].as_py(), bounds["max"].as_py()


def dataset_of(file_name: str) -> str | None:
    """The dataset a published file name stands for (FILE_PATTERNS), None for any other file."""
    for dataset, pattern in FILE_PATTERNS:
        if pattern.match(file_name):
            return dataset
    return None


def require_release_date(file_name: str) -> date:
    """The release date of a workforce file, from the DDMMYY suffix every published file name carries."""
    release = release_date_of(file_name)
    if release is None:
        raise MalformedFileError(
            f"{file_name}: no release date in the file name; the Home Office workforce open data tables end "
            "in the release date as DDMMYY (open-data-table-police-workforce-280126.ods was released on "
            "28 January 2026): rename the file to end in its release date"
        )
    return release


def data_sheet(path: Path) -> Sheet:
    """The `Data` sheet of a workbook, or the one unnamed sheet of a CSV file."""
    if path.suffix.lower() == ".csv":
        return read_sheet(path, "")
    names = find_sheets(path, DATA_SHEET_RE)
    if not names:
        raise MalformedFileError(
            f"{path.name}: no sheet named 'Data' among {', '.join(repr(n) for n in sheet_names(path))}"
        )
    return read_sheet(path, names[0])


def detect_dataset(sheet: Sheet) -> tuple[str, Header]:
    """Which open data table a sheet holds (for a file renamed after download), from its header."""
    problem = ""
    for dataset in DETECTION_ORDER:
        try:
            return dataset, find_header(sheet, COLUMNS[dataset])
        except MalformedFileError as exc:
            problem = str(exc).removeprefix(f"{sheet.where}: ")
    raise sheet.error(
        f"the file name is not a workforce open data table's and the header matches none of the tables "
        f"({', '.join(DETECTION_ORDER)}); read as a workforce table: {problem}"
    )


def _text_array(cells: Sequence[object]) -> pa.Array:
    """Text as published, trimmed (codes read as numbers back to their published form); blank -> null."""
    array = pa.array(text_cells(cells), pa.string())
    return pc.if_else(pc.equal(array, ""), pa.scalar(None, pa.string()), array)


def _as_date(cell: object, month_day: tuple[int, int], financial_years: bool) -> date | None:
    """A snapshot cell as a date: a year (on `month_day`), a date cell, or a date written as text."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    year: int | None = None
    if isinstance(cell, int | float):
        if float(cell).is_integer():
            year = int(cell)
    else:
        text = " ".join(str(cell).split())
        if _YEAR_RE.match(text):
            year = int(text)
        elif financial_years and (fy := normalise_financial_year(text)):
            year = int(fy[:4]) + 1  # 2024/25 is the year ending 31 March 2025
        else:
            for fmt in _TEXT_DATE_FORMATS:
                try:
                    return datetime.strptime(text, fmt).date()
                except ValueError:
                    continue
    if year is None or not 1900 <= year <= 2100:
        return None
    return date(year, *month_day)


def _dates(sheet: Sheet, cells: Sequence[object], label: str, first_row: int, year_ending: bool) -> pa.Array:
    """The snapshot column as dates; one conversion per distinct published value (a handful per file)."""
    month_day = (9, 30) if "30 september" in label.lower() else (3, 31)
    converted: dict[tuple[type, object], date | None] = {}
    out: list[date] = []
    for offset, cell in enumerate(cells):
        key = (type(cell), cell)
        if key not in converted:
            converted[key] = None if cell in (None, "") else _as_date(cell, month_day, year_ending)
        value = converted[key]
        if value is None:
            shown = "a blank cell" if cell in (None, "") else repr(cell)
            expected = "2025, 2024/25, 31/03/2025" if year_ending else "2025, 31/03/2025"
            raise sheet.error(
                f"row {first_row + offset + 1}, column {label!r}: {shown} is not a year or a date "
                f"(expected e.g. {expected}, 2025-03-31 or 31 March 2025)"
            )
        out.append(value)
    return pa.array(out, pa.date32())


def parse_sheet(sheet: Sheet, dataset: str | None = None) -> ParsedTable:
    """The rows of an open data table's data sheet. `dataset` None: told from the header."""
    if dataset is None:
        dataset, header = detect_dataset(sheet)
    else:
        header = find_header(sheet, COLUMNS[dataset])
    date_key = DATE_COLUMN[dataset]
    end = _data_rows(sheet, header.row_index, [header.columns[date_key], header.columns["force_name"]])
    first_row = header.row_index + 1
    if end <= first_row:
        raise sheet.error(f"no data rows under the header (row {header.row_index + 1})")
    columns: dict[str, pa.Array] = {}
    for key in COLUMNS[dataset]:
        cells = column_cells(sheet, header, key, end)
        label = header.labels[header.columns[key]]
        if key in COUNT_COLUMNS[dataset]:
            parsed = parse_numbers(sheet, cells, label, first_row)
            columns[key] = pa.array(parsed.values, pa.float64())
            columns[f"{key}_marker"] = pa.array(parsed.markers, pa.string())
            columns[f"{key}_marker_reason"] = pa.array(parsed.reasons, pa.string())
        elif key == date_key:
            columns[key] = _dates(sheet, cells, label, first_row, year_ending=dataset == JOINERS_LEAVERS)
        else:
            columns[key] = _text_array(cells)
    forces = columns["force_name"]
    if forces.null_count:
        row = first_row + forces.to_pylist().index(None) + 1
        raise sheet.error(f"{forces.null_count} data rows have no force name (first at row {row})")
    _check_force_names(sheet, forces.to_pylist(), first_row)
    columns["source_sheet"] = pa.array([sheet.name] * (end - first_row), pa.string())
    columns["source_row"] = pa.array(range(first_row + 1, end + 1), pa.int64())
    return ParsedTable(dataset, sheet.name, pa.table(columns))


def parse_file(path: Path, dataset: str | None = None) -> ParsedTable:
    """One open data table file (ODS, XLSX or CSV). `dataset` None: from the file name, else the header."""
    return parse_sheet(data_sheet(path), dataset or dataset_of(path.name))


# --- the dlt source --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileToLoad:
    """One parsed file and where it came from; the plan has decided it replaces its release's rows."""

    path: Path
    source_file: str
    source_location: str
    release_title: str | None
    release_date: date
    sha256: str
    parsed: ParsedTable

    @property
    def dataset(self) -> str:
        return self.parsed.dataset


def arrow_schema(dataset: str) -> pa.Schema:
    """The Arrow schema of a data table, NOT NULLs included, as TABLE_COLUMNS declares it."""
    return declared_arrow_schema(TABLE_COLUMNS[dataset])


def with_provenance(file: FileToLoad, loaded_at: datetime) -> pa.Table:
    table = file.parsed.table
    rows = table.num_rows
    for name, array in (
        ("source_file", pa.array([file.source_file] * rows, pa.string())),
        ("file_sha256", pa.array([file.sha256] * rows, pa.string())),
        ("release_date", pa.array([file.release_date] * rows, pa.date32())),
        ("release_title", pa.array([file.release_title] * rows, pa.string())),
        ("source_location", pa.array([file.source_location] * rows, pa.string())),
        ("loaded_at", pa.array([loaded_at] * rows, pa.timestamp("us", tz="UTC"))),
    ):
        table = table.append_column(name, array)
    # in the declared order, with the declared NOT NULLs: dlt has no hints to reconcile (and no warning)
    schema = arrow_schema(file.dataset)
    return table.select(schema.names).cast(schema)


def published_file_row(file: FileToLoad, loaded_at: datetime) -> dict[str, Any]:
    first, last = file.parsed.snapshots
    return {
        "dataset": file.dataset,
        "source_file": file.source_file,
        "source_sheet": file.parsed.sheet,
        "release_date": file.release_date,
        "release_title": file.release_title,
        "source_location": file.source_location,
        "file_sha256": file.sha256,
        "file_size": file.path.stat().st_size,
        "row_count": file.parsed.table.num_rows,
        "first_snapshot": first,
        "last_snapshot": last,
        "loaded_at": loaded_at,
    }


@dlt.source(name="home_office_workforce", max_table_nesting=0)
def home_office_workforce(files: Sequence[FileToLoad], loaded_at: datetime) -> DltResource:
    """The parsed files (already planned: at most one per dataset x release date)."""

    def tables() -> Iterator[Any]:
        # Create every table even when this run has no rows for it, so downstream models always resolve.
        for dataset in DATA_TABLES:
            yield dlt.mark.with_table_name(empty_table(TABLE_COLUMNS[dataset]), dataset)
        yield dlt.mark.with_table_name(materialize_schema_item(), FILES_TABLE)
        for file in files:
            yield dlt.mark.with_table_name(with_provenance(file, loaded_at), file.dataset)
            yield dlt.mark.with_table_name(published_file_row(file, loaded_at), FILES_TABLE)

    resource = dlt.resource(tables, name="home_office_workforce_tables")
    for dataset in DATA_TABLES:
        resource.apply_hints(
            table_name=dataset,
            write_disposition={"disposition": "merge", "strategy": "delete-insert"},
            merge_key=["release_date"],
            columns=TABLE_COLUMNS[dataset],
            create_table_variant=True,
        )
    resource.apply_hints(
        table_name=FILES_TABLE,
        write_disposition={"disposition": "merge", "strategy": "delete-insert"},
        primary_key=["dataset", "release_date"],
        columns=FILES_COLUMNS,
        create_table_variant=True,
    )
    return resource


__all__ = [
    "DATA_TABLES", "FILES_TABLE", "FileToLoad", "ParsedTable", "dataset_of", "home_office_workforce", "parse_file",
    "parse_sheet", "require_release_date",
]
