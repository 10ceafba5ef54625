from __future__ import annotations

from collections.abc import Iterator

import pytest
import responses

from scoring.hrflow.client import HrFlowClient
from tests.integration.testdb import use_file_sqlite_test_db
from tests.scoring.hrflow.payloads import API_KEY, API_URL, USER_EMAIL

# The limiter tests take tokens from many threads at once: a file, not a shared-cache memory db.
use_file_sqlite_test_db()


class FakeClock:
    """Stands in for time.monotonic/time.sleep: records waits, never sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def client(clock: FakeClock) -> HrFlowClient:
    hrflow = HrFlowClient(base_url=API_URL, api_key=API_KEY, user_email=USER_EMAIL, retry_total_seconds=10.0)
    hrflow.clock = clock
    hrflow.sleep = clock.sleep
    return hrflow


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps
