"""The College of Policing NPP templates: a supplied file is validated when dbt loads it, and feeds its
measure; the empty template gives an empty measure table."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import VENV_BIN, query

from extract.config import PROJECT_ROOT

pytestmark = pytest.mark.slow

HEADER = "force_id,month_start,npp_level,eligible_posts,completed_portfolios,source_release\n"


def _project_with(tmp_path: Path, rows: str) -> Path:
    """A copy of the dbt project whose NPP training template holds `rows`."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copy2(PROJECT_ROOT / name, project / name)
    for folder in ("models", "macros", "seeds", "tests"):
        shutil.copytree(PROJECT_ROOT / folder, project / folder)
    (project / "seeds" / "college_of_policing" / "npp_training_portfolios.csv").write_text(HEADER + rows)
    return project


def _build(project: Path, warehouse: Path, select: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PPF_WAREHOUSE": str(warehouse), "DBT_PROFILES_DIR": str(project),
           "DBT_TARGET_PATH": str(project / "target"), "DBT_LOG_PATH": str(project / "logs")}
    return subprocess.run(
        [str(VENV_BIN / "dbt"), "build", "--quiet", "--select", select, "--indirect-selection", "cautious"],
        cwd=project, env=env, capture_output=True, text=True, timeout=600,
    )


def test_a_supplied_template_feeds_the_measure(tmp_path: Path) -> None:
    project = _project_with(tmp_path, "E23000034,2026-04-01,NPP2,40,30,College of Policing MI test\n")
    warehouse = tmp_path / "warehouse.duckdb"
    built = _build(project, warehouse, "+npp_training_portfolios_completed")
    assert built.returncode == 0, built.stdout + built.stderr
    rows = query(warehouse, "select breakdown, value from measures.npp_training_portfolios_completed "
                            "where force_id = 'E23000034' order by 1")
    assert rows == [("completed_portfolios", 30.0), ("completed_share_of_eligible_posts", 75.0),
                    ("eligible_posts", 40.0)]


def test_template_rows_that_break_a_rule_stop_the_build_naming_each_rule(tmp_path: Path) -> None:
    project = _project_with(tmp_path, "".join([
        "E23000099,2026-04-01,NPP2,40,30,CoP\n",  # not a force area
        "E23000034,2026-04-01,NPP5,40,30,CoP\n",  # not an NPP level
        "E23000034,2026-04-01,NPP2,40,45,CoP\n",  # more completed than eligible posts
    ]))
    # the template and the seed its force codes are checked against: the template's own tests run
    built = _build(project, tmp_path / "warehouse.duckdb", "npp_training_portfolios police_force_areas")
    assert built.returncode != 0
    output = built.stdout + built.stderr
    for rule in ("relationships_npp_training_portfolios_force_id", "accepted_values_npp_training_portfolios_npp_level",
                 "expression_is_true_npp_training_portfolios"):
        assert f"Failure in test {rule}" in output, (rule, output)
