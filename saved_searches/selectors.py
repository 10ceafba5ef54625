"""Reads for the saved-search pages and for the search page's "New" badges.

Two getters, never one with a flag: `saved_search_for_owner` for every write and
`saved_search_for_reader` (owner or teammate) for reads, so a view cannot pick the wrong one
without it showing in its code. "New" is always per viewer (`SearchVisit`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.teams import shared_with_reader
from saved_searches.models import RunStatus, SavedSearch, SearchRun, SearchVisit, SeenJob


def _new_filter(search: SavedSearch, since: dt.datetime | None) -> Q:
    # "New" = first seen by a run after the baseline run, after the baseline started, after
    # `since` (a visit), and still in the results.
    q = Q(dropped_at__isnull=True, first_seen_at__gt=search.baseline_started_at)
    q &= ~Q(first_seen_run_id=search.baseline_run_id)
    if since is not None:
        q &= Q(first_seen_at__gt=since)
    return q


UNSET: Any = object()


def _visit(viewer: User, search: SavedSearch) -> SearchVisit | None:
    return SearchVisit.objects.filter(user=viewer, search=search).first()


def new_job_keys(search: SavedSearch, *, viewer: User, since: dt.datetime | None = UNSET) -> frozenset[str]:
    """Keys for the search page's "New" badges: first seen since `since`, by default the
    viewer's visit *before* the current one (the "open" view has already recorded this visit);
    the browser session's first opening of the search when the caller has it (services/badges.py)."""
    if search.baseline_run_id is None:
        return frozenset()
    if since is UNSET:
        visit = _visit(viewer, search)
        since = visit.previous_viewed_at if visit is not None else None
    keys = (
        SeenJob.objects.filter(search=search)
        .filter(_new_filter(search, since))
        .values_list("job_key", flat=True)
    )
    return frozenset(keys)


def new_job_count(search: SavedSearch, *, viewer: User) -> int:
    """The list page's badge: new since the viewer last opened the search."""
    if search.baseline_run_id is None:
        return 0
    visit = _visit(viewer, search)
    since = visit.last_viewed_at if visit is not None else None
    return SeenJob.objects.filter(search=search).filter(_new_filter(search, since)).count()


def _readable(reader: User) -> Q:
    """The reader's own searches and those a teammate shares with one of the reader's teams."""
    return Q(owner=reader) | shared_with_reader(reader, owner_field="owner", team_field="shared_with")


def new_job_total(*, viewer: User) -> int:
    """The navigation badge: new jobs over every search the viewer reads (theirs and their
    teams'), each since the viewer's own last visit, in one query (the same definition of "new"
    as `new_job_count`, per search)."""
    visits = SearchVisit.objects.filter(user=viewer, search=OuterRef("search_id"))
    last_visit = visits.values("last_viewed_at")
    return (
        SeenJob.objects.filter(
            search__in=SavedSearch.objects.filter(_readable(viewer)),
            search__baseline_run__isnull=False,
            dropped_at__isnull=True,
            first_seen_at__gt=F("search__baseline_started_at"),
        )
        .filter(~Q(first_seen_run_id=F("search__baseline_run_id")))
        .annotate(visited=Subquery(last_visit[:1]))
        .filter(Q(visited__isnull=True) | Q(first_seen_at__gt=F("visited")))
        .count()
    )


def _with_new_count(searches: QuerySet[SavedSearch], viewer: User) -> QuerySet[SavedSearch]:
    """`new_count` annotated in the same query (no N+1): new since the viewer's last visit."""
    last_visit = SearchVisit.objects.filter(user=viewer, search=OuterRef(OuterRef("pk"))).values(
        "last_viewed_at"
    )
    new_jobs = (
        SeenJob.objects.filter(
            search=OuterRef("pk"),
            dropped_at__isnull=True,
            first_seen_at__gt=Coalesce(Subquery(last_visit[:1]), OuterRef("baseline_started_at")),
        )
        .filter(first_seen_at__gt=OuterRef("baseline_started_at"))
        .exclude(first_seen_run_id=OuterRef("baseline_run_id"))
        .values("search")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return searches.annotate(
        new_count=Case(
            When(baseline_run__isnull=True, then=Value(0)),
            default=Coalesce(Subquery(new_jobs, output_field=IntegerField()), Value(0)),
            output_field=IntegerField(),
        )
    ).order_by("name", "pk")


def saved_search_list(*, owner: User) -> QuerySet[SavedSearch]:
    """The owner's searches, `new_count` annotated, with the team each is shared with."""
    return _with_new_count(SavedSearch.objects.filter(owner=owner).select_related("shared_with"), owner)


def shared_search_list(*, reader: User) -> QuerySet[SavedSearch]:
    """Searches teammates share with the reader (never the reader's own), `new_count` since the
    reader's own last visit, with owner and team for "Shared by <owner> · <team>"."""
    shared = SavedSearch.objects.filter(
        shared_with_reader(reader, owner_field="owner", team_field="shared_with")
    )
    return _with_new_count(shared.select_related("owner", "shared_with"), reader)


def saved_search_for_query(*, owner: User, query_string: str) -> SavedSearch | None:
    """The owner's saved search with exactly this (canonical) query, if any: "already saved"."""
    # Only what "You saved this search as …" shows: it is read on every results swap.
    return (
        SavedSearch.objects.filter(owner=owner, query_string=query_string)
        .only("pk", "name")
        .order_by("pk")
        .first()
    )


def saved_search_for_owner(*, owner: User, pk: int) -> SavedSearch:
    """The owner's search or Http404 (someone else's id and a missing one answer the same): every
    write goes through this one, so a teammate's write is a 404 too."""
    search = SavedSearch.objects.filter(owner=owner, pk=pk).first()
    if search is None:
        raise Http404("No such saved search.")
    return search


def saved_search_for_reader(*, reader: User, pk: int) -> SavedSearch:
    """The reader's own search or one shared with a team of theirs, else Http404: for reads only
    (open, status, CSV, "Save a copy"). `search.owner_id != reader.pk` tells a teammate."""
    rows = SavedSearch.objects.filter(_readable(reader), pk=pk)
    search = rows.select_related("owner", "shared_with").first()
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
