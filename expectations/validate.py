"""Run the publication gate: `python -m expectations.validate [--suite NAME ...]`.

Each suite's table is built by its query in expectations/queries/ (DuckDB, read-only, aggregated there
first) and written as Parquet to gx/uncommitted/frames/; one checkpoint, `publication_gate`, validates
them all in the GX file context under expectations/gx/ and writes Data Docs (gx/uncommitted/). Every
failed expectation is printed with the rows it failed on, named by the suite's ROW_KEYS (for the
measures: the measure table, the force and the period), and the exit status is non-zero if any failed.

A JSON summary is written beside the warehouse (quality/last_run.json): `make publish` publishes only
the warehouse state that a complete, passing run recorded there.

A suite whose table (frame) and definition are exactly those of a suite that passed in the last run is
not validated again: its result is carried over (a refresh of one police.uk month leaves most frames
as they were). `--revalidate` validates every suite whatever the last run found.

Gate runs of one checkout share gx/uncommitted/ whatever their warehouse: a run waits while another holds
gx/uncommitted/gate.lock.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import shutil
import sys
import time
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from extract.config import get_settings

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "queries"
GX_ROOT = HERE / "gx"
FRAMES = GX_ROOT / "uncommitted" / "frames"
DATA_SOURCE = "gate_frames"
CHECKPOINT = "publication_gate"
MAX_ROWS_SHOWN = 10
MAX_FLAGGED_KEPT = 1000  # flagged rows listed in quality/last_run.json
MEASURE_SUITES = ("measures", "measure_coverage", "measure_jumps")
VALIDATIONS = GX_ROOT / "uncommitted" / "validations"
FRAME_CACHE = GX_ROOT / "uncommitted" / "frame_cache"
DATA_DOCS_INDEX = GX_ROOT / "uncommitted" / "data_docs" / "local_site" / "index.html"
GATE_LOCK = GX_ROOT / "uncommitted" / "gate.lock"
# What the measure suites' queries read besides the measure tables: part of every part's fingerprint.
# Only the columns they use: dim_measure's other columns change with every measure's values.
MEASURE_SUITE_REFERENCES = (
    "select * from reference.framework_measures",
    "select * from core.dim_force",
    "select measure_id, source_status from core.dim_measure",
)
# The raw police.uk counts per force-month and load, kept beside the warehouse (police_uk_row_counts).
ROW_COUNTS_FILE = "raw_police_uk_row_counts.parquet"
EVERY_LOAD = "'-infinity'::timestamptz"
# Validation results kept per suite: GX renders every stored result into Data Docs on every run, so an
# unbounded store makes each gate slower than the last.
KEPT_RESULTS = 3


def measure_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    tables = [row[0] for row in con.execute(
        "select table_name from information_schema.tables where table_schema = 'measures' order by 1"
    ).fetchall()]
    if not tables:
        raise SystemExit("quality: no tables in schema `measures`; run `make transform` first")
    return tables


def suite_query(name: str, tables: list[str] | None = None, row_counts: str | None = None) -> str:
    """The suite's query, with `row_name` added: its ROW_KEYS as readable text, to name failing rows.
    A measure suite's query reads the measure `tables` given; raw_police_uk reads the `row_counts`
    relation (see police_uk_row_counts)."""
    from expectations.suites import ROW_KEYS

    sql = (QUERIES / f"{name}.sql").read_text().replace("{expected_schema}", str(HERE / "expected_schema.csv"))
    if row_counts is not None:
        sql = sql.replace("{police_uk_row_counts}", row_counts)
    if name in MEASURE_SUITES:
        union = "\n    union all by name\n    ".join(f"select * from measures.{t}" for t in tables or [])
        names = ", ".join(f"'{t}'" for t in tables or [])
        sql = sql.replace("{measure_tables}", union).replace("{measure_table_names}", names)
    parts = ", ".join(f"'{key} ' || cast(suite_rows.{key} as varchar)" for key in ROW_KEYS[name])
    return f"select suite_rows.*, concat_ws(', ', {parts}) as row_name from (\n{sql}\n) as suite_rows"


def _digest(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def measure_table_fingerprints(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """{measure table: fingerprint of its rows and of the reference tables the measure suites join}."""
    reference = [con.execute(f"select count(*), sum(hash(r)::hugeint) from ({query}) as r").fetchone()
                 for query in MEASURE_SUITE_REFERENCES]
    return {table: _digest(reference, con.execute(
        f"select count(*), sum(hash(r)::hugeint) from measures.{table} as r").fetchone())
        for table in measure_tables(con)}


def write_measure_frame(con: duckdb.DuckDBPyConnection, name: str, tables: dict[str, str], target: Path) -> None:
    """A measure suite's frame, assembled from one part per measure table. Every rule of these suites
    stays within one measure, so a part depends only on its table (and the reference tables): parts
    whose table is unchanged since an earlier run are reused from FRAME_CACHE, and a refresh that
    changed two measures computes two parts, not ninety."""
    cache = FRAME_CACHE / name
    cache.mkdir(parents=True, exist_ok=True)
    from expectations.suites import ROW_KEYS

    # a part is the suite's query over one table, with the row names its ROW_KEYS make
    query_digest = _digest((QUERIES / f"{name}.sql").read_text(), ROW_KEYS[name])
    parts = []
    for table, fingerprint in tables.items():
        part = cache / f"{table}-{_digest(query_digest, fingerprint)[:20]}.parquet"
        if not part.is_file():
            for stale in cache.glob(f"{table}-*.parquet"):
                stale.unlink()
            con.execute(f"copy ({suite_query(name, [table])}) to '{part}' (format parquet)")
        parts.append(str(part))
    order = " order by jump desc nulls last" if name == "measure_jumps" else ""
    con.execute(f"copy (select * from read_parquet(?, union_by_name = true){order}) to '{target}' (format parquet)",
                [parts])


def police_uk_row_counts(con: duckdb.DuckDBPyConnection, path: Path) -> Path:
    """raw_police_uk_row_counts.sql's counts for every row of the raw police.uk tables, kept at `path`
    between runs and brought up to date by counting only the rows loaded since.

    Rows are only ever appended (with a new loaded_at) or deleted a whole load of a force-month at a
    time (superseded by a republication), so the counts of a (force-month, load) stay true while that
    load is the force-month's current one: those are kept, and rows loaded after the newest load kept
    are counted. If the kept and new counts do not add up to each table's row count (rows a stopped run
    left unpruned, a warehouse replaced, the clock turned back), or the query or the crime types it
    checks against changed, every row is counted again."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sql = (QUERIES / "raw_police_uk_row_counts.sql").read_text()
    definition = _digest(sql, con.execute(
        "select count(*), sum(hash(r)::hugeint) from reference.police_uk_crime_types as r").fetchone())
    state = path.with_suffix(".json")
    fresh = path.with_suffix(".new.parquet")
    counted = None
    if path.is_file() and state.is_file() and json.loads(state.read_text()).get("definition") == definition:
        (newest,) = con.execute("select max(loaded_at) from read_parquet(?)", [str(path)]).fetchone()
        # a literal, so DuckDB skips the row groups of earlier loads by their min/max loaded_at
        after = f"timestamptz '{newest.isoformat()}'" if newest else EVERY_LOAD
        con.execute(f"""copy (
            select kept.* from read_parquet('{path}') as kept
            where exists (select 1 from raw_police_uk.published_files as files
                          where files.dataset = kept.dataset and files.force_slug = kept.force_slug
                          and files.file_month = kept.file_month and files.status = 'loaded'
                          and files.recorded_at = kept.loaded_at)
            union all
            select * from ({sql.replace("{loaded_after}", after)})
        ) to '{fresh}' (format parquet)""")
        totals = dict(con.execute(f"select dataset, sum(rows_loaded) from read_parquet('{fresh}') group by 1"
                                  ).fetchall())
        held = {t: con.execute(f"select count(*) from raw_police_uk.{t}").fetchone()[0]
                for t in ("street", "outcomes", "stop_and_search")}
        counted = all(totals.get(t, 0) == n for t, n in held.items())
    if not counted:
        con.execute(f"copy ({sql.replace('{loaded_after}', EVERY_LOAD)}) to '{fresh}' (format parquet)")
    fresh.replace(path)
    state.write_text(json.dumps({"definition": definition}))
    return path


def write_frames(warehouse: Path, suites: list[str]) -> dict[str, int | None]:
    """Each suite's table as FRAMES/<suite>.parquet; its row count, or None for a suite whose source holds
    no rows (it is skipped, not failed)."""
    from expectations.suites import REQUIRES

    if not warehouse.is_file():
        raise SystemExit(f"quality: no warehouse at {warehouse}; run `make extract transform` first")
    shutil.rmtree(FRAMES, ignore_errors=True)
    FRAMES.mkdir(parents=True)
    rows: dict[str, int | None] = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = measure_table_fingerprints(con) if set(suites) & set(MEASURE_SUITES) else {}
        for name in suites:
            required = REQUIRES.get(name)
            if required and not _has_rows(con, required):
                rows[name] = None
                continue
            target = FRAMES / f"{name}.parquet"
            if name in MEASURE_SUITES:
                write_measure_frame(con, name, tables, target)
            elif name == "raw_police_uk":
                counts = police_uk_row_counts(con, warehouse.parent / "quality" / ROW_COUNTS_FILE)
                query = suite_query(name, row_counts=f"read_parquet('{counts}')")
                con.execute(f"copy ({query}) to '{target}' (format parquet)")
            else:
                con.execute(f"copy ({suite_query(name)}) to '{target}' (format parquet)")
            count = con.execute(f"select count(*) from '{target}'").fetchone()[0]
            rows[name] = None if required and count == 0 else count
    return rows


def fingerprints(suites: list[str]) -> dict[str, str]:
    """{suite: fingerprint of its frame's content and of its definition (query, expectations, schema)}."""
    definition = hashlib.sha256((HERE / "suites.py").read_bytes() + (HERE / "expected_schema.csv").read_bytes())
    found: dict[str, str] = {}
    with duckdb.connect() as con:
        for name in suites:
            frame = con.execute(f"select count(*), sum(hash(columns(*))::hugeint) from '{FRAMES / name}.parquet'"
                                ).fetchone()
            digest = definition.copy()
            digest.update((QUERIES / f"{name}.sql").read_bytes() + repr(frame).encode())
            found[name] = digest.hexdigest()
    return found


def carried_over(previous: dict | None, current: dict[str, str]) -> dict[str, dict]:
    """The last run's summaries of suites that passed on the very frame and definition they have now."""
    if not previous:
        return {}
    return {name: {**summary, "carried_over": True} for name, summary in previous.get("suites", {}).items()
            if name in current and summary.get("failed") == 0 and summary.get("fingerprint") == current[name]}


def _has_rows(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    schema, name = table.split(".")
    exists = con.execute("select count(*) from information_schema.tables where table_schema = ? "
                         "and table_name = ?", [schema, name]).fetchone()[0]
    return bool(exists) and con.execute(f"select count(*) from {schema}.{name}").fetchone()[0] > 0


def get_context():
    import great_expectations as gx

    return gx.get_context(mode="file", project_root_dir=str(HERE))


def _suite(context, name: str):
    """The stored suite, refreshed from expectations/suites.py when its expectations changed."""
    from expectations.suites import SUITES

    wanted = SUITES[name]()
    try:
        stored = context.suites.get(name)
    except Exception:
        return context.suites.add(wanted)
    if _configs(stored) != _configs(wanted):
        stored.expectations = []
        for expectation in wanted.expectations:
            stored.add_expectation(expectation)
        stored.save()
    return stored


def _validation_definition(context, source, name: str):
    import great_expectations as gx

    try:
        asset = source.get_asset(name)
    except LookupError:
        asset = source.add_parquet_asset(name)
    try:
        batch = asset.get_batch_definition("frame")
    except KeyError:
        batch = asset.add_batch_definition_path("frame", path=f"{name}.parquet")
    suite = _suite(context, name)
    try:
        definition = context.validation_definitions.get(name)
        if definition.batch_definition.id == batch.id and definition.suite.name == suite.name:
            return definition
    except Exception:
        pass
    return context.validation_definitions.add_or_update(gx.ValidationDefinition(name=name, data=batch, suite=suite))


RESULT_FORMAT = {"result_format": "COMPLETE", "unexpected_index_column_names": ["row_name"],
                 "partial_unexpected_count": MAX_ROWS_SHOWN, "include_unexpected_rows": False}


def ensure_checkpoint(context, suites: list[str]):
    """The gate's checkpoint for `suites`. The stored one, `publication_gate`, validates every suite (created
    or updated as needed); a run over fewer (--suite, or suites skipped for want of rows) uses an unsaved
    copy, so the checkpoint under version control does not change with what one run checked."""
    import great_expectations as gx

    from expectations.suites import SUITES

    try:
        source = context.data_sources.get(DATA_SOURCE)
    except KeyError:
        # relative to gx/ (main() runs GX there), so the stored configuration holds no machine's path
        source = context.data_sources.add_pandas_filesystem(DATA_SOURCE, base_directory=Path("uncommitted/frames"))
    every = list(SUITES)
    definitions = {name: _validation_definition(context, source, name) for name in every}
    try:
        checkpoint = context.checkpoints.get(CHECKPOINT)
    except Exception:
        checkpoint = None
    if checkpoint is None:
        checkpoint = context.checkpoints.add(gx.Checkpoint(
            name=CHECKPOINT, validation_definitions=[definitions[n] for n in every], actions=[],
            result_format=RESULT_FORMAT,
        ))
    elif ([d.name for d in checkpoint.validation_definitions] != every or checkpoint.result_format != RESULT_FORMAT
          or checkpoint.actions):
        checkpoint.validation_definitions = [definitions[n] for n in every]
        checkpoint.result_format = RESULT_FORMAT
        checkpoint.actions = []  # Data Docs are built once after the run (run_checkpoint), not per suite
        checkpoint.save()
    if suites == every:
        return checkpoint
    return gx.Checkpoint(name=f"{CHECKPOINT}_part", validation_definitions=[definitions[n] for n in suites],
                         actions=[], result_format=RESULT_FORMAT)


def _configs(suite) -> list[dict]:
    def plain(expectation) -> dict:
        config = expectation.configuration.to_json_dict()
        return {"type": config["type"], "kwargs": config["kwargs"], "meta": config.get("meta") or {}}

    return sorted((plain(e) for e in suite.expectations), key=lambda c: json.dumps(c, sort_keys=True))


def describe_failure(result, suite: str) -> str:
    """The suite and expectation, what was observed, and the rows it failed on (by their row_name)."""
    config = result.expectation_config
    kwargs = {k: v for k, v in config.kwargs.items() if k not in ("batch_id",)}
    observed = result.result or {}
    detail = {k: observed[k] for k in ("observed_value", "unexpected_count") if k in observed}
    text = f"{suite}: {config.type} {json.dumps(kwargs, default=str)} -> {json.dumps(detail, default=str)[:300]}"
    rows = [r.get("row_name") for r in observed.get("unexpected_index_list") or [] if isinstance(r, dict)]
    values = observed.get("unexpected_list") or []
    for i, row in enumerate(rows[:MAX_ROWS_SHOWN]):
        value = f": {json.dumps(values[i], default=str)}" if i < len(values) else ""
        text += f"\n    at {row}{value}"
    if len(rows) > MAX_ROWS_SHOWN:
        text += f"\n    ... and {len(rows) - MAX_ROWS_SHOWN} more rows"
    return text


def prune_validation_results(keep: int = KEPT_RESULTS) -> None:
    """Delete all but the newest `keep` stored results of each suite (run folders are named by UTC time)."""
    for suite in VALIDATIONS.glob("*") if VALIDATIONS.is_dir() else []:
        runs = sorted((run for run in suite.glob("*/*") if run.is_dir()), key=lambda run: run.name)
        for run in runs[:-keep]:
            shutil.rmtree(run, ignore_errors=True)


def run_checkpoint(suites: list[str]) -> dict:
    """Validate `suites` in the GX context: {suite name: its validation result} (see ensure_checkpoint)."""
    prune_validation_results()
    with contextlib.chdir(GX_ROOT), warnings.catch_warnings():
        # pandas' note on GX's regex expectations (file_month's pattern has a group): not about the data
        warnings.filterwarnings("ignore", message="This pattern is interpreted as a regular expression")
        context = get_context()
        checkpoint = ensure_checkpoint(context, suites)
        try:
            result = checkpoint.run()
        finally:
            if checkpoint.name != CHECKPOINT:  # GX stores a checkpoint it runs: a partial run leaves none
                (GX_ROOT / "checkpoints" / f"{checkpoint.name}.json").unlink(missing_ok=True)
        # Once for the run (GX's UpdateDataDocsAction rebuilds the whole site after every suite), and only
        # the pages of this run's results when the site exists: carried-over suites' pages are as they were.
        if DATA_DOCS_INDEX.is_file():
            from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

            context.build_data_docs(resource_identifiers=[
                *result.run_results, *(ExpectationSuiteIdentifier(name) for name in suites)])
        else:
            context.build_data_docs()
    return {run.suite_name: run for run in result.run_results.values()}


@contextlib.contextmanager
def gate_lock() -> Iterator[None]:
    """One gate run at a time in this checkout: every run writes its frames, validation results and Data
    Docs under gx/uncommitted/, whatever its warehouse, so a second run waits for the first to finish."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; runs must not overlap
        yield
        return
    GATE_LOCK.parent.mkdir(parents=True, exist_ok=True)
    with open(GATE_LOCK, "w") as lock:  # the lock goes with the file, when it closes or the process dies
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"quality: waiting for another gate run to finish (gate runs share {GATE_LOCK.parent})",
                  file=sys.stderr)
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def main(argv: list[str] | None = None) -> int:
    from expectations.suites import SUITES

    parser = argparse.ArgumentParser(prog="python -m expectations.validate", description=__doc__)
    parser.add_argument("--suite", action="append", choices=sorted(SUITES), help="default: every suite")
    parser.add_argument("--revalidate", action="store_true",
                        help="validate every suite, even those whose frame passed unchanged last time")
    args = parser.parse_args(argv)
    with gate_lock():
        return run_gate(args.suite or list(SUITES), revalidate=args.revalidate, complete=args.suite is None)


def run_gate(suites: list[str], revalidate: bool, complete: bool) -> int:
    """Validate `suites` on the warehouse of the settings; exit status (0: every expectation passed)."""
    settings = get_settings()
    started = time.monotonic()
    from publish.release import warehouse_state

    validated = warehouse_state(settings.warehouse) if settings.warehouse.is_file() else None
    rows = write_frames(settings.warehouse, suites)
    skipped = [name for name in suites if rows[name] is None]
    for name in skipped:
        print(f"quality: {name}: skipped: its source holds no rows in this warehouse (or, for the "
              "reconciliation, no period is covered by both sources)", file=sys.stderr)
    suites = [name for name in suites if rows[name] is not None]
    current = fingerprints(suites)
    out = settings.warehouse_dir / "quality" / "last_run.json"
    previous = json.loads(out.read_text()) if out.is_file() and not revalidate else None
    summary: dict[str, dict] = carried_over(previous, current)
    for name in summary:
        print(f"quality: {name}: passed on the same {rows[name]:,} rows in the last run: not validated again",
              file=sys.stderr)
    to_validate = [name for name in suites if name not in summary]
    by_suite = run_checkpoint(to_validate) if to_validate else {}
    failed_total = 0
    flagged_total = sum(s.get("flagged_for_review", 0) for s in summary.values())
    for name in to_validate:
        results = by_suite[name].results
        review = [r for r in results if not r.success and (r.expectation_config.meta or {}).get("review_only")]
        failed = [r for r in results if not r.success and r not in review]
        failed_total += len(failed)
        flagged = sum((r.result or {}).get("unexpected_count", 0) for r in review)
        flagged_total += flagged
        summary[name] = {"rows": rows[name], "expectations": len(results), "failed": len(failed),
                         "flagged_for_review": flagged, "fingerprint": current[name],
                         "flagged_rows": [row.get("row_name") for r in review
                                          for row in (r.result or {}).get("unexpected_index_list") or []
                                          if isinstance(row, dict)][:MAX_FLAGGED_KEPT]}
        state = "passed" if not failed else "FAILED"
        note = f"; {flagged:,} rows flagged for review" if flagged else ""
        print(f"quality: {name}: {len(results) - len(failed)}/{len(results)} expectations {state} "
              f"on {rows[name]:,} rows{note}", file=sys.stderr)
        for r in failed:
            print(f"  failed: {describe_failure(r, name)}", file=sys.stderr)
        for r in review:
            print(f"  flagged for review (not a failure): {describe_failure(r, name)}", file=sys.stderr)
    docs = DATA_DOCS_INDEX
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"run_at": datetime.now(UTC).isoformat(), "checkpoint": CHECKPOINT,
                               "suites": summary, "skipped": skipped, "success": failed_total == 0,
                               "complete": complete, "warehouse": validated, "data_docs": str(docs)},
                              indent=2))
    checks = sum(s["expectations"] for s in summary.values())
    verdict = "passed" if failed_total == 0 else f"FAILED ({failed_total} failed)"
    if flagged_total:
        verdict += f", {flagged_total:,} values flagged for review"
    skipped_note = f" ({len(skipped)} skipped: {', '.join(skipped)})" if skipped else ""
    reused = f" ({len(suites) - len(to_validate)} carried over unchanged)" if len(to_validate) < len(suites) else ""
    print(f"quality: checkpoint {CHECKPOINT}: {len(suites)} suites{skipped_note}{reused}, {checks} expectations "
          f"{verdict} in {time.monotonic() - started:.1f}s; Data Docs: {docs}")
    return 0 if failed_total == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
