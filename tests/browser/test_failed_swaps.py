"""Issue 8 fault 4 in Chromium: a results request that fails must not leave stale results.

A proxy's 500/502/504 or a dropped connection used to leave the old cards, the old count and
the new checkbox state with no message. Now the error panel (with Retry) replaces the results,
the count says the search failed, the export/save controls of the old results go, and the URL
matches the form, so Retry or a reload runs what the form shows. page.route makes exactly one
kind of request fail: the HTMX results request for the changed filter.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.test_search import candidate as candidate  # the shared fixtures
from tests.browser.test_search import logged_in as logged_in
from tests.browser.test_search import search_url as search_url
from tests.browser.test_search import wait_for_results

pytestmark = [pytest.mark.browser]
# What Chromium and htmx log for a failed request: expected here, and only here.
EXPECTED_ERRORS = re.compile(
    r"status of 50[024]|net::ERR_FAILED|Response Status Error"
    r"|htmx:(responseError|sendError|afterRequest|error)"
)


def fail_results_requests(page: Page, failure: str) -> None:
    def handle(route: Route) -> None:
        request = route.request
        if request.headers.get("hx-request") != "true" or "date_preset=30d" not in request.url:
            route.continue_()
        elif failure == "network":
            route.abort("failed")
        else:
            route.fulfill(status=int(failure), content_type="text/html", body="<h1>Bad gateway</h1>")

    page.route(re.compile(r"/\?"), handle)


@pytest.mark.parametrize("failure", ["500", "502", "504", "network"])
def test_a_failed_results_request_shows_the_error_panel_and_retry_recovers(
    logged_in: Page, search_url: str, candidate: Any, console_errors: list[str], failure: str
) -> None:
    try:
        check_failed_swap(logged_in, search_url, candidate, failure)
    finally:
        console_errors[:] = [e for e in console_errors if not EXPECTED_ERRORS.search(e)]


def check_failed_swap(page: Page, search_url: str, candidate: Any, failure: str) -> None:
    page.goto(search_url)
    expect(page.locator(".job-card").first).to_be_visible()
    expect(page.locator("#export-link")).to_be_visible()
    fail_results_requests(page, failure)

    page.get_by_role("radio", name="Last 30 days").check()
    alert = page.locator("#results [role=alert]")
    expect(alert).to_contain_text("could not")
    expect(page.locator("#results .job-card")).to_have_count(0)  # no stale cards
    expect(page.locator("#result-count")).to_have_text("Search failed.")
    expect(page.locator("#export-link")).to_have_count(0)  # the old results' export is gone
    expect(page.locator("#save-slot form")).to_have_count(0)
    expect(page.get_by_role("radio", name="Last 30 days")).to_be_checked()
    # The URL says what the form says: a reload or Retry runs the search shown as failed.
    expect(page).to_have_url(re.compile(r"date_preset=30d"))
    assert parse_qs(urlsplit(page.url).query)["profile_key"] == [candidate.key]
    expect(page.locator("#results")).not_to_have_attribute("aria-busy", "true")

    page.unroute(re.compile(r"/\?"))
    alert.get_by_role("link", name="Retry").click()
    wait_for_results(page, "date_preset=30d")
    expect(page.locator("#results [role=alert]")).to_have_count(0)
    assert "Search failed" not in page.locator("#result-count").inner_text()
    expect(page.get_by_role("radio", name="Last 30 days")).to_be_checked()
    page.reload()
    expect(page.get_by_role("radio", name="Last 30 days")).to_be_checked()
