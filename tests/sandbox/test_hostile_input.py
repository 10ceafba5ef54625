"""Hostile input to the sandbox (issue 8): a lone UTF-16 surrogate in any JSON body is a 400
naming the field (fault 1); an oversized body is a 413 in HrFlow's JSON shape, not a 500, and
every JSON response says `X-Content-Type-Options: nosniff` (fault 7). Jobs go to a board of
this module's own."""

import json
from typing import Any

import pytest
import requests

from tests.sandbox.conftest import Api

# The JSON escape of a lone high surrogate, as text: a JSON parser turns it into an unpaired
# code point that no UTF-8 encoder accepts (the page that later shows it fails).
LONE = "\\ud800"


def post_text(api: Api, path: str, text: str) -> requests.Response:
    return api.session.post(
        api.url + path,
        data=text.encode("ascii"),
        headers={**api.headers, "Content-Type": "application/json"},
        timeout=60,
    )


def assert_hrflow_error(response: requests.Response, code: int, starts: str) -> None:
    assert response.status_code == code, response.text[:300]
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"code", "message"}
    assert body["code"] == code
    assert body["message"].startswith(starts), body


@pytest.mark.parametrize(
    ("job_text", "field"),
    [
        ('{"name": "Welder ' + LONE + '"}', "name"),
        ('{"name": "Welder", "skills": [{"name": "weld' + LONE + 'ing"}]}', "skills[0].name"),
        ('{"name": "Welder", "tags": [{"name": "remote", "value": "' + LONE + '"}]}', "tags[0].value"),
        ('{"name": "Welder", "summary": "a \\udc00 b"}', "summary"),
    ],
    ids=["name", "skill", "tag", "low-surrogate"],
)
def test_a_lone_surrogate_in_a_job_is_a_400_naming_the_field(
    api: Api, own_board: str, job_text: str, field: str
) -> None:
    body = job_text[:-1] + f', "board_key": "{own_board}"}}'
    response = post_text(api, "job/indexing", body)
    assert_hrflow_error(response, 400, f"{field}: ")
    assert "surrogate" in response.json()["message"]


def test_a_lone_surrogate_in_scoring_parameters_is_a_400(api: Api, base: dict[str, Any]) -> None:
    native = {**base, "limit": 5}
    text = json.dumps(native)[:-1] + ', "text_keywords": ["ok", "x' + LONE + '"]}'
    assert_hrflow_error(post_text(api, "jobs/scoring", text), 400, "text_keywords[1]: ")
    # GET: the JSON-encoded value holds the escape (percent-encoding cannot carry a surrogate).
    params = {k: json.dumps(v) if isinstance(v, list) else v for k, v in native.items()}
    params["text_keywords"] = '["x' + LONE + '"]'
    assert_hrflow_error(api.get("jobs/scoring", params), 400, "text_keywords[0]: ")


def test_a_valid_astral_character_is_fine(api: Api, own_board: str) -> None:
    """A surrogate pair is one valid character (U+1F600): accepted and served back intact."""
    response = post_text(
        api, "job/indexing", '{"name": "Welder \\ud83d\\ude00", "board_key": "' + own_board + '"}'
    )
    assert response.status_code == 201, response.text
    assert response.json()["data"]["name"] == "Welder \U0001f600"


# DATA_UPLOAD_MAX_MEMORY_SIZE of sandbox/settings.py (Django's default, 2.5 MiB).
LIMIT = 2_621_440


@pytest.mark.parametrize("path", ["job/indexing", "jobs/scoring"])
def test_an_oversized_body_is_hrflows_413(api: Api, own_board: str, path: str) -> None:
    padding = "x" * (LIMIT + 1000)
    text = json.dumps({"name": "Welder", "board_key": own_board, "summary": padding})
    assert_hrflow_error(post_text(api, path, text), 413, "body: ")
    # Just under the limit is read and judged as usual.
    small = json.dumps({"name": "Welder", "board_key": own_board, "summary": "x" * (LIMIT - 500)})
    assert post_text(api, "job/indexing", small).status_code in (201, 400)


def test_every_json_response_says_nosniff(api: Api, base: dict[str, Any], own_board: str) -> None:
    """Success, every error status and Django's own 404: the browser must never sniff a body."""
    answers = [
        api.get("health", headers={}),
        api.get(
            "jobs/scoring", {**{k: json.dumps(v) if isinstance(v, list) else v for k, v in base.items()}}
        ),
        api.get("boards"),
        api.get("jobs/scoring", {"board_keys": "nope"}),  # 400
        api.get("boards", headers={}),  # 401
        api.session.put(api.url + "job/indexing", headers=api.headers, timeout=30),  # 405
        api.get("no/such/endpoint"),  # 404 from Django's handler
        post_text(
            api, "job/indexing", json.dumps({"name": "x" * (LIMIT + 10), "board_key": own_board})
        ),  # 413
    ]
    statuses = [a.status_code for a in answers]
    assert statuses == [200, 200, 200, 400, 401, 405, 404, 413]
    for answer in answers:
        assert answer.headers["Content-Type"] == "application/json"
        assert answer.headers.get("X-Content-Type-Options") == "nosniff", answer.url
