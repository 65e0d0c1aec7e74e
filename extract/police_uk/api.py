"""The data.police.uk JSON API: a rate-limited, retrying client and the dlt source `police_uk_api`.

The API allows 15 requests per second with a burst of 30 ("leaky bucket"; more answers HTTP 429), see
../shared/reference/sources.md section 1. The client keeps under that limit itself with a token bucket, so
429s should not happen; when they do (or a 5xx), the request is retried with exponential back-off, honouring
Retry-After. A 404 means "not published" and is returned as None.

Every request (first attempt or retry) takes a token, so retries count against the limit too.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import dlt
import pyarrow as pa

from extract.location import SourceError
from extract.warehouse import arrow_schema

HOST = "data.police.uk"
SOURCE_NAME = "police_uk_api"
RATE_HEADROOM = 0.95


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    try:
        return float(value) if value else default
    except ValueError:
        return default


class TokenBucket:
    """`rate` tokens a second, at most `burst` saved up; acquire() waits for a token (not thread-safe)."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.rate = float(rate)
        self.burst = float(burst)
        self.tokens = float(burst)
        self._clock = clock
        self._sleep = sleep
        self._last = clock()

    def _refill(self) -> None:
        now = self._clock()
        self.tokens = min(self.burst, self.tokens + (now - self._last) * self.rate)
        self._last = now

    def acquire(self) -> float:
        """Take one token, sleeping until there is one; returns the seconds waited."""
        self._refill()
        waited = 0.0
        while self.tokens < 1.0:
            wait = (1.0 - self.tokens) / self.rate
            self._sleep(wait)
            waited += wait
            self._refill()
        self.tokens -= 1.0
        return waited


class ApiClient:
    """GET JSON from the API at `base_url` (e.g. https://data.police.uk/api, or an HTTP mirror's
    <base>/data.police.uk/api), or read it from a mirror directory (<mirror>/data.police.uk/api)."""

    def __init__(self, base_url: str, max_per_second: float = 15, burst: int = 30, *,
                 max_attempts: int | None = None, backoff_factor: float | None = None,
                 max_retry_delay: float | None = None, timeout: float = 60) -> None:
        self.base_url = str(base_url).rstrip("/")
        self.is_http = self.base_url.startswith(("http://", "https://"))
        # 5% headroom: network jitter can bunch requests up on their way, and the server counts arrivals.
        self.bucket = TokenBucket(max_per_second * RATE_HEADROOM, burst)
        # Defaults follow dlt's RUNTIME__REQUEST_* settings, so tests can make back-off fast the usual way.
        self.max_attempts = max_attempts or int(_env_float("RUNTIME__REQUEST_MAX_ATTEMPTS", 5))
        self.backoff_factor = (backoff_factor if backoff_factor is not None
                               else _env_float("RUNTIME__REQUEST_BACKOFF_FACTOR", 1.0))
        self.max_retry_delay = (max_retry_delay if max_retry_delay is not None
                                else _env_float("RUNTIME__REQUEST_MAX_RETRY_DELAY", 60.0))
        self.timeout = timeout
        self.requests_made = 0
        self.retries = 0
        self._session: Any = None

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def _http(self) -> Any:
        if self._session is None:
            from dlt.sources.helpers.requests import Client

            # dlt's client, with its own retries off: every attempt must pass the token bucket, so the
            # retry loop is ours. 404 is an answer, not an error.
            self._session = Client(raise_for_status=False, request_max_attempts=1, request_timeout=self.timeout)
        return self._session

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        if retry_after:
            try:
                return min(max(float(retry_after), 0.0), self.max_retry_delay)
            except ValueError:
                pass  # an HTTP-date: fall back to exponential back-off
        return min(self.backoff_factor * (2 ** (attempt - 1)), self.max_retry_delay)

    def get_json(self, path: str) -> Any | None:
        """The decoded JSON at `path` (relative to the API root); None when it is not published (404)."""
        url = self.url(path)
        if not self.is_http:
            file = Path(url)
            if not file.is_file():
                return None
            return _decode(url, file.read_bytes())
        import requests

        last = ""
        for attempt in range(1, self.max_attempts + 1):
            self.bucket.acquire()
            self.requests_made += 1
            retry_after = None
            try:
                response = self._http().get(url, timeout=self.timeout)
            except (requests.ConnectionError, requests.Timeout) as exc:
                last = type(exc).__name__
            else:
                status = response.status_code
                if status == 404:
                    return None
                if status < 400:
                    return _decode(url, response.content)
                if status != 429 and status < 500:
                    raise SourceError(f"GET {url} answered HTTP {status}")
                last = f"HTTP {status}"
                retry_after = response.headers.get("Retry-After")
            if attempt < self.max_attempts:
                self.retries += 1
                time.sleep(self._delay(attempt, retry_after))
        raise SourceError(f"GET {url} failed after {self.max_attempts} attempt(s) (last: {last}); try again later "
                          "(a later run resumes where this one stopped)")


def _decode(url: str, data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise SourceError(f"{url}: not a JSON document ({exc})") from exc


# ------------------------------------------------------------------------------------------------- tables

def _col(data_type: str, nullable: bool = True) -> dict[str, Any]:
    return {"data_type": data_type, "nullable": nullable}


FETCHED = {"fetched_at": _col("timestamp", False)}
KEY = {"force_slug": _col("text", False), "neighbourhood_id": _col("text", False)}
NEIGHBOURHOOD_KEY = ["force_slug", "neighbourhood_id"]
_MERGE = {"disposition": "merge", "strategy": "delete-insert"}

TABLES: dict[str, dict[str, Any]] = {
    "forces": {
        "columns": {"force_slug": _col("text", False), "force_name": _col("text"), **FETCHED},
        "write_disposition": "replace",
    },
    "crime_last_updated": {
        "columns": {"last_updated": _col("date", False), **FETCHED},
        "write_disposition": "append",
    },
    "street_dates": {
        "columns": {"month": _col("text", False), "stop_and_search_forces": _col("text"), **FETCHED},
        "write_disposition": "replace",
    },
    "neighbourhoods": {
        "columns": {**KEY, "neighbourhood_name": _col("text"), **FETCHED},
        "write_disposition": _MERGE, "primary_key": NEIGHBOURHOOD_KEY,
    },
    "neighbourhood_people": {
        "columns": {**KEY, "person_name": _col("text"), "rank": _col("text"),
                    "has_contact_details": _col("bool", False), "contact_details": _col("text"), **FETCHED},
        "write_disposition": _MERGE, "merge_key": NEIGHBOURHOOD_KEY,
    },
    "neighbourhood_priorities": {
        "columns": {**KEY, "issue": _col("text"), "issue_date": _col("timestamp"), "action": _col("text"),
                    "action_date": _col("timestamp"), **FETCHED},
        "write_disposition": _MERGE, "merge_key": NEIGHBOURHOOD_KEY,
    },
    "neighbourhood_fetches": {
        "columns": {**KEY, "people_count": _col("bigint", False), "priorities_count": _col("bigint", False),
                    **FETCHED},
        "write_disposition": _MERGE, "primary_key": NEIGHBOURHOOD_KEY,
    },
}


def to_arrow(table: str, rows: Sequence[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(list(rows), schema=arrow_schema(TABLES[table]["columns"]))


# ------------------------------------------------------------------------------------------------- rows

def parse_timestamp(value: Any) -> datetime | None:
    """API timestamps are local-looking ISO strings ("2015-10-08T00:00:00"); stored as UTC."""
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def parse_last_updated(document: Any, url: str) -> date:
    value = document.get("date") if isinstance(document, dict) else None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise SourceError(f"{url}: expected {{\"date\": \"YYYY-MM-DD\"}}, got {document!r}") from exc


def force_rows(document: Any, fetched_at: datetime) -> list[dict[str, Any]]:
    return [{"force_slug": f["id"], "force_name": f.get("name"), "fetched_at": fetched_at}
            for f in document or [] if isinstance(f, dict) and f.get("id")]


def street_date_rows(document: Any, fetched_at: datetime) -> list[dict[str, Any]]:
    return [{"month": str(d["date"]), "stop_and_search_forces": ",".join(d.get("stop-and-search") or []),
             "fetched_at": fetched_at}
            for d in document or [] if isinstance(d, dict) and d.get("date")]


def neighbourhood_rows(force: str, document: Any, fetched_at: datetime) -> list[dict[str, Any]]:
    return [{"force_slug": force, "neighbourhood_id": str(n["id"]), "neighbourhood_name": n.get("name"),
             "fetched_at": fetched_at}
            for n in document or [] if isinstance(n, dict) and n.get("id") is not None]


def people_rows(force: str, nbhd: str, document: Any, fetched_at: datetime) -> list[dict[str, Any]]:
    rows = []
    for person in document or []:
        if not isinstance(person, dict):
            continue
        contact = person.get("contact_details") or {}
        rows.append({
            "force_slug": force, "neighbourhood_id": nbhd, "person_name": person.get("name"),
            "rank": person.get("rank"),
            "has_contact_details": isinstance(contact, dict) and any(
                v is not None and str(v).strip() for v in contact.values()),
            "contact_details": json.dumps(contact, sort_keys=True), "fetched_at": fetched_at,
        })
    return rows


def priority_rows(force: str, nbhd: str, document: Any, fetched_at: datetime) -> list[dict[str, Any]]:
    return [{"force_slug": force, "neighbourhood_id": nbhd, "issue": p.get("issue"),
             "issue_date": parse_timestamp(p.get("issue-date")), "action": p.get("action"),
             "action_date": parse_timestamp(p.get("action-date")), "fetched_at": fetched_at}
            for p in document or [] if isinstance(p, dict)]


# ------------------------------------------------------------------------------------------------- source

@dlt.source(name=SOURCE_NAME, max_table_nesting=0)
def police_uk_api(tables: dict[str, Sequence[dict[str, Any]]], state_update: dict[str, Any] | None = None) -> Any:
    """One resource per table named in `tables` (rows as dicts; an empty list still creates the table).

    `state_update` is written to the source state by the resources, so it is committed with this load.
    """

    def make(name: str, rows: Sequence[dict[str, Any]]) -> Any:
        spec = TABLES[name]

        def rows_of() -> Iterator[pa.Table]:
            if state_update is not None:
                dlt.current.source_state().update(state_update)
            yield to_arrow(name, rows)

        return dlt.resource(rows_of, name=name, columns=spec["columns"],
                            write_disposition=spec["write_disposition"],
                            primary_key=spec.get("primary_key"), merge_key=spec.get("merge_key"))

    return [make(name, rows) for name, rows in tables.items()]


def stored_state(pipeline: dlt.Pipeline) -> dict[str, Any]:
    """The source state as the last completed load left it ({} on a new pipeline)."""
    return dict(pipeline.state.get("sources", {}).get(SOURCE_NAME, {}))


def log(message: str) -> None:
    print(f"[police_uk_api] {message}", file=sys.stderr, flush=True)


__all__ = [
    "HOST", "SOURCE_NAME", "TABLES", "ApiClient", "SourceError", "TokenBucket", "police_uk_api", "stored_state",
]
