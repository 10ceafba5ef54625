"""The search page's saved-search parts: the "Save this search" control (shown/hidden, prefilled,
out of band on HTMX swaps, CSRF), `?saved=<id>` (owner only), "New" badges, "Update saved
search", and the navigation link with its count. Upstream is faked as in test_views.py."""

from __future__ import annotations

import datetime as dt
import html
import re
import uuid
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from saved_searches.models import RunStatus, SavedSearch, SearchRun, SeenJob, Trigger
from saved_searches.selectors import new_job_total
from saved_searches.services import crud
from saved_searches.services.crud import CAP_REACHED_MESSAGE
from scoring.hrflow.query import JobQuery
from tests.scoring.test_views import ALGO, BOARD, HX, PROFILE, SOURCE, FakeUpstream
from tests.scoring.test_views import upstream as upstream  # the shared fixture

pytestmark = pytest.mark.django_db
Q = f"?source_key={SOURCE}&profile_key={PROFILE}"
# What the page's form makes of Q (boards and algorithm default to the only choices).
CANONICAL = JobQuery(
    board_keys=(BOARD,), source_key=SOURCE, profile_key=PROFILE, algorithm_key=ALGO
).to_query_string()
NEW_BADGE = 'class="badge badge-new"'


def key(i: int) -> str:
    return f"{i:040x}"  # test_views.make_job's keys


@pytest.fixture
def rec(db: Any) -> Any:
    return get_user_model().objects.create_user("rec", password="pw-for-tests")


@pytest.fixture
def client_rec(rec: Any) -> Client:
    client = Client()
    client.force_login(rec)
    return client


def saved_with_new_job(owner: Any, *, query: str = CANONICAL) -> SavedSearch:
    """A saved search whose baseline run saw job 0 and whose next run found job 1."""
    search = crud.saved_search_create(
        owner=owner, name="Ada's search", query_string=query, allow_duplicate=True
    )
    now = timezone.now()
    runs = [
        SearchRun.objects.create(
            search=search,
            claim_token=uuid.uuid4(),
            trigger=Trigger.MANUAL,
            status=RunStatus.SUCCEEDED,
            started_at=now - dt.timedelta(minutes=m),
        )
        for m in (30, 10)
    ]
    SavedSearch.objects.filter(pk=search.pk).update(
        baseline_run=runs[0], baseline_started_at=now - dt.timedelta(hours=1)
    )
    for i, (run, minutes) in enumerate(zip(runs, (30, 10), strict=True)):
        SeenJob.objects.create(
            search=search, job_key=key(i), first_seen_at=now - dt.timedelta(minutes=minutes),
            first_seen_run=run, last_seen_run=runs[1],
        )  # fmt: skip
    search.refresh_from_db()
    return search


def badged_keys(body: str) -> set[str]:
    cards = re.findall(r'<li class="job-card" data-job-key="([0-9a-f]{40})".*?</li>\n', body, re.S)
    return {k for k in cards if NEW_BADGE in card_html(body, k)}


def card_html(body: str, job_key: str) -> str:
    match = re.search(rf'<li class="job-card" data-job-key="{job_key}".*?</li>\n', body, re.S)
    assert match, job_key
    return match.group(0)


# --- "Save this search" -------------------------------------------------------------------------


def test_save_control_is_hidden_until_a_candidate_is_chosen(
    client_rec: Client, upstream: FakeUpstream
) -> None:
    body = client_rec.get("/").content.decode()
    assert "Save this search" not in body
    assert reverse("saved_searches:create") not in body


def test_save_control_is_hidden_when_there_are_no_boards(
    client_rec: Client, upstream: FakeUpstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scoring import selectors

    monkeypatch.setattr(selectors, "board_list", lambda: [])
    body = client_rec.get("/" + Q).content.decode()
    assert "Save this search" not in body


def test_save_control_is_hidden_when_the_search_failed(client_rec: Client, upstream: FakeUpstream) -> None:
    from scoring.hrflow.errors import HrFlowTimeout

    upstream.error = HrFlowTimeout()
    body = client_rec.get("/" + Q).content.decode()
    assert "Save this search" not in body


def test_save_control_is_prefilled_posts_to_create_with_csrf(
    client_rec: Client, upstream: FakeUpstream
) -> None:
    body = client_rec.get("/" + Q + "&skills=python&page=2").content.decode()
    form = re.search(r'<form method="post" action="/saved/new/".*?</form>', body, re.S)
    assert form, "no save form"
    html = form.group(0)
    assert 'hx-post="/saved/new/"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    # Candidate name (escaped) + a summary of the filters; saved from page 1.
    assert 'value="Ada &lt;b&gt;Lovelace&lt;/b&gt; · skills: python"' in html
    assert '<option value="daily" selected>' in html
    query = re.search(r'name="query_string" value="([^"]*)"', html)
    assert query
    assert "skills=python" in query.group(1)
    assert "page=" not in query.group(1)
    assert 'id="save-search-result"' in body  # where the HTMX answer goes


def test_save_control_rides_along_the_results_swap(client_rec: Client, upstream: FakeUpstream) -> None:
    body = client_rec.get("/" + Q + "&skills=rust", headers=HX).content.decode()
    assert '<div id="save-slot" class="ext-slot" hx-swap-oob="true">' in body
    assert "skills: rust" in body
    assert 'action="/saved/new/"' in body


def test_saving_from_the_page_creates_the_search(
    client_rec: Client, rec: Any, upstream: FakeUpstream
) -> None:
    body = client_rec.get("/" + Q + "&skills=python").content.decode()
    hidden = r'<input type="hidden" name="(query_string|candidate_name|filters_summary)" value="([^"]*)"'
    fields = {name: html.unescape(value) for name, value in re.findall(hidden, body)}
    response = client_rec.post(
        reverse("saved_searches:create"), {**fields, "name": "Mine", "schedule": "weekly"}, headers=HX
    )
    assert response.status_code == 200
    assert "Saved “Mine”." in response.content.decode()
    search = SavedSearch.objects.get(owner=rec)
    assert search.schedule == "weekly"
    assert search.filters_summary == "skills: python"
    assert "skills=python" in search.query_string


def test_the_per_user_cap_error_is_shown_inline(
    client_rec: Client, rec: Any, upstream: FakeUpstream, settings: Any
) -> None:
    settings.SAVED_SEARCH_CAP_PER_USER = 0
    data = {"name": "x", "schedule": "daily", "query_string": CANONICAL}
    body = client_rec.post(reverse("saved_searches:create"), data, headers=HX).content.decode()
    assert body.startswith('<div id="save-search-result"')
    assert CAP_REACHED_MESSAGE.format(cap=0) in body
    # Without JavaScript: back to the search, with the message on the page.
    response = client_rec.post(reverse("saved_searches:create"), data, follow=True)
    assert CAP_REACHED_MESSAGE.format(cap=0) in response.content.decode()
    assert not SavedSearch.objects.exists()


def test_save_post_requires_csrf(rec: Any, upstream: FakeUpstream) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(rec)
    data = {"name": "x", "schedule": "daily", "query_string": CANONICAL}
    assert client.post(reverse("saved_searches:create"), data, headers=HX).status_code == 403
    assert not SavedSearch.objects.exists()
    body = client.get("/" + Q).content.decode()
    form = re.search(r'<form method="post" action="/saved/new/".*?</form>', body, re.S)
    assert form
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(0))
    assert token
    ok = client.post(
        reverse("saved_searches:create"), {**data, "csrfmiddlewaretoken": token.group(1)}, headers=HX
    )
    assert ok.status_code == 200
    assert SavedSearch.objects.count() == 1


# --- ?saved=<id> ----------------------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True])
def test_another_users_saved_search_is_404(client_rec: Client, upstream: FakeUpstream, htmx: bool) -> None:
    other = get_user_model().objects.create_user("mallory", password="pw-mallory")
    search = saved_with_new_job(other)
    headers = HX if htmx else {}
    assert client_rec.get(f"/{Q}&saved={search.pk}", headers=headers).status_code == 404
    assert client_rec.get(f"/{Q}&saved={search.pk + 1000}", headers=headers).status_code == 404
    assert client_rec.get(f"/{Q}&saved=abc", headers=headers).status_code == 404
    assert client_rec.get(f"/{Q}&saved=99999999999999999999999", headers=headers).status_code == 404
    assert upstream.calls == []  # refused before any upstream call


def test_opening_shows_new_badges_once_and_marks_viewed(
    client_rec: Client, rec: Any, upstream: FakeUpstream
) -> None:
    search = saved_with_new_job(rec)
    opened = client_rec.get(reverse("saved_searches:open", args=[search.pk]), follow=True)
    assert opened.status_code == 200
    body = opened.content.decode()
    assert badged_keys(body) == {key(1)}
    assert 'New<span class="visually-hidden"> since your last visit</span>' in card_html(body, key(1))
    assert f'<input type="hidden" name="saved" value="{search.pk}">' in body
    assert "Ada&#x27;s search" in body  # which saved search this is
    assert "Update saved search with these filters" not in body  # same filters
    assert search.visits.get(user=search.owner).last_viewed_at is not None
    # A reload of the same visit keeps the badges, and so does opening it again in this session
    # (issue 10); a visit in a new session (another login) has none.
    assert badged_keys(client_rec.get(opened.redirect_chain[-1][0]).content.decode()) == {key(1)}
    again = client_rec.get(reverse("saved_searches:open", args=[search.pk]), follow=True).content.decode()
    assert badged_keys(again) == {key(1)}
    client_rec.logout()
    client_rec.force_login(rec)
    later = client_rec.get(reverse("saved_searches:open", args=[search.pk]), follow=True).content.decode()
    assert badged_keys(later) == set()
    assert NEW_BADGE not in later


def test_badges_and_the_saved_id_survive_htmx_swaps_and_pager_links(
    client_rec: Client, rec: Any, upstream: FakeUpstream
) -> None:
    search = saved_with_new_job(rec)
    crud.saved_search_mark_viewed(search=search, viewer=search.owner)
    upstream.max_page = 3
    response = client_rec.get(f"/{Q}&saved={search.pk}", headers=HX)
    body = response.content.decode()
    assert badged_keys(body) == {key(1)}
    assert response["HX-Push-Url"].endswith(f"&saved={search.pk}")
    assert re.search(rf'hx-get="/\?[^"]*page=2[^"]*&amp;saved={search.pk}"', body)


def test_changed_filters_offer_to_update_the_saved_search(
    client_rec: Client, rec: Any, upstream: FakeUpstream
) -> None:
    search = saved_with_new_job(rec)
    body = client_rec.get(f"/{Q}&skills=rust&saved={search.pk}", headers=HX).content.decode()
    form = re.search(r'<form method="post" action="(/saved/\d+/filters/)".*?</form>', body, re.S)
    assert form
    assert form.group(1) == reverse("saved_searches:update-filters", args=[search.pk])
    assert 'name="csrfmiddlewaretoken"' in form.group(0)
    assert "Save as a new search" in body
    query = re.search(r'name="query_string" value="([^"]*)"', form.group(0))
    assert query
    response = client_rec.post(form.group(1), {"query_string": html.unescape(query.group(1))}, headers=HX)
    assert "Updated the filters" in response.content.decode()
    search.refresh_from_db()
    assert "skills=rust" in search.query_string
    assert search.baseline_run_id is None  # a new baseline: nothing flagged as new
    assert not SeenJob.objects.filter(search=search).exists()


# --- navigation -----------------------------------------------------------------------------------


def test_navigation_links_saved_searches_with_the_new_count(
    client_rec: Client, rec: Any, upstream: FakeUpstream, django_assert_num_queries: Any
) -> None:
    body = client_rec.get("/").content.decode()
    assert re.search(r'<a href="/saved/" id="nav-saved">Saved searches</a>', body)
    saved_with_new_job(rec)
    saved_with_new_job(rec)
    other = get_user_model().objects.create_user("mallory", password="pw-mallory")
    saved_with_new_job(other)
    assert "2 new" in client_rec.get("/").content.decode()
    with django_assert_num_queries(1):
        assert new_job_total(viewer=rec) == 2


def test_new_job_total_matches_the_list_counts(rec: Any) -> None:
    from saved_searches.selectors import saved_search_list

    fresh = crud.saved_search_create(owner=rec, name="no baseline yet", query_string=CANONICAL)
    viewed = saved_with_new_job(rec)
    unviewed = saved_with_new_job(rec)
    crud.saved_search_mark_viewed(search=viewed, viewer=viewed.owner)
    counts = {s.pk: s.new_count for s in saved_search_list(owner=rec)}
    assert counts == {fresh.pk: 0, viewed.pk: 0, unviewed.pk: 1}
    assert new_job_total(viewer=rec) == sum(counts.values())


def test_the_prefilled_name_summarises_the_active_filters(client_rec: Client, upstream: FakeUpstream) -> None:
    filters = "&lat=30.27&lng=-97.74&location_distance=25&date_preset=7d&salary_min=90000&score_threshold=0.5"
    body = client_rec.get("/" + Q + filters + "&tags_in=remote:true").content.decode()
    summary = re.search(r'name="filters_summary" value="([^"]*)"', body)
    assert summary
    assert html.unescape(summary.group(1)) == (
        # the point named after the nearest city of the shipped list (scoring/cities.py)
        "within 25 km of Austin, US · tags: remote: true · last 7 days · salary from $90k / year"
        " · score ≥ 50%"
    )


def test_session_badges_end_after_the_configured_hours(
    client_rec: Client, rec: Any, upstream: FakeUpstream, settings: Any
) -> None:
    search = saved_with_new_job(rec)
    first = client_rec.get(reverse("saved_searches:open", args=[search.pk]), follow=True).content.decode()
    assert badged_keys(first) == {key(1)}
    settings.SAVED_SEARCH_BADGE_SESSION_HOURS = 0  # the session's opening is over
    again = client_rec.get(reverse("saved_searches:open", args=[search.pk]), follow=True).content.decode()
    assert badged_keys(again) == set()


@pytest.mark.parametrize(
    ("sort_by", "order_by", "text"),
    [("scoring", "desc", "all jobs"), ("created_at", "desc", "newest first"),
     ("created_at", "asc", "oldest first"), ("scoring", "asc", "weakest match first")],
)  # fmt: skip
def test_the_summary_names_a_non_default_sort(sort_by: str, order_by: str, text: str) -> None:
    from scoring.filters import filters_summary
    from scoring.hrflow.query import JobQuery

    assert filters_summary(JobQuery(sort_by=sort_by, order_by=order_by), board_names={}) == text


def test_the_summary_names_the_nearest_shipped_city() -> None:
    from scoring.filters import filters_summary
    from scoring.hrflow.query import JobQuery

    chicago = JobQuery(lat=41.85, lng=-87.65, location_distance=50)
    assert filters_summary(chicago, board_names={}) == "within 50 km of Chicago, US"
    at_sea = JobQuery(lat=0.0, lng=-30.0, location_distance=50)
    assert filters_summary(at_sea, board_names={}) == "within 50 km of 0.00, -30.00"


def test_a_search_is_remembered_for_the_first_screen_after_the_response(
    client_rec: Client, rec: Any, upstream: FakeUpstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    from preferences.models import RecentSearch
    from scoring.views import search as views

    order: list[str] = []
    real = views.recent_search_record

    def record(**kwargs: Any) -> None:
        order.append("recorded")
        real(**kwargs)

    monkeypatch.setattr(views, "recent_search_record", record)
    response = client_rec.get("/" + Q, headers=HX)
    assert response.status_code == 200
    order.append("responded")  # the test client closes the response inside get()
    assert order == ["recorded", "responded"]
    recent = RecentSearch.objects.get(user=rec)
    assert recent.query_string == CANONICAL

    # A failing write never costs the recruiter the page.
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("database gone")

    monkeypatch.setattr(views, "recent_search_record", broken)
    assert client_rec.get("/" + Q, headers=HX).status_code == 200


def test_the_first_screen_says_just_now_then_minutes_ago(
    client_rec: Client, rec: Any, upstream: FakeUpstream
) -> None:
    from preferences.models import RecentSearch

    recent = RecentSearch.objects.create(
        user=rec, source_key=SOURCE, profile_key=PROFILE, candidate_name="Ada Lovelace",
        query_string=CANONICAL, searched_at=timezone.now(),
    )  # fmt: skip
    body = client_rec.get("/").content.decode()
    assert re.search(r"last searched <time [^>]*>just now</time>", body), body
    assert "0 minutes" not in body
    RecentSearch.objects.filter(pk=recent.pk).update(searched_at=timezone.now() - dt.timedelta(minutes=5))
    body = client_rec.get("/").content.decode()
    assert re.search(r"last searched <time [^>]*>5\xa0minutes ago</time>", body), body
