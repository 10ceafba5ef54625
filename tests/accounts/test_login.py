import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from accounts.services import (
    DEMO_PASSWORD,
    DEMO_TEAM_NAME,
    DEMO_TEAMMATE_PASSWORD,
    DEMO_TEAMMATE_USERNAME,
    DEMO_USERNAME,
)

pytestmark = pytest.mark.django_db


def test_dashboard_requires_login(client: Client) -> None:
    response = client.get(reverse("search"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_renders_with_csrf_and_demo_hint(client: Client) -> None:
    response = client.get(reverse("login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "csrfmiddlewaretoken" in body
    assert "Demo mode" in body
    assert "Content-Security-Policy" in response.headers
    assert "nonce-" in response.headers["Content-Security-Policy"]


def test_demo_user_logs_in_after_ensure_demo_user(client: Client) -> None:
    call_command("ensure_demo_user")
    call_command("ensure_demo_user")  # idempotent
    assert get_user_model().objects.filter(username=DEMO_USERNAME).count() == 1
    response = client.post(reverse("login"), {"username": DEMO_USERNAME, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_demo_user_has_a_team_with_one_teammate_who_logs_in(client: Client) -> None:
    call_command("ensure_demo_user")
    call_command("ensure_demo_user")  # idempotent
    members = get_user_model().objects.filter(groups__name=DEMO_TEAM_NAME)
    expected = sorted([DEMO_USERNAME, DEMO_TEAMMATE_USERNAME])
    assert sorted(members.values_list("username", flat=True)) == expected
    login = {"username": DEMO_TEAMMATE_USERNAME, "password": DEMO_TEAMMATE_PASSWORD}
    assert client.post(reverse("login"), login)["Location"] == "/"


def test_wrong_password_is_refused(client: Client) -> None:
    call_command("ensure_demo_user")
    response = client.post(reverse("login"), {"username": DEMO_USERNAME, "password": "nope"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


def test_no_default_account_outside_demo_mode(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="no default account"):
        call_command("ensure_demo_user")
    assert not get_user_model().objects.filter(username__in=[DEMO_USERNAME, DEMO_TEAMMATE_USERNAME]).exists()
    assert "Demo mode" not in Client().get(reverse("login")).content.decode()


def test_login_post_requires_csrf() -> None:
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403


def test_about_data_page_is_public_and_credits_the_sources(client: Client) -> None:
    body = client.get(reverse("about-data")).content.decode()
    for credit in ("GeoNames", "O*NET", "ESCO", "OEWS", "network-jobs-data"):
        assert credit in body
