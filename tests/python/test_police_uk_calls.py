"""police.uk 999 (and 101) call answering: the sample loads through `run` as published, markers are kept,
reruns change nothing, a changed month replaces that month only, and files the loader cannot read are
refused naming the file and the problem, leaving the warehouse as it was."""

from __future__ import annotations

import csv
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
from conftest import query, run_cli, table_digest

from extract.config import Settings
from extract.errors import MalformedFileError
from extract.police_uk import calls_pipeline
from extract.police_uk.calls import CALL_COLUMNS, FILES_COLUMNS, NON_EW_BODIES, month_start_of
from extract.police_uk.calls_sample import SAMPLE_HEADER, generate_calls_mirror
from extract.police_uk.calls_settings import HOST, INDEX_PATH
from extract.workbook_writer import write_xlsx

SCHEMA = "raw_police_uk_calls"
TABLES = ("call_answering", "published_files")
FOLDER = INDEX_PATH.rsplit("/", 1)[0]
# Sample header -> raw column, for the independent reading of the files.
RAW_OF = dict(zip(SAMPLE_HEADER[2:], ("answered_under_10_seconds", "answered_10_to_60_seconds",
                                      "answered_60_seconds_or_more", "total_calls", "average_answer_seconds",
                                      "calls_101", "average_101_answer_seconds"), strict=True))


def _digest(settings: Settings, where: str = "") -> list[tuple]:
    return table_digest(settings.warehouse, SCHEMA, TABLES, where)

def _folder(mirror: Path) -> Path:
    return mirror / HOST / FOLDER


def _independent_rows(mirror: Path) -> dict[tuple[str, date], dict[str, str]]:
    """(force, month) -> the published cells, read with the csv module and strptime only."""
    rows = {}
    for path in sorted(_folder(mirror).glob("999-call-answering-*.csv")):
        with open(path, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                text = row["Month"]
                fmt = "%Y-%m" if text[:4].isdigit() else "%b %Y"
                rows[(row["Force"], datetime.strptime(text, fmt).date())] = row
    return rows


def _write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _rows(month: str = "2025-01", forces: tuple[str, ...] = ("Kent Police", "Police Scotland")) -> list[list[object]]:
    return [[force, month, 900, 80, 20, 1000, 9.5, "", ""] for force in forces]


def test_the_sample_loads_through_run_as_published_and_a_rerun_changes_nothing(settings: Settings) -> None:
    manifest = generate_calls_mirror(Path(settings.source))
    summary = calls_pipeline.run(settings)
    assert (summary.files_loaded, summary.rows_loaded, summary.months[0], summary.months[-1]) == (
        18, 18 * 45 - 1, "2024-04", "2025-09")
    wh = settings.warehouse
    by_month = query(wh, f"select strftime(month_start, '%Y-%m'), count(*), count(distinct force_name) "
                         f"from {SCHEMA}.call_answering group by 1 order by 1")
    assert len(by_month) == 18
    assert all(n == d == (44 if m == "2025-09" else 45) for m, n, d in by_month)
    assert query(wh, f"select count(*) from {SCHEMA}.call_answering where force_name = 'Gwent Police' "
                     "and month_start = '2025-09-01'") == [(0,)]
    assert len(manifest["forces"]) == 45 and set(NON_EW_BODIES) <= set(manifest["forces"])
    assert query(wh, f"select count(*) from {SCHEMA}.call_answering where force_name in ?",
                 [list(NON_EW_BODIES)]) == [(36,)]

    # every value equals the published cell; markers where the cell is not a number
    published = _independent_rows(Path(settings.source))
    columns = list(RAW_OF.values())
    loaded = query(wh, f"select force_name, month_start, {', '.join(columns)}, "
                       f"{', '.join(c + '_marker' for c in columns)} from {SCHEMA}.call_answering")
    assert len(loaded) == len(published) == 809
    markers_seen = set()
    for force, month, *cells in loaded:
        row = published[(force, month)]
        for column, value, marker in zip(columns, cells[:7], cells[7:], strict=True):
            text = next(row[h] for h, c in RAW_OF.items() if c == column)
            if text == "":
                assert (value, marker) == (None, "blank"), (force, month, column)
            elif text == "..":
                assert (value, marker) == (None, "not_available"), (force, month, column)
            else:
                assert (value, marker) == (float(text), None), (force, month, column)
            markers_seen.add(marker)
    assert markers_seen == {None, "blank", "not_available"}

    # total = sum of the bands; 101 published by 25 forces; the '..' row is null, never 0
    assert query(wh, f"select count(*) from {SCHEMA}.call_answering where total_calls <> answered_under_10_seconds "
                     "+ answered_10_to_60_seconds + answered_60_seconds_or_more") == [(0,)]
    assert query(wh, f"select count(distinct force_name) from {SCHEMA}.call_answering where calls_101 is not null") \
        == [(25,)]
    assert query(wh, f"select count(*) from {SCHEMA}.call_answering where calls_101 = 0 or total_calls = 0") == [(0,)]
    assert query(wh, f"select total_calls, total_calls_marker_reason, average_answer_seconds_marker "
                     f"from {SCHEMA}.call_answering where force_name = 'Devon & Cornwall Police' "
                     "and month_start = '2024-11-01'") == [(None, "'..': not available", "not_available")]
    national = query(wh, f"select month_start, sum(total_calls) from {SCHEMA}.call_answering "
                         f"where force_name not in ? group by 1", [list(NON_EW_BODIES)])
    assert all(700_000 < total < 1_000_000 for _, total in national)
    assert query(wh, f"select min(average_answer_seconds) >= 8, max(average_answer_seconds) <= 20, "
                     "min(answered_under_10_seconds / total_calls) >= 0.749, "
                     f"max(answered_under_10_seconds / total_calls) <= 0.921 from {SCHEMA}.call_answering") \
        == [(True, True, True, True)]
    assert query(wh, f"select count(*), min(row_count), max(row_count) from {SCHEMA}.published_files") == [(18, 44, 45)]

    before = _digest(settings)
    again = calls_pipeline.run(settings)
    assert (again.files_loaded, again.files_unchanged) == (0, 18)
    assert _digest(settings) == before


def test_a_changed_file_replaces_its_month_only(settings: Settings) -> None:
    mirror = Path(settings.source)
    generate_calls_mirror(mirror)
    calls_pipeline.run(settings)
    others = "where month_start <> '2025-03-01'"
    before_others = _digest(settings, others)
    path = _folder(mirror) / "999-call-answering-2025-03.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        header, *rows = list(csv.reader(fh))
    rows = [r for r in rows if r[0] != "Kent Police"]  # a force withdrawn, a figure revised
    rows[0][2:6] = ["100", "10", "1", "111"]
    _write_csv(path, header, rows)
    summary = calls_pipeline.run(settings)
    assert (summary.files_loaded, summary.files_unchanged, summary.months) == (1, 17, ["2025-03"])
    assert _digest(settings, others) == before_others
    wh = settings.warehouse
    assert query(wh, f"select count(*), count(*) filter (where force_name = 'Kent Police') "
                     f"from {SCHEMA}.call_answering where month_start = '2025-03-01'") == [(44, 0)]
    assert query(wh, f"select total_calls from {SCHEMA}.call_answering where month_start = '2025-03-01' "
                     "and force_name = ?", [rows[0][0]]) == [(111.0,)]
    assert query(wh, f"select row_count from {SCHEMA}.published_files where month_start = '2025-03-01'") == [(44,)]


@pytest.mark.parametrize(
    ("change", "name", "message"),
    [
        ("layout", "999-call-answering-2025-02.csv",
         r"the header row \(row 1\) has no column for answered_10_to_60_seconds \(pattern '.*'\); answered_60_seconds"
         r"_or_more \(pattern '.*'\); the layout has changed"),
        ("month", "999-call-answering-2025-02.csv",
         r"row 3, column 'Month': 'Q1 2025' is not a month \(expected e\.g\. 2025-01, Jan 2025"),
        ("file_month", "999-call-answering-2025-02.csv",
         r"the rows are for 2025-01 \(column 'Month'\) but the file name says 2025-02"),
        ("force", "999-call-answering-2025-02.csv",
         r"unknown force name 'Gotham City Police' \(row 3\); if it is a new spelling of a force, add it to "
         r"seeds/force_name_variants\.csv"),
        ("mixed", "calls-by-hand.csv", r"row 3, column 'Month': 2024-12 where the rows above are 2025-01"),
        ("negative", "calls-by-hand.csv", r"row 2, column 'Total calls': -5 is negative"),
        ("renamed", "999-call-answering-2025-02.csv",
         r"the same bytes are loaded as 2025-01 but the file name says 2025-02"),
    ],
)
def test_a_file_the_loader_cannot_read_is_refused_naming_file_and_problem_and_changes_nothing(
    settings: Settings, tmp_path: Path, change: str, name: str, message: str,
) -> None:
    good = _write_csv(tmp_path / "in" / "999-call-answering-2025-01.csv", SAMPLE_HEADER, _rows())
    calls_pipeline.load_paths(settings, [(good, str(good))])
    before = _digest(settings)
    header, rows = list(SAMPLE_HEADER), _rows("2025-02" if change != "file_month" else "2025-01")
    if change != "renamed":
        rows[0][6] = 9.6  # never the bytes already loaded
    else:
        rows = _rows()  # the loaded file, copied under another month's name
    if change == "layout":
        header[3], header[4] = "Calls answered 10-59 seconds", "Calls answered 1 minute +"
    elif change == "month":
        rows[1][1] = "Q1 2025"
    elif change == "force":
        rows[1][0] = "Gotham City Police"
    elif change == "mixed":
        rows = [_rows("2025-01")[0], _rows("Dec 2024")[1]]
    elif change == "negative":
        rows[0][5] = -5
    bad = _write_csv(tmp_path / "bad" / name, header, rows)
    other = _write_csv(tmp_path / "in" / "999-call-answering-2025-03.csv", SAMPLE_HEADER, _rows("Mar 2025"))
    with pytest.raises(MalformedFileError, match="^" + name.replace(".", r"\.") + ": " + message):
        calls_pipeline.load_paths(settings, [(other, str(other)), (bad, str(bad))])
    assert _digest(settings) == before
    if change == "layout":
        result = run_cli(["-m", "extract", "load", "police_uk_calls", str(bad)],
                         {"PPF_WAREHOUSE": str(settings.warehouse), "PPF_SOURCE": str(tmp_path)})
        assert result.returncode == 1
        assert f"error: {name}: the header row (row 1) has no column for answered_10_to_60_seconds" in result.stderr
        assert "the warehouse is as it was" in result.stderr
        assert _digest(settings) == before


def test_month_cells_in_every_published_form_and_an_xlsx_file(settings: Settings, tmp_path: Path) -> None:
    for cell in ("2025-01", "Jan 2025", "January 2025", "01/01/2025", "15/01/2025", date(2025, 1, 20),
                 datetime(2025, 1, 1, 0, 0), " jan  2025 "):
        assert month_start_of(cell) == date(2025, 1, 1), cell
    for cell in ("2025-13", "Q1 2025", "2025", 202501, "Janvier 2025", True):
        assert month_start_of(cell) is None, cell
    # an XLSX workbook: a cover sheet, then the data under a title line; no 101 columns at all
    book = tmp_path / "999-call-answering-2025-01.xlsx"
    write_xlsx(book, [("Cover", [["999 call answering"]]),
                      ("Data", [["Calls answered, January 2025"], SAMPLE_HEADER[:7],
                                *[r[:7] for r in _rows("January 2025")], [None] * 7])])
    summary = calls_pipeline.load_paths(settings, [(book, "https://www.police.uk/x/" + book.name)])
    assert (summary.rows_loaded, summary.months) == (2, ["2025-01"])
    assert query(settings.warehouse, f"select force_name, month_start, total_calls, calls_101, calls_101_marker, "
                                     f"source_row from {SCHEMA}.call_answering order by source_row") == [
        ("Kent Police", date(2025, 1, 1), 1000.0, None, "not_published", 3),
        ("Police Scotland", date(2025, 1, 1), 1000.0, None, "not_published", 4)]


def test_the_command_line_loads_files_by_hand(tmp_path: Path) -> None:
    warehouse = tmp_path / "cli" / "ppf.duckdb"
    files = [_write_csv(tmp_path / f"999-call-answering-2025-0{m}.csv", SAMPLE_HEADER, _rows(f"2025-0{m}"))
             for m in (1, 2)]
    env = {"PPF_WAREHOUSE": str(warehouse), "PPF_SOURCE": str(tmp_path)}
    loaded = run_cli(["-m", "extract", "load", "police_uk_calls", *map(str, files)], env)
    assert loaded.returncode == 0, loaded.stderr
    assert "police_uk_calls: 4 rows for 2 month(s) (2025-01 to 2025-02) from 2 file(s) loaded, 0 unchanged" \
        in loaded.stdout
    assert "Warning" not in loaded.stderr and "WARNING" not in loaded.stderr
    again = run_cli(["-m", "extract", "load", "police_uk_calls", str(files[0])], env)
    assert again.returncode == 0, again.stderr
    assert "0 file(s) loaded, 1 unchanged" in again.stdout
    assert query(warehouse, f"select source_file, source_location from {SCHEMA}.published_files order by 1") == [
        (f.name, str(f.resolve())) for f in files]


def test_a_mirror_without_the_index_skips_the_source_and_creates_its_tables_empty(tmp_path: Path) -> None:
    mirror = tmp_path / "empty_mirror"
    mirror.mkdir()
    warehouse = tmp_path / "wh" / "ppf.duckdb"
    result = run_cli(["-m", "extract", "run"], {"PPF_WAREHOUSE": str(warehouse), "PPF_SOURCE": str(mirror)})
    assert result.returncode == 0, result.stderr
    assert "[police_uk_calls] no files of this publisher" in result.stderr
    settings = Settings(source=str(mirror), warehouse=warehouse, sample_dir=tmp_path / "sample", sample_scale=0.002)
    assert _digest(settings) == [(t, 0, None) for t in TABLES]
    columns = query(warehouse, "select column_name from information_schema.columns where table_schema = ? "
                               "and table_name = 'call_answering' order by ordinal_position", [SCHEMA])
    assert [c for (c,) in columns] == list(CALL_COLUMNS)  # no _dlt_* columns on the data table
    files = query(warehouse, "select column_name from information_schema.columns where table_schema = ? "
                             "and table_name = 'published_files' order by ordinal_position", [SCHEMA])
    assert [c for (c,) in files][: len(FILES_COLUMNS)] == list(FILES_COLUMNS)
    with pytest.raises(Exception, match=r"index\.json: not found"):
        calls_pipeline.run(settings)
    # then a load into the empty tables
    generate_calls_mirror(mirror)
    shutil.rmtree(tmp_path / "sample", ignore_errors=True)
    assert calls_pipeline.run(settings).rows_loaded == 809
