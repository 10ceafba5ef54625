"""Helpers over `live_sandbox`: a tiny HTTP client and the demo objects every test needs."""

import json
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from hrflow_dash import demo


@dataclass
class Api:
    url: str
    headers: dict[str, str]
    session: requests.Session

    def get(self, path: str, params: dict[str, Any] | None = None, **kwargs: Any) -> requests.Response:
        return self.session.get(
            self.url + path, params=params, headers=kwargs.pop("headers", self.headers), timeout=30
        )

    def post(self, path: str, body: Any, **kwargs: Any) -> requests.Response:
        return self.session.post(
            self.url + path, json=body, headers=kwargs.pop("headers", self.headers), timeout=30
        )

    def scoring(self, **params: Any) -> dict[str, Any]:
        response = self.get("jobs/scoring", encode(params))
        assert response.status_code == 200, response.text
        return response.json()


def encode(params: dict[str, Any]) -> dict[str, Any]:
    """docs/hrflow.md decision 1: every list and dict as one JSON-encoded value."""
    return {k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in params.items() if v is not None}


@pytest.fixture(scope="session")
def api(live_sandbox: Any) -> Api:
    session = requests.Session()
    headers = {"X-API-KEY": live_sandbox.api_key, "X-USER-EMAIL": live_sandbox.user_email}
    return Api(live_sandbox.url, headers, session)


@pytest.fixture(scope="session")
def profiles(api: Api) -> list[dict[str, Any]]:
    response = api.get(
        "storing/profiles",
        {"source_keys": json.dumps(demo.DEMO_SOURCE_KEYS), "limit": 1000, "return_profile": True},
    )
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert len(data) >= 10
    return data


@pytest.fixture(scope="session")
def base(profiles: list[dict[str, Any]]) -> dict[str, Any]:
    """Parameters of a realistic scoring request for the first demo profile."""
    profile = profiles[0]
    return {
        "board_keys": demo.DEMO_BOARD_KEYS,
        "source_key": profile["source_key"],
        "profile_key": profile["key"],
        "algorithm_key": demo.DEMO_ALGORITHM_KEYS[0],
        "sort_by": "scoring",
        "order_by": "desc",
    }


@pytest.fixture(scope="session")
def full_ranking(api: Api, base: dict[str, Any], live_sandbox: Any) -> list[dict[str, Any]]:
    """Every job of the demo boards in ranking order, with its score (one big page)."""
    total = api.scoring(**base, limit=1)["meta"]["total"]
    ranking: list[dict[str, Any]] = []
    page = 1
    while len(ranking) < total:
        body = api.scoring(**base, limit=1000, page=page)
        ranking += [
            dict(job, _score=pred[1])
            for job, pred in zip(body["data"]["jobs"], body["data"]["predictions"], strict=True)
        ]
        page += 1
    return ranking


@pytest.fixture(scope="module")
def own_board(live_sandbox: Any, request: pytest.FixtureRequest) -> str:
    """A board of this test module's own in the session's sandbox (manage.py create_board): jobs
    indexed here never show in the demo boards, whose rankings other tests read."""
    return str(live_sandbox.create_board(f"test board: {request.module.__name__}"))


def index_into(api: Api, board_key: str, job: dict[str, Any]) -> dict[str, Any]:
    """POST job/indexing into `board_key`; the stored job (asserts the 201)."""
    response = api.post("job/indexing", {**job, "board_key": board_key})
    assert response.status_code == 201, response.text
    return dict(response.json()["data"])


def get_job(api: Api, board_key: str, key: str) -> dict[str, Any]:
    response = api.get("job/indexing", {"board_key": board_key, "key": key})
    assert response.status_code == 200, response.text
    return dict(response.json()["data"])


def board_jobs(api: Api, board_key: str, **params: Any) -> list[dict[str, Any]]:
    """Every job of one board through jobs/scoring (searching only, newest first)."""
    defaults = {"algorithm_key": demo.DEMO_ALGORITHM_KEYS[0], "use_agent": 0, "sort_by": "created_at"}
    body = api.scoring(**{**defaults, "board_keys": [board_key], "limit": 1000, **params})
    return list(body["data"]["jobs"])
