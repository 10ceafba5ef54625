"""Issue 8 fault 5 in Chromium: a session that expires under an open search page.

The recruiter changes a filter after the session is gone: the whole tab goes to the login page
(never the login page inside #results), and logging in lands back on the search.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_search import candidate as candidate  # the shared fixtures
from tests.browser.test_search import logged_in as logged_in
from tests.browser.test_search import search_url as search_url
from tests.browser.test_search import wait_for_results
from tests.fixtures.browser import DEMO_PASSWORD, DEMO_USERNAME

pytestmark = [pytest.mark.browser]


def test_expired_session_goes_to_login_and_back_to_the_search(
    logged_in: Page, search_url: str, candidate: Any
) -> None:
    page = logged_in
    page.goto(search_url)
    expect(page.locator(".job-card").first).to_be_visible()
    page.context.clear_cookies(name="sessionid")

    page.get_by_role("radio", name="Last 30 days").check()  # a filter change: an HTMX results request
    expect(page).to_have_url(re.compile(r"/login/\?next="))
    expect(page.get_by_role("heading", name="Log in")).to_have_count(1)  # the page, not a page in a page
    assert page.locator("#results").count() == 0
    next_url = parse_qs(urlsplit(page.url).query)["next"][0]
    assert urlsplit(next_url).path == "/"
    assert f"profile_key={candidate.key}" in next_url

    page.get_by_label("Username").fill(DEMO_USERNAME)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    wait_for_results(page, f"profile_key={candidate.key}")
    assert urlsplit(page.url).path == "/"
    expect(page.locator(".job-card").first).to_be_visible()
