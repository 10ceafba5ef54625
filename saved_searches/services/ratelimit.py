"""Upstream limits shared by every worker and web process: a concurrency cap and a
requests-per-minute cap (HRFLOW_MAX_CONCURRENCY, HRFLOW_REQUESTS_PER_MINUTE).

Capacity is a set of named tokens, and taking one is a single atomic "create if absent":

* Concurrency: `HRFLOW_MAX_CONCURRENCY` slot tokens; a request holds one for its duration
  (with an expiry, so a killed worker's slot frees itself) and gives it back when done.
* Rate: time is cut into one-second windows; window `s` has
  `floor(rpm*(s+1)/60) - floor(rpm*s/60)` request tokens, so every aligned minute carries exactly
  `rpm` and requests spread over the minute instead of bursting at its start.

Two stores, chosen by HRFLOW_LIMIT_STORE ("auto" = Redis cache if that is the default cache,
else the database):

* `CacheStore`: `cache.add` (Redis SET NX). Redis never evicts by count.
* `DatabaseStore`: the UpstreamToken table (INSERT on a primary key). Not Django's database
  cache: its `incr` is a read-modify-write, and it culls entries beyond MAX_ENTRIES (300 by
  default) — live tokens included — which let a benchmark run exceed the cap.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import random
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from saved_searches import conf
from saved_searches.models import UpstreamToken

KEY_PREFIX = "hrflow-limit:v1"
RATE_TOKEN_TTL = 120  # seconds; a window's tokens only matter for its own second


@dataclass(frozen=True)
class Limits:
    max_concurrency: int
    requests_per_minute: int
    slot_ttl: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            max_concurrency=max(1, int(conf.get("HRFLOW_MAX_CONCURRENCY"))),
            requests_per_minute=max(1, int(conf.get("HRFLOW_REQUESTS_PER_MINUTE"))),
            slot_ttl=max(1, int(conf.get("HRFLOW_SLOT_TTL_SECONDS"))),
        )


def window_capacity(rpm: int, second: int) -> int:
    return math.floor(rpm * (second + 1) / 60) - math.floor(rpm * second / 60)


class TokenStore(Protocol):
    def take(self, key: str, holder: str, ttl: int) -> bool: ...
    def give_back(self, key: str, holder: str) -> None: ...
    def taken_in(self, prefix: str) -> int: ...


class CacheStore:
    def take(self, key: str, holder: str, ttl: int) -> bool:
        return bool(cache.add(f"{KEY_PREFIX}:{key}", holder, timeout=ttl))

    def give_back(self, key: str, holder: str) -> None:
        # Only our own: after an expiry the key may belong to someone else (check-then-delete
        # can still race within microseconds; the slot TTL bounds the harm).
        if cache.get(f"{KEY_PREFIX}:{key}") == holder:
            cache.delete(f"{KEY_PREFIX}:{key}")

    def taken_in(self, prefix: str) -> int:
        return 0  # no cheap count on a cache: try from the first token


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

    def taken_in(self, prefix: str) -> int:
        return UpstreamToken.objects.filter(key__startswith=prefix).count()


def get_store() -> TokenStore:
    choice = conf.get("HRFLOW_LIMIT_STORE")
    if choice == "auto":
        backend = settings.CACHES["default"]["BACKEND"]
        choice = "cache" if backend.endswith("RedisCache") else "database"
    return CacheStore() if choice == "cache" else DatabaseStore()


def purge_expired_tokens() -> int:
    """Delete expired database tokens (the beat tick calls this)."""
    return UpstreamToken.objects.filter(expires_at__lte=timezone.now()).delete()[0]


def _take_slot(store: TokenStore, limits: Limits, holder: str) -> str | None:
    start = random.randrange(limits.max_concurrency)  # noqa: S311 - spreading load, not security
    for i in range(limits.max_concurrency):
        key = f"slot:{(start + i) % limits.max_concurrency}"
        if store.take(key, holder, limits.slot_ttl):
            return key
    return None


def _take_rate_token(store: TokenStore, limits: Limits, holder: str, now: float) -> bool:
    second = int(now)
    prefix = f"rpm:{second}:"
    capacity = window_capacity(limits.requests_per_minute, second)
    first = min(store.taken_in(prefix), capacity)
    return any(store.take(f"{prefix}{i}", holder, RATE_TOKEN_TTL) for i in range(first, capacity))


@contextlib.contextmanager
def upstream_slot(
    *,
    wait: float | None = None,
    limits: Limits | None = None,
    store: TokenStore | None = None,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[bool]:
    """Hold one concurrency slot and one rate token for one upstream request.

    Yields True when both were obtained within `wait` seconds, False otherwise (the caller
    defers its work instead of calling upstream). The slot is given back on exit.
    """
    limits = limits or Limits.from_settings()
    store = store or get_store()
    wait = float(conf.get("HRFLOW_LIMIT_WAIT_SECONDS")) if wait is None else wait
    holder = uuid.uuid4().hex
    deadline = clock() + wait
    slot: str | None = None
    try:
        while True:
            if slot is None:
                slot = _take_slot(store, limits, holder)
            if slot is not None and _take_rate_token(store, limits, holder, clock()):
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
