"""Celery tasks: thin adapters that take ids and call services (style.md habit 8).

Both are safe to run twice or concurrently: the claim in the refresh service makes sure one
search is refreshed by one worker at a time, so a re-delivered or duplicated message is a no-op.
"""

from __future__ import annotations

from functools import partial

from celery import shared_task
from django.conf import settings
from django.db import transaction

from saved_searches.models import Trigger
from saved_searches.services.claim import saved_search_due_ids, saved_search_mark_enqueued
from saved_searches.services.refresh import saved_search_refresh
from scoring.hrflow.ratelimit import purge_expired_tokens


@shared_task(
    name="saved_searches.refresh",
    ignore_result=True,
    soft_time_limit=getattr(settings, "CELERY_TASK_SOFT_TIME_LIMIT", 120),
    time_limit=getattr(settings, "CELERY_TASK_TIME_LIMIT", 150),
)
def refresh_saved_search(search_id: int, trigger: str = Trigger.BEAT) -> str:
    return str(saved_search_refresh(search_id=search_id, trigger=trigger))


@shared_task(name="saved_searches.tick", ignore_result=True)
def enqueue_due_saved_searches() -> int:
    """Beat entry point: queue a refresh for every due search (after the marks commit)."""
    purge_expired_tokens()
    with transaction.atomic():
        ids = saved_search_mark_enqueued(ids=saved_search_due_ids())
        for pk in ids:
            transaction.on_commit(partial(refresh_saved_search.delay, pk, Trigger.BEAT))
    return len(ids)
