"""Make the SQLite test database a file, so other processes (a Celery worker) and other threads
(concurrent claimers) see the same database with real locking. PostgreSQL needs nothing: its test
database is a real database that a worker can connect to by name.

Called from conftest modules at import time, before pytest-django creates the test database.
It changes the test database for the whole session (an in-memory SQLite database cannot be
shared with a subprocess); WAL + busy_timeout from settings apply to the file as in production.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings


def use_file_sqlite_test_db() -> None:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.sqlite3":
        return
    test = db.setdefault("TEST", {})
    if test.get("NAME"):
        return
    path = Path(tempfile.gettempdir()) / f"hrflow_dash_test_{os.getpid()}.sqlite3"
    test["NAME"] = str(path)
