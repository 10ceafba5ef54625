"""scoring/cities.py: one city list per process names a point (chips, saved-search summaries)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scoring import cities

ROWS = (  # (search key, name, country, lat, lng, population), most populous first
    ("chicago", "Chicago", "US", 41.85, -87.65, 2_700_000),
    ("cicero", "Cicero", "US", 41.85, -87.75, 85_000),
    ("reno", "Reno", "US", 39.53, -119.81, 260_000),
)


@pytest.fixture
def small_list(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(cities, "_city_index", lambda: ROWS)
    cities._grid.cache_clear()
    cities.nearest_city.cache_clear()
    yield
    cities._grid.cache_clear()  # the next test reads the shipped list again
    cities.nearest_city.cache_clear()


def test_a_point_is_named_after_the_biggest_city_close_to_it(small_list: None) -> None:
    # Cicero is nearer to this point, but within PREFER_BIGGER_KM of it Chicago names the point.
    assert cities.nearest_city(41.85, -87.74) == "Chicago, US"
    assert cities.nearest_city(39.53, -119.81) == "Reno, US"


def test_a_point_far_from_every_city_says_how_far(small_list: None) -> None:
    assert cities.nearest_city(39.53, -119.35) == "a point 39 km from Reno, US"
    assert cities.nearest_city(0.0, -30.0) is None  # open sea: the caller prints coordinates
