from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from scoring.hrflow.calls import CallKind, background_calls
from scoring.hrflow.ratelimit import (
    CacheStore,
    DatabaseStore,
    Limits,
    TokenStore,
    get_store,
    purge_expired_tokens,
    upstream_slot,
    window_capacity,
)
from scoring.models import UpstreamToken

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_limits() -> Iterator[None]:
    # Tokens live in the shared cache when it is Redis (fixed instants: fixed keys): start and
    # end each test with it empty.
    cache.clear()
    yield
    cache.clear()


T0 = 1_800_000_020.25  # a fixed instant, mid-second


def _no_sleep(_: float) -> None:
    raise AssertionError("wait=0 must not sleep")


@pytest.mark.parametrize("rpm", [1, 59, 60, 61, 90, 570, 600, 1000])
def test_window_capacities_add_up_to_rpm_every_minute(rpm: int) -> None:
    for start in (0, 17, 3600):
        assert sum(window_capacity(rpm, s) for s in range(start, start + 60)) == rpm
    assert max(window_capacity(rpm, s) for s in range(60)) <= -(-rpm // 60)


def test_concurrency_slots_are_bounded_and_released() -> None:
    limits = Limits(max_concurrency=2, requests_per_minute=6000, slot_ttl=30)
    with ExitStack() as stack:
        got = [stack.enter_context(upstream_slot(wait=0, limits=limits, sleep=_no_sleep)) for _ in range(2)]
        assert got == [True, True]
        with upstream_slot(wait=0, limits=limits, sleep=_no_sleep) as third:
            assert third is False
    with upstream_slot(wait=0, limits=limits, sleep=_no_sleep) as again:
        assert again is True  # released on exit


def test_rate_tokens_per_second_and_next_second() -> None:
    limits = Limits(max_concurrency=10, requests_per_minute=120, slot_ttl=30)  # 2 per second
    clock = [T0]
    results = []
    for _ in range(3):
        with upstream_slot(wait=0, limits=limits, clock=lambda: clock[0], sleep=_no_sleep) as ok:
            results.append(ok)
    assert results == [True, True, False]
    clock[0] = T0 + 1
    with upstream_slot(wait=0, limits=limits, clock=lambda: clock[0], sleep=_no_sleep) as ok:
        assert ok is True


def test_waiting_caller_gets_the_next_window() -> None:
    limits = Limits(max_concurrency=10, requests_per_minute=60, slot_ttl=30)  # 1 per second
    clock = [T0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    with upstream_slot(wait=0, limits=limits, clock=lambda: clock[0], sleep=sleep) as first:
        assert first
    with upstream_slot(wait=5, limits=limits, clock=lambda: clock[0], sleep=sleep) as second:
        assert second
    assert int(clock[0]) == int(T0) + 1
    assert 0.74 <= sum(slept) <= 0.8  # slept to the next second boundary (+ jitter), not 5 s


STORES = [pytest.param(DatabaseStore(), id="database"), pytest.param(CacheStore(), id="cache")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("store", STORES)
def test_many_threads_never_exceed_the_caps(store: TokenStore) -> None:
    """Taking a token is atomic across connections (database table; Redis cache in CI)."""
    limits = Limits(max_concurrency=3, requests_per_minute=300, slot_ttl=30)  # 5 per second
    barrier = threading.Barrier(8)
    lock = threading.Lock()
    granted = 0
    inside = 0
    peak = 0
    errors: list[BaseException] = []

    def worker() -> None:
        nonlocal granted, inside, peak
        try:
            barrier.wait(timeout=10)
            for _ in range(5):
                with upstream_slot(
                    wait=0, limits=limits, store=store, clock=lambda: T0, sleep=_no_sleep
                ) as ok:
                    if ok:
                        with lock:
                            granted += 1
                            inside += 1
                            peak = max(peak, inside)
                        with lock:
                            inside -= 1
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert granted == window_capacity(300, int(T0)) == 5
    assert peak <= 3


def test_store_choice_follows_the_cache(settings: Any) -> None:
    settings.HRFLOW_LIMIT_STORE = "auto"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "t"}}
    assert isinstance(get_store(), DatabaseStore)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "x"}}
    assert isinstance(get_store(), CacheStore)


def test_database_tokens_survive_cache_culling(settings: Any) -> None:
    """Regression: on Django's database cache, culling past MAX_ENTRIES deleted live tokens."""
    from django.core.cache import cache

    limits = Limits(max_concurrency=10, requests_per_minute=60, slot_ttl=30)  # 1 per second
    with upstream_slot(wait=0, limits=limits, store=DatabaseStore(), clock=lambda: T0, sleep=_no_sleep) as ok:
        assert ok
    for i in range(400):  # well past the database cache's default MAX_ENTRIES (300)
        cache.set(f"zz-filler-{i}", i)  # sorts after the tokens: culling takes tokens first
    with upstream_slot(wait=0, limits=limits, store=DatabaseStore(), clock=lambda: T0, sleep=_no_sleep) as ok:
        assert ok is False


def test_expired_slot_is_retaken_and_only_the_holder_gives_back() -> None:
    store = DatabaseStore()
    assert store.take("slot:0", "dead-worker", ttl=30)
    assert not store.take("slot:0", "me", ttl=30)
    UpstreamToken.objects.filter(key="slot:0").update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert store.take("slot:0", "me", ttl=30)
    store.give_back("slot:0", "dead-worker")  # a late give-back from the old holder changes nothing
    assert UpstreamToken.objects.get(key="slot:0").holder == "me"
    UpstreamToken.objects.filter(key="slot:0").update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert purge_expired_tokens() == 1


SHARED = Limits(max_concurrency=4, requests_per_minute=240, slot_ttl=30, interactive_share=0.25)  # 4/s


def test_background_calls_never_take_the_recruiters_reserve() -> None:
    """However many refreshes run, one slot and a quarter of each window stay for searches."""
    with ExitStack() as stack:
        background = [
            stack.enter_context(
                upstream_slot(
                    kind=CallKind.BACKGROUND, wait=0, limits=SHARED, clock=lambda: T0, sleep=_no_sleep
                )
            )
            for _ in range(4)
        ]
        assert background == [True, True, True, False]  # 3 shared slots
        with upstream_slot(
            kind=CallKind.INTERACTIVE, wait=0, limits=SHARED, clock=lambda: T0, sleep=_no_sleep
        ) as ok:
            assert ok is True  # the reserved slot (and the window's reserved token)


def test_background_rate_tokens_leave_the_reserved_share() -> None:
    clock = [T0]
    granted = []
    for _ in range(4):
        with upstream_slot(
            kind=CallKind.BACKGROUND, wait=0, limits=SHARED, clock=lambda: clock[0], sleep=_no_sleep
        ) as ok:
            granted.append(ok)
    assert granted == [True, True, True, False]  # 3 of the second's 4 tokens
    with upstream_slot(
        kind=CallKind.INTERACTIVE, wait=0, limits=SHARED, clock=lambda: clock[0], sleep=_no_sleep
    ) as ok:
        assert ok is True
    with upstream_slot(
        kind=CallKind.INTERACTIVE, wait=0, limits=SHARED, clock=lambda: clock[0], sleep=_no_sleep
    ) as ok:
        assert ok is False  # the window is spent


def test_interactive_calls_use_their_reserve_first() -> None:
    with upstream_slot(
        kind=CallKind.INTERACTIVE, wait=0, limits=SHARED, clock=lambda: T0, sleep=_no_sleep
    ) as ok:
        assert ok
        # The recruiter took the reserved slot and token: background still has all 3 shared.
        with ExitStack() as stack:
            background = [
                stack.enter_context(
                    upstream_slot(
                        kind=CallKind.BACKGROUND, wait=0, limits=SHARED, clock=lambda: T0, sleep=_no_sleep
                    )
                )
                for _ in range(3)
            ]
            assert background == [True, True, True]


def test_the_kind_defaults_to_the_current_call_kind(settings: Any) -> None:
    settings.HRFLOW_MAX_CONCURRENCY = 2
    settings.HRFLOW_INTERACTIVE_SHARE = 0.5
    settings.HRFLOW_REQUESTS_PER_MINUTE = 6000
    with background_calls(), upstream_slot(wait=0, sleep=_no_sleep) as first:
        assert first
        with upstream_slot(wait=0, sleep=_no_sleep) as second:
            assert second is False  # background: one shared slot only
    with upstream_slot(wait=0, sleep=_no_sleep) as a, upstream_slot(wait=0, sleep=_no_sleep) as b:
        assert (a, b) == (True, True)  # interactive: both
