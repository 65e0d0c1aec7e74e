"""Parse ONS "Crime in England and Wales: Police Force Area data tables" into one long row per value cell.

Two layouts are read by the same code, because nothing here relies on positions:
- the old (pre-2022) workbooks: a title row with glued footnote digits, a subtitle, group-header row(s)
  above the `Area Code` header row, a unit row below it ('Numbers', 'Rate per 1,000 population'),
  blank spacer columns, `..`/`-`/`+`/`NA` markers and numbered footnotes under the table;
- the accessible (2022+) layout and CSV exports of its sheets: preamble lines, one header row with
  `[note N]` and embedded newlines, `[x]` markers, text numbers with thousands separators.

Every table is classified from its title (offence groups, knife or sharp instrument offences, community
safety partnerships) and every column gets a unit from, in order, its own header text, the unit row and the
title. A table whose header row, a column's unit, or a value cell cannot be read is refused with a
MalformedFileError naming the file, the sheet and the problem: nothing is guessed.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa

from extract.errors import MalformedFileError
from extract.spreadsheet import Sheet, clean_label, find_header, find_sheets, parse_numbers, read_sheet

# Sheets holding a table: `Table P1`, `Table P4  ` (trailing spaces in the old workbooks), `Table C2`.
TABLE_SHEET_RE = re.compile(r"^table\s*[a-z]{1,2}\s*\d+[a-z]?$", re.IGNORECASE)
TITLE_RE = re.compile(r"^\s*table\s+(?P<id>[a-z]{1,2}\s*\d+[a-z]?)\s*[:.]\s*(?P<text>.*)$", re.IGNORECASE | re.DOTALL)
TITLE_SCAN_ROWS = 10

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTH_ABBR = {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTH_NAMES = "|".join(MONTHS)
YEAR_ENDING_RE = re.compile(rf"year ending\s+({_MONTH_NAMES})\s+(\d{{4}})", re.IGNORECASE)
# "Jan '18 to Dec '18", "Apr '10 to\n Mar '11", "Apr 2024 to Mar 2025"
PERIOD_RE = re.compile(
    r"^(?P<m1>[a-z]{3})[a-z]*\.?\s*'?(?P<y1>\d{4}|\d{2})\s+to\s+(?P<m2>[a-z]{3})[a-z]*\.?\s*'?(?P<y2>\d{4}|\d{2})$",
    re.IGNORECASE,
)
AREA_CODE_RE = re.compile(r"^[EKNSW]\d{8}$")
AREA_TYPES = {
    "K04": "country",
    "E92": "nation",
    "W92": "nation",
    "E12": "region",
    "E23": "police_force_area",
    "W15": "police_force_area",
}
# Header patterns (full match, case-insensitive, on the cleaned label).
KEY_COLUMNS = {"area_code": r"(police force )?area codes?", "area_name": r"(police force )?area names?"}
CSP_COLUMNS = {
    "csp_code": r"community safety partnership code",
    "csp_name": r"community safety partnership name",
    "la_code": r"local authority code",
    "la_name": r"local authority name",
}
# What a knife table's value is of when no offence is named above it (P5, P6: the total of P4's selected
# offences; the YE Dec 2019 P5 count 45,627 for England and Wales equals P4's 'Total of selected serious offences').
KNIFE_TOTAL_MEASURE = "Total of selected serious offences"

# Markers in these tables -> (status, default reason). A marker defined in the table's own footnotes or
# preamble ("9. '..'  indicates data not available.") gets that text as its reason.
ONS_MARKERS: dict[str, tuple[str, str]] = {
    "..": ("not_available", "'..': not available"),
    "[x]": ("not_available", "'[x]': not available"),
    # 'NA' stands for a figure that cannot be given (GMP could not supply data), not for 'not applicable'.
    "na": ("not_available", "'NA': not available"),
    "-": ("suppressed", "'-': not shown (the base number is too small)"),
    "+": ("suppressed", "'+': suppressed (small resident population)"),
    "[c]": ("suppressed", "'[c]': suppressed to protect confidentiality"),
    "[z]": ("not_applicable", "'[z]': not applicable"),
    ":": ("not_applicable", "':': not applicable"),
    "[u]": ("low_reliability", "'[u]': low reliability"),
}
_FOOTNOTE_MARKER_RE = re.compile(r"'(?P<m>[^']{1,4})'\s+(?P<text>indicates?\b[^.]*)", re.IGNORECASE)
_SHORTHAND_RE = re.compile(r"(?P<m>\[[a-z]\])\s+(?P<text>indicates?\b[^.]*)", re.IGNORECASE)
_STATUS_WORDS = (
    ("not applicable", "not_applicable"),
    ("not available", "not_available"),
    ("unavailable", "not_available"),
    ("suppressed", "suppressed"),
    ("fewer than", "suppressed"),
    ("less than", "suppressed"),
)
# Preamble lines of the accessible layout: not a subtitle of the table.
_BOILERPLATE_RE = re.compile(
    r"^(this worksheet|some (cells|shorthand)|link to|source:|police recorded crime statistics are|"
    r"this table|notes?:|figures? in|cells? in)",
    re.IGNORECASE,
)
# Footnote digits the shared clean_label leaves: after a space ('Stalking and harassment 5'), before a
# bracket ('(excluding fraud3)'), after a bracket ('(mid-2018)3 rounded to 100'), and after a year in a
# title ('year ending December 20191,2').
_SPACED_FOOTNOTE_RE = re.compile(r"(?<=[A-Za-z])\s\d{1,2}(?:,\d{1,2})*$")
_FOOTNOTE_BEFORE_BRACKET_RE = re.compile(r"(?<=[a-z])\d{1,2}(?:,\d{1,2})*(?=\))")
_FOOTNOTE_AFTER_BRACKET_RE = re.compile(r"(?<=\))\d{1,2}(?:,\d{1,2})*(?=\s|$)")
_FOOTNOTE_AFTER_YEAR_RE = re.compile(rf"(\b(?:{_MONTH_NAMES})\s\d{{4}})\d{{1,2}}(?:,\d{{1,2}})*\b", re.IGNORECASE)
_GENERIC_LABEL_RE = re.compile(r"^(number of\b|%|percentage\b|proportion\b|rate per\b)", re.IGNORECASE)
_MID_YEAR_RE = re.compile(r"\bmid[-\s]?(\d{4})\b", re.IGNORECASE)
_RATE_RE = re.compile(r"\brates?\b", re.IGNORECASE)

SCHEMA = pa.schema(
    [
        ("table_id", pa.string()),
        ("table_title", pa.string()),
        ("table_subtitle", pa.string()),
        ("edition_label", pa.string()),
        ("period_start", pa.date32()),
        ("period_end", pa.date32()),
        ("area_code", pa.string()),
        ("area_name", pa.string()),
        ("area_name_published", pa.string()),
        ("area_type", pa.string()),
        ("parent_area_code", pa.string()),
        ("parent_area_name", pa.string()),
        ("local_authority_code", pa.string()),
        ("local_authority_name", pa.string()),
        ("column_group", pa.string()),
        ("column_label", pa.string()),
        ("measure", pa.string()),
        ("unit", pa.string()),
        ("value_period_end", pa.date32()),
        ("compared_with_period_end", pa.date32()),
        ("population_vintage", pa.string()),
        ("value", pa.float64()),
        ("marker", pa.string()),
        ("marker_reason", pa.string()),
        ("source_sheet", pa.string()),
        ("source_row", pa.int64()),
        ("source_column", pa.string()),
        ("source_file", pa.string()),
    ]
)


def clean_text(value: object) -> str:
    """clean_label plus the footnote digits ONS glues on in ways the shared cleaner leaves alone."""
    text = clean_label(value)
    text = _FOOTNOTE_AFTER_YEAR_RE.sub(r"\1", text)
    text = _FOOTNOTE_BEFORE_BRACKET_RE.sub("", text)
    text = _FOOTNOTE_AFTER_BRACKET_RE.sub("", text)
    text = _SPACED_FOOTNOTE_RE.sub("", text)
    return clean_label(text)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def twelve_months_to(end: date) -> date:
    """First day of the 12 months ending with `end`'s month."""
    month = end.month + 1
    year = end.year - 1
    if month == 13:
        month, year = 1, year + 1
    return date(year, month, 1)


def year_endings(text: str) -> list[date]:
    """Every 'year ending <Month> <YYYY>' in `text`, as month-end dates."""
    return [month_end(int(y), MONTHS[m.lower()]) for m, y in YEAR_ENDING_RE.findall(text)]


def edition_label_of(end: date) -> str:
    return f"year ending {calendar.month_name[end.month]} {end.year}"


def period_end_of(label: str) -> date | None:
    """The end of a period header such as "Jan '18 to Dec '18" or 'year ending December 2018'; None otherwise."""
    match = PERIOD_RE.match(label)
    if match:
        month = MONTH_ABBR.get(match["m2"].lower())
        if month is None:
            return None
        year = int(match["y2"])
        return month_end(year + 2000 if year < 100 else year, month)
    found = year_endings(label)
    if len(found) == 1 and YEAR_ENDING_RE.fullmatch(label.strip()):
        return found[0]
    return None


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _cell(row: Sequence[object], index: int) -> object:
    return row[index] if index < len(row) else None


def _text(cell: object) -> str | None:
    if _blank(cell):
        return None
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


@dataclass(frozen=True)
class Title:
    table_id: str
    title: str
    family: str  # offence_group, knife, csp
    row_index: int
    edition_end: date
    compared_with: date | None  # for a percentage change between two years named in the title


@dataclass(frozen=True)
class ValueColumn:
    index: int
    letter: str
    group: str | None
    label: str
    measure: str
    unit: str
    value_period_end: date
    compared_with: date | None
    population_vintage: str | None


def _title(sheet: Sheet) -> Title:
    for index, row in enumerate(sheet.rows[:TITLE_SCAN_ROWS]):
        first = next((cell for cell in row if not _blank(cell)), None)
        if first is None:
            continue
        match = TITLE_RE.match(str(first))
        if not match:
            continue
        text = clean_text(match["text"])
        lower = text.lower()
        endings = year_endings(text)
        if not endings:
            raise sheet.error(f"the title {text!r} names no 'year ending <month> <year>' period")
        if "knife" in lower or "sharp instrument" in lower:
            family = "knife"
        elif "community safety partnership" in lower:
            family = "csp"
        elif "offence group" in lower:
            family = "offence_group"
        else:
            raise sheet.error(f"cannot classify table {text!r}: not an offence group, knife or sharp instrument, "
                              "or community safety partnership table")
        end = max(endings)
        compared = min(endings) if "compared with" in lower and min(endings) < end else None
        table_id = re.sub(r"\s+", "", match["id"]).upper()
        return Title(table_id, text, family, index, end, compared)
    raise sheet.error(f"no title 'Table <id>: ...' in the first {TITLE_SCAN_ROWS} rows")


def _marker_definitions(sheet: Sheet, rows: Sequence[Sequence[object]]) -> dict[str, tuple[str, str]]:
    """ONS markers, with the reason taken from the table's own footnotes or preamble where it defines them."""
    markers = dict(ONS_MARKERS)
    for row in rows:
        first = next((cell for cell in row if not _blank(cell)), None)
        if not isinstance(first, str):
            continue
        text = re.sub(r"\s+", " ", first)
        for regex in (_FOOTNOTE_MARKER_RE, _SHORTHAND_RE):
            for match in regex.finditer(text):
                symbol = match["m"].strip().lower()
                meaning = match["text"].strip().rstrip(".")
                known = markers.get(symbol)
                status = known[0] if known else next(
                    (s for words, s in _STATUS_WORDS if words in meaning.lower()), None
                )
                if status:
                    markers[symbol] = (status, f"'{match['m'].strip()}': {meaning}")
    return markers


def _unit_of_text(text: str) -> str | None:
    """A unit from a unit-row cell or a title; None if the text names none."""
    lower = text.lower()
    if "percentage change" in lower or "% change" in lower:
        return "percent_change"
    if _RATE_RE.search(lower):
        if "100,000" in lower or "100000" in lower:
            return "rate_per_100000"
        if "1,000" in lower or "1000" in lower:
            return "rate_per_1000_households" if "1,000 households" in lower else "rate_per_1000"
        return None
    if lower in ("numbers", "number") or "number of" in lower:
        return "count"
    if lower in ("percentages", "percentage", "%"):
        return "percent"
    return None


def _column_unit(sheet: Sheet, label: str, group: str | None, unit_text: str | None, title: Title) -> str:
    """The unit of a value column: its own header first, then the unit row, then the title. Never a guess."""
    lower = label.lower()
    group_lower = (group or "").lower()
    if not _RATE_RE.search(lower):
        if re.search(r"\bpopulation\b", lower):
            return "population"
        if re.match(r"^household(s| figures)\b", lower):
            return "households"
    if "% change" in group_lower or "percentage change" in group_lower:
        unit = "percent_change"
    elif lower.startswith("%") or lower.startswith("percentage of") or lower.startswith("proportion"):
        unit = "percent"
    elif lower.startswith("number of"):
        unit = "count"
    else:
        unit = _unit_of_text(label) if _RATE_RE.search(lower) else None
        if unit is None and unit_text:
            unit = _unit_of_text(unit_text)
            if unit is None:
                raise sheet.error(f"unit row text {unit_text!r} above column {label!r} is not a known unit")
        if unit is None:
            unit = _unit_of_text(title.title)
    if unit is None:
        raise sheet.error(f"cannot tell the unit of column {label!r} (group {group!r}) from its header, a unit row "
                          f"or the title {title.title!r}")
    if unit == "rate_per_1000" and "household" in lower:
        unit = "rate_per_1000_households"  # 'Residential burglary (households)': per 1,000 households
    return unit


def _measure(label: str, group: str | None, unit: str, title: Title) -> str:
    if unit == "population":
        return "Population"
    if unit == "households":
        return "Households"
    label_is_generic = bool(_GENERIC_LABEL_RE.match(label)) or period_end_of(label) is not None
    if not label_is_generic:
        return re.sub(r"\s*\(households\)$", "", label, flags=re.IGNORECASE)
    group_is_named = group and period_end_of(group) is None and "change" not in group.lower()
    if group_is_named:
        return group
    if title.family == "knife":
        return KNIFE_TOTAL_MEASURE
    return label


def _header_groups(sheet: Sheet, header_index: int, title_index: int, first_value: int, width: int) -> list[str | None]:
    """Group headers above the header row (merged cells carried right), joined when there are several rows."""
    group_rows: list[Sequence[object]] = []
    for index in range(header_index - 1, title_index, -1):
        row = sheet.rows[index]
        if all(_blank(_cell(row, j)) for j in range(first_value, width)):
            break
        group_rows.insert(0, row)
    groups: list[str | None] = [None] * width
    if not group_rows:
        return groups
    header = sheet.rows[header_index]
    carried: list[str | None] = [None] * len(group_rows)
    for j in range(first_value, width):
        parts = []
        spacer = _blank(_cell(header, j)) and all(_blank(_cell(r, j)) for r in group_rows)
        for k, row in enumerate(group_rows):
            cell = _cell(row, j)
            if not _blank(cell):
                carried[k] = clean_text(cell)
            elif spacer:
                carried[k] = None  # a blank spacer column ends a merged group header
            if carried[k]:
                parts.append(carried[k])
        groups[j] = ": ".join(parts) if parts else None
    return groups


def _subtitle(rows: Sequence[Sequence[object]], first_value: int) -> str | None:
    """A line such as 'England and Wales (excluding Greater Manchester Police)' between title and header."""
    for row in rows:
        texts = [j for j, cell in enumerate(row) if not _blank(cell)]
        if len(texts) == 1 and texts[0] < first_value:
            text = clean_text(row[texts[0]])
            if text and not _BOILERPLATE_RE.match(text):
                return text
    return None


def _area(sheet: Sheet, code: str | None, row_number: int) -> str:
    if code is None:
        return "other"
    area_type = AREA_TYPES.get(code[:3])
    if area_type is None:
        raise sheet.error(f"row {row_number}: area code {code!r} is not a country, nation, region or police "
                          "force area code")
    return area_type


def parse_sheet(sheet: Sheet) -> pa.Table:
    """One table (a workbook sheet or a CSV export) as long rows."""
    title = _title(sheet)
    header = find_header(sheet, KEY_COLUMNS, CSP_COLUMNS)
    h = header.row_index
    is_csp = "csp_code" in header.columns
    if title.family == "csp" and not is_csp:
        raise sheet.error("a community safety partnership table without a 'Community Safety Partnership code' column")
    key_indices = list(header.columns.values())
    first_value = max(key_indices) + 1
    width = max((len(r) for r in sheet.rows), default=0)
    groups = _header_groups(sheet, h, title.row_index, first_value, width)
    header_row = sheet.rows[h]

    # A unit row right under the header: blank area cells, text only ('Numbers', 'Rate per 1,000 population').
    units: list[str | None] = [None] * width
    start = h + 1
    if start < len(sheet.rows):
        row = sheet.rows[start]
        area_blank = all(_blank(_cell(row, j)) for j in key_indices)
        cells = [_cell(row, j) for j in range(first_value, width)]
        if area_blank and all(isinstance(c, str) or c is None for c in cells) and any(not _blank(c) for c in cells):
            carried = None
            for j in range(first_value, width):
                cell = _cell(row, j)
                if not _blank(cell):
                    carried = clean_text(cell)
                units[j] = carried
            start += 1

    # Data rows: from the header down to the first footnote or source line.
    code_j, name_j = header.columns["area_code"], header.columns["area_name"]
    data_rows: list[int] = []
    footer_from = len(sheet.rows)
    for i in range(start, len(sheet.rows)):
        row = sheet.rows[i]
        has_values = any(not _blank(_cell(row, j)) for j in range(first_value, width))
        code, name = _text(_cell(row, code_j)), _text(_cell(row, name_j))
        if code is None and name is None and not has_values:
            continue
        if code is not None and AREA_CODE_RE.match(code.strip()):
            if name is None:
                raise sheet.error(f"row {i + 1}: area code {code!r} has no area name")
            data_rows.append(i)
        elif code is None and name is not None:
            data_rows.append(i)
        elif not has_values:
            footer_from = i  # 'Source: ...', '1. Police recorded crime data are not ...'
            break
        else:
            raise sheet.error(f"row {i + 1}: {code or ''!r} in column {header.labels[code_j]!r} is not an area code, "
                              "but the row has values")
    if not data_rows:
        raise sheet.error("no area rows under the header row")
    markers = _marker_definitions(sheet, sheet.rows[: h] + sheet.rows[footer_from:])

    # Value columns: every column right of the area columns with a header; blank spacer columns skipped.
    columns: list[ValueColumn] = []
    population_vintage: str | None = None
    first, last = data_rows[0], data_rows[-1]
    for j in range(first_value, width):
        label = clean_text(_cell(header_row, j))
        group = groups[j]
        if not label and group:
            label, group = group, None  # a label written on the row above ('Total recorded crime' in old P1)
        if not label:
            # A spacer column; a row marked '..' throughout (GMP, YE Dec 2019) spills its marker into it.
            cells = [_cell(sheet.rows[i], j) for i in data_rows]
            spilled = [c for c in cells if not _blank(c)]
            if spilled and any(str(c).strip().lower() not in markers for c in spilled):
                raise sheet.error(f"column {column_letter(j)} has values but no header")
            continue
        unit = _column_unit(sheet, label, group, units[j], title)
        vintage_match = _MID_YEAR_RE.search(f"{label} {units[j] or ''}")
        vintage = f"mid-{vintage_match.group(1)}" if vintage_match else None
        if unit in ("population", "households") and vintage and population_vintage is None:
            population_vintage = vintage
        label_period, group_period = period_end_of(label), period_end_of(group) if group else None
        compared = title.compared_with if unit == "percent_change" else None
        if unit == "percent_change" and label_period:
            value_end, compared = title.edition_end, label_period
        elif unit in ("population", "households") and vintage:
            value_end = date(int(vintage[4:]), 6, 30)  # a mid-year estimate describes 30 June
        else:
            value_end = label_period or group_period or title.edition_end
        columns.append(ValueColumn(j, column_letter(j), group, label, _measure(label, group, unit, title), unit,
                                   value_end, compared, vintage))
    if not columns:
        raise sheet.error("no value columns right of the area columns")
    # Rates in a table that gives its population are rates of that population (P3: 'mid-2018').
    columns = [
        c if c.population_vintage or not c.unit.startswith("rate_per_1000") else
        ValueColumn(c.index, c.letter, c.group, c.label, c.measure, c.unit, c.value_period_end, c.compared_with,
                    population_vintage)
        for c in columns
    ]

    # Area of each data row.
    area_code: list[str | None] = []
    area_name: list[str] = []
    published: list[str] = []
    area_type: list[str] = []
    parent_code: list[str | None] = []
    parent_name: list[str | None] = []
    la_code: list[str | None] = []
    la_name: list[str | None] = []
    for i in data_rows:
        row = sheet.rows[i]
        code = _text(_cell(row, code_j))
        code = code.strip() if code else None
        name = _text(_cell(row, name_j)) or ""
        csp_code = _text(_cell(row, header.columns["csp_code"])) if is_csp else None
        csp_name = _text(_cell(row, header.columns["csp_name"])) if "csp_name" in header.columns else None
        if is_csp and (csp_code or csp_name):
            # A partnership row (or 'Unassigned <force>'): the area is the partnership, its force the parent.
            parent_code.append(code)
            parent_name.append(clean_text(name))
            csp_code = csp_code.strip() if csp_code else None
            if csp_code and not AREA_CODE_RE.match(csp_code):
                raise sheet.error(f"row {i + 1}: {csp_code!r} is not a community safety partnership code")
            area_code.append(csp_code)
            area_name.append(clean_text(csp_name or ""))
            published.append(csp_name or "")
            area_type.append("community_safety_partnership" if csp_code else "other")
            la = _text(_cell(row, header.columns["la_code"])) if "la_code" in header.columns else None
            la_label = _text(_cell(row, header.columns["la_name"])) if "la_name" in header.columns else None
            if la and not AREA_CODE_RE.match(la.strip()):
                # 'Combined Local Authorities' written in the code column
                la_label, la = la_label or la, None
            la_code.append(la.strip() if la else None)
            la_name.append(clean_text(la_label) if la_label else None)
        else:
            area_code.append(code)
            area_name.append(clean_text(name))
            published.append(name)
            area_type.append(_area(sheet, code, i + 1))
            parent_code.append(None)
            parent_name.append(None)
            la_code.append(None)
            la_name.append(None)

    # Values, column by column: numbers as published, markers kept with their reason, anything else refused.
    offsets = [i - first for i in data_rows]
    n_rows, out = len(data_rows), {name: [] for name in SCHEMA.names}
    subtitle = _subtitle(sheet.rows[title.row_index + 1 : h], first_value)
    period_start = twelve_months_to(title.edition_end)
    for column in columns:
        cells = [_cell(sheet.rows[i], column.index) for i in range(first, last + 1)]
        parsed = parse_numbers(sheet, cells, f"{column.letter} ({column.label})", first, extra_markers=markers)
        out["value"] += [parsed.values[k] for k in offsets]
        out["marker"] += [parsed.markers[k] for k in offsets]
        out["marker_reason"] += [parsed.reasons[k] for k in offsets]
        out["source_row"] += [i + 1 for i in data_rows]
        out["area_code"] += area_code
        out["area_name"] += area_name
        out["area_name_published"] += published
        out["area_type"] += area_type
        out["parent_area_code"] += parent_code
        out["parent_area_name"] += parent_name
        out["local_authority_code"] += la_code
        out["local_authority_name"] += la_name
        for name, value in (
            ("column_group", column.group),
            ("column_label", column.label),
            ("measure", column.measure),
            ("unit", column.unit),
            ("value_period_end", column.value_period_end),
            ("compared_with_period_end", column.compared_with),
            ("population_vintage", column.population_vintage),
            ("source_column", column.letter),
        ):
            out[name] += [value] * n_rows
    total = len(out["value"])
    for name, value in (
        ("table_id", title.table_id),
        ("table_title", title.title),
        ("table_subtitle", subtitle),
        ("edition_label", edition_label_of(title.edition_end)),
        ("period_start", period_start),
        ("period_end", title.edition_end),
        ("source_sheet", sheet.name or None),
        ("source_file", sheet.path.name),
    ):
        out[name] = [value] * total
    return pa.table(out, schema=SCHEMA)


def table_sheets(path: Path) -> list[str]:
    """The sheets of a workbook that hold a table (not Cover, Notes or Contents); [''] for a CSV export."""
    if path.suffix.lower() == ".csv":
        return [""]
    names = find_sheets(path, TABLE_SHEET_RE)
    if not names:
        raise MalformedFileError(f"{path.name}: no 'Table <id>' sheets; is this a police force area tables workbook?")
    return names


def parse_pfa_tables(path: Path) -> pa.Table:
    """Every recognised table of a PFA tables workbook (.xlsx/.ods) or of a CSV export of one of its sheets."""
    if path.suffix.lower() not in (".xlsx", ".xlsm", ".ods", ".csv", ".xls"):
        raise MalformedFileError(f"{path.name}: expected an .xlsx, .ods or .csv file")
    tables = [parse_sheet(read_sheet(path, name)) for name in table_sheets(path)]
    editions = sorted({t["edition_label"][0].as_py() for t in tables})
    if len(editions) > 1:
        raise MalformedFileError(f"{path.name}: its tables are of different editions ({', '.join(editions)})")
    ids = [t["table_id"][0].as_py() for t in tables]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise MalformedFileError(f"{path.name}: table {', '.join(duplicated)} appears on more than one sheet")
    return pa.concat_tables(tables)


__all__ = ["SCHEMA", "clean_text", "parse_pfa_tables", "parse_sheet", "period_end_of", "table_sheets"]
