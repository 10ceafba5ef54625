"""Celery tasks: thin adapters onto the services (ids in, one service call)."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task

from alerts.services import compose, digest, send

logger = logging.getLogger(__name__)
LOST_COMPOSE_AFTER = dt.timedelta(seconds=30)  # a run's compose message is presumed lost after this


@shared_task(name="alerts.compose_run", ignore_result=True)
def compose_run_email(run_id: int) -> int | None:
    email = compose.compose_run_email(run_id=run_id)
    return email.pk if email else None


@shared_task(name="alerts.send", ignore_result=True, acks_late=True)
def send_email(email_id: int) -> str:
    outcome = send.outbox_send(email_id=email_id)
    logger.info("alert e-mail %s: %s", email_id, outcome)
    return str(outcome)


@shared_task(name="alerts.tick", ignore_result=True)
def alerts_tick() -> dict[str, int]:
    """Beat entry point: digests that are due, runs whose compose message was lost, and every
    e-mail due to be (re)sent."""
    return {
        "digests": digest.compose_due_digests(),
        "runs": compose.compose_waiting_run_emails(older_than=LOST_COMPOSE_AFTER),
        "sends": send.enqueue_due_sends(),
    }
