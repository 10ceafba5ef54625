"""Shortlist and hide per candidate in the system Chromium (issue 12 part 2), against
live_server + live_sandbox.

A board of this test's own holds copies of the candidate's best demo matches (archiving one
rebuilds the sandbox's index, and hidden or archived jobs must reach no other test's ranking).
Star a card (the star stays on reload and the candidate's panel counts it), hide one (the page
still shows `limit` cards, the count drops and says "1 hidden", the export leaves it out),
"Show hidden (1)" brings it back, "Show again" restores it; the shortlist page with a note and a
stage, reordering from the keyboard, the CSV, and a job archived upstream marked "No longer
listed". Screenshots go to SCREENSHOT_DIR when it is set.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from scoring import selectors
from scoring.hrflow.client import get_client
from scoring.hrflow.query import JobQuery
from shortlists.models import ShortlistEntry
from tests.browser.test_cards import shot
from tests.browser.test_saved_searches import sandbox_job
from tests.browser.test_search import a_candidate
from tests.fixtures.browser import DEMO_USERNAME, login, wait_for_htmx_settled
from tests.fixtures.sandbox import own_board, settle

pytestmark = [pytest.mark.browser]

COPIES = 14
LIMIT = 10  # the smallest page size: two pages, so hiding a job on page 1 pulls one up from page 2


@pytest.fixture
def candidate(dashboard: str, settings: Any) -> Any:
    return a_candidate(settings.HRFLOW_SOURCE_KEYS[0])


@pytest.fixture
def board(live_sandbox: Any, candidate: Any, settings: Any) -> str:
    board = own_board(live_sandbox, "Shortlist browser test")
    query = JobQuery(
        board_keys=tuple(settings.HRFLOW_BOARD_KEYS),
        source_key=candidate.source_key,
        profile_key=candidate.key,
        algorithm_key=settings.HRFLOW_ALGORITHM_KEYS[0],
        limit=COPIES,
    )
    for job in selectors.job_match_list(query=query).jobs:
        raw = sandbox_job(live_sandbox, board_key=job.board_key, key=job.key)
        copy = {k: v for k, v in raw.items() if k not in ("key", "id", "board")}
        live_sandbox.index_job({**copy, "board_key": board, "reference": f"short-{uuid.uuid4().hex[:12]}"})
    settle(live_sandbox, board)
    settings.HRFLOW_BOARD_KEYS = [board]
    return board


@pytest.fixture
def search_url(dashboard: str, candidate: Any, board: str) -> str:
    return f"{dashboard}/?source_key={candidate.source_key}&profile_key={candidate.key}&limit={LIMIT}"


def card_keys(page: Page) -> list[str]:
    return [k for k in page.locator("li.job-card").evaluate_all("els => els.map(e => e.dataset.jobKey)")]


def test_star_hide_show_hidden_and_export(
    page: Page, dashboard: str, search_url: str, candidate: Any
) -> None:
    login(page, dashboard)
    page.goto(search_url)
    expect(page.locator("li.job-card")).to_have_count(LIMIT)
    expect(page.locator("#result-count")).to_contain_text(f"{COPIES} jobs match")
    before = card_keys(page)
    panel_link = page.locator("#shortlist-link")
    expect(panel_link).to_contain_text("Shortlist (0)")

    # Star the first card with the mouse: the button says so, the panel counts it.
    first = page.locator(f'li.job-card[data-job-key="{before[0]}"]')
    first.get_by_role("button", name=re.compile("☆ Shortlist")).click()
    star = first.get_by_role("button", name=re.compile("★ Shortlisted"))
    expect(star).to_have_attribute("aria-pressed", "true")
    expect(panel_link).to_contain_text("Shortlist (1)")
    entry = ShortlistEntry.objects.get(owner__username=DEMO_USERNAME, job_key=before[0])
    assert entry.profile_key == candidate.key
    assert entry.title

    # Hide the second card: it is replaced by a note at once.
    second = page.locator(f'li.job-card[data-job-key="{before[1]}"]')
    second.get_by_role("button", name=re.compile("Hide for this candidate")).click()
    expect(second).to_contain_text("Hidden for this candidate")
    # The count says so at once, before any reload (the answer's out-of-band note).
    expect(page.locator("#result-count")).to_contain_text("1 hidden")
    expect(page.locator("#result-count").get_by_role("link", name="Show hidden (1)")).to_have_attribute(
        "href", re.compile("show_hidden=1")
    )
    shot(page, "shortlist-star-and-hide")

    # Reload: the star is still there, the hidden job is gone, the page is still LIMIT long (one
    # job came up from page 2), and the count says what was left out.
    page.reload()
    expect(page.locator("li.job-card")).to_have_count(LIMIT)
    after = card_keys(page)
    assert before[1] not in after
    assert after[: LIMIT - 1] == [before[0], *before[2:]]
    expect(page.locator(f'li.job-card[data-job-key="{before[0]}"] .star-button')).to_have_attribute(
        "aria-pressed", "true"
    )
    count = page.locator("#result-count")
    expect(count).to_contain_text(f"{COPIES - 1} jobs match")
    expect(count).to_contain_text("1 hidden")

    # The export leaves the hidden job out too.
    export = page.request.get(dashboard + (page.locator("#export-link").get_attribute("href") or ""))
    rows = list(csv.DictReader(io.StringIO(export.text())))
    assert before[1] not in {r["job_key"] for r in rows}
    assert len(rows) == COPIES - 1

    # Show hidden (1) brings it back with its badge; "Show again" restores it for good.
    count.get_by_role("link", name="Show hidden (1)").click()
    hidden_card = page.locator(f'li.job-card[data-job-key="{before[1]}"]')
    expect(hidden_card.locator(".badge-hidden")).to_have_text("Hidden")
    expect(page).to_have_url(re.compile("show_hidden=1"))
    shot(page, "shortlist-show-hidden")
    hidden_card.get_by_role("button", name=re.compile("Show again for this candidate")).click()
    expect(hidden_card.locator(".badge-hidden")).to_have_count(0)
    expect(page.locator("#result-count")).not_to_contain_text("hidden")  # in place too
    page.goto(search_url)
    expect(page.locator(f'li.job-card[data-job-key="{before[1]}"]')).to_be_visible()
    expect(page.locator("#result-count")).not_to_contain_text("hidden")


def test_shortlist_page_notes_stages_keyboard_reorder_csv_and_no_longer_listed(
    page: Page, dashboard: str, search_url: str, board: str, candidate: Any, live_sandbox: Any
) -> None:
    login(page, dashboard)
    page.goto(search_url)
    expect(page.locator("li.job-card")).to_have_count(LIMIT)
    keys = card_keys(page)[:3]
    for key in keys:  # star three, from the keyboard this time
        button = page.locator(f'li.job-card[data-job-key="{key}"] .star-button')
        button.focus()
        page.keyboard.press("Enter")
        expect(button).to_have_attribute("aria-pressed", "true")
    titles = [ShortlistEntry.objects.get(job_key=k).title for k in keys]

    # The candidate's panel leads to their shortlist.
    page.locator("#shortlist-link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Shortlist: {candidate.name}")
    entries = page.locator("li.shortlist-entry")
    expect(entries).to_have_count(3)

    # A note and a stage on the second job, saved in place.
    second = page.locator(f'li.shortlist-entry[data-job-key="{keys[1]}"]')
    second.get_by_label("Note").fill("Strong fit; send on Monday")
    second.get_by_label("Stage").select_option(label="Sent to candidate")
    second.get_by_role("button", name=re.compile("^Save")).click()
    expect(second.locator(".saved-note")).to_contain_text("Saved: Sent to candidate.")

    # Reorder from the keyboard: the third job "Move to top", then the (now second) first job
    # "Move down"; focus stays on the moved job's button, so Enter again moves it again.
    third_top = page.locator(f'li.shortlist-entry[data-job-key="{keys[2]}"]').get_by_role(
        "button", name=re.compile("^Move to top")
    )
    third_top.focus()
    page.keyboard.press("Enter")
    expect(entries.first).to_have_attribute("data-job-key", keys[2])
    wait_for_htmx_settled(page)  # else Enter on the new list's button may beat htmx to it
    down = page.locator(f'li.shortlist-entry[data-job-key="{keys[0]}"]').get_by_role(
        "button", name=re.compile("^Move down")
    )
    down.focus()
    page.keyboard.press("Enter")
    expect(entries.nth(2)).to_have_attribute("data-job-key", keys[0])
    wait_for_htmx_settled(page)
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.textContent.startsWith('Move')"
    )
    order = [keys[2], keys[1], keys[0]]
    assert [e.job_key for e in ShortlistEntry.objects.order_by("position")] == order

    # The job first starred is archived upstream: reloading marks it "No longer listed", with
    # the title it had.
    get_client().archive_job(board_key=board, key=keys[0])
    settle(live_sandbox, board)  # archiving rebuilds every sandbox worker's index
    cache.clear()  # the listing answer is cached for HRFLOW_CACHE_TTL
    page.reload()
    archived = page.locator(f'li.shortlist-entry[data-job-key="{keys[0]}"]')
    expect(archived.locator(".badge-unlisted")).to_have_text("No longer listed")
    expect(archived).to_contain_text(titles[0])
    expect(page.locator(".badge-unlisted")).to_have_count(1)
    expect(second.get_by_label("Note")).to_have_value("Strong fit; send on Monday")
    shot(page, "shortlist-page")

    # The CSV: the order, the note and stage, the listing state.
    export = page.request.get(dashboard + (page.locator("#shortlist-export").get_attribute("href") or ""))
    rows = list(csv.DictReader(io.StringIO(export.text())))
    assert [r["job_key"] for r in rows] == order
    assert rows[1]["note"] == "Strong fit; send on Monday"
    assert rows[1]["stage"] == "Sent to candidate"
    assert rows[2]["listed"] == "no longer listed"
    assert rows[0]["listed"] == "yes"

    # A 390-px phone and 200 % zoom (720x450): nothing wider than the window.
    for name, size in (("phone", {"width": 390, "height": 844}), ("zoom200", {"width": 720, "height": 450})):
        page.set_viewport_size(size)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name
        shot(page, f"shortlist-page-{name}")
    page.set_viewport_size({"width": 1280, "height": 800})

    # Starred everywhere: the search page still shows the two listed jobs starred.
    page.goto(search_url)
    for key in keys[1:]:
        expect(page.locator(f'li.job-card[data-job-key="{key}"] .star-button')).to_have_attribute(
            "aria-pressed", "true"
        )
    expect(page.locator(f'li.job-card[data-job-key="{keys[0]}"]')).to_have_count(0)  # archived: not scored
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.locator(".card-actions").first.scroll_into_view_if_needed()
    shot(page, "shortlist-cards-phone")


def test_without_javascript_star_and_hide_are_plain_forms(
    browser: Any, dashboard: str, search_url: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        login(page, dashboard)
        page.goto(search_url)
        keys = card_keys(page)
        page.locator(f'li.job-card[data-job-key="{keys[0]}"]').get_by_role(
            "button", name=re.compile("☆ Shortlist")
        ).click()
        expect(page.locator(f'li.job-card[data-job-key="{keys[0]}"] .star-button')).to_have_attribute(
            "aria-pressed", "true"
        )
        page.locator(f'li.job-card[data-job-key="{keys[1]}"]').get_by_role(
            "button", name=re.compile("Hide for this candidate")
        ).click()
        expect(page.locator(".messages")).to_contain_text("Hidden for this candidate")
        expect(page.locator(f'li.job-card[data-job-key="{keys[1]}"]')).to_have_count(0)
        expect(page.locator("li.job-card")).to_have_count(LIMIT)
    finally:
        context.close()
