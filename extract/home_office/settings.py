"""What the Home Office recorded crime and outcomes open data tables look like (sources.md section 3)."""

from __future__ import annotations

import re

CONTENT_HOST = "www.gov.uk"
# The landing page's JSON in the gov.uk content API: its attachments name the current files.
LANDING_PATH = "api/content/government/statistical-data-sets/police-recorded-crime-and-outcomes-open-data-tables"
ASSET_HOST = "assets.publishing.service.gov.uk"

PRC = "prc_force_area"
OUTCOMES = "crime_outcomes"

# Release date: the DDMMYY suffix of the file name (prc-pfa-mar2013-onwards-tables-230726.ods = 23 Jul 2026).
RELEASE_SUFFIX_RE = re.compile(r"-(\d{2})(\d{2})(\d{2})\.(ods|xlsx|csv)$", re.IGNORECASE)

# File name -> what it is. Order matters: exclusions are checked before the datasets they resemble.
EXCLUDED_FILES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"alternate", re.I),
     "outcome types 1a/2a/3a are subsets of types 1-3: loading them would double count"),
    (re.compile(r"supplementary", re.I), "supplementary outcomes metrics: not used by any measure yet"),
    (re.compile(r"sub-?code", re.I), "drug offence sub-code outcomes: a breakdown of rows already in the main file"),
    (re.compile(r"firearm|knife|knives", re.I),
     "firearms/knives subsets: knife crime by force comes from the ONS PFA tables"),
    (re.compile(r"geo", re.I), "geographical reference lookup, not data"),
    (re.compile(r"hate|rape|transferred|cancelled", re.I), "a related table not used by any measure yet"),
    (re.compile(r"mar2006|mar2008|0203-to", re.I), "history before 2012/13 (outcomes before 2014/15): not used"),
]
PRC_FILE_RE = re.compile(r"^prc-pfa-.*tables?.*\.(ods|xlsx)$", re.IGNORECASE)
OUTCOMES_FILE_RE = re.compile(r"^prc-outcomes-open-data-.*\.(ods|xlsx)$", re.IGNORECASE)

# PRC data sheets are named by financial year: 2012_13 (recent releases) or 2012-13 (older ones).
PRC_SHEET_RE = re.compile(r"^(\d{4})[_-](\d{2})$")
# Outcomes data sheet: Outcomes_open_data_2019_20, "Outcomes open data 2024_25", Outcomes_open_data_2014-15.
OUTCOMES_SHEET_RE = re.compile(r"^outcomes[ _]open[ _]data[ _](\d{4})[ _-](\d{2})$", re.IGNORECASE)

# Column patterns, matched in full (case-insensitive) against cleaned header labels. Wording differs
# between years and files ("Number of Offences" / "Offence Count"; count bases with or without "Number of").
PRC_COLUMNS = {
    "financial_year": r"financial year",
    "financial_quarter": r"financial quarter",
    "force_name": r"force name",
    "offence_description": r"offence description",
    "offence_group": r"offence group",
    "offence_subgroup": r"offence sub-? ?group",
    "offence_code": r"offence code",
    "offence_count": r"(number of offences|offence count|number of crimes|offences)",
}
OUTCOMES_COLUMNS = {
    "financial_year": r"financial year",
    "financial_quarter": r"financial quarter",
    "force_name": r"force name",
    "offence_code": r"offence code",
    "offence_description": r"offence description",
    "offence_group": r"offence group",
    "offence_subgroup": r"offence sub-? ?group",
    "offence_code_expired": r"offence code expired",
    "outcome_type": r"outcome type",
    "outcome_description": r"outcome description",
    "outcome_group": r"outcome group",
    # base 1: every offence recorded in the quarter, by the outcome it has now
    "outcomes_recorded_in_quarter": (
        r"(number of )?(force )?outcomes for offences (that were )?recorded in (the )?quarter"
    ),
    # base 2: every investigation closed in the quarter, whenever the offence was recorded
    "outcomes_closed_in_quarter": (
        r"(number of )?(force )?outcomes (for investigations (that were )?closed|recorded) in (the )?quarter"
    ),
}

# Reported in these files but not police force areas: kept in raw and staging, never in force measures.
NON_FORCE_NAMES = {
    "british transport police",
    "action fraud",
    "cifas",
    "uk finance",
    "financial fraud action uk",
}
