"""The benchmark's own measuring: a step's peak memory is its own, and the summary's arithmetic."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.__main__ import Step, Window, table
from extract.config import PROJECT_ROOT


def _measure(tmp_path: Path, code: str) -> tuple[int, dict]:
    out = tmp_path / "figures.json"
    result = subprocess.run([sys.executable, "-m", "bench.measure", str(out), "--", sys.executable, "-c", code],
                            cwd=PROJECT_ROOT, capture_output=True, timeout=120)
    return result.returncode, json.loads(out.read_text())


def test_measure_reports_the_commands_own_peak_memory_and_exit(tmp_path: Path) -> None:
    code, small = _measure(tmp_path, "pass")
    assert code == 0 and small["exit"] == 0
    code, large = _measure(tmp_path, "block = bytearray(400 * 2**20); block[::4096] = b'x' * len(block[::4096])")
    assert code == 0
    # 400 MB touched: the child's peak, not the launcher's, and not a small interpreter's
    assert large["max_rss_kb"] - small["max_rss_kb"] > 380 * 1024
    code, failed = _measure(tmp_path, "raise SystemExit(3)")
    assert code == 3 and failed["exit"] == 3


def test_summary_ratios_come_from_the_steps() -> None:
    window = Window(36, csv_bytes=5 * 10**9, rows={"street": 2, "outcomes": 1, "stop_and_search": 1})
    # the pipeline steps as measured (wall time, peak), then their parts from the pipeline's own timings
    for name, seconds, peak in [("baseline_read_csv", 60.0, 900.0), ("baseline_read_csv_unordered", 50.0, 5000.0),
                                ("full_build", 200.0, 3000.0), ("refresh_month", 20.0, 1000.0),
                                ("refresh_quarter", 24.0, 1200.0)]:
        window.steps.append(Step(name, seconds, peak))
    for name, seconds in [("extract_police_uk", 75.0), ("extract_other_sources", 45.0), ("transform_full", 60.0),
                          ("quality_full", 20.0), ("refresh_month_extract", 5.0), ("refresh_month_transform", 6.0),
                          ("refresh_month_quality", 9.0), ("refresh_quarter_extract", 8.0),
                          ("refresh_quarter_transform", 6.0), ("refresh_quarter_quality", 10.0)]:
        window.steps.append(Step(name, seconds, None, 4 if name == "extract_police_uk" else None))
    summary = window.summary()
    assert summary["police_uk_load_over_read_csv"] == 1.25
    assert summary["full_build_seconds"] == 200.0
    assert summary["refresh_month_share_of_full_build"] == 0.1
    assert summary["refresh_quarter_share_of_full_build"] == 0.12
    assert summary["peak_rss_mb"] == 3000.0  # the baseline's is DuckDB's, not the pipeline's
    result = {"windows": [{"months": 36, "csv_bytes": window.csv_bytes, "rows": window.rows, "summary": summary,
                           "steps": [{**s.__dict__, "rows_per_second": s.rows_per_second} for s in window.steps]}]}
    rendered = table(result)
    assert "| **ratio to bare `read_csv`** (target ≤ 1.5) | **1.25** |" in rendered
    assert "| refresh: one new month, extract / transform / quality | 5.0 / 6.0 / 9.0 s |" in rendered
