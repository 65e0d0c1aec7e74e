"""`make transform`: dbt build, rebuilding only what changed since the last successful build.

- The project's code (models, macros, seeds, dbt tests, dbt_project.yml) changed, the warehouse has
  no record of a build, or `--full-refresh` was asked for: `dbt build --full-refresh`, everything.
- Otherwise, only the sources whose loaded data changed: `dbt build --select source:<name>+` for
  each, without unit tests (they test the SQL, which has not changed) and without the tests tagged
  `full_build` (row-by-row checks of what the loader guarantees by construction); incremental models
  redo only the months (street counts) or measures (assessment) whose inputs changed.
- Nothing changed: no dbt run at all.

What the raw data is, is fingerprinted per raw schema in DuckDB (row counts and a sum of row hashes;
the police.uk data tables by their `published_files` records, which change with every file loaded),
and recorded beside the warehouse after every successful build, with the code's fingerprint.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import hashlib
import json
import logging
import sys
import time
from pathlib import Path

import duckdb

from extract.config import PROJECT_ROOT, dbt_target_path, get_settings
from extract.summary import dbt_counts
from extract.warehouse import raw_tables

CODE_PATHS = ("models", "macros", "seeds", "tests/dbt", "dbt_project.yml", "profiles.yml")
# Fingerprinted by their published_files records (one per file) rather than by hashing millions of rows.
RECORDED_BY_FILES = {("raw_police_uk", "street"), ("raw_police_uk", "outcomes"), ("raw_police_uk", "stop_and_search")}


def state_path(warehouse: Path) -> Path:
    return warehouse.parent / "transform" / f"{warehouse.stem}.last_build.json"


def code_fingerprint(root: Path = PROJECT_ROOT) -> str:
    digest = hashlib.sha256()
    for name in CODE_PATHS:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in (f for f in files if f.is_file()):
            digest.update(str(file.relative_to(root)).encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def source_fingerprints(warehouse: Path) -> dict[str, str]:
    """{raw schema: fingerprint of its tables' contents}; dlt's own bookkeeping tables left out."""
    if not warehouse.is_file():
        return {}
    fingerprints: dict[str, str] = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for schema, table in raw_tables(con):
            relation = f'"{schema}"."{table}"'
            if (schema, table) in RECORDED_BY_FILES:
                values = con.execute(f"select count(*) from {relation}").fetchone()
            else:
                # One sum of hashes per column; dlt's per-load columns (_dlt_id, _dlt_load_id) left out.
                values = con.execute(
                    f"select count(*), sum(hash(columns(c -> c not like '\\_dlt\\_%' escape '\\'))::hugeint) "
                    f"from {relation}"
                ).fetchone()
            digest = hashlib.sha256(repr(values).encode()).hexdigest()
            fingerprints[schema] = hashlib.sha256((fingerprints.get(schema, "") + table + digest).encode()).hexdigest()
    return fingerprints


def source_names(manifest: Path) -> dict[str, list[str]]:
    """{raw schema: dbt source names reading it}, from the manifest dbt wrote."""
    names: dict[str, set[str]] = {}
    for source in json.loads(manifest.read_text())["sources"].values():
        names.setdefault(source["schema"], set()).add(source["source_name"])
    return {schema: sorted(found) for schema, found in names.items()}


def plan(previous: dict | None, code: str, sources: dict[str, str], full_refresh: bool) -> tuple[str, list[str], str]:
    """(kind, dbt arguments, reason): kind is `full`, `changed` or `none`."""
    full = ["build", "--full-refresh"]
    if full_refresh:
        return "full", full, "asked for (--full-refresh)"
    if previous is None:
        return "full", full, "no earlier build recorded for this warehouse"
    if previous.get("code") != code:
        return "full", full, "the project's models, macros, seeds or tests changed"
    changed = sorted(schema for schema in set(sources) | set(previous.get("sources", {}))
                     if sources.get(schema) != previous["sources"].get(schema))
    if not changed:
        return "none", [], "no source changed since the last build"
    selectors = [f"source:{name}+" for schema in changed for name in previous["source_names"].get(schema, [])]
    if not selectors:  # a new raw schema no model reads yet
        return "full", full, f"new raw schema(s) {', '.join(changed)}"
    # Unit tests check the SQL, which has not changed; tests tagged full_build check, over every raw row,
    # what the loader guarantees by construction: both run on full builds.
    # --no-write-json: dbt would write its 3 MB manifest.json twice (1.5 s), unchanged since the full
    # build that wrote it; main() writes run_results.json itself.
    return ("changed", ["build", "--select", *selectors, "--exclude", "tag:full_build",
                        "--exclude-resource-type", "unit_test", "--no-write-json"],
            f"data changed in {', '.join(changed)}")


def run_dbt(args: list[str], target: Path) -> bool:
    """dbt in this process (dbtRunner): a refresh does not pay for a second interpreter importing dbt.
    With --no-write-json, the run's results are still written to `target`/run_results.json."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    from dbt.cli.main import dbtRunner

    with contextlib.chdir(PROJECT_ROOT):
        result = dbtRunner().invoke(args)
    # dbt-duckdb keeps the warehouse open in this process after the run: closed, so that the gate can open
    # it read-only in the same process (python -m pipeline) and other processes can open it at all.
    DuckDBConnectionManager.close_all_connections()
    gc.collect()
    logging.captureWarnings(False)  # dbt routes Python warnings into its logs; what runs next need not
    if result.exception is not None:
        print(f"transform: dbt stopped: {result.exception}", file=sys.stderr)
    if "--no-write-json" in args and hasattr(result.result, "write"):
        result.result.write(str(target / "run_results.json"))
    return bool(result.success)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m transform", description=__doc__.splitlines()[0])
    parser.add_argument("--full-refresh", action="store_true", help="rebuild every model, whatever changed")
    args = parser.parse_args(argv)
    warehouse = get_settings().warehouse
    record = state_path(warehouse)
    previous = json.loads(record.read_text()) if record.is_file() else None
    code = code_fingerprint()
    sources = source_fingerprints(warehouse)
    kind, dbt_args, reason = plan(previous, code, sources, args.full_refresh)
    if kind == "none":
        print(f"transform: nothing to build ({reason})")
        return 0
    print(f"transform: {'every model' if kind == 'full' else 'models downstream of the changed sources'} "
          f"({reason})", flush=True)
    started = time.monotonic()
    target = dbt_target_path()
    if not run_dbt([*dbt_args, "--quiet", "--fail-fast"], target):
        # The record stays as the last successful build left it, so the next run rebuilds this much again.
        print("transform: dbt build failed; see logs/dbt.log", file=sys.stderr)
        return 1
    seconds = round(time.monotonic() - started, 1)
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps({
        "code": code, "sources": sources,
        # the sources' names come with the code: a build of changed data keeps those of the full build
        "source_names": source_names(target / "manifest.json") if kind == "full" else previous["source_names"],
        "kind": kind, "seconds": seconds,
    }, indent=2))
    built, passed, failed = dbt_counts()
    print(f"transform: {built} models built, {passed} dbt tests and unit tests passed, {failed} failed "
          f"in {seconds:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
