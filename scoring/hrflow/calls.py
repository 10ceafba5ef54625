"""Which kind of HrFlow call is being made: interactive (a recruiter waits on a web request) or
background (a Celery refresh or the demo feed, nobody waits on it).

The kind picks the read timeout (a recruiter should see an error after a few seconds; a
refresh can afford to wait) and the limiter's pool (background work never uses the share of
the rate budget kept for recruiters). Interactive is the default; every Celery task runs its
calls as background (the signals below), and a service may say so itself with
`background_calls()`.
"""

from __future__ import annotations

import contextlib
import contextvars
import enum
from collections.abc import Iterator
from typing import Any

from celery import signals


class CallKind(enum.StrEnum):
    INTERACTIVE = "interactive"
    BACKGROUND = "background"


_kind: contextvars.ContextVar[CallKind] = contextvars.ContextVar(
    "hrflow_call_kind", default=CallKind.INTERACTIVE
)
_task_tokens: contextvars.ContextVar[list[contextvars.Token[CallKind]]] = contextvars.ContextVar(
    "hrflow_task_tokens"
)


def current_call_kind() -> CallKind:
    return _kind.get()


@contextlib.contextmanager
def background_calls() -> Iterator[None]:
    token = _kind.set(CallKind.BACKGROUND)
    try:
        yield
    finally:
        _kind.reset(token)


@signals.task_prerun.connect
def _task_started(**_: Any) -> None:
    # Eager tasks (tests) run inside the caller's context: remember how to restore it.
    tokens = _task_tokens.get(None)
    if tokens is None:
        tokens = []
        _task_tokens.set(tokens)
    tokens.append(_kind.set(CallKind.BACKGROUND))


@signals.task_postrun.connect
def _task_finished(**_: Any) -> None:
    tokens = _task_tokens.get(None)
    if tokens:
        _kind.reset(tokens.pop())
