"""The announcement ledger and the outbox (docs/alerts.md has the guarantee they give).

`AnnouncedJob`: one row per (saved search, job key), ever: written in the refresh run's own
transaction for every job of its results the ledger does not hold yet. Seen-jobs rows are reset
by a filter update; these are not, so a job is announced at most once per search. `state` says
whether it is waiting for an e-mail, in one, or was never to be announced (found by a baseline
run, while alerts were off, or hidden for the candidate).

`OutboxEmail`: one composed e-mail. Its content, recipient and `Message-ID` are fixed when the
row is created (`dedupe_key` makes a second composition of the same batch impossible); sending
only ever reads them, so a retry or a resend after a crash is byte-for-byte the same message.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from saved_searches.models import SavedSearch, SearchRun


class LedgerState(models.TextChoices):
    PENDING = "pending", "To announce"
    ANNOUNCED = "announced", "In an e-mail"
    SKIPPED = "skipped", "Never announced"


class SkipReason(models.TextChoices):
    NONE = "", "—"
    BASELINE = "baseline", "Found by the search's first run"
    ALERTS_OFF = "off", "Alerts were off"
    SEEN_BEFORE = "seen", "Already in the search's results before"
    HIDDEN = "hidden", "Hidden for this candidate"
    UNSUBSCRIBED = "unsubscribed", "Alerts switched off before the e-mail was composed"


class EmailKind(models.TextChoices):
    EACH_REFRESH = "each", "After a refresh"
    DAILY = "daily", "Daily digest"
    WEEKLY = "weekly", "Weekly digest"


class EmailStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Gave up"


class OutboxEmail(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_emails")
    kind = models.CharField(max_length=8, choices=EmailKind.choices)
    # "each:<run id>", "daily:<user id>:<local date>", "weekly:<user id>:<ISO year-week>".
    dedupe_key = models.CharField(max_length=80, unique=True)
    message_id = models.CharField(max_length=200, unique=True)
    to_address = models.EmailField(max_length=254)
    subject = models.CharField(max_length=200)
    text_body = models.TextField()
    html_body = models.TextField()
    headers = models.JSONField(default=dict)  # List-Unsubscribe, List-Unsubscribe-Post, …
    job_count = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=8, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)  # the sending worker's lease
    enqueued_until = models.DateTimeField(null=True, blank=True)  # a send message is on the queue
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        indexes = [models.Index(fields=("status", "next_attempt_at"), name="outbox_status_due")]

    def __str__(self) -> str:
        return f"{self.dedupe_key} {self.status}"


class AnnouncedJob(models.Model):
    search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="announced_jobs")
    job_key = models.CharField(max_length=64)
    found_run = models.ForeignKey(SearchRun, on_delete=models.SET_NULL, null=True, related_name="+")
    found_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=LedgerState.choices)
    skip_reason = models.CharField(max_length=12, choices=SkipReason.choices, blank=True, default="")
    # What the e-mail shows (from the refresh's answer): title, company, location, skills, url.
    score = models.FloatField(null=True)
    rank = models.PositiveIntegerField(null=True)
    card = models.JSONField(default=dict)
    email = models.ForeignKey(OutboxEmail, on_delete=models.SET_NULL, null=True, related_name="jobs")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("search", "job_key"), name="announcedjob_search_job_unique")
        ]
        indexes = [models.Index(fields=("state", "search"), name="announcedjob_state_search")]

    def __str__(self) -> str:
        return f"{self.search_id}:{self.job_key} {self.state}"


class SendSlot(models.Model):
    """One row: when the next e-mail may start (the send rate, shared by every worker)."""

    next_free_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"next send at {self.next_free_at:%H:%M:%S}"
