"""The official hrflow SDK (4.3.0), pointed at the sandbox, gets what a plain requests call gets."""

from typing import Any

import pytest
from hrflow import Hrflow

from hrflow_dash import demo
from tests.fixtures.sandbox import TEST_BOARDS
from tests.sandbox.conftest import Api


@pytest.fixture(scope="module")
def client(live_sandbox: Any) -> Hrflow:
    return Hrflow(api_url=live_sandbox.url, api_secret=live_sandbox.api_key, api_user=live_sandbox.user_email)


def test_sdk_scoring_equals_plain_requests(client: Hrflow, api: Api, base: dict[str, Any]) -> None:
    via_sdk = client.job.scoring.list(
        board_keys=base["board_keys"],
        source_key=base["source_key"],
        profile_key=base["profile_key"],
        algorithm_key=base["algorithm_key"],
        sort_by="scoring",
        order_by="desc",
        limit=15,
        text_keywords=["the"],
        tags_excluded=[[{"name": "remote", "value": True}]],
    )
    plain = api.scoring(
        **base, limit=15, text_keywords=["the"], tags_excluded=[[{"name": "remote", "value": True}]]
    )
    assert via_sdk["code"] == 200
    assert via_sdk == plain
    assert via_sdk["meta"]["count"] == 15


def test_sdk_agent_key_argument_works(client: Hrflow, api: Api, base: dict[str, Any]) -> None:
    via_sdk = client.job.scoring.list(
        board_keys=base["board_keys"],
        source_key=base["source_key"],
        profile_key=base["profile_key"],
        agent_key=demo.DEMO_ALGORITHM_KEYS[1],
        use_agent=1,
        sort_by="scoring",
        order_by="desc",
        limit=5,
    )
    assert via_sdk == api.scoring(**dict(base, algorithm_key=demo.DEMO_ALGORITHM_KEYS[1]), limit=5)


def test_sdk_dict_geopoint_gets_a_clear_400(client: Hrflow, base: dict[str, Any]) -> None:
    answer = client.job.scoring.list(
        board_keys=base["board_keys"],
        source_key=base["source_key"],
        profile_key=base["profile_key"],
        algorithm_key=base["algorithm_key"],
        sort_by="scoring",
        location_geopoint={"lat": 48.85, "lng": 2.35},
        location_distance=30,
    )
    assert answer["code"] == 400
    assert answer["message"].startswith("location_geopoint: repeated keys (lat, lng)")


def test_sdk_wrong_secret_is_a_401(live_sandbox: Any, base: dict[str, Any]) -> None:
    intruder = Hrflow(
        api_url=live_sandbox.url, api_secret="ask_" + "0" * 32, api_user=live_sandbox.user_email
    )
    answer = intruder.job.scoring.list(board_keys=base["board_keys"], limit=5)
    assert answer["code"] == 401
    assert answer["message"].startswith("Unauthorized. Invalid secret key: ask_0000")


def test_sdk_pickers(client: Hrflow, profiles: list[dict[str, Any]]) -> None:
    sources = client.source.list(limit=10)
    assert {s["key"] for s in sources["data"]} == set(demo.DEMO_SOURCE_KEYS)
    boards = client.board.list(limit=100)
    # Tests add boards of their own (create_board) to the session's sandbox; the demo ones stay.
    assert set(demo.DEMO_BOARD_KEYS) <= {b["key"] for b in boards["data"]}
    assert set(TEST_BOARDS) <= {b["key"] for b in boards["data"]}
    assert client.board.get(key=demo.DEMO_BOARD_KEYS[0])["data"]["key"] == demo.DEMO_BOARD_KEYS[0]
    assert client.source.get(key=demo.DEMO_SOURCE_KEYS[1])["data"]["key"] == demo.DEMO_SOURCE_KEYS[1]
    target = profiles[3]
    surname = target["info"]["last_name"]
    found = client.profile.storing.list(
        source_keys=[target["source_key"]], name=surname.lower(), return_profile=True
    )
    assert found["code"] == 200
    assert target["key"] in {p["key"] for p in found["data"]}
    assert all(surname.lower() in p["info"]["full_name"].lower() for p in found["data"])
    one = client.profile.storing.get(source_key=target["source_key"], key=target["key"])
    assert one["code"] == 200
    assert one["data"]["key"] == target["key"]
    by_reference = client.profile.storing.get(source_key=target["source_key"], reference=target["reference"])
    assert by_reference["data"] == one["data"]
