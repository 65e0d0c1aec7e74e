"""Load data.police.uk archives into `raw_police_uk`: find the archives, plan, run the dlt source.

The plan decides, per dataset x force x month, what the warehouse should hold:
- a file whose bytes are already loaded is skipped (a repeated load changes nothing);
- a file from an older archive than the one already loaded is skipped (a newer republication wins);
- otherwise the file replaces that force-month as a whole;
- a force-month that an archive covers but has no file for is recorded as `missing`, never as zero.
"""

from __future__ import annotations

import csv
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from extract.config import PROJECT_ROOT, Settings
from extract.location import SourceError, SourceLocation
from extract.police_uk import (
    FILES_TABLE,
    LoadedFile,
    StagedLoad,
    police_uk_archive,
    prune_superseded_rows,
    stage_files,
)
from extract.police_uk.helpers import (
    ArchiveInventory,
    PublishedFile,
    inventory,
    latest_per_key,
    release_order,
)
from extract.police_uk.settings import ARCHIVE_NAME_RE, ARCHIVE_PATH, DATASETS, HOST, MONTH_RE
from extract.progress import Progress
from extract.warehouse import make_pipeline, query_if_exists

PIPELINE_NAME = "police_uk_archive"
# Row order in the raw tables means nothing (source_line keeps each file's order); letting DuckDB
# insert out of order makes the national load about a fifth faster.
DUCKDB_CONFIG = {"preserve_insertion_order": False}
DATASET_NAME = "raw_police_uk"
FORCES_SEED = PROJECT_ROOT / "seeds" / "police_force_areas.csv"
# Where a mirror directory keeps this publisher's files (extract.cli skips the source when it is absent).
ENTRY_POINT = (HOST, ARCHIVE_PATH)
# How far back to look for the newest archive over HTTP (one HEAD request a month; 404 = not yet published).
LATEST_PROBE_MONTHS = 24


@dataclass
class LoadSummary:
    files_loaded: int = 0
    files_unchanged: int = 0
    files_kept_newer: int = 0
    missing_recorded: int = 0
    rows_loaded: int = 0
    archives: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self, warehouse: Path) -> str:
        return (
            f"police_uk_archive: {self.rows_loaded:,} rows from {self.files_loaded:,} files loaded, "
            f"{self.files_unchanged:,} unchanged, {self.files_kept_newer:,} kept (newer release loaded), "
            f"{self.missing_recorded:,} force-months recorded missing; {len(self.archives)} input(s) "
            f"in {self.seconds:.1f}s -> {warehouse}"
        )


def expected_files() -> list[tuple[str, str]]:
    """(force slug, dataset) pairs an archive month should hold: every dataset of the 43 forces, BTP street."""
    with open(FORCES_SEED, newline="", encoding="utf-8") as fh:
        slugs = [row["police_uk_slug"] for row in csv.DictReader(fh)]
    return [(slug, dataset) for slug in slugs for dataset in DATASETS] + [("btp", "street")]


def month_of(today: datetime) -> str:
    return f"{today.year:04d}-{today.month:02d}"


def previous_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:])
    return f"{year - 1:04d}-12" if mon == 1 else f"{year:04d}-{mon - 1:02d}"


def resolve_archives(
    location: SourceLocation, settings: Settings, selection: Sequence[str] = ("latest",),
    today: datetime | None = None,
) -> list[tuple[Path, str]]:
    """Local paths (and their source URL or path) of the archives to load, oldest first.

    `selection`: `latest` (the newest published archive), `all` (every archive in a mirror directory)
    or explicit months `YYYY-MM`. Over HTTP the newest archive is found by asking month by month, from
    the current month back, until one exists: 404 means that month is not published yet.
    """
    wanted = list(selection) or ["latest"]
    names: list[str] = []
    listing = location.list_files(HOST, ARCHIVE_PATH)
    available = sorted(n for n in listing or [] if ARCHIVE_NAME_RE.match(n))
    for item in wanted:
        if item == "all":
            if listing is None:
                raise SourceError("'all' archives needs a mirror directory; over HTTP name the months")
            names.extend(available)
        elif item == "latest":
            if listing is not None:
                if not available:
                    raise SourceError(f"no YYYY-MM.zip archive under {location.url(HOST, ARCHIVE_PATH)}")
                names.append(available[-1])
            else:
                names.append(_probe_latest(location, today or datetime.now(UTC)))
        elif MONTH_RE.match(item):
            names.append(f"{item}.zip")
        else:
            raise SourceError(f"archive {item!r}: expected 'latest', 'all' or a month such as 2025-12")
    found: list[tuple[Path, str]] = []
    for name in sorted(set(names)):
        path = location.fetch(HOST, f"{ARCHIVE_PATH}/{name}", settings.download_dir)
        if path is None:
            print(f"[police_uk] {location.url(HOST, f'{ARCHIVE_PATH}/{name}')}: not published (yet); skipped",
                  file=sys.stderr)
            continue
        found.append((path, location.url(HOST, f"{ARCHIVE_PATH}/{name}")))
    if not found:
        raise SourceError(f"no archive found for {', '.join(wanted)} at {location.describe()}")
    return found


def _probe_latest(location: SourceLocation, today: datetime) -> str:
    month = month_of(today)
    for _ in range(LATEST_PROBE_MONTHS):
        if location.exists(HOST, f"{ARCHIVE_PATH}/{month}.zip"):
            return f"{month}.zip"
        month = previous_month(month)
    raise SourceError(
        f"no archive published in the {LATEST_PROBE_MONTHS} months to {month_of(today)} at {location.describe()}"
    )


@dataclass
class LoadPlan:
    files: list[PublishedFile]
    missing: list[dict[str, object]]
    loaded: dict[tuple[str, str, str], LoadedFile]
    kept_newer: list[PublishedFile]


_STATE_SQL = f"""
select dataset, force_slug, file_month, status, file_sha256, archive_release, file_crc32, file_size
from {DATASET_NAME}.{FILES_TABLE}
"""


def check_layout(warehouse: Path) -> None:
    """Refuse a warehouse whose raw rows still carry the per-file columns (loaded before they moved to
    `published_files`): dlt would keep those NOT NULL columns and every new load would fail."""
    # the table's own columns (information_schema.columns lists every column of the warehouse: 0.3 s)
    columns = query_if_exists(warehouse, DATASET_NAME, "street",
                              f"select column_name from (describe {DATASET_NAME}.street)")
    if ("file_sha256",) in columns:
        raise SourceError(
            f"{warehouse}: raw_police_uk was loaded with an older table layout (file_sha256 on every row). "
            "Remove the warehouse (make clean) and load again."
        )


def make_plan(inventories: Sequence[ArchiveInventory], warehouse: Path, recorded_at: datetime) -> LoadPlan:
    state = {
        (dataset, slug, month): (status, sha256, release, crc32, size)
        for dataset, slug, month, status, sha256, release, crc32, size in query_if_exists(
            warehouse, DATASET_NAME, FILES_TABLE, _STATE_SQL,
        )
    }
    candidates = latest_per_key(f for inv in inventories for f in inv.files)
    files, kept_newer = [], []
    for file in candidates:
        status, _, loaded_release, _, _ = state.get(file.key, (None,) * 5)
        if (status == "loaded" and file.release is not None and loaded_release is not None
                and release_order(file.release) < release_order(loaded_release)):
            kept_newer.append(file)
        else:
            files.append(file)
    present = {f.key for f in candidates}
    missing: dict[tuple[str, str, str], dict[str, object]] = {}
    for inv in sorted(inventories, key=lambda i: release_order(i.release)):
        for month in sorted(inv.months):
            for slug, dataset in expected_files():
                key = (dataset, slug, month)
                # Never overwrite loaded data with "missing", and record each gap once.
                if key in present or key in state:
                    continue
                missing[key] = {
                    "dataset": dataset, "force_slug": slug, "file_month": month, "status": "missing",
                    "row_count": None, "file_sha256": None, "source_file": None,
                    "source_location": inv.files[0].source_location if inv.files else "",
                    "archive_release": inv.release, "recorded_at": recorded_at,
                    "file_crc32": None, "file_size": None,
                }
    loaded = {key: LoadedFile(sha, crc32, size)
              for key, (status, sha, _, crc32, size) in state.items() if status == "loaded" and sha}
    return LoadPlan(files, list(missing.values()), loaded, kept_newer)


def load_paths(settings: Settings, inputs: Sequence[tuple[Path, str]]) -> LoadSummary:
    """Load archive ZIPs and/or force-month CSVs (local paths, with the URL or path they came from)."""
    started = time.monotonic()
    summary = LoadSummary(archives=[str(p) for p, _ in inputs])
    pipeline = make_pipeline(settings, PIPELINE_NAME, DATASET_NAME, DUCKDB_CONFIG)
    inventories = [inventory(path, source) for path, source in inputs]
    for inv in inventories:
        if inv.ignored:
            print(f"[police_uk] {len(inv.ignored)} entries that are not force-month CSVs ignored, e.g. "
                  f"{inv.ignored[0]!r}", file=sys.stderr)
    check_layout(settings.warehouse)
    recorded_at = datetime.now(UTC)
    plan = make_plan(inventories, settings.warehouse, recorded_at)
    summary.files_kept_newer = len(plan.kept_newer)
    summary.missing_recorded = len(plan.missing)
    progress = Progress("police_uk archive files", total=len(plan.files))

    def on_file(file: PublishedFile, outcome: str, rows: int) -> None:
        if outcome == "loaded":
            summary.files_loaded += 1
            summary.rows_loaded += rows
        else:
            summary.files_unchanged += 1
        progress.advance(detail=f"{file.month} {file.force_slug} {file.dataset}")

    staging_dir = settings.pipelines_dir / f"{PIPELINE_NAME}_parquet"
    shutil.rmtree(staging_dir, ignore_errors=True)
    try:
        staged = stage_files(plan.files, plan.loaded, recorded_at, staging_dir, on_file)
        progress.finish(f"{summary.rows_loaded:,} rows parsed; loading into DuckDB")
        pipeline.run(police_uk_archive(staged, plan.missing)).raise_on_failed_jobs()
    finally:
        shutil.rmtree(staging_dir, ignore_errors=True)  # dlt hard-linked what it needs into its package
    pruned = prune_superseded_rows(settings.warehouse, DATASET_NAME, recorded_at)
    if any(pruned.values()):
        print("[police_uk] rows of republished force-months replaced: "
              + ", ".join(f"{table} {count:,}" for table, count in pruned.items()), file=sys.stderr)
    summary.seconds = time.monotonic() - started
    return summary


def ensure_tables(settings: Settings) -> None:
    """Create the raw tables, empty, if they do not exist (a mirror without police.uk files)."""
    if query_if_exists(settings.warehouse, DATASET_NAME, FILES_TABLE, "select 1"):
        return
    pipeline = make_pipeline(settings, PIPELINE_NAME, DATASET_NAME, DUCKDB_CONFIG)
    pipeline.run(police_uk_archive(StagedLoad(), [])).raise_on_failed_jobs()


def run(settings: Settings, selection: Sequence[str] = ("latest",)) -> LoadSummary:
    """Load the selected archives from PPF_SOURCE (live, sample, or a mirror)."""
    location = SourceLocation.from_settings(settings)
    if settings.source == "sample":
        ensure_sample(settings)
    return load_paths(settings, resolve_archives(location, settings, selection))


def ensure_sample(settings: Settings) -> None:
    """Generate the sample mirror on first use (deterministic, so it never needs committing)."""
    archive_dir = settings.sample_dir / HOST / ARCHIVE_PATH
    if archive_dir.is_dir() and any(archive_dir.glob("*.zip")):
        return
    from extract.police_uk.sample import generate_archive_mirror

    print(f"[police_uk] generating the sample mirror in {settings.sample_dir} (scale {settings.sample_scale})",
          file=sys.stderr)
    generate_archive_mirror(settings.sample_dir, scale=settings.sample_scale)
