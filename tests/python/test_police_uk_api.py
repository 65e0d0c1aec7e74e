"""The data.police.uk API loader against a fixture mirror served over HTTP on 127.0.0.1: every table,
the client-side rate limit, retries, resuming an interrupted run, and a run with nothing new."""

from __future__ import annotations

import json
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from conftest import MirrorHandler, query, run_cli

from extract.config import Settings
from extract.location import SourceError, SourceLocation
from extract.police_uk import api_pipeline
from extract.police_uk.api import MAX_GET_URL, ApiClient, AreaQuery, TooManyResults, split_polygon
from extract.police_uk.api_sample import ASB_MONTHS, LAST_UPDATED, NO_NEIGHBOURHOODS, generate_api_mirror

API = "/data.police.uk/api"
DATASET = api_pipeline.DATASET_NAME


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUNTIME__REQUEST_BACKOFF_FACTOR", "0.01")
    monkeypatch.setenv("RUNTIME__REQUEST_MAX_RETRY_DELAY", "0.1")


def http_settings(url: str, settings: Settings) -> Settings:
    return Settings(url, settings.warehouse, settings.sample_dir, settings.sample_scale)


def client_for(settings: Settings, **kwargs) -> ApiClient:
    return ApiClient(api_pipeline.api_base(SourceLocation.from_settings(settings)), **kwargs)


def fast_client(settings: Settings, **kwargs) -> ApiClient:
    return client_for(settings, max_per_second=100_000, **kwargs)


def first_neighbourhood(root: Path, force: str) -> str:
    return json.loads((root / "data.police.uk" / "api" / force / "neighbourhoods").read_text())[0]["id"]


def gets(path_part: str) -> dict[str, int]:
    return {p: n for (m, p), n in MirrorHandler.requests.items() if m == "GET" and path_part in p}


def test_a_full_run_over_http_loads_every_table(
    http_mirror: tuple[str, Path], settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PPF_API_ASB_MONTHS", "1")  # ASB has tests of its own; one month keeps this one quick
    url, root = http_mirror
    written = generate_api_mirror(root)
    settings = http_settings(url, settings)
    summary = api_pipeline.run(settings, client=fast_client(settings))
    total = sum(written["neighbourhoods"].values())
    assert (summary.forces, summary.neighbourhoods, summary.fetched) == (43, total, total)
    wh = settings.warehouse
    assert query(wh, f"select count(*), count(distinct force_slug) from {DATASET}.forces") == [(43, 43)]
    assert query(wh, f"select last_updated::varchar from {DATASET}.crime_last_updated") == [(LAST_UPDATED.isoformat(),)]
    dates = query(wh, f"select month, stop_and_search_forces from {DATASET}.street_dates order by month desc")
    assert len(dates) == 36 and dates[0][0] == ASB_MONTHS[-1] and "btp" in dates[0][1].split(",")
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
    today = date.today()
    assert span[0][0] >= (today - timedelta(days=300)).isoformat() and span[0][1] < today.isoformat()
    assert span[0][2] == written["priorities"]
    types = dict(query(wh, "select table_name || '.' || column_name, data_type from information_schema.columns "
                       f"where table_schema = '{DATASET}'"))
    assert types["neighbourhood_priorities.issue_date"] == "TIMESTAMP WITH TIME ZONE"
    assert types["neighbourhood_people.has_contact_details"] == "BOOLEAN"
    assert types["crime_last_updated.last_updated"] == "DATE"
    assert types["neighbourhood_fetches.people_count"] == "BIGINT"


def _most_in_any_second(times: list[float]) -> int:
    return max(sum(1 for t in times[i:] if t < start + 1.0) for i, start in enumerate(times))


def test_the_client_keeps_to_the_rate_limit(http_mirror: tuple[str, Path]) -> None:
    url, root = http_mirror
    generate_api_mirror(root, forces=2)
    client = ApiClient(f"{url}{API}", max_per_second=20)
    started = time.monotonic()
    for _ in range(45):
        assert client.get_json("crime-last-updated") == {"date": LAST_UPDATED.isoformat()}
    elapsed = time.monotonic() - started
    assert len(MirrorHandler.times) == 45
    assert elapsed >= 2.0  # 45 requests at 20 a second: two full windows waited for
    assert _most_in_any_second(MirrorHandler.times) <= 20


def test_a_whole_run_never_sends_more_than_15_requests_in_any_second(
    http_mirror: tuple[str, Path], settings: Settings
) -> None:
    url, root = http_mirror
    generate_api_mirror(root, forces=3)
    settings = http_settings(url, settings)
    summary = api_pipeline.run(settings, client=client_for(settings))  # the default: the published 15 a second
    times = MirrorHandler.times
    assert summary.requests == len(times) >= 60
    assert _most_in_any_second(times) <= 15
    assert summary.asb_force_months == 2 * len(ASB_MONTHS)  # Greater Manchester has no neighbourhood areas


def test_429_and_503_are_retried_and_the_run_completes(http_mirror: tuple[str, Path], settings: Settings) -> None:
    url, root = http_mirror
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


def test_an_api_that_stays_down_is_a_clear_error_naming_the_url(http_mirror: tuple[str, Path]) -> None:
    url, root = http_mirror
    generate_api_mirror(root, forces=1)
    MirrorHandler.failures = {f"{API}/forces": [500] * 10}
    client = ApiClient(f"{url}{API}", max_attempts=3)
    with pytest.raises(SourceError, match=rf"GET {url}{API}/forces failed after 3 attempt\(s\) \(last: HTTP 500\)"):
        client.get_json("forces")
    assert client.get_json("no-such-endpoint") is None  # 404: not published


def _people_requests() -> Counter[str]:
    return Counter({p: n for p, n in gets("/people").items()})


def test_a_run_stopped_part_way_resumes_without_refetching(http_mirror: tuple[str, Path], settings: Settings) -> None:
    url, root = http_mirror
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
    http_mirror: tuple[str, Path], settings: Settings
) -> None:
    url, root = http_mirror
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
    http_mirror: tuple[str, Path], settings: Settings
) -> None:
    url, root = http_mirror
    generate_api_mirror(root, forces=3)
    settings = http_settings(url, settings)
    api_pipeline.run(settings, client=fast_client(settings))
    MirrorHandler.requests = Counter()
    summary = api_pipeline.run(settings, client=fast_client(settings))
    assert summary.unchanged
    assert dict(MirrorHandler.requests) == {("GET", f"{API}/crime-last-updated"): 1}
    assert query(settings.warehouse, f"select count(*) from {DATASET}.crime_last_updated") == [(2,)]
    # a new crime-last-updated starts a complete run again
    (root / "data.police.uk" / "api" / "crime-last-updated").write_text('{"date": "2026-05-01"}')
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


def _asb_requests() -> int:
    return sum(n for (_, p), n in MirrorHandler.requests.items() if "/crimes-street/" in p)


def test_asb_beyond_the_archive_is_counted_by_neighbourhood_area_splitting_areas_on_503(
    http_mirror: tuple[str, Path], settings: Settings
) -> None:
    url, root = http_mirror
    written = generate_api_mirror(root, forces=4)
    MirrorHandler.area_limit = 8  # the real API's 10,000, scaled to the sample: dense areas answer 503
    settings = http_settings(url, settings)
    summary = api_pipeline.run(settings, client=fast_client(settings))
    forces = sorted(f for f, n in written["neighbourhoods"].items() if n)
    assert summary.asb_months == list(ASB_MONTHS)  # no archive loaded: the newest three months
    assert summary.asb_force_months == len(forces) * len(ASB_MONTHS) and summary.asb_splits > 0
    own = dict(((f, m), n) for f, m, n in query(settings.warehouse, f"""
        select force_slug, month, count(*) filter (where location_type = 'Force') from {DATASET}.asb_incidents
        group by all"""))
    expected = {key: n for key, n in written["asb"].items() if key[0] in forces}
    assert {key: own.get(key, 0) for key in expected} == expected
    assert query(settings.warehouse, f"select count(*) - count(distinct (force_slug, month, crime_id)), "
                 f"count(*) filter (where location_type = 'BTP') from {DATASET}.asb_incidents")[0][0] == 0
    fetches = query(settings.warehouse, f"select count(*), sum(area_splits), sum(area_requests), "
                    f"sum(neighbourhoods), sum(neighbourhoods_without_boundary) from {DATASET}.asb_fetches")
    [(rows, splits, requests, areas, without)] = fetches
    assert (rows, splits, without) == (len(forces) * len(ASB_MONTHS), summary.asb_splits, 0)
    assert requests == _asb_requests() == areas + 2 * splits  # each split asks for both halves


def test_asb_is_fetched_only_for_months_later_than_the_loaded_archive(
    http_mirror: tuple[str, Path], settings: Settings
) -> None:
    url, root = http_mirror
    generate_api_mirror(root, forces=2)
    settings.warehouse.parent.mkdir(parents=True)
    with duckdb.connect(str(settings.warehouse)) as con:  # an archive whose newest month is the API's first new one
        con.execute("create schema raw_police_uk; create table raw_police_uk.published_files as "
                    f"select 'street' as dataset, 'kent' as force_slug, '{ASB_MONTHS[0]}' as file_month")
    settings = http_settings(url, settings)
    summary = api_pipeline.run(settings, client=fast_client(settings))
    assert summary.asb_months == list(ASB_MONTHS[1:])
    assert query(settings.warehouse, f"select distinct month from {DATASET}.asb_fetches order by 1") == [
        (m,) for m in ASB_MONTHS[1:]]


def test_a_run_stopped_in_the_asb_step_resumes_with_the_next_force_month(
    http_mirror: tuple[str, Path], settings: Settings
) -> None:
    url, root = http_mirror
    generate_api_mirror(root, forces=3)
    settings = http_settings(url, settings)
    done: list[tuple[str, str]] = []

    def stop_after_two(force: str, month: str) -> None:
        done.append((force, month))
        if len(done) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        api_pipeline.run(settings, client=fast_client(settings), batch_size=1, on_asb=stop_after_two)
    first = _asb_requests()  # the two force-months were loaded one by one (batch_size 1): both committed
    MirrorHandler.requests = Counter()
    summary = api_pipeline.run(settings, client=fast_client(settings))
    assert summary.resumed_from == summary.neighbourhoods and summary.fetched == 0  # teams were all done
    assert summary.asb_force_months == 2 * len(ASB_MONTHS) - 2
    assert not gets("/people") and _asb_requests() + first == query(
        settings.warehouse, f"select sum(area_requests) from {DATASET}.asb_fetches")[0][0]
    assert query(settings.warehouse, f"select count(*) from {DATASET}.asb_fetches") == [(2 * len(ASB_MONTHS),)]
    again = api_pipeline.run(settings, client=fast_client(settings))
    assert again.unchanged


def test_a_long_boundary_is_posted_and_an_area_that_never_gets_small_enough_is_an_error(
    http_mirror: tuple[str, Path]
) -> None:
    url, root = http_mirror
    written = generate_api_mirror(root, forces=2)
    api = root / "data.police.uk" / "api"
    recorded = [c for f in (api / "crimes-street").glob("anti-social-behaviour@*")
                for c in json.loads(f.read_text()) if c["month"] == ASB_MONTHS[0]]
    for force in (f for f, n in written["neighbourhoods"].items() if n):  # a neighbourhood with ASB that month
        for nbhd in (n["id"] for n in json.loads((api / force / "neighbourhoods").read_text())):
            corners = [(float(p["latitude"]), float(p["longitude"]))
                       for p in json.loads((api / force / nbhd / "boundary").read_text())]
            inside = [c for c in recorded if corners[0][0] < float(c["location"]["latitude"]) < corners[6][0]
                      and corners[0][1] < float(c["location"]["longitude"]) < corners[6][1]]
            if inside:
                break
        if inside:
            break
    dense = [(a[0] + (b[0] - a[0]) * k / 100, a[1] + (b[1] - a[1]) * k / 100)  # the same outline, 100x the points
             for a, b in zip(corners, corners[1:] + corners[:1], strict=True) for k in range(100)]
    client = ApiClient(f"{url}{API}", max_per_second=100_000)
    found = AreaQuery(client, "anti-social-behaviour", ASB_MONTHS[0]).crimes(dense)
    assert len(client.url("crimes-street/x")) + 26 * len(dense) > MAX_GET_URL
    assert MirrorHandler.requests[("POST", f"{API}/crimes-street/anti-social-behaviour")] == 1
    assert inside and sorted(c["id"] for c in found) == sorted(c["id"] for c in inside)
    MirrorHandler.area_limit = 0  # every area with a crime in it answers 503
    with pytest.raises(TooManyResults, match="503"):
        AreaQuery(client, "anti-social-behaviour", ASB_MONTHS[0]).crimes(corners)


def _area(points: list[tuple[float, float]]) -> float:
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(points, points[1:] + points[:1], strict=True))) / 2


def test_split_polygon_halves_cover_the_polygon_exactly() -> None:
    u_shape = [(0.0, 0.0), (0.0, 3.0), (2.0, 3.0), (2.0, 2.0), (1.0, 2.0), (1.0, 1.0), (2.0, 1.0), (2.0, 0.0)]
    halves = split_polygon(u_shape)  # wider (3) than tall (2): cut at longitude 1.5, through the U's gap
    assert len(halves) == 2
    assert [_area(h) for h in halves] == pytest.approx([2.5, 2.5])
    assert sum(_area(h) for h in halves) == pytest.approx(_area(u_shape)) == 5.0
    assert max(p[1] for p in halves[0]) == 1.5 and min(p[1] for p in halves[1]) == 1.5


def test_neighbourhoods_the_api_no_longer_lists_are_removed(http_mirror: tuple[str, Path], settings: Settings) -> None:
    url, root = http_mirror
    written = generate_api_mirror(root, forces=2)
    force = next(f for f, n in written["neighbourhoods"].items() if n)
    listing = root / "data.police.uk" / "api" / force / "neighbourhoods"
    settings = http_settings(url, settings)
    api_pipeline.run(settings, client=fast_client(settings))
    listed = json.loads(listing.read_text())
    listing.write_text(json.dumps(listed[1:]))
    (root / "data.police.uk" / "api" / "crime-last-updated").write_text('{"date": "2026-05-01"}')
    api_pipeline.run(settings, client=fast_client(settings))
    ids = [i for (i,) in query(settings.warehouse, f"select neighbourhood_id from {DATASET}.neighbourhoods "
                                                   f"where force_slug = '{force}' order by 1")]
    assert ids == sorted(n["id"] for n in listed[1:])
