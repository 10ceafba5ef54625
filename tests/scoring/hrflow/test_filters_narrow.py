"""Filters and scoring switches as a recruiter (and HrFlow's contract) defines them, through the
dashboard's client to the live sandbox: a filter with a value only SOME jobs have must return
exactly those jobs; scoring off must give HrFlow's "searching only" answer; the algorithm picked
must be the one sent (what the sandbox received, recorded at the HTTP boundary).

Each test computes its own rankings: nothing is reused from another test's search.
"""

from __future__ import annotations

import collections
import gzip
import json
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from pytest_django.fixtures import Settings

from hrflow_dash.demo import DEMO_ALGORITHM_KEYS, DEMO_BOARD_KEYS, DEMO_SOURCE_KEYS
from scoring.hrflow.client import HrFlowClient, get_client
from scoring.hrflow.query import JobQuery
from scoring.hrflow.results import ScoringPayload, parse_datetime
from tests.fixtures.sandbox import point_dashboard_at

# get_client() shares the breaker and the limiter through the database.
pytestmark = [pytest.mark.slow, pytest.mark.django_db]

# docs/hrflow.md §5.1: with use_agent=0 HrFlow only searches; the sandbox answers every job with
# the neutral prediction [0.5, 0.5] (sandbox/engine/search.py NEUTRAL_SCORE).
NEUTRAL = 0.5


@pytest.fixture
def hrflow(live_sandbox: Any, settings: Settings) -> HrFlowClient:
    point_dashboard_at(settings, live_sandbox)
    return get_client()


@pytest.fixture
def baseline(hrflow: HrFlowClient) -> JobQuery:
    candidate = hrflow.list_profiles(DEMO_SOURCE_KEYS[0], page=1, limit=1)[0]
    return JobQuery(
        board_keys=tuple(DEMO_BOARD_KEYS),
        source_key=DEMO_SOURCE_KEYS[0],
        profile_key=candidate.key,
        algorithm_key=DEMO_ALGORITHM_KEYS[0],
        limit=100,
    )


def all_keys(hrflow: HrFlowClient, query: JobQuery) -> list[str]:
    first = hrflow.score_jobs(query)
    jobs = list(first.jobs)
    for page in range(2, first.max_page + 1):
        jobs += hrflow.score_jobs(replace(query, page=page)).jobs
    assert len(jobs) == first.total
    return [str(j["key"]) for j in jobs]


def languages_of(job: Mapping[str, Any]) -> set[str]:
    return {str(item["name"]).lower() for item in job.get("languages") or []}


def snapshot_jobs(live_sandbox: Any) -> list[dict[str, Any]]:
    """The demo boards' jobs as load_demo_data indexed them (tests index into boards of their own)."""
    with gzip.open(live_sandbox.data_dir / "jobs.jsonl.gz", "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def test_a_language_only_some_jobs_have_returns_exactly_those_jobs(
    hrflow: HrFlowClient, baseline: JobQuery, live_sandbox: Any
) -> None:
    jobs = [j for j in snapshot_jobs(live_sandbox) if j["board_key"] in DEMO_BOARD_KEYS]
    counts = collections.Counter(lang for j in jobs for lang in languages_of(j))
    # The rarest language that at least a handful of jobs list: a filter that must remove most.
    language = min((n, lang) for lang, n in counts.items() if n >= 5)[1]
    holders = {j["key"] for j in jobs if language in languages_of(j)}
    lacking = {j["key"] for j in jobs} - holders
    assert 5 <= len(holders) < len(jobs)
    assert lacking

    before = hrflow.score_jobs(baseline)
    kept = all_keys(hrflow, replace(baseline, languages=(language.title(),)))

    assert len(kept) < before.total
    assert set(kept) == holders  # every job that lists it, and nothing else
    assert not set(kept) & lacking


def test_scoring_off_gives_neutral_predictions_in_a_different_order(
    hrflow: HrFlowClient, baseline: JobQuery
) -> None:
    scored = hrflow.score_jobs(replace(baseline, sort_by="scoring"))
    searched = hrflow.score_jobs(replace(baseline, sort_by="scoring", use_agent=False))

    assert len(scored.jobs) == len(searched.jobs) == baseline.limit
    assert searched.total == scored.total
    assert set(searched.scores) == {NEUTRAL}
    assert len(set(scored.scores)) > 1  # the model ran: scores differ between jobs
    assert [j["key"] for j in searched.jobs] != [j["key"] for j in scored.jobs]
    # With no model, "sort by score" falls back to the newest first.
    created = [parse_datetime(j["created_at"]) for j in searched.jobs]
    assert created == sorted(created, reverse=True)  # type: ignore[type-var]


def sent(calls: Any) -> list[dict[str, list[str]]]:
    """The query of every scoring request that reached the sandbox (GET; POST bodies as JSON)."""
    queries = []
    for call in calls:
        if call.request.method == "GET":
            queries.append(parse_qs(urlsplit(call.request.url).query))
        else:
            body = json.loads(call.request.body)
            queries.append({k: [v if isinstance(v, str) else json.dumps(v)] for k, v in body.items()})
    return queries


def test_the_algorithm_and_scoring_switch_sent_are_the_ones_picked(
    hrflow: HrFlowClient, baseline: JobQuery, live_sandbox: Any
) -> None:
    other = DEMO_ALGORITHM_KEYS[1]
    with responses.RequestsMock(assert_all_requests_are_fired=False) as recorder:
        # Real requests to the real sandbox, recorded on the way (PassthroughResponse).
        recorder.add(responses.PassthroughResponse(responses.GET, re.compile(re.escape(live_sandbox.url))))
        recorder.add(responses.PassthroughResponse(responses.POST, re.compile(re.escape(live_sandbox.url))))
        first: ScoringPayload = hrflow.score_jobs(baseline)
        second: ScoringPayload = hrflow.score_jobs(replace(baseline, algorithm_key=other))
        off: ScoringPayload = hrflow.score_jobs(replace(baseline, use_agent=False))
        queries = sent(recorder.calls)  # the mock forgets its calls when it stops

    assert len(queries) == 3
    picked = DEMO_ALGORITHM_KEYS[0]
    assert [q["algorithm_key"] for q in queries] == [[picked], [other], [picked]]
    assert [q.get("use_agent") for q in queries] == [["1"], ["1"], ["0"]]
    # And the sandbox acted on it: another algorithm scores the same jobs differently.
    assert first.total == second.total == off.total
    by_key_first = dict(zip((j["key"] for j in first.jobs), first.scores, strict=True))
    by_key_second = dict(zip((j["key"] for j in second.jobs), second.scores, strict=True))
    common = by_key_first.keys() & by_key_second.keys()
    assert common
    assert any(by_key_first[k] != by_key_second[k] for k in common)
