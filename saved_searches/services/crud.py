"""Creating and changing saved searches (everything a recruiter does on the list page).

Every function that changes a search takes one its caller got from
`selectors.saved_search_for_owner`; `saved_search_copy` and `saved_search_mark_viewed` are the
two a teammate reaches (through `saved_search_for_reader`)."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.forms import NOT_YOUR_TEAM_MESSAGE
from accounts.teams import owner_team
from saved_searches import conf
from saved_searches.models import (
    SCHEDULE_INTERVALS,
    AlertMode,
    SavedSearch,
    Schedule,
    SearchStatus,
    SearchVisit,
    SeenJob,
    Trigger,
)
from saved_searches.services.upstream import query_from_string
from scoring import selectors
from scoring.forms import UNMATCHABLE_KEYWORD_MESSAGE, keyword_is_matchable
from scoring.hrflow.query import JobQuery

CAP_REACHED_MESSAGE = "You already have {cap} saved searches, the most allowed. Delete one to save another."
BAD_QUERY_MESSAGE = "This search cannot be saved: its filters are not valid."
NO_CANDIDATE_MESSAGE = "Pick a candidate and at least one board before saving this search."
EXISTS_MESSAGE = "You already saved this search as “{name}”."


class SavedSearchExists(ValidationError):
    """Saving a query the owner already saved (a double click, or the same search twice): the
    existing search is offered instead of a second identical row."""

    def __init__(self, search: SavedSearch) -> None:
        super().__init__(EXISTS_MESSAGE.format(name=search.name), code="exists")
        self.search = search


def _savable_query(query_string: str) -> JobQuery:
    """The query a saved search will refresh with; refuses what a refresh could never run."""
    try:
        query = query_from_string(query_string)
    except ValueError as exc:
        raise ValidationError(BAD_QUERY_MESSAGE, code="bad_query") from exc
    if not query.profile_key or not query.board_keys:
        raise ValidationError(NO_CANDIDATE_MESSAGE, code="no_candidate")
    # HrFlow refuses the whole search for such a keyword: every refresh would fail.
    for term in (*query.text_keywords, *query.summary_keywords):
        if not keyword_is_matchable(term):
            raise ValidationError(UNMATCHABLE_KEYWORD_MESSAGE.format(term=term[:30]), code="bad_query")
    return query


BUSY_MESSAGE = "A refresh is already queued or running."


def _first_due(schedule: str, paused: bool, now: dt.datetime) -> dt.datetime | None:
    # A new or re-enabled search refreshes right away; "off" only refreshes on demand.
    if paused or schedule not in SCHEDULE_INTERVALS:
        return None
    return now


def saved_search_create(
    *,
    owner: User,
    name: str,
    query_string: str,
    schedule: str = Schedule.DAILY,
    alert_mode: str = AlertMode.OFF,
    candidate_name: str = "",
    filters_summary: str = "",
    params: dict[str, Any] | None = None,
    allow_duplicate: bool = False,
) -> SavedSearch:
    """Raises ValidationError when the per-user cap is reached or the query is not valid, and
    SavedSearchExists (a ValidationError) when the owner already saved the same query (unless
    `allow_duplicate`: tests and fixtures that need several searches of one query)."""
    query = _savable_query(query_string)
    canonical = query.to_query_string()
    if params is None:
        params = {}
        for key, value in query.to_query_items():
            params.setdefault(key, []).append(value)
    cap = int(conf.get("SAVED_SEARCH_CAP_PER_USER"))
    now = timezone.now()
    with transaction.atomic():
        # Lock the owner's row so two concurrent saves cannot both pass the cap check
        # (PostgreSQL; SQLite's IMMEDIATE transactions serialise writers anyway).
        User.objects.select_for_update().filter(pk=owner.pk).first()
        existing = SavedSearch.objects.filter(owner=owner, query_string=canonical).order_by("pk").first()
        if existing is not None and not allow_duplicate:
            raise SavedSearchExists(existing)
        if SavedSearch.objects.filter(owner=owner).count() >= cap:
            raise ValidationError(CAP_REACHED_MESSAGE.format(cap=cap), code="cap")
        return SavedSearch.objects.create(
            owner=owner,
            name=name.strip()[:120],
            query_string=canonical,
            params=params,
            candidate_name=candidate_name[:200],
            filters_summary=filters_summary[:300],
            schedule=schedule,
            alert_mode=alert_mode or AlertMode.OFF,
            next_due_at=_first_due(schedule, False, now),
            baseline_started_at=now,
        )


def saved_search_rename(*, search: SavedSearch, name: str) -> SavedSearch:
    search.name = name.strip()[:120]
    search.save(update_fields=["name", "updated_at"])
    return search


def saved_search_set_schedule(*, search: SavedSearch, schedule: str) -> SavedSearch:
    now = timezone.now()
    search.schedule = schedule
    if search.paused or schedule not in SCHEDULE_INTERVALS:
        search.next_due_at = None
    else:
        base = search.last_refreshed_at or now
        search.next_due_at = (
            max(base + SCHEDULE_INTERVALS[schedule], now) if search.last_refreshed_at else now
        )
    search.save(update_fields=["schedule", "next_due_at", "updated_at"])
    return search


def saved_search_set_alert_mode(*, search: SavedSearch, alert_mode: str) -> SavedSearch:
    """Jobs found while alerts were off are never announced later (the alerts ledger keeps them
    as skipped): switching on announces what is new from the next refresh on."""
    search.alert_mode = alert_mode
    search.save(update_fields=["alert_mode", "updated_at"])
    return search


def saved_search_set_paused(*, search: SavedSearch, paused: bool) -> SavedSearch:
    search.paused = paused
    search.save(update_fields=["paused", "updated_at"])
    return saved_search_set_schedule(search=search, schedule=search.schedule)


def saved_search_update_filters(
    *, search: SavedSearch, query_string: str, filters_summary: str = ""
) -> SavedSearch:
    """New filters start a new baseline: what the old filters saw is forgotten, and the next
    refresh's results are the new reference rather than all "new". Saving the filters is also
    how an owner reviews a search whose meaning the tag-syntax change could not keep."""
    canonical = _savable_query(query_string).to_query_string()
    if canonical == search.query_string:
        return search
    now = timezone.now()
    with transaction.atomic():
        SeenJob.objects.filter(search=search).delete()
        search.query_string = canonical
        search.filters_summary = filters_summary[:300] or search.filters_summary
        search.baseline_started_at = now
        search.baseline_run = None
        search.next_due_at = now if not search.paused else search.next_due_at
        search.needs_review = False
        search.review_reason = ""
        search.save(
            update_fields=[
                "query_string", "filters_summary", "baseline_started_at", "baseline_run",
                "next_due_at", "needs_review", "review_reason", "updated_at",
            ]
        )  # fmt: skip
    return search


def saved_search_delete(*, search: SavedSearch) -> None:
    search.delete()


def saved_search_mark_viewed(*, search: SavedSearch, viewer: User) -> None:
    """The viewer (owner or teammate) opens the search: remember *their* visit, and show today's
    results, not cached ones.

    The refresh fetched its top N with its own page size, so the page the recruiter is about to
    see may still be cached from before new jobs arrived.
    """
    now = timezone.now()
    with transaction.atomic():
        visit = SearchVisit.objects.select_for_update().filter(user=viewer, search=search).first()
        if visit is None:
            try:
                with transaction.atomic():  # two first visits at once: the loser moves the winner's
                    SearchVisit.objects.create(user=viewer, search=search, last_viewed_at=now)
            except IntegrityError:
                visit = SearchVisit.objects.select_for_update().get(user=viewer, search=search)
        if visit is not None:
            visit.previous_viewed_at, visit.last_viewed_at = visit.last_viewed_at, now
            visit.save(update_fields=["previous_viewed_at", "last_viewed_at"])
    # A saved query the parser no longer accepts is reported by its next refresh, not here.
    with contextlib.suppress(ValueError):
        selectors.job_match_forget(query=query_from_string(search.query_string))


def saved_search_share(*, search: SavedSearch, team_id: int | None) -> SavedSearch:
    """Share the search with one of its owner's teams, or with none (`team_id` None). Raises
    ValidationError for a team the owner is not in."""
    try:
        team = owner_team(search.owner, team_id)
    except ValueError as exc:
        raise ValidationError(NOT_YOUR_TEAM_MESSAGE, code="team") from exc
    search.shared_with = team
    search.save(update_fields=["shared_with", "updated_at"])
    return search


def saved_search_copy(*, search: SavedSearch, owner: User) -> SavedSearch:
    """A teammate's own copy of a search shared with them: the same name, filters and schedule,
    alerts off (they never asked for e-mail), not shared, and a fresh "new jobs" baseline. Raises
    SavedSearchExists when they already saved the same query, ValidationError at the cap."""
    return saved_search_create(
        owner=owner,
        name=search.name,
        query_string=search.query_string,
        schedule=search.schedule,
        alert_mode=AlertMode.OFF,
        candidate_name=search.candidate_name,
        filters_summary=search.filters_summary,
        params=search.params,
    )


def saved_search_request_refresh(*, search: SavedSearch) -> bool:
    """Make the search due now and queue a refresh after commit. False if one is already busy."""
    from saved_searches.tasks import refresh_saved_search  # tasks import services

    now = timezone.now()
    updated = (
        SavedSearch.objects.filter(pk=search.pk, needs_review=False)  # the claim would skip it
        .exclude(last_status__in=(SearchStatus.QUEUED, SearchStatus.RUNNING), claimed_until__gt=now)
        .update(
            next_due_at=now,
            last_status=SearchStatus.QUEUED,
            last_error="",  # the row shows a queued search's error only for its automatic retry
            enqueued_until=now + dt.timedelta(seconds=float(conf.get("SAVED_SEARCH_ENQUEUE_TTL_SECONDS"))),
        )
    )
    if updated != 1:
        return False
    search.refresh_from_db()
    transaction.on_commit(lambda: refresh_saved_search.delay(search.pk, Trigger.MANUAL))
    return True
