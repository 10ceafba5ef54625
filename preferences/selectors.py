"""Reads for the first screen."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from preferences.models import RecentSearch, UserPreferences

FIRST_SCREEN_RECENT = 5


def recent_search_list(*, user: User | AnonymousUser, limit: int = FIRST_SCREEN_RECENT) -> list[RecentSearch]:
    if not user.is_authenticated:
        return []
    return list(RecentSearch.objects.filter(user=user).order_by("-searched_at", "-pk")[:limit])


def preferences_for(*, user: User) -> UserPreferences:
    """The user's preferences, unsaved defaults when they never changed any (no row is created)."""
    return UserPreferences.objects.filter(user=user).first() or UserPreferences(user=user)
