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
