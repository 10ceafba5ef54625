"""sandbox.params as pure functions: GET strings and POST natives parse to the same request."""

import json

import pytest
from django.http import QueryDict

from sandbox.params import BadParameter, RawParams, TagCondition, parse_profile_list, parse_scoring

BOARD = "a" * 40
SOURCE = "b" * 40
PROFILE = "c" * 40
ALGORITHM = "d" * 40


def from_query(**params: object) -> RawParams:
    query = QueryDict(mutable=True)
    for name, value in params.items():
        query[name] = value if isinstance(value, str) else json.dumps(value)
    return RawParams.from_query(query)


def test_get_and_post_parse_alike() -> None:
    params = {
        "board_keys": [BOARD],
        "algorithm_key": ALGORITHM,
        "source_key": SOURCE,
        "profile_key": PROFILE,
        "page": 2,
        "limit": 10,
        "tags_included": [[{"name": "Remote", "value": True}], [{"name": "company", "value": "Acme"}]],
        "location_geopoint": {"lat": 48.85, "lng": 2.35},
        "location_distance": 30,
        "ranges_float": [{"name": "salary", "value_min": 1, "value_max": 2, "unit": "USD/year"}],
        "date_range_min": "2026-01-10T08:41:25+0000",
    }
    via_get = parse_scoring(
        from_query(**{k: v if not isinstance(v, int) else str(v) for k, v in params.items()}), max_limit=100
    )
    via_post = parse_scoring(RawParams(params, from_query=False), max_limit=100)
    strings = {k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in params.items()}
    encoded = parse_scoring(RawParams(strings, from_query=False), max_limit=100)
    assert via_get == via_post == encoded
    assert via_get.tags_included == [[TagCondition("remote", "true")], [TagCondition("company", "acme")]]
    assert via_get.page == 2
    assert via_get.geo is not None
    assert via_get.geo.distance_km == 30


def test_defaults() -> None:
    request = parse_scoring(
        from_query(board_keys=[BOARD], algorithm_key=ALGORITHM, use_agent="0"), max_limit=100
    )
    assert (request.page, request.limit, request.sort_by, request.order_by, request.use_agent) == (
        1,
        30,
        "scoring",
        "desc",
        False,
    )


def test_repeated_geopoint_keys_explain_the_sdk_bug() -> None:
    query = QueryDict("board_keys=%5B%22" + BOARD + "%22%5D&location_geopoint=lat&location_geopoint=lng")
    with pytest.raises(BadParameter, match=r"location_geopoint: repeated keys \(lat, lng\)"):
        parse_scoring(RawParams.from_query(query), max_limit=100)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"board_keys": []}, "board_keys: must be a non-empty JSON array"),
        ({"board_keys": ["ABC"]}, r"board_keys\[0\]: must be a key"),
        ({"board_keys": [BOARD], "page": "1.5", "use_agent": "0"}, "page: must be an integer"),
        ({"board_keys": [BOARD], "limit": True, "use_agent": 0}, "limit: must be an integer"),
        ({"board_keys": [BOARD]}, "source_key: is required"),
        ({"board_keys": [BOARD], "source_key": SOURCE}, "profile_key: profile_key or profile_reference"),
        (
            {"board_keys": [BOARD], "use_agent": 0, "location_geopoint": {"lat": 1, "lng": 2}},
            "location_distance: is required",
        ),
        (
            {"board_keys": [BOARD], "use_agent": 0, "location_geopoint": {"lat": 1}},
            "location_geopoint: misses lng",
        ),
        (
            {"board_keys": [BOARD], "use_agent": 0, "location_geopoint": {"lat": 1, "lng": 2, "z": 1}},
            "location_geopoint: has unknown",
        ),
        (
            {"board_keys": [BOARD], "use_agent": 0, "score_threshold": "nan"},
            "score_threshold: must be a finite",
        ),
        (
            {"board_keys": [BOARD], "use_agent": 0, "text_keywords": "python"},
            "text_keywords: is not valid JSON",
        ),
        ({"board_keys": [BOARD], "use_agent": 0, "skills": [{"value": 1}]}, r"skills\[0\]: misses name"),
        (
            {"board_keys": [BOARD], "use_agent": 0, "ranges_date": [{"name": "x", "value_min": "soon"}]},
            r"ranges_date\[0\].value_min",
        ),
        (
            {"board_keys": [BOARD], "use_agent": 0, "algorithm_key": BOARD, "agent_key": SOURCE},
            "agent_key: differs",
        ),
    ],
)
def test_rejections_name_the_parameter(params: dict, message: str) -> None:
    with pytest.raises(BadParameter, match=message):
        parse_scoring(RawParams({"algorithm_key": ALGORITHM, **params}, from_query=False), max_limit=100)


def test_algorithm_key_is_required_even_to_search_only() -> None:
    """The current reference marks algorithm_key required; agent_key (its legacy name) will do."""
    for params in ({"board_keys": [BOARD], "use_agent": 0}, {"board_keys": [BOARD], "algorithm_key": ""}):
        with pytest.raises(BadParameter, match="algorithm_key: is required"):
            parse_scoring(RawParams(params, from_query=False), max_limit=100)
    legacy = parse_scoring(
        RawParams({"board_keys": [BOARD], "agent_key": ALGORITHM, "use_agent": 0}, from_query=False),
        max_limit=100,
    )
    assert legacy.algorithm_key == ALGORITHM


@pytest.mark.parametrize(
    ("switches", "expected"),
    [
        ({"use_algorithm": 0}, False),
        ({"use_algorithm": "1", "use_agent": "true"}, True),
        ({"use_agent": 0, "use_algorithm": "False"}, False),
        ({}, True),
    ],
)
def test_use_algorithm_is_use_agent(switches: dict, expected: bool) -> None:
    params = {"board_keys": [BOARD], "algorithm_key": ALGORITHM, "source_key": SOURCE, "profile_key": PROFILE}
    assert (
        parse_scoring(RawParams({**params, **switches}, from_query=False), max_limit=100).use_agent
        is expected
    )


def test_use_algorithm_and_use_agent_must_agree() -> None:
    params = {"board_keys": [BOARD], "algorithm_key": ALGORITHM, "use_agent": 1, "use_algorithm": 0}
    with pytest.raises(BadParameter, match="use_algorithm: differs from use_agent"):
        parse_scoring(RawParams(params, from_query=False), max_limit=100)


def test_empty_values_mean_absent() -> None:
    # The vendor Postman collection sends `skills=` and `location_geopoint={}`.
    request = parse_scoring(
        from_query(
            board_keys=[BOARD], algorithm_key=ALGORITHM, use_agent="0", skills="", location_geopoint="{}"
        ),
        max_limit=100,
    )
    assert request.skills == []
    assert request.geo is None


def test_profile_list_booleans_like_the_sdk() -> None:
    for raw, expected in (("True", True), ("False", False), ("1", True), ("false", False)):
        request = parse_profile_list(
            from_query(source_keys=[SOURCE], return_profile=raw, limit="5"), max_limit=10
        )
        assert request.return_profile is expected
    with pytest.raises(BadParameter, match="limit: must be between 1 and 10"):
        parse_profile_list(from_query(source_keys=[SOURCE], limit="11"), max_limit=10)
