from __future__ import annotations

from typing import Any

import pytest

from shortlists.models import HiddenJob, ShortlistEntry
from tests.fixtures.sandbox import point_dashboard_at

SOURCE = "5" * 40
PROFILE = "6" * 40
BOARD = "7" * 40


@pytest.fixture
def user(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("alice", password="pw-alice-123")


@pytest.fixture
def other_user(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("mallory", password="pw-mallory-123")


def make_entry(owner: Any, n: int, **fields: Any) -> ShortlistEntry:
    defaults: dict[str, Any] = {
        "source_key": SOURCE,
        "profile_key": PROFILE,
        "candidate_name": "Ada Lovelace",
        "job_key": f"{n:040x}",
        "board_key": BOARD,
        "position": n,
        "title": f"Job {n}",
    }
    return ShortlistEntry.objects.create(owner=owner, **{**defaults, **fields})


def make_hidden(owner: Any, n: int, **fields: Any) -> HiddenJob:
    defaults = {"source_key": SOURCE, "profile_key": PROFILE, "job_key": f"{n:040x}", "title": f"Job {n}"}
    return HiddenJob.objects.create(owner=owner, **{**defaults, **fields})


@pytest.fixture(autouse=True)
def _upstream_is_the_live_sandbox(settings: Any, live_sandbox: Any) -> None:
    """The shortlist page asks HrFlow whether each job is still listed: the live sandbox, where
    the made-up keys below are "gone" (so those entries read "no longer listed")."""
    point_dashboard_at(settings, live_sandbox)
