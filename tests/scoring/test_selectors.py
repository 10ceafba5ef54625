from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

import pytest
import responses
from django.core.cache import cache
from pytest_django.fixtures import Settings

from hrflow_dash.demo import DEMO_ALGORITHM_KEYS, DEMO_ALGORITHMS
from scoring import selectors
from scoring.hrflow.errors import HrFlowBadRequest
from scoring.hrflow.query import MAX_LIMIT, JobQuery
from scoring.hrflow.results import ScoringPayload
from tests.scoring.hrflow.payloads import (
    ALGORITHM,
    API_KEY,
    API_URL,
    BOARD_A,
    BOARD_B,
    PROFILE,
    SOURCE,
    USER_EMAIL,
    envelope,
    job,
    profile,
)

SCORING_URL = API_URL + "jobs/scoring"
QUERY = JobQuery(board_keys=(BOARD_A,), source_key=SOURCE, profile_key=PROFILE, algorithm_key=ALGORITHM)


@pytest.fixture(autouse=True)
def hrflow_settings(settings: Settings) -> Iterator[Settings]:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.HRFLOW_API_URL = API_URL
    settings.HRFLOW_API_KEY = API_KEY
    settings.HRFLOW_USER_EMAIL = USER_EMAIL
    settings.HRFLOW_CACHE_TTL = 120
    settings.HRFLOW_BOARD_KEYS = []
    settings.HRFLOW_SOURCE_KEYS = []
    cache.clear()
    yield settings
    cache.clear()


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


def cache_keys() -> list[str]:
    return list(cache._cache.keys())  # type: ignore[attr-defined]  # LocMemCache internals


pytestmark = pytest.mark.django_db  # get_client() shares the breaker and limiter through the database


def test_job_match_list_returns_a_display_ready_page(mocked: responses.RequestsMock) -> None:
    mocked.get(SCORING_URL, json=envelope([job(key="1"), job(key="2")], [0.91, 0.35], total=2))

    page = selectors.job_match_list(query=QUERY, candidate_skills=("Spark",))

    assert [(j.key, j.score_pct, j.score_band) for j in page.jobs] == [
        ("1", 91, "Excellent"),
        ("2", 35, "Fair"),
    ]
    # The candidate's skill comes first on the card, whatever its place in the job.
    assert [(s.name, s.matched) for s in page.jobs[0].skills] == [("spark", True), ("python", False)]
    assert page.total == 2


def test_an_identical_query_is_served_from_the_cache(mocked: responses.RequestsMock) -> None:
    mocked.get(SCORING_URL, json=envelope())

    first = selectors.job_match_list(query=QUERY, candidate_skills=("python",))
    again = selectors.job_match_list(
        query=JobQuery(board_keys=(BOARD_A,), source_key=SOURCE, profile_key=PROFILE, algorithm_key=ALGORITHM)
    )

    assert len(mocked.calls) == 1
    assert [j.key for j in again.jobs] == [j.key for j in first.jobs]
    assert first.jobs[0].skills[0].matched is True
    assert again.jobs[0].skills[0].matched is False  # display values are per request, not cached


def test_a_fresh_query_skips_the_cache_and_refreshes_it(mocked: responses.RequestsMock) -> None:
    mocked.get(SCORING_URL, json=envelope(jobs=[job(key="a" * 40)]))
    selectors.job_match_list(query=QUERY)
    mocked.replace(responses.GET, SCORING_URL, json=envelope(jobs=[job(key="b" * 40)]))

    fresh = selectors.job_match_list(query=QUERY, fresh=True)
    cached_after = selectors.job_match_list(query=QUERY)

    assert len(mocked.calls) == 2
    assert [j.key for j in fresh.jobs] == ["b" * 40]
    assert [j.key for j in cached_after.jobs] == ["b" * 40]  # the cache now holds the fresh answer


def test_another_page_is_another_upstream_call(mocked: responses.RequestsMock) -> None:
    mocked.get(SCORING_URL, json=envelope(max_page=3))

    selectors.job_match_list(query=QUERY)
    selectors.job_match_list(query=QUERY.with_page(2))
    selectors.job_match_list(query=QUERY)

    assert len(mocked.calls) == 2


def test_the_cache_holds_the_envelope_under_a_key_without_secrets(mocked: responses.RequestsMock) -> None:
    mocked.get(SCORING_URL, json=envelope())

    selectors.job_match_list(query=QUERY)

    key = QUERY.cache_key(api_url=API_URL, user_email=USER_EMAIL)
    assert isinstance(cache.get(key), ScoringPayload)
    for stored in cache_keys():
        assert API_KEY not in stored
        assert USER_EMAIL not in stored


def test_the_ttl_setting_is_used(settings: Settings, mocked: responses.RequestsMock) -> None:
    settings.HRFLOW_CACHE_TTL = 0  # expire at once
    mocked.get(SCORING_URL, json=envelope())

    selectors.job_match_list(query=QUERY)
    selectors.job_match_list(query=QUERY)

    assert len(mocked.calls) == 2


def test_another_account_does_not_share_the_cache(settings: Settings, mocked: responses.RequestsMock) -> None:
    mocked.get(SCORING_URL, json=envelope())

    selectors.job_match_list(query=QUERY)
    settings.HRFLOW_USER_EMAIL = "someone-else@example.com"
    selectors.job_match_list(query=QUERY)

    assert len(mocked.calls) == 2


def test_errors_are_not_cached(mocked: responses.RequestsMock) -> None:
    mocked.get(SCORING_URL, status=400, json={"code": 400, "message": "Invalid source ids"})

    for _ in range(2):
        with pytest.raises(HrFlowBadRequest):
            selectors.job_match_list(query=QUERY)

    assert len(mocked.calls) == 2


def pages_of(total_jobs: int, size: int) -> list[dict[str, object]]:
    max_page = -(-total_jobs // size)
    keys = [str(i) for i in range(total_jobs)]
    return [
        envelope([job(key=k) for k in keys[i : i + size]], [0.5] * len(keys[i : i + size]),
                 page=n, max_page=max_page, total=total_jobs)
        for n, i in enumerate(range(0, total_jobs, size), start=1)
    ]  # fmt: skip


def test_export_walks_every_page_at_the_largest_page_size(mocked: responses.RequestsMock) -> None:
    for body in pages_of(250, MAX_LIMIT):
        mocked.get(SCORING_URL, json=body)

    rows = list(selectors.job_match_export(query=QUERY.with_page(4), cap=1000))

    assert [r.key for r in rows] == [str(i) for i in range(250)]
    sent = [dict(parse_qsl(urlsplit(str(c.request.url)).query)) for c in mocked.calls]
    assert [(p["page"], p["limit"]) for p in sent] == [("1", "100"), ("2", "100"), ("3", "100")]


def test_export_stops_at_the_cap(mocked: responses.RequestsMock) -> None:
    for body in pages_of(250, MAX_LIMIT):
        mocked.get(SCORING_URL, json=body)

    rows = list(selectors.job_match_export(query=QUERY, cap=120))

    assert len(rows) == 120
    assert len(mocked.calls) == 2


def test_export_stops_on_an_empty_page_even_if_max_page_says_more(mocked: responses.RequestsMock) -> None:
    mocked.get(SCORING_URL, json=envelope([job(key="1")], [0.5], page=1, max_page=5))
    mocked.get(SCORING_URL, json=envelope([], [], page=2, max_page=5, count=0))

    rows = list(selectors.job_match_export(query=QUERY, cap=1000))

    assert [r.key for r in rows] == ["1"]
    assert len(mocked.calls) == 2


def test_export_of_no_results(mocked: responses.RequestsMock) -> None:
    mocked.get(SCORING_URL, json=envelope([], [], max_page=0, count=0, total=0))

    assert list(selectors.job_match_export(query=QUERY, cap=10)) == []


def test_board_list_is_the_listing(mocked: responses.RequestsMock) -> None:
    mocked.get(API_URL + "boards", json={"code": 200, "data": [{"key": BOARD_A, "name": "Tech"}]})

    assert [(b.key, b.name) for b in selectors.board_list()] == [(BOARD_A, "Tech")]
    selectors.board_list()
    assert len(mocked.calls) == 1


def test_board_list_keeps_to_the_configured_boards(
    settings: Settings, mocked: responses.RequestsMock
) -> None:
    settings.HRFLOW_BOARD_KEYS = [BOARD_B, BOARD_A]
    listing = [{"key": BOARD_A, "name": "Tech"}, {"key": "f" * 40, "name": "Not ours"}]
    mocked.get(API_URL + "boards", json={"code": 200, "data": listing})

    assert [(b.key, b.name) for b in selectors.board_list()] == [
        (BOARD_B, "bbbbbbbb\u2026"),
        (BOARD_A, "Tech"),
    ]


def test_source_list(settings: Settings, mocked: responses.RequestsMock) -> None:
    mocked.get(API_URL + "sources", json={"code": 200, "data": [{"key": SOURCE, "name": "Inbound"}]})

    assert [(s.key, s.name) for s in selectors.source_list()] == [(SOURCE, "Inbound")]


def test_algorithm_list_labels_demo_keys(settings: Settings) -> None:
    settings.HRFLOW_ALGORITHM_KEYS = [*DEMO_ALGORITHM_KEYS, "0123456789" * 4]

    options = selectors.algorithm_list()

    assert [o.label for o in options] == [*DEMO_ALGORITHMS.values(), "01234567\u2026"]
    assert [o.key for o in options][:2] == DEMO_ALGORITHM_KEYS


def test_profile_search_and_get(mocked: responses.RequestsMock) -> None:
    mocked.get(API_URL + "storing/profiles", json={"code": 200, "data": [profile(full_name="Ada Lovelace")]})
    mocked.get(API_URL + "profile/indexing", json={"code": 200, "data": profile(full_name="Ada Lovelace")})

    options = selectors.profile_search(source_key=SOURCE, name="ada", limit=5)
    selectors.profile_search(source_key=SOURCE, name=" Ada ", limit=5)
    candidate = selectors.profile_get(source_key=SOURCE, key=PROFILE)
    selectors.profile_get(source_key=SOURCE, key=PROFILE)

    assert [(o.name, o.title) for o in options] == [("Ada Lovelace", "Data Engineer")]
    assert candidate.skills == ("Python", "SQL")
    assert [urlsplit(str(c.request.url)).path for c in mocked.calls] == [
        "/v1/storing/profiles",
        "/v1/profile/indexing",
    ]
    sent = dict(parse_qsl(urlsplit(str(mocked.calls[0].request.url)).query))
    assert (json.loads(sent["source_keys"]), sent["name"], sent["limit"]) == ([SOURCE], "ada", "5")
