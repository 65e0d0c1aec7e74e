"""Deterministic sample mirror of the Home Office police recorded crime and outcomes open data tables.

`generate_home_office_mirror` writes, under a mirror root (`<root>/<host>/<url path>`):

* `www.gov.uk/api/content/government/statistical-data-sets/police-recorded-crime-and-outcomes-open-data-tables`,
  the gov.uk content-API JSON of the landing page, whose `details.attachments` point at
* `assets.publishing.service.gov.uk/media/<24 hex>/<file>`: the PRC force-area ODS, one outcomes XLSX per
  financial year, and the files a loader must skip (alternate outcomes ODS, supplementary metrics XLSX,
  geography lookup CSV).

Layouts, names and quirks follow ../shared/reference/sources.md section 3: sheet-name and header wording
that change between years, force-name spellings, `N/A` marker spellings, the expired offence code 53A,
negative corrections, a force-quarter with no outcomes data and the Devon and Cornwall data break.

Invariant the warehouse reconciles on: for every force x quarter x offence code, the outcomes file's
"recorded in the quarter" counts over all outcome types sum to the PRC file's `Number of Offences`
(except where the outcomes file says `N/A - data not provided`). All draws come from numpy generators
keyed on (seed, financial year, stream), so the same arguments give byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import html
import io
import json
import os
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from extract.workbook_writer import ODS_MEDIA_TYPE, XLSX_MEDIA_TYPE, Cell, Rows, write_ods, write_xlsx

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"

GOVUK_HOST = "www.gov.uk"
ASSETS_HOST = "assets.publishing.service.gov.uk"
BASE_PATH = "/government/statistical-data-sets/police-recorded-crime-and-outcomes-open-data-tables"
CONTENT_API_PATH = f"api/content{BASE_PATH}"
PAGE_TITLE = "Police recorded crime and outcomes open data tables"
FIRST_PUBLISHED_AT = "2016-07-21T09:30:00.000+01:00"
CSV_MEDIA_TYPE = "text/csv"

DEFAULT_RELEASE = dt.date(2026, 1, 22)
DEFAULT_SEED = 20260122
DEFAULT_YEARS = ("2022-23", "2023-24", "2024-25", "2025-26")
QUARTERS_IN_LAST_YEAR = 2  # January release: the current year has Apr-Jun and Jul-Sep only

PRC_HEADER = [
    "Financial Year", "Financial Quarter", "Force Name", "Offence Description", "Offence Group",
    "Offence Subgroup", "Offence Code", "Number of Offences",
]
RECORDED_HEADER = "Outcomes for offences that were recorded in the quarter"
CLOSED_HEADER = "Outcomes for investigations closed in the quarter"
OUTCOMES_HEADER = [
    "Financial Year", "Financial Quarter", "Force Name", "Offence Code", "Offence Description", "Offence Group",
    "Offence Subgroup", "Offence code expired", "Outcome Type", "Outcome Description", "Outcome Group",
    RECORDED_HEADER, CLOSED_HEADER,
]

BTP = "British Transport Police"
GMP_POPULATION = 2_850_000  # seed population is blank (ONS '..'); only sizes volumes
CITY_POPULATION = 8_600
CITY_ANNUAL_CRIMES = 6_600  # tiny resident population, large daytime one: real City records ~6-7k a year
BTP_ANNUAL_CRIMES = 60_000
CRIMES_PER_1000 = 85.0  # force annual recorded crime (excluding fraud) per 1,000 residents
QUARTER_SEASONALITY = np.array([1.02, 1.05, 0.99, 0.94])

# Fraud is recorded nationally, so the PRC file carries it under reporting bodies rather than forces.
FRAUD_BODIES: list[tuple[str, str, int]] = [  # (force name, offence code, annual volume)
    ("Action Fraud", "53J", 330_000),
    ("CIFAS", "53K", 320_000),
    ("UK Finance", "53L", 90_000),
]

EXPIRED_CODE = ("53A", "Cheque, plastic card and online bank accounts (not PSP)", "Fraud offences to 2012/13",
                "Fraud offences to 2012/13")
NOT_PROVIDED = "N/A - data not provided"
CLOSED_NOT_APPLICABLE = "N/A"  # outcome type 0 has no "closed" count
NO_DATA_FORCE, NO_DATA_YEAR, NO_DATA_QUARTER = "Cumbria", "2022-23", 1
DATA_BREAK_FORCE, DATA_BREAK_YEARS, DATA_BREAK_SHARE = "Devon and Cornwall", ("2022-23", "2023-24"), 0.70
NEGATIVE_CLOSED_ROWS = 30
NEGATIVE_RECORDED_ROWS = 5
NO_SUSPECT = 18  # outcome type that absorbs negative-recorded corrections

# (description, group) per outcome type 0..22; labels from the HO user guide as quoted in sources.md 3.2.
_PREVENTED = "Prosecution prevented or not in the public interest"
_NOT_SUPPORTED = "Evidential difficulties (victim does not support action)"
_OOC = "Out-of-court (formal)"
OUTCOME_LABELS: list[tuple[str, str]] = [
    ("Not yet assigned an outcome", "Not yet assigned an outcome"),
    ("Charged/Summonsed", "Charged/Summonsed"),
    ("Caution - youths", _OOC),
    ("Caution - adults", _OOC),
    ("Taken into consideration", "Taken into consideration"),
    ("The offender has died", _PREVENTED),
    ("Penalty Notices for Disorder", _OOC),
    ("Cannabis/Khat warning", _OOC),
    ("Community Resolution", "Out-of-court (informal)"),
    ("Prosecution not in the public interest (CPS)", _PREVENTED),
    ("Prosecution not in the public interest (Police)", _PREVENTED),
    ("Prosecution prevented - suspect under age", _PREVENTED),
    ("Prosecution prevented - suspect too ill", _PREVENTED),
    ("Prosecution prevented - victim/key witness dead/too ill", _PREVENTED),
    ("Evidential difficulties: suspect not identified; victim does not support further action", _NOT_SUPPORTED),
    ("Evidential difficulties: suspect identified; victim supports action",
     "Evidential difficulties (suspect identified; victim supports action)"),
    ("Evidential difficulties: suspect identified; victim does not support further action", _NOT_SUPPORTED),
    ("Prosecution time limit expired", _PREVENTED),
    ("Investigation complete – no suspect identified", "Investigation complete – no suspect identified"),
    ("NFIB fraud case", "Not applicable: fraud"),
    ("Responsibility for further investigation transferred to another body",
     "Responsibility for further investigation transferred to another body"),
    ("Further investigation to support formal action not in the public interest – police decision",
     "Further investigation to support formal action not in the public interest – police decision"),
    ("Diversionary, educational or intervention activity", "Diversionary, educational or intervention activity"),
]
N_TYPES = len(OUTCOME_LABELS)

# Annual recorded offences per 1,000 residents by offence code (about national volumes / 60m); rescaled
# to CRIMES_PER_1000 in total. Homicide ~0.01, so most force-quarters record 0-5.
_RATES_PER_1000: dict[str, float] = {
    "1/4.1/4.10/4.2": 0.01, "4.4": 0.003, "4.8": 0.001, "2": 0.012, "5D": 0.4, "5E": 0.05, "8N": 8.0,
    "8P": 0.08, "3B": 0.7, "11A": 0.5, "105A": 10.0, "104": 0.7, "8M": 0.4, "8Q": 2.0, "8L": 3.0, "8R": 0.4,
    "195": 5.0, "8U": 0.8, "19C": 0.75, "19D": 0.13, "19E": 0.09, "19F": 0.05, "19G": 0.025, "19H": 0.025,
    "17A": 0.05, "17B": 0.025, "20A": 0.9, "20B": 0.13, "21": 0.08, "22B": 0.2, "71": 0.05, "88A": 0.08,
    "86": 0.4, "34A": 0.13, "34B": 1.2, "28E": 2.8, "28F": 0.7, "30C": 1.5, "30D": 0.3, "45": 3.0, "48": 2.0,
    "126": 0.5, "39": 1.9, "44": 1.2, "46": 7.5, "49": 6.3, "40": 0.5, "56A": 0.07, "56B": 0.35, "58A": 1.8,
    "58C": 2.5, "58D": 3.7, "92A": 0.5, "92D": 0.4, "92E": 1.8, "10A": 0.02, "81": 0.07, "10C": 0.75,
    "10D": 0.17, "9A": 5.3, "62A": 0.07, "66": 1.0, "802": 0.2,
}
_DEFAULT_RATE = 0.1  # codes added to the seed later still get rows
# Mix multipliers for the two non-territorial profiles (rescaled to their fixed totals afterwards).
_CITY_MIX = {"46": 25, "39": 60, "49": 20, "44": 12, "34B": 4, "30C": 6, "92E": 4, "92D": 4, "9A": 2,
             "28E": 0.2, "28F": 0.2, "45": 0.5, "48": 0.3, "126": 0.3, "58A": 0.2, "11A": 0.2, "8U": 0.3}
_BTP_MIX = {"39": 12, "49": 6, "44": 8, "9A": 3, "105A": 2, "104": 3, "20A": 2, "58D": 2, "92E": 2,
            "28E": 0.005, "28F": 0.005, "45": 0.05, "48": 0.05, "126": 0.05, "46": 0.2, "58A": 0.01,
            "11A": 0.01, "8U": 0.01, "21": 0.1, "22B": 0.1, "71": 0.1, "19D": 0.1, "19E": 0.1}
_URBAN_FORCES = {"Metropolitan Police", "West Midlands", "Greater Manchester"}
_URBAN_MIX = {"34B": 2.0, "39": 2.5, "34A": 1.5}
_YEARLY_GROWTH = {"46": 1.12, "39": 1.05, "8Q": 1.03}  # shoplifting rising fast; others drift down
_OTHER_GROWTH = 0.99

# Outcome-type weights (types 1-22; 0 and 19 are set elsewhere) by broad offence category: shares of
# the assigned outcomes, so the share of all crimes is lower by the not-yet-assigned share.
_PROFILES: dict[str, dict[int, float]] = {
    "violence": {1: 6, 2: 1.5, 3: 2.5, 4: 0.2, 5: 0.1, 6: 0.3, 8: 4.5, 9: 0.5, 10: 5.5, 11: 0.5, 12: 0.2, 13: 0.4,
                 14: 17, 15: 14, 16: 16, 17: 0.5, 18: 14, 20: 3.5, 21: 9, 22: 3.3},
    "stalking": {1: 3, 2: 0.5, 3: 1, 6: 0.1, 8: 2, 9: 0.3, 10: 4, 11: 0.3, 13: 0.2, 14: 17, 15: 13, 16: 12,
                 17: 1.5, 18: 24, 20: 4, 21: 12, 22: 2},
    "sexual": {1: 3, 2: 0.6, 3: 0.6, 4: 0.1, 5: 0.3, 8: 0.6, 9: 1, 10: 6, 11: 4, 12: 0.4, 13: 0.8, 14: 17,
               15: 14, 16: 12, 17: 0.5, 18: 12, 20: 6, 21: 18, 22: 1},
    "robbery": {1: 8, 2: 1, 3: 0.5, 4: 0.3, 8: 1, 10: 1.5, 11: 0.5, 14: 10, 15: 10, 16: 5, 18: 55, 20: 1.5,
                21: 5, 22: 0.7},
    "theft": {1: 4, 2: 0.7, 3: 1, 4: 1.5, 5: 0.05, 6: 0.2, 8: 3.5, 9: 0.2, 10: 2, 11: 0.3, 12: 0.1, 13: 0.1,
              14: 16, 15: 12, 16: 5, 17: 0.5, 18: 38, 20: 2, 21: 11, 22: 0.8},
    "shoplifting": {1: 13, 2: 1, 3: 2, 4: 2, 6: 1, 8: 5, 9: 0.2, 10: 3, 11: 0.3, 14: 6, 15: 14, 16: 4, 17: 0.5,
                    18: 35, 20: 1, 21: 10, 22: 2},
    "drug_possession": {1: 42, 2: 2, 3: 5, 6: 2, 7: 15, 8: 15, 9: 0.5, 10: 5, 11: 0.3, 15: 5, 18: 0.5, 20: 0.5,
                        21: 4, 22: 3.2},
    "drug_trafficking": {1: 45, 2: 1.5, 3: 1.5, 4: 0.5, 8: 1.5, 9: 1.5, 10: 5, 11: 1, 15: 22, 18: 8, 20: 4, 21: 8,
                         22: 0.5},
    "weapons": {1: 38, 2: 4, 3: 6, 6: 0.5, 8: 6, 9: 0.5, 10: 4, 11: 0.5, 14: 3, 15: 20, 16: 2, 18: 6, 20: 1.5,
                21: 5, 22: 3},
    "public_order": {1: 6, 2: 1.5, 3: 2, 6: 2, 8: 6, 9: 0.3, 10: 4, 11: 0.4, 14: 18, 15: 13, 16: 11, 17: 0.5,
                     18: 22, 20: 1.5, 21: 9, 22: 2.8},
    "misc": {1: 25, 2: 0.5, 3: 2, 6: 0.5, 8: 2.5, 9: 1, 10: 5, 11: 0.3, 14: 6, 15: 16, 16: 4, 17: 2, 18: 18,
             20: 5, 21: 10, 22: 2.2},
}
_CATEGORY_BY_SUBGROUP = {
    "Homicide": "violence", "Death or serious injury - unlawful driving": "violence",
    "Violence with injury": "violence", "Violence without injury": "violence",
    "Stalking and harassment": "stalking", "Rape offences": "sexual", "Other sexual offences": "sexual",
    "Robbery of business property": "robbery", "Robbery of personal property": "robbery",
    "Shoplifting": "shoplifting", "Possession of drugs": "drug_possession",
    "Trafficking of drugs": "drug_trafficking", "Possession of weapons offences": "weapons",
    "Public order offences": "public_order", "Miscellaneous crimes against society": "misc",
}
# Share of the quarter's crimes still without an outcome, by quarters before the latest one.
_NOT_YET_ASSIGNED = {0: 0.30, 1: 0.15, 2: 0.15, 3: 0.15}
_NOT_YET_ASSIGNED_OLD = 0.05
CLOSED_PER_RECORDED = 0.95  # "closed in the quarter" volume relative to expected recorded volume

# numpy stream ids: each (seed, year, stream) gets its own generator, so adding a year changes nothing else.
(_S_FORCES, _S_CHARGE, _S_PRC, _S_FRAUD, _S_RECORDED, _S_CLOSED, _S_QUIRKS, _S_ALTERNATE,
 _S_SUPPLEMENTARY) = range(9)


@dataclass(frozen=True)
class Offence:
    code: str
    description: str
    group: str
    subgroup: str


@dataclass(frozen=True)
class Force:
    force_id: str
    name: str  # seed spelling
    population: int


@dataclass
class YearData:
    fy: str
    quarters: list[int]
    offences: np.ndarray  # (quarter, unit, code): PRC Number of Offences; units = forces + BTP
    expected: np.ndarray  # same shape, Poisson means
    fraud: np.ndarray  # (quarter, fraud body)
    recorded: np.ndarray | None = None  # (quarter, unit, code, outcome type)
    closed: np.ndarray | None = None


# --- seeds and names -----------------------------------------------------------------------------------


def _read_seed(name: str) -> list[dict[str, str]]:
    with (SEEDS_DIR / name).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def load_offences() -> list[Offence]:
    return [Offence(r["offence_code"], r["offence_description"], r["offence_group"], r["offence_subgroup"])
            for r in _read_seed("home_office_offence_codes.csv")]


def load_forces() -> list[Force]:
    population = {r["force_id"]: r["population"] for r in _read_seed("force_population.csv")}
    forces = []
    for row in _read_seed("police_force_areas.csv"):
        name = row["force_name"]
        if name == "City of London":
            pop = CITY_POPULATION
        elif name == "Greater Manchester" and not population.get(row["force_id"]):
            pop = GMP_POPULATION
        else:
            pop = int(float(population.get(row["force_id"]) or GMP_POPULATION))
        forces.append(Force(row["force_id"], name, pop))
    return forces


def ho_force_name(seed_name: str, fy: str, *, outcomes: bool = False) -> str:
    """Home Office spelling of a force in a given year's file."""
    if seed_name == "City of London":
        return "London, City of"
    if seed_name == "Hampshire" and fy >= "2024-25":
        return "Hampshire and Isle of Wight"
    if outcomes and fy == "2022-23" and seed_name in ("Devon and Cornwall", "Avon and Somerset"):
        return seed_name.replace(" and ", " & ")
    return seed_name


def fy_label(fy: str) -> str:
    return fy.replace("-", "/")


def fy_end_year(fy: str) -> int:
    return int(fy[:4]) + 1


def prc_sheet_name(fy: str) -> str:
    return fy.replace("-", "_")


def outcomes_sheet_name(fy: str) -> str:
    """Data sheet name, which the real files change from year to year (sources.md 3.2)."""
    if fy <= "2018-19":
        return f"Outcomes_open_data_{fy}"
    underscored = fy.replace("-", "_")
    if fy == "2021-22" or fy >= "2024-25":
        return f"Outcomes open data {underscored}"
    return f"Outcomes_open_data_{underscored}"


def outcomes_header(fy: str) -> list[str]:
    if fy <= "2022-23":  # older files prefix the count headers with "Number of"
        return [*OUTCOMES_HEADER[:-2], "Number of outcomes for offences that were recorded in the quarter",
                "Number of outcomes for investigations closed in the quarter"]
    return list(OUTCOMES_HEADER)


def expired_marker(fy: str) -> str:
    return "N/A - offence code expired" if fy == "2023-24" else "N/A - Offence code expired"


def outcome_types(fy: str) -> list[int]:
    return [t for t in range(N_TYPES) if not (t == 19 and fy >= "2025-26")]  # type 19 absent in 2025/26


def _validate_years(financial_years: Sequence[str]) -> list[str]:
    years = list(financial_years)
    if not years:
        raise ValueError("financial_years must not be empty")
    for fy in years:
        if len(fy) != 7 or fy[4] != "-" or not (fy[:4] + fy[5:]).isdigit() or int(fy[5:]) != fy_end_year(fy) % 100:
            raise ValueError(f"financial year {fy!r} is not like '2024-25'")
    if years != sorted(set(years)):
        raise ValueError("financial_years must be distinct and in ascending order")
    return years


def _rng(seed: int, year: int, stream: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, year, stream]))


# --- counts ----------------------------------------------------------------------------------------------


def _annual_means(forces: list[Force], offences: list[Offence], seed: int) -> np.ndarray:
    """Expected annual offences, shape (unit, code); units = forces in seed order, then BTP."""
    codes = [o.code for o in offences]
    rates = np.array([_RATES_PER_1000.get(c, _DEFAULT_RATE) for c in codes])
    rates *= CRIMES_PER_1000 / rates.sum()
    rng = _rng(seed, 0, _S_FORCES)
    level = rng.lognormal(0.0, 0.15, len(forces))  # force-wide recording level
    mix = rng.lognormal(0.0, 0.15, (len(forces), len(codes)))  # local offence mix
    means = np.empty((len(forces) + 1, len(codes)))
    urban = np.array([_URBAN_MIX.get(c, 1.0) for c in codes])
    for u, force in enumerate(forces):
        row = force.population / 1000 * rates * level[u] * mix[u]
        if force.name in _URBAN_FORCES:
            row = row * urban
        if force.name == "City of London":
            row = rates * np.array([_CITY_MIX.get(c, 1.0) for c in codes])
            row *= CITY_ANNUAL_CRIMES / row.sum()
        means[u] = row
    btp = rates * np.array([_BTP_MIX.get(c, 1.0) for c in codes])
    means[-1] = btp * BTP_ANNUAL_CRIMES / btp.sum()
    return means


def _year_counts(fy: str, n_quarters: int, annual: np.ndarray, offences: list[Offence], seed: int) -> YearData:
    start = int(fy[:4])
    growth = np.array([_YEARLY_GROWTH.get(o.code, _OTHER_GROWTH) for o in offences]) ** (start - 2022)
    expected = annual[None, :, :] * growth[None, None, :] * QUARTER_SEASONALITY[:n_quarters, None, None] / 4
    offences_n = _rng(seed, start, _S_PRC).poisson(expected)
    fraud_annual = np.array([volume for _, _, volume in FRAUD_BODIES], dtype=float)
    fraud = _rng(seed, start, _S_FRAUD).poisson(fraud_annual[None, :] * QUARTER_SEASONALITY[:n_quarters, None] / 4)
    return YearData(fy, list(range(1, n_quarters + 1)), offences_n, expected, fraud)


def _profile_matrix(offences: list[Offence]) -> np.ndarray:
    """(code, outcome type) shares of assigned outcomes; types 0 and 19 are zero."""
    matrix = np.zeros((len(offences), N_TYPES))
    for c, offence in enumerate(offences):
        for t, weight in _PROFILES[_CATEGORY_BY_SUBGROUP.get(offence.subgroup, "theft")].items():
            matrix[c, t] = weight
    return matrix / matrix.sum(axis=1, keepdims=True)


def _draw_outcomes(year: YearData, age: np.ndarray, units: list[str], offences: list[Offence], seed: int) -> None:
    """Split each force-quarter-code's offences over outcome types (recorded base) and draw closed counts."""
    start = int(year.fy[:4])
    profile = _profile_matrix(offences)
    n_q, n_u, n_c = year.offences.shape
    # Forces differ in charge rate; renormalise after scaling type 1.
    charge = _rng(seed, 0, _S_CHARGE).lognormal(0.0, 0.2, n_u)
    by_unit = np.repeat(profile[None, :, :], n_u, axis=0)
    by_unit[:, :, 1] *= charge[:, None]
    by_unit /= by_unit.sum(axis=2, keepdims=True)
    p0 = np.array([_NOT_YET_ASSIGNED.get(int(a), _NOT_YET_ASSIGNED_OLD) for a in age])[:, None].repeat(n_u, axis=1)
    if year.fy in DATA_BREAK_YEARS:
        p0[:, units.index(DATA_BREAK_FORCE)] = DATA_BREAK_SHARE
    pvals = by_unit[None, :, :, :] * (1.0 - p0)[:, :, None, None]
    pvals[..., 0] = p0[:, :, None]
    pvals /= pvals.sum(axis=3, keepdims=True)
    year.recorded = _rng(seed, start, _S_RECORDED).multinomial(year.offences, pvals)
    closed_rng = _rng(seed, start, _S_CLOSED)
    n_closed = closed_rng.poisson(year.expected * CLOSED_PER_RECORDED)
    year.closed = closed_rng.multinomial(n_closed, np.broadcast_to(by_unit[None], (n_q, n_u, n_c, N_TYPES)))
    assert (year.recorded.sum(axis=3) == year.offences).all()


def _apply_negative_quirks(
    year: YearData, units: list[str], offences: list[Offence], seed: int, blocked: tuple[int, int] | None,
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Negative corrections: closed counts of -1..-3, and recorded ones offset on type 18 (sum kept)."""
    assert year.recorded is not None and year.closed is not None
    rng = _rng(seed, int(year.fy[:4]), _S_QUIRKS)
    n_q, n_u, n_c, _ = year.recorded.shape
    valid = np.ones((n_q, n_u, n_c), dtype=bool)
    if blocked is not None:  # the no-data force-quarter shows markers, not numbers
        valid[blocked] = False
    cells = np.flatnonzero(valid)
    types = [t for t in outcome_types(year.fy) if t != 0]

    def where(flat: int) -> tuple[int, int, int]:
        q, u, c = np.unravel_index(flat, (n_q, n_u, n_c))
        return int(q), int(u), int(c)

    def describe(q: int, u: int, c: int, t: int) -> dict[str, object]:
        return {"financial_year": year.fy, "quarter": year.quarters[q], "force": units[u],
                "offence_code": offences[c].code, "outcome_type": t}

    closed_rows = []
    picks = rng.choice(cells.size * len(types), size=NEGATIVE_CLOSED_ROWS, replace=False)
    for pick in np.sort(picks):
        q, u, c = where(cells[pick // len(types)])
        t = types[pick % len(types)]
        value = -int(rng.integers(1, 4))
        year.closed[q, u, c, t] = value
        closed_rows.append({**describe(q, u, c, t), "closed": value})
    recorded_rows = []
    # A correction nets off earlier counts of the same outcome: pick cells whose outcome has at least 3
    # in every other quarter of the year, so no annual (or rolling-year) total goes negative, as in the
    # real tables where quarterly cells can be negative but annual totals are not.
    candidates = []
    for pick in rng.permutation(cells.size):
        q, u, c = where(cells[pick])
        usable = [t for t in types if t < NO_SUSPECT
                  and all(year.recorded[other, u, c, t] >= 3 for other in range(n_q) if other != q)]
        if usable:
            candidates.append((pick, int(rng.choice(usable))))
        if len(candidates) == NEGATIVE_RECORDED_ROWS:
            break
    for pick, t in sorted(candidates):
        q, u, c = where(cells[pick])
        value = -int(rng.integers(1, 4))
        offset = int(year.recorded[q, u, c, t]) - value  # what the row lost goes to type 18: sum unchanged
        year.recorded[q, u, c, NO_SUSPECT] += offset
        year.recorded[q, u, c, t] = value
        recorded_rows.append({**describe(q, u, c, t), "recorded": value, "offset_outcome_type": NO_SUSPECT,
                              "offset": offset})
    return closed_rows, recorded_rows


# --- sheets ---------------------------------------------------------------------------------------------


def _published(release: dt.date) -> str:
    return f"Published {release.day} {release:%B %Y}"


def _cover(title: str, release: dt.date) -> list[list[Cell]]:
    return [
        [title],
        [_published(release)],
        ["Source: Home Office police recorded crime and outcomes data (Home Office Data Hub)"],
        ["Official statistics: these data are subject to revision; see the user guide for details."],
        ["Contact: crimestats@homeoffice.gov.uk"],
        ["Release: quarterly, alongside the ONS Crime in England and Wales bulletin"],
    ]


def _notes(notes: Sequence[str]) -> list[list[Cell]]:
    return [["Note number", "Note text"], *[[f"Note {i}", text] for i, text in enumerate(notes, 1)]]


_PRC_NOTES = [
    "Police recorded crime figures are not designated as accredited official statistics.",
    "Figures for the latest financial year are for the quarters published so far.",
    "Fraud offences are recorded by Action Fraud, CIFAS and UK Finance rather than by police forces.",
    "City of London is shown as 'London, City of'. Hampshire is shown as 'Hampshire and Isle of Wight' "
    "from 2024/25.",
    "British Transport Police data are included but are not part of any police force area.",
]
_OUTCOMES_NOTES = [
    "Outcome type 0 counts offences recorded in the quarter that have not yet been assigned an outcome.",
    "Quarterly counts can be negative where records were corrected after the quarter closed.",
    "'N/A - data not provided' means the force did not supply outcomes data for the period; it is not zero.",
    "Offence codes marked 'x' in the 'Offence code expired' column are no longer in use.",
    "Outcomes for investigations closed in the quarter can relate to offences recorded in earlier quarters.",
]


def _prc_sheet(year: YearData, forces: list[Force], offences: list[Offence]) -> list[list[Cell]]:
    label = fy_label(year.fy)
    names = [ho_force_name(f.name, year.fy) for f in forces] + [BTP]
    counts = year.offences.tolist()
    fraud = year.fraud.tolist()
    # Forces and fraud bodies interleave alphabetically, as in the real sheet.
    order = sorted([(name, "force", u) for u, name in enumerate(names)]
                   + [(name, "fraud", b) for b, (name, _, _) in enumerate(FRAUD_BODIES)])
    rows: list[list[Cell]] = [list(PRC_HEADER)]
    for qi, quarter in enumerate(year.quarters):
        for name, kind, index in order:
            if kind == "fraud":
                code = FRAUD_BODIES[index][1]
                rows.append([label, quarter, name, f"Fraud recorded by {name}", "Fraud offences", f"Fraud: {name}",
                             code, fraud[qi][index]])
                continue
            unit_counts = counts[qi][index]
            for c, o in enumerate(offences):
                rows.append([label, quarter, name, o.description, o.group, o.subgroup, o.code, unit_counts[c]])
    return rows


def _outcome_rows(
    year: YearData, unit_names: list[str], offences: list[Offence], blocked: tuple[int, int] | None,
) -> Iterator[list[Cell]]:
    """Data sheet rows, streamed: quarter x force (alphabetical) x offence code x outcome type."""
    assert year.recorded is not None and year.closed is not None
    label = fy_label(year.fy)
    types = outcome_types(year.fy)
    labels = [(t, *OUTCOME_LABELS[t]) for t in types]
    recorded = year.recorded.tolist()
    closed = year.closed.tolist()
    marker = expired_marker(year.fy)
    code, description, group, subgroup = EXPIRED_CODE
    yield outcomes_header(year.fy)
    for qi, quarter in enumerate(year.quarters):
        for u in sorted(range(len(unit_names)), key=unit_names.__getitem__):
            name = unit_names[u]
            no_data = blocked == (qi, u)
            for c, o in enumerate(offences):
                head = [label, quarter, name, o.code, o.description, o.group, o.subgroup, None]
                if no_data:
                    for t, od, og in labels:
                        yield [*head, t, od, og, NOT_PROVIDED, NOT_PROVIDED]
                    continue
                rec, clo = recorded[qi][u][c], closed[qi][u][c]
                for t, od, og in labels:
                    yield [*head, t, od, og, rec[t], CLOSED_NOT_APPLICABLE if t == 0 else clo[t]]
            head = [label, quarter, name, code, description, group, subgroup, "x"]
            value = NOT_PROVIDED if no_data else marker
            for t, od, og in labels:
                yield [*head, t, od, og, value, value]


def _pivot_sheet(year: YearData, unit_names: list[str]) -> list[list[Cell]]:
    assert year.recorded is not None
    totals = year.recorded.sum(axis=(0, 2, 3)).tolist()
    rows: list[list[Cell]] = [
        [f"Outcomes for offences recorded in year ending March {fy_end_year(year.fy)}, by force (pivot)"],
        [],
        ["Force Name", "Sum of outcomes for offences recorded in the quarter"],
    ]
    rows += [[name, totals[u]] for u, name in sorted(enumerate(unit_names), key=lambda x: x[1])]
    rows.append(["Grand Total", int(sum(totals))])
    return rows


# --- files ------------------------------------------------------------------------------------------------


@dataclass
class Attachment:
    title: str
    filename: str
    content_type: str
    kind: str  # prc | outcomes | excluded
    financial_year: str | None = None
    rows: dict[str, int] | None = None


def media_hex(filename: str, release: dt.date) -> str:
    """Stand-in for the asset id gov.uk assigns per upload: changes with every release."""
    return hashlib.sha1(f"{filename}{release.isoformat()}".encode()).hexdigest()[:24]


def _uk_offset(day: dt.date) -> str:
    """UTC offset of 09:30 UK time on a day (BST from the last Sunday of March to the last of October)."""

    def last_sunday(month: int) -> dt.date:
        last = dt.date(day.year, month, 31)
        return last - dt.timedelta(days=(last.weekday() + 1) % 7)

    return "+01:00" if last_sunday(3) <= day < last_sunday(10) else "+00:00"


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T09:30:00.000{_uk_offset(day)}"


def _months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, min(day.day, 28))


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    _write_bytes(path, buffer.getvalue().encode("utf-8"))


def _write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_suffix(path.suffix + ".part")
    part.write_bytes(data)
    os.replace(part, path)


def _content_item(
    release: dt.date, data_to: str, attachments: list[tuple[Attachment, str, int]],
) -> dict[str, object]:
    """gov.uk content-API document for the landing page."""
    ids: list[str] = []
    for attachment, _url, _size in attachments:  # stable numeric ids, unique within the page
        number = int(hashlib.sha1(f"{attachment.filename}{release}".encode()).hexdigest()[:8], 16) % 9_000_000
        while str(number + 1_000_000) in ids:
            number += 1
        ids.append(str(number + 1_000_000))
    sections = "".join(
        f'<section class="attachment embedded" id="attachment_{aid}"><div class="attachment-details">'
        f'<h3 class="title"><a href="{html.escape(url)}">{html.escape(a.title)}</a></h3></div></section>'
        for aid, (a, url, _size) in zip(ids, attachments, strict=True)
    )
    body = (
        '<div class="govspeak"><p>Police recorded crime and outcomes open data tables by police force area, '
        "offence code and quarter, for England and Wales.</p>"
        "<p>Read the user guide for definitions, revisions and known data issues before using these tables.</p>"
        f"{sections}</div>"
    )
    history = [{"public_timestamp": FIRST_PUBLISHED_AT, "note": "First published."}]
    history += [
        {"public_timestamp": _timestamp(_months_before(release, months)),
         "note": "Police recorded crime and outcomes open data tables updated with the latest quarter."}
        for months in (9, 6, 3)
    ]
    history.append({"public_timestamp": _timestamp(release),
                    "note": f"Tables updated with data to {data_to}."})
    published = _timestamp(release)
    return {
        "base_path": BASE_PATH,
        "content_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://{GOVUK_HOST}{BASE_PATH}")),
        "title": PAGE_TITLE,
        "description": "Police recorded crime and outcomes data by police force area and offence, in open data "
                       "format.",
        "locale": "en",
        "phase": "live",
        "schema_name": "statistical_data_set",
        "document_type": "statistical_data_set",
        "first_published_at": FIRST_PUBLISHED_AT,
        "public_updated_at": published,
        "updated_at": published,
        "details": {
            "body": body,
            "change_history": history,
            "attachments": [
                {"attachment_type": "file", "id": aid, "title": a.title, "url": url, "filename": a.filename,
                 "content_type": a.content_type, "file_size": size}
                for aid, (a, url, size) in zip(ids, attachments, strict=True)
            ],
            "first_public_at": FIRST_PUBLISHED_AT,
            "political": False,
        },
        "links": {
            "organisations": [{"title": "Home Office", "base_path": "/government/organisations/home-office",
                               "api_path": "/api/content/government/organisations/home-office"}],
        },
    }


def generate_home_office_mirror(
    root: Path,
    *,
    release_date: dt.date = DEFAULT_RELEASE,
    seed: int = DEFAULT_SEED,
    financial_years: tuple[str, ...] = DEFAULT_YEARS,
) -> dict[str, object]:
    """Write the sample mirror under `root`; return a manifest of files, row counts and quirks."""
    root = Path(root)
    years = _validate_years(financial_years)
    ddmmyy = release_date.strftime("%d%m%y")
    last_end = fy_end_year(years[-1])
    forces = load_forces()
    offences = load_offences()
    seed_units = [f.name for f in forces] + [BTP]
    annual = _annual_means(forces, offences, seed)

    # Quarters before the latest published one, for the not-yet-assigned share.
    latest = int(years[-1][:4]) * 4 + QUARTERS_IN_LAST_YEAR - 1
    data: list[YearData] = []
    for fy in years:
        n_quarters = QUARTERS_IN_LAST_YEAR if fy == years[-1] else 4
        year = _year_counts(fy, n_quarters, annual, offences, seed)
        age = latest - (int(fy[:4]) * 4 + np.arange(n_quarters))
        _draw_outcomes(year, age, seed_units, offences, seed)
        data.append(year)

    written: list[tuple[Attachment, Path]] = []
    quirks: list[dict[str, object]] = []

    def place(attachment: Attachment) -> Path:
        return root / ASSETS_HOST / "media" / media_hex(attachment.filename, release_date) / attachment.filename

    # PRC force-area tables (ODS).
    prc = Attachment("Police recorded crime open data Police Force Area tables, year ending March 2013 onwards",
                     f"prc-pfa-mar2013-onwards-tables-{ddmmyy}.ods", ODS_MEDIA_TYPE, "prc")
    prc_sheets: list[tuple[str, list[list[Cell]]]] = [
        ("Cover_sheet", _cover("Police recorded crime open data: Police Force Area tables, year ending March 2013 "
                               "onwards", release_date)),
        ("Notes_", _notes(_PRC_NOTES)),
        *[(prc_sheet_name(y.fy), _prc_sheet(y, forces, offences)) for y in data],
    ]
    prc.rows = {name: len(rows) for name, rows in prc_sheets}
    write_ods(place(prc), prc_sheets)
    written.append((prc, place(prc)))

    # Outcomes, one workbook per financial year, newest first on the page.
    outcome_attachments = []
    for year in data:
        fy = year.fy
        unit_names = [ho_force_name(name, fy, outcomes=True) for name in seed_units]
        blocked = None
        if fy == NO_DATA_YEAR and NO_DATA_QUARTER in year.quarters:
            blocked = (year.quarters.index(NO_DATA_QUARTER), seed_units.index(NO_DATA_FORCE))
        closed_rows, recorded_rows = _apply_negative_quirks(year, unit_names, offences, seed, blocked)
        attachment = Attachment(f"Outcomes open data, year ending March {fy_end_year(fy)}",
                                f"prc-outcomes-open-data-mar{fy_end_year(fy)}-tables-{ddmmyy}.xlsx",
                                XLSX_MEDIA_TYPE, "outcomes", fy)
        sheet = outcomes_sheet_name(fy)
        n_types = len(outcome_types(fy))
        n_data_rows = len(year.quarters) * len(unit_names) * (len(offences) + 1) * n_types
        sheets: list[tuple[str, Rows]] = [
            ("Cover_sheet", _cover(f"Crime outcomes in England and Wales: open data, year ending March "
                                   f"{fy_end_year(fy)}", release_date)),
            ("Notes", _notes(_OUTCOMES_NOTES)),
            ("Pivot", _pivot_sheet(year, unit_names)),
        ]
        attachment.rows = {name: len(rows) for name, rows in sheets if isinstance(rows, list)}
        attachment.rows[sheet] = n_data_rows + 1  # streamed, so counted rather than measured
        sheets.append((sheet, _outcome_rows(year, unit_names, offences, blocked)))
        path = place(attachment)
        write_xlsx(path, sheets)
        outcome_attachments.append((attachment, path))
        rel = path.relative_to(root).as_posix()
        quirks += [
            {"kind": "sheet_name", "file": rel, "financial_year": fy, "sheet": sheet},
            {"kind": "negative_closed", "file": rel, "financial_year": fy, "rows": closed_rows},
            {"kind": "negative_recorded", "file": rel, "financial_year": fy, "rows": recorded_rows},
            {"kind": "expired_offence_code", "file": rel, "financial_year": fy, "offence_code": EXPIRED_CODE[0],
             "flag": "x", "marker": expired_marker(fy), "rows": len(year.quarters) * len(unit_names) * n_types},
        ]
        if fy <= "2022-23":
            quirks.append({"kind": "count_header_wording", "file": rel, "financial_year": fy,
                           "headers": outcomes_header(fy)[-2:]})
        if blocked is not None:
            quirks.append({"kind": "data_not_provided", "file": rel, "financial_year": fy,
                           "force": unit_names[blocked[1]], "quarter": NO_DATA_QUARTER, "marker": NOT_PROVIDED,
                           "rows": (len(offences) + 1) * n_types})
        if fy in DATA_BREAK_YEARS:
            quirks.append({"kind": "data_break", "file": rel, "financial_year": fy,
                           "force": unit_names[seed_units.index(DATA_BREAK_FORCE)],
                           "not_yet_assigned_share": DATA_BREAK_SHARE})
        variants = sorted({n for n, s in zip(unit_names, seed_units, strict=True) if n != s})
        quirks.append({"kind": "force_name_variants", "file": rel, "financial_year": fy, "names": variants})
    written += outcome_attachments[::-1]

    # Files on the same page that a loader must skip.
    written += _write_excluded(release_date, ddmmyy, last_end, data, forces, offences, seed_units, seed,
                               place)

    attachments = []
    files = []
    for attachment, path in written:
        size = path.stat().st_size
        url = f"https://{ASSETS_HOST}/media/{media_hex(attachment.filename, release_date)}/{attachment.filename}"
        attachments.append((attachment, url, size))
        files.append({"path": path.relative_to(root).as_posix(), "title": attachment.title, "kind": attachment.kind,
                      "financial_year": attachment.financial_year, "bytes": size, "rows": attachment.rows})
    content_path = root / GOVUK_HOST / CONTENT_API_PATH
    item = _content_item(release_date, f"September {int(years[-1][:4])}", attachments)
    document = json.dumps(item, ensure_ascii=False, separators=(",", ":"))
    _write_bytes(content_path, document.encode("utf-8"))
    return {
        "release_date": release_date.isoformat(),
        "seed": seed,
        "financial_years": years,
        "content_api": content_path.relative_to(root).as_posix(),
        "files": files,
        "quirks": quirks,
    }


def _write_excluded(
    release: dt.date, ddmmyy: str, last_end: int, data: list[YearData], forces: list[Force],
    offences: list[Offence], seed_units: list[str], seed: int, place: Callable[[Attachment], Path],
) -> list[tuple[Attachment, Path]]:
    out: list[tuple[Attachment, Path]] = []
    # Alternate outcomes: 1a/2a/3a are subsets of types 1/2/3 (double counts if loaded).
    alternate = Attachment(
        "Police recorded crime and outcomes open data tables: alternate outcomes, year ending March 2017 to "
        f"year ending March {last_end}",
        f"prc-outcomes-alternate-open-data-mar2017-to-mar{last_end}-tables-{ddmmyy}.ods", ODS_MEDIA_TYPE,
        "excluded")
    header = ["Financial Year", "Financial Quarter", "Force Name", "Offence Code", "Offence Description",
              "Offence Group", "Offence Subgroup", "Outcome Type", "Outcome Description", "Outcome Group",
              "Number of outcomes"]
    rows: list[list[Cell]] = [header]
    sample_units = [seed_units.index(n) for n in ("Avon and Somerset", "Cheshire", "Dorset", "Gwent", "Kent")]
    sample_codes = [i for i, o in enumerate(offences) if o.code in ("8N", "105A", "46", "92E", "10C")]
    alt = {"1a": (1, "Charged/Summonsed - alternate offence", "Charged/Summonsed"),
           "2a": (2, "Caution - youths - alternate offence", "Out-of-court (formal)"),
           "3a": (3, "Caution - adults - alternate offence", "Out-of-court (formal)")}
    for year in data:
        assert year.recorded is not None
        rng = _rng(seed, int(year.fy[:4]), _S_ALTERNATE)
        for qi, quarter in enumerate(year.quarters):
            for u in sample_units:
                for c in sample_codes:
                    o = offences[c]
                    for label, (t, description, group) in alt.items():
                        value = int(rng.binomial(max(int(year.recorded[qi, u, c, t]), 0), 0.2))
                        rows.append([fy_label(year.fy), quarter, ho_force_name(seed_units[u], year.fy, outcomes=True),
                                     o.code, o.description, o.group, o.subgroup, label, description, group, value])
    sheets: list[tuple[str, list[list[Cell]]]] = [
        ("Cover_sheet", _cover("Crime outcomes open data: alternate outcomes", release)),
        ("Notes", _notes(["Alternate outcomes 1a, 2a and 3a are subsets of outcome types 1, 2 and 3."])),
        ("Alternate_outcomes_data", rows),
    ]
    alternate.rows = {name: len(r) for name, r in sheets}
    path = place(alternate)
    write_ods(path, sheets)
    out.append((alternate, path))

    supplementary = Attachment("Supplementary crime outcomes metrics",
                               f"prc-supplementary-crime-outcomes-metrics-{ddmmyy}.xlsx", XLSX_MEDIA_TYPE, "excluded")
    rng = _rng(seed, 0, _S_SUPPLEMENTARY)
    metrics = ["Proportion of outcomes assigned within 30 days", "Median days from recording to charge"]
    table: list[list[Cell]] = [["Supplementary crime outcomes metrics, by police force area"], [],
                               ["Force Name", "Metric", *[f"Year ending March {fy_end_year(y.fy)}" for y in data]]]
    for force in forces[:10]:
        for metric in metrics:
            values = (rng.uniform(0.4, 0.8, len(data)).round(3) if metric.startswith("Proportion")
                      else rng.integers(10, 60, len(data)))
            table.append([ho_force_name(force.name, data[-1].fy), metric, *values.tolist()])
    supplementary.rows = {"Table_SOM1": len(table)}
    path = place(supplementary)
    write_xlsx(path, [("Table_SOM1", table)])
    out.append((supplementary, path))

    geo = Attachment("Recorded crime data geographical reference table", "recrime-geo-pfa.csv", CSV_MEDIA_TYPE,
                     "excluded")
    geo_rows = [["Force Name", "PFA code"]] + [[ho_force_name(f.name, data[-1].fy), f.force_id] for f in forces]
    geo.rows = {"recrime-geo-pfa.csv": len(geo_rows)}
    path = place(geo)
    _write_csv(path, geo_rows)
    out.append((geo, path))
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line: write the sample mirror and print one summary line."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="mirror root directory")
    parser.add_argument("--release-date", default=DEFAULT_RELEASE.isoformat(), help="YYYY-MM-DD (default %(default)s)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    try:
        release = dt.date.fromisoformat(args.release_date)
    except ValueError:
        parser.error(f"--release-date must be YYYY-MM-DD, not {args.release_date!r}")
    started = time.perf_counter()
    manifest = generate_home_office_mirror(args.out, release_date=release, seed=args.seed)
    files = manifest["files"]
    assert isinstance(files, list)
    total = sum(int(f["bytes"]) for f in files)
    print(f"home_office sample: wrote {len(files)} files ({total / 1e6:.1f} MB) and the content-API document to "
          f"{args.out} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
