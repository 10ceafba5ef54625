"""Celery tasks: thin adapters that take ids and call services (the work lives in the services).

Both are safe to run twice or concurrently: the claim in the refresh service makes sure one
search is refreshed by one worker at a time, so a re-delivered or duplicated message is a no-op.
"""

from __future__ import annotations

import logging
from functools import partial

from celery import Task, shared_task
from django.conf import settings
from django.db import transaction

from ops import context
from saved_searches import conf, metrics
from saved_searches.models import Trigger
from saved_searches.services.claim import saved_search_due_ids, saved_search_mark_enqueued
from saved_searches.services.refresh import RetryRefreshLater, saved_search_refresh
from scoring.hrflow.ratelimit import purge_expired_tokens

logger = logging.getLogger(__name__)


# A manual refresh that failed because HrFlow was briefly unreachable is retried with
# exponential backoff (15 s, 30 s, 60 s by default: within ~2 minutes), then left failed. No
# jitter: one recruiter's one search is no thundering herd.
@shared_task(
    bind=True,
    name="saved_searches.refresh",
    ignore_result=True,
    soft_time_limit=getattr(settings, "CELERY_TASK_SOFT_TIME_LIMIT", 120),
    time_limit=getattr(settings, "CELERY_TASK_TIME_LIMIT", 150),
    autoretry_for=(RetryRefreshLater,),
    max_retries=int(conf.get("SAVED_SEARCH_MANUAL_RETRIES")),
    retry_backoff=int(conf.get("SAVED_SEARCH_MANUAL_RETRY_BACKOFF_SECONDS")),
    retry_backoff_max=int(conf.get("SAVED_SEARCH_MANUAL_RETRY_BACKOFF_MAX_SECONDS")),
    retry_jitter=False,
)
def refresh_saved_search(self: Task, search_id: int, trigger: str = Trigger.BEAT) -> str:
    retries_left = int(self.max_retries or 0) - int(self.request.retries)
    context.bind(saved_search_id=search_id)  # every log line of this task (refresh_run_id: the service)
    try:
        outcome = saved_search_refresh(search_id=search_id, trigger=trigger, retries_left=retries_left)
    except RetryRefreshLater:
        metrics.REFRESHED.labels(outcome="retrying", trigger=trigger).inc()
        raise
    metrics.REFRESHED.labels(outcome=str(outcome), trigger=trigger).inc()
    logger.info("saved search %s refresh: %s", search_id, outcome, extra={"outcome": str(outcome)})
    return str(outcome)


@shared_task(name="saved_searches.tick", ignore_result=True)
def enqueue_due_saved_searches() -> int:
    """Beat entry point: queue a refresh for every due search (after the marks commit)."""
    purge_expired_tokens()
    with transaction.atomic():
        ids = saved_search_mark_enqueued(ids=saved_search_due_ids())
        for pk in ids:
            transaction.on_commit(partial(refresh_saved_search.delay, pk, Trigger.BEAT))
    metrics.ENQUEUED.inc(len(ids))
    return len(ids)
