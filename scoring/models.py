"""Shared state of the HrFlow service layer (scoring/hrflow/), for deployments without Redis.

Both tables are small and hot, and live outside Django's database cache on purpose: that cache
culls entries past MAX_ENTRIES, live ones included (docs/benchmarks.md, "Saved searches").
"""

from __future__ import annotations

from django.db import models


class UpstreamToken(models.Model):
    """One unit of upstream capacity held for a while (scoring/hrflow/ratelimit.py): a
    concurrency slot, one request of a one-second rate window, or the breaker's probe. The
    primary key makes taking one atomic."""

    key = models.CharField(max_length=100, primary_key=True)
    holder = models.CharField(max_length=32)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.key


class CircuitState(models.Model):
    """The circuit breaker's shared state (scoring/hrflow/breaker.py), one row per breaker."""

    name = models.CharField(max_length=100, primary_key=True)
    state = models.CharField(max_length=10, default="closed")
    fail_counter = models.PositiveIntegerField(default=0)
    success_counter = models.PositiveIntegerField(default=0)
    opened_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.state}"


class VocabularyTerm(models.Model):
    """A skill or language name seen in the jobs of search results, per HrFlow account (API URL +
    key hash, scoring/vocabulary.py), with how often it was seen: the skills typeahead's second
    source. Bounded per account and kind (VOCABULARY_MAX_TERMS, least seen dropped first)."""

    account = models.CharField(max_length=64)
    kind = models.CharField(max_length=10)  # "skills" | "languages"
    key = models.CharField(max_length=200)  # casefolded name
    name = models.CharField(max_length=200)
    count = models.PositiveIntegerField(default=0)
    last_seen = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "kind", "key"], name="vocabulary_term_unique")
        ]
        indexes = [models.Index(fields=["account", "kind", "-count"], name="vocabulary_term_rank")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.name} ({self.count})"
