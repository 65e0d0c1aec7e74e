"""Deterministic sample mirror of the data.police.uk monthly archive, in the real file formats, scaled down.

`generate_archive_mirror` writes <mirror_root>/data.police.uk/data/archive/<release>.zip holding
`YYYY-MM/YYYY-MM-<slug>-{street,outcomes,stop-and-search}.csv` for every month and force, with the
real files' conventions (UTF-8 without BOM, CRLF, quoting only when needed, 6-decimal coordinates,
empty Crime ID for ASB and BTP rows, exact duplicate outcome rows) and the real gaps listed in
seeds/police_uk_known_gaps.csv. Formats: ../shared/reference/sources.md section 2.

Every force-month is drawn with numpy from its own generator keyed on (seed, slug, month, dataset),
so the same arguments give a byte-identical zip. Crimes carry an outcome schedule: an outcome
recorded d months after the crime lands in that month's outcomes file (same Crime ID) and becomes
the street file's `Last outcome category` once d months have passed by the release, which makes
recent months mostly `Under investigation`, as in the real archive.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import hashlib
import os
import re
import sys
import time
import zipfile
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from extract.police_uk.settings import (
    ARCHIVE_PATH,
    CRIME_TYPES,
    DATASETS,
    HEADERS,
    HOST,
    MONTH_RE,
    NON_FORCE_AREA_SLUGS,
    OUTCOME_LABELS,
)

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"

BTP_SLUG = "btp"
GMP_POPULATION = 2_812_600  # seed population is blank (ONS '..'); only used to size volumes
STREET_ROWS_PER_1000 = 7.5  # street rows (crimes + ASB) per 1,000 residents per month
SEARCHES_PER_1000 = 0.9  # stop and searches per 1,000 residents per month
# City of London has 8,700 residents but a large daytime population: real files hold ~750 rows a month.
CITY_OF_LONDON_STREET_FLOOR = 700 * 10
CITY_OF_LONDON_SEARCH_FLOOR = 100 * 10
BTP_STREET_ROWS = 2_700  # national BTP street rows a month (2023-01 file: ~2,700)
MIN_STREET_ROWS = 3
NO_LOCATION_SHARE = 0.05
SEARCH_NO_LOCATION_SHARE = 0.10
# Real files: 1.4-2.6% nationally, up to 15% for some force-years; tiny sample files must not exceed this.
MAX_NO_LOCATION_SHARE = 0.3
DUPLICATE_OUTCOME_SHARE = 0.002
VARIANT_SHARE = 0.10  # of crimes with a non-charge outcome: ~5% of street outcome values change
ZIP_COMPRESSLEVEL = 1  # level 6 makes compression most of the run at scale 1.0 for a zip only ~10% smaller

# --- code lists --------------------------------------------------------------------------------------

_CRIME_TYPE_SHARES = {
    "Anti-social behaviour": 25, "Violence and sexual offences": 30, "Other theft": 6,
    "Criminal damage and arson": 8, "Public order": 8, "Shoplifting": 6, "Vehicle crime": 5, "Burglary": 4,
    "Other crime": 2, "Drugs": 2, "Theft from the person": 1.5, "Robbery": 1, "Bicycle theft": 1,
    "Possession of weapons": 0.5,
}
# First outcome recorded for a crime (outcomes-file labels); "Suspect charged" later gets a court result.
_FIRST_OUTCOMES = {
    "Investigation complete; no suspect identified": 44, "Unable to prosecute suspect": 27,
    "Suspect charged": 9, "Local resolution": 4, "Further investigation is not in the public interest": 3,
    "Offender given a caution": 2.5, "Action to be taken by another organisation": 2,
    "Formal action is not in the public interest": 1.5, "Offender given a drugs possession warning": 1,
    "Further action is not in the public interest": 1, "Suspect charged as part of another case": 1,
    "Offender given penalty notice": 0.5,
}
_FIRST_OUTCOMES_DRUGS = {
    "Offender given a drugs possession warning": 25, "Suspect charged": 20, "Unable to prosecute suspect": 15,
    "Local resolution": 10, "Further investigation is not in the public interest": 8,
    "Investigation complete; no suspect identified": 6, "Offender given a caution": 5,
    "Formal action is not in the public interest": 5, "Offender given penalty notice": 4,
    "Further action is not in the public interest": 2,
}
_COURT_OUTCOMES = {
    "Court result unavailable": 18, "Offender fined": 15, "Offender sent to prison": 15,
    "Offender given community sentence": 12, "Offender given suspended prison sentence": 10,
    "Offender given conditional discharge": 7, "Defendant found not guilty": 6,
    "Court case unable to proceed": 5, "Offender otherwise dealt with": 4,
    "Offender ordered to pay compensation": 3,
    "Defendant sent to Crown Court": 3, "Offender given absolute discharge": 1,
    "Offender deprived of property": 1,
}
# Months from crime to first outcome (index = delay); P_NEVER of crimes never get one in the outcomes files.
_DELAY1 = np.array([30, 16, 12, 9, 7, 5] + [21 * 0.15 * 0.85**k / (1 - 0.85**30) for k in range(30)])
_DELAY2 = np.array([0.8**k for k in range(12)])  # charge -> court result, 1..12 months
P_NEVER = 0.25
# Months after which a crime with no published outcome stops showing "Under investigation".
STATUS_UNAVAILABLE_AFTER = 12

_SS_TYPES = {"Person search": 75, "Person and Vehicle search": 20, "Vehicle search": 5}
_SS_GENDERS = {"Male": 88, "Female": 10, "Other": 0.5, "": 1.5}
_SS_AGES = {"10-17": 15, "18-24": 33, "25-34": 26, "over 34": 22, "under 10": 0.1, "": 3.9}
_OFFICER_ETHNICITIES = ["White", "Black", "Asian", "Other", ""]
# Self-defined ethnicity, its usual officer-defined group (index into _OFFICER_ETHNICITIES; -1 = any), weight.
_SELF_ETHNICITIES: list[tuple[str, int, float]] = [
    ("White - English/Welsh/Scottish/Northern Irish/British", 0, 40),
    ("White - Any other White background", 0, 8), ("White - Irish", 0, 1),
    ("White - Gypsy or Irish Traveller", 0, 0.3), ("Black/African/Caribbean/Black British - African", 1, 6),
    ("Black/African/Caribbean/Black British - Caribbean", 1, 5),
    ("Black/African/Caribbean/Black British - Any other Black/African/Caribbean background", 1, 5),
    ("Asian/Asian British - Bangladeshi", 2, 2), ("Asian/Asian British - Indian", 2, 1.5),
    ("Asian/Asian British - Pakistani", 2, 3), ("Asian/Asian British - Chinese", 2, 0.3),
    ("Asian/Asian British - Any other Asian background", 2, 3),
    ("Mixed/Multiple ethnic groups - White and Black Caribbean", 1, 2),
    ("Mixed/Multiple ethnic groups - White and Black African", 1, 0.5),
    ("Mixed/Multiple ethnic groups - White and Asian", 2, 0.5),
    ("Mixed/Multiple ethnic groups - Any other Mixed/Multiple ethnic background", 3, 1.5),
    ("Other ethnic group - Any other ethnic group", 3, 3), ("Other ethnic group - Arab", 3, 0.5),
    ("Other ethnic group - Not stated", -1, 12), ("", -1, 5),
]
_LEGISLATION = {
    "Misuse of Drugs Act 1971 (section 23)": 60, "Police and Criminal Evidence Act 1984 (section 1)": 32,
    "Criminal Justice and Public Order Act 1994 (section 60)": 4, "Firearms Act 1968 (section 47)": 2, "": 1,
}
_OBJECTS = ["Controlled drugs", "Evidence of offences under the Act", "Stolen goods", "Offensive weapons",
            "Article for use in theft", "Articles for use in criminal damage", "Fireworks", "Firearms", ""]
# P(object | legislation), rows in _LEGISLATION order, columns in _OBJECTS order.
_OBJECT_GIVEN_LEGISLATION = np.array([
    [95, 5, 0, 0, 0, 0, 0, 0, 0],
    [0, 0, 45, 30, 18, 5, 2, 0, 0],
    [0, 0, 0, 100, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, 100, 0],
    [0, 0, 0, 0, 0, 0, 0, 0, 100],
], dtype=float)
_SS_OUTCOMES = {
    "A no further action disposal": 68, "Arrest": 15, "Community resolution": 7,
    "Khat or Cannabis warning": 5, "Summons / charged by post": 3, "Caution (simple or conditional)": 1,
    "Penalty Notice for Disorder": 1,
}
_OPERATION_NAMES = ["Operation Sceptre", "Operation Orochi", "Night Time Economy", "Operation Viper"]
# From 2025 the real files leave "Part of a policing operation" empty and fill "Outcome linked" for NFA too.
_NEW_SS_STYLE_FROM = "2025-01"

_STREET_FIRST = [
    "High", "Station", "Church", "Mill", "Park", "Victoria", "Albert", "Queen'S", "King'S", "George", "Manor",
    "Orchard", "Chapel", "School", "North", "South", "West", "East", "New", "Green", "Grange", "Elm", "Oak",
    "Beech", "Ash", "Willow", "Cedar", "Meadow", "Springfield", "Windsor", "York", "Cambridge", "Regent",
    "Market", "Bridge", "Castle", "Abbey", "St. John'S", "St. Mary'S", "Richmond", "Salisbury", "Stanley",
    "Hollybush", "Brook", "Fairfield", "Highfield", "Woodland", "Riverside", "Westfield", "Lansdowne",
    "Belmont", "Clarence", "Cromwell", "Nelson", "Trafalgar", "Wellington", "Marlborough", "Coronation",
]
_STREET_SUFFIX = [
    "Road", "Street", "Lane", "Avenue", "Close", "Way", "Drive", "Grove", "Crescent", "Place", "Gardens",
    "Terrace", "Walk", "Court", "Hill", "Row", "Square", "Mews", "Rise", "View",
]
_SPECIAL_PLACES = [
    "Parking Area", "Supermarket", "Petrol Station", "Nightclub", "Shopping Area", "Sports/Recreation Area",
    "Further/Higher Educational Building", "Hospital", "Theatre/Concert Hall", "Conference/Exhibition Centre",
    "Police Station", "Pedestrian Subway", "Bus/Coach Station", "Park/Open Space",
]

# Rough centre (lon, lat) and spread (degrees) per slug.
_CENTRES: dict[str, tuple[float, float, float, float]] = {
    "metropolitan": (-0.12, 51.50, 0.17, 0.08),
    "cumbria": (-2.95, 54.55, 0.3, 0.28),
    "lancashire": (-2.6, 53.80, 0.25, 0.18),
    "merseyside": (-2.95, 53.42, 0.1, 0.07),
    "greater-manchester": (-2.24, 53.48, 0.15, 0.09),
    "cheshire": (-2.55, 53.20, 0.22, 0.13),
    "northumbria": (-1.65, 55.05, 0.25, 0.2),
    "durham": (-1.65, 54.68, 0.2, 0.12),
    "north-yorkshire": (-1.35, 54.10, 0.4, 0.22),
    "west-yorkshire": (-1.65, 53.75, 0.18, 0.1),
    "south-yorkshire": (-1.35, 53.48, 0.18, 0.1),
    "humberside": (-0.45, 53.70, 0.3, 0.18),
    "cleveland": (-1.2, 54.57, 0.12, 0.05),
    "west-midlands": (-1.9, 52.48, 0.15, 0.08),
    "staffordshire": (-2.05, 52.85, 0.2, 0.18),
    "west-mercia": (-2.55, 52.35, 0.35, 0.3),
    "warwickshire": (-1.55, 52.30, 0.18, 0.18),
    "derbyshire": (-1.55, 53.05, 0.2, 0.2),
    "nottinghamshire": (-1.1, 53.05, 0.18, 0.2),
    "lincolnshire": (-0.25, 53.10, 0.35, 0.35),
    "leicestershire": (-1.1, 52.65, 0.22, 0.15),
    "northamptonshire": (-0.85, 52.30, 0.25, 0.18),
    "cambridgeshire": (-0.1, 52.40, 0.25, 0.2),
    "norfolk": (1, 52.65, 0.4, 0.18),
    "suffolk": (1, 52.20, 0.3, 0.15),
    "bedfordshire": (-0.45, 52.00, 0.15, 0.12),
    "hertfordshire": (-0.25, 51.80, 0.2, 0.12),
    "essex": (0.55, 51.75, 0.3, 0.18),
    "thames-valley": (-1, 51.65, 0.35, 0.3),
    "hampshire": (-1.25, 50.95, 0.35, 0.2),
    "surrey": (-0.4, 51.25, 0.22, 0.1),
    "kent": (0.75, 51.20, 0.4, 0.12),
    "sussex": (-0.3, 50.90, 0.4, 0.1),
    "city-of-london": (-0.092, 51.52, 0.008, 0.004),
    "devon-and-cornwall": (-4.1, 50.50, 0.6, 0.25),
    "avon-and-somerset": (-2.7, 51.30, 0.3, 0.2),
    "gloucestershire": (-2.2, 51.85, 0.22, 0.15),
    "wiltshire": (-1.9, 51.35, 0.25, 0.18),
    "dorset": (-2.2, 50.75, 0.3, 0.12),
    "north-wales": (-3.5, 53.10, 0.45, 0.2),
    "gwent": (-3, 51.65, 0.15, 0.12),
    "south-wales": (-3.4, 51.55, 0.3, 0.1),
    "dyfed-powys": (-3.9, 52.10, 0.5, 0.35),
    BTP_SLUG: (-1.2, 52.30, 1, 0.9),
}
# Local authority names used for LSOA names: the first is the main area, later ones hold fewer LSOAs.
_LOCAL_AUTHORITIES: dict[str, str] = {
    "metropolitan": (
        "Westminster|Camden|Lambeth|Southwark|Newham|Tower Hamlets|Croydon|Barnet|Ealing|"
        "Brent|Haringey|Enfield|Lewisham|Greenwich|Wandsworth|Hillingdon|Islington|Hackney|Harrow|"
        "Bromley|Bexley"
    ),
    "cumbria": "Carlisle|Allerdale|Barrow-in-Furness|Copeland|South Lakeland|Eden",
    "lancashire": "Preston|Blackpool|Blackburn with Darwen|Lancaster|Burnley|Chorley|Wyre|Pendle",
    "merseyside": "Liverpool|Wirral|Sefton|Knowsley|St. Helens",
    "greater-manchester": (
        "Manchester|Salford|Bolton|Wigan|Stockport|Oldham|Rochdale|Trafford|Tameside|"
        "Bury"
    ),
    "cheshire": "Cheshire East|Cheshire West and Chester|Warrington|Halton",
    "northumbria": "Newcastle upon Tyne|Sunderland|Gateshead|North Tyneside|South Tyneside|Northumberland",
    "durham": "County Durham|Darlington",
    "north-yorkshire": "York|Harrogate|Scarborough|Selby|Hambleton|Richmondshire",
    "west-yorkshire": "Leeds|Bradford|Kirklees|Wakefield|Calderdale",
    "south-yorkshire": "Sheffield|Doncaster|Rotherham|Barnsley",
    "humberside": "Kingston upon Hull|East Riding of Yorkshire|North Lincolnshire|North East Lincolnshire",
    "cleveland": "Middlesbrough|Stockton-on-Tees|Redcar and Cleveland|Hartlepool",
    "west-midlands": "Birmingham|Coventry|Sandwell|Dudley|Walsall|Wolverhampton|Solihull",
    "staffordshire": (
        "Stoke-on-Trent|Stafford|Newcastle-under-Lyme|East Staffordshire|Cannock Chase|"
        "Lichfield|Tamworth"
    ),
    "west-mercia": "Shropshire|Herefordshire|Telford and Wrekin|Worcester|Wyre Forest|Wychavon",
    "warwickshire": "Nuneaton and Bedworth|Warwick|Rugby|Stratford-on-Avon|North Warwickshire",
    "derbyshire": "Derby|Amber Valley|Chesterfield|Erewash|High Peak|South Derbyshire",
    "nottinghamshire": "Nottingham|Mansfield|Ashfield|Gedling|Broxtowe|Newark and Sherwood|Bassetlaw",
    "lincolnshire": "Lincoln|East Lindsey|North Kesteven|South Kesteven|Boston|South Holland|West Lindsey",
    "leicestershire": "Leicester|Charnwood|North West Leicestershire|Hinckley and Bosworth|Melton|Rutland",
    "northamptonshire": "West Northamptonshire|North Northamptonshire",
    "cambridgeshire": (
        "Cambridge|Peterborough|Huntingdonshire|Fenland|East Cambridgeshire|"
        "South Cambridgeshire"
    ),
    "norfolk": (
        "Norwich|Great Yarmouth|King's Lynn and West Norfolk|Breckland|Broadland|North Norfolk|"
        "South Norfolk"
    ),
    "suffolk": "Ipswich|East Suffolk|West Suffolk|Babergh|Mid Suffolk",
    "bedfordshire": "Luton|Bedford|Central Bedfordshire",
    "hertfordshire": (
        "St Albans|Watford|Dacorum|Stevenage|Welwyn Hatfield|Hertsmere|East Hertfordshire|"
        "North Hertfordshire|Broxbourne|Three Rivers"
    ),
    "essex": (
        "Chelmsford|Colchester|Southend-on-Sea|Thurrock|Basildon|Braintree|Harlow|Tendring|"
        "Epping Forest"
    ),
    "thames-valley": (
        "Milton Keynes|Oxford|Reading|Slough|Buckinghamshire|Wokingham|Bracknell Forest|"
        "West Berkshire|Cherwell|Vale of White Horse"
    ),
    "hampshire": (
        "Southampton|Portsmouth|Basingstoke and Deane|Winchester|Eastleigh|Fareham|Havant|"
        "New Forest|Isle of Wight"
    ),
    "surrey": (
        "Guildford|Woking|Elmbridge|Reigate and Banstead|Spelthorne|Waverley|Epsom and Ewell|"
        "Runnymede"
    ),
    "kent": (
        "Medway|Maidstone|Canterbury|Dartford|Gravesham|Swale|Thanet|Dover|Folkestone and Hythe|"
        "Ashford|Tunbridge Wells|Sevenoaks"
    ),
    "sussex": (
        "Brighton and Hove|Crawley|Horsham|Mid Sussex|Eastbourne|Hastings|Wealden|Chichester|"
        "Worthing|Adur"
    ),
    "city-of-london": "City of London|Tower Hamlets|Camden|Islington|Hackney",
    "devon-and-cornwall": (
        "Plymouth|Cornwall|Exeter|Torbay|East Devon|Teignbridge|North Devon|South Hams|"
        "Isles of Scilly"
    ),
    "avon-and-somerset": (
        "Bristol|North Somerset|South Gloucestershire|"
        "Bath and North East Somerset|Somerset"
    ),
    "gloucestershire": "Gloucester|Cheltenham|Stroud|Tewkesbury|Cotswold|Forest of Dean",
    "wiltshire": "Wiltshire|Swindon",
    "dorset": "Bournemouth, Christchurch and Poole|Dorset",
    "north-wales": "Wrexham|Flintshire|Conwy|Denbighshire|Gwynedd|Isle of Anglesey",
    "gwent": "Newport|Caerphilly|Torfaen|Monmouthshire|Blaenau Gwent",
    "south-wales": (
        "Cardiff|Swansea|Rhondda Cynon Taf|Bridgend|Neath Port Talbot|Vale of Glamorgan|"
        "Merthyr Tydfil"
    ),
    "dyfed-powys": "Carmarthenshire|Pembrokeshire|Powys|Ceredigion",
    BTP_SLUG: (
        "Westminster|Camden|Southwark|Lambeth|Barking and Dagenham|Croydon|Birmingham|Manchester|"
        "Leeds|Liverpool|Brighton and Hove|Adur|Reading|Newcastle upon Tyne|Bristol|Coventry|"
        "Sheffield|Nottingham"
    ),
}


def _cdf(weights: Sequence[float] | np.ndarray) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    c = np.cumsum(w / w.sum())
    c[-1] = 1.0
    return c


def _draw(rng: np.random.Generator, cdf: np.ndarray, n: int) -> np.ndarray:
    """Indices drawn from a categorical distribution given as a cumulative array."""
    return np.searchsorted(cdf, rng.random(n), side="right").astype(np.int32)


_LABEL_INDEX = {label: i for i, label in enumerate(OUTCOME_LABELS)}
_EMPTY_LABEL = len(OUTCOME_LABELS)  # index of "" in _LABEL_VOCAB
_LABEL_VOCAB = pa.array([*OUTCOME_LABELS, ""])


def _label_table(weights: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    return np.array([_LABEL_INDEX[k] for k in weights], dtype=np.int16), _cdf(list(weights.values()))


_LAB1, _LAB1_CDF = _label_table(_FIRST_OUTCOMES)
_LAB1_DRUGS, _LAB1_DRUGS_CDF = _label_table(_FIRST_OUTCOMES_DRUGS)
_COURT, _COURT_CDF = _label_table(_COURT_OUTCOMES)
_CHARGED = _LABEL_INDEX["Suspect charged"]
_NONCHARGED = _LAB1[_LAB1 != _CHARGED]  # labels a republication may swap between
_POS_IN_NONCHARGED = np.full(len(OUTCOME_LABELS), -1, dtype=np.int32)
_POS_IN_NONCHARGED[_NONCHARGED] = np.arange(len(_NONCHARGED))
_UNDER_INVESTIGATION = _LABEL_INDEX["Under investigation"]
_AWAITING_COURT = _LABEL_INDEX["Awaiting court outcome"]
_STATUS_UNAVAILABLE = _LABEL_INDEX["Status update unavailable"]
_COURT_UNAVAILABLE = _LABEL_INDEX["Court result unavailable"]
_CRIME_TYPE_CDF = _cdf([_CRIME_TYPE_SHARES[t] for t in CRIME_TYPES])
_CRIME_TYPE_VOCAB = pa.array(CRIME_TYPES)
_ASB = CRIME_TYPES.index("Anti-social behaviour")
_DRUGS = CRIME_TYPES.index("Drugs")
_DELAY1_P = _DELAY1 / _DELAY1.sum()
_DELAY1_CDF = _cdf(_DELAY1)
_DELAY2_P = _DELAY2 / _DELAY2.sum()
_DELAY2_CDF = _cdf(_DELAY2)
_P_CHARGED = _FIRST_OUTCOMES["Suspect charged"] / sum(_FIRST_OUTCOMES.values())
_P_COURT_ROW = 1 - _COURT_OUTCOMES["Court result unavailable"] / sum(_COURT_OUTCOMES.values())
# P(first outcome later than k months) and P(court result later than k months), for outcomes of
# crimes committed before the window (they have no street row in the sample).
_TAIL1 = 1 - _DELAY1_CDF
_TAIL12 = 1 - np.cumsum(np.convolve(_DELAY1_P, np.concatenate([[0.0], _DELAY2_P])))
_COURT_ROWS = _COURT[_COURT != _COURT_UNAVAILABLE]
_COURT_ROWS_CDF = _cdf([_COURT_OUTCOMES[OUTCOME_LABELS[i]] for i in _COURT_ROWS])


def _vocab(weights: dict[str, float]) -> tuple[pa.Array, np.ndarray]:
    return pa.array(list(weights)), _cdf(list(weights.values()))


_SS_TYPE_VOCAB, _SS_TYPE_CDF = _vocab(_SS_TYPES)
_VEHICLE_ONLY = list(_SS_TYPES).index("Vehicle search")
_GENDER_VOCAB, _GENDER_CDF = _vocab(_SS_GENDERS)
_AGE_VOCAB, _AGE_CDF = _vocab(_SS_AGES)
_SELF_ETH_VOCAB = pa.array([s for s, _, _ in _SELF_ETHNICITIES] + [""])
_SELF_ETH_CDF = _cdf([w for _, _, w in _SELF_ETHNICITIES])
_SELF_ETH_OFFICER = np.array([o for _, o, _ in _SELF_ETHNICITIES], dtype=np.int32)
_OFFICER_VOCAB = pa.array(_OFFICER_ETHNICITIES)
_LEGISLATION_VOCAB, _LEGISLATION_CDF = _vocab(_LEGISLATION)
_OBJECT_VOCAB = pa.array(_OBJECTS)
_OBJECT_CDFS = np.cumsum(_OBJECT_GIVEN_LEGISLATION / _OBJECT_GIVEN_LEGISLATION.sum(1, keepdims=True), axis=1)
_SS_OUTCOME_VOCAB, _SS_OUTCOME_CDF = _vocab(_SS_OUTCOMES)
_NFA = 0
_BOOL_VOCAB = pa.array(["False", "True", ""])
_OPERATION_VOCAB = pa.array(["", *_OPERATION_NAMES])
_HOUR_WEIGHTS = np.array([5, 4, 3, 2, 1, 1, 1, 2, 3, 4, 5, 5, 6, 6, 7, 8, 9, 10, 10, 10, 10, 9, 8, 7], float)
_HOUR_CDF = _cdf(_HOUR_WEIGHTS)
_SPECIAL_CHARS = re.compile(r'[",\r\n]')
_HEX = np.array([list(f"{i:02x}".encode()) for i in range(256)], dtype=np.uint8)


def _needs_quotes(value: str) -> bool:
    return _SPECIAL_CHARS.search(value) is not None


def _csv_field(value: str) -> str:
    """A value as it appears in a CSV written with minimal quoting (the rows are assembled unescaped)."""
    return '"' + value.replace('"', '""') + '"' if _needs_quotes(value) else value


# Vocabularies go into rows unescaped: fail at import rather than write a broken file.
for _values in (CRIME_TYPES, OUTCOME_LABELS, _SS_TYPES, _SS_GENDERS, _SS_AGES, _LEGISLATION, _OBJECTS,
                _SS_OUTCOMES, _OFFICER_ETHNICITIES, _OPERATION_NAMES, [s for s, _, _ in _SELF_ETHNICITIES]):
    if any(_needs_quotes(v) for v in _values):
        raise RuntimeError(f"vocabulary value needs CSV quoting: {_values}")


# --- seeds ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Force:
    slug: str
    name: str  # "Reported by" / "Falls within"
    population: int
    welsh: bool
    n_lsoa: int
    lsoa_start: int  # first LSOA code number (E01/W01 ranges are shared out in seed order)


@dataclass(frozen=True)
class _Gap:
    slug: str
    dataset: str  # all / street / outcomes / stop_and_search
    month_from: int
    month_to: int | None


def _month_index(month: str) -> int:
    if not MONTH_RE.match(month):
        raise ValueError(f"not a YYYY-MM month: {month!r}")
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def _month_str(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _read_seed(name: str) -> list[dict[str, str]]:
    with open(SEEDS_DIR / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _load_forces() -> dict[str, _Force]:
    """All 43 forces plus BTP, keyed by police.uk slug, with LSOA code ranges independent of any subset."""
    population = {r["force_id"]: r["population"] for r in _read_seed("force_population.csv")}
    rows = [
        (r["police_uk_slug"], r["police_uk_force_name"], int(population.get(r["force_id"]) or GMP_POPULATION),
         r["country"] == "Wales")
        for r in _read_seed("police_force_areas.csv")
    ]
    rows.append((BTP_SLUG, NON_FORCE_AREA_SLUGS[BTP_SLUG], BTP_STREET_ROWS * 1000 // 7, False))
    forces: dict[str, _Force] = {}
    next_code = {False: 1, True: 1}
    for slug, name, pop, welsh in rows:
        n_lsoa = 400 if slug == BTP_SLUG else int(np.clip(round(pop / 1600), 7, 6000))
        forces[slug] = _Force(slug, name, pop, welsh, n_lsoa, next_code[welsh])
        next_code[welsh] += n_lsoa + 50
    return forces


def _load_gaps() -> list[_Gap]:
    return [
        _Gap(r["police_uk_slug"], r["dataset"], _month_index(r["month_from"]),
             _month_index(r["month_to"]) if r["month_to"] else None)
        for r in _read_seed("police_uk_known_gaps.csv")
    ]


def _absent(gaps: list[_Gap], slug: str, dataset: str, month: int) -> bool:
    """True when the real archive has no such file (known gap, or BTP outcomes / stop and search)."""
    if slug == BTP_SLUG and dataset != "street":
        return True
    return any(
        g.slug == slug and g.dataset in ("all", dataset) and g.month_from <= month
        and (g.month_to is None or month <= g.month_to)
        for g in gaps
    )


# --- randomness and string building -------------------------------------------------------------------

def _rng(seed: int, *key: object) -> np.random.Generator:
    """A generator keyed on (seed, key...) through a stable hash (never Python's hash())."""
    digest = hashlib.blake2b("|".join(map(str, key)).encode(), digest_size=16).digest()
    words = np.frombuffer(digest, dtype="<u4").tolist()
    entropy = [seed & 0xFFFFFFFF, (seed >> 32) & 0xFFFFFFFF, *words]
    return np.random.default_rng(np.random.SeedSequence(entropy))


def _fixed_width(chars: np.ndarray, present: np.ndarray | None = None) -> pa.Array:
    """String array from a (k, w) uint8 matrix; rows where `present` is False are "" (k = present.sum())."""
    k, w = chars.shape
    lengths = np.full(k, w, dtype=np.int64) if present is None else np.where(present, w, 0)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    return pa.StringArray.from_buffers(len(offsets) - 1, pa.py_buffer(offsets), pa.py_buffer(chars.tobytes()))


def _hex_ids(raw: np.ndarray) -> np.ndarray:
    """(k, 32) random bytes -> (k, 64) lowercase hex characters (a Crime ID per row)."""
    return _HEX[raw].reshape(len(raw), 64)


def _random_ids(rng: np.random.Generator, k: int) -> np.ndarray:
    return np.frombuffer(rng.bytes(32 * k), dtype=np.uint8).reshape(k, 32)


def _csv_body(columns: list[pa.Array | str]) -> bytes:
    """Rows joined with "," and terminated by CRLF; values must already be CSV-escaped."""
    cols = [pa.scalar(c) if isinstance(c, str) else c for c in columns]
    lines = pc.binary_join_element_wise(*cols, ",")
    lines = pc.binary_join_element_wise(lines, pa.scalar("\r\n"), "")
    if isinstance(lines, pa.ChunkedArray):
        lines = lines.combine_chunks()
    if len(lines) == 0:
        return b""
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32, count=len(lines) + 1, offset=4 * lines.offset)
    return lines.buffers()[2].slice(int(offsets[0]), int(offsets[-1] - offsets[0])).to_pybytes()


def _header(dataset: str) -> bytes:
    return (",".join(HEADERS[dataset]) + "\r\n").encode()


def _season(month: int) -> float:
    """Summer peak, winter trough (±12%)."""
    return 1 + 0.12 * np.cos(2 * np.pi * ((month % 12) - 6) / 12)


# --- per-force places ----------------------------------------------------------------------------------

@dataclass
class _Places:
    """Anonymised map points of a force; index `sentinel` is the no-location point."""

    lon: pa.Array
    lat: pa.Array
    street_location: pa.Array  # "No Location" at the sentinel
    outcome_location: pa.Array  # "No location" at the sentinel
    lsoa_code: pa.Array
    lsoa_name: pa.Array
    cdf: np.ndarray  # crime concentration over places
    rank: np.ndarray  # LSOA name order (real street files are sorted by LSOA name, no-location rows last)
    sentinel: int


def _place_names(rng: np.random.Generator, n: int, towns: list[str], btp: bool) -> list[str]:
    first = np.array(_STREET_FIRST)[rng.integers(len(_STREET_FIRST), size=n)]
    suffix = np.array(_STREET_SUFFIX)[rng.integers(len(_STREET_SUFFIX), size=n)]
    special = np.array(_SPECIAL_PLACES)[rng.integers(len(_SPECIAL_PLACES), size=n)]
    town = np.array(towns)[rng.integers(len(towns), size=n)]
    road = rng.integers(1, 6000, size=n)
    kind = rng.random(n)
    names = []
    for i in range(n):
        street = f"{first[i]} {suffix[i]}"
        if btp:
            name = f"{town[i].split(',')[0] if kind[i] < 0.7 else street} (Station)"
        elif kind[i] < 0.005:
            name = ""  # real files have bare "On or near " rows
        elif kind[i] < 0.035:
            name = f"{street}, {town[i].split(',')[0]}"
        elif kind[i] < 0.11:
            name = f"A{road[i]}" if road[i] % 3 else f"B{1000 + road[i]}"
        elif kind[i] < 0.26:
            name = special[i]
        elif kind[i] < 0.36:
            name = street.upper()
        else:
            name = street
        names.append(name)
    return names


def _build_places(force: _Force, seed: int) -> _Places:
    rng = _rng(seed, force.slug, "places")
    lon0, lat0, slon, slat = _CENTRES[force.slug]
    las = _LOCAL_AUTHORITIES[force.slug].split("|")
    n_lsoa = force.n_lsoa
    # The first local authority is the force's main area; neighbours hold a few LSOAs.
    la_w = 1.0 / np.arange(1, len(las) + 1) ** (2.0 if force.slug == "city-of-london" else 0.7)
    la_of = np.sort(rng.choice(len(las), size=n_lsoa, p=la_w / la_w.sum()))
    names: list[str] = []
    for la in range(len(las)):
        count = int((la_of == la).sum())
        per_msoa = rng.integers(4, 8, size=count + 1)
        msoa, letter = 1, 0
        for _ in range(count):
            names.append(f"{las[la]} {msoa:03d}{'ABCDEFGH'[letter]}")
            letter += 1
            if letter >= per_msoa[msoa]:
                msoa, letter = msoa + 1, 0
    prefix = "W01" if force.welsh else "E01"
    codes = [f"{prefix}{force.lsoa_start + i:06d}" for i in rng.permutation(n_lsoa)]
    order = np.argsort(np.array(names), kind="stable")
    rank_of_lsoa = np.empty(n_lsoa, dtype=np.int64)
    rank_of_lsoa[order] = np.arange(n_lsoa)

    c_lon = lon0 + slon * np.clip(rng.normal(size=n_lsoa), -2.5, 2.5)
    c_lat = lat0 + slat * np.clip(rng.normal(size=n_lsoa), -2.5, 2.5)
    n_places = int(np.clip(3 * n_lsoa, 40, 15000))
    lsoa = rng.integers(n_lsoa, size=n_places)
    jitter = max(slon, slat) / np.sqrt(n_lsoa)
    # Kept inside England and Wales' extent (Scilly to Lowestoft, Lizard to Berwick).
    lon = np.round(np.clip(c_lon[lsoa] + jitter * rng.normal(size=n_places), -6.3, 1.75), 6) + 0.0
    lat = np.round(np.clip(c_lat[lsoa] + 0.6 * jitter * rng.normal(size=n_places), 49.95, 55.8), 6) + 0.0
    place = _place_names(rng, n_places, las, force.slug == BTP_SLUG)
    weights = rng.lognormal(0.0, 1.0, size=n_places)

    def column(values: list[str], sentinel: str) -> pa.Array:
        return pa.array([*values, sentinel])

    return _Places(
        lon=column([f"{v:.6f}" for v in lon], ""),
        lat=column([f"{v:.6f}" for v in lat], ""),
        street_location=column([_csv_field(f"On or near {p}") for p in place], "No Location"),
        outcome_location=column([_csv_field(f"On or near {p}") for p in place], "No location"),
        lsoa_code=column([codes[i] for i in lsoa], ""),
        lsoa_name=column([_csv_field(names[i]) for i in lsoa], ""),
        cdf=_cdf(weights),
        rank=np.append(rank_of_lsoa[lsoa], n_lsoa),
        sentinel=n_places,
    )


# --- generation ----------------------------------------------------------------------------------------

@dataclass
class _Pending:
    """Outcomes scheduled for future months: Crime ID bytes, place, due month, label."""

    ids: np.ndarray = field(default_factory=lambda: np.empty((0, 32), dtype=np.uint8))
    place: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int32))
    due: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int32))
    label: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int16))

    def add(self, ids: np.ndarray, place: np.ndarray, due: np.ndarray, label: np.ndarray) -> None:
        self.ids = np.concatenate([self.ids, ids])
        self.place = np.concatenate([self.place, place])
        self.due = np.concatenate([self.due, due.astype(np.int32)])
        self.label = np.concatenate([self.label, label.astype(np.int16)])

    def pop(self, month: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Entries due in `month`; entries due earlier or now are removed."""
        now, keep = self.due == month, self.due > month
        out = self.ids[now], self.place[now], self.label[now]
        self.ids, self.place = self.ids[keep], self.place[keep]
        self.due, self.label = self.due[keep], self.label[keep]
        return out


@dataclass
class _ForceGenerator:
    force: _Force
    places: _Places
    seed: int
    variant: int
    scale: float
    start: int  # first month index of the window
    release: int  # last month index
    pending: _Pending = field(default_factory=_Pending)

    @property
    def btp(self) -> bool:
        return self.force.slug == BTP_SLUG

    def street_mean(self, month: int) -> float:
        if self.btp:
            base = BTP_STREET_ROWS * self.scale
        else:
            base = self.force.population / 1000 * STREET_ROWS_PER_1000 * self.scale
            if self.force.slug == "city-of-london":
                base = max(base, CITY_OF_LONDON_STREET_FLOOR * self.scale)
        return base * _season(month)

    def month_files(self, month: int, gaps: list[_Gap]) -> list[tuple[str, bytes, int]]:
        """(entry name, CSV bytes, data rows) of this force's files for `month`, gaps left out."""
        m_str, slug = _month_str(month), self.force.slug
        files = []
        if not _absent(gaps, slug, "street", month):
            files.append((_entry_name(m_str, slug, "street"), *self.street(month)))
        out = self.outcomes(month, present=not _absent(gaps, slug, "outcomes", month))
        if out is not None:
            files.append((_entry_name(m_str, slug, "outcomes"), *out))
        if not _absent(gaps, slug, "stop_and_search", month):
            files.append((_entry_name(m_str, slug, "stop_and_search"), *self.stop_and_search(month)))
        return files

    def _draw_places(
        self, rng: np.random.Generator, n: int, no_location: float, cap: bool = True
    ) -> np.ndarray:
        """Places of n rows (weighted by crime concentration), a share of them the no-location sentinel."""
        place = np.searchsorted(self.places.cdf, rng.random(n), side="right").astype(np.int32)
        place[rng.random(n) < no_location] = self.places.sentinel
        return self._cap_unlocated(rng, place) if cap else place

    def _cap_unlocated(self, rng: np.random.Generator, place: np.ndarray) -> np.ndarray:
        """At most MAX_NO_LOCATION_SHARE of a file's rows without location, even in files of a few rows."""
        unlocated = np.flatnonzero(place == self.places.sentinel)
        excess = unlocated[int(MAX_NO_LOCATION_SHARE * len(place)):]
        if len(excess):
            place = place.copy()
            place[excess] = self._draw_places(rng, len(excess), 0.0, cap=False)
        return place

    def street(self, month: int) -> tuple[bytes, int]:
        """One street file; schedules the outcomes of its crimes."""
        m_str = _month_str(month)
        rng = _rng(self.seed, self.force.slug, m_str, "street")
        n = max(MIN_STREET_ROWS, int(rng.poisson(self.street_mean(month) * rng.lognormal(0.0, 0.05))))
        ctype = _draw(rng, _CRIME_TYPE_CDF, n)
        place = self._draw_places(rng, n, NO_LOCATION_SHARE)
        order = np.lexsort((ctype, self.places.rank[place]))
        ctype, place = ctype[order], place[order]

        has_id = np.zeros(n, dtype=bool) if self.btp else ctype != _ASB
        k = int(has_id.sum())
        raw = _random_ids(rng, k)
        last = np.full(n, _EMPTY_LABEL, dtype=np.int16)
        if k:
            last[has_id] = self._schedule(rng, month, raw, place[has_id], ctype[has_id] == _DRUGS)

        body = _csv_body([
            _fixed_width(_hex_ids(raw), has_id), m_str, self.force.name, self.force.name,
            self.places.lon.take(place), self.places.lat.take(place), self.places.street_location.take(place),
            self.places.lsoa_code.take(place), self.places.lsoa_name.take(place),
            _CRIME_TYPE_VOCAB.take(ctype), _LABEL_VOCAB.take(last), "",
        ])
        return _header("street") + body, n

    def _schedule(self, rng: np.random.Generator, month: int, raw: np.ndarray, place: np.ndarray,
                  drugs: np.ndarray) -> np.ndarray:
        """Draw each crime's outcomes, queue the outcome rows, return the street `Last outcome category`."""
        k = len(raw)
        never = rng.random(k) < P_NEVER
        shown_old = rng.random(k) < 0.5  # for never-published outcomes: label shown once the crime is old
        d1 = _draw(rng, _DELAY1_CDF, k)
        lab1 = np.where(drugs, _LAB1_DRUGS[_draw(rng, _LAB1_DRUGS_CDF, k)], _LAB1[_draw(rng, _LAB1_CDF, k)])
        d2 = 1 + _draw(rng, _DELAY2_CDF, k)
        lab2 = _COURT[_draw(rng, _COURT_CDF, k)]
        if self.variant:
            # A republication: some outcomes are revised (never to or from a charge, so row counts hold).
            vrng = _rng(self.seed, self.force.slug, _month_str(month), "street-variant", self.variant)
            pos = _POS_IN_NONCHARGED[lab1]
            revise = (pos >= 0) & (vrng.random(k) < VARIANT_SHARE)
            shift = vrng.integers(1, len(_NONCHARGED), size=k)
            lab1 = np.where(revise, _NONCHARGED[(pos + shift) % len(_NONCHARGED)], lab1)

        charged = lab1 == _CHARGED
        t1, t2 = month + d1, month + d1 + d2
        age = self.release - month
        unpublished = np.where(
            age < STATUS_UNAVAILABLE_AFTER, _UNDER_INVESTIGATION,
            np.where(shown_old, _STATUS_UNAVAILABLE, np.where(charged, _COURT_UNAVAILABLE, lab1)),
        )
        published = np.where(
            t1 > self.release, _UNDER_INVESTIGATION,
            np.where(charged, np.where(t2 <= self.release, lab2, _AWAITING_COURT), lab1),
        )
        first = ~never & (t1 <= self.release)
        court = ~never & charged & (t2 <= self.release) & (lab2 != _COURT_UNAVAILABLE)
        self.pending.add(raw[first], place[first], t1[first], lab1[first])
        self.pending.add(raw[court], place[court], t2[court], lab2[court])
        return np.where(never, unpublished, published).astype(np.int16)

    def outcomes(self, month: int, present: bool) -> tuple[bytes, int] | None:
        """One outcomes file: outcomes scheduled for this month plus outcomes of pre-window crimes."""
        ids, place, label = self.pending.pop(month)
        if not present:
            return None
        m_str = _month_str(month)
        rng = _rng(self.seed, self.force.slug, m_str, "outcomes")
        lag = month - self.start
        non_asb = 1 - _CRIME_TYPE_SHARES["Anti-social behaviour"] / 100
        crimes = self.street_mean(month) * non_asb * (1 - P_NEVER)
        tail1 = _TAIL1[lag] if lag < len(_TAIL1) else 0.0
        tail2 = _P_CHARGED * _P_COURT_ROW * (_TAIL12[lag] if lag < len(_TAIL12) else 0.0)
        n_old = int(rng.poisson(crimes * (tail1 + tail2)))
        old_place = self._draw_places(rng, n_old, NO_LOCATION_SHARE, cap=False)
        old_label = np.where(
            rng.random(n_old) < tail2 / max(tail1 + tail2, 1e-12),
            _COURT_ROWS[_draw(rng, _COURT_ROWS_CDF, n_old)], _LAB1[_draw(rng, _LAB1_CDF, n_old)],
        ).astype(np.int16)
        old_ids = _random_ids(rng, n_old)
        if self.variant and n_old:
            vrng = _rng(self.seed, self.force.slug, m_str, "outcomes-variant", self.variant)
            revise = vrng.random(n_old) < VARIANT_SHARE
            old_label[revise] = _LAB1[_draw(vrng, _LAB1_CDF, int(revise.sum()))]

        ids = np.concatenate([ids, old_ids])
        place = np.concatenate([place, old_place])
        label = np.concatenate([label, old_label])
        n = len(ids)
        rows = rng.permutation(n)
        # The real files contain exact duplicate rows, next to each other.
        dups = rng.choice(n, size=int(rng.binomial(n, DUPLICATE_OUTCOME_SHARE)), replace=False) if n else []
        rows = rows[np.sort(np.concatenate([np.arange(n), np.asarray(dups, dtype=np.int64)]))]
        ids, place, label = ids[rows], self._cap_unlocated(rng, place[rows]), label[rows]
        body = _csv_body([
            _fixed_width(_hex_ids(ids)), m_str, self.force.name, self.force.name,
            self.places.lon.take(place), self.places.lat.take(place),
            self.places.outcome_location.take(place), self.places.lsoa_code.take(place),
            self.places.lsoa_name.take(place), _LABEL_VOCAB.take(label),
        ])
        return _header("outcomes") + body, len(rows)

    def stop_and_search(self, month: int) -> tuple[bytes, int]:
        m_str = _month_str(month)
        rng = _rng(self.seed, self.force.slug, m_str, "stop_and_search")
        base = self.force.population / 1000 * SEARCHES_PER_1000 * self.scale
        if self.force.slug == "city-of-london":
            base = max(base, CITY_OF_LONDON_SEARCH_FLOOR * self.scale)
        n = max(1, int(rng.poisson(base * _season(month) * rng.lognormal(0.0, 0.08))))
        year, mon = divmod(month, 12)
        mon += 1
        days = calendar.monthrange(year, mon)[1]
        day = rng.integers(1, days + 1, size=n)
        hour = _draw(rng, _HOUR_CDF, n)
        minute = np.where(rng.random(n) < 0.6, 5 * rng.integers(0, 12, size=n), rng.integers(0, 60, size=n))
        # Some forces record seconds (2024-03 sample: 09:58:14), most do not.
        with_seconds = hashlib.blake2b(self.force.slug.encode(), digest_size=1).digest()[0] < 64
        second = rng.integers(0, 60, size=n) if with_seconds else np.zeros(n, dtype=np.int64)
        order = np.argsort(((day * 24 + hour) * 60 + minute) * 60 + second, kind="stable")
        day, hour, minute, second = day[order], hour[order], minute[order], second[order]
        dates = _iso_dates(year, mon, day, hour, minute, second)

        stype = _draw(rng, _SS_TYPE_CDF, n)
        vehicle = stype == _VEHICLE_ONLY
        new_style = month >= _month_index(_NEW_SS_STYLE_FROM)
        if new_style:
            part_op = np.full(n, 2)
            operation = np.zeros(n, dtype=np.int64)
        else:
            part_op = _draw(rng, _cdf([95, 3, 2]), n)
            operation = np.where(
                (part_op == 1) & (rng.random(n) < 0.4), rng.integers(1, len(_OPERATION_NAMES) + 1, size=n), 0
            )
        place = self._draw_places(rng, n, SEARCH_NO_LOCATION_SHARE)

        gender = _draw(rng, _GENDER_CDF, n)
        age = _draw(rng, _AGE_CDF, n)
        self_eth = _draw(rng, _SELF_ETH_CDF, n)
        usual = _SELF_ETH_OFFICER[self_eth]
        officer = np.where(
            (usual < 0) | (rng.random(n) < 0.1), _draw(rng, _cdf([50, 25, 12, 8, 5]), n), usual
        )
        empty = len(_SELF_ETHNICITIES)
        # Vehicle-only searches carry no person details.
        gender = np.where(vehicle, list(_SS_GENDERS).index(""), gender)
        age = np.where(vehicle, list(_SS_AGES).index(""), age)
        self_eth = np.where(vehicle, empty, self_eth)
        officer = np.where(vehicle, _OFFICER_ETHNICITIES.index(""), officer)

        legislation = _draw(rng, _LEGISLATION_CDF, n)
        obj = (rng.random(n)[:, None] > _OBJECT_CDFS[legislation]).sum(axis=1)
        obj = np.minimum(obj, len(_OBJECTS) - 1)
        outcome = _draw(rng, _SS_OUTCOME_CDF, n)
        linked = np.where(rng.random(n) < 0.62, 1, np.where(rng.random(n) < 0.92, 0, 2))
        nfa_linked = np.where(rng.random(n) < 0.2, 1, 0) if new_style else np.full(n, 2)
        linked = np.where(outcome == _NFA, nfa_linked, linked)
        removal = (rng.random(n) < 0.03).astype(np.int64)

        body = _csv_body([
            _SS_TYPE_VOCAB.take(stype), dates, _BOOL_VOCAB.take(part_op), _OPERATION_VOCAB.take(operation),
            self.places.lat.take(place), self.places.lon.take(place), _GENDER_VOCAB.take(gender),
            _AGE_VOCAB.take(age), _SELF_ETH_VOCAB.take(self_eth), _OFFICER_VOCAB.take(officer),
            _LEGISLATION_VOCAB.take(legislation), _OBJECT_VOCAB.take(obj), _SS_OUTCOME_VOCAB.take(outcome),
            _BOOL_VOCAB.take(linked), _BOOL_VOCAB.take(removal),
        ])
        return _header("stop_and_search") + body, n


def _last_sunday(year: int, month: int) -> int:
    last = calendar.monthrange(year, month)[1]
    return last - (calendar.weekday(year, month, last) + 1) % 7


def _iso_dates(year: int, month: int, day: np.ndarray, hour: np.ndarray, minute: np.ndarray,
               second: np.ndarray) -> pa.Array:
    """`2023-01-01T00:25:00+00:00` strings, with +01:00 during British Summer Time."""
    if month in (3, 10):
        switch = _last_sunday(year, month)
        after = (day > switch) | ((day == switch) & (hour >= 2))
        bst = after if month == 3 else ~after
    else:
        bst = np.full(len(day), 4 <= month <= 9)
    chars = np.tile(np.frombuffer(f"{year:04d}-{month:02d}-01T00:00:00+00:00".encode(), dtype=np.uint8),
                    (len(day), 1))
    for col, values in ((8, day), (11, hour), (14, minute), (17, second), (20, bst.astype(np.int64))):
        chars[:, col] = 48 + values // 10
        chars[:, col + 1] = 48 + values % 10
    return _fixed_width(chars)


# --- archive -------------------------------------------------------------------------------------------

@dataclass
class GenerationStats:
    """What one generation wrote."""

    path: Path
    files: int
    rows: int
    seconds: float


def _entry_name(month: str, slug: str, dataset: str) -> str:
    return f"{month}/{month}-{slug}-{DATASETS[dataset]}.csv"


def archive_path(mirror_root: Path, release: str) -> Path:
    """Where the mirror keeps an archive: <root>/data.police.uk/data/archive/<release>.zip."""
    return Path(mirror_root) / HOST / ARCHIVE_PATH / f"{release}.zip"


def generate_archive_stats(
    mirror_root: Path,
    *,
    release: str = "2025-12",
    n_months: int = 48,
    scale: float = 0.02,
    forces: list[str] | None = None,
    seed: int = 20251231,
    variant: int = 0,
) -> GenerationStats:
    """`generate_archive_mirror`, returning counts and timing as well as the path."""
    started = time.perf_counter()
    release_index = _month_index(release)
    if n_months < 1:
        raise ValueError("n_months must be at least 1")
    if not scale > 0:
        raise ValueError("scale must be positive")
    all_forces = _load_forces()
    slugs = sorted(all_forces) if forces is None else sorted(set(forces))
    unknown = [s for s in slugs if s not in all_forces]
    if unknown:
        raise ValueError(f"unknown police.uk slugs: {unknown}")
    gaps = _load_gaps()
    start = release_index - n_months + 1
    generators = [
        _ForceGenerator(
            all_forces[s], _build_places(all_forces[s], seed), seed, variant, scale, start, release_index
        )
        for s in slugs
    ]

    path = archive_path(mirror_root, release)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    date_time = (release_index // 12, release_index % 12 + 1, 1, 0, 0, 0)
    n_files = n_rows = 0

    def submit(month: int) -> list[Future[list[tuple[str, bytes, int]]]]:
        return [executor.submit(gen.month_files, month, gaps) for gen in generators]

    try:
        # Forces of a month are generated in worker threads (each has its own generators, so the
        # output does not depend on scheduling) while the previous month is compressed.
        with (
            ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as executor,
            zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf,
        ):
            futures = submit(start)
            for month in range(start, release_index + 1):
                files = sorted(f for future in futures for f in future.result())
                if month < release_index:
                    futures = submit(month + 1)
                for entry, data, rows in files:
                    info = zipfile.ZipInfo(entry, date_time=date_time)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info.create_system = 3
                    info.external_attr = 0o644 << 16
                    zf.writestr(info, data, compresslevel=ZIP_COMPRESSLEVEL)
                    n_rows += rows
                n_files += len(files)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return GenerationStats(path, n_files, n_rows, time.perf_counter() - started)


def generate_archive_mirror(
    mirror_root: Path,
    *,
    release: str = "2025-12",
    n_months: int = 48,
    scale: float = 0.02,
    forces: list[str] | None = None,
    seed: int = 20251231,
    variant: int = 0,
) -> Path:
    """Write a sample data.police.uk archive `<release>.zip` covering `n_months` months up to `release`.

    `scale` is the fraction of real national volumes; `forces` are police.uk slugs (default: the 43
    forces and btp); `variant` > 0 is a republication: same rows, ~5% of outcomes drawn differently.
    Returns the zip path.
    """
    return generate_archive_stats(
        mirror_root, release=release, n_months=n_months, scale=scale, forces=forces, seed=seed,
        variant=variant,
    ).path


def main(argv: list[str] | None = None) -> int:
    """Command line: write a sample archive and print one summary line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="mirror root directory")
    parser.add_argument("--release", default="2025-12", help="archive month YYYY-MM (default 2025-12)")
    parser.add_argument("--months", type=int, default=48, help="months covered, up to --release (default 48)")
    parser.add_argument("--scale", type=float, default=0.02, help="fraction of real volumes (default 0.02)")
    parser.add_argument("--seed", type=int, default=20251231)
    parser.add_argument("--variant", type=int, default=0, help="republication number (default 0)")
    parser.add_argument("--forces", help="comma-separated police.uk slugs (default: all 43 and btp)")
    args = parser.parse_args(argv)
    try:
        stats = generate_archive_stats(
            args.out, release=args.release, n_months=args.months, scale=args.scale, seed=args.seed,
            variant=args.variant, forces=args.forces.split(",") if args.forces else None,
        )
    except ValueError as exc:
        parser.error(str(exc))
    print(f"sample: wrote {stats.files:,} files, {stats.rows:,} rows to {stats.path} "
          f"in {stats.seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
