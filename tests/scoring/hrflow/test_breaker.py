"""The circuit breaker (scoring/hrflow/breaker.py) as every caller gets it through get_client()."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pybreaker
import pytest
import requests
import responses
from django.core.cache import cache
from django.utils import timezone

from scoring.hrflow import breaker
from scoring.hrflow.client import get_client
from scoring.hrflow.errors import (
    UNAVAILABLE_MESSAGE,
    HrFlowBadRequest,
    HrFlowTimeout,
    HrFlowUnavailable,
    HrFlowUpstreamError,
)
from scoring.hrflow.query import JobQuery
from scoring.hrflow.ratelimit import get_store
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

pytestmark = pytest.mark.django_db

SCORING_URL = API_URL + "jobs/scoring"
QUERY = JobQuery(board_keys=(BOARD_A,), source_key=SOURCE, profile_key=PROFILE, algorithm_key=ALGORITHM)


@pytest.fixture(autouse=True)
def configured(settings: Any) -> Iterator[Any]:
    settings.HRFLOW_API_URL = API_URL
    settings.HRFLOW_API_KEY = API_KEY
    settings.HRFLOW_USER_EMAIL = USER_EMAIL
    settings.HRFLOW_RETRY_TOTAL_SECONDS = 0
    cache.clear()
    breaker.reset(API_URL)
    yield settings
    breaker.reset(API_URL)
    cache.clear()


def _trip(mocked: responses.RequestsMock, times: int = 5) -> None:
    mocked.get(SCORING_URL, body=requests.ReadTimeout("read timed out"))
    for _ in range(times):
        with pytest.raises(HrFlowTimeout):
            get_client().score_jobs(QUERY)


def _cool_down_elapsed() -> None:
    """Move the opening back past the cool-down (the shared state, as another process sees it)."""
    hrflow = breaker.get_breaker(API_URL)
    past = timezone.now() - dt.timedelta(seconds=hrflow.reset_timeout + 1)
    storage = hrflow._state_storage
    if isinstance(storage, pybreaker.CircuitRedisStorage):  # its setter only moves forward
        storage._redis.set(storage._namespace("opened_at"), int(past.timestamp()))
    else:
        storage.opened_at = past


def test_five_consecutive_failures_open_it_and_calls_then_fail_fast(mocked: responses.RequestsMock) -> None:
    _trip(mocked)

    with pytest.raises(HrFlowUnavailable) as info:
        get_client().score_jobs(QUERY)

    assert len(mocked.calls) == 5
    assert info.value.user_message == UNAVAILABLE_MESSAGE
    assert 0 < (info.value.retry_after or 0) <= 30  # until the probe


def test_5xx_count_as_failures(mocked: responses.RequestsMock) -> None:
    mocked.get(SCORING_URL, status=500, json={"code": 500, "message": "internal"})
    for _ in range(5):
        with pytest.raises(HrFlowUpstreamError):
            get_client().score_jobs(QUERY)
    with pytest.raises(HrFlowUnavailable):
        get_client().score_jobs(QUERY)
    assert len(mocked.calls) == 5


def test_4xx_do_not_count_and_a_success_resets_the_count(mocked: responses.RequestsMock) -> None:
    mocked.get(SCORING_URL, status=400, json={"code": 400, "message": "bad filter"})
    for _ in range(8):
        with pytest.raises(HrFlowBadRequest):
            get_client().score_jobs(QUERY)
    assert len(mocked.calls) == 8  # HrFlow answered each time: never open

    mocked.replace(responses.GET, SCORING_URL, body=requests.ReadTimeout("read timed out"))
    for _ in range(4):
        with pytest.raises(HrFlowTimeout):
            get_client().score_jobs(QUERY)
    mocked.replace(responses.GET, SCORING_URL, json=envelope())
    get_client().score_jobs(QUERY)
    mocked.replace(responses.GET, SCORING_URL, body=requests.ReadTimeout("read timed out"))
    for _ in range(4):
        with pytest.raises(HrFlowTimeout):
            get_client().score_jobs(QUERY)
    assert breaker.get_breaker(API_URL).current_state == pybreaker.STATE_CLOSED  # 4, 1 success, 4


def test_after_the_cool_down_one_probe_closes_it(mocked: responses.RequestsMock) -> None:
    _trip(mocked)
    _cool_down_elapsed()
    mocked.replace(responses.GET, SCORING_URL, json=envelope())

    get_client().score_jobs(QUERY)  # the probe
    get_client().score_jobs(QUERY)

    assert len(mocked.calls) == 7
    assert breaker.get_breaker(API_URL).current_state == pybreaker.STATE_CLOSED


def test_a_failed_probe_opens_it_for_another_cool_down(mocked: responses.RequestsMock) -> None:
    _trip(mocked)
    _cool_down_elapsed()

    with pytest.raises(HrFlowTimeout):
        get_client().score_jobs(QUERY)  # the probe, still timing out
    with pytest.raises(HrFlowUnavailable):
        get_client().score_jobs(QUERY)

    assert len(mocked.calls) == 6
    hrflow = breaker.get_breaker(API_URL)
    assert hrflow.current_state == pybreaker.STATE_OPEN
    assert breaker.seconds_until_probe(hrflow) > hrflow.reset_timeout - 5  # a fresh cool-down


def test_only_one_probe_at_a_time(mocked: responses.RequestsMock) -> None:
    _trip(mocked)
    _cool_down_elapsed()
    mocked.replace(responses.GET, SCORING_URL, json=envelope())
    # Another process is probing right now: it holds the probe token.
    assert get_store().take(f"{breaker.breaker_name(API_URL)}:probe", "another-process", 60)

    with pytest.raises(HrFlowUnavailable):
        get_client().score_jobs(QUERY)

    assert len(mocked.calls) == 5, "no second probe while one is in flight"


class _PairServer:
    """Answers only once two requests are in flight at the same time."""

    def __init__(self) -> None:
        barrier = threading.Barrier(2, timeout=10)
        body = json.dumps(envelope()).encode()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                try:
                    barrier.wait()
                    status = 200
                except threading.BrokenBarrierError:
                    status = 504
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1/"


@pytest.mark.django_db(transaction=True)
def test_the_breaker_does_not_serialise_the_threads_of_a_process(settings: Any) -> None:
    """pybreaker's call() holds a lock for the whole call: one web thread at a time would reach
    HrFlow. The client must let threads call concurrently."""
    server = _PairServer()
    settings.HRFLOW_API_URL = server.url
    results: list[object] = []

    def search() -> None:
        try:
            results.append(get_client().score_jobs(QUERY))
        except Exception as exc:
            results.append(exc)

    threads = [threading.Thread(target=search) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    server.server.shutdown()
    assert len(results) == 2
    assert not [r for r in results if isinstance(r, Exception)], results


def test_the_breaker_follows_the_cache_setting_it_was_built_under(settings: Any, monkeypatch: Any) -> None:
    """A breaker built while the cache was not Redis must not be reused once it is: the client's
    breaker and every other instance for the same upstream must share one storage (CI's random
    order ran a locmem test first, and the breaker tests then opened one storage and cooled down
    another)."""
    built: list[tuple[str, str]] = []

    def storage_for(*args: str) -> pybreaker.CircuitBreakerStorage:
        built.append((args[0], args[1]))  # (kind, location); no Redis server needed here
        return pybreaker.CircuitMemoryStorage(pybreaker.STATE_CLOSED)

    redis_url = "redis://127.0.0.1:6379/9"
    settings.HRFLOW_BREAKER_STORE = "auto"
    breaker._breaker.cache_clear()
    try:
        with monkeypatch.context() as patch:
            patch.setattr(breaker, "_storage_for", storage_for)
            settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
            breaker.get_breaker(API_URL)
            settings.CACHES = {
                "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
            }
            breaker.get_breaker(API_URL)
    finally:
        # No breaker on the fake storage may outlive the test (the teardown's reset builds one).
        breaker._breaker.cache_clear()
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    assert built == [("database", ""), ("redis", redis_url)]
