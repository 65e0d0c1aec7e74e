"""The expectation suites of the publication gate, written once here and stored in the GX file context.

Each suite validates one DataFrame built by a query in expectations/queries/:
- raw_police_uk: one row per police.uk dataset x force x month (files and the rows loaded from them);
- raw_home_office: one row per Home Office dataset x financial year x quarter;
- raw_home_office_workforce: one row per workforce dataset x release x snapshot date (or year ending);
- raw_ons_csew: one row per Crime Survey dataset x table x period;
- raw_police_uk_calls: one row per month of 999/101 call-answering data;
- pfa_reconciliation: one row per ONS PFA tables edition x force, ONS's total recorded crime against
  the warehouse's own total from the Home Office tables for the same 12 months;
- measures: one row per measure table x force x period, counting its rows that break each rule of the
  measure contract (aggregated in DuckDB: a million rows on the sample become about 15,000);
- measure_coverage: one row per measure table x period, with the forces it has rows for;
- table_schemas: one row per column of every raw and measure table, against expected_schema.csv;
- measure_jumps: one row per published value with an earlier one, and the change (flagged for review
  beyond a bound, never failed: expectations with meta review_only).

A suite listed in REQUIRES is skipped (and says so) when the table it needs holds no rows: a warehouse
built from a mirror without that publisher's files.
"""

from __future__ import annotations

import csv
import importlib
from typing import Any

from extract.areas import NON_FORCE_AREA_SLUGS
from extract.config import PROJECT_ROOT


class _ImportedOnUse:
    """A module imported on first attribute access. GX takes about 4 s to import: a gate run that
    carries every suite over (nothing changed) reads SUITES, ROW_KEYS and REQUIRES without paying it."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self._name), attribute)


gx = _ImportedOnUse("great_expectations")
gxe = _ImportedOnUse("great_expectations.expectations")

SEEDS = PROJECT_ROOT / "seeds"


def _seed_column(seed: str, column: str) -> list[str]:
    with open(SEEDS / f"{seed}.csv", newline="", encoding="utf-8") as fh:
        return sorted(row[column] for row in csv.DictReader(fh))


def _when(condition: str) -> dict[str, str]:
    return {"row_condition": condition, "condition_parser": "pandas"}


def raw_police_uk_suite() -> gx.ExpectationSuite:
    zero = {"min_value": 0, "max_value": 0}
    slugs = _seed_column("police_force_areas", "police_uk_slug") + sorted(NON_FORCE_AREA_SLUGS)
    return gx.ExpectationSuite(
        name="raw_police_uk",
        expectations=[
            gxe.ExpectTableRowCountToBeBetween(min_value=1),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["dataset", "force_slug", "file_month"]),
            # rows loaded without a published_files record would make status null
            gxe.ExpectColumnValuesToBeInSet(column="status", value_set=["loaded", "missing"]),
            gxe.ExpectColumnValuesToNotBeNull(column="status"),
            gxe.ExpectColumnValuesToBeInSet(column="dataset", value_set=["street", "outcomes", "stop_and_search"]),
            gxe.ExpectColumnValuesToBeInSet(column="force_slug", value_set=slugs),
            gxe.ExpectColumnValuesToMatchRegex(column="file_month", regex=r"^\d{4}-(0[1-9]|1[0-2])$"),
            gxe.ExpectColumnValuesToMatchRegex(column="file_sha256", regex=r"^[0-9a-f]{64}$",
                                               **_when('status=="loaded"')),
            # the recorded row count is the number of rows the warehouse holds for the file
            gxe.ExpectColumnPairValuesToBeEqual(column_A="row_count", column_B="rows_loaded",
                                                **_when('status=="loaded"')),
            # a force-month without a file is allowed only where seeds/police_uk_known_gaps.csv lists it
            gxe.ExpectColumnValuesToBeInSet(column="is_known_gap", value_set=[True], **_when('status=="missing"')),
            # a missing file is a gap, never rows (nor a zero row count)
            gxe.ExpectColumnValuesToBeBetween(column="rows_loaded", **zero, **_when('status=="missing"')),
            gxe.ExpectColumnValuesToBeNull(column="row_count", **_when('status=="missing"')),
            gxe.ExpectColumnValuesToBeBetween(column="rows_without_key_field", **zero),
            gxe.ExpectColumnValuesToBeBetween(column="asb_rows_with_crime_id", **zero),
            gxe.ExpectColumnValuesToBeBetween(column="crime_rows_without_crime_id", **zero),
            gxe.ExpectColumnValuesToBeBetween(column="rows_with_unknown_code", **zero),
            gxe.ExpectColumnValuesToBeBetween(column="rows_for_other_month", **zero),
            gxe.ExpectColumnValuesToBeBetween(column="rows_outside_great_britain", **zero),
            # nationally 1.4-2.6% of rows have no location, up to 15% for some force-years
            gxe.ExpectColumnValuesToBeBetween(column="share_without_location", min_value=0, max_value=0.3),
        ],
    )


# The measure contract's rules, counted per measure table x force x period in expectations/queries/measures.sql;
# each count must be 0.
MEASURE_RULE_COUNTS = [
    "duplicate_keys", "rows_not_in_catalogue", "rows_with_unknown_force", "rows_with_unknown_status",
    "rows_with_unknown_unit", "rows_with_unknown_direction", "ok_rows_without_value", "gap_rows_with_value",
    "gap_rows_without_note", "negative_values", "proportions_over_100", "rates_not_numerator_over_denominator",
    "estimates_outside_interval", "periods_ending_before_start", "rows_without_source",
]


def measures_suite() -> gx.ExpectationSuite:
    all_forces = [*_seed_column("police_force_areas", "force_id"), "K04000001"]
    return gx.ExpectationSuite(
        name="measures",
        expectations=[
            gxe.ExpectTableRowCountToBeBetween(min_value=1),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["measure_id", "force_id", "period_type", "period_start"]),
            # every force area and England and Wales has rows: gaps are rows with a status
            gxe.ExpectColumnDistinctValuesToEqualSet(column="force_id", value_set=all_forces),
            gxe.ExpectColumnValuesToBeInSet(
                column="period_type",
                value_set=["month", "quarter", "financial_year", "rolling_12_months", "snapshot_date"],
            ),
            *[gxe.ExpectColumnValuesToBeBetween(column=column, min_value=0, max_value=0)
              for column in MEASURE_RULE_COUNTS],
        ],
    )


def measure_coverage_suite() -> gx.ExpectationSuite:
    return gx.ExpectationSuite(
        name="measure_coverage",
        expectations=[
            gxe.ExpectTableRowCountToBeBetween(min_value=1),
            # every period of a force-level measure has a row for each of the 43 forces and England and
            # Wales (a gap is a row with a status, never a missing row); a national measure has one
            gxe.ExpectColumnPairValuesToBeEqual(column_A="forces_present", column_B="forces_expected"),
        ],
    )


# Jumps from one published period to the next beyond these bounds are flagged for review, not failed:
# a proportion moving by more than 20 percentage points, anything else by more than half.
JUMP_BOUND_PERCENTAGE_POINTS = 20
JUMP_BOUND_RELATIVE = 0.5
REVIEW_ONLY = {"review_only": True}


def measure_jumps_suite() -> gx.ExpectationSuite:
    return gx.ExpectationSuite(
        name="measure_jumps",
        expectations=[
            gxe.ExpectColumnValuesToBeBetween(column="jump", min_value=0, max_value=JUMP_BOUND_PERCENTAGE_POINTS,
                                              meta=REVIEW_ONLY, **_when('unit=="percent"')),
            gxe.ExpectColumnValuesToBeBetween(column="jump", min_value=0, max_value=JUMP_BOUND_RELATIVE,
                                              meta=REVIEW_ONLY, **_when('unit!="percent"')),
        ],
    )


def table_schemas_suite() -> gx.ExpectationSuite:
    return gx.ExpectationSuite(
        name="table_schemas",
        expectations=[
            gxe.ExpectTableRowCountToBeBetween(min_value=1),
            # every raw and measure table has the columns and types expectations/expected_schema.csv records
            gxe.ExpectColumnValuesToBeInSet(column="schema_check", value_set=["as expected"]),
        ],
    )


def raw_home_office_workforce_suite() -> gx.ExpectationSuite:
    zero = {"min_value": 0, "max_value": 0}
    return gx.ExpectationSuite(
        name="raw_home_office_workforce",
        expectations=[
            gxe.ExpectTableRowCountToBeBetween(min_value=1),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["dataset", "release_date", "period_date"]),
            gxe.ExpectColumnValuesToBeInSet(
                column="dataset", value_set=["workforce", "functions", "absence", "limited_duties", "joiners_leavers"]
            ),
            # every force area at every snapshot date of every release (a force that did not provide a
            # figure is present with a marker, not absent)
            gxe.ExpectColumnValuesToBeBetween(column="forces_present", min_value=43, max_value=43),
            gxe.ExpectColumnValuesToBeBetween(column="rows_with_unknown_force", **zero),
            gxe.ExpectColumnValuesToBeBetween(column="negative_fte_rows", **zero),
            gxe.ExpectColumnValuesToBeBetween(column="headcount_below_fte_rows", **zero),
            gxe.ExpectColumnValuesToBeBetween(column="fte_without_value_or_marker", **zero),
        ],
    )


def raw_ons_csew_suite() -> gx.ExpectationSuite:
    zero = {"min_value": 0, "max_value": 0}
    return gx.ExpectationSuite(
        name="raw_ons_csew",
        expectations=[
            gxe.ExpectTableRowCountToBeBetween(min_value=1),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["dataset", "table_id", "period_label"]),
            gxe.ExpectColumnValuesToBeInSet(column="dataset", value_set=["annual_supplementary", "appendix"]),
            gxe.ExpectColumnValuesToBeBetween(column="cells_without_value_or_marker", **zero),
            gxe.ExpectColumnValuesToBeBetween(column="intervals_not_holding_the_estimate", **zero),
            gxe.ExpectColumnValuesToBeBetween(column="half_intervals", **zero),
            gxe.ExpectColumnValuesToBeBetween(column="non_positive_bases", **zero),
            gxe.ExpectColumnValuesToBeBetween(column="bad_periods", **zero),
        ],
    )


def raw_police_uk_calls_suite() -> gx.ExpectationSuite:
    zero = {"min_value": 0, "max_value": 0}
    return gx.ExpectationSuite(
        name="raw_police_uk_calls",
        expectations=[
            gxe.ExpectTableRowCountToBeBetween(min_value=1),
            gxe.ExpectColumnValuesToBeUnique(column="month_start"),
            # a force missing from a month is a real gap (a late return); most missing means a broken file
            gxe.ExpectColumnValuesToBeBetween(column="forces_present", min_value=38, max_value=43),
            gxe.ExpectColumnValuesToBeBetween(column="rows_with_negative_values", **zero),
            gxe.ExpectColumnValuesToBeBetween(column="rows_with_total_below_answered", **zero),
            gxe.ExpectColumnValuesToBeBetween(column="bands_without_value_or_marker", **zero),
        ],
    )


def raw_home_office_suite() -> gx.ExpectationSuite:
    zero = {"min_value": 0, "max_value": 0}
    return gx.ExpectationSuite(
        name="raw_home_office",
        expectations=[
            gxe.ExpectTableRowCountToBeBetween(min_value=1),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["dataset", "financial_year", "financial_quarter"]),
            gxe.ExpectColumnValuesToBeInSet(column="financial_quarter", value_set=[1, 2, 3, 4]),
            gxe.ExpectColumnValuesToMatchRegex(column="financial_year", regex=r"^\d{4}-\d{2}$"),
            # all 43 force areas in every quarter of both tables (a force that did not provide data is
            # present with markers, not absent)
            gxe.ExpectColumnValuesToBeBetween(column="forces_present", min_value=43, max_value=43),
            gxe.ExpectColumnValuesToBeBetween(column="rows_with_unknown_force", **zero),
            # a count cell is a number or a marker with its reason: nothing silently blank
            gxe.ExpectColumnValuesToBeBetween(column="cells_without_value_or_marker", **zero),
            gxe.ExpectColumnValuesToBeBetween(column="alternate_outcome_rows", **zero),
            gxe.ExpectColumnValuesToBeBetween(column="negative_annual_totals", **zero),
        ],
    )


# ONS publishes each edition from the PRC data of its day; later Home Office releases revise it. Most
# forces' totals move by well under 1%; a larger gap means a parsing, mapping or loading fault.
RECONCILIATION_TOLERANCE = 0.02


def pfa_reconciliation_suite() -> gx.ExpectationSuite:
    return gx.ExpectationSuite(
        name="pfa_reconciliation",
        expectations=[
            gxe.ExpectTableRowCountToBeBetween(min_value=1),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["edition_label", "force_id"]),
            gxe.ExpectColumnValuesToBeBetween(column="relative_difference", min_value=0,
                                              max_value=RECONCILIATION_TOLERANCE),
        ],
    )


SUITES = {
    "raw_police_uk": raw_police_uk_suite,
    "raw_home_office": raw_home_office_suite,
    "raw_home_office_workforce": raw_home_office_workforce_suite,
    "raw_ons_csew": raw_ons_csew_suite,
    "raw_police_uk_calls": raw_police_uk_calls_suite,
    "pfa_reconciliation": pfa_reconciliation_suite,
    "measures": measures_suite,
    "measure_coverage": measure_coverage_suite,
    "measure_jumps": measure_jumps_suite,
    "table_schemas": table_schemas_suite,
}
# Suite -> the columns that identify a row, printed to name the rows an expectation failed on.
ROW_KEYS = {
    "raw_police_uk": ["dataset", "force_slug", "file_month"],
    "raw_home_office": ["dataset", "financial_year", "financial_quarter"],
    "raw_home_office_workforce": ["dataset", "release_date", "period_date"],
    "raw_ons_csew": ["dataset", "table_id", "period_label"],
    "raw_police_uk_calls": ["month_start", "offending_forces"],
    "pfa_reconciliation": ["edition_label", "force_id"],
    "measures": ["measure_id", "force_id", "force_name", "period_label", "offending_rows"],
    "measure_coverage": ["measure_id", "period_label", "missing_forces"],
    "measure_jumps": ["measure_id", "force_id", "force_name", "previous_period_label", "period_label",
                      "breakdown_value", "unit"],
    "table_schemas": ["table_name", "column_name", "expected_type", "actual_type"],
}
# Suite -> the table that must hold rows for the suite to run (otherwise it is reported as skipped).
REQUIRES = {
    "raw_police_uk": "raw_police_uk.published_files",
    "raw_home_office": "raw_home_office.published_files",
    "raw_home_office_workforce": "raw_home_office_workforce.published_files",
    "raw_ons_csew": "raw_ons_csew.published_files",
    "raw_police_uk_calls": "raw_police_uk_calls.published_files",
    # needs both an ONS edition and Home Office recorded crime covering the same 12 months
    "pfa_reconciliation": "raw_ons.published_files",
}
