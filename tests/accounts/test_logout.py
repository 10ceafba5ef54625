"""Logging out: a POST carrying the CSRF token ends the session; a GET or a token-less POST does not
(a cross-site page must not be able to log a recruiter out)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def recruiter_client() -> Client:
    user = get_user_model().objects.create_user("logout-alice", password="pw-logout-alice-1")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def logged_in(client: Client) -> bool:
    return client.get(reverse("about-data")).wsgi_request.user.is_authenticated


def csrf_token_from_the_page(client: Client) -> str:
    """The token the dashboard's own logout form carries, as a browser would submit it."""
    body = client.get(reverse("saved_searches:list")).content.decode()
    form = re.search(r'<form[^>]*action="/logout/".*?</form>', body, re.S)
    assert form, "the page has a logout form"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(0))
    assert token, "the logout form carries the CSRF token"
    return token.group(1)


def test_post_with_the_csrf_token_logs_out(recruiter_client: Client) -> None:
    token = csrf_token_from_the_page(recruiter_client)

    response = recruiter_client.post(reverse("logout"), {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert not logged_in(recruiter_client)
    again = recruiter_client.get(reverse("search"))
    assert again.status_code == 302
    assert again["Location"].startswith(reverse("login"))


def test_get_is_refused_and_keeps_the_session(recruiter_client: Client) -> None:
    response = recruiter_client.get(reverse("logout"))

    assert response.status_code == 405
    assert logged_in(recruiter_client)


def test_post_without_the_token_is_refused_and_keeps_the_session(recruiter_client: Client) -> None:
    csrf_token_from_the_page(recruiter_client)  # the CSRF cookie is set, as in a real browser

    response = recruiter_client.post(reverse("logout"))

    assert response.status_code == 403
    assert logged_in(recruiter_client)
