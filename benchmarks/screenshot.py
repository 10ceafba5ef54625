"""Regenerate docs/img/search.png (the README screenshot) with the browser test harness.

    .venv/bin/python benchmarks/screenshot.py

Runs tests/browser/test_search.py::test_search_page_screenshot (live_server + live_sandbox +
the system Chromium) with UPDATE_SCREENSHOT=1, which writes the image instead of a temp file.
"""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    env = {**os.environ, "UPDATE_SCREENSHOT": "1"}
    test = "tests/browser/test_search.py::test_search_page_screenshot"
    command = [sys.executable, "-m", "pytest", test, "-q", "-p", "no:logging"]
    result = subprocess.run(command, cwd=REPO, env=env, check=False)
    if result.returncode == 0:
        print(f"wrote {REPO / 'docs' / 'img' / 'search.png'}")
    raise SystemExit(result.returncode)
