"""Load the ONS Crime Survey for England and Wales (CSEW) table workbooks into `raw_ons_csew`.

Where the files are: as for the police force area tables (`extract.ons.pipeline`), each dataset page of
`extract.ons.csew_settings.DATASETS` answers `<path>/data` with JSON listing its editions
(`datasets: [{"uri": ...}]`); each edition's `<uri>/data` gives its name, its release date and its downloads.
Every edition carries the whole time series, so `run` loads only the newest edition of each dataset (by
release date), and only that edition's workbook is downloaded.

The plan: a file whose bytes are already loaded is skipped; a file of an edition older than the one the
warehouse holds for its dataset (by release date, or by its latest period when a release date is not known)
is not loaded, with a message: an older edition never replaces a newer one. Every file is parsed before
anything is written, so a malformed file fails the load and leaves the warehouse as it was.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from extract.config import Settings
from extract.errors import MalformedFileError
from extract.location import SourceError, SourceLocation
from extract.ons.csew import ESTIMATES_TABLE, FILES_TABLE, FileToLoad, ons_csew, parse_csew_workbook
from extract.ons.csew_settings import DATASETS, HOST
from extract.ons.pfa_tables import YEAR_ENDING_RE
from extract.ons.pipeline import _json, release_date_of
from extract.progress import Progress
from extract.warehouse import make_pipeline, query_if_exists, sha256_file

PIPELINE_NAME = "ons_csew"
DATASET_NAME = "raw_ons_csew"
# Where a mirror directory keeps this source's entry point (extract.cli skips the source when it is absent).
ENTRY_POINT = (HOST, f"{DATASETS['annual_supplementary']}/data")
LOADABLE_SUFFIXES = (".xlsx", ".xls", ".ods")


@dataclass(frozen=True)
class CsewEdition:
    """The newest edition a dataset page lists: its workbook's URL, the dataset, the edition and release date."""

    url: str
    dataset: str
    edition: str | None  # 'year ending March 2025', from the edition JSON
    release_date: date | None


@dataclass
class LoadSummary:
    files_loaded: int = 0
    files_unchanged: int = 0
    files_older: int = 0
    tables_loaded: int = 0
    rows_loaded: int = 0
    editions: list[str] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self, warehouse: Path) -> str:
        editions = f" ({'; '.join(self.editions)})" if self.editions else ""
        return (
            f"ons_csew: {self.rows_loaded:,} estimates from {self.tables_loaded} tables in {self.files_loaded} "
            f"files loaded{editions}, {self.files_unchanged} unchanged, {self.files_older} older than the loaded "
            f"edition; {len(self.inputs)} input(s) in {self.seconds:.1f}s -> {warehouse}"
        )


def _edition_label(text: object) -> str | None:
    """'year ending March 2025' from an edition name or title ('Year ending March 2025'); None if it has none."""
    found = YEAR_ENDING_RE.search(str(text or ""))
    if not found:
        return None
    return f"year ending {found.group(1).capitalize()} {found.group(2)}"


def resolve_newest(location: SourceLocation, settings: Settings, dataset: str) -> tuple[Path, CsewEdition]:
    """The newest edition (by release date) a dataset page lists: its workbook, fetched (or found) locally."""
    dataset_path = DATASETS[dataset]
    landing_path = f"{dataset_path}/data"
    landing = _json(location, settings, landing_path)
    where = location.url(HOST, landing_path)
    entries = landing.get("datasets")
    if not isinstance(entries, list) or not entries:
        raise SourceError(f"{where}: no 'datasets' listed; has the page moved?")
    editions: list[tuple[date, int, str, dict]] = []
    for order, entry in enumerate(entries):
        uri = str(entry.get("uri") or "").strip("/") if isinstance(entry, dict) else ""
        if not uri.startswith(f"{dataset_path}/") or ".." in uri.split("/"):
            raise SourceError(f"{where}: dataset uri {uri!r} is not an edition of {dataset_path}")
        document = _json(location, settings, f"{uri}/data")
        description = document.get("description") or {}
        release = release_date_of(description.get("releaseDate"), location.url(HOST, f"{uri}/data"))
        # Newest release first; of two with the same date, the one listed first (ONS lists newest first).
        editions.append((release or date.min, -order, uri, document))
    release_key, _, uri, document = max(editions, key=lambda e: (e[0], e[1]))
    edition_where = location.url(HOST, f"{uri}/data")
    description = document.get("description") or {}
    label = _edition_label(description.get("edition")) or _edition_label(description.get("title"))
    downloads = [d.get("file") for d in document.get("downloads") or [] if isinstance(d, dict)]
    files = [f for f in downloads if isinstance(f, str) and f.lower().endswith(LOADABLE_SUFFIXES)]
    if not files:
        raise SourceError(f"{edition_where}: no spreadsheet among the downloads ({downloads})")
    name = files[0]
    if len(files) > 1:
        print(f"[ons_csew] {edition_where}: {len(files)} spreadsheets listed; {name} is loaded", file=sys.stderr)
    if "/" in name or name in (".", ".."):
        raise SourceError(f"{edition_where}: download {name!r} is not a file name")
    # As for the PFA tables: the plain path <uri>/<file> (the site also serves it at /file?uri=<uri>/<file>).
    path = f"{uri}/{name}"
    local = location.fetch(HOST, path, settings.download_dir)
    if local is None:
        raise SourceError(f"{location.url(HOST, path)}: listed by {edition_where} but not found")
    release = None if release_key == date.min else release_key
    return local, CsewEdition(location.url(HOST, path), dataset, label, release)


@dataclass(frozen=True)
class _Loaded:
    edition_label: str
    release_date: date | None
    latest_period_end: date | None


def loaded_editions(warehouse: Path) -> dict[str, _Loaded]:
    """dataset -> the edition the warehouse holds."""
    rows = query_if_exists(
        warehouse, DATASET_NAME, FILES_TABLE,
        f"select f.dataset, f.edition_label, f.release_date, (select max(e.period_end) from "
        f"{DATASET_NAME}.{ESTIMATES_TABLE} e where e.dataset = f.dataset) from {DATASET_NAME}.{FILES_TABLE} f",
    )
    return {dataset: _Loaded(label, release, latest) for dataset, label, release, latest in rows}


def loaded_checksums(warehouse: Path) -> dict[str, str]:
    """file checksum -> 'dataset edition' of every file the warehouse holds."""
    rows = query_if_exists(warehouse, DATASET_NAME, FILES_TABLE,
                           f"select file_sha256, dataset || ' ' || edition_label from {DATASET_NAME}.{FILES_TABLE}")
    return dict(rows)


def _is_older(file: FileToLoad, than: _Loaded | FileToLoad) -> bool:
    """Whether `file` is of an older edition: by release dates when both are known, else by the latest period."""
    if file.release_date is not None and than.release_date is not None:
        return file.release_date < than.release_date
    latest = than.parsed.latest_period_end if isinstance(than, FileToLoad) else than.latest_period_end
    return latest is not None and file.parsed.latest_period_end < latest


def _describe(edition: str, release: date | None) -> str:
    return f"{edition}{f', released {release:%d %B %Y}' if release else ''}"


def load_paths(settings: Settings, inputs: Sequence[tuple[Path, str | CsewEdition]]) -> LoadSummary:
    """Load CSEW workbooks (local paths, each with its URL/path or the edition record that listed it)."""
    started = time.monotonic()
    summary = LoadSummary(inputs=[str(p) for p, _ in inputs])
    loaded = loaded_checksums(settings.warehouse)
    held = loaded_editions(settings.warehouse)
    progress = Progress("ons_csew files", total=len(inputs))
    chosen: dict[str, FileToLoad] = {}
    for path, origin in inputs:
        record = origin if isinstance(origin, CsewEdition) else None
        sha256 = sha256_file(path)
        if sha256 in loaded:
            print(f"[ons_csew] {path.name}: unchanged (already loaded for {loaded[sha256]})", file=sys.stderr)
            summary.files_unchanged += 1
            progress.advance(detail=path.name)
            continue
        parsed = parse_csew_workbook(path)
        if record is not None:
            dataset = record.dataset
            if parsed.detected_dataset not in (None, dataset):
                print(f"[ons_csew] {path.name}: listed as {dataset}, but its tables ({', '.join(parsed.table_ids)}) "
                      f"look like {parsed.detected_dataset}; loaded as {dataset}", file=sys.stderr)
        elif parsed.detected_dataset is None:
            raise MalformedFileError(
                f"{path.name}: cannot tell which CSEW dataset this workbook is from its tables "
                f"({', '.join(parsed.table_ids)}): a workbook of S-tables is annual_supplementary, of A-tables "
                "appendix")
        else:
            dataset = parsed.detected_dataset
        edition = parsed.edition_label
        if record is not None and record.edition:
            if record.edition.lower() != edition.lower():
                print(f"[ons_csew] {path.name}: the listing calls this edition {record.edition!r}, its latest "
                      f"period says {edition!r}; the listing's name is used", file=sys.stderr)
            edition = record.edition
        file = FileToLoad(parsed, dataset, edition, record.release_date if record else None,
                          record.url if record else str(origin), sha256)
        loaded[sha256] = f"{dataset} {edition}"  # the same bytes twice in one run load once
        progress.advance(detail=f"{path.name}: {', '.join(parsed.table_ids)} ({parsed.table.num_rows:,} estimates)")
        rival = chosen.get(dataset) or held.get(dataset)
        if rival is not None and _is_older(file, rival):
            print(f"[ons_csew] {path.name}: {dataset} {_describe(edition, file.release_date)} is older than "
                  f"{_describe(rival.edition_label, rival.release_date)}; the newer edition is kept",
                  file=sys.stderr)
            summary.files_older += 1
            continue
        if dataset in chosen:
            print(f"[ons_csew] {chosen[dataset].parsed.path.name}: replaced in this load by {path.name} "
                  f"({dataset} {_describe(edition, file.release_date)})", file=sys.stderr)
            summary.files_older += 1
        chosen[dataset] = file
    progress.finish()
    files = list(chosen.values())
    if files:
        pipeline = make_pipeline(settings, PIPELINE_NAME, DATASET_NAME)
        pipeline.run(ons_csew(files, datetime.now(UTC))).raise_on_failed_jobs()
    summary.files_loaded = len(files)
    summary.tables_loaded = sum(len(f.parsed.table_ids) for f in files)
    summary.rows_loaded = sum(f.row_count for f in files)
    summary.editions = sorted(f"{f.dataset} {f.edition_label}" for f in files)
    summary.seconds = time.monotonic() - started
    return summary


def ensure_tables(settings: Settings) -> None:
    """Create the raw tables, empty, if they do not exist (a mirror without these datasets)."""
    if settings.warehouse.is_file() and _tables_exist(settings.warehouse):
        return
    pipeline = make_pipeline(settings, PIPELINE_NAME, DATASET_NAME)
    pipeline.run(ons_csew([], datetime.now(UTC))).raise_on_failed_jobs()


def _tables_exist(warehouse: Path) -> bool:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        found = con.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name in (?, ?)",
            [DATASET_NAME, ESTIMATES_TABLE, FILES_TABLE]).fetchone()
    return bool(found and found[0] == 2)


def run(settings: Settings) -> LoadSummary:
    """Load the newest edition of every CSEW dataset from PPF_SOURCE (live, sample, or a mirror)."""
    location = SourceLocation.from_settings(settings)
    if settings.source == "sample":
        ensure_sample(settings)
    return load_paths(settings, [resolve_newest(location, settings, dataset) for dataset in DATASETS])


def ensure_sample(settings: Settings) -> None:
    """Generate the CSEW part of the sample mirror on first use (deterministic, so it never needs committing)."""
    if Path(settings.sample_dir, *ENTRY_POINT).is_file():
        return
    from extract.ons.csew_sample import generate_csew_mirror

    print(f"[ons_csew] generating the sample mirror in {settings.sample_dir}", file=sys.stderr)
    generate_csew_mirror(settings.sample_dir)


__all__ = ["DATASET_NAME", "ENTRY_POINT", "PIPELINE_NAME", "CsewEdition", "LoadSummary", "ensure_sample",
           "ensure_tables", "load_paths", "resolve_newest", "run"]
