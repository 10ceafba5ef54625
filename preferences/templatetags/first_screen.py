"""The first screen: `{% recent_searches as recent %}` (the user's last searched candidates) and
`{{ when|ago }}` ("just now", "5 minutes ago").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

from preferences.models import RecentSearch
from preferences.selectors import recent_search_list

register = template.Library()


@register.simple_tag(takes_context=True)
def recent_searches(context: dict[str, Any]) -> list[RecentSearch]:
    user = context.get("user")
    return recent_search_list(user=user) if user is not None else []


@register.filter
def ago(when: dt.datetime) -> str:
    """ "just now" within the first minute (Django's timesince says "0 minutes"), else
    "5 minutes ago", "2 hours, 3 minutes ago"."""
    if timezone.now() - when < dt.timedelta(minutes=1):
        return "just now"
    return f"{timesince(when)} ago"
