"""Readiness checks: each raises when its part is unreachable. Cheap: one round trip each."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import connections


def _timeout() -> float:
    return float(getattr(settings, "OPS_CHECK_TIMEOUT_SECONDS", 2.0))


def database() -> None:
    connection = connections["default"]
    pool = getattr(connection, "pool", None) if connection.vendor == "postgresql" else None
    if pool is not None:
        # Through Django's pool a thread waits DATABASE_POOL_TIMEOUT (10 s) for a connection to a
        # database that is down: a probe must answer within its own bound instead.
        pool.open(wait=False)
        with pool.connection(timeout=_timeout()) as raw:
            raw.execute("SELECT 1")
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def cache() -> None:
    caches["default"].get("ops:readyz")  # a read: no write per probe


def broker() -> None:
    url = str(settings.CELERY_BROKER_URL)
    if url.startswith("filesystem://"):
        # Nothing to connect to: the folders producers and consumers share must be usable.
        options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
        folder = Path(str(options.get("data_folder_in", "")))
        if not folder.is_dir() or not os.access(folder, os.W_OK):
            raise OSError(f"broker folder {folder} is missing or not writable")
        return
    from kombu import Connection

    timeout = _timeout()
    with Connection(url, connect_timeout=timeout) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=int(timeout) or 1)
        if conn.transport.driver_type == "redis":
            channel: Any = conn.default_channel
            channel.client.ping()  # kombu's redis connection is lazy: make it real


CHECKS = {"database": database, "cache": cache, "broker": broker}
