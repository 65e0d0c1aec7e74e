"""Deterministic sample mirror of the Home Office police workforce open data releases.

`generate_workforce_mirror` writes, under a mirror root (`<root>/<host>/<url path>`):

* `www.gov.uk/api/content/government/collections/police-workforce-england-and-wales`: the gov.uk
  content-API JSON of the document collection; its `links.documents` name two release pages and an
  unrelated user guide (a loader must ignore it; it is not mirrored);
* `www.gov.uk/api/content/government/statistics/police-workforce-england-and-wales-31-march-2025` and
  `...-30-september-2025`: the release pages, whose `details.attachments` point at
* `assets.publishing.service.gov.uk/media/<24 hex>/<file>`: the open data tables (five in the July release,
  workforce and functions in the January one), plus a bulletin-tables ODS and an HTML attachment to skip.

The layout follows `extract.home_office.workforce_settings` (the contract the loader reads). Quirks a loader
must cope with: release 2's snapshot column is `As at` holding dates (release 1: `As at 31 March` holding
years); the functions table's header sits under two title lines; `Local Policing` / `Local policing` case
change; `Hampshire` / `Hampshire and Isle of Wight` by snapshot; a `[x]` marker in one limited-duties
headcount; and release 2 revises Kent's officer FTE at 31 March 2025 by +12.5 (headcount +13).

Invariant: for every force x snapshot x worker type (and sex) the functions table's FTE sums, to the
hundredth, to the workforce table's FTE. All figures are whole hundredths of an FTE drawn from
`random.Random` generators keyed on (seed, stream, key), and the workbook writer is byte-stable, so the
same seed gives byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import os
import random
import sys
import time
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from extract.home_office.sample import _timestamp, load_forces, media_hex
from extract.home_office.workforce_settings import (
    ABSENCE,
    ASSET_HOST,
    COLLECTION_PATH,
    CONTENT_HOST,
    DUTY_TYPES,
    FILE_PATTERNS,
    FUNCTIONS,
    JOINER,
    JOINERS_LEAVERS,
    LEAVER,
    LIMITED_DUTIES,
    LOCAL_POLICING,
    LONG_TERM_SICK,
    NEIGHBOURHOOD_SUBGROUPS,
    NOT_APPLICABLE,
    OFFICER,
    PCSO,
    PUBLISHED_HEADERS,
    VOLUNTARY_RESIGNATION,
    WORKER_TYPES,
    WORKFORCE,
)
from extract.workbook_writer import COMPRESS_LEVEL, ODS_MEDIA_TYPE, Cell, write_ods

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"
DEFAULT_SEED = 20250723

STAFF, DESIGNATED = "Police Staff", "Designated Officer"
assert (OFFICER, STAFF, PCSO, DESIGNATED) == WORKER_TYPES, "worker types drifted from the contract"
SEXES = ("Male", "Female")
RANKS = ("Constable", "Sergeant", "Inspector", "Chief Inspector", "Superintendent", "Chief Superintendent",
         "Chief Officer")
BTP = "British Transport Police"
BTP_REGION = "British Transport Police"
CITY = "City of London"  # seed spelling
HAMPSHIRE_RENAMED = dt.date(2023, 3, 31)  # snapshots from this date on say "Hampshire and Isle of Wight"
LOCAL_POLICING_CASE_FROM = dt.date(2024, 3, 31)  # "Local Policing" before, "Local policing" from then on

MAR23, MAR24, MAR25, SEP25 = dt.date(2023, 3, 31), dt.date(2024, 3, 31), dt.date(2025, 3, 31), dt.date(2025, 9, 30)
SNAPSHOTS = (MAR23, MAR24, MAR25, SEP25)

COLLECTION_BASE_PATH = COLLECTION_PATH.removeprefix("api/content")  # /government/collections/...
COLLECTION_TITLE = "Police workforce, England and Wales"
USER_GUIDE_PATH = "/government/publications/user-guide-to-police-workforce-statistics"
RELEASE_BASE = "/government/statistics/police-workforce-england-and-wales"


@dataclass(frozen=True)
class Release:
    label: str  # "31 March 2025"
    published: dt.date
    snapshots: tuple[dt.date, ...]
    datasets: tuple[str, ...]
    dated: bool  # snapshot column "As at" holding dates (else "As at 31 March" holding years)
    bulletin: str  # bulletin-tables file name (skipped by a loader)

    @property
    def base_path(self) -> str:
        return f"{RELEASE_BASE}-{self.label.lower().replace(' ', '-')}"

    @property
    def title(self) -> str:
        return f"Police workforce, England and Wales: {self.label}"

    @property
    def suffix(self) -> str:
        return self.published.strftime("%d%m%y")


RELEASES = (
    Release("31 March 2025", dt.date(2025, 7, 23), (MAR23, MAR24, MAR25), (WORKFORCE, FUNCTIONS, ABSENCE,
            LIMITED_DUTIES, JOINERS_LEAVERS), dated=False, bulletin="police-workforce-mar25-tables.ods"),
    Release("30 September 2025", dt.date(2026, 1, 28), SNAPSHOTS, (WORKFORCE, FUNCTIONS), dated=True,
            bulletin="police-workforce-sep25-tables.ods"),
)

FILE_STEMS = {
    WORKFORCE: "open-data-table-police-workforce",
    FUNCTIONS: "open-data-table-police-workforce-functions",
    ABSENCE: "open-data-table-police-workforce-absence",
    LIMITED_DUTIES: "open-data-table-police-workforce-limited-duties",
    JOINERS_LEAVERS: "open-data-table-police-workforce-joiners-leavers",
}
FILE_TITLES = {
    WORKFORCE: "Police workforce open data table",
    FUNCTIONS: "Police workforce by function open data table",
    ABSENCE: "Police workforce long-term sickness absence open data table",
    LIMITED_DUTIES: "Police officers on recuperative and adjusted duties open data table",
    JOINERS_LEAVERS: "Police workforce joiners and leavers open data table",
}
TITLE_ROWS = {FUNCTIONS: 2}  # title lines above the header (the functions table's header row moved)

# National FTE of the 43 forces by snapshot (31 March 2025: the published orders of magnitude).
NATIONAL_FTE = {
    OFFICER: {MAR23: 147_400, MAR24: 147_700, MAR25: 147_000, SEP25: 148_300},
    STAFF: {MAR23: 76_800, MAR24: 78_600, MAR25: 80_000, SEP25: 80_600},
    PCSO: {MAR23: 8_600, MAR24: 8_200, MAR25: 7_900, SEP25: 7_950},
    DESIGNATED: {MAR23: 4_650, MAR24: 4_850, MAR25: 5_000, SEP25: 5_100},
}
# City of London: tiny resident population, ~900 officers; BTP: national, no population. Fixed FTE.
FIXED_FTE = {
    CITY: {OFFICER: 900, STAFF: 520, PCSO: 12, DESIGNATED: 25},
    BTP: {OFFICER: 3_100, STAFF: 1_700, PCSO: 280, DESIGNATED: 0},
}
MET = "Metropolitan Police"
MET_WEIGHT = {OFFICER: 1.55, STAFF: 1.0, PCSO: 1.4, DESIGNATED: 1.0}  # relative to its population share
FTE_PER_HEAD = {OFFICER: 0.97, STAFF: 0.945, PCSO: 0.955, DESIGNATED: 0.95}  # headcount 2-6% above FTE

RANK_SHARES = (0.78, 0.13, 0.045, 0.016, 0.008, 0.003, 0.0015)
FEMALE_SHARE = {OFFICER: (0.38, 0.29, 0.27, 0.25, 0.24, 0.22, 0.25), STAFF: 0.62, PCSO: 0.47, DESIGNATED: 0.5}

# Function taxonomy: (subgroup number, subgroup name, wider number, wider name, frontline type).
VOF, NVOF, OPS, BUS = ("Visible operational frontline", "Non-visible operational frontline", "Operational support",
                       "Business support")
NEIGHBOURHOOD = NEIGHBOURHOOD_SUBGROUPS[0]
SUBGROUPS: tuple[tuple[str, str, int, str, str], ...] = (
    ("1.1", "Incident (response) management", 1, LOCAL_POLICING, VOF),
    ("1.2", NEIGHBOURHOOD, 1, LOCAL_POLICING, VOF),
    ("1.3", "Local policing command team", 1, LOCAL_POLICING, OPS),
    ("1.4", "Specialist community liaison", 1, LOCAL_POLICING, VOF),
    ("2.1", "Front counter", 2, "Dealing with the public", VOF),
    ("2.2", "Control room (call handling)", 2, "Dealing with the public", NVOF),
    ("3.1", "Custody", 3, "Criminal justice arrangements", NVOF),
    ("3.2", "Criminal justice units", 3, "Criminal justice arrangements", OPS),
    ("4.1", "Roads policing", 4, "Road policing", VOF),
    ("5.1", "Armed policing", 5, "Operational support", VOF),
    ("5.2", "Operational planning", 5, "Operational support", OPS),
    ("6.1", "Intelligence", 6, "Intelligence", NVOF),
    ("7.1", "Local investigation and prisoner processing", 7, "Investigations", NVOF),
    ("7.2", "Major investigation", 7, "Investigations", NVOF),
    ("8.1", "Public protection", 8, "Public protection", NVOF),
    ("9.1", "Scenes of crime", 9, "Investigative support", OPS),
    ("10.1", "Counter terrorism and special branch", 10, "National policing", NVOF),
    ("11.1", "Human resources", 11, "Support functions", BUS),
    ("11.2", "Information technology", 11, "Support functions", BUS),
    ("11.3", "Finance and corporate services", 11, "Support functions", BUS),
    ("12.1", "Other", 12, "Other", BUS),
)
_SUBGROUP_INDEX = {s[0]: i for i, s in enumerate(SUBGROUPS)}
NB_INDEX = _SUBGROUP_INDEX["1.2"]
# FTE weights of the subgroups by worker type; neighbourhood policing is set apart (NEIGHBOURHOOD_SHARE).
SUBGROUP_WEIGHTS = {
    OFFICER: {"1.1": 0.15, "1.3": 0.012, "1.4": 0.01, "2.2": 0.02, "3.1": 0.03, "4.1": 0.035, "5.1": 0.05,
              "5.2": 0.025, "6.1": 0.045, "7.1": 0.15, "7.2": 0.05, "8.1": 0.12, "10.1": 0.03, "11.1": 0.02,
              "12.1": 0.015},
    STAFF: {"1.2": 0.02, "1.3": 0.03, "2.1": 0.04, "2.2": 0.20, "3.1": 0.05, "3.2": 0.07, "6.1": 0.08, "7.1": 0.07,
            "8.1": 0.05, "9.1": 0.06, "11.1": 0.10, "11.2": 0.10, "11.3": 0.12, "12.1": 0.03},
    PCSO: {"1.1": 0.03, "1.4": 0.05, "2.1": 0.02},
    DESIGNATED: {"3.1": 0.5, "7.1": 0.3, "9.1": 0.1, "2.2": 0.1},
}
# Share of officer FTE in neighbourhood policing: rising at 30 September 2025 (the neighbourhood uplift).
NEIGHBOURHOOD_SHARE = {OFFICER: {MAR23: 0.215, MAR24: 0.215, MAR25: 0.22, SEP25: 0.232},
                       PCSO: dict.fromkeys(SNAPSHOTS, 0.90)}

ETHNICITY = (("White", "White"), ("Mixed", "Ethnic minorities (excluding White minorities)"),
             ("Asian", "Ethnic minorities (excluding White minorities)"),
             ("Black", "Ethnic minorities (excluding White minorities)"),
             ("Other ethnic group", "Ethnic minorities (excluding White minorities)"), ("Not stated", "Not stated"))
MINORITY_MIX = (0.27, 0.40, 0.20, 0.13)  # Mixed, Asian, Black, Other among ethnic minorities
ETHNIC_MIN_CENTS = 250.0  # a group expected below 2.5 FTE in a cell is shown (as 2.5 FTE or so) with that odds
MINORITY_SHARE = {MET: 0.19, "West Midlands": 0.13, "Bedfordshire": 0.10, "Leicestershire": 0.10}

# Flows and states as shares of the worker type's FTE.
LONG_TERM_SICK_RATE = {OFFICER: 0.026, STAFF: 0.031, PCSO: 0.029}
DUTY_RATES = {DUTY_TYPES[0]: 0.03, DUTY_TYPES[1]: 0.04}
DUTY_RANKS = ("Constable", "Sergeant", "Inspector")  # ranks shown in the limited-duties table
JOINER_RATE = {OFFICER: {2023: 0.112, 2024: 0.064, 2025: 0.058}, STAFF: {2023: 0.115, 2024: 0.11, 2025: 0.105}}
LEAVER_RATE = {OFFICER: 0.06, STAFF: 0.10}
LEAVER_TYPES = (VOLUNTARY_RESIGNATION, "Retirement", "Dismissal", "Transfer to another force", "Other")
LEAVER_MIX = {  # by rank group: constables resign, senior ranks retire
    "Constable": (0.54, 0.26, 0.04, 0.11, 0.05),
    "Sergeant": (0.25, 0.60, 0.02, 0.09, 0.04),
    "senior": (0.06, 0.80, 0.01, 0.09, 0.04),
    STAFF: (0.60, 0.15, 0.03, 0.07, 0.15),
}
LEAVER_RANKS = (0.82, 0.09, 0.048, 0.022, 0.012, 0.005, 0.003)

REVISION = {"force": "Kent", "snapshot": MAR25, "worker_type": OFFICER, "sex": "Male", "rank": "Constable",
            "ethnicity": "White", "subgroup": "1.2", "fte_cents": 1250, "headcount": 13}
MARKER = {"force": "Dyfed-Powys", "snapshot": MAR23, "sex": "Female", "rank": "Constable",
          "duty_type": DUTY_TYPES[1], "marker": "[x]"}


@dataclass(frozen=True)
class Unit:
    geocode: str | None
    name: str  # seed spelling
    region: str
    population: int


@dataclass
class Data:
    """Everything drawn, before any release's layout: FTE in hundredths."""

    # (snapshot, unit, worker type) -> [(sex, rank, headcount, fte cents)]
    workforce: dict[tuple[dt.date, int, str], list[tuple[str, str, int, int]]] = field(default_factory=dict)
    # (snapshot, unit, worker type) -> [(ethnicity index, sex, subgroup index, fte cents)]
    functions: dict[tuple[dt.date, int, str], list[tuple[int, str, int, int]]] = field(default_factory=dict)
    # (snapshot, unit) -> [(worker type, sex, headcount, fte cents)]
    absence: dict[tuple[dt.date, int], list[tuple[str, str, int, int]]] = field(default_factory=dict)
    # (snapshot, unit) -> [(sex, rank, duty type, headcount, fte cents)]
    duties: dict[tuple[dt.date, int], list[tuple[str, str, str, int, int]]] = field(default_factory=dict)
    # (year ending, unit) -> [(worker type, sex, rank, movement, leaver type, headcount, fte cents)]
    flows: dict[tuple[int, int], list[tuple[str, str, str, str, str, int, int]]] = field(default_factory=dict)


# --- names and helpers ---------------------------------------------------------------------------------


def published_force_name(seed_name: str, snapshot: dt.date) -> str:
    """Home Office spelling of a force in the workforce tables at a snapshot."""
    if seed_name == CITY:
        return "London, City of"
    if seed_name == "Hampshire":
        return "Hampshire" if snapshot < HAMPSHIRE_RENAMED else "Hampshire and Isle of Wight"
    return seed_name.replace(" & ", " and ")  # "Devon and Cornwall", never "Devon & Cornwall"


def wider_function_name(name: str, snapshot: dt.date) -> str:
    if name == LOCAL_POLICING and snapshot < LOCAL_POLICING_CASE_FROM:
        return "Local Policing"
    return name


def load_units() -> list[Unit]:
    """The 43 force areas (seed order) and BTP last."""
    with (SEEDS_DIR / "police_force_areas.csv").open(newline="", encoding="utf-8") as f:
        regions = {r["force_id"]: r["region_name"] for r in csv.DictReader(f)}
    units = [Unit(f.force_id, f.name, regions[f.force_id], f.population) for f in load_forces()]
    return [*units, Unit(None, BTP, BTP_REGION, 0)]


def _rng(seed: int, *key: object) -> random.Random:
    return random.Random("/".join(map(str, (seed, *key))))  # str seeds hash with SHA-512: stable across runs


def _apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split a whole number over weights (largest remainder, ties to the first): sums exactly to total."""
    s = sum(weights)
    if total <= 0 or s <= 0:
        return [total] + [0] * (len(weights) - 1) if weights else []
    raw = [total * w / s for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (parts[i] - raw[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _people(rng: random.Random, expected_fte: float, per_head: float) -> tuple[int, int]:
    """(headcount, FTE cents) for a cell: headcount drawn around expected FTE / FTE per head; FTE <= headcount."""
    heads = round(expected_fte / per_head * rng.uniform(0.96, 1.04))
    if heads <= 0:
        return 0, 0
    ratio = 1.0 if heads <= 2 else min(1.0, per_head + rng.uniform(-0.012, 0.012))
    return heads, round(heads * ratio * 100)


def _fte(cents: int) -> float:
    return cents / 100


# --- drawing -------------------------------------------------------------------------------------------


def _force_totals(units: list[Unit], seed: int) -> dict[tuple[dt.date, int, str], float]:
    """Expected FTE per snapshot x unit x worker type: population shares scaled to the national totals."""
    out: dict[tuple[dt.date, int, str], float] = {}
    for wt in WORKER_TYPES:
        size = _rng(seed, "size", wt)
        base = [u.population * (MET_WEIGHT[wt] if u.name == MET else 1.0) * size.uniform(0.88, 1.12) for u in units]
        for snap in SNAPSHOTS:
            drift = _rng(seed, "drift", wt, snap)
            weights = [0.0 if u.name in FIXED_FTE else b * drift.uniform(0.985, 1.015)
                       for u, b in zip(units, base, strict=True)]
            fixed = sum(FIXED_FTE[u.name][wt] for u in units if u.name == CITY)
            scale = (NATIONAL_FTE[wt][snap] - fixed) / sum(weights)
            for i, u in enumerate(units):
                growth = 1 + 0.004 * SNAPSHOTS.index(snap)
                out[snap, i, wt] = FIXED_FTE[u.name][wt] * growth if u.name in FIXED_FTE else weights[i] * scale
    return out


def _draw_workforce(data: Data, units: list[Unit], seed: int) -> None:
    totals = _force_totals(units, seed)
    for (snap, i, wt), total in totals.items():
        rng = _rng(seed, "workforce", snap, i, wt)
        rows = []
        for sex in SEXES:
            if wt == OFFICER:
                for r, rank in enumerate(RANKS):
                    share = FEMALE_SHARE[OFFICER][r] if sex == "Female" else 1 - FEMALE_SHARE[OFFICER][r]
                    heads, cents = _people(rng, total * RANK_SHARES[r] / sum(RANK_SHARES) * share, FTE_PER_HEAD[wt])
                    if heads:
                        rows.append((sex, rank, heads, cents))
            else:
                female = FEMALE_SHARE[wt]
                assert isinstance(female, float)
                heads, cents = _people(rng, total * (female if sex == "Female" else 1 - female), FTE_PER_HEAD[wt])
                if heads:
                    rows.append((sex, NOT_APPLICABLE, heads, cents))
        if rows:
            data.workforce[snap, i, wt] = rows


def _split_ethnicity(rng: random.Random, cents: int, shares: Sequence[float]) -> list[int]:
    """Split a cell over the six ethnic groups, leaving small expected groups empty most of the time (so few rows,
    and about the expected amount on average)."""
    expected = [cents * s for s in shares]
    small = ETHNIC_MIN_CENTS
    weights = [expected[0]] + [max(e, small) if (e >= small or rng.random() < e / small) else 0.0 for e in expected[1:]]
    if not any(weights):
        weights[0] = 1.0
    return _apportion(cents, weights)


def _draw_functions(data: Data, units: list[Unit], seed: int) -> None:
    for i, unit in enumerate(units):
        if unit.geocode is None:  # BTP is not in the functions table
            continue
        force = _rng(seed, "functions-force", i)
        minority = MINORITY_SHARE.get(unit.name, force.uniform(0.025, 0.07))
        not_stated = force.uniform(0.01, 0.05)
        factors = {wt: [force.lognormvariate(0, 0.2) for _ in SUBGROUPS] for wt in WORKER_TYPES}
        nb_factor = {OFFICER: force.uniform(0.85, 1.15), PCSO: force.uniform(0.95, 1.05)}
        for snap in SNAPSHOTS:
            for wt in WORKER_TYPES:
                rows = data.workforce.get((snap, i, wt))
                if not rows:
                    continue
                rng = _rng(seed, "functions", snap, i, wt)
                weights = [SUBGROUP_WEIGHTS[wt].get(s[0], 0.0) * factors[wt][g] * rng.uniform(0.97, 1.03)
                           for g, s in enumerate(SUBGROUPS)]
                if wt in NEIGHBOURHOOD_SHARE:
                    nb = min(0.97, NEIGHBOURHOOD_SHARE[wt][snap] * nb_factor[wt])
                    rest = sum(weights)
                    weights = [w * (1 - nb) / rest for w in weights]
                    weights[NB_INDEX] = nb
                m = minority * (1.3 if wt == STAFF else 1.0)
                shares = [1 - m - not_stated, *(m * x for x in MINORITY_MIX), not_stated]
                out = []
                for sex in SEXES:
                    cents = sum(r[3] for r in rows if r[0] == sex)
                    for g, part in enumerate(_apportion(cents, weights)):
                        if part:
                            for e, value in enumerate(_split_ethnicity(rng, part, shares)):
                                if value:
                                    out.append((e, sex, g, value))
                data.functions[snap, i, wt] = sorted(out)


def _draw_absence_duties(data: Data, units: list[Unit], seed: int) -> None:
    for i, unit in enumerate(units):
        if unit.geocode is None:
            continue
        force = _rng(seed, "states-force", i)
        sick_factor = force.uniform(0.8, 1.25)
        duty_factor = force.uniform(0.8, 1.2)
        for snap in SNAPSHOTS[:3]:  # 31 March snapshots
            rng = _rng(seed, "states", snap, i)
            sick = []
            for wt, rate in LONG_TERM_SICK_RATE.items():
                for sex in SEXES:
                    cents = sum(r[3] for r in data.workforce.get((snap, i, wt), []) if r[0] == sex)
                    heads, fte = _people(rng, cents / 100 * rate * sick_factor, 0.96)
                    if heads:
                        sick.append((wt, sex, heads, fte))
            data.absence[snap, i] = sick
            duties = []
            officers = {(r[0], r[1]): r[3] for r in data.workforce.get((snap, i, OFFICER), [])}
            for sex in SEXES:
                for rank in DUTY_RANKS:
                    base = officers.get((sex, rank), 0) / 100
                    for duty, rate in DUTY_RATES.items():
                        heads, fte = _people(rng, base * rate * duty_factor, 0.96)
                        if heads:
                            duties.append((sex, rank, duty, heads, fte))
            data.duties[snap, i] = duties



def _draw_flows(data: Data, units: list[Unit], seed: int) -> None:
    for i, unit in enumerate(units):
        if unit.geocode is None:
            continue
        for snap in SNAPSHOTS[:3]:
            year = snap.year
            rng = _rng(seed, "flows", year, i)
            rows = []
            for wt in (OFFICER, STAFF):
                fte = sum(r[3] for r in data.workforce.get((snap, i, wt), [])) / 100
                female = FEMALE_SHARE[OFFICER][0] if wt == OFFICER else FEMALE_SHARE[STAFF]
                assert isinstance(female, float)
                for sex in SEXES:
                    sex_share = female if sex == "Female" else 1 - female
                    rank = "Constable" if wt == OFFICER else NOT_APPLICABLE
                    heads, cents = _people(rng, fte * JOINER_RATE[wt][year] * sex_share, 0.98)
                    if heads:
                        rows.append((wt, sex, rank, JOINER, NOT_APPLICABLE, heads, cents))
                    ranks = list(zip(RANKS, LEAVER_RANKS, strict=True)) if wt == OFFICER else [(NOT_APPLICABLE, 1.0)]
                    for rank, rank_share in ranks:
                        mix = LEAVER_MIX[rank if rank in LEAVER_MIX else ("senior" if wt == OFFICER else STAFF)]
                        for leaver_type, type_share in zip(LEAVER_TYPES, mix, strict=True):
                            expected = fte * LEAVER_RATE[wt] * sex_share * rank_share * type_share
                            heads, cents = _people(rng, expected, 0.98)
                            if heads:
                                rows.append((wt, sex, rank, LEAVER, leaver_type, heads, cents))
            data.flows[year, i] = rows


def draw(units: list[Unit], seed: int) -> Data:
    data = Data()
    _draw_workforce(data, units, seed)
    _draw_functions(data, units, seed)
    _draw_absence_duties(data, units, seed)
    _draw_flows(data, units, seed)
    return data


# --- sheets --------------------------------------------------------------------------------------------


def _snapshot_cell(release: Release, snap: dt.date) -> Cell:
    # Dates go in as ISO text and become ODF date cells after writing (the writer has no date cells).
    return snap.isoformat() if release.dated else snap.year


def _header(release: Release, dataset: str) -> list[Cell]:
    header: list[Cell] = list(PUBLISHED_HEADERS[dataset])
    if release.dated:
        header[0] = "As at"
    return header


def _force_cells(unit: Unit, snap: dt.date) -> list[Cell]:
    return [unit.geocode, published_force_name(unit.name, snap), unit.region]


def _data_rows(release: Release, dataset: str, data: Data, units: list[Unit], revised: bool) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    rev_unit = next(i for i, u in enumerate(units) if u.name == REVISION["force"])
    for snap in release.snapshots:
        at = _snapshot_cell(release, snap)
        for i, unit in enumerate(units):
            force = _force_cells(unit, snap)
            is_rev = revised and i == rev_unit and snap == REVISION["snapshot"]
            if dataset == WORKFORCE:
                for wt in WORKER_TYPES:
                    for sex, rank, heads, cents in data.workforce.get((snap, i, wt), []):
                        if is_rev and (wt, sex, rank) == (REVISION["worker_type"], REVISION["sex"], REVISION["rank"]):
                            heads, cents = heads + REVISION["headcount"], cents + REVISION["fte_cents"]
                        rows.append([at, *force, sex, rank, wt, heads, _fte(cents)])
            elif dataset == FUNCTIONS:
                for wt in WORKER_TYPES:
                    for e, sex, g, cents in data.functions.get((snap, i, wt), []):
                        number, name, wider_number, wider, frontline = SUBGROUPS[g]
                        if is_rev and (wt, sex, ETHNICITY[e][0], number) == (
                                REVISION["worker_type"], REVISION["sex"], REVISION["ethnicity"], REVISION["subgroup"]):
                            cents += REVISION["fte_cents"]
                        rows.append([at, *force, wt, *ETHNICITY[e], sex, number, name, wider_number,
                                     wider_function_name(wider, snap), frontline, _fte(cents)])
            elif dataset == ABSENCE:
                for wt, sex, heads, cents in data.absence.get((snap, i), []):
                    rows.append([at, *force, wt, sex, LONG_TERM_SICK, heads, _fte(cents)])
            elif dataset == LIMITED_DUTIES:
                for sex, rank, duty, heads, cents in data.duties.get((snap, i), []):
                    marked = (unit.name, snap, sex, rank, duty) == (
                        MARKER["force"], MARKER["snapshot"], MARKER["sex"], MARKER["rank"], MARKER["duty_type"])
                    rows.append([at, *force, OFFICER, sex, rank, duty, MARKER["marker"] if marked else heads,
                                 _fte(cents)])
            elif dataset == JOINERS_LEAVERS:
                for wt, sex, rank, movement, leaver_type, heads, cents in data.flows.get((snap.year, i), []):
                    rows.append([at, *force, wt, sex, rank, movement, leaver_type, heads, _fte(cents)])
    return rows


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _cover(title: str, release: Release) -> list[list[Cell]]:
    return [
        [title],
        [f"Released: {_long_date(release.published)}"],
        ["Source: Home Office Annual Data Requirement (ADR) returns from the 43 police forces of England and Wales "
         "and British Transport Police"],
        ["Official statistics: figures for earlier years may be revised in later releases."],
        ["Contact: crimeandpolicestats@homeoffice.gov.uk"],
        ["Next release: see the gov.uk research and statistics calendar"],
    ]


_NOTES = [
    "Full-time equivalent (FTE) figures are rounded to two decimal places; headcounts are whole people.",
    "Officers on career breaks are excluded; officers on maternity or paternity leave are included.",
    "City of London is shown as 'London, City of'. Hampshire Constabulary became Hampshire and Isle of Wight "
    "Constabulary and is shown as 'Hampshire and Isle of Wight' from 31 March 2023.",
    "British Transport Police is not a police force area and has no geocode; it appears in the workforce table only.",
    "[x] = not available. Zero cells are not shown.",
    "Figures for earlier years are revised where forces resubmitted data.",
]


def _notes() -> list[list[Cell]]:
    return [["Note number", "Note text"], *[[f"Note {i}", text] for i, text in enumerate(_NOTES, 1)]]


def _period(release: Release, dataset: str) -> str:
    if dataset == JOINERS_LEAVERS:
        return (f"years ending 31 March {release.snapshots[0].year} to "
                f"31 March {release.snapshots[-1].year}")
    return f"as at {_long_date(release.snapshots[0])} to {_long_date(release.snapshots[-1])}"


def _title(release: Release, dataset: str) -> str:
    return f"{FILE_TITLES[dataset]}, England and Wales, {_period(release, dataset)}"


# --- files ---------------------------------------------------------------------------------------------


_ISO_STRING_CELL = '<table:table-cell office:value-type="string"><text:p>{iso}</text:p></table:table-cell>'
_DATE_CELL = ('<table:table-cell office:value-type="date" office:date-value="{iso}"><text:p>{shown}</text:p>'
              "</table:table-cell>")


def _convert_date_cells(path: Path, dates: Sequence[dt.date]) -> None:
    """Turn the ISO-text cells of `dates` into ODF date cells (rewriting the zip with the same member order and
    attributes, so the file stays byte-stable)."""
    with zipfile.ZipFile(path) as zin:
        members = [(info, zin.read(info)) for info in zin.infolist()]
    part = path.with_suffix(path.suffix + ".part")
    try:
        with zipfile.ZipFile(part, "w") as zout:
            for info, payload in members:
                if info.filename == "content.xml":
                    for day in dates:
                        text = _ISO_STRING_CELL.format(iso=day.isoformat()).encode()
                        if text not in payload:
                            raise ValueError(f"{path.name}: no {day.isoformat()} cells to turn into dates")
                        payload = payload.replace(
                            text, _DATE_CELL.format(iso=day.isoformat(), shown=day.strftime("%d/%m/%Y")).encode())
                level = COMPRESS_LEVEL if info.compress_type == zipfile.ZIP_DEFLATED else None
                zout.writestr(info, payload, compresslevel=level)
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


def _write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_suffix(path.suffix + ".part")
    part.write_bytes(data)
    os.replace(part, path)


def _asset_url(filename: str, release: Release) -> str:
    return f"https://{ASSET_HOST}/media/{media_hex(filename, release.published)}/{filename}"


def _asset_path(root: Path, url: str) -> Path:
    return root / ASSET_HOST / url.removeprefix(f"https://{ASSET_HOST}/")


def _attachment_id(filename: str, release: Release) -> str:
    return str(1_000_000 + int(hashlib.sha1(f"{filename}{release.published}".encode()).hexdigest()[:8], 16) % 9_000_000)


def _bulletin_sheets(release: Release) -> list[tuple[str, list[list[Cell]]]]:
    index: list[list[Cell]] = [
        [f"Police workforce, England and Wales: {release.label} - data tables"],
        [f"Released: {_long_date(release.published)}"],
        [],
        ["Table number", "Title", "Period covered", "Official Statistics", "Last updated"],
        ["Table_1", "Police officers by police force area (FTE)", release.label, "Yes", _long_date(release.published)],
        ["Table_2", "Police staff, PCSOs and designated officers by police force area (FTE)", release.label, "Yes",
         _long_date(release.published)],
    ]
    return [("Index", index)]


def _release_document(release: Release, attachments: list[dict[str, object]]) -> dict[str, object]:
    published = _timestamp(release.published)
    html_url = f"https://{CONTENT_HOST}{release.base_path}/{release.base_path.rsplit('/', 1)[1]}"
    html_attachment = {"attachment_type": "html", "id": _attachment_id("html", release), "title": release.title,
                       "url": html_url, "content_type": "text/html"}
    return {
        "base_path": release.base_path,
        "content_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://{CONTENT_HOST}{release.base_path}")),
        "title": release.title,
        "description": f"Police workforce numbers in the 43 police forces of England and Wales as at {release.label}.",
        "locale": "en",
        "phase": "live",
        "schema_name": "publication",
        "document_type": "official_statistics",
        "first_published_at": published,
        "public_updated_at": published,
        "details": {
            "body": "<div class=\"govspeak\"><p>Statistics on the numbers of police officers and staff in England and "
                    "Wales, with open data tables.</p></div>",
            "attachments": [html_attachment, *attachments],
            "change_history": [{"public_timestamp": published, "note": "First published."}],
            "political": False,
        },
        "links": {
            "document_collections": [{"base_path": COLLECTION_BASE_PATH, "title": COLLECTION_TITLE,
                                      "api_path": f"/{COLLECTION_PATH}"}],
            "organisations": [{"title": "Home Office", "base_path": "/government/organisations/home-office",
                               "api_path": "/api/content/government/organisations/home-office"}],
        },
    }


def _collection_document() -> dict[str, object]:
    documents = [
        {"base_path": r.base_path, "title": r.title, "public_updated_at": _timestamp(r.published),
         "document_type": "official_statistics", "api_path": f"/api/content{r.base_path}"}
        for r in sorted(RELEASES, key=lambda r: r.published, reverse=True)
    ]
    guide_day = dt.date(2025, 7, 23)
    documents.append({"base_path": USER_GUIDE_PATH, "title": "User guide to police workforce statistics",
                      "public_updated_at": _timestamp(guide_day), "document_type": "official_statistics",
                      "api_path": f"/api/content{USER_GUIDE_PATH}"})
    return {
        "base_path": COLLECTION_BASE_PATH,
        "content_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://{CONTENT_HOST}{COLLECTION_BASE_PATH}")),
        "title": COLLECTION_TITLE,
        "description": "Statistics on the police workforce in England and Wales, published twice a year.",
        "locale": "en",
        "schema_name": "document_collection",
        "document_type": "document_collection",
        "public_updated_at": _timestamp(max(r.published for r in RELEASES)),
        "details": {"collection_groups": [{"title": "Police workforce statistics",
                                           "documents": [str(uuid.uuid5(uuid.NAMESPACE_URL,
                                                                        f"https://{CONTENT_HOST}{d['base_path']}"))
                                                         for d in documents]}]},
        "links": {"documents": documents},
    }


def _dump(path: Path, document: dict[str, object]) -> None:
    _write_bytes(path, json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8"))


def generate_workforce_mirror(root: Path, *, seed: int = DEFAULT_SEED) -> dict[str, object]:
    """Write the sample mirror under `root`; return a manifest of releases, files (with row counts) and quirks."""
    root = Path(root)
    units = load_units()
    data = draw(units, seed)
    files: list[dict[str, object]] = []
    releases: list[dict[str, object]] = []
    for number, release in enumerate(RELEASES):
        revised = number > 0
        attachments: list[dict[str, object]] = []
        written: list[str] = []

        def add(filename: str, title: str, sheets: list[tuple[str, list[list[Cell]]]], dataset: str | None,
                data_rows: int, header_row: int | None, release: Release = release,
                attachments: list[dict[str, object]] = attachments, written: list[str] = written) -> None:
            url = _asset_url(filename, release)
            path = _asset_path(root, url)
            write_ods(path, sheets)
            if dataset is not None and release.dated:
                _convert_date_cells(path, release.snapshots)
            size = path.stat().st_size
            attachments.append({"attachment_type": "file", "id": _attachment_id(filename, release), "title": title,
                                "url": url, "filename": filename, "content_type": ODS_MEDIA_TYPE, "file_size": size})
            rel = path.relative_to(root).as_posix()
            written.append(rel)
            files.append({"path": rel, "url": url, "release": release.base_path, "dataset": dataset, "bytes": size,
                          "rows": {name: len(rows) for name, rows in sheets}, "data_rows": data_rows,
                          "header_row": header_row})

        add(release.bulletin, f"{release.title}: data tables", _bulletin_sheets(release), None, 0, None)
        for dataset in release.datasets:
            filename = f"{FILE_STEMS[dataset]}-{release.suffix}.ods"
            assert next(d for d, p in FILE_PATTERNS if p.match(filename)) == dataset
            rows = _data_rows(release, dataset, data, units, revised)
            titles: list[list[Cell]] = []
            if dataset in TITLE_ROWS:
                titles = [[_title(release, dataset)], ["Full-time equivalents (FTE). Zero cells are not shown."]]
                assert len(titles) == TITLE_ROWS[dataset]
            sheets = [("Cover_sheet", _cover(_title(release, dataset), release)), ("Notes", _notes()),
                      ("Data", [*titles, _header(release, dataset), *rows])]
            add(filename, FILE_TITLES[dataset], sheets, dataset, len(rows), len(titles))
        document_path = root / CONTENT_HOST / f"api/content{release.base_path}".lstrip("/")
        _dump(document_path, _release_document(release, attachments))
        releases.append({
            "base_path": release.base_path, "title": release.title, "published": release.published.isoformat(),
            "suffix": release.suffix, "snapshots": [s.isoformat() for s in release.snapshots],
            "snapshot_header": _header(release, WORKFORCE)[0], "datasets": list(release.datasets),
            "content_api": document_path.relative_to(root).as_posix(), "files": written,
        })
    collection_path = root / CONTENT_HOST / COLLECTION_PATH
    _dump(collection_path, _collection_document())
    return {
        "seed": seed,
        "collection": collection_path.relative_to(root).as_posix(),
        "releases": releases,
        "files": files,
        "quirks": _quirks(data, units),
        "totals": _totals(data, units),
    }


def _quirks(data: Data, units: list[Unit]) -> list[dict[str, object]]:
    kent = next(i for i, u in enumerate(units) if u.name == REVISION["force"])
    snap = REVISION["snapshot"]
    assert isinstance(snap, dt.date)
    old_cents = sum(r[3] for r in data.workforce[snap, kent, OFFICER])
    old_heads = sum(r[2] for r in data.workforce[snap, kent, OFFICER])
    row = next(r for r in data.workforce[snap, kent, OFFICER] if r[:2] == (REVISION["sex"], REVISION["rank"]))
    e = next(i for i, eth in enumerate(ETHNICITY) if eth[0] == REVISION["ethnicity"])
    g = _SUBGROUP_INDEX[str(REVISION["subgroup"])]
    fn_cents = next(r[3] for r in data.functions[snap, kent, OFFICER] if r[:3] == (e, REVISION["sex"], g))
    first, second = RELEASES
    delta = int(REVISION["fte_cents"]) / 100
    dyfed = next(u for u in units if u.name == MARKER["force"])
    return [
        {"kind": "revision", "release": second.base_path, "previous_release": first.base_path,
         "datasets": [WORKFORCE, FUNCTIONS], "force": published_force_name(units[kent].name, snap),
         "geocode": units[kent].geocode, "snapshot": snap.isoformat(), "worker_type": OFFICER,
         "fte_old": old_cents / 100, "fte_new": (old_cents + int(REVISION["fte_cents"])) / 100, "fte_change": delta,
         "headcount_old": old_heads, "headcount_new": old_heads + int(REVISION["headcount"]),
         "workforce_row": {"sex": REVISION["sex"], "rank": REVISION["rank"], "fte_old": row[3] / 100,
                           "fte_new": (row[3] + int(REVISION["fte_cents"])) / 100, "headcount_old": row[2],
                           "headcount_new": row[2] + int(REVISION["headcount"])},
         "functions_row": {"sex": REVISION["sex"], "ethnicity_5_plus_1": REVISION["ethnicity"],
                           "function_subgroup_number": REVISION["subgroup"],
                           "function_subgroup_name": SUBGROUPS[g][1], "wider_function_name": SUBGROUPS[g][3],
                           "fte_old": fn_cents / 100, "fte_new": (fn_cents + int(REVISION["fte_cents"])) / 100}},
        {"kind": "snapshot_header", "release": second.base_path, "datasets": list(second.datasets),
         "header": "As at", "cells": "date", "previous_header": PUBLISHED_HEADERS[WORKFORCE][0],
         "previous_cells": "year"},
        {"kind": "header_row", "dataset": FUNCTIONS, "sheet": "Data", "title_rows": TITLE_ROWS[FUNCTIONS]},
        {"kind": "case_change", "dataset": FUNCTIONS, "column": "Wider function name",
         "values": {wider_function_name(LOCAL_POLICING, s): [x.isoformat() for x in SNAPSHOTS
                                                             if wider_function_name(LOCAL_POLICING, x)
                                                             == wider_function_name(LOCAL_POLICING, s)]
                    for s in SNAPSHOTS}},
        {"kind": "force_name", "force_id": "E23000030", "names": {
            "Hampshire": f"snapshots before {HAMPSHIRE_RENAMED.isoformat()}",
            "Hampshire and Isle of Wight": f"snapshots from {HAMPSHIRE_RENAMED.isoformat()}"}},
        {"kind": "force_name", "force_id": "E23000034", "names": {"London, City of": "all snapshots"}},
        {"kind": "marker", "dataset": LIMITED_DUTIES, "release": first.base_path, "column": "Total (Headcount)",
         "marker": MARKER["marker"], "force": published_force_name(dyfed.name, MAR23), "geocode": dyfed.geocode,
         "snapshot": MAR23.isoformat(), "sex": MARKER["sex"], "rank": MARKER["rank"],
         "duty_type": MARKER["duty_type"]},
        {"kind": "no_geocode", "dataset": WORKFORCE, "force": BTP, "region": BTP_REGION},
        {"kind": "excluded_attachments", "files": [r.bulletin for r in RELEASES], "html": True},
        {"kind": "unrelated_collection_document", "base_path": USER_GUIDE_PATH, "mirrored": False},
    ]


def _totals(data: Data, units: list[Unit]) -> dict[str, object]:
    """National (43 forces) FTE by snapshot and worker type, and neighbourhood FTE, before the revision."""
    fte: dict[str, dict[str, float]] = {}
    neighbourhood: dict[str, float] = {}
    for snap in SNAPSHOTS:
        fte[snap.isoformat()] = {
            wt: round(sum(r[3] for i, u in enumerate(units) if u.geocode
                          for r in data.workforce.get((snap, i, wt), [])) / 100, 2)
            for wt in WORKER_TYPES}
        neighbourhood[snap.isoformat()] = round(sum(
            r[3] for (s, _i, wt), rows in data.functions.items() if s == snap and wt in (OFFICER, PCSO)
            for r in rows if r[2] == NB_INDEX) / 100, 2)
    return {"fte_43_forces": fte, "neighbourhood_fte_officers_and_pcsos": neighbourhood}


def main(argv: list[str] | None = None) -> int:
    """Command line: write the sample mirror and print one summary line."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="mirror root directory")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    manifest = generate_workforce_mirror(args.out, seed=args.seed)
    files = manifest["files"]
    assert isinstance(files, list)
    total = sum(int(f["bytes"]) for f in files)
    print(f"workforce sample: wrote {len(files)} files ({total / 1e6:.1f} MB) and the content-API documents to "
          f"{args.out} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
