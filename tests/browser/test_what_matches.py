"""The "What matches" panel in Chromium: a known demo pair's card line and its Details panel
(issue 13 part 1), and an axe-core scan of the opened panel.

Expected values come from the sandbox's raw JSON, computed in tests/scoring/demo_pair.py.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.fixtures.browser import login, screenshot_path
from tests.scoring import demo_pair

pytestmark = [pytest.mark.browser]

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "tests" / "vendor" / "axe.min.js"


@pytest.fixture
def pair(dashboard: str, live_sandbox: Any) -> demo_pair.Expected:
    return demo_pair.expected(
        demo_pair.raw_job(live_sandbox), demo_pair.raw_profile(live_sandbox), now=dt.datetime.now(dt.UTC)
    )


def test_details_of_a_demo_pair_show_what_matches(
    page: Page, dashboard: str, pair: demo_pair.Expected, tmp_path: Path
) -> None:
    login(page, dashboard)
    page.goto(f"{dashboard}/?{demo_pair.search_query_string()}")
    card = page.locator(f'.job-card[data-job-key="{demo_pair.JOB_KEY}"]')
    expect(card).to_be_visible()
    expect(card.locator(".match-summary")).to_have_text(
        "What matches, computed by the dashboard: " + pair.summary
    )
    # Seen: the summary; heard and hovered: whose computation it is.
    expect(card.locator(".match-summary .visually-hidden")).to_have_text(
        "What matches, computed by the dashboard: "
    )
    expect(card.locator(".match-summary")).to_have_attribute(
        "title", re.compile("^Computed by this dashboard")
    )

    card.locator("summary").click()
    panel = card.locator(".details-body .what-matches")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("heading", name="What matches")).to_be_visible()
    expect(panel).to_contain_text(
        "Computed by this dashboard from the job and the profile; HrFlow's score is its own."
    )
    expect(panel.get_by_role("list", name="Skills in the profile").get_by_role("listitem")).to_have_text(
        pair.matched
    )
    expect(
        panel.get_by_role("list", name="Skills missing from the profile").get_by_role("listitem")
    ).to_have_text(pair.missing)
    expect(panel.locator(".what-matches-count")).to_have_text(f"{len(pair.matched)} of {pair.total} skills")
    expect(panel.locator(".what-matches-languages")).to_have_text(
        f"In the profile: {', '.join(pair.languages_spoken)}"
    )
    expect(panel.locator(".what-matches-distance")).to_have_text(
        f"{pair.km_text} from the search point, within the {demo_pair.RADIUS_KM} km radius"
    )
    expect(panel.locator(".what-matches-titles > li")).to_have_text(pair.titles)
    expect(panel.locator(".what-matches-salary")).to_contain_text(
        "overlaps your range ($100k\u2013$150k / year)"
    )
    # The panel leads the details; the job's own text follows it.
    expect(card.locator(".details-body > section").first).to_have_class("what-matches")

    page.evaluate(AXE.read_text(encoding="utf-8"))  # DevTools evaluation: not subject to the page's CSP
    result = page.evaluate(
        "() => axe.run({include: [['.job-card .what-matches'], ['.job-card .match-summary']]},"
        " {resultTypes: ['violations']})"
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
    assert violations == []

    # The README's picture of the panel (UPDATE_SCREENSHOT=1 writes it, as for docs/img/search.png).
    target = screenshot_path("what-matches.png", tmp_path)
    card.scroll_into_view_if_needed()
    card.screenshot(path=str(target))
    assert target.stat().st_size > 20_000
