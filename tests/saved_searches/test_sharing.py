"""A saved search shared with one of its owner's teams (issue 12 part 3): teammates see it marked
in their list, read-only, with "New" counted from their own visits, and save a copy of their own;
the owner's list marks it; a user in no team sees what they always saw."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from saved_searches import selectors
from saved_searches.models import AlertMode, SavedSearch, Schedule
from saved_searches.services import crud
from saved_searches.services.refresh import saved_search_refresh
from tests.fixtures.teams import logged_in, make_team
from tests.saved_searches.conftest import QUERY, make_due, make_search

pytestmark = pytest.mark.django_db
SHARED_LIST_QUERIES = 7  # measured with 1 and 5 shared searches: no query per row


@pytest.fixture
def team(user: Any, other_user: Any) -> Group:
    return make_team("Recruiters", user, other_user)


@pytest.fixture
def shared(user: Any, team: Group) -> SavedSearch:
    search = make_search(
        user, name="Python in Lyon", alert_mode=AlertMode.EACH_REFRESH, schedule=Schedule.WEEKLY
    )
    return crud.saved_search_share(search=search, team_id=team.pk)


def refresh(search: SavedSearch) -> None:
    make_due(search)
    saved_search_refresh(search_id=search.pk)


def test_the_teammate_sees_it_marked_read_only_and_the_owner_sees_it_shared(
    user: Any, other_user: Any, shared: SavedSearch
) -> None:
    mine = logged_in(other_user).get(reverse("saved_searches:list")).content.decode()
    assert "Shared with you" in mine
    assert "Shared by alice · Recruiters" in mine
    row = mine[mine.index(f'id="saved-{shared.pk}"') :]
    row = row[: row.index("</tr>")]
    for write in ("rename", "schedule", "alert-mode", "pause", "delete", "refresh", "share"):
        assert reverse(f"saved_searches:{write}", args=[shared.pk]) not in row, write
    assert reverse("saved_searches:copy", args=[shared.pk]) in row
    assert f"saved={shared.pk}" in row  # its CSV
    owners = logged_in(user).get(reverse("saved_searches:list")).content.decode()
    assert "Shared with Recruiters" in owners
    assert "Shared with you" not in owners


def test_a_user_in_no_team_sees_no_share_control_and_nothing_shared(
    django_user_model: Any, shared: SavedSearch
) -> None:
    loner = django_user_model.objects.create_user("lone", password="pw-lone-123")
    make_search(loner, name="Mine alone")
    page = logged_in(loner).get(reverse("saved_searches:list")).content.decode()
    assert "Mine alone" in page
    assert "Python in Lyon" not in page
    assert "Shared with you" not in page
    assert 'name="team"' not in page


def test_new_is_counted_from_each_users_own_visits(
    user: Any, other_user: Any, shared: SavedSearch, fake_upstream: Any
) -> None:
    fake_upstream.answers += [
        [("j1", 0.9)],
        [("j1", 0.9), ("j2", 0.8)],
        [("j1", 0.9), ("j2", 0.8), ("j3", 0.7)],
    ]
    refresh(shared)
    refresh(shared)  # j2 is new for both
    shared.refresh_from_db()
    crud.saved_search_mark_viewed(search=shared, viewer=user)  # the owner looks
    assert selectors.new_job_count(shared, viewer=user) == 0
    assert selectors.new_job_count(shared, viewer=other_user) == 1, "the owner's visit is not theirs"
    assert selectors.shared_search_list(reader=other_user).get().new_count == 1  # type: ignore[attr-defined]
    assert selectors.new_job_total(viewer=other_user) == 1  # the top bar's count includes it
    refresh(shared)  # j3
    shared.refresh_from_db()
    crud.saved_search_mark_viewed(search=shared, viewer=other_user)
    assert selectors.new_job_keys(shared, viewer=other_user) == {"j2", "j3"}  # since their (no) visit
    assert selectors.new_job_count(shared, viewer=user) == 1
    assert selectors.new_job_count(shared, viewer=other_user) == 0


def test_opening_records_the_teammates_visit_and_leaves_the_search_row_alone(
    user: Any, other_user: Any, shared: SavedSearch
) -> None:
    before = SavedSearch.objects.filter(pk=shared.pk).values().get()
    response = logged_in(other_user).get(reverse("saved_searches:open", args=[shared.pk]))
    assert response["Location"] == f"{reverse('search')}?{QUERY}&saved={shared.pk}"
    assert list(shared.visits.values_list("user__username", flat=True)) == ["mallory"]
    assert SavedSearch.objects.filter(pk=shared.pk).values().get() == before


def test_save_a_copy_is_the_teammates_own_with_alerts_off_and_editable(
    other_user: Any, shared: SavedSearch
) -> None:
    client = logged_in(other_user)
    response = client.post(reverse("saved_searches:copy", args=[shared.pk]))
    copy = SavedSearch.objects.get(owner=other_user)
    assert response["Location"] == reverse("saved_searches:list") + f"#saved-{copy.pk}"
    assert (copy.name, copy.query_string, copy.schedule) == (
        shared.name,
        shared.query_string,
        Schedule.WEEKLY,
    )
    assert copy.alert_mode == AlertMode.OFF
    assert copy.shared_with is None
    client.post(reverse("saved_searches:rename", args=[copy.pk]), {"name": "My Lyon"})
    copy.refresh_from_db()
    assert copy.name == "My Lyon"
    shared.refresh_from_db()
    assert shared.name == "Python in Lyon"
    # A second copy of the same query offers the first one.
    again = client.post(reverse("saved_searches:copy", args=[shared.pk]))
    assert again["Location"].endswith(f"#saved-{copy.pk}")
    assert SavedSearch.objects.filter(owner=other_user).count() == 1


def test_the_owner_shares_with_their_team_or_none_never_another(
    user: Any, team: Group, shared: SavedSearch
) -> None:
    client = logged_in(user)
    theirs = Group.objects.create(name="Not mine")
    client.post(reverse("saved_searches:share", args=[shared.pk]), {"team": theirs.pk})
    shared.refresh_from_db()
    assert shared.shared_with_id == team.pk, "a team the owner is not in is refused"
    with pytest.raises(ValidationError):  # by the service too, whoever calls it
        crud.saved_search_share(search=shared, team_id=theirs.pk)
    client.post(reverse("saved_searches:share", args=[shared.pk]), {"team": ""})
    shared.refresh_from_db()
    assert shared.shared_with_id is None
    response = client.post(
        reverse("saved_searches:share", args=[shared.pk]), {"team": team.pk}, headers={"HX-Request": "true"}
    )
    assert "Shared with Recruiters" in response.content.decode()
    shared.refresh_from_db()
    assert shared.shared_with_id == team.pk


@pytest.mark.parametrize("shared_count", [1, 5])
def test_the_teammates_list_costs_the_same_queries_however_many_are_shared(
    user: Any, other_user: Any, team: Group, shared_count: int, django_assert_num_queries: Any
) -> None:
    for n in range(shared_count):
        crud.saved_search_share(search=make_search(user, name=f"Shared {n}"), team_id=team.pk)
    client = logged_in(other_user)
    client.get(reverse("saved_searches:list"))  # the session and the user are loaded once
    # Owner and team come joined to the shared rows, "N new" is a subquery of the same query.
    with django_assert_num_queries(SHARED_LIST_QUERIES):
        page = client.get(reverse("saved_searches:list")).content.decode()
    assert page.count("Shared by alice · Recruiters") == shared_count


def test_the_first_screen_lists_a_shared_search_marked_beside_the_users_own(
    user: Any, other_user: Any, shared: SavedSearch
) -> None:
    """The search page's first screen reads what the top bar's New total counts: own and shared."""
    from django.template.loader import render_to_string

    make_search(other_user, name="Mine in Paris")
    teammate = render_to_string("preferences/_first_screen.html", {"user": other_user})
    assert "Mine in Paris" in teammate
    assert "Python in Lyon" in teammate
    assert reverse("saved_searches:open", args=[shared.pk]) in teammate
    assert teammate.count("Shared by alice · Recruiters") == 1
    owner = render_to_string("preferences/_first_screen.html", {"user": user})
    assert "Python in Lyon" in owner
    assert "Shared by" not in owner  # the owner's own search is not "shared by" them
