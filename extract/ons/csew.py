"""Parse ONS Crime Survey for England and Wales (CSEW) table workbooks; the dlt source `ons_csew`.

The layout contract is `extract.ons.csew_settings`. A workbook in the accessible layout has a cover, notes and
contents sheet, then one table per sheet. A sheet is a table when its title cell (the first non-blank cell of
one of its first three non-blank rows) reads "Table S1: ..."; sheet names are never relied on. In a table:

- the header row is the first row under the title with a period cell ("Apr 2024 to Mar 2025", `[note N]`
  stripped); the columns left of the first period column are row-label columns (two of them are joined as
  "group: label", the group carried down), except note columns (headed "Notes", or holding only `[note N]`);
- a period's 95% interval columns ("Apr 2024 to Mar 2025 lower 95% confidence interval") give ci_lower and
  ci_upper; any other column ("% change", "Statistically significant change", notes) is ignored;
- every data row gives one estimate per period; "Unweighted base ..." rows are not estimates but give the
  base of the estimates above them (up to the previous base row), column by column;
- blank rows, "Source: ..." lines and footnotes (no number or marker in any period or interval column) are
  skipped; a cell that is neither a number nor a marker (`[x]`, `[c]`, `[z]`, `..`) is refused.

A table sheet without a period header, a duplicated period (or interval) column, a workbook with no table,
or the same table on two sheets are refused with a MalformedFileError naming the workbook, the table and
the problem. Nothing is guessed.

Tables in schema `raw_ons_csew`:
- `estimates`: one row per table x row x period (columns: ESTIMATES_COLUMNS). Merged (delete-insert) on
  `dataset`: every edition carries the whole time series, so the newest edition of a dataset replaces its rows.
- `published_files`: the file each dataset's rows came from. Merged on `dataset`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import dlt
import pyarrow as pa
from dlt.extract import materialize_schema_item

from extract.errors import MalformedFileError
from extract.ons.csew_settings import BASE_ROW_RE, CI_SUFFIX_RE, DATASETS, PERIOD_RE, TABLE_TITLE_RE
from extract.ons.pfa_tables import column_letter, month_end
from extract.spreadsheet import Column, Sheet, clean_label, parse_numbers, read_sheet, sheet_names
from extract.warehouse import arrow_schema, empty_table

SCHEMA_NAME = "raw_ons_csew"
ESTIMATES_TABLE = "estimates"
FILES_TABLE = "published_files"
TITLE_SCAN_ROWS = 3  # non-blank rows at the top of a sheet that may hold its title cell
# A table id's letters -> the dataset whose workbook has such tables (for files loaded by hand).
DATASET_OF_PREFIX = {"S": "annual_supplementary", "A": "appendix"}
MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
# A row-label column that only carries note references.
NOTE_COLUMN_RE = re.compile(r"^(notes?|note references?|footnotes?)$", re.IGNORECASE)
SOURCE_LINE_RE = re.compile(r"^source\s*:", re.IGNORECASE)


def _text(nullable: bool = True) -> dict[str, Any]:
    return {"data_type": "text", "nullable": nullable}


ESTIMATES_COLUMNS: dict[str, dict[str, Any]] = {
    "dataset": _text(False),
    "edition_label": _text(False),
    "release_date": {"data_type": "date", "nullable": True},
    "table_id": _text(False),
    "table_title": _text(False),
    "row_label": _text(False),
    "period_label": _text(False),
    "period_start": {"data_type": "date", "nullable": False},
    "period_end": {"data_type": "date", "nullable": False},
    "value": {"data_type": "double", "nullable": True},
    "value_marker": _text(),
    "value_marker_reason": _text(),
    "ci_lower": {"data_type": "double", "nullable": True},
    "ci_upper": {"data_type": "double", "nullable": True},
    "unweighted_base": {"data_type": "double", "nullable": True},
    "source_file": _text(False),
    "source_sheet": _text(False),
    "source_row": {"data_type": "bigint", "nullable": False},
    "source_column": _text(False),
    "file_sha256": _text(False),
    "source_location": _text(False),
    "loaded_at": {"data_type": "timestamp", "nullable": False},
}
FILES_COLUMNS: dict[str, dict[str, Any]] = {
    "dataset": _text(False),
    "edition_label": _text(False),
    "release_date": {"data_type": "date", "nullable": True},
    "source_file": _text(False),
    "file_sha256": _text(False),
    "file_size": {"data_type": "bigint", "nullable": False},
    "tables": _text(False),  # table ids, e.g. 'S1,S2,S3'
    "row_count": {"data_type": "bigint", "nullable": False},
    "source_location": _text(False),
    "loaded_at": {"data_type": "timestamp", "nullable": False},
}
# The columns the parser gives; the rest are provenance added by `with_provenance`.
PARSED_COLUMNS = ("table_id", "table_title", "row_label", "period_label", "period_start", "period_end", "value",
                  "value_marker", "value_marker_reason", "ci_lower", "ci_upper", "unweighted_base", "source_file",
                  "source_sheet", "source_row", "source_column")


# --- reading one table -----------------------------------------------------------------------------------------


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _cell(row: Sequence[object], index: int) -> object:
    return row[index] if index < len(row) else None


def parse_period(text: str) -> tuple[date, date] | None:
    """(first day of the start month, last day of the end month) of 'Apr 2024 to Mar 2025'; None otherwise."""
    match = PERIOD_RE.match(clean_label(text))
    if not match:
        return None
    m1, y1, m2, y2 = match.groups()
    year1 = int(y1) + 2000 if len(y1) == 2 else int(y1)
    year2 = int(y2) + 2000 if len(y2) == 2 else int(y2)
    start, end = date(year1, MONTHS[m1.lower()], 1), month_end(year2, MONTHS[m2.lower()])
    return (start, end) if start < end else None


def edition_label_of(end: date) -> str:
    return f"year ending {calendar.month_name[end.month]} {end.year}"


@dataclass(frozen=True)
class _Where:
    """Messages that name the workbook, the sheet and the table (parse_numbers calls .error)."""

    sheet: Sheet
    table_id: str

    def error(self, problem: str) -> MalformedFileError:
        return MalformedFileError(f"{self.sheet.where}, table {self.table_id}: {problem}")


@dataclass(frozen=True)
class TableTitle:
    table_id: str
    title: str
    row_index: int


def table_title(sheet: Sheet) -> TableTitle | None:
    """The title cell of a table sheet: the first non-blank cell of one of the first non-blank rows."""
    seen = 0
    for index, row in enumerate(sheet.rows):
        first = next((cell for cell in row if not _blank(cell)), None)
        if first is None:
            continue
        match = TABLE_TITLE_RE.match(clean_label(first, strip_footnotes=False))
        if match:
            title = clean_label(match.group(2))
            return TableTitle(match.group(1).upper(), title, index) if title else None
        seen += 1
        if seen >= TITLE_SCAN_ROWS:
            return None
    return None


@dataclass(frozen=True)
class PeriodColumn:
    index: int
    label: str
    start: date
    end: date
    lower: int | None = None
    upper: int | None = None


def _header(sheet: Sheet, title: TableTitle) -> tuple[int, list[PeriodColumn]]:
    where = _Where(sheet, title.table_id)
    for h in range(title.row_index + 1, len(sheet.rows)):
        labels = [clean_label(cell) if isinstance(cell, str) else "" for cell in sheet.rows[h]]
        if not any(parse_period(label) for label in labels if label):
            continue
        periods: dict[tuple[date, date], PeriodColumn] = {}
        intervals: list[tuple[int, str, tuple[date, date]]] = []
        for j, label in enumerate(labels):
            dates = parse_period(label) if label else None
            if dates:
                if dates in periods:
                    raise where.error(f"header row {h + 1}: period {label!r} appears twice (columns "
                                      f"{column_letter(periods[dates].index)} and {column_letter(j)})")
                periods[dates] = PeriodColumn(j, label, *dates)
                continue
            ci = CI_SUFFIX_RE.match(label) if label else None
            ci_dates = parse_period(ci["period"]) if ci else None
            if ci and ci_dates:
                intervals.append((j, ci["bound"].lower(), ci_dates))
        for j, bound, dates in intervals:
            column = periods.get(dates)
            if column is None:
                raise where.error(f"header row {h + 1}: interval column {column_letter(j)} ({labels[j]!r}) is of a "
                                  "period the table has no column for")
            if getattr(column, bound) is not None:
                raise where.error(f"header row {h + 1}: two {bound} interval columns for period {column.label!r}")
            periods[dates] = PeriodColumn(column.index, column.label, column.start, column.end,
                                          **{"lower": column.lower, "upper": column.upper, bound: j})
        return h, sorted(periods.values(), key=lambda c: c.index)
    raise where.error("no header row with a period column ('Apr 2024 to Mar 2025') under the title")


def _label_columns(sheet: Sheet, h: int, first_period: int, where: _Where) -> list[int]:
    """Row-label columns: left of the first period column, not blank throughout, not a notes column."""
    body = sheet.rows[h + 1:]
    out = []
    for j in range(first_period):
        header = clean_label(_cell(sheet.rows[h], j))
        cells = [_cell(row, j) for row in body]
        texts = [str(c) for c in cells if not _blank(c)]
        if not header and not texts:
            continue
        if NOTE_COLUMN_RE.match(header) or (texts and not any(clean_label(t) for t in texts)):
            continue  # 'Notes' column, or cells holding only '[note 3]'
        out.append(j)
    if not out:
        raise where.error(f"header row {h + 1}: no row-label column left of the first period column")
    return out


def parse_table(sheet: Sheet, title: TableTitle) -> dict[str, list[Any]]:
    """One table sheet as long rows (PARSED_COLUMNS)."""
    where = _Where(sheet, title.table_id)
    h, periods = _header(sheet, title)
    label_js = _label_columns(sheet, h, periods[0].index, where)
    first = h + 1
    value_js = sorted({j for p in periods for j in (p.index, p.lower, p.upper) if j is not None})
    header_row = sheet.rows[h]
    # Text cells in rows that are not data rows (footnotes spilling over, 'Source:' lines) must not be refused,
    # so rows are classified first and the columns parsed on the data and base rows only.
    kinds: list[str | None] = []  # per body row: 'data', 'base' or None (skipped)
    labels: list[str | None] = []
    carried: list[str | None] = [None] * len(label_js)
    for i in range(first, len(sheet.rows)):
        row = sheet.rows[i]
        parts = [clean_label(_cell(row, j)) if not _blank(_cell(row, j)) else "" for j in label_js]
        has_values = any(not _blank(_cell(row, j)) for j in value_js)
        joined = next((p for p in parts if p), "")
        if not has_values or SOURCE_LINE_RE.match(joined):
            kinds.append(None)
            labels.append(None)
            continue
        if any(BASE_ROW_RE.match(p) for p in parts if p):
            kinds.append("base")
            labels.append(None)
            continue
        # Group columns carry down; a row that names a group starts it afresh.
        for k, part in enumerate(parts[:-1]):
            if part:
                carried[k] = part
                carried[k + 1:] = [None] * (len(carried) - k - 1)
        names = [part or (carried[k] if k < len(parts) - 1 else "") for k, part in enumerate(parts)]
        label = ": ".join(n for n in names if n)
        if not label:
            raise where.error(f"row {i + 1} has values but no row label")
        kinds.append("data")
        labels.append(label)
    parsed: dict[int, Column] = {}
    for j in value_js:
        cells = [_cell(sheet.rows[first + k], j) if kinds[k] else None for k in range(len(kinds))]
        parsed[j] = parse_numbers(where, cells, f"{column_letter(j)} ({clean_label(_cell(header_row, j))})",
                                  first)  # type: ignore[arg-type]
    out: dict[str, list[Any]] = {name: [] for name in PARSED_COLUMNS}
    for period in periods:
        values = parsed[period.index]
        lower = parsed[period.lower] if period.lower is not None else None
        upper = parsed[period.upper] if period.upper is not None else None
        # The base of a row: the nearest base row below it, same column (None when there is none).
        bases: list[float | None] = [None] * len(kinds)
        below: float | None = None
        for k in range(len(kinds) - 1, -1, -1):
            if kinds[k] == "base":
                below = values.values[k]
            bases[k] = below
        for k, kind in enumerate(kinds):
            if kind != "data":
                continue
            out["row_label"].append(labels[k])
            out["period_label"].append(period.label)
            out["period_start"].append(period.start)
            out["period_end"].append(period.end)
            out["value"].append(values.values[k])
            out["value_marker"].append(values.markers[k])
            out["value_marker_reason"].append(values.reasons[k])
            out["ci_lower"].append(lower.values[k] if lower else None)
            out["ci_upper"].append(upper.values[k] if upper else None)
            out["unweighted_base"].append(bases[k])
            out["source_row"].append(first + k + 1)
            out["source_column"].append(column_letter(period.index))
    if not out["row_label"]:
        raise where.error(f"no data rows under the header row (row {h + 1})")
    n = len(out["row_label"])
    out["table_id"] = [title.table_id] * n
    out["table_title"] = [title.title] * n
    out["source_file"] = [sheet.path.name] * n
    out["source_sheet"] = [sheet.name] * n
    return out


# --- reading a workbook ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedWorkbook:
    """Every table of one CSEW workbook, as long rows (PARSED_COLUMNS), and what the tables say about it."""

    path: Path
    table: pa.Table
    table_ids: list[str]
    detected_dataset: str | None  # from the table ids (S-tables: annual_supplementary, A-tables: appendix)
    latest_period_end: date

    @property
    def edition_label(self) -> str:
        """'year ending March 2025' from the latest period column."""
        return edition_label_of(self.latest_period_end)


def _table_order(table_id: str) -> tuple[str, int, str]:
    match = re.match(r"([A-Z]+)(\d+)(.*)", table_id)
    return (match[1], int(match[2]), match[3]) if match else (table_id, 0, "")


def detect_dataset(table_ids: Sequence[str]) -> str | None:
    """The dataset whose workbooks have these tables; None when the ids are of no known dataset or mixed."""
    found = {DATASET_OF_PREFIX.get(re.match(r"[A-Z]*", t)[0]) for t in table_ids}
    return found.pop() if len(found) == 1 else None


def parse_csew_workbook(path: Path) -> ParsedWorkbook:
    """Every table sheet of a CSEW workbook (.xlsx/.ods); cover, notes and contents sheets are skipped."""
    if path.suffix.lower() not in (".xlsx", ".xlsm", ".xls", ".ods"):
        raise MalformedFileError(f"{path.name}: expected an .xlsx or .ods workbook of the CSEW tables")
    tables: list[dict[str, list[Any]]] = []
    sheet_of: dict[str, str] = {}
    for name in sheet_names(path):
        sheet = read_sheet(path, name)
        title = table_title(sheet)
        if title is None:
            continue
        if title.table_id in sheet_of:
            raise MalformedFileError(f"{path.name}: table {title.table_id} appears on two sheets "
                                     f"({sheet_of[title.table_id]!r} and {name!r})")
        sheet_of[title.table_id] = name
        tables.append(parse_table(sheet, title))
    if not tables:
        raise MalformedFileError(f"{path.name}: no table in this workbook (no sheet has a title cell "
                                 "'Table <id>: ...' in its first rows); is this a CSEW tables workbook?")
    schema = arrow_schema({name: ESTIMATES_COLUMNS[name] for name in PARSED_COLUMNS})
    table = pa.concat_tables([pa.table({n: t[n] for n in PARSED_COLUMNS}, schema=schema) for t in tables])
    ids = sorted(sheet_of, key=_table_order)
    latest = max(max(t["period_end"]) for t in tables)
    return ParsedWorkbook(path, table, ids, detect_dataset(ids), latest)


# --- the dlt source --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileToLoad:
    """A parsed workbook, the dataset and edition it is loaded as, and where it came from."""

    parsed: ParsedWorkbook
    dataset: str
    edition_label: str
    release_date: date | None
    source_location: str
    sha256: str

    @property
    def row_count(self) -> int:
        return self.parsed.table.num_rows


def with_provenance(file: FileToLoad, loaded_at: datetime) -> pa.Table:
    """The parsed rows with dataset, edition and provenance, in the declared column order and NOT NULLs."""
    table = file.parsed.table
    rows = table.num_rows
    for name, array in (
        ("dataset", pa.array([file.dataset] * rows, pa.string())),
        ("edition_label", pa.array([file.edition_label] * rows, pa.string())),
        ("release_date", pa.array([file.release_date] * rows, pa.date32())),
        ("file_sha256", pa.array([file.sha256] * rows, pa.string())),
        ("source_location", pa.array([file.source_location] * rows, pa.string())),
        ("loaded_at", pa.array([loaded_at] * rows, pa.timestamp("us", tz="UTC"))),
    ):
        table = table.append_column(name, array)
    schema = arrow_schema(ESTIMATES_COLUMNS)
    return table.select(schema.names).cast(schema)


def published_file_row(file: FileToLoad, loaded_at: datetime) -> dict[str, Any]:
    return {
        "dataset": file.dataset,
        "edition_label": file.edition_label,
        "release_date": file.release_date,
        "source_file": file.parsed.path.name,
        "file_sha256": file.sha256,
        "file_size": file.parsed.path.stat().st_size,
        "tables": ",".join(file.parsed.table_ids),
        "row_count": file.row_count,
        "source_location": file.source_location,
        "loaded_at": loaded_at,
    }


@dlt.source(name="ons_csew", max_table_nesting=0)
def ons_csew(files: Sequence[FileToLoad], loaded_at: datetime) -> Any:
    """The parsed files, already planned: at most one per dataset, each newer than what the warehouse holds."""
    datasets = [f.dataset for f in files]
    if len(set(datasets)) < len(datasets):
        raise ValueError(f"ons_csew: more than one file for a dataset in one load ({', '.join(datasets)})")
    unknown = sorted(set(datasets) - set(DATASETS))
    if unknown:
        raise ValueError(f"ons_csew: unknown dataset(s) {', '.join(unknown)}")

    @dlt.resource(
        name=ESTIMATES_TABLE,
        write_disposition={"disposition": "merge", "strategy": "delete-insert"},
        merge_key=["dataset"],
        columns=ESTIMATES_COLUMNS,
    )
    def estimates() -> Iterator[Any]:
        yield empty_table(ESTIMATES_COLUMNS)  # the table exists even when a run has nothing to load
        for file in files:
            yield with_provenance(file, loaded_at)

    @dlt.resource(
        name=FILES_TABLE,
        write_disposition={"disposition": "merge", "strategy": "delete-insert"},
        primary_key=["dataset"],
        columns=FILES_COLUMNS,
    )
    def published_files() -> Iterator[Any]:
        yield materialize_schema_item()  # rows are dicts (JSON normaliser), as for the other sources
        for file in files:
            yield published_file_row(file, loaded_at)

    return estimates, published_files


__all__ = [
    "ESTIMATES_COLUMNS", "ESTIMATES_TABLE", "FILES_COLUMNS", "FILES_TABLE", "FileToLoad", "ParsedWorkbook",
    "detect_dataset", "ons_csew", "parse_csew_workbook", "parse_period", "parse_table", "table_title",
    "with_provenance",
]
