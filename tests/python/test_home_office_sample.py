"""Tests of the Home Office PRC and outcomes sample mirror (extract/home_office/sample.py) and of the
dependency-free workbook writers it uses (extract/workbook_writer.py)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from extract.home_office.sample import (
    BASE_PATH,
    CONTENT_API_PATH,
    FRAUD_BODIES,
    GOVUK_HOST,
    OUTCOME_LABELS,
    OUTCOMES_HEADER,
    PRC_HEADER,
    generate_home_office_mirror,
    main,
)
from extract.workbook_writer import write_ods, write_xlsx

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
YEARS = ("2022-23", "2023-24", "2024-25", "2025-26")
MEDIA_URL = re.compile(r"^https://assets\.publishing\.service\.gov\.uk/media/([0-9a-f]{24})/([^/]+)$")
CONTENT_TYPES = {
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
}
OUTCOME_SHEETS = {
    "2022-23": "Outcomes_open_data_2022_23",
    "2023-24": "Outcomes_open_data_2023_24",
    "2024-25": "Outcomes open data 2024_25",
    "2025-26": "Outcomes open data 2025_26",
}
EXPIRED_MARKERS = {
    "2022-23": "N/A - Offence code expired",
    "2023-24": "N/A - offence code expired",
    "2024-25": "N/A - Offence code expired",
    "2025-26": "N/A - Offence code expired",
}
NOT_PROVIDED = "N/A - data not provided"
FRAUD_NAMES = {name for name, _, _ in FRAUD_BODIES}
# Outcomes data sheet columns.
FY, QUARTER, FORCE, CODE, EXPIRED, TYPE, RECORDED, CLOSED = 0, 1, 2, 3, 7, 8, 11, 12


def _seed(name: str) -> list[dict[str, str]]:
    with (SEEDS / name).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _same_force(name: str) -> str:
    """Outcomes files of 2022/23 spell two forces with '&'; the PRC file does not."""
    return name.replace(" & ", " and ")


@pytest.fixture(scope="module")
def mirror(home_office_sample: tuple[Path, dict]) -> tuple[Path, dict]:
    return home_office_sample


@pytest.fixture(scope="module")
def document(mirror: tuple[Path, dict]) -> dict:
    root, _ = mirror
    return json.loads((root / GOVUK_HOST / CONTENT_API_PATH).read_text(encoding="utf-8"))


def _local(root: Path, url: str) -> Path:
    return root / url.removeprefix("https://")


@pytest.fixture(scope="module")
def files(mirror: tuple[Path, dict], document: dict) -> dict[str, Path]:
    """Attachment file name -> local path."""
    root, _ = mirror
    return {a["filename"]: _local(root, a["url"]) for a in document["details"]["attachments"]}


@pytest.fixture(scope="module")
def prc_rows(files: dict[str, Path]) -> dict[str, list[list[object]]]:
    book = CalamineWorkbook.from_path(str(files["prc-pfa-mar2013-onwards-tables-220126.ods"]))
    return {fy: book.get_sheet_by_name(fy.replace("-", "_")).to_python() for fy in YEARS}


@pytest.fixture(scope="module")
def outcome_rows(files: dict[str, Path]) -> dict[str, list[list[object]]]:
    rows = {}
    for fy in YEARS:
        book = CalamineWorkbook.from_path(str(files[f"prc-outcomes-open-data-mar{int(fy[:4]) + 1}-tables-220126.xlsx"]))
        rows[fy] = book.get_sheet_by_name(OUTCOME_SHEETS[fy]).to_python()
    return rows


# --- the landing page ----------------------------------------------------------------------------------


def test_content_api_document(mirror: tuple[Path, dict], document: dict) -> None:
    root, manifest = mirror
    assert document["base_path"] == BASE_PATH
    assert document["title"] == "Police recorded crime and outcomes open data tables"
    assert document["schema_name"] == document["document_type"] == "statistical_data_set"
    assert document["first_published_at"] == "2016-07-21T09:30:00.000+01:00"
    assert document["public_updated_at"] == "2026-01-22T09:30:00.000+00:00"
    assert document["details"]["body"].startswith("<div")
    history = document["details"]["change_history"]
    assert history and all(set(h) == {"public_timestamp", "note"} for h in history)
    assert manifest["content_api"] == f"{GOVUK_HOST}/{CONTENT_API_PATH}"

    attachments = document["details"]["attachments"]
    assert [a["filename"] for a in attachments] == [
        "prc-pfa-mar2013-onwards-tables-220126.ods",
        "prc-outcomes-open-data-mar2026-tables-220126.xlsx",
        "prc-outcomes-open-data-mar2025-tables-220126.xlsx",
        "prc-outcomes-open-data-mar2024-tables-220126.xlsx",
        "prc-outcomes-open-data-mar2023-tables-220126.xlsx",
        "prc-outcomes-alternate-open-data-mar2017-to-mar2026-tables-220126.ods",
        "prc-supplementary-crime-outcomes-metrics-220126.xlsx",
        "recrime-geo-pfa.csv",
    ]
    assert attachments[0]["title"] == (
        "Police recorded crime open data Police Force Area tables, year ending March 2013 onwards")
    assert attachments[1]["title"] == "Outcomes open data, year ending March 2026"
    assert len({a["id"] for a in attachments}) == len(attachments)
    for a in attachments:
        assert a["attachment_type"] == "file" and a["id"].isdigit()
        match = MEDIA_URL.match(a["url"])
        assert match and match.group(2) == a["filename"], a["url"]
        assert a["content_type"] == CONTENT_TYPES[Path(a["filename"]).suffix]
        path = _local(root, a["url"])
        assert path.is_file() and path.stat().st_size == a["file_size"], a["filename"]
    assert not list(root.rglob("*.part"))
    written = {f["path"] for f in manifest["files"]}
    assert written == {_local(Path(), a["url"]).as_posix() for a in attachments}


def test_media_ids_change_with_release(tmp_path: Path) -> None:
    from extract.home_office.sample import media_hex

    assert media_hex("a.ods", dt.date(2026, 1, 22)) != media_hex("a.ods", dt.date(2026, 4, 23))
    assert re.fullmatch(r"[0-9a-f]{24}", media_hex("a.ods", dt.date(2026, 1, 22)))


# --- PRC ------------------------------------------------------------------------------------------------


def test_prc_workbook(files: dict[str, Path], prc_rows: dict[str, list[list[object]]]) -> None:
    book = CalamineWorkbook.from_path(str(files["prc-pfa-mar2013-onwards-tables-220126.ods"]))
    assert book.sheet_names == ["Cover_sheet", "Notes_", "2022_23", "2023_24", "2024_25", "2025_26"]
    assert book.get_sheet_by_name("Notes_").to_python()[0] == ["Note number", "Note text"]
    assert "Published 22 January 2026" in {r[0] for r in book.get_sheet_by_name("Cover_sheet").to_python()}
    codes = _seed("home_office_offence_codes.csv")
    by_code = {c["offence_code"]: c for c in codes}
    seed_forces = {r["force_name"] for r in _seed("police_force_areas.csv")}
    for fy, rows in prc_rows.items():
        assert rows[0] == PRC_HEADER
        data = rows[1:]
        quarters = sorted({int(r[1]) for r in data})
        assert quarters == ([1, 2] if fy == "2025-26" else [1, 2, 3, 4])
        assert {r[0] for r in data} == {fy.replace("-", "/")}
        forces = {r[2] for r in data}
        assert len(forces) == 47 and FRAUD_NAMES | {"British Transport Police", "London, City of"} <= forces
        assert ("Hampshire and Isle of Wight" in forces) == (fy >= "2024-25")
        assert ("Hampshire" in forces) == (fy < "2024-25")
        assert "City of London" not in forces and "Devon and Cornwall" in forces
        assert len(forces - FRAUD_NAMES - {"British Transport Police"}) == len(seed_forces) == 43
        assert len(data) == len(quarters) * (44 * len(codes) + len(FRAUD_BODIES))  # dense
        for r in data:
            assert isinstance(r[7], float) and r[7] >= 0 and r[7].is_integer()
            if r[2] in FRAUD_NAMES:
                assert r[4] == "Fraud offences" and r[5] == f"Fraud: {r[2]}"
            else:
                seed = by_code[r[6]]
                assert [r[3], r[4], r[5]] == [seed["offence_description"], seed["offence_group"],
                                              seed["offence_subgroup"]]


def test_prc_volumes_are_plausible(prc_rows: dict[str, list[list[object]]]) -> None:
    totals: Counter[str] = Counter()
    homicide: list[float] = []
    for r in prc_rows["2023-24"][1:]:
        totals[r[2]] += r[7]
        if r[6] == "1/4.1/4.10/4.2" and r[2] not in ("Metropolitan Police", "British Transport Police"):
            homicide.append(r[7])
    assert 5_000 <= totals["London, City of"] <= 8_000
    assert 50_000 <= totals["British Transport Police"] <= 70_000
    assert 500_000 <= totals["Metropolitan Police"] <= 1_200_000
    assert sum(v <= 5 for v in homicide) / len(homicide) > 0.6


# --- outcomes -------------------------------------------------------------------------------------------


def test_outcomes_sheets_and_headers(files: dict[str, Path], outcome_rows: dict[str, list[list[object]]]) -> None:
    for fy in YEARS:
        book = CalamineWorkbook.from_path(str(files[f"prc-outcomes-open-data-mar{int(fy[:4]) + 1}-tables-220126.xlsx"]))
        assert book.sheet_names == ["Cover_sheet", "Notes", "Pivot", OUTCOME_SHEETS[fy]]
        pivot = book.get_sheet_by_name("Pivot").to_python()
        assert pivot[1] == ["", ""] and pivot[2][0] == "Force Name"
        header = outcome_rows[fy][0]
        if fy == "2022-23":
            assert header == [*OUTCOMES_HEADER[:-2],
                              "Number of outcomes for offences that were recorded in the quarter",
                              "Number of outcomes for investigations closed in the quarter"]
        else:
            assert header == OUTCOMES_HEADER
        assert header[-2:] == OUTCOMES_HEADER[-2:] or fy == "2022-23"


def test_outcomes_rows_are_dense_and_labelled(outcome_rows: dict[str, list[list[object]]]) -> None:
    n_codes = len(_seed("home_office_offence_codes.csv")) + 1  # + expired 53A
    for fy, rows in outcome_rows.items():
        data = rows[1:]
        types = sorted({int(r[TYPE]) for r in data})
        expected_types = [t for t in range(23) if not (t == 19 and fy == "2025-26")]
        assert types == expected_types
        n_quarters = 2 if fy == "2025-26" else 4
        assert len(data) == n_quarters * 44 * n_codes * len(expected_types)
        labels = {(int(r[TYPE]), r[9], r[10]) for r in data}
        assert labels == {(t, *OUTCOME_LABELS[t]) for t in expected_types}
        assert OUTCOME_LABELS[18][1] == "Investigation complete – no suspect identified"  # en dash
        assert OUTCOME_LABELS[0] == ("Not yet assigned an outcome", "Not yet assigned an outcome")
        forces = {r[FORCE] for r in data}
        assert len(forces) == 44 and "British Transport Police" in forces and "London, City of" in forces
        assert not forces & FRAUD_NAMES
        assert ("Devon & Cornwall" in forces) == ("Avon & Somerset" in forces) == (fy == "2022-23")
        assert ("Hampshire and Isle of Wight" in forces) == (fy >= "2024-25")


def test_recorded_outcomes_sum_to_prc_offences(
    prc_rows: dict[str, list[list[object]]], outcome_rows: dict[str, list[list[object]]],
) -> None:
    """The reconciliation invariant: per force x quarter x code, recorded outcomes sum to Number of Offences."""
    for fy in YEARS:
        offences = {(int(r[1]), r[2], r[6]): r[7] for r in prc_rows[fy][1:] if r[2] not in FRAUD_NAMES}
        sums: defaultdict[tuple[int, str, str], float] = defaultdict(float)
        no_data: set[tuple[int, str, str]] = set()
        for r in outcome_rows[fy][1:]:
            key = (int(r[QUARTER]), _same_force(r[FORCE]), r[CODE])
            value = r[RECORDED]
            if value == NOT_PROVIDED:
                no_data.add(key)
            elif isinstance(value, float):
                sums[key] += value
        assert not (set(sums) - set(offences)), "outcomes rows for force-quarter-codes the PRC file lacks"
        missing = set(offences) - set(sums) - no_data
        assert not missing, sorted(missing)[:5]
        wrong = {k: (sums[k], offences[k]) for k in sums if sums[k] != offences[k]}
        assert not wrong, list(wrong.items())[:5]


def test_outcome_shares_are_plausible(outcome_rows: dict[str, list[list[object]]]) -> None:
    by_type: Counter[int] = Counter()
    charge: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for r in outcome_rows["2023-24"][1:]:
        if isinstance(r[RECORDED], float):
            by_type[int(r[TYPE])] += r[RECORDED]
            total[r[CODE]] += r[RECORDED]
            if r[TYPE] == 1:
                charge[r[CODE]] += r[RECORDED]
    everything = sum(by_type.values())
    assert 0.04 < by_type[1] / everything < 0.09
    assert by_type[19] == 0
    assert charge["46"] / total["46"] > 0.09  # shoplifting charged more often than average
    assert charge["92E"] / total["92E"] > 0.3  # cannabis possession
    assert charge["8Q"] / total["8Q"] < 0.05  # stalking


def test_not_yet_assigned_is_higher_for_recent_quarters(outcome_rows: dict[str, list[list[object]]]) -> None:
    def share(fy: str, quarter: int) -> float:
        zero = every = 0.0
        for r in outcome_rows[fy][1:]:
            if r[QUARTER] == quarter and isinstance(r[RECORDED], float) and _same_force(r[FORCE]) != (
                    "Devon and Cornwall"):
                every += r[RECORDED]
                zero += r[RECORDED] if r[TYPE] == 0 else 0
        return zero / every

    assert share("2023-24", 1) < 0.08
    assert 0.1 < share("2025-26", 1) < 0.2
    assert 0.25 < share("2025-26", 2) < 0.35


# --- quirks ---------------------------------------------------------------------------------------------


def test_quirks_in_outcomes(outcome_rows: dict[str, list[list[object]]]) -> None:
    for fy, rows in outcome_rows.items():
        data = rows[1:]
        negative_closed = [r for r in data if isinstance(r[CLOSED], float) and r[CLOSED] < 0]
        assert len(negative_closed) == 30 and all(-3 <= r[CLOSED] <= -1 for r in negative_closed)
        negative_recorded = [r for r in data if isinstance(r[RECORDED], float) and r[RECORDED] < 0]
        assert len(negative_recorded) == 5 and all(-3 <= r[RECORDED] <= -1 for r in negative_recorded)

        expired = [r for r in data if r[CODE] == "53A"]
        assert expired and all(r[EXPIRED] == "x" for r in expired)
        assert {r[4:7] == ["Cheque, plastic card and online bank accounts (not PSP)", "Fraud offences to 2012/13",
                           "Fraud offences to 2012/13"] for r in expired} == {True}
        assert all(r[EXPIRED] == "" for r in data if r[CODE] != "53A")
        markers = {(r[RECORDED], r[CLOSED]) for r in expired}
        if fy == "2022-23":
            assert markers == {(EXPIRED_MARKERS[fy],) * 2, (NOT_PROVIDED,) * 2}
        else:
            assert markers == {(EXPIRED_MARKERS[fy],) * 2}
        # Outcome type 0 has no "closed" count.
        assert {r[CLOSED] for r in data if r[TYPE] == 0 and r[CODE] != "53A"} <= {"N/A", NOT_PROVIDED}

        no_data = [r for r in data if NOT_PROVIDED in (r[RECORDED], r[CLOSED])]
        if fy == "2022-23":
            assert {(r[FORCE], r[QUARTER]) for r in no_data} == {("Cumbria", 1.0)}
            cumbria_q1 = [r for r in data if r[FORCE] == "Cumbria" and r[QUARTER] == 1]
            assert all(r[RECORDED] == r[CLOSED] == NOT_PROVIDED for r in cumbria_q1)
        else:
            assert not no_data


def test_devon_and_cornwall_data_break(outcome_rows: dict[str, list[list[object]]]) -> None:
    for fy in YEARS:
        zero = every = 0.0
        for r in outcome_rows[fy][1:]:
            if _same_force(r[FORCE]) == "Devon and Cornwall" and isinstance(r[RECORDED], float):
                every += r[RECORDED]
                zero += r[RECORDED] if r[TYPE] == 0 else 0
        if fy in ("2022-23", "2023-24"):
            assert 0.65 < zero / every < 0.75, fy
        else:
            assert zero / every < 0.35, fy


def test_manifest_lists_quirks(mirror: tuple[Path, dict]) -> None:
    _, manifest = mirror
    kinds = Counter(q["kind"] for q in manifest["quirks"])
    assert kinds["negative_closed"] == kinds["negative_recorded"] == kinds["expired_offence_code"] == 4
    assert kinds["data_not_provided"] == 1 and kinds["data_break"] == 2 and kinds["sheet_name"] == 4
    for quirk in manifest["quirks"]:
        if quirk["kind"] == "negative_closed":
            assert len(quirk["rows"]) == 30
        if quirk["kind"] == "negative_recorded":
            assert len(quirk["rows"]) == 5 and all(r["offset_outcome_type"] == 18 for r in quirk["rows"])
    sizes = {f["path"].rsplit("/", 1)[-1]: f for f in manifest["files"]}
    outcomes = sizes["prc-outcomes-open-data-mar2024-tables-220126.xlsx"]
    assert outcomes["rows"]["Outcomes_open_data_2023_24"] == 1 + 4 * 44 * 64 * 23


# --- files the loader must skip ---------------------------------------------------------------------------


def test_excluded_files(files: dict[str, Path]) -> None:
    alternate = CalamineWorkbook.from_path(
        str(files["prc-outcomes-alternate-open-data-mar2017-to-mar2026-tables-220126.ods"]))
    rows = alternate.get_sheet_by_name(alternate.sheet_names[-1]).to_python()
    assert rows[0][7] == "Outcome Type" and {r[7] for r in rows[1:]} == {"1a", "2a", "3a"}
    assert 1 < len({r[2] for r in rows[1:]}) <= 10

    supplementary = CalamineWorkbook.from_path(str(files["prc-supplementary-crime-outcomes-metrics-220126.xlsx"]))
    assert len(supplementary.sheet_names) == 1

    with files["recrime-geo-pfa.csv"].open(newline="", encoding="utf-8") as f:
        geo = list(csv.reader(f))
    assert geo[0] == ["Force Name", "PFA code"] and len(geo) == 44
    assert ["London, City of", "E23000034"] in geo


def test_generation_is_deterministic(mirror: tuple[Path, dict], tmp_path: Path) -> None:
    root, manifest = mirror
    again = generate_home_office_mirror(tmp_path)
    assert again == manifest
    first = sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())
    assert first == sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    for rel in first:
        assert (root / rel).read_bytes() == (tmp_path / rel).read_bytes(), rel


def test_main_rejects_a_bad_date(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        main(["--out", str(tmp_path), "--release-date", "22/01/2026"])


def test_bad_financial_years_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        generate_home_office_mirror(tmp_path, financial_years=("2023-24", "2022-23"))
    with pytest.raises(ValueError):
        generate_home_office_mirror(tmp_path, financial_years=("2023/24",))


# --- workbook writers -------------------------------------------------------------------------------------

ROUND_TRIP = [
    ["Force Name", "Outcome Group", "Count", "Share", "Blank"],
    ["London, City of", "Investigation complete – no suspect identified", 12, 0.125, None],
    ["A & B <c> \"d\"", "  two  leading and trailing  ", -3, 1e-05, None],
    [None, "", 0, -2.5, "x"],
    ["last"],
]
EXPECTED = [[("" if v is None else float(v) if isinstance(v, int) else v) for v in row] + [""] * (5 - len(row))
            for row in ROUND_TRIP]


@pytest.mark.parametrize("writer", [write_xlsx, write_ods], ids=["xlsx", "ods"])
def test_workbook_writer_round_trip(writer: object, tmp_path: Path) -> None:
    assert callable(writer)
    path = tmp_path / f"book.{'xlsx' if writer is write_xlsx else 'ods'}"
    writer(path, [("Table P4  ", ROUND_TRIP), ("Second sheet", [["only", 1]]), ("Empty", [])])
    assert path.is_file() and not path.with_suffix(path.suffix + ".part").exists()
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == ["Table P4  ", "Second sheet", "Empty"]
    assert book.get_sheet_by_name("Table P4  ").to_python() == EXPECTED
    assert book.get_sheet_by_name("Second sheet").to_python() == [["only", 1.0]]
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        names = [i.filename for i in infos]
        if writer is write_ods:
            assert names[0] == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED and not infos[0].extra
            assert zf.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
            assert "META-INF/manifest.xml" in names
        else:
            assert {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"} <= set(names)


def test_xlsx_shared_strings_option(tmp_path: Path) -> None:
    path = tmp_path / "shared.xlsx"
    write_xlsx(path, [("Sheet 1", ROUND_TRIP)], shared_strings=True)
    assert CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Sheet 1").to_python() == EXPECTED


def test_writer_streams_generators_and_is_reproducible(tmp_path: Path) -> None:
    def rows():
        yield ["n", "square"]
        for i in range(1000):
            yield [i, i * i]

    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_xlsx(a, [("data", rows())])
    write_xlsx(b, [("data", rows())])
    assert a.read_bytes() == b.read_bytes()
    assert len(CalamineWorkbook.from_path(str(a)).get_sheet_by_name("data").to_python()) == 1001


@pytest.mark.parametrize("name", ["", "a/b", "x" * 32, "what?"])
def test_xlsx_rejects_bad_sheet_names(name: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_xlsx(tmp_path / "bad.xlsx", [(name, [[1]])])
