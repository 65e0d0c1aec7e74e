"""Settings shared by every loader, read from the environment (the Makefile passes them through).

PPF_SOURCE     where published files come from: `live` (the real public hosts), `sample` (the generated
               sample mirror), a mirror directory laid out as <mirror>/<host>/<url path>, or the
               http(s) URL of such a mirror (used by the tests, served on 127.0.0.1).
PPF_WAREHOUSE  the DuckDB warehouse file (default warehouse/ppf.duckdb).
PPF_SAMPLE_DIR where the sample mirror is generated (default data/sample).
PPF_SAMPLE_SCALE  fraction of national volumes in the sample (default 0.02).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WAREHOUSE = PROJECT_ROOT / "warehouse" / "ppf.duckdb"
DEFAULT_SAMPLE_DIR = PROJECT_ROOT / "data" / "sample"
DEFAULT_SAMPLE_SCALE = 0.02

# dlt sends anonymous telemetry by default; this project makes no calls to hosts it does not load from.
os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")


@dataclass(frozen=True)
class Settings:
    source: str
    warehouse: Path
    sample_dir: Path
    sample_scale: float

    @property
    def warehouse_dir(self) -> Path:
        return self.warehouse.parent

    @property
    def pipelines_dir(self) -> Path:
        """dlt's working state lives beside the warehouse it describes, so deleting one deletes both."""
        return self.warehouse_dir / ".dlt" / self.warehouse.stem

    @property
    def download_dir(self) -> Path:
        return self.warehouse_dir / "downloads"


def dbt_target_path() -> Path:
    """dbt's target directory (manifest, run_results.json): DBT_TARGET_PATH, else <project>/target."""
    return Path(os.environ.get("DBT_TARGET_PATH") or PROJECT_ROOT / "target")


def get_settings() -> Settings:
    warehouse = Path(os.environ.get("PPF_WAREHOUSE") or DEFAULT_WAREHOUSE).expanduser().resolve()
    sample_dir = Path(os.environ.get("PPF_SAMPLE_DIR") or DEFAULT_SAMPLE_DIR).expanduser().resolve()
    scale_text = os.environ.get("PPF_SAMPLE_SCALE") or str(DEFAULT_SAMPLE_SCALE)
    try:
        scale = float(scale_text)
    except ValueError as exc:
        raise SystemExit(f"PPF_SAMPLE_SCALE must be a number, got {scale_text!r}") from exc
    return Settings(
        source=os.environ.get("PPF_SOURCE") or "sample",
        warehouse=warehouse,
        sample_dir=sample_dir,
        sample_scale=scale,
    )
