"""The column mapping of police.uk's 999 and 101 call-answering data: the one place to change it.

How sure we are (sources.md section 6): the figures are real and published monthly per force from
November 2021 (calls answered under 10 seconds, 10 to under 60 seconds, 60 seconds or more, and the
average answer time), but the download's format, file name and column names are [UNCONFIRMED]: nothing
public documents them. So the loader reads any CSV/XLSX whose header matches the patterns below, one
row per force x month, and refuses anything else naming the file and the columns it could not match.
When a real file is seen, change only this module (and its sample) to fit it.

101 answer times are published by some forces only; the national metric ("average wait time to
answer") is still being defined, so 101 columns are optional and a force without them has no 101 rows.
"""

from __future__ import annotations

import re

HOST = "www.police.uk"
# Where the mirror keeps the files [UNCONFIRMED path]: one file per month with every force, named by
# the month it covers, listed in an index so a run can tell what is new.
INDEX_PATH = "pu/performance/999-call-answering/index.json"  # {"files": [{"month": "2025-01", "url": ...}]}
FILE_NAME_RE = re.compile(r"^999-call-answering-(\d{4})-(\d{2})\.(csv|xlsx)$", re.IGNORECASE)

# Raw column -> header pattern (full match, case-insensitive, on the cleaned header label).
REQUIRED_COLUMNS: dict[str, str] = {
    "force_name": r"(police )?force( name)?",
    "month": r"month|period|reporting month",
    "answered_under_10_seconds": r"(999 )?calls answered (in )?(under|less than|within) 10 seconds",
    "answered_10_to_60_seconds": (
        r"(999 )?calls answered (in |between )?10 (seconds )?to (under |less than )?60 seconds"
    ),
    "answered_60_seconds_or_more": r"(999 )?calls answered (in )?60 seconds (or more|and over|or longer)",
    "average_answer_seconds": r"(999 )?average (answer|response) time( \(seconds\))?",
}
OPTIONAL_COLUMNS: dict[str, str] = {
    "total_calls": r"(999 )?(total )?calls( received| answered)?",
    "calls_101": r"101 calls( received| answered)?",
    "average_101_answer_seconds": r"(101 )?average (wait time to answer|101 answer time)( \(seconds\))?",
}
COUNT_COLUMNS = ("answered_under_10_seconds", "answered_10_to_60_seconds", "answered_60_seconds_or_more",
                 "total_calls", "calls_101")
SECONDS_COLUMNS = ("average_answer_seconds", "average_101_answer_seconds")

# Raw table `raw_police_uk_calls.call_answering`, one row per file x force x month:
# force_name (as published), month_start (date, first of the month), every count and seconds column
# above as double (null when absent or a marker) with <column>_marker and <column>_marker_reason,
# source_file, source_row (1-based), file_sha256, source_location, loaded_at.
# Table `published_files`: month_start, source_file, file_sha256, row_count, source_location, loaded_at.
# A month is replaced whole when its file changes (merge key month_start).

FIRST_MONTH = "2021-11"  # the data start
