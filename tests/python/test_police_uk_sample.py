"""Tests of the sample data.police.uk archive generator (extract/police_uk/sample.py)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from extract.police_uk.sample import generate_archive_mirror, main
from extract.police_uk.settings import (
    CRIME_TYPES,
    FILE_NAME_RE,
    OUTCOME_LABELS,
    OUTCOMES_HEADER,
    STOP_AND_SEARCH_HEADER,
    STREET_HEADER,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
HEX64 = re.compile(r"^[0-9a-f]{64}$")
COORD = re.compile(r"^-?\d{1,2}\.\d{6}$")
ISO_DATE = re.compile(r"^(\d{4}-\d{2})-\d{2}T\d{2}:\d{2}:\d{2}\+0[01]:00$")

# A small window with known gaps: City of London June 2022, Greater Manchester (all), BTP street only.
SMALL = {
    "release": "2022-08", "n_months": 4, "scale": 0.01,
    "forces": ["city-of-london", "greater-manchester", "btp", "gwent", "dorset"],
}
SMALL_MONTHS = ["2022-05", "2022-06", "2022-07", "2022-08"]


def _zip_files(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def _force_names() -> dict[str, str]:
    with open(SEEDS / "police_force_areas.csv", newline="", encoding="utf-8") as f:
        names = {r["police_uk_slug"]: r["police_uk_force_name"] for r in csv.DictReader(f)}
    return {**names, "btp": "British Transport Police"}


def _parse_name(name: str) -> tuple[str, str, str]:
    m = FILE_NAME_RE.match(name)
    assert m is not None and m["folder"] == m["month"], name
    return m["month"], m["slug"], m["dataset"]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    path = generate_archive_mirror(tmp_path_factory.mktemp("small"), **SMALL)
    assert path.name == "2022-08.zip"
    assert path.parent.as_posix().endswith("data.police.uk/data/archive")
    return _zip_files(path)


@pytest.fixture(scope="module")
def recent(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """One large force over the last months of a 2025-12 release, plus forces with 2025 gaps."""
    path = generate_archive_mirror(
        tmp_path_factory.mktemp("recent"), release="2025-12", n_months=6, scale=0.05,
        forces=["metropolitan", "gwent", "btp", "south-yorkshire"],
    )
    return _zip_files(path)


def test_layout_follows_known_gaps(small: dict[str, bytes]) -> None:
    expected = set()
    for month in SMALL_MONTHS:
        for dataset in ("street", "outcomes", "stop-and-search"):
            for slug in ("gwent", "dorset") + (("city-of-london",) if month != "2022-06" else ()):
                expected.add(f"{month}/{month}-{slug}-{dataset}.csv")
        expected.add(f"{month}/{month}-btp-street.csv")
    assert set(small) == expected


def test_layout_follows_known_gaps_in_2025(recent: dict[str, bytes]) -> None:
    slugs_datasets = {_parse_name(name)[1:] for name in recent}
    # Gwent Sep-Dec 2025 and BTP street Feb-Dec 2025 missing; Gwent, South Yorkshire: no stop and search.
    assert slugs_datasets == {
        ("metropolitan", "street"), ("metropolitan", "outcomes"), ("metropolitan", "stop-and-search"),
        ("gwent", "street"), ("gwent", "outcomes"),
        ("south-yorkshire", "street"), ("south-yorkshire", "outcomes"),
    }
    gwent_months = sorted({_parse_name(n)[0] for n in recent if _parse_name(n)[1] == "gwent"})
    assert gwent_months == ["2025-07", "2025-08"]


def test_no_file_inside_a_seed_gap(small: dict[str, bytes], recent: dict[str, bytes]) -> None:
    with open(SEEDS / "police_uk_known_gaps.csv", newline="", encoding="utf-8") as f:
        gaps = list(csv.DictReader(f))
    for name in [*small, *recent]:
        month, slug, dataset = _parse_name(name)
        for gap in gaps:
            if gap["police_uk_slug"] == slug and gap["dataset"] in ("all", dataset.replace("-", "_")):
                inside = gap["month_from"] <= month and (not gap["month_to"] or month <= gap["month_to"])
                assert not inside, (name, gap)


def test_csv_bytes_match_real_conventions(small: dict[str, bytes], recent: dict[str, bytes]) -> None:
    headers = {
        "street": STREET_HEADER, "outcomes": OUTCOMES_HEADER, "stop-and-search": STOP_AND_SEARCH_HEADER,
    }
    quoted = 0
    for name, data in [*small.items(), *recent.items()]:
        dataset = _parse_name(name)[2]
        assert not data.startswith(b"\xef\xbb\xbf"), name
        assert data.startswith((",".join(headers[dataset]) + "\r\n").encode()), name
        assert data.endswith(b"\r\n") and data.count(b"\n") == data.count(b"\r\n"), name
        rows = _rows(data)
        assert all(len(r) == len(headers[dataset]) for r in rows), name
        # Minimal quoting: the file is exactly what csv's QUOTE_MINIMAL writes for the parsed rows.
        out = io.StringIO()
        csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n").writerows(rows)
        assert out.getvalue().encode() == data, name
        quoted += data.count(b'"')
    assert quoted > 0  # "On or near High Road, Town", "Bournemouth, Christchurch and Poole 001A"


def test_street_rows(small: dict[str, bytes], recent: dict[str, bytes]) -> None:
    force_names = _force_names()
    types: Counter[str] = Counter()
    no_location = total = 0
    for name, data in [*small.items(), *recent.items()]:
        month, slug, dataset = _parse_name(name)
        if dataset != "street":
            continue
        rows = _rows(data)[1:]
        assert len(rows) >= 3, name
        for row in rows:
            crime_id, row_month, reported_by, falls_within, lon, lat, location, code, lsoa = row[:9]
            ctype, last, ctx = row[9:]
            total += 1
            types[ctype] += 1
            assert row_month == month
            assert reported_by == falls_within == force_names[slug]
            assert ctype in CRIME_TYPES
            assert ctx == ""
            if ctype == "Anti-social behaviour" or slug == "btp":
                assert crime_id == "" and last == "", (name, crime_id, last)
            else:
                assert HEX64.match(crime_id), crime_id
                assert last in OUTCOME_LABELS, last
            if location == "No Location":
                no_location += 1
                assert lon == lat == code == lsoa == ""
            else:
                assert location.startswith("On or near ")
                assert COORD.match(lon) and COORD.match(lat), (lon, lat)
                assert -6.4 < float(lon) < 1.8 and 49.9 < float(lat) < 55.9
                prefix = "W01" if slug in ("gwent", "south-wales", "north-wales", "dyfed-powys") else "E01"
                assert re.match(rf"^{prefix}\d{{6}}$", code), code
                assert re.match(r"^.+ \d{3}[A-Z]$", lsoa), lsoa
    assert set(types) == set(CRIME_TYPES)
    assert 0.2 < types["Anti-social behaviour"] / total < 0.3
    assert 0.02 < no_location / total < 0.09


def test_city_of_london_volume_floor(small: dict[str, bytes]) -> None:
    # 8,700 residents would give under one row a month at scale 0.01; the floor keeps ~70.
    counts = [len(_rows(small[f"{m}/{m}-city-of-london-street.csv"])) - 1 for m in ("2022-05", "2022-07")]
    assert all(40 <= c <= 120 for c in counts), counts


def test_recent_months_mostly_under_investigation(recent: dict[str, bytes]) -> None:
    share = {}
    for month in ("2025-07", "2025-10", "2025-11", "2025-12"):
        rows = _rows(recent[f"{month}/{month}-metropolitan-street.csv"])[1:]
        lasts = [r[10] for r in rows if r[9] != "Anti-social behaviour"]
        share[month] = lasts.count("Under investigation") / len(lasts)
    last_three = (share["2025-10"] + share["2025-11"] + share["2025-12"]) / 3
    assert 0.55 < last_three < 0.8, share
    assert share["2025-07"] < share["2025-12"]


def test_outcomes_rows(recent: dict[str, bytes]) -> None:
    street_ids: set[str] = set()
    for name, data in recent.items():
        if name.endswith("-metropolitan-street.csv"):
            street_ids |= {r[0] for r in _rows(data)[1:] if r[0]}
    reused = total = duplicates = 0
    for name, data in recent.items():
        month, slug, dataset = _parse_name(name)
        if dataset != "outcomes" or slug != "metropolitan":
            continue
        rows = _rows(data)[1:]
        lines = data.split(b"\r\n")[1:-1]
        duplicates += len(lines) - len(set(lines))
        for crime_id, row_month, reported_by, falls_within, lon, lat, location, code, lsoa, outcome in rows:
            total += 1
            reused += crime_id in street_ids
            assert HEX64.match(crime_id)
            assert row_month == month
            assert reported_by == falls_within == "Metropolitan Police Service"
            assert outcome in OUTCOME_LABELS
            if location == "No location":  # lower-case l in outcomes files
                assert lon == lat == code == lsoa == ""
            else:
                assert location.startswith("On or near ") and COORD.match(lon) and COORD.match(lat)
    assert duplicates >= 1  # the real files contain exact duplicate rows
    assert reused / total > 0.5  # outcomes refer to crimes published in street files


def test_stop_and_search_rows(small: dict[str, bytes], recent: dict[str, bytes]) -> None:
    assert STOP_AND_SEARCH_HEADER[4:6] == ["Latitude", "Longitude"]
    seen_new_style = seen_old_style = False
    for name, data in [*small.items(), *recent.items()]:
        month, _, dataset = _parse_name(name)
        if dataset != "stop-and-search":
            continue
        rows = _rows(data)
        assert rows[0] == STOP_AND_SEARCH_HEADER
        for (stype, date, part_op, _op, lat, lon, gender, age, _self_eth, officer_eth, _legislation, _obj,
             outcome, linked, removal) in rows[1:]:
            assert stype in ("Person search", "Person and Vehicle search", "Vehicle search")
            m = ISO_DATE.match(date)
            assert m and m[1] == month, date
            if lat or lon:  # Latitude first: ~50-55 degrees north, longitude ~ -5..2
                assert COORD.match(lat) and COORD.match(lon)
                assert 49.9 < float(lat) < 55.9 and -6.4 < float(lon) < 1.8, (lat, lon)
            assert gender in ("Male", "Female", "Other", "")
            assert age in ("under 10", "10-17", "18-24", "25-34", "over 34", "")
            assert officer_eth in ("White", "Black", "Asian", "Other", "")
            assert outcome in (
                "A no further action disposal", "Arrest", "Community resolution",
                "Caution (simple or conditional)", "Summons / charged by post", "Penalty Notice for Disorder",
                "Khat or Cannabis warning",
            )
            assert linked in ("True", "False", "") and removal in ("True", "False")
            if month >= "2025-01":
                seen_new_style = True
                assert part_op == ""
            else:
                seen_old_style = True
                assert part_op in ("True", "False", "")
                if outcome == "A no further action disposal":
                    assert linked == ""
        assert [r[1] for r in rows[1:]] == sorted(r[1] for r in rows[1:])
    assert seen_new_style and seen_old_style


def test_same_arguments_give_identical_zip(tmp_path: Path, small: dict[str, bytes]) -> None:
    again = generate_archive_mirror(tmp_path, **SMALL)
    with zipfile.ZipFile(again) as zf:
        assert [i.filename for i in zf.infolist()] == sorted(small)
        assert {i.date_time for i in zf.infolist()} == {(2022, 8, 1, 0, 0, 0)}
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in zf.infolist())
    first = generate_archive_mirror(tmp_path / "first", **SMALL)
    assert first.read_bytes() == again.read_bytes()


def test_variant_changes_outcomes_not_row_counts(tmp_path: Path, small: dict[str, bytes]) -> None:
    other = _zip_files(generate_archive_mirror(tmp_path, **SMALL, variant=1))
    assert other.keys() == small.keys()
    assert other != small
    changed = compared = 0
    for name in small:
        a, b = _rows(small[name]), _rows(other[name])
        assert len(a) == len(b), name
        if name.endswith("-street.csv"):
            for ra, rb in zip(a[1:], b[1:], strict=True):
                assert ra[:10] == rb[:10]  # same crimes, ids and places
                if ra[0]:
                    compared += 1
                    changed += ra[10] != rb[10]
    assert 0 < changed / compared < 0.15


def test_different_seed_gives_different_data(tmp_path: Path, small: dict[str, bytes]) -> None:
    other = _zip_files(generate_archive_mirror(tmp_path, **{**SMALL, "forces": ["dorset"]}, seed=1))
    name = "2022-05/2022-05-dorset-street.csv"
    assert other[name] != small[name]


def test_unknown_force_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown"):
        generate_archive_mirror(tmp_path, forces=["atlantis"], n_months=1)


def test_main_writes_zip_and_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["--out", str(tmp_path), "--release", "2023-02", "--months", "2", "--scale", "0.002",
               "--seed", "7"])
    assert rc == 0
    path = tmp_path / "data.police.uk" / "data" / "archive" / "2023-02.zip"
    files = _zip_files(path)
    months = {_parse_name(n)[0] for n in files}
    slugs = {_parse_name(n)[1] for n in files}
    assert months == {"2023-01", "2023-02"}
    assert len(slugs) == 43  # 42 forces with files (no Greater Manchester) plus btp
    assert "greater-manchester" not in slugs
    # Even files of a few rows keep at most 30% of rows without coordinates (the quality gate's bound).
    for name, data in files.items():
        rows = _rows(data)[1:]
        lon_index = 5 if name.endswith("stop-and-search.csv") else 4
        assert sum(r[lon_index] == "" for r in rows) <= 0.3 * len(rows), name
    out = capsys.readouterr().out.strip()
    expected = rf"sample: wrote {len(files):,} files, [\d,]+ rows to {re.escape(str(path))} in [\d.]+ s"
    assert re.fullmatch(expected, out), out
