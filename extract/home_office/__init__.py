"""dlt source for the Home Office police recorded crime (PRC) and crime outcomes open data tables.

Tables in schema `raw_home_office`:
- `prc_force_area`: one row per financial year x quarter x force x offence code, as published
  (`Number of Offences` -> offence_count, with offence_count_marker / _marker_reason for `..`, `N/A`...).
- `crime_outcomes`: one row per financial year x quarter x force x offence code x outcome type, with both
  count bases: outcomes_recorded_in_quarter (offences recorded in the quarter, by their outcome so far)
  and outcomes_closed_in_quarter (investigations closed in the quarter), each with marker columns.
- `published_files`: one row per dataset x financial year: the file, release date and checksum loaded.

Both data tables are merged (delete-insert) on financial_year: a newer release replaces a financial
year as a whole, and loading the same file again changes nothing. Every row carries source_file,
source_sheet, source_row, file_sha256, release_date, source_location and loaded_at.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import dlt
import pyarrow as pa
from dlt.extract import materialize_schema_item
from dlt.extract.resource import DltResource

from extract.home_office.parse import ParsedSheet
from extract.home_office.settings import OUTCOMES, PRC
from extract.warehouse import empty_table

FILES_TABLE = "published_files"
DATA_TABLES = (PRC, OUTCOMES)


def _text(nullable: bool = True) -> dict[str, Any]:
    return {"data_type": "text", "nullable": nullable}


def _count_columns(name: str) -> dict[str, dict[str, Any]]:
    return {
        name: {"data_type": "bigint", "nullable": True},
        f"{name}_marker": _text(),
        f"{name}_marker_reason": _text(),
    }


PROVENANCE_COLUMNS: dict[str, dict[str, Any]] = {
    "source_file": _text(False),
    "source_sheet": _text(False),
    "source_row": {"data_type": "bigint", "nullable": False},
    "file_sha256": _text(False),
    "release_date": {"data_type": "date", "nullable": True},
    "source_location": _text(False),
    "loaded_at": {"data_type": "timestamp", "nullable": False},
}
OFFENCE_COLUMNS: dict[str, dict[str, Any]] = {
    "financial_year": _text(False),
    "financial_quarter": {"data_type": "bigint", "nullable": False},
    "force_name": _text(False),
    "offence_code": _text(False),
    "offence_description": _text(),
    "offence_group": _text(),
    "offence_subgroup": _text(),
}
TABLE_COLUMNS: dict[str, dict[str, dict[str, Any]]] = {
    PRC: OFFENCE_COLUMNS | _count_columns("offence_count") | PROVENANCE_COLUMNS,
    OUTCOMES: OFFENCE_COLUMNS
    | {
        "offence_code_expired": {"data_type": "bool", "nullable": True},
        "outcome_type": _text(False),
        "outcome_description": _text(),
        "outcome_group": _text(),
    }
    | _count_columns("outcomes_recorded_in_quarter")
    | _count_columns("outcomes_closed_in_quarter")
    | PROVENANCE_COLUMNS,
}
FILES_COLUMNS: dict[str, dict[str, Any]] = {
    "dataset": _text(False),
    "financial_year": _text(False),
    "source_file": _text(False),
    "source_sheet": _text(False),
    "source_location": _text(False),
    "title": _text(),
    "release_date": {"data_type": "date", "nullable": True},
    "file_sha256": _text(False),
    "file_size": {"data_type": "bigint", "nullable": False},
    "row_count": {"data_type": "bigint", "nullable": False},
    "loaded_at": {"data_type": "timestamp", "nullable": False},
}


@dataclass(frozen=True)
class WorkbookToLoad:
    """One downloaded workbook and what the plan decided to load from it."""

    path: Any  # pathlib.Path
    dataset: str
    source_location: str
    title: str | None
    release_date: date | None
    sha256: str
    sheets: Sequence[ParsedSheet]


def _with_provenance(sheet: ParsedSheet, book: WorkbookToLoad, loaded_at: datetime) -> pa.Table:
    table = sheet.table
    rows = table.num_rows
    extra = {
        "source_file": pa.array([book.path.name] * rows, pa.string()),
        "file_sha256": pa.array([book.sha256] * rows, pa.string()),
        "release_date": pa.array([book.release_date] * rows, pa.date32()),
        "source_location": pa.array([book.source_location] * rows, pa.string()),
        "loaded_at": pa.array([loaded_at] * rows, pa.timestamp("us", tz="UTC")),
    }
    for name, column in extra.items():
        table = table.append_column(name, column)
    # carry the declared NOT NULLs in the Arrow schema, so dlt has no hints to reconcile (and no warning)
    declared = TABLE_COLUMNS[book.dataset]
    return table.cast(pa.schema([
        field.with_nullable(declared.get(field.name, {}).get("nullable", True)) for field in table.schema
    ]))


@dlt.source(name="home_office", max_table_nesting=0)
def home_office(workbooks: Sequence[WorkbookToLoad], loaded_at: datetime) -> DltResource:
    """The parsed sheets of `workbooks` (already planned: only what should replace the warehouse's data)."""

    def tables() -> Iterator[Any]:
        # Create every table even when this run has no rows for it, so downstream models always resolve.
        for dataset in DATA_TABLES:
            yield dlt.mark.with_table_name(empty_table(TABLE_COLUMNS[dataset]), dataset)
        yield dlt.mark.with_table_name(materialize_schema_item(), FILES_TABLE)
        for book in workbooks:
            for sheet in book.sheets:
                yield dlt.mark.with_table_name(_with_provenance(sheet, book, loaded_at), book.dataset)
                yield dlt.mark.with_table_name(
                    {
                        "dataset": book.dataset,
                        "financial_year": sheet.financial_year,
                        "source_file": book.path.name,
                        "source_sheet": sheet.sheet,
                        "source_location": book.source_location,
                        "title": book.title,
                        "release_date": book.release_date,
                        "file_sha256": book.sha256,
                        "file_size": book.path.stat().st_size,
                        "row_count": sheet.table.num_rows,
                        "loaded_at": loaded_at,
                    },
                    FILES_TABLE,
                )

    resource = dlt.resource(tables, name="home_office_tables")
    for dataset in DATA_TABLES:
        resource.apply_hints(
            table_name=dataset,
            write_disposition={"disposition": "merge", "strategy": "delete-insert"},
            merge_key=["financial_year"],
            columns=TABLE_COLUMNS[dataset],
            create_table_variant=True,
        )
    resource.apply_hints(
        table_name=FILES_TABLE,
        write_disposition={"disposition": "merge", "strategy": "delete-insert"},
        primary_key=["dataset", "financial_year"],
        columns=FILES_COLUMNS,
        create_table_variant=True,
    )
    return resource


__all__ = ["DATA_TABLES", "FILES_TABLE", "WorkbookToLoad", "home_office"]
