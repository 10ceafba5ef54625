"""Several upstream reads at once for one page (the candidate matrix), on the per-process pool
of scoring/parallel.py: the same threads, context copying and database-connection handling as
the search page's profile-beside-scoring call, and the same client, cache, limiter and breaker.

A call's `HrFlowError` is its outcome, not the page's: the caller shows it where that call's
result would be. Anything else is a bug and is raised. Inside a transaction (and on SQLite's
in-memory test database) the calls run one after another in the caller's thread
(`parallel.available()`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from scoring import parallel
from scoring.hrflow.client import release_database_connection
from scoring.hrflow.errors import HrFlowError


@dataclass(frozen=True)
class Outcome[T]:
    value: T | None = None
    error: HrFlowError | None = None


def _outcome[T](call: Callable[[], T]) -> Outcome[T]:
    try:
        return Outcome(value=call())
    except HrFlowError as exc:
        return Outcome(error=exc)


def run_concurrently[T](calls: Sequence[Callable[[], T]]) -> list[Outcome[T]]:
    """Run `calls` at once (up to HRFLOW_PARALLEL_THREADS per process); outcomes in order."""
    futures = [parallel.submit(functools.partial(_outcome, call)) for call in calls]
    release_database_connection()  # the request thread holds none while it waits
    return [future.result() for future in futures]
