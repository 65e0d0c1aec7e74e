"""Extract -> dbt build -> quality gate on a throwaway warehouse, checked against independent counts."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from conftest import COL_2023_01, crime_type_counts, query, run_cli, run_dbt_build, write_archive

pytestmark = pytest.mark.slow

TOWN_CENTRE = ("Shoplifting", "Theft from the person", "Robbery")


def _extract(warehouse: Path, source: Path, *archive: str) -> None:
    args = ["-m", "extract", "run"] + [a for month in archive for a in ("--archive", month)]
    result = run_cli(args, {"PPF_WAREHOUSE": str(warehouse), "PPF_SOURCE": str(source)})
    assert result.returncode == 0, result.stderr


def _build(warehouse: Path, tmp_path: Path) -> None:
    result = run_dbt_build(warehouse, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_real_city_of_london_january_2023_reaches_the_town_centre_measure_unchanged(tmp_path: Path) -> None:
    mirror, warehouse = tmp_path / "mirror", tmp_path / "warehouse.duckdb"
    write_archive(mirror, "2023-01", {"2023-01/2023-01-city-of-london-street.csv": COL_2023_01.read_bytes()})
    _extract(warehouse, mirror)
    _build(warehouse, tmp_path)
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


def test_sample_pipeline_gives_every_force_every_quarter_and_the_gate_catches_bad_data(tmp_path: Path) -> None:
    from extract.police_uk.sample import generate_archive_mirror

    mirror, warehouse = tmp_path / "mirror", tmp_path / "warehouse.duckdb"
    archive = generate_archive_mirror(mirror, release="2025-12", n_months=6, scale=0.005)
    _extract(warehouse, mirror)
    _build(warehouse, tmp_path)

    grid = query(warehouse, """
        select period_label, unit, count(distinct force_id) from measures.police_recorded_asb_incidents
        group by all order by all
    """)
    assert grid == [(q, u, 44) for q in ("2025-26 Q2", "2025-26 Q3") for u in ("count", "rate_per_1000")]

    # a force's quarterly ASB count and rate equal the ZIP's rows over the population seed
    kent = _zip_counts(archive, "kent")
    expected = sum(n for (month, crime), n in kent.items()
                   if crime == "Anti-social behaviour" and month in ("2025-07", "2025-08", "2025-09"))
    rows = dict(query(warehouse, """
        select unit, value from measures.police_recorded_asb_incidents
        where force_id = 'E23000032' and period_label = '2025-26 Q2'
    """))
    assert rows == {"count": expected, "rate_per_1000": pytest.approx(1000 * expected / 1846500)}

    # the real gaps: Greater Manchester has no files; Gwent none from September 2025
    gaps = dict(query(warehouse, """
        select force_id || ' ' || period_label, status from measures.police_recorded_asb_incidents
        where unit = 'count' and force_id in ('E23000005', 'W15000002', 'K04000001')
    """))
    assert gaps == {
        "E23000005 2025-26 Q2": "not_available", "E23000005 2025-26 Q3": "not_available",
        "W15000002 2025-26 Q2": "incomplete", "W15000002 2025-26 Q3": "not_available",
        "K04000001 2025-26 Q2": "incomplete", "K04000001 2025-26 Q3": "incomplete",
    }
    assert query(warehouse, "select count(*) from measures.police_recorded_asb_incidents "
                            "where status <> 'ok' and force_id <> 'K04000001' and value is not null") == [(0,)]

    env = {"PPF_WAREHOUSE": str(warehouse)}
    gate = run_cli(["-m", "expectations.validate"], env)
    assert gate.returncode == 0, gate.stdout + gate.stderr
    assert "2 suites" in gate.stdout and "passed" in gate.stdout

    # a gap turned into a zero, and a raw row count that no longer matches its file, must both fail
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update measures.town_centre_crime_police_uk set value = 0 "
                    "where force_id = 'E23000005' and breakdown_value = 'Robbery'")
        con.execute("delete from raw_police_uk.street where force_slug = 'kent' and file_month = '2025-08' "
                    "and crime_type = 'Anti-social behaviour'")
    gate = run_cli(["-m", "expectations.validate"], env)
    assert gate.returncode == 1
    assert "expect_column_values_to_be_null" in gate.stderr
    assert "expect_column_pair_values_to_be_equal" in gate.stderr
