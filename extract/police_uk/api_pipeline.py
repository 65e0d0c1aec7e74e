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
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from extract.config import Settings
from extract.location import SourceLocation
from extract.police_uk.api import (
    HOST,
    TABLES,
    ApiClient,
    force_rows,
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


@dataclass
class LoadSummary:
    last_updated: str = ""
    unchanged: bool = False
    resumed_from: int = 0
    forces: int = 0
    neighbourhoods: int = 0
    fetched: int = 0
    requests: int = 0
    retries: int = 0
    seconds: float = 0.0

    def line(self, warehouse: Path) -> str:
        if self.unchanged:
            return (f"police_uk_api: crime-last-updated {self.last_updated} unchanged since the last complete run; "
                    f"nothing else fetched ({self.seconds:.1f}s) -> {warehouse}")
        resumed = f", resumed after {self.resumed_from:,} already done" if self.resumed_from else ""
        return (f"police_uk_api: {self.forces} forces, {self.neighbourhoods:,} neighbourhoods "
                f"({self.fetched:,} teams and priorities fetched{resumed}); crime-last-updated {self.last_updated}; "
                f"{self.requests:,} requests, {self.retries} retried, in {self.seconds:.1f}s -> {warehouse}")


def api_base(location: SourceLocation) -> str:
    """The API root: https://data.police.uk/api, <http mirror>/data.police.uk/api or <dir>/data.police.uk/api."""
    return location.url(HOST, "api").rstrip("/")


def run(settings: Settings, client: ApiClient | None = None, batch_size: int = BATCH_SIZE,
        on_neighbourhood: Callable[[str, str], None] | None = None) -> LoadSummary:
    """Load from PPF_SOURCE (live, sample, a mirror directory or an HTTP mirror).

    `on_neighbourhood(force, id)` is called after each neighbourhood is fetched (tests interrupt runs with it).
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

    done: set[str] = set(state.get("done") or []) if in_progress == summary.last_updated else set()
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
    run_state = {"run_last_updated": summary.last_updated, "done": sorted(done)}
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
    batches = [todo[i:i + batch_size] for i in range(0, len(todo), batch_size)] or [[]]
    for number, batch in enumerate(batches, start=1):
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
        if number == len(batches):
            update = {"run_last_updated": None, "done": [], "last_complete": summary.last_updated}
        else:
            update = {"run_last_updated": summary.last_updated, "done": sorted(done)}
        load(tables, update)
        summary.fetched += len(batch)
    progress.finish()
    return finish()


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
