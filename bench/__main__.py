"""`make bench`: the pipeline at national scale, timed step by step against DuckDB's own speed.

For each window (12, 24 and 36 months by default) of generated police.uk archives at real volumes
(the sample generator at scale 1.0, in the real formats) plus the sample files of every other
publisher, it runs, each step as its own process, timing it and reading its peak memory:

1. baseline: the archive unzipped (timed apart), then DuckDB's bare `read_csv` of the same CSVs into
   tables (`python -m bench.baseline`), with default settings and with the loader's setting;
2. the police.uk extract+load on its own into an empty warehouse (the figure compared with 1);
3. a full build into an empty warehouse: `python -m pipeline` (extract of every source, `transform`,
   `quality`: what `make build` runs before publishing), with its own timings of each part;
4. refreshes of that warehouse, in place, each from the built state: one new month (archive 2026-01
   holding just that month) and one new quarter (2026-01 to 2026-03): `python -m pipeline` with the
   police.uk extract only;
5. for the longest window only, a republication: the next monthly archive re-issuing every month with
   outcomes changed, which reloads nearly every force-month (what a real monthly refresh costs).

Figures go to a JSON file (default data/bench/results/bench-<UTC time>.json) and a Markdown table on
stdout; `python -m bench --table <json>` prints the table of an earlier run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from extract.config import PROJECT_ROOT

BASE_RELEASE = "2025-12"
MONTH_RELEASE, QUARTER_RELEASE = "2026-01", "2026-03"
# Hosts (or paths) of the other publishers' sample files, linked into each bench mirror.
OTHER_MIRROR_PATHS = ["assets.publishing.service.gov.uk", "www.gov.uk", "www.ons.gov.uk", "www.police.uk",
                      "data.police.uk/api"]
ARCHIVE_DIR = Path("data.police.uk/data/archive")


@dataclass
class Step:
    name: str
    seconds: float
    peak_rss_mb: float | None  # None for a part of a step (its peak is the whole step's)
    rows: int | None = None

    @property
    def rows_per_second(self) -> float | None:
        return round(self.rows / self.seconds) if self.rows and self.seconds else None


@dataclass
class Window:
    months: int
    csv_bytes: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)

    def step(self, name: str) -> Step | None:
        return next((s for s in self.steps if s.name == name), None)

    def seconds(self, *names: str) -> float:
        return round(sum(s.seconds for s in self.steps if s.name in names), 1)

    def summary(self) -> dict[str, float | None]:
        full = self.seconds("full_build")
        baseline = self.seconds("baseline_read_csv")
        month = self.seconds("refresh_month")
        quarter = self.seconds("refresh_quarter")
        return {
            "police_uk_load_over_read_csv":
                round(self.seconds("extract_police_uk") / baseline, 2) if baseline else None,
            "full_build_seconds": full,
            "peak_rss_mb": max((s.peak_rss_mb for s in self.steps
                                if s.peak_rss_mb is not None and not s.name.startswith("baseline")), default=0),
            "refresh_month_seconds": month,
            "refresh_month_share_of_full_build": round(month / full, 3) if full else None,
            "refresh_quarter_seconds": quarter,
            "refresh_quarter_share_of_full_build": round(quarter / full, 3) if full else None,
        }


def run_step(window: Window, name: str, command: list[str], env: dict[str, str], *, log: Path,
             rows: int | None = None) -> Step:
    """Run one command as a child process (through bench.measure); its wall time and peak resident memory
    (ru_maxrss of the largest process it waited for: dbt's, DuckDB's) are the step's figures."""
    print(f"bench: {window.months} months: {name} ...", file=sys.stderr, flush=True)
    figures = log.with_suffix(".step.json")
    with open(log, "ab") as out:
        result = subprocess.run([sys.executable, "-m", "bench.measure", str(figures), "--", *command],
                                cwd=PROJECT_ROOT, env={**os.environ, **env}, stdout=out, stderr=out)
    measured = json.loads(figures.read_text())
    figures.unlink()
    if result.returncode != 0:
        raise SystemExit(f"bench: step {name} failed (exit {measured['exit']}); see {log}")
    step = Step(name, round(measured["seconds"], 1), round(measured["max_rss_kb"] / 1024, 1), rows)
    window.steps.append(step)
    print(f"bench: {window.months} months: {name}: {step.seconds:.1f} s, peak {step.peak_rss_mb:,.0f} MB",
          file=sys.stderr, flush=True)
    return step


def run_pipeline(window: Window, name: str, args: list[str], env: dict[str, str], *, log: Path,
                 parts: dict[str, Callable[[dict[str, float]], float]], rows: dict[str, int] | None = None) -> Step:
    """`python -m pipeline` (what `make build` runs up to the gate) as one step, `name`, timed and measured
    as a whole; `parts`: further steps (no peak of their own), each taking its seconds from the pipeline's
    timings of its steps and sources, with `rows` where given."""
    timings = log.with_suffix(".timings.json")
    step = run_step(window, name, [sys.executable, "-m", "pipeline", *args, "--timings", str(timings)], env,
                    log=log)
    seconds = json.loads(timings.read_text())["seconds"]
    timings.unlink()
    for part, seconds_of in parts.items():
        window.steps.append(Step(part, round(seconds_of(seconds), 1), None, (rows or {}).get(part)))
    return step


def timing(key: str) -> Callable[[dict[str, float]], float]:
    return lambda seconds: seconds[key]


def generate(mirror: Path, release: str, months: int, scale: float, variant: int = 0) -> Path:
    from extract.police_uk.sample import archive_path, generate_archive_stats

    path = archive_path(mirror, release)
    if not path.is_file():
        stats = generate_archive_stats(mirror, release=release, n_months=months, scale=scale, variant=variant)
        print(f"bench: wrote {stats.path} ({stats.files:,} files, {stats.rows:,} rows) in {stats.seconds:.0f} s",
              file=sys.stderr)
    return path


def link_other_publishers(mirror: Path, sample: Path) -> None:
    for relative in OTHER_MIRROR_PATHS:
        target, link = sample / relative, mirror / relative
        link.parent.mkdir(parents=True, exist_ok=True)
        if not link.exists():
            link.symlink_to(target, target_is_directory=True)


def ensure_other_publishers(sample: Path) -> None:
    """The sample files of every publisher but the police.uk archive, written once."""
    if (sample / "www.police.uk").is_dir():
        return
    from extract.home_office.sample import generate_home_office_mirror
    from extract.home_office.workforce_sample import generate_workforce_mirror
    from extract.ons.csew_sample import generate_csew_mirror
    from extract.ons.sample import find_prc_ods, generate_ons_pfa_mirror
    from extract.police_uk.api_sample import generate_api_mirror
    from extract.police_uk.calls_sample import generate_calls_mirror

    generate_home_office_mirror(sample)
    generate_ons_pfa_mirror(sample, prc_ods=find_prc_ods(sample))
    generate_workforce_mirror(sample)
    generate_csew_mirror(sample)
    generate_calls_mirror(sample)
    generate_api_mirror(sample)


def archive_rows(path: Path) -> int:
    """Data rows of an archive: lines minus headers, counted inside the ZIP (no published field spans lines)."""
    rows = 0
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            with archive.open(info) as fh:
                rows += sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 24), b"")) - 1
    return rows


def csv_bytes(path: Path) -> int:
    with zipfile.ZipFile(path) as archive:
        return sum(info.file_size for info in archive.infolist())


def copy_warehouse(source: Path, target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, symlinks=True)
    # Written out before the next step starts: otherwise the kernel flushes gigabytes of the copy while
    # a refresh runs, and the refresh is charged for the bench's own copying.
    os.sync()


def bench_window(months: int, work: Path, scale: float, republish: bool, log: Path) -> Window:
    window = Window(months)
    mirror = work / f"mirror-{months}m"
    link_other_publishers(mirror, work / "publishers")
    base = generate(mirror, BASE_RELEASE, months, scale)
    generate(mirror, MONTH_RELEASE, 1, scale)
    generate(mirror, QUARTER_RELEASE, 3, scale)
    window.csv_bytes = csv_bytes(base)
    py = sys.executable

    # 1. DuckDB's own speed on the same files, unzipped (the loader reads them inside the ZIP).
    unzipped, scratch = work / "unzipped", work / "baseline.duckdb"
    shutil.rmtree(unzipped, ignore_errors=True)
    run_step(window, "baseline_unzip", [py, "-m", "zipfile", "-e", str(base), str(unzipped)], {}, log=log)
    baseline = []
    for name, settings in (("baseline_read_csv", []),
                           ("baseline_read_csv_unordered", ["--setting", "preserve_insertion_order=false"])):
        scratch.unlink(missing_ok=True)
        baseline.append(run_step(window, name, [py, "-m", "bench.baseline", str(unzipped), str(scratch), *settings],
                                 {}, log=log))
    with duckdb.connect(str(scratch), read_only=True) as con:
        window.rows = {t: con.execute(f"select count(*) from {t}").fetchone()[0]
                       for t in ("street", "outcomes", "stop_and_search")}
    rows = sum(window.rows.values())
    for step in baseline:
        step.rows = rows
    scratch.unlink(missing_ok=True)
    shutil.rmtree(unzipped, ignore_errors=True)

    # 2. The police.uk loader alone into an empty warehouse, as the baseline ran: the figure to compare.
    built = work / f"warehouse-{months}m"
    env = {"PPF_SOURCE": str(mirror), "PPF_WAREHOUSE": str(built / "ppf.duckdb"),
           "DBT_TARGET_PATH": str(work / "target"), "DBT_LOG_PATH": str(work / "logs")}
    shutil.rmtree(built, ignore_errors=True)
    run_step(window, "extract_police_uk",
             [py, "-m", "extract", "run", "--only", "police_uk_archive", "--archive", BASE_RELEASE], env,
             rows=rows, log=log)

    # 3. The full build into an empty warehouse, as `make build` runs it up to the gate (its police.uk
    # extract shares the machine with the imports of the process that then runs transform and quality).
    shutil.rmtree(built, ignore_errors=True)
    run_pipeline(window, "full_build", ["--archive", BASE_RELEASE], env, log=log,
                 rows={"full_build_police_uk": rows},
                 parts={"full_build_police_uk": timing("extract_police_uk_archive"),
                        "extract_other_sources": lambda t: t["extract"] - t["extract_police_uk_archive"],
                        "transform_full": timing("transform"), "quality_full": timing("quality")})

    # 4. Refreshes of the built warehouse, in place (as a user refreshes: same path, so dbt's partial
    # parse and the transform and quality records apply), each from the same built state.
    pristine = work / f"warehouse-{months}m-built"
    copy_warehouse(built, pristine)
    for label, release in (("month", MONTH_RELEASE), ("quarter", QUARTER_RELEASE)):
        copy_warehouse(pristine, built)
        new_rows = archive_rows(mirror / ARCHIVE_DIR / f"{release}.zip")
        run_pipeline(window, f"refresh_{label}", ["--only", "police_uk_archive", "--archive", release], env,
                     log=log, rows={f"refresh_{label}_extract": new_rows},
                     parts={f"refresh_{label}_{part}": timing(part) for part in ("extract", "transform", "quality")})

    # 5. The next monthly archive re-issuing every month, outcomes changed: nearly a full reload.
    if republish:
        republished = work / f"mirror-{months}m-republished"
        link_other_publishers(republished, work / "publishers")
        archive = generate(republished, MONTH_RELEASE, months, scale, variant=1)
        copy_warehouse(pristine, built)
        run_step(window, "republication_extract",
                 [py, "-m", "extract", "run", "--only", "police_uk_archive", "--archive", MONTH_RELEASE],
                 {**env, "PPF_SOURCE": str(republished)}, rows=archive_rows(archive), log=log)
    shutil.rmtree(pristine, ignore_errors=True)
    shutil.rmtree(built, ignore_errors=True)
    return window


def table(result: dict) -> str:
    """The README's Markdown table of a bench result."""
    windows = result["windows"]
    head = "| | " + " | ".join(f"{w['months']} months" for w in windows) + " |"
    lines = [head, "|---|" + "---:|" * len(windows)]

    def row(label: str, values: list[str]) -> None:
        lines.append(f"| {label} | " + " | ".join(values) + " |")

    def step(w: dict, name: str) -> dict | None:
        return next((s for s in w["steps"] if s["name"] == name), None)

    def secs(name: str) -> list[str]:
        return [f"{s['seconds']:.1f} s" if (s := step(w, name)) else "–" for w in windows]

    row("police.uk rows (street + outcomes + stop and search)", [f"{sum(w['rows'].values()):,}" for w in windows])
    row("CSV inside the archive", [f"{w['csv_bytes'] / 1e9:.2f} GB" for w in windows])
    row("DuckDB `read_csv` of the unzipped CSVs (bare)", secs("baseline_read_csv"))
    row("same, `preserve_insertion_order=false` (the loader's setting)", secs("baseline_read_csv_unordered"))
    row("police.uk extract+load (from the ZIP), on its own", secs("extract_police_uk"))
    row("**ratio to bare `read_csv`** (target ≤ 1.5)",
        [f"**{w['summary']['police_uk_load_over_read_csv']:.2f}**" for w in windows])
    row("police.uk rows per second", [f"{step(w, 'extract_police_uk')['rows_per_second']:,}" for w in windows])
    row("full build: police.uk extract+load (beside the transform process's imports)", secs("full_build_police_uk"))
    row("full build: other sources extract+load", secs("extract_other_sources"))
    row("full build: transform (full `dbt build`)", secs("transform_full"))
    row("full build: quality (GX gate)", secs("quality_full"))
    row("**full build**, `python -m pipeline` (target < 300 s)",
        [f"**{w['summary']['full_build_seconds']:.1f} s**" for w in windows])
    row("peak memory of any step (target < 4 GB)", [f"{w['summary']['peak_rss_mb'] / 1024:.2f} GB" for w in windows])
    for label in ("month", "quarter"):
        row(f"refresh: one new {label}, extract / transform / quality",
            [" / ".join(f"{step(w, f'refresh_{label}_{part}')['seconds']:.1f}"
                        for part in ("extract", "transform", "quality")) + " s" for w in windows])
        row(f"**refresh: one new {label}, share of full build**" + (" (target < 10%)" if label == "month" else ""),
            [f"**{w['summary'][f'refresh_{label}_share_of_full_build']:.1%}**" for w in windows])
    row("republication (next archive re-issuing every month) extract+load", secs("republication_extract"))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--months", type=int, nargs="+", default=[12, 24, 36], help="windows (default 12 24 36)")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of real volumes (default 1.0)")
    parser.add_argument("--work", type=Path, default=PROJECT_ROOT / "data" / "bench",
                        help="generated archives and scratch warehouses (default data/bench; "
                             "5 GB kept, 13 GB at the peak)")
    parser.add_argument("--out", type=Path, help="JSON file (default <work>/results/bench-<UTC time>.json)")
    parser.add_argument("--no-republication", action="store_true", help="skip the republication step")
    parser.add_argument("--table", type=Path, help="print the Markdown table of an earlier JSON result and stop")
    args = parser.parse_args(argv)
    if args.table:
        print(table(json.loads(args.table.read_text())))
        return 0
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = args.out or work / "results" / f"bench-{stamp}.json"
    log = work / "results" / f"bench-{stamp}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    ensure_other_publishers(work / "publishers")
    result: dict = {
        "created_at": stamp, "scale": args.scale,
        "machine": {"cpus": os.cpu_count(),
                    "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
                    "python": platform.python_version(), "duckdb": duckdb.__version__},
        "windows": [],
    }
    for months in sorted(args.months):
        window = bench_window(months, work, args.scale, not args.no_republication and months == max(args.months), log)
        result["windows"].append({**asdict(window), "steps": [
            {**asdict(s), "rows_per_second": s.rows_per_second} for s in window.steps], "summary": window.summary()})
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2))  # after every window, so a stopped run keeps what it measured
    print(table(result))
    print(f"\nbench: figures in {out}; step output in {log}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
