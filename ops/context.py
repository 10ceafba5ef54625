"""Log context carried by every log line of one request or one Celery task.

`bind(**fields)` adds fields (request_id, user_id, saved_search_id, refresh_run_id, …) for the
rest of the current request or task; `LogContextFilter` (on the log handler) copies them onto
each record, so the plain and JSON formatters both see them. contextvars: each gunicorn thread
and each Celery child has its own; the middleware and the task signals reset them at the end.
"""

from __future__ import annotations

import contextvars
import logging
from typing import Any

# Fields every record carries (None when unknown), so formatters may name them.
FIELDS = ("request_id", "user_id", "task_id", "saved_search_id", "refresh_run_id")

_context: contextvars.ContextVar[dict[str, Any]] = contextvars.ContextVar("ops_log_context", default={})  # noqa: B039 - never mutated in place


def bind(**fields: Any) -> None:
    _context.set({**_context.get(), **fields})


def current() -> dict[str, Any]:
    return dict(_context.get())


def start(**fields: Any) -> contextvars.Token[dict[str, Any]]:
    """A fresh context (a new request or task); hand the token to `end`."""
    return _context.set(dict(fields))


def end(token: contextvars.Token[dict[str, Any]]) -> None:
    _context.reset(token)


class LogContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        values = _context.get()
        for name in FIELDS:
            if not hasattr(record, name):
                setattr(record, name, values.get(name))
        for name, value in values.items():
            if name not in FIELDS and not hasattr(record, name):
                setattr(record, name, value)
        return True
