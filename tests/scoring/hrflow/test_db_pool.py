"""A thread waiting on HrFlow holds no database connection when PostgreSQL's pool is on.

The web tier's threads (2 x 32) would otherwise each hold a pooled connection for the whole of
an upstream request, HrFlow's latency or hang included, and the pool (DATABASE_POOL_MAX_SIZE per
process, README "How the web tier is sized") would run dry exactly when HrFlow is slow. On
SQLite (no pool) the thread keeps its connection: opening one costs more than keeping it.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests
from django.db import DEFAULT_DB_ALIAS, connections

from hrflow_dash.demo import DEMO_SOURCE_KEYS
from scoring.hrflow.client import HrFlowClient
from scoring.models import CircuitState

pytestmark = pytest.mark.slow


class RecordingSession(requests.Session):
    """A real Session that notes, at each request, whether this thread holds a connection."""

    def __init__(self) -> None:
        super().__init__()
        self.held: list[bool] = []

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        self.held.append(connections[DEFAULT_DB_ALIAS].connection is not None)
        return super().request(*args, **kwargs)


def pooled() -> bool:
    return bool(connections[DEFAULT_DB_ALIAS].settings_dict.get("OPTIONS", {}).get("pool"))


@pytest.mark.django_db(transaction=True)  # outside a transaction, as a view's queries are
def test_connection_back_in_the_pool_during_the_upstream_request(live_sandbox: Any) -> None:
    session = RecordingSession()
    hrflow = HrFlowClient(
        base_url=live_sandbox.url,
        api_key=live_sandbox.api_key,
        user_email=live_sandbox.user_email,
        session=session,
    )
    CircuitState.objects.count()  # the thread has used the database, as a view has by then
    assert connections[DEFAULT_DB_ALIAS].connection is not None

    assert hrflow.list_profiles(DEMO_SOURCE_KEYS[0], limit=1)

    assert session.held == [not pooled()]
    assert CircuitState.objects.count() >= 0  # and the next query gets a connection again


@pytest.mark.django_db(transaction=False)
def test_connection_kept_inside_a_transaction(live_sandbox: Any) -> None:
    """Closing inside a transaction would end it: the connection stays, pool or not."""
    session = RecordingSession()
    hrflow = HrFlowClient(
        base_url=live_sandbox.url,
        api_key=live_sandbox.api_key,
        user_email=live_sandbox.user_email,
        session=session,
    )
    CircuitState.objects.count()
    assert hrflow.list_profiles(DEMO_SOURCE_KEYS[0], limit=1)
    assert session.held == [True]
