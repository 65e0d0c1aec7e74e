"""`make coverage`: the measure catalogue by topic and tier, and what the warehouse computes of it.

Reads core.dim_measure (built by `make transform`) read-only and prints one line per measure:
whether it has a table, how many forces and periods have values, the latest period, or why not.
"""

from __future__ import annotations

import sys

import duckdb

from extract.config import get_settings

NOTE_WIDTH = 90
QUERY = """
select topic, tier, measure_id, framework, has_table, coverage_status, forces_with_values,
       periods_with_values, latest_period_label, source_status_note
from core.dim_measure
order by topic, case tier when 'headline' then 1 when 'monitoring' then 2 when 'contextual' then 3 else 4 end,
         measure_id
"""


def main() -> int:
    settings = get_settings()
    if not settings.warehouse.is_file():
        print(f"coverage: no warehouse at {settings.warehouse}; run `make demo` or `make build` first",
              file=sys.stderr)
        return 1
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        rows = con.execute(QUERY).fetchall()
    computed = sum(1 for r in rows if r[5] == "computed")
    current = None
    for topic, tier, measure_id, framework, has_table, status, forces, periods, latest, note in rows:
        if (topic, tier) != current:
            current = (topic, tier)
            print(f"\n{topic} - {tier}")
        table = "table" if has_table else "NO TABLE"
        if status == "computed":
            detail = f"{forces} forces, {periods} periods, latest {latest}"
        else:
            detail = f"{status}: {note or ''}".rstrip(": ")
            detail = detail if len(detail) <= NOTE_WIDTH else detail[: NOTE_WIDTH - 1] + "…"
        print(f"  {measure_id:<47} {framework:<13} {table:<6} {detail}")
    print(f"\ncoverage: {computed} of {len(rows)} catalogue measures computed; "
          f"{sum(1 for r in rows if r[4])} have a table")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
