"""Reads for the first screen."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from preferences.models import RecentSearch

FIRST_SCREEN_RECENT = 5


def recent_search_list(*, user: User | AnonymousUser, limit: int = FIRST_SCREEN_RECENT) -> list[RecentSearch]:
    if not user.is_authenticated:
        return []
    return list(RecentSearch.objects.filter(user=user).order_by("-searched_at", "-pk")[:limit])
