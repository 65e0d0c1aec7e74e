"""Command line for the loaders: `python -m extract --help`.

  python -m extract run [--only SOURCE ...] [--archive latest|all|YYYY-MM ...]
                                                   load every source (or those named) from PPF_SOURCE
  python -m extract load police_uk_archive FILE...  police.uk archive ZIPs or force-month CSVs downloaded by hand
  python -m extract load home_office FILE...        Home Office PRC force-area / outcomes workbooks
  python -m extract load ons_pfa_tables FILE...     ONS police force area tables (workbooks or CSV exports)
  python -m extract load home_office_workforce FILE...
                                                   Home Office police workforce open data tables (ODS/XLSX/CSV)
  python -m extract load ons_csew FILE...           ONS Crime Survey for England and Wales table workbooks (XLSX)
  python -m extract load police_uk_calls FILE...    police.uk monthly 999/101 call-answering files (CSV/XLSX)
  python -m extract sample --out DIR [--scale X]    write the whole sample mirror (every source)

Sources, in the order `run` loads them: police_uk_archive (data.police.uk), home_office (gov.uk),
ons_pfa_tables (ons.gov.uk), home_office_workforce (gov.uk; the newest PPF_WORKFORCE_RELEASES releases,
default 2), ons_csew (ons.gov.uk; the newest edition of each CSEW tables dataset), police_uk_calls
(www.police.uk; every month its 999 call-answering index lists), police_uk_api (the data.police.uk
API: forces, availability, neighbourhoods with their teams and priorities; `run` only, nothing to `load`).
In a mirror directory that holds no files of a publisher, that source is skipped with a message and its
tables are created empty, so the models still build.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from extract.config import Settings, get_settings
from extract.errors import MalformedFileError
from extract.location import SourceError, SourceLocation


def _load_police_uk_archive(settings: Settings, files: list[Path]) -> Any:
    from extract.police_uk import pipeline as police_uk

    return police_uk.load_paths(settings, [(f.resolve(), str(f.resolve())) for f in files])


def _load_home_office(settings: Settings, files: list[Path]) -> Any:
    from extract.home_office import pipeline as home_office

    return home_office.load_paths(settings, [(f.resolve(), str(f.resolve())) for f in files])


def _load_ons_pfa_tables(settings: Settings, files: list[Path]) -> Any:
    from extract.ons import pipeline as ons

    return ons.load_paths(settings, [(f.resolve(), str(f.resolve())) for f in files])


def _load_home_office_workforce(settings: Settings, files: list[Path]) -> Any:
    from extract.home_office import workforce_pipeline

    return workforce_pipeline.load_paths(settings, [(f.resolve(), str(f.resolve())) for f in files])


def _load_ons_csew(settings: Settings, files: list[Path]) -> Any:
    from extract.ons import csew_pipeline

    return csew_pipeline.load_paths(settings, [(f.resolve(), str(f.resolve())) for f in files])


def _load_police_uk_calls(settings: Settings, files: list[Path]) -> Any:
    from extract.police_uk import calls_pipeline

    return calls_pipeline.load_paths(settings, [(f.resolve(), str(f.resolve())) for f in files])


# `load` resource name -> loader of hand-downloaded files (each returns a summary with .line(warehouse)).
RESOURCES: dict[str, Callable[[Settings, list[Path]], Any]] = {
    "police_uk_archive": _load_police_uk_archive,
    "home_office": _load_home_office,
    "ons_pfa_tables": _load_ons_pfa_tables,
    "home_office_workforce": _load_home_office_workforce,
    "ons_csew": _load_ons_csew,
    "police_uk_calls": _load_police_uk_calls,
}
# `run` sources, in order: every `load` resource, then those that only read an API (nothing to load by hand).
API_SOURCES = ("police_uk_api",)
SOURCES = (*RESOURCES, *API_SOURCES)


def _pipeline_module(name: str) -> Any:
    if name == "police_uk_archive":
        from extract.police_uk import pipeline
    elif name == "home_office":
        from extract.home_office import pipeline
    elif name == "home_office_workforce":
        from extract.home_office import workforce_pipeline as pipeline
    elif name == "ons_csew":
        from extract.ons import csew_pipeline as pipeline
    elif name == "police_uk_calls":
        from extract.police_uk import calls_pipeline as pipeline
    elif name == "police_uk_api":
        from extract.police_uk import api_pipeline as pipeline
    else:
        from extract.ons import pipeline
    return pipeline


def _in_mirror(module: Any, location: SourceLocation) -> bool:
    """Whether a mirror directory holds this publisher's entry point (always assumed for live and HTTP)."""
    if location.kind != "mirror_dir":
        return True
    host, path = module.ENTRY_POINT
    return Path(location.url(host, path)).exists()


def _run(settings: Settings, only: list[str], archives: list[str],
         timings: dict[str, float] | None = None) -> list[Any]:
    """Load the `only` sources in order; each one's wall time (seconds) goes into `timings`, if given."""
    location = SourceLocation.from_settings(settings)
    summaries = []
    for name in only:
        started = time.monotonic()
        module = _pipeline_module(name)
        if settings.source != "sample" and not _in_mirror(module, location):
            print(f"[{name}] no files of this publisher in {location.describe()}: skipped (its tables are created "
                  "empty)", file=sys.stderr)
            module.ensure_tables(settings)
            continue
        summary = module.run(settings, archives) if name == "police_uk_archive" else module.run(settings)
        print(summary.line(settings.warehouse), flush=True)
        summaries.append(summary)
        if timings is not None:
            timings[name] = round(time.monotonic() - started, 2)
    return summaries


def _sample(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m extract sample",
                                     description="write the sample mirror of every publisher")
    parser.add_argument("--out", required=True, type=Path, help="mirror root directory")
    parser.add_argument("--scale", type=float, default=0.02, help="police.uk volumes as a fraction of real ones")
    args = parser.parse_args(argv)
    from extract.home_office.sample import generate_home_office_mirror
    from extract.home_office.workforce_sample import generate_workforce_mirror
    from extract.ons.csew_sample import generate_csew_mirror
    from extract.ons.sample import find_prc_ods, generate_ons_pfa_mirror
    from extract.police_uk.api_sample import generate_api_mirror
    from extract.police_uk.calls_sample import generate_calls_mirror
    from extract.police_uk.sample import generate_archive_mirror

    generate_archive_mirror(args.out, scale=args.scale)
    generate_home_office_mirror(args.out)
    generate_ons_pfa_mirror(args.out, prc_ods=find_prc_ods(args.out))
    generate_workforce_mirror(args.out)
    generate_csew_mirror(args.out)
    generate_calls_mirror(args.out)
    generate_api_mirror(args.out)
    print(f"sample: police.uk (archive, 999 call answering, API), Home Office (crime, outcomes, workforce) and ONS "
          f"(PFA tables, CSEW) files written to {args.out}")
    return 0


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


def main(argv: list[str] | None = None, timings: dict[str, float] | None = None) -> int:
    """The command line; `timings`, if given, receives each loaded source's seconds (`run` only)."""
    parser = argparse.ArgumentParser(prog="python -m extract", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    run_cmd = commands.add_parser("run", help="load every source from PPF_SOURCE (live, sample or a mirror)")
    run_cmd.add_argument("--only", action="append", choices=SOURCES, default=None,
                         help="load only this source (repeatable); default: all, in order")
    run_cmd.add_argument("--archive", action="append", default=None,
                         help="police.uk archive(s): latest (default), all (mirror directories), or YYYY-MM")
    load_cmd = commands.add_parser("load", help="load files downloaded by hand")
    load_cmd.add_argument("resource", choices=list(RESOURCES))
    load_cmd.add_argument("files", nargs="+", type=Path)
    sample_cmd = commands.add_parser("sample", help="write the sample mirror")
    sample_cmd.add_argument("rest", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)

    if args.command == "sample":
        return _sample(args.rest)

    settings = get_settings()
    try:
        if args.command == "run":
            print(f"extract: reading {settings.source} into {settings.warehouse}", file=sys.stderr)
            only = [s for s in SOURCES if s in (args.only or SOURCES)]
            _run(settings, only, args.archive or ["latest"], timings)
            return 0
        absent = [str(f) for f in args.files if not f.is_file()]
        if absent:
            raise SourceError(f"no such file: {', '.join(absent)}")
        summary = RESOURCES[args.resource](settings, args.files)
    except Exception as exc:
        cause = _root_cause(exc)
        if isinstance(cause, MalformedFileError | SourceError):
            print(f"error: {cause}", file=sys.stderr)
            print("nothing from this source was loaded; the warehouse is as it was before it "
                  "(sources earlier in a `run` are loaded)", file=sys.stderr)
            return 1
        if "Could not set lock" in str(exc):
            print(f"error: {settings.warehouse} is open in another process (a duckdb session, a notebook, "
                  "another make step); close it and run again", file=sys.stderr)
            return 1
        raise
    print(summary.line(settings.warehouse))
    return 0
