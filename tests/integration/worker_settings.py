"""Settings for the Celery worker and beat processes the integration tests start.

The test settings, plus: the test database (by name, passed by the test), a short lease, and the
test-only hold file that keeps a refresh "running" until the test says so. The beat schedule is
production's own `CELERY_BEAT_SCHEDULE` (hrflow_dash/settings.py), never a copy: the test only
shortens its intervals through the same environment variables production reads
(`REFRESH_TICK_SECONDS`, `DEMO_FEED_EVERY_SECONDS`), so a wrong task name there fails the test.
"""

import os

from hrflow_dash.test_settings import *  # noqa: F403
from hrflow_dash.test_settings import DATABASES

# The test database the test process created: a file path (SQLite) or test_<name> (PostgreSQL).
DATABASES["default"]["NAME"] = os.environ["IT_DATABASE_NAME"]

SAVED_SEARCH_LEASE_SECONDS = int(os.environ.get("SAVED_SEARCH_LEASE_SECONDS", "180"))
SAVED_SEARCH_TEST_HOLD_FILE = os.environ.get("SAVED_SEARCH_TEST_HOLD_FILE", "")
