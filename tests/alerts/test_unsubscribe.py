"""One-click unsubscribe: signed links, no login, RFC 8058 POST without CSRF; GET changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from alerts.models import AnnouncedJob, LedgerState, SkipReason
from alerts.services.links import unsubscribe_token
from alerts.services.unsubscribe import BAD_LINK_MESSAGE
from preferences.models import UserPreferences
from saved_searches.models import AlertMode
from tests.alerts.conftest import alerting_search, refresh_with

pytestmark = pytest.mark.django_db


def url(user_id: int, search_id: int | None) -> str:
    return reverse("alerts:unsubscribe", args=[unsubscribe_token(user_id=user_id, search_id=search_id)])


@pytest.fixture
def anonymous() -> Client:
    return Client(enforce_csrf_checks=True)  # a mail client: no session, no CSRF cookie


def test_get_shows_what_it_stops_and_changes_nothing(recruiter: Any, anonymous: Client) -> None:
    search = alerting_search(recruiter)
    response = anonymous.get(url(recruiter.pk, search.pk))
    assert response.status_code == 200
    assert "Stop the e-mail alerts of the saved search “Python jobs”?" in response.content.decode()
    search.refresh_from_db()
    assert search.alert_mode == AlertMode.EACH_REFRESH


def test_one_click_post_stops_that_search_only_without_login_or_csrf(
    recruiter: Any, anonymous: Client, fake_upstream: Any
) -> None:
    search = alerting_search(recruiter)
    other = alerting_search(recruiter, name="Other")
    refresh_with(search, ("a", 0.9))
    refresh_with(search, ("a", 0.9), ("b", 0.8))  # b waits for its e-mail
    response = anonymous.post(url(recruiter.pk, search.pk), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "no more e-mail for the saved search “Python jobs”" in response.content.decode()
    search.refresh_from_db()
    other.refresh_from_db()
    assert (search.alert_mode, other.alert_mode) == (AlertMode.OFF, AlertMode.EACH_REFRESH)
    b = AnnouncedJob.objects.get(search=search, job_key="b")
    assert (b.state, b.skip_reason) == (LedgerState.SKIPPED, SkipReason.UNSUBSCRIBED)
    # Idempotent: a second click (or the mail client retrying) is fine.
    assert anonymous.post(url(recruiter.pk, search.pk), {"List-Unsubscribe": "One-Click"}).status_code == 200


def test_unsubscribe_from_all_turns_every_alert_off(
    recruiter: Any, anonymous: Client, fake_upstream: Any
) -> None:
    search = alerting_search(recruiter)
    assert anonymous.post(url(recruiter.pk, None)).status_code == 200
    assert UserPreferences.objects.get(user=recruiter).alerts_enabled is False
    refresh_with(search, ("a", 0.9))
    refresh_with(search, ("a", 0.9), ("b", 0.8))
    b = AnnouncedJob.objects.get(search=search, job_key="b")
    assert (b.state, b.skip_reason) == (LedgerState.SKIPPED, SkipReason.ALERTS_OFF)


def test_a_tampered_or_foreign_link_is_400_and_changes_nothing(
    recruiter: Any, anonymous: Client, django_user_model: Any
) -> None:
    search = alerting_search(recruiter)
    good = url(recruiter.pk, search.pk)
    tampered = good.replace("/unsubscribe/", "/unsubscribe/x")
    mallory = django_user_model.objects.create_user("mallory", password="pw-mallory-123")
    foreign = url(mallory.pk, search.pk)  # mallory's signature on rita's search
    for path in (tampered, foreign, reverse("alerts:unsubscribe", args=["not-a-token"])):
        response = anonymous.post(path)
        assert response.status_code == 400
        assert BAD_LINK_MESSAGE in response.content.decode()
    search.refresh_from_db()
    assert search.alert_mode == AlertMode.EACH_REFRESH


@settings(max_examples=60, deadline=None)
@given(
    token=st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="/"), min_size=1)
)
def test_any_token_is_a_page_or_400_never_a_500(token: str) -> None:
    client = Client(enforce_csrf_checks=True)
    try:
        path = reverse("alerts:unsubscribe", args=[token])
    except Exception:  # the URL pattern refuses it: nothing reaches the view
        return
    assert client.post(path).status_code in (400, 404)
    assert client.get(path).status_code in (400, 404)
