"""`scoring.concurrent.run_concurrently` (on scoring/parallel.py's pool): calls really overlap,
see the caller's context (call kind, log context), and a call's HrFlowError is its outcome
while any other exception is raised. The pool's database handling:
tests/scoring/test_parallel_calls.py."""

from __future__ import annotations

import threading

import pytest

from ops import context as log_context
from scoring import concurrent
from scoring.hrflow.calls import CallKind, background_calls, current_call_kind
from scoring.hrflow.errors import HrFlowTimeout

# The pool's threads take database connections of their own: a transactional database.
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_calls_run_at_once() -> None:
    # Two calls that each wait for the other: run one after another, the barrier times out.
    # (Two: the per-process pool may have been sized down by another test's settings.)
    barrier = threading.Barrier(2, timeout=5)
    outcomes = concurrent.run_concurrently([barrier.wait, barrier.wait])
    assert sorted(o.value for o in outcomes) == [0, 1]  # type: ignore[type-var]
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


@pytest.mark.django_db(transaction=False)
def test_inside_a_transaction_the_calls_run_in_the_callers_thread() -> None:
    # The test's transaction: a worker thread could not see its rows, and on SQLite would wait
    # for its write lock (the limiter's tokens) until it failed.
    outcomes = concurrent.run_concurrently([lambda: threading.current_thread().name] * 2)
    assert [o.value for o in outcomes] == [threading.current_thread().name] * 2
