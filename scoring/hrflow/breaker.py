"""The circuit breaker in front of HrFlow (pybreaker), shared by every process.

Once HrFlow is known down — HRFLOW_BREAKER_FAIL_MAX consecutive failures (timeouts, connection
errors, 5xx; a 4xx is HrFlow answering, so it counts as a success) — the breaker opens: calls
fail at once with `HrFlowUnavailable` and its clear message, without an HTTP request and
without holding a web thread for a read timeout. After HRFLOW_BREAKER_RESET_SECONDS one probe
is let through (half-open): success closes the breaker, failure opens it for another cool-down.
Only one probe at a time across all processes: the probe takes a token of the limiter's store.

State lives where every web and worker process sees it, in storage that never drops a live
entry: Redis when the cache is Redis (pybreaker's `CircuitRedisStorage`), else the
scoring.CircuitState table (Django's database cache culls entries, docs/benchmarks.md).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import logging
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pybreaker
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from scoring.hrflow.errors import (
    HrFlowConnectionError,
    HrFlowTimeout,
    HrFlowUnavailable,
    HrFlowUpstreamError,
)
from scoring.hrflow.ratelimit import TokenStore, get_store
from scoring.models import CircuitState

logger = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    "HRFLOW_BREAKER_FAIL_MAX": 5,
    "HRFLOW_BREAKER_RESET_SECONDS": 30.0,
    "HRFLOW_BREAKER_STORE": "auto",  # "auto" (Redis if the cache is, else database), "redis", "database"
}
FAILURES = (HrFlowTimeout, HrFlowConnectionError, HrFlowUpstreamError)


def setting(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])


def counts_as_failure(exc: BaseException) -> bool:
    """HrFlow did not answer usefully. Anything else (a 4xx, a bad payload, our own code)
    says nothing about HrFlow being down."""
    return isinstance(exc, FAILURES)


class DatabaseCircuitStorage(pybreaker.CircuitBreakerStorage):
    """pybreaker storage on one row of scoring.CircuitState; counters change with UPDATE … + 1,
    so concurrent processes never lose a failure."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self._key = name

    def _row(self) -> CircuitState:
        row = CircuitState.objects.filter(name=self._key).first()
        if row is None:
            with contextlib.suppress(IntegrityError), transaction.atomic():
                CircuitState.objects.create(name=self._key)
            row = CircuitState.objects.get(name=self._key)
        return row

    def _update(self, **fields: Any) -> None:
        if not CircuitState.objects.filter(name=self._key).update(**fields):
            self._row()
            CircuitState.objects.filter(name=self._key).update(**fields)

    @property
    def state(self) -> str:
        return self._row().state

    @state.setter
    def state(self, state: str) -> None:
        self._update(state=state)

    def increment_counter(self) -> None:
        self._update(fail_counter=F("fail_counter") + 1)

    def reset_counter(self) -> None:
        # pybreaker resets after every success: write only when there is something to reset.
        if CircuitState.objects.filter(name=self._key, fail_counter__gt=0).exists():
            self._update(fail_counter=0)

    def increment_success_counter(self) -> None:
        self._update(success_counter=F("success_counter") + 1)

    def reset_success_counter(self) -> None:
        if CircuitState.objects.filter(name=self._key, success_counter__gt=0).exists():
            self._update(success_counter=0)

    @property
    def counter(self) -> int:
        return self._row().fail_counter

    @property
    def success_counter(self) -> int:
        return self._row().success_counter

    @property
    def opened_at(self) -> dt.datetime | None:
        return self._row().opened_at

    @opened_at.setter
    def opened_at(self, value: dt.datetime) -> None:
        self._update(opened_at=value)


class SingleProbe(pybreaker.CircuitBreakerListener):
    """In the half-open state, only the caller that takes the probe token calls HrFlow; the
    others fail fast as if the breaker were still open."""

    def __init__(self, store_factory: Callable[[], TokenStore], key: str, ttl: int) -> None:
        self.store_factory = store_factory
        self.key = key
        self.ttl = ttl

    def before_call(
        self, cb: pybreaker.CircuitBreaker, func: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> None:
        if cb.current_state != pybreaker.STATE_HALF_OPEN:
            return
        if not self.store_factory().take(self.key, uuid.uuid4().hex, self.ttl):
            raise pybreaker.CircuitBreakerError("another process is probing HrFlow")
        logger.warning("HrFlow circuit half-open: probing")

    def state_change(self, cb: pybreaker.CircuitBreaker, old_state: Any, new_state: Any) -> None:
        if old_state is not None and old_state.name != new_state.name:
            logger.warning("HrFlow circuit %s -> %s", old_state.name, new_state.name)


def _storage_choice(choice: str) -> tuple[str, str]:
    """The storage the breaker state lives in, resolved now: ("redis", its URL) or ("database", "").

    Resolved before the breaker is cached, so a process whose cache settings change (tests do)
    never keeps a breaker on one storage while another instance of the same upstream uses another.
    """
    if choice == "auto":
        choice = "redis" if settings.CACHES["default"]["BACKEND"].endswith("RedisCache") else "database"
    if choice == "redis":
        location = settings.CACHES["default"]["LOCATION"]
        return "redis", location if isinstance(location, str) else location[0]
    return "database", ""


def _storage_for(kind: str, location: str, name: str) -> pybreaker.CircuitBreakerStorage:
    if kind == "redis":
        import redis

        client = redis.Redis.from_url(location)
        return pybreaker.CircuitRedisStorage(pybreaker.STATE_CLOSED, client, namespace=name)
    return DatabaseCircuitStorage(name)


def breaker_name(api_url: str) -> str:
    """One breaker per upstream: a sandbox going down says nothing about api.hrflow.ai."""
    return "hrflow-breaker:" + hashlib.sha256(api_url.encode()).hexdigest()[:16]


@functools.lru_cache(maxsize=16)
def _breaker(
    name: str, storage: tuple[str, str], fail_max: int, reset_seconds: float, probe_ttl: int
) -> pybreaker.CircuitBreaker:
    return pybreaker.CircuitBreaker(
        fail_max=fail_max,
        reset_timeout=reset_seconds,
        exclude=[lambda exc: not counts_as_failure(exc)],
        listeners=[SingleProbe(get_store, f"{name}:probe", probe_ttl)],
        state_storage=_storage_for(*storage, name),
        name=name,
        # The call that trips the breaker reports its own error (timeout, 503, …).
        throw_new_error_on_trip=False,
    )


def get_breaker(api_url: str, *, probe_ttl: int = 20) -> pybreaker.CircuitBreaker:
    return _breaker(
        breaker_name(api_url),
        _storage_choice(str(setting("HRFLOW_BREAKER_STORE"))),
        max(1, int(setting("HRFLOW_BREAKER_FAIL_MAX"))),
        max(0.0, float(setting("HRFLOW_BREAKER_RESET_SECONDS"))),
        max(1, probe_ttl),
    )


def seconds_until_probe(breaker: pybreaker.CircuitBreaker) -> float:
    """How long until the open breaker lets a probe through (0 when it would now)."""
    opened_at = breaker._state_storage.opened_at  # pybreaker exposes no public accessor
    if opened_at is None:
        return 0.0
    if opened_at.tzinfo is None:
        opened_at = opened_at.replace(tzinfo=dt.UTC)
    remaining = opened_at + dt.timedelta(seconds=breaker.reset_timeout) - timezone.now()
    return max(0.0, remaining.total_seconds())


def fail_fast_if_open(breaker: pybreaker.CircuitBreaker) -> None:
    """Raise HrFlowUnavailable when the breaker is open and its cool-down is not over (one
    read of the shared state); the probe decision itself is left to `guarded`."""
    if breaker.current_state == pybreaker.STATE_OPEN:
        remaining = seconds_until_probe(breaker)
        if remaining > 0:
            raise HrFlowUnavailable("circuit open", retry_after=remaining)


@contextlib.contextmanager
def guarded(breaker: pybreaker.CircuitBreaker) -> Iterator[None]:
    """Run one HTTP attempt under the breaker; raises HrFlowUnavailable when it is open.

    `calling()` holds pybreaker's lock only to pick the state, not during the request, so the
    threads of a web process call HrFlow concurrently.
    """
    try:
        with breaker.calling():
            yield
    except pybreaker.CircuitBreakerError as exc:
        raise HrFlowUnavailable(str(exc), retry_after=seconds_until_probe(breaker) or None) from None


def reset(api_url: str) -> None:
    """Close the breaker of `api_url` (tests; an operator after fixing the configuration)."""
    get_breaker(api_url).close()
