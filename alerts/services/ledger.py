"""The announcement ledger, written in the refresh run's own transaction.

Every job of a successful run's results that this search's ledger does not hold yet gets a
row: PENDING when it is news to announce, SKIPPED (with the reason) otherwise. A key in the
ledger is never announced again, whatever happens to the seen jobs (a filter update resets
those) or to the results (a job that drops out of the top N and comes back).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.db import transaction

from alerts.hidden import hidden_job_keys
from alerts.models import AnnouncedJob, LedgerState, SkipReason
from preferences.models import UserPreferences
from saved_searches.models import AlertMode, SavedSearch, SearchRun
from saved_searches.services.diff import ResultRow
from saved_searches.services.upstream import query_from_string

logger = logging.getLogger(__name__)


def alerts_wanted(search: SavedSearch) -> bool:
    """The search sends e-mail, its owner has an address and has not turned all alerts off."""
    if search.alert_mode == AlertMode.OFF or not search.owner.email:
        return False
    enabled = UserPreferences.objects.filter(user_id=search.owner_id).values_list("alerts_enabled", flat=True)
    return next(iter(enabled), True)


def _hidden(search: SavedSearch) -> frozenset[str]:
    try:
        query = query_from_string(search.query_string)
    except ValueError:  # the refresh ran it, so this cannot happen; announce rather than lose
        return frozenset()
    return hidden_job_keys(user=search.owner, source_key=query.source_key, profile_key=query.profile_key)


def _skip_reason(
    row: ResultRow, *, baseline: bool, new: set[str], wanted: bool, hidden: frozenset[str]
) -> str:
    if baseline:
        return SkipReason.BASELINE
    if row.key not in new:
        # In the seen jobs before the ledger existed (or before this search's alerts existed).
        return SkipReason.SEEN_BEFORE
    if not wanted:
        return SkipReason.ALERTS_OFF
    if row.key in hidden:
        return SkipReason.HIDDEN
    return SkipReason.NONE


def record_refresh(
    sender: Any,
    *,
    search: SavedSearch,
    run: SearchRun,
    rows: Sequence[ResultRow],
    new_keys: Sequence[str],
    baseline: bool,
    **_: Any,
) -> list[AnnouncedJob]:
    """Receiver of saved_searches.signals.refresh_succeeded (inside the run's transaction)."""
    keys = [row.key for row in rows]
    known = set(
        AnnouncedJob.objects.filter(search=search, job_key__in=keys).values_list("job_key", flat=True)
    )
    fresh = [row for row in rows if row.key not in known]
    if not fresh:
        return []
    wanted = alerts_wanted(search)
    hidden = _hidden(search) if wanted and not baseline else frozenset()
    new = set(new_keys)
    entries = []
    for row in fresh:
        reason = _skip_reason(row, baseline=baseline, new=new, wanted=wanted, hidden=hidden)
        entries.append(
            AnnouncedJob(
                search=search, job_key=row.key, found_run=run, found_at=run.finished_at or run.started_at,
                state=LedgerState.SKIPPED if reason else LedgerState.PENDING, skip_reason=reason,
                score=row.score, rank=row.rank, card=dict(row.card or {}),
            )
        )  # fmt: skip
    AnnouncedJob.objects.bulk_create(entries)
    pending = sum(entry.state == LedgerState.PENDING for entry in entries)
    if pending and search.alert_mode == AlertMode.EACH_REFRESH:
        from alerts.tasks import compose_run_email  # tasks import services

        transaction.on_commit(partial(compose_run_email.delay, run.pk))
    logger.info("alerts ledger: run %s recorded %s jobs, %s to announce", run.pk, len(entries), pending)
    return entries
