"""A deterministic fixture mirror of the data.police.uk API (the shapes of ../shared/data/real/police_uk_api).

Layout: <root>/data.police.uk/api/{forces, crime-last-updated, crimes-street-dates, <force>/neighbourhoods,
<force>/<nbhd>/people, <force>/<nbhd>/priorities, <force>/<nbhd>/boundary} — files without extension holding
JSON. Greater Manchester's neighbourhoods file is absent (404): a force with no neighbourhood data.

The API is three months ahead of the sample archive (2025-12): crime-last-updated is 2026-04-01 and the
newest month 2026-03. For each of ASB_MONTHS the answer to `crimes-street/anti-social-behaviour` over each
neighbourhood's boundary is recorded as crimes-street/anti-social-behaviour@<query digest> (see
`extract.police_uk.api.mirror_file`). Each force is a box on a grid, each neighbourhood a strip of it, and the
incidents lie strictly inside their strip, so any part of a boundary holds exactly the incidents in it (the
test server recomputes answers for split areas from the recorded ones). A few incidents are located by British
Transport Police ("location_type": "BTP"): the API returns them for an area, but they are not the force's.

Priority dates are relative to the day the mirror is generated, so "updated in the last 3 months" has both
answers whenever the sample is built.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from extract.config import PROJECT_ROOT
from extract.police_uk.api import mirror_file, poly_param

LAST_UPDATED = date(2026, 4, 1)
ASB_MONTHS = ("2026-01", "2026-02", "2026-03")  # beyond the sample archive (2025-12)
BTP_SHARE = 0.03
NO_NEIGHBOURHOODS = "greater-manchester"
_PLACES = ["City Centre", "Riverside", "Castle", "Abbey", "Westgate", "Northfield", "Hillside", "Market Town",
           "Eastbrook", "Oakwood", "Harbour", "Old Town", "Parkside", "Southmead", "Moorland", "Valley"]
_RANKS = ["Police Constable", "PCSO", "Sergeant", "Inspector", "Special Constable"]
_FIRST = ["Alex", "Sam", "Jo", "Priya", "Tom", "Aisha", "Gareth", "Megan", "Chris", "Fatima", "Owen", "Lucy"]
_LAST = ["Smith", "Jones", "Patel", "Evans", "Khan", "Williams", "Brown", "Taylor", "Davies", "Hughes"]
_ISSUES = ["Anti-social behaviour in and around {p} park", "Speeding vehicles on {p} Road",
           "Shoplifting in {p} shopping area", "Drug dealing near {p} flats", "Burglary of sheds in {p}"]
_ACTIONS = ["Increased patrols and engagement with residents.", "Speed checks carried out with partners.",
            "Closure order obtained; priority closed.", None]


def force_list() -> list[tuple[str, str]]:
    with open(PROJECT_ROOT / "seeds" / "police_force_areas.csv", newline="", encoding="utf-8") as fh:
        return [(row["police_uk_slug"], row["police_uk_force_name"]) for row in csv.DictReader(fh)]


def _write(path: Path, document: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")


def _months_back(first: date, count: int) -> list[str]:
    months, year, month = [], first.year, first.month
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def generate_api_mirror(root: Path, forces: int | None = None) -> dict[str, Any]:
    """Write the mirror; `forces` keeps a subset (Greater Manchester always included). Returns what was
    written: forces, neighbourhoods (per force), people, priorities, with_contact (neighbourhoods), asb (the
    force's own incidents per (force, month), BTP-located ones left out)."""
    rng = random.Random(20251101)
    api = Path(root) / "data.police.uk" / "api"
    chosen = force_list()
    if forces is not None:
        gmp = [f for f in chosen if f[0] == NO_NEIGHBOURHOODS]
        chosen = (gmp + [f for f in chosen if f[0] != NO_NEIGHBOURHOODS][: max(forces - len(gmp), 0)])[:forces]
        chosen.sort()
    _write(api / "forces", [{"id": slug, "name": name} for slug, name in chosen])
    _write(api / "crime-last-updated", {"date": LAST_UPDATED.isoformat()})
    slugs = [slug for slug, _ in chosen]
    _write(api / "crimes-street-dates", [
        {"date": month, "stop-and-search": [*sorted(rng.sample(slugs, k=max(1, len(slugs) * 3 // 4))), "btp"]}
        for month in _months_back(date(2026, 3, 1), 36)
    ])
    summary: dict[str, Any] = {"forces": len(chosen), "neighbourhoods": {}, "people": 0, "priorities": 0,
                               "with_contact": 0, "asb": {}}
    today = datetime.combine(date.today(), datetime.min.time())
    crime_ids = iter(range(120_000_000, 130_000_000))
    for position, (slug, _) in enumerate(chosen):
        count = rng.randint(3, 8)
        prefix = "".join(w[0] for w in slug.split("-")).upper()[:2].ljust(2, "X")
        listed = [{"id": f"{prefix}{i + 1:02d}", "name": f"{rng.choice(_PLACES)} {i + 1}"} for i in range(count)]
        summary["neighbourhoods"][slug] = 0 if slug == NO_NEIGHBOURHOODS else count
        if slug == NO_NEIGHBOURHOODS:
            continue  # no neighbourhoods endpoint: the API answers 404
        _write(api / slug / "neighbourhoods", listed)
        for nbhd in listed:
            with_contact = rng.random() < 0.8
            people = []
            for _ in range(rng.randint(1 if with_contact else 0, 3)):
                people.append({
                    "bio": None, "name": f"{rng.choice(_FIRST)} {rng.choice(_LAST)}", "rank": rng.choice(_RANKS),
                    "contact_details": {},
                })
            if with_contact:
                people[0]["contact_details"] = {"email": f"{nbhd['id'].lower()}@{slug}.police.uk",
                                                "telephone": "101"}
            elif people:
                people[0]["contact_details"] = {"twitter": ""}  # present but empty: no contact details
            summary["with_contact"] += with_contact
            priorities = []
            for _ in range(rng.randint(0, 3)):
                issued = today - timedelta(days=rng.randint(1, 300))
                action = rng.choice(_ACTIONS)
                acted = issued + timedelta(days=rng.randint(7, 60)) if action else None
                priorities.append({
                    "action": action, "issue-date": issued.isoformat(),
                    "action-date": acted.isoformat() if acted else None,
                    "issue": rng.choice(_ISSUES).format(p=nbhd["name"]),
                })
            _write_asb(api, rng, slug, nbhd["id"], _strip(position, listed.index(nbhd), count), crime_ids,
                       summary["asb"])
            _write(api / slug / nbhd["id"] / "people", people)
            _write(api / slug / nbhd["id"] / "priorities", priorities)
            summary["people"] += len(people)
            summary["priorities"] += len(priorities)
    return summary


def _strip(force_position: int, index: int, count: int) -> tuple[float, float, float, float]:
    """The (south, west, north, east) box of neighbourhood `index` of `count`: strips of its force's box."""
    south, west = 50.0 + (force_position // 8) * 0.5, -5.0 + (force_position % 8) * 0.75
    width = 0.7 / count
    return south, west + index * width, south + 0.45, west + (index + 1) * width


def _boundary(box: tuple[float, float, float, float]) -> list[dict[str, str]]:
    """The box's outline with extra points along each side (real boundaries have many points), as strings."""
    south, west, north, east = box
    corners = [(south, west), (north, west), (north, east), (south, east)]
    points = []
    for (a_lat, a_lng), (b_lat, b_lng) in zip(corners, corners[1:] + corners[:1], strict=True):
        points += [(a_lat + (b_lat - a_lat) * k / 3, a_lng + (b_lng - a_lng) * k / 3) for k in range(3)]
    return [{"latitude": f"{lat:.6f}", "longitude": f"{lng:.6f}"} for lat, lng in points]


def _write_asb(api: Path, rng: random.Random, force: str, nbhd: str, box: tuple[float, float, float, float],
               crime_ids: Iterator[int], counts: dict[tuple[str, str], int]) -> None:
    """The neighbourhood's boundary, and the recorded crimes-street answer over it for each ASB month."""
    boundary = _boundary(box)
    _write(api / force / nbhd / "boundary", boundary)
    points = [(float(p["latitude"]), float(p["longitude"])) for p in boundary]
    south, west, north, east = box
    margin_lat, margin_lng = (north - south) * 0.02, (east - west) * 0.02
    for month in ASB_MONTHS:
        crimes = []
        for _ in range(rng.choice([0, rng.randint(2, 10), rng.randint(8, 30)])):
            by_btp = rng.random() < BTP_SHARE
            lat = rng.uniform(south + margin_lat, north - margin_lat)
            lng = rng.uniform(west + margin_lng, east - margin_lng)
            crimes.append({
                "category": "anti-social-behaviour", "location_type": "BTP" if by_btp else "Force",
                "location": {"latitude": f"{lat:.6f}", "street": {"id": rng.randint(1_000_000, 2_000_000),
                                                                  "name": "On or near Station Road"},
                             "longitude": f"{lng:.6f}"},
                "context": "", "outcome_status": None, "persistent_id": "", "id": next(crime_ids),
                "location_subtype": "STATION" if by_btp else "", "month": month,
            })
            if not by_btp:
                counts[(force, month)] = counts.get((force, month), 0) + 1
        counts.setdefault((force, month), 0)
        params = {"poly": poly_param(points), "date": month}
        _write(mirror_file(api / "crimes-street" / "anti-social-behaviour", params), crimes)


__all__ = ["ASB_MONTHS", "LAST_UPDATED", "NO_NEIGHBOURHOODS", "force_list", "generate_api_mirror"]
