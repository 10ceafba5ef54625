"""POST/GET job/indexing (issue 4) over HTTP, against a private sandbox (jobs indexed here must not
change what the shared `live_sandbox` answers other tests)."""

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from hrflow import Hrflow
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hrflow_dash import demo
from sandbox.errors import WORKER_HEADER
from sandbox.fixture_snapshot import make_job
from sandbox.timeutil import parse_hrflow_datetime
from tests.fixtures.sandbox import start_private_sandbox
from tests.sandbox.conftest import Api, encode
from tests.sandbox.recorded_shapes import assert_recorded_shape

BOARD = demo.DEMO_BOARD_KEYS[0]
OTHER_BOARD = demo.DEMO_BOARD_KEYS[1]
HRFLOW_STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    private = start_private_sandbox(tmp_path_factory.mktemp("indexing"))
    try:
        yield private
    finally:
        private.stop()  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def papi(server: Any) -> Api:
    return Api(
        server.url, {"X-API-KEY": server.api_key, "X-USER-EMAIL": server.user_email}, requests.Session()
    )


def new_job(reference: str, token: str, board_key: str = BOARD) -> dict[str, Any]:
    """A job like the SDK user would send it: no key, no dates; `token` makes it findable."""
    job = {
        "reference": reference,
        "name": f"Data engineer {token}",
        "summary": f"Build pipelines ({token}).",
        "location": {"text": "Paris", "lat": 48.85, "lng": 2.35},
        "skills": [{"name": "python", "type": "hard", "value": None}],
        "tags": [{"name": "company", "value": "Acme"}, {"name": "remote", "value": True}],
        "ranges_float": [{"name": "salary", "value_min": 50000, "value_max": 60000, "unit": "USD/year"}],
        "board_key": board_key,
    }
    return job


def scoring_refs(api: Api, **params: Any) -> list[str]:
    response = api.get(
        "jobs/scoring",
        encode(
            {
                "board_keys": demo.DEMO_BOARD_KEYS,
                "algorithm_key": demo.DEMO_ALGORITHM_KEYS[0],
                "limit": 100,
                "use_agent": 0,
                **params,
            }
        ),
    )
    assert response.status_code == 200, response.text
    return [j["reference"] for j in response.json()["data"]["jobs"]]


def test_indexing_answers_201_with_the_stored_job(papi: Api) -> None:
    response = papi.post("job/indexing", new_job("idx-1", "quuxalpha"))
    assert response.status_code == 201, response.text
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert (body["code"], body["message"]) == (201, "Job created")
    job = body["data"]
    assert re.fullmatch(r"[0-9a-f]{40}", job["key"])
    assert isinstance(job["id"], int)
    assert job["board_key"] == BOARD
    assert job["board"]["key"] == BOARD
    assert job["reference"] == "idx-1"
    assert job["name"] == "Data engineer quuxalpha"
    assert HRFLOW_STAMP.match(job["created_at"])
    assert HRFLOW_STAMP.match(job["updated_at"])
    assert job["tags"][1] == {"name": "remote", "value": True}  # served with its JSON type, as sent
    assert_recorded_shape(job)
    # GET by key and by reference return the same job.
    for params in ({"key": job["key"]}, {"reference": "idx-1"}):
        got = papi.get("job/indexing", {"board_key": BOARD, **params})
        assert got.status_code == 200, got.text
        assert got.json()["data"] == job


def test_an_indexed_job_is_scored_by_every_worker(papi: Api, server: Any) -> None:
    assert scoring_refs(papi, text_keywords=["quuxbeta"]) == []
    created = server.index_job(new_job("idx-2", "quuxbeta"))
    # Fresh connections, so the requests spread over both gunicorn workers, until both answered
    # (their pids, X-Sandbox-Worker).
    workers: set[str] = set()
    for _ in range(400):
        if len(workers) == 2:
            break
        response = requests.get(
            server.url + "jobs/scoring",
            params=encode(
                {
                    "board_keys": demo.DEMO_BOARD_KEYS,
                    "algorithm_key": demo.DEMO_ALGORITHM_KEYS[0],
                    "text_keywords": ["quuxbeta"],
                    "use_agent": 0,
                }
            ),
            headers=papi.headers,
            timeout=30,
        )
        workers.add(response.headers[WORKER_HEADER])
        jobs = response.json()["data"]["jobs"]
        assert [j["key"] for j in jobs] == [created["key"]]
        assert_recorded_shape(jobs[0])
    assert len(workers) == 2, workers


def test_an_indexed_job_gets_a_profile_score_and_sorts_by_date(papi: Api, server: Any) -> None:
    profiles = papi.get(
        "storing/profiles", {"source_keys": json.dumps(demo.DEMO_SOURCE_KEYS), "return_profile": True}
    ).json()["data"]
    profile = profiles[0]
    skills = [s["name"] for s in profile["skills"]]
    job = new_job("idx-3", "quuxgamma")
    job["skills"] = [{"name": name, "type": "hard", "value": None} for name in skills]
    job["created_at"] = "2030-01-01T00:00:00Z"  # later than any snapshot job
    created = server.index_job(job)
    assert created["created_at"] == "2030-01-01T00:00:00+0000"
    params = {
        "source_key": profile["source_key"],
        "profile_key": profile["key"],
        "algorithm_key": demo.DEMO_ALGORITHM_KEYS[0],
    }
    body = papi.scoring(
        **encode({"board_keys": demo.DEMO_BOARD_KEYS, "text_keywords": ["quuxgamma"], **params})
    )
    assert [j["key"] for j in body["data"]["jobs"]] == [created["key"]]
    assert 0.0 < body["data"]["predictions"][0][1] <= 1.0
    assert body["data"]["reasons"][0]["matched_skills"]
    newest = scoring_refs(papi, sort_by="created_at", order_by="desc", limit=1, use_agent=1, **params)
    assert newest == ["idx-3"]


def test_duplicate_reference_is_refused_per_board(papi: Api) -> None:
    assert papi.post("job/indexing", new_job("idx-dup", "quuxdelta")).status_code == 201
    again = papi.post("job/indexing", new_job("idx-dup", "quuxdelta"))
    assert again.status_code == 400
    assert again.json() == {
        "code": 400,
        "message": "reference: a job with reference 'idx-dup' already exists in this board",
    }
    # The same reference on another board is another job.
    assert papi.post("job/indexing", new_job("idx-dup", "quuxdelta", OTHER_BOARD)).status_code == 201


def test_jobs_without_reference_do_not_collide(papi: Api) -> None:
    first, second = (
        papi.post("job/indexing", {"name": "No reference", "board_key": BOARD}) for _ in range(2)
    )
    assert first.status_code == second.status_code == 201, (first.text, second.text)
    assert first.json()["data"]["key"] != second.json()["data"]["key"]
    assert first.json()["data"]["reference"] is None
    assert_recorded_shape(first.json()["data"])


def test_dates_default_to_now(papi: Api) -> None:
    before = requests.get(papi.url + "health", timeout=10)  # the server's clock: its Date header
    job = papi.post("job/indexing", new_job("idx-now", "quuxeps")).json()["data"]
    after = requests.get(papi.url + "health", timeout=10)
    from email.utils import parsedate_to_datetime

    low = parsedate_to_datetime(before.headers["Date"])
    high = parsedate_to_datetime(after.headers["Date"])
    for name in ("created_at", "updated_at"):
        assert low <= parse_hrflow_datetime(job[name]).replace(microsecond=0) <= high


def test_sdk_add_json_and_get(server: Any) -> None:
    client = Hrflow(api_url=server.url, api_secret=server.api_key, api_user=server.user_email)
    job = new_job("idx-sdk", "quuxsdk")
    del job["board_key"]
    response = client.job.storing.add_json(board_key=BOARD, job_json=job)
    assert response["code"] == 201, response
    assert response["data"]["reference"] == "idx-sdk"
    got = client.job.storing.get(board_key=BOARD, reference="idx-sdk")
    assert got["code"] == 200
    assert got["data"]["key"] == response["data"]["key"]
    missing = client.job.storing.get(board_key=BOARD, reference="idx-nothing")
    assert missing == {"code": 400, "message": "Invalid parameters. Unable to find object: job"}


def test_a_snapshot_shaped_job_round_trips(papi: Api) -> None:
    import random

    job = make_job(random.Random(3), 3_000_000)
    response = papi.post("job/indexing", job)
    assert response.status_code == 201, response.text
    data = response.json()["data"]
    assert data["key"] != job["key"]  # HrFlow assigns the key
    assert data["created_at"] == job["created_at"]
    for name in ("name", "summary", "skills", "languages", "ranges_float", "sections", "location"):
        assert data[name] == job[name], name
    assert_recorded_shape(data)


GOOD = {"name": "Welder", "board_key": BOARD}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"name": "Welder"}, "board_key: is required"),
        ({**GOOD, "board_key": "nope"}, "board_key: must be a key of 40 lowercase hex characters"),
        ({**GOOD, "board_key": "0" * 40}, "Invalid parameters. Unable to find object: board"),
        ({"board_key": BOARD}, "name: is required"),
        ({**GOOD, "name": "  "}, "name: is required"),
        ({**GOOD, "name": 42}, "name: must be a string or null, got int"),
        ({**GOOD, "reference": ["x"]}, "reference: must be a string or null, got list"),
        ({**GOOD, "summary": {"a": 1}}, "summary: must be a string or null, got dict"),
        ({**GOOD, "skills": "python"}, "skills: must be a list or null, got str"),
        ({**GOOD, "skills": [{"value": 1}]}, "skills[0]: misses name"),
        ({**GOOD, "skills": [{"name": "x", "type": "medium"}]}, "skills[0].type: must be hard, soft or null"),
        ({**GOOD, "tags": [{"name": "a", "value": [1]}]}, "tags[0].value: must be a string, number"),
        ({**GOOD, "location": {"lat": "48"}}, "location.lat: must be a number or null, got str"),
        ({**GOOD, "location": {"lat": 91}}, "location.lat: must be between -90 and 90"),
        ({**GOOD, "location": []}, "location: must be a JSON object"),
        ({**GOOD, "ranges_float": [{"name": "s", "value_min": "1"}]}, "ranges_float[0].value_min: must be"),
        ({**GOOD, "ranges_date": [{"name": "s", "value_min": "soon"}]}, "ranges_date[0].value_min: must be"),
        ({**GOOD, "created_at": "yesterday"}, "created_at: must be an ISO-8601 date"),
        ({**GOOD, "created_at": 5}, "created_at: must be an ISO-8601 date string, got int"),
        ({**GOOD, "salary": 5}, "salary: unknown Job field"),
        ([GOOD], "body: must be a JSON object"),
        ("Welder", "body: must be a JSON object"),
    ],
)
def test_bad_jobs_are_400_naming_the_field(papi: Api, body: Any, message: str) -> None:
    response = papi.post("job/indexing", body)
    assert response.status_code == 400, response.text
    assert response.headers["Content-Type"] == "application/json"
    got = response.json()
    assert got["code"] == 400
    assert got["message"].startswith(message), got
    assert set(got) == {"code", "message"}


@pytest.mark.parametrize(
    ("data", "content_type", "message"),
    [
        (b'{"name": ', "application/json", "body: is not valid JSON"),
        (b"\xff\xfe", "application/json", "body: is not valid JSON"),
        (b"[" * 100_000, "application/json", "body: is not valid JSON"),
        (b"", "application/json", "body: is not valid JSON"),
        (json.dumps(GOOD).encode(), "text/plain", "Content-Type: must be application/json"),
        (b"name=Welder", "application/x-www-form-urlencoded", "Content-Type: must be application/json"),
    ],
)
def test_malformed_bodies_are_400(papi: Api, data: bytes, content_type: str, message: str) -> None:
    response = papi.session.post(
        papi.url + "job/indexing",
        data=data,
        headers={**papi.headers, "Content-Type": content_type},
        timeout=30,
    )
    assert response.status_code == 400, response.text
    assert response.json()["message"].startswith(message)


def test_indexing_needs_credentials(papi: Api) -> None:
    for headers in ({}, {**papi.headers, "X-API-KEY": "ask_wrong"}):
        response = papi.post("job/indexing", new_job("idx-auth", "quuxauth"), headers=headers)
        assert response.status_code == 401
        assert response.json()["code"] == 401
    assert papi.get("job/indexing", {"board_key": BOARD, "reference": "idx-auth"}).status_code == 400


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"reference": "idx-1"}, "board_key: is required"),
        ({"board_key": BOARD}, "key: key or reference is required"),
        ({"board_key": "0" * 40, "reference": "idx-1"}, "Invalid parameters. Unable to find object: board"),
        ({"board_key": BOARD, "key": "f" * 40}, "Invalid parameters. Unable to find object: job"),
        ({"board_key": BOARD, "reference": "idx-none"}, "Invalid parameters. Unable to find object: job"),
        ({"board_key": OTHER_BOARD, "key": "nope"}, "key: must be a key of 40 lowercase hex characters"),
        ({"board_key": BOARD, "reference": "x", "page": "1"}, "page: unknown parameter"),
    ],
)
def test_get_one_job_errors(papi: Api, params: dict[str, str], message: str) -> None:
    response = papi.get("job/indexing", params)
    assert response.status_code == 400, response.text
    assert response.json()["message"].startswith(message)


def test_other_methods_are_405_json(papi: Api) -> None:
    response = papi.session.put(papi.url + "job/indexing", json=GOOD, headers=papi.headers, timeout=30)
    assert response.status_code == 405
    assert response.json()["code"] == 405


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=10)
SCALARS = st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats() | TEXT
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)
FIELDS = sorted(
    [
        "reference",
        "name",
        "summary",
        "location",
        "skills",
        "tags",
        "ranges_float",
        "ranges_date",
        "created_at",
        "languages",
        "sections",
        "url",
        "key",
        "archived_at",
        "board_key",
        "unknown",
    ]
)
NAMED = st.lists(st.fixed_dictionaries({"name": TEXT, "value": SCALARS}), max_size=2)
PLAUSIBLE = {
    "name": TEXT,
    "skills": st.lists(
        st.fixed_dictionaries({"name": TEXT, "type": st.sampled_from(["hard", "soft", None, "x"])}),
        max_size=2,
    ),
    "tags": NAMED,
    "location": st.fixed_dictionaries({"lat": SCALARS, "lng": SCALARS, "text": SCALARS}),
    "ranges_date": st.lists(st.fixed_dictionaries({"name": TEXT, "value_min": SCALARS}), max_size=2),
    "created_at": st.sampled_from(["2026-01-01", "2026-13-01", "nope", "2026-01-10T08:41:25+0000"]),
    "board_key": st.sampled_from([BOARD, "0" * 40, "x"]),
}


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    plausible=st.fixed_dictionaries({}, optional=PLAUSIBLE),
    noise=st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, max_size=3),
)
def test_fuzz_indexing_never_500(papi: Api, plausible: dict[str, Any], noise: dict[str, Any]) -> None:
    body = {"board_key": BOARD, **plausible, **noise}
    # json.dumps writes NaN/Infinity (requests refuses to); Python servers parse them.
    response = papi.session.post(
        papi.url + "job/indexing",
        data=json.dumps(body),
        headers={**papi.headers, "Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code in (201, 400), (response.status_code, response.text[:500])
    assert response.headers["Content-Type"] == "application/json"
    got = response.json()
    assert got["code"] == response.status_code
    if response.status_code == 201:
        assert_recorded_shape(got["data"])
    else:
        assert set(got) == {"code", "message"}
        assert got["message"]
