"""A recruiter's shortlists and hidden jobs are theirs: another user gets 404 on every entry URL
and an empty shortlist (never theirs) on the candidate's page; the services other apps call
(`hidden_job_keys`) answer per recruiter and candidate."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from shortlists import services
from shortlists.models import ShortlistEntry, Stage
from tests.shortlists.conftest import PROFILE, SOURCE, make_entry, make_hidden

pytestmark = pytest.mark.django_db


@pytest.fixture
def mallory(client: Client, other_user: Any) -> Client:
    client.force_login(other_user)
    return client


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("shortlists:entry-update", {"note": "mine now", "stage": "closed"}),
        ("shortlists:entry-move", {"move": "top"}),
        ("shortlists:entry-remove", {}),
    ],
)
def test_another_users_entry_is_404_on_every_write(
    mallory: Client, user: Any, name: str, data: dict[str, str]
) -> None:
    entry = make_entry(user, 1, note="private note")
    make_entry(user, 2)
    response = mallory.post(reverse(name, args=[entry.pk]), data)
    assert response.status_code == 404
    entry.refresh_from_db()
    assert (entry.note, entry.stage, entry.position) == ("private note", Stage.TO_REVIEW, 1)


def test_a_missing_entry_is_the_same_404(mallory: Client) -> None:
    assert mallory.post(reverse("shortlists:entry-remove", args=[999_999])).status_code == 404


def test_another_users_shortlist_page_and_csv_show_nothing_of_theirs(mallory: Client, user: Any) -> None:
    make_entry(user, 1, title="Alice's secret pick", note="call Tuesday")
    page = mallory.get(reverse("shortlists:detail", args=[SOURCE, PROFILE]))
    assert page.status_code == 200
    assert b"secret pick" not in page.content
    assert b"call Tuesday" not in page.content
    csv = mallory.get(reverse("shortlists:export", args=[SOURCE, PROFILE]))
    assert b"secret pick" not in csv.content
    assert b"secret pick" not in mallory.get(reverse("shortlists:overview")).content


@pytest.mark.parametrize("keys", [("x" * 40, PROFILE), (SOURCE, "G" * 40), (SOURCE, "6" * 39)])
def test_a_malformed_candidate_is_404(mallory: Client, keys: tuple[str, str]) -> None:
    assert mallory.get(reverse("shortlists:detail", args=keys)).status_code == 404


def test_every_page_needs_a_login(client: Client, user: Any) -> None:
    entry = make_entry(user, 1)
    for url in (reverse("shortlists:overview"), reverse("shortlists:detail", args=[SOURCE, PROFILE])):
        assert client.get(url).status_code == 302
    assert client.post(reverse("shortlists:entry-remove", args=[entry.pk])).status_code == 302
    assert ShortlistEntry.objects.filter(pk=entry.pk).exists()


def test_writes_need_the_csrf_token(user: Any) -> None:
    entry = make_entry(user, 1)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    response = strict.post(
        reverse("shortlists:entry-update", args=[entry.pk]), {"note": "x", "stage": "sent"}
    )
    assert response.status_code == 403


def test_hidden_job_keys_are_per_recruiter_and_candidate(user: Any, other_user: Any) -> None:
    make_hidden(user, 1)
    make_hidden(user, 2, profile_key="8" * 40)
    make_hidden(other_user, 3)
    assert services.hidden_job_keys(user, source_key=SOURCE, profile_key=PROFILE) == {f"{1:040x}"}
    assert services.hidden_job_keys(other_user, source_key=SOURCE, profile_key=PROFILE) == {f"{3:040x}"}
    assert services.hidden_job_keys(user, source_key=SOURCE, profile_key="") == frozenset()


def test_the_owner_updates_moves_and_removes(client: Client, user: Any) -> None:
    client.force_login(user)
    first, second, third = (make_entry(user, n) for n in (1, 2, 3))
    response = client.post(
        reverse("shortlists:entry-update", args=[second.pk]), {"note": "Strong fit", "stage": "sent"}
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.note, second.stage) == ("Strong fit", Stage.SENT)
    client.post(reverse("shortlists:entry-move", args=[third.pk]), {"move": "up"})
    order = list(ShortlistEntry.objects.filter(owner=user).order_by("position").values_list("pk", flat=True))
    assert order == [first.pk, third.pk, second.pk]
    client.post(reverse("shortlists:entry-move", args=[first.pk]), {"move": "bottom"})
    order = list(ShortlistEntry.objects.filter(owner=user).order_by("position").values_list("pk", flat=True))
    assert order == [third.pk, second.pk, first.pk]
    client.post(reverse("shortlists:entry-move", args=[third.pk]), {"move": "up"})  # already first: stays
    order = list(ShortlistEntry.objects.filter(owner=user).order_by("position").values_list("pk", flat=True))
    assert order == [third.pk, second.pk, first.pk]
    positions = list(
        ShortlistEntry.objects.filter(owner=user).order_by("position").values_list("position", flat=True)
    )
    assert positions == [1, 2, 3]
    client.post(reverse("shortlists:entry-remove", args=[second.pk]))
    assert not ShortlistEntry.objects.filter(pk=second.pk).exists()


def test_the_csv_is_the_shortlist_in_order_and_formula_safe(client: Client, user: Any) -> None:
    client.force_login(user)
    make_entry(user, 2, title="Second", note='=HYPERLINK("http://evil")')
    make_entry(user, 1, title="First", stage=Stage.APPLIED)
    text = client.get(reverse("shortlists:export", args=[SOURCE, PROFILE])).content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["position"], r["stage"], r["title"]) for r in rows] == [
        ("1", "Applied", "First"),
        ("2", "To review", "Second"),
    ]
    assert rows[1]["note"] == '\'=HYPERLINK("http://evil")'  # never a formula in a spreadsheet
    assert {r["listed"] for r in rows} == {"no longer listed"}  # the made-up board holds no such job
