"""Saved searches on the search page, through its extension seam (scoring/extensions.py).

* `?saved=<id>` opens a saved search the user reads: their own, or one a teammate shares with
  their team (404 for any other or missing id, before any upstream call), and is kept on the
  page's links and pushed URLs (so the CSV export of a shared search works for a teammate too);
* the slot above the results: "Save this search" once a candidate and boards are chosen; for an
  opened search its name, "Update saved search with these filters" when the filters differ, and
  the "needs review" notice; for a search shared with the user, "Shared by <owner> · <team>"
  and "Save a copy" instead of any control that changes it;
* "You saved this search as …" instead of "Save this search" when the owner already saved the
  same query;
* the "New" badges (keys first seen since the previous visit, kept for the login session);
* the top navigation's "Saved searches" link with its "N new" count (one query), also out of
  band with the results swaps of an opened saved search.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from django.http import Http404, HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from saved_searches.forms import UpdateFiltersForm, save_form_for
from saved_searches.models import SavedSearch
from saved_searches.selectors import new_job_total, saved_search_for_query, saved_search_for_reader
from saved_searches.services.badges import new_job_keys_for_session
from scoring.extensions import Decoration, NavLink, SearchState
from scoring.filters import filters_summary
from scoring.hrflow.query import JobQuery

SAVED_PARAM = "saved"
SLOT_TEMPLATE = "saved_searches/_search_slot.html"
NAV_TEMPLATE = "saved_searches/_nav_link.html"


class SavedSearchExtension:
    name = "saved_searches"
    slot_id = "save-slot"
    keep_params: Sequence[str] = (SAVED_PARAM,)

    def open(self, request: HttpRequest) -> SavedSearch | None:
        raw = request.GET.get(SAVED_PARAM, "")
        if not raw:
            return None
        if not raw.isdigit() or len(raw) > 18:
            raise Http404("No such saved search.")
        return saved_search_for_reader(reader=request.user, pk=int(raw))  # type: ignore[arg-type]

    def excluded_keys(
        self, request: HttpRequest, opened: SavedSearch | None, query: JobQuery
    ) -> frozenset[str]:
        return frozenset()  # saved searches hide nothing (hidden jobs are the shortlists app's)

    def decorate(self, request: HttpRequest, opened: SavedSearch | None, state: SearchState) -> Decoration:
        shared_by = opened is not None and opened.owner_id != request.user.pk  # a teammate's, read-only
        ctx: dict[str, Any] = {
            "saved_search": opened,
            "shared_by": shared_by,
            "save_form": None,
            "update_form": None,
        }
        new_keys: frozenset[str] = frozenset()
        query, candidate = state.query, state.candidate
        if not state.error and query is not None and candidate is not None and query.board_keys:
            first_page = replace(query, page=1)
            query_string = first_page.to_query_string()
            summary = filters_summary(first_page, board_names=state.board_names)
            ctx["save_form"] = save_form_for(
                query_string=query_string, candidate_name=candidate.name, filters_summary=summary
            )
            if opened is not None:
                # "New" lasts the login session (SAVED_SEARCH_BADGE_SESSION_HOURS): Back, reload
                # and reopening keep the badges the first visit showed.
                new_keys = new_job_keys_for_session(
                    request.session,
                    opened,
                    viewer=request.user,  # type: ignore[arg-type]
                )
                ctx["filters_differ"] = query_string != opened.query_string
                if ctx["filters_differ"] and not shared_by:
                    ctx["update_form"] = UpdateFiltersForm(
                        initial={"query_string": query_string, "filters_summary": summary}
                    )
            else:  # saving the same query twice offers the existing search
                ctx["already_saved"] = saved_search_for_query(
                    owner=request.user,  # type: ignore[arg-type]
                    query_string=query_string,
                )
        # The nav's "N new" rides the swaps of a saved search's page only (one aggregate query).
        oob = (
            render_to_string(NAV_TEMPLATE, {"oob": True}, request=request)
            if state.partial and opened is not None
            else ""
        )
        if opened is None and ctx["save_form"] is None:
            return Decoration(new_keys=new_keys, oob_html=oob)
        return Decoration(
            slot_html=render_to_string(SLOT_TEMPLATE, ctx, request=request), new_keys=new_keys, oob_html=oob
        )

    def nav_links(self, request: HttpRequest) -> Sequence[NavLink]:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return ()
        n = new_job_total(viewer=user)
        badge = f"{n} new" if n else ""
        detail = f" job{'s' if n != 1 else ''}"
        return (NavLink("nav-saved", reverse("saved_searches:list"), "Saved searches", badge, detail),)
