"""Deterministic sample mirror of the ONS Crime Survey for England and Wales (CSEW) table workbooks.

`generate_csew_mirror(root)` writes, for each dataset of `extract.ons.csew_settings.DATASETS`, under the mirror
root (`<root>/<host>/<url path>`, laid out as `extract.ons.sample` lays out the PFA tables):

* `www.ons.gov.uk/<dataset path>/data`: the dataset page's JSON, listing two editions (newest first);
* `www.ons.gov.uk/<dataset path>/<edition>/data`: each edition's JSON (edition, releaseDate, one download);
* `www.ons.gov.uk/<dataset path>/<edition>/<file>.xlsx`: the workbook in the accessible layout: `Cover_sheet`,
  `Notes`, `Contents`, then one sheet per table of SAMPLE_TABLES[dataset] (title cell, preamble, unit line,
  header with a period column per year from Apr 2012 to Mar 2013, and for tables with intervals a lower and
  upper 95% confidence interval column per period, one row per label, an "Unweighted base" row and a source
  line).

The quirks: a `[note 2]` on a row label (S1) and on a period header (A1); `[x]` for the questions not asked in
the telephone-survey years (NOT_ASKED_YEARS, base cells too); a `[c]` in A5's Robbery row for an early year;
irregular appendix sheet names (`Table_A1`, `A2`, `Table A3 ` with a trailing space, ...). The year ending
March 2024 edition holds slightly different (revised) figures for one row of each dataset, so loading the 2025
edition after it replaces the dataset's rows. Values are plausible percentages with one decimal; intervals are
value +/- 1.96 x 1.2 (design effect) x sqrt(p(1-p)/base). Same arguments, same bytes.
"""

from __future__ import annotations

import json
import math
import random
import zlib
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from extract.ons.csew_settings import DATASETS, HOST, NOT_ASKED_YEARS, SAMPLE_TABLES
from extract.ons.pipeline import UK_TIME
from extract.workbook_writer import Cell, write_xlsx

EDITION_YEARS = (2024, 2025)  # year ending March 2024, year ending March 2025
FIRST_YEAR = 2013  # the first period: Apr 2012 to Mar 2013
DESIGN_EFFECT = 1.2
TITLES = {
    "annual_supplementary": "Crime in England and Wales: Annual supplementary tables",
    "appendix": "Crime in England and Wales: Appendix tables",
}
# Sheet names per table id (the appendix workbook's are irregular, as the real ones drift between editions).
SHEET_NAMES = {
    "A1": "Table_A1", "A2": "A2", "A3": "Table A3 ", "A4": "Tbl_A4", "A5": "A5 reported", "A6": "Table_A6",
}
# Year ending March 2025 level of each row, and its change a year going back in time (percentage points).
LEVELS: dict[str, dict[str, tuple[float, float]]] = {
    "S1": {"Excellent": (12.0, 0.3), "Good": (37.0, 0.7), "Fair": (33.0, -0.5), "Poor": (11.0, -0.3),
           "Very poor": (7.0, -0.2)},
    "S2": {"Police would treat you with respect if you had contact with them": (84.0, 0.2),
           "Police would treat you fairly": (70.0, 0.3),
           "Police understand the issues that affect this community": (61.0, 0.4),
           "Police are dealing with the things that matter to this community": (50.0, 0.5),
           "Taking everything into account I have confidence in the police in this area": (67.0, 0.5),
           "The police in this area can be trusted": (71.0, 0.3)},
    "S3": {"A lot more crime": (14.0, -0.2), "A little more crime": (22.0, -0.3), "About the same": (55.0, 0.4),
           "A little less crime": (6.0, 0.05), "A lot less crime": (3.0, 0.05)},
    "S4": {"High level of perceived anti-social behaviour in the local area": (9.0, -0.1),
           "Experienced or witnessed anti-social behaviour in the local area": (36.0, -0.4),
           "Anti-social behaviour or crime a very or fairly big problem in the local town centre": (30.0, 0.2)},
    "S5": {"Sees police officers or PCSOs on foot patrol at least once a week": (11.0, 0.8),
           "Seen or heard about what the police are doing to tackle crime and anti-social behaviour": (30.0, 0.9)},
    "S6": {"Victims very or fairly satisfied with the way the police handled the matter": (51.0, 1.2),
           "Very or fairly satisfied with the police response to anti-social behaviour": (40.0, 0.6)},
    "A1": {"Domestic abuse": (4.5, 0.2), "Sexual assault": (2.3, 0.05), "Stalking": (3.5, 0.1)},
    "A2": {"Experienced at least one form of sexual harassment": (11.8, 0.1)},
    "A3": {"Fraud": (6.0, 0.1), "Computer misuse": (1.5, 0.1), "Fraud and computer misuse": (7.2, 0.2)},
    "A4": {"All CSEW crime excluding fraud and computer misuse": (10.5, 0.6), "Violence": (1.6, 0.05),
           "Robbery": (0.3, 0.01), "Theft from the person": (0.7, 0.02), "Domestic burglary": (1.2, 0.1),
           "Vehicle-related theft": (3.0, 0.2), "Criminal damage": (3.5, 0.2)},
    "A5": {"All CSEW crime": (30.0, 0.3), "Violence": (45.0, 0.5), "Robbery": (48.0, 0.4),
           "Theft from the person": (25.0, 0.3), "Domestic burglary": (60.0, 0.5), "Vehicle-related theft": (40.0, 0.4),
           "Criminal damage": (35.0, 0.3), "Fraud": (14.0, 0.2), "Computer misuse": (10.0, 0.1)},
    "A6": {"Theft from the person incidents experienced by repeat victims": (20.0, 0.3),
           "Robbery incidents experienced by repeat victims": (25.0, 0.4)},
}
# Rows that are sums of other rows of their table.
SUMS = {
    ("S1", "Excellent or good"): ("Excellent", "Good"),
    ("S3", "A little or a lot less crime"): ("A little less crime", "A lot less crime"),
}
# The row the year ending March 2024 edition publishes with different (since revised) figures.
REVISED_ROWS = {("S2", "The police in this area can be trusted"): 0.4, ("A4", "Violence"): 0.1}
NOTED_ROW = ("S1", "Excellent or good")  # published with a '[note 2]'
NOTED_PERIOD = ("A1", "Apr 2021 to Mar 2022")  # published with a '[note 2]'
SUPPRESSED_CELL = ("A5", "Robbery", "Apr 2013 to Mar 2014")  # published as '[c]'
BASE_LABEL = "Unweighted base - number of adults"
SOURCE_LINE = "Source: Crime Survey for England and Wales, Office for National Statistics"


def period_label(year_end: int) -> str:
    return f"Apr {year_end - 1} to Mar {year_end}"


def _noise(*key: object) -> random.Random:
    """A generator keyed on `key` through a stable hash (never Python's hash())."""
    return random.Random(zlib.crc32("|".join(map(str, key)).encode()))


def value_of(table_id: str, row: str, year_end: int, edition_year: int) -> float:
    """The published percentage (1 decimal) of a row for the year ending March `year_end`."""
    parts = SUMS.get((table_id, row))
    if parts:
        return round(sum(value_of(table_id, p, year_end, edition_year) for p in parts), 1)
    level, slope = LEVELS[table_id][row]
    drift = _noise("csew", table_id, row, year_end).uniform(-0.4, 0.4) * min(1.0, level / 10)
    value = level + slope * (2025 - year_end) + drift
    if edition_year < 2025:
        value += REVISED_ROWS.get((table_id, row), 0.0)
    return round(max(value, 0.1), 1)


def base_of(table_id: str, year_end: int) -> int:
    """Unweighted base (adults interviewed) of a table for a year: 30,000 to 35,000."""
    return 30_000 + _noise("csew-base", table_id, year_end).randrange(0, 5001)


def interval(value: float, base: int) -> tuple[float, float]:
    p = value / 100
    half = 1.96 * DESIGN_EFFECT * math.sqrt(p * (1 - p) / base) * 100
    return round(value - half, 1), round(value + half, 1)


def _table_sheet(dataset: str, table: dict[str, object], edition_year: int) -> list[list[Cell]]:
    table_id = str(table["id"])
    rows = [str(r) for r in table["rows"]]  # type: ignore[union-attr]
    intervals = bool(table["intervals"])
    asked_by_phone = bool(table["telephone_years"])
    years = list(range(FIRST_YEAR, edition_year + 1))
    header: list[Cell] = ["Measure"]
    for year in years:
        label = period_label(year)
        header.append(f"{label} [note 2]" if (table_id, label) == NOTED_PERIOD else label)
        if intervals:
            header += [f"{label} lower 95% confidence interval", f"{label} upper 95% confidence interval"]
    sheet: list[list[Cell]] = [
        [f"Table {table_id}: {table['title']}"],
        ["This worksheet contains one table. Some cells refer to notes which can be found on the notes worksheet."],
        ["Unit: percentage"],
        header,
    ]

    def not_asked(year: int) -> bool:
        return not asked_by_phone and period_label(year) in NOT_ASKED_YEARS

    for row in rows:
        label = f"{row} [note 2]" if (table_id, row) == NOTED_ROW else row
        cells: list[Cell] = [label]
        for year in years:
            if not_asked(year):
                cells += ["[x]", "[x]", "[x]"] if intervals else ["[x]"]
                continue
            value = value_of(table_id, row, year, edition_year)
            if (table_id, row, period_label(year)) == SUPPRESSED_CELL:
                cells += ["[c]", "[c]", "[c]"] if intervals else ["[c]"]
                continue
            cells.append(value)
            if intervals:
                cells += list(interval(value, base_of(table_id, year)))
        sheet.append(cells)
    base: list[Cell] = [BASE_LABEL]
    for year in years:
        base.append("[x]" if not_asked(year) else base_of(table_id, year))
        if intervals:
            base += [None, None]
    sheet += [base, [], [SOURCE_LINE]]
    return sheet


def _workbook(dataset: str, edition_year: int) -> list[tuple[str, list[list[Cell]]]]:
    edition = f"year ending March {edition_year}"
    tables = SAMPLE_TABLES[dataset]
    names = {str(t["id"]): SHEET_NAMES.get(str(t["id"]), f"Table_{t['id']}") for t in tables}
    cover: list[list[Cell]] = [
        [f"{TITLES[dataset]}, {edition}"],
        ["These tables accompany the Crime in England and Wales statistical bulletin."],
        ["The Crime Survey for England and Wales estimates are accredited official statistics."],
        ["Contact: crimestatistics@ons.gov.uk"],
    ]
    notes: list[list[Cell]] = [
        ["Notes"],
        ["This worksheet contains one table."],
        ["Note number", "Note text"],
        ["[note 1]", "Estimates are for adults aged 16 and over unless stated otherwise."],
        ["[note 2]", "Between April 2020 and March 2022 the survey was conducted by telephone; some questions "
                     "were not asked ([x])."],
    ]
    contents: list[list[Cell]] = [
        ["Table of contents"],
        ["This worksheet contains one table."],
        ["Worksheet name", "Table description"],
        *[[names[str(t["id"])], str(t["title"])] for t in tables],
    ]
    sheets: list[tuple[str, list[list[Cell]]]] = [("Cover_sheet", cover), ("Notes", notes), ("Contents", contents)]
    sheets += [(names[str(t["id"])], _table_sheet(dataset, t, edition_year)) for t in tables]
    return sheets


def _file_name(dataset: str, edition_year: int) -> str:
    if dataset == "annual_supplementary":
        return f"annualsupplementarytablesye{'mar' if edition_year % 2 else 'march'}{edition_year % 100:02d}.xlsx"
    return f"appendixtablesyearendingmarch{edition_year}.xlsx"


def _release_instant(edition_year: int) -> str:
    """Published in late July after the year ends, at midnight UK time, as ONS's JSON gives it (a UTC instant)."""
    local = datetime(edition_year, 7, 24, tzinfo=UK_TIME)
    return local.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def release_date(edition_year: int) -> date:
    return date(edition_year, 7, 24)


def _write_json(path: Path, document: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def generate_csew_mirror(root: Path, edition_years: Sequence[int] = EDITION_YEARS) -> dict[str, object]:
    """Write the sample under `root`; return {'landings': {dataset: path}, 'workbooks': {dataset: {edition: path}}}."""
    root = Path(root)
    landings: dict[str, Path] = {}
    workbooks: dict[str, dict[str, Path]] = {}
    for dataset, dataset_path in DATASETS.items():
        uris = []
        workbooks[dataset] = {}
        for year in sorted(edition_years):
            edition = f"year ending March {year}"
            uri = f"/{dataset_path}/yearendingmarch{year}"
            name = _file_name(dataset, year)
            path = root / HOST / uri.strip("/") / name
            write_xlsx(path, _workbook(dataset, year))
            _write_json(root / HOST / uri.strip("/") / "data", {
                "type": "dataset",
                "uri": uri,
                "description": {
                    "title": TITLES[dataset],
                    "edition": edition[0].upper() + edition[1:],
                    "releaseDate": _release_instant(year),
                    "summary": "Crime Survey for England and Wales estimates, England and Wales.",
                },
                "downloads": [{"file": name, "size": str(path.stat().st_size)}],
            })
            workbooks[dataset][edition] = path
            uris.append(uri)
        landing = root / HOST / dataset_path / "data"
        _write_json(landing, {
            "type": "dataset_landing_page",
            "uri": f"/{dataset_path}",
            "description": {"title": TITLES[dataset]},
            "datasets": [{"uri": uri} for uri in reversed(uris)],  # newest first, as ONS lists them
        })
        landings[dataset] = landing
    return {"landings": landings, "workbooks": workbooks}


__all__ = ["EDITION_YEARS", "base_of", "generate_csew_mirror", "interval", "period_label", "release_date",
           "value_of"]
