"""Upstream calls of one request run at once, in a small per-process thread pool.

A search for a candidate whose profile is not cached needs two HrFlow calls, the profile and the
scoring: neither needs the other's answer (only building the page reads the profile's skills),
so they need not wait for each other (~150 ms of upstream latency saved on every candidate pick:
docs/benchmarks.md, "Load: where the time goes"). Each call still goes through the one client
with its cache, limiter and breaker.

What a pooled thread needs from the request's thread, it gets here:

* the request's context variables (the log context, the call kind the limiter reserves
  capacity by), copied at submit time;
* database connections of its own (Django's are per thread): kept between calls like a web
  thread's (CONN_MAX_AGE), given back to PostgreSQL's pool after each call.

A caller inside a transaction (`atomic`, and every test that does not ask for a transactional
database) runs the call in its own thread instead: another thread could not see its
uncommitted rows, and SQLite would block on its lock. So does the test suite on SQLite (its
shared in-memory database refuses a second connection's write at once); the suite's PostgreSQL
run (.ci/run) covers the parallel path, and `make run`'s SQLite file waits (busy_timeout).
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from scoring.hrflow.client import release_database_connection

_executor: ThreadPoolExecutor | None = None
_lock = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    global _executor
    with _lock:
        if _executor is None:
            threads = settings.HRFLOW_PARALLEL_THREADS
            _executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="hrflow-call")
        return _executor


def available() -> bool:
    """False inside a transaction, and on SQLite's shared in-memory test database (a second
    connection's write there fails at once with SQLITE_LOCKED instead of waiting)."""
    conn = connections[DEFAULT_DB_ALIAS]
    if conn.in_atomic_block:
        return False
    return not (conn.vendor == "sqlite" and conn.is_in_memory_db())  # type: ignore[attr-defined]


def submit[T](fn: Callable[[], T]) -> Future[T]:
    """Run `fn` now in the pool (or, inside a transaction, right here) and return its future."""
    if not available():
        return _done(fn)
    context = contextvars.copy_context()

    def run() -> T:
        connections[DEFAULT_DB_ALIAS].close_if_unusable_or_obsolete()
        try:
            return context.run(fn)
        finally:
            release_database_connection()

    return _pool().submit(run)


def completed[T](value: T) -> Future[T]:
    """A future that already holds `value` (an answer found in the cache)."""
    future: Future[T] = Future()
    future.set_result(value)
    return future


def _done[T](fn: Callable[[], T]) -> Future[T]:
    future: Future[T] = Future()
    try:
        future.set_result(fn())
    except BaseException as exc:  # the caller's .result() raises it, as the pool's would
        future.set_exception(exc)
    return future
