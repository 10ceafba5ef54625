"""The CSV export of a search: every matching job up to a cap, streamed."""

from __future__ import annotations

import csv
import itertools

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from scoring import extensions, selectors
from scoring.export import capped_note, csv_rows
from scoring.forms import JobSearchForm
from scoring.hrflow.errors import HrFlowBadRequest, HrFlowError

EXPORT_CAP_DEFAULT = 1000


def export_cap() -> int:
    """How many rows an export holds at most (the search page says so beside the link)."""
    return int(getattr(settings, "HRFLOW_EXPORT_CAP", EXPORT_CAP_DEFAULT))


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
def export_csv(request: HttpRequest) -> HttpResponseBase:
    try:
        choices = selectors.search_form_choices()
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
    cap = export_cap()
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
