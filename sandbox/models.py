"""The sandbox's own tables: what HrFlow stores for a workspace (boards, sources, jobs, profiles).

Payloads are kept as the HrFlow JSON objects they were loaded from, so serving a job is a
dictionary copy, not an object-relational reconstruction.
"""

from typing import Any

from django.db import models


class Board(models.Model):
    objects: "models.Manager[Board]" = models.Manager()
    key = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Source(models.Model):
    objects: "models.Manager[Source]" = models.Manager()
    key = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Algorithm(models.Model):
    """A scoring algorithm: the weights the engine combines its features with."""

    objects: "models.Manager[Algorithm]" = models.Manager()
    key = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    weights = models.JSONField(default=dict)

    def __str__(self) -> str:
        return self.name


class Job(models.Model):
    objects: "models.Manager[Job]" = models.Manager()
    # The row id is HrFlow's numeric job `id`.
    id = models.BigAutoField(primary_key=True)
    key = models.CharField(max_length=40, unique=True)
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="jobs")
    reference = models.CharField(max_length=200, blank=True, default="")
    payload = models.JSONField()
    created_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField(db_index=True)
    # Set by PATCH job/indexing/archive: an archived job stays readable by key (GET job/indexing,
    # with `archive` set) but is no longer scored. A column, not only the payload's
    # `archived_at`, so the engine can leave archived rows out in SQL.
    archived_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        # A reference is unique per board (HrFlow); jobs indexed without one do not collide.
        constraints = [
            models.UniqueConstraint(
                fields=["board", "reference"], name="job_board_reference", condition=~models.Q(reference="")
            )
        ]

    def __str__(self) -> str:
        return self.key


class Profile(models.Model):
    objects: "models.Manager[Profile]" = models.Manager()
    id = models.BigAutoField(primary_key=True)
    key = models.CharField(max_length=40, unique=True)
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="profiles")
    reference = models.CharField(max_length=200, blank=True, default="")
    full_name = models.CharField(max_length=300, blank=True, default="", db_index=True)
    payload = models.JSONField()
    created_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "reference"], name="profile_source_reference")
        ]

    def __str__(self) -> str:
        return self.key


class IndexState(models.Model):
    """One row: a counter bumped whenever jobs, profiles or algorithms change.

    Each worker compares it with the version its in-memory index was built from (one tiny
    query per request), so indexing a job (issue 4) only has to bump it.
    """

    objects: "models.Manager[IndexState]" = models.Manager()
    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.PositiveBigIntegerField(default=0)
    # Bumped with `version` by every change except appending jobs (job indexing): while it
    # holds still, a worker extends its index with the new rows instead of rebuilding it.
    rebuild_version = models.PositiveBigIntegerField(default=0)
    # Whole days `load_demo_data` added to the snapshot's job dates (None: never loaded).
    demo_date_offset_days = models.IntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"index version {self.version}"


def bump_index_version(*, append_only: bool = False) -> int:
    """Tell every worker the jobs changed. `append_only`: the only change is new Job rows
    (each with a higher id than any before), which workers can append to their index."""
    state, _ = IndexState.objects.get_or_create(id=1)
    changes: dict[str, Any] = {"version": models.F("version") + 1}
    if not append_only:
        changes["rebuild_version"] = models.F("rebuild_version") + 1
    IndexState.objects.filter(id=1).update(**changes)
    state.refresh_from_db()
    return int(state.version)
