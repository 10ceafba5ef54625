"""The service layer against the real sandbox over HTTP (tests/fixtures/sandbox.py).

Every parameter goes through the real client and the sandbox's parser: each filter narrows the
baseline ranking and every returned job satisfies it (semantics: sandbox/engine/filters.py).
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from hrflow_dash.demo import DEMO_ALGORITHM_KEYS, DEMO_BOARD_KEYS, DEMO_BOARDS, DEMO_SOURCE_KEYS
from scoring import selectors
from scoring.hrflow import client as client_module
from scoring.hrflow.client import HrFlowClient, get_client
from scoring.hrflow.errors import HrFlowBadCredentials, HrFlowBadRequest
from scoring.hrflow.query import DateRangeFilter, JobQuery, TagFilter
from scoring.hrflow.results import ScoringPayload, haversine_km, parse_datetime

pytestmark = pytest.mark.slow


@pytest.fixture
def hrflow(live_sandbox: Any, settings: Settings, db: None) -> Iterator[HrFlowClient]:
    # db: get_client() shares the circuit breaker and limiter through the database.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.HRFLOW_API_URL = live_sandbox.url
    settings.HRFLOW_API_KEY = live_sandbox.api_key
    settings.HRFLOW_USER_EMAIL = live_sandbox.user_email
    settings.HRFLOW_BOARD_KEYS = []
    settings.HRFLOW_SOURCE_KEYS = []
    settings.HRFLOW_ALGORITHM_KEYS = DEMO_ALGORITHM_KEYS
    from django.core.cache import cache

    cache.clear()
    yield get_client()
    cache.clear()


@pytest.fixture
def baseline(hrflow: HrFlowClient) -> JobQuery:
    candidates = hrflow.list_profiles(DEMO_SOURCE_KEYS[0], page=1, limit=1)
    assert candidates, "the demo source has profiles"
    return JobQuery(
        board_keys=tuple(DEMO_BOARD_KEYS),
        source_key=DEMO_SOURCE_KEYS[0],
        profile_key=candidates[0].key,
        algorithm_key=DEMO_ALGORITHM_KEYS[0],
        limit=100,
    )


def jobs_of(payload: ScoringPayload) -> list[Mapping[str, Any]]:
    return list(payload.jobs)


def narrowed(hrflow: HrFlowClient, base: JobQuery, **changes: Any) -> tuple[ScoringPayload, ScoringPayload]:
    """(baseline answer, filtered answer); asserts the filter kept something and narrowed."""
    before = hrflow.score_jobs(base)
    after = hrflow.score_jobs(replace(base, **changes))
    assert 0 < after.total <= before.total
    assert len(after.jobs) == min(after.total, base.limit)
    return before, after


def lowered(values: Any) -> set[str]:
    return {str(item.get("name", "")).lower() for item in values or [] if isinstance(item, Mapping)}


def test_the_baseline_is_ranked_by_score(hrflow: HrFlowClient, baseline: JobQuery) -> None:
    payload = hrflow.score_jobs(baseline)

    assert payload.total > 100
    assert payload.scores == tuple(sorted(payload.scores, reverse=True))  # type: ignore[type-var]
    assert all(s is not None and 0 <= s <= 1 for s in payload.scores)
    assert {j["board_key"] for j in payload.jobs} <= set(DEMO_BOARD_KEYS)
    assert (payload.page, payload.count) == (1, len(payload.jobs))


def test_board_keys(hrflow: HrFlowClient, baseline: JobQuery) -> None:
    before, after = narrowed(hrflow, baseline, board_keys=(DEMO_BOARD_KEYS[0],))

    assert after.total < before.total
    assert {j["board_key"] for j in after.jobs} == {DEMO_BOARD_KEYS[0]}


def test_text_keywords(hrflow: HrFlowClient, baseline: JobQuery) -> None:
    top = hrflow.score_jobs(baseline).jobs[0]
    word = max((w for w in str(top["name"]).split() if w.isalpha()), key=len).lower()

    _, after = narrowed(hrflow, baseline, text_keywords=(word,))

    assert all(word in json.dumps(j, ensure_ascii=False).lower() for j in after.jobs)
    assert top["key"] in {j["key"] for j in after.jobs} or after.total > baseline.limit


def test_summary_keywords(hrflow: HrFlowClient, baseline: JobQuery) -> None:
    top = next(
        j for j in hrflow.score_jobs(baseline).jobs if j.get("summary")
    )  # some keep text in sections only
    word = max((w for w in str(top["summary"]).split() if w.isalpha()), key=len).lower()

    before, after = narrowed(hrflow, baseline, summary_keywords=(word,))

    assert after.total < before.total
    assert all(word in str(j.get("summary", "")).lower() for j in after.jobs)


def test_skills(hrflow: HrFlowClient, baseline: JobQuery) -> None:
    skill = str(hrflow.score_jobs(baseline).jobs[0]["skills"][0]["name"])

    before, after = narrowed(hrflow, baseline, skills=(skill,))

    assert after.total < before.total
    assert all(skill.lower() in lowered(j.get("skills")) for j in after.jobs)


# Languages: tests/scoring/hrflow/test_filters_narrow.py (a language only some jobs list).


def test_tags_included_and_excluded_split_the_ranking(hrflow: HrFlowClient, baseline: JobQuery) -> None:
    top = hrflow.score_jobs(baseline).jobs[0]
    category = next(str(t["value"]) for t in top["tags"] if t["name"] == "category")
    group = ((TagFilter("category", category),),)

    before, included = narrowed(hrflow, baseline, tags_included=group)
    excluded = hrflow.score_jobs(replace(baseline, tags_excluded=group))

    def has_category(j: Mapping[str, Any]) -> bool:
        return any(t["name"] == "category" and str(t["value"]) == category for t in j["tags"])

    assert all(has_category(j) for j in included.jobs)
    assert not any(has_category(j) for j in excluded.jobs)
    assert included.total + excluded.total == before.total


def test_date_range(hrflow: HrFlowClient, baseline: JobQuery) -> None:
    created = sorted(
        d for j in hrflow.score_jobs(baseline).jobs if (d := parse_datetime(j.get("created_at")))
    )
    low, high = created[len(created) // 4], created[3 * len(created) // 4]

    before, after = narrowed(hrflow, baseline, date_range_min=low, date_range_max=high)

    assert after.total < before.total
    for j in after.jobs:
        when = parse_datetime(j["created_at"])
        assert when is not None
        assert low <= when <= high


def test_salary(hrflow: HrFlowClient, baseline: JobQuery) -> None:
    salaries = [
        r
        for j in hrflow.score_jobs(baseline).jobs
        for r in j.get("ranges_float") or []
        if r["name"] == "salary"
    ]
    floor = statistics.median(r["value_max"] for r in salaries)
    ceiling = statistics.median(r["value_min"] for r in salaries) * 2

    before, after = narrowed(hrflow, baseline, salary_min=float(floor), salary_max=float(ceiling))

    assert after.total < before.total
    for j in after.jobs:
        (salary,) = [r for r in j["ranges_float"] if r["name"] == "salary"]
        assert salary["value_max"] >= floor
        assert salary["value_min"] <= ceiling
        assert salary["unit"] == "USD/year"


def test_ranges_date_of_another_name_matches_nothing(hrflow: HrFlowClient, baseline: JobQuery) -> None:
    # The demo jobs carry only a `seen_online` range, so another name matches none: the name
    # reaches the sandbox's filter instead of being dropped.
    day = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    before = hrflow.score_jobs(baseline)
    after = hrflow.score_jobs(replace(baseline, ranges_date=DateRangeFilter("availability", day, None)))

    assert before.total > 0
    assert (after.total, after.jobs) == (0, ())


def every_page(hrflow: HrFlowClient, query: JobQuery) -> list[Mapping[str, Any]]:
    first = hrflow.score_jobs(query)
    jobs = list(first.jobs)
    for page in range(2, first.max_page + 1):
        jobs += hrflow.score_jobs(replace(query, page=page)).jobs
    assert len(jobs) == first.total
    return jobs


def seen_online(job: Mapping[str, Any]) -> tuple[dt.datetime, dt.datetime] | None:
    item = next((r for r in job.get("ranges_date") or [] if r["name"] == "seen_online"), None)
    if item is None:
        return None
    low, high = parse_datetime(item["value_min"]), parse_datetime(item["value_max"])
    assert low is not None
    assert high is not None
    return low, high


def test_ranges_date_keeps_the_jobs_seen_online_in_the_window(
    hrflow: HrFlowClient, baseline: JobQuery
) -> None:
    # One board keeps the paging short; its jobs in ranking order, with their seen_online spans.
    board = replace(baseline, board_keys=(DEMO_BOARD_KEYS[0],))
    ranking = every_page(hrflow, board)
    spans = [w for j in ranking if (w := seen_online(j))]
    assert len(spans) >= 0.99 * len(ranking)
    ends = sorted(high for _, high in spans)
    low = ends[len(ends) // 20]
    high = low + dt.timedelta(days=3)

    kept = every_page(hrflow, replace(board, ranges_date=DateRangeFilter("seen_online", low, high)))

    expected = [
        j["key"] for j in ranking if (w := seen_online(j)) is not None and w[1] >= low and w[0] <= high
    ]
    assert 0 < len(expected) < len(ranking)
    assert [j["key"] for j in kept] == expected


def test_location(hrflow: HrFlowClient, baseline: JobQuery) -> None:
    top = next(j for j in hrflow.score_jobs(baseline).jobs if j["location"].get("lat") is not None)
    lat, lng = top["location"]["lat"], top["location"]["lng"]

    before, after = narrowed(hrflow, baseline, lat=lat, lng=lng, location_distance=50)

    assert after.total < before.total
    for j in after.jobs:
        assert haversine_km(lat, lng, j["location"]["lat"], j["location"]["lng"]) <= 50.01


def test_score_threshold(hrflow: HrFlowClient, baseline: JobQuery) -> None:
    scores = hrflow.score_jobs(baseline).scores
    threshold = round(float(statistics.median(s for s in scores if s is not None)), 3)

    before, after = narrowed(hrflow, baseline, score_threshold=threshold)

    assert after.total < before.total
    assert all(s is not None and s >= threshold for s in after.scores)


def test_sort_by_created_at_and_ascending_order(hrflow: HrFlowClient, baseline: JobQuery) -> None:
    newest = hrflow.score_jobs(replace(baseline, sort_by="created_at"))
    ascending = hrflow.score_jobs(replace(baseline, order_by="asc"))

    created = [parse_datetime(j["created_at"]) for j in newest.jobs]
    assert created == sorted(created, reverse=True)  # type: ignore[type-var]
    assert list(ascending.scores) == sorted(ascending.scores)  # type: ignore[type-var]


def test_page_and_limit(hrflow: HrFlowClient, baseline: JobQuery) -> None:
    first = hrflow.score_jobs(replace(baseline, limit=5))
    second = hrflow.score_jobs(replace(baseline, limit=5, page=2))

    assert (len(first.jobs), len(second.jobs), second.page) == (5, 5, 2)
    assert not {j["key"] for j in first.jobs} & {j["key"] for j in second.jobs}
    assert first.max_page == -(-first.total // 5)
    assert first.scores[-1] >= second.scores[0]  # type: ignore[operator]


# use_agent and algorithm_key, as sent and as answered: tests/scoring/hrflow/test_filters_narrow.py.


def test_agent_key_is_accepted_for_older_accounts(hrflow: HrFlowClient, baseline: JobQuery) -> None:
    hrflow.send_agent_key = True
    try:
        assert hrflow.score_jobs(baseline).jobs
    finally:
        hrflow.send_agent_key = False


def test_the_post_variant_gives_the_same_answers(
    hrflow: HrFlowClient, baseline: JobQuery, monkeypatch: pytest.MonkeyPatch
) -> None:
    top = hrflow.score_jobs(baseline).jobs[0]
    query = replace(
        baseline,
        skills=(str(top["skills"][0]["name"]),),
        tags_excluded=((TagFilter("remote", "true"),), (TagFilter("company", "nobody-at-all"),)),
        lat=top["location"].get("lat") or 40.7,
        lng=top["location"].get("lng") or -74.0,
        location_distance=20000,
        salary_min=1.0,
        limit=20,
        page=1,
    )
    methods: list[str] = []
    real_request = hrflow.session.request

    def spy(method: str, url: str, **kwargs: Any) -> Any:
        methods.append(method)
        return real_request(method, url, **kwargs)

    monkeypatch.setattr(hrflow.session, "request", spy)
    by_get = hrflow.score_jobs(query)
    monkeypatch.setattr(client_module, "MAX_GET_URL_LENGTH", 0)
    by_post = hrflow.score_jobs(query)

    assert methods == ["GET", "POST"]
    assert by_get.total > 0
    assert [j["key"] for j in by_post.jobs] == [j["key"] for j in by_get.jobs]
    assert by_post.scores == by_get.scores
    assert by_post.total == by_get.total


def test_profile_search_by_name(hrflow: HrFlowClient) -> None:
    first = selectors.profile_search(source_key=DEMO_SOURCE_KEYS[0], name="", limit=1)[0]
    token = first.name.split()[0]

    found = selectors.profile_search(source_key=DEMO_SOURCE_KEYS[0], name=token, limit=50)

    assert first.key in {o.key for o in found}
    assert all(token.lower() in o.name.lower() for o in found)
    assert all(o.source_key == DEMO_SOURCE_KEYS[0] for o in found)
    assert first.title


def test_profile_get(hrflow: HrFlowClient, baseline: JobQuery) -> None:
    candidate = selectors.profile_get(source_key=baseline.source_key, key=baseline.profile_key)

    assert candidate.key == baseline.profile_key
    assert candidate.name
    assert candidate.skills


def test_boards_and_sources_listing(hrflow: HrFlowClient) -> None:
    boards = {b.key: b.name for b in selectors.board_list()}
    sources = {s.key for s in selectors.source_list()}

    assert {boards[k] for k in DEMO_BOARD_KEYS} == set(DEMO_BOARDS.values())
    assert set(DEMO_SOURCE_KEYS) <= sources


def test_job_match_list_and_export(hrflow: HrFlowClient, baseline: JobQuery) -> None:
    page = selectors.job_match_list(query=replace(baseline, limit=10), candidate_skills=("python",))
    rows = list(selectors.job_match_export(query=baseline, cap=250))

    assert len(page.jobs) == 10
    assert page.has_next
    assert [j.key for j in rows[:10]] == [j.key for j in page.jobs]
    assert len(rows) == 250
    assert len({j.key for j in rows}) == 250


def test_bad_credentials(hrflow: HrFlowClient, live_sandbox: Any) -> None:
    wrong = "ask_" + "f" * 32
    client = HrFlowClient(base_url=live_sandbox.url, api_key=wrong, user_email=live_sandbox.user_email)

    with pytest.raises(HrFlowBadCredentials) as info:
        client.list_boards()

    assert wrong not in str(info.value)
    assert live_sandbox.api_key not in str(info.value)


def test_a_bad_parameter_names_it(hrflow: HrFlowClient, baseline: JobQuery) -> None:
    with pytest.raises(HrFlowBadRequest) as info:
        hrflow.score_jobs(replace(baseline, board_keys=("not-a-key",)))

    assert "board_keys" in info.value.user_message


def test_an_unknown_profile(hrflow: HrFlowClient, baseline: JobQuery) -> None:
    # HrFlow answers an unknown key 400 "Unable to find object: profile" (docs/hrflow.md §5.3).
    with pytest.raises(HrFlowBadRequest) as info:
        hrflow.get_profile(baseline.source_key, "0" * 40)

    assert info.value.status == 400
    assert "Unable to find object: profile" in info.value.detail
    assert "profile" in info.value.user_message  # HrFlow's 400 names what is wrong (errors.py)
