"""Saved searches, their refresh runs, and the job keys each search has seen.

The database is the source of truth for scheduling: `next_due_at` says when a search is due,
`claimed_until`/`claim_token` are the lease a refresh holds (services/claim.py). Everything a
search is shared with at most one of its owner's teams (`shared_with`, a Django group; teammates
read it, only the owner changes it), and what "new since your last visit" means is per user
(`SearchVisit`), so a teammate's visits never clear the owner's badges. E-mail alerts keep their
own ledger in the `alerts` app (seen jobs are reset by a filter update, the ledger is not), read
only `alert_mode` here, and go to the owner alone.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models


class Schedule(models.TextChoices):
    OFF = "off", "Off (manual only)"
    HOURLY = "hourly", "Hourly"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


SCHEDULE_INTERVALS: dict[str, dt.timedelta] = {
    Schedule.HOURLY: dt.timedelta(hours=1),
    Schedule.DAILY: dt.timedelta(days=1),
    Schedule.WEEKLY: dt.timedelta(weeks=1),
}


class AlertMode(models.TextChoices):
    """E-mail alerts of a search's new jobs (the `alerts` app composes and sends them)."""

    OFF = "off", "Off"
    EACH_REFRESH = "each", "After each refresh"
    DAILY = "daily", "Daily digest"
    WEEKLY = "weekly", "Weekly digest"


class SearchStatus(models.TextChoices):
    NEVER = "never", "Not refreshed yet"
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Refreshing"
    SUCCEEDED = "succeeded", "Up to date"
    FAILED = "failed", "Failed"
    DEFERRED = "deferred", "Deferred (upstream busy)"


class SavedSearch(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(max_length=120)
    # Canonical JobQuery.to_query_string(): equal searches compare equal.
    query_string = models.TextField()
    params = models.JSONField(default=dict, blank=True)  # the same filters as a dict, for display/API
    candidate_name = models.CharField(max_length=200, blank=True)
    filters_summary = models.CharField(max_length=300, blank=True)
    schedule = models.CharField(max_length=10, choices=Schedule.choices, default=Schedule.DAILY)
    paused = models.BooleanField(default=False)
    # Read by the alerts app when a refresh finds new jobs; this app never imports it.
    alert_mode = models.CharField(max_length=8, choices=AlertMode.choices, default=AlertMode.OFF)
    # Teammates (members of this group, while the owner is one too) read it; only the owner edits.
    shared_with = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="shared_searches"
    )

    # Scheduling. NULL next_due_at = not scheduled (schedule off, or paused).
    next_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    enqueued_until = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)

    # Set when the tag-syntax migration could not keep a search's meaning (issue 7): it is not
    # refreshed (so no alert either) until its owner saves its filters again.
    needs_review = models.BooleanField(default=False)
    review_reason = models.CharField(max_length=300, blank=True)

    last_refreshed_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=10, choices=SearchStatus.choices, default=SearchStatus.NEVER)
    last_error = models.TextField(blank=True)
    failure_count = models.PositiveIntegerField(default=0)
    last_total = models.PositiveIntegerField(null=True, blank=True)

    last_notified_at = models.DateTimeField(null=True, blank=True)
    baseline_started_at = models.DateTimeField()
    baseline_run = models.ForeignKey(
        "SearchRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("name", "pk")
        indexes = [models.Index(fields=("owner", "name"), name="savedsearch_owner_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_busy(self) -> bool:
        return self.last_status in (SearchStatus.QUEUED, SearchStatus.RUNNING)


class SearchVisit(models.Model):
    """One user's visits to one saved search: the owner's and each teammate's own "new since
    your last visit" (services/crud.py `saved_search_mark_viewed`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="visits")
    last_viewed_at = models.DateTimeField()
    # The visit before the current one: the search page's "New" badges compare against it, so
    # opening a search (which moves last_viewed_at) still shows what was new on arrival.
    previous_viewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("search", "user"), name="searchvisit_one_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.search_id}"


class RunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    DEFERRED = "deferred", "Deferred"
    ABANDONED = "abandoned", "Abandoned (worker lost)"


class Trigger(models.TextChoices):
    BEAT = "beat", "Schedule"
    MANUAL = "manual", "Refresh now"
    COMMAND = "command", "Management command"


class SearchRun(models.Model):
    search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="runs")
    claim_token = models.UUIDField()
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    total = models.PositiveIntegerField(null=True, blank=True)
    new_count = models.PositiveIntegerField(default=0)
    dropped_count = models.PositiveIntegerField(default=0)
    changed_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)  # recruiter-readable, never a raw traceback
    results = models.JSONField(default=list, blank=True)  # [{"key", "score", "rank"}]

    class Meta:
        ordering = ("-started_at", "-pk")
        indexes = [models.Index(fields=("search", "status"), name="searchrun_search_status")]

    def __str__(self) -> str:
        return f"{self.search_id} {self.status} {self.started_at:%Y-%m-%d %H:%M}"


class SeenJob(models.Model):
    search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="seen_jobs")
    job_key = models.CharField(max_length=64)
    first_seen_at = models.DateTimeField()
    first_seen_run = models.ForeignKey(SearchRun, on_delete=models.SET_NULL, null=True, related_name="+")
    last_seen_run = models.ForeignKey(SearchRun, on_delete=models.SET_NULL, null=True, related_name="+")
    last_score = models.FloatField(null=True)
    last_rank = models.PositiveIntegerField(null=True)
    dropped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("search", "job_key"), name="seenjob_search_job_unique")
        ]
        indexes = [models.Index(fields=("search", "first_seen_at"), name="seenjob_search_first_seen")]

    def __str__(self) -> str:
        return f"{self.search_id}:{self.job_key}"
