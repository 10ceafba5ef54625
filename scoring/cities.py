"""The shipped city list (GeoNames cities15000 in the demo snapshot): the city typeahead, and
the place name of a point for the active-filter chips and saved-search summaries."""

from __future__ import annotations

import functools
import logging
import math
from typing import Any

logger = logging.getLogger(__name__)
NEAREST_MAX_KM = 30.0


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
def _grid() -> dict[tuple[int, int], list[tuple[str, float, float, int]]]:
    """Cities by whole-degree cell, for `nearest_city` (one pass, once per process)."""
    grid: dict[tuple[int, int], list[tuple[str, float, float, int]]] = {}
    for _key, name, _country, lat, lng, population in _city_index():
        grid.setdefault((math.floor(lat), math.floor(lng)), []).append((name, lat, lng, population))
    return grid


def _km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


@functools.lru_cache(maxsize=1024)
def nearest_city(lat: float, lng: float) -> str | None:
    """The name of the city nearest to the point, within NEAREST_MAX_KM; None when none is."""
    grid = _grid()
    best: tuple[float, str] | None = None
    cell_lat, cell_lng = math.floor(lat), math.floor(lng)
    for d_lat in (-1, 0, 1):
        for d_lng in (-1, 0, 1):
            lng_cell = (cell_lng + d_lng + 180) % 360 - 180
            for name, c_lat, c_lng, _pop in grid.get((cell_lat + d_lat, lng_cell), ()):
                km = _km(lat, lng, c_lat, c_lng)
                if km <= NEAREST_MAX_KM and (best is None or km < best[0]):
                    best = (km, name)
    return best[1] if best else None
