"""ONS Crime Survey for England and Wales (CSEW) tables: the parser, the loader, the CLI, the sample mirror."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

import pytest
from conftest import query, run_cli, xlsx_rows

from extract import cli
from extract.config import Settings
from extract.errors import MalformedFileError
from extract.ons import csew_pipeline
from extract.ons.csew import ESTIMATES_COLUMNS, FILES_COLUMNS, parse_csew_workbook
from extract.ons.csew_sample import generate_csew_mirror, period_label, release_date
from extract.ons.csew_settings import DATASETS, NOT_ASKED_YEARS, SAMPLE_TABLES
from extract.spreadsheet import sheet_names
from extract.workbook_writer import write_xlsx

PERIODS_2025 = [period_label(y) for y in range(2013, 2026)]
ESTIMATE_COLUMNS = list(ESTIMATES_COLUMNS)


def digest(warehouse: Path) -> list[tuple]:
    """Row count and a hash of every column of both raw tables (loaded_at included)."""
    out = []
    for table, columns in (("estimates", ESTIMATES_COLUMNS), ("published_files", FILES_COLUMNS)):
        out += query(warehouse, f"select count(*), sum(hash({', '.join(columns)})::hugeint) "
                                f"from raw_ons_csew.{table}")
    out += query(warehouse, "select count(*) from raw_ons_csew._dlt_loads")
    return out


def letter_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def workbook(mirror: Path, dataset: str, year: int) -> Path:
    found = sorted((mirror / "www.ons.gov.uk" / DATASETS[dataset] / f"yearendingmarch{year}").glob("*.xlsx"))
    assert len(found) == 1, found
    return found[0]


# --- the sample mirror through `run` ---------------------------------------------------------------------------


def test_sample_mirror_loads_the_newest_editions_through_run(settings: Settings) -> None:
    mirror = Path(settings.source)
    generate_csew_mirror(mirror)
    summary = csew_pipeline.run(settings)
    assert (summary.files_loaded, summary.tables_loaded, summary.rows_loaded) == (2, 12, 650)
    assert summary.editions == ["annual_supplementary year ending March 2025", "appendix year ending March 2025"]
    assert "650 estimates from 12 tables in 2 files loaded" in summary.line(settings.warehouse)

    # exactly the declared columns, in order
    described = query(settings.warehouse, "select column_name from information_schema.columns where "
                      "table_schema = 'raw_ons_csew' and table_name = 'estimates' order by ordinal_position")
    assert [r[0] for r in described] == ESTIMATE_COLUMNS

    files = query(settings.warehouse, "select dataset, edition_label, release_date, tables, row_count, "
                  "source_location from raw_ons_csew.published_files order by 1")
    assert [f[:5] for f in files] == [
        ("annual_supplementary", "year ending March 2025", release_date(2025), "S1,S2,S3,S4,S5,S6", 325),
        ("appendix", "year ending March 2025", release_date(2025), "A1,A2,A3,A4,A5,A6", 325)]
    assert files[1][5] == str(workbook(mirror, "appendix", 2025))

    # every SAMPLE_TABLES row, for every period, once
    got = set(query(settings.warehouse, "select dataset, table_id, row_label, period_label, period_start, period_end "
                    "from raw_ons_csew.estimates"))
    expected = {(dataset, t["id"], row, p, date(int(p[4:8]), 4, 1), date(int(p[-4:]), 3, 31))
                for dataset, tables in SAMPLE_TABLES.items() for t in tables for row in t["rows"]
                for p in PERIODS_2025}
    assert got == expected
    assert query(settings.warehouse, "select count(*) from raw_ons_csew.estimates") == [(len(expected),)]
    titles = dict(query(settings.warehouse, "select distinct table_id, table_title from raw_ons_csew.estimates"))
    assert titles == {t["id"]: t["title"] for tables in SAMPLE_TABLES.values() for t in tables}

    # questions not asked by telephone: [x], never 0, and no base
    not_asked = query(settings.warehouse, "select table_id, period_label, value, value_marker, unweighted_base "
                      "from raw_ons_csew.estimates where value is null and value_marker <> 'suppressed'")
    no_phone = {t["id"]: len(t["rows"]) for tables in SAMPLE_TABLES.values() for t in tables
                if not t["telephone_years"]}
    assert len(not_asked) == 2 * sum(no_phone.values())
    assert {(r[0], r[1]) for r in not_asked} == {(t, p) for t in no_phone for p in NOT_ASKED_YEARS}
    assert {r[2:] for r in not_asked} == {(None, "not_available", None)}
    suppressed = query(settings.warehouse, "select table_id, row_label, period_label, value_marker_reason "
                       "from raw_ons_csew.estimates where value_marker = 'suppressed'")
    assert suppressed == [("A5", "Robbery", "Apr 2013 to Mar 2014", "'[c]': suppressed to protect confidentiality")]

    # the published arithmetic survives: Excellent or good = Excellent + Good
    sums = query(settings.warehouse, """
        select period_label, round(sum(value) filter (row_label in ('Excellent', 'Good')), 1),
               any_value(value) filter (row_label = 'Excellent or good')
        from raw_ons_csew.estimates where table_id = 'S1' and value is not null group by 1""")
    assert len(sums) == 11 and all(a == b for _, a, b in sums)
    latest = dict(query(settings.warehouse, "select row_label, value from raw_ons_csew.estimates "
                        "where period_label = 'Apr 2024 to Mar 2025' and table_id in ('S1', 'A3')"))
    assert latest["Excellent or good"] == pytest.approx(49, abs=1.5)
    assert latest["Fraud"] == pytest.approx(6, abs=0.5)

    # values, markers, intervals and bases equal the cells read independently (stdlib XLSX reader)
    rows = query(settings.warehouse, "select dataset, source_sheet, source_row, source_column, value, value_marker, "
                 "ci_lower, ci_upper, unweighted_base, period_label from raw_ons_csew.estimates")
    sheets: dict[tuple[str, str], list[list[object]]] = {}
    for dataset, sheet, row, column, value, marker, lower, upper, base, period in rows:
        cells = sheets.setdefault((dataset, sheet), xlsx_rows(workbook(mirror, dataset, 2025), sheet))
        j = letter_index(column)
        header = cells[3]
        assert str(header[j]).startswith(period), (sheet, column, header[j])
        published = cells[row - 1][j]
        if isinstance(published, float):
            assert (value, marker) == (published, None), (sheet, row, column)
        else:
            assert (value, marker) == (None, {"[x]": "not_available", "[c]": "suppressed"}[published])
        if header[j + 1:j + 2] and "lower 95%" in str(header[j + 1]):
            assert str(header[j + 1]).startswith(period) and str(header[j + 2]).startswith(period)
            expected_ci = tuple(c if isinstance(c, float) else None for c in cells[row - 1][j + 1:j + 3])
            assert (lower, upper) == expected_ci
            if value is not None:
                assert lower < value < upper
        else:
            assert (lower, upper) == (None, None)
        base_row = next(r for r in cells[row:] if r and str(r[0]).startswith("Unweighted base"))
        assert base == (base_row[j] if isinstance(base_row[j], float) else None)
        if value is not None:
            assert 30_000 <= base <= 35_000

    # loading again changes nothing
    before = digest(settings.warehouse)
    again = csew_pipeline.run(settings)
    assert (again.files_loaded, again.files_unchanged) == (0, 2)
    assert digest(settings.warehouse) == before


def test_a_newer_edition_replaces_the_dataset_and_an_older_one_never_does(settings: Settings,
                                                                           capsys: pytest.CaptureFixture) -> None:
    mirror = Path(settings.source)
    generate_csew_mirror(mirror)
    old = workbook(mirror, "annual_supplementary", 2024)
    first = csew_pipeline.load_paths(settings, [(old, str(old))])  # by hand: dataset and edition from the tables
    assert first.editions == ["annual_supplementary year ending March 2024"]
    trusted = "select period_label, value from raw_ons_csew.estimates where row_label = " \
              "'The police in this area can be trusted' order by 1"
    revised = dict(query(settings.warehouse, trusted))
    assert len(revised) == 12 and "Apr 2024 to Mar 2025" not in revised
    assert query(settings.warehouse, "select distinct release_date, source_location from raw_ons_csew.estimates") \
        == [(None, str(old))]

    csew_pipeline.run(settings)
    current = dict(query(settings.warehouse, trusted))
    assert len(current) == 13
    # the revision replaced the old figures ([x] in the telephone years in both)
    assert {p: round(revised[p] - current[p], 1) for p in revised if p not in NOT_ASKED_YEARS} == {
        p: 0.4 for p in revised if p not in NOT_ASKED_YEARS}
    assert query(settings.warehouse, "select dataset, count(*), count(distinct file_sha256), min(edition_label) "
                 "from raw_ons_csew.estimates group by 1 order by 1") == [
        ("annual_supplementary", 325, 1, "year ending March 2025"), ("appendix", 325, 1, "year ending March 2025")]
    before = digest(settings.warehouse)

    capsys.readouterr()
    older = csew_pipeline.load_paths(settings, [(old, str(old))])  # loaded once, since replaced: older now
    assert (older.files_loaded, older.files_unchanged, older.files_older) == (0, 0, 1)
    old_appendix = workbook(mirror, "appendix", 2024)  # never loaded, but older than the edition loaded
    older = csew_pipeline.load_paths(settings, [(old_appendix, str(old_appendix))])
    assert (older.files_loaded, older.files_older) == (0, 1)
    assert "appendix year ending March 2024 is older than year ending March 2025" in capsys.readouterr().err
    assert digest(settings.warehouse) == before


def test_cli_run_skips_a_mirror_without_csew_then_load_by_hand_works(settings: Settings, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch,
                                                                      capsys: pytest.CaptureFixture) -> None:
    empty = Path(settings.source)
    empty.mkdir(parents=True)
    monkeypatch.setenv("PPF_WAREHOUSE", str(settings.warehouse))
    monkeypatch.setenv("PPF_SOURCE", str(empty))
    assert cli.main(["run"]) == 0
    assert "[ons_csew] no files of this publisher in mirror" in capsys.readouterr().err
    assert query(settings.warehouse, "select count(*) from raw_ons_csew.estimates") == [(0,)]
    columns = query(settings.warehouse, "select column_name, data_type, is_nullable from information_schema.columns "
                    "where table_schema = 'raw_ons_csew' and table_name = 'estimates' order by ordinal_position")
    assert [c[0] for c in columns] == ESTIMATE_COLUMNS
    assert [c[2] == "YES" for c in columns] == [c["nullable"] for c in ESTIMATES_COLUMNS.values()]

    mirror = tmp_path / "csew"
    generate_csew_mirror(mirror)
    path = workbook(mirror, "appendix", 2025)
    loaded = run_cli(["-m", "extract", "load", "ons_csew", str(path)],
                     {"PPF_WAREHOUSE": str(settings.warehouse), "PPF_SOURCE": str(empty)})
    assert loaded.returncode == 0, loaded.stderr
    assert "ons_csew: 325 estimates from 6 tables in 1 files loaded (appendix year ending March 2025)" in loaded.stdout
    assert query(settings.warehouse, "select dataset, edition_label, release_date, count(*) from "
                 "raw_ons_csew.estimates group by all") == [("appendix", "year ending March 2025", None, 325)]

    bad = tmp_path / "bad.xlsx"
    write_xlsx(bad, [("Cover", [["Crime in England and Wales"]])])
    refused = run_cli(["-m", "extract", "load", "ons_csew", str(bad)],
                      {"PPF_WAREHOUSE": str(settings.warehouse), "PPF_SOURCE": str(empty)})
    assert refused.returncode == 1
    assert "error: bad.xlsx: no table in this workbook" in refused.stderr


def test_sample_is_deterministic_and_quick(tmp_path: Path) -> None:
    def files(root: Path) -> dict[str, str]:
        return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("*")) if p.is_file()}

    manifest = generate_csew_mirror(tmp_path / "a")
    generate_csew_mirror(tmp_path / "b")
    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert len(files(tmp_path / "a")) == 10  # per dataset: page JSON, 2 edition JSONs, 2 workbooks
    assert set(manifest["workbooks"]) == set(DATASETS)
    appendix = manifest["workbooks"]["appendix"]["year ending March 2025"]
    assert sheet_names(appendix) == ["Cover_sheet", "Notes", "Contents", "Table_A1", "A2", "Table A3 ", "Tbl_A4",
                                     "A5 reported", "Table_A6"]


# --- layouts that must be read ----------------------------------------------------------------------------------


def table_rows(title: str = "Table S1: Ratings of the local police [note 1]", label_header: list[str] | None = None,
               label: list[object] | None = None, extra: tuple[str, object] | None = None) -> list[list[object]]:
    """A small table: two periods with intervals, two rows and a base row."""
    label_header = label_header or ["Measure"]
    label = label or ["Excellent3"]
    header = [*label_header, "Apr '23 to Mar '24", "Apr 2023 to Mar 2024 lower 95% confidence interval",
              "Apr 2023 to Mar 2024 upper 95% confidence interval", "April 2024 to March 2025 [note 2]", "% change"]
    rows = [
        [title],
        ["This worksheet contains one table."],
        header,
        [*label, 12.5, 12.0, 13.0, 12.0, -4.0],
        [*(["Good"] if len(label_header) == 1 else ["", "Good"]), 37.0, 36.0, 38.0, "[x]", "[z]"],
        ["Unweighted base - number of adults", *[None] * (len(label_header) - 1), 33000, None, None, "[x]", None],
        ["Source: Crime Survey for England and Wales"],
        ["1. Figures are percentages."],
    ]
    if extra:
        column, value = extra
        for k, row in enumerate(rows[2:6]):
            at = len(label_header) if column == "between" else len(header)
            row.insert(at, ("Notes" if k == 0 else value if k == 1 else None))
    return rows


def check_small_table(path: Path, sheet: str, offset: int = 0, label_cols: int = 1, first: str = "Excellent") -> None:
    parsed = parse_csew_workbook(path)
    assert (parsed.table_ids, parsed.detected_dataset, parsed.edition_label) == (
        ["S1"], "annual_supplementary", "year ending March 2025")
    rows = {(r["row_label"], r["period_end"]): r for r in parsed.table.to_pylist()}
    assert len(rows) == 4
    excellent = rows[(first, date(2024, 3, 31))]
    assert (excellent["value"], excellent["ci_lower"], excellent["ci_upper"], excellent["unweighted_base"]) == (
        12.5, 12.0, 13.0, 33000.0)
    assert (excellent["period_label"], excellent["period_start"]) == ("Apr '23 to Mar '24", date(2023, 4, 1))
    assert (excellent["table_title"], excellent["source_sheet"]) == ("Ratings of the local police", sheet)
    assert (excellent["source_row"], excellent["source_column"]) == (4 + offset, "BCD"[label_cols - 1])
    good = rows[("Good", date(2025, 3, 31))]
    assert (good["value"], good["value_marker"], good["ci_lower"], good["unweighted_base"]) == (
        None, "not_available", None, None)
    assert good["period_label"] == "April 2024 to March 2025"
    assert good["period_start"] == date(2024, 4, 1)


def test_a_moved_table_is_read(tmp_path: Path) -> None:
    path = tmp_path / "moved.xlsx"
    moved = [[None] * 3 for _ in range(4)] + [[None, *r] for r in table_rows()]  # 4 blank rows, one column right
    moved.insert(6, [None, "Unit: percentage"])
    moved.insert(7, [])
    write_xlsx(path, [("Cover", [["CSEW tables"]]), ("Table_S1", moved)])
    check_small_table(path, "Table_S1", offset=6, label_cols=2)


@pytest.mark.parametrize("where", ["between", "after"])
def test_a_notes_column_is_read_past(tmp_path: Path, where: str) -> None:
    path = tmp_path / "notes.xlsx"
    write_xlsx(path, [("Table_S1", table_rows(extra=(where, "[note 3]")))])
    check_small_table(path, "Table_S1", label_cols=2 if where == "between" else 1)


def test_a_renamed_sheet_is_read_from_its_title(tmp_path: Path) -> None:
    path = tmp_path / "renamed.xlsx"
    write_xlsx(path, [("Contents", [["Table of contents"], ["Worksheet name", "Table description"],
                                    ["S1 ratings", "Ratings of the local police"]]),
                      ("S1 ratings", table_rows())])
    check_small_table(path, "S1 ratings")


def test_two_label_columns_are_joined_as_group_and_label(tmp_path: Path) -> None:
    path = tmp_path / "groups.xlsx"
    write_xlsx(path, [("Table_S1", table_rows(label_header=["Group", "Measure"], label=["Rating", "Excellent"]))])
    labels = {r["row_label"] for r in parse_csew_workbook(path).table.to_pylist()}
    assert labels == {"Rating: Excellent", "Rating: Good"}


# --- refusals -----------------------------------------------------------------------------------------------------


def refused(path: Path, sheets: list[tuple[str, list[list[object]]]], message: str) -> None:
    write_xlsx(path, sheets)
    with pytest.raises(MalformedFileError, match=re.escape(message)) as raised:
        parse_csew_workbook(path)
    assert str(raised.value).startswith(path.name)


def test_a_table_without_a_period_header_is_refused(tmp_path: Path) -> None:
    rows = table_rows()
    rows[2] = ["Measure", "2023 to 2024", "2024 to 2025"]
    refused(tmp_path / "noperiod.xlsx", [("Table_S1", rows)],
            "noperiod.xlsx, sheet 'Table_S1', table S1: no header row with a period column")


def test_a_duplicated_period_column_is_refused(tmp_path: Path) -> None:
    rows = table_rows()
    rows[2][4] = "Apr 2023 to Mar 2024"
    refused(tmp_path / "twice.xlsx", [("Table_S1", rows)],
            "twice.xlsx, sheet 'Table_S1', table S1: header row 3: period 'Apr 2023 to Mar 2024' appears twice "
            "(columns B and E)")


def test_a_workbook_without_a_table_is_refused(tmp_path: Path) -> None:
    untitled = [["Ratings of the local police"], ["Measure", "Apr 2024 to Mar 2025"], ["Good", 37.0]]
    refused(tmp_path / "none.xlsx", [("Cover", [["Crime in England and Wales"]]), ("Table_S1", untitled)],
            "none.xlsx: no table in this workbook")


def test_a_cell_that_is_neither_a_number_nor_a_marker_is_refused(tmp_path: Path) -> None:
    rows = table_rows()
    rows[4][1] = "thirty-seven"
    refused(tmp_path / "text.xlsx", [("S1 ratings", rows)],
            "text.xlsx, sheet 'S1 ratings', table S1: row 5, column \"B (Apr '23 to Mar '24)\": 'thirty-seven' is "
            "neither a number nor a known marker")


def test_a_workbook_of_no_known_dataset_is_refused_when_loaded_by_hand(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "mixed.xlsx"
    other = table_rows(title="Table A1: Prevalence of fraud")
    write_xlsx(path, [("Table_S1", table_rows()), ("Table_A1", other)])
    assert parse_csew_workbook(path).detected_dataset is None
    with pytest.raises(MalformedFileError, match=r"mixed.xlsx: cannot tell which CSEW dataset .* \(A1, S1\)"):
        csew_pipeline.load_paths(settings, [(path, str(path))])
    assert not settings.warehouse.exists()
