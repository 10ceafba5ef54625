from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from scoring import selectors
from scoring.hrflow.query import JobQuery


@pytest.fixture
def recruiter(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user(
        "ops-recruiter", email="ops-recruiter@example.test", password="pw-ops-recruiter-1"
    )


@pytest.fixture
def user_client(recruiter: Any) -> Client:
    client = Client()
    client.force_login(recruiter)
    return client


@pytest.fixture
def upstream(live_sandbox: Any, settings: Any) -> Any:
    settings.HRFLOW_API_URL = live_sandbox.url
    settings.HRFLOW_API_KEY = live_sandbox.api_key
    settings.HRFLOW_USER_EMAIL = live_sandbox.user_email
    cache.clear()
    return live_sandbox


@pytest.fixture
def live_query(upstream: Any, settings: Any) -> str:
    source_key = settings.HRFLOW_SOURCE_KEYS[0]
    candidate = selectors.profile_search(source_key=source_key, name="", limit=1)[0]
    return JobQuery(
        board_keys=tuple(settings.HRFLOW_BOARD_KEYS),
        source_key=source_key,
        profile_key=candidate.key,
        algorithm_key=settings.HRFLOW_ALGORITHM_KEYS[0],
    ).to_query_string()
