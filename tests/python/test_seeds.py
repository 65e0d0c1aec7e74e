"""Reference seeds against the real ONS PFA data tables (pfatablesdec19.xlsx, Table P3)."""

from __future__ import annotations

import csv
import re

import pytest
from conftest import REAL
from python_calamine import CalamineWorkbook

from extract.config import PROJECT_ROOT

SEEDS = PROJECT_ROOT / "seeds"


def _seed(name: str) -> list[dict[str, str]]:
    with open(SEEDS / f"{name}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def table_p3() -> list[list[object]]:
    workbook = CalamineWorkbook.from_path(str(REAL / "ons_pfa_tables" / "pfatablesdec19.xlsx"))
    return workbook.get_sheet_by_name("Table P3").to_python()


def _clean(name: object) -> str:
    """ONS glues footnote digits to names ('Essex12', 'North West10') and pads with spaces."""
    return re.sub(r"[\d,]+$", "", str(name)).strip()


def test_force_codes_names_and_regions_match_the_ons_table(table_p3: list[list[object]]) -> None:
    published: dict[str, tuple[str, str]] = {}
    region = None
    for row in table_p3:
        code = str(row[0]).strip()
        if code.startswith(("E12", "W92")):
            region = code
        elif code.startswith(("E23", "W15")):
            published[code] = (_clean(row[1]), region)
    forces = _seed("police_force_areas")
    assert len(forces) == 43 == len(published)
    for force in forces:
        name, region_code = published[force["force_id"]]
        variants = {v["name_variant"].lower() for v in _seed("force_name_variants")
                    if v["force_id"] == force["force_id"]}
        assert name.lower() in variants, f"ONS name {name!r} is not a known variant of {force['force_name']}"
        assert force["region_code"] == region_code


def test_population_seed_is_the_published_mid_2018_column(table_p3: list[list[object]]) -> None:
    published = {str(r[0]).strip(): r[2] for r in table_p3 if str(r[0]).startswith(("E23", "W15"))}
    for row in _seed("force_population"):
        value = published[row["force_id"]]
        if value == "..":
            assert row["population"] == "" and row["status"] == "not_available"
        else:
            assert int(row["population"]) == int(value) and row["status"] == "ok"


def test_every_force_slug_and_police_uk_name_is_unique() -> None:
    forces = _seed("police_force_areas")
    assert len({f["police_uk_slug"] for f in forces}) == 43
    assert len({f["police_uk_force_name"] for f in forces}) == 43
    variants = [v["name_variant"].strip().lower() for v in _seed("force_name_variants")]
    assert len(variants) == len(set(variants))
