"""Celery hooks: a log context per task (task id; the task binds the rest), and the
multiprocess metrics bookkeeping when a prefork child exits."""

from __future__ import annotations

import os
from typing import Any

from ops import context

_tokens: dict[str, Any] = {}


def _task_prerun(task_id: str | None = None, **_: Any) -> None:
    if task_id:
        _tokens[task_id] = context.start(task_id=task_id)


def _task_postrun(task_id: str | None = None, **_: Any) -> None:
    token = _tokens.pop(task_id or "", None)
    if token is not None:
        context.end(token)


def _process_shutdown(**_: Any) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(os.getpid())


def connect() -> None:
    from celery import signals

    signals.task_prerun.connect(_task_prerun, weak=False)
    signals.task_postrun.connect(_task_postrun, weak=False)
    signals.worker_process_shutdown.connect(_process_shutdown, weak=False)
