"""Rough edges of the search page found while using it for a day (issue 10), in Chromium against
live_server + live_sandbox: each test was committed first as a strict xfail, then the fix."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_search import candidate as candidate
from tests.browser.test_search import logged_in as logged_in
from tests.browser.test_search import params, wait_for_results
from tests.browser.test_search import search_url as search_url
from tests.browser.test_vocabulary import suggestions

pytestmark = [pytest.mark.browser]


def covered(page: Page, selector: str) -> list[str]:
    """The elements drawn over `selector`'s first element, at its corners and centre."""
    return page.evaluate(
        """(selector) => {
            const el = document.querySelector(selector);
            const r = el.getBoundingClientRect();
            const points = [
                [r.left + 2, r.top + 2], [r.right - 2, r.bottom - 2],
                [(r.left + r.right) / 2, (r.top + r.bottom) / 2],
            ];
            return points.map(([x, y]) => document.elementFromPoint(x, y))
                .filter((hit) => hit && !el.contains(hit))
                .map((hit) => hit.className || hit.tagName);
        }""",
        selector,
    )


def test_the_skills_dropdown_leaves_the_fields_help_readable(logged_in: Page, search_url: str) -> None:
    page = logged_in
    page.goto(search_url)
    assert suggestions(page, "py"), "the skills box suggests something for 'py'"
    expect(page.locator(".field-skills .ts-dropdown .option").first).to_be_visible()
    help_text = page.locator(".field-skills .help")
    expect(help_text).to_contain_text("every one")
    help_text.scroll_into_view_if_needed()
    assert covered(page, ".field-skills .help") == []
    expect(page.locator(".field-skills .ts-dropdown .option").first).to_be_visible()  # still open


def test_after_pager_swaps_a_filter_change_starts_at_page_one(logged_in: Page, search_url: str) -> None:
    """The form holds no page field (the pager's swaps could leave it stale): a changed filter
    asks for page 1 of the new results, whichever page was loaded and then paged to."""
    page = logged_in
    page.goto(search_url + "&page=3")  # a reloaded (or bookmarked) page 3
    page.locator("nav.pager a.next").click()
    wait_for_results(page, "page=4")
    expect(page.locator("nav.pager a[aria-current=page]")).to_have_text("4")
    with page.expect_request(lambda r: "date_preset=30d" in r.url) as sent:
        page.get_by_role("radio", name="Last 30 days").check()
    wait_for_results(page, "date_preset=30d")
    assert "page" not in parse_qs(urlsplit(sent.value.url).query)
    assert "page" not in params(page)
    expect(page.locator("nav.pager a[aria-current=page]")).to_have_text("1")
