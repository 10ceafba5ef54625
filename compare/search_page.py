"""The matrix on the search page, through its extension seam (scoring/extensions.py):

* a slot above the results, once a candidate is chosen and scoring is on: "Compare with other
  candidates", the matrix with this candidate and these filters;
* the top bar's "Compare candidates" link on every page.

It opens nothing from the request and keeps no URL parameter of its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from compare.forms import CandidateMatrixForm
from compare.matrix import CandidateRef
from compare.services import matrix_url
from scoring.extensions import Decoration, NavLink, SearchState
from scoring.hrflow.query import JobQuery

SLOT_TEMPLATE = "compare/_search_slot.html"


class CompareExtension:
    name = "compare"
    slot_id = "compare-slot"
    keep_params: Sequence[str] = ()

    def open(self, request: HttpRequest) -> None:
        return None

    def excluded_keys(self, request: HttpRequest, opened: None, query: JobQuery) -> frozenset[str]:
        return frozenset()  # the matrix leaves out nothing

    def decorate(self, request: HttpRequest, opened: None, state: SearchState) -> Decoration:
        query, candidate = state.query, state.candidate
        if state.error or query is None or candidate is None or not query.use_agent:
            return Decoration()
        filters = CandidateMatrixForm.filters_of(query)
        url = matrix_url(filters, [CandidateRef(query.source_key, query.profile_key)])
        return Decoration(slot_html=render_to_string(SLOT_TEMPLATE, {"compare_url": url}, request=request))

    def nav_links(self, request: HttpRequest) -> Sequence[NavLink]:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return ()
        return (NavLink("nav-compare", reverse("compare:matrix"), "Compare candidates"),)
