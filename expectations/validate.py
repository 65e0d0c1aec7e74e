"""Run the publication gate: `python -m expectations.validate [--suite NAME ...]`.

For each suite: read its DataFrame from the warehouse (DuckDB, read-only), run the suite's checkpoint
in the GX file context under expectations/gx/ (results and Data Docs go to gx/uncommitted/), print
every failed expectation, and exit non-zero if any failed. A JSON summary is written beside the
warehouse (quality/last_run.json) for `make demo`'s closing line.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from extract.config import get_settings

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "queries"


def measures_query(con: duckdb.DuckDBPyConnection) -> str:
    tables = [row[0] for row in con.execute(
        "select table_name from information_schema.tables where table_schema = 'measures' order by 1"
    ).fetchall()]
    if not tables:
        raise SystemExit("quality: no tables in schema `measures`; run `make transform` first")
    union = "\n    union all by name\n    ".join(f"select * from measures.{t}" for t in tables)
    return (QUERIES / "measures.sql").read_text().replace("{measure_tables}", union)


def read_frames(warehouse: Path, suites: list[str]) -> dict[str, pd.DataFrame | None]:
    """Each suite's DataFrame; None for a suite whose source holds no rows (it is skipped, not failed)."""
    from expectations.suites import REQUIRES

    if not warehouse.is_file():
        raise SystemExit(f"quality: no warehouse at {warehouse}; run `make extract transform` first")
    frames: dict[str, pd.DataFrame | None] = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for name in suites:
            required = REQUIRES.get(name)
            if required and not _has_rows(con, required):
                frames[name] = None
                continue
            sql = measures_query(con) if name == "measures" else (QUERIES / f"{name}.sql").read_text()
            frame = con.sql(sql).df()
            frames[name] = None if required and frame.empty else frame
    return frames


def _has_rows(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    schema, name = table.split(".")
    exists = con.execute("select count(*) from information_schema.tables where table_schema = ? "
                         "and table_name = ?", [schema, name]).fetchone()[0]
    return bool(exists) and con.execute(f"select count(*) from {schema}.{name}").fetchone()[0] > 0


def get_context():
    import great_expectations as gx

    return gx.get_context(mode="file", project_root_dir=str(HERE))


def ensure_checkpoint(context, name: str):
    """The suite, its dataframe asset, validation definition and checkpoint: created when absent,
    the suite refreshed from expectations/suites.py when its expectations changed."""
    import great_expectations as gx

    from expectations.suites import SUITES

    wanted = SUITES[name]()
    try:
        stored = context.suites.get(name)
    except Exception:
        stored = None
    if stored is None:
        suite = context.suites.add(wanted)
    elif _configs(stored) != _configs(wanted):
        stored.expectations = []
        for expectation in wanted.expectations:
            stored.add_expectation(expectation)
        stored.save()
        suite = stored
    else:
        suite = stored
    try:
        source = context.data_sources.get("warehouse")
    except KeyError:
        source = context.data_sources.add_pandas("warehouse")
    try:
        asset = source.get_asset(name)
    except LookupError:
        asset = source.add_dataframe_asset(name)
    try:
        batch = asset.get_batch_definition("whole_table")
    except KeyError:
        batch = asset.add_batch_definition_whole_dataframe("whole_table")
    try:
        return context.checkpoints.get(name)
    except Exception:
        definition = context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=name, data=batch, suite=suite)
        )
        return context.checkpoints.add(gx.Checkpoint(
            name=name,
            validation_definitions=[definition],
            actions=[gx.checkpoint.UpdateDataDocsAction(name="update_data_docs")],
            result_format={"result_format": "SUMMARY"},
        ))


def _configs(suite) -> list[dict]:
    def plain(expectation) -> dict:
        config = expectation.configuration.to_json_dict()
        return {"type": config["type"], "kwargs": config["kwargs"]}

    return sorted((plain(e) for e in suite.expectations), key=lambda c: json.dumps(c, sort_keys=True))


def describe_failure(result) -> str:
    config = result.expectation_config
    kwargs = {k: v for k, v in config.kwargs.items() if k not in ("batch_id",)}
    observed = result.result or {}
    detail = {k: observed[k] for k in ("observed_value", "unexpected_count", "partial_unexpected_list")
              if k in observed}
    return f"{config.type} {json.dumps(kwargs, default=str)} -> {json.dumps(detail, default=str)[:400]}"


def main(argv: list[str] | None = None) -> int:
    from expectations.suites import SUITES

    parser = argparse.ArgumentParser(prog="python -m expectations.validate", description=__doc__)
    parser.add_argument("--suite", action="append", choices=sorted(SUITES), help="default: every suite")
    args = parser.parse_args(argv)
    suites = args.suite or list(SUITES)
    settings = get_settings()
    started = time.monotonic()
    frames = read_frames(settings.warehouse, suites)
    context = get_context()
    summary: dict[str, dict] = {}
    failed_total = 0
    skipped = [name for name in suites if frames[name] is None]
    for name in skipped:
        print(f"quality: {name}: skipped: its source holds no rows in this warehouse (or, for the "
              "reconciliation, no period is covered by both sources)", file=sys.stderr)
    suites = [name for name in suites if frames[name] is not None]
    for name in suites:
        checkpoint = ensure_checkpoint(context, name)
        result = checkpoint.run(batch_parameters={"dataframe": frames[name]})
        results = [r for run in result.run_results.values() for r in run.results]
        failed = [r for r in results if not r.success]
        failed_total += len(failed)
        summary[name] = {"rows": len(frames[name]), "expectations": len(results), "failed": len(failed)}
        state = "passed" if not failed else "FAILED"
        print(f"quality: {name}: {len(results) - len(failed)}/{len(results)} expectations {state} "
              f"on {len(frames[name]):,} rows", file=sys.stderr)
        for r in failed:
            print(f"  failed: {describe_failure(r)}", file=sys.stderr)
    docs = HERE / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
    out = settings.warehouse_dir / "quality" / "last_run.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"run_at": datetime.now(UTC).isoformat(), "suites": summary, "skipped": skipped,
                               "success": failed_total == 0, "data_docs": str(docs)}, indent=2))
    checks = sum(s["expectations"] for s in summary.values())
    verdict = "passed" if failed_total == 0 else f"FAILED ({failed_total} failed)"
    skipped_note = f" ({len(skipped)} skipped: {', '.join(skipped)})" if skipped else ""
    print(f"quality: {len(suites)} suites{skipped_note}, {checks} expectations {verdict} in "
          f"{time.monotonic() - started:.1f}s; Data Docs: {docs}")
    return 0 if failed_total == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
