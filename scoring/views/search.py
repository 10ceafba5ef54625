"""The search page and a card's details. Views: validate, call a selector, render.

One URL, two renderings: HTMX requests from the page get the `#results` partial of
`scoring/search.html`; direct loads, boosted requests and history restores get the full page.

Other apps (saved searches) decorate the page only through scoring/extensions.py: they are
opened from the request before any upstream call, keep their URL parameters on the page's links,
and render their slot (full page and out of band with every swap) once the search ran.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotFound, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from preferences.middleware import after_response
from preferences.services import recent_search_record
from scoring import extensions, matching, selectors, vocabulary
from scoring.filters import chip_links, clear_all_url, relax_suggestions
from scoring.forms import JobSearchForm
from scoring.hrflow.errors import HrFlowBadRequest, HrFlowError
from scoring.hrflow.query import JobQuery
from scoring.hrflow.tags import LEGACY_PARAMS
from scoring.htmx import htmx_partial, template_for
from scoring.result_map import page_map
from scoring.views.csv_export import export_cap


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
    choices, ctx["error"] = selectors.search_form_choices_or_error()
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
    ctx["export_cap"] = export_cap()
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
        form = JobSearchForm(query_get, **selectors.search_form_choices())
        if not form.is_valid() or not form.cleaned_data["profile_key"]:
            return HttpResponseBadRequest("Invalid search.")
        query = form.to_query()
        page = selectors.job_match_list(query=query)
    except HrFlowError as exc:
        return render(
            request, template_for(request, "scoring/job_details.html", "body"), {"error": exc.user_message}
        )
    job = next((j for j in page.jobs if j.key == job_key), None)
    if job is None:
        return HttpResponseNotFound("This job is no longer in the results.")
    ctx = {"job": job, "back_url": reverse("search") + "?" + query.to_query_string()}
    ctx.update(matching.details_context(query=query, job=job))  # issue 13: the "What matches" panel
    return render(request, template_for(request, "scoring/job_details.html", "body"), ctx)
