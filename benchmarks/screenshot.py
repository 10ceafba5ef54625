"""Regenerate docs/img/search.png, search-phone.png, what-matches.png, matrix.png and
results-map.png (the README screenshots) with the browser test harness.

    .venv/bin/python benchmarks/screenshot.py

Runs tests/browser/test_search.py::test_search_page_screenshot,
tests/browser/test_phone.py::test_phone_screenshot (390 px), tests/browser/test_what_matches.py,
tests/browser/test_matrix.py::test_matrix_screenshot and
tests/browser/test_results_map.py::test_results_map_screenshot (live_server + live_sandbox + the
system Chromium) with UPDATE_SCREENSHOT=1, which writes the images instead of temp files.
"""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    env = {**os.environ, "UPDATE_SCREENSHOT": "1"}
    tests = [
        "tests/browser/test_search.py::test_search_page_screenshot",
        "tests/browser/test_phone.py::test_phone_screenshot",
        "tests/browser/test_what_matches.py",
        "tests/browser/test_matrix.py::test_matrix_screenshot",
        "tests/browser/test_results_map.py::test_results_map_screenshot",
    ]
    command = [sys.executable, "-m", "pytest", *tests, "-q", "-p", "no:logging"]
    result = subprocess.run(command, cwd=REPO, env=env, check=False)
    if result.returncode == 0:
        print(f"wrote {REPO / 'docs' / 'img'}: search, search-phone, what-matches, matrix, results-map .png")
    raise SystemExit(result.returncode)
