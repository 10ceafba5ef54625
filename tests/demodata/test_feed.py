"""The demo feed (issue 4) against a private sandbox: jobs are indexed in feed order, a few per
call, appear in scoring, and nothing is indexed twice whatever the cache or a crash did."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime
from io import StringIO
from typing import Any

import pytest
import requests
from django.core.cache import cache
from django.core.management import call_command
from pytest_django.fixtures import Settings as SettingsWrapper

from demodata import snapshot
from demodata.feed import _cursor_key, demo_feed_index_next
from demodata.tasks import feed_tick
from hrflow_dash import demo
from sandbox.fixture_snapshot import make_job
from scoring.hrflow.client import HrFlowClient
from tests.fixtures.sandbox import start_private_sandbox

FEED_SIZE = 7
LATER = datetime(2027, 1, 1, 9, 30, tzinfo=UTC)  # after every snapshot job, whatever today is


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    private = start_private_sandbox(tmp_path_factory.mktemp("feed"), jobs=150, profiles=6, feed=FEED_SIZE)
    try:
        yield private
    finally:
        private.stop()  # type: ignore[attr-defined]


@pytest.fixture
def fresh_server(tmp_path: Any) -> Iterator[Any]:
    """A private sandbox none of whose feed is indexed yet, whichever tests ran before."""
    private = start_private_sandbox(tmp_path, jobs=150, profiles=6, feed=FEED_SIZE)
    try:
        yield private
    finally:
        private.stop()  # type: ignore[attr-defined]


@pytest.fixture
def hrflow(server: Any, settings: SettingsWrapper, db: None) -> HrFlowClient:
    return point_at(server, settings)


def point_at(server: Any, settings: SettingsWrapper) -> HrFlowClient:
    """The dashboard's settings point at the private sandbox and its snapshot (feed included);
    the cursor hint lives in the dashboard's cache (the database cache under test settings)."""
    settings.HRFLOW_API_URL = server.url
    settings.HRFLOW_API_KEY = server.api_key
    settings.HRFLOW_USER_EMAIL = server.user_email
    settings.DEMO_DATA_DIR = server.data_dir
    cache.clear()
    return HrFlowClient(base_url=server.url, api_key=server.api_key, user_email=server.user_email)


def newest(server: Any, count: int) -> list[dict[str, Any]]:
    response = requests.get(
        server.url + "jobs/scoring",
        params={
            "board_keys": json.dumps(demo.DEMO_BOARD_KEYS),
            "algorithm_key": demo.DEMO_ALGORITHM_KEYS[0],
            "use_agent": "0",
            "sort_by": "created_at",
            "order_by": "desc",
            "limit": str(count),
        },
        headers={"X-API-KEY": server.api_key, "X-USER-EMAIL": server.user_email},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    jobs: list[dict[str, Any]] = response.json()["data"]["jobs"]
    return jobs


def own_feed(first_listing: int, size: int) -> list[dict[str, Any]]:
    rng = random.Random(first_listing)
    return [make_job(rng, first_listing + i) for i in range(size)]


def test_feed_indexes_in_order_until_the_end(fresh_server: Any, settings: SettingsWrapper, db: None) -> None:
    # A sandbox of its own: the module's one holds jobs other tests indexed (in any order).
    server, hrflow = fresh_server, point_at(fresh_server, settings)
    feed = list(snapshot.iter_feed_jobs())
    refs = [j["reference"] for j in feed]
    assert len(refs) == FEED_SIZE
    assert all(hrflow.get_job(board_key=j["board_key"], reference=j["reference"]) is None for j in feed)

    first = demo_feed_index_next(batch=3, now=LATER)
    assert first == refs[:3]
    top = newest(server, 3)
    assert {j["reference"] for j in top} == set(refs[:3])
    assert {j["created_at"] for j in top} == {"2027-01-01T09:30:00+0000"}
    for job in top:
        original = next(f for f in feed if f["reference"] == job["reference"])
        assert job["board_key"] == original["board_key"]
        assert job["name"] == original["name"]
        assert job["key"] != original["key"]  # the sandbox assigned it

    assert demo_feed_index_next(batch=3, now=LATER) == refs[3:6]
    assert demo_feed_index_next(batch=3, now=LATER) == refs[6:]
    assert demo_feed_index_next(batch=3, now=LATER) == []
    cache.clear()  # a lost cursor: the scan starts over and finds everything indexed
    assert demo_feed_index_next(batch=3, now=LATER) == []
    for job in feed:
        assert hrflow.get_job(board_key=job["board_key"], reference=job["reference"]) is not None


def test_a_crash_after_posting_or_a_wrong_hint_indexes_nothing_twice(hrflow: HrFlowClient) -> None:
    feed = own_feed(5_000_000, 5)
    # A previous run indexed feed[0] and died before saving its progress.
    hrflow.index_job(board_key=feed[0]["board_key"], job=feed[0])
    assert demo_feed_index_next(batch=2, feed=feed, now=LATER) == [feed[1]["reference"], feed[2]["reference"]]
    # A hint past jobs that are not indexed (e.g. the sandbox was reloaded) is checked and dropped.
    cache.set(_cursor_key(hrflow), 5, timeout=None)
    assert demo_feed_index_next(batch=5, feed=feed, now=LATER) == [feed[3]["reference"], feed[4]["reference"]]
    # A hint out of range is ignored as well.
    cache.set(_cursor_key(hrflow), 99, timeout=None)
    assert demo_feed_index_next(batch=5, feed=feed, now=LATER) == []


class BlindClient(HrFlowClient):
    """Does not see jobs the first time it looks: another worker indexed them in between."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.looked: set[str] = set()

    def get_job(self, *, board_key: str, key: str = "", reference: str = "") -> dict[str, Any] | None:
        if reference not in self.looked:
            self.looked.add(reference)
            return None
        return super().get_job(board_key=board_key, key=key, reference=reference)


def test_a_concurrent_tick_that_indexed_first_is_not_an_error(server: Any, hrflow: HrFlowClient) -> None:
    feed = own_feed(6_000_000, 2)
    hrflow.index_job(board_key=feed[0]["board_key"], job=feed[0])
    blind = BlindClient(base_url=server.url, api_key=server.api_key, user_email=server.user_email)
    assert demo_feed_index_next(batch=2, feed=feed, client=blind, now=LATER) == [feed[1]["reference"]]


def test_command_and_task_run_the_same_service(server: Any, hrflow: HrFlowClient) -> None:
    out = StringIO()
    call_command("demo_feed", "--batch", "1", stdout=out)
    indexed = out.getvalue()
    assert indexed.startswith("indexed ")
    assert feed_tick.name == "demodata.feed_tick"
    # The module's feed may already be fully indexed by the first test: both outcomes are
    # checked against the sandbox, so the assertions hold in any test order.
    remaining = [
        j
        for j in snapshot.iter_feed_jobs()
        if hrflow.get_job(board_key=j["board_key"], reference=j["reference"]) is None
    ]
    result = feed_tick(batch=len(remaining) + 1)
    assert result == [j["reference"] for j in remaining]
    assert feed_tick(batch=2) == []
    done = StringIO()
    call_command("demo_feed", stdout=done)
    assert done.getvalue() == "indexed 0 jobs: the demo feed is fully indexed\n"


def test_batch_below_one_does_nothing(hrflow: HrFlowClient) -> None:
    assert demo_feed_index_next(batch=0, feed=own_feed(7_000_000, 1)) == []


def test_a_feed_job_is_posted_as_new_now() -> None:
    from demodata.feed import _as_posted_now
    from demodata.snapshot import iter_feed_jobs

    job = next(iter_feed_jobs())  # the committed snapshot's feed: real listings
    stamp = "2027-01-01T09:30:00+0000"
    body = _as_posted_now(job, stamp)
    assert (body["created_at"], body["updated_at"]) == (stamp, stamp)
    assert {r["name"]: (r["value_min"], r["value_max"]) for r in body["ranges_date"]}["seen_online"] == (
        stamp,
        stamp,
    )
    assert {t["name"]: t["value"] for t in body["tags"]}["date_source"] == "indexed"
    assert "key" not in body
    assert job["created_at"] != stamp  # the snapshot's own dict is left as it was
