"""`{% saved_nav_link as link %}`: the top bar's "Saved searches" link with its "N new" (the
same `NavLink` the search page extension gives the navigation; one query), for out-of-band
swaps from saved-search pages."""

from __future__ import annotations

from typing import Any

from django import template

from scoring.extensions import NavLink

register = template.Library()


@register.simple_tag(takes_context=True)
def saved_nav_link(context: dict[str, Any]) -> NavLink | None:
    from saved_searches.search_page import SavedSearchExtension

    request = context.get("request")
    links = SavedSearchExtension().nav_links(request) if request is not None else ()
    return links[0] if links else None
