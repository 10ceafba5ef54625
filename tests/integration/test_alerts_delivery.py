"""E-mail alerts with real workers: a real `celery worker` and `celery beat`, the live sandbox,
and a real SMTP server (aiosmtpd, the demo mail sink's code) that the worker sends to.

1. The `make run` flow: a search saved with "After each refresh" refreshes (its baseline:
   no e-mail), a matching job is indexed, Refresh now → one e-mail listing only that job;
   Refresh again → no new e-mail.
2. The documented guarantee at its one weak point: the SMTP server stores the message and holds
   its reply; the worker is SIGKILLed while it waits; restarted, it sends the e-mail again after
   the lease — exactly one duplicate, with the same Message-ID — and records it sent.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from alerts.mailsink import start_sink
from alerts.models import AnnouncedJob, EmailStatus, LedgerState, OutboxEmail
from saved_searches.models import AlertMode, RunStatus, SavedSearch, Schedule, SearchRun
from saved_searches.services import crud
from scoring import selectors
from scoring.hrflow.query import JobQuery
from tests.alerts.conftest import Sink
from tests.browser.test_saved_searches import sandbox_job
from tests.fixtures.sandbox import own_board, settle
from tests.integration.celeryprocs import CeleryProcesses, wait_for
from tests.integration.tcprelay import free_port
from tests.integration.test_celery_refresh import celery_env as celery_env  # the shared fixtures
from tests.integration.test_celery_refresh import celery_procs as celery_procs
from tests.integration.test_manual_retry import request_refresh

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
SEND_LEASE_SECONDS = 4


@pytest.fixture
def sink(tmp_path: Path, celery_env: dict[str, str]) -> Iterator[Sink]:
    port = free_port()
    controller, handler = start_sink(folder=tmp_path / "mail", port=port)
    celery_env["EMAIL_URL"] = f"smtp://127.0.0.1:{port}"
    celery_env["EMAIL_TIMEOUT"] = "60"  # longer than the held reply
    celery_env["ALERTS_SEND_LEASE_SECONDS"] = str(SEND_LEASE_SECONDS)
    celery_env["ALERTS_SITE_URL"] = "http://dashboard.test"
    try:
        yield Sink(folder=tmp_path / "mail", port=port, handler=handler)
    finally:
        handler.released.set()
        controller.stop()


@pytest.fixture
def recruiter(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("it-rita", email="rita@example.com", password="pw-it-rita-1")


@pytest.fixture
def board_query(live_sandbox: Any, settings: Any) -> tuple[str, str, Any]:
    """A board of this test's own holding copies of a candidate's best demo matches; the query
    of that candidate on that board; and the job to copy when "a new matching job" is needed."""
    settings.HRFLOW_API_URL = live_sandbox.url
    settings.HRFLOW_API_KEY = live_sandbox.api_key
    settings.HRFLOW_USER_EMAIL = live_sandbox.user_email
    source_key = settings.HRFLOW_SOURCE_KEYS[0]
    candidate = selectors.profile_search(source_key=source_key, name="", limit=1)[0]
    demo = JobQuery(
        board_keys=tuple(settings.HRFLOW_BOARD_KEYS), source_key=source_key, profile_key=candidate.key,
        algorithm_key=settings.HRFLOW_ALGORITHM_KEYS[0], limit=4,
    )  # fmt: skip
    best = selectors.job_match_list(query=demo).jobs
    assert best
    board = own_board(live_sandbox, "Alerts integration test")
    raws = [sandbox_job(live_sandbox, board_key=job.board_key, key=job.key) for job in best]
    for raw in raws[1:]:
        copy = {k: v for k, v in raw.items() if k not in ("key", "id", "board")}
        live_sandbox.index_job({**copy, "board_key": board, "reference": f"it-{uuid.uuid4().hex[:12]}"})
    settle(live_sandbox, board)
    query = JobQuery(
        board_keys=(board,), source_key=source_key, profile_key=candidate.key,
        algorithm_key=settings.HRFLOW_ALGORITHM_KEYS[0],
    ).to_query_string()  # fmt: skip
    return board, query, raws[0]


def index_new_job(live_sandbox: Any, board: str, raw: dict[str, Any]) -> tuple[str, str]:
    name = f"{raw['name']} (alert test {uuid.uuid4().hex[:6]})"
    job = {k: v for k, v in raw.items() if k not in ("key", "id", "board")}
    indexed = live_sandbox.index_job(
        {**job, "name": name, "board_key": board, "reference": f"it-{uuid.uuid4().hex}"}
    )
    return str(indexed["key"]), name


def succeeded(search: SavedSearch) -> int:
    return SearchRun.objects.filter(search=search, status=RunStatus.SUCCEEDED).count()


def save_with_alerts(recruiter: Any, query: str) -> SavedSearch:
    # As on the search page: saved with a schedule (so it refreshes at once: the baseline).
    return crud.saved_search_create(
        owner=recruiter, name="Alerts IT", query_string=query, schedule=Schedule.DAILY,
        alert_mode=AlertMode.EACH_REFRESH,
    )  # fmt: skip


def started_with_baseline(celery_procs: CeleryProcesses, recruiter: Any, query: str) -> SavedSearch:
    """Saved with alerts, worker and beat started, and the baseline refresh done (no e-mail)."""
    search = save_with_alerts(recruiter, query)
    celery_procs.start("worker")
    celery_procs.start("beat")
    try:
        wait_for(lambda: succeeded(search) == 1, timeout=90, what="the baseline refresh")
    except AssertionError:
        print(celery_procs.logs())
        raise
    assert AnnouncedJob.objects.filter(search=search, state=LedgerState.PENDING).count() == 0
    return search


def test_refresh_now_sends_one_email_with_only_the_new_job_then_none(
    recruiter: Any,
    board_query: tuple[str, str, Any],
    live_sandbox: Any,
    celery_procs: CeleryProcesses,
    sink: Sink,
) -> None:
    board, query, raw = board_query
    search = started_with_baseline(celery_procs, recruiter, query)
    try:
        key, name = index_new_job(live_sandbox, board, raw)
        request_refresh(search, celery_procs.env)
        wait_for(lambda: len(sink.messages()) == 1, timeout=90, what="the alert e-mail")
    except AssertionError:
        print(celery_procs.logs())
        raise
    (message,) = sink.messages()
    text = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert name in text
    assert f"http://dashboard.test/saved/{search.pk}/" in text
    email = OutboxEmail.objects.get()
    assert list(email.jobs.values_list("job_key", flat=True)) == [key]  # only that job
    assert message["Message-ID"] == email.message_id
    wait_for(lambda: OutboxEmail.objects.get().status == EmailStatus.SENT, timeout=30, what="marked sent")

    request_refresh(search, celery_procs.env)
    wait_for(lambda: succeeded(search) == 3, timeout=90, what="the second Refresh now")
    # The ledger is written in the run's transaction: nothing pending means nothing to send.
    assert AnnouncedJob.objects.filter(search=search, state=LedgerState.PENDING).count() == 0
    assert OutboxEmail.objects.count() == 1
    assert len(sink.messages()) == 1


def test_worker_killed_after_the_smtp_server_took_the_message_sends_it_once_more_same_message_id(
    recruiter: Any,
    board_query: tuple[str, str, Any],
    live_sandbox: Any,
    celery_procs: CeleryProcesses,
    sink: Sink,
) -> None:
    board, query, raw = board_query
    search = started_with_baseline(celery_procs, recruiter, query)
    try:
        sink.handler.hold_replies.set()  # store the next message, then hold the "250"
        key, _ = index_new_job(live_sandbox, board, raw)
        request_refresh(search, celery_procs.env)
        wait_for(lambda: len(sink.messages()) == 1, timeout=90, what="the server to take the message")
        email = OutboxEmail.objects.get()
        assert email.status == EmailStatus.SENDING  # the worker waits for the server's reply
        celery_procs.kill("worker")  # SIGKILL: the process dies in the window
        sink.handler.hold_replies.clear()
        sink.handler.released.set()
        celery_procs.start("worker")
        wait_for(lambda: OutboxEmail.objects.get().status == EmailStatus.SENT, timeout=90, what="the resend")
    except AssertionError:
        print(celery_procs.logs())
        raise
    first, second = sink.messages()
    assert first["Message-ID"] == second["Message-ID"] == email.message_id
    assert first.get_body().get_content() == second.get_body().get_content()  # type: ignore[union-attr]
    email.refresh_from_db()
    assert email.attempts == 1  # the first attempt never recorded anything
    assert list(email.jobs.values_list("job_key", flat=True)) == [key]
    # Sent is final: later ticks do not send it again.
    request_refresh(search, celery_procs.env)
    wait_for(lambda: succeeded(search) == 3, timeout=90, what="another refresh (and ticks)")
    assert len(sink.messages()) == 2
    assert OutboxEmail.objects.count() == 1
