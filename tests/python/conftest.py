"""Shared fixtures: a throwaway warehouse per test, mirrors built from real files, warehouse snapshots."""

from __future__ import annotations

import csv
import fcntl
import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from email.utils import formatdate
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

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


class MirrorHandler(SimpleHTTPRequestHandler):
    """Serves a mirror directory on 127.0.0.1, the way the public hosts answer:

    - scripted failures first (`failures`: path -> statuses to answer, in order), then the file;
    - every request counted (`requests`: (method, path) -> n) and its arrival time kept (`times`);
    - the data.police.uk API's area queries (`crimes-street/<category>?poly=&date=`, by GET or as a POSTed
      form) answered from the crimes the mirror recorded (`<path>@<digest>` files): those inside the polygon,
      or 503 when there are more than `area_limit` (10,000 on the real API).
    """

    failures: ClassVar[dict[str, list[int]]] = {}
    requests: ClassVar[Counter[tuple[str, str]]] = Counter()
    times: ClassVar[list[float]] = []
    area_limit: ClassVar[int] = 10_000
    _recorded: ClassVar[dict[str, list[dict]]] = {}

    @classmethod
    def reset(cls) -> None:
        cls.failures, cls.requests, cls.times, cls.area_limit, cls._recorded = {}, Counter(), [], 10_000, {}

    def log_message(self, *args: object) -> None:  # keep pytest output clean
        pass

    def _scripted(self) -> bool:
        self.times.append(time.monotonic())
        self.requests[(self.command, self.path)] += 1
        queue = self.failures.get(self.path) or self.failures.get(urlsplit(self.path).path)
        if queue:
            status = queue.pop(0)
            self._send(status, b"", {"Retry-After": "0"} if status == 429 else {})
            return True
        return False

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _area_query(self, form: dict[str, list[str]]) -> bool:
        path = urlsplit(self.path).path
        if "/crimes-street/" not in path:
            return False
        recorded = self._recorded.get(path)
        if recorded is None:
            folder = Path(self.directory, path.lstrip("/")).parent
            name = Path(path).name
            recorded = [c for f in sorted(folder.glob(f"{name}@*")) for c in json.loads(f.read_text())]
            self._recorded[path] = recorded
        polygon = [tuple(map(float, p.split(","))) for p in form["poly"][0].split(":")]
        month = form["date"][0]
        found = [c for c in recorded if c["month"] == month and _inside(
            (float(c["location"]["latitude"]), float(c["location"]["longitude"])), polygon)]
        if len(found) > self.area_limit:
            self._send(503, b"")
        else:
            self._send(200, json.dumps(found).encode(), {"Content-Type": "application/json"})
        return True

    def do_HEAD(self) -> None:
        if not self._scripted():
            super().do_HEAD()

    def do_GET(self) -> None:
        if not self._scripted() and not self._area_query(parse_qs(urlsplit(self.path).query)):
            super().do_GET()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode())
        if not self._scripted() and not self._area_query(form):
            self._send(404, b"")

    def date_time_string(self, timestamp: float | None = None) -> str:
        return formatdate(timestamp, usegmt=True)


def _inside(point: tuple[float, float], polygon: list[tuple[float, ...]]) -> bool:
    """Ray casting: is the point inside the polygon (both as (lat, lng))?"""
    y, x = point
    inside = False
    for (y1, x1), (y2, x2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


@pytest.fixture
def http_mirror(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A mirror directory served by MirrorHandler on 127.0.0.1: (base URL, directory)."""
    root = tmp_path / "served"
    root.mkdir()
    MirrorHandler.reset()

    def handler(*args, **kwargs):
        return MirrorHandler(*args, directory=str(root), **kwargs)

    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()


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


def table_digest(warehouse: Path, schema: str, tables: Iterable[str], where: str = "",
                 with_dlt_columns: bool = True) -> list[tuple]:
    """(table, rows, order-independent hash of every row) of each table, computed in DuckDB: equal digests
    before and after a run show the run changed nothing (loaded_at included)."""
    digest = []
    for table in tables:
        columns = [c for (c,) in query(warehouse, "select column_name from information_schema.columns where "
                                                  "table_schema = ? and table_name = ? order by column_name",
                                       [schema, table]) if with_dlt_columns or not c.startswith("_dlt")]
        digest.append((table, *query(warehouse, f"select count(*), sum(hash({', '.join(columns)})::hugeint) "
                                                f"from {schema}.{table} {where}")[0]))
    return digest


def run_cli(args: list[str], env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **env}
    return subprocess.run([sys.executable, *args], cwd=PROJECT_ROOT, env=full_env, capture_output=True,
                          text=True, timeout=timeout)


def run_dbt_build(warehouse: Path, tmp_path: Path, select: str | None = None) -> subprocess.CompletedProcess[str]:
    """`dbt build --full-refresh` of the whole project, or of `select` (a dbt selector) only."""
    env = {
        **os.environ,
        "PPF_WAREHOUSE": str(warehouse),
        "DBT_PROFILES_DIR": str(PROJECT_ROOT),
        # keep the developer's target/ and logs/ untouched
        "DBT_TARGET_PATH": str(tmp_path / "dbt_target"),
        "DBT_LOG_PATH": str(tmp_path / "dbt_logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    # cautious: a test is built only when every model it reads is selected (not the tests of dim_force's users)
    selection = ["--select", select, "--indirect-selection", "cautious"] if select else []
    return subprocess.run([str(VENV_BIN / "dbt"), "build", "--full-refresh", "--quiet", *selection], cwd=PROJECT_ROOT,
                          env=env, capture_output=True, text=True, timeout=900)


# --- shared sample data: generated, extracted and built once per test session ---------------------------
# The samples are large (the Home Office outcomes sheets alone hold ~940,000 rows) and `dbt build` of
# the whole project takes over a minute, so the tests that only read them share one copy. A test that
# changes a warehouse works on its own copy (`copy_warehouse`).


def shared_once(tmp_path_factory: pytest.TempPathFactory, name: str,
                build: Callable[[Path], object]) -> tuple[Path, object]:
    """(folder, value): a folder that `build(folder)` fills once per test session, and what build returned,
    shared by every pytest-xdist worker.

    Under xdist the first worker to take the lock builds while the others wait, then all read the same
    folder (the session's temporary root is shared by its workers) and the value, pickled beside it;
    without xdist it is a plain temporary folder."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        folder = tmp_path_factory.mktemp(name)
        return folder, build(folder)
    root = tmp_path_factory.getbasetemp().parent
    folder, value = root / name, root / f"{name}.pickle"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not value.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            value.write_bytes(pickle.dumps(build(folder)))
    return folder, pickle.loads(value.read_bytes())


@pytest.fixture(scope="session")
def home_office_sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The Home Office sample mirror (root, manifest). Read-only: copy it before changing anything."""
    from extract.home_office.sample import generate_home_office_mirror

    return shared_once(tmp_path_factory, "home_office_mirror", generate_home_office_mirror)


@dataclass(frozen=True)
class SamplePipeline:
    mirror: Path  # every publisher's sample: police.uk (6 months to 2025-12), Home Office (PRC, outcomes,
    # workforce), ONS (PFA tables, Crime Survey tables), police.uk call answering and API
    police_uk_archive: Path
    warehouse: Path  # after `extract run` and `dbt build`; read-only for tests
    extract_output: str  # what `extract run` printed (stdout, then stderr)


@pytest.fixture(scope="session")
def sample_pipeline(tmp_path_factory: pytest.TempPathFactory,
                    home_office_sample: tuple[Path, dict]) -> SamplePipeline:
    """Every sample source through `python -m extract run` and `dbt build`, once for the session."""
    from extract.home_office.workforce_sample import generate_workforce_mirror
    from extract.ons.csew_sample import generate_csew_mirror
    from extract.ons.sample import find_prc_ods, generate_ons_pfa_mirror
    from extract.police_uk.api_sample import generate_api_mirror
    from extract.police_uk.calls_sample import generate_calls_mirror
    from extract.police_uk.sample import generate_archive_mirror

    def build(base: Path) -> None:
        mirror, warehouse = base / "mirror", base / "warehouse" / "ppf.duckdb"
        shutil.copytree(home_office_sample[0], mirror, copy_function=os.link)  # hard links: no 100 MB copy
        generate_ons_pfa_mirror(mirror, prc_ods=find_prc_ods(mirror))
        archive = generate_archive_mirror(mirror, release="2025-12", n_months=6, scale=0.005)
        generate_workforce_mirror(mirror)
        generate_csew_mirror(mirror)
        generate_calls_mirror(mirror)
        generate_api_mirror(mirror)
        extracted = run_cli(["-m", "extract", "run"], {"PPF_WAREHOUSE": str(warehouse), "PPF_SOURCE": str(mirror)})
        assert extracted.returncode == 0, extracted.stderr
        built = run_dbt_build(warehouse, base)
        assert built.returncode == 0, built.stdout + built.stderr
        return SamplePipeline(mirror, archive, warehouse, extracted.stdout + extracted.stderr)

    return shared_once(tmp_path_factory, "sample_pipeline", build)[1]


def copy_warehouse(warehouse: Path, target_dir: Path) -> Path:
    """A writable copy of a shared warehouse file."""
    target_dir.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy2(warehouse, target_dir / warehouse.name))


def xlsx_rows(path: Path, sheet_name: str) -> list[list[object]]:
    """The cells of one XLSX sheet read with the standard library only (zipfile + XML), independently
    of python-calamine, which the loaders use. Numbers come back as float, text as str, blanks as None."""
    import re
    import xml.etree.ElementTree as ET

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    with zipfile.ZipFile(path) as book:
        workbook = ET.fromstring(book.read("xl/workbook.xml"))
        rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        sheet = next(s for s in workbook.iter(f"{main}sheet") if s.get("name") == sheet_name)
        target = targets[sheet.get(f"{rel_ns}id")].lstrip("/")
        member = target if target.startswith("xl/") else f"xl/{target}"
        shared: list[str] = []
        if "xl/sharedStrings.xml" in book.namelist():
            for item in ET.fromstring(book.read("xl/sharedStrings.xml")).iter(f"{main}si"):
                shared.append("".join(t.text or "" for t in item.iter(f"{main}t")))
        rows: list[list[object]] = []
        for row in ET.fromstring(book.read(member)).iter(f"{main}row"):
            cells: list[object] = []
            for cell in row.iter(f"{main}c"):
                ref = cell.get("r")
                if ref:
                    letters = re.match(r"[A-Z]+", ref).group(0)
                    index = 0
                    for ch in letters:
                        index = index * 26 + ord(ch) - 64
                    cells.extend([None] * (index - 1 - len(cells)))
                kind, value = cell.get("t"), cell.find(f"{main}v")
                if kind == "inlineStr":
                    cells.append("".join(t.text or "" for t in cell.iter(f"{main}t")))
                elif value is None:
                    cells.append(None)
                elif kind == "s":
                    cells.append(shared[int(value.text)])
                elif kind in ("str", "e"):
                    cells.append(value.text)
                elif kind == "b":
                    cells.append(value.text == "1")
                else:
                    cells.append(float(value.text))
            rows.append(cells)
        return rows


def ods_rows(path: Path, sheet_name: str) -> list[list[object]]:
    """The cells of one ODS sheet read with the standard library only (content.xml), independently of
    python-calamine. Numbers come back as float, text as str, dates as ISO text, blanks as None."""
    import xml.etree.ElementTree as ET

    table_ns = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    office_ns = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
    text_ns = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
    with zipfile.ZipFile(path) as book:
        root = ET.fromstring(book.read("content.xml"))
    table = next(t for t in root.iter(f"{table_ns}table") if t.get(f"{table_ns}name") == sheet_name)
    rows: list[list[object]] = []
    for row in table.iter(f"{table_ns}table-row"):
        cells: list[object] = []
        for cell in row.iter(f"{table_ns}table-cell"):
            repeat = int(cell.get(f"{table_ns}number-columns-repeated", "1"))
            kind = cell.get(f"{office_ns}value-type")
            if kind in ("float", "percentage", "currency"):
                value: object = float(cell.get(f"{office_ns}value"))
            elif kind == "string":
                value = "\n".join("".join(p.itertext()) for p in cell.iter(f"{text_ns}p"))
            elif kind == "date":
                value = cell.get(f"{office_ns}date-value")[:10]  # ISO date text
            else:
                value = None
            cells.extend([value] * min(repeat, 1000))
        rows.append(cells)
    return rows
