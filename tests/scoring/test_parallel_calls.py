"""A search for a candidate whose profile is not cached asks HrFlow for the profile and the
scoring at once (scoring/parallel.py), through the one client, against the live sandbox behind a
proxy that holds every request 0.4 s and counts how many it holds at a time."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from benchmarks._refresh_proxy import RateCappedProxy
from scoring import parallel
from tests.fixtures.sandbox import point_dashboard_at
from tests.scoring import demo_pair

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def proxy(live_sandbox: Any, settings: Any) -> Iterator[RateCappedProxy]:
    held = RateCappedProxy(live_sandbox.url, cap_per_minute=10_000, latency=0.4).start()
    point_dashboard_at(settings, live_sandbox)
    settings.HRFLOW_API_URL = held.url
    try:
        yield held
    finally:
        held.stop()


@pytest.fixture
def recruiter() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.create_user("parallel", password="pw-for-tests"))
    return client


def search(client: Client, **extra: str) -> str:
    response = client.get("/", {**demo_pair.search_params(), **extra}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.content.decode()


def test_the_profile_and_the_scoring_are_asked_at_once(proxy: RateCappedProxy, recruiter: Client) -> None:
    if not parallel.available():
        pytest.skip("SQLite's in-memory test database takes one writer: run on PostgreSQL (.ci/run)")
    search(recruiter)  # boards, sources, algorithms are listed once (cached), one after the other
    proxy.peak_in_flight = 0
    calls_before = len(proxy.forwarded)
    search(recruiter)
    assert len(proxy.forwarded) == calls_before  # the same search again: all from the cache
    from django.core.cache import cache

    cache.clear()  # a candidate picked for the first time: neither answer cached
    proxy.peak_in_flight = 0
    html = search(recruiter)
    assert proxy.peak_in_flight >= 2, "the profile and scoring calls waited for each other"
    assert demo_pair.JOB_KEY in html  # the page is whole: the candidate's jobs


def test_a_call_inside_a_transaction_runs_in_the_callers_thread(db: None) -> None:
    import threading

    from django.db import transaction

    with transaction.atomic():
        future = parallel.submit(threading.current_thread)
    assert future.result() is threading.current_thread()
    if parallel.available():  # PostgreSQL: in the pool
        assert parallel.submit(threading.current_thread).result() is not threading.current_thread()
