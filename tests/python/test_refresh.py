"""`make transform` rebuilds what changed: the plan it makes, and a refresh of one new police.uk month
on the sample warehouse checked against the ZIP and against a full rebuild."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from conftest import SamplePipeline, copy_warehouse, query, run_cli, run_dbt_build

from extract.config import PROJECT_ROOT
from transform.__main__ import code_fingerprint, plan, source_fingerprints

NAMES = {"raw_police_uk": ["police_uk"], "raw_home_office": ["home_office"]}


def test_plan_builds_everything_after_a_code_change_and_only_changed_sources_otherwise() -> None:
    before = {"code": "c1", "sources": {"raw_police_uk": "a", "raw_home_office": "b"}, "source_names": NAMES}
    assert plan(None, "c1", {"raw_police_uk": "a"}, False)[0] == "full"
    assert plan(before, "c2", before["sources"], False)[:2] == ("full", ["build", "--full-refresh"])
    assert plan(before, "c1", before["sources"], True)[0] == "full"
    assert plan(before, "c1", before["sources"], False)[0] == "none"
    kind, args, reason = plan(before, "c1", {"raw_police_uk": "a2", "raw_home_office": "b"}, False)
    assert kind == "changed" and "raw_police_uk" in reason
    assert args == ["build", "--select", "source:police_uk+", "--exclude", "tag:full_build",
                    "--exclude-resource-type", "unit_test", "--no-write-json"]
    # a raw schema no model reads yet cannot be selected: everything is built
    assert plan(before, "c1", {**before["sources"], "raw_new": "x"}, False)[0] == "full"


def test_source_fingerprints_follow_content_not_dlt_bookkeeping(tmp_path: Path) -> None:
    warehouse = tmp_path / "ppf.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema raw_a; create schema raw_b; create schema raw_a_staging")
        con.execute("create table raw_a.t as select 1 as x, 'load-1' as _dlt_load_id")
        con.execute("create table raw_b.t as select 2 as x")
        con.execute("create table raw_a_staging.t as select 3 as x")
    first = source_fingerprints(warehouse)
    assert set(first) == {"raw_a", "raw_b"}  # dlt's staging schemas are not sources
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update raw_a.t set _dlt_load_id = 'load-2'")
    assert source_fingerprints(warehouse) == first
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update raw_a.t set x = 5")
    changed = source_fingerprints(warehouse)
    assert changed["raw_a"] != first["raw_a"] and changed["raw_b"] == first["raw_b"]


def test_code_fingerprint_covers_models(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(PROJECT_ROOT / "models", root / "models")
    (root / "dbt_project.yml").write_text("name: x\n")
    before = code_fingerprint(root)
    model = next((root / "models").rglob("*.sql"))
    model.write_text(model.read_text() + "\n-- changed\n")
    assert code_fingerprint(root) != before


def _transform(warehouse: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PPF_WAREHOUSE": str(warehouse), "DBT_PROFILES_DIR": str(PROJECT_ROOT),
           "DBT_TARGET_PATH": str(warehouse.parent / "target"), "DBT_LOG_PATH": str(tmp_path / "logs")}
    result = run_cli(["-m", "transform", *args], env, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _kent_counts(archive: Path, month: str) -> Counter[str]:
    with zipfile.ZipFile(archive) as zf:
        data = zf.read(f"{month}/{month}-kent-street.csv")
    return Counter(row["Crime type"] for row in csv.DictReader(io.StringIO(data.decode("utf-8"))))


POLICE_UK_MEASURES = "('police_recorded_asb_incidents', 'town_centre_crime_police_uk')"
EVERY_VALUE = "select * from core.fct_measure_values order by all"
EVERY_ASSESSMENT = "select * from analysis.measure_assessment order by all"


@pytest.mark.slow
def test_a_new_month_rebuilds_only_what_reads_police_uk_and_matches_a_full_rebuild(
    sample_pipeline: SamplePipeline, tmp_path: Path
) -> None:
    from extract.police_uk.sample import generate_archive_mirror

    warehouse = copy_warehouse(sample_pipeline.warehouse, tmp_path / "refreshed")
    shutil.copytree(sample_pipeline.warehouse.parent / ".dlt", warehouse.parent / ".dlt")
    assert "every model (no earlier build recorded" in _transform(warehouse, tmp_path).stdout
    assert "nothing to build" in _transform(warehouse, tmp_path).stdout

    mirror = tmp_path / "mirror"
    archive = generate_archive_mirror(mirror, release="2026-01", n_months=1, scale=0.005)
    loaded = run_cli(["-m", "extract", "run", "--only", "police_uk_archive", "--archive", "2026-01"],
                     {"PPF_WAREHOUSE": str(warehouse), "PPF_SOURCE": str(mirror)})
    assert loaded.returncode == 0, loaded.stderr
    full_copy = copy_warehouse(warehouse, tmp_path / "full")
    assert "data changed in raw_police_uk" in _transform(warehouse, tmp_path).stdout
    results = json.loads((warehouse.parent / "target" / "run_results.json").read_text())
    built = {r["unique_id"].split(".")[-1] for r in results["results"] if r["unique_id"].startswith("model.")}
    assert {"int_police_uk__street_crime_counts", "town_centre_crime_police_uk", "measure_assessment"} <= built
    assert "int_home_office__outcomes_by_group" not in built and "homicides" not in built
    # the tests of the long tables read only the measures the refresh rebuilt
    compiled = next(r["compiled_code"] for r in results["results"]
                    if r["unique_id"].startswith("test.police_performance.not_null_fct_measure_values_source."))
    assert f"where measure_id in {POLICE_UK_MEASURES}" in compiled

    # the new month's counts are the ZIP's (read with the csv module)
    kent = _kent_counts(archive, "2026-01")
    counts = dict(query(warehouse, """
        select crime_type, recorded_count from intermediate.int_police_uk__street_crime_counts
        where force_id = 'E23000032' and month_start = date '2026-01-01' and recorded_count > 0"""))
    assert counts == dict(kent)
    # and the incremental models hold what a full rebuild of the same warehouse gives
    _transform(full_copy, tmp_path, "--full-refresh")
    for sql in ("select * from intermediate.int_police_uk__street_crime_counts order by all", EVERY_VALUE,
                EVERY_ASSESSMENT):
        assert query(warehouse, sql) == query(full_copy, sql)


def _rows_only_in(con: duckdb.DuckDBPyConnection, table: str, first: str, second: str) -> int:
    (count,) = con.execute(f"select count(*) from (from {first}.{table} except all from {second}.{table})").fetchone()
    return count


@pytest.mark.slow
def test_a_rebuild_of_the_same_rows_in_another_order_changes_no_value(
    sample_pipeline: SamplePipeline, tmp_path: Path
) -> None:
    """A load may store rows in any order, and DuckDB sums in whatever order its threads deliver them:
    sums of doubles then move in their last digits, and every build would publish those as revisions."""
    warehouse = copy_warehouse(sample_pipeline.warehouse, tmp_path / "reordered")
    with duckdb.connect(str(warehouse)) as con:
        raw = con.execute("""
            select table_schema || '.' || table_name from information_schema.tables
            where table_schema like 'raw\\_%' escape '\\' and table_schema not like '%\\_staging' escape '\\'
              and table_schema <> 'raw_police_uk' and table_name not like '\\_dlt%' escape '\\'
              and table_type = 'BASE TABLE'""").fetchall()
        assert len(raw) > 10
        for (table,) in raw:  # police.uk's rows are only counted (integer sums are exact): left as they are
            con.execute(f"create temp table reordered as select * from {table} order by rowid desc")
            con.execute(f"delete from {table}; insert into {table} select * from reordered; drop table reordered")
    rebuilt = run_dbt_build(warehouse, tmp_path)
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute(f"attach '{sample_pipeline.warehouse}' as built (read_only)")
        for table in ("core.fct_measure_values", "analysis.measure_assessment"):
            assert _rows_only_in(con, table, "built", "ppf") == _rows_only_in(con, table, "ppf", "built") == 0, table
