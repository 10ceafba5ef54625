"""Saved searches end to end in the system Chromium, against live_server + live_sandbox.

Save a search from the search page, see it on /saved/, index new matching jobs into the
sandbox, "Refresh now", watch the status poll until the refresh finishes and "N new" appear,
open the search and see the "New" badges, go back and the count is gone.

The refresh runs the real task and service against the live sandbox; only the broker is
replaced. "Refresh now" queues onto a list here and the test plays the worker: it runs the
queued task (`Task.apply`, i.e. eagerly) in a thread, so the page really polls a queued, then
running, refresh. With CELERY_TASK_ALWAYS_EAGER the task would run inside the POST and there
would be nothing left to poll. The real-worker path is tests/integration/test_celery_refresh.py.
"""

from __future__ import annotations

import json
import os
import re
import threading
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connections
from playwright.sync_api import Page, expect

from saved_searches.models import SavedSearch
from saved_searches.tasks import refresh_saved_search
from scoring import selectors
from scoring.hrflow.query import JobQuery
from tests.fixtures.browser import DEMO_USERNAME, login, wait_for_htmx_settled
from tests.fixtures.sandbox import own_board, settle

pytestmark = [pytest.mark.browser]

NEW_JOBS = 2
POLL_TIMEOUT_MS = 30_000  # a few 2 s polls plus one upstream call


class Broker:
    """Stands in for the Celery broker: `delay()` calls are queued here for `work()`."""

    def __init__(self) -> None:
        self.queued: list[tuple[Any, ...]] = []
        self.outcomes: list[str] = []
        self._threads: list[threading.Thread] = []

    def delay(self, *args: Any) -> None:
        self.queued.append(args)

    def work(self) -> None:
        """Run the one queued refresh in a worker thread, as a Celery worker would."""
        assert len(self.queued) == 1, self.queued
        args = self.queued.pop()

        def run() -> None:
            try:
                self.outcomes.append(refresh_saved_search.apply(args=args, throw=True).get())
            finally:
                connections.close_all()

        thread = threading.Thread(target=run, name="fake-celery-worker", daemon=True)
        self._threads.append(thread)
        thread.start()

    def join(self) -> None:
        for thread in self._threads:
            thread.join(timeout=60)
            assert not thread.is_alive(), "the refresh did not finish"


@pytest.fixture
def broker(monkeypatch: pytest.MonkeyPatch) -> Iterator[Broker]:
    fake = Broker()
    monkeypatch.setattr(refresh_saved_search, "delay", fake.delay)
    yield fake
    fake.join()  # never leave a thread writing to the database the next test flushes


@pytest.fixture
def candidate(dashboard: str, settings: Any) -> Any:
    """A candidate with a title from the last demo source (the jobs this test indexes go to a
    board of its own: board_of_copies)."""
    options = selectors.profile_search(source_key=settings.HRFLOW_SOURCE_KEYS[-1], name="", limit=20)
    assert options, "the sandbox has no profiles"
    return next((o for o in reversed(options) if o.title), options[-1])


def sandbox_job(sandbox: Any, *, board_key: str, key: str) -> dict[str, Any]:
    """One job as the sandbox stores it (GET job/indexing)."""
    request = urllib.request.Request(  # the test's own 127.0.0.1 sandbox
        sandbox.url + "job/indexing?" + urlencode({"board_key": board_key, "key": key}),
        headers={"X-API-KEY": sandbox.api_key, "X-USER-EMAIL": sandbox.user_email},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        data: dict[str, Any] = json.load(response)["data"]
    return data


def index_matching_jobs(sandbox: Any, candidate: Any, settings: Any, n: int) -> list[str]:
    """Index n copies of the candidate's best match (new references): they score as high."""
    query = JobQuery(
        board_keys=tuple(settings.HRFLOW_BOARD_KEYS),
        source_key=candidate.source_key,
        profile_key=candidate.key,
        algorithm_key=settings.HRFLOW_ALGORITHM_KEYS[0],
        limit=10,
    )
    top = selectors.job_match_list(query=query).jobs[0]
    raw = sandbox_job(sandbox, board_key=top.board_key, key=top.key)
    keys = []
    for i in range(1, n + 1):
        job = {k: v for k, v in raw.items() if k not in ("key", "id", "board")}
        job["reference"] = f"browser-new-{uuid.uuid4().hex[:12]}"
        job["name"] = f"{raw['name']} (opening {i})"
        keys.append(sandbox.index_job(job)["key"])
    return keys


@pytest.fixture
def board_of_copies(live_sandbox: Any, candidate: Any, settings: Any) -> str:
    """A board of this test's own with copies of the candidate's best demo matches; the
    dashboard offers only it, so the jobs indexed below reach no other test's ranking."""
    board = own_board(live_sandbox, "Saved-search browser test")
    query = JobQuery(
        board_keys=tuple(settings.HRFLOW_BOARD_KEYS),
        source_key=candidate.source_key,
        profile_key=candidate.key,
        algorithm_key=settings.HRFLOW_ALGORITHM_KEYS[0],
        limit=8,
    )
    best = selectors.job_match_list(query=query).jobs
    assert best, "the candidate has demo matches to copy"
    for job in best:
        raw = sandbox_job(live_sandbox, board_key=job.board_key, key=job.key)
        copy = {k: v for k, v in raw.items() if k not in ("key", "id", "board")}
        live_sandbox.index_job({**copy, "board_key": board, "reference": f"copy-{uuid.uuid4().hex[:12]}"})
    settle(live_sandbox, board)
    settings.HRFLOW_BOARD_KEYS = [board]
    return board


def refresh_now(page: Page, broker: Broker, pk: int) -> None:
    """Click "Refresh now", see the status poll while queued, let the worker run it."""
    status = page.locator(f"#status-{pk}")
    with page.expect_request(re.compile(rf"/saved/{pk}/status/$")):  # a poll went out
        page.locator(f"#saved-{pk}").get_by_role("button", name="Refresh now").click()
        expect(status).to_contain_text("Queued")
        expect(status).to_have_attribute("hx-trigger", "every 2s")
    broker.work()


def test_save_refresh_see_new_jobs_open_and_the_count_clears(
    page: Page,
    dashboard: str,
    candidate: Any,
    board_of_copies: str,
    live_sandbox: Any,
    broker: Broker,
    settings: Any,
    tmp_path: Path,
) -> None:
    login(page, dashboard)
    page.goto(f"{dashboard}/?source_key={candidate.source_key}&profile_key={candidate.key}")
    expect(page.locator(".job-card").first).to_be_visible()

    # Save this search: the name is prefilled from the candidate and the filters, daily by default.
    save = page.locator("form.save-search")
    expect(save.get_by_label("Name")).to_have_value(f"{candidate.name} · all jobs")
    expect(save.get_by_label("Refresh")).to_have_value("daily")
    name = f"Browser test for {candidate.name}"
    save.get_by_label("Name").fill(name)
    # A double click sends one request (the button is disabled while it is in flight).
    posts: list[str] = []
    page.on(
        "request", lambda r: posts.append(r.url) if r.method == "POST" and "/saved/new" in r.url else None
    )
    save.get_by_role("button", name="Save this search").dblclick()
    saved_message = page.locator("#save-search-result")
    expect(saved_message).to_contain_text(f"Saved “{name}”.")
    assert len(posts) == 1, posts
    search = SavedSearch.objects.get(owner__username=DEMO_USERNAME)
    # The same search again (a reload): the page offers the saved one instead of a second Save.
    page.reload()
    expect(page.locator(".already-saved")).to_contain_text(f"You saved this search as “{name}”")
    expect(page.get_by_role("button", name="Save this search")).to_have_count(0)

    pk = search.pk

    # It is listed, never refreshed yet.
    page.locator("#nav-saved").click()
    expect(page.get_by_role("heading", name="Saved searches")).to_be_visible()
    row = page.locator(f"#saved-{pk}")
    expect(row.get_by_role("link", name=name)).to_be_visible()
    expect(row).to_contain_text(candidate.name)
    expect(row).to_contain_text("all jobs")
    expect(row.get_by_label("Refresh schedule")).to_have_value("daily")
    status = page.locator(f"#status-{pk}")
    expect(status).to_contain_text("Never refreshed")

    # The first refresh is the baseline: nothing is new yet.
    refresh_now(page, broker, pk)
    expect(status).to_contain_text("Up to date", timeout=POLL_TIMEOUT_MS)
    expect(status).not_to_have_attribute("hx-trigger", re.compile(".*"))  # polling stopped
    expect(page.locator(f"#new-{pk}")).to_have_text("")

    # New matching jobs arrive upstream, within the cache TTL of the search above: the refresh
    # must see them anyway (it skips the cached answer).
    new_keys = index_matching_jobs(live_sandbox, candidate, settings, NEW_JOBS)

    # Refresh now again, held in the middle so the poll shows it running, then released.
    hold = tmp_path / "refresh-hold"
    settings.SAVED_SEARCH_TEST_HOLD_FILE = str(hold)
    refresh_now(page, broker, pk)
    expect(status).to_contain_text("Refreshing", timeout=POLL_TIMEOUT_MS)
    hold.write_text("go\n")
    expect(status).to_contain_text("Up to date", timeout=POLL_TIMEOUT_MS)
    expect(status).not_to_have_attribute("hx-trigger", re.compile(".*"))
    expect(page.locator(f"#new-{pk}")).to_contain_text(f"{NEW_JOBS} new")
    # The top bar's count came with the same poll (out of band), without a reload.
    expect(page.locator("#nav-saved")).to_contain_text(f"{NEW_JOBS} new")
    broker.join()
    assert broker.outcomes == ["succeeded", "succeeded"]

    # Open it: the search page with its filters, and "New" on exactly the new jobs.
    row.get_by_role("link", name=name).click()
    expect(page).to_have_url(re.compile(rf"[?&]saved={pk}(&|$)"))
    expect(page.locator("#candidate-chosen")).to_contain_text(candidate.name)
    expect(page.locator(".saved-from")).to_contain_text(name)
    for key in new_keys:
        expect(page.locator(f'.job-card[data-job-key="{key}"] .badge-new')).to_contain_text("New")
    expect(page.locator(".job-card .badge-new")).to_have_count(NEW_JOBS)
    expect(page.get_by_role("button", name="Update saved search with these filters")).to_have_count(0)

    # Back on the list the count has cleared, in the row and in the navigation.
    page.locator("#nav-saved").click()
    expect(page.get_by_role("heading", name="Saved searches")).to_be_visible()
    expect(page.locator(f"#new-{pk}")).to_have_text("")
    expect(page.locator("#nav-saved")).to_have_text("Saved searches")

    # Back, a reload, and opening it again: the badges stay for this browser session.
    page.go_back()
    expect(page.locator(".job-card .badge-new")).to_have_count(NEW_JOBS)
    page.reload()
    expect(page.locator(".job-card .badge-new")).to_have_count(NEW_JOBS)
    page.locator("#nav-saved").click()
    page.locator(f"#saved-{pk}").get_by_role("link", name=name).click()
    expect(page.locator(".job-card").first).to_be_visible()
    expect(page.locator(".job-card .badge-new")).to_have_count(NEW_JOBS)

    # Changed filters offer to update the saved search; once updated, the page agrees.
    page.get_by_label("Per page").select_option("50")
    update = page.get_by_role("button", name="Update saved search with these filters")
    expect(update).to_be_visible()
    wait_for_htmx_settled(page)  # the swapped-in button is wired at settle
    expect(page).to_have_url(re.compile(rf"limit=50.*[?&]saved={pk}|saved={pk}.*limit=50"))
    update.click()
    expect(page.locator("#save-search-result")).to_contain_text("Updated the filters")
    expect(page.locator(".saved-from")).to_contain_text(name)
    expect(page.locator(".saved-from")).not_to_contain_text("differ")
    expect(update).to_have_count(0)
    assert "limit=50" in SavedSearch.objects.get(pk=pk).query_string

    # Another browser session (a new login): the visit is over, no badges.
    other = page.context.browser.new_context().new_page()  # type: ignore[union-attr]
    try:
        login(other, dashboard)
        other.goto(f"{dashboard}/saved/{pk}/")
        expect(other.locator(".job-card").first).to_be_visible()
        expect(other.locator(".job-card .badge-new")).to_have_count(0)
    finally:
        other.context.close()


@pytest.mark.parametrize(
    "size",
    [
        {"width": 390, "height": 844},
        {"width": 720, "height": 450},  # a 1440x900 laptop at 200 % zoom
    ],
    ids=["phone-390", "zoom-200"],
)
def test_saved_searches_stack_as_cards_on_a_phone(
    page: Page, dashboard: str, candidate: Any, settings: Any, size: dict[str, int]
) -> None:
    from django.contrib.auth import get_user_model

    from saved_searches.services import crud

    owner = get_user_model().objects.get(username=DEMO_USERNAME)
    query = JobQuery(
        board_keys=tuple(settings.HRFLOW_BOARD_KEYS),
        source_key=candidate.source_key,
        profile_key=candidate.key,
        algorithm_key=settings.HRFLOW_ALGORITHM_KEYS[0],
        lat=41.85,
        lng=-87.65,
        location_distance=50,
        sort_by="created_at",
    )
    crud.saved_search_create(
        owner=owner,
        name="A long saved search name for a recruiter's phone",
        query_string=query.to_query_string(),
        candidate_name=candidate.name,
        filters_summary="within 50 km of Chicago, US · newest first",
    )
    login(page, dashboard)
    page.set_viewport_size(size)
    page.goto(f"{dashboard}/saved/")
    expect(page.get_by_role("heading", name="Saved searches")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= size["width"], width
    row = page.locator("table.saved-searches tr[id^=saved-]").first
    assert row.evaluate("r => getComputedStyle(r).display") == "block"
    expect(row).to_contain_text("Chicago, US")
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=f"{folder}/saved-{size['width']}.png", full_page=False)
