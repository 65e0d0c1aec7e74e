"""Finding and reading data.police.uk archive files: ZIP entries read in place, CSVs parsed by Arrow.

Nothing here loops over rows in Python: pyarrow parses each file column-wise and the provenance
columns are added as whole Arrow arrays.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from extract.errors import MalformedFileError
from extract.police_uk.settings import ARCHIVE_NAME_RE, DATASETS, FILE_NAME_RE, HEADERS, MONTH_RE

DATASET_BY_FILE_SUFFIX = {suffix: dataset for dataset, suffix in DATASETS.items()}
NUMERIC_COLUMNS = {"longitude", "latitude"}


def snake_case(header: str) -> str:
    return "_".join(header.lower().replace("-", " ").split())


COLUMN_NAMES: dict[str, list[str]] = {
    dataset: [snake_case(h) for h in header] for dataset, header in HEADERS.items()
}


@dataclass(frozen=True)
class PublishedFile:
    """One force-month file of one dataset, inside an archive ZIP or as a CSV on its own."""

    dataset: str  # street | outcomes | stop_and_search
    month: str  # YYYY-MM, from the file name
    force_slug: str
    entry: str  # the name inside the ZIP, or the CSV's file name
    container: Path  # the ZIP (or CSV) on local disk
    source_location: str  # the URL or path the container came from: recorded as provenance
    release: str | None  # the archive's YYYY-MM; None for a CSV loaded by hand
    crc32: int | None = None  # from the ZIP's directory: lets an unchanged entry be skipped unread
    size: int | None = None  # uncompressed bytes, from the ZIP's directory

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.dataset, self.force_slug, self.month)

    @property
    def label(self) -> str:
        if self.container.suffix.lower() == ".zip":
            return f"{self.container.name}:{self.entry}"
        return str(self.container)



class FileReader:
    """Reads PublishedFiles, keeping each archive open: opening a ZIP re-reads its whole directory
    (about 6,000 entries for a national archive), far too slow to repeat for every file.
    Not shared between threads: each reading thread has its own."""

    def __init__(self) -> None:
        self._archives: dict[Path, zipfile.ZipFile] = {}

    def read(self, file: PublishedFile) -> bytes:
        if file.container.suffix.lower() != ".zip":
            return file.container.read_bytes()
        archive = self._archives.get(file.container)
        if archive is None:
            archive = self._archives[file.container] = zipfile.ZipFile(file.container)
        # Read the entry in place: nothing is ever written to a path taken from the archive.
        with archive.open(file.entry) as fh:
            return fh.read()

    def close(self) -> None:
        for archive in self._archives.values():
            archive.close()
        self._archives.clear()

    def __enter__(self) -> FileReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class ArchiveInventory:
    files: list[PublishedFile]
    months: set[str]  # months the archive covers (its folders); empty for a lone CSV
    release: str | None
    ignored: list[str]  # entries that are not force-month CSVs (reported, not loaded)


def parse_file_name(name: str) -> tuple[str, str, str] | None:
    """(dataset, month, force slug) from `2023-01/2023-01-city-of-london-street.csv`, else None."""
    match = FILE_NAME_RE.match(name)
    if not match or not MONTH_RE.match(match["month"]):
        return None
    if match["folder"] and match["folder"] != match["month"]:
        return None
    return DATASET_BY_FILE_SUFFIX[match["dataset"]], match["month"], match["slug"]


def inventory(path: Path, source_location: str | None = None) -> ArchiveInventory:
    """List the force-month files in an archive ZIP, or describe one CSV loaded by hand."""
    location = source_location or str(path)
    if path.suffix.lower() == ".zip":
        try:
            archive = zipfile.ZipFile(path)
        except zipfile.BadZipFile as exc:
            raise MalformedFileError(f"{path}: not a readable ZIP archive ({exc})") from exc
        with archive:
            entries = [info for info in archive.infolist() if not info.is_dir()]
        parsed_entries, ignored, months = [], [], set()
        named = ARCHIVE_NAME_RE.match(path.name)
        for info in entries:
            parsed = parse_file_name(info.filename)
            if parsed is None:
                ignored.append(info.filename)
                continue
            months.add(parsed[1])
            parsed_entries.append((info, parsed))
        # The archive named YYYY-MM.zip is that month's release; latest.zip is named by its newest month.
        release = named["release"] if named else (max(months) if months else None)
        files = [PublishedFile(dataset, month, slug, info.filename, path, location, release, info.CRC,
                               info.file_size)
                 for info, (dataset, month, slug) in parsed_entries]
        return ArchiveInventory(files, months, release, ignored)
    parsed = parse_file_name(path.name)
    if parsed is None:
        raise MalformedFileError(
            f"{path}: cannot tell dataset, month and force from the file name; expected a name such as "
            "2023-01-city-of-london-street.csv, -outcomes.csv or -stop-and-search.csv"
        )
    dataset, month, slug = parsed
    return ArchiveInventory([PublishedFile(dataset, month, slug, path.name, path, location, None)],
                            set(), None, [])


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def parse_csv(data: bytes, dataset: str, label: str) -> pa.Table:
    """Parse one published CSV into an Arrow table of snake_case columns, or fail naming file and line.

    Text columns stay text (empty cells become null); longitude and latitude become doubles.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedFileError(
            f"{label}, line {_line_of_offset(data, exc.start)}: not valid UTF-8 ({exc.reason})"
        ) from exc
    expected = HEADERS[dataset]
    header = data.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8")
    if header.split(",") != expected:
        raise MalformedFileError(
            f"{label}, line 1: unexpected header {header!r}; the published {dataset} layout is "
            f"{','.join(expected)!r}"
        )
    names = COLUMN_NAMES[dataset]
    bad_rows: list[str] = []

    def on_invalid_row(row: pacsv.InvalidRow) -> str:
        bad_rows.append(
            f"{label}, line {row.number}: expected {row.expected_columns} fields, found "
            f"{row.actual_columns}: {row.text[:200]!r}"
        )
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            # Single-threaded parsing is what makes Arrow report physical line numbers for bad rows.
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, use_threads=False,
                                           block_size=16 << 20),
            parse_options=pacsv.ParseOptions(invalid_row_handler=on_invalid_row),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in names},
                strings_can_be_null=True,
                null_values=[""],
                quoted_strings_can_be_null=True,
            ),
        )
    except pa.ArrowInvalid as exc:
        raise MalformedFileError(f"{label}: cannot be parsed as CSV ({exc})") from exc
    if bad_rows:
        more = f" (and {len(bad_rows) - 1} more bad lines)" if len(bad_rows) > 1 else ""
        raise MalformedFileError(bad_rows[0] + more)
    for name in NUMERIC_COLUMNS & set(names):
        table = table.set_column(names.index(name), name, _to_double(table[name], name, label))
    return table


def _to_double(column: pa.ChunkedArray, name: str, label: str) -> pa.ChunkedArray:
    """The column as doubles, or fail naming the first cell that is not a plain decimal number.

    Arrow's cast is the fast path; the regular expression only runs when the cast fails or lets through
    something that is not a finite number (Arrow also reads `inf`, `nan` and `1e5`), to name the cell."""
    try:
        values = pc.cast(column, pa.float64())
        if pc.all(pc.fill_null(pc.is_finite(values), True)).as_py():
            return values
    except pa.ArrowInvalid:
        pass
    is_number = pc.match_substring_regex(column, r"^\s*-?\d+(\.\d+)?\s*$")
    invalid = pc.and_(pc.is_valid(column), pc.invert(pc.fill_null(is_number, False)))
    if pc.any(invalid).as_py():
        first = pc.index(invalid, True).as_py()
        raise MalformedFileError(
            f"{label}, line {first + 2}: {name} {column[first].as_py()!r} is not a number"
        )
    return pc.cast(pc.utf8_trim_whitespace(column), pa.float64())


def with_provenance(table: pa.Table, file: PublishedFile, loaded_at: datetime) -> pa.Table:
    """Append the provenance columns every raw row carries: its force-month, line and load.

    What is the same for the whole file (its name, checksum, archive release) is stored once, in
    `published_files`; the staging models join it back through (force, month, loaded_at).
    """
    rows = table.num_rows
    columns = {
        "file_month": pa.repeat(pa.scalar(file.month), rows),
        "force_slug": pa.repeat(pa.scalar(file.force_slug), rows),
        # Physical line in the CSV (header is line 1); no published field spans lines.
        "source_line": pa.array(np.arange(2, rows + 2, dtype=np.int64)),
        "loaded_at": pa.repeat(pa.scalar(loaded_at, pa.timestamp("us", tz="UTC")), rows),
    }
    for name, values in columns.items():
        # Declared non-null like the dlt column hints.
        table = table.append_column(pa.field(name, values.type, nullable=False), values)
    return table


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def latest_per_key(files: Iterable[PublishedFile]) -> list[PublishedFile]:
    """Keep one file per (dataset, force, month): the newest release wins; a hand-loaded CSV beats any archive."""
    chosen: dict[tuple[str, str, str], PublishedFile] = {}
    for file in files:
        current = chosen.get(file.key)
        if current is None or release_order(file.release) >= release_order(current.release):
            chosen[file.key] = file
    return sorted(chosen.values(), key=lambda f: (f.month, f.dataset, f.force_slug))


def release_order(release: str | None) -> str:
    return "9999-99" if release is None else release
