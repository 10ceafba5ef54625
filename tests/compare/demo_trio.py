"""Three known demo candidates from both demo sources, for the matrix's live and browser tests:
Marcus Shaw and Nichole Cox (account executives, inbound applications: their top jobs overlap)
and Grace Parker (a software developer in the sourced talent pool: hers mostly do not)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import requests
import responses
from responses import matchers

from compare.matrix import CandidateRef
from hrflow_dash.demo import DEMO_ALGORITHM_KEYS, DEMO_BOARD_KEYS, DEMO_SOURCE_KEYS, demo_key
from scoring.hrflow.query import JobQuery

INBOUND, TALENT_POOL = DEMO_SOURCE_KEYS
MARCUS = CandidateRef(INBOUND, demo_key("profile", "cand-0001"))
GRACE = CandidateRef(TALENT_POOL, demo_key("profile", "cand-0002"))
NICHOLE = CandidateRef(INBOUND, demo_key("profile", "cand-0121"))
TRIO = (MARCUS, GRACE, NICHOLE)
NAMES = ["Marcus Shaw", "Grace Parker", "Nichole Cox"]


def matrix_query_string(refs: tuple[CandidateRef, ...] = TRIO, **filters: Any) -> str:
    return urlencode([*filters.items(), *(("candidate", r.token) for r in refs)], doseq=True)


def raw_top_scores(sandbox: Any, ref: CandidateRef, **filters: Any) -> dict[str, int]:
    """A candidate's top 30 straight from the sandbox's JSON (not through the dashboard's client
    or parsers): job key → the percentage a card shows."""
    query = JobQuery(
        board_keys=tuple(DEMO_BOARD_KEYS),
        source_key=ref.source_key,
        profile_key=ref.profile_key,
        algorithm_key=DEMO_ALGORITHM_KEYS[0],
        **filters,
    )
    response = requests.get(
        sandbox.url + "jobs/scoring",
        params=query.to_hrflow_params(),
        headers={"X-API-KEY": sandbox.api_key, "X-USER-EMAIL": sandbox.user_email},
        timeout=30,
    )
    data = response.json()["data"]
    return {
        job["key"]: round(pred[1] * 100) for job, pred in zip(data["jobs"], data["predictions"], strict=True)
    }


JOHN = CandidateRef(INBOUND, demo_key("profile", "cand-0003"))
DOUGLAS = CandidateRef(TALENT_POOL, demo_key("profile", "cand-0004"))
FIVE = (*TRIO, JOHN, DOUGLAS)


def failing_scoring_for(sandbox: Any, ref: CandidateRef) -> responses.RequestsMock:
    """HrFlow answers 500 to one candidate's scoring call (not retried); every other call
    reaches the sandbox. Use as a context manager."""
    rsps = responses.RequestsMock(assert_all_requests_are_fired=True)
    rsps.add(
        responses.GET,
        sandbox.url + "jobs/scoring",
        json={"code": 500, "message": "Internal error"},
        status=500,
        match=[matchers.query_param_matcher({"profile_key": ref.profile_key}, strict_match=False)],
    )
    rsps.add_passthru(re.compile(re.escape(sandbox.url)))
    return rsps
