"""Bad input to the star, hide, note/stage and move forms is a 400 {"code","message"} or a form
message, never a 500, and never a broken row (hypothesis)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shortlists.models import HiddenJob, ShortlistEntry, Stage
from tests.shortlists.conftest import make_entry

pytestmark = pytest.mark.django_db

VALUES = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=100, max_size=5000),
    st.sampled_from(
        ["", "star", "unstar", "hide", "unhide", "up", "top", "sent", "0" * 40, "1", "%ZZ", "\x00"]
    ),
)
FUZZ = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def alice(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


@FUZZ
@given(data=st.dictionaries(st.sampled_from(["q", "job_key", "action", "show_hidden", "next"]), VALUES))
@pytest.mark.parametrize("name", ["shortlists:star", "shortlists:hide"])
def test_card_forms_never_500(alice: Client, name: str, data: dict[str, str]) -> None:
    # Without a valid search and job the services are never reached, so no upstream is needed:
    # a malformed form is a 400 JSON answer, a well-formed one for no candidate a redirect.
    response = alice.post(reverse(name), data)
    assert response.status_code in (302, 400), response.content[:300]
    if response.status_code == 400:
        body = response.json()
        assert body["code"] == 400
        assert body["message"]
    assert not ShortlistEntry.objects.exists()
    assert not HiddenJob.objects.exists()


@FUZZ
@given(data=st.dictionaries(st.sampled_from(["note", "stage", "move"]), VALUES))
def test_entry_forms_never_500(alice: Client, user: Any, data: dict[str, str]) -> None:
    ShortlistEntry.objects.all().delete()
    entry = make_entry(user, 1)
    make_entry(user, 2)
    for name in ("shortlists:entry-update", "shortlists:entry-move"):
        response = alice.post(reverse(name, args=[entry.pk]), data)
        assert response.status_code in (302, 400), response.content[:300]
    entry.refresh_from_db()
    assert entry.stage in Stage.values
    assert len(entry.note) <= 2000
    assert sorted(ShortlistEntry.objects.values_list("position", flat=True)) == [1, 2]
