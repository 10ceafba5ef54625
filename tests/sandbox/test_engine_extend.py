"""`extend_index` (job indexing, issue 4): appending jobs gives the filters exactly what a full
rebuild gives, and the new jobs are scored, without refitting anything."""

from typing import Any

import numpy as np
import pytest

from sandbox.engine import scoring
from sandbox.engine.index import build_index, extend_index
from sandbox.engine.search import search
from tests.sandbox.test_engine import BOARD, JOBS, PROFILE, job, request

NEW = [
    job(7, "Data Engineer", ["python", "spark", "airflow"], summary="Senior pipelines zebra"),
    job(
        8,
        "Remote Accountant",
        ["excel", "quickbooks"],
        tags=[{"name": "remote", "value": True}, {"name": "company", "value": "Newco"}],
        location={"lat": 48.86, "lng": 2.34},
        languages=[{"name": "French", "value": None}],
        ranges_float=[{"name": "salary", "value_min": 40000, "value_max": 45000, "unit": "EUR"}],
        ranges_date=[{"name": "interview", "value_min": "2026-02-01", "value_max": "2026-02-10"}],
    ),
]
FILTERS: list[dict[str, Any]] = [
    {},
    {"tags_included": [[{"name": "remote", "value": "true"}]]},
    {"tags_included": [[{"name": "company", "value": "newco"}]]},
    {"tags_excluded": [[{"name": "remote", "value": True}]]},
    {"text_keywords": ["zebra"]},
    {"text_keywords": ["data"]},
    {"summary_keywords": ["senior"]},
    {"skills": [{"name": "quickbooks", "value": None}]},
    {"skills": [{"name": "python", "value": None}]},
    {"languages": [{"name": "french"}]},
    {"location_geopoint": {"lat": 48.85, "lng": 2.35}, "location_distance": 10},
    {"ranges_float": [{"name": "salary", "value_min": 41000, "value_max": 60000, "unit": "EUR"}]},
    {"ranges_date": [{"name": "interview", "value_min": "2026-02-05", "value_max": "2026-03-01"}]},
    {"ranges_date": [{"name": "start", "value_min": "2026-02-05", "value_max": "2026-04-01"}]},
    {"date_range_min": "2026-01-05", "date_range_max": "2026-01-08"},
    {"sort_by": "created_at", "order_by": "desc"},
]


@pytest.fixture(scope="module")
def pair() -> tuple[Any, Any]:
    base = build_index(JOBS, version=1)
    extended = extend_index(base, NEW, version=2)
    assert extended is not None
    return build_index([*JOBS, *NEW], version=2), extended


@pytest.mark.parametrize("params", FILTERS)
def test_filters_see_appended_jobs_like_a_rebuild(pair: tuple[Any, Any], params: dict[str, Any]) -> None:
    full, extended = pair
    want = [int(i) for i in full.ids[search(full, request(limit=100, **params), None).rows]]
    got = [int(i) for i in extended.ids[search(extended, request(limit=100, **params), None).rows]]
    assert got == want


def test_shape_and_lookups(pair: tuple[Any, Any]) -> None:
    full, extended = pair
    assert extended.n == full.n == len(JOBS) + len(NEW)
    assert extended.version == 2
    assert extended.keys == full.keys
    assert extended.row_of_key == full.row_of_key
    np.testing.assert_array_equal(extended.ids, full.ids)
    np.testing.assert_array_equal(extended.created, full.created)
    np.testing.assert_array_equal(extended.skill_count, full.skill_count)
    assert extended.text_terms.shape[1] == extended.title_terms.shape[1] == extended.n


def test_appended_jobs_are_scored(pair: tuple[Any, Any]) -> None:
    _full, extended = pair
    values = scoring.combine(
        scoring.features(extended, scoring.profile_vector(extended, PROFILE)),
        scoring.ALGORITHM_WEIGHTS["balanced"],
    )
    assert values.shape == (extended.n,)
    assert np.all((values >= 0) & (values <= 1))
    data_engineer, accountant = (
        values[extended.row_of_key[NEW[0].key]],
        values[extended.row_of_key[NEW[1].key]],
    )
    assert data_engineer > accountant  # the python/data profile prefers the data job


def test_base_index_is_not_modified() -> None:
    base = build_index(JOBS, version=1)
    before = (base.n, dict(base.skill_vocabulary), base.text_tokens.indptr.copy(), dict(base.tags))
    extend_index(base, NEW, version=2)
    assert (base.n, base.skill_vocabulary) == before[:2]
    np.testing.assert_array_equal(base.text_tokens.indptr, before[2])
    assert base.tags.keys() == before[3].keys()


def test_a_new_board_is_appended_and_filterable() -> None:
    """A test's own board (create_board) reaches the index by extension, not by a full rebuild."""
    other = job(9, "Welder", ["welding"])
    moved = type(other)(other.id, other.key, "b" * 40, dict(other.payload, board_key="b" * 40))
    base = build_index(JOBS, version=1)
    extended = extend_index(base, [moved], version=2)
    assert extended.board_keys == [*base.board_keys, "b" * 40]
    own = search(extended, request(limit=100, board_keys=["b" * 40]), None)
    assert [int(i) for i in extended.ids[own.rows]] == [9]
    demo = search(extended, request(limit=100), None)
    assert 9 not in {int(i) for i in extended.ids[demo.rows]}
    assert BOARD != "b" * 40


def test_nothing_new_keeps_the_index_under_the_new_version() -> None:
    base = build_index(JOBS, version=1)
    same = extend_index(base, [], version=5)
    assert same is not None
    assert same.version == 5
    assert same.n == base.n
