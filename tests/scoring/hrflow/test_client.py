from __future__ import annotations

import json
import logging
from urllib.parse import parse_qsl, urlsplit

import pytest
import responses
from django.core.exceptions import ImproperlyConfigured
from pytest_django.fixtures import Settings as SettingsWrapper
from responses import matchers

from scoring.hrflow import client as client_module
from scoring.hrflow.calls import background_calls
from scoring.hrflow.client import HrFlowClient, get_client
from scoring.hrflow.query import JobQuery
from tests.ops.helpers import json_formatter
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
QUERY = JobQuery(
    board_keys=(BOARD_A, BOARD_B),
    source_key=SOURCE,
    profile_key=PROFILE,
    algorithm_key=ALGORITHM,
    lat=48.85,
    lng=2.35,
    location_distance=30,
)


def sent_pairs(call: responses.Call) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(str(call.request.url)).query)


def test_scoring_sends_credentials_as_headers_and_each_parameter_once(
    client: HrFlowClient, mocked: responses.RequestsMock
) -> None:
    mocked.get(SCORING_URL, json=envelope([job(key="1"), job(key="2")], [0.9, 0.4]))

    payload = client.score_jobs(QUERY)

    request = mocked.calls[0].request
    assert request.headers["X-API-KEY"] == API_KEY
    assert request.headers["X-USER-EMAIL"] == USER_EMAIL
    pairs = sent_pairs(mocked.calls[0])
    names = [name for name, _ in pairs]
    assert len(names) == len(set(names)), "a parameter was repeated"
    sent = dict(pairs)
    assert json.loads(sent["board_keys"]) == [BOARD_A, BOARD_B]
    assert json.loads(sent["location_geopoint"]) == {"lat": 48.85, "lng": 2.35}
    assert (sent["algorithm_key"], sent["sort_by"], sent["order_by"]) == (ALGORITHM, "scoring", "desc")
    assert "agent_key" not in sent
    assert API_KEY not in str(request.url)
    assert [j["key"] for j in payload.jobs] == ["1", "2"]
    assert payload.scores == (0.9, 0.4)


def test_the_request_has_connect_and_read_timeouts(
    client: HrFlowClient, mocked: responses.RequestsMock
) -> None:
    # An interactive call (the default kind) gets the shorter read timeout.
    mocked.get(
        SCORING_URL, json=envelope(), match=[matchers.request_kwargs_matcher({"timeout": (3.05, 5.0)})]
    )

    client.score_jobs(QUERY)

    assert len(mocked.calls) == 1


def test_older_accounts_also_get_agent_key(client: HrFlowClient, mocked: responses.RequestsMock) -> None:
    client.send_agent_key = True
    mocked.get(SCORING_URL, json=envelope())

    client.score_jobs(QUERY)

    sent = dict(sent_pairs(mocked.calls[0]))
    assert sent["agent_key"] == sent["algorithm_key"] == ALGORITHM


def test_a_long_query_goes_as_a_post_with_native_json(
    client: HrFlowClient, mocked: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    long_query = JobQuery(
        board_keys=(BOARD_A,),
        algorithm_key=ALGORITHM,
        text_keywords=tuple(f"keyword-{i:04d}" for i in range(400)),
    )
    mocked.post(SCORING_URL, json=envelope())

    client.score_jobs(long_query)

    request = mocked.calls[0].request
    assert request.method == "POST"
    assert urlsplit(str(request.url)).query == ""
    assert request.headers["Content-Type"] == "application/json"
    body = json.loads(request.body)  # type: ignore[arg-type]
    assert body["board_keys"] == [BOARD_A]
    assert len(body["text_keywords"]) == 400
    assert body["page"] == 1


def test_a_short_query_stays_a_get(client: HrFlowClient, mocked: responses.RequestsMock) -> None:
    mocked.get(SCORING_URL, json=envelope())

    client.score_jobs(JobQuery(board_keys=(BOARD_A,), algorithm_key=ALGORITHM, text_keywords=("python",)))

    assert mocked.calls[0].request.method == "GET"
    assert len(str(mocked.calls[0].request.url)) < client_module.MAX_GET_URL_LENGTH


def test_list_boards_and_sources(client: HrFlowClient, mocked: responses.RequestsMock) -> None:
    mocked.get(
        API_URL + "boards", json={"code": 200, "message": "ok", "data": [{"key": BOARD_A, "name": "Tech"}]}
    )
    mocked.get(
        API_URL + "sources",
        json={"code": 200, "message": "ok", "data": {"sources": [{"key": SOURCE, "name": None}]}},
    )

    assert [(b.key, b.name) for b in client.list_boards()] == [(BOARD_A, "Tech")]
    assert [(s.key, s.name) for s in client.list_sources()] == [(SOURCE, SOURCE)]


def test_list_profiles_searches_one_source_by_name(
    client: HrFlowClient, mocked: responses.RequestsMock
) -> None:
    mocked.get(
        API_URL + "storing/profiles",
        json={
            "code": 200,
            "message": "List of profiles",
            "meta": {},
            "data": [profile(full_name="Ada Lovelace")],
        },
    )

    options = client.list_profiles(SOURCE, name=" ada ", page=2, limit=5)

    sent = dict(sent_pairs(mocked.calls[0]))
    assert json.loads(sent["source_keys"]) == [SOURCE]
    assert (sent["name"], sent["page"], sent["limit"], sent["return_profile"]) == ("ada", "2", "5", "True")
    assert [(o.key, o.name, o.title) for o in options] == [(PROFILE, "Ada Lovelace", "Data Engineer")]


def test_get_profile(client: HrFlowClient, mocked: responses.RequestsMock) -> None:
    mocked.get(
        API_URL + "profile/indexing",
        json={"code": 200, "message": "ok", "data": profile(first_name="Ada", last_name="Lovelace")},
        match=[matchers.query_param_matcher({"source_key": SOURCE, "key": PROFILE})],
    )

    candidate = client.get_profile(SOURCE, PROFILE)

    assert (candidate.name, candidate.skills) == ("Ada Lovelace", ("Python", "SQL"))


def test_log_lines_name_the_call_but_never_the_key(
    client: HrFlowClient, mocked: responses.RequestsMock, caplog: pytest.LogCaptureFixture
) -> None:
    mocked.get(SCORING_URL, json=envelope())

    with caplog.at_level(logging.DEBUG):
        client.score_jobs(QUERY)

    assert "HrFlow GET jobs/scoring -> 200" in caplog.text
    assert API_KEY not in caplog.text
    # The production JSON format too (LOG_FORMAT=json): every field of every line.
    as_json = json_formatter()
    lines = [as_json.format(record) for record in caplog.records]
    assert any('"hrflow_endpoint": "jobs/scoring"' in line for line in lines)
    assert all(API_KEY not in line for line in lines)
    assert API_KEY not in repr(client)


@pytest.mark.django_db
def test_get_client_reads_settings(settings: SettingsWrapper) -> None:
    settings.HRFLOW_API_URL = "http://sandbox.test/v1"
    settings.HRFLOW_API_KEY = API_KEY
    settings.HRFLOW_USER_EMAIL = USER_EMAIL
    settings.HRFLOW_TIMEOUT_INTERACTIVE = 4.5
    settings.HRFLOW_TIMEOUT_BACKGROUND = 7.5

    hrflow = get_client()

    assert hrflow.base_url == "http://sandbox.test/v1/"
    assert hrflow.timeout == (settings.HRFLOW_CONNECT_TIMEOUT, 4.5)
    with background_calls():
        assert hrflow.timeout == (settings.HRFLOW_CONNECT_TIMEOUT, 7.5)
    assert hrflow.session.headers["X-USER-EMAIL"] == USER_EMAIL
    assert get_client() is hrflow


def test_get_client_fails_loudly_without_credentials(settings: SettingsWrapper) -> None:
    settings.HRFLOW_API_KEY = ""

    with pytest.raises(ImproperlyConfigured, match="HRFLOW_API_KEY"):
        get_client()
