"""999 and 101 call answering from the sample files to the measures, checked against the CSV files read
with the csv module: every force and month has a row, and gaps are status rows, never zeros."""

from __future__ import annotations

import csv

import pytest
from conftest import SamplePipeline, query

pytestmark = pytest.mark.slow

GWENT, DEVON_AND_CORNWALL, KENT = "W15000002", "E23000035", "E23000032"


def _published(sample_pipeline: SamplePipeline, month: str, force: str) -> dict[str, str]:
    [path] = sample_pipeline.mirror.rglob(f"999-call-answering-{month}.csv")
    with open(path, newline="", encoding="utf-8") as fh:
        return next(row for row in csv.DictReader(fh) if row["Force"] == force)


def test_every_force_and_month_has_a_row_and_gaps_are_statuses(sample_pipeline: SamplePipeline) -> None:
    warehouse = sample_pipeline.warehouse
    for measure in ("calls_999_answered_within_10_seconds", "calls_999_median_answer_time",
                    "calls_999_and_101_volume", "calls_101_median_answer_time"):
        grid = query(warehouse, f"select count(distinct period_start), count(distinct force_id), count(*) "
                                f"from measures.{measure} group by breakdown_value")
        assert {g[:2] for g in grid} == {(18, 44)}, measure
        assert {g[2] for g in grid} == {18 * 44}, measure
    gaps = dict(query(warehouse, """
        select force_id || ' ' || period_label, status_note from measures.calls_999_answered_within_10_seconds
        where status <> 'ok' and force_id <> 'K04000001'"""))
    assert gaps == {f"{GWENT} Sep 2025": "no row for this force in the month's file",
                    f"{DEVON_AND_CORNWALL} Nov 2024": "not published (not_available)"}
    [(status, note)] = query(warehouse, "select status, status_note from measures.calls_999_answered_within_10_seconds "
                                        "where force_id = 'K04000001' and period_label = 'Sep 2025'")
    assert status == "incomplete" and note.endswith("not included: Gwent")
    # 101 is published by some forces only: the rest are not_available every month, never 0
    forces_with_101 = query(warehouse, """
        select count(distinct force_id) from measures.calls_999_and_101_volume
        where breakdown_value = '101' and status = 'ok' and force_id <> 'K04000001'""")
    assert forces_with_101 == [(25,)]
    assert query(warehouse, "select count(*) from measures.calls_999_and_101_volume where value = 0") == [(0,)]


def test_a_force_month_equals_the_published_file(sample_pipeline: SamplePipeline) -> None:
    row = _published(sample_pipeline, "2025-06", "Kent Police")
    bands = [float(row[c]) for c in ("Calls answered under 10 seconds", "Calls answered 10 to under 60 seconds",
                                     "Calls answered 60 seconds or more")]
    warehouse = sample_pipeline.warehouse
    within = query(warehouse, "select value from measures.calls_999_answered_within_10_seconds "
                              f"where force_id = '{KENT}' and period_label = 'Jun 2025'")
    assert within == [(pytest.approx(100 * bands[0] / sum(bands)),)]
    average = query(warehouse, "select value from measures.calls_999_median_answer_time where breakdown_value = "
                               f"'average' and force_id = '{KENT}' and period_label = 'Jun 2025'")
    assert average == [(float(row["Average answer time (seconds)"]),)]
    volume = query(warehouse, "select value from measures.calls_999_and_101_volume "
                              f"where force_id = '{KENT}' and period_label = 'Jun 2025' and breakdown_value = '999'")
    assert volume == [(float(row["Total calls"]),)]


def test_neighbourhood_measures_count_the_api_sample(sample_pipeline: SamplePipeline) -> None:
    """The NPG community measures recount the sample's neighbourhoods (read from the mirror's JSON files
    with the json module): every force has a row, and Greater Manchester, whose neighbourhoods the API
    does not list, is a gap, not 0%."""
    import json
    from datetime import UTC, datetime

    api = sample_pipeline.mirror / "data.police.uk" / "api"
    [(fetched,)] = query(sample_pipeline.warehouse, "select fetched_at from raw_police_uk_api.neighbourhood_fetches "
                                                    "where force_slug = 'kent' limit 1")
    fetched = fetched.astimezone(UTC).replace(tzinfo=None)
    back = fetched.month - 1 - 3  # three calendar months before the fetch (the day exists in every month here)
    cutoff = fetched.replace(year=fetched.year + back // 12, month=back % 12 + 1, day=min(fetched.day, 28))
    assert fetched.day <= 28
    slug, force_id = "kent", KENT
    neighbourhoods = json.loads((api / slug / "neighbourhoods").read_text())
    named = recent = 0
    for n in neighbourhoods:
        people = json.loads((api / slug / n["id"] / "people").read_text())
        named += any(p.get("name") and any(v for v in (p.get("contact_details") or {}).values()) for p in people)
        dates = [datetime.fromisoformat(d) for pr in json.loads((api / slug / n["id"] / "priorities").read_text())
                 for d in (pr.get("issue-date"), pr.get("action-date")) if d]
        recent += bool(dates) and max(dates) >= cutoff
    rows = dict(query(sample_pipeline.warehouse, f"""
        select 'named', value from measures.neighbourhoods_with_named_contactable_officer where force_id = '{force_id}'
        union all
        select 'recent', value from measures.neighbourhood_priorities_updated_last_3_months
        where force_id = '{force_id}'"""))
    assert rows == {"named": pytest.approx(100 * named / len(neighbourhoods)),
                    "recent": pytest.approx(100 * recent / len(neighbourhoods))}
    for measure in ("neighbourhoods_with_named_contactable_officer", "neighbourhood_priorities_updated_last_3_months"):
        gaps = query(sample_pipeline.warehouse, "select count(distinct force_id), count(*) filter (where status <> "
                                                f"'ok' and force_id <> 'K04000001') from measures.{measure}")
        assert gaps == [(44, 1)]
        assert query(sample_pipeline.warehouse, f"select status from measures.{measure} "
                                                "where force_id = 'E23000005'") == [("not_available",)]


def test_asb_beyond_the_archive_comes_from_the_api_sample(sample_pipeline: SamplePipeline) -> None:
    """The sample archive ends in December 2025 and the API serves January to March 2026: Kent's 2025-26 Q4
    ASB count equals the incidents of the mirror's recorded API answers that lie inside Kent's neighbourhood
    boundaries (read with the json module) and are located by the force, not British Transport Police."""
    import json

    api = sample_pipeline.mirror / "data.police.uk" / "api"
    corners = [(float(p["latitude"]), float(p["longitude"]))
               for n in json.loads((api / "kent" / "neighbourhoods").read_text())
               for p in json.loads((api / "kent" / n["id"] / "boundary").read_text())]
    south, north = min(c[0] for c in corners), max(c[0] for c in corners)
    west, east = min(c[1] for c in corners), max(c[1] for c in corners)
    incidents = {c["id"]: c for f in (api / "crimes-street").glob("anti-social-behaviour@*")
                 for c in json.loads(f.read_text())}
    in_kent = [c for c in incidents.values() if south < float(c["location"]["latitude"]) < north
               and west < float(c["location"]["longitude"]) < east and c["month"] in ("2026-01", "2026-02", "2026-03")]
    by_force = [c for c in in_kent if c["location_type"] == "Force"]
    assert 0 < len(by_force) < len(in_kent)  # the sample has BTP-located incidents in Kent to leave out
    rows = query(sample_pipeline.warehouse, "select unit, value, status, source_release from "
                 f"measures.police_recorded_asb_incidents where force_id = '{KENT}' and period_label = '2025-26 Q4'")
    assert {r[0]: r[1:3] for r in rows}["count"] == (len(by_force), "ok")
    assert all(r[3].startswith("data.police.uk API, crime-last-updated 2026-04-01") for r in rows)
    # the quarter before is the archive's
    [(release,)] = query(sample_pipeline.warehouse, "select source_release from measures.police_recorded_asb_incidents "
                         f"where force_id = '{KENT}' and period_label = '2025-26 Q3' and unit = 'count'")
    assert release == "data.police.uk archive 2025-12"
