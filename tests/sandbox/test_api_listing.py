"""The pickers' endpoints: sources, boards, storing/profiles, profile/indexing."""

import json
import math
from typing import Any

from hrflow.schemas import HrFlowProfile

from hrflow_dash import demo
from tests.fixtures.sandbox import TEST_BOARDS
from tests.sandbox.conftest import Api


def test_boards_and_sources_list_the_demo_objects(api: Api) -> None:
    # live_sandbox also holds the empty boards tests index into (tests/fixtures/sandbox.py), and
    # module fixtures may add boards of their own (create_board) at any point of the run: boards
    # are checked by the names of the known keys, sources exactly.
    for path, expected in (
        (
            "boards",
            {
                **dict(zip(demo.DEMO_BOARD_KEYS, demo.DEMO_BOARDS.values(), strict=True)),
                **TEST_BOARDS,
            },
        ),
        ("sources", dict(zip(demo.DEMO_SOURCE_KEYS, demo.DEMO_SOURCES.values(), strict=True))),
    ):
        response = api.get(path, {"limit": 100})
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "application/json"
        body = response.json()
        listed = {item["key"]: item["name"] for item in body["data"]}
        assert {key: listed.get(key) for key in expected} == expected
        if path == "sources":
            assert listed == expected
        assert body["meta"]["count"] == len(listed) == body["meta"]["total"]


def test_one_board_unknown_board(api: Api) -> None:
    assert (
        api.get("board", {"key": demo.DEMO_BOARD_KEYS[2]}).json()["data"]["name"]
        == list(demo.DEMO_BOARDS.values())[2]
    )
    missing = api.get("board", {"key": "f" * 40})
    assert missing.status_code == 400
    assert missing.json() == {"code": 400, "message": "Invalid parameters. Unable to find object: board"}


def test_profiles_of_a_source_paginate(api: Api, profiles: list[dict[str, Any]]) -> None:
    source = demo.DEMO_SOURCE_KEYS[0]
    expected = [p["key"] for p in profiles if p["source_key"] == source]
    seen: list[str] = []
    limit = 7
    for page in range(1, math.ceil(len(expected) / limit) + 1):
        body = api.get(
            "storing/profiles", {"source_keys": json.dumps([source]), "page": page, "limit": limit}
        ).json()
        assert body["meta"]["total"] == len(expected)
        assert body["meta"]["maxPage"] == math.ceil(len(expected) / limit)
        # Without return_profile: key, reference and dates only (docs/hrflow.md §7).
        assert all(set(item) == {"key", "reference", "created_at", "updated_at"} for item in body["data"])
        seen += [item["key"] for item in body["data"]]
    assert sorted(seen) == sorted(expected)
    assert len(set(seen)) == len(seen)


def test_profile_name_search_is_case_insensitive_contains(api: Api, profiles: list[dict[str, Any]]) -> None:
    full_name = profiles[5]["info"]["full_name"]
    fragment = full_name.split()[-1][1:].upper()
    for return_profile in ("True", "1", "true"):
        body = api.get(
            "storing/profiles",
            {
                "source_keys": json.dumps(demo.DEMO_SOURCE_KEYS),
                "name": fragment,
                "return_profile": return_profile,
            },
        ).json()
        names = [p["info"]["full_name"] for p in body["data"]]
        assert full_name in names
        assert all(fragment.lower() in n.lower() for n in names)
        expected = sum(fragment.lower() in p["info"]["full_name"].lower() for p in profiles)
        assert body["meta"]["total"] == expected


def test_profiles_validate_and_sort(api: Api, profiles: list[dict[str, Any]]) -> None:
    # The SDK's profile schema is kept here: the demo profiles' values are null or strings and
    # their location.fields objects, where it agrees with what HrFlow sends (the recorded parsed
    # profile has a full fields object). Jobs are checked against the recorded shapes instead.
    for profile in profiles[:20]:
        HrFlowProfile.model_validate(profile)
    stamps = [p["created_at"] for p in profiles]
    assert stamps == sorted(stamps, reverse=True)
    ascending = api.get(
        "storing/profiles",
        {
            "source_keys": json.dumps(demo.DEMO_SOURCE_KEYS),
            "order_by": "asc",
            "limit": 1000,
            "return_profile": "False",
        },
    ).json()["data"]
    assert [p["created_at"] for p in ascending] == sorted(stamps)


def test_one_profile_by_key_or_reference(api: Api, profiles: list[dict[str, Any]]) -> None:
    target = profiles[2]
    by_key = api.get("profile/indexing", {"source_key": target["source_key"], "key": target["key"]}).json()
    by_reference = api.get(
        "profile/indexing", {"source_key": target["source_key"], "reference": target["reference"]}
    ).json()
    assert by_key["code"] == 200
    assert by_key["data"] == by_reference["data"] == target
    other_source = next(k for k in demo.DEMO_SOURCE_KEYS if k != target["source_key"])
    wrong = api.get("profile/indexing", {"source_key": other_source, "key": target["key"]})
    assert wrong.status_code == 400
    assert wrong.json()["message"] == "Invalid parameters. Unable to find object: profile"


def test_listing_rejects_bad_parameters(api: Api) -> None:
    for params, message in (
        ({}, "source_keys: is required"),
        ({"source_keys": "nope"}, "source_keys: is not valid JSON"),
        ({"source_keys": json.dumps(["0" * 40])}, "Invalid parameters. Unable to find object: source"),
        (
            {"source_keys": json.dumps(demo.DEMO_SOURCE_KEYS), "return_profile": "maybe"},
            "return_profile: must be",
        ),
        ({"source_keys": json.dumps(demo.DEMO_SOURCE_KEYS), "limit": 0}, "limit: must be between"),
    ):
        response = api.get("storing/profiles", params)
        assert response.status_code == 400, response.text
        assert response.json()["message"].startswith(message)
