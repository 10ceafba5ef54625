"""The lone-surrogate job (`"\\ud800"` in upstream JSON) on every page of the URLconf: 200.

Upstream (boards, sources, the candidate, scoring) answers with a lone surrogate in every text
field, injected with `responses` in front of the real client and parser (the sandbox refuses such
jobs). Every dashboard route is requested with GET, plain and HTMX, with the search's query
string; none may fail (a 5xx) or send text a browser cannot decode.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from saved_searches.services import crud
from shortlists.models import ShortlistEntry, ShortlistShare
from tests.scoring.test_lone_surrogate import QUERY, hostile_upstream
from tests.security.urlconf import Route, routes, sample_path

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}
PAGES = [route for route in routes() if not route.is_admin]
EXTRA = {
    "job-details": "&job_key=" + f"{1:040x}",
    "candidate-search": "&name=ada",
    "cities": "&q=par",
    "vocabulary": "&kind=skills&q=py",  # a typeahead asks for a kind; without one it is a 400
    # The matrix and its CSV of the search's candidate (without one the CSV is a 400).
    "compare:matrix": f"&candidate={QUERY.source_key}:{QUERY.profile_key}",
    "compare:export": f"&candidate={QUERY.source_key}:{QUERY.profile_key}",
    "compare:candidates": "&name=ada",
}
# The sample value "1" names no stored message and is no signed token: those answer as they
# should for it (still never a 5xx, still valid UTF-8).
SAMPLE_STATUS = {"alerts:outbox-message": 404, "alerts:outbox-message-html": 404, "alerts:unsubscribe": 400}
hostile_upstream = hostile_upstream  # the shared fixture (responses with lone surrogates)


@pytest.fixture
def recruiter(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("surrogate-sec", password="pw-for-tests")


@pytest.mark.parametrize("route", PAGES, ids=str)
@pytest.mark.parametrize("htmx", [False, True])
def test_every_page_renders_with_a_lone_surrogate_upstream(
    hostile_upstream: Any, recruiter: Any, route: Route, htmx: bool, django_user_model: Any
) -> None:
    client = Client()
    client.force_login(recruiter)
    search = crud.saved_search_create(owner=recruiter, name="s", query_string=QUERY.to_query_string())
    # A teammate's shortlist of the candidate, shared with the recruiter under the same id, so the
    # shared pages (`shortlists/shared/<pk>/`) render it as a teammate reads it.
    team = Group.objects.create(name="Team")
    teammate = django_user_model.objects.create_user("surrogate-mate", password="pw-for-tests")
    team.user_set.add(recruiter, teammate)
    candidate_of_search = {"source_key": QUERY.source_key, "profile_key": QUERY.profile_key}
    ShortlistShare.objects.create(pk=search.pk, owner=teammate, team=team, **candidate_of_search)
    ShortlistEntry.objects.create(
        owner=teammate, job_key=f"{1:040x}", board_key=f"{2:040x}", position=1, title="Pick",
        **candidate_of_search,
    )  # fmt: skip
    # A candidate's pages (the shortlist) name the search's candidate: "1" is no valid key.
    candidate = {"source_key": QUERY.source_key, "profile_key": QUERY.profile_key}
    path = (
        sample_path(route, pk=search.pk, values=candidate)
        + "?"
        + QUERY.to_query_string()
        + EXTRA.get(route.name, "")
    )
    response = client.get(path, headers=HX if htmx else {}, follow=True)
    assert response.status_code < 500
    expected = (SAMPLE_STATUS[route.name],) if route.name in SAMPLE_STATUS else (200, 405)
    assert response.status_code in expected, (path, response.status_code)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    body.decode("utf-8")  # strict: what was sent is valid UTF-8
