"""Upstream markup in a job with a real web URL, opened in the details panel in Chromium, stays
text: the "Source posting" link (shown only for http(s) URLs) names the job escaped. Plus the
production static wiring the browser sees: hashed files of the manifest, served by WhiteNoise.
"""

from __future__ import annotations

import html
import re
import uuid
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from scoring import selectors
from tests.fixtures.browser import login
from tests.fixtures.sandbox import own_board, settle

pytestmark = [pytest.mark.browser]

XSS = '<img src=x onerror="window.__xss = 1"><script>window.__xss = 2</script>'
SOURCE_URL = "https://example.com/jobs/xss-probe"


@pytest.fixture
def xss_search(dashboard: str, live_sandbox: Any, settings: Any) -> str:
    """A board of this test's own holding one job whose name is markup; the search page URL."""
    board = own_board(live_sandbox, "XSS probe board")
    settings.HRFLOW_BOARD_KEYS = [board]
    live_sandbox.index_job(
        {
            "board_key": board,
            "reference": f"xss-{uuid.uuid4().hex[:12]}",
            "name": XSS,
            "url": SOURCE_URL,
            "summary": "A posting whose name is markup.",
            "skills": [{"name": "Python", "type": "hard", "value": None}],
        }
    )
    settle(live_sandbox, board)
    candidate = selectors.profile_search(source_key=settings.HRFLOW_SOURCE_KEYS[0], name="", limit=1)[0]
    return f"{dashboard}/?source_key={candidate.source_key}&profile_key={candidate.key}"


def test_the_source_posting_link_names_the_job_as_text(page: Page, dashboard: str, xss_search: str) -> None:
    login(page, dashboard)
    page.goto(xss_search)
    cards = page.locator(".job-card")
    expect(cards).to_have_count(1)
    card = cards.first

    with page.expect_response(re.compile(r"/jobs/details/")) as details:
        card.locator("summary").click()
    link = card.get_by_role("link", name=re.compile("Source posting"))
    expect(link).to_be_visible()
    expect(link).to_have_attribute("href", SOURCE_URL)
    # The job's name is the link's (visually hidden) text, character for character.
    expect(link).to_contain_text(f"for {XSS} (opens in a new tab)")
    assert page.locator("#results img, #results script").count() == 0
    assert page.evaluate("() => window.__xss") is None

    # Server side: the fragment the panel loaded carries the name escaped, never as markup.
    fragment = details.value.text()
    assert "Source posting" in fragment
    assert html.escape(XSS, quote=True) in fragment
    assert "<img" not in fragment
    assert "<script" not in fragment


def test_static_files_are_the_collected_manifest_served_by_whitenoise(page: Page, dashboard: str) -> None:
    login(page, dashboard)
    expect(page.get_by_role("heading", name="Matching jobs")).to_be_visible()
    sheets = page.locator('link[rel="stylesheet"]').evaluate_all("els => els.map(e => e.href)")
    scripts = page.locator("script[src]").evaluate_all("els => els.map(e => e.src)")
    assets = [*sheets, *scripts]
    assert assets, "the page links its stylesheet and scripts"
    for url in assets:
        # Manifest storage: every name carries its content hash (css/app.3f2a….css).
        assert re.search(r"/static/.+\.[0-9a-f]{12}\.(css|js)$", url), url
        response = page.request.get(url, headers={"Accept-Encoding": "gzip"})
        assert response.status == 200, url
        # WhiteNoise's headers for hashed files (Django's dev handler sends neither).
        assert "immutable" in response.headers.get("cache-control", ""), (url, response.headers)
        assert response.headers.get("content-encoding") == "gzip", (url, response.headers)
