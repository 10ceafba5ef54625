"""An open circuit breaker defers a refresh like a 429: no failed run, no backoff, no error."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import responses
from django.core.cache import cache
from django.utils import timezone

from saved_searches.models import RunStatus, SearchRun, SearchStatus
from saved_searches.services.refresh import UNAVAILABLE_DEFER_MESSAGE, Outcome, saved_search_refresh
from scoring.hrflow import breaker
from tests.saved_searches.conftest import make_due, make_search
from tests.scoring.hrflow.payloads import API_KEY, API_URL, USER_EMAIL, envelope

pytestmark = pytest.mark.django_db


def test_an_open_breaker_defers_the_refresh_without_calling_hrflow(user: Any, settings: Any) -> None:
    settings.HRFLOW_API_URL, settings.HRFLOW_API_KEY, settings.HRFLOW_USER_EMAIL = (
        API_URL,
        API_KEY,
        USER_EMAIL,
    )
    settings.HRFLOW_BREAKER_RESET_SECONDS = 30
    cache.clear()
    search = make_search(user)
    make_due(search)
    breaker.get_breaker(API_URL).open()  # HrFlow known down (by any process)
    before = timezone.now()
    try:
        with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
            mocked.get(API_URL + "jobs/scoring", json=envelope())
            assert saved_search_refresh(search_id=search.pk) == Outcome.DEFERRED
            assert len(mocked.calls) == 0
    finally:
        breaker.reset(API_URL)

    search.refresh_from_db()
    assert search.last_status == SearchStatus.DEFERRED
    assert search.failure_count == 0
    assert search.last_error == ""
    # Due again when the breaker lets a probe through, not after a backoff.
    assert search.next_due_at is not None
    assert (
        before + dt.timedelta(seconds=25) <= search.next_due_at <= timezone.now() + dt.timedelta(seconds=31)
    )
    run = SearchRun.objects.get(search=search)
    assert (run.status, run.error) == (RunStatus.DEFERRED, UNAVAILABLE_DEFER_MESSAGE)
