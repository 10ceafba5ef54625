"""Hostile job payloads in every job field, rendered in real Chromium: no script runs, no CSP
violation, no console error, the markup shows as text.

The jobs are indexed through a live sandbox's real `POST job/indexing` into a board of this
test's own (with a hostile name too). The sandbox is a private one (a real gunicorn over a small
synthetic snapshot): a new board makes the engine rebuild its model, which must not change the
scores other tests read from the shared session sandbox. The dashboard sees only that board.
"""

from __future__ import annotations

import datetime as dt
import secrets
import sqlite3
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_search import a_candidate
from tests.fixtures.browser import login
from tests.fixtures.sandbox import start_private_sandbox

pytestmark = [pytest.mark.browser]
PAYLOADS = [
    "<script>window.__xss=1</script>",
    '"><img src=x onerror="window.__xss=2">',
    "'><svg/onload=window.__xss=3>",
    "</textarea></title></style><script>window.__xss=4</script>",
    '{{ 7|add:7 }}{% now "Y" %}<b onmouseover="window.__xss=5">x</b>',
    "javascript:window.__xss=6",
    '<a href="javascript:window.__xss=7">x</a><iframe srcdoc="<script>parent.__xss=8</script>">',
]
# Runs before any page script (CDP, not an inline script: the page's CSP does not apply to it).
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__violations.push(e.violatedDirective + " " + e.blockedURI));
"""
NO_LIVE_MARKUP = """() => {
  const all = [...document.querySelectorAll("*")];
  return {
    handlers: all.filter((el) => [...el.attributes].some((a) => a.name.startsWith("on"))).length,
    jsLinks: document.querySelectorAll("a[href^='javascript:' i]").length,
    frames: document.querySelectorAll("iframe, object, embed").length,
    resultScripts: document.querySelectorAll("#results script, #results img").length,
    xss: window.__xss === undefined ? null : window.__xss,
    violations: window.__violations,
  };
}"""


def hostile_job(board_key: str, i: int, payload: str) -> dict[str, Any]:
    return {
        "board_key": board_key,
        "reference": f"hostile-{i}-{payload}"[:200],
        "name": payload,
        "url": payload,
        "picture": payload,
        **{f: payload for f in ("summary", "culture", "benefits", "responsibilities", "requirements")},
        "interviews": payload,
        "location": {"text": payload, "lat": 40.7, "lng": -74.0, "fields": {"city": payload}},
        "sections": [{"name": payload, "title": payload, "description": payload}],
        "skills": [{"name": payload, "type": "hard", "value": payload}],
        **{f: [{"name": payload, "value": payload}] for f in ("languages", "certifications", "courses")},
        **{f: [{"name": payload, "value": payload}] for f in ("tasks", "interests", "metadatas")},
        "tags": [{"name": "company", "value": payload}, {"name": payload, "value": payload}],
        "ranges_float": [{"name": "salary", "value_min": 1000, "value_max": 2000, "unit": payload}],
        "ranges_date": [{"name": payload, "value_min": "2026-01-01T00:00:00+0000"}],
    }


@pytest.fixture(scope="module")
def private_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    server: Any = start_private_sandbox(tmp_path_factory.mktemp("hostile-sandbox"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def hostile_board(private_sandbox: Any, dashboard: str, settings: Any) -> str:
    """A board of the test's own (the sandbox has no board-creating API: a row in its database),
    holding one job per payload, indexed through the real API."""
    key = secrets.token_hex(20)
    with sqlite3.connect(urlsplit(private_sandbox.database_url).path, timeout=30) as db:
        db.execute(
            "INSERT INTO sandbox_board (key, name, created_at) VALUES (?, ?, ?)",
            (key, PAYLOADS[1], dt.datetime.now(dt.UTC).isoformat()),
        )
    for i, payload in enumerate(PAYLOADS):
        private_sandbox.index_job(hostile_job(key, i, payload))
    settings.HRFLOW_API_URL = private_sandbox.url
    settings.HRFLOW_API_KEY = private_sandbox.api_key
    settings.HRFLOW_USER_EMAIL = private_sandbox.user_email
    settings.HRFLOW_BOARD_KEYS = [key]
    return key


def check(page: Page, console: list[str]) -> None:
    state = page.evaluate(NO_LIVE_MARKUP)
    assert state == {
        "handlers": 0, "jsLinks": 0, "frames": 0, "resultScripts": 0, "xss": None, "violations": [],
    }, state  # fmt: skip
    assert console == [], console


def test_hostile_jobs_render_as_text_and_run_nothing(
    page: Page, dashboard: str, hostile_board: str, settings: Any
) -> None:
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: console.append(str(exc)))
    page.add_init_script(WATCH)
    login(page, dashboard)
    candidate = a_candidate(settings.HRFLOW_SOURCE_KEYS[0])
    search = f"{dashboard}/?source_key={candidate.source_key}&profile_key={candidate.key}"
    page.goto(search)
    cards = page.locator(".job-card")
    expect(cards).to_have_count(len(PAYLOADS))
    shown = sorted(cards.locator(".job-title").all_inner_texts())
    assert shown == sorted(PAYLOADS)  # the markup as text, every character of it
    check(page, console)

    for i in range(len(PAYLOADS)):  # every card's details, loaded by htmx
        card = cards.nth(i)
        card.locator("summary").click()
        expect(card.locator(".details-body")).not_to_have_attribute("aria-busy", "true")
        expect(card.locator(".details-body .text").first).to_be_visible()
    check(page, console)

    for key in cards.evaluate_all("els => els.map(e => e.dataset.jobKey)"):  # the page without htmx
        page.goto(f"{search}&job_key={key}".replace("/?", "/jobs/details/?"))
        expect(page.locator("body")).to_contain_text("Summary")
        check(page, console)
    page.goto(search)  # and once more after the detail pages (cards from the cache)
    expect(cards).to_have_count(len(PAYLOADS))
    check(page, console)
