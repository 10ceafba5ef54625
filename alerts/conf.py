"""Settings of the alerts, each with a default; read at call time so tests can override them."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "ALERTS_FROM_EMAIL": "hrflow_dash <alerts@hrflow-dash.local>",
    # Absolute links in e-mails (the saved search, unsubscribe): the dashboard's public address.
    "ALERTS_SITE_URL": "http://127.0.0.1:8000",
    "ALERTS_SEND_RATE_PER_MINUTE": 120.0,  # e-mails started per minute over all workers
    "ALERTS_SEND_MAX_WAIT_SECONDS": 5.0,  # a send waits this long for its slot, else comes back later
    "ALERTS_SEND_LEASE_SECONDS": 120,  # a sending row whose worker died is retried after this
    "ALERTS_SEND_MAX_ATTEMPTS": 8,
    "ALERTS_RETRY_BASE_SECONDS": 30,  # 30 s, 60 s, 120 s, … after SMTP failures
    "ALERTS_RETRY_MAX_SECONDS": 3600,
    "ALERTS_JOBS_PER_EMAIL": 50,  # a digest lists at most this many (best first), then "and N more"
    # Where the demo mail sink stores what it receives, and which address it listens on.
    "ALERTS_MAIL_DIR": "",
    "ALERTS_MAIL_SINK_PORT": 8025,
    # Test-only: after the SMTP server accepted a message, write "<path>.sent" and wait for
    # <path> to exist before recording it sent (the crash-window integration test).
    "ALERTS_TEST_HOLD_FILE": "",
}


def get(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])
