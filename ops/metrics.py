"""Prometheus metrics of the web tier, and the exposition of every process's metrics.

Multiprocess mode (PROMETHEUS_MULTIPROC_DIR, set by the settings under var/): each gunicorn
worker and Celery child writes its own files; /metrics adds them up. Values computed from
shared state at scrape time (breaker, saved-search lag, queue length) are collectors named in
OPS_METRICS_COLLECTORS, plus the broker queue length here.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

logger = logging.getLogger(__name__)

REQUEST_LATENCY = Histogram(
    "hrflow_dash_request_duration_seconds",
    "Time to answer a request, by view (URL name), method and status.",
    ["view", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def observe_request(view: str, method: str, status: int, seconds: float) -> None:
    REQUEST_LATENCY.labels(view=view, method=method, status=str(status)).observe(seconds)


class _Safe:
    """A collector whose failure (database down at scrape time) drops its series, not /metrics."""

    def __init__(self, inner: Any, name: str) -> None:
        self.inner = inner
        self.name = name

    def collect(self) -> Iterator[Metric]:
        try:
            yield from list(self.inner.collect())
        except Exception as exc:
            logger.warning("metrics collector %s failed: %s", self.name, type(exc).__name__)


class BrokerQueueCollector:
    """Messages waiting in the Celery queue, where the broker can tell: Redis (LLEN), the
    filesystem broker (files in the queue folder), RabbitMQ (passive declare)."""

    def collect(self) -> Iterator[Metric]:
        queue = str(getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery"))
        family = GaugeMetricFamily(
            "hrflow_dash_celery_queue_length", "Messages waiting in the Celery queue.", labels=["queue"]
        )
        family.add_metric([queue], float(queue_length(queue)))
        yield family


def queue_length(queue: str) -> int:
    url = str(settings.CELERY_BROKER_URL)
    if url.startswith("filesystem://"):
        options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
        folder = str(options.get("data_folder_in", ""))
        # kombu's filesystem transport names each message file <id>_<queue>.msg.
        return sum(1 for name in os.listdir(folder) if name.endswith(f".{queue}.msg"))
    from kombu import Connection

    with Connection(url, connect_timeout=2) as conn:
        channel: Any = conn.default_channel
        if conn.transport.driver_type == "redis":
            return int(channel.client.llen(queue))
        try:
            return int(channel.queue_declare(queue=queue, passive=True).message_count)
        except Exception:  # no such queue yet: nothing waiting
            return 0


def registry() -> CollectorRegistry:
    reg = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(reg)
    else:  # pragma: no cover - the settings always set it
        from prometheus_client import REGISTRY

        reg = REGISTRY
    reg.register(_Safe(BrokerQueueCollector(), "broker_queue"))
    for path in getattr(settings, "OPS_METRICS_COLLECTORS", []):
        reg.register(_Safe(import_string(path)(), path))
    return reg


def exposition() -> tuple[bytes, str]:
    return generate_latest(registry()), CONTENT_TYPE_LATEST
