"""A deterministic fixture mirror of the data.police.uk API (the shapes of ../shared/data/real/police_uk_api).

Layout: <root>/data.police.uk/api/{forces, crime-last-updated, crimes-street-dates, <force>/neighbourhoods,
<force>/<nbhd>/people, <force>/<nbhd>/priorities} — files without extension holding JSON. Greater Manchester's
neighbourhoods file is absent (404): a force with no neighbourhood data.
"""

from __future__ import annotations

import csv
import json
import random
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from extract.config import PROJECT_ROOT

LAST_UPDATED = date(2025, 11, 1)
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
    written: forces, neighbourhoods (per force), people, priorities."""
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
        for month in _months_back(date(2025, 9, 1), 36)
    ])
    summary: dict[str, Any] = {"forces": len(chosen), "neighbourhoods": {}, "people": 0, "priorities": 0,
                               "with_contact": 0}
    for slug, _ in chosen:
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
                issued = datetime(2025, 11, 1) - timedelta(days=rng.randint(1, 365))
                action = rng.choice(_ACTIONS)
                acted = issued + timedelta(days=rng.randint(7, 60)) if action else None
                priorities.append({
                    "action": action, "issue-date": issued.isoformat(),
                    "action-date": acted.isoformat() if acted else None,
                    "issue": rng.choice(_ISSUES).format(p=nbhd["name"]),
                })
            _write(api / slug / nbhd["id"] / "people", people)
            _write(api / slug / nbhd["id"] / "priorities", priorities)
            summary["people"] += len(people)
            summary["priorities"] += len(priorities)
    return summary


__all__ = ["LAST_UPDATED", "NO_NEIGHBOURHOODS", "force_list", "generate_api_mirror"]
