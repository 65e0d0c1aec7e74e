"""What the Home Office police workforce open data tables look like (sources.md section 4).

One layout contract, shared by the loader (`extract.home_office.workforce`) and the sample mirror
(`extract.home_office.workforce_sample`), so the two cannot drift apart.

How sure we are (sources.md): the workforce and functions open data tables' columns are seen in real
files [3P]; the absence, limited-duties and joiners/leavers open data files exist, but their column
layout is [UNCONFIRMED], so the layouts below for those three follow the workforce table's style and
the loader matches every column by pattern, so a reworded header still loads.

Where the files are: the releases are gov.uk "statistics" pages collected in one document collection.
The collection's content-API item lists its releases in `links.documents` (base_path, title); each
release's content-API item lists its files in `details.attachments` (url, filename, title). A 31 March
release (published in July) carries all five files; a 30 September release (published in January)
carries the workforce and functions tables. Each open data table covers every snapshot from 2007 (2015
for functions), so a later release re-publishes, and may revise, the figures of earlier ones.
"""

from __future__ import annotations

import re

CONTENT_HOST = "www.gov.uk"
ASSET_HOST = "assets.publishing.service.gov.uk"
# The collection of every workforce release (content API). Its links.documents name the release pages.
COLLECTION_PATH = "api/content/government/collections/police-workforce-england-and-wales"
# A release page's base path, e.g. /government/statistics/police-workforce-england-and-wales-31-march-2025
RELEASE_PATH_RE = re.compile(
    r"^/government/statistics/police-workforce-england-and-wales-(\d{1,2})-(march|september)-(\d{4})$",
    re.IGNORECASE,
)
# How many of the newest release pages a run reads (each carries the whole history of its tables).
DEFAULT_RELEASES = 2

# Datasets, each one raw table in schema raw_home_office_workforce.
WORKFORCE = "workforce"
FUNCTIONS = "functions"
ABSENCE = "absence"
LIMITED_DUTIES = "limited_duties"
JOINERS_LEAVERS = "joiners_leavers"
DATASETS = (WORKFORCE, FUNCTIONS, ABSENCE, LIMITED_DUTIES, JOINERS_LEAVERS)

# File name -> dataset; release date is the DDMMYY suffix (open-data-table-police-workforce-280126.ods).
# Order matters: the plain workforce pattern would match the others.
FILE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (FUNCTIONS, re.compile(r"^open-data-table-police-workforce-functions-\d{6}\.(ods|xlsx|csv)$", re.I)),
    (ABSENCE, re.compile(r"^open-data-table-police-workforce-absence-\d{6}\.(ods|xlsx|csv)$", re.I)),
    (LIMITED_DUTIES, re.compile(r"^open-data-table-police-workforce-limited-duties-\d{6}\.(ods|xlsx|csv)$", re.I)),
    (JOINERS_LEAVERS, re.compile(r"^open-data-table-police-workforce-joiners-leavers-\d{6}\.(ods|xlsx|csv)$", re.I)),
    (WORKFORCE, re.compile(r"^open-data-table-police-workforce-\d{6}\.(ods|xlsx|csv)$", re.I)),
]
RELEASE_SUFFIX_RE = re.compile(r"-(\d{2})(\d{2})(\d{2})\.(ods|xlsx|csv)$", re.IGNORECASE)

# The data sheet of every open data table is `Data` (beside a cover sheet and notes in some years).
DATA_SHEET_RE = re.compile(r"^data$", re.IGNORECASE)

# Column patterns (full match, case-insensitive, on the cleaned header label) -> raw column name.
# The snapshot column: "As at 31 March" holding a year (2025 = 31 March 2025), or "As at" / "Snapshot
# date" holding dates (a 30 September release holds 31 March and 30 September snapshots).
SNAPSHOT = r"(as at( 31 march| 30 september)?|snapshot date)"
YEAR_ENDING = r"(year ending( 31 march)?|financial year)"  # joiners and leavers: flows in a year
_FORCE = {
    "geocode": r"geocode|pfa code|force code",
    "force_name": r"force( name)?",
    "region": r"region",
}
_HEADCOUNT = r"total \(headcount\)|headcount"
_FTE = r"total \(fte\)|fte|full[- ]time equivalents?"

# The published header labels of the sample (the real labels for workforce and functions).
PUBLISHED_HEADERS: dict[str, list[str]] = {
    WORKFORCE: ["As at 31 March", "Geocode", "Force name", "Region", "Sex", "Rank", "Worker type",
                "Total (Headcount)", "Total (FTE)"],
    FUNCTIONS: ["As at 31 March", "Geocode", "Force name", "Region", "Worker type", "Ethnicity (5+1)",
                "Ethnicity (3+1)", "Sex", "Function subgroup number", "Function subgroup name",
                "Wider function number", "Wider function name", "Frontline type", "Total (FTE)"],
    ABSENCE: ["As at 31 March", "Geocode", "Force name", "Region", "Worker type", "Sex", "Absence type",
              "Total (Headcount)", "Total (FTE)"],
    LIMITED_DUTIES: ["As at 31 March", "Geocode", "Force name", "Region", "Worker type", "Sex", "Rank",
                     "Duty type", "Total (Headcount)", "Total (FTE)"],
    JOINERS_LEAVERS: ["Year ending 31 March", "Geocode", "Force name", "Region", "Worker type", "Sex", "Rank",
                      "Joiner or leaver", "Leaver type", "Total (Headcount)", "Total (FTE)"],
}

# Required columns per dataset: raw column -> pattern. `count` columns are parsed as numbers with markers.
COLUMNS: dict[str, dict[str, str]] = {
    WORKFORCE: {"as_at": SNAPSHOT, **_FORCE, "sex": r"sex|gender", "rank": r"rank",
                "worker_type": r"worker type", "headcount": _HEADCOUNT, "fte": _FTE},
    FUNCTIONS: {"as_at": SNAPSHOT, **_FORCE, "worker_type": r"worker type",
                "ethnicity_5_plus_1": r"ethnicity \(5\+1\)", "ethnicity_3_plus_1": r"ethnicity \(3\+1\)",
                "sex": r"sex|gender", "function_subgroup_number": r"function sub-? ?group number",
                "function_subgroup_name": r"function sub-? ?group( name)?",
                "wider_function_number": r"wider function number", "wider_function_name": r"wider function( name)?",
                "frontline_type": r"front-? ?line type", "fte": _FTE},
    ABSENCE: {"as_at": SNAPSHOT, **_FORCE, "worker_type": r"worker type", "sex": r"sex|gender",
              "absence_type": r"(absence|sickness) type", "headcount": _HEADCOUNT, "fte": _FTE},
    LIMITED_DUTIES: {"as_at": SNAPSHOT, **_FORCE, "worker_type": r"worker type", "sex": r"sex|gender",
                     "rank": r"rank", "duty_type": r"(limited )?dut(y|ies) type",
                     "headcount": _HEADCOUNT, "fte": _FTE},
    JOINERS_LEAVERS: {"year_ending": YEAR_ENDING, **_FORCE, "worker_type": r"worker type", "sex": r"sex|gender",
                      "rank": r"rank", "movement": r"joiners? or leavers?|movement",
                      "leaver_type": r"leaver type|reason for leaving", "headcount": _HEADCOUNT, "fte": _FTE},
}
COUNT_COLUMNS: dict[str, tuple[str, ...]] = {
    WORKFORCE: ("headcount", "fte"),
    FUNCTIONS: ("fte",),
    ABSENCE: ("headcount", "fte"),
    LIMITED_DUTIES: ("headcount", "fte"),
    JOINERS_LEAVERS: ("headcount", "fte"),
}

# Values the measures rely on, as published (compared case-insensitively: case changes between years,
# e.g. "Local Policing" / "Local policing").
WORKER_TYPES = ("Police Officer", "Police Staff", "PCSO", "Designated Officer")
OFFICER = "Police Officer"
PCSO = "PCSO"
LOCAL_POLICING = "Local policing"  # a wider function name
NEIGHBOURHOOD_SUBGROUPS = ("Neighbourhood policing",)  # function subgroup names in Local policing
LONG_TERM_SICK = "Long-term sick"  # absence type: absent for more than 28 calendar days
DUTY_TYPES = ("Recuperative duties", "Adjusted duties")
LEAVER = "Leaver"
JOINER = "Joiner"
VOLUNTARY_RESIGNATION = "Voluntary resignation"
NOT_APPLICABLE = "Not applicable"  # rank of non-officers; leaver type of joiners
