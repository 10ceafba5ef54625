"""`{% recent_searches as recent %}`: the user's last searched candidates, for the first screen."""

from __future__ import annotations

from typing import Any

from django import template

from preferences.models import RecentSearch
from preferences.selectors import recent_search_list

register = template.Library()


@register.simple_tag(takes_context=True)
def recent_searches(context: dict[str, Any]) -> list[RecentSearch]:
    user = context.get("user")
    return recent_search_list(user=user) if user is not None else []
