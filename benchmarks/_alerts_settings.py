"""Settings for the alert-delivery benchmark's processes: the refresh benchmark's, plus the
alerts tick and the e-mail knobs it varies."""

import os

from benchmarks._refresh_settings import *  # noqa: F403
from benchmarks._refresh_settings import CELERY_BEAT_SCHEDULE, REFRESH_TICK_SECONDS

ALERTS_SEND_RATE_PER_MINUTE = float(os.environ.get("ALERTS_SEND_RATE_PER_MINUTE", "600"))
ALERTS_TICK_SECONDS = REFRESH_TICK_SECONDS
CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,
    "alerts-tick": {
        "task": "alerts.tick",
        "schedule": ALERTS_TICK_SECONDS,
        "options": {"expires": ALERTS_TICK_SECONDS},
    },
}
