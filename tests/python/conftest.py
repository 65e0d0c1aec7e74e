"""Shared fixtures: a throwaway warehouse per test, mirrors built from real files, warehouse snapshots."""

from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import sys
import zipfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import duckdb
import pytest

from extract.config import PROJECT_ROOT, Settings

# The real published files live in the workplace's shared folder beside the clone (CI puts it there).
SHARED = Path(os.environ.get("PPF_SHARED_DIR") or PROJECT_ROOT.parent / "shared")
REAL = SHARED / "data" / "real"
REAL_BULK = REAL / "police_uk_bulk"
COL_2023_01 = REAL_BULK / "2023-01-city-of-london-street.csv"
COL_2024_08 = REAL_BULK / "2024-08-city-of-london-street.csv"
VENV_BIN = Path(sys.executable).parent

os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")


def pytest_sessionstart(session: pytest.Session) -> None:
    if not REAL_BULK.is_dir():
        raise pytest.UsageError(
            f"the real police.uk files are not at {REAL_BULK}: put the shared folder beside the clone "
            "or set PPF_SHARED_DIR"
        )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        source=str(tmp_path / "mirror"),
        warehouse=tmp_path / "warehouse" / "ppf.duckdb",
        sample_dir=tmp_path / "sample",
        sample_scale=0.002,
    )


def archive_dir(mirror: Path) -> Path:
    path = mirror / "data.police.uk" / "data" / "archive"
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_archive(mirror: Path, release: str, entries: dict[str, bytes]) -> Path:
    """An archive ZIP in the real layout: entries named YYYY-MM/YYYY-MM-<force>-<dataset>.csv."""
    path = archive_dir(mirror) / f"{release}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def read_csv_rows(data: bytes) -> list[dict[str, str]]:
    """The independent reading: Python's csv module, not the loader's Arrow parser."""
    return list(csv.DictReader(data.decode("utf-8").splitlines()))


def crime_type_counts(data: bytes) -> Counter[str]:
    return Counter(row["Crime type"] for row in read_csv_rows(data))


def snapshot(warehouse: Path, tables: Iterable[str] = ("street", "outcomes", "stop_and_search",
                                                        "published_files")) -> dict[str, str]:
    """A digest of every row (all columns, loaded_at included) of the raw tables, per table."""
    if not warehouse.is_file():
        return {}
    digests = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        present = {r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'raw_police_uk'"
        ).fetchall()}
        for table in tables:
            if table not in present:
                continue
            columns = [r[0] for r in con.execute(
                "select column_name from information_schema.columns where table_schema = 'raw_police_uk' "
                "and table_name = ? and column_name not in ('_dlt_id', '_dlt_load_id') order by column_name",
                [table],
            ).fetchall()]
            rows = con.execute(
                f"select {', '.join(columns)} from raw_police_uk.{table} order by all"
            ).fetchall()
            digests[table] = hashlib.sha256(repr(rows).encode()).hexdigest() + f" ({len(rows)} rows)"
    return digests


def query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def run_cli(args: list[str], env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **env}
    return subprocess.run([sys.executable, *args], cwd=PROJECT_ROOT, env=full_env, capture_output=True,
                          text=True, timeout=timeout)


def run_dbt_build(warehouse: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PPF_WAREHOUSE": str(warehouse),
        "DBT_PROFILES_DIR": str(PROJECT_ROOT),
        # keep the developer's target/ and logs/ untouched
        "DBT_TARGET_PATH": str(tmp_path / "dbt_target"),
        "DBT_LOG_PATH": str(tmp_path / "dbt_logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    return subprocess.run([str(VENV_BIN / "dbt"), "build", "--full-refresh", "--quiet"], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=900)
