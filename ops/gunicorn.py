"""Helpers for hrflow_dash/gunicorn_conf.py's hooks (the master never loads Django settings)."""

from __future__ import annotations

import logging
import os
from typing import Any

QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


class QuietProbes(logging.Filter):
    """Drop gunicorn access-log lines of probes unless the access logger is at DEBUG."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        path = args.get("U") if isinstance(args, dict) else None
        if path and path.rstrip("/") in QUIET_PATHS:
            return (
                logging.getLogger("gunicorn.access").isEnabledFor(logging.DEBUG)
                and os.environ.get("LOG_LEVEL", "").upper() == "DEBUG"
            )
        return True


def quiet_access_log() -> None:
    logging.getLogger("gunicorn.access").addFilter(QuietProbes())


def child_exit(worker: Any) -> None:
    """A gunicorn worker died: its live-gauge files go (prometheus multiprocess bookkeeping)."""
    from prometheus_client import multiprocess

    from ops.multiproc import multiproc_dir

    multiprocess.mark_process_dead(worker.pid, path=str(multiproc_dir()))
