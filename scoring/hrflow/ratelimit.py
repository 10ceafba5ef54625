"""Upstream limits shared by every process that calls HrFlow (web threads, Celery workers,
the demo feed): a concurrency cap and a requests-per-minute cap (HRFLOW_MAX_CONCURRENCY,
HRFLOW_REQUESTS_PER_MINUTE). The client takes one slot and one rate token per HTTP attempt.

Capacity is a set of named tokens, and taking one is a single atomic "create if absent":

* Concurrency: `HRFLOW_MAX_CONCURRENCY` slot tokens; a request holds one for its duration
  (with an expiry, so a killed worker's slot frees itself) and gives it back when done.
* Rate: time is cut into one-second windows; window `s` has
  `floor(rpm*(s+1)/60) - floor(rpm*s/60)` request tokens, so every aligned minute carries exactly
  `rpm` and requests spread over the minute instead of bursting at its start.

Recruiters first: `HRFLOW_INTERACTIVE_SHARE` of the slots and of every window's tokens is kept
for interactive calls. Background calls (refreshes, the feed) only take from the rest;
interactive calls take their reserved part first, then the rest. However many refreshes are
due, a recruiter's search finds capacity.

Two stores, chosen by HRFLOW_LIMIT_STORE ("auto" = Redis cache if that is the default cache,
else the database):

* `CacheStore`: `cache.add` (Redis SET NX). Redis never evicts by count.
* `DatabaseStore`: the scoring.UpstreamToken table (INSERT on a primary key). Not Django's
  database cache: its `incr` is a read-modify-write, and it culls entries beyond MAX_ENTRIES
  (300 by default) — live tokens included — which let a benchmark run exceed the cap.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import random
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from scoring.hrflow.calls import CallKind, current_call_kind
from scoring.models import UpstreamToken

KEY_PREFIX = "hrflow-limit:v1"
RATE_TOKEN_TTL = 120  # seconds; a window's tokens only matter for its own second

# Read at call time (tests override settings). HrFlow publishes no rate limit (docs/hrflow.md
# §5.3): the defaults let 50 recruiters through without queueing (docs/benchmarks.md, "Load");
# set them to your plan's numbers.
DEFAULTS: dict[str, Any] = {
    "HRFLOW_MAX_CONCURRENCY": 64,  # as many as the web tier has threads (gunicorn_conf)
    "HRFLOW_REQUESTS_PER_MINUTE": 3000,
    "HRFLOW_INTERACTIVE_SHARE": 0.25,
    "HRFLOW_LIMIT_WAIT_SECONDS": 20.0,  # a background call's wait before it defers
    "HRFLOW_LIMIT_WAIT_INTERACTIVE_SECONDS": 2.0,  # a recruiter's, before "try again"
    "HRFLOW_SLOT_TTL_SECONDS": 60,  # a crashed process's concurrency slot frees itself after this
    "HRFLOW_LIMIT_STORE": "auto",  # "auto" (Redis cache if configured, else database), "cache", "database"
}


def setting(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])


@dataclass(frozen=True)
class Limits:
    max_concurrency: int
    requests_per_minute: int
    slot_ttl: int
    interactive_share: float = 0.0

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            max_concurrency=max(1, int(setting("HRFLOW_MAX_CONCURRENCY"))),
            requests_per_minute=max(1, int(setting("HRFLOW_REQUESTS_PER_MINUTE"))),
            slot_ttl=max(1, int(setting("HRFLOW_SLOT_TTL_SECONDS"))),
            interactive_share=min(max(float(setting("HRFLOW_INTERACTIVE_SHARE")), 0.0), 1.0),
        )

    def reserved(self, total: int) -> int:
        """How much of `total` only interactive calls may take (background keeps at least one
        whenever there are two or more)."""
        reserved = math.ceil(total * self.interactive_share)
        return min(reserved, total - 1) if total > 1 else 0

    @property
    def reserved_rpm(self) -> int:
        return self.reserved(self.requests_per_minute)


def window_capacity(rpm: int, second: int) -> int:
    return math.floor(rpm * (second + 1) / 60) - math.floor(rpm * second / 60)


def _in_order_for(kind: CallKind, shared: Sequence[str], reserved: Sequence[str]) -> list[str]:
    # Interactive calls use their reserve first, leaving the shared part to background work.
    return [*reserved, *shared] if kind == CallKind.INTERACTIVE else list(shared)


def slot_keys(limits: Limits, kind: CallKind) -> list[str]:
    total = limits.max_concurrency
    shared_count = total - limits.reserved(total)
    keys = [f"slot:{i}" for i in range(total)]
    shared = keys[:shared_count]
    # Start at a random shared slot so concurrent takers spread instead of colliding.
    start = random.randrange(shared_count)  # noqa: S311 - spreading load, not security
    return _in_order_for(kind, shared[start:] + shared[:start], keys[shared_count:])


def rate_keys(limits: Limits, kind: CallKind, second: int) -> list[str]:
    capacity = window_capacity(limits.requests_per_minute, second)
    reserved_count = window_capacity(limits.reserved_rpm, second)
    keys = [f"rpm:{second}:{i}" for i in range(capacity)]
    shared_count = capacity - reserved_count
    return _in_order_for(kind, keys[:shared_count], keys[shared_count:])


class TokenStore(Protocol):
    def take(self, key: str, holder: str, ttl: int) -> bool: ...
    def give_back(self, key: str, holder: str) -> None: ...
    def taken(self, prefix: str) -> set[str]: ...


class CacheStore:
    def take(self, key: str, holder: str, ttl: int) -> bool:
        return bool(cache.add(f"{KEY_PREFIX}:{key}", holder, timeout=ttl))

    def give_back(self, key: str, holder: str) -> None:
        # Only our own: after an expiry the key may belong to someone else (check-then-delete
        # can still race within microseconds; the slot TTL bounds the harm).
        if cache.get(f"{KEY_PREFIX}:{key}") == holder:
            cache.delete(f"{KEY_PREFIX}:{key}")

    def taken(self, prefix: str) -> set[str]:
        return set()  # no cheap listing on a cache: try from the first token


class DatabaseStore:
    def take(self, key: str, holder: str, ttl: int) -> bool:
        now = timezone.now()
        for _ in range(2):
            try:
                with transaction.atomic():
                    UpstreamToken.objects.create(
                        key=key, holder=holder, expires_at=now + dt.timedelta(seconds=ttl)
                    )
                return True
            except IntegrityError:
                # Taken; if only by an expired holder, clear it (conditionally) and try once more.
                if not UpstreamToken.objects.filter(key=key, expires_at__lte=now).delete()[0]:
                    return False
        return False

    def give_back(self, key: str, holder: str) -> None:
        UpstreamToken.objects.filter(key=key, holder=holder).delete()

    def taken(self, prefix: str) -> set[str]:
        # One read instead of one failed INSERT per taken token (reads do not lock in WAL).
        # Expired tokens count as free: take() clears them.
        live = UpstreamToken.objects.filter(key__startswith=prefix, expires_at__gt=timezone.now())
        return set(live.values_list("key", flat=True))


def get_store() -> TokenStore:
    choice = setting("HRFLOW_LIMIT_STORE")
    if choice == "auto":
        backend = settings.CACHES["default"]["BACKEND"]
        choice = "cache" if backend.endswith("RedisCache") else "database"
    return CacheStore() if choice == "cache" else DatabaseStore()


def purge_expired_tokens() -> int:
    """Delete expired database tokens (the saved-search beat tick calls this)."""
    return UpstreamToken.objects.filter(expires_at__lte=timezone.now()).delete()[0]


def _take_first(store: TokenStore, keys: list[str], holder: str, ttl: int, prefix: str) -> str | None:
    if not keys:
        return None
    taken = store.taken(prefix)
    return next((key for key in keys if key not in taken and store.take(key, holder, ttl)), None)


def _take_slot(store: TokenStore, limits: Limits, kind: CallKind, holder: str) -> str | None:
    return _take_first(store, slot_keys(limits, kind), holder, limits.slot_ttl, "slot:")


def _take_rate_token(store: TokenStore, limits: Limits, kind: CallKind, holder: str, now: float) -> bool:
    second = int(now)
    keys = rate_keys(limits, kind, second)
    return _take_first(store, keys, holder, RATE_TOKEN_TTL, f"rpm:{second}:") is not None


@contextlib.contextmanager
def upstream_slot(
    *,
    kind: CallKind | None = None,
    wait: float | None = None,
    limits: Limits | None = None,
    store: TokenStore | None = None,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[bool]:
    """Hold one concurrency slot and one rate token for one upstream request.

    `kind` defaults to the current call kind (scoring/hrflow/calls.py) and picks the pools and
    the default wait. Yields True when both were obtained within `wait` seconds, False
    otherwise (the caller gives up or defers instead of calling upstream). The slot is given
    back on exit.
    """
    kind = kind or current_call_kind()
    limits = limits or Limits.from_settings()
    store = store or get_store()
    if wait is None:
        name = (
            "HRFLOW_LIMIT_WAIT_INTERACTIVE_SECONDS"
            if kind == CallKind.INTERACTIVE
            else "HRFLOW_LIMIT_WAIT_SECONDS"
        )
        wait = float(setting(name))
    holder = uuid.uuid4().hex
    deadline = clock() + wait
    slot: str | None = None
    try:
        while True:
            if slot is None:
                slot = _take_slot(store, limits, kind, holder)
            if slot is not None and _take_rate_token(store, limits, kind, holder, clock()):
                break
            now = clock()
            if now >= deadline:
                yield False
                return
            # Next window (rate) or a short poll (concurrency), with jitter so waiters spread.
            pause = (math.floor(now) + 1 - now) if slot is not None else 0.05
            jitter = random.uniform(0, 0.02)  # noqa: S311
            sleep(min(max(pause, 0.0) + jitter, max(deadline - now, 0.0)))
        yield True
    finally:
        if slot is not None:
            store.give_back(slot, holder)
