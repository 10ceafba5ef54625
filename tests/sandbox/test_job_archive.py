"""PATCH job/indexing/archive (issue 12): the sandbox answers as HrFlow's recording does, through
the dashboard's one client (`HrFlowClient.archive_job`) and through HrFlow's own SDK; an
archived job is no longer scored, GET job/indexing still answers it with `archive` set, and
`scoring.selectors.job_listing_status` reads that as "archived". A private sandbox: archiving
rebuilds every worker's index and must not change what `live_sandbox` answers other tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from django.core.cache import cache
from hrflow import Hrflow

from hrflow_dash import demo
from scoring import selectors
from scoring.hrflow.client import get_client
from tests.fixtures.sandbox import point_dashboard_at, start_private_sandbox
from tests.sandbox.conftest import Api, encode
from tests.sandbox.recorded_shapes import recorded

BOARD = demo.DEMO_BOARD_KEYS[0]
pytestmark = pytest.mark.django_db  # calls through the dashboard's HrFlow client touch the database


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    private = start_private_sandbox(tmp_path_factory.mktemp("archive"), jobs=60, profiles=3)
    try:
        yield private
    finally:
        private.stop()  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def papi(server: Any) -> Api:
    return Api(
        server.url, {"X-API-KEY": server.api_key, "X-USER-EMAIL": server.user_email}, requests.Session()
    )


@pytest.fixture
def client(server: Any, settings: Any) -> Any:
    point_dashboard_at(settings, server)  # and a fresh cache
    return get_client()


def index(server: Any, reference: str) -> str:
    job = {
        "reference": reference,
        "name": f"Archivable job {reference}",
        "summary": "A job this test archives.",
        "location": {"text": "Paris", "lat": 48.85, "lng": 2.35},
        "skills": [],
        "tags": [],
        "board_key": BOARD,
    }
    return str(server.index_job(job)["key"])


def scored_keys(papi: Api) -> set[str]:
    params = {
        "board_keys": [BOARD],
        "algorithm_key": demo.DEMO_ALGORITHM_KEYS[0],
        "use_agent": 0,
        "limit": 100,
    }
    keys: set[str] = set()
    for page in range(1, 5):
        response = papi.get("jobs/scoring", encode({**params, "page": page}))
        assert response.status_code == 200, response.text
        keys |= {j["key"] for j in response.json()["data"]["jobs"]}
    return keys


def test_the_client_archives_as_recorded_and_the_job_leaves_the_scored_set(
    server: Any, papi: Api, client: Any
) -> None:
    key = index(server, "arch-1")
    assert key in scored_keys(papi)
    assert selectors.job_listing_status(board_key=BOARD, key=key) == selectors.LISTED

    raw = papi.session.patch(
        server.url + "job/indexing/archive",
        json={"board_key": BOARD, "key": key},
        headers=papi.headers,
        timeout=30,
    )
    want = recorded("job_indexing_archive_200.json")
    assert raw.status_code == 200, raw.text
    body = raw.json()
    assert (body["code"], body["message"], set(body["data"])) == (
        want["code"],
        want["message"],
        set(want["data"]),
    )
    assert body["data"]["key"] == key
    assert client.archive_job(board_key=BOARD, key=key) == key  # idempotent, through the one client

    assert key not in scored_keys(papi)
    got = client.get_job(board_key=BOARD, key=key)
    assert got is not None
    assert got["archive"], got
    cache.clear()  # the "listed" answer above is cached for HRFLOW_CACHE_TTL
    assert selectors.job_listing_status(board_key=BOARD, key=key) == selectors.ARCHIVED


def test_unarchiving_brings_the_job_back(server: Any, papi: Api, client: Any) -> None:
    key = index(server, "arch-2")
    client.archive_job(board_key=BOARD, key=key)
    assert key not in scored_keys(papi)
    client.archive_job(board_key=BOARD, key=key, archive=False)
    assert key in scored_keys(papi)
    assert client.get_job(board_key=BOARD, key=key)["archive"] is None


def test_the_sdk_archives_by_reference(server: Any, papi: Api) -> None:
    key = index(server, "arch-sdk")
    sdk = Hrflow(api_url=server.url, api_secret=server.api_key, api_user=server.user_email)
    answer = sdk.job.storing.archive(board_key=BOARD, reference="arch-sdk")
    assert answer == {"code": 200, "message": "Job archived", "data": {"key": key}}
    assert key not in scored_keys(papi)


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"key": "0" * 40}, "board_key"),
        ({"board_key": BOARD}, "key or reference"),
        ({"board_key": BOARD, "key": "0" * 40}, "Unable to find object: job"),
        ({"board_key": BOARD, "key": "0" * 40, "is_archive": 7}, "is_archive"),
        ({"board_key": BOARD, "key": "0" * 40, "colour": "red"}, "unknown parameter"),
    ],
)
def test_bad_archive_requests_are_400_in_hrflows_shape(
    server: Any, papi: Api, body: dict[str, Any], fragment: str
) -> None:
    response = papi.session.patch(
        server.url + "job/indexing/archive", json=body, headers=papi.headers, timeout=30
    )
    assert response.status_code == 400, response.text
    assert fragment in response.json()["message"]
    assert (
        papi.session.get(server.url + "job/indexing/archive", headers=papi.headers, timeout=30).status_code
        == 405
    )
