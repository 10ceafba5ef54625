"""The skills typeahead in Chromium (issue 10): typing "py" suggests the demo's ESCO label
"Python (computer programming)" with the candidate's own matching skills first, and a skill
seen only in a job indexed into this test's own board becomes suggestible once a search has
shown that job (recorded after the response, scoring/vocabulary.py)."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from scoring import selectors, vocabulary
from tests.browser.test_search import logged_in as logged_in
from tests.browser.test_search import total
from tests.fixtures.sandbox import own_board, settle

pytestmark = [pytest.mark.browser]


@pytest.fixture(autouse=True)
def _flush_every_response(settings: Any) -> None:
    settings.VOCABULARY_FLUSH_SECONDS = 0  # what a page showed is suggestible on the next one


ESCO_PYTHON = "Python (computer programming)"


def suggestions(page: Page, typed: str) -> list[tuple[str, str]]:
    """(value, group header) of the skills dropdown's options once the answer for `typed` is in."""
    with page.expect_response(
        lambda r: "/vocabulary/" in r.url and f"q={quote(typed)}" in r.url, timeout=15_000
    ):
        page.locator("#id_skills-ts-control").fill(typed)
    page.wait_for_function("() => document.getElementById('id_skills').tomselect.loading === 0")
    found = page.locator(".field-skills .ts-dropdown .option").evaluate_all(
        """els => els.map(e => {
            const group = e.closest('.optgroup');
            const header = group && group.querySelector('.optgroup-header');
            return [e.dataset.value || '', header ? header.textContent : ''];
        })"""
    )
    return [(value, group) for value, group in found]


def a_candidate(settings: Any) -> Any:
    source = settings.HRFLOW_SOURCE_KEYS[0]
    for option in selectors.profile_search(source_key=source, name="", limit=50):
        candidate = selectors.profile_get(source_key=source, key=option.key)
        if candidate.skills:
            return candidate
    pytest.fail("no demo candidate has skills")


def test_typing_py_suggests_the_esco_label_and_the_candidates_own_skills_come_first(
    logged_in: Page, dashboard: str, settings: Any
) -> None:
    candidate = a_candidate(settings)
    page = logged_in
    page.goto(f"{dashboard}/?source_key={candidate.source_key}&profile_key={candidate.key}")
    # No demo profile has a skill with a word starting "py": the ESCO label comes from the list.
    assert ESCO_PYTHON in [value for value, _ in suggestions(page, "py")]
    # The candidate's own matching skills come first, before any other source's.
    typed = candidate.skills[0].split()[0][:3]
    own = [s for s in candidate.skills if vocabulary.matches(s, typed)]
    options = suggestions(page, typed)
    assert [v for v, _ in options[: len(own)]] == own[: len(options)]
    assert {group for _, group in options[: len(own)]} == {"The candidate's"}
    assert all(group != "The candidate's" for _, group in options[len(own) :])
    # Picking a suggestion adds it as a filter (values combine with AND, the field says so).
    expect(page.locator(".field-skills .help")).to_contain_text("every one")
    page.locator("#id_skills-ts-control").fill("py")
    page.locator(".field-skills .ts-dropdown .option", has_text=ESCO_PYTHON).first.click()
    expect(page.locator("#active-filters .chip-text", has_text=ESCO_PYTHON)).to_be_visible()


def test_a_skill_seen_only_in_an_indexed_job_becomes_suggestible(
    logged_in: Page, dashboard: str, settings: Any, live_sandbox: Any
) -> None:
    skill = f"Zygomorphic flux handling {os.getpid()}"
    board = own_board(live_sandbox, "Vocabulary board")
    live_sandbox.index_job(
        {
            "board_key": board,
            "reference": f"vocab-{os.getpid()}",
            "name": "Flux engineer",
            "summary": "Handles flux.",
            "skills": [{"name": skill, "type": "hard", "value": None}],
            "tags": [{"name": "company", "value": "Acme"}],
        }
    )
    settle(live_sandbox, board)
    source = settings.HRFLOW_SOURCE_KEYS[0]
    candidate = selectors.profile_search(source_key=source, name="", limit=1)[0]
    page = logged_in
    url = f"{dashboard}/?source_key={candidate.source_key}&profile_key={candidate.key}"
    page.goto(url)  # the demo boards only: the skill is in no result yet
    values = [v for v, _ in suggestions(page, "zygomorph")]
    assert skill not in values
    settings.HRFLOW_BOARD_KEYS = [board]
    page.goto(url)
    assert total(page) == 1
    expect(page.locator(".job-card .skills")).to_contain_text(skill)
    page.goto(url)  # a fresh page: Tom Select keeps no earlier answer
    options = suggestions(page, "zygomorph")
    assert (skill, "Seen in results") in options
