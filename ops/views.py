"""/healthz, /readyz, /metrics (routed by ops.middleware.OpsMiddleware, before login)."""

from __future__ import annotations

import hmac
import logging
import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.module_loading import import_string

from ops import checks

logger = logging.getLogger(__name__)

NO_STORE = "no-store"


def _json(payload: dict[str, Any], status: int = 200) -> JsonResponse:
    response = JsonResponse(payload, status=status)
    response["Cache-Control"] = NO_STORE
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    """The process answers. No I/O: a database outage must not make the orchestrator restart
    every web process (readiness takes the node out of the load balancer instead)."""
    return _json({"status": "ok"})


def readyz(request: HttpRequest) -> HttpResponse:
    """503 when the database, the cache or the broker cannot be reached, naming the part.
    OPS_READINESS_REPORTS (HrFlow) are reported but never fail readiness: a down HrFlow must
    not take every web node out of the load balancer."""
    results: dict[str, dict[str, Any]] = {}
    failing = []
    for name, check in checks.CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:
            failing.append(name)
            # The class only: a driver's message may carry a host or a user, never needed here.
            results[name] = {"ok": False, "error": type(exc).__name__}
            logger.warning("readiness: %s unreachable (%s)", name, type(exc).__name__)
        else:
            results[name] = {"ok": True}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    reports: dict[str, Any] = {}
    for name, path in getattr(settings, "OPS_READINESS_REPORTS", {}).items():
        if "database" in failing:
            # A report may read the database (the breaker's shared state does, on the embedded
            # defaults): it would wait DATABASE_POOL_TIMEOUT and hold the probe past its bound.
            reports[name] = {"ok": False, "skipped": "database unreachable"}
            continue
        try:
            reports[name] = import_string(path)()
        except Exception as exc:
            reports[name] = {"ok": False, "error": type(exc).__name__}
    payload = {
        "status": "fail" if failing else "ok",
        "failing": failing,
        "checks": results,
        "reports": reports,
    }
    return _json(payload, status=503 if failing else 200)


def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus text format. 404 unless METRICS_TOKEN is set; then `Authorization: Bearer
    <token>` is required (401 otherwise)."""
    token = str(getattr(settings, "METRICS_TOKEN", "") or "")
    if not token:
        return HttpResponse("Not found", status=404, content_type="text/plain")
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        response = HttpResponse("Unauthorized", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    from ops.metrics import exposition

    body, content_type = exposition()
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = NO_STORE
    return response
