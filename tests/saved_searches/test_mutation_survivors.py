"""Behaviours `make mutation` found unchecked in the saved searches (docs/testing.md, "Mutation
testing"), each as the owner of the searches sees it."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone

from saved_searches import selectors
from saved_searches.models import RunStatus, SavedSearch, SearchRun, SearchStatus, SeenJob
from saved_searches.services.claim import saved_search_claim, saved_search_due_ids
from saved_searches.services.refresh import Outcome, saved_search_refresh
from scoring.hrflow.errors import HrFlowBadCredentials, HrFlowRateLimited
from tests.saved_searches.conftest import make_due, make_search

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


@pytest.fixture
def alice(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def shown(when: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(when), "Y-m-d H:i")


def test_a_tick_queues_at_most_its_batch_the_longest_overdue_first(user: Any, settings: Any) -> None:
    settings.SAVED_SEARCH_TICK_BATCH = 2
    now = timezone.now()
    # Created in this order (ascending ids), due in another.
    recent = make_search(user, name="recent", next_due_at=now - dt.timedelta(minutes=1))
    oldest = make_search(user, name="oldest", next_due_at=now - dt.timedelta(hours=3))
    middle = make_search(user, name="middle", next_due_at=now - dt.timedelta(hours=1))
    assert recent.pk < oldest.pk < middle.pk
    assert saved_search_due_ids(now=now) == [oldest.pk, middle.pk]
    assert saved_search_due_ids(now=now, limit=3) == [oldest.pk, middle.pk, recent.pk]


def test_refresh_now_names_when_the_running_refresh_started(alice: Client, user: Any, settings: Any) -> None:
    settings.SAVED_SEARCH_LEASE_SECONDS = 6 * 3600
    search = make_search(user)
    two_hours_ago = timezone.now() - dt.timedelta(hours=2)
    make_due(search, ago=3 * 3600)
    claim = saved_search_claim(search_id=search.pk, now=two_hours_ago)
    assert claim is not None
    body = alice.post(reverse("saved_searches:refresh", args=[search.pk]), headers=HX).content.decode()
    assert f"Already refreshing since {shown(two_hours_ago)}" in body
    assert shown(two_hours_ago) != shown(timezone.now())


def test_another_searchs_running_refresh_is_not_this_ones(user: Any) -> None:
    busy, idle = make_search(user, name="busy"), make_search(user, name="idle")
    make_due(busy)
    claim = saved_search_claim(search_id=busy.pk)
    assert claim is not None
    assert selectors.saved_search_running_since(search=busy) == claim.started_at
    assert selectors.saved_search_running_since(search=idle) is None


def test_a_successful_row_change_shows_no_error(alice: Client, user: Any) -> None:
    search = make_search(user)
    for name, data in (
        ("saved_searches:rename", {"name": "Renamed"}),
        ("saved_searches:schedule", {"schedule": "daily"}),
        ("saved_searches:pause", {"paused": "1"}),
    ):
        body = alice.post(reverse(name, args=[search.pk]), data, headers=HX).content.decode()
        assert f'id="saved-{search.pk}"' in body
        assert 'role="alert"' not in body, name
        assert '<option value="daily"' in body, name  # the row's schedule picker keeps its choices
    rejected = alice.post(reverse("saved_searches:rename", args=[search.pk]), {"name": ""}, headers=HX)
    assert 'role="alert"' in rejected.content.decode()


def test_a_rate_limited_refresh_is_deferred_and_its_run_finished(
    user: Any, fake_upstream: Any, settings: Any
) -> None:
    search = make_search(user)
    make_due(search)
    fake_upstream.answers.append(HrFlowRateLimited("slow down", status=429, retry_after=30))
    before = timezone.now()
    assert saved_search_refresh(search_id=search.pk) == Outcome.DEFERRED
    run = SearchRun.objects.get(search=search)
    assert run.status == RunStatus.DEFERRED
    assert run.finished_at is not None
    assert run.finished_at >= before
    search.refresh_from_db()
    assert search.last_status == SearchStatus.DEFERRED
    assert search.claimed_until is None
    assert SavedSearch.objects.get(pk=search.pk).next_due_at > before


def test_a_failed_refresh_has_its_run_finished(user: Any, fake_upstream: Any) -> None:
    search = make_search(user)
    make_due(search)
    fake_upstream.answers.append(HrFlowBadCredentials("no", status=401))
    before = timezone.now()
    assert saved_search_refresh(search_id=search.pk) == Outcome.FAILED
    run = SearchRun.objects.get(search=search)
    assert run.status == RunStatus.FAILED
    assert run.finished_at is not None
    assert run.finished_at >= before


def test_an_invalid_row_change_without_javascript_is_said_on_the_list(alice: Client, user: Any) -> None:
    search = make_search(user)
    response = alice.post(reverse("saved_searches:rename", args=[search.pk]), {"name": ""}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("saved_searches:list")
    assert "That change was not valid." in [str(m) for m in get_messages(response.wsgi_request)]


def test_unchanged_scores_are_not_changes_and_first_seen_ranks_are_kept(
    user: Any, fake_upstream: Any
) -> None:
    search = make_search(user)
    fake_upstream.answers += [[("j1", 0.9), ("j2", 0.8)], [("j1", 0.9), ("j2", 0.8), ("j3", 0.7)]]
    for _ in range(2):
        make_due(search)
        assert saved_search_refresh(search_id=search.pk) == Outcome.SUCCEEDED
    latest = SearchRun.objects.filter(search=search).order_by("-pk").first()
    assert latest is not None
    assert (latest.new_count, latest.dropped_count, latest.changed_count) == (1, 0, 0)
    ranks = dict(SeenJob.objects.filter(search=search).values_list("job_key", "last_rank"))
    assert ranks == {"j1": 1, "j2": 2, "j3": 3}


def test_a_new_job_that_dropped_out_again_is_no_longer_new(user: Any, fake_upstream: Any) -> None:
    search = make_search(user)
    fake_upstream.answers += [[("j1", 0.9)], [("j1", 0.9), ("j2", 0.8)], [("j1", 0.9)]]
    _refresh_once(search)
    _refresh_once(search)
    search.refresh_from_db()
    assert selectors.new_job_count(search, viewer=search.owner) == 1
    assert selectors.new_job_keys(search, viewer=search.owner) == frozenset({"j2"})
    _refresh_once(search)
    search.refresh_from_db()
    assert selectors.new_job_count(search, viewer=search.owner) == 0
    assert selectors.new_job_keys(search, viewer=search.owner) == frozenset()
    assert selectors.new_job_total(viewer=user) == 0
    assert selectors.saved_search_list(owner=user).get(pk=search.pk).new_count == 0  # type: ignore[attr-defined]


def test_a_429_without_retry_after_waits_the_configured_time(
    user: Any, fake_upstream: Any, settings: Any
) -> None:
    settings.SAVED_SEARCH_DEFER_SECONDS = 600
    search = make_search(user)
    make_due(search)
    fake_upstream.answers.append(HrFlowRateLimited("slow down", status=429))
    before = timezone.now()
    assert saved_search_refresh(search_id=search.pk) == Outcome.DEFERRED
    search.refresh_from_db()
    assert search.next_due_at is not None
    assert dt.timedelta(seconds=599) < search.next_due_at - before < dt.timedelta(seconds=660)


def test_a_failed_refresh_is_logged_with_the_search_id(
    user: Any, fake_upstream: Any, caplog: pytest.LogCaptureFixture
) -> None:
    search = make_search(user)
    make_due(search)
    error = HrFlowBadCredentials("no", status=401)
    fake_upstream.answers.append(error)
    with caplog.at_level(logging.WARNING, logger="saved_searches.services.refresh"):
        saved_search_refresh(search_id=search.pk)
    messages = [r.getMessage() for r in caplog.records if r.name == "saved_searches.services.refresh"]
    assert messages == [f"saved search {search.pk} refresh failed: {error}"]


def _refresh_once(search: SavedSearch) -> None:
    make_due(search)
    assert saved_search_refresh(search_id=search.pk) == Outcome.SUCCEEDED
