from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from saved_searches import selectors
from saved_searches.models import RunStatus, SavedSearch, Schedule, SearchRun, SearchStatus, SeenJob
from saved_searches.services import crud
from saved_searches.services.crud import CAP_REACHED_MESSAGE
from saved_searches.services.refresh import (
    GENERIC_ERROR_MESSAGE,
    Outcome,
    backoff_delay,
    saved_search_refresh,
)
from scoring.hrflow.errors import (
    RATE_LIMITED_MESSAGE,
    UPSTREAM_ERROR_MESSAGE,
    HrFlowRateLimited,
    HrFlowUpstreamError,
)
from tests.saved_searches.conftest import QUERY, make_due, make_search

pytestmark = pytest.mark.django_db


def _refresh(search: SavedSearch) -> Outcome:
    make_due(search)
    outcome = saved_search_refresh(search_id=search.pk)
    search.refresh_from_db()
    return outcome


def test_refresh_stores_run_seen_jobs_and_schedules_next(
    user: Any, fake_upstream: Any, settings: Any
) -> None:
    settings.SAVED_SEARCH_TOP_N = 7
    search = make_search(user)
    fake_upstream.answers.append([("j1", 0.9), ("j2", 0.8)])
    before = timezone.now()
    assert _refresh(search) == Outcome.SUCCEEDED
    assert fake_upstream.calls == [(QUERY, 7)]
    run = SearchRun.objects.get(search=search)
    assert run.status == RunStatus.SUCCEEDED
    assert run.total == 2
    assert run.results == [{"key": "j1", "score": 0.9, "rank": 1}, {"key": "j2", "score": 0.8, "rank": 2}]
    assert search.last_status == SearchStatus.SUCCEEDED
    assert search.baseline_run_id == run.pk
    assert search.claimed_until is None
    assert search.next_due_at is not None
    assert search.next_due_at >= before + dt.timedelta(days=1)
    assert set(SeenJob.objects.filter(search=search).values_list("job_key", flat=True)) == {"j1", "j2"}


def test_baseline_run_is_not_new_later_runs_are(user: Any, fake_upstream: Any) -> None:
    search = make_search(user)
    fake_upstream.answers += [[("j1", 0.9), ("j2", 0.8)], [("j3", 0.95), ("j1", 0.7)]]
    _refresh(search)
    assert selectors.new_job_count(search, viewer=search.owner) == 0
    _refresh(search)
    run = SearchRun.objects.filter(search=search).order_by("-pk").first()
    assert run is not None
    assert (run.new_count, run.dropped_count, run.changed_count) == (1, 1, 1)
    assert selectors.new_job_count(search, viewer=search.owner) == 1
    assert selectors.saved_search_list(owner=user).get(pk=search.pk).new_count == 1  # type: ignore[attr-defined]
    dropped = SeenJob.objects.get(search=search, job_key="j2")
    assert dropped.dropped_at is not None
    moved = SeenJob.objects.get(search=search, job_key="j1")
    assert moved.last_score == 0.7
    assert moved.last_rank == 2


def test_opening_marks_viewed_but_page_still_shows_what_was_new(user: Any, fake_upstream: Any) -> None:
    search = make_search(user)
    fake_upstream.answers += [
        [("j1", 0.9)],
        [("j1", 0.9), ("j2", 0.8)],
        [("j1", 0.9), ("j2", 0.8), ("j3", 0.7)],
    ]
    _refresh(search)
    _refresh(search)
    crud.saved_search_mark_viewed(search=search, viewer=search.owner)
    assert selectors.new_job_count(search, viewer=search.owner) == 0  # the list badge clears
    assert selectors.new_job_keys(search, viewer=search.owner) == {"j2"}  # the page opened now still flags j2
    _refresh(search)
    assert selectors.new_job_count(search, viewer=search.owner) == 1
    crud.saved_search_mark_viewed(search=search, viewer=search.owner)
    assert selectors.new_job_keys(search, viewer=search.owner) == {"j3"}


def test_edit_starts_a_new_baseline(user: Any, fake_upstream: Any) -> None:
    search = make_search(user)
    fake_upstream.answers += [[("j1", 0.9)], [("j1", 0.9), ("j2", 0.8)], [("x1", 0.9), ("x2", 0.5)]]
    _refresh(search)
    _refresh(search)
    assert selectors.new_job_count(search, viewer=search.owner) == 1
    crud.saved_search_update_filters(search=search, query_string=QUERY.replace("python", "rust"))
    search.refresh_from_db()
    assert search.baseline_run_id is None
    assert "rust" in search.query_string
    assert search.next_due_at is not None
    assert selectors.new_job_count(search, viewer=search.owner) == 0
    assert _refresh(search) == Outcome.SUCCEEDED
    # everything the new filters find is the baseline
    assert selectors.new_job_count(search, viewer=search.owner) == 0
    run = SearchRun.objects.filter(search=search).order_by("-pk").first()
    assert run is not None
    assert run.dropped_count == 0


def test_failure_records_error_backs_off_and_keeps_previous_results(user: Any, fake_upstream: Any) -> None:
    search = make_search(user)
    fake_upstream.answers += [[("j1", 0.9)], HrFlowUpstreamError("boom", status=503), RuntimeError("bug")]
    _refresh(search)
    before = timezone.now()
    assert _refresh(search) == Outcome.FAILED
    assert search.last_status == SearchStatus.FAILED
    assert search.last_error == UPSTREAM_ERROR_MESSAGE
    assert search.failure_count == 1
    assert search.next_due_at is not None
    assert (
        before + dt.timedelta(seconds=59) <= search.next_due_at <= timezone.now() + dt.timedelta(seconds=61)
    )
    failed = SearchRun.objects.filter(search=search, status=RunStatus.FAILED).get()
    assert failed.error == UPSTREAM_ERROR_MESSAGE
    # Previous results stay: seen jobs and the last successful run are untouched.
    assert list(SeenJob.objects.filter(search=search).values_list("job_key", flat=True)) == ["j1"]
    assert search.last_total == 1
    with pytest.raises(RuntimeError):
        _refresh(search)
    search.refresh_from_db()
    assert search.failure_count == 2
    assert search.last_error == GENERIC_ERROR_MESSAGE  # never the raw exception text
    assert "bug" not in search.last_error


def test_backoff_grows_exponentially_and_is_capped(settings: Any) -> None:
    settings.SAVED_SEARCH_BACKOFF_BASE_SECONDS = 60
    settings.SAVED_SEARCH_BACKOFF_MAX_SECONDS = 3600
    assert [backoff_delay(n).total_seconds() for n in range(1, 8)] == [60, 120, 240, 480, 960, 1920, 3600]
    assert backoff_delay(500).total_seconds() == 3600


def test_success_resets_failure_count(user: Any, fake_upstream: Any) -> None:
    search = make_search(user)
    fake_upstream.answers += [HrFlowUpstreamError("x", status=502), [("j1", 0.5)]]
    _refresh(search)
    assert search.failure_count == 1
    _refresh(search)
    assert search.failure_count == 0
    assert search.last_error == ""


def test_429_defers_without_failing_or_backoff(user: Any, fake_upstream: Any) -> None:
    search = make_search(user)
    fake_upstream.answers.append(HrFlowRateLimited("slow down", retry_after=42))
    before = timezone.now()
    assert _refresh(search) == Outcome.DEFERRED
    assert search.last_status == SearchStatus.DEFERRED
    assert search.failure_count == 0
    assert search.last_error == ""
    assert search.next_due_at is not None
    assert (
        before + dt.timedelta(seconds=41) <= search.next_due_at <= timezone.now() + dt.timedelta(seconds=43)
    )
    run = SearchRun.objects.get(search=search)
    assert run.status == RunStatus.DEFERRED
    assert run.error == RATE_LIMITED_MESSAGE


def test_no_upstream_capacity_defers_without_calling(user: Any, settings: Any) -> None:
    # The limiter sits in the HrFlow client (scoring/hrflow/ratelimit.py): the real fetcher,
    # a mocked upstream that must see no request.
    import responses

    from scoring.hrflow.ratelimit import get_store
    from tests.scoring.hrflow.payloads import API_KEY, API_URL, USER_EMAIL

    settings.HRFLOW_API_URL, settings.HRFLOW_API_KEY, settings.HRFLOW_USER_EMAIL = (
        API_URL,
        API_KEY,
        USER_EMAIL,
    )
    settings.HRFLOW_MAX_CONCURRENCY = 1
    settings.HRFLOW_LIMIT_WAIT_SECONDS = 0
    assert get_store().take("slot:0", "someone-else", 60)
    search = make_search(user)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        mocked.get(API_URL + "jobs/scoring", status=500)
        assert _refresh(search) == Outcome.DEFERRED
        assert len(mocked.calls) == 0
    assert search.failure_count == 0
    assert search.last_status == SearchStatus.DEFERRED


def test_paused_and_off_searches_are_not_rescheduled(user: Any, fake_upstream: Any) -> None:
    search = make_search(user)
    crud.saved_search_set_schedule(search=search, schedule=Schedule.OFF)
    assert search.next_due_at is None
    crud.saved_search_set_schedule(search=search, schedule=Schedule.HOURLY)
    assert search.next_due_at is not None
    crud.saved_search_set_paused(search=search, paused=True)
    assert search.next_due_at is None
    fake_upstream.answers.append([("j1", 0.5)])
    assert crud.saved_search_request_refresh(search=search)  # "Refresh now" works while paused
    assert _refresh(search) == Outcome.SUCCEEDED
    assert search.next_due_at is None


def test_per_user_cap(user: Any, other_user: Any, settings: Any) -> None:
    settings.SAVED_SEARCH_CAP_PER_USER = 2
    make_search(user, name="one")
    make_search(user, name="two")
    with pytest.raises(ValidationError) as exc:
        make_search(user, name="three")
    assert exc.value.messages == [CAP_REACHED_MESSAGE.format(cap=2)]
    make_search(other_user, name="theirs")  # the cap is per user
    assert SavedSearch.objects.filter(owner=user).count() == 2


def test_create_canonicalises_and_rejects_bad_queries(user: Any) -> None:
    profile = "p" * 40
    search = crud.saved_search_create(
        owner=user, name="x", query_string=f"skills=python&profile_key={profile}&board_keys=b1"
    )
    assert search.query_string == f"board_keys=b1&profile_key={profile}&skills=python"
    with pytest.raises(ValidationError, match="not valid"):
        crud.saved_search_create(owner=user, name="y", query_string="lat=100&lng=2")
    with pytest.raises(ValidationError, match="Pick a candidate"):
        crud.saved_search_create(owner=user, name="z", query_string="skills=python&board_keys=b1")
    with pytest.raises(ValidationError, match="Pick a candidate"):
        crud.saved_search_create(owner=user, name="z", query_string=f"profile_key={profile}")


def test_failed_manual_refresh_of_an_off_search_is_not_retried(user: Any, fake_upstream: Any) -> None:
    search = make_search(user, schedule=Schedule.OFF, next_due_at=None)
    fake_upstream.answers.append(HrFlowUpstreamError("x", status=502))
    assert crud.saved_search_request_refresh(search=search)
    assert _refresh(search) == Outcome.FAILED
    assert search.failure_count == 1
    assert search.next_due_at is None
