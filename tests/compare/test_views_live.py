"""The matrix page, its CSV and its candidate picker against the live sandbox: three known demo
candidates from both sources, one candidate's scoring failing (`responses`, the others passed
through to the sandbox), scoring off, the HTMX partial and its pushed URL, and the search page's
way in (its slot link and the top bar)."""

from __future__ import annotations

import csv
import io
import re
from typing import Any
from urllib.parse import parse_qs, urlencode

import pytest
import responses
from django.test import Client

from compare.matrix import TOP_JOBS
from tests.compare import demo_trio
from tests.compare.demo_trio import GRACE, MARCUS, NAMES, NICHOLE, TRIO
from tests.fixtures.sandbox import point_dashboard_at

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sandbox(settings: Any, live_sandbox: Any) -> Any:
    point_dashboard_at(settings, live_sandbox)
    return live_sandbox


@pytest.fixture
def recruiter(client: Client, django_user_model: Any) -> Client:
    client.force_login(django_user_model.objects.create_user("rita", password="x"))
    return client


def get_matrix(client: Client, query: str, **headers: str) -> Any:
    response = client.get("/compare/?" + query, headers=headers)
    assert response.status_code == 200, response.content[:500]
    return response


def test_the_matrix_login_is_required(client: Client) -> None:
    response = client.get("/compare/?" + demo_trio.matrix_query_string())
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_three_demo_candidates_side_by_side(recruiter: Client, sandbox: Any) -> None:
    matrix = get_matrix(recruiter, demo_trio.matrix_query_string()).context["matrix"]
    assert [c.name for c in matrix.columns] == NAMES
    assert not matrix.failed
    for index, ref in enumerate(TRIO):
        expected = demo_trio.raw_top_scores(sandbox, ref)
        assert len(expected) == TOP_JOBS
        shown = {row.job_key: row.cells[index].score_pct for row in matrix.rows if row.cells[index]}
        # Bug caught: cells from another candidate's list, or a job outside the top 30 shown.
        assert shown == expected
    keys = [row.job_key for row in matrix.rows]
    assert (
        len(keys) == len(set(keys)) == len(set().union(*(demo_trio.raw_top_scores(sandbox, r) for r in TRIO)))
    )
    best = [row.best_score for row in matrix.rows]
    assert best == sorted(best, reverse=True)
    # The two account executives share jobs: some rows have two scores.
    assert any(sum(c is not None for c in row.cells) >= 2 for row in matrix.rows)


def test_a_job_hidden_for_one_candidate_leaves_only_their_column(
    recruiter: Client, sandbox: Any, django_user_model: Any
) -> None:
    """As on their search page (issue 12 part 2): the job the recruiter hid for a candidate is
    not in that candidate's column, which still holds their top jobs, nor in the CSV; another
    candidate's cell for the same job stays."""
    from shortlists.models import HiddenJob

    before = get_matrix(recruiter, demo_trio.matrix_query_string()).context["matrix"]
    shared = next(r for r in before.rows if sum(c is not None for c in r.cells) >= 2)
    hidden_for, kept_for = [i for i, cell in enumerate(shared.cells) if cell is not None][:2]
    ref = TRIO[hidden_for]
    HiddenJob.objects.create(
        owner=django_user_model.objects.get(username="rita"),
        source_key=ref.source_key,
        profile_key=ref.profile_key,
        job_key=shared.job_key,
    )
    after = get_matrix(recruiter, demo_trio.matrix_query_string()).context["matrix"]
    row = next(r for r in after.rows if r.job_key == shared.job_key)
    # Bugs caught: the matrix ignoring hidden jobs; hiding for every candidate; a short column.
    assert row.cells[hidden_for] is None
    assert row.cells[kept_for] is not None
    assert sum(r.cells[hidden_for] is not None for r in after.rows) == TOP_JOBS
    export = recruiter.get("/compare/export.csv?" + demo_trio.matrix_query_string())
    assert export.status_code == 200
    table = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
    line = next(r for r in table if r["job_key"] == shared.job_key)
    assert line[after.columns[hidden_for].name] == ""
    assert line[after.columns[kept_for].name] != ""


def test_a_cell_opens_that_candidates_search_with_the_same_filters(recruiter: Client, sandbox: Any) -> None:
    query = demo_trio.matrix_query_string(
        text_keywords="sales", lat="40.71", lng="-74.0", location_distance="100"
    )
    response = get_matrix(recruiter, query)
    matrix = response.context["matrix"]
    row = next(r for r in matrix.rows if r.cells[2] is not None)
    url = row.cells[2].url
    assert url.endswith(f"#job-{row.job_key}")
    page = recruiter.get(url.partition("#")[0])
    assert page.status_code == 200
    assert page.context["query"].profile_key == NICHOLE.profile_key
    assert page.context["query"].text_keywords == ("sales",)
    assert page.context["query"].location_distance == 100
    assert row.job_key in [job.key for job in page.context["page"].jobs]  # on its first page


def test_one_candidates_failure_shows_in_their_column_not_as_a_page_error(
    recruiter: Client, sandbox: Any
) -> None:
    with demo_trio.failing_scoring_for(sandbox, GRACE):
        response = get_matrix(recruiter, demo_trio.matrix_query_string())
    matrix = response.context["matrix"]
    assert [c.name for c in matrix.columns] == NAMES  # her profile was read: her name stays
    assert [c.name for c in matrix.failed] == ["Grace Parker"]
    assert all(row.cells[1] is None for row in matrix.rows)
    assert sum(row.cells[0] is not None for row in matrix.rows) == TOP_JOBS
    assert sum(row.cells[2] is not None for row in matrix.rows) == TOP_JOBS
    body = response.content.decode()
    assert "Grace Parker: not scored." in body
    assert "Internal error" not in body  # HrFlow's own words are not a recruiter's message


def test_scoring_off_says_so_and_calls_nothing_upstream(recruiter: Client, sandbox: Any) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add_passthru(re.compile(re.escape(sandbox.url)))
        response = get_matrix(recruiter, demo_trio.matrix_query_string(use_agent="0"))
        scoring_calls = [c for c in rsps.calls if "jobs/scoring" in (c.request.url or "")]
    assert scoring_calls == []
    body = response.content.decode()
    assert "needs scoring on" in body
    assert response.context["matrix"] is None
    assert "use_agent" not in response.context["scoring_on_url"]


def test_htmx_gets_the_partial_and_the_canonical_url_is_pushed(recruiter: Client, sandbox: Any) -> None:
    query = "skills__text=Sales&page=4&" + demo_trio.matrix_query_string((GRACE, MARCUS))
    response = get_matrix(recruiter, query, HX_Request="true")
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="matrix-form"' in body
    pushed = response["HX-Push-Url"]
    path, _, query_string = pushed.partition("?")
    params = parse_qs(query_string)
    assert path == "/compare/"
    # The canonical search parameters (as the search page pushes them), no page, and the
    # candidates in their column order, last.
    assert params["skills"] == ["Sales"]
    assert "page" not in params
    assert params["candidate"] == [GRACE.token, MARCUS.token]
    assert query_string.endswith(urlencode([("candidate", GRACE.token), ("candidate", MARCUS.token)]))
    assert get_matrix(recruiter, pushed.partition("?")[2]).context["matrix"].columns[0].name == "Grace Parker"


def test_csv_export_of_the_matrix(recruiter: Client, sandbox: Any) -> None:
    query = demo_trio.matrix_query_string()
    matrix = get_matrix(recruiter, query).context["matrix"]
    response = recruiter.get("/compare/export.csv?" + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))  # type: ignore[attr-defined]
    assert lines[0] == ["best_pct", *NAMES, "title", "company", "location", "url", "job_key"]
    assert [line[-1] for line in lines[1:]] == [row.job_key for row in matrix.rows]


def test_csv_export_without_candidates_is_a_400(recruiter: Client, sandbox: Any) -> None:
    assert recruiter.get("/compare/export.csv").status_code == 400
    assert recruiter.get("/compare/export.csv?candidate=nope").status_code == 400


def test_the_picker_adds_a_candidate_of_any_source_keeping_the_matrix(
    recruiter: Client, sandbox: Any
) -> None:
    back = demo_trio.matrix_query_string((MARCUS,), skills="Sales")
    response = recruiter.get(
        "/compare/candidates/", {"source_key": GRACE.source_key, "name": "parker", "back": back}
    )
    assert response.status_code == 200
    links = re.findall(r'class="candidate-option" href="([^"]+)"', response.content.decode())
    assert links, response.content[:400]
    target = next(link for link in links if GRACE.profile_key in link).replace("&amp;", "&")
    matrix = get_matrix(recruiter, target.partition("?")[2]).context["matrix"]
    assert [c.name for c in matrix.columns] == ["Marcus Shaw", "Grace Parker"]
    assert get_matrix(recruiter, target.partition("?")[2]).context["filters"].skills == ("Sales",)


def test_the_picker_offers_no_one_already_in_the_matrix(recruiter: Client, sandbox: Any) -> None:
    back = demo_trio.matrix_query_string((MARCUS,))
    response = recruiter.get(
        "/compare/candidates/", {"source_key": MARCUS.source_key, "name": "shaw", "back": back}
    )
    body = response.content.decode()
    assert f'data-profile-key="{MARCUS.profile_key}"' not in body
    assert "No other candidate called “shaw”." in body


def test_the_search_page_links_to_the_matrix_with_its_candidate_and_filters(
    recruiter: Client, sandbox: Any
) -> None:
    response = recruiter.get(
        "/", {"source_key": MARCUS.source_key, "profile_key": MARCUS.profile_key, "skills": "Sales"}
    )
    body = response.content.decode()
    link = re.search(r'<a href="(/compare/\?[^"]+)">Compare with other candidates</a>', body)
    assert link is not None
    matrix = get_matrix(recruiter, link.group(1).replace("&amp;", "&").partition("?")[2])
    assert [c.name for c in matrix.context["matrix"].columns] == ["Marcus Shaw"]
    assert matrix.context["filters"].skills == ("Sales",)
    assert re.search(r'<a href="/compare/" id="nav-compare">Compare candidates</a>', body)
