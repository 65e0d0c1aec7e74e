"""Load the Home Office police workforce open data tables into `raw_home_office_workforce`.

Where the files are: the gov.uk document collection of the workforce releases (content API) lists the
release pages in `links.documents`; each release page's content item lists its files in
`details.attachments`. The newest PPF_WORKFORCE_RELEASES release pages (default DEFAULT_RELEASES) are read,
and every attachment is classified by its file name (FILE_PATTERNS); the others (bulletin tables, HTML
pages) are reported and left out. Asset URLs change every release, so nothing is hard-coded.

The plan, per dataset x release date (the file name's DDMMYY suffix): the same bytes already loaded are
skipped; otherwise the file replaces that dataset's rows of its release date (older releases are kept as
vintages). Every file is parsed before anything is written, so a malformed file fails the run and leaves
the warehouse as it was.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit

from extract.config import Settings
from extract.errors import MalformedFileError
from extract.home_office.parse import release_date_of
from extract.home_office.workforce import (
    FILES_TABLE,
    FileToLoad,
    dataset_of,
    home_office_workforce,
    parse_file,
    require_release_date,
)
from extract.home_office.workforce_settings import (
    ASSET_HOST,
    COLLECTION_PATH,
    CONTENT_HOST,
    DEFAULT_RELEASES,
    RELEASE_PATH_RE,
)
from extract.location import SourceError, SourceLocation
from extract.progress import Progress
from extract.warehouse import make_pipeline, query_if_exists, sha256_file

PIPELINE_NAME = "home_office_workforce"
DATASET_NAME = "raw_home_office_workforce"
# Where a mirror directory keeps this publisher's entry point (extract.cli skips the source when it is absent).
ENTRY_POINT = (CONTENT_HOST, COLLECTION_PATH)
RELEASES_ENV = "PPF_WORKFORCE_RELEASES"
_MONTHS = {"march": 3, "september": 9}
_LOG = "[home_office_workforce]"


@dataclass(frozen=True)
class Release:
    """A release page named in the collection: /government/statistics/police-workforce-...-31-march-2025."""

    base_path: str
    title: str | None
    snapshot: date  # the date in the page's path

    @property
    def content_path(self) -> str:
        return "api/content" + self.base_path


@dataclass(frozen=True)
class ReleaseFile:
    """An open data table attached to a release page."""

    url: str
    filename: str
    dataset: str
    release_title: str | None


@dataclass
class LoadSummary:
    rows_loaded: int = 0
    files_loaded: int = 0
    unchanged: int = 0
    releases_read: int = 0
    skipped: int = 0
    files: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self, warehouse: Path) -> str:
        return (
            f"home_office_workforce: {self.rows_loaded:,} rows from {self.files_loaded} file(s) loaded, "
            f"{self.unchanged} unchanged; {self.releases_read} release(s) read, {self.skipped} attachments "
            f"not loaded on purpose; {len(self.files)} file(s) in {self.seconds:.1f}s -> {warehouse}"
        )


def releases_to_read() -> int:
    """How many of the newest release pages a run reads (PPF_WORKFORCE_RELEASES, default DEFAULT_RELEASES)."""
    text = (os.environ.get(RELEASES_ENV) or "").strip()
    if not text:
        return DEFAULT_RELEASES
    try:
        count = int(text)
    except ValueError:
        count = 0
    if count < 1:
        raise SystemExit(
            f"{RELEASES_ENV} must be a whole number of at least 1 (how many of the newest workforce releases "
            f"to read), got {text!r}"
        )
    return count


def _document(location: SourceLocation, settings: Settings, path: str) -> dict:
    """A gov.uk content API item as JSON; a SourceError naming it when absent or unreadable."""
    local = location.fetch(CONTENT_HOST, path, settings.download_dir)
    where = location.url(CONTENT_HOST, path)
    if local is None:
        raise SourceError(f"{where}: not found")
    try:
        document = json.loads(local.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise SourceError(f"{where}: not a JSON document ({exc})") from exc
    if not isinstance(document, dict):
        raise SourceError(f"{where}: not a content API item (a JSON object expected)")
    return document


def releases_of(collection: dict, where: str) -> list[Release]:
    """The release pages a collection names, newest first."""
    items = (collection.get("links") or {}).get("documents")
    if not isinstance(items, list):
        raise SourceError(f"{where}: the collection has no links.documents list; the API shape has changed")
    found: dict[str, Release] = {}
    for item in items:
        base_path = (item or {}).get("base_path") or ""
        match = RELEASE_PATH_RE.match(base_path)
        if not match:
            continue
        try:
            snapshot = date(int(match.group(3)), _MONTHS[match.group(2).lower()], int(match.group(1)))
        except ValueError:
            print(f"{_LOG} {base_path}: not a date in the page's path; page not read", file=sys.stderr)
            continue
        found[base_path] = Release(base_path, item.get("title"), snapshot)
    if not found:
        raise SourceError(
            f"{where}: no release pages (like /government/statistics/police-workforce-england-and-wales-31-march-"
            f"2025) among the {len(items)} links.documents"
        )
    return sorted(found.values(), key=lambda r: r.snapshot, reverse=True)


def attachments_of(document: dict, where: str, title: str | None) -> tuple[list[ReleaseFile], list[tuple[str, str]]]:
    """The open data tables a release page attaches, and (file, reason) for each attachment left out."""
    items = (document.get("details") or {}).get("attachments")
    if not isinstance(items, list):
        raise SourceError(f"{where}: the content item has no details.attachments list; the API shape has changed")
    chosen: list[ReleaseFile] = []
    skipped: list[tuple[str, str]] = []
    for item in items:
        url = item.get("url") or ""
        filename = item.get("filename") or Path(urlsplit(url).path).name
        if urlsplit(url).netloc != ASSET_HOST:
            skipped.append((item.get("title") or url,
                            f"not a file on {ASSET_HOST} (an HTML publication or a link elsewhere)"))
            continue
        dataset = dataset_of(filename)
        if dataset is None:
            skipped.append((filename, "not a workforce open data table (open-data-table-police-workforce[-functions|"
                                      "-absence|-limited-duties|-joiners-leavers]-DDMMYY.ods/.xlsx/.csv)"))
            continue
        chosen.append(ReleaseFile(url, filename, dataset, title))
    return chosen, skipped


def resolve(
    location: SourceLocation, settings: Settings, count: int
) -> tuple[list[tuple[Path, ReleaseFile]], int, int]:
    """Download (or find in the mirror) the open data tables of the newest `count` releases, oldest release
    first; also how many releases were read and how many attachments were left out."""
    where = location.url(CONTENT_HOST, COLLECTION_PATH)
    releases = releases_of(_document(location, settings, COLLECTION_PATH), where)[:count]
    files: list[tuple[Path, ReleaseFile]] = []
    skipped = 0
    for release in releases:
        page_where = location.url(CONTENT_HOST, release.content_path)
        page = _document(location, settings, release.content_path)
        chosen, left_out = attachments_of(page, page_where, page.get("title") or release.title)
        for name, reason in left_out:
            print(f"{_LOG} not loading {name}: {reason}", file=sys.stderr)
        skipped += len(left_out)
        if not chosen:
            print(f"{_LOG} {page_where}: no workforce open data table among its attachments", file=sys.stderr)
        for file in chosen:
            path_part = urlsplit(file.url).path
            local = location.fetch(ASSET_HOST, path_part, settings.download_dir)
            if local is None:
                raise SourceError(f"{location.url(ASSET_HOST, path_part)}: listed on {page_where} but not found")
            files.append((local, file))
    if not files:
        raise SourceError(
            f"{where}: the newest {len(releases)} release page(s) attach no workforce open data table; "
            "the publication has changed"
        )
    files.sort(key=lambda item: (release_date_of(item[1].filename) or date.min, item[1].filename))
    return files, len(releases), skipped


def loaded_state(warehouse: Path) -> dict[tuple[str, date], str]:
    """(dataset, release date) -> checksum of the file the warehouse holds."""
    rows = query_if_exists(
        warehouse, DATASET_NAME, FILES_TABLE,
        f"select dataset, release_date, file_sha256 from {DATASET_NAME}.{FILES_TABLE}",
    )
    return {(dataset, release): sha for dataset, release, sha in rows}


def _name(item: tuple[Path, ReleaseFile | str]) -> str:
    path, origin = item
    return origin.filename if isinstance(origin, ReleaseFile) else path.name


def load_paths(settings: Settings, inputs: Sequence[tuple[Path, ReleaseFile | str]]) -> LoadSummary:
    """Load open data table files (local paths, each with its release record or the URL/path it came from)."""
    started = time.monotonic()
    summary = LoadSummary(files=[str(p) for p, _ in inputs])
    pipeline = make_pipeline(settings, PIPELINE_NAME, DATASET_NAME)
    state = loaded_state(settings.warehouse)
    progress = Progress("home_office_workforce files", total=len(inputs))
    # Oldest release first; two files of one dataset and release date in one run: the later one is loaded.
    ordered = sorted(inputs, key=lambda item: (release_date_of(_name(item)) or date.min, _name(item)))
    chosen: dict[tuple[str, date], FileToLoad] = {}
    for item in ordered:
        path, origin = item
        record = origin if isinstance(origin, ReleaseFile) else None
        name = _name(item)
        release = require_release_date(name)
        dataset = record.dataset if record else dataset_of(name)
        sha256 = sha256_file(path)
        if dataset is not None and state.get((dataset, release)) == sha256:
            summary.unchanged += 1
            progress.advance(detail=f"{name}: unchanged")
            continue
        parsed = parse_file(path, dataset)
        key = (parsed.dataset, release)
        if state.get(key) == sha256:  # a renamed file: its dataset is known only now
            summary.unchanged += 1
            progress.advance(detail=f"{name}: unchanged")
            continue
        if key in chosen:
            print(f"{_LOG} {chosen[key].source_file} and {name} are both the {parsed.dataset} table released "
                  f"on {release}: {name} is loaded", file=sys.stderr)
        chosen[key] = FileToLoad(path, name, record.url if record else str(origin),
                                 record.release_title if record else None, release, sha256, parsed)
        progress.advance(detail=f"{name}: {parsed.dataset}, {parsed.table.num_rows:,} rows")
    progress.finish()
    files = list(chosen.values())
    summary.files_loaded = len(files)
    summary.rows_loaded = sum(f.parsed.table.num_rows for f in files)
    if files:
        info = pipeline.run(home_office_workforce(files, datetime.now(UTC)))
        info.raise_on_failed_jobs()
    summary.seconds = time.monotonic() - started
    return summary


def ensure_tables(settings: Settings) -> None:
    """Create the raw tables, empty, if they do not exist (a mirror without the workforce collection)."""
    if query_if_exists(settings.warehouse, DATASET_NAME, FILES_TABLE, "select 1"):
        return
    pipeline = make_pipeline(settings, PIPELINE_NAME, DATASET_NAME)
    pipeline.run(home_office_workforce([], datetime.now(UTC))).raise_on_failed_jobs()


def run(settings: Settings) -> LoadSummary:
    """Load the open data tables of the newest workforce releases from PPF_SOURCE (live, sample, or a mirror)."""
    started = time.monotonic()
    count = releases_to_read()
    location = SourceLocation.from_settings(settings)
    if settings.source == "sample":
        ensure_sample(settings)
    files, releases, skipped = resolve(location, settings, count)
    summary = load_paths(settings, files)
    summary.releases_read = releases
    summary.skipped = skipped
    summary.seconds = time.monotonic() - started
    return summary


def ensure_sample(settings: Settings) -> None:
    """Generate the workforce part of the sample mirror on first use (deterministic)."""
    if Path(settings.sample_dir, CONTENT_HOST, COLLECTION_PATH).is_file():
        return
    from extract.home_office.workforce_sample import generate_workforce_mirror

    print(f"{_LOG} generating the sample mirror in {settings.sample_dir}", file=sys.stderr)
    generate_workforce_mirror(settings.sample_dir)


__all__ = [
    "LoadSummary", "MalformedFileError", "Release", "ReleaseFile", "ensure_sample", "ensure_tables", "load_paths",
    "resolve", "run",
]
