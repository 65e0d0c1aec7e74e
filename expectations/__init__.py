"""Great Expectations (1.x) publication gate: suites over the raw police.uk tables and the measure tables.

Run with `make quality` (`python -m expectations.validate`). GX reads pandas DataFrames that DuckDB
produced from a read-only connection (GX cannot read DuckDB through SQLAlchemy reliably), with big
raw tables aggregated in DuckDB to one row per file first.
"""
