"""Team sharing in the system Chromium (issue 12 part 3), against live_server + live_sandbox.

The owner (the demo user) saves a search and shares it with their team; a teammate logs in,
finds it in "Shared with you" marked "Shared by demo · Recruiters", opens it read-only (the
search page with its filters, no control that changes it), exports its CSV, saves a copy and
renames the copy, which is theirs. Then a shared shortlist: the owner shares it from its page,
the teammate reads it (note and stage, no edit control) and copies it into their own.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from saved_searches.models import AlertMode, SavedSearch
from shortlists.models import ShortlistEntry, Stage
from tests.browser.test_search import a_candidate
from tests.fixtures.browser import DEMO_USERNAME, login

pytestmark = [pytest.mark.browser]

TEAMMATE, TEAMMATE_PASSWORD = "sam", "sam-browser-tests"
TEAM = "Recruiters"


@pytest.fixture
def candidate(dashboard: str, settings: Any) -> Any:
    return a_candidate(settings.HRFLOW_SOURCE_KEYS[0])


@pytest.fixture
def team(dashboard: str, django_user_model: Any) -> Group:
    team = Group.objects.create(name=TEAM)
    sam = django_user_model.objects.create_user(TEAMMATE, password=TEAMMATE_PASSWORD)
    team.user_set.add(django_user_model.objects.get(username=DEMO_USERNAME), sam)
    return team


def switch_to_teammate(page: Page, dashboard: str) -> None:
    page.get_by_role("button", name=re.compile("Log out")).click()
    login(page, dashboard, username=TEAMMATE, password=TEAMMATE_PASSWORD)


def test_share_a_search_teammate_opens_it_read_only_and_saves_a_copy(
    page: Page, dashboard: str, candidate: Any, team: Group
) -> None:
    login(page, dashboard)
    page.goto(f"{dashboard}/?source_key={candidate.source_key}&profile_key={candidate.key}")
    expect(page.locator(".job-card").first).to_be_visible()
    name = f"Team pick for {candidate.name}"
    save = page.locator("form.save-search")
    save.get_by_label("Name").fill(name)
    save.get_by_label("E-mail").select_option(AlertMode.EACH_REFRESH)
    save.get_by_role("button", name="Save this search").click()
    expect(page.locator("#save-search-result")).to_contain_text(f"Saved “{name}”.")
    pk = SavedSearch.objects.get(owner__username=DEMO_USERNAME).pk

    # The owner shares it with their team from the list; the row says so.
    page.goto(f"{dashboard}/saved/")
    row = page.locator(f"#saved-{pk}")
    row.get_by_label("Share with a team").select_option(label=TEAM)
    row.get_by_role("button", name="Share").click()
    expect(page.locator(f"#saved-{pk}")).to_contain_text(f"Shared with {TEAM}")

    # The teammate finds it marked, with no control that changes it.
    switch_to_teammate(page, dashboard)
    page.goto(f"{dashboard}/saved/")
    expect(page.get_by_role("heading", name="Shared with you")).to_be_visible()
    row = page.locator(f"#saved-{pk}")
    expect(row).to_contain_text(f"Shared by {DEMO_USERNAME} · {TEAM}")
    for control in ("Rename", "Refresh now", "Pause", "Share", "Set e-mail"):
        expect(row.get_by_role("button", name=control, exact=True)).to_have_count(0)
    expect(row.get_by_role("link", name=re.compile("Delete"))).to_have_count(0)
    csv_href = row.get_by_role("link", name="Export CSV").get_attribute("href") or ""
    rows = list(csv.DictReader(io.StringIO(page.request.get(dashboard + csv_href).text())))
    assert rows, "the shared search's CSV has its jobs"

    # Open it: the search page with its filters, read-only.
    row.get_by_role("link", name=name).click()
    expect(page).to_have_url(re.compile(rf"saved={pk}"))
    expect(page.locator(".job-card").first).to_be_visible()
    slot = page.locator("#save-slot")
    expect(slot).to_contain_text(f"Shared by {DEMO_USERNAME} · {TEAM}")
    expect(slot).to_contain_text("read-only")
    expect(page.get_by_role("button", name="Update saved search with these filters")).to_have_count(0)

    # Save a copy: theirs, alerts off, and they can rename it.
    slot.get_by_role("button", name=re.compile("Save a copy")).click()
    copy = SavedSearch.objects.get(owner__username=TEAMMATE)
    expect(page).to_have_url(re.compile(rf"/saved/#saved-{copy.pk}$"))
    expect(page.locator(".messages")).to_contain_text("Saved a copy")
    assert copy.alert_mode == AlertMode.OFF
    mine = page.locator(f"#saved-{copy.pk}")
    expect(mine.get_by_label("E-mail alerts")).to_have_value(AlertMode.OFF)
    mine.get_by_label("New name").fill("Sam's copy")
    mine.get_by_role("button", name="Rename").click()
    expect(page.locator(f"#saved-{copy.pk}").get_by_role("link", name="Sam's copy")).to_be_visible()
    assert SavedSearch.objects.get(pk=pk).name == name, "the owner's search is unchanged"


def test_share_a_shortlist_teammate_reads_it_and_copies_it(
    page: Page, dashboard: str, candidate: Any, team: Group, django_user_model: Any
) -> None:
    owner = django_user_model.objects.get(username=DEMO_USERNAME)
    ShortlistEntry.objects.create(
        owner=owner, source_key=candidate.source_key, profile_key=candidate.key,
        candidate_name=candidate.name, job_key="a" * 40, board_key="b" * 40, position=1,
        title="Staff data engineer", note="Call her on Tuesday", stage=Stage.SENT,
    )  # fmt: skip
    login(page, dashboard)
    page.goto(f"{dashboard}/shortlists/{candidate.source_key}/{candidate.key}/")
    page.get_by_label("Share with a team").select_option(label=TEAM)
    page.get_by_role("button", name="Share").click()
    expect(page.locator(".share-form")).to_contain_text(f"Shared with {TEAM}")

    switch_to_teammate(page, dashboard)
    page.goto(f"{dashboard}/shortlists/")
    shared = page.locator(".shared-shortlists li")
    expect(shared).to_contain_text(f"Shared by {DEMO_USERNAME} · {TEAM}")
    shared.get_by_role("link", name=candidate.name).click()
    expect(page.locator(".shared-by")).to_contain_text("read-only")
    entry = page.locator(".shortlist-entry")
    expect(entry).to_contain_text("Staff data engineer")
    expect(entry).to_contain_text("Call her on Tuesday")
    expect(entry).to_contain_text("Sent to candidate")
    expect(page.get_by_label("Note")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("Move|Remove"))).to_have_count(0)

    page.get_by_role("button", name=re.compile("Save a copy")).click()
    expect(page.locator(".messages")).to_contain_text("Copied 1 job to your shortlist")
    expect(page.get_by_label("Note")).to_have_value("Call her on Tuesday")  # theirs: editable
    assert ShortlistEntry.objects.filter(owner__username=TEAMMATE).count() == 1
