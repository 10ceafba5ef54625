"""Issue 7 in a real browser: tag chips grouped by name with mixed OR-groups as one chip, an old
link converted with a notice, and a job whose text lives only in sections.

Set FIDELITY_SCREENSHOTS=<dir> to also write the screenshots looked at during review (1440 px and
390 px wide, of the tag chips and of the opened details).
"""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_search import a_candidate, wait_for_results
from tests.fixtures.browser import login

pytestmark = [pytest.mark.browser]

RECORDED = Path(__file__).resolve().parents[1] / "fixtures" / "hrflow_recorded"
REQUEST_BODY = RECORDED / "job_indexing_request_body.json"
WIDTHS = {"desktop": 1440, "phone": 390}


def shoot(page: Page, name: str, target: Any = None) -> None:
    folder = os.environ.get("FIDELITY_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        (target or page.locator("body")).scroll_into_view_if_needed()
        (target or page).screenshot(path=str(Path(folder) / f"{name}-{label}.png"))
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})


@pytest.fixture
def probe_job(dashboard: str, live_sandbox: Any, settings: Any) -> str:
    """HrFlow's own example job (the recorded request body), with its text only in sections,
    indexed into the live sandbox under a probe tag; returns the probe value."""
    probe = f"sections-probe-{os.getpid()}"
    job = copy.deepcopy(json.loads(REQUEST_BODY.read_text()))
    job.update(
        board_key=settings.HRFLOW_BOARD_KEYS[0],
        reference=probe,
        summary=None,
        responsibilities=None,
        requirements=None,
        sections=[
            {"name": "mission", "title": "The mission", "description": "Design the data platform.\nRun it."},
            {"name": "profile", "title": "Searched profile", "description": "Bac+5 <b>or</b> equivalent"},
        ],
        # A date-range name of its own: the session's sandbox is shared with the sandbox's
        # filter tests, which query the recorded body's `interview_dates`.
        ranges_date=[{"name": f"{probe}-dates", "value_min": "2023-05-18T21:59", "value_max": None}],
        tags=[{"name": "company", "value": "Google"}, {"name": "probe", "value": probe},
              {"name": "remote", "value": True}],
    )  # fmt: skip
    live_sandbox.index_job(job)
    return probe


@pytest.fixture
def search(page: Page, dashboard: str, settings: Any) -> str:
    login(page, dashboard)
    candidate = a_candidate(settings.HRFLOW_SOURCE_KEYS[0])
    return f"{dashboard}/?source_key={candidate.source_key}&profile_key={candidate.key}"


def test_tag_chips_group_values_by_name_and_show_a_mixed_group_as_one_chip(page: Page, search: str) -> None:
    page.goto(search + "&tags_in=(remote:true|category:sales)")
    control = page.locator(".field-tags_in .ts-control")
    expect(control.locator(".item")).to_have_text(["remote: true or category: sales\u00d7"])

    for value in ("category:engineering", "category:data"):
        page.locator("#id_tags_in-ts-control").fill(value)
        page.keyboard.press("Enter")
    wait_for_results(page, "tags_in=category%3Adata")
    pushed = parse_qs(urlsplit(page.url).query)["tags_in"]
    # The pushed URL is canonical: a group's tags sorted, each name's only group as lone tags.
    assert sorted(pushed) == ["(category:sales|remote:true)", "category:data", "category:engineering"]
    shoot(page, "tag-chips", page.locator("fieldset.panel", has=page.locator("#id_tags_in")))

    # Its remove button takes the whole mixed group out at once.
    control.locator(".item", has_text="remote: true or category: sales").locator(".remove").click()
    wait_for_results(page, re.compile(r"^(?!.*remote%3Atrue).*$"))
    assert sorted(parse_qs(urlsplit(page.url).query)["tags_in"]) == ["category:data", "category:engineering"]


def test_an_old_link_is_updated_with_a_notice(page: Page, search: str) -> None:
    page.goto(search + "&tags_included=remote:true%2Bcategory:sales&tags_included=remote:true%2Bcategory:ops")

    expect(page.locator(".messages")).to_contain_text("This link used the old tag syntax")
    assert "tags_included" not in page.url
    assert sorted(parse_qs(urlsplit(page.url).query)["tags_in"]) == [
        "category:ops", "category:sales", "remote:true",
    ]  # fmt: skip
    chips = page.locator(".field-tags_in .ts-control .item")
    expect(chips).to_have_count(3)


def test_details_of_a_job_with_text_only_in_sections(page: Page, search: str, probe_job: str) -> None:
    page.goto(search + f"&tags_in=probe:{probe_job}")
    card = page.locator(".job-card")
    expect(card).to_have_count(1)
    expect(card.locator(".teaser")).to_have_text("Design the data platform. Run it.")
    expect(card.locator(".tags")).to_contain_text("remote: yes")
    expect(card.locator(".salary")).to_have_text("\u20ac45k\u2013\u20ac50k")

    # A phone-wide page does not scroll sideways (a one-line teaser once widened it to 1,339 px).
    page.set_viewport_size({"width": 390, "height": 900})
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1440, "height": 900})

    card.locator("summary").click()
    body = card.locator(".details-body")
    # The job's own text blocks (the "What matches" panel, issue 13, comes first with its own h4).
    expect(body.locator(".job-text h4")).to_have_text(
        ["The mission", "Searched profile", "Culture", "Benefits", "Interviews"]
    )
    expect(body.locator("p.text").first).to_have_text("Design the data platform.Run it.")
    assert body.locator("p.text").first.inner_text() == "Design the data platform.\nRun it.", (
        "line break kept"
    )
    expect(body).to_contain_text("Bac+5 <b>or</b> equivalent")
    expect(body).to_contain_text("Languages")
    assert body.locator("b").count() == 0
    shoot(page, "details-sections", card)
