"""Every task the production beat schedule sends is one the production Celery app registers.

Checked in a fresh interpreter on `hrflow_dash.settings` itself (not the test settings), the way
`celery -A hrflow_dash worker` loads it: Django set up, tasks autodiscovered. A typo in a
schedule entry's task name would make beat send a message every worker drops as unregistered.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json
import django
django.setup()
from django.conf import settings
from hrflow_dash.celery import app
app.loader.import_default_modules()
print(json.dumps({
    "schedule": {name: entry["task"] for name, entry in settings.CELERY_BEAT_SCHEDULE.items()},
    "registered": sorted(app.tasks),
}))
"""


def production_wiring(*, demo: bool) -> dict[str, object]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hrflow_dash.settings",
        "DJANGO_SECRET_KEY": "beat-schedule-test-key",
        "HRFLOW_DASH_DEMO": "1" if demo else "0",
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("demo", [True, False], ids=["demo-mode", "own-hrflow-account"])
def test_every_scheduled_task_is_registered(demo: bool) -> None:
    wiring = production_wiring(demo=demo)
    schedule = wiring["schedule"]
    registered = set(wiring["registered"])  # type: ignore[call-overload]

    assert isinstance(schedule, dict)
    assert "saved-searches-tick" in schedule
    assert ("demo-feed-tick" in schedule) is demo
    unregistered = {name: task for name, task in schedule.items() if task not in registered}
    assert unregistered == {}
