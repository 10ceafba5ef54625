"""Bad input to the saved-search writes gets a message, never a 500, and never a broken row."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saved_searches.models import SavedSearch
from saved_searches.services.crud import NO_CANDIDATE_MESSAGE
from scoring.hrflow.query import JobQuery
from tests.saved_searches.conftest import make_search

pytestmark = pytest.mark.django_db

# Anything a form field can carry, including the empty string, huge, control and odd characters.
VALUES = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=100, max_size=9000),
    st.sampled_from(["", " ", "off", "hourly", "daily", "weekly", "1", "0", "%ZZ", "a=b&c", "\x00"]),
)
FIELDS = st.dictionaries(
    st.sampled_from(["name", "schedule", "query_string", "candidate_name", "filters_summary", "paused"]),
    VALUES,
    max_size=6,
)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def alice(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def _assert_rows_are_sound() -> None:
    for search in SavedSearch.objects.all():
        # Every stored search is one the refresh can run: its query parses, names a candidate
        # and boards, and the search has a name.
        query = JobQuery.from_query_string(search.query_string)
        assert query.profile_key
        assert query.board_keys
        assert search.name.strip()


@FUZZ
@given(data=FIELDS, htmx=st.booleans())
def test_create_never_fails_with_a_500(alice: Client, data: dict[str, str], htmx: bool) -> None:
    headers = {"HX-Request": "true"} if htmx else {}
    response = alice.post(reverse("saved_searches:create"), data, headers=headers)
    assert response.status_code in (200, 302, 400), response.status_code
    _assert_rows_are_sound()


@FUZZ
@given(route=st.sampled_from(["rename", "schedule", "pause", "update-filters"]), data=FIELDS)
def test_row_writes_never_fail_with_a_500(alice: Client, user: Any, route: str, data: dict[str, str]) -> None:
    search = SavedSearch.objects.filter(owner=user).first() or make_search(user)
    response = alice.post(reverse(f"saved_searches:{route}", args=[search.pk]), data)
    assert response.status_code in (200, 302, 400), response.status_code
    _assert_rows_are_sound()


def test_a_search_without_a_candidate_is_refused_with_a_message(alice: Client) -> None:
    data = {"name": "No one", "schedule": "daily", "query_string": "board_keys=b1&skills=python"}
    response = alice.post(reverse("saved_searches:create"), data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert NO_CANDIDATE_MESSAGE in response.content.decode()
    assert not SavedSearch.objects.exists()
