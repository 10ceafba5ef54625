"""Settings for the refresh benchmark's processes: production settings + the knobs it varies."""

import os

from hrflow_dash.settings import *  # noqa: F403

SAVED_SEARCH_TOP_N = int(os.environ.get("SAVED_SEARCH_TOP_N", "50"))
SAVED_SEARCH_CAP_PER_USER = 100_000
HRFLOW_MAX_CONCURRENCY = int(os.environ.get("HRFLOW_MAX_CONCURRENCY", "8"))
HRFLOW_REQUESTS_PER_MINUTE = int(os.environ.get("HRFLOW_REQUESTS_PER_MINUTE", "300"))
# No recruiter in this benchmark: refreshes may use the whole budget (the figures in
# docs/benchmarks.md were measured so; the default keeps 25 % for interactive calls).
HRFLOW_INTERACTIVE_SHARE = float(os.environ.get("HRFLOW_INTERACTIVE_SHARE", "0"))
REFRESH_TICK_SECONDS = float(os.environ.get("REFRESH_TICK_SECONDS", "60"))
CELERY_BEAT_SCHEDULE = {
    "saved-searches-tick": {
        "task": "saved_searches.tick",
        "schedule": REFRESH_TICK_SECONDS,
        "options": {"expires": REFRESH_TICK_SECONDS},
    },
}
