"""The sandbox's filters (sandbox/engine/filters.py, docs/sandbox.md) over a small hand-made corpus.

Each case keeps a job that should pass and one that should not, so a filter that lets
everything through or drops everything fails. In process, so `make mutation` reaches it.
"""

from typing import Any

import numpy as np
import pytest

from sandbox.engine.filters import build_mask, haversine_km
from sandbox.engine.index import IndexedJob, build_index
from sandbox.params import BadParameter, RawParams, parse_scoring

BOARD = "a" * 40
OTHER_BOARD = "e" * 40
ALGORITHM = "c" * 40
PARIS = {"lat": 48.8566, "lng": 2.3522}
LONDON = {"lat": 51.5074, "lng": -0.1278}


def job(number: int, name: str, **fields: Any) -> IndexedJob:
    payload = {
        "key": f"{number:040x}",
        "board_key": fields.pop("board", BOARD),
        "name": name,
        "summary": fields.pop("summary", ""),
        "skills": [{"name": s, "type": "hard", "value": None} for s in fields.pop("skills", [])],
        "languages": [{"name": s, "value": None} for s in fields.pop("languages", [])],
        "tags": fields.pop("tags", []),
        "location": fields.pop("location", {"lat": None, "lng": None}),
        "created_at": fields.pop("created_at", f"2026-01-{number:02d}T00:00:00+0000"),
        **fields,
    }
    return IndexedJob(number, payload["key"], payload["board_key"], payload)


JOBS = [
    job(1, "Data  Scientist", summary="Models in python", skills=["python", "sql"], languages=["French"]),
    job(2, "Data Engineer", summary="Pipelines", skills=["python"], languages=["English", "French"]),
    job(3, "Accountant", summary="Ledgers and python scripts", tags=[{"name": "remote", "value": True}]),
    job(4, "Sales", tags=[{"name": "remote", "value": "false"}, {"name": "team", "value": "EMEA"}]),
    job(5, "Paris office", location=PARIS, tags=[{"name": "team", "value": "emea"}]),
    job(6, "London office", location=LONDON, tags=[{"name": "level", "value": 2}]),
    job(
        7,
        "Paid well",
        ranges_float=[{"name": "salary", "value_min": 50000, "value_max": 70000, "unit": "EUR"}],
        ranges_date=[{"name": "start", "value_min": "2026-03-01", "value_max": "2026-03-31"}],
    ),
    job(
        8,
        "Open ended",
        ranges_float=[{"name": "salary", "value_min": 90000, "value_max": None, "unit": "usd"}],
    ),
    job(9, "Elsewhere", board=OTHER_BOARD, skills=["python"]),
]


@pytest.fixture(scope="module")
def index() -> Any:
    return build_index(JOBS, version=1)


def kept(index: Any, **params: Any) -> set[int]:
    request = parse_scoring(
        RawParams(
            {"board_keys": [BOARD], "algorithm_key": ALGORITHM, "use_agent": 0, **params}, from_query=False
        ),
        max_limit=100,
    )
    return set(index.ids[np.flatnonzero(build_mask(index, request))].tolist())


def test_boards(index: Any) -> None:
    assert kept(index) == set(range(1, 9))
    assert kept(index, board_keys=[OTHER_BOARD]) == {9}
    assert kept(index, board_keys=[BOARD, OTHER_BOARD]) == set(range(1, 10))
    assert kept(index, board_keys=["f" * 40]) == set()


def test_date_bounds_are_inclusive(index: Any) -> None:
    assert kept(index, date_range_min="2026-01-07T00:00:00+0000") == {7, 8}
    assert kept(index, date_range_max="2026-01-02T00:00:00+0000") == {1, 2}
    assert kept(index, date_range_min="2026-01-03", date_range_max="2026-01-03") == {3}


def test_the_great_circle_distance() -> None:
    # Paris - London is about 344 km along the great circle (R = 6371.0088 km).
    (km,) = haversine_km(np.array([PARIS["lat"]]), np.array([PARIS["lng"]]), LONDON["lat"], LONDON["lng"])
    assert km == pytest.approx(343.6, abs=0.5)
    (back,) = haversine_km(np.array([LONDON["lat"]]), np.array([LONDON["lng"]]), PARIS["lat"], PARIS["lng"])
    assert back == pytest.approx(km)
    (north_south,) = haversine_km(np.array([0.0]), np.array([10.0]), 1.0, 10.0)
    assert north_south == pytest.approx(111.19, abs=0.01)  # one degree of latitude
    (east_west,) = haversine_km(np.array([0.0]), np.array([10.0]), 0.0, 11.0)
    assert east_west == pytest.approx(111.19, abs=0.01)  # one degree of longitude on the equator
    (antipode,) = haversine_km(np.array([0.0]), np.array([0.0]), 0.0, 180.0)
    assert antipode == pytest.approx(np.pi * 6371.0088)


def test_near_a_point_keeps_jobs_within_the_distance_and_drops_those_without_coordinates(index: Any) -> None:
    assert kept(index, location_geopoint=PARIS, location_distance=10) == {5}
    assert kept(index, location_geopoint=PARIS, location_distance=400) == {5, 6}
    assert kept(index, location_geopoint={"lat": 0, "lng": 0}, location_distance=100) == set()
    # On the boundary: exactly the distance to London is still in.
    (km,) = haversine_km(np.array([LONDON["lat"]]), np.array([LONDON["lng"]]), PARIS["lat"], PARIS["lng"])
    assert kept(index, location_geopoint=PARIS, location_distance=float(km)) == {5, 6}
    assert kept(index, location_geopoint=PARIS, location_distance=float(km) - 1e-6) == {5}
    # The geo filter narrows what the other filters kept, it does not add to it.
    assert kept(index, location_geopoint=PARIS, location_distance=400, name="london") == {6}


def test_keywords_need_every_word_of_every_keyword(index: Any) -> None:
    assert kept(index, text_keywords=["python"]) == {1, 2, 3}
    assert kept(index, text_keywords=["python", "ledgers"]) == {3}
    assert kept(index, text_keywords=["data pipelines"]) == {2}
    assert kept(index, text_keywords=["DATA"]) == {1, 2}
    with pytest.raises(BadParameter) as caught:
        kept(index, text_keywords=["python", "--"])
    assert caught.value.message == "text_keywords[1]: has no word characters to match"


def test_summary_keywords_look_at_the_summary_only(index: Any) -> None:
    assert kept(index, summary_keywords=["python"]) == {1, 3}
    assert kept(index, summary_keywords=["scientist"]) == set()  # in the name, not the summary
    assert kept(index, summary_keywords=["models", "python"]) == {1}
    with pytest.raises(BadParameter) as caught:
        kept(index, summary_keywords=["!"])
    assert caught.value.param == "summary_keywords[0]"


def test_skills_and_languages_are_all_required(index: Any) -> None:
    assert kept(index, skills=["Python"]) == {1, 2}
    assert kept(index, skills=["python", "sql"]) == {1}
    assert kept(index, skills=["sql", "python"]) == {1}
    assert kept(index, skills=["cobol"]) == set()
    assert kept(index, languages=["french"]) == {1, 2}
    assert kept(index, languages=["French", "english"]) == {2}
    assert kept(index, languages=["english", "french"]) == {2}
    assert kept(index, languages=["german"]) == set()


def test_tags_included_and_of_or_groups(index: Any) -> None:
    remote = {"name": "remote", "value": True}
    emea = {"name": "team", "value": "EMEA"}
    assert kept(index, tags_included=[[remote]]) == {3}
    assert kept(index, tags_included=[[remote, emea]]) == {3, 4, 5}
    assert kept(index, tags_included=[[emea], [{"name": "remote"}]]) == {4}
    assert kept(index, tags_included=[[{"name": "level", "value": "2.0"}]]) == {6}
    assert kept(index, tags_included=[[{"name": "level", "value": True}]]) == set()
    assert kept(index, tags_included=[[], []]) == set(range(1, 9))


def test_tags_excluded_drops_any_listed_tag(index: Any) -> None:
    assert kept(index, tags_excluded=[{"name": "remote", "value": "TRUE"}]) == set(range(1, 9)) - {3}
    assert kept(index, tags_excluded=[[{"name": "remote"}], [{"name": "level", "value": 2}]]) == {
        1,
        2,
        5,
        7,
        8,
    }
    assert kept(index, tags_excluded=[{"name": "nothing"}]) == set(range(1, 9))


def test_float_ranges_overlap_and_match_the_unit(index: Any) -> None:
    def salary(**item: Any) -> set[int]:
        return kept(index, ranges_float=[{"name": "salary", **item}])

    assert salary(value_min=60000) == {7, 8}
    assert salary(value_min=70000, value_max=80000) == {7}  # touching at 70000 overlaps
    assert salary(value_max=50000) == {7}
    assert salary(value_max=49999) == set()
    assert salary(value_min=70001, value_max=89999) == set()
    assert salary(value_min=1, unit="eur") == {7}
    assert salary(value_min=1, unit="USD") == {8}
    assert salary(value_min=1_000_000) == {8}  # open upper end
    assert kept(index, ranges_float=[{"name": "bonus", "value_min": 1}]) == set()
    both = [{"name": "salary", "value_min": 1}, {"name": "salary", "value_max": 60000}]
    assert kept(index, ranges_float=both) == {7}
    assert kept(index, ranges_float=both[::-1]) == {7}
    assert salary(value_min=95000, unit="eur") == set()  # the right unit, but no overlap


def test_date_ranges_overlap(index: Any) -> None:
    def start(**item: Any) -> set[int]:
        return kept(index, ranges_date=[{"name": "start", **item}])

    assert start(value_min="2026-03-31") == {7}
    assert start(value_min="2026-04-01") == set()
    assert start(value_max="2026-03-01") == {7}
    assert start(value_max="2026-02-28") == set()
    assert start(value_min="2026-03-10", value_max="2026-03-12") == {7}
    assert kept(index, ranges_date=[{"name": "end", "value_min": "2026-01-01"}]) == set()
    both = [{"name": "start", "value_max": "2026-02-01"}, {"name": "start", "value_min": "2026-03-10"}]
    assert kept(index, ranges_date=both) == set()  # every item must hold
    assert kept(index, ranges_date=both[::-1]) == set()


def test_name_is_a_case_insensitive_substring(index: Any) -> None:
    assert kept(index, name="data") == {1, 2}
    assert kept(index, name="DATA SCIENTIST") == {1}  # the job's double space counts as one
    assert kept(index, name="office") == {5, 6}
    assert kept(index, name="nobody") == set()
    assert kept(index, name="data", skills=["sql"]) == {1}


def test_filters_add_up(index: Any) -> None:
    # Each filter narrows what the ones before it kept.
    assert kept(index, text_keywords=["data"], summary_keywords=["python"]) == {1}
    assert kept(index, skills=["sql"], languages=["french"]) == {1}
    assert kept(index, date_range_min="2026-01-05", tags_included=[[{"name": "team"}]]) == {5}
    assert kept(index, date_range_max="2026-01-07", ranges_float=[{"name": "salary", "value_min": 1}]) == {7}
    assert kept(index, skills=["python"], ranges_date=[{"name": "start", "value_min": "2026-03-01"}]) == set()
    assert kept(index, text_keywords=["python"], skills=["python"], languages=["english"]) == {2}
    assert kept(index, date_range_min="2026-01-04", tags_included=[[{"name": "team"}]]) == {4, 5}
