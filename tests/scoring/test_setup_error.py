"""No scoring algorithm configured: a clear setup error naming HRFLOW_ALGORITHM_KEYS, never a
crash, a raw upstream text, or an upstream call (issue 7; HrFlow requires `algorithm_key`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import responses

from scoring.hrflow.client import HrFlowClient
from scoring.hrflow.errors import SETUP_MESSAGE, HrFlowSetupError
from scoring.hrflow.query import JobQuery
from tests.scoring.hrflow.payloads import ALGORITHM, API_KEY, API_URL, BOARD_A, PROFILE, SOURCE, USER_EMAIL

ROOT = Path(__file__).resolve().parents[2]
QUERY = JobQuery(board_keys=(BOARD_A,), source_key=SOURCE, profile_key=PROFILE, algorithm_key=ALGORITHM)


def client() -> HrFlowClient:
    return HrFlowClient(base_url=API_URL, api_key=API_KEY, user_email=USER_EMAIL)


def test_the_client_refuses_to_score_without_an_algorithm_and_calls_nothing() -> None:
    from dataclasses import replace

    with responses.RequestsMock() as mocked, pytest.raises(HrFlowSetupError) as caught:
        client().score_jobs(replace(QUERY, algorithm_key=""))
    assert len(mocked.calls) == 0
    assert caught.value.user_message == SETUP_MESSAGE
    assert "HRFLOW_ALGORITHM_KEYS" in SETUP_MESSAGE


@pytest.mark.parametrize(
    "message",
    ["algorithm_key: Missing data for required field.",
     "Invalid parameters. Unable to find object: algorithm", "agent_key is required"],
)  # fmt: skip
def test_hrflow_400_about_the_algorithm_becomes_the_setup_message(message: str) -> None:
    with responses.RequestsMock() as mocked:
        mocked.get(API_URL + "jobs/scoring", status=400, json={"code": 400, "message": message})
        with pytest.raises(HrFlowSetupError) as caught:
            client().score_jobs(QUERY)

    assert caught.value.user_message == SETUP_MESSAGE
    assert message not in caught.value.user_message


def test_the_search_page_names_the_variable_and_calls_no_upstream(user_client: Any, settings: Any) -> None:
    settings.HRFLOW_ALGORITHM_KEYS = []
    settings.HRFLOW_API_URL = API_URL
    with responses.RequestsMock() as mocked:  # any upstream call would fail: none registered
        full = user_client.get(f"/?source_key={SOURCE}&profile_key={PROFILE}")
        partial = user_client.get(
            f"/?source_key={SOURCE}&profile_key={PROFILE}", headers={"HX-Request": "true"}
        )
        blank = user_client.get("/")
        assert len(mocked.calls) == 0

    for response in (full, partial, blank):
        body = response.content.decode()
        assert response.status_code == 200
        assert "HRFLOW_ALGORITHM_KEYS" in body
        assert "The search could not run" in body


def test_without_demo_mode_no_algorithm_is_configured_by_default(tmp_path: Path) -> None:
    code = "from django.conf import settings; print(repr(settings.HRFLOW_ALGORITHM_KEYS))"
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "HRFLOW_DASH_VAR_DIR": str(tmp_path / "var"),
           "DJANGO_DEBUG": "1"}  # fmt: skip
    run = [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code]
    off = subprocess.run(
        run, env={**env, "HRFLOW_DASH_DEMO": "0"}, capture_output=True, text=True, check=False
    )
    on = subprocess.run(run, env=env, capture_output=True, text=True, check=False)

    assert off.stdout.strip().splitlines()[-1] == "[]", off.stderr
    assert on.stdout.strip().splitlines()[-1] != "[]", on.stderr
