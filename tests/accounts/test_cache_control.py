"""Issue 8 fault 7: pages and files for a logged-in user are never stored by a browser or proxy.

`Cache-Control: private, no-store` on every response to a logged-in user (pages, partials,
the CSV, redirects) unless the view chose its own policy. Not on static files (WhiteNoise
answers them before, with its long-lived caching). The login page keeps Django's own
never_cache headers (which include no-store): it carries a CSRF token.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse

from saved_searches.services import crud
from tests.scoring.test_views import FakeUpstream
from tests.scoring.test_views import Q as SEARCH_QUERY
from tests.scoring.test_views import upstream as upstream  # the shared fake selectors
from tests.scoring.test_views_saved import CANONICAL

pytestmark = pytest.mark.django_db
PRIVATE = "private, no-store"
HX = {"HX-Request": "true"}


@pytest.fixture
def user_client(django_user_model: Any) -> Client:
    client = Client()
    client.force_login(django_user_model.objects.create_user("cc", password="pw-for-tests"))
    return client


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        ("/", {}),
        ("/" + SEARCH_QUERY, {}),
        ("/" + SEARCH_QUERY, HX),
        ("/export.csv" + SEARCH_QUERY, {}),
        ("/candidates/?name=a", HX),
        ("/about/data/", {}),
        ("/saved/", {}),
        ("/saved/", HX),
    ],
)
def test_logged_in_pages_and_the_csv_are_private_no_store(
    user_client: Client, upstream: FakeUpstream, url: str, headers: dict[str, str]
) -> None:
    response = user_client.get(url, headers=headers)
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_redirects_and_errors_for_a_logged_in_user_too(user_client: Client, upstream: FakeUpstream) -> None:
    missing = user_client.get("/saved/999999/")
    assert missing.status_code == 404
    assert missing["Cache-Control"] == PRIVATE
    owner = user_client.session["_auth_user_id"]
    search = crud.saved_search_create(
        owner=get_user_model().objects.get(pk=owner), name="cc", query_string=CANONICAL
    )
    opened = user_client.get(reverse("saved_searches:open", args=[search.pk]))
    assert opened.status_code == 302
    assert opened["Cache-Control"] == PRIVATE


def test_the_login_page_keeps_djangos_never_cache(client: Client) -> None:
    response = client.get(reverse("login"))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_anonymous_public_pages_are_left_alone(client: Client) -> None:
    assert "Cache-Control" not in client.get(reverse("about-data"))


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_static_files_keep_whitenoise_caching(user_client: Client) -> None:
    fresh = Client()  # a new handler: WhiteNoise reads the overridden settings at start-up
    fresh.cookies = user_client.cookies
    response = fresh.get("/static/js/search.js")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
