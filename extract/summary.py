"""One closing line for `make demo` / `make build`: what the run produced.

  python -m extract.summary [--step transform]   (the transform line alone; `python -m transform` prints it)

Reads the warehouse read-only, dbt's target/run_results.json and the quality gate's last_run.json.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import duckdb

from extract.config import dbt_target_path, get_settings
from extract.warehouse import raw_tables


def dbt_counts() -> tuple[int, int, int]:
    """(models built, tests and unit tests passed, failed) from the last dbt invocation."""
    run_results = dbt_target_path() / "run_results.json"
    if not run_results.is_file():
        return 0, 0, 0
    results = json.loads(run_results.read_text())["results"]
    built = sum(1 for r in results if r["unique_id"].startswith("model.") and r["status"] == "success")
    tests = [r for r in results if r["unique_id"].startswith(("test.", "unit_test."))]
    passed = sum(1 for r in tests if r["status"] == "pass")
    return built, passed, len(tests) - passed


def raw_rows(warehouse: Path) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return sum(con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0] for s, t in raw_tables(con))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extract.summary")
    parser.add_argument("--step", choices=["transform", "all"], default="all")
    args = parser.parse_args(argv)
    settings = get_settings()
    built, passed, failed = dbt_counts()
    if args.step == "transform":
        print(f"transform: {built} models built, {passed} dbt tests and unit tests passed, {failed} failed")
        return 0
    quality_file = settings.warehouse_dir / "quality" / "last_run.json"
    quality = json.loads(quality_file.read_text()) if quality_file.is_file() else {"suites": {}}
    expectations = sum(s["expectations"] - s["failed"] for s in quality["suites"].values())
    print(
        f"done: {raw_rows(settings.warehouse):,} raw rows in the warehouse; {built} models built; "
        f"{passed} dbt checks and {expectations} expectations in {len(quality['suites'])} GX suites passed; "
        f"warehouse {settings.warehouse} "
        f"(query it: .venv/bin/duckdb -readonly {settings.warehouse})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
