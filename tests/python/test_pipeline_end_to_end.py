"""Extract -> dbt build on a throwaway warehouse, checked against independent counts (the quality gate and
publication: test_publication.py)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from conftest import (
    COL_2023_01,
    SamplePipeline,
    crime_type_counts,
    ods_rows,
    query,
    run_cli,
    run_dbt_build,
    write_archive,
    xlsx_rows,
)

pytestmark = pytest.mark.slow

TOWN_CENTRE = ("Shoplifting", "Theft from the person", "Robbery")


def test_real_city_of_london_january_2023_reaches_the_town_centre_measure_unchanged(tmp_path: Path) -> None:
    mirror, warehouse = tmp_path / "mirror", tmp_path / "warehouse.duckdb"
    write_archive(mirror, "2023-01", {"2023-01/2023-01-city-of-london-street.csv": COL_2023_01.read_bytes()})
    # a mirror of police.uk only: the other publishers are skipped and their tables left empty
    extracted = run_cli(["-m", "extract", "run"], {"PPF_WAREHOUSE": str(warehouse), "PPF_SOURCE": str(mirror)})
    assert extracted.returncode == 0, extracted.stderr
    built = run_dbt_build(warehouse, tmp_path, select="+town_centre_crime_police_uk")
    assert built.returncode == 0, built.stdout + built.stderr
    direct = crime_type_counts(COL_2023_01.read_bytes())
    rows = dict(query(warehouse, """
        select breakdown_value, value from measures.town_centre_crime_police_uk
        where force_id = 'E23000034' and period_start = date '2023-01-01' and status = 'ok'
    """))
    assert rows == {**{t: direct[t] for t in TOWN_CENTRE}, "all": sum(direct[t] for t in TOWN_CENTRE)}
    # every other force is a gap with a status, not a zero
    others = query(warehouse, """
        select count(*), count(value), min(status), max(status) from measures.town_centre_crime_police_uk
        where force_id not in ('E23000034', 'K04000001')
    """)
    assert others == [(42 * 4, 0, "not_available", "not_available")]
    source_release = query(warehouse, "select distinct source_release from measures.town_centre_crime_police_uk "
                                      "where force_id = 'E23000034'")
    assert source_release == [("data.police.uk archive 2023-01",)]


def _zip_counts(archive: Path, slug: str) -> Counter[tuple[str, str]]:
    """(month, crime type) counts of one force, read from the ZIP with the csv module."""
    counts: Counter[tuple[str, str]] = Counter()
    with zipfile.ZipFile(archive) as zf:
        for name in zf.namelist():
            if name.endswith(f"-{slug}-street.csv"):
                for row in csv.DictReader(io.TextIOWrapper(zf.open(name), encoding="utf-8")):
                    counts[(row["Month"], row["Crime type"])] += 1
    return counts


def test_sample_pipeline_gives_every_force_every_quarter(sample_pipeline: SamplePipeline) -> None:
    warehouse = sample_pipeline.warehouse
    grid = query(warehouse, """
        select period_label, unit, count(distinct force_id) from measures.police_recorded_asb_incidents
        group by all order by all
    """)
    # two quarters from the archive, and January to March 2026 from the API (beyond the archive)
    assert grid == [(q, u, 44) for q in ("2025-26 Q2", "2025-26 Q3", "2025-26 Q4") for u in ("count", "rate_per_1000")]

    # a force's quarterly ASB count equals the ZIP's rows; its rate uses the latest ONS mid-year estimate
    # before the quarter (no ONS edition covers July-September 2025): mid-2024, from the YE March 2025 tables
    kent = _zip_counts(sample_pipeline.police_uk_archive, "kent")
    expected = sum(n for (month, crime), n in kent.items()
                   if crime == "Anti-social behaviour" and month in ("2025-07", "2025-08", "2025-09"))
    [(population,)] = query(warehouse, """
        select value from raw_ons.pfa_table_values where table_id = 'P3' and unit = 'population'
          and area_code = 'E23000032' and population_vintage = 'mid-2024'""")
    rows = {unit: (value, release) for unit, value, release in query(warehouse, """
        select unit, value, source_release from measures.police_recorded_asb_incidents
        where force_id = 'E23000032' and period_label = '2025-26 Q2'
    """)}
    assert rows == {"count": (expected, "data.police.uk archive 2025-12"),
                    "rate_per_1000": (pytest.approx(1000 * expected / population),
                                      "data.police.uk archive 2025-12; population mid-2024 (ONS police force "
                                      "area data tables, year ending March 2025)")}

    # the real gaps: Greater Manchester has no files (nor neighbourhoods in the API); Gwent none from September
    # to December 2025, then the API has its ASB
    gaps = dict(query(warehouse, """
        select force_id || ' ' || period_label, status from measures.police_recorded_asb_incidents
        where unit = 'count' and force_id in ('E23000005', 'W15000002', 'K04000001')
    """))
    assert gaps == {
        "E23000005 2025-26 Q2": "not_available", "E23000005 2025-26 Q3": "not_available",
        "W15000002 2025-26 Q2": "incomplete", "W15000002 2025-26 Q3": "not_available",
        "K04000001 2025-26 Q2": "incomplete", "K04000001 2025-26 Q3": "incomplete",
        "E23000005 2025-26 Q4": "not_available", "W15000002 2025-26 Q4": "ok", "K04000001 2025-26 Q4": "incomplete",
    }
    assert query(warehouse, "select count(*) from measures.police_recorded_asb_incidents "
                            "where status <> 'ok' and force_id <> 'K04000001' and value is not null") == [(0,)]


HOME_OFFICE_MEASURES = (
    "police_recorded_crime_rates", "homicides", "town_centre_crime", "knife_enabled_crime",
    "crime_outcomes_by_offence_group", "crime_outcome_rates_by_offence_group", "vawg_charge_outcomes",
    "vawg_charge_outcome_rate", "csae_charge_outcomes", "csae_charge_outcome_rate",
    "vawg_victim_attrition_outcomes", "vawg_victim_attrition_outcome_rate", "csae_victim_attrition_outcomes",
    "csae_victim_attrition_outcome_rate", "town_centre_crime_positive_outcomes",
    "town_centre_crime_positive_outcome_rate",
)


def _sheet_as_csv(rows: list[list[object]], target: Path) -> Path:
    """A sheet read by the stdlib reader, header row first, as CSV for DuckDB (blank lead rows dropped)."""
    start = next(i for i, row in enumerate(rows) if row and row[0] == "Financial Year")
    with open(target, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        for row in rows[start:]:
            writer.writerow(["" if c is None else (int(c) if isinstance(c, float) and c.is_integer() else c)
                             for c in row])
    return target


def test_home_office_and_ons_sample_measures_match_sql_over_the_published_files(
    sample_pipeline: SamplePipeline, tmp_path: Path
) -> None:
    mirror, warehouse = sample_pipeline.mirror, sample_pipeline.warehouse

    # every measure of these sources has all 43 forces and England and Wales
    for measure in HOME_OFFICE_MEASURES:
        assert query(warehouse, f"select count(distinct force_id) from measures.{measure}") == [(44,)], measure

    # The independent computation: the year ending March 2025 outcomes sheet read with the standard
    # library, then plain SQL. Charge rate = type 1 / every offence recorded in the year (type 0 included),
    # 43 forces (not BTP), no fraud, no expired codes published as N/A.
    book = next(mirror.rglob("prc-outcomes-open-data-mar2025-tables-*.xlsx"))
    outcomes_csv = _sheet_as_csv(xlsx_rows(book, "Outcomes open data 2024_25"), tmp_path / "outcomes.csv")
    independent = duckdb.sql(f"""
        select
            100.0 * sum(recorded) filter (where outcome = '1') / sum(recorded) as charge_rate,
            100.0 * sum(recorded) filter (where outcome = '1' and is_vawg) / sum(recorded) filter (where is_vawg)
                as vawg_charge_rate,
            sum(recorded) filter (where outcome <> '0') as assigned_outcomes
        from (
            select
                cast("Outcome Type" as varchar) as outcome,
                try_cast("Outcomes for offences that were recorded in the quarter" as bigint) as recorded,
                "Offence Group" = 'Sexual offences' or "Offence Subgroup" = 'Stalking and harassment' as is_vawg
            from read_csv('{outcomes_csv}', all_varchar = true)
            where "Force Name" <> 'British Transport Police' and lower("Offence Group") not like 'fraud%'
        )
    """).fetchone()
    warehouse_rates = dict(query(warehouse, """
        select breakdown_value, value from measures.crime_outcome_rates_by_offence_group
        where force_id = 'K04000001' and period_label = 'Year ending Mar 2025' and status = 'ok'
          and breakdown_value = 'total_recorded_crime | 1 Charged/Summonsed'
        union all
        select 'vawg', value from measures.vawg_charge_outcome_rate
        where force_id = 'K04000001' and period_label = 'Year ending Mar 2025' and breakdown_value = 'vawg'
    """))
    assert warehouse_rates == {
        "total_recorded_crime | 1 Charged/Summonsed": pytest.approx(independent[0], abs=1e-9),
        "vawg": pytest.approx(independent[1], abs=1e-9),
    }
    # type 0 (not yet assigned) is never an outcome: the outcome-type rows sum to the assigned outcomes only
    assert query(warehouse, """
        select sum(value), count(*) filter (where breakdown_value like '% | 0 %')
        from measures.crime_outcomes_by_offence_group
        where force_id = 'K04000001' and period_label = 'Year ending Mar 2025'
          and breakdown = 'crime_group_and_outcome_type' and breakdown_value like 'total_recorded_crime | %'
    """) == [(independent[2], 0)]

    # fraud is excluded from force totals: total recorded crime equals the PRC sheet without fraud rows
    prc = next(mirror.rglob("prc-pfa-mar2013-onwards-tables-*.ods"))
    prc_csv = tmp_path / "prc.csv"
    with open(prc_csv, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        for row in ods_rows(prc, "2024_25"):
            writer.writerow(["" if c is None else c for c in row])
    totals = duckdb.sql(f"""
        select
            sum(cast("Number of Offences" as double)) filter (where "Offence Group" <> 'Fraud offences'
                and "Force Name" not in ('British Transport Police', 'Action Fraud', 'CIFAS', 'UK Finance')),
            sum(cast("Number of Offences" as double)) filter (where "Offence Group" = 'Fraud offences')
        from read_csv('{prc_csv}', all_varchar = true)
    """).fetchone()
    assert totals[1] > 0  # the sheet does carry fraud, so leaving it out is a real exclusion
    assert query(warehouse, """
        select numerator from measures.police_recorded_crime_rates
        where force_id = 'K04000001' and period_label = 'Year ending Mar 2025'
          and breakdown_value = 'total_recorded_crime'
    """) == [(totals[0],)]

    # the known data break: Devon and Cornwall outcomes are excluded in 2022-23 and 2023-24, and England
    # and Wales is the total of the other forces, named as such
    breaks = query(warehouse, """
        select force_id, period_label, status, value is null from measures.vawg_charge_outcomes
        where breakdown_value = 'vawg' and period_label in ('Year ending Mar 2024', 'Year ending Mar 2025')
          and force_id in ('E23000035', 'K04000001') order by all
    """)
    assert breaks == [
        ("E23000035", "Year ending Mar 2024", "excluded", True),
        ("E23000035", "Year ending Mar 2025", "ok", False),
        ("K04000001", "Year ending Mar 2024", "incomplete", False),
        ("K04000001", "Year ending Mar 2025", "ok", False),
    ]
