"""Keyboard use of the search page (issue 10, static/js/keyboard.js), in the system Chromium
against live_server + live_sandbox, driven with the keyboard only (Tab, arrows, Enter, Escape,
letters): the candidate and city pickers as ARIA combo boxes (and the plain form without
JavaScript), the shortcuts and their "?" overlay (axe-clean at 1440 px, 390 px and 200% zoom),
and a keyboard-only save-a-search from the login to the list. Visible focus, chip boxes and
idrefs: tests/browser/test_focus.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.test_focus import tab_to
from tests.browser.test_search import AXE, params, wait_for_results
from tests.browser.test_search import candidate as candidate
from tests.browser.test_search import logged_in as logged_in
from tests.browser.test_search import search_url as search_url
from tests.fixtures.browser import DEMO_PASSWORD, DEMO_USERNAME, login

pytestmark = [pytest.mark.browser]

# --- helpers ----------------------------------------------------------------------------------


def active(page: Page) -> dict[str, str]:
    """What has focus: id, tag, class and a little text (for messages)."""
    return page.evaluate(
        """() => { const el = document.activeElement;
          const text = el.innerText || el.value || el.getAttribute('aria-label') || '';
          return {id: el.id, tag: el.tagName.toLowerCase(), cls: String(el.className),
                  text: text.trim().slice(0, 40)}; }"""
    )


def same_page_marker(page: Page) -> None:
    page.evaluate("window.__same_page = true")


def still_same_page(page: Page) -> bool:
    return page.evaluate("window.__same_page === true")


def active_option_text(page: Page, box: str) -> str:
    return page.evaluate(
        f"""() => {{ const id = document.querySelector('{box}').getAttribute('aria-activedescendant');
          const el = id && document.getElementById(id);
          return el && el.getAttribute('aria-selected') === 'true' ? el.innerText.trim() : ''; }}"""
    )


def serious_axe_violations(page: Page) -> list[str]:
    page.evaluate(AXE.read_text(encoding="utf-8"))  # DevTools evaluation: not subject to the page's CSP
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


# --- 1. the candidate and city pickers --------------------------------------------------------


def test_the_candidate_picker_is_a_combobox_and_focus_goes_to_the_results(
    logged_in: Page, candidate: Any
) -> None:
    page = logged_in
    same_page_marker(page)
    page.keyboard.press("/")
    box = page.locator("#candidate-name")
    expect(box).to_be_focused()
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-expanded", "false")
    prefix = candidate.name[:1]
    page.keyboard.type(prefix)
    listbox = page.get_by_role("listbox", name="Matching candidates")
    options = listbox.get_by_role("option")
    expect(options.first).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    names = [n.strip() for n in options.all_inner_texts()]
    assert len(names) >= 3, names  # one letter matches many demo candidates

    # Enter with no option chosen stays on the page (the box belongs to a GET form of its own);
    # the browser's "search" event asks for the list again.
    with page.expect_response(re.compile(r"/candidates/\?")):
        page.keyboard.press("Enter")
    expect(options.first).to_be_visible()
    assert still_same_page(page)
    assert urlsplit(page.url).path == "/", page.url

    # The arrows enter and move through the list; focus stays in the box (aria-activedescendant).
    page.keyboard.press("ArrowDown")
    assert active_option_text(page, "#candidate-name").startswith(names[0])
    page.keyboard.press("ArrowDown")
    assert active_option_text(page, "#candidate-name").startswith(names[1])
    page.keyboard.press("ArrowUp")
    assert active_option_text(page, "#candidate-name").startswith(names[0])
    page.keyboard.press("ArrowUp")  # from the first: the last
    assert active_option_text(page, "#candidate-name").startswith(names[-1])
    page.keyboard.press("Home")
    assert active_option_text(page, "#candidate-name").startswith(names[0])
    page.keyboard.press("End")
    assert active_option_text(page, "#candidate-name").startswith(names[-1])
    expect(box).to_be_focused()
    assert page.locator("#candidate-options [aria-selected=true]").count() == 1

    # Escape closes the list and keeps the text; ArrowDown opens it again.
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value(prefix)
    assert box.get_attribute("aria-activedescendant") is None
    page.keyboard.press("ArrowDown")
    expect(listbox).to_be_visible()
    assert active_option_text(page, "#candidate-name").startswith(names[0])

    # Enter picks: the search runs for that candidate, and focus is on the results heading.
    page.keyboard.press("End")
    chosen = page.locator("#candidate-options [aria-selected=true]")
    chosen_key, chosen_name = chosen.get_attribute("data-profile-key"), chosen.get_attribute("data-name")
    assert chosen_name
    assert names[-1].startswith(chosen_name), (chosen_name, names)
    page.keyboard.press("Enter")
    wait_for_results(page, f"profile_key={chosen_key}")
    expect(page.locator("#results-heading")).to_be_focused()
    expect(page.locator("#candidate-chosen .candidate-name")).to_have_text(chosen_name)
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.locator(".job-card").first).to_be_visible()
    assert still_same_page(page)


def test_the_city_picker_is_a_combobox(logged_in: Page, search_url: str) -> None:
    page = logged_in
    page.goto(search_url)
    same_page_marker(page)
    tab_to(page, "el.id === 'city-search'")
    box = page.locator("#city-search")
    expect(box).to_have_attribute("role", "combobox")
    page.keyboard.type("Chicag")
    listbox = page.get_by_role("listbox", name="Matching cities")
    expect(listbox.get_by_role("option", name=re.compile("^Chicago")).first).to_be_visible()
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_value("Chicag")  # a search box would clear itself on Escape
    with page.expect_response(re.compile(r"/cities/\?")):
        page.keyboard.press("Enter")  # no option chosen: the list again, nothing leaves the page
    assert still_same_page(page)
    assert "lat" not in params(page)
    page.keyboard.press("Control+a")
    page.keyboard.type("Seattl")
    expect(listbox.get_by_role("option", name=re.compile("^Seattle")).first).to_be_visible()
    page.keyboard.press("ArrowDown")
    assert active_option_text(page, "#city-search").startswith("Seattle")
    page.keyboard.press("Enter")
    wait_for_results(page, "lat=47.6")
    expect(page.locator("#id_lng")).to_have_value(re.compile(r"^-122\.3"))
    expect(box).to_be_focused()
    expect(box).to_have_attribute("aria-expanded", "false")
    assert still_same_page(page)


def test_without_javascript_find_by_name_is_a_plain_form(
    browser: Browser, dashboard: str, candidate: Any
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        login(page, dashboard)
        page.get_by_label("Find by name").fill(candidate.name)
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"/candidates/\?"))
        page.get_by_role("link", name=re.compile(re.escape(candidate.name))).first.click()
        expect(page).to_have_url(re.compile(f"profile_key={candidate.key}"))
        expect(page.locator(".job-card").first).to_be_visible()
        # No combobox roles without the script that makes them true.
        assert page.locator("[role=combobox]").count() == 0
    finally:
        context.close()


# --- 2. shortcuts -----------------------------------------------------------------------------


def focused_card_index(page: Page) -> int:
    return page.evaluate(
        """() => [...document.querySelectorAll('#results .job-card')]
                   .indexOf(document.activeElement.closest('.job-card'))"""
    )


def test_j_k_o_slash_and_the_question_mark_overlay(logged_in: Page, search_url: str, tmp_path: Path) -> None:
    page = logged_in
    page.goto(search_url + "&limit=10")
    expect(page.locator(".job-card").nth(2)).to_be_visible()
    page.keyboard.press("j")
    assert focused_card_index(page) == 0
    assert active(page)["tag"] == "article"
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert focused_card_index(page) == 2
    page.keyboard.press("k")
    assert focused_card_index(page) == 1
    page.screenshot(path=str(tmp_path / "card-focused.png"))  # to look at: the ring around the card
    # Not with a modifier (Shift+j is "J"; Alt and Ctrl combinations belong to the browser).
    for chord in ("Alt+j", "Shift+J"):
        page.keyboard.press(chord)
        assert focused_card_index(page) == 1, chord
    # o opens the focused card's details (their text loads) and puts focus on its summary.
    page.keyboard.press("o")
    card = page.locator(".job-card").nth(1)
    expect(card.locator("details.job-details")).to_have_attribute("open", "")
    expect(card.locator("summary")).to_be_focused()
    expect(card.locator(".details-body .job-text").first).to_be_visible()
    page.keyboard.press("j")  # from inside a card: the next one
    assert focused_card_index(page) == 2

    # "?" opens the overlay: a modal dialog with the list; Escape closes it and focus returns.
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    for key in ("j", "k", "o", "/", "?"):
        expect(dialog.locator("kbd", has_text=re.compile(f"^{re.escape(key)}$"))).to_have_count(1)
    close = dialog.get_by_role("button", name="Close")
    expect(close).to_be_focused()
    page.keyboard.press("j")  # shortcuts are off while the dialog is open
    expect(close).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert focused_card_index(page) == 2
    assert active(page)["tag"] == "article"
    # The "Keyboard shortcuts" button opens it too, and gets focus back.
    tab_to(page, "el.classList.contains('shortcuts-button')")
    page.keyboard.press("Enter")
    expect(close).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(page.locator(".shortcuts-button")).to_be_focused()

    # "/" goes to the candidate box without typing itself; letters typed there stay letters.
    page.keyboard.press("/")
    box = page.locator("#candidate-name")
    expect(box).to_be_focused()
    expect(box).to_have_value("")
    page.keyboard.type("jko?")
    expect(box).to_have_value("jko?")
    expect(box).to_be_focused()
    expect(dialog).to_be_hidden()
    # In a chip box of the filters, too.
    tab_to(page, "el.id === 'id_text_keywords-ts-control'")
    page.keyboard.type("jo/?")
    expect(page.locator("#id_text_keywords-ts-control")).to_have_value("jo/?")
    expect(page.locator("#id_text_keywords-ts-control")).to_be_focused()
    expect(dialog).to_be_hidden()


def test_open_picker_and_overlay_pass_axe_at_desktop_phone_and_200_percent_zoom(
    logged_in: Page, search_url: str, tmp_path: Path
) -> None:
    page = logged_in
    for width, height in ((1440, 900), (390, 844), (720, 450)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(search_url)
        expect(page.locator(".job-card").first).to_be_visible()
        page.keyboard.press("/")
        page.keyboard.type("a")
        expect(page.get_by_role("listbox", name="Matching candidates")).to_be_visible()
        page.keyboard.press("ArrowDown")
        page.screenshot(path=str(tmp_path / f"picker-{width}.png"))
        assert serious_axe_violations(page) == [], width
        page.keyboard.press("Escape")
        if width > 900:
            tab_to(page, "el.classList.contains('shortcuts-button')")
        else:  # narrow: the button waits in the closed filters drawer; "?" works from the page
            page.locator("#results-heading").focus()
        page.keyboard.press("?")
        dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
        expect(dialog).to_be_visible()
        box = dialog.bounding_box()
        assert box is not None
        assert box["x"] >= 0, (width, box)
        assert box["x"] + box["width"] <= width, (width, box)
        page.screenshot(path=str(tmp_path / f"shortcuts-{width}.png"))
        assert serious_axe_violations(page) == [], width
        page.keyboard.press("Escape")


# --- 3. keyboard-only save-a-search -----------------------------------------------------------


def test_keyboard_only_save_a_search_from_login_to_the_list(
    page: Page, dashboard: str, candidate: Any
) -> None:
    page.goto(dashboard + "/")  # the address bar: the login page, then back here
    expect(page.get_by_label("Username")).to_be_focused()  # autofocus
    page.keyboard.type(DEMO_USERNAME)
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Matching jobs")).to_be_visible()
    page.wait_for_load_state("load")  # the deferred scripts (keyboard.js) run before "load"

    page.keyboard.press("/")
    page.keyboard.type(candidate.name)
    option = page.get_by_role("option", name=re.compile(re.escape(candidate.name))).first
    expect(option).to_be_visible(timeout=15_000)  # a loaded machine took 8 s to answer once
    for _ in range(10):
        page.keyboard.press("ArrowDown")
        if active_option_text(page, "#candidate-name").startswith(candidate.name):
            break
    page.keyboard.press("Enter")
    wait_for_results(page, f"profile_key={candidate.key}")
    expect(page.locator("#results-heading")).to_be_focused()

    tab_to(page, "el.id === 'save-name'")
    name = f"Keyboard only, {candidate.name}"
    page.keyboard.press("Control+a")
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    expect(page.locator("#save-schedule")).to_be_focused()
    tab_to(page, "el.closest('form.save-search') && el.type === 'submit'")  # past the e-mail choice
    expect(page.get_by_role("button", name="Save this search")).to_be_focused()
    page.keyboard.press("Enter")
    result = page.locator("#save-search-result")
    expect(result).to_contain_text(f"Saved “{name}”.")

    tab_to(page, "el.closest('#save-search-result') && el.textContent.trim() === 'Saved searches'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Saved searches")).to_be_visible()
    expect(page.get_by_role("link", name=name)).to_be_visible()
