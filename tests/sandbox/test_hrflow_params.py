"""Parameters HrFlow accepts that the sandbox used to refuse (issue 7): `name`, `use_algorithm`,
`sort_by=searching|location`; `algorithm_key` required with HrFlow's 400 shape; salary ranges
matched by name and unit whatever their case. Over HTTP on a board of this module's own."""

from typing import Any

import pytest

from hrflow_dash import demo
from tests.sandbox.conftest import Api, board_jobs, encode, index_into
from tests.sandbox.recorded_shapes import json_type, recorded

PARIS = {"lat": 48.8566, "lng": 2.3522}
# Words of the demo vocabulary (the TF-IDF of a job indexed later uses the last full build's).
FEW = "software budget"
MANY = "software budget forecast database python ledger"
JOBS = [
    {"reference": "p-paris", "name": "Senior  DATA Engineer", "summary": "Data. Data work on data.",
     "location": {"text": "Paris", "lat": 48.86, "lng": 2.35}, "created_at": "2026-01-01T00:00:00+0000",
     "ranges_float": [{"name": "Salary", "value_min": 40000, "value_max": 50000, "unit": "EUR"}]},
    {"reference": "p-lyon", "name": "Data engineering lead", "summary": f"Some data. {FEW}",
     "location": {"text": "Lyon", "lat": 45.76, "lng": 4.84}, "created_at": "2026-01-03T00:00:00+0000",
     "ranges_float": [{"name": "salary", "value_min": 60000, "value_max": 70000, "unit": "eur"}]},
    {"reference": "p-nyc", "name": "Accountant", "summary": f"Ledgers and data entry, {MANY}",
     "location": {"text": "New York", "lat": 40.71, "lng": -74.01}, "created_at": "2026-01-02T00:00:00+0000",
     "ranges_float": [{"name": "salary", "value_min": 90000, "value_max": 100000, "unit": "USD/year"}]},
    {"reference": "p-nowhere", "name": "Remote welder", "summary": "Welding, anywhere.",
     "location": {"text": "Remote", "lat": None, "lng": None}, "created_at": "2026-01-04T00:00:00+0000"},
]  # fmt: skip


@pytest.fixture(scope="module")
def refs(api: Api, own_board: str) -> Any:
    for job in JOBS:
        index_into(api, own_board, job)

    def ordered(**params: Any) -> list[str]:
        return [j["reference"] for j in board_jobs(api, own_board, **params)]

    return ordered


def test_name_is_a_case_insensitive_substring_of_the_job_name(refs: Any) -> None:
    assert sorted(refs(name="data ENG")) == ["p-lyon", "p-paris"]
    assert refs(name="senior data") == ["p-paris"]  # runs of spaces count as one
    assert refs(name="welder", use_agent=0) == ["p-nowhere"]
    assert refs(name="nothing like it") == []


def test_sort_by_searching_ranks_by_keyword_relevance(refs: Any) -> None:
    assert refs(sort_by="searching", text_keywords=["data"]) == ["p-paris", "p-lyon", "p-nyc"]
    assert refs(sort_by="searching", order_by="asc", text_keywords=["data"]) == [
        "p-nyc",
        "p-lyon",
        "p-paris",
    ]
    # Without keywords there is nothing to be relevant to: newest first, as created_at.
    assert (
        refs(sort_by="searching") == refs(sort_by="created_at") == ["p-nowhere", "p-lyon", "p-nyc", "p-paris"]
    )


def test_sort_by_location_is_nearest_first(refs: Any) -> None:
    for order_by in ("desc", "asc"):
        got = refs(sort_by="location", order_by=order_by, location_geopoint=PARIS, location_distance=20000)
        assert got == ["p-paris", "p-lyon", "p-nyc"]  # the welder has no coordinates to be near


def test_use_algorithm_switches_scoring_like_use_agent(
    api: Api, own_board: str, base: dict[str, Any], refs: Any
) -> None:
    params = dict(base, board_keys=[own_board], sort_by="created_at", limit=10)
    searching = api.scoring(**params, use_algorithm=0)
    assert searching == api.scoring(**params, use_agent=0)
    assert {p[1] for p in searching["data"]["predictions"]} == {0.5}
    scored = api.scoring(**params, use_algorithm=1)
    assert scored == api.scoring(**params, use_agent=1)
    assert {p[1] for p in scored["data"]["predictions"]} != {0.5}


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ({"name": "salary", "unit": "eur"}, ["p-lyon", "p-paris"]),
        ({"name": "SALARY", "unit": "Eur"}, ["p-lyon", "p-paris"]),
        ({"name": "Salary", "unit": "usd/YEAR"}, ["p-nyc"]),
        ({"name": "salary", "unit": "usd"}, []),
    ],
    ids=repr,
)
def test_salary_ranges_match_name_and_unit_whatever_the_case(refs: Any, item: dict, expected: list) -> None:
    ranges = [dict(item, value_min=0, value_max=1_000_000)]
    assert refs(ranges_float=ranges) == expected


def test_missing_algorithm_key_is_hrflows_400(api: Api, base: dict[str, Any]) -> None:
    params = {k: v for k, v in base.items() if k != "algorithm_key"}
    for use_agent in (1, 0):
        response = api.get("jobs/scoring", encode(dict(params, use_agent=use_agent)))
        assert response.status_code == 400
        assert response.headers["Content-Type"] == "application/json"
        body = response.json()
        shape = recorded("profile_indexing_duplicate_reference_400.json")
        assert {k: json_type(v) for k, v in body.items()} == {k: json_type(v) for k, v in shape.items()}
        assert body["code"] == 400
        assert body["message"].startswith("algorithm_key: is required")
    legacy = api.scoring(**dict(params, agent_key=demo.DEMO_ALGORITHM_KEYS[0]), limit=3)
    assert legacy == api.scoring(**base, limit=3)
