"""Another user's saved search, on every saved-search URL, verb and mode (plain, HTMX, boosted): 404.

The URLs come from the URLconf (every route with a `pk`), so a new saved-search URL is covered
the day it is added. A verb a view does not take answers 405 for the owner too: then the
stranger gets the same 405, and a missing id answers exactly like a foreign one, so a response
never tells whether an id exists. Nothing changes in the row and no refresh is queued.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from saved_searches.models import SavedSearch, SearchRun
from saved_searches.services import crud
from tests.security.urlconf import Route, routes, sample_path

pytestmark = pytest.mark.django_db
QUERY = "board_keys=" + "b" * 40 + "&profile_key=" + "c" * 40 + "&source_key=" + "5" * 40
VERBS = ["get", "head", "post", "put", "patch", "delete", "options"]
MODES = {
    "plain": {},
    "htmx": {"HX-Request": "true"},
    "boosted": {"HX-Request": "true", "HX-Boosted": "true"},
}
SAVED_SEARCH_ROUTES = [
    route for route in routes() if route.takes_pk and route.name.startswith("saved_searches:")
]
# Every other URL that takes an object's id, and the module whose matrix covers it. A new one fails
# the test below until someone writes its cross-user matrix and names it here.
OTHER_PK_ROUTES = {"shortlists:": "tests/shortlists/test_ownership.py, tests/security/test_sharing_matrix.py"}


def test_the_urlconf_has_the_saved_search_urls() -> None:
    names = {route.name for route in SAVED_SEARCH_ROUTES}
    assert {"saved_searches:open", "saved_searches:delete", "saved_searches:refresh"} <= names
    uncovered = [
        route.name
        for route in routes()
        if route.takes_pk
        and route not in SAVED_SEARCH_ROUTES
        and not route.name.startswith(tuple(OTHER_PK_ROUTES))
    ]
    assert uncovered == [], "an object URL without a cross-user test"


@pytest.fixture
def owner(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("owner", password="pw-owner-123")


@pytest.fixture
def stranger(django_user_model: Any) -> Client:
    client = Client()
    client.force_login(django_user_model.objects.create_user("stranger", password="pw-stranger-123"))
    return client


def call(client: Client, verb: str, path: str, headers: dict[str, str]) -> int:
    return int(getattr(client, verb)(path, headers=headers).status_code)


def snapshot(search: SavedSearch) -> dict[str, Any]:
    return SavedSearch.objects.filter(pk=search.pk).values().get()


@pytest.mark.parametrize("route", SAVED_SEARCH_ROUTES, ids=str)
@pytest.mark.parametrize("verb", VERBS)
@pytest.mark.parametrize("mode", list(MODES))
def test_another_users_saved_search_is_404(
    owner: Any, stranger: Client, route: Route, verb: str, mode: str
) -> None:
    headers = MODES[mode]
    # What the owner gets for this verb says whether the view takes it at all.
    probe = crud.saved_search_create(owner=owner, name="probe", query_string=QUERY)
    owner_client = Client()
    owner_client.force_login(owner)
    owner_status = call(owner_client, verb, sample_path(route, pk=probe.pk), headers)
    expected = 405 if owner_status == 405 else 404

    search = crud.saved_search_create(owner=owner, name="victim", query_string=QUERY, allow_duplicate=True)
    runs_before = SearchRun.objects.count()
    before = snapshot(search)
    assert call(stranger, verb, sample_path(route, pk=search.pk), headers) == expected
    assert snapshot(search) == before
    assert SearchRun.objects.count() == runs_before
    missing = max(SavedSearch.objects.values_list("pk", flat=True)) + 1000
    assert call(stranger, verb, sample_path(route, pk=missing), headers) == expected


@pytest.mark.parametrize("mode", list(MODES))
def test_another_users_saved_search_on_the_search_page_is_404(
    owner: Any, stranger: Client, mode: str
) -> None:
    search = crud.saved_search_create(owner=owner, name="victim", query_string=QUERY)
    before = snapshot(search)
    response = stranger.get(f"{reverse('search')}?{QUERY}&saved={search.pk}", headers=MODES[mode])
    assert response.status_code == 404
    assert snapshot(search) == before
