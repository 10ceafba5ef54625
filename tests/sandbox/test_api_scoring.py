"""jobs/scoring over HTTP: envelope, auth, pagination, predictions, schemas, algorithms."""

import math
from typing import Any

import pytest

from hrflow_dash import demo
from tests.sandbox.conftest import Api, encode
from tests.sandbox.recorded_shapes import assert_recorded_shape

KEY_CHARS = set("0123456789abcdef")


def test_health_needs_no_auth_and_counts_jobs(api: Api) -> None:
    response = api.get("health", headers={})
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == 200
    assert body["jobs"] >= 100


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-API-KEY": "ask_00000000000000000000000000000000", "X-USER-EMAIL": demo.DEMO_USER_EMAIL},
        {"X-API-KEY": demo.DEMO_API_KEY, "X-USER-EMAIL": "intruder@example.org"},
        {"X-API-KEY": demo.DEMO_API_KEY},
    ],
)
def test_wrong_or_missing_credentials_give_hrflow_401(
    api: Api, base: dict[str, Any], headers: dict[str, str]
) -> None:
    response = api.get("jobs/scoring", encode(base), headers=headers)
    assert response.status_code == 401
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == 401
    assert body["message"].startswith("Unauthorized. Invalid secret key: ")
    assert set(body) == {"code", "message"}


def test_envelope_content_type_and_alignment(api: Api, base: dict[str, Any]) -> None:
    response = api.get("jobs/scoring", encode(dict(base, limit=17)))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == 200
    assert isinstance(body["message"], str)
    jobs, predictions = body["data"]["jobs"], body["data"]["predictions"]
    assert len(jobs) == len(predictions) == len(body["data"]["reasons"]) == body["meta"]["count"] == 17
    for job, prediction in zip(jobs, predictions, strict=True):
        assert len(prediction) == 2
        low, score = prediction
        assert 0 < score < 1
        assert math.isclose(low, 1 - score, abs_tol=1e-12)
        assert_recorded_shape(job)  # what HrFlow sends, not the stricter SDK schema
        assert job["board"]["key"] == job["board_key"] in demo.DEMO_BOARD_KEYS
        assert isinstance(job["id"], int)
        for key in (job["key"], job["board_key"]):
            assert len(key) == 40
            assert set(key) <= KEY_CHARS
    scores = [p[1] for p in predictions]
    assert scores == sorted(scores, reverse=True)


def test_reasons_name_matched_and_missing_skills(
    api: Api, base: dict[str, Any], profiles: list[dict]
) -> None:
    body = api.scoring(**base, limit=10)
    profile_skills = {s["name"].lower() for s in profiles[0]["skills"]}
    for job, reason in zip(body["data"]["jobs"], body["data"]["reasons"], strict=True):
        job_skills = {s["name"].lower() for s in job["skills"]}
        assert set(reason["matched_skills"]) == job_skills & profile_skills
        assert set(reason["missing_skills"]) == job_skills - profile_skills
    assert any(r["matched_skills"] for r in body["data"]["reasons"])


def test_every_page_is_a_slice_of_one_ranking(
    api: Api, base: dict[str, Any], full_ranking: list[dict]
) -> None:
    total = len(full_ranking)
    limit = 7
    max_page = math.ceil(total / limit)
    for page in (1, 2, max_page):
        body = api.scoring(**base, limit=limit, page=page)
        meta = body["meta"]
        assert meta == {
            "page": page,
            "maxPage": max_page,
            "count": min(limit, total - (page - 1) * limit),
            "total": total,
        }
        keys = [j["key"] for j in body["data"]["jobs"]]
        assert keys == [j["key"] for j in full_ranking[(page - 1) * limit : page * limit]]
    beyond = api.scoring(**base, limit=limit, page=max_page + 1)
    assert beyond["data"]["jobs"] == []
    assert beyond["data"]["predictions"] == []
    assert beyond["meta"] == {"page": max_page + 1, "maxPage": max_page, "count": 0, "total": total}


def test_empty_result_has_max_page_zero(api: Api, base: dict[str, Any]) -> None:
    body = api.scoring(**base, text_keywords=["zzzqqqxxyy"])
    assert body["meta"] == {"page": 1, "maxPage": 0, "count": 0, "total": 0}


def test_default_limit_is_30(api: Api, base: dict[str, Any]) -> None:
    assert api.scoring(**base)["meta"]["count"] == 30


def test_same_request_same_answer(api: Api, base: dict[str, Any]) -> None:
    first = api.get("jobs/scoring", encode(dict(base, limit=50))).content
    # Repeated on one keep-alive connection; every worker: tests/sandbox/test_workers.py.
    for _ in range(4):
        assert api.get("jobs/scoring", encode(dict(base, limit=50))).content == first


def test_algorithms_rank_differently(api: Api, base: dict[str, Any]) -> None:
    balanced = api.scoring(**base, limit=50)
    skills_first = api.scoring(**dict(base, algorithm_key=demo.DEMO_ALGORITHM_KEYS[1]), limit=50)
    assert [j["key"] for j in balanced["data"]["jobs"]] != [j["key"] for j in skills_first["data"]["jobs"]]
    assert balanced["data"]["predictions"] != skills_first["data"]["predictions"]


def test_agent_key_is_an_alias_of_algorithm_key(api: Api, base: dict[str, Any]) -> None:
    params = dict(base)
    params["agent_key"] = params.pop("algorithm_key")
    assert api.scoring(**params, limit=20) == api.scoring(**base, limit=20)


def test_profile_reference_finds_the_same_profile(
    api: Api, base: dict[str, Any], profiles: list[dict]
) -> None:
    params = dict(base)
    del params["profile_key"]
    params["profile_reference"] = profiles[0]["reference"]
    assert api.scoring(**params, limit=20) == api.scoring(**base, limit=20)


def test_different_profiles_rank_differently(api: Api, base: dict[str, Any], profiles: list[dict]) -> None:
    first = api.scoring(**base, limit=20)["data"]["jobs"]
    other = next(p for p in profiles if p["tags"] != profiles[0]["tags"])
    second = api.scoring(**dict(base, source_key=other["source_key"], profile_key=other["key"]), limit=20)
    assert [j["key"] for j in first] != [j["key"] for j in second["data"]["jobs"]]


def test_order_by_asc_reverses_the_ranking(api: Api, base: dict[str, Any], full_ranking: list[dict]) -> None:
    body = api.scoring(**dict(base, order_by="asc"), limit=5)
    scores = [p[1] for p in body["data"]["predictions"]]
    assert scores == sorted(scores)
    assert scores[0] == min(j["_score"] for j in full_ranking)


@pytest.mark.parametrize("sort_by", ["created_at", "updated_at"])
@pytest.mark.parametrize("order_by", ["desc", "asc"])
def test_sort_by_dates(api: Api, base: dict[str, Any], sort_by: str, order_by: str) -> None:
    from sandbox.timeutil import parse_hrflow_datetime

    body = api.scoring(**dict(base, sort_by=sort_by, order_by=order_by), limit=40)
    moments = [parse_hrflow_datetime(j[sort_by]) for j in body["data"]["jobs"]]
    assert moments == sorted(moments, reverse=order_by == "desc")


def test_use_agent_zero_skips_scoring(api: Api, base: dict[str, Any]) -> None:
    body = api.scoring(**dict(base, use_agent=0), limit=25)
    assert body["data"]["predictions"] == [[0.5, 0.5]] * 25
    from sandbox.timeutil import parse_hrflow_datetime

    moments = [parse_hrflow_datetime(j["created_at"]) for j in body["data"]["jobs"]]
    assert moments == sorted(moments, reverse=True)
    # No profile is needed to search without scoring.
    bare = api.scoring(
        board_keys=base["board_keys"], algorithm_key=base["algorithm_key"], use_agent=0, limit=25
    )
    assert bare["data"]["jobs"] == body["data"]["jobs"]
    assert bare["meta"] == body["meta"]


def test_post_body_gives_the_same_answer_as_get(api: Api, base: dict[str, Any]) -> None:
    params = dict(base, limit=12, page=2, text_keywords=["the"], location_geopoint=None)
    via_get = api.scoring(**params)
    native = {k: v for k, v in params.items() if v is not None}
    encoded = encode(native)  # PR #30 sends JSON-encoded strings inside the body
    for body in (native, encoded):
        response = api.post("jobs/scoring", body)
        assert response.status_code == 200, response.text
        assert response.headers["Content-Type"] == "application/json"
        assert response.json() == via_get


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"board_keys": ["0" * 40]}, "Invalid parameters. Unable to find object: board"),
        ({"source_key": "0" * 40}, "Invalid parameters. Unable to find object: source"),
        ({"profile_key": "0" * 40}, "Invalid parameters. Unable to find object: profile"),
        ({"algorithm_key": "0" * 40}, "Invalid parameters. Unable to find object: algorithm"),
        ({"board_keys": None}, "board_keys: is required"),
        ({"page": 0}, "page: must be >= 1"),
        ({"limit": 100000}, "limit: must be between 1 and"),
        ({"limit": "ten"}, "limit: must be an integer"),
        ({"sort_by": "nearest"}, "sort_by: must be one of"),
        ({"sort_by": "location"}, "sort_by: location sorts by distance from location_geopoint, which is"),
        ({"algorithm_key": None}, "algorithm_key: is required"),
        ({"use_agent": 1, "use_algorithm": 0}, "use_algorithm: differs from use_agent"),
        ({"location_geopoint": {"lat": 91, "lng": 0}, "location_distance": 5}, "location_geopoint.lat"),
        ({"location_geopoint": {"lat": 1, "lng": 200}, "location_distance": 5}, "location_geopoint.lng"),
        (
            {"location_geopoint": {"lat": 1, "lng": 2}, "location_distance": -1},
            "location_distance: must be >= 0",
        ),
        ({"date_range_min": "2026-01-02", "date_range_max": "2026-01-01"}, "date_range_min: is later"),
        (
            {"ranges_float": [{"name": "salary", "value_min": 9, "value_max": 1}]},
            "ranges_float[0]: value_min",
        ),
        ({"tags_included": [{"name": "remote", "value": True}]}, "tags_included[0]"),
        ({"score_threshold": 2}, "score_threshold: must be within [0, 1]"),
        ({"colour": "blue"}, "colour: unknown parameter"),
    ],
)
def test_bad_input_is_a_400_naming_the_parameter(
    api: Api, base: dict[str, Any], change: dict[str, Any], message: str
) -> None:
    params = {**base, **change}
    response = api.get("jobs/scoring", encode(params))
    assert response.status_code == 400, response.text
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == 400
    assert body["message"].startswith(message), body


def test_malformed_json_values_and_bodies_are_400(api: Api, base: dict[str, Any]) -> None:
    query = encode(base)
    query["board_keys"] = '["unterminated'
    response = api.get("jobs/scoring", query)
    assert response.status_code == 400
    assert response.json()["message"].startswith("board_keys: is not valid JSON")
    response = api.session.post(
        api.url + "jobs/scoring",
        data=b"{nope",
        headers={**api.headers, "Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": 400,
        "message": "body: is not valid JSON",
    }


def test_unknown_path_and_method_stay_json(api: Api) -> None:
    missing = api.get("jobs/nothing")
    assert missing.status_code == 404
    assert missing.json()["code"] == 404
    assert missing.headers["Content-Type"] == "application/json"
    wrong = api.session.delete(api.url + "jobs/scoring", headers=api.headers, timeout=30)
    assert wrong.status_code == 405
    assert wrong.json()["code"] == 405
