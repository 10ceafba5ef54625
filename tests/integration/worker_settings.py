"""Settings for the Celery worker and beat processes the integration tests start.

The test settings, plus: the test database (by name, passed by the test), a fast beat tick, a
short lease, and the test-only hold file that keeps a refresh "running" until the test says so.
"""

import os

from hrflow_dash.test_settings import *  # noqa: F403
from hrflow_dash.test_settings import DATABASES

# The test database the test process created: a file path (SQLite) or test_<name> (PostgreSQL).
DATABASES["default"]["NAME"] = os.environ["IT_DATABASE_NAME"]

SAVED_SEARCH_LEASE_SECONDS = int(os.environ.get("SAVED_SEARCH_LEASE_SECONDS", "180"))
SAVED_SEARCH_TEST_HOLD_FILE = os.environ.get("SAVED_SEARCH_TEST_HOLD_FILE", "")
REFRESH_TICK_SECONDS = float(os.environ.get("REFRESH_TICK_SECONDS", "60"))

# The entry proposed for hrflow_dash/settings.py, with the tick from the environment.
CELERY_BEAT_SCHEDULE = {
    "saved-searches-tick": {
        "task": "saved_searches.tick",
        "schedule": REFRESH_TICK_SECONDS,
        "options": {"expires": REFRESH_TICK_SECONDS},
    },
}
