"""The data.police.uk API loader against a fixture mirror served over HTTP on 127.0.0.1: every table,
the client-side rate limit, retries, resuming an interrupted run, and a run with nothing new."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from conftest import query, run_cli
from test_police_uk_http import MirrorHandler

from extract.config import Settings
from extract.location import SourceError, SourceLocation
from extract.police_uk import api_pipeline
from extract.police_uk.api import ApiClient
from extract.police_uk.api_sample import NO_NEIGHBOURHOODS, generate_api_mirror

API = "/data.police.uk/api"
DATASET = api_pipeline.DATASET_NAME


class TimedHandler(MirrorHandler):
    """MirrorHandler (scripted failures, request counts) that also records when each request arrived."""

    times: ClassVar[list[float]] = []

    def _scripted(self) -> bool:
        self.times.append(time.monotonic())
        return super()._scripted()


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUNTIME__REQUEST_BACKOFF_FACTOR", "0.01")
    monkeypatch.setenv("RUNTIME__REQUEST_MAX_RETRY_DELAY", "0.1")


@pytest.fixture
def api_mirror(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "served"
    root.mkdir()
    MirrorHandler.failures = {}
    MirrorHandler.requests = Counter()
    TimedHandler.times = []

    def handler(*args, **kwargs):
        return TimedHandler(*args, directory=str(root), **kwargs)

    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()


def http_settings(url: str, settings: Settings) -> Settings:
    return Settings(url, settings.warehouse, settings.sample_dir, settings.sample_scale)


def client_for(settings: Settings, **kwargs) -> ApiClient:
    return ApiClient(api_pipeline.api_base(SourceLocation.from_settings(settings)), **kwargs)


def fast_client(settings: Settings, **kwargs) -> ApiClient:
    return client_for(settings, max_per_second=10_000, burst=10_000, **kwargs)


def first_neighbourhood(root: Path, force: str) -> str:
    return json.loads((root / "data.police.uk" / "api" / force / "neighbourhoods").read_text())[0]["id"]


def gets(path_part: str) -> dict[str, int]:
    return {p: n for (m, p), n in MirrorHandler.requests.items() if m == "GET" and path_part in p}


def test_a_full_run_over_http_loads_every_table(api_mirror: tuple[str, Path], settings: Settings) -> None:
    url, root = api_mirror
    written = generate_api_mirror(root)
    settings = http_settings(url, settings)
    summary = api_pipeline.run(settings, client=fast_client(settings))
    total = sum(written["neighbourhoods"].values())
    assert (summary.forces, summary.neighbourhoods, summary.fetched) == (43, total, total)
    wh = settings.warehouse
    assert query(wh, f"select count(*), count(distinct force_slug) from {DATASET}.forces") == [(43, 43)]
    assert query(wh, f"select last_updated::varchar from {DATASET}.crime_last_updated") == [("2025-11-01",)]
    dates = query(wh, f"select month, stop_and_search_forces from {DATASET}.street_dates order by month desc")
    assert len(dates) == 36 and dates[0][0] == "2025-09" and "btp" in dates[0][1].split(",")
    per_force = dict(query(wh, f"select force_slug, count(*) from {DATASET}.neighbourhoods group by 1"))
    assert per_force == {f: n for f, n in written["neighbourhoods"].items() if n}
    assert NO_NEIGHBOURHOODS not in per_force
    assert query(wh, f"select count(*), sum(people_count), sum(priorities_count) from "
                 f"{DATASET}.neighbourhood_fetches") == [(total, written["people"], written["priorities"])]
    assert query(wh, f"select count(*) from {DATASET}.neighbourhood_people") == [(written["people"],)]
    with_contact = query(wh, f"select count(distinct force_slug || '/' || neighbourhood_id) from "
                         f"{DATASET}.neighbourhood_people where has_contact_details")
    assert with_contact == [(written["with_contact"],)]
    assert 0.6 < written["with_contact"] / total < 0.95
    # a neighbourhood without a team is a fetch with people_count 0, not an absence
    assert query(wh, f"select count(*) from {DATASET}.neighbourhood_fetches f where people_count = 0 and not exists "
                 f"(select 1 from {DATASET}.neighbourhood_people p where p.force_slug = f.force_slug and "
                 f"p.neighbourhood_id = f.neighbourhood_id)")[0][0] > 0
    span = query(wh, f"select min(issue_date)::date::varchar, max(issue_date)::date::varchar, count(*) "
                 f"from {DATASET}.neighbourhood_priorities")
    assert span[0][0] >= "2024-11-01" and span[0][1] < "2025-11-01" and span[0][2] == written["priorities"]
    types = dict(query(wh, "select table_name || '.' || column_name, data_type from information_schema.columns "
                       f"where table_schema = '{DATASET}'"))
    assert types["neighbourhood_priorities.issue_date"] == "TIMESTAMP WITH TIME ZONE"
    assert types["neighbourhood_people.has_contact_details"] == "BOOLEAN"
    assert types["crime_last_updated.last_updated"] == "DATE"
    assert types["neighbourhood_fetches.people_count"] == "BIGINT"


def test_the_client_keeps_to_the_rate_limit(api_mirror: tuple[str, Path]) -> None:
    url, root = api_mirror
    generate_api_mirror(root, forces=2)
    rate, burst = 20, 5
    client = ApiClient(f"{url}{API}", max_per_second=rate, burst=burst)
    started = time.monotonic()
    for _ in range(45):
        assert client.get_json("crime-last-updated") == {"date": "2025-11-01"}
    elapsed = time.monotonic() - started
    times = TimedHandler.times
    assert len(times) == 45
    assert elapsed >= (45 - burst) / rate  # the burst is immediate, the rest at the rate
    after_burst = times[burst:]
    for i, start in enumerate(after_burst):
        in_window = sum(1 for t in after_burst[i:] if t < start + 1.0)
        assert in_window <= rate, f"{in_window} requests within 1s of request {burst + i}"


def test_a_run_keeps_to_the_leaky_bucket_at_the_default_limit(
    api_mirror: tuple[str, Path], settings: Settings
) -> None:
    url, root = api_mirror
    generate_api_mirror(root, forces=6)
    settings = http_settings(url, settings)
    summary = api_pipeline.run(settings, client=client_for(settings))  # 15 a second, burst 30
    times = TimedHandler.times
    assert summary.requests == len(times) > 45
    for i in range(len(times)):  # any span holds at most burst + rate * its length
        for j in range(i, len(times)):
            assert j - i + 1 <= 30 + 15 * (times[j] - times[i]) + 1


def test_429_and_503_are_retried_and_the_run_completes(api_mirror: tuple[str, Path], settings: Settings) -> None:
    url, root = api_mirror
    written = generate_api_mirror(root, forces=3)
    forces_path, force = f"{API}/forces", next(f for f, n in written["neighbourhoods"].items() if n)
    people = f"{API}/{force}/{first_neighbourhood(root, force)}/people"
    MirrorHandler.failures = {forces_path: [429, 503, 429], people: [503, 503]}
    settings = http_settings(url, settings)
    summary = api_pipeline.run(settings, client=fast_client(settings))
    assert MirrorHandler.failures == {forces_path: [], people: []}
    assert gets(forces_path)[forces_path] == 4 and gets(people)[people] == 3
    assert summary.retries == 5
    total = sum(written["neighbourhoods"].values())
    assert query(settings.warehouse, f"select count(*) from {DATASET}.neighbourhood_fetches") == [(total,)]


def test_an_api_that_stays_down_is_a_clear_error_naming_the_url(api_mirror: tuple[str, Path]) -> None:
    url, root = api_mirror
    generate_api_mirror(root, forces=1)
    MirrorHandler.failures = {f"{API}/forces": [500] * 10}
    client = ApiClient(f"{url}{API}", max_attempts=3)
    with pytest.raises(SourceError, match=rf"GET {url}{API}/forces failed after 3 attempt\(s\) \(last: HTTP 500\)"):
        client.get_json("forces")
    assert client.get_json("no-such-endpoint") is None  # 404: not published


def _people_requests() -> Counter[str]:
    return Counter({p: n for p, n in gets("/people").items()})


def test_a_run_stopped_part_way_resumes_without_refetching(api_mirror: tuple[str, Path], settings: Settings) -> None:
    url, root = api_mirror
    written = generate_api_mirror(root, forces=4)
    total = sum(written["neighbourhoods"].values())
    settings = http_settings(url, settings)
    seen: list[str] = []

    def stop_after_seven(force: str, nbhd: str) -> None:
        seen.append(f"{force}/{nbhd}")
        if len(seen) == 7:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        api_pipeline.run(settings, client=fast_client(settings), batch_size=5, on_neighbourhood=stop_after_seven)
    # the first batch of 5 was committed with its state; the 2 fetched after it were not
    assert query(settings.warehouse, f"select count(*) from {DATASET}.neighbourhood_fetches") == [(5,)]
    first = _people_requests()
    summary = api_pipeline.run(settings, client=fast_client(settings), batch_size=5)
    assert summary.resumed_from == 5 and summary.fetched == total - 5
    both = _people_requests()
    committed = {f"{API}/{n}/people" for n in seen[:5]}
    assert all(both[p] == 1 for p in committed)  # never fetched again
    assert all(both[f"{API}/{n}/people"] == 2 for n in seen[5:])  # fetched, not committed: fetched again
    assert sum(both.values()) == total + 2 and sum(first.values()) == 7
    assert query(settings.warehouse, f"select count(*), sum(people_count) from {DATASET}.neighbourhood_fetches") \
        == [(total, written["people"])]


def test_a_force_failing_part_way_resumes_after_the_api_heals(
    api_mirror: tuple[str, Path], settings: Settings
) -> None:
    url, root = api_mirror
    written = generate_api_mirror(root, forces=4)
    total = sum(written["neighbourhoods"].values())
    last_force = sorted(f for f, n in written["neighbourhoods"].items() if n)[-1]
    broken = f"{API}/{last_force}/{first_neighbourhood(root, last_force)}/priorities"
    MirrorHandler.failures = {broken: [500] * 1000}
    settings = http_settings(url, settings)
    with pytest.raises(SourceError, match=broken):
        api_pipeline.run(settings, client=fast_client(settings, max_attempts=2), batch_size=4)
    done = query(settings.warehouse, f"select count(*) from {DATASET}.neighbourhood_fetches")[0][0]
    assert 0 < done < total and done % 4 == 0
    MirrorHandler.failures = {}  # healed
    before = _people_requests()
    summary = api_pipeline.run(settings, client=fast_client(settings), batch_size=4)
    assert summary.resumed_from == done
    after = _people_requests()
    assert sum(after.values()) - sum(before.values()) == total - done
    assert max(after.values()) <= 2 and sum(1 for n in after.values() if n == 2) <= 4  # only the failed batch
    assert query(settings.warehouse, f"select count(*) from {DATASET}.neighbourhood_fetches") == [(total,)]


def test_an_unchanged_crime_last_updated_fetches_nothing_else(
    api_mirror: tuple[str, Path], settings: Settings
) -> None:
    url, root = api_mirror
    generate_api_mirror(root, forces=3)
    settings = http_settings(url, settings)
    api_pipeline.run(settings, client=fast_client(settings))
    MirrorHandler.requests = Counter()
    summary = api_pipeline.run(settings, client=fast_client(settings))
    assert summary.unchanged
    assert dict(MirrorHandler.requests) == {("GET", f"{API}/crime-last-updated"): 1}
    assert query(settings.warehouse, f"select count(*) from {DATASET}.crime_last_updated") == [(2,)]
    # a new crime-last-updated starts a complete run again
    (root / "data.police.uk" / "api" / "crime-last-updated").write_text('{"date": "2025-12-01"}')
    MirrorHandler.requests = Counter()
    again = api_pipeline.run(settings, client=fast_client(settings))
    assert not again.unchanged and again.fetched == again.neighbourhoods > 0
    assert len(gets("/people")) == again.neighbourhoods


def test_the_cli_loads_a_mirror_directory(tmp_path: Path, settings: Settings) -> None:
    mirror = tmp_path / "mirror"
    generate_api_mirror(mirror, forces=2)
    env = {"PPF_WAREHOUSE": str(settings.warehouse), "PPF_SOURCE": str(mirror)}
    result = run_cli(["-m", "extract", "run", "--only", "police_uk_api"], env)
    assert result.returncode == 0, result.stderr
    assert "police_uk_api: 2 forces" in result.stdout
    again = run_cli(["-m", "extract", "run", "--only", "police_uk_api"], env)
    assert "unchanged since the last complete run" in again.stdout, again.stderr
