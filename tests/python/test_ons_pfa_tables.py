"""ONS Police Force Area data tables: the real files cell by cell, the loader, the CLI, the sample mirror."""

from __future__ import annotations

import csv
import hashlib
import re
import threading
import zipfile
from collections.abc import Iterator
from datetime import date
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.etree import ElementTree

import duckdb
import pyarrow as pa
import pytest
from conftest import REAL, query, run_cli

from extract.config import Settings
from extract.errors import MalformedFileError
from extract.ons import pipeline as ons
from extract.ons.pfa_tables import parse_pfa_tables
from extract.ons.sample import find_prc_ods, generate_ons_pfa_mirror

ONS_REAL = REAL / "ons_pfa_tables"
DEC19 = ONS_REAL / "pfatablesdec19.xlsx"
JUN25_P1 = ONS_REAL / "policeforceareatablesyejune25final.TableP1.csv"
JUN25_C2 = ONS_REAL / "policeforceareatablesyejune25final.TableC2.csv"
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")


# --- independent readers (stdlib only: not the loader's calamine / spreadsheet module) ----------------------


def xlsx_cells(path: Path) -> dict[str, dict[tuple[int, str], float | str]]:
    """Every non-empty cell of every sheet, keyed by (sheet row, column letter): numbers as float, text as str."""
    with zipfile.ZipFile(path) as book:
        strings = []
        if "xl/sharedStrings.xml" in book.namelist():
            root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
            strings = ["".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")) for si in root.findall("m:si", NS)]
        rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
        sheets: dict[str, dict[tuple[int, str], float | str]] = {}
        for sheet in workbook.find("m:sheets", NS):
            target = targets[sheet.get(REL_NS)].lstrip("/")
            member = target if target.startswith("xl/") else f"xl/{target}"
            cells: dict[tuple[int, str], float | str] = {}
            for c in ElementTree.fromstring(book.read(member)).iter(f"{{{NS['m']}}}c"):
                letters, row = CELL_REF.match(c.get("r")).groups()
                kind, v = c.get("t"), c.find("m:v", NS)
                if kind == "s":
                    value: float | str = strings[int(v.text)]
                elif kind == "inlineStr":
                    value = "".join(t.text or "" for t in c.iter(f"{{{NS['m']}}}t"))
                elif kind in ("str", "e"):
                    value = v.text or "" if v is not None else ""
                elif v is None:
                    continue
                else:
                    value = float(v.text)
                if value != "":
                    cells[(int(row), letters)] = value
            sheets[sheet.get("name")] = cells
    return sheets


def csv_records(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return list(csv.reader(fh))


def csv_number(text: str) -> float | None:
    """The published number in a CSV cell ('5,287,312', '15,993 '); None for a blank cell."""
    text = text.strip().replace(",", "")
    return float(text) if text else None


def letter_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def rows_of(table: pa.Table | list[dict], **where: object) -> list[dict]:
    rows = table.to_pylist() if isinstance(table, pa.Table) else table
    return [r for r in rows if all(r[k] == v for k, v in where.items())]


def one(table: pa.Table | list[dict], **where: object) -> dict:
    found = rows_of(table, **where)
    assert len(found) == 1, (where, len(found))
    return found[0]


@pytest.fixture(scope="module")
def dec19() -> list[dict]:
    return parse_pfa_tables(DEC19).to_pylist()


@pytest.fixture(scope="module")
def dec19_cells() -> dict[str, dict[tuple[int, str], float | str]]:
    return xlsx_cells(DEC19)


# --- the real old-layout workbook -------------------------------------------------------------------------


@pytest.mark.parametrize("table_id", ["P1", "P2", "P3", "P4", "P5", "P6"])
def test_real_dec19_values_equal_the_cells_read_independently(
    dec19: list[dict], dec19_cells: dict[str, dict[tuple[int, str], float | str]], table_id: str
) -> None:
    rows = rows_of(dec19, table_id=table_id)
    sheet = rows[0]["source_sheet"]
    cells = dec19_cells[sheet]
    seen = set()
    for r in rows:
        key = (r["source_row"], r["source_column"])
        published = cells.get(key)
        if r["value"] is None:
            assert isinstance(published, str) and r["marker"] in ("not_available", "suppressed"), (key, published)
            assert r["marker_reason"].startswith(f"'{published.strip()}'"), (key, r["marker_reason"])
        else:
            assert published == r["value"], (sheet, key, published, r["value"])
        seen.add(key)
    # Nothing numeric in the table's block was left out (spacer columns and footnotes are outside it).
    first, last = min(r["source_row"] for r in rows), max(r["source_row"] for r in rows)
    numeric = {k for k, v in cells.items() if isinstance(v, float) and first <= k[0] <= last and k[1] not in "AB"}
    assert numeric <= seen, sorted(numeric - seen)[:5]


def test_real_dec19_published_figures(dec19: list[dict]) -> None:
    # Figures read from the workbook by eye: Table P1 row 7, Table P3 rows 14 and 44, Table P4 row 7.
    ew_total = one(dec19, table_id="P1", area_code="K04000001", column_label="Total recorded crime (excluding fraud)")
    assert ew_total["value"] == 5_013_284
    assert (ew_total["unit"], ew_total["area_name"], ew_total["area_name_published"]) == (
        "count", "ENGLAND AND WALES", "ENGLAND AND WALES7,8")
    assert ew_total["edition_label"] == "year ending December 2019"
    assert (ew_total["period_start"], ew_total["period_end"]) == (date(2019, 1, 1), date(2019, 12, 31))
    assert ew_total["table_subtitle"] == "England and Wales (excluding Greater Manchester Police)"
    assert (ew_total["source_sheet"], ew_total["source_row"], ew_total["source_column"]) == ("Table P1", 7, "C")
    met = one(dec19, table_id="P3", area_code="E23000001", unit="population")
    assert (met["value"], met["population_vintage"], met["area_type"]) == (8_899_400, "mid-2018", "police_force_area")
    assert met["value_period_end"] == date(2018, 6, 30)  # a mid-year estimate; the edition ends 31 Dec 2019
    assert one(dec19, table_id="P3", area_code="E23000001", unit="households")["value"] == 3_510_100
    assert one(dec19, table_id="P3", area_code="E23000006", unit="population")["value"] == 1_059_300
    rate = one(dec19, table_id="P3", area_code="K04000001", column_label="Total recorded crime (excluding fraud)")
    assert rate["unit"] == "rate_per_1000" and rate["population_vintage"] == "mid-2018"
    assert rate["value"] == pytest.approx(89.04077278678811)
    assert one(dec19, table_id="P3", area_code="E23000005", unit="rate_per_1000_households")["marker"] == \
        "not_available"
    knife = one(dec19, table_id="P4", area_code="K04000001", measure="Attempted murder", unit="count")
    assert knife["value"] == 435 and knife["column_group"] == "Attempted murder"
    assert one(dec19, table_id="P4", area_code="K04000001", measure="Attempted murder", unit="percent")["value"] \
        == pytest.approx(46.524064171122994)
    assert one(dec19, table_id="P4", area_code="K04000001", measure="Total of selected serious offences",
               unit="count")["value"] == 45_627
    # P6 carries two years of rates per 100,000 population
    p6 = rows_of(dec19, table_id="P6", area_code="K04000001")
    assert {(r["value_period_end"], round(r["value"], 2), r["unit"]) for r in p6} == {
        (date(2018, 12, 31), 74.82, "rate_per_100000"), (date(2019, 12, 31), 81.04, "rate_per_100000")}
    p2 = one(dec19, table_id="P2", area_code="K04000001", column_label="Total recorded crime (excluding fraud)")
    assert (p2["unit"], p2["compared_with_period_end"]) == ("percent_change", date(2018, 12, 31))
    btp = one(dec19, table_id="P1", area_name="British Transport Police", column_label="Homicide")
    assert (btp["area_code"], btp["area_type"], btp["value"]) == (None, "other", 7)


def test_real_dec19_missing_is_never_zero(dec19: list[dict]) -> None:
    gmp = rows_of(dec19, table_id="P1", area_code="E23000005")
    assert len(gmp) == 23 and gmp[0]["area_name"] == "Greater Manchester"
    assert all(r["value"] is None and r["marker"] == "not_available" for r in gmp)
    assert gmp[0]["marker_reason"] == "'..': indicates data not available"
    city = rows_of(dec19, table_id="P3", area_code="E23000034", unit="rate_per_1000")
    assert city and all(r["value"] is None and r["marker"] == "suppressed" for r in city)
    small = one(dec19, table_id="P4", area_code="E23000013", measure="Attempted murder", unit="percent")
    assert (small["value"], small["marker"]) == (None, "suppressed")
    assert "fewer than 50" in small["marker_reason"]
    assert one(dec19, table_id="P4", area_code="E23000005", measure="Robbery", unit="count")["marker"] == \
        "not_available"  # 'NA'
    markers = {r["marker"] for r in dec19}
    assert markers == {None, "not_available", "suppressed"}


def test_real_dec19_labels_are_clean(dec19: list[dict]) -> None:
    for column in ("area_name", "column_label", "measure", "column_group", "table_title"):
        for value in {r[column] for r in dec19} - {None}:
            assert value == value.strip() and "\n" not in value and "  " not in value, (column, value)
            assert not re.search(r"[A-Za-z)]\d{1,2}(,\d{1,2})*$", value), (column, value)
    assert {r["column_label"] for r in rows_of(dec19, table_id="P1")} >= {
        "Stalking and harassment", "Death or serious injury - unlawful driving", "Residential burglary"}
    assert {r["unit"] for r in dec19} == {
        "count", "percent", "percent_change", "rate_per_1000", "rate_per_1000_households", "rate_per_100000",
        "population", "households"}


# --- the real new-layout CSV exports -----------------------------------------------------------------------


@pytest.mark.parametrize("path", [JUN25_P1, JUN25_C2], ids=["P1", "C2"])
def test_real_jun25_csv_values_equal_an_independent_csv_parse(path: Path) -> None:
    table = parse_pfa_tables(path)
    records = csv_records(path)
    header = next(i for i, r in enumerate(records) if r and r[0].replace("\n", " ").lower().endswith("area code"))
    first_value = 6 if "C2" in path.name else 2
    expected = {}
    for number, record in enumerate(records[header + 1:], start=header + 2):
        for j in range(first_value, len(record)):
            expected[(number, j)] = csv_number(record[j])
    got = {(r["source_row"], letter_index(r["source_column"])): r["value"] for r in table.to_pylist()}
    assert got == expected
    blanks = [r for r in table.to_pylist() if r["value"] is None]
    assert all(r["marker"] == "blank" for r in blanks)  # the real C2 has one empty row ('unassigned Surrey')


def test_real_jun25_p1_figures_and_names() -> None:
    table = parse_pfa_tables(JUN25_P1)
    total = one(table, area_code="K04000001", column_label="Total recorded crime (excluding fraud)")
    assert total["value"] == 5_287_312 and total["area_name"] == "ENGLAND AND WALES"
    assert total["edition_label"] == "year ending June 2025"
    assert (total["period_start"], total["period_end"]) == (date(2024, 7, 1), date(2025, 6, 30))
    assert (total["source_sheet"], total["source_row"], total["source_column"]) == (None, 8, "C")
    names = {r["area_code"]: (r["area_name"], r["area_name_published"]) for r in table.to_pylist()}
    assert names["E23000012"] == ("Humberside", "Humberside [note 4]")
    assert names["E23000001"] == ("Metropolitan Police", "Metropolitan Police ")
    assert names["E92000001"] == ("ENGLAND", "ENGLAND ")
    assert all(n == n.strip() and "[note" not in n for n, _ in names.values())
    assert {r["area_type"] for r in table.to_pylist()} == {"country", "nation", "region", "police_force_area", "other"}
    assert len({r["area_code"] for r in table.to_pylist() if r["area_type"] == "police_force_area"}) == 43


def test_real_jun25_c2_partnerships_keep_their_force() -> None:
    table = parse_pfa_tables(JUN25_C2)
    bath = one(table, area_code="E22000001", column_label="Total recorded crime (excluding fraud)")
    assert (bath["value"], bath["area_type"], bath["parent_area_code"], bath["local_authority_code"]) == (
        15_974, "community_safety_partnership", "E23000036", "E06000022")
    unassigned = one(table, area_name="Unassigned Avon and Somerset",
                     column_label="Total recorded crime (excluding fraud)")
    assert (unassigned["area_code"], unassigned["area_type"], unassigned["value"]) == (None, "other", 2_380)
    force = one(table, area_code="E23000036", column_label="Total recorded crime (excluding fraud)")
    assert (force["area_type"], force["value"]) == ("police_force_area", 170_002)
    combined = rows_of(table, area_code="E22000362", column_label="Homicide")[0]
    assert (combined["local_authority_code"], combined["local_authority_name"]) == (None, "Combined Local Authorities")


# --- refusals ---------------------------------------------------------------------------------------------


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("title", "header", "value", "message"), [
    ("Table P9: Police officers by rank, year ending March 2024", "Area Code,Area Name,Total", "5",
     "cannot classify table"),
    ("Table P7: Police recorded crime by offence group and police force area, year ending March 2024",
     "Area Code,Area Name,Total recorded crime", "5", "cannot tell the unit of column 'Total recorded crime'"),
    ("Table P1: Police recorded crime by offence group, number of offences, year ending March 2024",
     "Code,Area Name,Total recorded crime", "5", "has no column for area_code"),
    ("Table P1: Police recorded crime by offence group, number of offences, year ending March 2024",
     "Area Code,Area Name,Total recorded crime", "five", "row 3, column 'C (Total recorded crime)': 'five' is neither"),
    ("Table P1: Police recorded crime by offence group, number of offences", "Area Code,Area Name,Total", "5",
     "names no 'year ending <month> <year>' period"),
])
def test_a_table_that_cannot_be_read_is_refused(tmp_path: Path, title: str, header: str, value: str,
                                                message: str) -> None:
    path = _write(tmp_path / "bad.csv", [f'"{title}"', header, f"E23000001,Metropolitan Police,{value}"])
    with pytest.raises(MalformedFileError, match=re.escape(message)) as raised:
        parse_pfa_tables(path)
    assert str(raised.value).startswith("bad.csv")


# --- the loader and the command line ----------------------------------------------------------------------


def warehouse_state(warehouse: Path) -> dict[str, object]:
    """Every row of raw_ons (all columns, loaded_at included) and the number of loads."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        state: dict[str, object] = {}
        for table in ("pfa_table_values", "published_files"):
            columns = [r[0] for r in con.execute(
                "select column_name from information_schema.columns where table_schema = 'raw_ons' and "
                "table_name = ? and column_name not in ('_dlt_id', '_dlt_load_id') order by 1", [table]).fetchall()]
            rows = con.execute(f"select {', '.join(columns)} from raw_ons.{table} order by all").fetchall()
            state[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
        state["loads"] = con.execute("select count(*) from raw_ons._dlt_loads").fetchone()[0]
    return state


@pytest.mark.slow
def test_cli_loads_real_files_once_and_refuses_corrupt_copies(settings: Settings, tmp_path: Path) -> None:
    env = {"PPF_WAREHOUSE": str(settings.warehouse), "PPF_SOURCE": "sample"}
    files = [str(DEC19), str(JUN25_P1), str(JUN25_C2)]
    first = run_cli(["-m", "extract", "load", "ons_pfa_tables", *files], env)
    assert first.returncode == 0, first.stderr
    expected_rows = sum(parse_pfa_tables(Path(f)).num_rows for f in files)
    assert f"ons_pfa_tables: {expected_rows:,} values from 8 tables in 3 files loaded" in first.stdout
    assert query(settings.warehouse, "select count(*) from raw_ons.pfa_table_values") == [(expected_rows,)]
    assert query(settings.warehouse, "select value from raw_ons.pfa_table_values where table_id = 'P1' and "
                 "edition_label = 'year ending June 2025' and area_code = 'K04000001' and source_column = 'C'") \
        == [(5_287_312.0,)]
    files_rows = query(settings.warehouse, "select source_file, edition_label, tables, row_count, source_location, "
                       "length(file_sha256), release_date from raw_ons.published_files order by 1")
    assert files_rows[0] == ("pfatablesdec19.xlsx", "year ending December 2019", "P1,P2,P3,P4,P5,P6", 6294,
                             str(DEC19.resolve()), 64, None)
    provenance = query(settings.warehouse, "select count(*) from raw_ons.pfa_table_values where file_sha256 is null "
                       "or source_location is null or loaded_at is null")
    assert provenance == [(0,)]
    before = warehouse_state(settings.warehouse)

    again = run_cli(["-m", "extract", "load", "ons_pfa_tables", *files], env)
    assert again.returncode == 0, again.stderr
    assert "0 values from 0 tables in 0 files loaded, 3 unchanged" in again.stdout
    assert "pfatablesdec19.xlsx: unchanged (already loaded for year ending December 2019)" in again.stderr
    assert warehouse_state(settings.warehouse) == before  # same rows, same loaded_at, no new load

    bad_dir = tmp_path / "bad"
    bad_dir.mkdir()
    records = csv_records(JUN25_P1)
    records[10][4] = "abc"  # Cleveland's Homicide
    with open(bad_dir / JUN25_P1.name, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(records)
    bad = run_cli(["-m", "extract", "load", "ons_pfa_tables", str(bad_dir / JUN25_P1.name)], env)
    assert bad.returncode == 1
    assert (f"error: {JUN25_P1.name}: row 11, column 'E (Homicide)': 'abc' is neither a number nor a known marker"
            in bad.stderr)
    assert "the warehouse is as it was" in bad.stderr

    with zipfile.ZipFile(DEC19) as src, zipfile.ZipFile(bad_dir / DEC19.name, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/sharedStrings.xml":
                data = data.replace(b">Area Code<", b">Area Kode<")
            dst.writestr(item, data)
    # A good, revised file before the bad one: nothing of the run may be loaded.
    revised_dir = tmp_path / "revised"
    revised_dir.mkdir()
    records = csv_records(JUN25_P1)
    records[10][4] = "4"
    with open(revised_dir / JUN25_P1.name, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(records)
    bad = run_cli(["-m", "extract", "load", "ons_pfa_tables", str(revised_dir / JUN25_P1.name), str(JUN25_C2),
                   str(bad_dir / DEC19.name)], env)
    assert bad.returncode == 1
    assert f"error: {DEC19.name}, sheet 'Table P1': the header row (row 5) has no column for area_code" in bad.stderr
    assert warehouse_state(settings.warehouse) == before


# --- the sample mirror ------------------------------------------------------------------------------------


def _prc_totals(prc_ods: Path, sheet: str) -> dict[str, float]:
    """Total recorded crime (excluding fraud) by Home Office force name, summed independently of the sample code."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(prc_ods)).get_sheet_by_name(sheet).to_python()
    header = [str(c).strip() for c in rows[0]]
    force, group, count = (header.index(h) for h in ("Force Name", "Offence Group", "Number of Offences"))
    totals: dict[str, float] = {}
    for row in rows[1:]:
        if row[group] == "Fraud offences" or row[force] in ("Action Fraud", "CIFAS", "UK Finance"):
            continue
        totals[row[force]] = totals.get(row[force], 0.0) + float(row[count])
    return totals


@pytest.fixture(scope="module")
def prc_ods(home_office_sample: tuple[Path, dict]) -> Path:
    """The Home Office PRC sample ODS."""
    found = find_prc_ods(home_office_sample[0])
    assert found is not None
    return found


@pytest.mark.slow
def test_sample_mirror_loads_through_run_and_reconciles(settings: Settings, prc_ods: Path) -> None:
    mirror = Path(settings.source)
    generate_ons_pfa_mirror(mirror, prc_ods=prc_ods)
    summary = ons.run(settings)
    assert (summary.files_loaded, summary.editions) == (3, [
        "year ending March 2023", "year ending March 2024", "year ending March 2025"])
    assert "3 files loaded" in summary.line(settings.warehouse)
    forces = [r[0] for r in query(settings.warehouse, "select distinct area_code from raw_ons.pfa_table_values "
                                  "where area_type = 'police_force_area'")]
    assert len(forces) == 43
    # England and Wales equals the sum of the 43 forces and British Transport Police (as ONS publishes
    # it), for every column of P1, in every edition.
    mismatches = query(settings.warehouse, """
        with p1 as (select * from raw_ons.pfa_table_values where table_id = 'P1')
        select ew.edition_label, ew.column_label, ew.value, sum(f.value)
        from p1 ew join p1 f using (edition_label, column_label)
        where ew.area_code = 'K04000001'
          and (f.area_type = 'police_force_area' or f.area_name = 'British Transport Police')
        group by all having ew.value is distinct from sum(f.value)""")
    assert mismatches == []
    assert query(settings.warehouse, "select count(distinct column_label), count(distinct edition_label) "
                 "from raw_ons.pfa_table_values where table_id = 'P1'") == [(23, 3)]
    files = query(settings.warehouse, "select edition_label, release_date, tables, source_location "
                  "from raw_ons.published_files order by 1")
    assert files[1][:3] == ("year ending March 2024", date(2024, 7, 25), "P1,P3,P4")
    assert files[1][3].endswith("policeforceareadatatables/yearendingmarch2024/policeforceareatablesyemar24.xlsx")
    population = query(settings.warehouse, "select population_vintage, value from raw_ons.pfa_table_values "
                       "where edition_label = 'year ending March 2024' and table_id = 'P3' and unit = 'population' "
                       "and area_code = 'E23000005'")
    assert population == [("mid-2023", round(2_870_000 * 1.007**5, -2))]
    knife_x = query(settings.warehouse, "select area_code, measure, marker from raw_ons.pfa_table_values "
                    "where table_id = 'P4' and value is null")
    assert sorted(set(knife_x)) == [("E23000035", "Threats to kill", "not_available")]
    # P1 counts are the Home Office PRC sample, aggregated: the two sources reconcile force by force.
    totals = _prc_totals(prc_ods, "2023_24")
    names = dict(query(settings.warehouse, "select area_code, area_name from raw_ons.pfa_table_values "
                       "where area_type = 'police_force_area'"))
    p1 = dict(query(settings.warehouse, "select area_code, value from raw_ons.pfa_table_values where "
                    "table_id = 'P1' and edition_label = 'year ending March 2024' and source_column = 'C' "
                    "and area_type = 'police_force_area'"))
    spelled = {"City of London": "London, City of"}
    for code, value in p1.items():
        name = spelled.get(names[code], names[code])
        assert value == totals.get(name, totals.get(f"{name} and Isle of Wight")), (code, name)
    before = warehouse_state(settings.warehouse)
    again = ons.run(settings)
    assert (again.files_loaded, again.files_unchanged) == (0, 3)
    assert warehouse_state(settings.warehouse) == before


def test_sample_is_deterministic(tmp_path: Path) -> None:
    def digest(root: Path) -> dict[str, str]:
        return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("*")) if p.is_file()}

    generate_ons_pfa_mirror(tmp_path / "a", editions=("year ending March 2024",))
    generate_ons_pfa_mirror(tmp_path / "b", editions=("year ending March 2024",))
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert len(digest(tmp_path / "a")) == 3  # landing JSON, edition JSON, workbook


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "served"
    root.mkdir()

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), lambda *a, **k: Quiet(*a, directory=str(root), **k))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
def test_run_over_http_resolves_editions_from_the_json_endpoints(settings: Settings, served: tuple[str, Path]) -> None:
    url, root = served
    generate_ons_pfa_mirror(root, editions=("year ending March 2025",))
    http_settings = Settings(url, settings.warehouse, settings.sample_dir, settings.sample_scale)
    summary = ons.run(http_settings)
    assert (summary.files_loaded, summary.editions) == (1, ["year ending March 2025"])
    location = query(settings.warehouse, "select source_location, release_date from raw_ons.published_files")
    assert location == [(f"{url}/www.ons.gov.uk/{ons.DATASET_PATH}/yearendingmarch2025/pfatablesyemarch2025.xlsx",
                         date(2025, 7, 25))]
