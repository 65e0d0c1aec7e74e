"""The DuckDB warehouse file as the loaders see it: one dlt pipeline per source, read-only look-ups."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

from extract.config import Settings

if TYPE_CHECKING:
    import dlt

_ARROW_TYPES = {
    "text": pa.string(), "bigint": pa.int64(), "double": pa.float64(), "bool": pa.bool_(), "date": pa.date32(),
    "timestamp": pa.timestamp("us", tz="UTC"),
}


def arrow_schema(columns: dict[str, dict[str, Any]]) -> pa.Schema:
    """The Arrow schema of a table's declared dlt columns, NOT NULLs included (hard-delete markers left out)."""
    return pa.schema([
        pa.field(name, _ARROW_TYPES[column["data_type"]], nullable=column.get("nullable", True))
        for name, column in columns.items()
        if not column.get("hard_delete")
    ])


def empty_table(columns: dict[str, dict[str, Any]]) -> pa.Table:
    """A table with no rows, to create a raw table before anything is loaded into it.

    Not dlt's materialize_schema_item(): that goes through the JSON normaliser, which adds NOT NULL
    _dlt_load_id/_dlt_id columns that later Arrow loads do not fill, so the first real load would fail.
    """
    return arrow_schema(columns).empty_table()


def make_pipeline(
    settings: Settings, pipeline_name: str, dataset_name: str, duckdb_config: dict[str, Any] | None = None
) -> dlt.Pipeline:
    """The dlt pipeline of one source. A run stopped after extracting left a package behind: it is
    loaded first, so the next plan starts from what the warehouse really holds.

    `duckdb_config`: DuckDB settings for the loading connection (e.g. preserve_insertion_order)."""
    # dlt is imported here, not at the top: `transform` and the gate use this module's read-only
    # helpers and should not pay a second for importing dlt.
    import dlt
    from dlt.destinations.impl.duckdb.configuration import DuckDbCredentials

    settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    credentials = DuckDbCredentials(str(settings.warehouse), global_config=duckdb_config)
    pipeline = dlt.pipeline(
        pipeline_name=pipeline_name,
        destination=dlt.destinations.duckdb(credentials),
        dataset_name=dataset_name,
        pipelines_dir=str(settings.pipelines_dir),
    )
    if pipeline.has_pending_data:
        print(f"[{pipeline_name}] finishing a load interrupted in an earlier run", file=sys.stderr)
        pipeline.normalize()
        pipeline.load()
    return pipeline


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def raw_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(schema, table) of every loaded raw table: dlt's staging schemas and its own _dlt_ tables left out."""
    return con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema like 'raw\\_%' escape '\\' and table_schema not like '%\\_staging' escape '\\' "
        "and table_name not like '\\_dlt\\_%' escape '\\' and table_type = 'BASE TABLE' order by all"
    ).fetchall()


def query_if_exists(warehouse: Path, schema: str, table: str, sql: str) -> list[tuple[Any, ...]]:
    """Run `sql` on a read-only connection if `schema.table` exists; [] on a new warehouse.

    The connection is closed before returning: DuckDB lets one process write, and the loader writes next.
    """
    if not warehouse.is_file():
        return []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        found = con.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchone()
        if not found or not found[0]:
            return []
        return con.execute(sql).fetchall()
