"""Issue 8 fault 6 with a real worker: a manual refresh while HrFlow is briefly down.

The worker reaches HrFlow through a relay that refuses connections at first. "Refresh now" on a
search without a schedule fails; the task retries it (Celery autoretry, backoff) and, once the
relay is up, the retry succeeds. With HrFlow down for good, the retries stop at the bound.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from saved_searches.models import RunStatus, SavedSearch, Schedule, SearchRun, SearchStatus, Trigger
from saved_searches.services import crud
from tests.integration.celeryprocs import CeleryProcesses, wait_for
from tests.integration.tcprelay import TcpRelay
from tests.integration.test_celery_refresh import celery_env as celery_env  # the shared fixtures
from tests.integration.test_celery_refresh import celery_procs as celery_procs
from tests.integration.test_celery_refresh import live_query as live_query

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
RETRIES = 2


@pytest.fixture
def relay(live_sandbox: Any, celery_env: dict[str, str]) -> Any:
    sandbox = urlsplit(live_sandbox.url)
    with TcpRelay((sandbox.hostname or "127.0.0.1", sandbox.port or 80)) as relay:
        celery_env["HRFLOW_API_URL"] = f"http://127.0.0.1:{relay.port}{sandbox.path}"
        celery_env["HRFLOW_RETRY_TOTAL_SECONDS"] = "0"  # the client gives up at once; the task retries
        celery_env["SAVED_SEARCH_MANUAL_RETRIES"] = str(RETRIES)
        celery_env["SAVED_SEARCH_MANUAL_RETRY_BACKOFF_SECONDS"] = "1"
        yield relay


def unscheduled(user: Any, query: str) -> SavedSearch:
    search = crud.saved_search_create(owner=user, name="manual", query_string=query, schedule=Schedule.OFF)
    assert search.next_due_at is None
    return search


def runs(search: SavedSearch) -> list[str]:
    return list(SearchRun.objects.filter(search=search).order_by("pk").values_list("status", flat=True))


REQUEST_REFRESH = """
import django
django.setup()
from saved_searches.models import SavedSearch
from saved_searches.services import crud
assert crud.saved_search_request_refresh(search=SavedSearch.objects.get(pk={pk}))
"""


def request_refresh(search: SavedSearch, env: dict[str, str]) -> None:
    """What "Refresh now" does, in a process with the worker's settings (so, its broker)."""
    subprocess.run(
        [sys.executable, "-c", REQUEST_REFRESH.format(pk=search.pk)], env=env, check=True, timeout=60
    )


def test_manual_refresh_during_an_outage_succeeds_once_hrflow_is_back(
    user: Any, live_query: str, celery_procs: CeleryProcesses, relay: TcpRelay
) -> None:
    search = unscheduled(user, live_query)
    celery_procs.start("worker")
    request_refresh(search, celery_procs.env)
    try:
        wait_for(lambda: RunStatus.FAILED in runs(search), timeout=90, what="the failed first attempt")
        relay.up()
        wait_for(lambda: RunStatus.SUCCEEDED in runs(search), timeout=60, what="the retried refresh")
    except AssertionError:
        print(celery_procs.logs())
        raise
    search.refresh_from_db()
    assert search.last_status == SearchStatus.SUCCEEDED
    assert runs(search)[-1] == RunStatus.SUCCEEDED
    assert set(runs(search)[:-1]) == {RunStatus.FAILED}
    assert set(SearchRun.objects.filter(search=search).values_list("trigger", flat=True)) == {Trigger.MANUAL}
    assert search.next_due_at is None
    assert (search.last_total or 0) > 0


def test_retries_stop_at_the_bound_while_hrflow_stays_down(
    user: Any, live_query: str, celery_procs: CeleryProcesses, relay: TcpRelay
) -> None:
    search = unscheduled(user, live_query)
    celery_procs.start("worker")
    request_refresh(search, celery_procs.env)
    try:
        wait_for(lambda: len(runs(search)) >= RETRIES + 1, timeout=90, what="every attempt")
    except AssertionError:
        print(celery_procs.logs())
        raise
    # Backoff 1 s, 2 s: a retry past the bound would come within 4 s + worker latency.
    deadline = timezone.now() + dt.timedelta(seconds=8)
    wait_for(lambda: timezone.now() >= deadline, timeout=12, what="time for an extra retry")
    assert runs(search) == [RunStatus.FAILED] * (RETRIES + 1)
    search.refresh_from_db()
    assert search.last_status == SearchStatus.FAILED
    assert search.next_due_at is None
