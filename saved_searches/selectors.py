"""Reads for the saved-search pages and for the search page's "New" badges."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404

from saved_searches.models import RunStatus, SavedSearch, SearchRun, SeenJob


def _new_filter(search: SavedSearch, since: dt.datetime | None) -> Q:
    # "New" = first seen by a run after the baseline run, after the baseline started, after
    # `since` (a visit), and still in the results.
    q = Q(dropped_at__isnull=True, first_seen_at__gt=search.baseline_started_at)
    q &= ~Q(first_seen_run_id=search.baseline_run_id)
    if since is not None:
        q &= Q(first_seen_at__gt=since)
    return q


UNSET: Any = object()


def new_job_keys(search: SavedSearch, *, since: dt.datetime | None = UNSET) -> frozenset[str]:
    """Keys for the search page's "New" badges: first seen since `since`, by default the visit
    *before* the current one (the "open" view has already moved last_viewed_at to now); the
    browser session's first opening of the search when the caller has it (services/badges.py)."""
    if search.baseline_run_id is None:
        return frozenset()
    if since is UNSET:
        since = search.previous_viewed_at if search.last_viewed_at else None
    keys = (
        SeenJob.objects.filter(search=search)
        .filter(_new_filter(search, since))
        .values_list("job_key", flat=True)
    )
    return frozenset(keys)


def new_job_count(search: SavedSearch) -> int:
    """The list page's badge: new since the owner last opened the search."""
    if search.baseline_run_id is None:
        return 0
    return SeenJob.objects.filter(search=search).filter(_new_filter(search, search.last_viewed_at)).count()


def new_job_total(*, owner: User) -> int:
    """The navigation badge: new jobs over all the owner's searches, in one query (the same
    definition of "new" as `new_job_count`, per search)."""
    return (
        SeenJob.objects.filter(
            search__owner=owner,
            search__baseline_run__isnull=False,
            dropped_at__isnull=True,
            first_seen_at__gt=F("search__baseline_started_at"),
        )
        .filter(~Q(first_seen_run_id=F("search__baseline_run_id")))
        .filter(Q(search__last_viewed_at__isnull=True) | Q(first_seen_at__gt=F("search__last_viewed_at")))
        .count()
    )


def saved_search_list(*, owner: User) -> QuerySet[SavedSearch]:
    """The owner's searches with `new_count` annotated in the same query (no N+1)."""
    new_jobs = (
        SeenJob.objects.filter(
            search=OuterRef("pk"),
            dropped_at__isnull=True,
            first_seen_at__gt=Coalesce(OuterRef("last_viewed_at"), OuterRef("baseline_started_at")),
        )
        .filter(first_seen_at__gt=OuterRef("baseline_started_at"))
        .exclude(first_seen_run_id=OuterRef("baseline_run_id"))
        .values("search")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        SavedSearch.objects.filter(owner=owner)
        .annotate(
            new_count=Case(
                When(baseline_run__isnull=True, then=Value(0)),
                default=Coalesce(Subquery(new_jobs, output_field=IntegerField()), Value(0)),
                output_field=IntegerField(),
            )
        )
        .order_by("name", "pk")
    )


def saved_search_for_query(*, owner: User, query_string: str) -> SavedSearch | None:
    """The owner's saved search with exactly this (canonical) query, if any: "already saved"."""
    return SavedSearch.objects.filter(owner=owner, query_string=query_string).order_by("pk").first()


def saved_search_get_for_user(*, owner: User, pk: int) -> SavedSearch:
    """The owner's search or Http404 — the same answer for someone else's id and a missing one."""
    search = SavedSearch.objects.filter(owner=owner, pk=pk).first()
    if search is None:
        raise Http404("No such saved search.")
    return search


def saved_search_running_since(*, search: SavedSearch) -> dt.datetime | None:
    """When the refresh holding the search's lease started (None when none is running)."""
    return (
        SearchRun.objects.filter(search=search, status=RunStatus.RUNNING)
        .order_by("-started_at")
        .values_list("started_at", flat=True)
        .first()
    )
