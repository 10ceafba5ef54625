"""A saved-search refresh is a background call: it gets the background read timeout."""

from __future__ import annotations

from typing import Any

import pytest
import responses
from django.core.cache import cache

from saved_searches.services.refresh import Outcome, saved_search_refresh
from tests.saved_searches.conftest import make_due, make_search
from tests.scoring.hrflow.payloads import API_KEY, API_URL, USER_EMAIL, envelope

pytestmark = pytest.mark.django_db


def test_a_refresh_uses_the_background_read_timeout(user: Any, settings: Any) -> None:
    settings.HRFLOW_API_URL = API_URL
    settings.HRFLOW_API_KEY = API_KEY
    settings.HRFLOW_USER_EMAIL = USER_EMAIL
    settings.HRFLOW_TIMEOUT_INTERACTIVE = 5.0
    settings.HRFLOW_TIMEOUT_BACKGROUND = 20.0
    cache.clear()
    search = make_search(user)
    make_due(search)
    with responses.RequestsMock() as mocked:
        mocked.get(API_URL + "jobs/scoring", json=envelope())
        assert saved_search_refresh(search_id=search.pk) == Outcome.SUCCEEDED
        timeout = mocked.calls[0].request.req_kwargs["timeout"]  # type: ignore[attr-defined]
    assert timeout == (settings.HRFLOW_CONNECT_TIMEOUT, 20.0)
