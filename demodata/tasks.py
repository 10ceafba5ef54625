"""Celery tasks of the demo (thin adapters over demodata services).

`demodata.feed_tick` is scheduled by beat only in demo mode (settings: DEMO_FEED_EVERY_SECONDS,
DEMO_FEED_BATCH). Safe to run twice or concurrently: the feed service is idempotent.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from demodata.feed import demo_feed_index_next


@shared_task(name="demodata.feed_tick", ignore_result=True)
def feed_tick(batch: int | None = None) -> list[str]:
    return demo_feed_index_next(batch=batch or int(getattr(settings, "DEMO_FEED_BATCH", 3)))
