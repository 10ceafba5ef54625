"""Alerts in Chromium: the account page (keyboard only, phone width, 200 % zoom, axe), an alert
e-mail composed and sent through a real SMTP server shown in the Outbox (the HTML part in its
sandboxed frame, no CSP error), and its unsubscribe link used logged out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect

from alerts.services.compose import compose_run_email
from alerts.services.send import SendOutcome, outbox_send
from saved_searches.models import AlertMode, SavedSearch, SearchRun
from tests.alerts.conftest import Sink, alerting_search, refresh_with
from tests.alerts.conftest import fake_upstream as fake_upstream  # the shared fixtures
from tests.alerts.conftest import smtp_sink as smtp_sink
from tests.fixtures.browser import DEMO_USERNAME, login, serious_axe_violations

pytestmark = [pytest.mark.browser]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "test" / "screenshots"


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"alerts-{name}.png"), full_page=True)


def test_account_page_by_keyboard_on_a_phone_and_zoomed(page: Page, dashboard: str) -> None:
    login(page, dashboard)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(dashboard + "/preferences/account/")
    email = page.get_by_label("E-mail address for alerts")
    email.focus()
    page.keyboard.type("demo@example.com")
    page.keyboard.press("Tab")  # → time zone
    expect(page.get_by_label("Time zone")).to_be_focused()
    page.get_by_label("Time zone").select_option("Europe/Paris")  # a <select>: the keyboard's own list
    page.keyboard.press("Tab")  # → digest hour
    expect(page.get_by_label("Digest hour")).to_be_focused()
    page.get_by_label("Digest hour").select_option("7")
    shot(page, "account-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_axe_violations(page) == []
    email.focus()
    page.keyboard.press("Enter")  # submits the form
    expect(page.get_by_role("status")).to_contain_text("Saved your account settings.")
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Paris")
    expect(page.get_by_label("Digest hour")).to_have_value("7")
    page.set_viewport_size({"width": 720, "height": 450})  # 1440x900 at 200 %
    shot(page, "account-zoom")
    assert page.evaluate("document.documentElement.scrollWidth") <= 720


def test_an_alert_in_the_outbox_and_its_unsubscribe_link_logged_out(
    page: Page,
    browser: Browser,
    dashboard: str,
    settings: Any,
    smtp_sink: Sink,
    fake_upstream: Any,
    live_sandbox: Any,
) -> None:
    settings.ALERTS_SITE_URL = dashboard
    settings.HRFLOW_API_URL = live_sandbox.url  # fake_upstream pointed it nowhere; the search page needs it
    user = User.objects.get(username=DEMO_USERNAME)
    user.email = "demo@example.com"
    user.save(update_fields=["email"])
    search = alerting_search(user, name="Data engineers")
    card = {"company": "Globex", "location": "Paris, France", "skills": [], "url": "https://example.com/job"}
    refresh_with(search, ("a", 0.9, {**card, "title": "Old job"}))
    refresh_with(
        search,
        ("a", 0.9, {**card, "title": "Old job"}),
        ("b", 0.8, {**card, "title": "Data <b>engineer</b>", "score_pct": 80}),
    )
    run = SearchRun.objects.filter(search=search).first()
    email = compose_run_email(run_id=run.pk)  # type: ignore[union-attr]
    assert email is not None
    assert outbox_send(email_id=email.pk) == SendOutcome.SENT

    login(page, dashboard)
    page.get_by_role("link", name="Outbox").click()
    page.get_by_role("link", name="1 new job for “Data engineers”").click()
    frame = page.frame_locator("iframe.mail-html")
    expect(frame.get_by_text("Data <b>engineer</b>")).to_be_visible()  # escaped, as text
    expect(frame.get_by_text("80% match · Globex · Paris, France")).to_be_visible()
    expect(page.locator("pre.mail-text")).to_contain_text("Data <b>engineer</b> (80% match)")
    shot(page, "outbox-message")
    assert serious_axe_violations(page) == []
    unsubscribe = page.locator(".mail-headers a").get_attribute("href")
    assert unsubscribe

    anonymous = browser.new_page()  # no session
    anonymous.goto(unsubscribe)
    expect(
        anonymous.get_by_text("Stop the e-mail alerts of the saved search “Data engineers”?")
    ).to_be_visible()
    anonymous.get_by_role("button", name="Unsubscribe").click()
    expect(anonymous.get_by_role("status")).to_contain_text("no more e-mail for the saved search")
    anonymous.close()
    assert SavedSearch.objects.get(pk=search.pk).alert_mode == AlertMode.OFF
