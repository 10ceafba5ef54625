"""A real Celery worker and a real beat against the configured broker (filesystem by default,
Redis in CI) and the test database (a file for SQLite, PostgreSQL's test database in CI)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from saved_searches.models import RunStatus, SavedSearch, SearchRun, SearchStatus
from saved_searches.services import crud
from saved_searches.services.claim import ABANDONED_ERROR
from scoring import selectors
from scoring.hrflow.query import JobQuery
from tests.integration.celeryprocs import CeleryProcesses, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

LEASE_SECONDS = 5


@pytest.fixture
def live_query(live_sandbox: Any, settings: Any) -> str:
    settings.HRFLOW_API_URL = live_sandbox.url
    settings.HRFLOW_API_KEY = live_sandbox.api_key
    settings.HRFLOW_USER_EMAIL = live_sandbox.user_email
    source_key = settings.HRFLOW_SOURCE_KEYS[0]
    candidate = selectors.profile_search(source_key=source_key, name="", limit=1)[0]
    return JobQuery(
        board_keys=tuple(settings.HRFLOW_BOARD_KEYS),
        source_key=source_key,
        profile_key=candidate.key,
        algorithm_key=settings.HRFLOW_ALGORITHM_KEYS[0],
    ).to_query_string()


@pytest.fixture
def celery_env(live_sandbox: Any, tmp_path: Path) -> dict[str, str]:
    cache.clear()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.integration.worker_settings",
        "IT_DATABASE_NAME": str(connection.settings_dict["NAME"]),
        "HRFLOW_API_URL": live_sandbox.url,
        "HRFLOW_API_KEY": live_sandbox.api_key,
        "HRFLOW_USER_EMAIL": live_sandbox.user_email,
        # Production's schedule, intervals shortened: a tick a second; the demo feed (which would
        # index into the shared sandbox) far beyond any test's length.
        "REFRESH_TICK_SECONDS": "1",
        "DEMO_FEED_EVERY_SECONDS": "3600",
        # Ticks expire after their 1 s interval: the worker must look for messages far more
        # often than that, or the second of two ticks sent together expires waiting (a CI flake).
        "CELERY_BROKER_POLLING_INTERVAL": "0.1",
        "SAVED_SEARCH_LEASE_SECONDS": str(LEASE_SECONDS),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "PYTHONUNBUFFERED": "1",
    }
    if env.get("CELERY_BROKER_URL", "filesystem://").startswith("filesystem://"):
        env["CELERY_BROKER_DIR"] = str(tmp_path / "broker")  # a fresh, empty broker folder
    return env


@pytest.fixture
def celery_procs(celery_env: dict[str, str], tmp_path: Path) -> Iterator[CeleryProcesses]:
    procs = CeleryProcesses(env=celery_env, workdir=tmp_path)
    yield procs
    procs.stop_all()


def _runs(search: SavedSearch, status: str) -> int:
    return SearchRun.objects.filter(search=search, status=status).count()


def test_beat_and_worker_refresh_a_due_search(
    user: Any, live_query: str, celery_procs: CeleryProcesses
) -> None:
    search = crud.saved_search_create(owner=user, name="due", query_string=live_query)
    assert search.next_due_at is not None
    assert search.next_due_at <= timezone.now()
    celery_procs.start("worker")
    celery_procs.start("beat")
    try:
        wait_for(lambda: _runs(search, RunStatus.SUCCEEDED), timeout=90, what="a succeeded run")
    except AssertionError:
        print(celery_procs.logs())
        raise
    search.refresh_from_db()
    assert search.last_status == SearchStatus.SUCCEEDED
    assert search.next_due_at is not None
    assert search.next_due_at > timezone.now() + dt.timedelta(hours=23)
    assert (search.last_total or 0) > 0
    run = SearchRun.objects.get(search=search)
    assert run.trigger == "beat"
    assert len(run.results) == run.total


def test_worker_killed_mid_refresh_is_completed_by_a_later_tick_exactly_once(
    user: Any, live_query: str, celery_procs: CeleryProcesses, tmp_path: Path
) -> None:
    hold = tmp_path / "release-refresh"
    celery_procs.env["SAVED_SEARCH_TEST_HOLD_FILE"] = str(hold)
    search = crud.saved_search_create(owner=user, name="crash", query_string=live_query)
    celery_procs.start("worker")
    celery_procs.start("beat")
    started = Path(f"{hold}.started")
    try:
        wait_for(started.exists, timeout=90, what="the refresh to reach the hold point")
    except AssertionError:
        print(celery_procs.logs())
        raise
    orphan_id = int(started.read_text())
    celery_procs.kill("worker")  # SIGKILL to the worker's process group, mid-task

    search.refresh_from_db()
    assert SearchRun.objects.get(pk=orphan_id).status == RunStatus.RUNNING
    assert search.last_status == SearchStatus.RUNNING
    assert search.claimed_until is not None
    assert _runs(search, RunStatus.SUCCEEDED) == 0

    hold.touch()  # later attempts pass the hold point at once
    celery_procs.start("worker")
    try:
        wait_for(lambda: _runs(search, RunStatus.SUCCEEDED), timeout=LEASE_SECONDS + 90, what="the retry")
    except AssertionError:
        print(celery_procs.logs())
        raise
    # Beat keeps ticking: give it a few more ticks to do something wrong.
    deadline = timezone.now() + dt.timedelta(seconds=LEASE_SECONDS + 2)
    wait_for(lambda: timezone.now() >= deadline, timeout=LEASE_SECONDS + 5, what="extra ticks")

    statuses = list(SearchRun.objects.filter(search=search).order_by("pk").values_list("status", flat=True))
    assert statuses == [RunStatus.ABANDONED, RunStatus.SUCCEEDED]
    orphan = SearchRun.objects.get(pk=orphan_id)
    assert orphan.error == ABANDONED_ERROR
    search.refresh_from_db()
    assert search.last_status == SearchStatus.SUCCEEDED
    assert search.claimed_until is None
    assert search.next_due_at is not None
    assert search.next_due_at > timezone.now()
