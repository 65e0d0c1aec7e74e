"""Deterministic sample mirror of police.uk's monthly 999 (and 101) call-answering data.

`generate_calls_mirror` writes, under a mirror root (`<root>/<host>/<url path>`):

* `www.police.uk/pu/performance/999-call-answering/999-call-answering-YYYY-MM.csv`, one file per month
  from SAMPLE_FIRST_MONTH to SAMPLE_LAST_MONTH (18 months), one row per force, in the layout of
  `extract.police_uk.calls_settings` (the header is SAMPLE_HEADER);
* `www.police.uk/pu/performance/999-call-answering/index.json`, listing them newest first.

The 43 forces of England and Wales are published by their police.uk names (seeds/police_force_areas.csv),
plus Police Scotland and the Police Service of Northern Ireland. Volumes: about 850,000 999 calls a month
in England and Wales, shared by force population (seeds/force_population.csv) with a seasonal swing
(summer busiest); 75-92% answered under 10 seconds (a level per force, a little monthly noise), average
answer time 8-20 seconds; total = the sum of the three bands. 101 figures: only SAMPLE_101_FORCES forces
publish them, the others' 101 cells are blank. Month cells are `Apr 2024` style in 2024 files and
`2025-01` style from 2025. Gaps a loader must keep: Gwent has no row for 2025-09 (a late return), and
Devon and Cornwall's 2024-11 row has `..` in every count and time cell.

Figures come from `random.Random` generators keyed on (seed, force, month), so the same seed gives
byte-identical files.
"""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import date
from pathlib import Path

from extract.config import PROJECT_ROOT
from extract.police_uk.calls import NON_EW_BODIES
from extract.police_uk.calls_settings import HOST, INDEX_PATH

FOLDER = INDEX_PATH.rsplit("/", 1)[0]
SAMPLE_FIRST_MONTH = date(2024, 4, 1)
SAMPLE_MONTHS = 18  # to 2025-09
SAMPLE_HEADER = [
    "Force", "Month", "Calls answered under 10 seconds", "Calls answered 10 to under 60 seconds",
    "Calls answered 60 seconds or more", "Total calls", "Average answer time (seconds)", "101 calls",
    "Average wait time to answer (seconds)",
]
NATIONAL_999_PER_MONTH = 850_000  # England and Wales
SAMPLE_101_FORCES = 25
# Populations of the two bodies outside England and Wales (not in seeds/force_population.csv), rounded.
# Greater Manchester's population is published as '..' in the seed (ONS left it out); its mid-2018 estimate.
FALLBACK_POPULATIONS = {"E23000005": 2_812_600}
OTHER_POPULATIONS = {"Police Scotland": 5_450_000, "Police Service of Northern Ireland": 1_910_000}
LATE_RETURN = ("Gwent Police", date(2025, 9, 1))  # no row
NOT_AVAILABLE = ("Devon & Cornwall Police", date(2024, 11, 1))  # '..' in every value cell
# Busiest in summer: a multiplier per calendar month.
SEASON = {1: 0.93, 2: 0.88, 3: 0.96, 4: 0.97, 5: 1.03, 6: 1.06, 7: 1.10, 8: 1.08, 9: 1.01, 10: 0.99, 11: 0.97,
          12: 1.02}


def _months() -> list[date]:
    months = []
    year, month = SAMPLE_FIRST_MONTH.year, SAMPLE_FIRST_MONTH.month
    for _ in range(SAMPLE_MONTHS):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def sample_forces() -> list[tuple[str, int]]:
    """(name as police.uk publishes it, population) of every reporting body, in publication order."""
    with open(PROJECT_ROOT / "seeds" / "force_population.csv", newline="", encoding="utf-8") as fh:
        population = {row["force_id"]: int(row["population"]) if row["population"] else FALLBACK_POPULATIONS[
            row["force_id"]] for row in csv.DictReader(fh)}
    with open(PROJECT_ROOT / "seeds" / "police_force_areas.csv", newline="", encoding="utf-8") as fh:
        forces = [(row["police_uk_force_name"], population[row["force_id"]]) for row in csv.DictReader(fh)]
    return sorted(forces) + [(name, OTHER_POPULATIONS[name]) for name in NON_EW_BODIES]


def month_cell(month: date) -> str:
    return f"{month:%b %Y}" if month.year < 2025 else f"{month:%Y-%m}"


def _rows(month: date, forces: list[tuple[str, int]], publish_101: set[str], seed: int) -> list[list[object]]:
    ew_population = sum(p for name, p in forces if name not in NON_EW_BODIES)
    rows: list[list[object]] = []
    for name, population in forces:
        if (name, month) == LATE_RETURN:
            continue
        if (name, month) == NOT_AVAILABLE:
            rows.append([name, month_cell(month), *([".."] * 7)])
            continue
        level = random.Random(f"{seed}:level:{name}")  # the force's own service level, the same every month
        rng = random.Random(f"{seed}:{name}:{month:%Y-%m}")
        base_under_10 = level.uniform(0.77, 0.90)
        share_10_60 = level.uniform(0.70, 0.85)
        total = round(NATIONAL_999_PER_MONTH * population / ew_population * SEASON[month.month]
                      * rng.uniform(0.95, 1.05))
        under_10_rate = min(0.92, max(0.75, base_under_10 + rng.uniform(-0.02, 0.02)))
        under_10 = round(total * under_10_rate)
        band_10_60 = round((total - under_10) * share_10_60)
        band_60 = total - under_10 - band_10_60
        average = round(min(20.0, max(8.0, 8 + (0.92 - under_10_rate) / 0.17 * 12 + rng.uniform(-0.8, 0.8))), 1)
        if name in publish_101:
            calls_101: object = round(total * level.uniform(0.6, 1.2) * rng.uniform(0.95, 1.05))
            wait_101: object = round(rng.uniform(60, 420), 1)
        else:
            calls_101 = wait_101 = ""
        rows.append([name, month_cell(month), under_10, band_10_60, band_60, total, average, calls_101, wait_101])
    return rows


def _csv_bytes(rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(SAMPLE_HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def generate_calls_mirror(root: Path, seed: int = 20250901) -> dict:
    """Write the call-answering files and their index under `root`; return a manifest of what was written."""
    forces = sample_forces()
    england_and_wales = [name for name, _ in forces if name not in NON_EW_BODIES]
    publish_101 = set(random.Random(f"{seed}:101").sample(england_and_wales, SAMPLE_101_FORCES))
    folder = Path(root, HOST, FOLDER)
    folder.mkdir(parents=True, exist_ok=True)
    files: list[dict] = []
    for month in _months():
        name = f"999-call-answering-{month:%Y-%m}.csv"
        rows = _rows(month, forces, publish_101, seed)
        (folder / name).write_bytes(_csv_bytes(rows))
        files.append({"month": f"{month:%Y-%m}", "url": f"https://{HOST}/{FOLDER}/{name}", "path": folder / name,
                      "rows": len(rows)})
    index = {"files": [{"month": f["month"], "url": f["url"]} for f in reversed(files)]}
    index_path = Path(root, HOST, INDEX_PATH)
    index_path.write_text(json.dumps(index, indent=2) + "\n", encoding="utf-8")
    return {
        "index": index_path,
        "files": files,
        "forces": [name for name, _ in forces],
        "publish_101": sorted(publish_101),
        "late_return": LATE_RETURN,
        "not_available": NOT_AVAILABLE,
    }


__all__ = ["SAMPLE_HEADER", "generate_calls_mirror", "sample_forces"]
