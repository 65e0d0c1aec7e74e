"""`python -m report [--release DIR] [--out DIR]`: render the report of a release (default: the latest)."""

import argparse
import os
import sys
from pathlib import Path

from extract.config import PROJECT_ROOT
from publish.release import latest_release, releases_dir
from report.site import build

parser = argparse.ArgumentParser(prog="python -m report", description=__doc__)
parser.add_argument("--release", type=Path, help="a release folder (default: releases/latest)")
parser.add_argument("--out", type=Path, default=Path(os.environ.get("PPF_SITE") or PROJECT_ROOT / "site"),
                    help="where the site is written (default: site/, or PPF_SITE)")
args = parser.parse_args()
release = args.release or latest_release(releases_dir())
if release is None or not (release / "manifest.json").is_file():
    sys.exit(f"report: no published release at {args.release or releases_dir() / 'latest'}; run `make publish` first")
print(build(release, args.out.resolve()).line())
