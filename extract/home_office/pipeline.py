"""Load the Home Office PRC and outcomes open data tables into `raw_home_office`.

Where the files are: the gov.uk content API of the landing page lists its attachments (title, URL,
file name); asset URLs change every release, so they are never hard-coded. Each attachment is classified
by its file name: the PRC force-area workbook, one outcomes workbook per financial year, or a file that is
deliberately not loaded (the alternate-outcomes file double counts types 1-3; lookups; subsets).

The plan, per dataset x financial year: the same bytes already loaded are skipped; an older release never
replaces a newer one; otherwise the financial year is replaced whole. Parsing happens before anything is
written, so a malformed workbook fails the run and leaves the warehouse as it was.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit

from extract.config import Settings
from extract.errors import MalformedFileError
from extract.home_office import FILES_TABLE, WorkbookToLoad, home_office
from extract.home_office.parse import detect_dataset, parse_workbook, release_date_of
from extract.home_office.settings import (
    ASSET_HOST,
    CONTENT_HOST,
    EXCLUDED_FILES,
    LANDING_PATH,
    OUTCOMES,
    OUTCOMES_FILE_RE,
    PRC,
    PRC_FILE_RE,
)
from extract.location import SourceError, SourceLocation
from extract.progress import Progress
from extract.warehouse import make_pipeline, query_if_exists, sha256_file

PIPELINE_NAME = "home_office"
DATASET_NAME = "raw_home_office"
# Where a mirror directory keeps this publisher's entry point (extract.cli skips the source when it is absent).
ENTRY_POINT = (CONTENT_HOST, LANDING_PATH)


@dataclass(frozen=True)
class Attachment:
    title: str | None
    url: str
    filename: str
    dataset: str | None  # PRC, OUTCOMES, or None when excluded
    excluded_because: str | None = None


@dataclass
class LoadSummary:
    sheets_loaded: int = 0
    rows_loaded: int = 0
    unchanged: int = 0
    kept_newer: int = 0
    excluded: int = 0
    files: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self, warehouse: Path) -> str:
        return (
            f"home_office: {self.rows_loaded:,} rows from {self.sheets_loaded} financial-year sheets loaded, "
            f"{self.unchanged} unchanged (files or years), {self.kept_newer} kept (newer release loaded), "
            f"{self.excluded} attachments not loaded on purpose; {len(self.files)} file(s) "
            f"in {self.seconds:.1f}s -> {warehouse}"
        )


def classify(filename: str, title: str | None = None) -> tuple[str | None, str | None]:
    """(dataset, None) for a file to load, (None, reason) for one to leave out."""
    for pattern, reason in EXCLUDED_FILES:
        if pattern.search(filename):
            return None, reason
    if OUTCOMES_FILE_RE.match(filename):
        return OUTCOMES, None
    if PRC_FILE_RE.match(filename):
        return PRC, None
    return None, "not a PRC force-area or outcomes open data workbook"


def attachments_of(document: dict, where: str) -> list[Attachment]:
    """The files a gov.uk content item links to: details.attachments (the content API's list)."""
    details = document.get("details") or {}
    items = details.get("attachments")
    if not isinstance(items, list):
        raise SourceError(f"{where}: the content item has no details.attachments list; the API shape has changed")
    found = []
    for item in items:
        url = item.get("url") or ""
        filename = item.get("filename") or Path(urlsplit(url).path).name
        if not url or urlsplit(url).netloc != ASSET_HOST:
            continue  # HTML attachments and links elsewhere carry no data file
        dataset, reason = classify(filename, item.get("title"))
        found.append(Attachment(item.get("title"), url, filename, dataset, reason))
    return found


def resolve(location: SourceLocation, settings: Settings) -> tuple[list[tuple[Path, Attachment]], int]:
    """Download (or find in the mirror) every attachment to load; also how many were left out on purpose."""
    page = location.fetch(CONTENT_HOST, LANDING_PATH, settings.download_dir)
    where = location.url(CONTENT_HOST, LANDING_PATH)
    if page is None:
        raise SourceError(f"{where}: not found")
    try:
        document = json.loads(page.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise SourceError(f"{where}: not a JSON document ({exc})") from exc
    attachments = attachments_of(document, where)
    chosen = [a for a in attachments if a.dataset]
    if not any(a.dataset == PRC for a in chosen) or not any(a.dataset == OUTCOMES for a in chosen):
        raise SourceError(
            f"{where}: expected a PRC force-area workbook and outcomes workbooks among the attachments, found "
            f"{', '.join(a.filename for a in attachments) or 'none'}"
        )
    for a in attachments:
        if a.excluded_because:
            print(f"[home_office] not loading {a.filename}: {a.excluded_because}", file=sys.stderr)
    files = []
    for a in chosen:
        path_part = urlsplit(a.url).path
        local = location.fetch(ASSET_HOST, path_part, settings.download_dir)
        if local is None:
            raise SourceError(f"{location.url(ASSET_HOST, path_part)}: listed on the landing page but not found")
        files.append((local, a))
    return files, len(attachments) - len(chosen)


def loaded_state(warehouse: Path) -> dict[tuple[str, str], tuple[str, date | None]]:
    """(dataset, financial year) -> (checksum, release date) of what the warehouse holds."""
    rows = query_if_exists(
        warehouse, DATASET_NAME, FILES_TABLE,
        f"select dataset, financial_year, file_sha256, release_date from {DATASET_NAME}.{FILES_TABLE}",
    )
    return {(d, fy): (sha, release) for d, fy, sha, release in rows}


def load_paths(settings: Settings, inputs: Sequence[tuple[Path, Attachment | str]]) -> LoadSummary:
    """Load workbooks (local paths, each with its attachment record or the URL/path it came from)."""
    started = time.monotonic()
    summary = LoadSummary(files=[str(p) for p, _ in inputs])
    pipeline = make_pipeline(settings, PIPELINE_NAME, DATASET_NAME)
    state = loaded_state(settings.warehouse)
    books: list[WorkbookToLoad] = []
    progress = Progress("home_office workbooks", total=len(inputs))
    # Newest release last, so that when two files carry the same financial year the newer one wins.
    ordered = sorted(inputs, key=lambda item: (release_date_of(item[0].name) or date.min, item[0].name))
    claimed: dict[tuple[str, str], int] = {}
    for path, origin in ordered:
        attachment = origin if isinstance(origin, Attachment) else None
        location = attachment.url if attachment else str(origin)
        dataset = attachment.dataset if attachment else detect_dataset(path)
        release = release_date_of(path.name)
        sha256 = sha256_file(path)
        if any(d == dataset and sha == sha256 for (d, _), (sha, _) in state.items()):
            # The same bytes are already loaded (for every year they carry): nothing to parse or change.
            summary.unchanged += 1
            progress.advance(detail=f"{path.name}: unchanged")
            continue
        sheets = parse_workbook(path, dataset)
        keep = []
        for sheet in sheets:
            key = (dataset, sheet.financial_year)
            loaded_sha, loaded_release = state.get(key, (None, None))
            if loaded_sha == sha256:
                summary.unchanged += 1
                continue
            if release and loaded_release and release < loaded_release:
                print(f"[home_office] {path.name} {sheet.financial_year}: the warehouse holds a newer release "
                      f"({loaded_release}); kept", file=sys.stderr)
                summary.kept_newer += 1
                continue
            if key in claimed:  # an earlier (older) input in this run carried the same year: the newer wins
                previous = books[claimed[key]]
                books[claimed[key]] = WorkbookToLoad(
                    previous.path, previous.dataset, previous.source_location, previous.title,
                    previous.release_date, previous.sha256,
                    [s for s in previous.sheets if s.financial_year != sheet.financial_year],
                )
            keep.append(sheet)
        if keep:
            for sheet in keep:
                claimed[(dataset, sheet.financial_year)] = len(books)
            books.append(WorkbookToLoad(path, dataset, location, attachment.title if attachment else None,
                                        release, sha256, keep))
        progress.advance(detail=f"{path.name}: {len(sheets)} sheet(s), {sum(s.table.num_rows for s in sheets):,} rows")
    progress.finish()
    books = [b for b in books if b.sheets]
    summary.sheets_loaded = sum(len(b.sheets) for b in books)
    summary.rows_loaded = sum(s.table.num_rows for b in books for s in b.sheets)
    if books:
        info = pipeline.run(home_office(books, datetime.now(UTC)))
        info.raise_on_failed_jobs()
    summary.seconds = time.monotonic() - started
    return summary


def ensure_tables(settings: Settings) -> None:
    """Create the raw tables, empty, if they do not exist (a mirror without Home Office files)."""
    if query_if_exists(settings.warehouse, DATASET_NAME, FILES_TABLE, "select 1"):
        return
    make_pipeline(settings, PIPELINE_NAME, DATASET_NAME).run(home_office([], datetime.now(UTC))).raise_on_failed_jobs()


def run(settings: Settings) -> LoadSummary:
    """Load the current PRC and outcomes workbooks from PPF_SOURCE (live, sample, or a mirror)."""
    location = SourceLocation.from_settings(settings)
    if settings.source == "sample":
        ensure_sample(settings)
    files, excluded = resolve(location, settings)
    summary = load_paths(settings, files)
    summary.excluded = excluded
    return summary


def ensure_sample(settings: Settings) -> None:
    """Generate the Home Office part of the sample mirror on first use (deterministic)."""
    if Path(settings.sample_dir, CONTENT_HOST, LANDING_PATH).is_file():
        return
    from extract.home_office.sample import generate_home_office_mirror

    print(f"[home_office] generating the sample mirror in {settings.sample_dir}", file=sys.stderr)
    generate_home_office_mirror(settings.sample_dir)


__all__ = ["Attachment", "LoadSummary", "MalformedFileError", "classify", "load_paths", "resolve", "run"]
