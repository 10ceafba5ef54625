"""Saved-search pages. FBVs; login is required by middleware; every view that takes an id goes
through `_get_search_for_user()`, so another user's id is a 404 exactly like a missing one.

Each write is a POST form that works without JavaScript (redirect to the list) and with htmx
(the row or status partial of list.html is returned instead).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

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
ALREADY_REFRESHING_MESSAGE = (
    "Already refreshing since {since}. If that refresh was interrupted, it is retried "
    "automatically after {until}."
)
ALREADY_QUEUED_MESSAGE = "A refresh is already queued; it starts shortly."


def _is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not getattr(htmx, "boosted", False)


def _choices() -> dict[str, object]:
    return {"schedule_choices": Schedule.choices, "alert_choices": AlertMode.choices}


def _get_search_for_user(request: HttpRequest, pk: int) -> SavedSearch:
    return selectors.saved_search_get_for_user(owner=request.user, pk=pk)  # type: ignore[arg-type]


def _annotated(request: HttpRequest, pk: int) -> SavedSearch:
    return selectors.saved_search_list(owner=request.user).get(pk=pk)  # type: ignore[arg-type]


def _row_response(request: HttpRequest, search: SavedSearch, *, error: str = "") -> HttpResponse:
    if _is_htmx(request):
        context = {"search": _annotated(request, search.pk), "row_error": error, **_choices()}
        return render(request, f"{LIST_TEMPLATE}#row", context)
    if error:
        messages.error(request, error)
    return redirect("saved_searches:list")


@require_GET
@vary_on_headers("HX-Request")
def saved_search_list(request: HttpRequest) -> HttpResponse:
    searches = list(selectors.saved_search_list(owner=request.user))  # type: ignore[arg-type]
    template = f"{LIST_TEMPLATE}#table" if _is_htmx(request) else LIST_TEMPLATE
    return render(request, template, {"searches": searches, **_choices()})


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
    search = _get_search_for_user(request, pk)
    crud.saved_search_mark_viewed(search=search)
    badges_remember_opening(request.session, search)
    query = search.query_string + ("&" if search.query_string else "") + urlencode({"saved": search.pk})
    return HttpResponseRedirect(f"{reverse('search')}?{query}")


@require_POST
def saved_search_rename(request: HttpRequest, pk: int) -> HttpResponse:
    search = _get_search_for_user(request, pk)
    form = RenameForm(request.POST)
    if not form.is_valid():
        return _row_response(request, search, error=INVALID_MESSAGE)
    crud.saved_search_rename(search=search, name=form.cleaned_data["name"])
    return _row_response(request, search)


@require_POST
def saved_search_update_filters(request: HttpRequest, pk: int) -> HttpResponse:
    """New filters for a saved search (from the search page); starts a new "new jobs" baseline."""
    search = _get_search_for_user(request, pk)
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
    search = _get_search_for_user(request, pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        return _row_response(request, search, error=INVALID_MESSAGE)
    crud.saved_search_set_schedule(search=search, schedule=form.cleaned_data["schedule"])
    return _row_response(request, search)


@require_POST
def saved_search_alert_mode(request: HttpRequest, pk: int) -> HttpResponse:
    search = _get_search_for_user(request, pk)
    form = AlertModeForm(request.POST)
    if not form.is_valid():
        return _row_response(request, search, error=INVALID_MESSAGE)
    crud.saved_search_set_alert_mode(search=search, alert_mode=form.cleaned_data["alert_mode"])
    return _row_response(request, search)


@require_POST
def saved_search_pause(request: HttpRequest, pk: int) -> HttpResponse:
    search = _get_search_for_user(request, pk)
    form = PauseForm(request.POST)
    if not form.is_valid():
        return _row_response(request, search, error=INVALID_MESSAGE)
    crud.saved_search_set_paused(search=search, paused=form.cleaned_data["paused"])
    return _row_response(request, search)


@require_http_methods(["GET", "POST"])
def saved_search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    search = _get_search_for_user(request, pk)
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
    search = _get_search_for_user(request, pk)
    queued = crud.saved_search_request_refresh(search=search)
    note = "" if queued else _busy_note(search)
    if _is_htmx(request):
        context = {"search": _annotated(request, pk), "oob": True, "refresh_note": note}
        return render(request, f"{LIST_TEMPLATE}#status", context)
    if note:
        messages.info(request, note)
    return redirect("saved_searches:list")


@require_GET
@vary_on_headers("HX-Request")
def saved_search_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The polled status cell: keeps polling while queued/running, then stops (no hx-trigger)."""
    _get_search_for_user(request, pk)
    search = _annotated(request, pk)
    if _is_htmx(request):
        return render(request, f"{LIST_TEMPLATE}#status", {"search": search, "oob": True})
    return redirect("saved_searches:list")
