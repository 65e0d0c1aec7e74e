"""`make docs` on the sample warehouse: the static dbt documentation, with every model, seed and column of
the built warehouse described (read from dbt's catalog, what the warehouse holds, against the manifest)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import VENV_BIN, SamplePipeline, copy_warehouse

from extract.config import PROJECT_ROOT

pytestmark = pytest.mark.slow


def test_dbt_docs_describe_every_model_seed_and_column(sample_pipeline: SamplePipeline, tmp_path: Path) -> None:
    warehouse = copy_warehouse(sample_pipeline.warehouse, tmp_path / "warehouse")
    target = tmp_path / "target"
    env = {**os.environ, "PPF_WAREHOUSE": str(warehouse), "DBT_PROFILES_DIR": str(PROJECT_ROOT),
           "DBT_TARGET_PATH": str(target), "DBT_LOG_PATH": str(tmp_path / "logs"),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    # the command `make docs` runs
    result = subprocess.run([str(VENV_BIN / "dbt"), "docs", "generate", "--static", "--quiet"], cwd=PROJECT_ROOT,
                            env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (target / "static_index.html").stat().st_size > 1_000_000  # one file holding the whole site

    manifest = json.loads((target / "manifest.json").read_text())
    catalog = json.loads((target / "catalog.json").read_text())
    project = manifest["metadata"]["project_name"]
    nodes = {uid: n for uid, n in manifest["nodes"].items()
             if n["resource_type"] in ("model", "seed") and n["package_name"] == project}
    assert len(nodes) > 100
    without_description = [uid for uid, n in nodes.items() if not (n.get("description") or "").strip()]
    not_built = [uid for uid in nodes if uid not in catalog["nodes"]]
    undescribed = []
    columns = 0
    for uid, node in nodes.items():
        described = {name.lower() for name, column in node["columns"].items()
                     if (column.get("description") or "").strip()}
        for column in catalog["nodes"].get(uid, {}).get("columns", {}).values():
            columns += 1
            if column["name"].lower() not in described:
                undescribed.append(f"{node['original_file_path']}: {node['name']}.{column['name']}")
    assert columns > 2000
    assert (without_description, not_built, undescribed) == ([], [], [])
