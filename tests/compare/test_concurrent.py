"""`scoring.concurrent.run_concurrently`: calls really overlap, see the caller's context
(call kind, log context), end with their thread's database connections closed, and a call's
HrFlowError is its outcome while any other exception is raised."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connections

from ops import context as log_context
from scoring import concurrent
from scoring.hrflow.calls import CallKind, background_calls, current_call_kind
from scoring.hrflow.errors import HrFlowTimeout


def test_all_calls_run_at_once() -> None:
    # Five calls that each wait for all five: run one after another, the barrier times out.
    barrier = threading.Barrier(5, timeout=5)
    outcomes = concurrent.run_concurrently([barrier.wait for _ in range(5)])
    assert sorted(o.value for o in outcomes) == [0, 1, 2, 3, 4]  # type: ignore[type-var]
    assert all(o.error is None for o in outcomes)


def test_outcomes_keep_the_order_of_the_calls_and_hold_hrflow_errors() -> None:
    def fails() -> int:
        raise HrFlowTimeout("slow")

    outcomes = concurrent.run_concurrently([lambda: 1, fails, lambda: 3])
    assert [o.value for o in outcomes] == [1, None, 3]
    assert isinstance(outcomes[1].error, HrFlowTimeout)


def test_a_bug_in_a_call_is_raised_not_hidden_in_an_outcome() -> None:
    def broken() -> int:
        raise KeyError("bug")

    with pytest.raises(KeyError):
        concurrent.run_concurrently([lambda: 1, broken])


def test_calls_see_the_callers_call_kind_and_log_context() -> None:
    # Bug caught: threads started without copy_context() run as interactive calls with no
    # request id in their log lines.
    token = log_context.start(request_id="req-42")
    try:
        with background_calls():
            outcomes = concurrent.run_concurrently(
                [lambda: (current_call_kind(), log_context.current().get("request_id"))] * 2
            )
    finally:
        log_context.end(token)
    assert [o.value for o in outcomes] == [(CallKind.BACKGROUND, "req-42")] * 2


@pytest.mark.django_db(transaction=True)
def test_each_thread_closes_its_database_connections(monkeypatch: pytest.MonkeyPatch) -> None:
    closed: list[str] = []
    real_close_all = connections.close_all

    def recording_close_all(*args: Any, **kwargs: Any) -> None:
        closed.append(threading.current_thread().name)
        real_close_all(*args, **kwargs)

    monkeypatch.setattr(connections, "close_all", recording_close_all)

    def query() -> int:
        from django.contrib.auth import get_user_model

        return get_user_model().objects.count()

    outcomes = concurrent.run_concurrently([query, query, query])
    assert [o.value for o in outcomes] == [0, 0, 0]
    assert len(closed) == 3
    assert all(name.startswith("hrflow") for name in closed)


@pytest.mark.django_db
def test_inside_a_transaction_the_calls_run_in_the_callers_thread() -> None:
    # The test's transaction: a worker thread could not see its rows, and on SQLite would wait
    # for its write lock (the limiter's tokens) until it failed.
    outcomes = concurrent.run_concurrently([lambda: threading.current_thread().name] * 2)
    assert [o.value for o in outcomes] == [threading.current_thread().name] * 2
