"""Star, hide, the shortlist page, and sharing it with a team. Views validate a form, call one
service, and render the full page, a fragment for HTMX, or redirect back (the same forms work
without JavaScript). A shortlist a teammate shares is reached by its share's id only
(`services.shortlist_share_for_reader`), read-only; every write acts on the requester's own."""

from __future__ import annotations

import csv
from typing import Any, cast
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    JsonResponse,
    QueryDict,
)
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from accounts.forms import NOT_YOUR_TEAM_MESSAGE, TeamShareForm
from accounts.teams import user_teams
from scoring.forms import KEY_RE
from scoring.hrflow.errors import HrFlowError
from shortlists import services
from shortlists.forms import EntryForm, HideForm, MoveForm, StarForm
from shortlists.models import ShortlistShare, Stage
from shortlists.search_page import CardForms, hidden_count_note, shortlist_link
from shortlists.services import JobNotInResults


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # login is required on every page (LoginRequiredMiddleware)


def _bad_request(message: str) -> JsonResponse:
    return JsonResponse({"code": 400, "message": message}, status=400)


def _form_errors(form: Any) -> str:
    return "; ".join(f"{name}: {' '.join(str(e) for e in errors)}" for name, errors in form.errors.items())


def _back(request: HttpRequest, target: str) -> HttpResponseRedirect:
    """Redirect to `target` when it is a path of this site, else to the search page."""
    ok = target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(target if ok else reverse("search"))


def _card_forms(request: HttpRequest, data: dict[str, Any]) -> CardForms:
    return CardForms(csrf=get_token(request), q=data["q"], next=data["next"], show_hidden=data["show_hidden"])


@require_POST
def star(request: HttpRequest) -> HttpResponseBase:
    form = StarForm(request.POST)
    if not form.is_valid():
        return _bad_request(_form_errors(form))
    data = form.cleaned_data
    try:
        if data["action"] == "star":
            entry = services.star(
                _user(request),
                query_string=data["q"],
                job_key=data["job_key"],
                show_hidden=data["show_hidden"],
            )
        else:
            entry = services.unstar(_user(request), query_string=data["q"], job_key=data["job_key"])
    except (JobNotInResults, HrFlowError) as exc:
        return _refused(request, data, exc)
    source_key, profile_key, title = entry.source_key, entry.profile_key, entry.title
    if not request.htmx:  # type: ignore[attr-defined]
        return _back(request, data["next"])
    starred = data["action"] == "star"
    size = services.shortlist_size(_user(request), source_key=source_key, profile_key=profile_key)
    html = _card_forms(request, data).star(data["job_key"], title, starred) + shortlist_link(
        source_key, profile_key, size=size, oob=True
    )
    return HttpResponse(html)


@require_POST
def hide(request: HttpRequest) -> HttpResponseBase:
    form = HideForm(request.POST)
    if not form.is_valid():
        return _bad_request(_form_errors(form))
    data = form.cleaned_data
    try:
        if data["action"] == "hide":
            row = services.hide(
                _user(request),
                query_string=data["q"],
                job_key=data["job_key"],
                show_hidden=data["show_hidden"],
            )
            title = row.title
        else:
            title = services.unhide(_user(request), query_string=data["q"], job_key=data["job_key"])
    except (JobNotInResults, HrFlowError) as exc:
        return _refused(request, data, exc)
    if not request.htmx:  # type: ignore[attr-defined]
        if data["action"] == "hide":
            messages.success(request, f"Hidden for this candidate: {title}.")
        return _back(request, data["next"])
    forms = _card_forms(request, data)
    # The count's "N hidden" note, out of band: it says at once what this hide (or show again)
    # changed. Its links keep the search's own parameters, read from where the card was (`next`).
    note = hidden_count_note(
        QueryDict(urlsplit(data["next"]).query),
        show_hidden=data["show_hidden"],
        n_hidden=services.hidden_count_for_search(_user(request), query_string=data["q"]),
        oob=True,
    )
    if data["action"] == "hide":
        return HttpResponse(forms.hidden_note(data["job_key"], title) + note)
    return HttpResponse(forms.hide(data["job_key"], title, hidden=False) + note)  # a "Show hidden" page


def _refused(request: HttpRequest, data: dict[str, Any], exc: Exception) -> HttpResponseBase:
    """The job left these results (or HrFlow failed): back to the page, which says why."""
    messages.error(request, exc.user_message if isinstance(exc, HrFlowError) else str(exc))
    if request.htmx:  # type: ignore[attr-defined]
        response = HttpResponse(status=204)
        response["HX-Redirect"] = _back(request, data["next"])["Location"]
        return response
    return _back(request, data["next"])


# --- the shortlist page ---------------------------------------------------------------------


def _candidate_or_404(source_key: str, profile_key: str) -> None:
    if not (KEY_RE.match(source_key) and KEY_RE.match(profile_key)):
        raise Http404("No such candidate.")


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    rows = services.shortlists_overview(_user(request))
    shares = services.shortlist_shares_by_candidate(_user(request))
    for row in rows:
        row["share"] = shares.get((row["source_key"], row["profile_key"]))
    shared = services.shared_shortlists(_user(request)) if user_teams(_user(request)).exists() else []
    return render(request, "shortlists/overview.html", {"rows": rows, "shared_rows": shared})


@require_GET
def detail(request: HttpRequest, source_key: str, profile_key: str) -> HttpResponse:
    _candidate_or_404(source_key, profile_key)
    user = _user(request)
    shortlist = services.shortlist_for_candidate(user, source_key=source_key, profile_key=profile_key)
    share = services.shortlist_share_of(user, source_key=source_key, profile_key=profile_key)
    ctx = {
        **_entries_ctx(shortlist),
        "search_url": _search_url(source_key, profile_key),
        "share": share,
        "share_form": TeamShareForm(owner=user, initial={"team": share.team if share else None}),
        "export_url": reverse("shortlists:export", args=[source_key, profile_key]),
    }
    return render(request, "shortlists/detail.html", ctx)


def _search_url(source_key: str, profile_key: str) -> str:
    return reverse("search") + f"?source_key={source_key}&profile_key={profile_key}"


def _entries_ctx(shortlist: services.Shortlist) -> dict[str, Any]:
    return {"shortlist": shortlist, "entries": shortlist.entries, "stage_choices": Stage.choices}


def _csv_response(shortlist: services.Shortlist) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="shortlist.csv"'
    writer = csv.writer(response)
    writer.writerows(services.shortlist_csv_rows(shortlist))
    return response


@require_GET
def export_csv(request: HttpRequest, source_key: str, profile_key: str) -> HttpResponse:
    _candidate_or_404(source_key, profile_key)
    shortlist = services.shortlist_for_candidate(
        _user(request), source_key=source_key, profile_key=profile_key
    )
    return _csv_response(shortlist)


@require_POST
def share(request: HttpRequest, source_key: str, profile_key: str) -> HttpResponse:
    """The owner shares their shortlist of this candidate with one of their teams, or stops."""
    _candidate_or_404(source_key, profile_key)
    form = TeamShareForm(request.POST, owner=_user(request))
    try:
        if not form.is_valid():
            raise services.NotYourTeam(NOT_YOUR_TEAM_MESSAGE)
        share = services.shortlist_share_set(
            _user(request), source_key=source_key, profile_key=profile_key, team_id=form.team_id
        )
    except services.NotYourTeam:  # the form offers only their teams: a forged or stale post
        messages.error(request, NOT_YOUR_TEAM_MESSAGE)
    else:
        messages.success(request, f"Shared with {share.team.name}." if share else "Not shared any more.")
    return redirect("shortlists:detail", source_key, profile_key)


# --- a shortlist a teammate shares: read-only ------------------------------------------------


def _shared_shortlist(request: HttpRequest, pk: int) -> tuple[ShortlistShare, services.Shortlist]:
    share = services.shortlist_share_for_reader(_user(request), pk=pk)
    shortlist = services.shortlist_for_candidate(
        share.owner,
        source_key=share.source_key,
        profile_key=share.profile_key,
    )
    return share, shortlist


@require_GET
def shared_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    share, shortlist = _shared_shortlist(request, pk)
    if share.owner_id == _user(request).pk:  # the owner's own: their editable page
        return redirect("shortlists:detail", share.source_key, share.profile_key)
    ctx = {
        **_entries_ctx(shortlist),
        "read_only": True,
        "share": share,
        "search_url": _search_url(share.source_key, share.profile_key),
        "export_url": reverse("shortlists:shared-export", args=[share.pk]),
    }
    return render(request, "shortlists/detail.html", ctx)


@require_GET
def shared_export_csv(request: HttpRequest, pk: int) -> HttpResponse:
    return _csv_response(_shared_shortlist(request, pk)[1])


@require_POST
def shared_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Save a copy": the shared jobs join the user's own shortlist of the candidate."""
    share = services.shortlist_share_for_reader(_user(request), pk=pk)
    added = services.shortlist_copy(_user(request), share=share)
    messages.success(request, f"Copied {added} job{'s' if added != 1 else ''} to your shortlist.")
    return redirect("shortlists:detail", share.source_key, share.profile_key)


@require_POST
def entry_update(request: HttpRequest, pk: int) -> HttpResponse:
    entry = services.entry_get(_user(request), pk=pk)  # 404 first: a foreign id learns nothing
    form = EntryForm(request.POST)
    if not form.is_valid():
        if request.htmx:  # type: ignore[attr-defined]
            return _bad_request(_form_errors(form))
        messages.error(request, f"Not saved: {_form_errors(form)}")
    else:
        entry = services.entry_update(_user(request), pk=pk, **form.cleaned_data)
        if request.htmx:  # type: ignore[attr-defined]
            return render(request, "shortlists/detail.html#saved", {"entry": entry})
        messages.success(request, f"Saved: {entry.title}.")
    return redirect(reverse("shortlists:detail", args=[entry.source_key, entry.profile_key]) + f"#entry-{pk}")


@require_POST
def entry_move(request: HttpRequest, pk: int) -> HttpResponse:
    form = MoveForm(request.POST)
    if not form.is_valid():
        services.entry_get(_user(request), pk=pk)
        return _bad_request(_form_errors(form))
    entry = services.entry_move(_user(request), pk=pk, move=form.cleaned_data["move"])
    url = reverse("shortlists:detail", args=[entry.source_key, entry.profile_key])
    if request.htmx:  # type: ignore[attr-defined]
        shortlist = services.shortlist_for_candidate(
            _user(request), source_key=entry.source_key, profile_key=entry.profile_key
        )
        ctx = {**_entries_ctx(shortlist), "moved": entry.pk, "moved_how": form.cleaned_data["move"]}
        return render(request, "shortlists/detail.html#entries", ctx)
    return redirect(url + f"#entry-{pk}")


@require_POST
def entry_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = services.entry_remove(_user(request), pk=pk)
    messages.success(request, f"Removed from the shortlist: {entry.title}.")
    return redirect(reverse("shortlists:detail", args=[entry.source_key, entry.profile_key]))
