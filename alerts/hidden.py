"""Jobs hidden for a candidate are never announced (issue 12 §2, the "shortlists" app).

The contract, shared with that app: `shortlists.services.hidden_job_keys(*, user, source_key,
profile_key) -> Collection[str]` — the keys the user hid for that candidate. While that app is
not installed (or has no such function) nothing is hidden. Read inside the refresh run's
transaction, so it must be a plain database read (no upstream call).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Collection

from django.apps import apps
from django.contrib.auth.models import User

HiddenKeys = Callable[..., Collection[str]]


def _provider() -> HiddenKeys | None:
    if not apps.is_installed("shortlists"):
        return None
    module = importlib.import_module("shortlists.services")
    return getattr(module, "hidden_job_keys", None)


def hidden_job_keys(*, user: User, source_key: str, profile_key: str) -> frozenset[str]:
    provider = _provider()
    if provider is None:
        return frozenset()
    return frozenset(provider(user=user, source_key=source_key, profile_key=profile_key))
