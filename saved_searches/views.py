"""Saved-search pages. FBVs; login is required by middleware; every view that takes an id goes
through `_owned()` (every write: the owner only) or `_readable()` (open, status, "Save a copy":
the owner or a teammate the search is shared with), so anyone else's id is a 404 exactly like a
missing one, and a teammate's write is the same 404.

Each write is a POST form that works without JavaScript (redirect to the list) and with htmx
(the row or status partial of list.html is returned instead).
"""

from __future__ import annotations

import datetime as dt
from typing import cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.forms import NOT_YOUR_TEAM_MESSAGE, TeamShareForm
from accounts.teams import user_teams
from saved_searches import selectors
from saved_searches.forms import (
    AlertModeForm,
    PauseForm,
    RenameForm,
    SavedSearchCreateForm,
    ScheduleForm,
    UpdateFiltersForm,
)
from saved_searches.models import AlertMode, SavedSearch, Schedule
from saved_searches.services import crud
from saved_searches.services.badges import badges_remember_opening

LIST_TEMPLATE = "saved_searches/list.html"
CREATED_MESSAGE = "Saved “{name}”."
DELETED_MESSAGE = "Deleted “{name}”."
UPDATED_MESSAGE = "Updated the filters of “{name}”; jobs found from now on are compared with the new results."
INVALID_MESSAGE = "That change was not valid."
COPIED_MESSAGE = "Saved a copy as “{name}”: it is yours to edit, e-mail alerts are off."
ALREADY_REFRESHING_MESSAGE = (
    "Already refreshing since {since}. If that refresh was interrupted, it is retried "
    "automatically after {until}."
)
ALREADY_QUEUED_MESSAGE = "A refresh is already queued; it starts shortly."


def _is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not getattr(htmx, "boosted", False)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # login is required on every page (LoginRequiredMiddleware)


def _choices(request: HttpRequest) -> dict[str, object]:
    teams = list(user_teams(_user(request)))
    return {"schedule_choices": Schedule.choices, "alert_choices": AlertMode.choices, "teams": teams}


def _owned(request: HttpRequest, pk: int) -> SavedSearch:
    return selectors.saved_search_for_owner(owner=_user(request), pk=pk)


def _readable(request: HttpRequest, pk: int) -> SavedSearch:
    return selectors.saved_search_for_reader(reader=_user(request), pk=pk)


def _annotated(request: HttpRequest, search: SavedSearch) -> SavedSearch:
    """The row as the list shows it to this user (their own, or shared with them)."""
    user = _user(request)
    if search.owner_id == user.pk:
        return selectors.saved_search_list(owner=user).get(pk=search.pk)
    return selectors.shared_search_list(reader=user).get(pk=search.pk)


def _row_response(request: HttpRequest, search: SavedSearch, *, error: str = "") -> HttpResponse:
    if _is_htmx(request):
        context = {"search": _annotated(request, search), "row_error": error, **_choices(request)}
        return render(request, f"{LIST_TEMPLATE}#row", context)
    if error:
        messages.error(request, error)
    return redirect("saved_searches:list")


@require_GET
@vary_on_headers("HX-Request")
def saved_search_list(request: HttpRequest) -> HttpResponse:
    searches = list(selectors.saved_search_list(owner=_user(request)))
    context = _choices(request)
    # In no team, nothing can be shared with you: no query for it.
    shared = list(selectors.shared_search_list(reader=_user(request))) if context["teams"] else []
    template = f"{LIST_TEMPLATE}#table" if _is_htmx(request) else LIST_TEMPLATE
    return render(request, template, {"searches": searches, "shared_searches": shared, **context})


@require_POST
def saved_search_create(request: HttpRequest) -> HttpResponse:
    form = SavedSearchCreateForm(request.POST)
    error = ""
    search = existing = None
    if form.is_valid():
        try:
            search = crud.saved_search_create(owner=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except crud.SavedSearchExists as exc:
            existing = exc.search
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = INVALID_MESSAGE
    if _is_htmx(request):
        ctx = {"search": search, "existing": existing, "error": error}
        return render(request, "saved_searches/save_result.html", ctx)
    if existing is not None:
        messages.info(request, crud.EXISTS_MESSAGE.format(name=existing.name))
        return redirect(reverse("saved_searches:list") + f"#saved-{existing.pk}")
    if search is None:
        messages.error(request, error)
        query = form.data.get("query_string", "")
        return HttpResponseRedirect(reverse("search") + (f"?{query}" if query else ""))
    messages.success(request, CREATED_MESSAGE.format(name=search.name))
    return redirect("saved_searches:list")


@require_GET
def saved_search_open(request: HttpRequest, pk: int) -> HttpResponse:
    search = _readable(request, pk)
    crud.saved_search_mark_viewed(search=search, viewer=_user(request))
    badges_remember_opening(request.session, search, viewer=_user(request))
    query = search.query_string + ("&" if search.query_string else "") + urlencode({"saved": search.pk})
    return HttpResponseRedirect(f"{reverse('search')}?{query}")


@require_POST
def saved_search_rename(request: HttpRequest, pk: int) -> HttpResponse:
    search = _owned(request, pk)
    form = RenameForm(request.POST)
    if not form.is_valid():
        return _row_response(request, search, error=INVALID_MESSAGE)
    crud.saved_search_rename(search=search, name=form.cleaned_data["name"])
    return _row_response(request, search)


@require_POST
def saved_search_update_filters(request: HttpRequest, pk: int) -> HttpResponse:
    """New filters for a saved search (from the search page); starts a new "new jobs" baseline."""
    search = _owned(request, pk)
    form = UpdateFiltersForm(request.POST)
    error = INVALID_MESSAGE
    if form.is_valid():
        try:
            crud.saved_search_update_filters(search=search, **form.cleaned_data)
            error = ""
        except ValidationError as exc:
            error = " ".join(exc.messages)
    if _is_htmx(request):
        # Replaces the whole save slot: the "filters differ" line and the update button go.
        return render(
            request,
            "saved_searches/save_result.html",
            {"search": search if not error else None, "error": error, "updated": True, "slot": True},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, UPDATED_MESSAGE.format(name=search.name))
    return redirect("saved_searches:list")


@require_POST
def saved_search_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    search = _owned(request, pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        return _row_response(request, search, error=INVALID_MESSAGE)
    crud.saved_search_set_schedule(search=search, schedule=form.cleaned_data["schedule"])
    return _row_response(request, search)


@require_POST
def saved_search_alert_mode(request: HttpRequest, pk: int) -> HttpResponse:
    search = _owned(request, pk)
    form = AlertModeForm(request.POST)
    if not form.is_valid():
        return _row_response(request, search, error=INVALID_MESSAGE)
    crud.saved_search_set_alert_mode(search=search, alert_mode=form.cleaned_data["alert_mode"])
    return _row_response(request, search)


@require_POST
def saved_search_pause(request: HttpRequest, pk: int) -> HttpResponse:
    search = _owned(request, pk)
    form = PauseForm(request.POST)
    if not form.is_valid():
        return _row_response(request, search, error=INVALID_MESSAGE)
    crud.saved_search_set_paused(search=search, paused=form.cleaned_data["paused"])
    return _row_response(request, search)


@require_http_methods(["GET", "POST"])
def saved_search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    search = _owned(request, pk)
    if request.method == "GET":
        return render(request, "saved_searches/delete_confirm.html", {"search": search})
    name = search.name
    crud.saved_search_delete(search=search)
    if _is_htmx(request):
        return HttpResponse("")  # the row swaps itself out
    messages.success(request, DELETED_MESSAGE.format(name=name))
    return redirect("saved_searches:list")


def _shown(when: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(when), "Y-m-d H:i")


def _busy_note(search: SavedSearch) -> str:
    """What "Refresh now" says when a refresh already holds the search (maybe a dead worker's)."""
    search.refresh_from_db(fields=["claimed_until"])
    since = selectors.saved_search_running_since(search=search)
    if since is None or search.claimed_until is None:
        return ALREADY_QUEUED_MESSAGE
    return ALREADY_REFRESHING_MESSAGE.format(since=_shown(since), until=_shown(search.claimed_until))


@require_POST
def saved_search_refresh_now(request: HttpRequest, pk: int) -> HttpResponse:
    search = _owned(request, pk)
    queued = crud.saved_search_request_refresh(search=search)
    note = "" if queued else _busy_note(search)
    if _is_htmx(request):
        context = {"search": _annotated(request, search), "oob": True, "refresh_note": note}
        return render(request, f"{LIST_TEMPLATE}#status", context)
    if note:
        messages.info(request, note)
    return redirect("saved_searches:list")


@require_GET
@vary_on_headers("HX-Request")
def saved_search_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The polled status cell: keeps polling while queued/running, then stops (no hx-trigger)."""
    search = _annotated(request, _readable(request, pk))
    if _is_htmx(request):
        return render(request, f"{LIST_TEMPLATE}#status", {"search": search, "oob": True})
    return redirect("saved_searches:list")


@require_POST
def saved_search_share(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner shares the search with one of their teams, or stops sharing it."""
    search = _owned(request, pk)
    form = TeamShareForm(request.POST, owner=_user(request))
    if not form.is_valid():
        return _row_response(request, search, error=NOT_YOUR_TEAM_MESSAGE)
    try:
        crud.saved_search_share(search=search, team_id=form.team_id)
    except ValidationError:  # they left the team between the form and this post
        return _row_response(request, search, error=NOT_YOUR_TEAM_MESSAGE)
    return _row_response(request, search)


@require_POST
def saved_search_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Save a copy" of a search shared with the user: their own search (alerts off), shown in
    their list; the same query saved already offers that one instead."""
    search = _readable(request, pk)
    try:
        copy = crud.saved_search_copy(search=search, owner=_user(request))
    except crud.SavedSearchExists as exc:
        messages.info(request, crud.EXISTS_MESSAGE.format(name=exc.search.name))
        copy = exc.search
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("saved_searches:list")
    else:
        messages.success(request, COPIED_MESSAGE.format(name=copy.name))
    url = reverse("saved_searches:list") + f"#saved-{copy.pk}"
    if _is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)
