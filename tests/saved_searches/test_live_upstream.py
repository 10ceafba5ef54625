"""The refresh against the live sandbox over HTTP; `responses` only injects faults."""

from __future__ import annotations

from typing import Any

import pytest
import responses
from django.core.cache import cache

from saved_searches.models import RunStatus, SearchRun, SearchStatus
from saved_searches.services import crud
from saved_searches.services.refresh import Outcome, saved_search_refresh
from saved_searches.services.upstream import fetch_top_results
from scoring import selectors
from scoring.hrflow.errors import RATE_LIMITED_MESSAGE, UPSTREAM_ERROR_MESSAGE
from scoring.hrflow.query import JobQuery
from tests.saved_searches.conftest import make_due

pytestmark = pytest.mark.django_db


@pytest.fixture
def upstream(live_sandbox: Any, settings: Any) -> Any:
    settings.HRFLOW_API_URL = live_sandbox.url
    settings.HRFLOW_API_KEY = live_sandbox.api_key
    settings.HRFLOW_USER_EMAIL = live_sandbox.user_email
    settings.HRFLOW_RETRY_TOTAL_SECONDS = 0  # faults surface at once
    cache.clear()
    return live_sandbox


@pytest.fixture
def live_query(upstream: Any, settings: Any) -> str:
    source_key = settings.HRFLOW_SOURCE_KEYS[0]
    candidate = selectors.profile_search(source_key=source_key, name="", limit=1)[0]
    query = JobQuery(
        board_keys=tuple(settings.HRFLOW_BOARD_KEYS),
        source_key=source_key,
        profile_key=candidate.key,
        algorithm_key=settings.HRFLOW_ALGORITHM_KEYS[0],
    )
    return query.to_query_string()


def test_fetch_top_results_ranks_real_jobs(live_query: str) -> None:
    rows = fetch_top_results(live_query, 12)
    assert 0 < len(rows) <= 12
    assert [row.rank for row in rows] == list(range(1, len(rows) + 1))
    scores = [row.score for row in rows]
    assert all(score is not None for score in scores)
    assert scores == sorted(scores, reverse=True)  # type: ignore[type-var]
    assert len({row.key for row in rows}) == len(rows)


def test_refresh_against_sandbox_then_faults(
    user: Any, live_query: str, upstream: Any, settings: Any
) -> None:
    settings.SAVED_SEARCH_TOP_N = 10
    search = crud.saved_search_create(owner=user, name="live", query_string=live_query)
    assert saved_search_refresh(search_id=search.pk) == Outcome.SUCCEEDED
    run = SearchRun.objects.get(search=search)
    assert run.status == RunStatus.SUCCEEDED
    assert 0 < (run.total or 0) <= 10

    scoring_url = upstream.url + "jobs/scoring"
    with responses.RequestsMock() as rsps:
        rsps.get(
            scoring_url, status=429, json={"code": 429, "message": "slow down"}, headers={"Retry-After": "30"}
        )
        cache.clear()  # no cached answer: the call must reach (the mocked) upstream
        make_due(search)
        assert saved_search_refresh(search_id=search.pk) == Outcome.DEFERRED
    search.refresh_from_db()
    assert (search.last_status, search.failure_count) == (SearchStatus.DEFERRED, 0)
    assert SearchRun.objects.filter(search=search).first().error == RATE_LIMITED_MESSAGE  # type: ignore[union-attr]

    with responses.RequestsMock() as rsps:
        rsps.get(scoring_url, status=500, json={"code": 500, "message": "internal"})
        cache.clear()
        make_due(search)
        assert saved_search_refresh(search_id=search.pk) == Outcome.FAILED
    search.refresh_from_db()
    assert (search.last_status, search.failure_count, search.last_error) == (
        SearchStatus.FAILED,
        1,
        UPSTREAM_ERROR_MESSAGE,
    )
    assert search.last_total == run.total  # the previous results stay
