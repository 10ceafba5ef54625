"""Several upstream reads at once, for a page that needs more than one (the candidate matrix).

Each call runs in a thread of its own through the ordinary selectors, so it goes through the
same client, cache, limiter and breaker as any other call. What threads need that a request
thread gets for free:

* the caller's context variables (`contextvars.copy_context()` per call): the call kind
  (interactive: the recruiter's timeout and the limiter's reserved share), and the request id
  and user of the log lines (ops.context);
* their own database connections, closed when the call ends (Django's connections are per
  thread; a pooled PostgreSQL connection goes back to the pool, and a worker thread that ends
  never leaks one), while the waiting request thread gives its own back first.

A call's `HrFlowError` is its outcome, not the page's: the caller shows it where that call's
result would be. Anything else is a bug and is raised.

A caller inside a database transaction (a test's, or ATOMIC_REQUESTS) gets its calls run one
after another in its own thread instead: other threads could not see its uncommitted rows, and
on SQLite they would wait for its write lock (the limiter writes its tokens) until they fail.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections

from scoring.hrflow.client import release_database_connection
from scoring.hrflow.errors import HrFlowError

# One matrix asks for 5 candidates, each a profile and a scoring call; more than this would only queue on
# the limiter (HRFLOW_MAX_CONCURRENCY, shared by every thread of every process).
MAX_THREADS = 10


@dataclass(frozen=True)
class Outcome[T]:
    value: T | None = None
    error: HrFlowError | None = None


def _in_thread[T](context: contextvars.Context, call: Callable[[], T]) -> Outcome[T]:
    try:
        return Outcome(value=context.run(call))
    except HrFlowError as exc:
        return Outcome(error=exc)
    finally:
        connections.close_all()  # this worker thread's own connections (limiter tokens, cache)


def _inline[T](call: Callable[[], T]) -> Outcome[T]:
    try:
        return Outcome(value=call())
    except HrFlowError as exc:
        return Outcome(error=exc)


def run_concurrently[T](calls: Sequence[Callable[[], T]]) -> list[Outcome[T]]:
    """Run `calls` at once (up to MAX_THREADS threads); their outcomes in the same order."""
    if not calls:
        return []
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return [_inline(call) for call in calls]
    release_database_connection()  # the request thread holds none while it waits
    with ThreadPoolExecutor(max_workers=min(len(calls), MAX_THREADS), thread_name_prefix="hrflow") as pool:
        futures = [pool.submit(_in_thread, contextvars.copy_context(), call) for call in calls]
        return [future.result() for future in futures]
