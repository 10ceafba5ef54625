"""`HrFlowClient.get_job` on answers the sandbox never gives (`responses`): a 404 from a proxy in
front of HrFlow, another 400, an answer without a job. HrFlow's own "no such job" (400 "Unable to
find object: job") is checked live (test_index_job.py, tests/demodata/test_feed.py)."""

from urllib.parse import parse_qsl, urlsplit

import pytest
import responses

from scoring.hrflow.client import HrFlowClient
from scoring.hrflow.errors import HrFlowBadRequest, HrFlowMalformedResponse
from tests.scoring.hrflow.payloads import API_URL, BOARD_A

JOB_URL = API_URL + "job/indexing"


def test_a_key_or_a_reference_is_needed(client: HrFlowClient, mocked: responses.RequestsMock) -> None:
    with pytest.raises(ValueError, match=r"^get_job needs a key or a reference$"):
        client.get_job(board_key=BOARD_A)
    assert not mocked.calls


def test_a_404_means_no_such_job(client: HrFlowClient, mocked: responses.RequestsMock) -> None:
    mocked.get(JOB_URL, status=404, json={"code": 404, "message": "Not Found"})
    assert client.get_job(board_key=BOARD_A, reference="ref-1") is None
    sent = dict(parse_qsl(urlsplit(str(mocked.calls[0].request.url)).query))
    assert sent == {"board_key": BOARD_A, "reference": "ref-1"}
    assert mocked.calls[0].request.method == "GET"


def test_another_400_is_an_error_not_a_missing_job(
    client: HrFlowClient, mocked: responses.RequestsMock
) -> None:
    mocked.get(JOB_URL, status=400, json={"code": 400, "message": "board_key: must be a key"})
    with pytest.raises(HrFlowBadRequest):
        client.get_job(board_key=BOARD_A, key="k")


def test_an_answer_without_a_job_object_is_malformed(
    client: HrFlowClient, mocked: responses.RequestsMock
) -> None:
    mocked.get(JOB_URL, json={"code": 200, "message": "Job retrieved", "data": ["not", "a", "job"]})
    with pytest.raises(HrFlowMalformedResponse) as caught:
        client.get_job(board_key=BOARD_A, key="k")
    # The log line says what was wrong; the page says HrFlow answered something unexpected.
    assert str(caught.value).endswith(": job response has no data object")


def test_an_indexing_answer_without_the_stored_key_is_malformed(
    client: HrFlowClient, mocked: responses.RequestsMock
) -> None:
    mocked.post(JOB_URL, status=201, json={"code": 201, "message": "Job created", "data": {"name": "x"}})
    with pytest.raises(HrFlowMalformedResponse) as caught:
        client.index_job(board_key=BOARD_A, job={"name": "x"})
    assert str(caught.value).endswith(": job indexing response has no data object with a key")
    assert len(mocked.calls) == 1  # a POST is never retried
