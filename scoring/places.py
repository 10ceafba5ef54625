"""The nearest city to a point, from the shipped city list (GeoNames cities15000, data/demo/).

Saved-search summaries say "within 50 km of Chicago, US" rather than "of 41.85, -87.65". The
list is indexed once per process in 1-degree cells (about 34,000 cities, ~0.2 s); a lookup
reads the 3x3 cells around the point, widening to 7x7 when they are empty (open sea).
"""

from __future__ import annotations

import functools
import logging
import math
from typing import NamedTuple

from scoring.hrflow.results import haversine_km

logger = logging.getLogger(__name__)
NEAR_KM = 25.0  # a point further than this from every city is described by its distance
PREFER_BIGGER_KM = 10.0  # within this much of the nearest, the most populous city names the point


class Place(NamedTuple):
    name: str
    country: str
    lat: float
    lng: float
    population: int


@functools.cache
def _grid() -> dict[tuple[int, int], tuple[Place, ...]]:
    from demodata.snapshot import load_cities

    try:
        cities = load_cities()
    except OSError:  # no snapshot on this machine: summaries fall back to coordinates
        logger.warning("nearest-city names disabled: the demo snapshot's cities file is missing")
        return {}
    cells: dict[tuple[int, int], list[Place]] = {}
    for c in cities:
        place = Place(c.name, c.country_code, c.lat, c.lng, c.population)
        cells.setdefault((math.floor(c.lat), math.floor(c.lng)), []).append(place)
    return {cell: tuple(places) for cell, places in cells.items()}


def nearest_city(lat: float, lng: float) -> tuple[Place, float] | None:
    """(city, distance in km) naming the point, or None without a city list or nearby city."""
    grid = _grid()
    if not grid:
        return None
    row, col = math.floor(lat), math.floor(lng)
    for reach in (1, 3):
        found = [
            (haversine_km(lat, lng, p.lat, p.lng), p)
            for dr in range(-reach, reach + 1)
            for dc in range(-reach, reach + 1)
            for p in grid.get((row + dr, (col + dc + 180) % 360 - 180), ())
        ]
        if found:
            nearest = min(d for d, _ in found)
            close = [(d, p) for d, p in found if d <= nearest + PREFER_BIGGER_KM]
            distance, place = max(close, key=lambda dp: dp[1].population)
            return place, distance
    return None


def describe_point(lat: float, lng: float) -> str:
    """ "Chicago, US", "a point 40 km from Reno, US", or the coordinates when no city is near."""
    hit = nearest_city(lat, lng)
    if hit is None:
        return f"{lat:.2f}, {lng:.2f}"
    place, distance = hit
    name = f"{place.name}, {place.country}" if place.country else place.name
    return name if distance <= NEAR_KM else f"a point {distance:.0f} km from {name}"
