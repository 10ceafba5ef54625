"""The sandbox stores and serves a job's values with the JSON types they were sent with, and
`location.fields` as sent, as HrFlow does (tests/fixtures/hrflow_recorded/: skill value null or
0.9, tag values strings or booleans, `fields` null or []); every served job carries `archive`
and `picture`. Indexed into a board of this module's own (never the demo boards)."""

from typing import Any

import pytest

from tests.sandbox.conftest import Api, board_jobs, get_job, index_into
from tests.sandbox.recorded_shapes import assert_recorded_shape, json_type

SKILL_VALUES = [None, 0.9, 1, True, "expert"]
LANGUAGE_VALUES = [1, None, "fluent", 0.5]
TAG_VALUES = [True, False, "true", "Google", 3, 0.25, None]


def typed_job(reference: str, fields: Any = None) -> dict[str, Any]:
    return {
        "reference": reference,
        "name": f"Typed values {reference}",
        "summary": None,
        "location": {"text": "Dampierre en Burly (45)", "lat": None, "lng": None, "fields": fields},
        "sections": [{"name": "s1", "title": "About", "description": "Text only in a section."}],
        "skills": [{"name": f"skill{i}", "type": "hard", "value": v} for i, v in enumerate(SKILL_VALUES)],
        "languages": [{"name": f"lang{i}", "value": v} for i, v in enumerate(LANGUAGE_VALUES)],
        "tags": [{"name": f"tag{i}", "value": v} for i, v in enumerate(TAG_VALUES)],
        "ranges_float": [{"name": "salary", "value_min": 45000, "value_max": 50000.5, "unit": "eur"}],
    }


def typed(items: list[dict[str, Any]]) -> list[tuple[Any, str]]:
    return [(item["value"], json_type(item["value"])) for item in items]


def expect_typed(job: dict[str, Any]) -> None:
    assert typed(job["skills"]) == [(v, json_type(v)) for v in SKILL_VALUES]
    assert typed(job["languages"]) == [(v, json_type(v)) for v in LANGUAGE_VALUES]
    assert typed(job["tags"]) == [(v, json_type(v)) for v in TAG_VALUES]
    salary = job["ranges_float"][0]
    assert (type(salary["value_min"]), type(salary["value_max"])) == (int, float)


def test_values_keep_their_json_types(api: Api, own_board: str) -> None:
    created = index_into(api, own_board, typed_job("shape-types"))
    expect_typed(created)
    got = get_job(api, own_board, created["key"])
    expect_typed(got)
    (scored,) = [j for j in board_jobs(api, own_board) if j["key"] == created["key"]]
    expect_typed(scored)
    assert scored == got  # one serialisation for every endpoint
    for job in (created, got, scored):
        assert_recorded_shape(job)


@pytest.mark.parametrize("fields", [[], None, {}, {"city": "Paris", "country": "FR"}], ids=repr)
def test_location_fields_are_kept_as_sent(api: Api, own_board: str, fields: Any) -> None:
    created = index_into(
        api, own_board, typed_job(f"shape-fields-{json_type(fields)}-{len(fields or '')}", fields)
    )
    got = get_job(api, own_board, created["key"])
    (scored,) = [j for j in board_jobs(api, own_board) if j["key"] == created["key"]]
    for job in (created, got, scored):
        assert job["location"]["fields"] == fields
        assert json_type(job["location"]["fields"]) == json_type(fields)


def test_every_served_job_has_archive_and_picture(api: Api, own_board: str, base: dict[str, Any]) -> None:
    created = index_into(api, own_board, typed_job("shape-archive"))
    got = get_job(api, own_board, created["key"])
    demo_jobs = api.scoring(**base, limit=5)["data"]["jobs"]
    for job in (created, got, *demo_jobs):
        assert job["archive"] is None  # KeyError when missing
        assert job["picture"] is None
        assert_recorded_shape(job)
    archived = index_into(
        api, own_board, {**typed_job("shape-archived"), "archived_at": "2026-02-01T10:00:00+0000"}
    )
    assert archived["archive"] == archived["archived_at"] == "2026-02-01T10:00:00+0000"
    pictured = index_into(
        api, own_board, {**typed_job("shape-picture"), "picture": "https://example.org/p.png"}
    )
    assert get_job(api, own_board, pictured["key"])["picture"] == "https://example.org/p.png"
