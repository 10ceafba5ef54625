"""`{% saved_search_digest as searches %}`: the saved searches a user reads (their own and those
teammates share with them, as the top bar's New total counts them) for the search page's first
screen, those with new jobs first. A template tag, so the search app imports nothing of this one."""

from __future__ import annotations

from typing import Any

from django import template

from saved_searches.models import SavedSearch
from saved_searches.selectors import saved_search_list, shared_search_list

register = template.Library()
FIRST_SCREEN_SAVED = 6


@register.simple_tag(takes_context=True)
def saved_search_digest(context: dict[str, Any], limit: int = FIRST_SCREEN_SAVED) -> list[SavedSearch]:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return []
    searches = [*saved_search_list(owner=user), *shared_search_list(reader=user)]
    searches.sort(key=lambda s: (-s.new_count, s.name.casefold()))  # type: ignore[attr-defined]
    return searches[:limit]
