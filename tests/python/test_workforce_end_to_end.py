"""Workforce: the sample releases through extract, dbt and the measures, checked against the ODS files
read independently (standard library XML, not python-calamine)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import SamplePipeline, ods_rows, query, run_cli, run_dbt_build

pytestmark = pytest.mark.slow

WORKFORCE_MEASURES = {
    # measure -> the dates (snapshots, or years ending) it must have values for
    "workforce_by_function_and_officer_staff_mix": ("2023-03-31", "2024-03-31", "2025-03-31", "2025-09-30"),
    "workforce_proportions": ("2023-03-31", "2024-03-31", "2025-03-31", "2025-09-30"),
    "workforce_per_1000_population": ("2023-03-31", "2024-03-31", "2025-03-31", "2025-09-30"),
    "neighbourhood_officers_pcsos_13000_uplift": ("2023-03-31", "2024-03-31", "2025-03-31", "2025-09-30"),
    "officer_long_term_sickness": ("2023-03-31", "2024-03-31", "2025-03-31"),
    "officer_limited_duties": ("2023-03-31", "2024-03-31", "2025-03-31"),
    "officer_unplanned_leavers": ("2023-03-31", "2024-03-31", "2025-03-31"),
}


def _workforce_files(mirror: Path, suffix: str) -> list[Path]:
    return sorted(mirror.rglob(f"open-data-table-police-workforce*-{suffix}.ods"))


def _officer_fte(book: Path, as_at: str, force: str | None = None) -> float:
    """Police officer FTE of the 43 force areas (or one force) at a date, summed over the Data sheet."""
    rows = ods_rows(book, "Data")
    header = rows[0]
    col = {name: header.index(name) for name in header if name}
    snapshot = "As at 31 March" if "As at 31 March" in col else "As at"
    total = 0.0
    for row in rows[1:]:
        if len(row) <= col["Total (FTE)"] or row[col["Worker type"]] != "Police Officer":
            continue
        cell = row[col[snapshot]]
        when = f"{int(cell)}-03-31" if isinstance(cell, float) else cell
        if when != as_at or not str(row[col["Geocode"]] or "").startswith(("E23", "W15")):
            continue
        if force is None or row[col["Force name"]] == force:
            total += row[col["Total (FTE)"]]
    return total


def test_every_workforce_measure_has_all_forces_at_every_date(sample_pipeline: SamplePipeline) -> None:
    for measure, dates in WORKFORCE_MEASURES.items():
        cells = query(sample_pipeline.warehouse, f"""
            select cast(period_end as varchar), breakdown, breakdown_value, unit,
                   count(distinct force_id) filter (where value is not null)
            from measures.{measure} group by all""")
        assert sorted({c[0] for c in cells}) == list(dates), measure
        for period_end, breakdown, breakdown_value, unit, forces in cells:
            # the 13,000 target is national: progress to it has only the England and Wales value
            expected = 1 if breakdown == "progress_to_target" else 44
            assert forces == expected, (measure, period_end, breakdown, breakdown_value, unit)


def test_national_officer_fte_is_the_sum_over_forces_in_the_published_file(
    sample_pipeline: SamplePipeline,
) -> None:
    [newest] = [p for p in _workforce_files(sample_pipeline.mirror, "280126") if "-functions-" not in p.name]
    for as_at in ("2025-03-31", "2025-09-30"):
        warehouse = query(sample_pipeline.warehouse, """
            select value, status from measures.workforce_by_function_and_officer_staff_mix
            where force_id = 'K04000001' and breakdown = 'worker_type' and breakdown_value = 'Police Officer'
              and period_end = ?""", [date.fromisoformat(as_at)])
        assert warehouse == [(pytest.approx(_officer_fte(newest, as_at), abs=1e-6), "ok")], as_at


def test_a_revised_release_replaces_its_figures_in_the_marts_and_the_old_vintage_stays(
    sample_pipeline: SamplePipeline, tmp_path: Path
) -> None:
    warehouse = tmp_path / "warehouse" / "ppf.duckdb"
    env = {"PPF_WAREHOUSE": str(warehouse)}
    first, second = _workforce_files(sample_pipeline.mirror, "230725"), _workforce_files(sample_pipeline.mirror,
                                                                                          "280126")
    first_book = next(p for p in first if p.name == "open-data-table-police-workforce-230725.ods")
    second_book = next(p for p in second if p.name == "open-data-table-police-workforce-280126.ods")
    old, new = (_officer_fte(book, "2025-03-31", "Kent") for book in (first_book, second_book))
    assert new != old  # the sample revises Kent's 31 March 2025 officers in the later release

    kent = """
        select value, source_release from measures.workforce_by_function_and_officer_staff_mix
        where force_id = 'E23000032' and breakdown = 'worker_type' and breakdown_value = 'Police Officer'
          and period_end = date '2025-03-31'"""
    select = "+workforce_by_function_and_officer_staff_mix"
    loaded = run_cli(["-m", "extract", "load", "home_office_workforce", *map(str, first)], env)
    assert loaded.returncode == 0, loaded.stderr
    built = run_dbt_build(warehouse, tmp_path, select=select)
    assert built.returncode == 0, built.stdout + built.stderr
    [(value, release)] = query(warehouse, kent)
    assert value == pytest.approx(old, abs=1e-6) and "2025-07-23" in release

    loaded = run_cli(["-m", "extract", "load", "home_office_workforce", *map(str, second)], env)
    assert loaded.returncode == 0, loaded.stderr
    built = run_dbt_build(warehouse, tmp_path, select=select)
    assert built.returncode == 0, built.stdout + built.stderr
    [(value, release)] = query(warehouse, kent)
    assert value == pytest.approx(new, abs=1e-6) and "2026-01-28" in release

    # the superseded vintage is still there, flagged, with its own figure
    vintages = query(warehouse, """
        select cast(release_date as varchar), is_latest_vintage, cast(sum(fte) as double)
        from staging.stg_home_office_workforce__workforce
        where force_id = 'E23000032' and worker_type = 'Police Officer' and as_at = date '2025-03-31'
        group by all order by 1""")
    assert vintages == [("2025-07-23", False, pytest.approx(old, abs=1e-6)),
                        ("2026-01-28", True, pytest.approx(new, abs=1e-6))]
