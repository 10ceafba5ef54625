"""Daily and weekly digests: one e-mail per user per period, at their hour in their time zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest

from alerts.models import AnnouncedJob, EmailKind, LedgerState, OutboxEmail
from alerts.services.digest import compose_due_digests, digest_moment
from preferences.models import UserPreferences
from saved_searches.models import AlertMode
from tests.alerts.conftest import alerting_search, refresh_with

pytestmark = pytest.mark.django_db
NY = zoneinfo.ZoneInfo("America/New_York")


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=NY)


@pytest.mark.parametrize(
    ("kind", "now", "moment"),
    [
        (EmailKind.DAILY, at(2026, 12, 3, 9, 30), at(2026, 12, 3, 8)),  # today's has passed
        (EmailKind.DAILY, at(2026, 12, 3, 7, 59), at(2026, 12, 2, 8)),  # not yet: yesterday's
        (EmailKind.DAILY, at(2026, 12, 3, 8, 0), at(2026, 12, 3, 8)),
        (EmailKind.WEEKLY, at(2026, 12, 3, 9), at(2026, 11, 30, 8)),  # Thursday → that Monday
        (EmailKind.WEEKLY, at(2026, 11, 30, 7), at(2026, 11, 23, 8)),  # Monday before the hour
        (EmailKind.DAILY, at(2026, 3, 8, 9), at(2026, 3, 8, 8)),  # the day clocks go forward
    ],
)
def test_digest_moment_in_the_users_zone(kind: str, now: dt.datetime, moment: dt.datetime) -> None:
    got = digest_moment(kind=kind, now=now.astimezone(dt.UTC), time_zone="America/New_York", hour=8)
    assert got == moment
    assert got.utcoffset() == moment.utcoffset()


def test_one_digest_per_user_per_day_grouping_their_daily_searches(
    recruiter: Any, fake_upstream: Any
) -> None:
    UserPreferences.objects.create(user=recruiter, time_zone="America/New_York", digest_hour=8)
    first = alerting_search(recruiter, mode=AlertMode.DAILY, name="First")
    second = alerting_search(recruiter, mode=AlertMode.DAILY, name="Second")
    weekly = alerting_search(recruiter, mode=AlertMode.WEEKLY, name="Weekly")
    for search in (first, second, weekly):
        refresh_with(search, ("a", 0.9))
        refresh_with(search, ("a", 0.9), (f"new-{search.name}", 0.8))
    found = AnnouncedJob.objects.filter(state=LedgerState.PENDING).first()
    assert found is not None
    # Before the next 08:00 in New York nothing goes; at it, one e-mail with both daily searches.
    next_eight = digest_moment(kind=EmailKind.DAILY, now=found.found_at, time_zone="America/New_York", hour=8)
    next_eight += dt.timedelta(days=1)
    assert compose_due_digests(now=next_eight - dt.timedelta(minutes=1)) == 0
    assert compose_due_digests(now=next_eight) >= 1
    daily = OutboxEmail.objects.get(kind=EmailKind.DAILY)
    assert set(daily.jobs.values_list("job_key", flat=True)) == {"new-First", "new-Second"}
    assert daily.subject == "Daily digest: 2 new jobs in 2 saved searches"
    assert daily.text_body.index("== First ==") < daily.text_body.index("== Second ==")
    assert daily.dedupe_key == f"daily:{recruiter.pk}:{next_eight.date().isoformat()}"
    # The tick runs again: nothing more that day.
    assert compose_due_digests(now=next_eight + dt.timedelta(hours=3)) == 0
    assert OutboxEmail.objects.filter(kind=EmailKind.DAILY).count() == 1
    # The weekly search waits for Monday 08:00.
    monday = next_eight + dt.timedelta(days=(7 - next_eight.weekday()) % 7 or 7)
    assert not OutboxEmail.objects.filter(kind=EmailKind.WEEKLY).exists() or next_eight.weekday() == 0
    compose_due_digests(now=monday)
    weekly_email = OutboxEmail.objects.get(kind=EmailKind.WEEKLY)
    assert set(weekly_email.jobs.values_list("job_key", flat=True)) == {"new-Weekly"}
