"""The active-filter bar (issue 10): one removable chip per active filter, "Clear all", and the
form, the URL, the count and the cards always in the same state after a chip's remove button, a relax
link of the empty state, or Back. Chromium against live_server + live_sandbox."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_search import candidate as candidate
from tests.browser.test_search import logged_in as logged_in
from tests.browser.test_search import params, total, wait_for_results
from tests.browser.test_search import search_url as search_url
from tests.browser.test_search import top_job as top_job

pytestmark = [pytest.mark.browser]


@pytest.fixture(autouse=True)
def _flush_every_response(settings: Any) -> None:
    settings.VOCABULARY_FLUSH_SECONDS = 0  # what a page showed is suggestible on the next one


NO_SUCH_SKILL = "zzqx no such skill"


def skill_items(page: Page) -> list[str]:
    return page.locator(".field-skills .ts-control .item").evaluate_all(
        "els => els.map(e => e.dataset.value)"
    )


def chips(page: Page) -> list[str]:
    return page.locator("#active-filters .chip .chip-text").all_inner_texts()


def add_skill(page: Page, skill: str) -> None:
    page.locator("#id_skills-ts-control").fill(skill)
    page.keyboard.press("Enter")
    wait_for_results(page, urlencode({"skills": skill}))


def test_the_relax_link_also_clears_the_form(logged_in: Page, search_url: str) -> None:
    page = logged_in
    page.goto(search_url)
    everything = total(page)
    add_skill(page, NO_SUCH_SKILL)
    expect(page.locator(".empty-state")).to_contain_text("No jobs match")
    page.get_by_role("link", name="Remove skills").click()
    wait_for_results(page, re.compile(r"^(?!.*skills=).*$"))
    assert total(page) == everything
    assert skill_items(page) == []
    # The next change must not bring the removed skill back.
    page.get_by_role("radio", name="Last 30 days").check()
    wait_for_results(page, "date_preset=30d")
    assert "skills" not in params(page)
    assert skill_items(page) == []


def test_a_chip_removes_its_filter_from_form_url_count_and_cards(
    logged_in: Page, search_url: str, top_job: Any
) -> None:
    page = logged_in
    page.goto(search_url)
    everything = total(page)
    expect(page.locator("#active-filters .chip")).to_have_count(0)
    skill = top_job.skills[0].name
    add_skill(page, skill)
    narrowed = total(page)
    assert 0 < narrowed < everything
    assert chips(page) == [skill]
    narrowed_keys = page.locator(".job-card").evaluate_all("els => els.map(e => e.dataset.jobKey)")

    page.get_by_role("link", name=f"Remove filter: {skill}").click()
    wait_for_results(page, re.compile(r"^(?!.*skills=).*$"))
    assert total(page) == everything
    assert skill_items(page) == []
    assert chips(page) == []

    # Back: the pushed URL with the skill, and the form, count, chip and cards that go with it.
    page.go_back()
    wait_for_results(page, urlencode({"skills": skill}))
    assert total(page) == narrowed
    assert skill_items(page) == [skill]
    assert chips(page) == [skill]
    keys = page.locator(".job-card").evaluate_all("els => els.map(e => e.dataset.jobKey)")
    assert keys == narrowed_keys


def test_location_and_date_chips_and_clear_all(logged_in: Page, search_url: str) -> None:
    page = logged_in
    page.goto(search_url)
    everything = total(page)
    page.goto(search_url + "&lat=41.85&lng=-87.65&location_distance=50&date_preset=7d&min_score=1")
    assert chips(page) == ["Within 50 km of Chicago, US", "Last 7 days", "Score ≥ 1%"]
    expect(page.get_by_label("Minimum score (%)")).to_have_value("1")
    page.get_by_role("link", name="Remove filter: Within 50 km of Chicago, US").click()
    wait_for_results(page, re.compile(r"^(?!.*lat=).*$"))
    expect(page.get_by_label("Latitude")).to_have_value("")
    expect(page.get_by_label("Radius (km)")).to_have_value("")
    assert chips(page) == ["Last 7 days", "Score ≥ 1%"]
    assert params(page)["score_threshold"] == ["0.01"]
    page.get_by_role("link", name="Clear all").click()
    wait_for_results(page, re.compile(r"^(?!.*(date_preset|score_threshold)=).*$"))
    expect(page.get_by_label("Any time")).to_be_checked()
    expect(page.get_by_label("Minimum score (%)")).to_have_value("")
    assert chips(page) == []
    assert total(page) == everything


def test_the_count_stays_in_view_when_scrolled(logged_in: Page, search_url: str) -> None:
    page = logged_in
    page.goto(search_url)
    page.locator(".job-card").last.scroll_into_view_if_needed()
    box = page.locator("#result-count").bounding_box()
    assert box is not None
    assert 0 <= box["y"] < (page.viewport_size or {"height": 720})["height"]
    expect(page.locator("#result-count")).to_be_in_viewport()


def test_a_tag_picked_from_the_picker_narrows_the_results(
    logged_in: Page, search_url: str, top_job: Any
) -> None:
    page = logged_in
    page.goto(search_url)  # this page's jobs' tags are recorded after the response
    everything = total(page)
    category = next(t.value_display for t in top_job.tags if t.name == "category")
    page.goto(search_url)
    page.get_by_label("Include: tag").select_option("category")
    page.locator("#pick-tags_in-value-ts-control").fill(category)
    option = page.locator(
        ".tag-picker .ts-dropdown .option", has_text=re.compile(rf"^{re.escape(category)} \(\d+ seen\)$")
    )
    option.first.click()
    wait_for_results(page, urlencode({"tags_in": f"category:{category}"}))
    after = total(page)
    assert 0 < after < everything
    for tags in page.locator(".job-card .tags").all_inner_texts():
        assert re.search(rf"^category:?\s+{re.escape(category)}$", tags, re.MULTILINE), tags
    assert chips(page) == [f"category: {category}"]
    # Nothing typed by hand: the chip in "Tags to include" reads as words.
    expect(page.locator(".field-tags_in .ts-control .item")).to_have_text(
        re.compile(rf"category: {re.escape(category)}")
    )


# --- the tag-value picker's late answers (issue 10's Escape races, in the tag pickers) ---------
# The picker lists a tag name's values when its box gets focus (search.js asks the vocabulary
# with an empty query). Each test holds one answer back (1.5 s) with page.route, so it arrives
# after the key that should have made it moot, every time.
HOLD_MS = 1500
TAG_VALUES = "#pick-tags_in-value-ts-control"
TAG_VALUES_LIST = ".tag-picker[data-target=tags_in] .ts-dropdown"


def hold_tag_values(page: Page, query: str) -> list[str]:
    """Hold back the first tag-values answer for `query`; the list names what was held."""
    held: list[str] = []
    wanted = urlencode({"q": query})

    def slow(route: Any) -> None:
        url = route.request.url
        if not held and "kind=tags" in url and re.search(rf"[?&]{re.escape(wanted)}(&|$)", url):
            held.append(url)
            page.wait_for_timeout(HOLD_MS)
        route.continue_()

    page.route("**/vocabulary/**", slow)
    return held


def open_tag_picker(page: Page, search_url: str) -> None:
    page.goto(search_url)  # this page's jobs' tags are recorded after the response
    page.goto(search_url)
    expect(page.locator(".job-card").first).to_be_visible()
    page.get_by_label("Include: tag").select_option("category")


def refocus_lists_the_values(page: Page) -> None:
    """Leaving the box and coming back lists the values again: a dropped answer must not leave
    the picker empty (Tom Select remembers the queries it loaded)."""
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    expect(page.locator(TAG_VALUES)).to_be_focused()
    expect(page.locator(TAG_VALUES_LIST).locator(".option").first).to_be_visible()
    expect(page.locator(TAG_VALUES_LIST).locator(".option").first).to_have_text(re.compile(r"\(\d+ seen\)$"))


def test_tag_values_arriving_after_an_escape_do_not_open_the_list(logged_in: Page, search_url: str) -> None:
    page = logged_in
    open_tag_picker(page, search_url)
    held = hold_tag_values(page, "")
    page.locator(TAG_VALUES).focus()
    page.wait_for_timeout(500)  # past Tom Select's load throttle: the request is out
    page.keyboard.press("Escape")  # not now: the list is not wanted
    page.wait_for_timeout(HOLD_MS + 1000)  # the held answer has arrived
    assert held, "the values were never asked for: the test did not test the race"
    expect(page.locator(TAG_VALUES_LIST)).to_be_hidden()
    refocus_lists_the_values(page)


def test_tag_values_arriving_after_a_tab_away_do_not_open_the_list(logged_in: Page, search_url: str) -> None:
    page = logged_in
    open_tag_picker(page, search_url)
    held = hold_tag_values(page, "")
    page.locator(TAG_VALUES).focus()
    page.wait_for_timeout(500)  # the request is out
    page.keyboard.press("Tab")
    page.wait_for_timeout(HOLD_MS + 1000)
    assert held, "the values were never asked for: the test did not test the race"
    expect(page.locator(TAG_VALUES_LIST)).to_be_hidden()
    page.keyboard.press("Shift+Tab")
    expect(page.locator(TAG_VALUES)).to_be_focused()
    expect(page.locator(TAG_VALUES_LIST).locator(".option").first).to_be_visible()


def test_tag_values_for_text_dropped_by_escape_do_not_reopen_the_list(
    logged_in: Page, search_url: str, top_job: Any
) -> None:
    page = logged_in
    typed = next(t.value_display for t in top_job.tags if t.name == "category")[:3]
    open_tag_picker(page, search_url)
    held = hold_tag_values(page, typed)
    page.locator(TAG_VALUES).focus()
    page.keyboard.type(typed)
    page.wait_for_timeout(800)  # past the refresh and load throttles: the request is out
    page.keyboard.press("Escape")  # keyboard.js drops the typed text
    expect(page.locator(TAG_VALUES)).to_have_value("")
    page.wait_for_timeout(HOLD_MS + 1000)
    assert held, "the values were never asked for: the test did not test the race"
    expect(page.locator(TAG_VALUES_LIST)).to_be_hidden()
    refocus_lists_the_values(page)


def test_all_values_arriving_after_typing_do_not_replace_the_filtered_ones(
    logged_in: Page, search_url: str, top_job: Any
) -> None:
    """The values asked for on focus (all of them) may arrive after those for the text typed
    since: they must not replace them (the picker shows what the server sent, unfiltered)."""
    page = logged_in
    category = next(t.value_display for t in top_job.tags if t.name == "category")
    open_tag_picker(page, search_url)
    wanted = page.evaluate(
        """async (typed) => {
          const url = new URL(document.getElementById('search-form').dataset.vocabularyUrl, location.href);
          url.search = new URLSearchParams({kind: 'tags', name: 'category', q: typed});
          return (await (await fetch(url)).json()).options.map((o) => o.text);
        }""",
        category,
    )
    assert wanted, "no value matches the typed text: the test would not see a wrong list"
    held = hold_tag_values(page, "")
    page.locator(TAG_VALUES).focus()
    page.wait_for_timeout(500)  # the request for all values is out
    page.keyboard.type(category)
    page.wait_for_timeout(HOLD_MS + 1000)  # both answers are in, the held one last
    assert held, "the values were never asked for: the test did not test the race"
    options = page.locator(TAG_VALUES_LIST).locator(".option")
    expect(options).to_have_text(wanted)


def test_a_failed_tag_values_request_shows_no_earlier_values(
    logged_in: Page, search_url: str, console_errors: list[str], top_job: Any
) -> None:
    """A request that fails gave Tom Select nothing, which kept the values listed before (all of
    them, on focus) as if they were the typed text's."""
    page = logged_in
    category = next(t.value_display for t in top_job.tags if t.name == "category")
    open_tag_picker(page, search_url)
    options = page.locator(TAG_VALUES_LIST).locator(".option")
    page.locator(TAG_VALUES).focus()
    expect(options.first).to_be_visible()  # all the values, asked for on focus
    aborted: list[str] = []
    wanted = urlencode({"q": category})

    def fail(route: Any) -> None:
        if "kind=tags" in route.request.url and wanted in route.request.url:
            aborted.append(route.request.url)
            route.abort()
            return
        route.continue_()

    page.route("**/vocabulary/**", fail)
    page.keyboard.type(category)
    page.wait_for_timeout(1000)  # past the refresh and load throttles: the request failed
    assert aborted, "the values were never asked for: the test did not test the failure"
    # The aborted request's own console line (Chromium logs every failed load), and only it.
    console_errors[:] = [e for e in console_errors if "Failed to load resource: net::ERR_FAILED" not in e]
    expect(options).to_have_count(0)
