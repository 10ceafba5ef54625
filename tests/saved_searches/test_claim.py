from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from saved_searches.models import RunStatus, SavedSearch, SearchRun, SearchStatus
from saved_searches.services.claim import (
    ABANDONED_ERROR,
    saved_search_claim,
    saved_search_due_ids,
    saved_search_mark_enqueued,
)
from saved_searches.services.refresh import Outcome, saved_search_refresh
from tests.saved_searches.conftest import make_due, make_search

pytestmark = pytest.mark.django_db


def test_not_due_is_not_claimed(user: Any) -> None:
    search = make_search(user)
    SavedSearch.objects.filter(pk=search.pk).update(next_due_at=timezone.now() + dt.timedelta(minutes=5))
    assert saved_search_claim(search_id=search.pk) is None
    SavedSearch.objects.filter(pk=search.pk).update(next_due_at=None)
    assert saved_search_claim(search_id=search.pk) is None


def test_second_claimer_loses_while_lease_is_live(user: Any) -> None:
    search = make_search(user)
    make_due(search)
    first = saved_search_claim(search_id=search.pk)
    assert first is not None
    assert saved_search_claim(search_id=search.pk) is None
    search.refresh_from_db()
    assert search.claim_token == first.token
    assert search.last_status == SearchStatus.RUNNING
    assert SearchRun.objects.filter(search=search).count() == 1


def test_lease_expiry_lets_a_later_claim_in_and_abandons_the_orphan_run(user: Any, settings: Any) -> None:
    settings.SAVED_SEARCH_LEASE_SECONDS = 30
    search = make_search(user)
    make_due(search)
    dead = saved_search_claim(search_id=search.pk)  # its worker is "killed": never finishes
    assert dead is not None
    later = timezone.now() + dt.timedelta(seconds=31)
    assert saved_search_claim(search_id=search.pk, now=later - dt.timedelta(seconds=2)) is None
    second = saved_search_claim(search_id=search.pk, now=later)
    assert second is not None
    assert second.token != dead.token
    orphan = SearchRun.objects.get(pk=dead.run_id)
    assert orphan.status == RunStatus.ABANDONED
    assert orphan.error == ABANDONED_ERROR
    assert SearchRun.objects.get(pk=second.run_id).status == RunStatus.RUNNING


def test_late_finish_of_a_superseded_claim_writes_nothing(
    user: Any, settings: Any, fake_upstream: Any
) -> None:
    settings.SAVED_SEARCH_LEASE_SECONDS = 30
    search = make_search(user)
    make_due(search)
    stale = saved_search_claim(search_id=search.pk)
    assert stale is not None
    SavedSearch.objects.filter(pk=search.pk).update(claimed_until=timezone.now() - dt.timedelta(seconds=1))
    fake_upstream.answers.append([("j1", 0.9)])
    assert saved_search_refresh(search_id=search.pk) == Outcome.SUCCEEDED

    from saved_searches.services.refresh import _succeed

    assert _succeed(stale, []) == Outcome.SUPERSEDED
    statuses = sorted(SearchRun.objects.filter(search=search).values_list("status", flat=True))
    assert statuses == [RunStatus.ABANDONED, RunStatus.SUCCEEDED]
    search.refresh_from_db()
    assert search.last_total == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_claimers_exactly_one_wins(user: Any) -> None:
    search = make_search(user)
    make_due(search)
    barrier = threading.Barrier(6)
    wins: list[object] = []
    errors: list[BaseException] = []

    def claimer() -> None:
        try:
            barrier.wait(timeout=10)
            claim = saved_search_claim(search_id=search.pk)
            if claim is not None:
                wins.append(claim)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=claimer) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert len(wins) == 1
    assert SearchRun.objects.filter(search=search).count() == 1


def test_tick_marks_enqueued_once(user: Any, settings: Any) -> None:
    settings.SAVED_SEARCH_ENQUEUE_TTL_SECONDS = 60
    due = make_search(user, name="due")
    make_due(due)
    later = make_search(user, name="later")
    SavedSearch.objects.filter(pk=later.pk).update(next_due_at=timezone.now() + dt.timedelta(hours=1))
    assert saved_search_due_ids() == [due.pk]
    assert saved_search_mark_enqueued(ids=[due.pk]) == [due.pk]
    assert saved_search_due_ids() == []  # queued: the next tick does not queue it again
    assert saved_search_mark_enqueued(ids=[due.pk]) == []
    # A lost message: after the TTL the search is queued again.
    assert saved_search_due_ids(now=timezone.now() + dt.timedelta(seconds=61)) == [due.pk]
