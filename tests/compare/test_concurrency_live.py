"""The matrix's upstream calls run at once, through the shared limiter: a proxy in front of the
sandbox adds latency and counts the requests in flight (benchmarks/_refresh_proxy.py)."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from benchmarks._refresh_proxy import RateCappedProxy
from tests.compare import demo_trio
from tests.fixtures.sandbox import point_dashboard_at

pytestmark = pytest.mark.django_db(transaction=True)
LATENCY = 0.4


@pytest.fixture
def proxy(settings: Any, live_sandbox: Any) -> Iterator[RateCappedProxy]:
    server = RateCappedProxy(live_sandbox.url, cap_per_minute=100_000, latency=LATENCY).start()
    point_dashboard_at(
        settings,
        SimpleNamespace(url=server.url, api_key=live_sandbox.api_key, user_email=live_sandbox.user_email),
    )
    yield server
    server.stop()


@pytest.fixture
def recruiter(client: Client, django_user_model: Any) -> Client:
    client.force_login(django_user_model.objects.create_user("rita", password="x"))
    return client


def test_five_candidates_are_read_at_once_with_the_default_limits(
    recruiter: Client, proxy: RateCappedProxy
) -> None:
    recruiter.get("/compare/")  # boards and sources listed (and cached) before the measurement
    proxy.peak_in_flight = 0
    response = recruiter.get("/compare/?" + demo_trio.matrix_query_string(demo_trio.FIVE))
    assert response.status_code == 200
    matrix = response.context["matrix"]
    assert len(matrix.columns) == 5
    assert not matrix.failed
    # Five profiles and five scoring calls, all in flight together (the limiter's default
    # HRFLOW_MAX_CONCURRENCY, 64, lets them): each waits 0.4 s in the proxy, so the calls
    # overlap if and only if they ran at once. (The time budget: benchmarks/candidate_matrix.py.)
    assert proxy.peak_in_flight == 10


def test_the_matrix_waits_on_the_shared_limiter_like_every_call(
    recruiter: Client, proxy: RateCappedProxy, settings: Any
) -> None:
    recruiter.get("/compare/")
    settings.HRFLOW_MAX_CONCURRENCY = 1  # one upstream request at a time, for every caller
    settings.HRFLOW_LIMIT_WAIT_INTERACTIVE_SECONDS = 30
    proxy.peak_in_flight = 0
    response = recruiter.get("/compare/?" + demo_trio.matrix_query_string(demo_trio.TRIO))
    assert response.status_code == 200
    assert not response.context["matrix"].failed
    # Bug caught: threads calling a client built without the limiter (or their own session).
    assert proxy.peak_in_flight == 1
