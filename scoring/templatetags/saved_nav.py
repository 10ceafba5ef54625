"""`{% saved_new_total as n %}`: the top navigation's "N new" next to "Saved searches" (one query)."""

from __future__ import annotations

from typing import Any

from django import template

from saved_searches.selectors import new_job_total

register = template.Library()


@register.simple_tag(takes_context=True)
def saved_new_total(context: dict[str, Any]) -> int:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    return new_job_total(owner=user)
