"""Deterministic sample mirror of the ONS Police Force Area data tables, in the accessible (2022+) layout.

`generate_ons_pfa_mirror` writes, under a mirror root (`<root>/<host>/<url path>`):

* `www.ons.gov.uk/<dataset path>/data`: the dataset landing page's JSON, listing one edition uri each;
* `www.ons.gov.uk/<dataset path>/<edition>/data`: each edition's JSON (description.edition,
  description.releaseDate, downloads);
* `www.ons.gov.uk/<dataset path>/<edition>/<file>.xlsx`: the workbook, with sheets `Cover`, `Notes`,
  `Contents`, `Table P1` (counts by offence group), `Table P3` (population and rate per 1,000) and
  `Table P4` (knife or sharp instrument offences by selected offence), each with the accessible preamble.

The real quirks: irregular file names per edition, `[note N]` on a name, trailing spaces in names,
an `[x]` cell, the British Transport Police row with a blank code. P1 counts are the Home Office PRC
sample aggregated (when its ODS is given), so the two sources reconcile; otherwise they are drawn with
numpy. Same arguments, same bytes.
"""

from __future__ import annotations

import calendar
import csv
import json
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np

from extract.ons.pfa_tables import YEAR_ENDING_RE, month_end
from extract.ons.pipeline import DATASET_PATH, HOST, LANDING_PATH, UK_TIME
from extract.spreadsheet import clean_label, find_header, find_sheets, parse_numbers, read_sheet, text_cells
from extract.workbook_writer import Cell, write_xlsx

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"
DEFAULT_EDITIONS = ("year ending March 2023", "year ending March 2024", "year ending March 2025")
GMP_POPULATION_2018 = 2_870_000  # the seed's mid-2018 population is '..' for GMP
POPULATION_GROWTH = 1.007  # a year, from the seed's mid-2018 figures
BTP_NAME = "British Transport Police"
# As in the real tables, ENGLAND AND WALES includes British Transport Police (YE June 2025: 4,947,379 +
# 256,770 + 83,163 = 5,287,312); the warehouse's own England and Wales rows are the 43 force areas.
EW_TOTAL_INCLUDES_BTP = True
# ONS spells this region 'East' in the PFA tables (the seed says 'East of England').
ONS_REGION_NAMES = {"E12000006": "East"}
# Published names with the real quirks: a trailing space, a note marker.
NAME_QUIRKS = {
    "E92000001": "ENGLAND ",
    "E12000006": "East ",
    "E23000001": "Metropolitan Police ",
    "E23000012": "Humberside [note 4]",
    "E12000005": "West Midlands ",
}
KNIFE_X_CELL = ("E23000035", "Threats to kill")  # Devon and Cornwall's cell is published as [x]

# Table P1 columns as in the real accessible layout; each is a sum over Home Office PRC offence groups or
# subgroups (case-insensitive). The total excludes fraud.
P1_TOTAL = "Total recorded crime\n (excluding fraud) \n[note 2]"
P1_COLUMNS: list[tuple[str, str, tuple[str, ...]]] = [
    (P1_TOTAL, "total", ()),
    ("Violence against the person", "group", ("Violence against the person",)),
    ("Homicide", "subgroup", ("Homicide",)),
    ("Death or serious injury - unlawful driving", "subgroup", ("Death or serious injury - unlawful driving",)),
    ("Violence with injury", "subgroup", ("Violence with injury",)),
    ("Violence without injury", "subgroup", ("Violence without injury",)),
    ("Stalking and harassment", "subgroup", ("Stalking and harassment",)),
    ("Sexual offences", "group", ("Sexual offences",)),
    ("Robbery", "group", ("Robbery",)),
    ("Theft offences", "group", ("Theft offences",)),
    ("Burglary", "subgroup", ("Residential burglary", "Non-residential burglary", "Domestic burglary",
                              "Non-domestic burglary")),
    ("Residential burglary", "subgroup", ("Residential burglary",)),
    ("Non-residential burglary", "subgroup", ("Non-residential burglary",)),
    ("Vehicle offences", "subgroup", ("Vehicle offences",)),
    ("Theft from the person", "subgroup", ("Theft from the person",)),
    ("Bicycle theft", "subgroup", ("Bicycle theft",)),
    ("Shoplifting", "subgroup", ("Shoplifting",)),
    ("Other theft offences", "subgroup", ("Other theft offences",)),
    ("Criminal damage and arson", "group", ("Criminal damage and arson",)),
    ("Drug offences", "group", ("Drug offences",)),
    ("Possession of weapons offences", "group", ("Possession of weapons offences",)),
    ("Public order offences", "group", ("Public order offences",)),
    ("Miscellaneous crimes", "group", ("Miscellaneous crimes against society",)),
]
FRAUD_GROUP = "fraud offences"
FRAUD_BODIES = {"action fraud", "cifas", "uk finance"}
# Offences per 1,000 residents a year for the drawn sample (roughly England and Wales, 2023/24), by the
# leaf columns; group columns and the total are sums of these.
DRAWN_RATES = {
    "Homicide": 0.01, "Death or serious injury - unlawful driving": 0.03, "Violence with injury": 9.0,
    "Violence without injury": 14.0, "Stalking and harassment": 10.0, "Sexual offences": 3.4, "Robbery": 1.3,
    "Residential burglary": 2.7, "Non-residential burglary": 1.3, "Vehicle offences": 5.5,
    "Theft from the person": 2.1, "Bicycle theft": 1.0, "Shoplifting": 7.5, "Other theft offences": 7.0,
    "Criminal damage and arson": 7.8, "Drug offences": 3.3, "Possession of weapons offences": 1.0,
    "Public order offences": 7.5, "Miscellaneous crimes": 2.0,
}
SUMS = {
    "Violence against the person": ("Homicide", "Death or serious injury - unlawful driving", "Violence with injury",
                                    "Violence without injury", "Stalking and harassment"),
    "Burglary": ("Residential burglary", "Non-residential burglary"),
    "Theft offences": ("Residential burglary", "Non-residential burglary", "Vehicle offences",
                       "Theft from the person", "Bicycle theft", "Shoplifting", "Other theft offences"),
}
KNIFE_OFFENCES: list[tuple[str, float]] = [  # (column, offences involving a knife per 100,000 residents a year)
    ("Homicide [note 6]", 0.4),
    ("Attempted murder", 0.5),
    ("Threats to kill", 7.0),
    ("Assault with injury and assault with intent to cause serious harm", 33.0),
    ("Robbery", 28.0),
    ("Rape", 0.8),
    ("Sexual assault", 0.5),
]


@dataclass(frozen=True)
class Area:
    code: str  # '' for British Transport Police
    name: str  # as published (with the quirks)
    kind: str  # country, nation, region, force, btp
    members: tuple[str, ...]  # force codes summed into this row (itself for a force)


def _read_seed(name: str) -> list[dict[str, str]]:
    with (SEEDS_DIR / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _areas() -> list[Area]:
    """Rows in ONS order: England and Wales, England, each region and its forces, Wales and its forces, BTP."""
    forces = _read_seed("police_force_areas.csv")
    english = [f for f in forces if f["country"] == "England"]
    welsh = sorted((f for f in forces if f["country"] == "Wales"), key=lambda f: f["force_name"])
    regions = sorted({(f["region_code"], f["region_name"]) for f in english})

    def named(code: str, name: str) -> str:
        return NAME_QUIRKS.get(code, name)

    ew_members = tuple(f["force_id"] for f in forces)
    rows = [
        Area("K04000001", "ENGLAND AND WALES [note 3]", "country", ew_members),
        Area("E92000001", named("E92000001", "ENGLAND"), "nation", tuple(f["force_id"] for f in english)),
    ]
    for code, name in regions:
        members = sorted((f for f in english if f["region_code"] == code), key=lambda f: f["force_name"])
        rows.append(Area(code, named(code, ONS_REGION_NAMES.get(code, name)), "region",
                         tuple(f["force_id"] for f in members)))
        rows += [Area(f["force_id"], named(f["force_id"], f["force_name"]), "force", (f["force_id"],)) for f in members]
    rows.append(Area("W92000004", "WALES", "nation", tuple(f["force_id"] for f in welsh)))
    rows += [Area(f["force_id"], named(f["force_id"], f["force_name"]), "force", (f["force_id"],)) for f in welsh]
    rows.append(Area("", BTP_NAME, "btp", ("BTP",)))
    return rows


def _edition_end(edition: str) -> date:
    match = YEAR_ENDING_RE.fullmatch(edition.strip())
    if not match:
        raise ValueError(f"edition {edition!r}: expected 'year ending <Month> <YYYY>'")
    month = [m.lower() for m in calendar.month_name].index(match.group(1).lower())
    return month_end(int(match.group(2)), month)


def _rng(*key: object) -> np.random.Generator:
    """A generator keyed on `key` through a stable hash (never Python's hash())."""
    return np.random.default_rng(zlib.crc32("|".join(map(str, key)).encode()))


def _populations(mid_year: int) -> dict[str, int]:
    """Plausible mid-year populations by force, grown from the seed's mid-2018 figures, rounded to 100."""
    out = {}
    for row in _read_seed("force_population.csv"):
        base = float(row["population"]) if row["population"] else GMP_POPULATION_2018
        out[row["force_id"]] = int(round(base * POPULATION_GROWTH ** (mid_year - 2018), -2))
    return out


def find_prc_ods(root: Path) -> Path | None:
    """The Home Office PRC force-area ODS in a mirror (the newest release if there are several)."""
    found = sorted(
        Path(root).glob("assets.publishing.service.gov.uk/media/*/prc-pfa-mar2013-onwards-tables-*.ods"),
        key=lambda p: (lambda m: (m[3], m[2], m[1]) if m else ("", "", ""))(
            re.search(r"-(\d{2})(\d{2})(\d{2})\.ods$", p.name)),
    )
    return found[-1] if found else None


def _force_ids_by_name() -> dict[str, str]:
    return {r["name_variant"].strip().lower(): r["force_id"] for r in _read_seed("force_name_variants.csv")}


def prc_counts(prc_ods: Path, end: date) -> dict[str, dict[str, float | None]]:
    """P1 counts by force code ('BTP' for British Transport Police) from the PRC ODS's financial-year sheet.

    The four quarters of the financial year ending in `end` are summed by offence group and subgroup; fraud
    (the 'Fraud offences' group and the Action Fraud, CIFAS and UK Finance rows) is left out. A force with a
    marker instead of a number in any contributing row gets None for that column.
    """
    if end.month != 3:
        raise ValueError(f"the PRC tables are by financial year; {end:%B %Y} does not end one")
    sheet_pattern = rf"^{end.year - 1}[_-]{end.year % 100:02d}$"
    names = find_sheets(prc_ods, sheet_pattern)
    if not names:
        raise ValueError(f"{prc_ods.name}: no sheet for financial year {end.year - 1}/{end.year % 100:02d}")
    sheet = read_sheet(prc_ods, names[0])
    header = find_header(sheet, {"force": r"force name", "group": r"offence group",
                                 "subgroup": r"offence sub-? ?group", "count": r"number of offences"})
    body = sheet.rows[header.row_index + 1:]

    def column(key: str) -> list[object]:
        j = header.columns[key]
        return [row[j] if j < len(row) else None for row in body]

    forces = text_cells(column("force"))
    groups = [clean_label(g).lower() if g else "" for g in text_cells(column("group"))]
    subgroups = [clean_label(s).lower() if s else "" for s in text_cells(column("subgroup"))]
    counts = parse_numbers(sheet, column("count"), "Number of Offences", header.row_index + 1)
    by_name = _force_ids_by_name()
    selectors = [(label, kind, {m.lower() for m in members}) for label, kind, members in P1_COLUMNS]
    out: dict[str, dict[str, float | None]] = {}
    for force, group, subgroup, value, marker in zip(forces, groups, subgroups, counts.values, counts.markers,
                                                    strict=True):
        if force is None:
            continue
        key = force.strip().lower()
        if key in FRAUD_BODIES or group == FRAUD_GROUP:
            continue
        code = "BTP" if key == BTP_NAME.lower() else by_name.get(key)
        if code is None:
            raise ValueError(f"{prc_ods.name}, sheet {sheet.name!r}: force name {force!r} is not in "
                             "seeds/force_name_variants.csv")
        cells = out.setdefault(code, {label: 0.0 for label, _, _ in P1_COLUMNS})
        for label, kind, members in selectors:
            wanted = {"total": True, "group": group in members, "subgroup": subgroup in members}[kind]
            if wanted:
                if (marker is not None and marker != "blank") or cells[label] is None:
                    cells[label] = None
                elif value is not None:
                    cells[label] += value
    return out


def drawn_counts(end: date, populations: dict[str, int]) -> dict[str, dict[str, float | None]]:
    """Plausible P1 counts by force, consistent within a row (groups and the total are sums of their parts)."""
    rng = _rng("ons-p1", end.isoformat())
    out: dict[str, dict[str, float | None]] = {}
    for code in [*sorted(populations), "BTP"]:
        # BTP records about 80,000 crimes a year, i.e. like a force of about a million residents.
        people = 1_000_000 if code == "BTP" else populations[code]
        leaf = {name: float(rng.poisson(rate * people / 1000)) for name, rate in DRAWN_RATES.items()}
        row: dict[str, float | None] = {}
        for label, _, _ in P1_COLUMNS:
            name = clean_label(label)
            if name in leaf:
                row[label] = leaf[name]
            elif name in SUMS:
                row[label] = sum(leaf[part] for part in SUMS[name])
        row[P1_TOTAL] = sum(leaf.values())
        out[code] = row
    return out


def _sum(values: list[float | None]) -> float:
    """A total of the published figures: a force published as [x] is left out (as ONS did for GMP in 2019)."""
    return float(sum(v for v in values if v is not None))


def _area_value(area: Area, by_force: dict[str, float | None]) -> float | None:
    if area.kind in ("force", "btp"):
        return by_force.get(area.members[0])
    members = list(area.members) + (["BTP"] if area.kind == "country" and EW_TOTAL_INCLUDES_BTP else [])
    return _sum([by_force.get(m) for m in members])


def _cell(value: float | None, digits: int = 0) -> Cell:
    if value is None:
        return "[x]"
    return round(value) if digits == 0 else round(value, digits)


def _preamble(title: str) -> list[list[Cell]]:
    return [
        [title],
        ["This worksheet contains one table. Some cells refer to notes which can be found on the notes worksheet."],
        ["Some shorthand is used in this table. [x] indicates data are unavailable."],
        ["Police recorded crime statistics are published as official statistics, not accredited official statistics"],
        ["Source: Police recorded crime from the Home Office"],
    ]


def _titles(edition: str) -> dict[str, str]:
    return {
        "Table P1": "Table P1: Police recorded crime by offence group and police force area, England and Wales, "
                    f"number of offences, {edition} [note 1]",
        "Table P3": "Table P3: Police recorded crime by offence group and police force area, England and Wales, "
                    f"rate of offences per 1,000 population, {edition} [note 1]",
        "Table P4": "Table P4: Knife or sharp instrument offences recorded by the police for selected offences by "
                    f"police force area, England and Wales, number of offences, {edition} [note 1][note 6]",
    }


def _workbook(edition: str, end: date, counts: dict[str, dict[str, float | None]],
              populations: dict[str, int]) -> list[tuple[str, list[list[Cell]]]]:
    areas = _areas()
    titles = _titles(edition)
    mid_year = end.year - 1  # population estimates for mid-(year before the year's end), e.g. mid-2023 for 2023/24
    # P1: counts by offence group.
    p1 = [*_preamble(titles["Table P1"]), ["Area Code", "Area Name", *[label for label, _, _ in P1_COLUMNS]]]
    totals: dict[str, float | None] = {}
    for area in areas:
        row: list[Cell] = [area.code, area.name]
        for label, _, _ in P1_COLUMNS:
            value = _area_value(area, {code: counts.get(code, {}).get(label) for code in (*area.members, "BTP")})
            row.append(_cell(value))
            if label == P1_TOTAL:
                totals[area.code or "BTP"] = value
        p1.append(row)
    # P3: population and the rate per 1,000 of total recorded crime.
    p3 = [*_preamble(titles["Table P3"]), [
        "Area Code", "Area Name", f"Population (mid-{mid_year}) [note 5]",
        "Total recorded crime (excluding fraud) [note 2]",
    ]]
    for area in areas:
        if area.kind == "btp":
            p3.append([area.code, area.name, "[x]", "[x]"])  # BTP has no resident population
            continue
        population = float(sum(populations[m] for m in area.members))
        total = totals[area.code]
        p3.append([area.code, area.name, int(population),
                   _cell(None if total is None else 1000 * total / population, 2)])
    # P4: knife or sharp instrument offences by selected offence.
    rng = _rng("ons-p4", end.isoformat())
    knife: dict[str, dict[str, float | None]] = {}
    for code in [*sorted(populations), "BTP"]:
        people = 500_000 if code == "BTP" else populations[code]
        london = 2.5 if code in ("E23000001", "E23000034") else 1.0
        knife[code] = {
            label: None if (code, clean_label(label)) == KNIFE_X_CELL else
            float(rng.poisson(rate * people / 100_000 * (london if "Robbery" in label else 1.0)))
            for label, rate in KNIFE_OFFENCES
        }
    p4 = [*_preamble(titles["Table P4"]), ["Area Code", "Area Name", *[label for label, _ in KNIFE_OFFENCES]]]
    for area in areas:
        p4.append([area.code, area.name, *[
            _cell(_area_value(area, {code: knife[code][label] for code in (*area.members, "BTP")}))
            for label, _ in KNIFE_OFFENCES
        ]])
    cover: list[list[Cell]] = [
        [f"Crime in England and Wales: Police Force Area data tables, {edition}"],
        ["These tables accompany the Crime in England and Wales statistical bulletin."],
        ["Police recorded crime statistics are published as official statistics, not accredited official statistics."],
        ["Contact: crimestatistics@ons.gov.uk"],
    ]
    notes: list[list[Cell]] = [
        ["Notes"],
        ["This worksheet contains one table."],
        ["Note number", "Note text"],
        ["[note 1]", "Police recorded crime data are not designated as accredited official statistics."],
        ["[note 2]", "Fraud offences are excluded: Action Fraud records fraud on behalf of forces."],
        ["[note 3]", "England and Wales figures exclude British Transport Police in this sample."
         if not EW_TOTAL_INCLUDES_BTP else "England and Wales figures include British Transport Police."],
        ["[note 4]", "Humberside Police changed their recording system during the year."],
        ["[note 5]", f"Based on mid-{mid_year} population estimates, rounded to 100."],
        ["[note 6]", "Knife or sharp instrument offences are collected in a special collection."],
    ]
    contents: list[list[Cell]] = [
        ["Table of contents"],
        ["This worksheet contains one table."],
        ["Worksheet name", "Table description"],
        *[[name, title.split(": ", 1)[1]] for name, title in titles.items()],
    ]
    return [("Cover", cover), ("Notes", notes), ("Contents", contents), ("Table P1", p1), ("Table P3", p3),
            ("Table P4", p4)]


def _file_name(end: date, index: int) -> str:
    """File names are irregular from one edition to the next (pfatablesyemarch2026.xlsx,
    policeforceareatablesyesep25.xlsx): alternate the two patterns."""
    month = calendar.month_name[end.month].lower()
    if index % 2 == 0:
        return f"pfatablesye{month}{end.year}.xlsx"
    return f"policeforceareatablesye{month[:3]}{end.year % 100:02d}.xlsx"


def _release_instant(end: date) -> str:
    """Published about four months after the period (YE March -> late July), at midnight UK time, as ONS's
    JSON gives it: a UTC instant ('2024-07-24T23:00:00.000Z' is 25 July in the UK)."""
    month = end.month + 4
    year = end.year + (month > 12)
    month = month - 12 if month > 12 else month
    local = datetime(year, month, 25, tzinfo=UK_TIME)
    return local.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _write_json(path: Path, document: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def generate_ons_pfa_mirror(
    root: Path,
    prc_ods: Path | None = None,
    editions: Sequence[str] = DEFAULT_EDITIONS,
) -> dict[str, object]:
    """Write the sample under `root`; return {'landing': path, 'workbooks': {edition: path}, 'prc_ods': ...}."""
    root = Path(root)
    ends = sorted(_edition_end(e) for e in editions)
    workbooks: dict[str, Path] = {}
    uris: list[str] = []
    for index, end in enumerate(ends):
        edition = f"year ending {calendar.month_name[end.month]} {end.year}"
        populations = _populations(end.year - 1)
        counts = prc_counts(prc_ods, end) if prc_ods else drawn_counts(end, populations)
        uri = f"/{DATASET_PATH}/yearending{calendar.month_name[end.month].lower()}{end.year}"
        name = _file_name(end, index)
        path = root / HOST / uri.strip("/") / name
        path.parent.mkdir(parents=True, exist_ok=True)
        write_xlsx(path, _workbook(edition, end, counts, populations))
        _write_json(root / HOST / uri.strip("/") / "data", {
            "type": "dataset",
            "uri": uri,
            "description": {
                "title": "Police force area data tables",
                "edition": edition[0].upper() + edition[1:],
                "releaseDate": _release_instant(end),
                "summary": "Police recorded crime by offence group and police force area, England and Wales.",
            },
            "downloads": [{"file": name, "size": str(path.stat().st_size)}],
        })
        workbooks[edition] = path
        uris.append(uri)
    landing = root / HOST / LANDING_PATH
    _write_json(landing, {
        "type": "dataset_landing_page",
        "uri": f"/{DATASET_PATH}",
        "description": {"title": "Police force area data tables"},
        "datasets": [{"uri": uri} for uri in reversed(uris)],  # newest first, as ONS lists them
    })
    return {"landing": landing, "workbooks": workbooks, "prc_ods": prc_ods}


__all__ = ["DEFAULT_EDITIONS", "drawn_counts", "find_prc_ods", "generate_ons_pfa_mirror", "prc_counts"]
