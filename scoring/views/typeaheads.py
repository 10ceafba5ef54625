"""The typeaheads: candidates and cities (links back to the search), skills/languages/tags
(JSON for the comboboxes). Each answers a fragment to HTMX and a small page without JavaScript."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from scoring import cities as cities_index
from scoring import selectors, vocabulary
from scoring.forms import KEY_RE
from scoring.hrflow.errors import HrFlowError
from scoring.hrflow.tags import NAME_FORBIDDEN
from scoring.htmx import htmx_partial, template_for

TYPEAHEAD_LIMIT = 8
MAX_NAME_QUERY = 100


# Without JavaScript these pickers are pages of their own, and the search page they lead back to
# opens at its results: on a phone the filter column above them is ~2,900 px tall.
RESULTS_ANCHOR = "#results-heading"


def _back_url(back: str, anchor: str, **params: str) -> str:
    """The search URL `back` (a query string) with `params` set and the page reset."""
    query = QueryDict(back[:4000], mutable=True)
    query.pop("page", None)
    for name, value in params.items():
        query[name] = value
    return reverse("search") + "?" + query.urlencode() + anchor


def _anchor(request: HttpRequest) -> str:
    """The results anchor for a picker's own page; none in an HTMX fragment (search.js swaps)."""
    return "" if htmx_partial(request) else RESULTS_ANCHOR


@require_GET
def candidate_search(request: HttpRequest) -> HttpResponse:
    name = request.GET.get("name", "").strip()[:MAX_NAME_QUERY]
    back = request.GET.get("back", "")
    try:
        sources = {s.key: s.name for s in selectors.source_list()}
    except HrFlowError as exc:
        return render(
            request, template_for(request, "scoring/candidates.html", "options"), {"error": exc.user_message}
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
    anchor = _anchor(request)
    ctx["options"] = [
        (p, _back_url(back, anchor, source_key=source_key, profile_key=p.key)) for p in profiles
    ]
    return render(request, template_for(request, "scoring/candidates.html", "options"), ctx)


@require_GET
def cities(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:MAX_NAME_QUERY]
    matches = cities_index.city_matches(q, limit=TYPEAHEAD_LIMIT)
    if request.GET.get("format") == "json":
        return JsonResponse({"cities": matches})
    back = request.GET.get("back", "")
    radius = QueryDict(back[:4000]).get("location_distance") or "50"
    anchor = _anchor(request)
    for city in matches:
        city["url"] = _back_url(
            back, anchor, lat=f"{city['lat']:.4f}", lng=f"{city['lng']:.4f}", location_distance=radius
        )
    ctx = {"q": q, "cities": matches, "back": back}
    return render(request, template_for(request, "scoring/cities.html", "options"), ctx)


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
