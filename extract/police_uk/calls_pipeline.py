"""Load police.uk's monthly 999 (and 101) call-answering files into `raw_police_uk_calls`.

Where the files are [UNCONFIRMED, see calls_settings]: an index JSON (INDEX_PATH on www.police.uk) lists
one file per month, `{"files": [{"month": "2025-01", "url": "https://www.police.uk/..."}]}`; each file is
fetched by its URL's host and path (from a mirror directory laid out as <mirror>/<host>/<path>, an HTTP
mirror, or the live site).

The plan, per month: a file whose bytes are already loaded is skipped; otherwise it replaces its month
whole. Every file is parsed before anything is written, so a malformed file fails the run and leaves the
warehouse as it was.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from extract.config import Settings
from extract.errors import MalformedFileError
from extract.location import SourceError, SourceLocation
from extract.police_uk.calls import FILES_TABLE, CallsFile, month_of_file_name, parse_file, police_uk_calls
from extract.police_uk.calls_settings import HOST, INDEX_PATH
from extract.progress import Progress
from extract.warehouse import make_pipeline, query_if_exists, sha256_file

PIPELINE_NAME = "police_uk_calls"
DATASET_NAME = "raw_police_uk_calls"
# Where a mirror directory keeps this publisher's entry point (extract.cli skips the source when it is absent).
ENTRY_POINT = (HOST, INDEX_PATH)
_LOG = "[police_uk_calls]"


@dataclass(frozen=True)
class IndexedFile:
    """A file the index lists: its URL and the month the index says it covers."""

    url: str
    month: str | None

    @property
    def filename(self) -> str:
        return Path(unquote(urlsplit(self.url).path)).name


@dataclass
class LoadSummary:
    rows_loaded: int = 0
    files_loaded: int = 0
    files_unchanged: int = 0
    months: list[str] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self, warehouse: Path) -> str:
        span = f" ({self.months[0]} to {self.months[-1]})" if self.months else ""
        return (
            f"police_uk_calls: {self.rows_loaded:,} rows for {len(self.months)} month(s){span} from "
            f"{self.files_loaded} file(s) loaded, {self.files_unchanged} unchanged; {len(self.inputs)} input(s) "
            f"in {self.seconds:.1f}s -> {warehouse}"
        )


def _index(location: SourceLocation, settings: Settings) -> list[IndexedFile]:
    local = location.fetch(HOST, INDEX_PATH, settings.download_dir)
    where = location.url(HOST, INDEX_PATH)
    if local is None:
        raise SourceError(f"{where}: not found")
    try:
        document = json.loads(local.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise SourceError(f"{where}: not a JSON document ({exc})") from exc
    entries = document.get("files") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise SourceError(f"{where}: expected a JSON object with a 'files' list")
    found: list[IndexedFile] = []
    for entry in entries:
        url = entry.get("url") if isinstance(entry, dict) else None
        if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            raise SourceError(f"{where}: entry {entry!r} has no http(s) 'url'")
        month = entry.get("month")
        found.append(IndexedFile(url, str(month) if month is not None else None))
    if not found:
        raise SourceError(f"{where}: lists no files")
    return found


def resolve(location: SourceLocation, settings: Settings) -> list[tuple[Path, IndexedFile]]:
    """Every file the index lists, fetched (or found in the mirror), oldest month first."""
    where = location.url(HOST, INDEX_PATH)
    files: list[tuple[Path, IndexedFile]] = []
    for entry in _index(location, settings):
        named = month_of_file_name(entry.filename)
        if named is not None and entry.month and entry.month.strip() != f"{named:%Y-%m}":
            raise SourceError(f"{where}: lists {entry.filename} as month {entry.month!r}; its name says "
                              f"{named:%Y-%m}")
        parts = urlsplit(entry.url)
        path = unquote(parts.path).lstrip("/")
        local = location.fetch(parts.netloc, path, settings.download_dir)
        if local is None:
            raise SourceError(f"{location.url(parts.netloc, path)}: listed by {where} but not found")
        files.append((local, entry))
    return sorted(files, key=lambda item: (item[1].month or "", item[1].filename))


def loaded_checksums(warehouse: Path) -> dict[str, str]:
    """file checksum -> month (YYYY-MM) of every file the warehouse holds."""
    rows = query_if_exists(warehouse, DATASET_NAME, FILES_TABLE,
                           f"select file_sha256, strftime(month_start, '%Y-%m') from {DATASET_NAME}.{FILES_TABLE}")
    return dict(rows)


def load_paths(settings: Settings, inputs: Sequence[tuple[Path, IndexedFile | str]]) -> LoadSummary:
    """Load call-answering files (local paths, each with its index entry or the URL/path it came from)."""
    started = time.monotonic()
    summary = LoadSummary(inputs=[str(p) for p, _ in inputs])
    pipeline = make_pipeline(settings, PIPELINE_NAME, DATASET_NAME)
    loaded = loaded_checksums(settings.warehouse)
    progress = Progress("police_uk_calls files", total=len(inputs))
    chosen: dict[object, CallsFile] = {}
    for path, origin in inputs:
        record = origin if isinstance(origin, IndexedFile) else None
        name = record.filename if record else path.name
        sha256 = sha256_file(path)
        if sha256 in loaded:
            named = month_of_file_name(name)
            if named is not None and f"{named:%Y-%m}" != loaded[sha256]:
                raise MalformedFileError(f"{name}: the same bytes are loaded as {loaded[sha256]} but the file name "
                                         f"says {named:%Y-%m}")
            summary.files_unchanged += 1
            progress.advance(detail=f"{name}: unchanged (already loaded for {loaded[sha256]})")
            continue
        parsed = parse_file(path)
        if record and record.filename != path.name:  # a cached download keeps the URL's name; check it too
            named = month_of_file_name(record.filename)
            if named is not None and named != parsed.month_start:
                raise MalformedFileError(f"{record.filename}: the rows are for {parsed.month_start:%Y-%m} but "
                                         f"the file name says {named:%Y-%m}")
        month = parsed.month_start
        if month in chosen:
            print(f"{_LOG} {chosen[month].source_file} and {name} are both {month:%Y-%m}: {name} is loaded",
                  file=sys.stderr)
        chosen[month] = CallsFile(path, name, record.url if record else str(origin), sha256, parsed)
        loaded[sha256] = f"{month:%Y-%m}"  # the same bytes twice in one run load once
        progress.advance(detail=f"{name}: {month:%Y-%m}, {parsed.table.num_rows} rows")
    progress.finish()
    files = sorted(chosen.values(), key=lambda f: f.month_start)
    if files:
        info = pipeline.run(police_uk_calls(files, datetime.now(UTC)))
        info.raise_on_failed_jobs()
    summary.files_loaded = len(files)
    summary.rows_loaded = sum(f.parsed.table.num_rows for f in files)
    summary.months = [f"{f.month_start:%Y-%m}" for f in files]
    summary.seconds = time.monotonic() - started
    return summary


def ensure_tables(settings: Settings) -> None:
    """Create the raw tables, empty, if they do not exist (a mirror without the call-answering index)."""
    if query_if_exists(settings.warehouse, DATASET_NAME, FILES_TABLE, "select 1"):
        return
    pipeline = make_pipeline(settings, PIPELINE_NAME, DATASET_NAME)
    pipeline.run(police_uk_calls([], datetime.now(UTC))).raise_on_failed_jobs()


def run(settings: Settings) -> LoadSummary:
    """Load every month the call-answering index lists, from PPF_SOURCE (live, sample, or a mirror)."""
    started = time.monotonic()
    location = SourceLocation.from_settings(settings)
    if settings.source == "sample":
        ensure_sample(settings)
    summary = load_paths(settings, resolve(location, settings))
    summary.seconds = time.monotonic() - started
    return summary


def ensure_sample(settings: Settings) -> None:
    """Generate the call-answering part of the sample mirror on first use (deterministic)."""
    if Path(settings.sample_dir, HOST, INDEX_PATH).is_file():
        return
    from extract.police_uk.calls_sample import generate_calls_mirror

    print(f"{_LOG} generating the sample mirror in {settings.sample_dir}", file=sys.stderr)
    generate_calls_mirror(settings.sample_dir)


__all__ = [
    "DATASET_NAME", "ENTRY_POINT", "PIPELINE_NAME", "IndexedFile", "LoadSummary", "ensure_sample", "ensure_tables",
    "load_paths", "resolve", "run",
]
