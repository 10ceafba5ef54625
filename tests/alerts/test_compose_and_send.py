"""Composing once and sending through a real SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from alerts.models import EmailStatus, OutboxEmail
from alerts.services.compose import compose_run_email
from alerts.services.rate import take_send_slot
from alerts.services.send import SendOutcome, enqueue_due_sends, outbox_send
from saved_searches.models import SearchRun
from tests.alerts.conftest import Sink, alerting_search, refresh_with, smtp_mailer
from tests.integration.tcprelay import free_port

# Not transactional: the on-commit task messages never leave the test (each test calls the
# services itself, as the worker would).
pytestmark = pytest.mark.django_db


def card(
    title: str, company: str = "Acme", location: str = "Paris, France", skills: tuple[str, ...] = ()
) -> dict[str, Any]:
    return {
        "title": title,
        "company": company,
        "location": location,
        "skills": list(skills),
        "url": "",
        "score_pct": None,
    }


def one_new_email(recruiter: Any, **cards: dict[str, Any]) -> OutboxEmail:
    search = alerting_search(recruiter, name="Data engineers")
    refresh_with(search, ("a", 0.9, card("Old job")))
    refresh_with(
        search,
        ("a", 0.9, card("Old job")),
        ("low", 0.41, {**card("Junior <data> engineer"), "score_pct": 41}),
        ("top", 0.87, {**card("Senior data engineer", company="Globex & Co"), "score_pct": 87}),
    )
    run = SearchRun.objects.filter(search=search).first()
    assert run is not None
    email = compose_run_email(run_id=run.pk)
    assert email is not None
    return email


def test_the_email_lists_the_new_jobs_best_first_in_html_and_text(recruiter: Any, fake_upstream: Any) -> None:
    email = one_new_email(recruiter)
    assert email.subject == "2 new jobs for “Data engineers”"
    assert email.to_address == "rita@example.com"
    text = email.text_body
    assert text.index("Senior data engineer (87% match)") < text.index("Junior <data> engineer (41% match)")
    assert "Old job" not in text
    assert "Globex & Co · Paris, France" in text
    html = email.html_body
    assert html.index("Senior data engineer") < html.index("Junior &lt;data&gt; engineer")  # escaped
    assert "Globex &amp; Co" in html
    # Inline CSS (kept library), no <style> block left, nothing remote.
    assert "<style" not in html
    assert re.search(r'class="title"[^>]*style="[^"]*font-weight: ?bold', html) or re.search(
        r'style="[^"]*font-weight: ?bold[^"]*"[^>]*class="title"', html
    )
    assert not re.search(r"<img|url\(", html)
    assert f"/saved/{email.jobs.first().search_id}/" in html  # type: ignore[union-attr]
    assert email.message_id == f"<hrflow-dash.each.{email.jobs.first().found_run_id}@hrflow-dash.local>"  # type: ignore[union-attr]


def test_composing_the_same_run_twice_gives_the_same_single_email(recruiter: Any, fake_upstream: Any) -> None:
    email = one_new_email(recruiter)
    run_id = email.jobs.first().found_run_id  # type: ignore[union-attr]
    again = compose_run_email(run_id=run_id)
    assert again is not None
    assert again.pk == email.pk
    assert OutboxEmail.objects.count() == 1


def test_send_delivers_once_with_the_fixed_message_id_and_one_click_unsubscribe(
    recruiter: Any, fake_upstream: Any, smtp_sink: Sink
) -> None:
    email = one_new_email(recruiter)
    assert outbox_send(email_id=email.pk) == SendOutcome.SENT
    assert outbox_send(email_id=email.pk) == SendOutcome.SKIPPED  # a duplicated task message
    (message,) = smtp_sink.messages()
    assert message["Message-ID"] == email.message_id
    assert message["To"] == "rita@example.com"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(r"<http://127\.0\.0\.1:\d+/alerts/unsubscribe/[^/>]+/>", message["List-Unsubscribe"])
    assert message.get_content_type() == "multipart/alternative"
    parts = {part.get_content_type(): part.get_content() for part in message.iter_parts()}
    assert "Senior data engineer" in parts["text/plain"]
    assert "Senior data engineer" in parts["text/html"]
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 1)


def test_smtp_failures_are_retried_with_backoff_then_given_up(
    recruiter: Any, fake_upstream: Any, settings: Any
) -> None:
    settings.MAILERS = smtp_mailer(free_port(), timeout=5)  # nobody listens
    settings.ALERTS_SEND_MAX_ATTEMPTS = 3
    email = one_new_email(recruiter)
    before = timezone.now()
    assert outbox_send(email_id=email.pk) == SendOutcome.RETRYING
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.PENDING, 1)
    assert "ConnectionRefusedError" in email.last_error
    assert (
        before + dt.timedelta(seconds=29) < email.next_attempt_at < timezone.now() + dt.timedelta(seconds=31)
    )
    assert outbox_send(email_id=email.pk) == SendOutcome.SKIPPED  # not due yet
    for attempts, delay in ((2, 60), (3, 120)):
        OutboxEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
        outcome = outbox_send(email_id=email.pk)
        email.refresh_from_db()
        assert email.attempts == attempts
        assert email.next_attempt_at > timezone.now() + dt.timedelta(seconds=delay - 2)
    assert outcome == SendOutcome.FAILED
    assert email.status == EmailStatus.FAILED


def test_a_send_whose_worker_died_is_due_again_after_its_lease(recruiter: Any, fake_upstream: Any) -> None:
    email = one_new_email(recruiter)
    now = timezone.now()
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENDING, claimed_until=now + dt.timedelta(seconds=60), enqueued_until=None
    )
    assert outbox_send(email_id=email.pk) == SendOutcome.SKIPPED  # a live worker holds it
    assert enqueue_due_sends() == 0
    OutboxEmail.objects.filter(pk=email.pk).update(claimed_until=now - dt.timedelta(seconds=1))
    assert enqueue_due_sends() == 1
    assert enqueue_due_sends() == 0  # queued once, not on every tick


def test_the_send_rate_spaces_slots_over_all_senders(settings: Any) -> None:
    settings.ALERTS_SEND_RATE_PER_MINUTE = 600  # one every 0.1 s
    settings.ALERTS_SEND_MAX_WAIT_SECONDS = 0.35
    now = timezone.now()
    slots = [take_send_slot(now=now) for _ in range(5)]
    assert slots[:4] == [now + dt.timedelta(seconds=0.1 * i) for i in range(4)]
    assert slots[4] is None  # 0.4 s away: beyond the wait, come back later
    later = now + dt.timedelta(seconds=10)
    assert take_send_slot(now=later) == later  # idle time is not saved up as a burst
