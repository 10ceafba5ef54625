"""`OpsMiddleware`, first in MIDDLEWARE.

* /healthz, /readyz and /metrics are answered here, before the session, the login, the host
  check and the HTTPS redirect: a load balancer or Prometheus probing a node's own address
  over plain HTTP gets its answer, and /healthz touches nothing (no session, no database).
* Every other request gets a request id (the proxy's X-Request-ID when it is well formed,
  else a new one), returned as X-Request-ID and bound to every log line of the request with
  the user id (never the name or e-mail); one `ops.request` line per request and the
  request-latency metric, by view.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from ops import context, metrics, views

logger = logging.getLogger("ops.request")

# What we accept from a proxy: no spaces, quotes or newlines can reach a log line.
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")

ROUTES: dict[str, Callable[[HttpRequest], HttpResponseBase]] = {
    "/healthz": views.healthz,
    "/readyz": views.readyz,
    "/metrics": views.metrics,
}


def request_id_from(request: HttpRequest) -> str:
    given = request.headers.get("X-Request-ID", "")
    return given if REQUEST_ID_RE.match(given) else uuid.uuid4().hex


class OpsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        route = ROUTES.get(request.path_info.rstrip("/") or "/")
        request_id = request_id_from(request)
        token = context.start(request_id=request_id)
        started = time.perf_counter()
        try:
            if route is not None:
                response = route(request)
                view = "ops." + request.path_info.strip("/")
            else:
                response = self.get_response(request)
                match = getattr(request, "resolver_match", None)
                view = (match.view_name or "unnamed") if match else "unmatched"
            elapsed = time.perf_counter() - started
            response["X-Request-ID"] = request_id
            node = getattr(settings, "NODE_NAME", "")
            if node:
                response["X-Served-By"] = node
            metrics.observe_request(view, request.method or "", response.status_code, elapsed)
            # Probes every few seconds would drown the log: DEBUG only.
            level = logging.DEBUG if route is not None else logging.INFO
            logger.log(
                level,
                "%s %s %s %.0f ms",
                request.method,
                request.path,
                response.status_code,
                elapsed * 1000,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "view": view,
                    "duration_ms": round(elapsed * 1000, 1),
                },
            )
            return response
        finally:
            context.end(token)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> None:
        # After the authentication middleware: the user is known (lazily) from here on.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            context.bind(user_id=user.pk)
