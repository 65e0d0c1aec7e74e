"""dlt source for the data.police.uk monthly archive: street crime and ASB, outcomes, stop and search.

Tables in schema `raw_police_uk`:
- `street`, `outcomes`, `stop_and_search`: the CSV rows as published (snake_case columns, text kept
  as text, coordinates as doubles) plus provenance: file_month, force_slug, source_file, source_line,
  file_sha256, archive_release, loaded_at. Written with merge (delete-insert) on (file_month,
  force_slug): loading a force-month again replaces that force-month as a whole.
- `published_files`: one row per dataset x force x month that an archive covers: `loaded` with its
  row count and checksum, or `missing` when the archive has no file for it. Merged on its key.

The source is fed a plan made in `extract.police_uk.pipeline` (which files to read, which are missing);
it reads each file once, in place, through Arrow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

import dlt
import pyarrow as pa
from dlt.extract import materialize_schema_item
from dlt.extract.resource import DltResource

from extract.police_uk.helpers import (
    COLUMN_NAMES,
    EMPTY_FILE_MARKER,
    FileReader,
    PublishedFile,
    empty_file_marker,
    parse_csv,
    sha256_of,
    with_provenance,
)
from extract.warehouse import empty_table

DATA_TABLES = ("street", "outcomes", "stop_and_search")
FILES_TABLE = "published_files"
# Rows of one table gathered before they are handed to dlt as one Arrow table.
BATCH_ROWS = 250_000

PROVENANCE_COLUMNS: dict[str, dict[str, Any]] = {
    "file_month": {"data_type": "text", "nullable": False},
    "force_slug": {"data_type": "text", "nullable": False},
    "source_file": {"data_type": "text", "nullable": False},
    "source_line": {"data_type": "bigint", "nullable": False},
    "file_sha256": {"data_type": "text", "nullable": False},
    "archive_release": {"data_type": "text", "nullable": True},
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
}


def data_columns(dataset: str) -> dict[str, dict[str, Any]]:
    columns: dict[str, dict[str, Any]] = {
        name: {"data_type": "double" if name in ("longitude", "latitude") else "text", "nullable": True}
        for name in COLUMN_NAMES[dataset]
    }
    # Never stored: marks the stand-in row of an empty republished file (see empty_file_marker).
    marker = {EMPTY_FILE_MARKER: {"data_type": "bool", "nullable": True, "hard_delete": True}}
    return columns | PROVENANCE_COLUMNS | marker


@dlt.source(name="police_uk_archive", max_table_nesting=0)
def police_uk_archive(
    files: Sequence[PublishedFile],
    missing: Sequence[dict[str, Any]],
    loaded_sha256: dict[tuple[str, str, str], str],
    loaded_at: datetime,
    on_file: Callable[[PublishedFile, str, int], None] | None = None,
) -> DltResource:
    """The archive files in `files`, skipping any whose checksum equals the one already loaded.

    Args:
        files: force-month files to read (one per dataset x force x month).
        missing: `published_files` records for force-months an archive covers but has no file for.
        loaded_sha256: checksum of each (dataset, force, month) already in the warehouse.
        loaded_at: one timestamp for the whole run.
        on_file: called with (file, outcome, rows) after each file: outcome is `loaded` or `unchanged`.
    """

    def archive_files() -> Iterator[Any]:
        # Create every table even when this run has no rows for it, so downstream models always resolve.
        for dataset in DATA_TABLES:
            yield dlt.mark.with_table_name(empty_table(data_columns(dataset)), dataset)
        yield dlt.mark.with_table_name(materialize_schema_item(), FILES_TABLE)  # its rows are dicts
        pending: dict[str, list[pa.Table]] = {dataset: [] for dataset in DATA_TABLES}
        pending_rows = dict.fromkeys(DATA_TABLES, 0)
        with FileReader() as reader:
            for file in files:
                data = reader.read(file)
                sha256 = sha256_of(data)
                if loaded_sha256.get(file.key) == sha256:
                    # The same bytes are already loaded: a repeated load changes nothing, not even loaded_at.
                    if on_file:
                        on_file(file, "unchanged", 0)
                    continue
                table = with_provenance(parse_csv(data, file.dataset, file.label), file, sha256, loaded_at)
                if not table.num_rows:
                    yield dlt.mark.with_table_name(empty_file_marker(file, sha256, loaded_at), file.dataset)
                pending[file.dataset].append(table)
                pending_rows[file.dataset] += table.num_rows
                # Hand dlt a few large Arrow tables rather than one per file: far less per-item overhead.
                if pending_rows[file.dataset] >= BATCH_ROWS:
                    yield dlt.mark.with_table_name(pa.concat_tables(pending[file.dataset]), file.dataset)
                    pending[file.dataset], pending_rows[file.dataset] = [], 0
                yield dlt.mark.with_table_name(
                    {
                        "dataset": file.dataset,
                        "force_slug": file.force_slug,
                        "file_month": file.month,
                        "status": "loaded",
                        "row_count": table.num_rows,
                        "file_sha256": sha256,
                        "source_file": file.entry,
                        "source_location": file.source_location,
                        "archive_release": file.release,
                        "recorded_at": loaded_at,
                    },
                    FILES_TABLE,
                )
                if on_file:
                    on_file(file, "loaded", table.num_rows)
        for dataset, tables in pending.items():
            if pending_rows[dataset]:
                yield dlt.mark.with_table_name(pa.concat_tables(tables), dataset)
        for record in missing:
            yield dlt.mark.with_table_name(record, FILES_TABLE)

    resource = dlt.resource(archive_files, name="police_uk_archive_files")
    for dataset in DATA_TABLES:
        resource.apply_hints(
            table_name=dataset,
            write_disposition={"disposition": "merge", "strategy": "delete-insert"},
            merge_key=["file_month", "force_slug"],
            columns=data_columns(dataset),
            create_table_variant=True,
        )
    resource.apply_hints(
        table_name=FILES_TABLE,
        write_disposition={"disposition": "merge", "strategy": "delete-insert"},
        primary_key=["dataset", "force_slug", "file_month"],
        columns=FILES_COLUMNS,
        create_table_variant=True,
    )
    return resource


__all__ = ["DATA_TABLES", "FILES_TABLE", "police_uk_archive"]
