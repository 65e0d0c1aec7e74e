"""The quality gate and publication, on copies of the sample warehouse: what passes is published with its
manifest and revisions; what fails stops at the gate, naming table, force and expectation, and leaves the
last release as it was."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest
from conftest import SamplePipeline, copy_warehouse, query, run_cli, run_dbt_build

from extract.config import PROJECT_ROOT, Settings

pytestmark = pytest.mark.slow

KENT, GWENT, GMP = "E23000032", "W15000002", "E23000005"


def make(targets: list[str], warehouse: Path, releases: Path) -> subprocess.CompletedProcess[str]:
    """The Makefile's steps, as `make build` runs them after extract and transform."""
    env = {**os.environ, "PPF_RELEASES": str(releases)}
    return subprocess.run(["make", *targets, f"WAREHOUSE={warehouse}"], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=900)


def settings_for(warehouse: Path) -> Settings:
    return Settings(source="sample", warehouse=warehouse, sample_dir=warehouse.parent / "sample", sample_scale=0.02)


@dataclass
class FirstRelease:
    warehouse: Path
    releases: Path
    release: Path
    output: str


@pytest.fixture(scope="module")
def first_release(sample_pipeline: SamplePipeline, tmp_path_factory: pytest.TempPathFactory) -> FirstRelease:
    """The sample warehouse through `make quality publish`: one complete, passing gate run, one release."""
    root = tmp_path_factory.mktemp("published")
    warehouse = copy_warehouse(sample_pipeline.warehouse, root / "warehouse")
    releases = root / "releases"
    result = make(["quality", "publish"], warehouse, releases)
    assert result.returncode == 0, result.stdout + result.stderr
    return FirstRelease(warehouse, releases, (releases / "latest").resolve(), result.stdout + result.stderr)


def _copy_with_quality(first: FirstRelease, target: Path) -> Path:
    """The published warehouse and its quality record, as they were (file times kept)."""
    warehouse = copy_warehouse(first.warehouse, target)
    shutil.copytree(first.warehouse.parent / "quality", target / "quality")
    return warehouse


def test_the_first_release_holds_every_measure_with_a_true_manifest(first_release: FirstRelease) -> None:
    from expectations.suites import SUITES

    assert f"quality: checkpoint publication_gate: {len(SUITES)} suites," in first_release.output
    assert "expectations passed" in first_release.output
    release = first_release.release
    manifest = json.loads((release / "manifest.json").read_text())
    assert manifest["release_id"] == release.name and manifest["previous_release"] is None
    tables = [t for (t,) in query(first_release.warehouse, "select table_name from information_schema.tables "
                                                           "where table_schema = 'measures' order by 1")]
    assert sorted(p.stem for p in (release / "measures").glob("*.csv")) == tables
    assert sorted(p.stem for p in (release / "measures").glob("*.parquet")) == tables
    assert (release / "catalogue.csv").is_file() and (release / "analysis" / "measure_assessment.parquet").is_file()
    assert (release / "data_docs" / "index.html").is_file()
    files = {f["path"]: f for f in manifest["files"]}
    for path in release.rglob("*"):
        if path.is_file() and path.name != "manifest.json" and "data_docs" not in path.parts:
            entry = files[path.relative_to(release).as_posix()]
            assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    # the rows of a measure file are the rows of its table (read by the csv module)
    with open(release / "measures" / "police_recorded_asb_incidents.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == files["measures/police_recorded_asb_incidents.csv"]["rows"] == query(
        first_release.warehouse, "select count(*) from measures.police_recorded_asb_incidents")[0][0]
    assert manifest["quality"]["success"] and manifest["quality"]["complete"]
    sources = {s["source"] for s in manifest["sources"]}
    assert {"police_uk", "home_office", "ons", "home_office_workforce", "ons_csew", "police_uk_calls",
            "police_uk_api"} <= sources
    archive = next(s for s in manifest["sources"] if s["source"] == "police_uk")
    assert archive["release"] == "2025-12" and len(archive["sha256"]) == 64
    assert (release / "revisions.csv").read_text().count("\n") == 1  # the header: nothing to compare with


def _sample_with_kent_calls(sample_pipeline: SamplePipeline, target: Path, change) -> Path:
    """A copy of the sample mirror (hard links) whose September 2025 call-answering file has Kent's row
    changed by `change(cells)`; the new file replaces its link, so the shared sample is untouched."""
    shutil.copytree(sample_pipeline.mirror, target, copy_function=os.link)  # hard links: no 100 MB copy
    [calls_file] = target.rglob("999-call-answering-2025-09.csv")
    text = calls_file.read_text(encoding="utf-8")
    line = next(row for row in text.splitlines() if row.startswith("Kent Police,"))
    cells = line.split(",")
    change(cells)
    calls_file.unlink()
    calls_file.write_text(text.replace(line, ",".join(cells)), encoding="utf-8")
    return target


def test_make_build_on_a_corrupted_source_stops_at_the_gate(
    first_release: FirstRelease, sample_pipeline: SamplePipeline, tmp_path: Path
) -> None:
    """The whole `make build` on a source file the loader and dbt accept but the gate does not: Kent's 999
    calls of September 2025 published with a total (20,000) below the calls answered in its three bands,
    which would publish a wrong call volume. (A negative count never gets this far: the loader refuses it.)"""
    def total_below_answered(cells: list[str]) -> None:
        cells[5] = "20000"

    mirror = _sample_with_kent_calls(sample_pipeline, tmp_path / "mirror", total_below_answered)
    warehouse = copy_warehouse(first_release.warehouse, tmp_path / "corrupted")
    before = sorted(p.name for p in first_release.releases.iterdir())
    env = {**os.environ, "PPF_RELEASES": str(first_release.releases)}
    result = subprocess.run(["make", "build", f"SOURCE={mirror}", f"WAREHOUSE={warehouse}"], cwd=PROJECT_ROOT,
                            env=env, capture_output=True, text=True, timeout=1200)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "police_uk_calls: " in output and "transform: " in output  # extract and transform ran, then the gate
    assert ('raw_police_uk_calls: expect_column_values_to_be_between {"column": "rows_with_total_below_answered"'
            in output)
    assert "at month_start 2025-09-01, offending_forces Kent Police" in output
    assert "publish: release" not in output and "report: " not in output
    assert sorted(p.name for p in first_release.releases.iterdir()) == before
    assert (first_release.releases / "latest").resolve() == first_release.release


def test_bad_data_stops_at_the_gate_naming_table_force_and_expectation(
    first_release: FirstRelease, tmp_path: Path
) -> None:
    warehouse = copy_warehouse(first_release.warehouse, tmp_path / "corrupted")
    before = sorted(p.name for p in first_release.releases.iterdir())
    with duckdb.connect(str(warehouse)) as con:
        # a proportion over 100, a force missing from a measure, a gap turned into a zero, and a raw row
        # count that no longer matches its file
        con.execute("update measures.calls_999_answered_within_10_seconds set value = 150 where force_id = "
                    f"'{KENT}' and period_start = (select max(period_start) from "
                    "measures.calls_999_answered_within_10_seconds) and unit = 'percent'")
        con.execute(f"delete from measures.homicides where force_id = '{GWENT}'")
        con.execute("alter table measures.homicides add column extra_note varchar")  # a schema change
        con.execute("update measures.town_centre_crime_police_uk set value = 0 "
                    f"where force_id = '{GMP}' and breakdown_value = 'Robbery'")
        con.execute("delete from raw_police_uk.street where force_slug = 'kent' and file_month = '2025-08' "
                    "and crime_type = 'Anti-social behaviour'")
    result = make(["quality", "publish"], warehouse, first_release.releases)
    assert result.returncode != 0
    report = result.stderr
    assert 'measures: expect_column_values_to_be_between {"column": "proportions_over_100"' in report
    assert f"measure_id calls_999_answered_within_10_seconds, force_id {KENT}, force_name Kent" in report
    assert "measure_coverage: expect_column_pair_values_to_be_equal" in report
    assert "measure_id homicides" in report and f"missing_forces {GWENT} Gwent" in report
    assert '{"column": "gap_rows_with_value"' in report
    assert f"force_id {GMP}, force_name Greater Manchester" in report and "Robbery count not_available 0.0" in report
    assert "raw_police_uk: expect_column_pair_values_to_be_equal" in report
    assert "table_name measures.homicides, column_name extra_note, actual_type VARCHAR" in report
    # the jump to 150% is also flagged for review (a flag on its own would not stop the gate)
    assert "flagged for review (not a failure): measure_jumps" in report
    last_run = json.loads((warehouse.parent / "quality" / "last_run.json").read_text())
    assert not last_run["success"]
    assert any(row.startswith(f"measure_id calls_999_answered_within_10_seconds, force_id {KENT}")
               for row in last_run["suites"]["measure_jumps"]["flagged_rows"])
    assert "publish" not in result.stdout  # make stopped at the gate
    assert sorted(p.name for p in first_release.releases.iterdir()) == before
    assert (first_release.releases / "latest").resolve() == first_release.release
    # publishing by hand is refused too: the last quality run of this warehouse failed
    refused = subprocess.run([str(PROJECT_ROOT / ".venv" / "bin" / "python"), "-m", "publish"], cwd=PROJECT_ROOT,
                             env={**os.environ, "PPF_WAREHOUSE": str(warehouse),
                                  "PPF_RELEASES": str(first_release.releases)},
                             capture_output=True, text=True, timeout=300)
    assert refused.returncode == 1 and "publish: refused: the last quality run failed" in refused.stderr


def test_a_new_build_on_changed_sample_data_publishes_exactly_its_revised_values(
    first_release: FirstRelease, sample_pipeline: SamplePipeline, tmp_path: Path
) -> None:
    # the sample with one published file changed: Kent's 999 calls of September 2025, 100 fewer answered
    # within 10 seconds (and so 100 fewer in all)
    def hundred_fewer(cells: list[str]) -> None:
        cells[2], cells[5] = str(int(cells[2]) - 100), str(int(cells[5]) - 100)

    mirror = _sample_with_kent_calls(sample_pipeline, tmp_path / "mirror", hundred_fewer)

    # the second build: extract, transform (what the file feeds), quality, publish
    warehouse = copy_warehouse(first_release.warehouse, tmp_path / "rebuilt")
    extracted = run_cli(["-m", "extract", "run", "--only", "police_uk_calls"],
                        {"PPF_WAREHOUSE": str(warehouse), "PPF_SOURCE": str(mirror)})
    assert extracted.returncode == 0, extracted.stderr
    built = run_dbt_build(warehouse, tmp_path, select="stg_police_uk_calls__call_answering+")
    assert built.returncode == 0, built.stdout + built.stderr
    result = make(["quality", "publish"], warehouse, first_release.releases)
    assert result.returncode == 0, result.stdout + result.stderr

    # the values that changed, found independently: the two warehouses' measure tables compared in SQL
    key = ["measure_id", "force_id", "period_type", "period_start", "breakdown", "breakdown_value", "unit"]
    tables = [t for (t,) in query(warehouse, "select table_name from information_schema.tables "
                                             "where table_schema = 'measures'")]
    with duckdb.connect() as con:
        con.execute(f"attach '{first_release.warehouse}' as before (read_only)")
        con.execute(f"attach '{warehouse}' as after (read_only)")
        changed = set()
        for table in tables:
            changed |= set(con.execute(f"""
                select {", ".join(f"cast(a.{k} as varchar)" for k in key)}
                from after.measures.{table} as a join before.measures.{table} as b using ({", ".join(key)})
                where a.value is distinct from b.value or a.status is distinct from b.status""").fetchall())
    assert len(changed) >= 4  # Kent and England and Wales, share and volume at least

    release = (first_release.releases / "latest").resolve()
    assert release != first_release.release
    with open(release / "revisions.csv", newline="", encoding="utf-8") as fh:
        revisions = list(csv.DictReader(fh))
    assert {tuple(r[k] for k in key) for r in revisions} == changed
    assert {r["revision"] for r in revisions} == {"revised"}
    kent = next(r for r in revisions if r["measure_id"] == "calls_999_and_101_volume" and r["force_id"] == KENT
                and r["period_start"] == "2025-09-01" and r["breakdown_value"] == "999")
    assert float(kent["previous_value"]) - float(kent["value"]) == 100
    manifest = json.loads((release / "manifest.json").read_text())
    assert manifest["previous_release"] == first_release.release.name and manifest["revisions"] == len(changed)
    assert first_release.release.is_dir()  # the previous release is kept


def test_a_second_gate_run_validates_again_only_suites_whose_frame_changed(
    first_release: FirstRelease, tmp_path: Path
) -> None:
    from expectations.suites import SUITES

    warehouse = _copy_with_quality(first_release, tmp_path / "again")
    python = str(PROJECT_ROOT / ".venv" / "bin" / "python")
    env = {**os.environ, "PPF_WAREHOUSE": str(warehouse)}

    def gate(*args: str) -> set[str]:
        result = subprocess.run([python, "-m", "expectations.validate", *args], cwd=PROJECT_ROOT, env=env,
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stdout + result.stderr
        last_run = json.loads((warehouse.parent / "quality" / "last_run.json").read_text())
        assert last_run["success"] and last_run["complete"]
        return {name for name, suite in last_run["suites"].items() if suite.get("carried_over")}

    assert gate() == set(SUITES)  # nothing changed since the first release's gate
    with duckdb.connect(str(warehouse)) as con:  # Kent's newest 999 share: still valid, but different
        con.execute("update measures.calls_999_answered_within_10_seconds set value = value * 0.99 "
                    f"where force_id = '{KENT}' and unit = 'percent' and period_start = (select max(period_start) "
                    "from measures.calls_999_answered_within_10_seconds)")
    carried = gate()
    assert "measure_jumps" not in carried and "raw_police_uk" in carried and "table_schemas" in carried
    assert gate("--revalidate") == set()


def test_a_gate_run_waits_while_another_holds_the_gate(first_release: FirstRelease, tmp_path: Path) -> None:
    from expectations.validate import gate_lock

    warehouse = _copy_with_quality(first_release, tmp_path / "waiting")
    last_run = warehouse.parent / "quality" / "last_run.json"
    before = last_run.read_text()
    stderr = tmp_path / "stderr.txt"
    with gate_lock(), open(stderr, "w") as err:
        waiting = subprocess.Popen([str(PROJECT_ROOT / ".venv" / "bin" / "python"), "-m", "expectations.validate",
                                    "--suite", "table_schemas"], cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL,
                                   stderr=err, env={**os.environ, "PPF_WAREHOUSE": str(warehouse)})
        deadline = time.monotonic() + 120
        while "waiting for another gate run" not in stderr.read_text() and time.monotonic() < deadline:
            assert waiting.poll() is None, stderr.read_text()
            time.sleep(0.2)
        time.sleep(1)
        assert waiting.poll() is None and last_run.read_text() == before  # it wrote nothing while it waited
    assert waiting.wait(timeout=600) == 0, stderr.read_text()
    assert json.loads(last_run.read_text())["suites"].keys() == {"table_schemas"}


def test_publish_refuses_a_warehouse_changed_after_its_quality_run(first_release: FirstRelease,
                                                                     tmp_path: Path) -> None:
    from publish.release import PublishRefused, check_gate

    warehouse = _copy_with_quality(first_release, tmp_path / "later")
    check_gate(settings_for(warehouse))  # as validated: cleared
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create table main.scratch as select 1 as x")
    with pytest.raises(PublishRefused, match="the warehouse changed after the last quality run"):
        check_gate(settings_for(warehouse))
    (tmp_path / "later" / "quality" / "last_run.json").unlink()
    with pytest.raises(PublishRefused, match="no quality run recorded"):
        check_gate(settings_for(warehouse))


def test_the_pipeline_command_loads_builds_and_gates_a_new_month_in_order_and_publish_accepts_it(
    first_release: FirstRelease, sample_pipeline: SamplePipeline, tmp_path: Path
) -> None:
    """`python -m pipeline` (what make build runs up to the gate): the extract, then transform and quality
    in the process forked at the start, in that order, with the warehouse left as the gate passed it."""
    from extract.police_uk.sample import generate_archive_mirror
    from publish.release import check_gate

    warehouse = _copy_with_quality(first_release, tmp_path / "piped")
    shutil.copytree(sample_pipeline.warehouse.parent / ".dlt", warehouse.parent / ".dlt")
    mirror = tmp_path / "mirror"
    generate_archive_mirror(mirror, release="2026-01", n_months=1, scale=0.005)
    timings = tmp_path / "timings.json"
    env = {"PPF_WAREHOUSE": str(warehouse), "PPF_SOURCE": str(mirror), "DBT_TARGET_PATH": str(tmp_path / "target"),
           "DBT_LOG_PATH": str(tmp_path / "logs")}
    result = run_cli(["-m", "pipeline", "--only", "police_uk_archive", "--archive", "2026-01", "--timings",
                      str(timings)], env, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    loaded, built, gated = (out.index("police_uk_archive: "), out.index("transform: every model"),
                            out.index("quality: checkpoint publication_gate: 10 suites"))
    assert loaded < built < gated
    assert query(warehouse, "select count(*) from raw_police_uk.published_files where file_month = '2026-01' "
                 "and status = 'loaded'")[0][0] > 0
    assert query(warehouse, "select max(month_start) from intermediate.int_police_uk__street_crime_counts"
                 ) == [(date(2026, 1, 1),)]
    seconds = json.loads(timings.read_text())["seconds"]
    assert set(seconds) >= {"extract", "extract_police_uk_archive", "transform", "quality", "total"}
    assert seconds["total"] >= seconds["extract"] + seconds["transform"] + seconds["quality"] - 1
    check_gate(settings_for(warehouse))  # the gate ran last: publish would accept this warehouse

    # an extract that fails stops the pipeline there, with its status: nothing is built or gated
    failed = run_cli(["-m", "pipeline", "--only", "police_uk_archive", "--archive", "2099-01"], env, timeout=900)
    assert failed.returncode == 1
    assert "no archive found" in failed.stderr and "transform:" not in failed.stdout + failed.stderr
    assert "pipeline: extract" in failed.stderr and "stopped (exit 1)" in failed.stderr


def test_an_interrupted_publish_leaves_the_last_release_untouched(
    first_release: FirstRelease, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from publish import release as publishing

    warehouse = _copy_with_quality(first_release, tmp_path / "interrupted")
    releases = tmp_path / "releases"
    shutil.copytree(first_release.releases, releases, symlinks=True)
    before = sorted(p.name for p in releases.iterdir())
    latest = (releases / "latest").resolve()
    calls = []
    export = publishing._export

    def killed_part_way(con: duckdb.DuckDBPyConnection, relation: str, target: Path) -> int:
        calls.append(relation)
        if len(calls) == 5:  # Ctrl-C while the fifth table is written
            raise KeyboardInterrupt
        return export(con, relation, target)

    monkeypatch.setattr(publishing, "_export", killed_part_way)
    with pytest.raises(KeyboardInterrupt):
        publishing.publish(settings_for(warehouse), releases, log=lambda m: None)
    assert sorted(p.name for p in releases.iterdir()) == before  # no new release, no .incomplete- folder
    assert (releases / "latest").resolve() == latest


def test_csv_cells_a_spreadsheet_would_run_are_neutralised(tmp_path: Path) -> None:
    from publish.release import _export

    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute("create table t as select * from (values ('=HYPERLINK(\"x\")', -3.5), ('+1', 2.0), "
                    "('-2 forces', 1.0), ('@SUM(A1)', 0.0), ('plain', -1.0)) v(note, value)")
        _export(con, "t", tmp_path / "out" / "t")
    with open(tmp_path / "out" / "t.csv", newline="", encoding="utf-8") as fh:
        rows = {r["note"]: r["value"] for r in csv.DictReader(fh)}
    assert rows == {"'=HYPERLINK(\"x\")": "-3.5", "'+1": "2.0", "'-2 forces": "1.0", "'@SUM(A1)": "0.0",
                    "plain": "-1.0"}
    typed = duckdb.sql(f"select note, value from '{tmp_path / 'out' / 't.parquet'}' order by value").fetchall()
    assert typed[0] == ('=HYPERLINK("x")', -3.5)  # Parquet keeps the data as it is


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    browser = shutil.which("chromium")
    if browser is None:
        pytest.fail("Debian's chromium is not installed: `make browser` installs it (make test does it first)")
    return subprocess.run([browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args], capture_output=True,
                          text=True, timeout=120)


def test_the_report_renders_a_force_page_with_charts_and_values_in_headless_chromium(
    first_release: FirstRelease, tmp_path: Path
) -> None:
    release = (first_release.releases / "latest").resolve()
    site = tmp_path / "site"
    result = subprocess.run([str(PROJECT_ROOT / ".venv" / "bin" / "python"), "-m", "report", "--release",
                             str(release), "--out", str(site)], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    forces = query(first_release.warehouse, "select count(*) from reference.police_force_areas")[0][0]
    assert (site / "index.html").is_file() and len(list((site / "force").glob("*.html"))) == forces == 43
    page = site / "force" / f"{KENT}.html"
    assert "http://" not in page.read_text() and "https://" not in page.read_text()  # nothing fetched: offline

    # the value the page shows for 999 calls answered within 10 seconds, against the release's CSV
    with open(release / "measures" / "calls_999_answered_within_10_seconds.csv", newline="", encoding="utf-8") as fh:
        kent = [r for r in csv.DictReader(fh) if r["force_id"] == KENT and r["unit"] == "percent"
                and r["breakdown"] == "total"]
    latest = max(kent, key=lambda r: r["period_start"])
    expected = f"{float(latest['value']):,.1f}%"

    dom = _chromium(["--dump-dom", page.as_uri()], tmp_path / "profile")
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    assert "<h1>Kent</h1>" in html
    assert f'data-measure="calls_999_answered_within_10_seconds">{expected}</span>' in html
    measures_shown = html.count('class="measure"')
    assert measures_shown >= 30 and html.count("<svg") >= measures_shown  # every measure has its chart
    assert html.count("<polyline") >= measures_shown  # and the charts hold drawn lines

    screenshot = tmp_path / "kent.png"
    shot = _chromium(["--window-size=1280,2400", f"--screenshot={screenshot}", page.as_uri()], tmp_path / "profile2")
    assert shot.returncode == 0, shot.stderr[-2000:]
    data = screenshot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000  # a drawn page, not a blank one
