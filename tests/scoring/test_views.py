"""Search page views: access, full page vs HTMX partial, errors, escaping, export, typeaheads.

The selectors are replaced by fakes that return real `JobPage`s built from HrFlow-shaped job
dicts, so these tests exercise the view + form + template path without HTTP.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from scoring import export, selectors
from scoring.hrflow.errors import HrFlowBadCredentials, HrFlowError, HrFlowTimeout
from scoring.hrflow.query import JobQuery
from scoring.hrflow.results import (
    AlgorithmOption,
    BoardOption,
    Candidate,
    CandidateOption,
    JobPage,
    ScoringPayload,
    SourceOption,
)

BOARD = "b" * 40
SOURCE = "5" * 40
ALGO = "a" * 40
PROFILE = "c" * 40
XSS = '<script>alert("x")</script>'


def make_job(i: int, **overrides: Any) -> dict[str, Any]:
    job = {
        "key": f"{i:040x}",
        "board_key": BOARD,
        "name": f"Data Engineer {i}",
        "url": f"https://example.com/jobs/{i}",
        "summary": "Build pipelines.\nOwn the warehouse.",
        "responsibilities": "Ship things",
        "requirements": "Python",
        "location": {"text": "Austin, TX", "lat": 30.27, "lng": -97.74, "fields": []},
        "skills": [{"name": "Python", "type": "hard", "value": None}, {"name": "Rust", "type": "hard"}],
        "tags": [{"name": "company", "value": "Acme"}, {"name": "remote", "value": True}],
        "ranges_float": [{"name": "salary", "value_min": 100000, "value_max": 150000, "unit": "USD/year"}],
        "created_at": "2026-11-20T08:00:00+0000",
    }
    job.update(overrides)
    return job


def make_page(
    query: JobQuery, n: int = 3, *, total: int | None = None, max_page: int = 1, jobs=None
) -> JobPage:
    jobs = jobs if jobs is not None else [make_job(i) for i in range(n)]
    scores = tuple(round(0.95 - i * 0.02, 4) for i in range(len(jobs)))
    payload = ScoringPayload(
        jobs=tuple(jobs),
        scores=scores,
        page=query.page,
        max_page=max_page,
        count=len(jobs),
        total=len(jobs) if total is None else total,
    )
    return JobPage.build(payload, query=query, candidate_skills=("python",))


class FakeUpstream:
    def __init__(self) -> None:
        self.calls: list[JobQuery] = []
        self.error: Exception | None = None
        self.jobs: list[dict[str, Any]] | None = None
        self.max_page = 1

    def job_match_list(self, *, query: JobQuery, candidate_skills=()) -> JobPage:
        self.calls.append(query)
        if self.error:
            raise self.error
        return make_page(query, jobs=self.jobs, max_page=self.max_page, total=30 * self.max_page)

    def candidate_and_matches(
        self, *, query: JobQuery, source_key: str, profile_key: str, excluded=frozenset()
    ):
        """The service's contract, one call after the other (the parallel path has its own
        tests against the live sandbox: tests/scoring/test_parallel_calls.py)."""
        candidate = selectors.profile_get(source_key=source_key, key=profile_key)
        try:
            return candidate, self.job_match_list(query=query, candidate_skills=candidate.skills)
        except HrFlowError as exc:
            return candidate, exc

    def job_match_export(
        self, *, query: JobQuery, cap: int, candidate_skills=(), info=None, excluded=frozenset()
    ):
        if self.error:
            raise self.error
        page = make_page(query, n=5)
        if info is not None:
            info["total"] = page.total
        yield from [job for job in page.jobs if job.key not in excluded][:cap]


@pytest.fixture
def upstream(monkeypatch, settings) -> FakeUpstream:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    fake = FakeUpstream()
    monkeypatch.setattr(selectors, "board_list", lambda: [BoardOption(BOARD, "Tech & Data")])
    monkeypatch.setattr(selectors, "source_list", lambda: [SourceOption(SOURCE, "Inbound")])
    monkeypatch.setattr(selectors, "algorithm_list", lambda: [AlgorithmOption(ALGO, "Balanced")])
    monkeypatch.setattr(
        selectors,
        "profile_get",
        lambda *, source_key, key: Candidate(
            key=key, source_key=source_key, reference="r", name="Ada <b>Lovelace</b>", title="Data Engineer",
            email="", location_text="", summary="", skills=("Python",),
        ),
    )  # fmt: skip
    monkeypatch.setattr(
        selectors,
        "profile_search",
        lambda *, source_key, name, limit: [
            CandidateOption(key=PROFILE, source_key=source_key, name="Ada Lovelace", title="Data Engineer")
        ],
    )
    monkeypatch.setattr(selectors, "job_match_list", fake.job_match_list)
    monkeypatch.setattr(selectors, "job_match_export", fake.job_match_export)
    monkeypatch.setattr(selectors, "candidate_and_matches", fake.candidate_and_matches)
    return fake


@pytest.fixture
def user_client(db) -> Client:
    user = get_user_model().objects.create_user("rec", password="pw-for-tests")
    client = Client()
    client.force_login(user)
    return client


HX = {"HX-Request": "true"}
Q = f"?source_key={SOURCE}&profile_key={PROFILE}"


def test_anonymous_is_redirected_to_login(client, db) -> None:
    for url in (
        "/",
        "/" + Q,
        "/export.csv" + Q,
        "/candidates/?name=a",
        "/cities/?q=par",
        "/jobs/details/" + Q,
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")


def test_empty_page_prompts_for_a_candidate(user_client, upstream) -> None:
    response = user_client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Pick a candidate" in body
    assert "<form" in body
    assert upstream.calls == []


def test_full_page_has_layout_form_results_and_vary(user_client, upstream) -> None:
    response = user_client.get("/" + Q)
    body = response.content.decode()
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    assert '<form id="search-form"' in body
    assert "<html" in body
    assert "<script" in body
    assert body.count('class="job-card"') == 3
    assert "Ada &lt;b&gt;Lovelace&lt;/b&gt;" in body  # chosen candidate's name, escaped
    assert "30 jobs match" in body


def test_htmx_request_gets_only_the_results_partial(user_client, upstream) -> None:
    response = user_client.get("/" + Q + "&skills=python", headers=HX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    assert '<form id="search-form"' not in body  # the only form is "Save this search", out of band
    assert "<script" not in body
    assert "<html" not in body
    assert "<header" not in body
    cards = re.findall(r'data-job-key="([0-9a-f]{40})" data-score="([0-9.]+)"', body)
    assert len(cards) == 3
    scores = [float(s) for _, s in cards]
    assert scores == sorted(scores, reverse=True)
    assert 'hx-swap-oob="innerHTML:#result-count"' in body
    # The pushed URL is the search page's, with the canonical query string (sorted, defaults
    # omitted): absolute, so it cannot resolve against another URL the browser shows.
    assert response["HX-Push-Url"] == "/?" + upstream.calls[0].to_query_string()
    assert "skills=python" in response["HX-Push-Url"]


def test_history_restore_and_boosted_requests_get_the_full_page(user_client, upstream) -> None:
    for extra in ({"HX-History-Restore-Request": "true"}, {"HX-Boosted": "true"}):
        body = user_client.get("/" + Q, headers={**HX, **extra}).content.decode()
        assert '<form id="search-form"' in body


def test_card_shows_display_values_and_matched_skills(user_client, upstream) -> None:
    body = user_client.get("/" + Q + "&lat=30.3&lng=-97.7&location_distance=50", headers=HX).content.decode()
    assert "95%" in body
    assert "Excellent match" in body
    assert "Acme" in body
    assert "Austin, TX" in body
    assert "km away" in body
    assert "$100k\u2013$150k / year" in body
    assert '<li class="matched" title="The candidate has this skill">Python' in body
    assert "<li>Rust</li>" in body
    details_url = (
        re.search(r'<div class="details-body"><a href="([^"]+)"', body).group(1).replace("&amp;", "&")
    )
    assert details_url.startswith("/jobs/details/?")
    assert details_url.endswith("&job_key=" + "0" * 40)
    details = user_client.get(details_url, headers=HX).content.decode()
    assert "<h4>Summary</h4>" in details
    assert "Build pipelines." in details
    assert "<h4>Requirements</h4>" in details
    assert 'href="https://example.com/jobs/0"' in details
    assert "Source posting" in details


def test_upstream_text_is_escaped(user_client, upstream) -> None:
    upstream.jobs = [
        make_job(1, name=XSS, summary=XSS, tags=[{"name": "company", "value": XSS}], skills=[{"name": XSS}])
    ]
    for headers in ({}, HX):
        body = user_client.get("/" + Q, headers=headers).content.decode()
        assert XSS not in body
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body


def test_details_escape_upstream_text_and_drop_non_web_links(user_client, upstream) -> None:
    upstream.jobs = [make_job(7, summary=XSS, requirements=XSS, url="javascript:alert(1)")]
    url = f"/jobs/details/{Q}&job_key={7:040x}"
    for headers in ({}, HX):
        body = user_client.get(url, headers=headers).content.decode()
        assert XSS not in body
        assert "&lt;script&gt;" in body
        assert "javascript:" not in body


def test_details_page_without_javascript_and_errors(user_client, upstream) -> None:
    full = user_client.get(f"/jobs/details/{Q}&job_key={1:040x}").content.decode()
    assert "<html" in full
    assert "Data Engineer 1" in full
    assert "Back to the results" in full
    assert user_client.get(f"/jobs/details/{Q}&job_key={'9' * 40}").status_code == 404
    assert user_client.get("/jobs/details/?job_key=x").status_code == 400
    upstream.error = HrFlowTimeout()
    assert "took too long" in user_client.get(f"/jobs/details/{Q}&job_key=1", headers=HX).content.decode()


def test_invalid_input_shows_inline_errors_not_a_500(user_client, upstream) -> None:
    response = user_client.get("/" + Q + "&lat=123&lng=2&salary_min=9&salary_max=1&page=0")
    body = response.content.decode()
    assert response.status_code == 200
    assert upstream.calls == []
    assert 'id="err-lat"' in body
    assert "less than or equal to 90" in body
    assert "The maximum salary is below the minimum." in body
    assert "Some filters need fixing" in body


def test_invalid_input_over_htmx_returns_errors_out_of_band(user_client, upstream) -> None:
    body = user_client.get("/" + Q + "&lat=12", headers=HX).content.decode()
    assert '<div class="field-errors" id="err-lng" hx-swap-oob="true">' in body
    assert "<form" not in body


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (HrFlowTimeout(), "took too long"),
        (HrFlowBadCredentials("Invalid secret key ask_0123456789abcdef"), "refused"),
    ],
)
def test_upstream_errors_show_their_message_and_a_retry(user_client, upstream, error, message) -> None:
    upstream.error = error
    for headers in ({}, HX):
        response = user_client.get("/" + Q + "&skills=go", headers=headers)
        body = response.content.decode()
        assert response.status_code == 200
        assert message in body
        assert "Traceback" not in body
        assert "ask_0123" not in body
        assert re.search(r'<a class="button" href="/\?[^"]*skills=go[^"]*" hx-get="/\?', body)


def test_empty_result_suggests_filters_to_relax(user_client, upstream) -> None:
    upstream.jobs = []
    body = user_client.get(
        "/" + Q + "&skills=cobol&lat=1&lng=2&location_distance=10", headers=HX
    ).content.decode()
    assert "No jobs match" in body
    assert "Widen the radius to 40 km" in body
    assert "Remove skills" in body
    link = re.search(r'href="(/\?[^"]*)"[^>]*>Remove skills', body).group(1)
    assert "skills=" not in link.replace("&amp;", "&")
    assert "location_distance=10" in link


def test_pagination_links_keep_filters_and_push_urls(user_client, upstream) -> None:
    upstream.max_page = 5
    body = user_client.get("/" + Q + "&skills=python&page=2", headers=HX).content.decode()
    assert 'rel="prev"' in body
    assert 'rel="next"' in body
    nxt = re.search(r'class="next" rel="next" href="([^"]+)" hx-get="([^"]+)"[^>]*hx-push-url="true"', body)
    assert nxt
    assert nxt.group(1) == nxt.group(2)
    params = parse_qs(urlsplit(nxt.group(1).replace("&amp;", "&")).query)
    assert params["page"] == ["3"]
    assert params["skills"] == ["python"]
    assert 'aria-current="page"' in body
    assert "page 2 of 5" in body


def test_export_csv_streams_rows_with_scores(user_client, upstream) -> None:
    response = user_client.get("/export.csv" + Q)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["rank", "score_pct", "title"]
    assert len(rows) == 6
    assert rows[1][1] == "95"


def test_export_neutralises_spreadsheet_formulas() -> None:
    # The unit; through the view with jobs of a live sandbox: tests/scoring/test_export_live.py.
    assert export.cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert export.cell("Acme") == "Acme"


def test_export_errors(user_client, upstream) -> None:
    bad_point = user_client.get("/export.csv?lat=500")
    assert bad_point.status_code == 400
    assert b"lat" in bad_point.content  # names the field, as the search form would
    no_candidate = user_client.get("/export.csv")
    assert no_candidate.status_code == 400
    assert b"Pick a candidate first." in no_candidate.content
    upstream.error = HrFlowTimeout()
    response = user_client.get("/export.csv" + Q)
    assert response.status_code == 502
    assert b"took too long" in response.content


def test_candidate_typeahead(user_client, upstream) -> None:
    body = user_client.get("/candidates/?name=ada&back=skills%3Dpython", headers=HX).content.decode()
    assert "Ada Lovelace" in body
    assert "Data Engineer" in body
    assert "<form" not in body
    assert f'data-profile-key="{PROFILE}"' in body
    href = re.search(r'href="([^"]+)"', body).group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(href).query) == {
        "skills": ["python"],
        "source_key": [SOURCE],
        "profile_key": [PROFILE],
    }
    assert not urlsplit(href).fragment  # search.js swaps: no jump
    full = user_client.get("/candidates/?name=ada").content.decode()
    assert "<form" in full
    assert "Ada Lovelace" in full
    # Without JavaScript the pick opens the search page at its results, not at the filters.
    full_href = re.search(r'class="candidate-option" href="([^"]+)"', full).group(1)
    assert urlsplit(full_href).fragment == "results-heading"
    assert user_client.get("/candidates/?source_key=nope").status_code == 400


def test_city_typeahead(user_client, monkeypatch) -> None:
    from scoring import cities

    monkeypatch.setattr(
        cities,
        "_city_index",
        lambda: (
            ("paris", "Paris", "FR", 48.85, 2.35, 2_000_000),
            ("parma", "Parma", "IT", 44.8, 10.33, 190_000),
        ),
    )
    body = user_client.get("/cities/?q=par&back=skills%3Dgo", headers=HX).content.decode()
    assert body.index("Paris") < body.index("Parma")
    assert 'data-lat="48.85"' in body
    assert "#results-heading" not in body
    full = user_client.get("/cities/?q=par&back=skills%3Dgo").content.decode()
    city_href = re.search(r'class="city-option" href="([^"]+)"', full).group(1)
    assert urlsplit(city_href).fragment == "results-heading"
    assert user_client.get("/cities/?q=pari&format=json").json()["cities"][0]["name"] == "Paris"


query_values = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
param_names = st.sampled_from(
    [
        "board_keys", "source_key", "profile_key", "algorithm_key", "use_agent", "text_keywords",
        "summary_keywords", "skills", "languages", "tags_included", "tags_excluded", "date_range_min",
        "date_range_max", "date_preset", "salary_min", "salary_max", "ranges_date_name", "ranges_date_min",
        "ranges_date_max", "lat", "lng", "location_distance", "score_threshold", "sort_by", "order_by",
        "page", "limit", "junk", "tags_in", "tags_out", "salary_range",
    ]
)  # fmt: skip
numberish = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.integers().map(str),
    st.sampled_from(["1e999", "-0", "nan"]),
)


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(param_names, st.one_of(query_values, numberish)), max_size=8), st.booleans())
def test_any_query_string_gives_200_or_400_never_500(user_client, upstream, pairs, htmx) -> None:
    from urllib.parse import urlencode

    qs = urlencode([("source_key", SOURCE), ("profile_key", PROFILE), *pairs])
    client = user_client
    client.raise_request_exception = True  # a server error fails the test with its traceback
    response = client.get("/?" + qs, headers=HX if htmx else {})
    legacy = any(name in ("tags_included", "tags_excluded") for name, _ in pairs)
    if response.status_code == 302:  # an old tag-syntax link moves to the new address
        assert legacy
        assert not htmx
        response = client.get(response["Location"])
    assert response.status_code in (200, 400)
    export = client.get("/export.csv?" + qs)
    assert export.status_code in (200, 400)


def test_plain_get_submission_without_javascript(user_client, upstream) -> None:
    """What a browser without JS sends: every field, most of them empty (multi-selects and
    unchecked boxes send nothing)."""
    empty = [
        "source_key",
        "algorithm_key",
        "date_range_min",
        "date_range_max",
        "salary_min",
        "salary_max",
        "ranges_date_name",
        "ranges_date_min",
        "ranges_date_max",
        "lat",
        "lng",
        "location_distance",
        "score_threshold",
        "board_keys",
    ]
    qs = "&".join(f"{name}=" for name in empty)
    qs += f"&profile_key={PROFILE}&use_agent=1&date_preset=&sort_by=scoring&order_by=desc&limit=30&skills=SQL"
    response = user_client.get("/?" + qs)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Some filters need fixing" not in body
    assert body.count('class="job-card"') == 3
    assert upstream.calls[0].skills == ("SQL",)
    assert upstream.calls[0].source_key == SOURCE


def test_upstream_down_before_the_form_can_be_built(user_client, upstream, monkeypatch) -> None:
    def down() -> list[BoardOption]:
        raise HrFlowTimeout()

    monkeypatch.setattr(selectors, "board_list", down)
    for headers in ({}, HX):
        response = user_client.get("/" + Q, headers=headers)
        assert response.status_code == 200
        assert "took too long" in response.content.decode()
        assert "Retry" in response.content.decode()
    assert user_client.get("/export.csv" + Q).status_code == 502
