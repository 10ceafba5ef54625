"""The breaker's state is shared by processes: what one process learns, another acts on.

A separate Python process (the test settings on the same test database, or on Redis when the
cache is Redis) calls a closed port until the breaker opens; this process then fails fast
without an HTTP call. And the other way round: closed here, seen closed there.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pybreaker
import pytest
import responses
from django.core.cache import cache
from django.db import connection

from scoring.hrflow import breaker
from scoring.hrflow.client import get_client
from scoring.hrflow.errors import HrFlowUnavailable
from scoring.hrflow.query import JobQuery

REPO = Path(__file__).resolve().parents[2]
CHILD = """
import sys, django
django.setup()
from scoring.hrflow import breaker
from scoring.hrflow.client import get_client
from scoring.hrflow.errors import HrFlowError
from scoring.hrflow.query import JobQuery
url, action = sys.argv[1], sys.argv[2]
if action == "fail":
    q = JobQuery(board_keys=("a" * 40,), source_key="c" * 40, profile_key="d" * 40, algorithm_key="e" * 40)
    for _ in range(5):
        try:
            get_client().score_jobs(q)
        except HrFlowError as exc:
            print(type(exc).__name__)
print("state", breaker.get_breaker(url).current_state)
"""

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/v1/"


def _child(url: str, action: str) -> str:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.integration.worker_settings",
        "IT_DATABASE_NAME": str(connection.settings_dict["NAME"]),
        "HRFLOW_API_URL": url,
        "HRFLOW_RETRY_TOTAL_SECONDS": "0",
    }
    done = subprocess.run(
        [sys.executable, "-c", CHILD, url, action],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_two_processes_share_one_breaker(settings: Any) -> None:
    url = _closed_port_url()
    settings.HRFLOW_API_URL = url
    settings.HRFLOW_RETRY_TOTAL_SECONDS = 0
    cache.clear()
    breaker.reset(url)
    try:
        out = _child(url, "fail")
        assert out.count("HrFlowConnectionError") == 5
        assert f"state {pybreaker.STATE_OPEN}" in out

        query = JobQuery(
            board_keys=("a" * 40,), source_key="c" * 40, profile_key="d" * 40, algorithm_key="e" * 40
        )
        with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
            with pytest.raises(HrFlowUnavailable):
                get_client().score_jobs(query)
            assert len(mocked.calls) == 0

        breaker.reset(url)
        assert f"state {pybreaker.STATE_CLOSED}" in _child(url, "state")
    finally:
        breaker.reset(url)
