"""The data.police.uk JSON API: a rate-limited, retrying client and the dlt source `police_uk_api`.

The API allows 15 requests per second with a burst of 30 ("leaky bucket"; more answers HTTP 429), see
../shared/reference/sources.md section 1. The client keeps under that limit itself (never more than 15
requests in any second), so 429s should not happen; when they do (or a 5xx), the request is retried with
exponential back-off, honouring Retry-After. A 404 means "not published" and is returned as None.

Every request (first attempt or retry) counts against the limit. Area queries (`crimes-street` with a
`poly`) answer 503 when the area holds more than 10,000 crimes: that is not retried but raised as
TooManyResults, and the caller splits the area (`split_polygon`).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import dlt
import pyarrow as pa

from extract.location import SourceError
from extract.warehouse import arrow_schema

HOST = "data.police.uk"
SOURCE_NAME = "police_uk_api"
# Window stretch: network jitter can bunch requests up on their way, and the server counts arrivals.
RATE_HEADROOM = 1.1
# Longer GET requests are refused with HTTP 400 (sources.md section 1.1): send the form by POST instead.
MAX_GET_URL = 4000


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    try:
        return float(value) if value else default
    except ValueError:
        return default


class RateLimiter:
    """At most `limit` requests in any `window` seconds (a sliding window; not thread-safe).

    The API's leaky bucket would accept a burst of 30 after a pause; a sliding window of 15 a second never
    bursts, so it keeps to both the published limit and the stricter "no more than 15 in any second"."""

    def __init__(self, limit: int, window: float = 1.0, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit must be >= 1 and window > 0")
        self.limit = int(limit)
        self.window = float(window)
        self._sent: deque[float] = deque(maxlen=self.limit)
        self._clock = clock
        self._sleep = sleep

    def acquire(self) -> float:
        """Wait until one more request keeps within the limit, and count it; returns the seconds waited."""
        waited = 0.0
        now = self._clock()
        if len(self._sent) == self.limit:
            wait = self._sent[0] + self.window - now
            if wait > 0:
                self._sleep(wait)
                waited = wait
                now = self._clock()
        self._sent.append(now)
        return waited


class TooManyResults(SourceError):
    """HTTP 503 to an area query: the API refuses areas holding more than 10,000 crimes (split the area)."""


class ApiClient:
    """GET JSON from the API at `base_url` (e.g. https://data.police.uk/api, or an HTTP mirror's
    <base>/data.police.uk/api), or read it from a mirror directory (<mirror>/data.police.uk/api)."""

    def __init__(self, base_url: str, max_per_second: int = 15, *,
                 max_attempts: int | None = None, backoff_factor: float | None = None,
                 max_retry_delay: float | None = None, timeout: float = 60) -> None:
        self.base_url = str(base_url).rstrip("/")
        self.is_http = self.base_url.startswith(("http://", "https://"))
        self.limiter = RateLimiter(max_per_second, RATE_HEADROOM)
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

            # dlt's client, with its own retries off: every attempt must pass the rate limiter, so the
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

    def get_json(self, path: str, params: dict[str, str] | None = None, *,
                 area_query: bool = False) -> Any | None:
        """The decoded JSON at `path` (relative to the API root) with query `params`; None when it is not
        published (404). With `area_query`, a 503 raises TooManyResults at once instead of being retried.
        Requests whose URL would be too long for a GET are sent as a form by POST."""
        url = self.url(path)
        if not self.is_http:
            file = mirror_file(Path(url), params)
            if not file.is_file():
                return None
            return _decode(str(file), file.read_bytes())
        import requests

        query = urlencode(params or {})
        use_post = len(url) + 1 + len(query) > MAX_GET_URL
        shown = url if use_post or not query else f"{url}?{query}"[:200]
        last = ""
        for attempt in range(1, self.max_attempts + 1):
            self.limiter.acquire()
            self.requests_made += 1
            retry_after = None
            try:
                if use_post:
                    response = self._http().post(url, data=params, timeout=self.timeout)
                else:
                    response = self._http().get(url, params=params, timeout=self.timeout)
            except (requests.ConnectionError, requests.Timeout) as exc:
                last = type(exc).__name__
            else:
                status = response.status_code
                if status == 404:
                    return None
                if status < 400:
                    return _decode(shown, response.content)
                if status == 503 and area_query:
                    raise TooManyResults(f"{shown} answered 503: more crimes in the area than the API serves")
                if status != 429 and status < 500:
                    raise SourceError(f"{'POST' if use_post else 'GET'} {shown} answered HTTP {status}")
                last = f"HTTP {status}"
                retry_after = response.headers.get("Retry-After")
            if attempt < self.max_attempts:
                self.retries += 1
                time.sleep(self._delay(attempt, retry_after))
        raise SourceError(f"{'POST' if use_post else 'GET'} {shown} failed after {self.max_attempts} attempt(s) "
                          f"(last: {last}); try again later (a later run resumes where this one stopped)")


def query_digest(params: dict[str, str]) -> str:
    """A short, stable name for a query (its parameters sorted): how a mirror directory files the answer."""
    return hashlib.sha256(urlencode(sorted(params.items())).encode()).hexdigest()[:24]


def mirror_file(path: Path, params: dict[str, str] | None) -> Path:
    """In a mirror directory an answer to <path>?<query> is the file <path>@<query_digest> (a query string,
    a polygon above all, is too long for a file name)."""
    return path.with_name(f"{path.name}@{query_digest(params)}") if params else path


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
FORCE_MONTH_KEY = ["force_slug", "month"]
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
    # replaced by every run: a neighbourhood the API no longer lists drops out
    "neighbourhoods": {
        "columns": {**KEY, "neighbourhood_name": _col("text"), **FETCHED},
        "write_disposition": "replace",
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
    # ASB incidents the API serves for months the loaded archive does not hold, counted by area
    "asb_incidents": {
        "columns": {"force_slug": _col("text", False), "month": _col("text", False),
                    "neighbourhood_id": _col("text", False), "crime_id": _col("bigint", False),
                    "location_type": _col("text"), "latitude": _col("double"), "longitude": _col("double"),
                    "street_id": _col("bigint"), "street_name": _col("text"), "last_updated": _col("date", False),
                    **FETCHED},
        "write_disposition": _MERGE, "merge_key": FORCE_MONTH_KEY,
    },
    "asb_fetches": {
        "columns": {"force_slug": _col("text", False), "month": _col("text", False),
                    "neighbourhoods": _col("bigint", False), "neighbourhoods_without_boundary": _col("bigint", False),
                    "incidents": _col("bigint", False), "area_requests": _col("bigint", False),
                    "area_splits": _col("bigint", False), "last_updated": _col("date", False), **FETCHED},
        "write_disposition": _MERGE, "primary_key": FORCE_MONTH_KEY,
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


def _float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def asb_rows(force: str, month: str, nbhd: str, document: Any, last_updated: date,
             fetched_at: datetime) -> list[dict[str, Any]]:
    """crimes-street objects (latitude and longitude are strings; ASB has no persistent_id, so `id` keys it)."""
    rows = []
    for crime in document or []:
        if not isinstance(crime, dict) or _int(crime.get("id")) is None:
            continue
        location = crime.get("location") or {}
        street = location.get("street") or {}
        rows.append({
            "force_slug": force, "month": month, "neighbourhood_id": nbhd, "crime_id": int(crime["id"]),
            "location_type": crime.get("location_type"), "latitude": _float(location.get("latitude")),
            "longitude": _float(location.get("longitude")), "street_id": _int(street.get("id")),
            "street_name": street.get("name"), "last_updated": last_updated, "fetched_at": fetched_at,
        })
    return rows


# ------------------------------------------------------------------------------------------------- areas

Point = tuple[float, float]  # (latitude, longitude)


def boundary_points(document: Any) -> list[Point]:
    """A /boundary answer: [{"latitude": "52.6", "longitude": "-1.1"}, ...] (strings) as (lat, lng) floats."""
    points = []
    for point in document or []:
        if isinstance(point, dict):
            lat, lng = _float(point.get("latitude")), _float(point.get("longitude"))
            if lat is not None and lng is not None:
                points.append((lat, lng))
    return points


def poly_param(points: Sequence[Point]) -> str:
    """The API's `poly`: lat,lng:lat,lng:... (closed by the API)."""
    return ":".join(f"{lat:.6f},{lng:.6f}" for lat, lng in points)


def _clip(points: Sequence[Point], axis: int, cut: float, keep_below: bool) -> list[Point]:
    """Sutherland-Hodgman: the part of the polygon on one side of the line coordinate[axis] = cut."""
    def inside(p: Point) -> bool:
        return p[axis] <= cut if keep_below else p[axis] >= cut

    def crossing(a: Point, b: Point) -> Point:
        t = (cut - a[axis]) / (b[axis] - a[axis])
        other = a[1 - axis] + t * (b[1 - axis] - a[1 - axis])
        return (cut, other) if axis == 0 else (other, cut)

    out: list[Point] = []
    for i, current in enumerate(points):
        previous = points[i - 1]
        if inside(current):
            if not inside(previous):
                out.append(crossing(previous, current))
            out.append(current)
        elif inside(previous):
            out.append(crossing(previous, current))
    return out


def split_polygon(points: Sequence[Point]) -> list[list[Point]]:
    """Two halves across the middle of the longer side of the bounding box (points on the cut fall in both
    halves, so callers de-duplicate what the halves return)."""
    lats, lngs = [p[0] for p in points], [p[1] for p in points]
    axis = 0 if max(lats) - min(lats) >= max(lngs) - min(lngs) else 1
    values = lats if axis == 0 else lngs
    cut = (min(values) + max(values)) / 2
    return [half for half in (_clip(points, axis, cut, True), _clip(points, axis, cut, False)) if len(half) >= 3]


class AreaQuery:
    """crimes-street for one category and month over a polygon, splitting the polygon while the API answers
    503 (too many crimes); counts the requests and splits it made."""

    MAX_DEPTH = 16

    def __init__(self, client: ApiClient, category: str, month: str) -> None:
        self.client, self.category, self.month = client, category, month
        self.requests = 0
        self.splits = 0

    def crimes(self, points: Sequence[Point], depth: int = 0) -> list[dict[str, Any]] | None:
        """Every crime in the area, de-duplicated by id; None when the month is not published (404)."""
        self.requests += 1
        try:
            found = self.client.get_json(f"crimes-street/{self.category}",
                                         {"poly": poly_param(points), "date": self.month}, area_query=True)
        except TooManyResults:
            if depth >= self.MAX_DEPTH:
                raise
            self.splits += 1
            seen: dict[Any, dict[str, Any]] = {}
            for half in split_polygon(points):
                for crime in self.crimes(half, depth + 1) or []:
                    seen.setdefault(crime.get("id"), crime)
            return list(seen.values())
        return found if found is None else [c for c in found if isinstance(c, dict)]


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
    "HOST", "SOURCE_NAME", "TABLES", "ApiClient", "AreaQuery", "Point", "RateLimiter", "SourceError", "TooManyResults",
    "asb_rows", "boundary_points", "mirror_file", "police_uk_api", "poly_param", "split_polygon", "stored_state",
]
