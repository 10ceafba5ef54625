"""Who may do what with a shared saved search or shortlist (issue 12 part 3), one table of routes.

Every saved-search and shortlist URL is classified in `ROUTES` (a new one fails
`test_every_route_is_classified` until it is):

* READ: the owner, and teammates (members of the team it is shared with, while the owner is in
  it too); anyone else, in another team or in none, gets 404.
* OWNER: the owner only; a teammate gets the same 404 as anyone else.
* OWN_DATA: the URL names no object of someone else's (the list, star, a candidate's own
  shortlist, …): it acts on the requester's own rows whoever calls it, so nobody else's row
  changes (`test_own_data_routes_never_touch_the_owners_rows`).

For every URL, verb and mode: a verb the view does not take answers 405 to everyone (what the
owner gets says so); otherwise the owner is allowed (no 403/404/5xx), a teammate is allowed on
READ and 404 on OWNER, the others 404, and the owner's rows are unchanged after every
non-owner's request.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.forms.models import model_to_dict
from django.test import Client

from hrflow_dash.demo import DEMO_BOARD_KEYS, DEMO_SOURCE_KEYS
from saved_searches.models import AlertMode, SavedSearch, SearchRun
from saved_searches.services import crud
from shortlists.models import ShortlistEntry, ShortlistShare
from tests.fixtures.sandbox import point_dashboard_at
from tests.security.urlconf import routes, sample_path
from tests.shortlists.conftest import PROFILE, SOURCE, make_entry

pytestmark = pytest.mark.django_db


class Access(enum.Enum):
    READ = "owner and teammates"
    OWNER = "owner only"
    OWN_DATA = "the requester's own rows"


ROUTES: dict[str, Access] = {
    "saved_searches:list": Access.OWN_DATA,
    "saved_searches:create": Access.OWN_DATA,
    "saved_searches:open": Access.READ,
    "saved_searches:status": Access.READ,
    "saved_searches:copy": Access.READ,
    "saved_searches:rename": Access.OWNER,
    "saved_searches:update-filters": Access.OWNER,
    "saved_searches:schedule": Access.OWNER,
    "saved_searches:alert-mode": Access.OWNER,
    "saved_searches:pause": Access.OWNER,
    "saved_searches:delete": Access.OWNER,
    "saved_searches:refresh": Access.OWNER,
    "saved_searches:share": Access.OWNER,
    "shortlists:overview": Access.OWN_DATA,
    "shortlists:star": Access.OWN_DATA,
    "shortlists:hide": Access.OWN_DATA,
    "shortlists:detail": Access.OWN_DATA,
    "shortlists:export": Access.OWN_DATA,
    "shortlists:share": Access.OWN_DATA,
    "shortlists:shared-detail": Access.READ,
    "shortlists:shared-export": Access.READ,
    "shortlists:shared-copy": Access.READ,
    "shortlists:entry-update": Access.OWNER,
    "shortlists:entry-move": Access.OWNER,
    "shortlists:entry-remove": Access.OWNER,
}
APPS = ("saved_searches:", "shortlists:")
APP_ROUTES = {route.name: route for route in routes() if route.name.startswith(APPS)}
OBJECT_ROUTES = sorted(name for name, access in ROUTES.items() if access is not Access.OWN_DATA)
OWN_DATA_ROUTES = sorted(name for name, access in ROUTES.items() if access is Access.OWN_DATA)
# The demo board and source: the sandbox knows them, so the search page's form accepts the query.
QUERY = f"board_keys={DEMO_BOARD_KEYS[0]}&profile_key={PROFILE}&source_key={DEMO_SOURCE_KEYS[0]}"
VERBS = ["get", "head", "post", "put", "patch", "delete", "options"]
MODES = {"plain": {}, "htmx": {"HX-Request": "true"}}
NOT_ALLOWED = {403, 404}


def allowed(status: int) -> bool:
    return status not in NOT_ALLOWED and status < 500


def test_every_route_is_classified() -> None:
    assert sorted(APP_ROUTES) == sorted(ROUTES), "classify the new route in ROUTES"


def test_object_routes_take_an_id_and_own_data_routes_do_not() -> None:
    # An OWN_DATA route with an id would be someone's object: it needs READ or OWNER.
    assert [name for name in OWN_DATA_ROUTES if APP_ROUTES[name].takes_pk] == []
    assert [name for name in OBJECT_ROUTES if not APP_ROUTES[name].takes_pk] == []


@dataclass
class World:
    owner: Any
    teammate: Any
    other_team: Any  # in a team of their own
    loner: Any  # in no team
    search: SavedSearch
    entry: ShortlistEntry
    share: ShortlistShare

    def client(self, user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def pk_for(self, name: str) -> int:
        if name.startswith("saved_searches:"):
            return self.search.pk
        if name.startswith("shortlists:entry-"):
            return self.entry.pk
        return self.share.pk

    def owners_rows(self) -> dict[str, Any]:
        """Everything the owner has; a shared shortlist's read refreshes its "no longer listed"
        marks from upstream, which is not an edit, so those are left out."""
        entries = ShortlistEntry.objects.filter(owner=self.owner).order_by("pk")
        return {
            "searches": list(SavedSearch.objects.filter(owner=self.owner).order_by("pk").values()),
            "runs": SearchRun.objects.count(),
            "entries": [model_to_dict(e, exclude=["unlisted_at"]) for e in entries],
            "shares": list(ShortlistShare.objects.filter(owner=self.owner).values()),
        }


@pytest.fixture
def world(django_user_model: Any, settings: Any, live_sandbox: Any) -> World:
    point_dashboard_at(settings, live_sandbox)  # the shortlist page asks whether jobs are listed
    team, elsewhere = Group.objects.create(name="Recruiters"), Group.objects.create(name="Sales")
    owner, teammate, other_team, loner = (
        django_user_model.objects.create_user(name, password=f"pw-{name}-123")
        for name in ("owner", "teammate", "other_team", "loner")
    )
    team.user_set.add(owner, teammate)
    elsewhere.user_set.add(other_team)
    search = crud.saved_search_create(
        owner=owner, name="Shared search", query_string=QUERY, alert_mode=AlertMode.EACH_REFRESH
    )
    crud.saved_search_share(search=search, team_id=team.pk)
    entry = make_entry(owner, 1, note="owner's note")
    make_entry(owner, 2)
    share = ShortlistShare.objects.create(owner=owner, source_key=SOURCE, profile_key=PROFILE, team=team)
    return World(owner, teammate, other_team, loner, search, entry, share)


def call(client: Client, verb: str, path: str, headers: dict[str, str]) -> int:
    return int(getattr(client, verb)(path, headers=headers).status_code)


@pytest.mark.parametrize("name", OBJECT_ROUTES)
@pytest.mark.parametrize("verb", VERBS)
@pytest.mark.parametrize("mode", list(MODES))
def test_owner_teammate_and_others(world: World, name: str, verb: str, mode: str) -> None:
    path, headers = sample_path(APP_ROUTES[name], pk=world.pk_for(name)), MODES[mode]
    before = world.owners_rows()
    got = {
        who: call(world.client(getattr(world, who)), verb, path, headers)
        for who in ("teammate", "other_team", "loner")
    }
    assert world.owners_rows() == before, "a non-owner's request changed the owner's rows"
    owner_status = call(world.client(world.owner), verb, path, headers)  # last: it may delete

    if owner_status == 405:  # the view does not take this verb: the same answer for everyone
        assert got == {"teammate": 405, "other_team": 405, "loner": 405}
        return
    assert allowed(owner_status)
    assert got["other_team"] == got["loner"] == 404
    if ROUTES[name] is Access.READ:
        assert allowed(got["teammate"])
    else:
        assert got["teammate"] == 404


@pytest.mark.parametrize("name", OBJECT_ROUTES)
def test_a_share_stops_counting_when_the_owner_leaves_the_team(world: World, name: str) -> None:
    world.owner.groups.clear()
    path = sample_path(APP_ROUTES[name], pk=world.pk_for(name))
    verb = "get" if call(world.client(world.owner), "get", path, {}) != 405 else "post"
    assert call(world.client(world.teammate), verb, path, {}) == 404


@pytest.mark.parametrize("name", OWN_DATA_ROUTES)
@pytest.mark.parametrize("verb", VERBS)
def test_own_data_routes_never_touch_the_owners_rows(world: World, name: str, verb: str) -> None:
    values = {"source_key": SOURCE, "profile_key": PROFILE}  # the owner's candidate
    path = sample_path(APP_ROUTES[name], values=values)
    before = world.owners_rows()
    for who in (world.teammate, world.other_team, world.loner):
        assert call(world.client(who), verb, path, {}) < 500
    assert world.owners_rows() == before


def test_a_search_page_opened_by_a_teammate_and_by_others(world: World) -> None:
    url = f"/?{QUERY}&saved={world.search.pk}"
    assert world.client(world.other_team).get(url).status_code == 404
    assert world.client(world.loner).get(url).status_code == 404
    export = f"/export.csv?{QUERY}&saved={world.search.pk}"
    assert world.client(world.loner).get(export).status_code == 404
