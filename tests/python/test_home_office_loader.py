"""The Home Office PRC and outcomes loader: content-API resolution, idempotence, releases, drifting layouts."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import SamplePipeline, copy_warehouse, query, run_cli, table_digest

from extract.config import Settings
from extract.errors import MalformedFileError
from extract.home_office import pipeline as home_office
from extract.home_office.settings import CONTENT_HOST, LANDING_PATH
from extract.workbook_writer import write_xlsx

OUTCOMES_HEADER = [
    "Financial Year", "Financial Quarter", "Force Name", "Offence Code", "Offence Description", "Offence Group",
    "Offence Subgroup", "Offence code expired", "Outcome Type", "Outcome Description", "Outcome Group",
    "Outcomes for offences that were recorded in the quarter", "Outcomes for investigations closed in the quarter",
]
TABLES = ("prc_force_area", "crime_outcomes", "published_files")


@pytest.fixture
def mirror(home_office_sample: tuple[Path, dict]) -> Path:
    return home_office_sample[0]


def _settings(tmp_path: Path, source: Path) -> Settings:
    return Settings(source=str(source), warehouse=tmp_path / "wh" / "ppf.duckdb", sample_dir=tmp_path / "sample",
                    sample_scale=0.002)


def _digest(settings: Settings) -> list[tuple]:
    return table_digest(settings.warehouse, "raw_home_office", TABLES, with_dlt_columns=False)

def _outcome_rows(force: str = "Kent", year: str = "2024/25", count: object = 5) -> list[list[object]]:
    return [
        [year, quarter, force, "8N", "Assault with injury", "Violence against the person", "Violence with injury",
         None, outcome, "Charged/Summonsed" if outcome == 1 else "Other", "Group", count, 1]
        for quarter in (1, 2, 3, 4) for outcome in (0, 1, 18)
    ]


def _outcomes_book(path: Path, rows: list[list[object]], header: list[str] = OUTCOMES_HEADER,
                   preamble: int = 0, sheet: str = "Outcomes open data 2024_25") -> Path:
    cover = [["Outcomes open data, year ending March 2025"], ["Published 22 January 2026"]]
    lead = [["Data sheet"], []] + [[f"note line {i}"] for i in range(preamble)]
    write_xlsx(path, [("Cover_sheet", cover), ("Notes", [["Note"]]), (sheet, [*lead, header, *rows])])
    return path


def test_the_content_api_names_the_files_and_every_financial_year_loads_once(
    tmp_path: Path, mirror: Path, sample_pipeline: SamplePipeline
) -> None:
    # the first load is the session's shared `extract run` over the sample; this test's runs use a copy
    settings = _settings(tmp_path, mirror)
    copy_warehouse(sample_pipeline.warehouse, settings.warehouse.parent)
    # the first run loaded the 8 financial-year sheets (PRC and outcomes, 4 years), every row it reported
    reported = re.search(r"home_office: ([\d,]+) rows from 8 financial-year sheets loaded",
                         sample_pipeline.extract_output)
    assert reported, sample_pipeline.extract_output
    assert int(reported.group(1).replace(",", "")) == query(settings.warehouse, """
        select (select count(*) from raw_home_office.prc_force_area)
             + (select count(*) from raw_home_office.crime_outcomes)""")[0][0]
    files = query(settings.warehouse, "select dataset, financial_year, release_date::varchar, source_location "
                                      "from raw_home_office.published_files order by all")
    years = ["2022-23", "2023-24", "2024-25", "2025-26"]
    assert [(d, fy) for d, fy, _, _ in files] == [("crime_outcomes", y) for y in years] + [
        ("prc_force_area", y) for y in years]
    assert {r for _, _, r, _ in files} == {"2026-01-22"}
    page = json.loads((mirror / CONTENT_HOST / LANDING_PATH).read_text())
    urls = {a["url"] for a in page["details"]["attachments"]}
    assert {loc for *_, loc in files} <= urls
    # the alternate-outcomes file was not loaded: no 1a/2a/3a anywhere
    assert query(settings.warehouse, "select count(*) from raw_home_office.crime_outcomes "
                                     "where regexp_matches(outcome_type, '[a-z]')") == [(0,)]
    # markers are kept with their reason, never turned into 0
    markers = dict(query(settings.warehouse, """
        select outcomes_recorded_in_quarter_marker, count(*) from raw_home_office.crime_outcomes
        where outcomes_recorded_in_quarter is null group by 1"""))
    assert set(markers) == {"not_applicable", "not_provided"}
    not_provided = query(settings.warehouse, """
        select distinct force_name, financial_year, financial_quarter from raw_home_office.crime_outcomes
        where outcomes_recorded_in_quarter_marker = 'not_provided'""")
    assert not_provided == [("Cumbria", "2022-23", 1)]

    before = _digest(settings)
    again = home_office.run(settings)
    assert again.excluded == 3  # alternate outcomes (1a/2a/3a), supplementary metrics, geographic lookup
    assert (again.sheets_loaded, again.rows_loaded) == (0, 0)
    assert _digest(settings) == before


def test_an_older_release_never_replaces_a_newer_one_and_a_newer_one_replaces_its_years(tmp_path: Path) -> None:
    settings = _settings(tmp_path, tmp_path)
    newer = _outcomes_book(tmp_path / "prc-outcomes-open-data-mar2025-tables-220126.xlsx", _outcome_rows(count=5))
    older = _outcomes_book(tmp_path / "prc-outcomes-open-data-mar2025-tables-240725.xlsx", _outcome_rows(count=7))
    home_office.load_paths(settings, [(newer, str(newer))])
    summary = home_office.load_paths(settings, [(older, str(older))])
    assert summary.kept_newer == 1
    assert query(settings.warehouse, "select distinct outcomes_recorded_in_quarter, release_date::varchar "
                                     "from raw_home_office.crime_outcomes") == [(5, "2026-01-22")]
    newest = _outcomes_book(tmp_path / "prc-outcomes-open-data-mar2025-tables-230426.xlsx", _outcome_rows(count=9))
    home_office.load_paths(settings, [(newest, str(newest))])
    assert query(settings.warehouse, "select count(*), min(outcomes_recorded_in_quarter), "
                                     "max(release_date)::varchar from raw_home_office.crime_outcomes") == [
        (12, 9, "2026-04-23")]


def test_a_moved_header_row_and_reworded_count_columns_still_load(tmp_path: Path) -> None:
    settings = _settings(tmp_path, tmp_path)
    header = [*OUTCOMES_HEADER[:11], "Number of outcomes for offences recorded in the quarter",
              "Force outcomes recorded in quarter"]
    book = _outcomes_book(tmp_path / "prc-outcomes-open-data-mar2025-tables-220126.xlsx", _outcome_rows(),
                          header=header, preamble=7)
    home_office.load_paths(settings, [(book, str(book))])
    rows = query(settings.warehouse, "select min(source_row), count(*), sum(outcomes_recorded_in_quarter), "
                                     "sum(outcomes_closed_in_quarter) from raw_home_office.crime_outcomes")
    # 2 lead rows and 7 note lines above the header (sheet row 10): data starts on row 11
    assert rows == [(11, 12, 60, 12)]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("rename", r"sheet 'Outcomes open data 2024_25': the header row \(row 3\) has no column for "
                   r"outcomes_recorded_in_quarter"),
        ("force", r"sheet 'Outcomes open data 2024_25': unknown force name 'Gotham City' \(row 4\)"),
        ("marker", r"sheet 'Outcomes open data 2024_25': row 4, column 'Outcomes for offences that were recorded "
                   r"in the quarter': 'lots' is neither a number nor a known marker"),
    ],
)
def test_a_layout_the_loader_cannot_read_fails_naming_file_sheet_and_problem_and_changes_nothing(
    tmp_path: Path, change: str, message: str,
) -> None:
    settings = _settings(tmp_path, tmp_path)
    good = _outcomes_book(tmp_path / "prc-outcomes-open-data-mar2025-tables-220126.xlsx", _outcome_rows())
    home_office.load_paths(settings, [(good, str(good))])
    before = _digest(settings)
    header, rows = list(OUTCOMES_HEADER), _outcome_rows(count=6)
    if change == "rename":
        header[11] = "Outcome count (offences in quarter)"
    elif change == "force":
        rows[0][2] = "Gotham City"
    else:
        rows[0][11] = "lots"
    bad = _outcomes_book(tmp_path / "bad" / "prc-outcomes-open-data-mar2025-tables-230426.xlsx", rows, header=header)
    with pytest.raises(MalformedFileError, match=r"^prc-outcomes-open-data-mar2025-tables-230426\.xlsx, " + message):
        home_office.load_paths(settings, [(bad, str(bad))])
    assert _digest(settings) == before
    env = {"PPF_WAREHOUSE": str(settings.warehouse), "PPF_SOURCE": "sample"}
    result = run_cli(["-m", "extract", "load", "home_office", str(bad)], env)
    assert result.returncode == 1
    assert "error: prc-outcomes-open-data-mar2025-tables-230426.xlsx, sheet" in result.stderr
    assert "the warehouse is as it was" in result.stderr
    assert _digest(settings) == before


def test_a_mirror_without_the_landing_page_is_an_error_naming_it(tmp_path: Path, mirror: Path) -> None:
    copy = tmp_path / "mirror"
    shutil.copytree(mirror, copy)
    (copy / CONTENT_HOST / LANDING_PATH).unlink()
    with pytest.raises(Exception, match="police-recorded-crime-and-outcomes-open-data-tables: not found"):
        home_office.run(_settings(tmp_path, copy))
