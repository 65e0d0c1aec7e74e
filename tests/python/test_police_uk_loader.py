"""The archive loader against a DuckDB file: real files, replacement, idempotence, gaps, bad files, interruptions."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from conftest import (
    COL_2023_01,
    COL_2024_08,
    crime_type_counts,
    query,
    read_csv_rows,
    run_cli,
    snapshot,
    write_archive,
)

from extract.config import PROJECT_ROOT, Settings
from extract.police_uk import pipeline as police_uk
from extract.police_uk.pipeline import expected_files

COL = "2023-01/2023-01-city-of-london-street.csv"
# Street rows that are current: loaded with their force-month's recorded file (written out here rather
# than taken from the loader, so that a wrong condition in the loader cannot pass its own test).
CURRENT_STREET = """
select street.*, files.source_file, files.archive_release, files.file_sha256
from raw_police_uk.street as street
join raw_police_uk.published_files as files
    on files.dataset = 'street' and files.status = 'loaded' and files.force_slug = street.force_slug
    and files.file_month = street.file_month and files.recorded_at = street.loaded_at
"""


def _load(settings: Settings, *paths: Path) -> police_uk.LoadSummary:
    return police_uk.load_paths(settings, [(p, str(p)) for p in paths])


def _street_counts(settings: Settings, slug: str, month: str) -> dict[str, int]:
    return dict(query(settings.warehouse,
                      "select crime_type, count(*) from raw_police_uk.street "
                      "where force_slug = ? and file_month = ? group by 1", [slug, month]))


def test_real_city_of_london_file_loads_from_a_mirror_with_its_published_counts(settings: Settings) -> None:
    write_archive(Path(settings.source), "2023-01", {COL: COL_2023_01.read_bytes()})
    summary = police_uk.run(settings, ["latest"])
    assert summary.files_loaded == 1
    assert _street_counts(settings, "city-of-london", "2023-01") == crime_type_counts(COL_2023_01.read_bytes())
    files = dict(query(settings.warehouse, "select status, count(*) from raw_police_uk.published_files group by 1"))
    # one archive month: the 43 forces' three datasets and BTP street, of which one file is present
    assert files == {"loaded": 1, "missing": len(expected_files()) - 1}
    provenance = query(settings.warehouse,
                       f"select distinct source_file, archive_release, file_sha256 from ({CURRENT_STREET})")
    assert provenance == [(COL, "2023-01", hashlib.sha256(COL_2023_01.read_bytes()).hexdigest())]
    lines = query(settings.warehouse, "select min(source_line), max(source_line) from raw_police_uk.street")
    assert lines == [(2, len(read_csv_rows(COL_2023_01.read_bytes())) + 1)]


def test_hand_downloaded_csvs_load_through_the_cli(settings: Settings, tmp_path: Path) -> None:
    env = {"PPF_WAREHOUSE": str(settings.warehouse), "PPF_SOURCE": "sample"}
    result = run_cli(["-m", "extract", "load", "police_uk_archive", str(COL_2023_01), str(COL_2024_08)], env)
    assert result.returncode == 0, result.stderr
    assert "rows from 2 files loaded" in result.stdout
    for path, month in ((COL_2023_01, "2023-01"), (COL_2024_08, "2024-08")):
        assert _street_counts(settings, "city-of-london", month) == crime_type_counts(path.read_bytes())
    # a hand-loaded file has no archive release; its provenance is its path
    assert query(settings.warehouse, f"select distinct archive_release from ({CURRENT_STREET})") == [(None,)]


def test_a_repeated_load_changes_nothing(settings: Settings) -> None:
    mirror = Path(settings.source)
    write_archive(mirror, "2023-01", {COL: COL_2023_01.read_bytes()})
    police_uk.run(settings, ["latest"])
    before = snapshot(settings.warehouse)
    again = police_uk.run(settings, ["latest"])
    assert (again.files_loaded, again.files_unchanged, again.missing_recorded, again.rows_loaded) == (0, 1, 0, 0)
    assert snapshot(settings.warehouse) == before


def test_a_republished_force_month_replaces_the_old_one_as_a_whole(settings: Settings) -> None:
    mirror = Path(settings.source)
    lines = COL_2023_01.read_bytes().split(b"\r\n")
    kent = b"\r\n".join(lines[:1] + [ln.replace(b"City of London Police", b"Kent Police") for ln in lines[1:50]])
    kent_name = "2023-01/2023-01-kent-street.csv"
    write_archive(mirror, "2023-01", {COL: COL_2023_01.read_bytes(), kent_name: kent + b"\r\n"})
    police_uk.run(settings, ["2023-01"])
    kent_before = snapshot(settings.warehouse, ["street"])
    # the next archive republishes City of London January 2023 with fewer rows
    shorter = b"\r\n".join(lines[:101]) + b"\r\n"
    write_archive(mirror, "2023-02", {COL: shorter, kent_name: kent + b"\r\n"})
    summary = police_uk.run(settings, ["2023-02"])
    assert (summary.files_loaded, summary.files_unchanged) == (1, 1)
    assert _street_counts(settings, "city-of-london", "2023-01") == crime_type_counts(shorter)
    assert query(settings.warehouse, "select count(*) from raw_police_uk.street where force_slug = 'kent'") == [(49,)]
    assert query(settings.warehouse, "select archive_release, row_count from raw_police_uk.published_files "
                 "where force_slug = 'city-of-london' and dataset = 'street'") == [("2023-02", 100)]
    # loading the older archive again keeps the newer republication
    older = police_uk.run(settings, ["2023-01"])
    assert older.files_kept_newer == 1 and older.files_loaded == 0
    assert _street_counts(settings, "city-of-london", "2023-01") == crime_type_counts(shorter)
    assert snapshot(settings.warehouse, ["street"]) != kent_before  # City of London rows did change


def test_a_missing_month_is_recorded_missing_then_loaded_when_published(settings: Settings) -> None:
    mirror = Path(settings.source)
    write_archive(mirror, "2023-01", {COL: COL_2023_01.read_bytes()})
    police_uk.run(settings, ["latest"])
    gmp = "select status, row_count from raw_police_uk.published_files where force_slug = 'greater-manchester' " \
          "and dataset = 'street' and file_month = '2023-01'"
    assert query(settings.warehouse, gmp) == [("missing", None)]
    assert query(settings.warehouse, "select count(*) from raw_police_uk.street "
                 "where force_slug = 'greater-manchester'") == [(0,)]
    gmp_file = COL_2023_01.read_bytes().replace(b"City of London Police", b"Greater Manchester Police")
    write_archive(mirror, "2023-02", {COL: COL_2023_01.read_bytes(),
                                      "2023-01/2023-01-greater-manchester-street.csv": gmp_file})
    police_uk.run(settings, ["latest"])
    assert query(settings.warehouse, gmp) == [("loaded", len(read_csv_rows(gmp_file)))]


def test_a_malformed_file_fails_naming_file_and_line_and_leaves_the_warehouse_as_it_was(
    settings: Settings,
) -> None:
    mirror = Path(settings.source)
    write_archive(mirror, "2023-01", {COL: COL_2023_01.read_bytes()})
    police_uk.run(settings, ["latest"])
    before = snapshot(settings.warehouse)
    lines = COL_2024_08.read_bytes().split(b"\r\n")
    lines[200] = lines[200] + b",extra"
    write_archive(mirror, "2024-08", {
        "2024-08/2024-08-city-of-london-street.csv": b"\r\n".join(lines),
        "2024-08/2024-08-kent-street.csv": COL_2024_08.read_bytes().replace(b"City of London", b"Kent"),
    })
    env = {"PPF_WAREHOUSE": str(settings.warehouse), "PPF_SOURCE": settings.source}
    result = run_cli(["-m", "extract", "run", "--only", "police_uk_archive", "--archive", "2024-08"], env)
    assert result.returncode == 1
    assert "2024-08.zip:2024-08/2024-08-city-of-london-street.csv, line 201: expected 12 fields, found 13" \
        in result.stderr
    assert snapshot(settings.warehouse) == before
    # the next good run is unaffected by the failed one
    write_archive(mirror, "2024-08", {"2024-08/2024-08-city-of-london-street.csv": COL_2024_08.read_bytes()})
    police_uk.run(settings, ["2024-08"])
    assert _street_counts(settings, "city-of-london", "2024-08") == crime_type_counts(COL_2024_08.read_bytes())
    assert query(settings.warehouse, "select count(*) from raw_police_uk.street where force_slug = 'kent'") == [(0,)]


def test_an_exception_mid_extract_loads_nothing(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    mirror = Path(settings.source)
    write_archive(mirror, "2023-01", {COL: COL_2023_01.read_bytes()})
    police_uk.run(settings, ["latest"])
    before = snapshot(settings.warehouse)
    write_archive(mirror, "2024-08", {
        "2024-08/2024-08-city-of-london-street.csv": COL_2024_08.read_bytes(),
        "2024-08/2024-08-kent-street.csv": COL_2024_08.read_bytes().replace(b"City of London", b"Kent"),
    })
    import extract.police_uk as source_module

    real_parse = source_module.parse_csv
    calls = {"n": 0}

    def parse_then_stop(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # as if the user pressed Ctrl-C after the first file
        return real_parse(*args, **kwargs)

    monkeypatch.setattr(source_module, "parse_csv", parse_then_stop)
    with pytest.raises(KeyboardInterrupt):  # raised in a reading thread, re-raised in the main one
        police_uk.run(settings, ["2024-08"])
    assert snapshot(settings.warehouse) == before
    assert not (settings.pipelines_dir / f"{police_uk.PIPELINE_NAME}_parquet").exists()  # staged files removed
    monkeypatch.setattr(source_module, "parse_csv", real_parse)
    summary = police_uk.run(settings, ["2024-08"])
    assert summary.files_loaded == 2
    assert query(settings.warehouse, "select count(*) from raw_police_uk.street where file_month = '2024-08'") \
        == [(2 * len(read_csv_rows(COL_2024_08.read_bytes())),)]


def test_a_load_stopped_between_extract_and_load_is_finished_by_the_next_run(settings: Settings) -> None:
    mirror = Path(settings.source)
    path = write_archive(mirror, "2023-01", {COL: COL_2023_01.read_bytes()})
    inventories = [police_uk.inventory(path, str(path))]
    from datetime import UTC, datetime

    from extract.police_uk import police_uk_archive, stage_files
    from extract.warehouse import make_pipeline

    plan = police_uk.make_plan(inventories, settings.warehouse, datetime.now(UTC))
    pipeline = make_pipeline(settings, police_uk.PIPELINE_NAME, police_uk.DATASET_NAME)
    staged = stage_files(plan.files, plan.loaded, datetime.now(UTC), settings.pipelines_dir / "parquet")
    pipeline.extract(police_uk_archive(staged, plan.missing))
    pipeline.normalize()  # the process "dies" here: a normalized package waits, nothing is in the warehouse
    assert snapshot(settings.warehouse).get("street", " (0 rows)").endswith(" (0 rows)")
    summary = police_uk.run(settings, ["latest"])
    assert summary.files_unchanged == 1  # the pending package was loaded first, so the file is already there
    assert _street_counts(settings, "city-of-london", "2023-01") == crime_type_counts(COL_2023_01.read_bytes())
    assert query(settings.warehouse, "select count(*) from raw_police_uk.published_files "
                 "where status = 'loaded'") == [(1,)]


# Runs the loader, killing the process (SIGKILL) as soon as DuckDB has committed a data table's rows and
# before dlt records the job as done: the window where dlt's append is at-least-once.
KILL_AFTER_COMMIT = """
import os, signal, sys
from dlt.destinations.impl.duckdb.duck import DuckDbCopyJob
from extract.config import get_settings
from extract.police_uk import pipeline

insert = DuckDbCopyJob.run
def insert_then_die(self):
    insert(self)
    if self.load_table_name == sys.argv[1]:
        os.kill(os.getpid(), signal.SIGKILL)
DuckDbCopyJob.run = insert_then_die
pipeline.run(get_settings(), ["latest"])
"""


def test_rows_dlt_inserts_twice_after_a_kill_are_loaded_once(settings: Settings) -> None:
    mirror = Path(settings.source)
    write_archive(mirror, "2023-01", {COL: COL_2023_01.read_bytes()})
    env = {"PPF_WAREHOUSE": str(settings.warehouse), "PPF_SOURCE": str(mirror)}
    killed = run_cli(["-c", KILL_AFTER_COMMIT, "street"], env)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    rows = len(read_csv_rows(COL_2023_01.read_bytes()))
    assert query(settings.warehouse, "select count(*) from raw_police_uk.street") == [(rows,)]
    # the next run finishes the package first, and dlt, with no record that the street job committed,
    # inserts its rows again
    again = run_cli(["-m", "extract", "run"], env)
    assert again.returncode == 0, again.stderr
    assert query(settings.warehouse, "select count(*), count(distinct source_line) from raw_police_uk.street") \
        == [(rows, rows)]
    assert _street_counts(settings, "city-of-london", "2023-01") == crime_type_counts(COL_2023_01.read_bytes())


def inconsistent_force_months(rows: str = "count(*)") -> str:
    """SQL: how many force-months' current street rows are not the rows their record promises, counted
    as `rows` (count(distinct source_line) tolerates second copies, which a later completed run removes)."""
    return f"""
select count(*) from raw_police_uk.published_files as files
left join (select force_slug, file_month, {rows} as n from ({CURRENT_STREET}) group by all) as rows
    using (force_slug, file_month)
where files.dataset = 'street' and files.status = 'loaded' and files.row_count <> coalesce(rows.n, 0)
"""


CONSISTENT = inconsistent_force_months()


@pytest.mark.slow
def test_a_killed_load_leaves_a_consistent_warehouse_and_the_rerun_completes_it(
    settings: Settings, tmp_path: Path
) -> None:
    from extract.police_uk.sample import generate_archive_mirror

    mirror = Path(settings.source)
    generate_archive_mirror(mirror, release="2025-12", n_months=12, scale=0.01)  # a run takes about 7 s
    env = {"PPF_WAREHOUSE": str(settings.warehouse), "PPF_SOURCE": str(mirror)}
    clean = {"PPF_WAREHOUSE": str(tmp_path / "clean" / "ppf.duckdb"), "PPF_SOURCE": str(mirror)}
    assert run_cli(["-m", "extract", "run"], clean).returncode == 0
    # SIGKILL (no clean-up possible) at several points: while reading files, and around dlt's load
    for seconds in (2.5, 4.5, 6.0):
        process = subprocess.Popen([sys.executable, "-m", "extract", "run"], cwd=PROJECT_ROOT,
                                   env={**os.environ, **env},
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(seconds)
        process.send_signal(signal.SIGKILL)
        process.wait()
        tables = set(snapshot(settings.warehouse, ["street", "published_files"]))
        # A kill after DuckDB committed a file's rows but before dlt recorded it makes the next run insert
        # them again (see test_rows_dlt_inserts_twice_after_a_kill_are_loaded_once); a completed run
        # removes the copies, a killed one may leave them: so distinct source lines are compared here.
        distinct = inconsistent_force_months("count(distinct source_line)")
        if tables == {"street", "published_files"} and query(settings.warehouse, distinct) != [(0,)]:
            # dlt loads each table in its own transaction: a kill between two leaves the tables apart,
            # but only with the load package still pending, which the next run loads first
            import dlt

            pending = dlt.attach(police_uk.PIPELINE_NAME, pipelines_dir=str(settings.pipelines_dir))
            assert pending.has_pending_data
    assert run_cli(["-m", "extract", "run"], env).returncode == 0
    assert query(settings.warehouse, CONSISTENT) == [(0,)]
    compare = "select dataset, force_slug, file_month, status, row_count, file_sha256 " \
              "from raw_police_uk.published_files order by all"
    assert query(settings.warehouse, compare) == query(Path(clean["PPF_WAREHOUSE"]), compare)
    # superseded rows a kill left behind between appending and pruning are gone after the rerun
    rows = "select count(*), count(distinct (force_slug, file_month)) from raw_police_uk.street"
    assert query(settings.warehouse, rows) == query(Path(clean["PPF_WAREHOUSE"]), rows)


def test_a_force_month_republished_empty_clears_its_earlier_rows(settings: Settings) -> None:
    mirror = Path(settings.source)
    header_only = COL_2023_01.read_bytes().split(b"\r\n")[0] + b"\r\n"
    write_archive(mirror, "2023-01", {COL: COL_2023_01.read_bytes()})
    police_uk.run(settings, ["latest"])
    write_archive(mirror, "2023-02", {COL: header_only})
    summary = police_uk.run(settings, ["latest"])
    assert summary.files_loaded == 1
    assert query(settings.warehouse, "select count(*) from raw_police_uk.street") == [(0,)]
    assert query(settings.warehouse, "select status, row_count, archive_release from raw_police_uk.published_files "
                 "where force_slug = 'city-of-london' and dataset = 'street'") == [("loaded", 0, "2023-02")]


def test_an_entry_with_the_loaded_crc_and_size_is_skipped_unread(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    mirror = Path(settings.source)
    write_archive(mirror, "2023-01", {COL: COL_2023_01.read_bytes()})
    police_uk.run(settings, ["latest"])
    from extract.police_uk.helpers import FileReader

    def no_reading(self, file):
        raise AssertionError(f"{file.entry} was read")

    monkeypatch.setattr(FileReader, "read", no_reading)
    again = police_uk.run(settings, ["latest"])
    assert (again.files_loaded, again.files_unchanged) == (0, 1)
    recorded = query(settings.warehouse, "select file_crc32, file_size from raw_police_uk.published_files "
                     "where status = 'loaded'")
    assert recorded == [(zlib.crc32(COL_2023_01.read_bytes()), len(COL_2023_01.read_bytes()))]


def test_rows_a_stopped_run_did_not_prune_are_not_current_and_go_with_the_next_run(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    mirror = Path(settings.source)
    write_archive(mirror, "2023-01", {COL: COL_2023_01.read_bytes()})
    police_uk.run(settings, ["latest"])
    fewer = b"\r\n".join(COL_2023_01.read_bytes().split(b"\r\n")[:51]) + b"\r\n"  # header and 50 rows
    write_archive(mirror, "2023-02", {COL: fewer})
    monkeypatch.setattr(police_uk, "prune_superseded_rows", lambda *args: {})  # as if stopped before pruning
    police_uk.run(settings, ["latest"])
    total = len(read_csv_rows(COL_2023_01.read_bytes()))
    assert query(settings.warehouse, "select count(*) from raw_police_uk.street") == [(total + 50,)]
    assert query(settings.warehouse, f"select count(*), any_value(archive_release) from ({CURRENT_STREET})") \
        == [(50, "2023-02")]
    monkeypatch.undo()
    again = police_uk.run(settings, ["latest"])
    assert again.files_loaded == 0
    assert query(settings.warehouse, "select count(*) from raw_police_uk.street") == [(50,)]
