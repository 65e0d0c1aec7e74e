"""Crime Survey measures from the sample workbooks: every year a row, intervals, a direction of travel,
and the years the survey did not ask perception questions as rows with a status."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import SamplePipeline, query, xlsx_rows

from extract.config import PROJECT_ROOT
from extract.ons.csew_settings import NOT_ASKED_YEARS, SAMPLE_TABLES
from extract.spreadsheet import sheet_names

pytestmark = pytest.mark.slow

with open(PROJECT_ROOT / "seeds" / "csew_measure_rows.csv", encoding="utf-8") as _fh:
    MAPPING = list(csv.DictReader(_fh))
MEASURES = sorted({row["measure_id"] for row in MAPPING})
TELEPHONE_YEAR_ENDS = [f"Year ending Mar {label[-4:]}" for label in NOT_ASKED_YEARS]


def _asked_in_telephone_years(row: dict[str, str]) -> bool:
    table = next(t for t in SAMPLE_TABLES[row["dataset"]] if row["table_title_contains"] in str(t["title"]).lower())
    return bool(table["telephone_years"])


def test_every_csew_measure_has_every_year_with_intervals_and_a_direction_of_travel(
    sample_pipeline: SamplePipeline,
) -> None:
    warehouse = sample_pipeline.warehouse
    years = [y for (y,) in query(warehouse, "select distinct period_label from measures.public_experience_of_asb "
                                            "order by all")]
    assert len(years) >= 10 and set(TELEPHONE_YEAR_ENDS) <= set(years)
    for row in MAPPING:
        cells = {label: rest for label, *rest in query(warehouse, f"""
            select period_label, force_id, status, status_note, value, ci_lower, ci_upper
            from measures.{row['measure_id']} where breakdown_value = ?""", [row["breakdown_value"]])}
        assert sorted(cells) == years, row
        for label, (force_id, status, note, value, low, high) in cells.items():
            assert force_id == "K04000001"
            if label in TELEPHONE_YEAR_ENDS and not _asked_in_telephone_years(row):
                assert (status, value, low, high) == ("not_available", None, None, None), (row, label)
            elif status == "ok":
                assert low <= value <= high and low < high, (row, label)
            else:  # a published marker (the sample suppresses one early Robbery cell): no value, a reason
                assert (value, low, high) == (None, None, None) and note, (row, label)
    # the sample's one suppressed cell is the only gap outside the telephone years
    gaps = query(warehouse, "select breakdown_value, period_label, status from measures.crimes_reported_to_police "
                            "where status <> 'ok' and period_label not in (?, ?)", TELEPHONE_YEAR_ENDS)
    assert gaps == [("robbery", "Year ending Mar 2014", "suppressed")]
    # every row is assessed: a direction of travel, or why not
    directions = dict(query(warehouse, f"""
        select direction_of_travel, count(*) from analysis.measure_assessment
        where measure_id in ({', '.join(f"'{m}'" for m in MEASURES)}) group by all"""))
    assert None not in directions
    assert directions.get("no significant change", 0) > 0 and directions.get("not assessed", 0) > 0
    assert directions.get("improving", 0) + directions.get("deteriorating", 0) > 0


def test_a_measure_value_is_the_published_cell(sample_pipeline: SamplePipeline) -> None:
    """The fraud prevalence estimate and interval for the latest year, read from the workbook with the
    standard library, equal the measure's."""
    [book] = query(sample_pipeline.warehouse, "select source_location from raw_ons_csew.published_files "
                                              "where dataset = 'appendix'")[0]
    # the sheet holding table A3 (sheet names are irregular): found by its title cell
    for sheet in sheet_names(Path(book)):
        rows = xlsx_rows(Path(book), sheet)
        if rows and rows[0] and str(rows[0][0]).startswith("Table A3:"):
            break
    header_index = next(i for i, r in enumerate(rows) if r and r[0] == "Measure")
    header = rows[header_index]
    latest = max((c for c in header if isinstance(c, str) and c.startswith("Apr ") and " to Mar " in c
                  and "confidence" not in c), key=lambda c: c[-4:])
    fraud = next(r for r in rows[header_index + 1:] if r and r[0] == "Fraud")
    expected = [fraud[header.index(latest)], fraud[header.index(f"{latest} lower 95% confidence interval")],
                fraud[header.index(f"{latest} upper 95% confidence interval")]]
    actual = query(sample_pipeline.warehouse, """
        select value, ci_lower, ci_upper from measures.fraud_computer_misuse_prevalence
        where breakdown_value = 'fraud' and period_label = ?""", [f"Year ending Mar {latest[-4:]}"])
    assert actual == [tuple(pytest.approx(v, abs=1e-9) for v in expected)]
