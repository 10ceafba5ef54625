"""Fault injection: every upstream failure becomes a named error with a readable message."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator

import pytest
import requests
import responses

from scoring.hrflow import client as client_module
from scoring.hrflow.client import HrFlowClient
from scoring.hrflow.errors import (
    BAD_CREDENTIALS_MESSAGE,
    BAD_REQUEST_MESSAGE,
    CONNECTION_MESSAGE,
    MALFORMED_RESPONSE_MESSAGE,
    NOT_FOUND_MESSAGE,
    OVER_QUOTA_MESSAGE,
    RATE_LIMITED_MESSAGE,
    TIMEOUT_MESSAGE,
    UPSTREAM_ERROR_MESSAGE,
    HrFlowBadCredentials,
    HrFlowBadRequest,
    HrFlowConnectionError,
    HrFlowError,
    HrFlowMalformedResponse,
    HrFlowNotFound,
    HrFlowOverQuota,
    HrFlowRateLimited,
    HrFlowTimeout,
    HrFlowUpstreamError,
)
from scoring.hrflow.query import JobQuery
from tests.ops.helpers import json_formatter
from tests.scoring.hrflow.conftest import FakeClock
from tests.scoring.hrflow.payloads import (
    ALGORITHM,
    API_KEY,
    API_URL,
    BOARD_A,
    PROFILE,
    SOURCE,
    USER_EMAIL,
    envelope,
)

SCORING_URL = API_URL + "jobs/scoring"
QUERY = JobQuery(board_keys=(BOARD_A,), source_key=SOURCE, profile_key=PROFILE, algorithm_key=ALGORITHM)


def error_body(code: int, message: str) -> dict[str, object]:
    return {"code": code, "message": message}


@pytest.fixture(autouse=True)
def _capture_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.DEBUG)
    yield
    # The key never reaches a log record, whatever the test did: neither its message nor, in the
    # production JSON format (LOG_FORMAT=json), any structured field of it. The records of the
    # test's call phase: in teardown, `caplog.records` holds only the teardown's own (none).
    records = caplog.get_records("call")
    assert records, "the faults log their calls"
    as_json = json_formatter()
    for record in records:
        assert API_KEY not in record.getMessage()
        assert API_KEY not in as_json.format(record)


def assert_no_secret(exc: HrFlowError, mocked: responses.RequestsMock | None = None) -> None:
    for text in (str(exc), repr(exc), exc.user_message, exc.detail):
        assert API_KEY not in text
    if mocked is not None:
        for call in mocked.calls:
            assert API_KEY not in (call.request.url or "")


def raise_from(client: HrFlowClient) -> HrFlowError:
    with pytest.raises(HrFlowError) as info:
        client.score_jobs(QUERY)
    return info.value


@pytest.mark.parametrize(
    ("status", "message", "error_type", "user_message"),
    [
        (401, f"Unauthorized. Invalid secret key: {API_KEY} for permission: all", HrFlowBadCredentials,
         BAD_CREDENTIALS_MESSAGE),
        (403, "Forbidden", HrFlowBadCredentials, BAD_CREDENTIALS_MESSAGE),
        (402, "Over quota", HrFlowOverQuota, OVER_QUOTA_MESSAGE),
        (404, "Unable to find object: board", HrFlowNotFound, NOT_FOUND_MESSAGE),
        (500, "Internal error", HrFlowUpstreamError, UPSTREAM_ERROR_MESSAGE),
    ],
)  # fmt: skip
def test_error_statuses_become_named_errors(
    client: HrFlowClient,
    mocked: responses.RequestsMock,
    clock: FakeClock,
    status: int,
    message: str,
    error_type: type[HrFlowError],
    user_message: str,
) -> None:
    mocked.get(SCORING_URL, status=status, json=error_body(status, message))

    exc = raise_from(client)

    assert type(exc) is error_type
    assert exc.status == status
    assert exc.user_message == user_message
    assert exc.retryable is False
    assert len(mocked.calls) == 1, "not retried"
    assert clock.waits == []
    assert_no_secret(exc, mocked)


def test_the_401_message_that_echoes_the_key_is_redacted(
    client: HrFlowClient, mocked: responses.RequestsMock
) -> None:
    mocked.get(SCORING_URL, status=401, json=error_body(401, f"Unauthorized. Invalid secret key: {API_KEY} "))

    exc = raise_from(client)

    assert "Invalid secret key: [redacted]" in str(exc)
    assert_no_secret(exc, mocked)


def test_a_key_of_any_shape_is_redacted(mocked: responses.RequestsMock) -> None:
    odd_key = "sandbox-override-secret-123"
    hrflow = HrFlowClient(base_url=API_URL, api_key=odd_key, user_email=USER_EMAIL)
    mocked.get(SCORING_URL, status=400, json=error_body(400, f"bad key {odd_key}"))

    with pytest.raises(HrFlowBadRequest) as info:
        hrflow.score_jobs(QUERY)

    assert odd_key not in str(info.value)
    assert odd_key not in info.value.user_message


@pytest.mark.parametrize("status", [400, 422])
def test_bad_requests_say_what_was_refused_in_our_words(
    client: HrFlowClient, mocked: responses.RequestsMock, status: int
) -> None:
    mocked.get(
        SCORING_URL,
        status=status,
        json=error_body(status, "Invalid parameters. Unable to find object: source"),
    )

    exc = raise_from(client)

    assert isinstance(exc, HrFlowBadRequest)
    assert exc.user_message == BAD_REQUEST_MESSAGE.format(
        detail="it could not find the source this request names."
    )
    assert "Invalid parameters" in str(exc), "HrFlow's own text stays in the log line"
    assert len(mocked.calls) == 1


def test_an_error_code_in_a_200_body_is_an_error(
    client: HrFlowClient, mocked: responses.RequestsMock
) -> None:
    mocked.get(SCORING_URL, status=200, json=error_body(400, "Bad Request. Invalid source ids"))

    exc = raise_from(client)

    assert isinstance(exc, HrFlowBadRequest)
    assert exc.user_message == BAD_REQUEST_MESSAGE.format(detail="one of the filters was not accepted.")
    assert "Invalid source ids" not in exc.user_message


def test_429_honours_retry_after_then_succeeds(
    client: HrFlowClient, mocked: responses.RequestsMock, clock: FakeClock
) -> None:
    mocked.get(SCORING_URL, status=429, json=error_body(429, "slow down"), headers={"Retry-After": "3"})
    mocked.get(SCORING_URL, status=429, json=error_body(429, "slow down"), headers={"Retry-After": "2"})
    mocked.get(SCORING_URL, json=envelope())

    payload = client.score_jobs(QUERY)

    assert len(payload.jobs) == 1
    assert clock.waits == [3.0, 2.0]
    assert len(mocked.calls) == 3


def test_429_gives_up_within_the_total_time_bound(
    client: HrFlowClient, mocked: responses.RequestsMock, clock: FakeClock
) -> None:
    for _ in range(5):
        mocked.get(SCORING_URL, status=429, json=error_body(429, "slow down"), headers={"Retry-After": "4"})

    exc = raise_from(client)

    assert isinstance(exc, HrFlowRateLimited)
    assert exc.user_message == RATE_LIMITED_MESSAGE
    assert exc.retry_after == 4.0
    assert clock.waits == [4.0, 4.0]  # a third wait would pass the 10 s bound
    assert sum(clock.waits) <= client.retry_total_seconds
    assert len(mocked.calls) == 3


def test_a_retry_after_longer_than_the_bound_is_not_waited_for(
    client: HrFlowClient, mocked: responses.RequestsMock, clock: FakeClock
) -> None:
    mocked.get(SCORING_URL, status=429, json=error_body(429, "quota"), headers={"Retry-After": "3600"})

    exc = raise_from(client)

    assert isinstance(exc, HrFlowRateLimited)
    assert clock.waits == []


def test_retry_after_as_an_http_date(
    client: HrFlowClient, mocked: responses.RequestsMock, clock: FakeClock
) -> None:
    mocked.get(SCORING_URL, status=429, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})
    mocked.get(SCORING_URL, json=envelope())

    client.score_jobs(QUERY)

    # A date in the past: retry at once, after the floor that keeps a retry loop from spinning.
    assert clock.waits == [client_module.MIN_RETRY_WAIT_SECONDS]


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors_are_retried_with_backoff(
    client: HrFlowClient, mocked: responses.RequestsMock, clock: FakeClock, status: int
) -> None:
    mocked.get(SCORING_URL, status=status, json=error_body(status, "gateway"))
    mocked.get(SCORING_URL, status=status, json=error_body(status, "gateway"))
    mocked.get(SCORING_URL, json=envelope())

    client.score_jobs(QUERY)

    assert clock.waits == [0.5, 1.0]


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors_give_up_after_the_last_attempt(
    client: HrFlowClient, mocked: responses.RequestsMock, clock: FakeClock, status: int
) -> None:
    mocked.get(SCORING_URL, status=status, json=error_body(status, "gateway"))

    exc = raise_from(client)

    assert isinstance(exc, HrFlowUpstreamError)
    assert exc.retryable is True
    assert exc.user_message == UPSTREAM_ERROR_MESSAGE
    # Backoff 0.5 + 1 + 2 + 4 = 7.5 s of the 10 s budget; the next 4 s wait would cross it.
    assert clock.waits == [0.5, 1.0, 2.0, 4.0]
    assert len(mocked.calls) == 5


def test_backoff_stops_at_the_total_time_bound(
    client: HrFlowClient, mocked: responses.RequestsMock, clock: FakeClock
) -> None:
    client.retry_total_seconds = 1.0
    mocked.get(SCORING_URL, status=503)

    raise_from(client)

    assert clock.waits == [0.5]
    assert len(mocked.calls) == 2


def test_an_html_502_from_a_gateway(
    client: HrFlowClient, mocked: responses.RequestsMock, clock: FakeClock
) -> None:
    mocked.get(
        SCORING_URL, status=502, body="<html><body>Bad Gateway</body></html>", content_type="text/html"
    )

    exc = raise_from(client)

    assert isinstance(exc, HrFlowUpstreamError)
    assert exc.status == 502
    assert len(mocked.calls) == 5  # as many as the 10 s budget allows


def test_a_read_timeout_is_not_retried(
    client: HrFlowClient, mocked: responses.RequestsMock, clock: FakeClock
) -> None:
    mocked.get(SCORING_URL, body=requests.ReadTimeout("read timed out"))

    exc = raise_from(client)

    assert isinstance(exc, HrFlowTimeout)
    assert exc.user_message == TIMEOUT_MESSAGE
    assert len(mocked.calls) == 1
    assert clock.waits == []


def test_a_connect_timeout_is_retried(
    client: HrFlowClient, mocked: responses.RequestsMock, clock: FakeClock
) -> None:
    mocked.get(SCORING_URL, body=requests.ConnectTimeout("connect timed out"))
    mocked.get(SCORING_URL, json=envelope())

    client.score_jobs(QUERY)

    assert clock.waits == [0.5]


def test_a_refused_connection_is_retried_then_reported(clock: FakeClock) -> None:
    with socket.socket() as sock:  # a port that was free a moment ago and is now closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    hrflow = HrFlowClient(base_url=f"http://127.0.0.1:{port}/v1/", api_key=API_KEY, user_email=USER_EMAIL)
    hrflow.clock, hrflow.sleep = clock, clock.sleep

    with pytest.raises(HrFlowConnectionError) as info:
        hrflow.score_jobs(QUERY)

    assert info.value.user_message == CONNECTION_MESSAGE
    assert info.value.retryable is True
    assert clock.waits == [0.5, 1.0, 2.0, 4.0]  # the budget (10 s), not an attempt count
    assert_no_secret(info.value)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("not json at all", "application/json"),
        ('{"code": 200, "data": {"jobs": [], "predictions": []}}', "text/plain"),
        ("<html>ok</html>", "text/html"),
        ("[1, 2, 3]", "application/json"),
        ("", "application/json"),
    ],
)
def test_unreadable_success_responses(
    client: HrFlowClient, mocked: responses.RequestsMock, body: str, content_type: str
) -> None:
    mocked.get(SCORING_URL, status=200, body=body, content_type=content_type)

    exc = raise_from(client)

    assert isinstance(exc, HrFlowMalformedResponse)
    assert exc.user_message == MALFORMED_RESPONSE_MESSAGE
    assert len(mocked.calls) == 1


def test_a_charset_suffix_on_json_is_accepted(client: HrFlowClient, mocked: responses.RequestsMock) -> None:
    mocked.get(SCORING_URL, body='{"code":200,"meta":{},"data":{"jobs":[],"predictions":[]}}',
               content_type="application/json; charset=utf-8")  # fmt: skip

    assert client.score_jobs(QUERY).jobs == ()


@pytest.mark.parametrize(
    "body",
    [
        {"code": 200, "message": "ok"},
        {"code": 200, "message": "ok", "data": {"predictions": []}},
        {"code": 200, "message": "ok", "data": "jobs"},
    ],
)
def test_a_malformed_envelope(
    client: HrFlowClient, mocked: responses.RequestsMock, body: dict[str, object]
) -> None:
    mocked.get(SCORING_URL, json=body)

    exc = raise_from(client)

    assert isinstance(exc, HrFlowMalformedResponse)


def test_predictions_length_mismatch_is_zipped_safely(
    client: HrFlowClient, mocked: responses.RequestsMock
) -> None:
    body = envelope()
    body["data"]["jobs"].append(dict(body["data"]["jobs"][0], key="unscored"))
    mocked.get(SCORING_URL, json=body)

    payload = client.score_jobs(QUERY)

    assert len(payload.jobs) == len(payload.scores) == 1


def test_a_malformed_profile_response(client: HrFlowClient, mocked: responses.RequestsMock) -> None:
    mocked.get(API_URL + "profile/indexing", json={"code": 200, "message": "ok", "data": []})

    with pytest.raises(HrFlowMalformedResponse):
        client.get_profile(SOURCE, PROFILE)


def test_a_malformed_listing(client: HrFlowClient, mocked: responses.RequestsMock) -> None:
    mocked.get(API_URL + "boards", json={"code": 200, "message": "ok", "data": None})

    with pytest.raises(HrFlowMalformedResponse):
        client.list_boards()
