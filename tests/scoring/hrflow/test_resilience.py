"""Issue 8: the client behind a slow or failing HrFlow (timeouts per kind of call, the retry
budget, failing fast once HrFlow is known down). `responses` injects the faults."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
import responses
from django.core.cache import cache

from scoring.hrflow.client import HrFlowClient, get_client
from scoring.hrflow.errors import HrFlowError, HrFlowTimeout
from scoring.hrflow.query import JobQuery
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
BUSY = {"code": 503, "message": "busy"}
QUERY = JobQuery(board_keys=(BOARD_A,), source_key=SOURCE, profile_key=PROFILE, algorithm_key=ALGORITHM)


@pytest.fixture
def configured(settings: Any) -> Iterator[Any]:
    """get_client() pointed at the mocked HrFlow (the wiring every caller uses)."""
    settings.HRFLOW_API_URL = API_URL
    settings.HRFLOW_API_KEY = API_KEY
    settings.HRFLOW_USER_EMAIL = USER_EMAIL
    settings.HRFLOW_RETRY_TOTAL_SECONDS = 0
    cache.clear()
    yield settings
    cache.clear()


@pytest.mark.django_db
def test_interactive_calls_time_out_sooner_than_background_ones(
    configured: Any, mocked: responses.RequestsMock
) -> None:
    from scoring.hrflow.calls import background_calls

    configured.HRFLOW_TIMEOUT_INTERACTIVE = 5.0
    configured.HRFLOW_TIMEOUT_BACKGROUND = 15.0
    mocked.get(SCORING_URL, json=envelope())

    get_client().score_jobs(QUERY)
    with background_calls():
        get_client().score_jobs(QUERY)
    get_client().score_jobs(QUERY)  # back to interactive after the block

    timeouts = [call.request.req_kwargs["timeout"] for call in mocked.calls]  # type: ignore[attr-defined]
    connect = configured.HRFLOW_CONNECT_TIMEOUT
    assert timeouts == [(connect, 5.0), (connect, 15.0), (connect, 5.0)]


def test_the_retry_budget_is_honoured_rather_than_an_attempt_count(
    client: HrFlowClient, mocked: responses.RequestsMock, clock: FakeClock
) -> None:
    # Five 503s asking for a one-second pause, then an answer: 5 s of a 10 s budget.
    for _ in range(5):
        mocked.get(SCORING_URL, status=503, json=BUSY, headers={"Retry-After": "1"})
    mocked.get(SCORING_URL, json=envelope())

    payload = client.score_jobs(QUERY)

    assert len(payload.jobs) == 1
    assert len(mocked.calls) == 6
    assert clock.waits == [1.0] * 5


def test_a_503_retry_after_is_waited_for_until_the_budget_runs_out(
    client: HrFlowClient, mocked: responses.RequestsMock, clock: FakeClock
) -> None:
    mocked.get(SCORING_URL, status=503, json=BUSY, headers={"Retry-After": "4"})

    with pytest.raises(HrFlowError):
        client.score_jobs(QUERY)

    # 4 s, 4 s, and a third wait would end at 12 s, past the 10 s budget.
    assert clock.waits == [4.0, 4.0]
    assert len(mocked.calls) == 3


@pytest.mark.django_db
def test_once_hrflow_is_known_down_searches_fail_fast_without_calling_it(
    configured: Any, mocked: responses.RequestsMock
) -> None:
    mocked.get(SCORING_URL, body=requests.ReadTimeout("read timed out"))
    for _ in range(5):
        with pytest.raises(HrFlowTimeout):
            get_client().score_jobs(QUERY)
    assert len(mocked.calls) == 5

    with pytest.raises(HrFlowError) as info:
        get_client().score_jobs(QUERY)

    assert len(mocked.calls) == 5, "no HTTP call once the breaker is open"
    assert "HrFlow" in info.value.user_message
