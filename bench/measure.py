"""`python -m bench.measure <json out> -- <command ...>`: run a command; write its exit code, wall time and
peak resident memory as JSON.

Why a separate small process: Linux counts the parent's memory at fork into a child's ru_maxrss, so
a step launched straight from the bench (which has DuckDB and Arrow loaded) would show the bench's
size, not its own. Launched from this process, which imports nothing heavy, it shows its own.
"""

import json
import os
import subprocess
import sys
import time


def main() -> int:
    out, separator, *command = sys.argv[1:]
    if separator != "--" or not command:
        raise SystemExit("usage: python -m bench.measure <json out> -- <command ...>")
    started = time.perf_counter()
    process = subprocess.Popen(command)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    exit_code = os.waitstatus_to_exitcode(status)
    with open(out, "w") as fh:
        json.dump({"exit": exit_code, "seconds": seconds, "max_rss_kb": usage.ru_maxrss}, fh)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
