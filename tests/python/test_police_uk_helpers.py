"""The archive reader on real files and on broken ones: counts match Python's csv module, errors name file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import COL_2023_01, REAL_BULK, read_csv_rows

from extract.police_uk.helpers import (
    MalformedFileError,
    PublishedFile,
    inventory,
    latest_per_key,
    parse_csv,
    parse_file_name,
)

REAL_FILES = [
    ("2023-01-city-of-london-street.csv", "street"),
    ("2024-08-city-of-london-street.csv", "street"),
    ("2023-01-btp-street.head15.csv", "street"),
    ("2026-02-city-of-london-outcomes.head30.csv", "outcomes"),
    ("2018-01-metropolitan-outcomes.head20.csv", "outcomes"),
    ("2026-02-city-of-london-stop-and-search.head30.csv", "stop_and_search"),
]


@pytest.mark.parametrize(("name", "dataset"), REAL_FILES)
def test_real_files_parse_to_the_rows_the_csv_module_reads(name: str, dataset: str) -> None:
    data = (REAL_BULK / name).read_bytes()
    expected = read_csv_rows(data)
    table = parse_csv(data, dataset, name)
    assert table.num_rows == len(expected)
    header = list(expected[0])
    # every text cell equals the csv module's reading, with empty cells as nulls
    for column_index, column in enumerate(table.column_names):
        if column in ("longitude", "latitude"):
            values = [None if v is None else round(v, 6) for v in table[column].to_pylist()]
            assert values == [float(r[header[column_index]]) if r[header[column_index]] else None
                              for r in expected]
        else:
            assert table[column].to_pylist() == [r[header[column_index]] or None for r in expected]


def test_asb_and_btp_rows_have_no_crime_id_in_the_real_files() -> None:
    col = parse_csv(COL_2023_01.read_bytes(), "street", "col")
    asb = [cid for cid, ct in zip(col["crime_id"].to_pylist(), col["crime_type"].to_pylist(), strict=True)
           if ct == "Anti-social behaviour"]
    assert asb and all(cid is None for cid in asb)
    btp = parse_csv((REAL_BULK / "2023-01-btp-street.head15.csv").read_bytes(), "street", "btp")
    assert btp["crime_id"].null_count == btp.num_rows


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().split(b"\r\n")


def test_a_row_with_a_missing_field_fails_naming_file_and_line() -> None:
    lines = _lines(COL_2023_01)
    fields = lines[41].split(b",")
    lines[41] = b",".join(fields[:5] + fields[6:])  # line 42 of the file loses its latitude
    with pytest.raises(MalformedFileError, match=r"^broken\.csv, line 42: expected 12 fields, found 11"):
        parse_csv(b"\r\n".join(lines), "street", "broken.csv")


def test_a_non_numeric_coordinate_fails_naming_the_line() -> None:
    lines = _lines(COL_2023_01)
    fields = lines[9].split(b",")
    fields[4] = b"west"
    lines[9] = b",".join(fields)
    with pytest.raises(MalformedFileError, match=r"broken\.csv, line 10: longitude 'west' is not a number"):
        parse_csv(b"\r\n".join(lines), "street", "broken.csv")


def test_invalid_utf8_fails_naming_the_line() -> None:
    lines = _lines(COL_2023_01)
    lines[99] += b"\xff"
    with pytest.raises(MalformedFileError, match=r"broken\.csv, line 100: not valid UTF-8"):
        parse_csv(b"\r\n".join(lines), "street", "broken.csv")


def test_the_2012_layout_is_rejected_at_line_1() -> None:
    old = b"Month,Reported by,Falls within,Easting,Northing,Location,Crime type,Context\r\n2012-01,a,a,1,2,x,Drugs,\r\n"
    with pytest.raises(MalformedFileError, match=r"old\.csv, line 1: unexpected header"):
        parse_csv(old, "street", "old.csv")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2023-01/2023-01-city-of-london-street.csv", ("street", "2023-01", "city-of-london")),
        ("2021-09-west-midlands-stop-and-search.csv", ("stop_and_search", "2021-09", "west-midlands")),
        ("2021-09/2021-09-north-yorkshire-outcomes.csv", ("outcomes", "2021-09", "north-yorkshire")),
        ("2021-09/2021-10-kent-street.csv", None),  # folder and file month disagree
        ("2021-13-kent-street.csv", None),
        ("notes.txt", None),
        ("../../etc/2021-09-kent-street.csv", None),
    ],
)
def test_file_names(name: str, expected: tuple[str, str, str] | None) -> None:
    assert parse_file_name(name) == expected


def test_a_csv_with_an_unrecognisable_name_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "crimes.csv"
    path.write_bytes(COL_2023_01.read_bytes())
    with pytest.raises(MalformedFileError, match="cannot tell dataset, month and force"):
        inventory(path)


def test_newest_release_wins_and_a_hand_loaded_csv_beats_archives() -> None:
    def file(release: str | None) -> PublishedFile:
        return PublishedFile("street", "2023-01", "kent", "e", Path("x.zip"), "x", release)

    assert latest_per_key([file("2025-11"), file("2025-12"), file("2025-10")])[0].release == "2025-12"
    assert latest_per_key([file("2025-12"), file(None)])[0].release is None
