"""Issue 8 fault 6: "Refresh now" while a refresh holds the lease, and manual refreshes that
fail because HrFlow is briefly down.

* Pressing "Refresh now" while another refresh holds a live lease (running, or a dead worker's
  lease not yet run out) queued nothing and said nothing. The row now says "Already refreshing
  since …" (and when an interrupted one is retried).
* A manual refresh of a search without a schedule that failed on a transient upstream error
  (connection, timeout, 502-504) was never tried again. The task now retries it with backoff
  (Celery autoretry, SAVED_SEARCH_MANUAL_RETRIES bounded); errors that retrying cannot fix
  (a 500, bad credentials) and scheduled searches (their own backoff) are not retried by it.

Here the task runs eagerly with the programmable fake upstream; tests/integration has the same
with a real worker and a real outage.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone

from hrflow_dash.celery import app as celery_app
from saved_searches.models import RunStatus, SavedSearch, Schedule, SearchRun, SearchStatus, Trigger
from saved_searches.services import crud
from saved_searches.services.claim import saved_search_claim
from scoring.hrflow.errors import HrFlowBadCredentials, HrFlowConnectionError, HrFlowUpstreamError
from tests.saved_searches.conftest import make_search

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}
MAX_RETRIES = getattr(settings, "SAVED_SEARCH_MANUAL_RETRIES", 3)


@pytest.fixture
def alice(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def eager() -> Iterator[None]:
    """Tasks run inside .delay(); an eager retry runs at once (Celery ignores the countdown).
    Errors are not propagated, as in a worker: a propagated Retry would end the chain."""
    conf = celery_app.conf
    previous = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager, conf.task_eager_propagates = True, False
    try:
        yield
    finally:
        conf.task_always_eager, conf.task_eager_propagates = previous


def held_by_another_refresh(search: SavedSearch) -> SearchRun:
    """A refresh holds the lease (a worker running it, or one that died with it)."""
    SavedSearch.objects.filter(pk=search.pk).update(next_due_at=timezone.now())
    claim = saved_search_claim(search_id=search.pk)
    assert claim is not None
    return SearchRun.objects.get(pk=claim.run_id)


def shown(when: Any) -> str:
    return formats.date_format(timezone.localtime(when), "Y-m-d H:i")


# --- "Refresh now" during a live lease ------------------------------------------------------


def test_refresh_now_during_a_lease_says_already_refreshing_since(
    alice: Client, user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    search = make_search(user)
    run = held_by_another_refresh(search)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = alice.post(reverse("saved_searches:refresh", args=[search.pk]), headers=HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert f"Already refreshing since {shown(run.started_at)}" in body
    search.refresh_from_db()
    assert f"retried automatically after {shown(search.claimed_until)}" in body
    assert callbacks == []  # nothing queued twice


def test_refresh_now_during_a_lease_without_js_says_it_on_the_list(alice: Client, user: Any) -> None:
    search = make_search(user)
    run = held_by_another_refresh(search)
    response = alice.post(reverse("saved_searches:refresh", args=[search.pk]))
    assert response.status_code == 302
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(f"Already refreshing since {shown(run.started_at)}" in n for n in notes), notes


def test_refresh_now_when_idle_still_queues(
    alice: Client, user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    search = make_search(user)
    SavedSearch.objects.filter(pk=search.pk).update(next_due_at=None)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        body = alice.post(reverse("saved_searches:refresh", args=[search.pk]), headers=HX).content.decode()
    assert "Already refreshing" not in body
    assert len(callbacks) == 1


# --- manual refreshes retried after a brief outage -------------------------------------------


def manual_refresh(search: SavedSearch, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert crud.saved_search_request_refresh(search=search)
    search.refresh_from_db()


def unscheduled(user: Any) -> SavedSearch:
    search = make_search(user)
    crud.saved_search_set_schedule(search=search, schedule=Schedule.OFF)
    SavedSearch.objects.filter(pk=search.pk).update(next_due_at=None)
    search.refresh_from_db()
    return search


def statuses(search: SavedSearch) -> list[str]:
    return list(SearchRun.objects.filter(search=search).order_by("pk").values_list("status", flat=True))


def test_a_manual_refresh_failing_on_an_outage_is_retried_until_it_succeeds(
    user: Any, fake_upstream: Any, eager: None, django_capture_on_commit_callbacks: Any
) -> None:
    search = unscheduled(user)
    fake_upstream.answers.extend([HrFlowConnectionError(), HrFlowConnectionError(), [("j1", 0.9)]])
    manual_refresh(search, django_capture_on_commit_callbacks)
    assert statuses(search) == [RunStatus.FAILED, RunStatus.FAILED, RunStatus.SUCCEEDED]
    assert set(SearchRun.objects.filter(search=search).values_list("trigger", flat=True)) == {Trigger.MANUAL}
    assert search.last_status == SearchStatus.SUCCEEDED
    assert search.next_due_at is None  # still manual only
    assert search.last_error == ""


def test_retries_are_bounded(
    user: Any, fake_upstream: Any, eager: None, django_capture_on_commit_callbacks: Any
) -> None:
    search = unscheduled(user)
    fake_upstream.answers.extend([HrFlowConnectionError() for _ in range(MAX_RETRIES + 5)])
    manual_refresh(search, django_capture_on_commit_callbacks)
    assert statuses(search) == [RunStatus.FAILED] * (MAX_RETRIES + 1)
    assert search.last_status == SearchStatus.FAILED
    assert search.next_due_at is None  # gave up: nothing left to pick it up again
    assert search.enqueued_until is None or search.enqueued_until <= timezone.now()
    assert len(fake_upstream.answers) == 4  # the rest were never asked for


@pytest.mark.parametrize("error", [HrFlowUpstreamError(status=500), HrFlowBadCredentials()])
def test_errors_retrying_cannot_fix_are_not_retried(
    user: Any, fake_upstream: Any, eager: None, django_capture_on_commit_callbacks: Any, error: Exception
) -> None:
    search = unscheduled(user)
    fake_upstream.answers.extend([error, [("j1", 0.9)]])
    manual_refresh(search, django_capture_on_commit_callbacks)
    assert statuses(search) == [RunStatus.FAILED]
    assert search.next_due_at is None


def test_scheduled_searches_keep_their_own_backoff(
    user: Any, fake_upstream: Any, eager: None, django_capture_on_commit_callbacks: Any
) -> None:
    search = make_search(user)  # daily
    SavedSearch.objects.filter(pk=search.pk).update(next_due_at=None)
    fake_upstream.answers.extend([HrFlowConnectionError(), [("j1", 0.9)]])
    manual_refresh(search, django_capture_on_commit_callbacks)
    assert statuses(search) == [RunStatus.FAILED]
    assert search.next_due_at is not None
    assert search.next_due_at > timezone.now()  # the tick retries it after the usual backoff
