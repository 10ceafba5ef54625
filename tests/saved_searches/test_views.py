from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hrflow_dash.celery import app as celery_app
from saved_searches.models import SavedSearch, Schedule, SearchRun, SearchStatus
from saved_searches.services.crud import CAP_REACHED_MESSAGE
from tests.saved_searches.conftest import QUERY, make_search

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}

# (url name, method, POST data) — every saved-search URL and verb that takes an id.
ID_ROUTES = [
    ("saved_searches:open", "get", None),
    ("saved_searches:rename", "post", {"name": "stolen"}),
    ("saved_searches:update-filters", "post", {"query_string": "skills=rust"}),
    ("saved_searches:schedule", "post", {"schedule": "hourly"}),
    ("saved_searches:pause", "post", {"paused": "1"}),
    ("saved_searches:delete", "get", None),
    ("saved_searches:delete", "post", {}),
    ("saved_searches:refresh", "post", {}),
    ("saved_searches:status", "get", None),
    ("saved_searches:share", "post", {"team": ""}),
    ("saved_searches:copy", "post", {}),
]
WRITE_ROUTES = [route for route in ID_ROUTES if route[1] == "post"]


@pytest.fixture
def alice(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def _call(client: Client, name: str, method: str, data: Any, pk: int, **kw: Any) -> Any:
    url = reverse(name, args=[pk])
    return client.get(url, **kw) if method == "get" else client.post(url, data or {}, **kw)


@pytest.mark.parametrize(("name", "method", "data"), ID_ROUTES)
@pytest.mark.parametrize("htmx", [False, True])
def test_other_users_search_is_404_on_every_url_and_verb(
    client: Client, user: Any, other_user: Any, name: str, method: str, data: Any, htmx: bool
) -> None:
    search = make_search(user)
    before = SavedSearch.objects.filter(pk=search.pk).values().get()
    client.force_login(other_user)
    response = _call(client, name, method, data, search.pk, headers=HX if htmx else {})
    assert response.status_code == 404
    assert SavedSearch.objects.filter(pk=search.pk).values().get() == before
    assert not SearchRun.objects.exists()
    # A missing id answers exactly the same.
    assert _call(client, name, method, data, search.pk + 1000).status_code == 404


@pytest.mark.parametrize(("name", "method", "data"), ID_ROUTES)
def test_anonymous_is_sent_to_login(client: Client, user: Any, name: str, method: str, data: Any) -> None:
    search = make_search(user)
    response = _call(client, name, method, data, search.pk)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "method", "data"), WRITE_ROUTES)
def test_csrf_enforced_on_writes(user: Any, name: str, method: str, data: Any) -> None:
    search = make_search(user)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    before = SavedSearch.objects.filter(pk=search.pk).values().get()
    assert _call(client, name, method, data, search.pk).status_code == 403
    assert _call(client, name, method, data, search.pk, headers=HX).status_code == 403
    assert SavedSearch.objects.filter(pk=search.pk).values().get() == before


def test_csrf_enforced_on_create(user: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    data = {"name": "n", "schedule": "daily", "query_string": QUERY}
    assert client.post(reverse("saved_searches:create"), data).status_code == 403
    assert not SavedSearch.objects.exists()


def test_get_is_not_allowed_on_writes(alice: Client, user: Any) -> None:
    search = make_search(user)
    for name, _, _ in WRITE_ROUTES:
        if name == "saved_searches:delete":
            continue  # GET is the confirmation page
        assert alice.get(reverse(name, args=[search.pk])).status_code == 405


def test_list_shows_only_own_searches_with_status_and_error(
    alice: Client, user: Any, other_user: Any, django_assert_max_num_queries: Any
) -> None:
    make_search(user, name="Mine", last_status=SearchStatus.FAILED, last_error="HrFlow had a problem")
    make_search(user, name="Mine too")
    make_search(other_user, name="Theirs")
    with django_assert_max_num_queries(7):  # one for the user's teams (the share control)
        response = alice.get(reverse("saved_searches:list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Mine" in body
    assert "Mine too" in body
    assert "Theirs" not in body
    assert "HrFlow had a problem" in body
    assert "<html" in body
    partial = alice.get(reverse("saved_searches:list"), headers=HX).content.decode()
    assert "<html" not in partial
    assert "Mine" in partial


def test_create_without_js_redirects_and_respects_cap(alice: Client, user: Any, settings: Any) -> None:
    settings.SAVED_SEARCH_CAP_PER_USER = 1
    data = {"name": "Python for Ada", "schedule": "weekly", "query_string": QUERY, "candidate_name": "Ada"}
    response = alice.post(reverse("saved_searches:create"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("saved_searches:list")
    search = SavedSearch.objects.get(owner=user)
    assert (search.name, search.schedule, search.candidate_name) == ("Python for Ada", "weekly", "Ada")
    other = {**data, "query_string": QUERY + "&limit=50"}  # another search: the cap applies
    response = alice.post(reverse("saved_searches:create"), other, headers=HX)
    assert CAP_REACHED_MESSAGE.format(cap=1) in response.content.decode()
    response = alice.post(reverse("saved_searches:create"), other)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("search") + "?")
    assert SavedSearch.objects.filter(owner=user).count() == 1


@pytest.mark.parametrize("htmx", [True, False])
def test_saving_the_same_search_twice_offers_the_existing_one(alice: Client, user: Any, htmx: bool) -> None:
    """A double click (two POSTs) or saving again: one row, and the answer names the first."""
    data = {"name": "Python for Ada", "schedule": "daily", "query_string": QUERY}
    headers = HX if htmx else {}
    first = alice.post(reverse("saved_searches:create"), data, headers=headers)
    again = alice.post(reverse("saved_searches:create"), {**data, "name": "Again"}, headers=headers)
    search = SavedSearch.objects.get(owner=user)
    assert search.name == "Python for Ada"
    if htmx:
        assert "Saved “Python for Ada”." in first.content.decode()
        body = again.content.decode()
        assert "You already saved this search as" in body
        assert reverse("saved_searches:open", args=[search.pk]) in body
    else:
        assert again.status_code == 302
        assert again["Location"] == reverse("saved_searches:list") + f"#saved-{search.pk}"


def test_rename_schedule_pause_resume(alice: Client, user: Any) -> None:
    search = make_search(user)
    assert (
        alice.post(reverse("saved_searches:rename", args=[search.pk]), {"name": " New "}).status_code == 302
    )
    response = alice.post(
        reverse("saved_searches:schedule", args=[search.pk]), {"schedule": "off"}, headers=HX
    )
    assert response.status_code == 200
    assert f'id="saved-{search.pk}"' in response.content.decode()
    alice.post(reverse("saved_searches:pause", args=[search.pk]), {"paused": "1"})
    search.refresh_from_db()
    assert (search.name, search.schedule, search.paused, search.next_due_at) == (
        "New",
        Schedule.OFF,
        True,
        None,
    )
    alice.post(reverse("saved_searches:schedule", args=[search.pk]), {"schedule": "hourly"})
    alice.post(reverse("saved_searches:pause", args=[search.pk]), {"paused": "0"})
    search.refresh_from_db()
    assert not search.paused
    assert search.next_due_at is not None
    bad = alice.post(reverse("saved_searches:schedule", args=[search.pk]), {"schedule": "yearly"}, headers=HX)
    assert "not valid" in bad.content.decode()


def test_delete_confirm_then_delete(alice: Client, user: Any) -> None:
    search = make_search(user)
    page = alice.get(reverse("saved_searches:delete", args=[search.pk]))
    assert page.status_code == 200
    assert "cannot be undone" in page.content.decode()
    assert SavedSearch.objects.filter(pk=search.pk).exists()
    response = alice.post(reverse("saved_searches:delete", args=[search.pk]), headers=HX)
    assert response.status_code == 200
    assert response.content == b""
    assert not SavedSearch.objects.filter(pk=search.pk).exists()


def test_open_marks_viewed_and_redirects_to_search(alice: Client, user: Any) -> None:
    search = make_search(user)
    response = alice.get(reverse("saved_searches:open", args=[search.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('search')}?{QUERY}&saved={search.pk}"
    assert search.visits.get(user=search.owner).last_viewed_at is not None


def test_refresh_now_polls_until_done(
    alice: Client, user: Any, fake_upstream: Any, django_capture_on_commit_callbacks: Any
) -> None:
    search = make_search(user)
    SavedSearch.objects.filter(pk=search.pk).update(next_due_at=None)
    fake_upstream.answers.append([("j1", 0.9)])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = alice.post(reverse("saved_searches:refresh", args=[search.pk]), headers=HX)
    body = response.content.decode()
    assert 'hx-trigger="every 2s"' in body
    assert "Queued" in body
    assert len(callbacks) == 1
    status = alice.get(reverse("saved_searches:status", args=[search.pk]), headers=HX).content.decode()
    assert 'hx-trigger="every 2s"' in status
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        callbacks[0]()  # the worker runs the queued task
    finally:
        celery_app.conf.task_always_eager = previous
    status = alice.get(reverse("saved_searches:status", args=[search.pk]), headers=HX).content.decode()
    assert "hx-trigger" not in status  # finished: polling stops
    assert "Up to date" in status
    assert 'hx-swap-oob="true"' in status  # the new-count badge updates alongside
    assert SearchRun.objects.get(search=search).trigger == "manual"


def test_refresh_now_without_js_redirects(alice: Client, user: Any) -> None:
    search = make_search(user)
    response = alice.post(reverse("saved_searches:refresh", args=[search.pk]))
    assert response.status_code == 302
    search.refresh_from_db()
    assert search.last_status == SearchStatus.QUEUED


def test_save_form_for_search_page_prefills_and_posts(alice: Client, user: Any) -> None:
    from django.template.loader import render_to_string

    from saved_searches.forms import save_form_for

    form = save_form_for(query_string=QUERY, candidate_name="Ada Lovelace", filters_summary="python")
    assert form.initial["name"] == "Ada Lovelace · python"
    assert form.initial["schedule"] == Schedule.DAILY
    html = render_to_string("saved_searches/_save_form.html", {"save_form": form})
    assert 'value="Ada Lovelace · python"' in html
    assert reverse("saved_searches:create") in html
    data = {**form.initial}
    assert alice.post(reverse("saved_searches:create"), data, headers=HX).status_code == 200
    search = SavedSearch.objects.get(owner=user)
    assert search.params["skills"] == ["python"]


def test_update_filters_rebaselines(alice: Client, user: Any) -> None:
    search = make_search(user)
    url = reverse("saved_searches:update-filters", args=[search.pk])
    profile = "p" * 40
    response = alice.post(
        url, {"query_string": f"skills=rust&board_keys=b1&profile_key={profile}", "filters_summary": "rust"}
    )
    assert response.status_code == 302
    search.refresh_from_db()
    assert search.query_string == f"board_keys=b1&profile_key={profile}&skills=rust"
    assert search.filters_summary == "rust"
    assert search.baseline_run_id is None
    bad = alice.post(url, {"query_string": "lat=100&lng=1"}, headers=HX)
    assert "not valid" in bad.content.decode()
