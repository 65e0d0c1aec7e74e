"""Constants of the data.police.uk monthly archive: file names, headers and code lists.

Formats are described in ../shared/reference/sources.md section 2; every header below is verbatim
from a real file in ../shared/data/real/police_uk_bulk/.
"""

from __future__ import annotations

import re

# Slugs in the archive that are not one of the 43 force areas (defined apart, for the gate's use).
from extract.areas import NON_FORCE_AREA_SLUGS  # noqa: F401

HOST = "data.police.uk"
ARCHIVE_PATH = "data/archive"  # archive URL: https://data.police.uk/data/archive/YYYY-MM.zip

# Datasets inside each archive: <YYYY-MM>/<YYYY-MM>-<force slug>-<dataset file suffix>.csv
DATASETS: dict[str, str] = {
    "street": "street",
    "outcomes": "outcomes",
    "stop_and_search": "stop-and-search",
}

STREET_HEADER = [
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
]
OUTCOMES_HEADER = [
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Outcome type",
]
STOP_AND_SEARCH_HEADER = [
    "Type", "Date", "Part of a policing operation", "Policing operation", "Latitude", "Longitude",
    "Gender", "Age range", "Self-defined ethnicity", "Officer-defined ethnicity", "Legislation",
    "Object of search", "Outcome", "Outcome linked to object of search",
    "Removal of more than just outer clothing",
]
HEADERS: dict[str, list[str]] = {
    "street": STREET_HEADER,
    "outcomes": OUTCOMES_HEADER,
    "stop_and_search": STOP_AND_SEARCH_HEADER,
}

# The 14 `Crime type` values of street files (ASB included; police.uk has no fraud category).
CRIME_TYPES = [
    "Anti-social behaviour", "Bicycle theft", "Burglary", "Criminal damage and arson", "Drugs",
    "Other crime", "Other theft", "Possession of weapons", "Public order", "Robbery", "Shoplifting",
    "Theft from the person", "Vehicle crime", "Violence and sexual offences",
]

# Outcome labels as written in the CSV files (not the API names: "Offender given penalty notice").
OUTCOME_LABELS = [
    "Investigation complete; no suspect identified", "Unable to prosecute suspect",
    "Status update unavailable", "Court result unavailable", "Under investigation",
    "Awaiting court outcome", "Local resolution", "Offender given a caution",
    "Offender given a drugs possession warning", "Offender given penalty notice",
    "Formal action is not in the public interest", "Further investigation is not in the public interest",
    "Further action is not in the public interest", "Action to be taken by another organisation",
    "Offender given conditional discharge", "Offender ordered to pay compensation", "Suspect charged",
    "Suspect charged as part of another case", "Offender sent to prison", "Offender fined",
    "Offender given suspended prison sentence", "Offender given community sentence",
    "Offender given absolute discharge", "Offender deprived of property", "Offender otherwise dealt with",
    "Defendant found not guilty", "Defendant sent to Crown Court", "Court case unable to proceed",
]

ARCHIVE_NAME_RE = re.compile(r"^(?P<release>\d{4}-\d{2})\.zip$")
# An entry or a hand-downloaded file: 2023-01-city-of-london-street.csv (optionally under a 2023-01/ folder).
FILE_NAME_RE = re.compile(
    r"^(?:(?P<folder>\d{4}-\d{2})/)?(?P<month>\d{4}-\d{2})-(?P<slug>[a-z][a-z-]*?)-"
    r"(?P<dataset>street|outcomes|stop-and-search)\.csv$"
)
MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
