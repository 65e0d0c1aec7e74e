"""Progress lines for long loads: one line at most every few seconds, always one at the end.

Plain lines on stderr rather than a redrawing bar, so that CI logs and `make` output stay readable.
"""

from __future__ import annotations

import sys
import time


def human_bytes(size: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{size:,.1f} GB"


class Progress:
    def __init__(self, label: str, total: int | None = None, every_seconds: float = 3.0) -> None:
        self.label = label
        self.total = total
        self.every_seconds = every_seconds
        self.done = 0
        self.started = time.monotonic()
        self._last = self.started

    def advance(self, step: int = 1, detail: str = "") -> None:
        self.done += step
        now = time.monotonic()
        if now - self._last >= self.every_seconds:
            self._last = now
            self._print(detail)

    def finish(self, detail: str = "") -> None:
        self._print(detail, final=True)

    def _print(self, detail: str, final: bool = False) -> None:
        elapsed = time.monotonic() - self.started
        of_total = f"/{self.total:,}" if self.total is not None else ""
        percent = f" ({100 * self.done / self.total:.0f}%)" if self.total else ""
        tail = f" {detail}" if detail else ""
        state = "done" if final else "..."
        print(
            f"[{self.label}] {self.done:,}{of_total}{percent} {state} {elapsed:.1f}s{tail}",
            file=sys.stderr,
            flush=True,
        )
