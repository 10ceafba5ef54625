"""Issue 8 fault 3: login throttling (django-axes), per username + client address.

After AXES_FAILURE_LIMIT wrong passwords for one username from one address, that pair is locked
out for AXES_COOLOFF_TIME (even with the right password): the login page says so with the wait.
The admin login shares the lockout; demo mode is no exception; `manage.py axes_reset_username`
(and friends) unlock.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.services import DEMO_PASSWORD, DEMO_USERNAME

pytestmark = pytest.mark.django_db
RIGHT = "the-right-password-1"
LIMIT = 5  # the documented default of AXES_FAILURE_LIMIT


@pytest.fixture
def recruiter() -> Any:
    return get_user_model().objects.create_user("ada", password=RIGHT)


def post_login(client: Client, username: str, password: str, *, addr: str = "10.0.0.1", url: str = "") -> Any:
    return client.post(
        url or reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=addr
    )


def fail_until_limit(client: Client, username: str, *, addr: str = "10.0.0.1", url: str = "") -> None:
    for _ in range(LIMIT):
        post_login(client, username, "wrong", addr=addr, url=url)


def test_throttling_defaults_are_sensible() -> None:
    assert settings.AXES_FAILURE_LIMIT == LIMIT
    assert dt.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_lockout_after_the_limit_even_with_the_right_password(client: Client, recruiter: Any) -> None:
    for _ in range(LIMIT - 1):
        assert post_login(client, "ada", "wrong").status_code == 200  # the form again, no lockout
    # One attempt short of the limit, the right password still gets in.
    assert post_login(client, "ada", RIGHT).status_code == 302
    client.logout()
    fail_until_limit(client, "ada")
    response = post_login(client, "ada", RIGHT)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_locked_out_page_is_the_login_page_with_the_wait(client: Client, recruiter: Any) -> None:
    fail_until_limit(client, "ada")
    response = post_login(client, "ada", RIGHT)
    body = response.content.decode()
    assert response.status_code == 429
    assert '<form method="post"' in body  # the login page itself, not a bare error
    assert "Too many failed logins" in body
    wait = re.search(r"try again in (\d+) minutes", body)
    assert wait, body
    assert 14 <= int(wait.group(1)) <= 15
    assert "nonce-" in response["Content-Security-Policy"]


def test_lockout_is_per_username_and_address(client: Client, recruiter: Any) -> None:
    get_user_model().objects.create_user("grace", password=RIGHT)
    fail_until_limit(client, "ada", addr="10.0.0.1")
    assert post_login(client, "ada", RIGHT, addr="10.0.0.1").status_code == 429
    # Another address for the same user, and another user from the same address, still log in.
    assert post_login(Client(), "ada", RIGHT, addr="10.0.0.2").status_code == 302
    assert post_login(Client(), "grace", RIGHT, addr="10.0.0.1").status_code == 302


def test_admin_login_is_throttled_too(client: Client) -> None:
    get_user_model().objects.create_superuser("boss", password=RIGHT)
    admin_login = reverse("admin:login")
    fail_until_limit(client, "boss", url=admin_login)
    response = post_login(client, "boss", RIGHT, url=admin_login)
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302  # still not logged in


def test_demo_mode_is_no_exception(client: Client) -> None:
    assert settings.DEMO_MODE
    call_command("ensure_demo_user")
    fail_until_limit(client, DEMO_USERNAME)
    assert post_login(client, DEMO_USERNAME, DEMO_PASSWORD).status_code == 429


@pytest.mark.parametrize(
    ("command", "args"),
    [("axes_reset_username", ["ada"]), ("axes_reset_ip_username", ["10.0.0.1", "ada"]), ("axes_reset", [])],
)
def test_documented_unlock_commands(client: Client, recruiter: Any, command: str, args: list[str]) -> None:
    fail_until_limit(client, "ada")
    assert post_login(client, "ada", RIGHT).status_code == 429
    call_command(command, *args)
    assert post_login(client, "ada", RIGHT).status_code == 302
    readme = (settings.BASE_DIR / "README.md").read_text()
    assert f"manage.py {command}" in readme


def test_a_success_resets_the_count(client: Client, recruiter: Any) -> None:
    """A recruiter who mistypes now and then is never locked out by old failures."""
    for _ in range(3):
        for _ in range(LIMIT - 1):
            post_login(client, "ada", "wrong")
        assert post_login(client, "ada", RIGHT).status_code == 302
        client.logout()
