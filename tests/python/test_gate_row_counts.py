"""The gate's raw police.uk counts: kept between runs, brought up to date from the rows loaded since,
and counted again from every row when what is kept cannot be trusted (real City of London files)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import COL_2023_01, COL_2024_08, write_archive

from expectations.validate import EVERY_LOAD, QUERIES, police_uk_row_counts
from extract.config import PROJECT_ROOT, Settings
from extract.police_uk import pipeline as police_uk

JAN = "2023-01/2023-01-city-of-london-street.csv"
AUG = "2024-08/2024-08-city-of-london-street.csv"


def _first_rows(data: bytes, rows: int) -> bytes:
    return b"\r\n".join(data.split(b"\r\n")[: rows + 1]) + b"\r\n"


def _counts(settings: Settings, cache: Path) -> list[tuple]:
    """police_uk_row_counts brought up to date, and its rows."""
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        path = police_uk_row_counts(con, cache)
        return con.execute(f"select * from read_parquet('{path}') order by all").fetchall()


EVERY_ROW_COUNTED = (QUERIES / "raw_police_uk_row_counts.sql").read_text().replace("{loaded_after}", EVERY_LOAD)


def _every_row_counted(settings: Settings) -> list[tuple]:
    """The same counts, straight from every raw row."""
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.execute(f"select * from ({EVERY_ROW_COUNTED}) order by all").fetchall()


def _add_to_kept_count(cache: Path, file_month: str, extra: int) -> None:
    """Change a kept count by hand: a later run that shows `extra` reused it instead of counting again."""
    with duckdb.connect() as con:
        con.execute(f"copy (select * replace (case when file_month = '{file_month}' then rows_without_location + "
                    f"{extra} else rows_without_location end as rows_without_location) from read_parquet('{cache}')) "
                    f"to '{cache}.tmp' (format parquet)")
    Path(f"{cache}.tmp").replace(cache)


def test_kept_counts_are_brought_up_to_date_and_recounted_when_rows_were_left_unpruned(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    mirror = Path(settings.source)
    write_archive(mirror, "2024-08", {JAN: COL_2023_01.read_bytes(), AUG: COL_2024_08.read_bytes()})
    police_uk.run(settings, ["latest"])
    with duckdb.connect(str(settings.warehouse)) as con:  # what the dbt seed puts in the warehouse
        con.execute("create schema reference; create table reference.police_uk_crime_types as select * from "
                    f"read_csv('{PROJECT_ROOT / 'seeds' / 'police_uk_crime_types.csv'}')")
    cache = settings.warehouse_dir / "quality" / "raw_police_uk_row_counts.parquet"

    first = _counts(settings, cache)
    assert first == _every_row_counted(settings)
    assert {(row[0], row[2]) for row in first if row[0] == "street"} == {("street", "2023-01"), ("street", "2024-08")}

    # August republished with 40 rows: January's counts are kept (the hand-made change shows it), the
    # superseded August load's are dropped and the new one's counted
    _add_to_kept_count(cache, "2023-01", 1000)
    write_archive(mirror, "2024-09", {AUG: _first_rows(COL_2024_08.read_bytes(), 40)})
    police_uk.run(settings, ["latest"])
    second = _counts(settings, cache)
    every = _every_row_counted(settings)
    columns = _column_names(settings)
    changed, loaded = columns.index("rows_without_location"), columns.index("rows_loaded")
    assert [row[:changed] + row[changed + 1:] for row in second] == [row[:changed] + row[changed + 1:] for row in every]
    kept = {row[2]: row for row in second if row[0] == "street"}
    counted = {row[2]: row for row in every if row[0] == "street"}
    assert kept["2023-01"][changed] == counted["2023-01"][changed] + 1000
    assert kept["2024-08"][loaded] == 40

    # a run stopped before pruning leaves August's 40 rows beside its new ones: the kept counts no longer
    # add up to the table, so every row is counted again (and the frame shows the extra rows)
    monkeypatch.setattr(police_uk, "prune_superseded_rows", lambda *args: {})
    write_archive(mirror, "2024-10", {AUG: COL_2024_08.read_bytes()})
    police_uk.run(settings, ["latest"])
    third = _counts(settings, cache)
    assert third == _every_row_counted(settings)
    august_loads = [row for row in third if row[0] == "street" and row[2] == "2024-08"]
    assert len(august_loads) == 2


def _column_names(settings: Settings) -> list[str]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return [column[0] for column in con.execute(f"select * from ({EVERY_ROW_COUNTED}) limit 0").description]
