"""Claiming a saved search for one refresh: healthchecks' optimistic lock plus a lease.

A claim is one conditional UPDATE: it matches only if the row is still due with the
`next_due_at` and `claim_token` the claimer read, and no live lease is held. Of N concurrent
claimers exactly one sees `rowcount == 1`. The lease (`claimed_until`) outlives the task's hard
time limit, so a worker killed with SIGKILL leaves a search that becomes claimable again when
the lease runs out; the next claimer marks the dead worker's run abandoned.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from saved_searches import conf
from saved_searches.models import RunStatus, SavedSearch, SearchRun, SearchStatus, Trigger

ABANDONED_ERROR = "The worker running this refresh stopped before it finished; it was retried."


@dataclass(frozen=True)
class Claim:
    search_id: int
    token: uuid.UUID
    run_id: int
    started_at: dt.datetime


def lease_free(now: dt.datetime) -> Q:
    return Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)


def saved_search_claim(
    *, search_id: int, trigger: str = Trigger.BEAT, now: dt.datetime | None = None
) -> Claim | None:
    """Claim a due search, or return None if it is not due or someone else holds it."""
    now = now or timezone.now()
    seen = (
        SavedSearch.objects.filter(pk=search_id, next_due_at__lte=now, needs_review=False)
        .filter(lease_free(now))
        .values("next_due_at", "claim_token")
        .first()
    )
    if seen is None:
        return None
    token = uuid.uuid4()
    lease = dt.timedelta(seconds=float(conf.get("SAVED_SEARCH_LEASE_SECONDS")))
    with transaction.atomic():
        won = (
            SavedSearch.objects.filter(
                pk=search_id,
                next_due_at=seen["next_due_at"],
                claim_token=seen["claim_token"],
                needs_review=False,
            )
            .filter(lease_free(now))
            .update(
                claimed_until=now + lease,
                claim_token=token,
                enqueued_until=None,
                last_status=SearchStatus.RUNNING,
            )
        )
        if won != 1:
            return None
        # Runs left "running" by a worker that died while holding an earlier lease.
        SearchRun.objects.filter(search_id=search_id, status=RunStatus.RUNNING).update(
            status=RunStatus.ABANDONED, finished_at=now, error=ABANDONED_ERROR
        )
        run = SearchRun.objects.create(
            search_id=search_id, claim_token=token, trigger=trigger, status=RunStatus.RUNNING, started_at=now
        )
    return Claim(search_id=search_id, token=token, run_id=run.pk, started_at=now)


def saved_search_due_ids(*, now: dt.datetime | None = None, limit: int | None = None) -> list[int]:
    """Ids of searches that are due, not leased, and not already sitting in the queue."""
    now = now or timezone.now()
    limit = limit or int(conf.get("SAVED_SEARCH_TICK_BATCH"))
    qs = (
        SavedSearch.objects.filter(next_due_at__lte=now, needs_review=False)  # review first: issue 7
        .filter(lease_free(now))
        .filter(Q(enqueued_until__isnull=True) | Q(enqueued_until__lte=now))
        .order_by("next_due_at", "pk")
        .values_list("pk", flat=True)
    )
    return list(qs[:limit])


def saved_search_mark_enqueued(*, ids: list[int], now: dt.datetime | None = None) -> list[int]:
    """Mark ids as queued so overlapping ticks do not queue them again; returns the ids marked.

    A message lost before it was claimed (kill -9 on the filesystem broker) is queued again once
    `SAVED_SEARCH_ENQUEUE_TTL_SECONDS` has passed.
    """
    now = now or timezone.now()
    ttl = dt.timedelta(seconds=float(conf.get("SAVED_SEARCH_ENQUEUE_TTL_SECONDS")))
    marked: list[int] = []
    for pk in ids:
        updated = (
            SavedSearch.objects.filter(pk=pk)
            .filter(Q(enqueued_until__isnull=True) | Q(enqueued_until__lte=now))
            .update(enqueued_until=now + ttl)
        )
        if updated == 1:
            marked.append(pk)
    return marked
