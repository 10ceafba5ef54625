"""The multi-node test runs on the scale-out configuration only (PostgreSQL + Redis, what
.ci/run's second step sets): the nodes share nothing but the database, the cache and the broker,
which SQLite, locmem and the filesystem broker cannot be across machines. Elsewhere it is
deselected, and the run's header says so."""

from __future__ import annotations

import os

import pytest

REASON = (
    "tests/deploy (multi-node behind nginx) needs the scale-out configuration: DATABASE_URL=postgres://…, "
    "CACHE_URL=redis://…, CELERY_BROKER_URL=redis:// or amqp:// (.ci/run's PostgreSQL + Redis step)"
)


def scale_out() -> bool:
    return (
        os.environ.get("DATABASE_URL", "").startswith("postgres")
        and os.environ.get("CACHE_URL", "").startswith("redis")
        and os.environ.get("CELERY_BROKER_URL", "").startswith(("redis", "amqp"))
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if scale_out():
        return
    here = os.path.dirname(__file__)
    deselected = [item for item in items if str(item.path).startswith(here)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if item not in deselected]
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"deselected {len(deselected)}: {REASON}", yellow=True)
