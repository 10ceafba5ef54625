"""The search page on a phone, at 200 % zoom and without JavaScript (issue 10), in Chromium
against live_server + live_sandbox.

* 390 px and 720x450 (a 1440x900 laptop at 200 % zoom): after picking a candidate the first card
  is in view without scrolling past the filters, which wait in a drawer; no horizontal scroll.
* The drawer is a modal dialog: "Filters (N)" opens it, focus moves in, nothing behind it takes
  focus, Escape closes it (after Tom Select's own Escape), focus returns to the button, and N
  follows the active filters with every swap.
* axe-core finds no serious or critical issue on the whole page with results at 1440, 390 and
  720x450 (and with the drawer open).
* JavaScript off: a chip field is a comma-separated text box, and two skills typed in it give
  the same jobs as the search with both skills.

Screenshots of each state go to SCREENSHOT_DIR when it is set (for looking at them).
"""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from scoring import selectors
from scoring.hrflow.query import JobQuery
from tests.browser.test_search import AXE, total, wait_for_results
from tests.browser.test_search import candidate as candidate
from tests.browser.test_search import logged_in as logged_in
from tests.browser.test_search import search_url as search_url
from tests.browser.test_search import top_job as top_job
from tests.browser.test_vocabulary import suggestions
from tests.fixtures.browser import DEFAULT_TIMEOUT_MS, login

pytestmark = [pytest.mark.browser]

PHONE = {"width": 390, "height": 844}
ZOOM_200 = {"width": 720, "height": 450}  # 1440x900 at 200 %
DESKTOP = {"width": 1440, "height": 900}
SIZES = {"phone-390": PHONE, "zoom-200": ZOOM_200, "desktop-1440": DESKTOP}


def shot(page: Page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"phone-{name}.png"), full_page=False)


def horizontal_overflow(page: Page) -> int:
    """How many CSS px the page is wider than the window (0: no horizontal scroll)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def serious_axe_issues(page: Page) -> list[str]:
    page.evaluate(AXE.read_text(encoding="utf-8"))  # DevTools evaluation: not subject to the page's CSP
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def focus_outside_drawer(page: Page) -> bool:
    """True when the focused element is on the page behind the drawer (body itself is nowhere)."""
    return bool(
        page.evaluate(
            """() => {
                const el = document.activeElement;
                return Boolean(el && el !== document.body && !el.closest('#filters-drawer'));
            }"""
        )
    )


@pytest.mark.parametrize("size", [PHONE, ZOOM_200], ids=["phone-390", "zoom-200"])
def test_after_picking_a_candidate_the_first_card_is_in_view(
    logged_in: Page, candidate: Any, size: dict[str, int]
) -> None:
    page = logged_in
    page.set_viewport_size(size)
    page.reload()
    expect(page.get_by_role("button", name="Filters (0)")).to_be_visible()
    expect(page.locator("fieldset.location")).to_be_hidden()  # waiting in the drawer
    page.get_by_label("Find by name").fill(candidate.name[:4])
    page.locator("#candidate-options a.candidate-option", has_text=candidate.name).first.click()
    wait_for_results(page, f"profile_key={candidate.key}")
    first = page.locator(".job-card").first
    expect(first.locator(".job-title")).to_be_in_viewport(ratio=1)
    expect(first.locator(".score-pct")).to_be_in_viewport(ratio=1)
    # The picker folded to the chosen name; "Change candidate" brings the search back.
    expect(page.get_by_label("Find by name")).to_be_hidden()
    expect(page.locator("#candidate-chosen")).to_contain_text(candidate.name)
    assert horizontal_overflow(page) == 0
    shot(page, f"first-card-{size['width']}")
    page.get_by_role("button", name="Change candidate").click()
    expect(page.get_by_label("Find by name")).to_be_focused()
    assert horizontal_overflow(page) == 0


def test_the_filters_drawer_is_a_modal_dialog(logged_in: Page, search_url: str, top_job: Any) -> None:
    page = logged_in
    page.set_viewport_size(PHONE)
    page.goto(search_url)
    everything = total(page)
    toggle = page.get_by_role("button", name="Filters (0)")
    toggle.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Filters")
    expect(dialog).to_be_visible()
    expect(dialog).to_have_attribute("aria-modal", "true")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#filters-drawer-title")).to_be_focused()
    # The map was laid out while hidden (no size): its outlines are drawn over its whole box now.
    expect(page.locator("#map svg path").first).to_be_visible()
    box, drawn = page.locator("#map").bounding_box(), page.locator("#map svg").first.bounding_box()
    assert box is not None
    assert drawn is not None
    assert box["width"] > 300
    assert drawn["width"] >= box["width"]
    assert horizontal_overflow(page) == 0
    shot(page, "drawer-open")

    # Nothing behind the dialog takes focus: not by Tab, not by Shift+Tab, not by script.
    outside = []
    for key in ["Tab"] * 80 + ["Shift+Tab"] * 80:
        page.keyboard.press(key)
        if focus_outside_drawer(page):
            outside.append(page.evaluate("document.activeElement.outerHTML.slice(0, 80)"))
    assert outside == []
    assert page.evaluate("() => { const s = document.querySelector('.job-card summary'); s.focus();"
                         " return document.activeElement === s; }") is False  # fmt: skip

    # A filter set in the drawer: the count in its footer and N on the button follow the swap.
    skill = top_job.skills[0].name
    page.locator("#id_skills-ts-control").fill(skill)
    page.keyboard.press("Enter")
    wait_for_results(page, "skills=")
    narrowed = total(page)
    assert 0 < narrowed < everything
    expect(page.locator("#filters-count")).to_have_text("1")
    expect(page.locator("#drawer-count")).to_have_text(page.locator("#result-count").inner_text())

    # Escape first closes Tom Select's own dropdown, and only then the drawer.
    assert suggestions(page, skill[:3])  # the suggestions are in: the dropdown stays as it is
    expect(page.locator(".field-skills .ts-dropdown")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(".field-skills .ts-dropdown")).to_be_hidden()
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    toggle = page.get_by_role("button", name="Filters (1)")
    expect(toggle).to_be_focused()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#filters-drawer")).not_to_have_attribute("role", "dialog")
    assert page.evaluate("() => document.querySelectorAll('[inert]').length") == 0
    expect(page.locator(".job-card").first).to_be_in_viewport()

    # Removing the chip from the sticky bar updates N too.
    page.get_by_role("link", name=f"Remove filter: {skill}").click()
    wait_for_results(page, re.compile(r"^(?!.*skills=).*$"))
    expect(page.get_by_role("button", name="Filters (0)")).to_be_visible()
    assert total(page) == everything

    # "Show jobs" at the foot of the drawer runs the search and shows its results.
    page.get_by_role("button", name="Filters (0)").click()
    expect(dialog).to_be_visible()
    page.get_by_role("radio", name="Last 30 days").check()
    wait_for_results(page, "date_preset=30d")
    page.get_by_role("button", name="Show jobs").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name="Filters (1)")).to_be_focused()


def test_the_drawer_gives_way_to_the_filter_column_on_a_wide_screen(logged_in: Page, search_url: str) -> None:
    page = logged_in
    page.set_viewport_size(PHONE)
    page.goto(search_url)
    page.get_by_role("button", name="Filters (0)").click()
    expect(page.get_by_role("dialog", name="Filters")).to_be_visible()
    page.set_viewport_size(DESKTOP)
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.locator("fieldset.location")).to_be_visible()
    expect(page.get_by_role("button", name="Filters (0)")).to_be_hidden()
    assert page.evaluate("() => document.querySelectorAll('[inert]').length") == 0
    expect(page.get_by_label("Find by name")).to_be_visible()  # no folding beside the results


@pytest.mark.parametrize("size", list(SIZES.values()), ids=list(SIZES))
def test_axe_finds_no_serious_issue_on_the_page_with_results(
    logged_in: Page, search_url: str, top_job: Any, size: dict[str, int]
) -> None:
    page = logged_in
    page.set_viewport_size(size)
    # Results with chips in the bar, a pager and an opened card.
    page.goto(f"{search_url}&skills={top_job.skills[0].name}&date_preset=30d&limit=10")
    expect(page.locator(".job-card").first).to_be_visible()
    page.locator(".job-card details").first.locator("summary").click()
    expect(page.locator(".job-card .details-body .job-text").first).to_be_visible()
    assert serious_axe_issues(page) == []
    assert horizontal_overflow(page) == 0
    if size["width"] <= 900:
        page.get_by_role("button", name=re.compile(r"^Filters \(\d+\)$")).click()
        expect(page.get_by_role("dialog", name="Filters")).to_be_visible()
        assert serious_axe_issues(page) == []


def two_skills_that_narrow(candidate: Any, settings: Any) -> tuple[str, str, Any]:
    """Two skills of the candidate's best jobs that together keep fewer jobs than either alone
    (and some), with the page the search with both gives, read through the page's selector."""

    def search(*skills: str) -> Any:
        query = JobQuery(
            board_keys=tuple(settings.HRFLOW_BOARD_KEYS),
            source_key=candidate.source_key,
            profile_key=candidate.key,
            algorithm_key=settings.HRFLOW_ALGORITHM_KEYS[0],
            skills=skills,
        )
        return selectors.job_match_list(query=query)

    best = search().jobs[0]
    names = [s.name for s in best.skills if "," not in s.name and '"' not in s.name][:6]
    alone = {name: search(name).total for name in names}
    for a, b in itertools.combinations(names, 2):
        both = search(a, b)
        if 0 < both.total < min(alone[a], alone[b]):
            return a, b, both
    raise AssertionError(f"no two of {names} narrow each other")


def test_without_javascript_two_skills_typed_with_a_comma_give_the_right_jobs(
    browser: Browser, dashboard: str, candidate: Any, settings: Any
) -> None:
    first, second, expected = two_skills_that_narrow(candidate, settings)
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(DEFAULT_TIMEOUT_MS)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        login(page, dashboard)
        # The candidate picked the no-JavaScript way (Find, then the name on the picker's page):
        # the search page opens at its results, not at the top of the filter column above them.
        page.get_by_label("Find by name").fill(candidate.name)
        page.get_by_role("button", name="Find candidate").click()
        page.locator("a.candidate-option", has_text=candidate.name).first.click()
        expect(page).to_have_url(re.compile(rf"profile_key={candidate.key}#results-heading$"))
        expect(page.locator(".job-card").first).to_be_in_viewport()
        assert total(page) > expected.total
        # Without JavaScript there is no drawer: the filters are on the page, a link away.
        expect(page.get_by_role("button", name=re.compile("^Filters"))).to_be_hidden()
        page.get_by_role("link", name="Filters", exact=True).click()
        expect(page.locator("#candidate-panel")).to_be_in_viewport()  # the top of the filter column
        box = page.get_by_label("Skills (separate several with commas)")
        expect(box).to_be_visible()
        box.fill(f"{first}, {second}")
        page.get_by_role("button", name="Show jobs").click()
        expect(page.locator("#result-count")).to_have_text(re.compile(rf"^{expected.total} jobs? match"))
        expect(page.locator(".job-card").first).to_be_in_viewport()  # back at the results, not the form
        shown = page.locator(".job-card").evaluate_all("els => els.map(e => e.dataset.jobKey)")
        assert shown == [job.key for job in expected.jobs]
        # The box keeps both skills, and the bar has one chip for each.
        expect(page.get_by_label("Skills (separate several with commas)")).to_have_value(f"{first}, {second}")
        assert page.locator("#active-filters .chip .chip-text").all_inner_texts() == [first, second]
        shot(page, "nojs-two-skills")
    finally:
        context.close()
    assert errors == []


def test_phone_screenshot(logged_in: Page, search_url: str, tmp_path: Path) -> None:
    """The README's phone screenshot; UPDATE_SCREENSHOT=1 writes docs/img/search-phone.png."""
    page = logged_in
    page.set_viewport_size(PHONE)
    # The desktop screenshot's search (around New York, 100 km), as a phone shows it.
    page.goto(f"{search_url}&lat=40.7128&lng=-74.006&location_distance=100")
    expect(page.locator(".job-card").nth(2)).to_be_visible()
    assert horizontal_overflow(page) == 0
    repo = Path(__file__).resolve().parents[2]
    target = (
        repo / "docs" / "img" / "search-phone.png"
        if os.environ.get("UPDATE_SCREENSHOT") == "1"
        else tmp_path / "phone.png"
    )
    page.screenshot(path=str(target), full_page=False)
    assert target.stat().st_size > 20_000
