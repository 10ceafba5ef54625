"""CSRF on every write: every route of the URLconf (the dashboard's and the admin's), POST and
the other unsafe verbs, without a token and with a wrong one → 403.

The routes come from the URLconf, so a new view is covered the day it is added; the only
exemption the issue allows is the signed RFC 8058 one-click unsubscribe (`alerts:unsubscribe`,
authorised by its signature alone: tests/alerts/test_unsubscribe.py). A control request with the
right token shows the test can tell.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.urls import resolve, reverse

from saved_searches.services import crud
from tests.security.urlconf import Route, routes, sample_path

pytestmark = pytest.mark.django_db
QUERY = "board_keys=" + "b" * 40 + "&profile_key=" + "c" * 40 + "&source_key=" + "5" * 40
UNSAFE_VERBS = ["post", "put", "patch", "delete"]
EXEMPT = {"alerts:unsubscribe"}  # RFC 8058 one-click: mail clients POST without a session
ALL_ROUTES = routes()
CHECKED_ROUTES = [route for route in ALL_ROUTES if str(route) not in EXEMPT]
WRONG_TOKEN = "w" * 32
COOKIE_TOKEN = "c" * 32


@pytest.fixture
def boss(django_user_model: Any) -> Any:
    return django_user_model.objects.create_superuser("boss", password="pw-boss-123")


@pytest.fixture
def csrf_client(boss: Any) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(boss)  # logged in, staff: nothing but CSRF stands in the way
    return client


def path_for(route: Route, owner: Any) -> str:
    search = crud.saved_search_create(owner=owner, name="csrf", query_string=QUERY)
    return sample_path(route, pk=search.pk)


def test_no_route_is_csrf_exempt() -> None:
    exempt = [
        str(route)
        for route in ALL_ROUTES
        if getattr(resolve(sample_path(route)).func, "csrf_exempt", False) and str(route) not in EXEMPT
    ]
    assert exempt == []


def test_the_exempt_route_exists_and_is_the_only_one() -> None:
    assert {str(route) for route in ALL_ROUTES} >= EXEMPT
    exempt = {str(r) for r in ALL_ROUTES if getattr(resolve(sample_path(r)).func, "csrf_exempt", False)}
    assert exempt == EXEMPT


@pytest.mark.parametrize("route", CHECKED_ROUTES, ids=str)
@pytest.mark.parametrize("verb", UNSAFE_VERBS)
def test_unsafe_request_without_a_token_is_403(
    csrf_client: Client, boss: Any, route: Route, verb: str
) -> None:
    response = getattr(csrf_client, verb)(path_for(route, boss), {"name": "x"})
    assert response.status_code == 403, response.content[:200]


@pytest.mark.parametrize("route", CHECKED_ROUTES, ids=str)
@pytest.mark.parametrize("where", ["form", "header"])
def test_post_with_a_wrong_token_is_403(csrf_client: Client, boss: Any, route: Route, where: str) -> None:
    csrf_client.cookies["csrftoken"] = COOKIE_TOKEN
    path = path_for(route, boss)
    if where == "form":
        response = csrf_client.post(path, {"csrfmiddlewaretoken": WRONG_TOKEN, "name": "x"})
    else:  # htmx sends the token in X-CSRFToken (hx-headers on the saved-search table)
        response = csrf_client.post(path, {"name": "x"}, headers={"X-CSRFToken": WRONG_TOKEN})
    assert response.status_code == 403, response.content[:200]


def test_the_right_token_passes(csrf_client: Client, boss: Any) -> None:
    """Control: the same client with a valid token gets past CSRF (so the 403s above are CSRF)."""
    search = crud.saved_search_create(owner=boss, name="before", query_string=QUERY)
    token = get_token(RequestFactory().get("/"))
    csrf_client.cookies["csrftoken"] = token
    response = csrf_client.post(
        reverse("saved_searches:rename", args=[search.pk]), {"name": "after"}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 302
    search.refresh_from_db()
    assert search.name == "after"
