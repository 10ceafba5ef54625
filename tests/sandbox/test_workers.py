"""The sandbox's gunicorn workers (2, --preload) give the same answers, including for a job
indexed after they started. Which worker answered is read from the X-Sandbox-Worker header (its
pid): a test that means "both workers" checks it saw both."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests

from sandbox.errors import WORKER_HEADER
from tests.sandbox.conftest import Api, encode

WORKERS = 2
MAX_REQUESTS = 400  # fresh connections until every worker answered; bounded


def from_every_worker(send: Callable[[], requests.Response]) -> dict[str, list[requests.Response]]:
    """Send fresh-connection requests until each worker answered at least twice; by worker pid."""
    by_worker: dict[str, list[requests.Response]] = {}
    for _ in range(MAX_REQUESTS):
        response = send()
        by_worker.setdefault(response.headers[WORKER_HEADER], []).append(response)
        if len(by_worker) == WORKERS and all(len(r) >= 2 for r in by_worker.values()):
            return by_worker
    raise AssertionError(f"{MAX_REQUESTS} requests reached only workers {sorted(by_worker)}")


def test_every_worker_gives_the_same_ranking(api: Api, base: dict[str, Any]) -> None:
    def send() -> requests.Response:
        # requests.get: a new connection each time, so gunicorn hands it to any worker.
        params = encode(dict(base, limit=50))
        return requests.get(api.url + "jobs/scoring", params=params, headers=api.headers, timeout=30)

    by_worker = from_every_worker(send)

    bodies = {r.content for responses in by_worker.values() for r in responses}
    assert len(by_worker) == WORKERS
    assert all(r.status_code == 200 for responses in by_worker.values() for r in responses)
    assert len(bodies) == 1
    assert len(next(iter(by_worker.values()))[0].json()["data"]["jobs"]) == 50
