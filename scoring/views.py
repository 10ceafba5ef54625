"""The search page and its helpers (typeahead, CSV export). Views: validate, call a selector, render.

One URL, two renderings: HTMX requests from the page get the `#results` partial of
`scoring/search.html`; direct loads, boosted requests and history restores get the full page.

Other apps (saved searches) decorate the page only through scoring/extensions.py: they are
opened from the request before any upstream call, keep their URL parameters on the page's links,
and render their slot (full page and out of band with every swap) once the search ran.
"""

from __future__ import annotations

import csv
import functools
import itertools
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotFound,
    JsonResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from preferences.middleware import after_response
from preferences.services import recent_search_record
from scoring import cities as cities_index
from scoring import extensions, matching, selectors, vocabulary
from scoring.export import capped_note, csv_rows
from scoring.filters import chip_links, clear_all_url, relax_suggestions
from scoring.forms import KEY_RE, JobSearchForm
from scoring.hrflow.errors import SETUP_MESSAGE, HrFlowBadRequest, HrFlowError
from scoring.hrflow.query import JobQuery
from scoring.hrflow.tags import LEGACY_PARAMS, NAME_FORBIDDEN
from scoring.result_map import page_map

logger = logging.getLogger(__name__)
EXPORT_CAP_DEFAULT = 1000
TYPEAHEAD_LIMIT = 8
MAX_NAME_QUERY = 100


def htmx_partial(request: HttpRequest) -> bool:
    """True for HTMX requests that want a fragment: not boosted and not a history restore."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.boosted and not htmx.history_restore_request


# --- search ------------------------------------------------------------------------------------


def _source_choices() -> list[tuple[str, str]]:
    return [(s.key, s.name) for s in selectors.source_list()]


_form_choices = selectors.search_form_choices  # boards, algorithms, sources (cached upstream lists)


@require_GET
@vary_on_headers("HX-Request")
def search(request: HttpRequest) -> HttpResponse:
    partial = htmx_partial(request)
    if not partial:
        vocabulary.warm()  # the skills typeahead's shipped list, read in the background once
        ctx_tag_names = vocabulary.tag_names()  # the tag pickers' names (full page only)
    else:
        ctx_tag_names = []
    opened = extensions.open_all(request)  # before any upstream call: a foreign id costs nothing
    kept = [pair for item in opened for pair in item.kept]
    ctx: dict[str, Any] = {
        "error": None,
        "page": None,
        "query": None,
        "candidate": None,
        "partial": partial,
        "search_url": reverse("search"),
        "map_tile_url": settings.MAP_TILE_URL,
        # Extensions' own parameters (?saved=), kept on pushed URLs and pager/relax/chip links
        # and in the form (hidden inputs).
        "kept_params": kept,
        "kept_suffix": "&" + _urlencode(kept) if kept else "",
        "new_keys": frozenset(),
        "ext_slots": [],
        "tag_names": ctx_tag_names,
    }
    choices: dict[str, list[tuple[str, str]]] = {
        "board_choices": [],
        "algorithm_choices": [],
        "source_choices": [],
    }
    if not settings.HRFLOW_ALGORITHM_KEYS:
        ctx["error"] = SETUP_MESSAGE  # nothing can be scored: no upstream call at all
    else:
        try:
            choices = _form_choices()
        except HrFlowError as exc:
            ctx["error"] = exc.user_message
    form = JobSearchForm(request.GET or None, **choices)
    ctx["form"] = form
    if form.legacy_notice and not partial:
        # An old bookmark: say so, and move to the new address (same meaning) before running.
        messages.info(request, form.legacy_notice)
        if form.is_valid():
            target = form.to_query().to_query_string() + ctx["kept_suffix"]
        else:  # the converted filters, as given (they carry the kept parameters already)
            target = form.data.urlencode()  # type: ignore[attr-defined]
        return redirect(reverse("search") + "?" + target)
    ctx["legacy_notice"] = form.legacy_notice
    if form.legacy_problem:
        without = request.GET.copy()
        for name in LEGACY_PARAMS:
            without.pop(name, None)
        ctx["without_legacy_url"] = reverse("search") + "?" + without.urlencode()
    if ctx["error"] is None and form.is_bound:
        _run_search(form, ctx, exclude=lambda query: extensions.excluded_keys(request, opened, query))
    state = extensions.SearchState(
        query=ctx["query"],
        candidate=ctx["candidate"],
        page=ctx["page"],
        error=ctx["error"],
        board_names=dict(choices["board_choices"]),
        partial=partial,
    )
    decorations = extensions.decorate_all(request, opened, state)
    ctx["ext_slots"], ctx["new_keys"] = decorations.slots, decorations.new_keys
    ctx["card_html"] = decorations.card_html
    ctx["ext_count_html"], ctx["ext_candidate_html"] = decorations.count_html, decorations.candidate_html
    if (
        ctx["error"] is None and form.is_bound and ctx["page"] is not None
    ):  # the first screen's "recent candidates"
        _remember(request, ctx)
    ctx["retry_url"] = request.get_full_path()
    ctx["export_cap"] = int(getattr(settings, "HRFLOW_EXPORT_CAP", EXPORT_CAP_DEFAULT))
    ctx["export_url"] = reverse("export-csv") + "?" + ctx["query_string"] if ctx.get("query_string") else ""
    if partial:
        response = render(request, "scoring/search.html#results", ctx)
        # Canonical URL (sorted, defaults omitted) rather than the form's raw GET string.
        # An absolute path: a bare "?…" would resolve against whatever URL the browser shows.
        response["HX-Push-Url"] = (
            reverse("search") + "?" + ctx["query_string"] + ctx["kept_suffix"]
            if ctx.get("query_string")
            else request.get_full_path()
        )
        return response
    return render(request, "scoring/search.html", ctx)


def _urlencode(pairs: list[tuple[str, str]]) -> str:
    query = QueryDict("", mutable=True)
    for name, value in pairs:
        query.appendlist(name, value)
    return query.urlencode()


def _remember(request: HttpRequest, ctx: dict[str, Any]) -> None:
    """The first screen's "recent candidates": written after the response is sent."""
    query, candidate = ctx["query"], ctx["candidate"]
    record = functools.partial(
        recent_search_record,
        user=request.user,  # type: ignore[arg-type]
        source_key=query.source_key,
        profile_key=query.profile_key,
        query_string=replace(query, page=1).to_query_string(),
        candidate_name=candidate.name,
        candidate_title=candidate.title,
    )
    after_response(request, record)


def _run_search(
    form: JobSearchForm, ctx: dict[str, Any], *, exclude: Callable[[JobQuery], frozenset[str]]
) -> None:
    """Fill `ctx` with the candidate and the page of scored jobs; upstream errors become a message.
    `exclude(query)`: the job keys extensions leave out (hidden for this candidate)."""
    valid = form.is_valid()
    source_key = form.cleaned_data.get("source_key")
    profile_key = form.cleaned_data.get("profile_key")
    try:
        if not valid:
            if source_key and profile_key:  # the candidate's panel beside the form's errors
                ctx["candidate"] = selectors.profile_get(source_key=source_key, key=profile_key)
            return
        query = form.to_query()
        ctx["query"] = query
        ctx["query_string"] = query.to_query_string()
        ctx["chips"] = chip_links(query)
        ctx["clear_all_url"] = clear_all_url(query) if ctx["chips"] else ""
        if not (source_key and profile_key):
            return
        # The profile and scoring calls at once (one service: scoring/selectors.py).
        ctx["candidate"], answer = selectors.candidate_and_matches(
            query=query, source_key=source_key, profile_key=profile_key, excluded=exclude(query)
        )
        if isinstance(answer, HrFlowError):
            raise answer
        page = answer
    except HrFlowError as exc:
        ctx["error"] = exc.user_message
        if isinstance(exc, HrFlowBadRequest):
            ctx["error_detail"] = exc.detail  # HrFlow's own words (redacted), shown second
        return
    ctx["page"] = page
    # Issue 13: each card's "What matches" line, computed by the dashboard (scoring/matching.py).
    ctx["match_summaries"] = matching.card_summaries(page.jobs, candidate=ctx["candidate"], query=query)
    # Issue 13 part 2: the page's markers for the search map, out of band with every swap.
    ctx["result_map"] = page_map(page.jobs, scored=query.use_agent)
    vocabulary.note_page(page)  # once per answer, written after the response is sent (scoring/vocabulary.py)
    ctx["details_base"] = reverse("job-details") + "?" + ctx["query_string"] + "&job_key="
    ctx["first_rank"] = (page.page - 1) * query.limit + 1
    if not page.jobs:
        ctx["relax"] = relax_suggestions(query)


@require_GET
def job_details(request: HttpRequest) -> HttpResponse:
    """One card's summary, responsibilities, requirements and source link, from the same
    (cached) search page; a fragment for HTMX, a small page otherwise."""
    job_key = request.GET.get("job_key", "")
    query_get = request.GET.copy()
    query_get.pop("job_key", None)
    try:
        form = JobSearchForm(query_get, **_form_choices())
        if not form.is_valid() or not form.cleaned_data["profile_key"]:
            return HttpResponseBadRequest("Invalid search.")
        query = form.to_query()
        page = selectors.job_match_list(query=query)
    except HrFlowError as exc:
        return render(request, _tpl(request, "scoring/job_details.html", "body"), {"error": exc.user_message})
    job = next((j for j in page.jobs if j.key == job_key), None)
    if job is None:
        return HttpResponseNotFound("This job is no longer in the results.")
    ctx = {"job": job, "back_url": reverse("search") + "?" + query.to_query_string()}
    ctx.update(matching.details_context(query=query, job=job))  # issue 13: the "What matches" panel
    return render(request, _tpl(request, "scoring/job_details.html", "body"), ctx)


# --- candidate and city typeaheads ---------------------------------------------------------


def _back_url(back: str, **params: str) -> str:
    """The search URL `back` (a query string) with `params` set and the page reset."""
    query = QueryDict(back[:4000], mutable=True)
    query.pop("page", None)
    for name, value in params.items():
        query[name] = value
    return reverse("search") + "?" + query.urlencode()


@require_GET
def candidate_search(request: HttpRequest) -> HttpResponse:
    name = request.GET.get("name", "").strip()[:MAX_NAME_QUERY]
    back = request.GET.get("back", "")
    try:
        sources = dict(_source_choices())
    except HrFlowError as exc:
        return render(
            request, _tpl(request, "scoring/candidates.html", "options"), {"error": exc.user_message}
        )
    source_key = request.GET.get("source_key") or next(iter(sources), "")
    ctx: dict[str, Any] = {
        "name": name,
        "back": back,
        "source_key": source_key,
        "sources": sources,
        "error": None,
    }
    if source_key not in sources:
        return HttpResponseBadRequest("Unknown candidate source.")
    try:
        profiles = selectors.profile_search(source_key=source_key, name=name, limit=TYPEAHEAD_LIMIT)
    except HrFlowError as exc:
        ctx["error"] = exc.user_message
        profiles = []
    ctx["options"] = [(p, _back_url(back, source_key=source_key, profile_key=p.key)) for p in profiles]
    return render(request, _tpl(request, "scoring/candidates.html", "options"), ctx)


@require_GET
def cities(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:MAX_NAME_QUERY]
    matches = cities_index.city_matches(q, limit=TYPEAHEAD_LIMIT)
    if request.GET.get("format") == "json":
        return JsonResponse({"cities": matches})
    back = request.GET.get("back", "")
    radius = QueryDict(back[:4000]).get("location_distance") or "50"
    for city in matches:
        city["url"] = _back_url(
            back, lat=f"{city['lat']:.4f}", lng=f"{city['lng']:.4f}", location_distance=radius
        )
    ctx = {"q": q, "cities": matches, "back": back}
    return render(request, _tpl(request, "scoring/cities.html", "options"), ctx)


@require_GET
def vocabulary_suggest(request: HttpRequest) -> HttpResponse:
    """Typeahead of the skills and languages fields: JSON `{"options": [{value, text, group}]}`,
    the candidate's own skills first, then the names seen in results, then the shipped list."""
    kind = request.GET.get("kind", "")
    typed = request.GET.get("q", "")[:MAX_NAME_QUERY]
    if kind == vocabulary.TAGS:
        name = request.GET.get("name", "")[:MAX_NAME_QUERY]
        if not name or any(ch in name for ch in NAME_FORBIDDEN):
            return JsonResponse({"code": 400, "message": "name must be a tag name."}, status=400)
        return JsonResponse({"options": vocabulary.tag_values(name, typed)})
    if kind not in vocabulary.KINDS:
        return JsonResponse({"code": 400, "message": "kind must be skills, languages or tags."}, status=400)
    candidate: tuple[str, ...] = ()
    source_key, profile_key = request.GET.get("source_key", ""), request.GET.get("profile_key", "")
    if kind == "skills" and KEY_RE.match(source_key) and KEY_RE.match(profile_key):
        try:
            candidate = selectors.profile_get(source_key=source_key, key=profile_key).skills
        except HrFlowError:
            candidate = ()  # suggestions without the candidate's own skills, rather than none
    return JsonResponse({"options": vocabulary.suggest(kind, typed, candidate=candidate)})


def _tpl(request: HttpRequest, name: str, partial: str) -> str:
    return f"{name}#{partial}" if htmx_partial(request) else name


# --- CSV export ------------------------------------------------------------------------------


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
def export_csv(request: HttpRequest) -> HttpResponseBase:
    try:
        choices = _form_choices()
    except HrFlowError as exc:
        return HttpResponse(exc.user_message, status=502, content_type="text/plain; charset=utf-8")
    form = JobSearchForm(request.GET, **choices)
    if not form.is_valid():
        return HttpResponseBadRequest(
            "Invalid search: "
            + "; ".join(f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items())
        )
    query = form.to_query()
    if not query.profile_key:
        return HttpResponseBadRequest("Pick a candidate first.")
    cap = int(getattr(settings, "HRFLOW_EXPORT_CAP", EXPORT_CAP_DEFAULT))
    info: dict[str, int] = {}
    # Jobs hidden for the candidate (an extension's exclusion) are not exported either.
    excluded = extensions.excluded_keys(request, extensions.open_all(request), query)
    jobs = selectors.job_match_export(query=query, cap=cap, info=info, excluded=excluded)
    try:
        first = next(jobs, None)  # the first upstream call happens here, before any byte is sent
    except HrFlowError as exc:
        # HrFlow refusing the filters is the request's fault (400); anything else is HrFlow's (502).
        status = 400 if isinstance(exc, HrFlowBadRequest) else 502
        return HttpResponse(exc.user_message, status=status, content_type="text/plain; charset=utf-8")
    writer = csv.writer(_Echo())
    note = capped_note(cap=cap, total=info.get("total", 0))
    rows = csv_rows(itertools.chain([first] if first is not None else [], jobs), note=note)
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="job-matches.csv"'
    if note:  # for scripts: the same fact as the file's first line
        response["X-Export-Capped"] = f"{cap} of {info['total']}"
    return response


@login_not_required
def about_data(request: HttpRequest) -> HttpResponse:
    return render(request, "scoring/about_data.html")
