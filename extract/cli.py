"""Command line for the loaders: `python -m extract --help`.

  python -m extract run [--archive latest|all|YYYY-MM ...]   load every source from PPF_SOURCE
  python -m extract load police_uk_archive FILE...             load archive ZIPs or CSVs downloaded by hand
  python -m extract sample --out DIR [--scale X]               write the sample mirror
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from extract.config import get_settings
from extract.location import SourceError
from extract.police_uk.helpers import MalformedFileError

RESOURCES = ("police_uk_archive",)


def _root_cause(exc: BaseException) -> BaseException:
    """dlt wraps errors raised inside a source; show the user the one that names the file."""
    seen = exc
    while True:
        if isinstance(seen, MalformedFileError | SourceError):
            return seen
        nxt = seen.__cause__ or seen.__context__
        if nxt is None:
            return exc
        seen = nxt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extract", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    run_cmd = commands.add_parser("run", help="load every source from PPF_SOURCE (live, sample or a mirror)")
    run_cmd.add_argument("--archive", action="append", default=None,
                         help="police.uk archive(s): latest (default), all (mirror directories), or YYYY-MM")
    load_cmd = commands.add_parser("load", help="load files downloaded by hand")
    load_cmd.add_argument("resource", choices=RESOURCES)
    load_cmd.add_argument("files", nargs="+", type=Path)
    sample_cmd = commands.add_parser("sample", help="write the sample mirror")
    sample_cmd.add_argument("rest", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)

    if args.command == "sample":
        from extract.police_uk.sample import main as sample_main

        return sample_main(args.rest)

    settings = get_settings()
    from extract.police_uk import pipeline as police_uk

    try:
        if args.command == "run":
            print(f"extract: reading {settings.source} into {settings.warehouse}", file=sys.stderr)
            summary = police_uk.run(settings, args.archive or ["latest"])
        else:
            absent = [str(f) for f in args.files if not f.is_file()]
            if absent:
                raise SourceError(f"no such file: {', '.join(absent)}")
            summary = police_uk.load_paths(settings, [(f.resolve(), str(f.resolve())) for f in args.files])
    except Exception as exc:
        cause = _root_cause(exc)
        if isinstance(cause, MalformedFileError | SourceError):
            print(f"error: {cause}", file=sys.stderr)
            print("nothing from this run was loaded; the warehouse is as it was before it", file=sys.stderr)
            return 1
        if "Could not set lock" in str(exc):
            print(f"error: {settings.warehouse} is open in another process (a duckdb session, a notebook, "
                  "another make step); close it and run again", file=sys.stderr)
            return 1
        raise
    print(summary.line(settings.warehouse))
    return 0
