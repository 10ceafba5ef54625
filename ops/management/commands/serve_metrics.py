"""Serve /metrics on a node that runs no web process (a Celery worker node).

    python manage.py serve_metrics --bind 10.0.0.21 --port 9101

The same exposition and the same token (METRICS_TOKEN) as a web node's /metrics: this node's
Celery children's series (prometheus multiprocess files) plus the shared ones.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterable
from typing import Any
from wsgiref.simple_server import make_server

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops.metrics import exposition


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    token = str(settings.METRICS_TOKEN)
    given = str(environ.get("HTTP_AUTHORIZATION", ""))
    if environ.get("PATH_INFO", "").rstrip("/") != "/metrics":
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"Not found"]
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        start_response("401 Unauthorized", [("Content-Type", "text/plain")])
        return [b"Unauthorized"]
    body, content_type = exposition()
    start_response("200 OK", [("Content-Type", content_type), ("Cache-Control", "no-store")])
    return [body]


class Command(BaseCommand):
    help = "Serve this node's Prometheus metrics (token-protected) on an internal address."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=9101)

    def handle(self, *args: Any, bind: str, port: int, **options: Any) -> None:
        if not settings.METRICS_TOKEN:
            raise CommandError("METRICS_TOKEN is not set: metrics are served only with a token.")
        with make_server(bind, port, app) as server:
            self.stdout.write(f"metrics on http://{bind}:{port}/metrics")
            server.serve_forever()
