"""Parse the Home Office PRC force-area tables and the crime outcomes open data tables into Arrow tables.

Both are long tables (one row per force x quarter x offence [x outcome type]) inside workbooks with cover,
notes and pivot sheets around them. The data sheets are found by name pattern (the names change between
years), the header row by scanning, and the columns by pattern (their wording changes too). Counts keep
their markers (`N/A`, `N/A - data not provided`, `..`, `[x]`) as a marker and a reason, with a null value.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa

from extract.config import PROJECT_ROOT
from extract.errors import MalformedFileError
from extract.home_office.settings import (
    NON_FORCE_NAMES,
    OUTCOMES,
    OUTCOMES_COLUMNS,
    OUTCOMES_SHEET_RE,
    PRC,
    PRC_COLUMNS,
    PRC_SHEET_RE,
    RELEASE_SUFFIX_RE,
)
from extract.spreadsheet import Sheet, column_cells, find_header, parse_numbers, read_sheet, sheet_names, text_cells

FORCE_VARIANTS_SEED = PROJECT_ROOT / "seeds" / "force_name_variants.csv"
_FY_RE = re.compile(r"^\s*(\d{4})\s*[/_-]\s*(\d{2}|\d{4})\s*$")


@dataclass(frozen=True)
class ParsedSheet:
    dataset: str  # PRC or OUTCOMES
    financial_year: str  # 2024-25
    sheet: str
    table: pa.Table  # the rows, without file-level provenance


def release_date_of(file_name: str) -> date | None:
    """The release date in a Home Office file name's DDMMYY suffix, if it has one."""
    match = RELEASE_SUFFIX_RE.search(file_name)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups()[:3])
    try:
        return date(2000 + year, month, day)
    except ValueError:
        return None


def financial_year_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def normalise_financial_year(text: str | None) -> str | None:
    """'2024/25', '2024_25', '2024-25' or '2024/2025' -> '2024-25'; None if not a financial year."""
    match = _FY_RE.match(text or "")
    if not match:
        return None
    start, end = int(match.group(1)), int(match.group(2)[-2:])
    return financial_year_label(start) if (start + 1) % 100 == end else None


def known_force_names() -> set[str]:
    with open(FORCE_VARIANTS_SEED, newline="", encoding="utf-8") as fh:
        names = {row["name_variant"].strip().lower() for row in csv.DictReader(fh)}
    return names | NON_FORCE_NAMES


def _check_force_names(sheet: Sheet, names: list[str | None], first_row: int) -> None:
    known = known_force_names()
    unknown: dict[str, int] = {}
    for offset, name in enumerate(names):
        if name is not None and name.lower() not in known and name not in unknown:
            unknown[name] = first_row + offset + 1
    if unknown:
        listed = ", ".join(f"{name!r} (row {row})" for name, row in list(unknown.items())[:5])
        raise sheet.error(
            f"unknown force name {listed}; if it is a new spelling of a force, add it to "
            "seeds/force_name_variants.csv"
        )


def _counts(sheet: Sheet, cells: list[object], label: str, first_row: int) -> tuple[pa.Array, pa.Array, pa.Array]:
    column = parse_numbers(sheet, cells, label, first_row)
    for offset, value in enumerate(column.values):
        if value is not None and not value.is_integer():
            raise sheet.error(f"row {first_row + offset + 1}, column {label!r}: {value} is not a whole number")
    values = pa.array([None if v is None else int(v) for v in column.values], pa.int64())
    return values, pa.array(column.markers, pa.string()), pa.array(column.reasons, pa.string())


def _data_rows(sheet: Sheet, header_row: int, key_columns: list[int]) -> int:
    """Index (exclusive) of the last data row: trailing rows with every key cell blank are footnotes or padding."""
    end = len(sheet.rows)
    while end > header_row + 1:
        row = sheet.rows[end - 1]
        if any(i < len(row) and row[i] not in (None, "") for i in key_columns):
            break
        end -= 1
    return end


def _read_long_table(sheet: Sheet, patterns: dict[str, str], count_columns: list[str]) -> pa.Table:
    header = find_header(sheet, patterns)
    keys = [header.columns[k] for k in ("force_name", "offence_code")]
    end = _data_rows(sheet, header.row_index, keys)
    first_row = header.row_index + 1
    if end <= first_row:
        raise sheet.error(f"no data rows under the header (row {header.row_index + 1})")
    columns: dict[str, pa.Array] = {}
    for key in patterns:
        if key in count_columns:
            continue
        cells = column_cells(sheet, header, key, end)
        columns[key] = pa.array(text_cells(cells), pa.string())
    for key in ("force_name", "offence_code", "financial_year", "financial_quarter"):
        blanks = columns[key].null_count
        if blanks:
            row = first_row + columns[key].to_pylist().index(None) + 1
            raise sheet.error(f"{blanks} data rows have no {key.replace('_', ' ')} (first at row {row})")
    _check_force_names(sheet, columns["force_name"].to_pylist(), first_row)
    quarters = columns.pop("financial_quarter").to_pylist()
    bad = next((i for i, q in enumerate(quarters) if q not in ("1", "2", "3", "4")), None)
    if bad is not None:
        raise sheet.error(f"row {first_row + bad + 1}: financial quarter {quarters[bad]!r} is not 1-4")
    columns["financial_quarter"] = pa.array([int(q) for q in quarters], pa.int64())
    published_years = columns.pop("financial_year").to_pylist()
    years = [normalise_financial_year(y) for y in published_years]
    if None in years:
        i = years.index(None)
        raise sheet.error(f"row {first_row + i + 1}: financial year {published_years[i]!r} is not like 2024/25")
    columns["financial_year"] = pa.array(years, pa.string())
    for key in count_columns:
        cells = column_cells(sheet, header, key, end)
        label = header.labels[header.columns[key]]
        values, markers, reasons = _counts(sheet, cells, label, first_row)
        columns[key] = values
        columns[f"{key}_marker"] = markers
        columns[f"{key}_marker_reason"] = reasons
    columns["source_sheet"] = pa.array([sheet.name] * (end - first_row), pa.string())
    columns["source_row"] = pa.array(range(first_row + 1, end + 1), pa.int64())
    return pa.table(columns)


def parse_prc(path: Path) -> list[ParsedSheet]:
    """Every financial-year sheet of a PRC force-area workbook."""
    names = [n for n in sheet_names(path) if PRC_SHEET_RE.match(n.strip())]
    if not names:
        raise MalformedFileError(
            f"{path.name}: no financial-year data sheet (named like 2024_25 or 2024-25) among "
            f"{', '.join(repr(n) for n in sheet_names(path))}"
        )
    parsed = []
    for name in names:
        sheet = read_sheet(path, name)
        table = _read_long_table(sheet, PRC_COLUMNS, ["offence_count"])
        start = int(PRC_SHEET_RE.match(name.strip()).group(1))
        year = financial_year_label(start)
        other = set(table.column("financial_year").to_pylist()) - {year}
        if other:
            raise sheet.error(f"sheet is named for {year} but holds rows for {', '.join(sorted(other))}")
        parsed.append(ParsedSheet(PRC, year, name, table))
    return parsed


def parse_outcomes(path: Path) -> list[ParsedSheet]:
    """The data sheet of an outcomes workbook (one financial year, or part of one)."""
    names = [n for n in sheet_names(path) if OUTCOMES_SHEET_RE.match(n.strip())]
    if not names:
        raise MalformedFileError(
            f"{path.name}: no outcomes data sheet (named like 'Outcomes open data 2024_25') among "
            f"{', '.join(repr(n) for n in sheet_names(path))}"
        )
    parsed = []
    for name in names:
        sheet = read_sheet(path, name)
        table = _read_long_table(
            sheet, OUTCOMES_COLUMNS, ["outcomes_recorded_in_quarter", "outcomes_closed_in_quarter"]
        )
        years = sorted(set(table.column("financial_year").to_pylist()))
        if len(years) != 1:
            raise sheet.error(f"one financial year expected, found {', '.join(years)}")
        expired = table.column("offence_code_expired").to_pylist()
        odd = {v for v in expired if v is not None and v.lower() != "x"}
        if odd:
            raise sheet.error(f"'Offence code expired' should be 'x' or blank, found {sorted(odd)[:3]}")
        table = table.set_column(
            table.schema.get_field_index("offence_code_expired"),
            "offence_code_expired",
            pa.array([v is not None for v in expired], pa.bool_()),
        )
        parsed.append(ParsedSheet(OUTCOMES, years[0], name, table))
    return parsed


def detect_dataset(path: Path) -> str:
    """What a workbook holds, from its sheets (for files downloaded by hand and renamed)."""
    names = [n.strip() for n in sheet_names(path)]
    if any(OUTCOMES_SHEET_RE.match(n) for n in names):
        return OUTCOMES
    if any(PRC_SHEET_RE.match(n) for n in names):
        return PRC
    raise MalformedFileError(
        f"{path.name}: neither a PRC force-area workbook (sheets named like 2024_25) nor an outcomes open data "
        f"workbook (a sheet named like 'Outcomes open data 2024_25'); sheets: {', '.join(map(repr, names))}"
    )


def parse_workbook(path: Path, dataset: str | None = None) -> list[ParsedSheet]:
    dataset = dataset or detect_dataset(path)
    return parse_prc(path) if dataset == PRC else parse_outcomes(path)
