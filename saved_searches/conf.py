"""Settings of the saved-search feature, each read with a default so the app runs before the
lead adds them to settings.py. Read at call time (not import time) so tests can override them."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "SAVED_SEARCH_CAP_PER_USER": 25,
    "SAVED_SEARCH_TOP_N": 50,  # results stored per refresh (JobQuery.MAX_LIMIT is 100)
    # Longer than CELERY_TASK_TIME_LIMIT: a live worker's claim never expires under it.
    "SAVED_SEARCH_LEASE_SECONDS": 180,
    # A queued-but-lost message (kill -9 on the filesystem broker) is re-enqueued after this.
    "SAVED_SEARCH_ENQUEUE_TTL_SECONDS": 300,
    "SAVED_SEARCH_TICK_BATCH": 2000,
    "SAVED_SEARCH_BACKOFF_BASE_SECONDS": 60,
    "SAVED_SEARCH_BACKOFF_MAX_SECONDS": 6 * 3600,
    "SAVED_SEARCH_DEFER_SECONDS": 60,  # a 429 without Retry-After
    # A manual refresh failing on a brief outage: retried this often, backoff doubling from base.
    "SAVED_SEARCH_MANUAL_RETRIES": 3,
    "SAVED_SEARCH_MANUAL_RETRY_BACKOFF_SECONDS": 15,
    "SAVED_SEARCH_MANUAL_RETRY_BACKOFF_MAX_SECONDS": 120,
    "SAVED_SEARCH_SCORE_EPSILON": 0.001,  # smaller score moves are not "changes"
    # How the refresh gets results: a dotted path to fetch(query_string, top_n) -> list[ResultRow].
    "SAVED_SEARCH_FETCHER": "saved_searches.services.upstream.fetch_top_results",
    # Test-only: when set, a refresh writes "<path>.started" and waits for <path> to exist
    # before it finishes (the SIGKILL integration test). Never set in production.
    "SAVED_SEARCH_TEST_HOLD_FILE": "",
    "REFRESH_TICK_SECONDS": 60.0,
    # The "New" badges of an opened search stay for this long in the same login session
    # (reloads, pages, Back, opening it again), then the next opening starts afresh.
    "SAVED_SEARCH_BADGE_SESSION_HOURS": 12,
}


def get(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])
