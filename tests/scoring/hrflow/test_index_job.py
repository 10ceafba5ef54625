"""`HrFlowClient.index_job` / `get_job`: the request the SDK's job.storing.add_json sends, no
retry of the POST, named errors; then the same calls against a private sandbox over HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import responses
from responses import matchers

from hrflow_dash import demo
from scoring.hrflow.client import HrFlowClient
from scoring.hrflow.errors import (
    HrFlowBadCredentials,
    HrFlowBadRequest,
    HrFlowConnectionError,
    HrFlowError,
    HrFlowMalformedResponse,
)
from tests.fixtures.sandbox import start_private_sandbox
from tests.scoring.hrflow.conftest import FakeClock
from tests.scoring.hrflow.payloads import API_KEY, API_URL, BOARD_A, USER_EMAIL

INDEXING_URL = API_URL + "job/indexing"
JOB = {"reference": "ref-1", "name": "Welder", "skills": [{"name": "welding", "type": "hard", "value": None}]}
STORED = {**JOB, "key": "c" * 40, "id": 7, "board_key": BOARD_A}


def test_index_job_posts_the_job_json_with_its_board_key(
    client: HrFlowClient, mocked: responses.RequestsMock
) -> None:
    call = mocked.post(
        INDEXING_URL,
        status=201,
        json={"code": 201, "message": "Job created", "data": STORED},
        match=[
            matchers.json_params_matcher({**JOB, "board_key": BOARD_A}),
            matchers.header_matcher(
                {"X-API-KEY": API_KEY, "X-USER-EMAIL": USER_EMAIL, "Content-Type": "application/json"}
            ),
        ],
    )
    assert client.index_job(board_key=BOARD_A, job=JOB) == STORED
    assert call.call_count == 1
    assert "board_key" not in JOB  # the caller's dict is not modified


def test_index_job_board_key_argument_wins(client: HrFlowClient, mocked: responses.RequestsMock) -> None:
    mocked.post(
        INDEXING_URL,
        status=201,
        json={"code": 201, "message": "Job created", "data": STORED},
        match=[matchers.json_params_matcher({**JOB, "board_key": BOARD_A})],
    )
    client.index_job(board_key=BOARD_A, job={**JOB, "board_key": "0" * 40})


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_index_job_is_never_retried(
    client: HrFlowClient, mocked: responses.RequestsMock, clock: FakeClock, status: int
) -> None:
    call = mocked.post(INDEXING_URL, status=status, json={"code": status, "message": "busy"})
    with pytest.raises(HrFlowError) as caught:
        client.index_job(board_key=BOARD_A, job=JOB)
    assert caught.value.status == status
    assert call.call_count == 1
    assert clock.waits == []


def test_index_job_connection_error_is_not_retried(
    client: HrFlowClient, mocked: responses.RequestsMock, clock: FakeClock
) -> None:
    call = mocked.post(INDEXING_URL, body=requests.ConnectionError("refused"))
    with pytest.raises(HrFlowConnectionError):
        client.index_job(board_key=BOARD_A, job=JOB)
    assert call.call_count == 1
    assert clock.waits == []


def test_index_job_errors(client: HrFlowClient, mocked: responses.RequestsMock) -> None:
    message = "reference: a job with reference 'ref-1' already exists in this board"
    mocked.post(INDEXING_URL, status=400, json={"code": 400, "message": message})
    with pytest.raises(HrFlowBadRequest) as caught:
        client.index_job(board_key=BOARD_A, job=JOB)
    assert (
        caught.value.user_message
        == "HrFlow could not run this search: it did not accept the reference parameter."
    )
    assert "ref-1" not in caught.value.user_message
    assert message in str(caught.value)
    mocked.replace(
        responses.POST,
        INDEXING_URL,
        status=401,
        json={"code": 401, "message": f"Invalid secret key: {API_KEY}"},
    )
    with pytest.raises(HrFlowBadCredentials) as denied:
        client.index_job(board_key=BOARD_A, job=JOB)
    assert API_KEY not in str(denied.value)
    mocked.replace(responses.POST, INDEXING_URL, status=201, json={"code": 201, "message": "Job created"})
    with pytest.raises(HrFlowMalformedResponse):
        client.index_job(board_key=BOARD_A, job=JOB)


def test_get_job_by_reference_or_key(client: HrFlowClient, mocked: responses.RequestsMock) -> None:
    mocked.get(
        INDEXING_URL,
        json={"code": 200, "message": "Job details", "data": STORED},
        match=[matchers.query_param_matcher({"board_key": BOARD_A, "reference": "ref-1"})],
    )
    mocked.get(
        INDEXING_URL,
        json={"code": 200, "message": "Job details", "data": STORED},
        match=[matchers.query_param_matcher({"board_key": BOARD_A, "key": "c" * 40})],
    )
    assert client.get_job(board_key=BOARD_A, reference="ref-1") == STORED
    assert client.get_job(board_key=BOARD_A, key="c" * 40) == STORED
    with pytest.raises(ValueError, match="key or a reference"):
        client.get_job(board_key=BOARD_A)


def test_get_job_missing_is_none_other_errors_raise(
    client: HrFlowClient, mocked: responses.RequestsMock
) -> None:
    mocked.get(
        INDEXING_URL,
        status=400,
        json={"code": 400, "message": "Invalid parameters. Unable to find object: job"},
    )
    assert client.get_job(board_key=BOARD_A, reference="nope") is None
    mocked.replace(
        responses.GET,
        INDEXING_URL,
        status=400,
        json={"code": 400, "message": "Invalid parameters. Unable to find object: board"},
    )
    with pytest.raises(HrFlowBadRequest):
        client.get_job(board_key=BOARD_A, reference="nope")


# --- against a real (private) sandbox ------------------------------------------------------------


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    server = start_private_sandbox(tmp_path_factory.mktemp("client-index"), jobs=150, profiles=6)
    try:
        yield server
    finally:
        server.stop()  # type: ignore[attr-defined]


@pytest.fixture
def live(sandbox: Any) -> HrFlowClient:
    return HrFlowClient(base_url=sandbox.url, api_key=sandbox.api_key, user_email=sandbox.user_email)


def test_live_index_then_get_then_score(live: HrFlowClient, sandbox: Any) -> None:
    board = demo.DEMO_BOARD_KEYS[2]
    stored = live.index_job(board_key=board, job={**JOB, "name": "Welder plumbob"})
    assert len(stored["key"]) == 40
    assert stored["board_key"] == board
    assert live.get_job(board_key=board, reference="ref-1") == stored
    assert live.get_job(board_key=board, key=stored["key"]) == stored
    assert live.get_job(board_key=board, reference="ref-none") is None
    response = requests.get(
        sandbox.url + "jobs/scoring",
        params={
            "board_keys": json.dumps([board]),
            "text_keywords": json.dumps(["plumbob"]),
            "algorithm_key": demo.DEMO_ALGORITHM_KEYS[0],  # required, as HrFlow's reference says
            "use_agent": "0",
        },
        headers={"X-API-KEY": sandbox.api_key, "X-USER-EMAIL": sandbox.user_email},
        timeout=30,
    )
    assert [j["key"] for j in response.json()["data"]["jobs"]] == [stored["key"]]
    with pytest.raises(HrFlowBadRequest, match="already exists"):
        live.index_job(board_key=board, job=JOB)
    with pytest.raises(HrFlowBadRequest, match="name: is required"):
        live.index_job(board_key=board, job={"reference": "ref-2"})
    with pytest.raises(HrFlowBadRequest, match="Unable to find object: board"):
        live.index_job(board_key="0" * 40, job=JOB)
