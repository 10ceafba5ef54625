"""The candidate matrix page, its CSV export and its candidate picker.

One URL, two renderings, as the search page: HTMX requests from the page get the `#compare`
partial of `compare/matrix.html` (form and matrix together, so form, address and matrix
always show the same thing), with the canonical URL pushed; direct loads, boosted requests and
history restores get the full page.
"""

from __future__ import annotations

import csv
from dataclasses import replace
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from compare.export import matrix_csv_rows
from compare.forms import CANDIDATE_PARAM, CandidateMatrixForm
from compare.matrix import MAX_CANDIDATES, TOP_JOBS, CandidateRef
from compare.services import candidate_matrix_build, matrix_url, stand_in_name
from compare.table_html import matrix_rows_html
from scoring import extensions, selectors
from scoring.filters import chip_links
from scoring.hrflow.errors import HrFlowError
from scoring.htmx import htmx_partial

PICKER_LIMIT = 8
MAX_NAME_QUERY = 100
MAX_BACK = 4000
SCORING_OFF = "The matrix compares match scores, so it needs scoring on; it is off in this link."


def _matrix_context(request: HttpRequest) -> dict[str, Any]:
    """Validate the request and build the matrix: everything both renderings and the CSV need."""
    ctx: dict[str, Any] = {"error": None, "matrix": None, "scoring_off": False, "filters_url": ""}
    choices, ctx["error"] = selectors.search_form_choices_or_error()
    form = CandidateMatrixForm(request.GET or None, **choices)
    ctx.update(form=form, max_candidates=MAX_CANDIDATES, top_jobs=TOP_JOBS, chosen=_raw_chosen(request))
    ctx["full"] = len(ctx["chosen"]) >= MAX_CANDIDATES
    ctx["back"] = request.GET.urlencode()[:MAX_BACK]
    if ctx["error"] or not form.is_bound or not form.is_valid():
        return ctx
    filters = form.filters_query()
    refs = form.candidates
    ctx["filters"] = filters
    ctx["canonical_url"] = matrix_url(filters, refs)
    ctx["back"] = ctx["canonical_url"].partition("?")[2]
    ctx["chosen"] = [
        (ref.token, stand_in_name(ref), matrix_url(filters, _without(refs, ref))) for ref in refs
    ]
    # The active-filter chips, each a link to the same matrix without that filter.
    candidates_suffix = "".join(f"&{CANDIDATE_PARAM}={ref.token}" for ref in refs)
    ctx["chips"] = [
        (chip.filter, chip.text, reverse("compare:matrix") + chip.url + candidates_suffix)
        for chip in chip_links(filters)
    ]
    if not filters.use_agent:
        ctx["scoring_off"] = True
        ctx["scoring_off_message"] = SCORING_OFF
        ctx["scoring_on_url"] = matrix_url(replace(filters, use_agent=True), refs)
    elif refs:
        # Jobs hidden for a candidate stay out of their column, as out of their search
        # (through the search page's seam: the matrix never reads another app's tables).
        opened = extensions.open_all(request)
        matrix = candidate_matrix_build(
            filters=filters,
            candidates=refs,
            exclude=lambda query: extensions.excluded_keys(request, opened, query),
        )
        ctx["matrix"] = matrix
        ctx["chosen"] = [(c.ref.token, c.name, c.remove_url) for c in matrix.columns]
        ctx["export_url"] = reverse("compare:export") + "?" + ctx["back"]
    return ctx


def _without(refs: tuple[CandidateRef, ...], ref: CandidateRef) -> list[CandidateRef]:
    return [r for r in refs if r != ref]


def _raw_chosen(request: HttpRequest) -> list[tuple[str, str, str]]:
    """The candidates as the URL gave them (an invalid list still needs its Remove links)."""
    tokens = list(dict.fromkeys(request.GET.getlist(CANDIDATE_PARAM)))[: 4 * MAX_CANDIDATES]
    out = []
    for token in tokens:
        rest = request.GET.copy()
        rest.setlist(CANDIDATE_PARAM, [t for t in tokens if t != token])
        out.append((token, token[-40:][:8] + "…", reverse("compare:matrix") + "?" + rest.urlencode()))
    return out


@require_GET
@vary_on_headers("HX-Request")
def candidate_matrix(request: HttpRequest) -> HttpResponse:
    ctx = _matrix_context(request)
    if ctx["matrix"] is not None:
        ctx["matrix_rows"] = matrix_rows_html(ctx["matrix"])
    ctx["partial"] = partial = htmx_partial(request)
    if partial:
        response = render(request, "compare/matrix.html#compare", ctx)
        response["HX-Push-Url"] = ctx.get("canonical_url") or request.get_full_path()
        return response
    return render(request, "compare/matrix.html", ctx)


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
def matrix_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    ctx = _matrix_context(request)
    form = ctx["form"]
    if ctx["error"]:
        return HttpResponse(ctx["error"], status=502, content_type="text/plain; charset=utf-8")
    if not form.is_valid():
        return HttpResponseBadRequest(
            "Invalid matrix: "
            + "; ".join(f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items()),
            content_type="text/plain; charset=utf-8",
        )
    if ctx["scoring_off"]:
        return HttpResponseBadRequest(SCORING_OFF, content_type="text/plain; charset=utf-8")
    if ctx["matrix"] is None:
        return HttpResponseBadRequest("Add a candidate first.", content_type="text/plain; charset=utf-8")
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in matrix_csv_rows(ctx["matrix"])),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="candidate-matrix.csv"'
    return response


@require_GET
def candidate_options(request: HttpRequest) -> HttpResponse:
    """Candidates of one source whose name matches, each a link to the matrix (`back`, the
    matrix's query string) with them added; a fragment for the page's typeahead, a small page
    without JavaScript."""
    name = request.GET.get("name", "").strip()[:MAX_NAME_QUERY]
    back = QueryDict(request.GET.get("back", "")[:MAX_BACK], mutable=True)
    template = "compare/candidates.html#options" if htmx_partial(request) else "compare/candidates.html"
    ctx: dict[str, Any] = {"name": name, "back": back.urlencode(), "error": None, "options": []}
    try:
        sources = {s.key: s.name for s in selectors.source_list()}
    except HrFlowError as exc:
        ctx["error"] = exc.user_message
        return render(request, template, ctx)
    source_key = request.GET.get("source_key") or next(iter(sources), "")
    if source_key not in sources:
        return HttpResponseBadRequest("Unknown candidate source.")
    ctx.update(sources=sources, source_key=source_key)
    chosen = back.getlist(CANDIDATE_PARAM)
    ctx["full"] = len(chosen) >= MAX_CANDIDATES
    if ctx["full"]:
        return render(request, template, ctx)
    try:
        profiles = selectors.profile_search(source_key=source_key, name=name, limit=PICKER_LIMIT)
    except HrFlowError as exc:
        ctx["error"] = exc.user_message
        profiles = []
    for profile in profiles:
        token = CandidateRef(source_key, profile.key).token
        if token in chosen:
            continue
        added = back.copy()
        added.appendlist(CANDIDATE_PARAM, token)
        ctx["options"].append((profile, reverse("compare:matrix") + "?" + added.urlencode()))
    return render(request, template, ctx)
