"""Shortlisted and hidden jobs, each belonging to one recruiter and one candidate.

A candidate is `(source_key, profile_key)`, as HrFlow addresses a profile. Other apps (alerts,
saved searches) never read these tables: they call `shortlists.services` (e.g.
`hidden_job_keys`).

A recruiter may share one candidate's shortlist with one of their teams (`ShortlistShare`):
teammates read it (entries, notes, stages, CSV) and may copy it into their own; only the owner
changes it. Hidden jobs are never shared.

A shortlist entry keeps the job's display fields as they were when it was starred, so the
shortlist still reads well once the job is archived upstream (`unlisted_at`, see
`services.shortlist_for_candidate` for how that is detected).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models


class Stage(models.TextChoices):
    TO_REVIEW = "to_review", "To review"
    SENT = "sent", "Sent to candidate"
    APPLIED = "applied", "Applied"
    CLOSED = "closed", "Closed"


class ShortlistEntry(models.Model):
    objects: models.Manager[ShortlistEntry] = models.Manager()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shortlist_entries"
    )
    source_key = models.CharField(max_length=40)
    profile_key = models.CharField(max_length=40)
    candidate_name = models.CharField(max_length=200, blank=True)
    job_key = models.CharField(max_length=40)
    board_key = models.CharField(max_length=40)
    position = models.PositiveIntegerField()  # 1 = top of the shortlist
    note = models.TextField(blank=True)
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.TO_REVIEW)

    # Display fields as the card showed them when the job was starred.
    title = models.CharField(max_length=300)
    company = models.CharField(max_length=300, blank=True)
    location_text = models.CharField(max_length=300, blank=True)
    salary_display = models.CharField(max_length=120, blank=True)
    score_pct = models.PositiveSmallIntegerField(null=True, blank=True)  # None: scoring was off
    posted_at = models.DateTimeField(null=True, blank=True)
    url = models.URLField(max_length=2000, blank=True)  # only http(s) links are kept
    search_query = models.TextField(blank=True)  # the search it was starred from (a link back)

    starred_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When the shortlist page first found the job archived or gone upstream; None: listed.
    unlisted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "source_key", "profile_key", "job_key"], name="shortlist_one_per_job"
            )
        ]
        indexes = [models.Index(fields=["owner", "source_key", "profile_key", "position"])]
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class HiddenJob(models.Model):
    objects: models.Manager[HiddenJob] = models.Manager()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hidden_jobs")
    source_key = models.CharField(max_length=40)
    profile_key = models.CharField(max_length=40)
    job_key = models.CharField(max_length=40)
    title = models.CharField(max_length=300, blank=True)  # for the "Hidden" note and Undo
    hidden_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "source_key", "profile_key", "job_key"], name="hidden_one_per_job"
            )
        ]

    def __str__(self) -> str:
        return self.job_key


class ShortlistShare(models.Model):
    """The owner's shortlist of one candidate, shared with one of the owner's teams (a group).
    It counts only while the owner is still in that team (accounts.teams)."""

    objects: models.Manager[ShortlistShare] = models.Manager()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shortlist_shares"
    )
    source_key = models.CharField(max_length=40)
    profile_key = models.CharField(max_length=40)
    team = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="shared_shortlists")
    shared_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "source_key", "profile_key"], name="shortlist_share_one_per_candidate"
            )
        ]

    def __str__(self) -> str:
        return f"{self.owner_id}:{self.profile_key} → {self.team_id}"
