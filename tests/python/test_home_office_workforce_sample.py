"""Tests of the Home Office police workforce sample mirror (extract/home_office/workforce_sample.py) against the
layout contract the loader reads (extract/home_office/workforce_settings.py)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from extract.home_office.workforce_sample import RANKS, generate_workforce_mirror
from extract.home_office.workforce_settings import (
    ABSENCE,
    ASSET_HOST,
    COLLECTION_PATH,
    COLUMNS,
    CONTENT_HOST,
    DATA_SHEET_RE,
    DATASETS,
    DUTY_TYPES,
    FILE_PATTERNS,
    FUNCTIONS,
    JOINER,
    JOINERS_LEAVERS,
    LEAVER,
    LIMITED_DUTIES,
    LOCAL_POLICING,
    LONG_TERM_SICK,
    NEIGHBOURHOOD_SUBGROUPS,
    NOT_APPLICABLE,
    OFFICER,
    PCSO,
    PUBLISHED_HEADERS,
    RELEASE_PATH_RE,
    RELEASE_SUFFIX_RE,
    VOLUNTARY_RESIGNATION,
    WORKER_TYPES,
    WORKFORCE,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
MEDIA_URL = re.compile(rf"^https://{re.escape(ASSET_HOST)}/media/([0-9a-f]{{24}})/([^/]+)$")
R1 = "/government/statistics/police-workforce-england-and-wales-31-march-2025"
R2 = "/government/statistics/police-workforce-england-and-wales-30-september-2025"
MAR23, MAR24, MAR25, SEP25 = dt.date(2023, 3, 31), dt.date(2024, 3, 31), dt.date(2025, 3, 31), dt.date(2025, 9, 30)
BTP = "British Transport Police"
STAFF, DESIGNATED = "Police Staff", "Designated Officer"


@dataclass
class Table:
    path: Path
    sheets: list[str]
    header_row: int
    header: list[str]
    rows: list[dict[str, object]]  # keyed by the raw column names of COLUMNS[dataset]; snapshot as a date
    raw_snapshots: list[object]  # the snapshot cells as read


def _seed(name: str) -> list[dict[str, str]]:
    with (SEEDS / name).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _raw_column(dataset: str, label: str) -> str:
    matches = [raw for raw, pattern in COLUMNS[dataset].items() if re.fullmatch(pattern, label.strip(), re.I)]
    assert len(matches) == 1, (dataset, label, matches)
    return matches[0]


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.date):
        return value
    assert isinstance(value, float | int) and float(value).is_integer(), value
    return dt.date(int(value), 3, 31)


def _read(path: Path, dataset: str) -> Table:
    book = CalamineWorkbook.from_path(str(path))
    data_sheet = next(name for name in book.sheet_names if DATA_SHEET_RE.match(name))
    cells = book.get_sheet_by_name(data_sheet).to_python()
    header_row = next(i for i, row in enumerate(cells) if str(row[0]).strip().lower() != ""
                      and re.fullmatch(r"as at.*|year ending.*|snapshot date", str(row[0]).strip(), re.I))
    header = [str(c) for c in cells[header_row]]
    names = [_raw_column(dataset, label) for label in header]
    period = "year_ending" if dataset == JOINERS_LEAVERS else "as_at"
    rows, raw = [], []
    for row in cells[header_row + 1:]:
        record = dict(zip(names, row, strict=True))
        raw.append(record[period])
        record[period] = _as_date(record[period])
        rows.append(record)
    return Table(path, book.sheet_names, header_row, header, rows, raw)


@pytest.fixture(scope="module")
def mirror(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, float]:
    root = tmp_path_factory.mktemp("workforce_mirror")
    started = time.perf_counter()
    manifest = generate_workforce_mirror(root)
    return root, manifest, time.perf_counter() - started


@pytest.fixture(scope="module")
def tables(mirror: tuple[Path, dict, float]) -> dict[tuple[str, str], Table]:
    root, manifest, _ = mirror
    out = {}
    for f in manifest["files"]:
        if f["dataset"] is not None:
            out[f["release"], f["dataset"]] = _read(root / f["path"], f["dataset"])
    return out


def _document(root: Path, api_path: str) -> dict:
    return json.loads((root / CONTENT_HOST / api_path.lstrip("/")).read_text(encoding="utf-8"))


def _cents(value: object) -> int:
    assert isinstance(value, float | int), value
    cents = round(float(value) * 100)
    assert abs(cents - float(value) * 100) < 1e-6, f"{value} has more than 2 decimals"
    return cents


# --- content API ---------------------------------------------------------------------------------------


def test_collection_document(mirror: tuple[Path, dict, float]) -> None:
    root, manifest, _ = mirror
    assert manifest["collection"] == f"{CONTENT_HOST}/{COLLECTION_PATH}"
    collection = _document(root, COLLECTION_PATH)
    assert collection["base_path"] == "/government/collections/police-workforce-england-and-wales"
    assert collection["document_type"] == "document_collection"
    assert collection["title"]
    documents = collection["links"]["documents"]
    for d in documents:
        assert set(d) >= {"base_path", "title", "public_updated_at", "document_type", "api_path"}
        assert d["api_path"] == f"/api/content{d['base_path']}"
    releases = [d for d in documents if RELEASE_PATH_RE.match(d["base_path"])]
    assert [d["base_path"] for d in releases] == [R2, R1]  # newest first
    others = [d for d in documents if not RELEASE_PATH_RE.match(d["base_path"])]
    assert [d["base_path"] for d in others] == ["/government/publications/user-guide-to-police-workforce-statistics"]
    assert not (root / CONTENT_HOST / others[0]["api_path"].lstrip("/")).exists()  # a loader must not need it
    for d in releases:
        assert _document(root, d["api_path"])["base_path"] == d["base_path"]
    assert [r["base_path"] for r in manifest["releases"]] == [R1, R2]


@pytest.mark.parametrize(("base_path", "title", "published", "datasets"), [
    (R1, "Police workforce, England and Wales: 31 March 2025", "230725", set(DATASETS)),
    (R2, "Police workforce, England and Wales: 30 September 2025", "280126", {WORKFORCE, FUNCTIONS}),
])
def test_release_attachments_resolve(
    mirror: tuple[Path, dict, float], base_path: str, title: str, published: str, datasets: set[str],
) -> None:
    root, manifest, _ = mirror
    doc = _document(root, f"/api/content{base_path}")
    assert (doc["base_path"], doc["title"], doc["document_type"]) == (base_path, title, "official_statistics")
    assert dt.date.fromisoformat(doc["public_updated_at"][:10]).strftime("%d%m%y") == published
    attachments = doc["details"]["attachments"]
    html = [a for a in attachments if a["attachment_type"] != "file"]
    assert len(html) == 1 and not html[0]["url"].startswith(f"https://{ASSET_HOST}/")
    found: dict[str, str] = {}
    skipped = []
    for a in (a for a in attachments if a["attachment_type"] == "file"):
        match = MEDIA_URL.match(a["url"])
        assert match and match.group(2) == a["filename"], a
        assert a["content_type"] == ODS and a["title"]
        path = root / ASSET_HOST / a["url"].removeprefix(f"https://{ASSET_HOST}/")
        assert path.is_file() and path.stat().st_size == a["file_size"]
        dataset = next((d for d, pattern in FILE_PATTERNS if pattern.match(a["filename"])), None)
        if dataset is None:
            skipped.append(a["filename"])
            assert CalamineWorkbook.from_path(str(path)).sheet_names == ["Index"]
            continue
        assert dataset not in found
        found[dataset] = a["filename"]
        suffix = RELEASE_SUFFIX_RE.search(a["filename"])
        assert suffix and "".join(suffix.groups()[:3]) == published
    assert set(found) == datasets
    assert len(skipped) == 1 and re.fullmatch(r"police-workforce-(mar|sep)25-tables\.ods", skipped[0])
    release = next(r for r in manifest["releases"] if r["base_path"] == base_path)
    assert sorted(release["files"]) == sorted(
        (root / ASSET_HOST / a["url"].removeprefix(f"https://{ASSET_HOST}/")).relative_to(root).as_posix()
        for a in attachments if a["attachment_type"] == "file")


# --- layout --------------------------------------------------------------------------------------------


def test_headers_and_sheets(mirror: tuple[Path, dict, float], tables: dict[tuple[str, str], Table]) -> None:
    _, manifest, _ = mirror
    assert len(tables) == 7
    for (release, dataset), table in tables.items():
        assert table.sheets == ["Cover_sheet", "Notes", "Data"]
        expected = list(PUBLISHED_HEADERS[dataset])
        if release == R2:
            expected[0] = "As at"
            assert all(type(v) is dt.date for v in table.raw_snapshots)
        else:
            assert all(isinstance(v, float | int) and float(v).is_integer() for v in table.raw_snapshots)
        assert table.header == expected
        assert table.header_row == (2 if dataset == FUNCTIONS else 0)
        entry = next(f for f in manifest["files"] if f["release"] == release and f["dataset"] == dataset)
        assert entry["header_row"] == table.header_row and entry["data_rows"] == len(table.rows)
        book = CalamineWorkbook.from_path(str(table.path))
        assert {s: len(book.get_sheet_by_name(s).to_python()) for s in table.sheets} == entry["rows"]
        cover = [row[0] for row in book.get_sheet_by_name("Cover_sheet").to_python()]
        published = "23 July 2025" if release == R1 else "28 January 2026"
        assert cover[0] and any(published in str(c) for c in cover)
    assert len(tables[R2, FUNCTIONS].rows) < 40_000


def test_forces_and_snapshots(tables: dict[tuple[str, str], Table]) -> None:
    pfas = {r["force_id"] for r in _seed("police_force_areas.csv")}
    assert len(pfas) == 43
    for (release, dataset), table in tables.items():
        snapshots = [MAR23, MAR24, MAR25] + ([SEP25] if release == R2 else [])
        by_snapshot: dict[dt.date, set[object]] = defaultdict(set)
        for row in table.rows:
            by_snapshot[row["year_ending" if dataset == JOINERS_LEAVERS else "as_at"]].add(row["geocode"])
        assert sorted(by_snapshot) == snapshots
        for geocodes in by_snapshot.values():
            assert geocodes == (pfas | {""} if dataset == WORKFORCE else pfas)
        btp = {(r["force_name"], r["region"]) for r in table.rows if r["geocode"] == ""}
        assert btp == ({(BTP, BTP)} if dataset == WORKFORCE else set())


def test_force_names_are_home_office_spellings(tables: dict[tuple[str, str], Table]) -> None:
    variants = {r["name_variant"]: r["force_id"] for r in _seed("force_name_variants.csv")}
    regions = {r["force_id"]: r["region_name"] for r in _seed("police_force_areas.csv")}
    names: set[str] = set()
    for (_, dataset), table in tables.items():
        for row in table.rows:
            name = row["force_name"]
            names.add(name)
            if row["geocode"] == "":
                assert name == BTP
                continue
            assert variants.get(name) == row["geocode"], name  # BTP is not in the variants seed
            assert row["region"] == regions[row["geocode"]]
            if row["geocode"] == "E23000030":
                snapshot = row["year_ending" if dataset == JOINERS_LEAVERS else "as_at"]
                assert name == ("Hampshire" if snapshot < MAR23 else "Hampshire and Isle of Wight")
    assert "London, City of" in names and "Hampshire and Isle of Wight" in names
    assert not {"City of London", "Devon & Cornwall", "Hampshire"} & names
    assert "Devon and Cornwall" in names


def test_values_follow_the_contract(tables: dict[tuple[str, str], Table]) -> None:
    for (_, dataset), table in tables.items():
        rows = table.rows
        worker_types = {r["worker_type"] for r in rows}
        if dataset == WORKFORCE:
            assert worker_types == set(WORKER_TYPES)
            assert {r["rank"] for r in rows if r["worker_type"] == OFFICER} == set(RANKS)
            assert {r["rank"] for r in rows if r["worker_type"] != OFFICER} == {NOT_APPLICABLE}
            assert {r["sex"] for r in rows} == {"Male", "Female"}
        elif dataset == FUNCTIONS:
            assert worker_types == set(WORKER_TYPES)
            assert {r["frontline_type"] for r in rows} <= {
                "Visible operational frontline", "Non-visible operational frontline", "Operational support",
                "Business support"}
            pairs = {(r["ethnicity_5_plus_1"], r["ethnicity_3_plus_1"]) for r in rows}
            minority = "Ethnic minorities (excluding White minorities)"
            assert pairs == {("White", "White"), ("Mixed", minority), ("Asian", minority), ("Black", minority),
                             ("Other ethnic group", minority), ("Not stated", "Not stated")}
            for r in rows:
                number = r["function_subgroup_number"]
                assert re.fullmatch(r"\d+\.\d+", str(number)), number
                assert int(str(number).split(".")[0]) == r["wider_function_number"]
                if r["function_subgroup_name"] in NEIGHBOURHOOD_SUBGROUPS:
                    assert str(r["wider_function_name"]).lower() == LOCAL_POLICING.lower()
                assert r["fte"] > 0
        elif dataset == ABSENCE:
            assert worker_types == {OFFICER, STAFF, PCSO}
            assert {r["absence_type"] for r in rows} == {LONG_TERM_SICK}
        elif dataset == LIMITED_DUTIES:
            assert worker_types == {OFFICER}
            assert {r["duty_type"] for r in rows} == set(DUTY_TYPES)
            assert {"Constable", "Sergeant"} <= {r["rank"] for r in rows}
        else:
            assert worker_types == {OFFICER, STAFF}
            assert {r["movement"] for r in rows} == {JOINER, LEAVER}
            assert {r["leaver_type"] for r in rows if r["movement"] == JOINER} == {NOT_APPLICABLE}
            leaver_types = {r["leaver_type"] for r in rows if r["movement"] == LEAVER}
            assert VOLUNTARY_RESIGNATION in leaver_types and NOT_APPLICABLE not in leaver_types
            assert {r["rank"] for r in rows if r["worker_type"] == STAFF} == {NOT_APPLICABLE}
            assert {r["rank"] for r in rows if r["worker_type"] == OFFICER and r["movement"] == JOINER} == {
                "Constable"}


def test_counts_are_sane(tables: dict[tuple[str, str], Table]) -> None:
    for (_, dataset), table in tables.items():
        for row in table.rows:
            fte = _cents(row["fte"])
            assert fte > 0
            if dataset == FUNCTIONS:
                continue
            heads = row["headcount"]
            if heads == "[x]":
                continue
            assert isinstance(heads, float | int) and float(heads).is_integer() and heads >= 1
            assert heads * 100 >= fte, row


# --- invariants and quirks -----------------------------------------------------------------------------


def _fte_by(rows: list[dict[str, object]], *keys: str) -> Counter:
    out: Counter = Counter()
    for r in rows:
        out[tuple(r[k] for k in keys)] += _cents(r["fte"])
    return out


@pytest.mark.parametrize("release", [R1, R2])
def test_functions_sum_to_workforce(tables: dict[tuple[str, str], Table], release: str) -> None:
    keys = ("as_at", "geocode", "worker_type", "sex")
    workforce = _fte_by([r for r in tables[release, WORKFORCE].rows if r["geocode"]], *keys)
    functions = _fte_by(tables[release, FUNCTIONS].rows, *keys)
    assert functions == workforce
    assert len(workforce) == 43 * len({k[0] for k in workforce}) * 4 * 2


def _keyed(table: Table, dataset: str) -> dict[tuple, dict[str, object]]:
    measures = {"fte", "headcount"}
    out = {}
    for r in table.rows:
        key = tuple((k, v) for k, v in r.items() if k not in measures)
        assert key not in out
        out[key] = r
    return out


def test_revision_is_only_where_the_manifest_says(
    mirror: tuple[Path, dict, float], tables: dict[tuple[str, str], Table],
) -> None:
    _, manifest, _ = mirror
    revisions = [q for q in manifest["quirks"] if q["kind"] == "revision"]
    assert len(revisions) == 1
    rev = revisions[0]
    assert (rev["release"], rev["previous_release"], rev["force"], rev["snapshot"], rev["worker_type"]) == (
        R2, R1, "Kent", "2025-03-31", OFFICER)
    assert round(rev["fte_new"] - rev["fte_old"], 2) == 12.5 and rev["headcount_new"] - rev["headcount_old"] == 13
    snapshot = dt.date.fromisoformat(rev["snapshot"])
    for dataset in (WORKFORCE, FUNCTIONS):
        old, new = _keyed(tables[R1, dataset], dataset), _keyed(tables[R2, dataset], dataset)
        common = {k for k in new if dict(k)["as_at"] != SEP25}
        assert common == set(old)
        changed = [k for k in common if old[k] != new[k]]
        assert len(changed) == 1, changed
        key = dict(changed[0])
        assert (key["geocode"], key["force_name"], key["as_at"], key["worker_type"]) == (
            rev["geocode"], rev["force"], snapshot, rev["worker_type"])
        before, after = old[changed[0]], new[changed[0]]
        assert _cents(after["fte"]) - _cents(before["fte"]) == 1250
        detail = rev[f"{dataset}_row"]
        assert (before["fte"], after["fte"]) == (detail["fte_old"], detail["fte_new"])
        if dataset == WORKFORCE:
            assert (key["sex"], key["rank"]) == (detail["sex"], detail["rank"])
            assert (before["headcount"], after["headcount"]) == (detail["headcount_old"], detail["headcount_new"])
            assert after["headcount"] - before["headcount"] == 13
            totals = [sum(_cents(r["fte"]) for r in t.rows if r["geocode"] == rev["geocode"]
                          and r["as_at"] == snapshot and r["worker_type"] == OFFICER)
                      for t in (tables[R1, dataset], tables[R2, dataset])]
            assert totals == [round(rev["fte_old"] * 100), round(rev["fte_new"] * 100)]
        else:
            assert (key["sex"], key["ethnicity_5_plus_1"], key["function_subgroup_number"],
                    key["function_subgroup_name"]) == (detail["sex"], detail["ethnicity_5_plus_1"],
                                                       detail["function_subgroup_number"],
                                                       detail["function_subgroup_name"])
            assert key["function_subgroup_name"] in NEIGHBOURHOOD_SUBGROUPS


def test_local_policing_case_change(mirror: tuple[Path, dict, float], tables: dict[tuple[str, str], Table]) -> None:
    for release in (R1, R2):
        names: dict[dt.date, set[object]] = defaultdict(set)
        for r in tables[release, FUNCTIONS].rows:
            if r["wider_function_number"] == 1:
                names[r["as_at"]].add(r["wider_function_name"])
        for snapshot, seen in names.items():
            assert seen == ({"Local Policing"} if snapshot < MAR24 else {LOCAL_POLICING}), snapshot
        assert MAR23 in names
    quirk = next(q for q in mirror[1]["quirks"] if q["kind"] == "case_change")
    assert quirk["values"]["Local Policing"] == ["2023-03-31"]


def test_not_available_marker(mirror: tuple[Path, dict, float], tables: dict[tuple[str, str], Table]) -> None:
    marked = [r for t in tables.values() for r in t.rows if "[x]" in (r.get("headcount"), r.get("fte"))]
    assert len(marked) == 1
    row = marked[0]
    quirk = next(q for q in mirror[1]["quirks"] if q["kind"] == "marker")
    assert row in tables[R1, LIMITED_DUTIES].rows
    assert (row["force_name"], row["as_at"], row["sex"], row["rank"], row["duty_type"]) == (
        "Dyfed-Powys", MAR23, quirk["sex"], quirk["rank"], quirk["duty_type"])
    assert quirk["force"] == "Dyfed-Powys" and quirk["snapshot"] == "2023-03-31"
    assert isinstance(row["fte"], float) and row["fte"] > 0


# --- realism -------------------------------------------------------------------------------------------


def _national(rows: list[dict[str, object]], worker_type: str, when: dt.date, key: str = "as_at") -> float:
    return sum(_cents(r["fte"]) for r in rows if r["geocode"] and r["worker_type"] == worker_type
               and r[key] == when) / 100


def test_national_totals_are_plausible(mirror: tuple[Path, dict, float], tables: dict[tuple[str, str], Table]) -> None:
    workforce = tables[R1, WORKFORCE].rows
    bounds = {OFFICER: (143_000, 151_000), STAFF: (77_000, 83_000), PCSO: (7_500, 8_300), DESIGNATED: (4_700, 5_300)}
    for worker_type, (low, high) in bounds.items():
        assert low < _national(workforce, worker_type, MAR25) < high, worker_type
        fte = _national(workforce, worker_type, MAR25)
        heads = sum(r["headcount"] for r in workforce if r["geocode"] and r["worker_type"] == worker_type
                    and r["as_at"] == MAR25)
        assert 1.02 <= heads / fte <= 1.06, worker_type
        assert mirror[1]["totals"]["fte_43_forces"]["2025-03-31"][worker_type] == pytest.approx(fte, abs=0.01)
    city = sum(r["fte"] for r in workforce if r["force_name"] == "London, City of" and r["as_at"] == MAR25
               and r["worker_type"] == OFFICER)
    assert 800 < city < 1_000


def test_neighbourhood_policing(tables: dict[tuple[str, str], Table]) -> None:
    rows = tables[R2, FUNCTIONS].rows

    def neighbourhood(worker_type: str, when: dt.date) -> float:
        return sum(_cents(r["fte"]) for r in rows if r["worker_type"] == worker_type and r["as_at"] == when
                   and r["function_subgroup_name"] in NEIGHBOURHOOD_SUBGROUPS) / 100

    for when in (MAR23, MAR24, MAR25, SEP25):
        assert 0.20 <= neighbourhood(OFFICER, when) / _national(rows, OFFICER, when) <= 0.25
        assert 0.85 <= neighbourhood(PCSO, when) / _national(rows, PCSO, when) <= 0.95
    uplift = sum(neighbourhood(wt, SEP25) - neighbourhood(wt, MAR25) for wt in (OFFICER, PCSO))
    assert 1_500 <= uplift <= 3_000


def test_absence_duties_and_flows_are_plausible(tables: dict[tuple[str, str], Table]) -> None:
    workforce = tables[R1, WORKFORCE].rows
    absence, duties = tables[R1, ABSENCE].rows, tables[R1, LIMITED_DUTIES].rows
    flows = tables[R1, JOINERS_LEAVERS].rows
    for when in (MAR23, MAR24, MAR25):
        for worker_type in (OFFICER, STAFF, PCSO):
            rate = _national(absence, worker_type, when) / _national(workforce, worker_type, when)
            assert 0.02 <= rate <= 0.035, (worker_type, when, rate)
        officers = _national(workforce, OFFICER, when)
        for duty, (low, high) in zip(DUTY_TYPES, ((0.025, 0.035), (0.033, 0.047)), strict=True):
            fte = sum(_cents(r["fte"]) for r in duties if r["duty_type"] == duty and r["as_at"] == when) / 100
            assert low <= fte / officers <= high, duty
        leavers = [r for r in flows if r["worker_type"] == OFFICER and r["movement"] == LEAVER
                   and r["year_ending"] == when]
        assert 0.05 <= sum(r["fte"] for r in leavers) / officers <= 0.07
        resigned = sum(r["headcount"] for r in leavers if r["leaver_type"] == VOLUNTARY_RESIGNATION)
        assert 0.40 <= resigned / sum(r["headcount"] for r in leavers) <= 0.50


# --- determinism and speed -----------------------------------------------------------------------------


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_generation_is_deterministic_and_fast(mirror: tuple[Path, dict, float], tmp_path: Path) -> None:
    root, manifest, elapsed = mirror
    assert elapsed < 20
    again = generate_workforce_mirror(tmp_path / "again")
    assert again == manifest
    first, second = _tree(root), _tree(tmp_path / "again")
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    assert not [name for name in first if name.endswith(".part")]
    other = generate_workforce_mirror(tmp_path / "other", seed=1)
    assert other["totals"] != manifest["totals"]
