"""What the dashboard reports to the ops app (named in settings: OPS_READINESS_REPORTS)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings

# A load balancer probes every few seconds on every node: one TCP connect per process per
# this many seconds at most.
REACHABILITY_TTL_SECONDS = 10.0
_last: dict[str, tuple[float, bool]] = {}


def hrflow_readiness() -> dict[str, Any]:
    """HrFlow reachability (a TCP connect, no request, no quota) and the shared breaker's
    state. Reported by /readyz, never failing it."""
    from scoring.hrflow.breaker import get_breaker
    from scoring.hrflow.client import get_client

    client = get_client()
    now = time.monotonic()
    seen = _last.get(client.base_url)
    if seen is None or now - seen[0] > REACHABILITY_TTL_SECONDS:
        seen = (now, client.reachable(timeout=1.0))
        _last[client.base_url] = seen
    breaker = get_breaker(settings.HRFLOW_API_URL).current_state
    return {"ok": seen[1] and breaker != "open", "reachable": seen[1], "breaker": breaker}
