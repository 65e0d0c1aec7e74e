"""Load forces, availability and neighbourhoods (teams and priorities) from the data.police.uk API into
`raw_police_uk_api`.

The plan of a run:
1. GET crime-last-updated. If it equals the date of the last complete run (kept in dlt state) and no run is
   part-way, only that observation is loaded: nothing else is fetched.
2. Otherwise GET forces, crimes-street-dates and each force's neighbourhoods (a 404 = a force with no
   neighbourhood data), loaded at once.
3. Then each neighbourhood's people and priorities, loaded in batches of BATCH_SIZE neighbourhoods; the set
   of neighbourhoods done is written to dlt state in the same load as their rows, so a run stopped part-way
   (Ctrl-C, killed, an API that stays down) resumes on the next run without refetching them.
4. Then ASB incidents for the months the API serves beyond the loaded archive (`asb_months`), force by force:
   each neighbourhood's boundary is an area for `crimes-street/anti-social-behaviour` (split while the API
   answers 503, more than 10,000 crimes); each force-month is one load, with its state, so it resumes too.
5. A last load marks the run complete.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from extract.config import Settings
from extract.location import SourceLocation
from extract.police_uk.api import (
    HOST,
    TABLES,
    ApiClient,
    AreaQuery,
    Point,
    asb_rows,
    boundary_points,
    force_rows,
    log,
    neighbourhood_rows,
    parse_last_updated,
    people_rows,
    police_uk_api,
    priority_rows,
    stored_state,
    street_date_rows,
)
from extract.progress import Progress
from extract.warehouse import make_pipeline, query_if_exists

PIPELINE_NAME = "police_uk_api"
DATASET_NAME = "raw_police_uk_api"
# For a mirror directory: the file <mirror>/data.police.uk/api/forces (extract.cli skips the source without it).
ENTRY_POINT = (HOST, "api/forces")
BATCH_SIZE = 50
DEFAULT_ASB_MONTHS = 3


@dataclass
class LoadSummary:
    last_updated: str = ""
    unchanged: bool = False
    resumed_from: int = 0
    forces: int = 0
    neighbourhoods: int = 0
    fetched: int = 0
    asb_months: list[str] = field(default_factory=list)
    asb_force_months: int = 0
    asb_splits: int = 0
    requests: int = 0
    retries: int = 0
    seconds: float = 0.0

    def line(self, warehouse: Path) -> str:
        if self.unchanged:
            return (f"police_uk_api: crime-last-updated {self.last_updated} unchanged since the last complete run; "
                    f"nothing else fetched ({self.seconds:.1f}s) -> {warehouse}")
        resumed = f", resumed after {self.resumed_from:,} already done" if self.resumed_from else ""
        asb = (f"ASB of {self.asb_force_months} force-months in {', '.join(self.asb_months)} "
               f"({self.asb_splits} areas split); " if self.asb_months else "no ASB month beyond the archive; ")
        requests = f"{self.requests:,} requests, {self.retries} retried, " if self.requests else "read from files "
        return (f"police_uk_api: {self.forces} forces, {self.neighbourhoods:,} neighbourhoods "
                f"({self.fetched:,} teams and priorities fetched{resumed}); {asb}"
                f"crime-last-updated {self.last_updated}; "
                f"{requests}in {self.seconds:.1f}s -> {warehouse}")


def api_base(location: SourceLocation) -> str:
    """The API root: https://data.police.uk/api, <http mirror>/data.police.uk/api or <dir>/data.police.uk/api."""
    return location.url(HOST, "api").rstrip("/")


def run(settings: Settings, client: ApiClient | None = None, batch_size: int = BATCH_SIZE,
        on_neighbourhood: Callable[[str, str], None] | None = None,
        on_asb: Callable[[str, str], None] | None = None) -> LoadSummary:
    """Load from PPF_SOURCE (live, sample, a mirror directory or an HTTP mirror).

    `on_neighbourhood(force, id)` is called after each neighbourhood is fetched and `on_asb(force, month)`
    after each ASB force-month is loaded (tests interrupt runs with them).
    """
    started = time.monotonic()
    location = SourceLocation.from_settings(settings)
    if settings.source == "sample":
        ensure_sample(settings)
    client = client or ApiClient(api_base(location))
    pipeline = make_pipeline(settings, PIPELINE_NAME, DATASET_NAME)
    state = stored_state(pipeline)
    summary = LoadSummary()

    def finish() -> LoadSummary:
        summary.requests, summary.retries = client.requests_made, client.retries
        summary.seconds = time.monotonic() - started
        return summary

    def load(tables: dict[str, list[dict[str, Any]]], update: dict[str, Any]) -> None:
        pipeline.run(police_uk_api(tables, update)).raise_on_failed_jobs()

    fetched_at = datetime.now(UTC)
    last_updated = parse_last_updated(client.get_json("crime-last-updated"), client.url("crime-last-updated"))
    summary.last_updated = last_updated.isoformat()
    observed = [{"last_updated": last_updated, "fetched_at": fetched_at}]
    in_progress = state.get("run_last_updated")
    if state.get("last_complete") == summary.last_updated and not in_progress:
        print(f"[police_uk_api] crime-last-updated is {last_updated} as at the last complete run: nothing else "
              "to fetch", file=sys.stderr)
        load({"crime_last_updated": observed}, {})
        summary.unchanged = True
        return finish()

    resuming = in_progress == summary.last_updated
    done: set[str] = set(state.get("done") or []) if resuming else set()
    asb_done: set[str] = set(state.get("asb_done") or []) if resuming else set()
    if in_progress and in_progress != summary.last_updated:
        print(f"[police_uk_api] a run for {in_progress} stopped part-way; the API now says {last_updated}: "
              "starting again", file=sys.stderr)
    forces = force_rows(client.get_json("forces"), fetched_at)
    street_dates = street_date_rows(client.get_json("crimes-street-dates"), fetched_at)
    neighbourhoods: list[dict[str, Any]] = []
    without = []
    for force in forces:
        listed = client.get_json(f"{force['force_slug']}/neighbourhoods")
        if listed is None:
            without.append(force["force_slug"])
        neighbourhoods.extend(neighbourhood_rows(force["force_slug"], listed, fetched_at))
    if without:
        print(f"[police_uk_api] no neighbourhood data published for: {', '.join(without)}", file=sys.stderr)
    summary.forces, summary.neighbourhoods = len(forces), len(neighbourhoods)
    run_state = {"run_last_updated": summary.last_updated, "done": sorted(done), "asb_done": sorted(asb_done)}
    load({"crime_last_updated": observed, "forces": forces, "street_dates": street_dates,
          "neighbourhoods": neighbourhoods}, run_state)

    keys = [(n["force_slug"], n["neighbourhood_id"]) for n in neighbourhoods]
    todo = [k for k in keys if f"{k[0]}/{k[1]}" not in done]
    summary.resumed_from = len(keys) - len(todo)
    if summary.resumed_from:
        print(f"[police_uk_api] resuming the run for {last_updated}: {summary.resumed_from:,} of {len(keys):,} "
              "neighbourhoods already fetched", file=sys.stderr)
    progress = Progress("police_uk_api neighbourhoods", total=len(keys))
    progress.done = summary.resumed_from
    batches = [todo[i:i + batch_size] for i in range(0, len(todo), batch_size)]
    for batch in batches:
        tables: dict[str, list[dict[str, Any]]] = {
            "neighbourhood_people": [], "neighbourhood_priorities": [], "neighbourhood_fetches": []}
        for force, nbhd in batch:
            now = datetime.now(UTC)
            people = people_rows(force, nbhd, client.get_json(f"{force}/{nbhd}/people"), now)
            priorities = priority_rows(force, nbhd, client.get_json(f"{force}/{nbhd}/priorities"), now)
            tables["neighbourhood_people"] += people
            tables["neighbourhood_priorities"] += priorities
            tables["neighbourhood_fetches"].append({
                "force_slug": force, "neighbourhood_id": nbhd, "people_count": len(people),
                "priorities_count": len(priorities), "fetched_at": now})
            progress.advance(detail=f"{force}/{nbhd}")
            if on_neighbourhood:
                on_neighbourhood(force, nbhd)
        done.update(f"{f}/{n}" for f, n in batch)
        load(tables, {"run_last_updated": summary.last_updated, "done": sorted(done), "asb_done": sorted(asb_done)})
        summary.fetched += len(batch)
    progress.finish()

    # ASB for the months the API serves beyond the loaded archive, loaded about every BATCH_SIZE areas
    months = asb_months(settings, [d["month"] for d in street_dates])
    by_force: dict[str, list[str]] = {}
    for force, nbhd in keys:
        by_force.setdefault(force, []).append(nbhd)
    wanted = [(force, month) for force in sorted(by_force) for month in months if f"{force}/{month}" not in asb_done]
    summary.asb_months = months
    if months:
        log(f"ASB for {', '.join(months)} (months the API serves beyond the loaded archive): "
            f"{len(wanted)} force-months to fetch over {sum(len(by_force[f]) for f, _ in wanted):,} neighbourhood "
            "areas")
    asb_progress = Progress("police_uk_api ASB force-months", total=len(by_force) * len(months))
    asb_progress.done = len(by_force) * len(months) - len(wanted)
    boundaries: dict[tuple[str, str], list[Point]] = {}
    pending: dict[str, list[dict[str, Any]]] = {"asb_incidents": [], "asb_fetches": []}
    pending_areas = 0
    for force, month in wanted:
        now = datetime.now(UTC)
        area = AreaQuery(client, "anti-social-behaviour", month)
        incidents: dict[int, dict[str, Any]] = {}
        without_boundary = 0
        for nbhd in by_force[force]:
            if (force, nbhd) not in boundaries:
                boundaries[(force, nbhd)] = boundary_points(client.get_json(f"{force}/{nbhd}/boundary"))
            points = boundaries[(force, nbhd)]
            if len(points) < 3:
                without_boundary += 1
                continue
            for row in asb_rows(force, month, nbhd, area.crimes(points), last_updated, now):
                incidents.setdefault(row["crime_id"], row)  # a point on a shared edge is in both areas
        pending["asb_incidents"] += incidents.values()
        pending["asb_fetches"].append({
            "force_slug": force, "month": month, "neighbourhoods": len(by_force[force]),
            "neighbourhoods_without_boundary": without_boundary, "incidents": len(incidents),
            "area_requests": area.requests, "area_splits": area.splits, "last_updated": last_updated,
            "fetched_at": now})
        pending_areas += len(by_force[force])
        summary.asb_force_months += 1
        summary.asb_splits += area.splits
        asb_progress.advance(detail=f"{force} {month}: {len(incidents):,} incidents")
        if pending_areas >= batch_size:
            asb_done.update(f"{f['force_slug']}/{f['month']}" for f in pending["asb_fetches"])
            load(pending, {"run_last_updated": summary.last_updated, "done": sorted(done),
                           "asb_done": sorted(asb_done)})
            pending, pending_areas = {"asb_incidents": [], "asb_fetches": []}, 0
        if on_asb:
            on_asb(force, month)
    asb_progress.finish()
    # the last load marks the run complete: the next run with the same crime-last-updated fetches nothing
    load(pending, {"run_last_updated": None, "done": [], "asb_done": [], "last_complete": summary.last_updated})
    return finish()


def asb_months(settings: Settings, api_months: list[str]) -> list[str]:
    """The newest PPF_API_ASB_MONTHS (default 3) months the API serves that are later than every month of the
    loaded police.uk archive: there the API adds to the archive. Months inside the archive's span are left to
    the archive, whose missing files are gaps, not something the API fills."""
    text = os.environ.get("PPF_API_ASB_MONTHS") or str(DEFAULT_ASB_MONTHS)
    try:
        newest = int(text)
    except ValueError as exc:
        raise SystemExit(f"PPF_API_ASB_MONTHS must be a whole number, got {text!r}") from exc
    archived = query_if_exists(settings.warehouse, "raw_police_uk", "published_files",
                               "select max(file_month) from raw_police_uk.published_files where dataset = 'street'")
    latest_archived = archived[0][0] if archived and archived[0][0] else ""
    later = sorted((m for m in set(api_months) if m > latest_archived), reverse=True)
    return sorted(later[:max(newest, 0)])


def ensure_tables(settings: Settings) -> None:
    """Create the raw tables, empty, if they do not exist (a mirror without the API)."""
    if query_if_exists(settings.warehouse, DATASET_NAME, "neighbourhood_fetches", "select 1"):
        return
    pipeline = make_pipeline(settings, PIPELINE_NAME, DATASET_NAME)
    pipeline.run(police_uk_api({name: [] for name in TABLES})).raise_on_failed_jobs()


def ensure_sample(settings: Settings) -> None:
    """Generate the API part of the sample mirror on first use (deterministic)."""
    if Path(settings.sample_dir, *ENTRY_POINT).is_file():
        return
    from extract.police_uk.api_sample import generate_api_mirror

    print(f"[police_uk_api] generating the sample mirror in {settings.sample_dir}", file=sys.stderr)
    generate_api_mirror(settings.sample_dir)


__all__ = ["BATCH_SIZE", "DATASET_NAME", "ENTRY_POINT", "PIPELINE_NAME", "LoadSummary", "ensure_sample",
           "ensure_tables", "run"]
