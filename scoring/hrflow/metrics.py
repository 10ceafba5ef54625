"""Prometheus series of the HrFlow client (recorded by client.py) and the breaker's state
(read from the shared breaker store at scrape time; OPS_METRICS_COLLECTORS names it)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pybreaker
from django.conf import settings
from prometheus_client import Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric

from scoring.hrflow.calls import current_call_kind

CALL_LATENCY = Histogram(
    "hrflow_dash_hrflow_call_duration_seconds",
    "One HTTP attempt to HrFlow, by endpoint, call kind (interactive/background) and outcome.",
    ["endpoint", "kind", "outcome"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 15.0),
)
CALL_ERRORS = Counter(
    "hrflow_dash_hrflow_call_errors",
    "HrFlow attempts that failed, by endpoint, call kind and error (timeout, connection, "
    "rate_limited, upstream, unavailable = breaker open, busy = no limiter capacity, ...).",
    ["endpoint", "kind", "error"],
)
LIMITER_WAIT = Histogram(
    "hrflow_dash_hrflow_limiter_wait_seconds",
    "Time spent waiting for an upstream slot and rate token, by call kind and whether one was had.",
    ["kind", "acquired"],
    buckets=(0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0),
)

BREAKER_STATES = {pybreaker.STATE_CLOSED: 0, pybreaker.STATE_HALF_OPEN: 1, pybreaker.STATE_OPEN: 2}


def error_kind(exc: BaseException) -> str:
    """HrFlowRateLimited -> rate_limited, HrFlowTimeout -> timeout, ..."""
    name = type(exc).__name__.removeprefix("HrFlow") or "error"
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def observe_call(endpoint: str, seconds: float, outcome: str) -> None:
    CALL_LATENCY.labels(endpoint=endpoint, kind=str(current_call_kind()), outcome=outcome).observe(seconds)


def count_error(endpoint: str, exc: BaseException) -> None:
    CALL_ERRORS.labels(endpoint=endpoint, kind=str(current_call_kind()), error=error_kind(exc)).inc()


def observe_limiter_wait(seconds: float, acquired: bool) -> None:
    LIMITER_WAIT.labels(kind=str(current_call_kind()), acquired=str(acquired).lower()).observe(seconds)


class BreakerCollector:
    """hrflow_dash_hrflow_breaker_state: 0 closed, 1 half-open, 2 open (the shared state)."""

    def collect(self) -> Iterator[Metric]:
        from scoring.hrflow.breaker import get_breaker

        state = get_breaker(settings.HRFLOW_API_URL).current_state
        family = GaugeMetricFamily(
            "hrflow_dash_hrflow_breaker_state",
            "HrFlow circuit breaker: 0 closed, 1 half-open, 2 open (calls fail fast).",
        )
        family.add_metric([], float(BREAKER_STATES.get(state, 2)))
        yield family
