"""Refreshing one saved search: claim → upstream call (a background call, through the HrFlow
service layer's shared limiter and circuit breaker) → store run and diff.

Outcomes: the previous results stay visible whatever happens. A failure records a
recruiter-readable error on the run and the search and backs off exponentially; a 429, no free
upstream capacity, or an open circuit breaker (HrFlow known down) defers the search without
counting as a failure: no backoff penalty, no error shown as the search's failure.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import time
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from ops import context
from saved_searches import conf, signals
from saved_searches.models import (
    SCHEDULE_INTERVALS,
    RunStatus,
    SavedSearch,
    SearchRun,
    SearchStatus,
    SeenJob,
    Trigger,
)
from saved_searches.services.claim import Claim, saved_search_claim
from saved_searches.services.diff import Previous, ResultDiff, ResultRow, results_diff
from saved_searches.services.upstream import get_fetcher, query_from_string
from scoring.hrflow.calls import background_calls
from scoring.hrflow.errors import HrFlowBusy, HrFlowError, HrFlowRateLimited, HrFlowUnavailable
from shortlists.services import hidden_job_keys  # the one read saved searches make of shortlists

logger = logging.getLogger(__name__)

GENERIC_ERROR_MESSAGE = "The refresh failed because of an unexpected error. It will be retried."
BAD_SAVED_QUERY_MESSAGE = "This saved search's filters can no longer be read. Save the search again."
LIMIT_DEFER_MESSAGE = "Waiting for upstream capacity; the refresh will run shortly."
UNAVAILABLE_DEFER_MESSAGE = "HrFlow is not answering at the moment; the refresh will run when it is back."
LOST_LEASE_ERROR = "This refresh took longer than its lease and was superseded."
RETRYING_NOTE = "Trying again automatically in a moment."


class RetryRefreshLater(Exception):
    """A manual refresh failed on a transient upstream error and was left due: the task retries
    it (Celery autoretry with backoff, SAVED_SEARCH_MANUAL_RETRIES at most)."""


class Outcome(enum.StrEnum):
    SKIPPED = "skipped"  # not due, or another worker holds it
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    DEFERRED = "deferred"
    SUPERSEDED = "superseded"  # our lease ran out and someone else took over


def next_scheduled_at(search: SavedSearch, now: dt.datetime) -> dt.datetime | None:
    if search.paused:
        return None
    interval = SCHEDULE_INTERVALS.get(search.schedule)
    return now + interval if interval else None


def backoff_delay(failure_count: int) -> dt.timedelta:
    """60 s, 120 s, 240 s, … capped (settings); failure_count counts the failure just recorded."""
    base = float(conf.get("SAVED_SEARCH_BACKOFF_BASE_SECONDS"))
    cap = float(conf.get("SAVED_SEARCH_BACKOFF_MAX_SECONDS"))
    exponent = min(max(failure_count - 1, 0), 32)
    return dt.timedelta(seconds=min(base * 2**exponent, cap))


def saved_search_refresh(*, search_id: int, trigger: str = Trigger.BEAT, retries_left: int = 0) -> Outcome:
    """Refresh one search. A manual refresh of a search without a schedule that fails on an error
    worth retrying (HrFlow briefly unreachable, 502-504) raises RetryRefreshLater while
    `retries_left`: scheduled searches have their own backoff, and nothing else would ever run
    an unscheduled one again."""
    claim = saved_search_claim(search_id=search_id, trigger=trigger)
    if claim is None:
        return Outcome.SKIPPED
    context.bind(saved_search_id=search_id, refresh_run_id=claim.run_id)
    search = SavedSearch.objects.filter(pk=search_id).first()
    if search is None:  # deleted since the claim
        return Outcome.SKIPPED
    top_n = int(conf.get("SAVED_SEARCH_TOP_N"))
    try:
        with background_calls():
            rows = get_fetcher()(search.query_string, top_n)
        _test_hold(claim)
    except HrFlowBusy as exc:
        return _defer(claim, delay=dt.timedelta(seconds=exc.retry_after or 1), message=LIMIT_DEFER_MESSAGE)
    except HrFlowUnavailable as exc:
        # Like a 429: HrFlow is known down, so this is no failure of the search; come back when
        # the breaker lets a probe through.
        delay = max(exc.retry_after or 0.0, 1.0)
        return _defer(claim, delay=dt.timedelta(seconds=delay), message=UNAVAILABLE_DEFER_MESSAGE)
    except HrFlowRateLimited as exc:
        retry_after = exc.retry_after or float(conf.get("SAVED_SEARCH_DEFER_SECONDS"))
        return _defer(claim, delay=dt.timedelta(seconds=retry_after), message=exc.user_message)
    except HrFlowError as exc:
        logger.warning("saved search %s refresh failed: %s", search_id, exc)
        may_retry = retries_left > 0 and trigger == Trigger.MANUAL and exc.retryable
        if may_retry and next_scheduled_at(search, timezone.now()) is None:
            if _fail(claim, exc.user_message, retry_soon=True) is Outcome.FAILED:
                raise RetryRefreshLater(search_id) from None
            return Outcome.SUPERSEDED
        return _fail(claim, exc.user_message)
    except ValueError as exc:
        logger.warning("saved search %s has an unreadable query: %s", search_id, exc)
        return _fail(claim, BAD_SAVED_QUERY_MESSAGE)
    except Exception:
        # Includes Celery's SoftTimeLimitExceeded: record it, then let the task log it.
        logger.exception("saved search %s refresh crashed", search_id)
        _fail(claim, GENERIC_ERROR_MESSAGE)
        raise
    return _succeed(claim, _without_hidden(search, rows))


def _without_hidden(search: SavedSearch, rows: list[ResultRow]) -> list[ResultRow]:
    """The refresh's rows without the jobs the owner hid for the search's candidate: a hidden
    job is never new, never counted, never announced (shortlists.services.hidden_job_keys).
    The top N is fetched first, so a refresh keeps N minus the hidden ones met."""
    try:
        query = query_from_string(search.query_string)
    except ValueError:
        return rows
    hidden = hidden_job_keys(
        search.owner, source_key=query.source_key or "", profile_key=query.profile_key or ""
    )
    return [row for row in rows if row.key not in hidden] if hidden else rows


def _locked_search(claim: Claim) -> SavedSearch | None:
    """The search row, locked, if our claim still holds it (inside a transaction)."""
    return SavedSearch.objects.select_for_update().filter(pk=claim.search_id, claim_token=claim.token).first()


def _supersede(claim: Claim, now: dt.datetime) -> Outcome:
    SearchRun.objects.filter(pk=claim.run_id, status=RunStatus.RUNNING).update(
        status=RunStatus.ABANDONED, finished_at=now, error=LOST_LEASE_ERROR
    )
    return Outcome.SUPERSEDED


def _succeed(claim: Claim, rows: list[ResultRow]) -> Outcome:
    now = timezone.now()
    with transaction.atomic():
        search = _locked_search(claim)
        if search is None:
            return _supersede(claim, now)
        run = SearchRun.objects.get(pk=claim.run_id)
        diff = _apply_seen_jobs(search, run, rows, now)
        run.status = RunStatus.SUCCEEDED
        run.finished_at = now
        run.total = len(rows)
        run.results = [row.as_json() for row in rows]
        run.new_count, run.dropped_count = len(diff.new), len(diff.dropped)
        run.changed_count = len(diff.score_changed)
        run.save(
            update_fields=[
                "status", "finished_at", "total", "results", "new_count", "dropped_count", "changed_count",
            ]
        )  # fmt: skip
        baseline = search.baseline_run_id is None
        if baseline:
            search.baseline_run = run  # the first run after a (re)baseline flags nothing as new
        search.last_refreshed_at = now
        search.last_status = SearchStatus.SUCCEEDED
        search.last_error = ""
        search.last_total = len(rows)
        search.failure_count = 0
        search.next_due_at = next_scheduled_at(search, now)
        search.claimed_until = None
        search.save(
            update_fields=[
                "baseline_run", "last_refreshed_at", "last_status", "last_error", "last_total",
                "failure_count", "next_due_at", "claimed_until", "updated_at",
            ]
        )  # fmt: skip
        # In the same transaction: what listeners record (the alerts ledger) commits with the run.
        signals.refresh_succeeded.send(
            sender=SavedSearch, search=search, run=run, rows=rows, new_keys=diff.new, baseline=baseline
        )
    return Outcome.SUCCEEDED


def _apply_seen_jobs(
    search: SavedSearch, run: SearchRun, rows: list[ResultRow], now: dt.datetime
) -> ResultDiff:
    seen = {job.job_key: job for job in SeenJob.objects.filter(search=search)}
    previous = {key: Previous(job.last_score, job.dropped_at is not None) for key, job in seen.items()}
    diff = results_diff(
        previous=previous, current=rows, epsilon=float(conf.get("SAVED_SEARCH_SCORE_EPSILON"))
    )
    SeenJob.objects.bulk_create(
        [
            SeenJob(
                search=search, job_key=row.key, first_seen_at=now, first_seen_run=run, last_seen_run=run,
                last_score=row.score, last_rank=row.rank,
            )
            for row in rows
            if row.key not in seen
        ]
    )  # fmt: skip
    updates = []
    for row in rows:
        job = seen.get(row.key)
        if job is None:
            continue
        job.last_seen_run, job.last_score, job.last_rank, job.dropped_at = run, row.score, row.rank, None
        updates.append(job)
    SeenJob.objects.bulk_update(
        updates, ["last_seen_run", "last_score", "last_rank", "dropped_at"], batch_size=500
    )
    if diff.dropped:
        SeenJob.objects.filter(search=search, job_key__in=diff.dropped).update(dropped_at=now)
    return diff


def _fail(claim: Claim, message: str, *, retry_soon: bool = False) -> Outcome:
    """Record the failure. `retry_soon`: the task retries it, so it stays due (now) and marked
    queued, with `enqueued_until` keeping the tick off it meanwhile (and picking it up should
    the retry message be lost)."""
    now = timezone.now()
    with transaction.atomic():
        search = _locked_search(claim)
        if search is None:
            return _supersede(claim, now)
        SearchRun.objects.filter(pk=claim.run_id).update(
            status=RunStatus.FAILED, finished_at=now, error=message
        )
        search.failure_count += 1
        search.last_status = SearchStatus.FAILED
        search.last_error = message
        # Off or paused searches only run on demand: no automatic retry for them either.
        scheduled = next_scheduled_at(search, now) is not None
        search.next_due_at = now + backoff_delay(search.failure_count) if scheduled else None
        if retry_soon:
            search.last_status = SearchStatus.QUEUED
            search.last_error = f"{message} {RETRYING_NOTE}"
            search.next_due_at = now
            ttl = dt.timedelta(seconds=float(conf.get("SAVED_SEARCH_ENQUEUE_TTL_SECONDS")))
            search.enqueued_until = now + ttl
        search.claimed_until = None
        search.save(
            update_fields=[
                "failure_count",
                "last_status",
                "last_error",
                "next_due_at",
                "enqueued_until",
                "claimed_until",
                "updated_at",
            ]
        )  # fmt: skip
    return Outcome.FAILED


def _defer(claim: Claim, *, delay: dt.timedelta, message: str) -> Outcome:
    now = timezone.now()
    with transaction.atomic():
        search = _locked_search(claim)
        if search is None:
            return _supersede(claim, now)
        SearchRun.objects.filter(pk=claim.run_id).update(
            status=RunStatus.DEFERRED, finished_at=now, error=message
        )
        search.last_status = SearchStatus.DEFERRED
        search.next_due_at = now + delay
        search.claimed_until = None
        search.save(update_fields=["last_status", "next_due_at", "claimed_until", "updated_at"])
    return Outcome.DEFERRED


def _test_hold(claim: Claim) -> None:
    """Test-only (SAVED_SEARCH_TEST_HOLD_FILE): announce the run, then wait for the release file."""
    path = conf.get("SAVED_SEARCH_TEST_HOLD_FILE")
    if not path:
        return
    hold = Path(path)
    Path(f"{path}.started").write_text(f"{claim.run_id}\n")
    deadline = time.monotonic() + float(conf.get("SAVED_SEARCH_LEASE_SECONDS")) * 4
    while not hold.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
