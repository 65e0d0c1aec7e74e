"""The reference the police.uk loader is measured against: DuckDB's own read_csv of the same files.

`python -m bench.baseline <csv root> <database> [--setting name=value ...]` reads every
`*/*-<dataset>.csv` under the root (the unzipped archive) into one table per dataset with a bare
`CREATE TABLE ... AS SELECT * FROM read_csv(...)`, all columns as text (as the loader keeps them), and
prints the rows of each table as JSON. Run as its own process so that its time and peak memory are its own.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import duckdb

from extract.police_uk.settings import DATASETS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.baseline", description=__doc__.splitlines()[0])
    parser.add_argument("csv_root", type=Path)
    parser.add_argument("database", type=Path)
    parser.add_argument("--setting", action="append", default=[], help="DuckDB setting name=value (repeatable)")
    args = parser.parse_args(argv)
    rows: dict[str, int] = {}
    started = time.perf_counter()
    with duckdb.connect(str(args.database)) as con:
        for setting in args.setting:
            name, value = setting.split("=", 1)
            con.execute(f"set {name} = {value}")
        for dataset, suffix in DATASETS.items():
            pattern = str(args.csv_root / "*" / f"*-{suffix}.csv")
            con.execute(f"create table {dataset} as select * from read_csv(?, header = true, all_varchar = true)",
                        [pattern])
            (rows[dataset],) = con.execute(f"select count(*) from {dataset}").fetchone()
    json.dump({"rows": rows, "seconds": round(time.perf_counter() - started, 2)}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
