"""dlt source for the ONS "Crime in England and Wales: Police Force Area data tables".

Tables in schema `raw_ons`:
- `pfa_table_values`: one row per published value cell of every force/area table (counts by offence
  group, percentage change, rates, population and households, knife or sharp instrument offences,
  community safety partnership counts), as parsed by `extract.ons.pfa_tables` (see SCHEMA there), plus
  provenance: file_sha256, source_location, release_date, loaded_at. Merged (delete-insert) on
  (edition_label, table_id): loading an edition's table again replaces it whole, so a re-publication
  replaces the old figures and loading the same file twice changes nothing.
- `published_files`: one row per file loaded: source_file, source_location, file_sha256, edition_label,
  release_date, tables, row_count, loaded_at. Merged on (edition_label, source_file).

The source is fed files that `extract.ons.pipeline` has already parsed (a malformed file fails the run
before anything is written).
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

from extract.ons.pfa_tables import SCHEMA
from extract.warehouse import empty_table

VALUES_TABLE = "pfa_table_values"
FILES_TABLE = "published_files"

_ARROW_TO_DLT = {pa.string(): "text", pa.date32(): "date", pa.float64(): "double", pa.int64(): "bigint"}
# Columns that are always present in a parsed row (the rest are nullable by design).
_REQUIRED = {
    "table_id", "table_title", "edition_label", "period_start", "period_end", "area_name", "area_name_published",
    "area_type", "column_label", "measure", "unit", "value_period_end", "source_row", "source_column",
    "source_file",
}
VALUE_COLUMNS: dict[str, dict[str, Any]] = {
    field.name: {"data_type": _ARROW_TO_DLT[field.type], "nullable": field.name not in _REQUIRED}
    for field in SCHEMA
} | {
    "file_sha256": {"data_type": "text", "nullable": False},
    "source_location": {"data_type": "text", "nullable": False},
    "release_date": {"data_type": "date", "nullable": True},
    "loaded_at": {"data_type": "timestamp", "nullable": False},
}
FILES_COLUMNS: dict[str, dict[str, Any]] = {
    "source_file": {"data_type": "text", "nullable": False},
    "source_location": {"data_type": "text", "nullable": False},
    "file_sha256": {"data_type": "text", "nullable": False},
    "edition_label": {"data_type": "text", "nullable": False},
    "release_date": {"data_type": "date", "nullable": True},
    "tables": {"data_type": "text", "nullable": False},  # table ids found, e.g. 'P1,P2,P3'
    "row_count": {"data_type": "bigint", "nullable": False},
    "loaded_at": {"data_type": "timestamp", "nullable": False},
}


def _table_order(table_id: str) -> tuple[str, int, str]:
    match = re.match(r"([A-Z]+)(\d+)(.*)", table_id)
    return (match[1], int(match[2]), match[3]) if match else (table_id, 0, "")


@dataclass(frozen=True)
class ParsedFile:
    """A published file, parsed, with where it came from."""

    path: Path
    source_location: str
    sha256: str
    release_date: date | None
    table: pa.Table  # rows in extract.ons.pfa_tables.SCHEMA

    @property
    def edition_label(self) -> str:
        return self.table["edition_label"][0].as_py()

    @property
    def table_ids(self) -> list[str]:
        return sorted(set(self.table["table_id"].to_pylist()), key=_table_order)


def with_provenance(file: ParsedFile, loaded_at: datetime) -> pa.Table:
    rows = file.table.num_rows
    table = file.table
    for name, array in (
        ("file_sha256", pa.array([file.sha256] * rows, pa.string())),
        ("source_location", pa.array([file.source_location] * rows, pa.string())),
        ("release_date", pa.array([file.release_date] * rows, pa.date32())),
        ("loaded_at", pa.array([loaded_at] * rows, pa.timestamp("us", tz="UTC"))),
    ):
        table = table.append_column(name, array)
    # Arrow nullability as declared in VALUE_COLUMNS, so dlt's schema and the data agree.
    schema = pa.schema([f.with_nullable(VALUE_COLUMNS[f.name]["nullable"]) for f in table.schema])
    return table.cast(schema)


@dlt.source(name="ons_pfa_tables", max_table_nesting=0)
def ons_pfa_tables(files: Sequence[ParsedFile], loaded_at: datetime) -> Any:
    """The parsed files (already planned: only files whose bytes are not loaded yet).

    Args:
        files: parsed files, each one edition; two files of the same edition and table: the later wins.
        loaded_at: one timestamp for the whole run.
    """

    # Within one run a table of an edition is taken from the last file that has it, so that the
    # delete-insert never receives the same (edition, table) twice.
    owner: dict[tuple[str, str], int] = {}
    for index, file in enumerate(files):
        for table_id in file.table_ids:
            owner[(file.edition_label, table_id)] = index

    @dlt.resource(
        name=VALUES_TABLE,
        write_disposition={"disposition": "merge", "strategy": "delete-insert"},
        merge_key=["edition_label", "table_id"],
        columns=VALUE_COLUMNS,
    )
    def pfa_table_values() -> Iterator[Any]:
        yield empty_table(VALUE_COLUMNS)  # the table exists even when a run has nothing to load
        for index, file in enumerate(files):
            table = with_provenance(file, loaded_at)
            keep = [t for t in file.table_ids if owner[(file.edition_label, t)] == index]
            if len(keep) < len(file.table_ids):
                table = table.filter(pc.is_in(table["table_id"], pa.array(keep, pa.string())))
            if table.num_rows:
                yield table

    @dlt.resource(
        name=FILES_TABLE,
        write_disposition={"disposition": "merge", "strategy": "delete-insert"},
        primary_key=["edition_label", "source_file"],
        columns=FILES_COLUMNS,
    )
    def published_files() -> Iterator[Any]:
        yield materialize_schema_item()
        for file in files:
            yield {
                "source_file": file.path.name,
                "source_location": file.source_location,
                "file_sha256": file.sha256,
                "edition_label": file.edition_label,
                "release_date": file.release_date,
                "tables": ",".join(file.table_ids),
                "row_count": file.table.num_rows,
                "loaded_at": loaded_at,
            }

    return pfa_table_values, published_files


__all__ = ["FILES_TABLE", "VALUES_TABLE", "ParsedFile", "ons_pfa_tables", "with_provenance"]
