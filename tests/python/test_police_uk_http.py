"""The live code path, against a mirror served over HTTP on 127.0.0.1: probing, retries, 404s, caching."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from conftest import COL_2023_01, MirrorHandler, crime_type_counts, query, run_cli, write_archive

from extract.config import Settings
from extract.location import SourceLocation
from extract.police_uk import pipeline as police_uk

COL = "2023-01/2023-01-city-of-london-street.csv"


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUNTIME__REQUEST_BACKOFF_FACTOR", "0.01")
    monkeypatch.setenv("RUNTIME__REQUEST_MAX_RETRY_DELAY", "0.1")


def test_latest_archive_is_found_month_by_month_and_unpublished_months_are_404(
    http_mirror: tuple[str, Path], settings: Settings
) -> None:
    url, root = http_mirror
    write_archive(root, "2023-01", {COL: b"old"})
    write_archive(root, "2023-02", {COL: COL_2023_01.read_bytes()})
    settings = Settings(url, settings.warehouse, settings.sample_dir, settings.sample_scale)
    location = SourceLocation.from_settings(settings)
    found = police_uk.resolve_archives(location, settings, ["latest"], today=datetime(2023, 4, 20))
    assert [source for _, source in found] == [f"{url}/data.police.uk/data/archive/2023-02.zip"]
    heads = sorted(path for (method, path), _ in MirrorHandler.requests.items() if method == "HEAD")
    assert heads == [f"/data.police.uk/data/archive/{m}.zip" for m in ("2023-02", "2023-03", "2023-04")]


def test_transient_503_and_429_are_retried_and_the_load_completes(
    http_mirror: tuple[str, Path], settings: Settings
) -> None:
    url, root = http_mirror
    write_archive(root, "2023-01", {COL: COL_2023_01.read_bytes()})
    path = "/data.police.uk/data/archive/2023-01.zip"
    MirrorHandler.failures = {path: [503, 429, 503]}
    env = {"PPF_WAREHOUSE": str(settings.warehouse), "PPF_SOURCE": url,
           "RUNTIME__REQUEST_BACKOFF_FACTOR": "0.01"}
    result = run_cli(["-m", "extract", "run", "--only", "police_uk_archive", "--archive", "2023-01"], env)
    assert result.returncode == 0, result.stderr
    assert MirrorHandler.failures[path] == []  # all three failures were answered, and retried past
    assert sum(n for (_, p), n in MirrorHandler.requests.items() if p == path) >= 5
    counts = dict(query(settings.warehouse, "select crime_type, count(*) from raw_police_uk.street group by 1"))
    assert counts == crime_type_counts(COL_2023_01.read_bytes())
    assert query(settings.warehouse, "select distinct source_location from raw_police_uk.published_files "
                 "where status = 'loaded'") == [(f"{url}{path}",)]
    # a second run re-uses the cached download: HEAD only, no second GET
    gets_before = MirrorHandler.requests[("GET", path)]
    again = run_cli(["-m", "extract", "run", "--only", "police_uk_archive", "--archive", "2023-01"], env)
    assert again.returncode == 0, again.stderr
    assert "cached copy is current" in again.stderr
    assert MirrorHandler.requests[("GET", path)] == gets_before


def test_an_archive_that_is_not_published_is_reported_not_loaded(
    http_mirror: tuple[str, Path], settings: Settings
) -> None:
    url, _ = http_mirror
    env = {"PPF_WAREHOUSE": str(settings.warehouse), "PPF_SOURCE": url}
    result = run_cli(["-m", "extract", "run", "--only", "police_uk_archive", "--archive", "2031-01"], env)
    assert result.returncode == 1
    assert "2031-01.zip: not published (yet)" in result.stderr
    assert "no archive found for 2031-01" in result.stderr
    assert not settings.warehouse.exists()


def test_an_unreachable_host_is_one_clear_error(settings: Settings) -> None:
    # nothing listens on port 9 of the loopback address: the connection is refused at once
    env = {"PPF_WAREHOUSE": str(settings.warehouse), "PPF_SOURCE": "http://127.0.0.1:9",
           "RUNTIME__REQUEST_MAX_ATTEMPTS": "2", "RUNTIME__REQUEST_BACKOFF_FACTOR": "0.01"}
    result = run_cli(["-m", "extract", "run", "--only", "police_uk_archive", "--archive", "2025-12"], env)
    assert result.returncode == 1
    assert "error: cannot reach http://127.0.0.1:9/data.police.uk/data/archive/2025-12.zip" in result.stderr
    assert "Traceback" not in result.stderr
