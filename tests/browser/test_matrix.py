"""The candidate matrix in Chromium (issue 13 part 3): three known demo candidates with one
candidate's scoring failing (`responses`: a 500 for her, the rest passed through to the
sandbox), a cell opening that candidate's search, Back, adding a candidate with the picker and
the keyboard, an axe-core scan, and the README's picture of the matrix."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.compare import demo_trio
from tests.compare.demo_trio import DOUGLAS, GRACE, MARCUS, NAMES, NICHOLE, TRIO
from tests.fixtures.browser import login, wait_for_htmx_settled

pytestmark = [pytest.mark.browser]

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "tests" / "vendor" / "axe.min.js"


@pytest.fixture
def grace_failing(live_sandbox: Any) -> Iterator[None]:
    with demo_trio.failing_scoring_for(live_sandbox, GRACE):
        yield


def axe_violations(page: Page) -> list[str]:
    page.evaluate(AXE.read_text(encoding="utf-8"))  # DevTools evaluation: not subject to the CSP
    result = page.evaluate("() => axe.run({include: [['main']]}, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def test_matrix_with_one_candidate_failing(
    page: Page, dashboard: str, live_sandbox: Any, grace_failing: None
) -> None:
    login(page, dashboard)
    page.goto(f"{dashboard}/compare/?{demo_trio.matrix_query_string()}")
    table = page.locator("table.matrix")
    expect(table).to_be_visible()
    expect(table.locator("thead th.candidate-col > a")).to_have_text(NAMES)
    # Her column says why it is empty; the page itself is no error page.
    expect(table.locator("th.candidate-col.failed")).to_contain_text("Grace Parker")
    expect(table.locator("th.candidate-col.failed .column-error")).to_contain_text("Not scored")
    expect(page.locator(".column-failed")).to_have_text(re.compile("^Grace Parker: not scored."))
    union = set(demo_trio.raw_top_scores(live_sandbox, MARCUS)) | set(
        demo_trio.raw_top_scores(live_sandbox, NICHOLE)
    )
    expect(table.locator("tbody tr")).to_have_count(len(union))
    expect(table.locator("tbody td.failed")).to_have_count(len(union))
    expect(table.locator("tbody td.failed a")).to_have_count(0)
    # Rows by best score: the "Best" column never rises going down.
    best = [int(t.rstrip(" %")) for t in table.locator("tbody td.best").all_inner_texts()]
    assert best == sorted(best, reverse=True), table.locator("tbody tr").all_inner_texts()[:12]
    assert axe_violations(page) == []


def test_a_cell_opens_the_candidates_search_and_back_returns(page: Page, dashboard: str) -> None:
    login(page, dashboard)
    matrix_url = f"{dashboard}/compare/?{demo_trio.matrix_query_string(TRIO, text_keywords='sales')}"
    page.goto(matrix_url)
    first_nichole_cell = page.locator("table.matrix tbody tr td:nth-child(5) a.cell").first
    expect(first_nichole_cell).to_be_visible()
    job_key = first_nichole_cell.locator("xpath=ancestor::tr").get_attribute("data-job-key")
    first_nichole_cell.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(
        re.compile(rf"profile_key={NICHOLE.profile_key}.*text_keywords=sales.*#job-{job_key}$")
    )
    expect(page.locator(f'.job-card[data-job-key="{job_key}"]')).to_be_visible()
    expect(page.locator("#candidate-chosen")).to_contain_text("Nichole Cox")
    page.go_back()
    expect(page).to_have_url(matrix_url)
    expect(page.locator("table.matrix thead th.candidate-col > a")).to_have_text(NAMES)


def test_adding_a_candidate_with_the_keyboard_pushes_the_url(page: Page, dashboard: str) -> None:
    login(page, dashboard)
    start = f"{dashboard}/compare/?{demo_trio.matrix_query_string(TRIO)}"
    page.goto(start)
    page.get_by_label("Add from source").select_option(DOUGLAS.source_key)
    page.get_by_label("Find by name").fill("warren")
    option = page.locator("#pick-options a.candidate-option", has_text="Douglas Warren")
    expect(option).to_be_visible()
    wait_for_htmx_settled(page)  # the swapped-in option is wired at settle
    option.focus()
    page.keyboard.press("Enter")
    headers = page.locator("table.matrix thead th.candidate-col > a")
    expect(headers).to_have_text([*NAMES, "Douglas Warren"])
    expect(page).to_have_url(re.compile(rf"candidate={DOUGLAS.source_key}%3A{DOUGLAS.profile_key}$"))
    expect(page.locator("#matrix-heading")).to_be_focused()  # where the change is
    page.go_back()
    expect(page).to_have_url(start)
    expect(headers).to_have_text(NAMES)
    page.go_forward()
    expect(headers).to_have_text([*NAMES, "Douglas Warren"])


def test_matrix_screenshot(page: Page, dashboard: str, tmp_path: Path) -> None:
    """The README's picture (UPDATE_SCREENSHOT=1 writes docs/img/matrix.png); the phone and
    200 % zoom pictures go to the test's tmp dir, to look at."""
    login(page, dashboard)
    page.set_viewport_size({"width": 1440, "height": 900})
    query = demo_trio.matrix_query_string(TRIO, lat="40.7128", lng="-74.006", location_distance="100")
    page.goto(f"{dashboard}/compare/?{query}")
    expect(page.locator("table.matrix tbody tr").first).to_be_visible()
    assert axe_violations(page) == []
    target = (
        REPO / "docs" / "img" / "matrix.png"
        if os.environ.get("UPDATE_SCREENSHOT") == "1"
        else tmp_path / "matrix.png"
    )
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(target))
    assert target.stat().st_size > 20_000
    for name, (width, height) in (("phone", (390, 844)), ("zoom200", (720, 450))):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(tmp_path / f"matrix-{name}.png"), full_page=False)
        # The table scrolls inside its region; the page itself never scrolls sideways.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    print("screenshots in", tmp_path)
