"""dlt source for the data.police.uk monthly archive: street crime and ASB, outcomes, stop and search.

Tables in schema `raw_police_uk`:
- `street`, `outcomes`, `stop_and_search`: the CSV rows as published (snake_case columns, text kept
  as text, coordinates as doubles) plus provenance: file_month, force_slug, source_line, loaded_at.
  Appended, then pruned (`prune_superseded_rows`): a force-month's rows are current while their
  `loaded_at` equals its `published_files.recorded_at`, which also gives their file, checksum and release.
  A run killed mid-load is finished by the next one, which also removes the second copies of rows that
  dlt inserts again when the kill came between DuckDB's commit and dlt's record of it.
- `published_files`: one row per dataset x force x month that an archive covers: `loaded` with its
  row count and checksums, or `missing` when the archive has no file for it. Merged on its key.

Speed at national scale (about 27 million rows a quarter) comes from keeping rows out of Python and
out of dlt's normaliser: `stage_files` parses the CSVs with Arrow in worker threads and writes one
Parquet file per table, which the source hands to dlt as files in their final form
(`dlt.mark.with_file_import`); dlt then loads each with a single DuckDB `INSERT ... read_parquet`.
Appending and pruning replaces dlt's merge, which would write every row twice (staging, then final).
"""

from __future__ import annotations

import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

import dlt
import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from dlt.extract.resource import DltResource

from extract.police_uk.helpers import (
    COLUMN_NAMES,
    FileReader,
    PublishedFile,
    parse_csv,
    sha256_of,
    with_provenance,
)
from extract.warehouse import arrow_schema, empty_table

DATA_TABLES = ("street", "outcomes", "stop_and_search")
FILES_TABLE = "published_files"
# Files read and parsed at once (one per core here) and how many may wait, parsed, to be written.
READ_WORKERS = 2
READ_AHEAD = 8

PROVENANCE_COLUMNS: dict[str, dict[str, Any]] = {
    "file_month": {"data_type": "text", "nullable": False},
    "force_slug": {"data_type": "text", "nullable": False},
    "source_line": {"data_type": "bigint", "nullable": False},
    "loaded_at": {"data_type": "timestamp", "nullable": False},
}

FILES_COLUMNS: dict[str, dict[str, Any]] = {
    "dataset": {"data_type": "text", "nullable": False},
    "force_slug": {"data_type": "text", "nullable": False},
    "file_month": {"data_type": "text", "nullable": False},
    "status": {"data_type": "text", "nullable": False},
    "row_count": {"data_type": "bigint", "nullable": True},
    "file_sha256": {"data_type": "text", "nullable": True},
    "source_file": {"data_type": "text", "nullable": True},
    "source_location": {"data_type": "text", "nullable": False},
    "archive_release": {"data_type": "text", "nullable": True},
    "recorded_at": {"data_type": "timestamp", "nullable": False},
    "file_crc32": {"data_type": "bigint", "nullable": True},
    "file_size": {"data_type": "bigint", "nullable": True},
}


def data_columns(dataset: str) -> dict[str, dict[str, Any]]:
    columns: dict[str, dict[str, Any]] = {
        name: {"data_type": "double" if name in ("longitude", "latitude") else "text", "nullable": True}
        for name in COLUMN_NAMES[dataset]
    }
    return columns | PROVENANCE_COLUMNS


class LoadedFile(NamedTuple):
    """What the warehouse holds for one (dataset, force, month): the checksums of the loaded file."""

    sha256: str
    crc32: int | None
    size: int | None


@dataclass
class StagedLoad:
    """The output of `stage_files`: a Parquet file per table and a `published_files` record per file."""

    parquet: dict[str, tuple[Path, int]] = field(default_factory=dict)  # dataset -> (path, rows)
    records: list[dict[str, Any]] = field(default_factory=list)


class _Read(NamedTuple):
    file: PublishedFile
    sha256: str
    table: pa.Table | None  # None: the bytes are already loaded


def _ordered_parallel(fn: Callable[[PublishedFile], _Read], items: Iterable[PublishedFile]) -> Iterator[_Read]:
    """fn over items in worker threads, results in input order, at most READ_AHEAD waiting (bounded memory).

    Threads pay off because zlib, hashlib and Arrow's CSV reader all release the GIL."""
    with ThreadPoolExecutor(max_workers=READ_WORKERS, thread_name_prefix="police_uk_read") as pool:
        pending: deque[Future[_Read]] = deque()
        source = iter(items)
        for item in source:
            pending.append(pool.submit(fn, item))
            if len(pending) >= READ_AHEAD:
                break
        while pending:
            result = pending.popleft().result()
            item = next(source, None)
            if item is not None:
                pending.append(pool.submit(fn, item))
            yield result


def stage_files(
    files: Sequence[PublishedFile],
    loaded: dict[tuple[str, str, str], LoadedFile],
    loaded_at: datetime,
    out_dir: Path,
    on_file: Callable[[PublishedFile, str, int], None] | None = None,
) -> StagedLoad:
    """Read, check and parse `files`, writing the rows of each table to one Parquet file in `out_dir`.

    A file is skipped unread when the ZIP directory's CRC-32 and size equal those of the loaded file,
    and skipped after reading when its sha256 does (a repeated load changes nothing, not even loaded_at).
    `on_file` is called with (file, outcome, rows) after each file: outcome is `loaded` or `unchanged`.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    readers: list[FileReader] = []
    local = threading.local()

    def read(file: PublishedFile) -> _Read:
        known = loaded.get(file.key)
        if known and file.crc32 is not None and (known.crc32, known.size) == (file.crc32, file.size):
            return _Read(file, known.sha256, None)
        reader = getattr(local, "reader", None)
        if reader is None:
            reader = local.reader = FileReader()
            readers.append(reader)
        data = reader.read(file)
        sha256 = sha256_of(data)
        if known and known.sha256 == sha256:
            return _Read(file, sha256, None)
        return _Read(file, sha256, with_provenance(parse_csv(data, file.dataset, file.label), file, loaded_at))

    staged = StagedLoad()
    writers: dict[str, pq.ParquetWriter] = {}
    rows = dict.fromkeys(DATA_TABLES, 0)
    try:
        for file, sha256, table in _ordered_parallel(read, files):
            if table is None:
                if on_file:
                    on_file(file, "unchanged", 0)
                continue
            dataset = file.dataset
            if dataset not in writers:
                schema = arrow_schema(data_columns(dataset))
                # Crime IDs are unique 64-hex strings: a dictionary would only cost time.
                dictionary = [name for name in schema.names if name != "crime_id"]
                # Read once, straight into DuckDB: no statistics are needed.
                writers[dataset] = pq.ParquetWriter(out_dir / f"{dataset}.parquet", schema,
                                                    compression="snappy", use_dictionary=dictionary,
                                                    write_statistics=False)
            writers[dataset].write_table(table.cast(writers[dataset].schema))
            rows[dataset] += table.num_rows
            staged.records.append({
                "dataset": dataset,
                "force_slug": file.force_slug,
                "file_month": file.month,
                "status": "loaded",
                "row_count": table.num_rows,
                "file_sha256": sha256,
                "source_file": file.entry,
                "source_location": file.source_location,
                "archive_release": file.release,
                "recorded_at": loaded_at,
                "file_crc32": file.crc32,
                "file_size": file.size,
            })
            if on_file:
                on_file(file, "loaded", table.num_rows)
    finally:
        for writer in writers.values():
            writer.close()
        for reader in readers:
            reader.close()
    staged.parquet = {dataset: (out_dir / f"{dataset}.parquet", rows[dataset]) for dataset in writers}
    return staged


@dlt.source(name="police_uk_archive", max_table_nesting=0)
def police_uk_archive(staged: StagedLoad, missing: Sequence[dict[str, Any]]) -> list[DltResource]:
    """The staged Parquet files of `stage_files` and the `published_files` records.

    Args:
        staged: Parquet file per table (absent when no file of that table changed) and records.
        missing: `published_files` records for force-months an archive covers but has no file for.
    """

    def data_resource(dataset: str) -> DltResource:
        def rows() -> Iterator[Any]:
            if dataset in staged.parquet:
                path, count = staged.parquet[dataset]
                yield dlt.mark.with_file_import(str(path), "parquet", count)
            else:
                # Create the table even when this run has no rows for it, so downstream models always resolve.
                yield empty_table(data_columns(dataset))

        return dlt.resource(
            rows, name=dataset, write_disposition="append", columns=data_columns(dataset),
        )

    def published_files() -> Iterator[dict[str, Any]]:
        yield from staged.records
        yield from missing

    files_resource = dlt.resource(
        published_files, name=FILES_TABLE,
        write_disposition={"disposition": "merge", "strategy": "delete-insert"},
        primary_key=["dataset", "force_slug", "file_month"], columns=FILES_COLUMNS,
    )
    return [*(data_resource(dataset) for dataset in DATA_TABLES), files_resource]


def current_rows_condition(alias: str, files: str, dataset: str) -> str:
    """SQL: the row `alias` belongs to the loaded file its force-month has now (see `prune_superseded_rows`)."""
    return (
        f"{files}.dataset = '{dataset}' and {files}.status = 'loaded' "
        f"and {files}.force_slug = {alias}.force_slug and {files}.file_month = {alias}.file_month "
        f"and {files}.recorded_at = {alias}.loaded_at"
    )


def prune_superseded_rows(warehouse: Path, dataset_name: str, recorded_at: datetime | None = None) -> dict[str, int]:
    """Delete rows of force-months that a later load replaced; rows deleted per table.

    A row is current while its loaded_at equals the recorded_at of its force-month's `loaded` record.
    Loading appends and this deletes afterwards, so a run stopped in between leaves superseded rows
    that the staging models already ignore (they apply the same condition) and a later run deletes.

    `recorded_at`: the load just made. Only the months it recorded can hold superseded rows, so only
    they are searched (a new month's load reads none of the years already loaded); a table whose row
    count then still differs from the row counts its current records promise holds rows left by an
    earlier stopped run, and is searched whole, for superseded rows and then for rows inserted twice.
    """
    deleted: dict[str, int] = {}
    with duckdb.connect(str(warehouse)) as con:
        for dataset in DATA_TABLES:
            table, files = f"{dataset_name}.{dataset}", f"{dataset_name}.{FILES_TABLE}"
            current = current_rows_condition("data_rows", files, dataset)
            superseded = f"not exists (select 1 from {files} where {current})"
            count = 0
            if recorded_at is not None:
                # file_month as literals, so DuckDB skips row groups by their min/max instead of reading them
                months = [m for (m,) in con.execute(
                    f"select distinct file_month from {files} where dataset = ? and recorded_at = ? order by 1",
                    [dataset, recorded_at]).fetchall()]
                if months:
                    (count,) = con.execute(
                        f"delete from {table} as data_rows where file_month in ({', '.join('?' * len(months))}) "
                        f"and {superseded}", months).fetchone()
                (held,) = con.execute(f"select count(*) from {table}").fetchone()
                (promised,) = con.execute(
                    f"select coalesce(sum(row_count), 0) from {files} where dataset = ? and status = 'loaded'",
                    [dataset]).fetchone()
                if held == promised:
                    deleted[dataset] = count
                    continue
            (rest,) = con.execute(f"delete from {table} as data_rows where {superseded}").fetchone()
            deleted[dataset] = count + rest + delete_repeated_rows(con, table, files, dataset)
    return deleted


def delete_repeated_rows(con: duckdb.DuckDBPyConnection, table: str, files: str, dataset: str) -> int:
    """Delete second copies of current rows (same force-month, load and source line); rows deleted.

    dlt appends at least once: a process killed after DuckDB committed a file's rows but before dlt
    recorded the job as done leaves the package pending, and the next run inserts those rows again.
    Only force-months holding more rows than their record promises are searched.
    """
    months = [m for (m,) in con.execute(
        f"""select distinct data_rows.file_month
        from (select force_slug, file_month, count(*) as held from {table} group by all) as data_rows
        join {files} on {files}.dataset = ? and {files}.status = 'loaded'
            and {files}.force_slug = data_rows.force_slug and {files}.file_month = data_rows.file_month
        where data_rows.held > {files}.row_count order by 1""", [dataset]).fetchall()]
    if not months:
        return 0
    (count,) = con.execute(
        f"""delete from {table} where rowid in (
            select rowid from {table} where file_month in ({', '.join('?' * len(months))})
            qualify row_number() over (partition by force_slug, file_month, loaded_at, source_line order by rowid) > 1
        )""", months).fetchone()
    print(f"[police_uk] {table}: {count:,} rows that an interrupted earlier load inserted twice removed",
          file=sys.stderr)
    return count


__all__ = ["DATA_TABLES", "FILES_TABLE", "LoadedFile", "StagedLoad", "police_uk_archive",
           "prune_superseded_rows", "stage_files"]
