"""Per-user settings and the user's recent searches (the search page's first screen).

`UserPreferences` is one row per user, created on first change: the card density, and what the
e-mail alerts need (time zone and digest hour for the daily/weekly digests, and the switch that
turns every alert off; the address itself is the user's `email`). `RecentSearch` keeps the last
search per candidate, a few per user.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Density(models.TextChoices):
    COMFORTABLE = "comfortable", "Comfortable"
    COMPACT = "compact", "Compact"


class UserPreferences(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences"
    )
    density = models.CharField(max_length=12, choices=Density.choices, default=Density.COMFORTABLE)
    # Digests go out at `digest_hour` o'clock in `time_zone` (an IANA name; zoneinfo).
    time_zone = models.CharField(max_length=64, default="UTC")
    digest_hour = models.PositiveSmallIntegerField(default=8)
    # False after "unsubscribe from all alerts": no alert e-mail at all, whatever each search says.
    alerts_enabled = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"


class RecentSearch(models.Model):
    """The last search a user ran for one candidate: one click re-runs it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recent_searches"
    )
    source_key = models.CharField(max_length=64)
    profile_key = models.CharField(max_length=64)
    candidate_name = models.CharField(max_length=200, blank=True)
    candidate_title = models.CharField(max_length=200, blank=True)
    query_string = models.TextField()  # canonical JobQuery.to_query_string(), page 1
    searched_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ("-searched_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=("user", "source_key", "profile_key"), name="recentsearch_user_candidate"
            )
        ]
        indexes = [models.Index(fields=("user", "-searched_at"), name="recentsearch_user_recent")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.candidate_name or self.profile_key}"
