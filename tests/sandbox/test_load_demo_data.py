"""load_demo_data is idempotent: a second run over the same snapshot writes nothing."""

import subprocess
import sys
from typing import Any

from sandbox.devserver import REPO, sandbox_env


def test_second_load_changes_nothing(live_sandbox: Any, api: Any) -> None:
    jobs_before = api.get("health").json()["jobs"]
    env = sandbox_env(live_sandbox.database_url, live_sandbox.data_dir, live_sandbox.log_path.parent)
    result = subprocess.run(
        [sys.executable, "manage.py", "load_demo_data", "--settings=sandbox.settings"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert "jobs written: 0, profiles written: 0, reference rows: 0" in result.stdout
    assert api.get("health").json()["jobs"] == jobs_before
