"""The shipped city list (GeoNames cities15000 in the demo snapshot): the city typeahead, and
the place name of a point for the active-filter chips and saved-search summaries."""

from __future__ import annotations

import functools
import logging
import math
from typing import Any

logger = logging.getLogger(__name__)
NEAR_KM = 25.0  # a point further than this from every city is described by its distance
PREFER_BIGGER_KM = 10.0  # within this much of the nearest, the most populous city names the point


def _attr(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


@functools.cache
def _city_index() -> tuple[tuple[str, str, str, float, float, int], ...]:
    """(search key, display name, country, lat, lng, population), most populous first; once per process."""
    from demodata.snapshot import load_cities

    rows = []
    try:
        cities = load_cities()
    except OSError:  # no snapshot on this machine: the lat/lng inputs and the map still work
        logger.warning("city search disabled: the demo snapshot's cities file is missing")
        cities = []
    for city in cities:
        get = functools.partial(_attr, city)
        name = str(get("name"))
        rows.append(
            (
                str(get("asciiname") or name).casefold(),
                name,
                str(get("country_code")),
                float(get("lat")),
                float(get("lng")),
                int(get("population") or 0),
            )
        )
    rows.sort(key=lambda row: -row[5])
    return tuple(rows)


def city_matches(q: str, limit: int = 8) -> list[dict[str, Any]]:
    q = q.strip().casefold()
    if not q:
        return []
    out = []
    for key, name, country, lat, lng, population in _city_index():
        if key.startswith(q) or name.casefold().startswith(q):
            out.append({"name": name, "country": country, "lat": lat, "lng": lng, "population": population})
            if len(out) >= limit:
                break
    return out


@functools.cache
def _grid() -> dict[tuple[int, int], tuple[tuple[str, str, float, float, int], ...]]:
    """(name, country, lat, lng, population) by whole-degree cell, for `nearest_city`: one pass
    over the same once-per-process list as the typeahead (about 34,000 cities)."""
    grid: dict[tuple[int, int], list[tuple[str, str, float, float, int]]] = {}
    for _key, name, country, lat, lng, population in _city_index():
        grid.setdefault((math.floor(lat), math.floor(lng)), []).append((name, country, lat, lng, population))
    return {cell: tuple(cities) for cell, cities in grid.items()}


def _km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def _cell(row: int, col: int) -> tuple[int, int]:
    return row, (col + 180) % 360 - 180  # longitude wraps at the antimeridian


@functools.lru_cache(maxsize=1024)
def nearest_city(lat: float, lng: float) -> str | None:
    """The place name of a point: "Chicago, US" (within NEAR_KM), "a point 40 km from Reno, US"
    (further), None when no city lies in the 3x3 cells around it, nor in the 7x7 (open sea).
    Within PREFER_BIGGER_KM of the nearest city, the most populous one names the point (a
    suburb's point reads "Chicago", not the suburb)."""
    grid = _grid()
    row, col = math.floor(lat), math.floor(lng)
    for reach in (1, 3):
        found = [
            (_km(lat, lng, c_lat, c_lng), (name, country, population))
            for dr in range(-reach, reach + 1)
            for dc in range(-reach, reach + 1)
            for name, country, c_lat, c_lng, population in grid.get(
                (row + dr, (col + dc + 180) % 360 - 180), ()
            )
        ]
        if found:
            nearest = min(d for d, _ in found)
            close = [(d, c) for d, c in found if d <= nearest + PREFER_BIGGER_KM]
            distance, (name, country, _pop) = max(close, key=lambda dc: dc[1][2])
            label = f"{name}, {country}" if country else name
            return label if distance <= NEAR_KM else f"a point {distance:.0f} km from {label}"
    return None
