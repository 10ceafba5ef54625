"""Time from page load to the first job cards painted, in headless Chromium, against the sandbox.

    .venv/bin/python benchmarks/first_cards_paint.py [--runs 10]

Starts the sandbox (gunicorn, data/demo/ or the synthetic snapshot) and the dashboard
(gunicorn, collected static files with manifest storage, DEBUG off, a fresh SQLite), logs in
as demo/demo in the system Chromium, then per run opens the search page for a different
candidate (so the dashboard's result cache misses and the sandbox really scores):

* direct load: navigation start → render time of the first card's title (Element Timing API);
* HTMX update: Enter in the skills box → the swapped first card painted (afterSettle + a frame).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
BIN = Path(sys.executable).parent


def start_sandbox(tmp: Path) -> Any:
    from sandbox.devserver import prepare_database, start_server
    from sandbox.fixture_snapshot import write_snapshot

    real = REPO / "data" / "demo"
    data = real if (real / "jobs.jsonl.gz").exists() else write_snapshot(tmp / "snapshot")
    url = prepare_database(tmp / "sandbox", data)
    return start_server(url, data, log_path=tmp / "sandbox" / "gunicorn.log"), data


def start_dashboard(tmp: Path, sandbox: Any) -> tuple[subprocess.Popen[bytes], str]:
    from sandbox.devserver import free_port

    env = dict(os.environ)
    env.update(
        DJANGO_SECRET_KEY="benchmark-only",  # noqa: S106 - a throwaway server
        HRFLOW_DASH_VAR_DIR=str(tmp / "web"),
        DATABASE_URL=f"sqlite:///{tmp / 'web.sqlite3'}",
        CACHE_URL="locmem://",
        HRFLOW_API_URL=sandbox.url,
        HRFLOW_API_KEY=sandbox.api_key,
        HRFLOW_USER_EMAIL=sandbox.user_email,
    )
    manage = [sys.executable, str(REPO / "manage.py")]
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
        ["ensure_demo_user"],
    ):
        subprocess.run([*manage, *command], cwd=REPO, env=env, check=True, capture_output=True)
    port = free_port()
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "hrflow_dash.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/about/data/", timeout=1)
            return process, base
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("dashboard did not start")


def candidates(sandbox: Any, n: int) -> list[tuple[str, str]]:
    from hrflow_dash.demo import DEMO_SOURCE_KEYS

    source = DEMO_SOURCE_KEYS[0]
    url = f"{sandbox.url}storing/profiles?source_keys={quote(json.dumps([source]))}&limit={n}&page=1"
    request = urllib.request.Request(
        url, headers={"X-API-KEY": sandbox.api_key, "X-USER-EMAIL": sandbox.user_email}
    )
    with urllib.request.urlopen(request) as response:
        profiles = json.load(response)["data"]
    return [(source, p["key"]) for p in profiles]


FIRST_CARD_PAINT = """() => new Promise(resolve => {
    new PerformanceObserver(list => {
        const entry = list.getEntries().find(e => e.identifier === 'first-card');
        if (entry) resolve(entry.renderTime || entry.loadTime);
    }).observe({type: 'element', buffered: true});
})"""
ARM_SWAP_TIMER = """() => new Promise(resolve => {
    window.__swapPainted = new Promise(done => document.body.addEventListener('htmx:afterSettle', e => {
        if (e.detail.target.id !== 'results') return;
        requestAnimationFrame(() => setTimeout(() => done(performance.now())));
    }, {once: true}));
    resolve(performance.now());
})"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="bench-paint-"))
    sandbox, data = start_sandbox(tmp)
    web = None
    try:
        web, base = start_dashboard(tmp, sandbox)
        people = candidates(sandbox, args.runs + 1)
        exe = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
        load_ms, swap_ms = [], []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=exe, headless=True, args=["--disable-dev-shm-usage"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(base + "/login/")
            page.fill("#id_username", "demo")
            page.fill("#id_password", "demo")
            page.click("button[type=submit]")
            page.wait_for_url(base + "/")
            for i, (source, profile) in enumerate(people[: args.runs]):
                page.goto(f"{base}/?source_key={source}&profile_key={profile}", wait_until="load")
                load_ms.append(page.evaluate(FIRST_CARD_PAINT))
                skill = page.locator(".job-card .skills li").first.inner_text().split("(")[0].strip()
                started = page.evaluate(ARM_SWAP_TIMER)
                page.locator("#id_skills-ts-control").fill(skill)
                page.keyboard.press("Enter")
                painted = page.evaluate("() => window.__swapPainted")
                swap_ms.append(painted - started)
                print(f"run {i + 1}: load→first card {load_ms[-1]:.0f} ms, swap {swap_ms[-1]:.0f} ms")
            print(f"Chromium {browser.version}, headless; data: {data}")
            browser.close()
        for name, values in (
            ("direct load → first card painted", load_ms),
            ("HTMX filter change → swap painted (incl. 300 ms debounce)", swap_ms),
        ):
            print(f"{name}: p50 {statistics.median(values):.0f} ms, max {max(values):.0f} ms")
    finally:
        if web is not None:
            web.terminate()
            web.wait(timeout=15)
        sandbox.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
