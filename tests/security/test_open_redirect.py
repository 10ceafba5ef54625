"""Open redirects: hostile values on every `next` / `back` parameter never lead off-site.

Checked wherever the dashboard turns one into a URL: the Location of a redirect, HX-Redirect,
HX-Push-Url, every href/action/hx-* attribute and the hidden `next` input of the page. The
meta test at the end fails when a new view or template reads a `next`/`back` this file does not
exercise.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.scoring.test_views import FakeUpstream
from tests.scoring.test_views import upstream as upstream  # the shared fake selectors

pytestmark = pytest.mark.django_db
HOST = "testserver"
PAYLOADS = [
    "//evil.com",
    "///evil.com",
    "https://evil.com",
    "http:evil.com",
    "https:/evil.com",
    "/\\evil.com",
    "\\\\evil.com",
    "/\t/evil.com",
    " //evil.com",
    "//testserver@evil.com",
    "https://testserver.evil.com/",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\nscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "&next=//evil.com",
    "?next=https://evil.com",
    "http://testserver//evil.com",  # same origin, but its path is protocol-relative
    "http://testserver/\\evil.com",
]
URL_ATTRIBUTES = re.compile(r'\b(?:href|action|hx-get|hx-post|hx-push-url|src)="([^"]*)"')
NEXT_INPUT = re.compile(r'name="next" value="([^"]*)"')
EMPTY_FAVICON = "data:,"  # base.html's <link rel="icon">: no request, no navigation
PASSWORD = "pw-redirect-123"


def off_site(url: str) -> bool:
    """What a browser would treat as another site or a script, after its own clean-ups."""
    cleaned = re.sub(r"[\x00-\x20]", "", url.replace("&amp;", "&")).replace("\\", "/")
    parts = urlsplit(cleaned)
    if parts.scheme and parts.scheme.lower() not in ("http", "https"):
        return True
    return bool(parts.netloc) and parts.hostname != HOST


def test_the_checker_knows_off_site_from_on_site() -> None:
    assert all(off_site(p) for p in ("//evil.com", "/\\evil.com", "javascript:x", "https://a.evil.com"))
    assert not any(off_site(p) for p in ("/", "/?a=1", "/saved/", "http://testserver/x", "?next=//x"))


def assert_on_site(response: Any) -> None:
    for header in ("Location", "HX-Redirect", "HX-Push-Url"):
        if header in response:
            assert not off_site(response[header]), (header, response[header])
    if "HX-Redirect" in response:  # to the login page, with the page to come back to
        for value in parse_qs(urlsplit(response["HX-Redirect"]).query).get("next", []):
            assert not off_site(value), value
    if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
        body = response.content.decode()
        for value in URL_ATTRIBUTES.findall(body) + NEXT_INPUT.findall(body):
            assert value == EMPTY_FAVICON or not off_site(value), value


@pytest.fixture
def recruiter(django_user_model: Any) -> Any:
    return django_user_model.objects.create_superuser("redir", password=PASSWORD)


@pytest.fixture
def logged_in(recruiter: Any) -> Client:
    client = Client()
    client.force_login(recruiter)
    return client


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("login_url", ["login", "admin:login"])
def test_login_next(client: Client, recruiter: Any, payload: str, login_url: str) -> None:
    url = reverse(login_url)
    assert_on_site(client.get(url, {"next": payload}))
    assert_on_site(client.post(url, {"username": "redir", "password": "wrong", "next": payload}))
    response = client.post(
        url + "?" + urlencode({"next": payload}), {"username": "redir", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert_on_site(response)
    client.logout()
    response = client.post(url, {"username": "redir", "password": PASSWORD, "next": payload})
    assert response.status_code == 302
    assert_on_site(response)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_logout_next(logged_in: Client, payload: str) -> None:
    assert_on_site(logged_in.post(reverse("logout"), {"next": payload}))
    assert_on_site(logged_in.post(reverse("logout") + "?" + urlencode({"next": payload})))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_lockout_page_next(client: Client, recruiter: Any, payload: str) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "redir", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "redir", "password": PASSWORD, "next": payload})
    assert response.status_code == 429
    assert_on_site(response)


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("htmx", [False, True])
def test_typeahead_back(logged_in: Client, upstream: FakeUpstream, payload: str, htmx: bool) -> None:
    headers = {"HX-Request": "true"} if htmx else {}
    for url, params in (
        (reverse("candidate-search"), {"name": "ada", "back": payload}),
        (reverse("cities"), {"q": "par", "back": payload}),
        (reverse("compare:candidates"), {"name": "ada", "back": payload}),
    ):
        response = logged_in.get(url, params, headers=headers)
        assert response.status_code == 200
        assert_on_site(response)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hx_redirect_next_from_the_current_url(client: Client, payload: str) -> None:
    response = client.get(reverse("search"), headers={"HX-Request": "true", "HX-Current-URL": payload})
    assert "HX-Redirect" in response
    assert_on_site(response)


def test_every_next_and_back_parameter_is_covered_here() -> None:
    """Where the code reads a `next`/`back` value; a new place means a new case above."""
    root = Path(settings.BASE_DIR)
    readers = re.compile(
        r"""(?:GET|POST)\.get\(\s*["'](?:next|back)["']|REDIRECT_FIELD_NAME|name="(?:next|back)\""""
    )
    found = sorted(
        str(path.relative_to(root))
        for folder in ("accounts", "scoring", "saved_searches", "compare", "hrflow_dash", "templates")
        for path in (root / folder).rglob("*")
        if path.suffix in (".py", ".html") and readers.search(path.read_text())
    )
    assert found == [
        "accounts/middleware.py",  # HX-Redirect's next: test_hx_redirect_next_from_the_current_url
        "accounts/views.py",  # the lockout page: test_lockout_page_next
        "compare/views.py",  # the matrix's candidate picker: test_typeahead_back
        "scoring/views/typeaheads.py",  # candidates and cities: test_typeahead_back
        "templates/compare/candidates.html",  # test_typeahead_back
        "templates/compare/matrix.html",  # the picker's back: test_typeahead_back
        "templates/registration/login.html",  # test_login_next
        "templates/scoring/candidates.html",  # test_typeahead_back
        "templates/scoring/cities.html",  # test_typeahead_back
        "templates/scoring/search.html",  # the typeahead forms' back: test_typeahead_back
    ], found
