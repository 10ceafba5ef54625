"""Writes of per-user preferences and recent searches."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, transaction
from django.utils import timezone

from preferences.models import Density, RecentSearch, UserPreferences

RECENT_KEEP = 8  # recent candidates kept per user (the first screen shows fewer)


def density_for(user: User | AnonymousUser) -> str:
    """The user's card density; comfortable until they pick one (no row is created by reading)."""
    if not user.is_authenticated:
        return Density.COMFORTABLE
    value = UserPreferences.objects.filter(user=user).values_list("density", flat=True).first()
    return value or Density.COMFORTABLE


def density_set(*, user: User, density: str) -> UserPreferences:
    prefs, _ = UserPreferences.objects.update_or_create(user=user, defaults={"density": density})
    return prefs


def recent_search_record(
    *,
    user: User,
    source_key: str,
    profile_key: str,
    query_string: str,
    candidate_name: str = "",
    candidate_title: str = "",
) -> None:
    """Remember `query_string` (the canonical first page) as the user's last search for this
    candidate: one UPDATE on the hot path; an INSERT, and pruning to RECENT_KEEP, only for a
    candidate new to this user."""
    fields = {
        "query_string": query_string,
        "searched_at": timezone.now(),
        "candidate_name": candidate_name[:200],
        "candidate_title": candidate_title[:200],
    }
    mine = RecentSearch.objects.filter(user=user, source_key=source_key, profile_key=profile_key)
    if mine.update(**fields):
        return
    try:
        with transaction.atomic():
            RecentSearch.objects.create(user=user, source_key=source_key, profile_key=profile_key, **fields)
    except IntegrityError:  # a concurrent request of the same user inserted it first
        mine.update(**fields)
        return
    stale = RecentSearch.objects.filter(user=user).order_by("-searched_at", "-pk")[RECENT_KEEP:]
    RecentSearch.objects.filter(pk__in=list(stale.values_list("pk", flat=True))).delete()


def account_update(
    *, user: User, email: str, time_zone: str, digest_hour: int, density: str, alerts_enabled: bool
) -> UserPreferences:
    with transaction.atomic():
        if user.email != email:
            user.email = email
            user.save(update_fields=["email"])
        prefs, _ = UserPreferences.objects.update_or_create(
            user=user,
            defaults={
                "time_zone": time_zone,
                "digest_hour": digest_hour,
                "density": density,
                "alerts_enabled": alerts_enabled,
            },
        )
    return prefs
