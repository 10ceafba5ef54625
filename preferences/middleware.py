"""Work a view wants done after its response is sent (`after_response(request, fn)`).

Recording a recent search is a database write: it must never slow the results response (the
search page's server budget, docs/benchmarks.md). The functions run when the WSGI server closes
the response, i.e. after the last byte went out and before the thread takes the next request
(Django runs a response's closers, then `request_finished` closes the database connection).
A failure is logged, never raised: the user already has their page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)
ATTR = "_after_response"


def after_response(request: HttpRequest, fn: Callable[[], None]) -> None:
    pending: list[Callable[[], None]] = request.__dict__.setdefault(ATTR, [])
    pending.append(fn)


def _guarded(fn: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        try:
            fn()
        except Exception:
            logger.exception("after-response work failed")

    return run


class AfterResponseMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        for fn in request.__dict__.pop(ATTR, ()):
            response._resource_closers.append(_guarded(fn))  # type: ignore[attr-defined]  # run by close()
        return response
