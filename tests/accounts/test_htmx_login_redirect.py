"""Issue 8 fault 5: an HTMX request without a session gets `HX-Redirect` to the login page.

Without it htmx follows the 302 inside the XHR and swaps the whole login page into #results
(a page in a page). `next` is the page the browser shows (HX-Current-URL), not the partial's
URL; plain requests keep Django's 302.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
PAGE = "/?profile_key=abc&source_key=def"


def hx(current_url: str | None = "http://testserver" + PAGE, **extra: str) -> dict[str, str]:
    headers = {"HX-Request": "true", **extra}
    if current_url is not None:
        headers["HX-Current-URL"] = current_url
    return headers


def redirect_next(response: object) -> str:
    target = urlsplit(response["HX-Redirect"])  # type: ignore[index]
    assert target.path == reverse("login")
    return parse_qs(target.query)["next"][0]


@pytest.mark.parametrize(
    "url",
    [
        PAGE + "&skills=python",
        "/jobs/details/?job_key=x",
        "/candidates/?name=a",
        "/saved/",
        "/saved/1/status/",
    ],
)
def test_htmx_get_without_session_gets_hx_redirect_back_to_the_page(client: Client, url: str) -> None:
    response = client.get(url, headers=hx())
    assert response.status_code == 200
    assert redirect_next(response) == PAGE  # the page the browser shows, not the partial's URL
    assert b"<form" not in response.content  # nothing to swap in


def test_htmx_post_without_session_gets_hx_redirect(client: Client) -> None:
    response = client.post("/saved/1/refresh/", headers=hx("http://testserver/saved/"))
    assert response.status_code == 200
    assert redirect_next(response) == "/saved/"


@pytest.mark.parametrize("extra", [{"HX-Boosted": "true"}, {"HX-History-Restore-Request": "true"}])
def test_boosted_and_history_restore_requests_too(client: Client, extra: dict[str, str]) -> None:
    response = client.get(PAGE, headers=hx(**extra))
    assert response.status_code == 200
    assert redirect_next(response) == PAGE


@pytest.mark.parametrize(
    "current",
    [None, "http://evil.example/phish", "//evil.example/", "javascript:alert(1)", "not a url"],
)
def test_missing_or_foreign_current_url_falls_back_to_the_search_page(client: Client, current: str) -> None:
    response = client.get("/jobs/details/?job_key=x", headers=hx(current))
    assert response.status_code == 200
    assert redirect_next(response) == reverse("search")


def test_plain_requests_keep_the_302(client: Client) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "HX-Redirect" not in response
    assert response["Location"] == reverse("login") + "?next=" + "/%3Fprofile_key%3Dabc%26source_key%3Ddef"


def test_logged_in_htmx_requests_are_untouched(client: Client, django_user_model: object) -> None:
    user = django_user_model.objects.create_user("hx", password="pw-for-tests")  # type: ignore[attr-defined]
    client.force_login(user)
    response = client.get(reverse("saved_searches:list"), headers=hx())
    assert response.status_code == 200
    assert "HX-Redirect" not in response
