"""The Home Office police workforce loader: collection -> release pages -> open data tables, vintages kept per
release date, idempotent reruns, drifting layouts, and failures that leave the warehouse as it was."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
from conftest import query, run_cli, table_digest

from extract.config import Settings
from extract.errors import MalformedFileError
from extract.home_office import workforce_pipeline as workforce
from extract.home_office.workforce import TABLE_COLUMNS, parse_sheet
from extract.home_office.workforce_settings import (
    ABSENCE,
    ASSET_HOST,
    COLLECTION_PATH,
    CONTENT_HOST,
    DATASETS,
    FUNCTIONS,
    JOINERS_LEAVERS,
    LIMITED_DUTIES,
    PUBLISHED_HEADERS,
    WORKFORCE,
)
from extract.spreadsheet import Sheet
from extract.workbook_writer import write_ods

SCHEMA = "raw_home_office_workforce"
TABLES = (*DATASETS, "published_files")
FORCES = ("Kent", "Surrey", "British Transport Police")


def _settings(tmp_path: Path, source: Path) -> Settings:
    return Settings(source=str(source), warehouse=tmp_path / "wh" / "ppf.duckdb", sample_dir=tmp_path / "sample",
                    sample_scale=0.002)


def _digest(settings: Settings) -> list[tuple]:
    return table_digest(settings.warehouse, SCHEMA, TABLES)

def _workforce_rows(snapshots: list[object], headcount: float = 10, fte: float = 9.5) -> list[list[object]]:
    return [
        [snapshot, "E23000032", force, "South East", sex, "Constable", "Police Officer", headcount, fte]
        for snapshot in snapshots for force in FORCES for sex in ("Female", "Male")
    ]


def _book(path: Path, header: list[str], rows: list[list[object]], preamble: int = 2,
          sheet: str = "Data") -> Path:
    """An open data table as published: a cover sheet, then title lines above the header of the data sheet."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lead = [["Police workforce open data table"], *[[f"note {i}"] for i in range(preamble - 1)]] if preamble else []
    write_ods(path, [("Cover_sheet", [["Police workforce, England and Wales"]]),
                     (sheet, [*lead, header, *rows, [None] * len(header)])])
    return path


def _functions_rows(year: int = 2025) -> list[list[object]]:
    # subgroup numbers are codes published as numbers: calamine reads them as 1.2 and 10.0
    return [
        [year, "E23000032", "Kent", "South East", "Police Officer", "White", "White", "Female", number,
         "Neighbourhood policing", 1, "Local policing", "Visible operational frontline", fte]
        for number, fte in ((1.2, 12.5), (10, "[x]"))
    ]


def _publish(mirror: Path, slug: str, files: list[Path], title: str | None = None) -> str:
    """A release page in the mirror attaching `files`, an HTML report and the bulletin tables."""
    base_path = f"/government/statistics/police-workforce-england-and-wales-{slug}"
    attachments = [{"title": "Police workforce, England and Wales", "url": base_path + "/report",
                    "content_type": "text/html"}]
    for index, file in enumerate(files):
        media = f"/media/{slug}-{index}/{file.name}"
        target = mirror / ASSET_HOST / media.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(file, target)
        attachments.append({"title": file.stem, "url": f"https://{ASSET_HOST}{media}", "filename": file.name})
    tables = f"/media/{slug}-t/police-workforce-{slug}-tables.ods"
    (mirror / ASSET_HOST / tables.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
    (mirror / ASSET_HOST / tables.lstrip("/")).write_bytes(b"not loaded")
    attachments.append({"title": "Tables", "url": f"https://{ASSET_HOST}{tables}", "filename": Path(tables).name})
    page = mirror / CONTENT_HOST / "api" / "content" / base_path.lstrip("/")
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(json.dumps({"base_path": base_path, "title": title or f"Police workforce: {slug}",
                                "details": {"attachments": attachments}}))
    return base_path


def _collection(mirror: Path, base_paths: list[str]) -> None:
    documents = [{"base_path": p, "title": p.rsplit("/", 1)[-1]} for p in base_paths]
    documents.append({"base_path": "/government/statistics/police-workforce-open-data-tables-user-guide",
                      "title": "User guide"})
    path = mirror / CONTENT_HOST / COLLECTION_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"title": "Police workforce, England and Wales", "links": {"documents": documents}}))


def _two_release_mirror(tmp_path: Path) -> Path:
    """31 March 2025 (published July: workforce as years, functions) and 30 September 2025 (published January:
    workforce with an `As at` date column that revises the 31 March figures)."""
    mirror, files = tmp_path / "mirror", tmp_path / "files"
    march = _publish(mirror, "31-march-2025", [
        _book(files / "open-data-table-police-workforce-240725.ods", PUBLISHED_HEADERS[WORKFORCE],
              _workforce_rows([2024, 2025], headcount=10)),
        _book(files / "open-data-table-police-workforce-functions-240725.ods", PUBLISHED_HEADERS[FUNCTIONS],
              _functions_rows()),
    ])
    september_header = ["As at", *PUBLISHED_HEADERS[WORKFORCE][1:]]
    september = _publish(mirror, "30-september-2025", [
        _book(files / "open-data-table-police-workforce-280126.ods", september_header,
              _workforce_rows(["31/03/2024"], headcount=10) + _workforce_rows(["2025-03-31"], headcount=11)
              + _workforce_rows(["30 September 2025"], headcount=12)),
    ], title="Police workforce, England and Wales: 30 September 2025")
    _collection(mirror, [march, september])
    return mirror


def test_two_releases_load_as_two_vintages_and_a_rerun_changes_nothing(tmp_path: Path) -> None:
    mirror = _two_release_mirror(tmp_path)
    settings = _settings(tmp_path, mirror)
    summary = workforce.run(settings)
    assert (summary.files_loaded, summary.unchanged, summary.releases_read) == (3, 0, 2)
    assert summary.skipped == 4  # an HTML report and the bulletin tables on each page
    assert summary.rows_loaded == 6 * 2 + 2 + 6 * 3
    # the same snapshot as published by each release, queryable per release date
    assert query(settings.warehouse, f"""
        select release_date::varchar, as_at::varchar, min(headcount), count(*) from {SCHEMA}.workforce
        group by all order by all""") == [
        ("2025-07-24", "2024-03-31", 10, 6), ("2025-07-24", "2025-03-31", 10, 6),
        ("2026-01-28", "2024-03-31", 10, 6), ("2026-01-28", "2025-03-31", 11, 6),
        ("2026-01-28", "2025-09-30", 12, 6)]
    assert query(settings.warehouse, f"""
        select dataset, source_file, source_sheet, release_date::varchar, release_title, row_count,
               first_snapshot::varchar, last_snapshot::varchar, source_location like 'https://{ASSET_HOST}/media/%'
        from {SCHEMA}.published_files order by all""") == [
        ("functions", "open-data-table-police-workforce-functions-240725.ods", "Data", "2025-07-24",
         "Police workforce: 31-march-2025", 2, "2025-03-31", "2025-03-31", True),
        ("workforce", "open-data-table-police-workforce-240725.ods", "Data", "2025-07-24",
         "Police workforce: 31-march-2025", 12, "2024-03-31", "2025-03-31", True),
        ("workforce", "open-data-table-police-workforce-280126.ods", "Data", "2026-01-28",
         "Police workforce, England and Wales: 30 September 2025", 18, "2024-03-31", "2025-09-30", True)]
    # provenance: the 1-based sheet row (a title line and a note above the header on row 3)
    assert query(settings.warehouse, f"select min(source_row), max(source_row) from {SCHEMA}.workforce "
                                     "where release_date = '2025-07-24'") == [(4, 15)]
    # codes published as numbers come back as published; markers kept with a null value
    assert query(settings.warehouse, f"select function_subgroup_number, wider_function_number, fte, fte_marker, "
                                     f"fte_marker_reason from {SCHEMA}.functions order by 1") == [
        ("1.2", "1", 12.5, None, None), ("10", "1", None, "not_available", "'[x]': not available")]
    assert query(settings.warehouse, f"select count(*) from {SCHEMA}.absence") == [(0,)]

    before = _digest(settings)
    again = workforce.run(settings)
    assert (again.files_loaded, again.rows_loaded, again.unchanged) == (0, 0, 3)
    assert _digest(settings) == before


def test_only_the_newest_releases_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mirror, files = tmp_path / "mirror", tmp_path / "files"
    pages = [
        _publish(mirror, slug, [_book(files / f"open-data-table-police-workforce-{suffix}.ods",
                                      PUBLISHED_HEADERS[WORKFORCE], _workforce_rows([year]))])
        for slug, suffix, year in (("31-march-2024", "250724", 2024), ("30-september-2024", "300125", 2024),
                                   ("31-march-2025", "240725", 2025))
    ]
    _collection(mirror, pages)  # oldest first in the collection: the loader sorts by the date in the path
    settings = _settings(tmp_path, mirror)
    monkeypatch.setenv("PPF_WORKFORCE_RELEASES", "1")
    assert workforce.run(settings).releases_read == 1
    assert query(settings.warehouse, f"select distinct release_date::varchar from {SCHEMA}.workforce") == [
        ("2025-07-24",)]
    monkeypatch.delenv("PPF_WORKFORCE_RELEASES")
    summary = workforce.run(settings)  # the default: the newest two
    assert (summary.releases_read, summary.files_loaded, summary.unchanged) == (2, 1, 1)
    assert query(settings.warehouse, f"select distinct release_date::varchar from {SCHEMA}.workforce "
                                     "order by 1") == [("2025-01-30",), ("2025-07-24",)]
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv("PPF_WORKFORCE_RELEASES", bad)
        with pytest.raises(SystemExit, match=f"PPF_WORKFORCE_RELEASES must be a whole number .* got '{bad}'"):
            workforce.run(settings)


def test_a_reissued_file_replaces_its_release_and_leaves_older_vintages(tmp_path: Path) -> None:
    settings = _settings(tmp_path, tmp_path)
    older = _book(tmp_path / "a" / "open-data-table-police-workforce-250724.ods", PUBLISHED_HEADERS[WORKFORCE],
                  _workforce_rows([2024], headcount=5))
    first = _book(tmp_path / "a" / "open-data-table-police-workforce-240725.ods", PUBLISHED_HEADERS[WORKFORCE],
                  _workforce_rows([2024, 2025], headcount=10))
    workforce.load_paths(settings, [(older, str(older)), (first, str(first))])
    reissued = _book(tmp_path / "b" / "open-data-table-police-workforce-240725.ods", PUBLISHED_HEADERS[WORKFORCE],
                     _workforce_rows([2025], headcount=13))
    summary = workforce.load_paths(settings, [(reissued, str(reissued))])
    assert (summary.files_loaded, summary.rows_loaded) == (1, 6)
    assert query(settings.warehouse, f"select release_date::varchar, as_at::varchar, min(headcount), count(*) "
                                     f"from {SCHEMA}.workforce group by all order by all") == [
        ("2024-07-25", "2024-03-31", 5, 6), ("2025-07-24", "2025-03-31", 13, 6)]
    assert query(settings.warehouse, f"select release_date::varchar, source_location, row_count "
                                     f"from {SCHEMA}.published_files order by 1") == [
        ("2024-07-25", str(older), 6), ("2025-07-24", str(reissued), 6)]


def test_year_and_date_snapshot_layouts_load_to_the_right_dates(tmp_path: Path) -> None:
    settings = _settings(tmp_path, tmp_path)
    september = _book(tmp_path / "open-data-table-police-workforce-absence-280126.ods",
                      ["As at 30 September", *PUBLISHED_HEADERS[ABSENCE][1:]],
                      [[2025, "E23000032", "Kent", "South East", "Police Officer", "Female", "Long-term sick", 3, 2.5]])
    flows = _book(tmp_path / "open-data-table-police-workforce-joiners-leavers-240725.ods",
                  PUBLISHED_HEADERS[JOINERS_LEAVERS],
                  [[year, "E23000032", "Kent", "South East", "Police Officer", "Male", "Constable", "Leaver",
                    "Voluntary resignation", 4, 4] for year in (2025, "2023/24")])
    workforce.load_paths(settings, [(september, str(september)), (flows, str(flows))])
    assert query(settings.warehouse, f"select as_at::varchar, absence_type from {SCHEMA}.absence") == [
        ("2025-09-30", "Long-term sick")]
    assert query(settings.warehouse, f"select year_ending::varchar from {SCHEMA}.joiners_leavers order by 1") == [
        ("2024-03-31",), ("2025-03-31",)]
    # date and datetime cells (as calamine returns them from a date-formatted column) are dates as they are
    rows = [PUBLISHED_HEADERS[WORKFORCE]] + [
        [cell, "E1", "Kent", "South East", "Male", "Constable", "Police Officer", 1, 1]
        for cell in (date(2025, 3, 31), datetime(2025, 9, 30, 0, 0), 2025.0, " 2024 ")]
    parsed = parse_sheet(Sheet(tmp_path / "x.xlsx", "Data", rows), WORKFORCE)
    assert [d.isoformat() for d in parsed.table.column("as_at").to_pylist()] == [
        "2025-03-31", "2025-09-30", "2025-03-31", "2024-03-31"]


def test_a_moved_header_reworded_columns_a_renamed_file_and_a_csv_load(tmp_path: Path) -> None:
    settings = _settings(tmp_path, tmp_path)
    header = ["As at 31 March", "Force code", "Force", "Region", "Gender", "Rank", "Worker type", "Headcount", "FTE"]
    rows = _workforce_rows([2025])
    rows[0][7:9] = ["..", "[x]"]
    rows[1][7:9] = [" 1,234 ", 1233.25]
    moved = _book(tmp_path / "open-data-table-police-workforce-240725.ods", header, rows, preamble=8)
    renamed = _book(tmp_path / "downloaded-limited-duties-240725.ods", PUBLISHED_HEADERS[LIMITED_DUTIES],
                    [[2025, "E23000032", "Kent", "South East", "Police Officer", "Female", "Sergeant",
                      "Recuperative duties", 2, 1.6]])
    csv_file = tmp_path / "open-data-table-police-workforce-functions-240725.csv"
    csv_file.write_text(",".join(PUBLISHED_HEADERS[FUNCTIONS]) + "\n"
                        + "2025,E23000032,Kent,South East,Police Officer,White,White,Male,1.2,Neighbourhood policing,"
                          "1,Local policing,Visible operational frontline,7.5\n\n", encoding="utf-8")
    workforce.load_paths(settings, [(p, str(p)) for p in (moved, renamed, csv_file)])
    assert query(settings.warehouse, f"""
        select source_row, force_name, sex, headcount, headcount_marker, fte, fte_marker_reason
        from {SCHEMA}.workforce where source_row <= 11 order by 1""") == [
        (10, "Kent", "Female", None, "not_available", None, "'[x]': not available"),
        (11, "Kent", "Male", 1234, None, 1233.25, None)]
    assert query(settings.warehouse, f"select count(*), count(distinct geocode) from {SCHEMA}.workforce") == [(6, 1)]
    assert query(settings.warehouse, f"select rank, duty_type, fte from {SCHEMA}.limited_duties") == [
        ("Sergeant", "Recuperative duties", 1.6)]
    assert query(settings.warehouse, f"select source_sheet, source_row, function_subgroup_number, fte "
                                     f"from {SCHEMA}.functions") == [("", 2, "1.2", 7.5)]
    assert query(settings.warehouse, f"select dataset from {SCHEMA}.published_files order by 1") == [
        ("functions",), ("limited_duties",), ("workforce",)]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("force", r"sheet 'Data': unknown force name 'Gotham City' \(row 4\); if it is a new spelling of a force, "
                  r"add it to seeds/force_name_variants.csv"),
        ("column", r"sheet 'Data': the header row \(row 3\) has no column for rank"),
        ("snapshot", r"sheet 'Data': row 5, column 'As at 31 March': 'last year' is not a year or a date"),
    ],
)
def test_a_file_the_loader_cannot_read_fails_naming_file_sheet_and_problem_and_changes_nothing(
    tmp_path: Path, change: str, message: str,
) -> None:
    settings = _settings(tmp_path, tmp_path)
    good = _book(tmp_path / "open-data-table-police-workforce-240725.ods", PUBLISHED_HEADERS[WORKFORCE],
                 _workforce_rows([2025]))
    workforce.load_paths(settings, [(good, str(good))])
    before = _digest(settings)
    header, rows = list(PUBLISHED_HEADERS[WORKFORCE]), _workforce_rows([2025], headcount=20)
    if change == "force":
        rows[0][2] = "Gotham City"
    elif change == "column":
        header[5] = "Grade"
    else:
        rows[1][0] = "last year"
    bad = _book(tmp_path / "bad" / "open-data-table-police-workforce-280126.ods", header, rows)
    other = _book(tmp_path / "open-data-table-police-workforce-functions-280126.ods", PUBLISHED_HEADERS[FUNCTIONS],
                  _functions_rows())
    with pytest.raises(MalformedFileError, match=r"^open-data-table-police-workforce-280126\.ods, " + message):
        workforce.load_paths(settings, [(other, str(other)), (bad, str(bad))])
    assert _digest(settings) == before
    if change == "force":
        result = run_cli(["-m", "extract", "load", "home_office_workforce", str(bad)],
                         {"PPF_WAREHOUSE": str(settings.warehouse), "PPF_SOURCE": str(tmp_path)})
        assert result.returncode == 1
        assert "error: open-data-table-police-workforce-280126.ods, sheet 'Data': unknown force name" in result.stderr
        assert "the warehouse is as it was" in result.stderr
        assert _digest(settings) == before


def test_a_file_without_a_release_date_suffix_is_refused(tmp_path: Path) -> None:
    settings = _settings(tmp_path, tmp_path)
    book = _book(tmp_path / "open-data-table-police-workforce.ods", PUBLISHED_HEADERS[WORKFORCE],
                 _workforce_rows([2025]))
    with pytest.raises(MalformedFileError, match=r"^open-data-table-police-workforce\.ods: no release date in the "
                                                 r"file name.*DDMMYY"):
        workforce.load_paths(settings, [(book, str(book))])
    assert not settings.warehouse.exists() or _digest(settings) == [(t, 0, None) for t in TABLES]


def test_the_command_line_loads_files_and_runs_the_source(tmp_path: Path) -> None:
    mirror = _two_release_mirror(tmp_path)
    warehouse = tmp_path / "cli" / "ppf.duckdb"
    book = _book(tmp_path / "open-data-table-police-workforce-limited-duties-240725.ods",
                 PUBLISHED_HEADERS[LIMITED_DUTIES],
                 [[2025, "E23000032", "Kent", "South East", "Police Officer", "Female", "Sergeant",
                   "Adjusted duties", 2, 1.6]])
    env = {"PPF_WAREHOUSE": str(warehouse), "PPF_SOURCE": str(mirror)}
    loaded = run_cli(["-m", "extract", "load", "home_office_workforce", str(book)], env)
    assert loaded.returncode == 0, loaded.stderr
    assert "home_office_workforce: 1 rows from 1 file(s) loaded" in loaded.stdout
    ran = run_cli(["-m", "extract", "run", "--only", "home_office_workforce"], env)
    assert ran.returncode == 0, ran.stderr
    assert "home_office_workforce: 32 rows from 3 file(s) loaded, 0 unchanged; 2 release(s) read, 4 attachments" \
        in ran.stdout
    assert "[home_office_workforce] not loading police-workforce-31-march-2025-tables.ods: not a workforce open " \
           "data table" in ran.stderr
    assert "Warning" not in ran.stderr and "WARNING" not in ran.stderr
    assert query(warehouse, f"select dataset, count(*) from {SCHEMA}.published_files group by 1 order by 1") == [
        ("functions", 1), ("limited_duties", 1), ("workforce", 2)]


def test_a_mirror_without_the_collection_skips_the_source_and_creates_its_tables_empty(tmp_path: Path) -> None:
    mirror = tmp_path / "empty_mirror"
    mirror.mkdir()
    warehouse = tmp_path / "wh" / "ppf.duckdb"
    result = run_cli(["-m", "extract", "run"], {"PPF_WAREHOUSE": str(warehouse), "PPF_SOURCE": str(mirror)})
    assert result.returncode == 0, result.stderr
    assert "[home_office_workforce] no files of this publisher" in result.stderr
    settings = _settings(tmp_path, mirror)
    assert _digest(settings) == [(t, 0, None) for t in TABLES]
    for dataset in DATASETS:
        columns = query(warehouse, "select column_name, data_type, is_nullable from information_schema.columns "
                                   "where table_schema = ? and table_name = ? order by ordinal_position",
                        [SCHEMA, dataset])
        assert [c for c, _, _ in columns] == list(TABLE_COLUMNS[dataset])  # no _dlt_* columns on data tables
    # tables created empty first, then a load into them (the Arrow rows carry no _dlt_* columns either)
    book = _book(tmp_path / "open-data-table-police-workforce-240725.ods", PUBLISHED_HEADERS[WORKFORCE],
                 _workforce_rows([2025]))
    assert workforce.load_paths(settings, [(book, str(book))]).rows_loaded == 6
    with pytest.raises(Exception, match="police-workforce-england-and-wales: not found"):
        workforce.run(settings)
