"""What the ONS Crime Survey for England and Wales (CSEW) table workbooks look like (sources.md section 5).

One layout contract, shared by the loader (`extract.ons.csew`, `extract.ons.csew_pipeline`), the sample
mirror (`extract.ons.csew_sample`) and the measure mapping (`seeds/csew_measure_rows.csv`).

How sure we are: the dataset pages and their JSON endpoints are the same as the police force area
tables' [DOC/3P]; the accessible layout (cover, notes, contents, one table per sheet, a title cell
"Table S1: ...", period columns "Apr 2024 to Mar 2025", `[note N]`, `[x]`/`[c]`/`[z]`/`..` markers,
"Unweighted base" rows) is [3P]; which table number holds which estimate changes between editions and
is [UNCONFIRMED], so tables are found by their title text, never by sheet name or number, and rows by
their label.
"""

from __future__ import annotations

import re

HOST = "www.ons.gov.uk"
# Dataset key -> dataset page path. Each page's `/data` JSON lists its editions (as for the PFA tables).
DATASETS: dict[str, str] = {
    # perceptions of the police and of crime and ASB, victim satisfaction: annual trend tables
    "annual_supplementary": "peoplepopulationandcommunity/crimeandjustice/datasets/"
                            "crimeinenglandandwalesannualsupplementarytables",
    # prevalence of crime types, incidents reported to the police, repeat victimisation
    "appendix": "peoplepopulationandcommunity/crimeandjustice/datasets/crimeinenglandandwalesappendixtables",
}

# A table's title cell: "Table S1: Ratings of the local police, ..." (also "Table A4a - ...").
TABLE_TITLE_RE = re.compile(r"^table\s+([a-z]{0,3}\d+[a-z]?)\s*[:.\-\u2013]\s*(.+)$", re.IGNORECASE)
# A period column: "Apr 2024 to Mar 2025" (also "April 2024 to March 2025", "Apr '24 to Mar '25").
PERIOD_RE = re.compile(
    r"^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+'?(\d{2}|\d{4})\s+to\s+"
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+'?(\d{2}|\d{4})$",
    re.IGNORECASE,
)
# The interval columns of a period, where a table publishes them: "Apr 2024 to Mar 2025 lower 95%
# confidence interval" / "... upper 95% confidence interval" (also "limit").
CI_SUFFIX_RE = re.compile(
    r"^(?P<period>.+?)\s*[,:-]?\s*(?P<bound>lower|upper)\s+(95%\s+)?confidence\s+(interval|limit)$", re.IGNORECASE
)
# Rows with the number of respondents behind the estimates above them (up to the previous base row).
BASE_ROW_RE = re.compile(r"^unweighted base", re.IGNORECASE)

# Raw table columns (schema raw_ons_csew, table `estimates`), one row per table x row x period:
# dataset, edition_label, release_date, table_id, table_title, row_label, period_label, period_start,
# period_end, value, value_marker, value_marker_reason, ci_lower, ci_upper, unweighted_base,
# source_file, source_sheet, source_row, source_column, file_sha256, source_location, loaded_at.

# The sample's tables (the real editions hold more; these are the ones the measures read). For each
# table: id, title (as in the title cell, after "Table <id>: "), row labels, whether the table publishes
# 95% intervals, and whether its questions were asked in the telephone-survey years 2020-21 and 2021-22
# (perception questions were not: those cells are `[x]`).
NOT_ASKED_YEARS = ("Apr 2020 to Mar 2021", "Apr 2021 to Mar 2022")
SAMPLE_TABLES: dict[str, list[dict[str, object]]] = {
    "annual_supplementary": [
        {"id": "S1", "title": "Ratings of the local police, England and Wales",
         "rows": ["Excellent", "Good", "Fair", "Poor", "Very poor", "Excellent or good"],
         "intervals": False, "telephone_years": False},
        {"id": "S2", "title": "Confidence in the local police, England and Wales",
         "rows": ["Police would treat you with respect if you had contact with them",
                  "Police would treat you fairly",
                  "Police understand the issues that affect this community",
                  "Police are dealing with the things that matter to this community",
                  "Taking everything into account I have confidence in the police in this area",
                  "The police in this area can be trusted"],
         "intervals": False, "telephone_years": False},
        {"id": "S3", "title": "Perceptions of changing crime levels in the local area, England and Wales",
         "rows": ["A lot more crime", "A little more crime", "About the same", "A little less crime",
                  "A lot less crime", "A little or a lot less crime"],
         "intervals": False, "telephone_years": False},
        {"id": "S4", "title": "Perceptions of anti-social behaviour, England and Wales",
         "rows": ["High level of perceived anti-social behaviour in the local area",
                  "Experienced or witnessed anti-social behaviour in the local area",
                  "Anti-social behaviour or crime a very or fairly big problem in the local town centre"],
         "intervals": False, "telephone_years": False},
        {"id": "S5", "title": "Visibility of and engagement with the police, England and Wales",
         "rows": ["Sees police officers or PCSOs on foot patrol at least once a week",
                  "Seen or heard about what the police are doing to tackle crime and anti-social behaviour"],
         "intervals": False, "telephone_years": False},
        {"id": "S6", "title": "Satisfaction with the police, England and Wales",
         "rows": ["Victims very or fairly satisfied with the way the police handled the matter",
                  "Very or fairly satisfied with the police response to anti-social behaviour"],
         "intervals": False, "telephone_years": False},
    ],
    "appendix": [
        {"id": "A1", "title": "Prevalence of domestic abuse, sexual assault and stalking in the last year, "
                              "adults aged 16 to 59, England and Wales",
         "rows": ["Domestic abuse", "Sexual assault", "Stalking"], "intervals": True, "telephone_years": True},
        {"id": "A2", "title": "Prevalence of sexual harassment in the last year, adults aged 16 and over, "
                              "England and Wales",
         "rows": ["Experienced at least one form of sexual harassment"], "intervals": True,
         "telephone_years": True},
        {"id": "A3", "title": "Prevalence of fraud and computer misuse, adults aged 16 and over, England and Wales",
         "rows": ["Fraud", "Computer misuse", "Fraud and computer misuse"], "intervals": True,
         "telephone_years": True},
        {"id": "A4", "title": "Prevalence of other crime types, adults aged 16 and over, England and Wales",
         "rows": ["All CSEW crime excluding fraud and computer misuse", "Violence", "Robbery",
                  "Theft from the person", "Domestic burglary", "Vehicle-related theft", "Criminal damage"],
         "intervals": True, "telephone_years": True},
        {"id": "A5", "title": "Proportion of incidents reported to the police, by offence group, England and Wales",
         "rows": ["All CSEW crime", "Violence", "Robbery", "Theft from the person", "Domestic burglary",
                  "Vehicle-related theft", "Criminal damage", "Fraud", "Computer misuse"],
         "intervals": False, "telephone_years": False},
        {"id": "A6", "title": "Repeat victimisation of street crime, England and Wales",
         "rows": ["Theft from the person incidents experienced by repeat victims",
                  "Robbery incidents experienced by repeat victims"],
         "intervals": False, "telephone_years": False},
    ],
}
