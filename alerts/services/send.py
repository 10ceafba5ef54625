"""Sending one composed e-mail, and the tick that (re)queues what is due.

A send claims the row (PENDING → SENDING with a lease), waits for its slot of the send rate,
hands the stored message to the SMTP server, then records it SENT. The message is read from
the row, never re-rendered: a resend carries the same Message-ID and bytes.

The guarantee (docs/alerts.md): every composed e-mail is delivered at least once unless SMTP
refuses it `ALERTS_SEND_MAX_ATTEMPTS` times; it is delivered more than once only when the
process dies (or loses the database) after the SMTP server accepted it and before our commit of
SENT — then it is sent again after the lease, with the same Message-ID, one extra copy per such
death.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import smtplib
import time
from functools import partial

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from alerts import conf
from alerts.models import EmailStatus, OutboxEmail
from alerts.services.rate import take_send_slot

logger = logging.getLogger(__name__)
ENQUEUE_TTL = dt.timedelta(minutes=5)  # a queued send message lost with its worker is queued again


class SendOutcome(enum.StrEnum):
    SENT = "sent"
    SKIPPED = "skipped"  # not due, already sent, or another worker holds it
    DEFERRED = "deferred"  # no send slot soon enough: back to the queue
    RETRYING = "retrying"  # SMTP failed; due again after the backoff
    FAILED = "failed"  # refused for good, or out of attempts


def retry_delay(attempts: int) -> dt.timedelta:
    base = float(conf.get("ALERTS_RETRY_BASE_SECONDS"))
    cap = float(conf.get("ALERTS_RETRY_MAX_SECONDS"))
    return dt.timedelta(seconds=min(base * 2 ** min(max(attempts - 1, 0), 32), cap))


def _claim(email_id: int, now: dt.datetime) -> bool:
    lease = dt.timedelta(seconds=float(conf.get("ALERTS_SEND_LEASE_SECONDS")))
    due = Q(status=EmailStatus.PENDING, next_attempt_at__lte=now)
    abandoned = Q(status=EmailStatus.SENDING, claimed_until__lt=now)  # its worker died mid-send
    return bool(
        # Its queue message is consumed: should this worker die, the tick queues it anew.
        OutboxEmail.objects.filter(due | abandoned, pk=email_id).update(
            status=EmailStatus.SENDING, claimed_until=now + lease, enqueued_until=None
        )
    )


def message_for(email: OutboxEmail) -> EmailMultiAlternatives:
    headers = {"Message-ID": email.message_id, **email.headers}
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text_body,
        from_email=str(conf.get("ALERTS_FROM_EMAIL")),
        to=[email.to_address],
        headers=headers,
    )
    message.attach_alternative(email.html_body, "text/html")
    return message


def outbox_send(*, email_id: int) -> SendOutcome:
    now = timezone.now()
    if not _claim(email_id, now):
        return SendOutcome.SKIPPED
    start = take_send_slot(now=now)
    if start is None:
        OutboxEmail.objects.filter(pk=email_id, status=EmailStatus.SENDING).update(
            status=EmailStatus.PENDING, claimed_until=None, enqueued_until=None
        )
        return SendOutcome.DEFERRED
    time.sleep(max(0.0, (start - timezone.now()).total_seconds()))  # the rate's slot
    email = OutboxEmail.objects.get(pk=email_id)
    try:
        message_for(email).send()  # MAILERS["default"]: EMAIL_URL
    except smtplib.SMTPRecipientsRefused as exc:
        return _failed(email, f"refused by the mail server: {exc.recipients}", permanent=True)
    except (smtplib.SMTPException, OSError) as exc:
        return _failed(email, f"{type(exc).__name__}: {exc}", permanent=False)
    # The server has the message. A death between here and the commit below is the one window
    # in which it is sent twice (same Message-ID): docs/alerts.md.
    OutboxEmail.objects.filter(pk=email_id).update(
        status=EmailStatus.SENT, sent_at=timezone.now(), claimed_until=None, attempts=email.attempts + 1
    )
    logger.info("alert e-mail %s sent", email_id)
    return SendOutcome.SENT


def _failed(email: OutboxEmail, error: str, *, permanent: bool) -> SendOutcome:
    attempts = email.attempts + 1
    give_up = permanent or attempts >= int(conf.get("ALERTS_SEND_MAX_ATTEMPTS"))
    logger.warning("alert e-mail %s attempt %s failed: %s", email.pk, attempts, error)
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.FAILED if give_up else EmailStatus.PENDING,
        attempts=attempts,
        last_error=error[:300],
        claimed_until=None,
        enqueued_until=None,
        next_attempt_at=timezone.now() + retry_delay(attempts),
    )
    return SendOutcome.FAILED if give_up else SendOutcome.RETRYING


def due_email_ids(*, now: dt.datetime, limit: int) -> list[int]:
    due = Q(status=EmailStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=EmailStatus.SENDING, claimed_until__lt=now
    )
    not_queued = Q(enqueued_until__isnull=True) | Q(enqueued_until__lt=now)
    ids = (
        OutboxEmail.objects.filter(due & not_queued)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)
    )
    return list(ids[:limit])


def enqueue_due_sends(*, limit: int = 1000) -> int:
    """Queue a send for every due e-mail not queued already (retries after their backoff, and
    sends whose worker died); marks them so the next tick does not queue them again."""
    from alerts.tasks import send_email  # tasks import services

    now = timezone.now()
    with transaction.atomic():
        ids = due_email_ids(now=now, limit=limit)
        OutboxEmail.objects.filter(pk__in=ids).update(enqueued_until=now + ENQUEUE_TTL)
        for pk in ids:
            transaction.on_commit(partial(send_email.delay, pk))
    return len(ids)
