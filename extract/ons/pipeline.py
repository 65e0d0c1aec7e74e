"""Load the ONS Police Force Area data tables into `raw_ons`: find the editions, parse, run the dlt source.

Where the files are: the ONS website answers every page's path + `/data` with JSON. The dataset landing
page lists its editions (`datasets: [{"uri": ...}]`); each edition's `/data` gives its edition name, its
release date and its downloads (`downloads: [{"file": ...}]`). File names change with every edition
(`pfatablesdec19.xlsx`, `policeforceareatablesyejune25final.xlsx`), so they are never hard-coded.

Every file is parsed before anything is written, so a malformed file fails the run and leaves the
warehouse as it was. A file whose bytes are already loaded is skipped: loading twice changes nothing.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from extract.config import Settings
from extract.location import SourceError, SourceLocation
from extract.ons import FILES_TABLE, ParsedFile, ons_pfa_tables
from extract.ons.pfa_tables import parse_pfa_tables
from extract.progress import Progress
from extract.warehouse import make_pipeline, query_if_exists, sha256_file

PIPELINE_NAME = "ons_pfa_tables"
DATASET_NAME = "raw_ons"
HOST = "www.ons.gov.uk"
DATASET_PATH = "peoplepopulationandcommunity/crimeandjustice/datasets/policeforceareadatatables"
LANDING_PATH = f"{DATASET_PATH}/data"
# Where a mirror directory keeps this publisher's entry point (extract.cli skips the source when it is absent).
ENTRY_POINT = (HOST, LANDING_PATH)
LOADABLE_SUFFIXES = (".xlsx", ".xls", ".ods", ".csv")
# ONS gives release dates as UTC instants of midnight UK time ("2025-07-23T23:00:00.000Z" is 24 July).
UK_TIME = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class EditionFile:
    """A download listed by an edition's JSON: where it is, and what the JSON says about the edition."""

    url: str
    edition: str | None
    release_date: date | None


@dataclass
class LoadSummary:
    files_loaded: int = 0
    files_unchanged: int = 0
    tables_loaded: int = 0
    rows_loaded: int = 0
    editions: list[str] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self, warehouse: Path) -> str:
        editions = f" ({'; '.join(self.editions)})" if self.editions else ""
        return (
            f"ons_pfa_tables: {self.rows_loaded:,} values from {self.tables_loaded} tables in {self.files_loaded} "
            f"files loaded{editions}, {self.files_unchanged} unchanged; {len(self.inputs)} input(s) "
            f"in {self.seconds:.1f}s -> {warehouse}"
        )


def _json(location: SourceLocation, settings: Settings, path: str) -> dict[str, Any]:
    local = location.fetch(HOST, path, settings.download_dir)
    where = location.url(HOST, path)
    if local is None:
        raise SourceError(f"{where}: not found")
    try:
        document = json.loads(local.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise SourceError(f"{where}: not a JSON document ({exc})") from exc
    if not isinstance(document, dict):
        raise SourceError(f"{where}: expected a JSON object")
    return document


def release_date_of(text: object, where: str) -> date | None:
    if text in (None, ""):
        return None
    try:
        instant = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError as exc:
        raise SourceError(f"{where}: releaseDate {text!r} is not a date") from exc
    if instant.tzinfo is None:
        return instant.date()
    return instant.astimezone(UK_TIME).date()


def resolve_editions(location: SourceLocation, settings: Settings) -> list[tuple[Path, EditionFile]]:
    """Every edition the landing page lists, each edition's spreadsheet downloads, fetched (or found) locally."""
    landing = _json(location, settings, LANDING_PATH)
    where = location.url(HOST, LANDING_PATH)
    datasets = landing.get("datasets")
    if not isinstance(datasets, list) or not datasets:
        raise SourceError(f"{where}: no 'datasets' listed; has the page moved?")
    found: list[tuple[Path, EditionFile]] = []
    for entry in datasets:
        uri = str(entry.get("uri") or "").strip("/") if isinstance(entry, dict) else ""
        if not uri.startswith(f"{DATASET_PATH}/") or ".." in uri.split("/"):
            raise SourceError(f"{where}: dataset uri {uri!r} is not an edition of {DATASET_PATH}")
        edition_doc = _json(location, settings, f"{uri}/data")
        edition_where = location.url(HOST, f"{uri}/data")
        description = edition_doc.get("description") or {}
        edition = description.get("edition")
        release = release_date_of(description.get("releaseDate"), edition_where)
        downloads = [d.get("file") for d in edition_doc.get("downloads") or [] if isinstance(d, dict)]
        files = [f for f in downloads if isinstance(f, str) and f.lower().endswith(LOADABLE_SUFFIXES)]
        if not files:
            raise SourceError(f"{edition_where}: no spreadsheet among the downloads ({downloads})")
        for name in files:
            if "/" in name or name in (".", ".."):
                raise SourceError(f"{edition_where}: download {name!r} is not a file name")
            # The live site serves a download at https://www.ons.gov.uk/file?uri=<uri>/<file> and also at the
            # plain path <uri>/<file>; the plain path is used so that a mirror directory can hold the file.
            path = f"{uri}/{name}"
            local = location.fetch(HOST, path, settings.download_dir)
            if local is None:
                raise SourceError(f"{location.url(HOST, path)}: listed by {edition_where} but not found")
            found.append((local, EditionFile(location.url(HOST, path), edition, release)))
    # Oldest edition first, so that when two editions carry the same table the newer one is loaded last.
    return sorted(found, key=lambda item: (item[1].release_date or date.min, item[0].name))


def loaded_checksums(warehouse: Path) -> dict[str, str]:
    """file checksum -> edition of every file the warehouse holds."""
    rows = query_if_exists(warehouse, DATASET_NAME, FILES_TABLE,
                           f"select file_sha256, edition_label from {DATASET_NAME}.{FILES_TABLE}")
    return dict(rows)


def load_paths(settings: Settings, inputs: Sequence[tuple[Path, str | EditionFile]]) -> LoadSummary:
    """Load PFA tables workbooks or CSV exports (local paths, each with its URL/path or edition record)."""
    started = time.monotonic()
    summary = LoadSummary(inputs=[str(p) for p, _ in inputs])
    pipeline = make_pipeline(settings, PIPELINE_NAME, DATASET_NAME)
    loaded = loaded_checksums(settings.warehouse)
    progress = Progress("ons_pfa_tables files", total=len(inputs))
    files: list[ParsedFile] = []
    for path, origin in inputs:
        record = origin if isinstance(origin, EditionFile) else None
        sha256 = sha256_file(path)
        if sha256 in loaded:
            print(f"[ons_pfa_tables] {path.name}: unchanged (already loaded for {loaded[sha256]})", file=sys.stderr)
            summary.files_unchanged += 1
            progress.advance(detail=path.name)
            continue
        table = parse_pfa_tables(path)
        parsed = ParsedFile(path, record.url if record else str(origin), sha256,
                            record.release_date if record else None, table)
        if record and record.edition and record.edition.strip().lower() != parsed.edition_label.lower():
            print(f"[ons_pfa_tables] {path.name}: the listing calls this edition {record.edition!r}, its tables "
                  f"say {parsed.edition_label!r}; the tables' own title is used", file=sys.stderr)
        files.append(parsed)
        loaded[sha256] = parsed.edition_label  # the same bytes twice in one run load once
        progress.advance(detail=f"{path.name}: {', '.join(parsed.table_ids)} ({table.num_rows:,} values)")
    progress.finish()
    if files:
        info = pipeline.run(ons_pfa_tables(files, datetime.now(UTC)))
        info.raise_on_failed_jobs()
    summary.files_loaded = len(files)
    summary.tables_loaded = len({(f.edition_label, t) for f in files for t in f.table_ids})
    summary.rows_loaded = sum(f.table.num_rows for f in files)
    summary.editions = sorted({f.edition_label for f in files})
    summary.seconds = time.monotonic() - started
    return summary


def ensure_tables(settings: Settings) -> None:
    """Create the raw tables, empty, if they do not exist (a mirror without ONS files)."""
    if query_if_exists(settings.warehouse, DATASET_NAME, FILES_TABLE, "select 1"):
        return
    pipeline = make_pipeline(settings, PIPELINE_NAME, DATASET_NAME)
    pipeline.run(ons_pfa_tables([], datetime.now(UTC))).raise_on_failed_jobs()


def run(settings: Settings) -> LoadSummary:
    """Load every edition the ONS dataset page lists, from PPF_SOURCE (live, sample, or a mirror)."""
    location = SourceLocation.from_settings(settings)
    if settings.source == "sample":
        ensure_sample(settings)
    return load_paths(settings, resolve_editions(location, settings))


def ensure_sample(settings: Settings) -> None:
    """Generate the ONS part of the sample mirror on first use (deterministic, so it never needs committing)."""
    if Path(settings.sample_dir, HOST, LANDING_PATH).is_file():
        return
    from extract.ons.sample import find_prc_ods, generate_ons_pfa_mirror

    prc_ods = find_prc_ods(settings.sample_dir)
    if prc_ods is None:
        # P1 counts are aggregated from the Home Office PRC sample, so that the two sources reconcile.
        try:
            from extract.home_office.pipeline import ensure_sample as ensure_home_office_sample
        except ImportError:
            ensure_home_office_sample = None
        if ensure_home_office_sample is not None:
            ensure_home_office_sample(settings)
            prc_ods = find_prc_ods(settings.sample_dir)
    print(f"[ons_pfa_tables] generating the sample mirror in {settings.sample_dir}"
          f"{' from ' + prc_ods.name if prc_ods else ' (counts drawn at random)'}", file=sys.stderr)
    generate_ons_pfa_mirror(settings.sample_dir, prc_ods=prc_ods)


__all__ = ["EditionFile", "LoadSummary", "load_paths", "resolve_editions", "run"]
