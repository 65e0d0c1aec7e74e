"""`make build` / `make demo` up to the gate: extract, transform and quality in one command.

  python -m pipeline [--only SOURCE ...] [--archive latest|all|YYYY-MM ...] [--full-refresh] [--timings FILE]

The steps run one after another, as `make extract transform quality` runs them (same arguments, same
output), and the first that fails stops the others; the exit status is that step's. What differs is
start-up: importing dbt and Great Expectations takes about 5 s of Python on every build, however small
the change. Here a second process is forked before anything is loaded. It imports both while this one
extracts (the loaders mostly wait on Arrow and DuckDB, which leaves the second core free), and runs
transform and then quality once the extract has finished and closed the warehouse: DuckDB lets one
process write it at a time, so nothing overlaps but the imports.

--timings FILE writes each step's wall time, and each source's, as JSON (`make bench` reads it).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import os
import sys
import threading
import time
import traceback
from pathlib import Path

GO, STOP = b"1", b"0"


def warm_steps(go: int | None, full_refresh: bool) -> tuple[int, dict[str, float]]:
    """Import dbt and GX, wait for the extract (a byte on the `go` pipe; None: do not wait), then run
    transform and quality. (exit status, seconds per step)."""
    import dbt.cli.main  # noqa: F401  (the point of starting early: about 2 s)
    import great_expectations  # noqa: F401  (about 3 s)

    from expectations.validate import main as quality
    from transform.__main__ import main as transform

    if go is not None and os.read(go, 1) != GO:
        return 0, {}  # the extract failed or was stopped: it reports why
    timings: dict[str, float] = {}
    started = time.monotonic()
    code = transform(["--full-refresh"] if full_refresh else [])
    timings["transform"] = round(time.monotonic() - started, 2)
    if code == 0:
        started = time.monotonic()
        code = quality([])
        timings["quality"] = round(time.monotonic() - started, 2)
    return code, timings


def _child(go: int, report: int, full_refresh: bool) -> None:
    """The forked process: warm_steps, its result written to the `report` pipe; exits, never returns."""
    code = 1
    try:
        code, timings = warm_steps(go, full_refresh)
        os.write(report, json.dumps({"code": code, "timings": timings}).encode())
    except KeyboardInterrupt:
        code = 130
    except SystemExit as stop:  # a step that stops with a message (e.g. the gate without measure tables)
        if isinstance(stop.code, int):
            code = stop.code
        else:
            print(stop.code, file=sys.stderr)
    except Exception:  # reported here; the parent exits with this status
        traceback.print_exc()
    # The exit handlers (logging, dbt's multiprocessing locks), then out without tearing down every module:
    # a normal interpreter exit after dbt and GX takes about a second.
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _extract(args: argparse.Namespace, timings: dict[str, float]) -> int:
    from extract.cli import main as extract

    argv = ["run", *[a for source in args.only or [] for a in ("--only", source)],
            *[a for archive in args.archive or [] for a in ("--archive", archive)]]
    sources: dict[str, float] = {}
    started = time.monotonic()
    code = extract(argv, sources)
    timings["extract"] = round(time.monotonic() - started, 2)
    timings.update({f"extract_{name}": seconds for name, seconds in sources.items()})
    return code


def run(args: argparse.Namespace) -> tuple[int, dict[str, float]]:
    """The three steps; (exit status, seconds per step and per source)."""
    timings: dict[str, float] = {}
    # fork is only safe in a single-threaded process (and absent on Windows): there, no head start
    if not hasattr(os, "fork") or threading.active_count() > 1:
        code = _extract(args, timings)
        if code:
            return code, timings
        code, warm = warm_steps(None, args.full_refresh)
        return code, {**timings, **warm}
    go_read, go_write = os.pipe()
    report_read, report_write = os.pipe()
    sys.stdout.flush()  # or the child would print again what is still buffered
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        os.close(go_write)
        os.close(report_read)
        _child(go_read, report_write, args.full_refresh)
    os.close(go_read)
    os.close(report_write)
    code = 1
    try:
        code = _extract(args, timings)
    finally:
        with contextlib.suppress(BrokenPipeError):  # the warm process stopped already: its status says why
            os.write(go_write, GO if code == 0 else STOP)
        os.close(go_write)
        with os.fdopen(report_read, "rb") as fh:
            report = fh.read()
        _, status = os.waitpid(pid, 0)
    if code:
        return code, timings
    if not report:
        return os.waitstatus_to_exitcode(status) or 1, timings
    result = json.loads(report)
    return result["code"], {**timings, **result["timings"]}


def main(argv: list[str] | None = None) -> int:
    from extract.cli import SOURCES

    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--only", action="append", choices=SOURCES, help="extract only this source (repeatable)")
    parser.add_argument("--archive", action="append", help="police.uk archive(s): latest (default), all, YYYY-MM")
    parser.add_argument("--full-refresh", action="store_true", help="transform: rebuild every model")
    parser.add_argument("--timings", type=Path, help="write each step's and source's seconds to this JSON file")
    args = parser.parse_args(argv)
    started = time.monotonic()
    code, timings = run(args)
    timings["total"] = round(time.monotonic() - started, 2)
    if args.timings:
        args.timings.parent.mkdir(parents=True, exist_ok=True)
        args.timings.write_text(json.dumps({"exit": code, "seconds": timings}, indent=2))
    steps = ", ".join(f"{step} {timings[step]:.1f}s" for step in ("extract", "transform", "quality") if step in timings)
    print(f"pipeline: {steps}; {timings['total']:.1f}s in all" + ("" if code == 0 else f"; stopped (exit {code})"),
          file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
