"""Publish a release: `python -m publish` (or `make publish`).

Writes releases/<release id>/ from the warehouse (read-only):
- measures/<measure>.csv and .parquet for every table of schema `measures`,
- catalogue.csv/.parquet (core.dim_measure: every measure with its target, direction and coverage),
- analysis/<table>.csv/.parquet for every assessment mart (schema `analysis`),
- revisions.csv: every measure value that differs from the previous release (both values), and rows
  added or removed,
- data_docs/: the Great Expectations Data Docs of the quality run that cleared this warehouse,
- manifest.json: release id, build and publish times, every file's rows and sha256, every source's
  releases with a checksum of their files, and the quality results.

It refuses unless the last quality run (quality/last_run.json beside the warehouse) ran every suite,
passed, and validated this warehouse exactly as it is now (its size and modification time). It writes
into releases/.incomplete-<id>/ and renames that into place, then repoints releases/latest, so a publish
that fails or is interrupted leaves the previous release and `latest` as they were.

CSV cells that a spreadsheet would run as a formula (text starting with =, +, -, @, tab or carriage
return) are written with a leading apostrophe; numbers are written as numbers. Parquet keeps the data
as typed.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from extract.config import PROJECT_ROOT, Settings, dbt_target_path
from extract.warehouse import sha256_file

MEASURE_KEY = ["measure_id", "force_id", "period_start", "period_type", "breakdown", "breakdown_value", "unit"]
FORMULA_START = r"^[=+\-@\t\r]"
DATA_DOCS = PROJECT_ROOT / "expectations" / "gx" / "uncommitted" / "data_docs" / "local_site"


class PublishRefused(RuntimeError):
    """The warehouse may not be published (no passing, current quality run); the message says why."""


@dataclass
class Published:
    release_id: str
    path: Path
    files: int
    revisions: int
    previous: str | None
    seconds: float

    def line(self) -> str:
        against = f"{self.revisions:,} revised values against {self.previous}" if self.previous else \
            "the first release (no revisions)"
        return (f"publish: release {self.release_id}: {self.files} files, {against}, in {self.seconds:.1f}s "
                f"-> {self.path}")


def releases_dir() -> Path:
    return Path(os.environ.get("PPF_RELEASES") or PROJECT_ROOT / "releases").expanduser().resolve()


def warehouse_state(warehouse: Path) -> dict[str, int]:
    """What the quality run validated: the file as it was (any later write changes one of these)."""
    stat = warehouse.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def quality_path(settings: Settings) -> Path:
    return settings.warehouse_dir / "quality" / "last_run.json"


def check_gate(settings: Settings) -> dict[str, Any]:
    """The last quality run's results, if they clear this warehouse for publication; else PublishRefused."""
    if not settings.warehouse.is_file():
        raise PublishRefused(f"no warehouse at {settings.warehouse}; run `make build` (or `make demo`) first")
    path = quality_path(settings)
    if not path.is_file():
        raise PublishRefused(f"no quality run recorded ({path}); run `make quality` first")
    quality = json.loads(path.read_text())
    if not quality.get("success"):
        failed = [f"{name} ({s['failed']} failed)" for name, s in quality.get("suites", {}).items() if s["failed"]]
        raise PublishRefused(f"the last quality run failed: {', '.join(failed) or 'see its output'}; nothing "
                             "is published until `make quality` passes")
    if not quality.get("complete"):
        raise PublishRefused("the last quality run checked only some suites (--suite); run `make quality`")
    if quality.get("warehouse") != warehouse_state(settings.warehouse):
        raise PublishRefused(f"the warehouse changed after the last quality run ({quality.get('run_at')}): "
                             "run `make quality` on this build first")
    return quality


def _tables(con: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    return [r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = ? order by 1", [schema]).fetchall()]


def _safe_select(con: duckdb.DuckDBPyConnection, relation: str) -> str:
    """`relation` with every text column's formula-like cells neutralised (for CSV), rows in a stable order."""
    columns = con.execute(f"select column_name, column_type from (describe {relation})").fetchall()
    parts = []
    for name, data_type in columns:
        quoted = f'"{name}"'
        if data_type == "VARCHAR":
            parts.append(f"case when regexp_matches({quoted}, '{FORMULA_START}') then '''' || {quoted} "
                         f"else {quoted} end as {quoted}")
        else:
            parts.append(quoted)
    return f"select {', '.join(parts)} from {relation} order by all"


def _export(con: duckdb.DuckDBPyConnection, relation: str, target: Path) -> int:
    """`relation` as <target>.csv and <target>.parquet; returns its row count."""
    target.parent.mkdir(parents=True, exist_ok=True)
    con.execute(f"copy ({_safe_select(con, relation)}) to '{target}.csv' (header, delimiter ',')")
    con.execute(f"copy (select * from {relation} order by all) to '{target}.parquet' (format parquet)")
    return con.execute(f"select count(*) from {relation}").fetchone()[0]


def source_releases(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every loaded source's releases: files, and one sha256 over their sorted checksums."""
    found = []
    schemas = [r[0] for r in con.execute(
        "select table_schema from information_schema.tables where table_name = 'published_files' "
        "and table_schema like 'raw\\_%' escape '\\' and table_schema not like '%\\_staging' escape '\\' "
        "order by 1").fetchall()]
    for schema in schemas:
        columns = {r[0] for r in con.execute(f"describe {schema}.published_files").fetchall()}
        release = next((c for c in ("release_date", "archive_release") if c in columns), None)
        release_sql = f"cast({release} as varchar)" if release else "null"
        rows = con.execute(f"""
            select {release_sql} as release, count(*) as files,
                   sha256(string_agg(file_sha256, ',' order by file_sha256)) as checksum
            from {schema}.published_files where file_sha256 is not null group by all order by 1""").fetchall()
        found += [{"source": schema.removeprefix("raw_"), "release": r, "files": n, "sha256": c}
                  for r, n, c in rows]
    if con.execute("select count(*) from information_schema.tables where table_schema = 'raw_police_uk_api' "
                   "and table_name = 'crime_last_updated'").fetchone()[0]:
        row = con.execute("select max(last_updated)::varchar, max(fetched_at)::varchar "
                          "from raw_police_uk_api.crime_last_updated").fetchone()
        if row and row[0]:
            found.append({"source": "police_uk_api", "release": row[0], "fetched_at": row[1]})
    return found


def write_revisions(con: duckdb.DuckDBPyConnection, current: Path, previous: Path | None, target: Path) -> int:
    """revisions.csv: measure rows whose value or status differs from the previous release, and rows
    added or removed. Returns the number of rows written."""
    current_rows = f"read_parquet('{current}/measures/*.parquet', union_by_name = true)"
    if previous is None or not any((previous / "measures").glob("*.parquet")):
        # a first release has nothing to be revised against: the file holds its header only
        previous_rows = current_rows
    else:
        previous_rows = f"read_parquet('{previous}/measures/*.parquet', union_by_name = true)"
    join = " and ".join(f"p.{c} is not distinct from c.{c}" for c in MEASURE_KEY)
    keys = ", ".join(f"coalesce(c.{c}, p.{c}) as {c}" for c in MEASURE_KEY)
    con.execute(f"""
        create or replace temp view revisions as
        select
            {keys},
            case when p.measure_id is null then 'added' when c.measure_id is null then 'removed'
                 else 'revised' end as revision,
            p.value as previous_value,
            c.value as value,
            p.status as previous_status,
            c.status as status,
            coalesce(c.period_label, p.period_label) as period_label,
            p.source_release as previous_source_release,
            c.source_release as source_release
        from (select * from {previous_rows}) as p
        full outer join (select * from {current_rows}) as c on {join}
        where p.measure_id is null or c.measure_id is null
           or p.value is distinct from c.value or p.status is distinct from c.status
    """)
    count = con.execute("select count(*) from revisions").fetchone()[0]
    con.execute(f"copy ({_safe_select(con, 'revisions')}) to '{target}' (header, delimiter ',')")
    return count


def new_release_id(root: Path) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%SZ")
    release_id, n = stamp, 1
    while (root / release_id).exists():
        n += 1
        release_id = f"{stamp}-{n}"
    return release_id


def latest_release(root: Path) -> Path | None:
    latest = root / "latest"
    return latest.resolve() if latest.is_symlink() and latest.resolve().is_dir() else None


def publish(settings: Settings, root: Path | None = None, log=print) -> Published:
    started = time.monotonic()
    root = root or releases_dir()
    quality = check_gate(settings)
    root.mkdir(parents=True, exist_ok=True)
    for stale in root.glob(".incomplete-*"):
        log(f"publish: removing {stale.name}, left by a publish that did not finish")
        shutil.rmtree(stale, ignore_errors=True)
    release_id = new_release_id(root)
    work = root / f".incomplete-{release_id}"
    work.mkdir()
    previous = latest_release(root)
    try:
        with duckdb.connect(str(settings.warehouse), read_only=True) as con:
            measures = _tables(con, "measures")
            if not measures:
                raise PublishRefused("schema `measures` holds no tables; run `make transform` first")
            rows: dict[str, int] = {}

            def export(relation: str, name: str) -> None:
                count = _export(con, relation, work / name)
                rows[f"{name}.csv"] = rows[f"{name}.parquet"] = count

            for number, table in enumerate(measures, start=1):
                export(f'measures."{table}"', f"measures/{table}")
                if number % 20 == 0 or number == len(measures):
                    log(f"publish: {number}/{len(measures)} measure tables written")
            export("core.dim_measure", "catalogue")
            for table in _tables(con, "analysis"):
                export(f'analysis."{table}"', f"analysis/{table}")
            revisions = rows["revisions.csv"] = write_revisions(con, work, previous, work / "revisions.csv")
            sources = source_releases(con)
        files = []
        for path in sorted(p for p in work.rglob("*") if p.is_file()):
            name = path.relative_to(work).as_posix()
            files.append({"path": name, "rows": rows[name], "bytes": path.stat().st_size,
                          "sha256": sha256_file(path)})
        if DATA_DOCS.is_dir():
            shutil.copytree(DATA_DOCS, work / "data_docs")
        run_results = dbt_target_path() / "run_results.json"
        built_at = (json.loads(run_results.read_text())["metadata"]["generated_at"] if run_results.is_file()
                    else None)
        manifest = {
            "release_id": release_id,
            "published_at": datetime.now(UTC).isoformat(),
            "built_at": built_at,
            "warehouse": str(settings.warehouse),
            "previous_release": previous.name if previous else None,
            "revisions": revisions,
            "files": files,
            "sources": sources,
            "quality": quality,
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n")
        final = root / release_id
        os.rename(work, final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    pointer = root / f".latest-{release_id}"
    pointer.symlink_to(release_id, target_is_directory=True)
    os.replace(pointer, root / "latest")  # atomic: readers see the old release or the new one
    return Published(release_id, final, len(files) + 1, revisions, previous.name if previous else None,
                     time.monotonic() - started)


def main(settings: Settings) -> int:
    try:
        result = publish(settings, log=lambda m: print(m, file=sys.stderr))
    except PublishRefused as exc:
        print(f"publish: refused: {exc}", file=sys.stderr)
        return 1
    print(result.line())
    return 0
