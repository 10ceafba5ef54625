"""The account page (preferences app) and the demo Outbox (alerts app)."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from preferences.forms import UNKNOWN_TIME_ZONE_MESSAGE
from preferences.models import UserPreferences
from tests.alerts.conftest import Sink

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_of(recruiter: Any) -> Client:
    client = Client()
    client.force_login(recruiter)
    return client


def test_account_page_needs_a_login() -> None:
    response = Client().get(reverse("preferences:account"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_account_page_saves_address_zone_hour_density_and_the_alerts_switch(
    client_of: Client, recruiter: Any
) -> None:
    page = client_of.get(reverse("preferences:account")).content.decode()
    assert 'value="rita@example.com"' in page
    assert '<option value="UTC" selected>' in page
    response = client_of.post(
        reverse("preferences:account"),
        {
            "email": "rita@corp.example",
            "time_zone": "Europe/Paris",
            "digest_hour": "7",
            "density": "compact",
            "alerts_enabled": "",
        },
    )
    assert response.status_code == 302
    recruiter.refresh_from_db()
    prefs = UserPreferences.objects.get(user=recruiter)
    assert recruiter.email == "rita@corp.example"
    assert (prefs.time_zone, prefs.digest_hour, prefs.density, prefs.alerts_enabled) == (
        "Europe/Paris",
        7,
        "compact",
        False,
    )
    assert 'class="density-compact"' in client_of.get(reverse("preferences:account")).content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("time_zone", "Mars/Olympus", UNKNOWN_TIME_ZONE_MESSAGE),
        ("digest_hour", "24", "Select a valid choice."),
        ("email", "not an address", "Enter a valid email address."),
    ],
)
def test_bad_account_input_is_a_form_error(client_of: Client, field: str, value: str, message: str) -> None:
    data = {"email": "", "time_zone": "UTC", "digest_hour": "8", "density": "comfortable", field: value}
    response = client_of.post(reverse("preferences:account"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not UserPreferences.objects.exists()


def send(sink: Sink, to: str, subject: str) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "alerts@hrflow-dash.local", to, subject
    message["Message-ID"] = f"<{subject}@test>"
    message.set_content("plain part")
    message.add_alternative(
        '<html><head></head><body><p style="color: red">html part</p></body></html>', subtype="html"
    )
    with smtplib.SMTP("127.0.0.1", sink.port, timeout=10) as smtp:
        smtp.send_message(message)


def test_the_outbox_lists_and_renders_only_the_users_messages(client_of: Client, smtp_sink: Sink) -> None:
    send(smtp_sink, "rita@example.com", "for-rita")
    send(smtp_sink, "someone@example.com", "for-someone")
    page = client_of.get(reverse("alerts:outbox")).content.decode()
    assert "for-rita" in page
    assert "for-someone" not in page
    names = sorted(p.stem for p in smtp_sink.folder.glob("*.eml"))
    mine, theirs = (n for n in names)  # delivered in order
    detail = client_of.get(reverse("alerts:outbox-message", args=[mine]))
    body = detail.content.decode()
    assert "plain part" in body
    assert 'sandbox="allow-popups allow-popups-to-escape-sandbox"' in body
    html = client_of.get(reverse("alerts:outbox-message-html", args=[mine]))
    assert html.status_code == 200
    assert b"html part" in html.content
    csp = html["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "frame-ancestors 'self'" in csp
    assert "script-src" not in csp
    assert html["X-Frame-Options"] == "SAMEORIGIN"
    # Another user's message, or a name that is not one, is a 404.
    for name in (theirs, "..", "1-zzzzzzzz", "x" * 300):
        assert client_of.get(reverse("alerts:outbox-message", args=[name])).status_code == 404
        assert client_of.get(reverse("alerts:outbox-message-html", args=[name])).status_code == 404


def test_the_outbox_is_demo_mode_only(client_of: Client, settings: Any, smtp_sink: Sink) -> None:
    settings.DEMO_MODE = False
    assert client_of.get(reverse("alerts:outbox")).status_code == 404
