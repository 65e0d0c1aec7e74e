"""The expected schema of the raw and measure tables: `python -m expectations.schema --update` records the
warehouse's (PPF_WAREHOUSE) columns and types in expectations/expected_schema.csv, after a deliberate
change; the gate's `table_schemas` suite compares every build with that file."""

from __future__ import annotations

import argparse
import sys

import duckdb

from expectations.validate import QUERIES
from extract.config import get_settings

EXPECTED_SCHEMA = QUERIES.parent / "expected_schema.csv"


def update() -> int:
    settings = get_settings()
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        sql = (QUERIES / "table_schemas.sql").read_text().replace("{expected_schema}", str(EXPECTED_SCHEMA))
        if not EXPECTED_SCHEMA.is_file():
            EXPECTED_SCHEMA.write_text("table_name,column_name,data_type\n")
        con.execute(f"""
            copy (select table_name, column_name, actual_type as data_type from ({sql})
                  where actual_type is not null order by table_name, column_name)
            to '{EXPECTED_SCHEMA}' (header, delimiter ',')""")
        count = con.execute(f"select count(*) from read_csv('{EXPECTED_SCHEMA}')").fetchone()[0]
    print(f"schema: {count:,} columns recorded in {EXPECTED_SCHEMA}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m expectations.schema", description=__doc__)
    parser.add_argument("--update", action="store_true", help="record the warehouse's schema as the expected one")
    args = parser.parse_args(argv)
    if not args.update:
        parser.print_help()
        return 2
    return update()


if __name__ == "__main__":
    sys.exit(main())
