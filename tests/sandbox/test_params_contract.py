"""The sandbox's parameter contract in process: what a client sending each value gets back.

docs/sandbox.md: every error is `<parameter>: <what is wrong>` (HTTP 400), an empty value means
"not given", GET strings and POST natives mean the same. The HTTP tests (test_api_*,
test_hostile_input.py) check the same rules end to end; these call sandbox.params directly, so
they also run per mutant under `make mutation` (the sandbox's gunicorn is out of its reach).
"""

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from sandbox import params as p
from sandbox.params import BadParameter, FloatRange, GeoFilter, RawParams, TagCondition

BOARD = "a" * 40
SOURCE = "b" * 40
PROFILE = "c" * 40
ALGORITHM = "d" * 40
SEARCH_ONLY = {"board_keys": [BOARD], "algorithm_key": ALGORITHM, "use_agent": 0}


def rejected(call: Callable[..., Any], *args: Any, **kwargs: Any) -> BadParameter:
    with pytest.raises(BadParameter) as caught:
        call(*args, **kwargs)
    error = caught.value
    # The message a client reads starts with the parameter it names.
    assert error.message.startswith(f"{error.param}: ")
    assert str(error) == error.message
    return error


def scoring(**params: Any) -> p.ScoringRequest:
    return p.parse_scoring(RawParams({**SEARCH_ONLY, **params}, from_query=False), max_limit=100)


def scoring_error(**params: Any) -> BadParameter:
    return rejected(p.parse_scoring, RawParams({**SEARCH_ONLY, **params}, from_query=False), max_limit=100)


def profiles(**params: Any) -> p.ProfileListRequest:
    query = QueryDict(mutable=True)
    for name, value in {"source_keys": json.dumps([SOURCE]), **params}.items():
        query[name] = value
    return p.parse_profile_list(RawParams.from_query(query), max_limit=50)


def profiles_error(**params: Any) -> BadParameter:
    return rejected(profiles, **params)


# --- bodies and query strings -------------------------------------------------------------------


def test_a_body_must_be_a_json_object() -> None:
    assert RawParams.from_body(b"").values == {}
    assert RawParams.from_body(b"  \n").values == {}
    assert RawParams.from_body(b'{"limit": 5}').values == {"limit": 5}
    assert RawParams.from_body(b'{"limit": 5}').is_query is False
    error = rejected(RawParams.from_body, b"{limit: 5}")
    assert (error.param, error.message) == ("body", "body: is not valid JSON")
    assert rejected(RawParams.from_body, b"\xff\xfe").message == "body: is not valid JSON"
    error = rejected(RawParams.from_body, b"[1, 2]")
    assert error.message == "body: must be a JSON object of parameters"


def test_a_lone_surrogate_in_a_body_names_where_it_is() -> None:
    error = rejected(RawParams.from_body, b'{"skills": [{"name": "\\ud800"}]}')
    assert error.param == "skills[0].name"
    assert "lone UTF-16 surrogate" in error.message
    error = rejected(RawParams.from_body, b'{"\\udc00": 1}')
    assert error.param == "body"
    assert "key" in error.message
    # A valid pair is one character, not a lone surrogate.
    assert RawParams.from_body(b'{"name": "\\ud83d\\ude00"}').values == {"name": "\N{GRINNING FACE}"}


def test_a_parameter_given_twice_in_a_query_is_refused() -> None:
    error = rejected(RawParams.from_query, QueryDict("limit=1&limit=2"))
    assert error.param == "limit"
    assert "more than once" in error.message
    assert "JSON-encoded" in error.message
    geo = rejected(RawParams.from_query, QueryDict("location_geopoint=lat&location_geopoint=lng"))
    assert "repeated keys (lat, lng)" in geo.message
    assert '{"lat": 48.85, "lng": 2.35}' in geo.message
    assert RawParams.from_query(QueryDict("limit=3")).values == {"limit": "3"}
    assert RawParams.from_query(QueryDict("limit=3")).is_query is True


def test_unknown_parameters_are_refused_and_the_accepted_ones_listed() -> None:
    error = scoring_error(zeta=1, alpha=2)
    assert error.param == "alpha"  # the first unknown one, alphabetically
    assert "unknown parameter" in error.message
    assert "board_keys, " in error.message  # sorted list of what is accepted
    assert error.message.index("agent_key") < error.message.index("board_keys")


def test_empty_or_blank_or_null_means_absent() -> None:
    raw = RawParams({"a": "", "b": "  ", "c": None, "d": 0, "e": "x"}, from_query=False)
    assert [raw.get(name) for name in "abcdef"] == [None, None, None, 0, "x", None]


# --- scalars ------------------------------------------------------------------------------------


def test_integers() -> None:
    assert p.as_int("page", " +7 ") == 7
    assert p.as_int("page", "-3") == -3
    assert p.as_int("page", 12) == 12
    for bad in ("1.5", "1e3", "", "seven", 1.0, [1]):
        assert rejected(p.as_int, "page", bad).message.startswith("page: must be an integer, got ")
    assert rejected(p.as_int, "page", True).message == "page: must be an integer"
    assert "got 'x'" in rejected(p.as_int, "page", "x").message


def test_numbers() -> None:
    assert p.as_float("d", " 2.5 ") == 2.5
    assert p.as_float("d", 3) == 3.0
    assert isinstance(p.as_float("d", 3), float)
    assert rejected(p.as_float, "d", False).message == "d: must be a number"
    assert rejected(p.as_float, "d", "far").message == "d: must be a number, got 'far'"
    assert rejected(p.as_float, "d", [1]).message == "d: must be a number, got [1]"
    for infinite in ("inf", "nan", float("inf")):
        assert rejected(p.as_float, "d", infinite).message == "d: must be a finite number"


def test_keys_are_40_lowercase_hex() -> None:
    assert p.as_key("k", BOARD) == BOARD
    for bad in ("A" * 40, "a" * 39, "a" * 41, "g" * 40, 7):
        assert "must be a key of 40 lowercase hex characters" in rejected(p.as_key, "k", bad).message


def test_strings_and_their_length() -> None:
    assert p.as_str("name", "x" * 10, 10) == "x" * 10
    assert rejected(p.as_str, "name", "x" * 11, 10).message == "name: must be at most 10 characters"
    assert p.as_str("name", "y" * 500) == "y" * 500
    assert "at most 500" in rejected(p.as_str, "name", "y" * 501).message
    assert rejected(p.as_str, "name", 5).message == "name: must be a string, got 5"


def test_choices_are_case_and_space_insensitive() -> None:
    assert p.as_choice("order_by", " ASC ", p.ORDER_BY) == "asc"
    error = rejected(p.as_choice, "order_by", "up", p.ORDER_BY)
    assert error.message == "order_by: must be one of desc, asc, got 'up'"
    assert "got 1" in rejected(p.as_choice, "order_by", 1, p.ORDER_BY).message


def test_booleans_as_the_sdk_and_curl_send_them() -> None:
    truthy = (True, 1, "1", "true", " True ", "TRUE")
    falsy = (False, 0, "0", "false", "False ")
    assert [p.as_bool("b", v) for v in truthy] == [True] * len(truthy)
    assert [p.as_bool("b", v) for v in falsy] == [False] * len(falsy)
    for bad in (2, "yes", "", None, 1.0):
        assert rejected(p.as_bool, "b", bad).message.startswith("b: must be 0/1 or true/false, got ")


def test_dates() -> None:
    assert p.as_datetime("d", "2026-01-10T08:41:25+0000") == dt.datetime(
        2026, 1, 10, 8, 41, 25, tzinfo=dt.UTC
    )
    assert rejected(p.as_datetime, "d", "soon").message == "d: must be an ISO-8601 date, got 'soon'"
    assert "got 5" in rejected(p.as_datetime, "d", 5).message


def test_long_values_are_shortened_in_messages() -> None:
    message = rejected(p.as_int, "page", "9" * 100 + "x").message
    shown = message.removeprefix("page: must be an integer, got ")
    assert len(shown) == 60
    assert shown.endswith("...")
    assert shown.startswith("'999")
    exactly = "'" + "9" * 58 + "'"  # 60 characters with the quotes: shown whole
    assert rejected(p.as_int, "page", "9" * 58).message.endswith(exactly)


# --- lists and objects --------------------------------------------------------------------------


def test_key_lists() -> None:
    assert p.as_key_list("board_keys", json.dumps([BOARD, SOURCE])) == [BOARD, SOURCE]
    assert p.as_key_list("board_keys", [BOARD] * 100) == [BOARD] * 100
    assert rejected(p.as_key_list, "board_keys", [BOARD] * 101).message == (
        "board_keys: must hold at most 100 keys"
    )
    for bad in ([], "[]", {"a": BOARD}, json.dumps(BOARD)):
        assert "must be a non-empty JSON array of keys" in rejected(p.as_key_list, "board_keys", bad).message
    assert rejected(p.as_key_list, "board_keys", [BOARD, "x"]).param == "board_keys[1]"


def test_string_lists_are_trimmed_and_blanks_dropped() -> None:
    assert p.as_string_list("text_keywords", ' [" python ", "", "  ", "go"] ') == ["python", "go"]
    assert len(p.as_string_list("text_keywords", ["w"] * 50)) == 50
    assert "at most 50 strings" in rejected(p.as_string_list, "text_keywords", ["w"] * 51).message
    for bad in (["a", 1], {"a": 1}, "[null]"):
        assert "must be a JSON array of strings" in rejected(p.as_string_list, "text_keywords", bad).message


def test_invalid_json_in_a_parameter_names_it() -> None:
    assert rejected(p.json_value, "skills", "[").message == "skills: is not valid JSON"
    assert (
        rejected(p.json_value, "skills", "[" * 100_000 + "]" * 100_000).message == "skills: is not valid JSON"
    )
    error = rejected(p.json_value, "skills", '["\\ud800"]')
    assert error.param == "skills[0]"
    assert p.json_value("skills", [1]) == [1]


def test_object_keys() -> None:
    obj = {"lat": 1, "lng": 2}
    assert p.check_object_keys("g", obj, {"lat", "lng"}, {"lat", "lng"}) is obj
    assert rejected(p.check_object_keys, "g", [], {"lat"}, {"lng", "lat"}).message == (
        "g: must be a JSON object with lat, lng"
    )
    assert (
        rejected(p.check_object_keys, "g", {}, {"lng", "lat"}, {"lat", "lng"}).message == "g: misses lat, lng"
    )
    error = rejected(p.check_object_keys, "g", {"lat": 1, "z": 1, "y": 2}, {"lat"}, {"lat"})
    assert error.message == "g: has unknown key(s) y, z"


@pytest.mark.parametrize(
    ("value", "form"),
    [
        (True, "true"),
        (False, "false"),
        (1, "1"),
        (1.0, "1"),
        ("1.0", "1"),
        (" 1 ", "1"),
        (-2, "-2"),
        (1.5, "1.5"),
        ("1.5", "1.5"),
        (" TRUE ", "true"),
        ("False", "false"),
        (" Acme ", "acme"),
        ("nan", "nan"),
        ("inf", "inf"),
        # Words that Python would read as infinity stay words, like "inf".
        (" Infinity ", "infinity"),
        ("1e999", "1e999"),
        (float(2**63), repr(float(2**63))),
    ],
)
def test_tag_values_compare_by_json_type(value: Any, form: str) -> None:
    assert p.loose(value) == form


def test_a_boolean_is_not_a_number() -> None:
    assert p.loose(True) != p.loose(1)
    assert p.loose(False) != p.loose(0)


def test_skills_and_languages() -> None:
    assert p.parse_named_list("skills", [" Python ", {"name": "SQL", "value": 0.9, "type": "hard"}]) == [
        "python",
        "sql",
    ]
    assert len(p.parse_named_list("skills", ["x"] * 50)) == 50
    assert "at most 50" in rejected(p.parse_named_list, "skills", ["x"] * 51).message
    assert rejected(p.parse_named_list, "skills", {"name": "x"}).param == "skills"
    assert (
        rejected(p.parse_named_list, "skills", ["ok", " "]).message
        == "skills[1].name: must be a non-empty string"
    )
    assert rejected(p.parse_named_list, "skills", [{"name": 3}]).param == "skills[0].name"
    assert rejected(p.parse_named_list, "skills", [{"name": "x", "level": 1}]).param == "skills[0]"


def test_tags_included_is_an_and_of_or_groups() -> None:
    groups = p.parse_tag_groups(
        "tags_included",
        [[{"name": " Remote ", "value": True}, {"name": "x"}], [], [{"name": "c", "value": 1}]],
    )
    assert groups == [[TagCondition("remote", "true"), TagCondition("x", None)], [TagCondition("c", "1")]]
    assert p.parse_tag_groups("tags_included", [[], []]) == []
    assert len(p.parse_tag_groups("tags_included", [[{"name": "a"}]] * 50)) == 50
    assert rejected(p.parse_tag_groups, "tags_included", [[{"name": "a"}]] * 51).message.startswith(
        "tags_included: must be a JSON array of arrays"
    )
    assert rejected(p.parse_tag_groups, "tags_included", {"name": "a"}).param == "tags_included"
    assert rejected(p.parse_tag_groups, "tags_included", [[], {"name": "a"}]).param == "tags_included[1]"
    assert rejected(p.parse_tag_groups, "tags_included", [[{"name": "a"}] * 51]).param == "tags_included[0]"
    assert len(p.parse_tag_groups("tags_included", [[{"name": "a"}] * 50])[0]) == 50
    error = rejected(p.parse_tag_groups, "tags_included", [[{"name": "a"}, {"name": "b", "value": [1]}]])
    assert error.message == "tags_included[0][1].value: must be a string, number, boolean or null"
    assert rejected(p.parse_tag_groups, "tags_included", [[{"name": "b", "value": {}}]]).param == (
        "tags_included[0][0].value"
    )
    assert rejected(p.parse_tag_groups, "tags_included", [[{"name": ""}]]).message == (
        "tags_included[0][0].name: must be a non-empty string"
    )
    assert rejected(p.parse_tag_groups, "tags_included", [[{"name": 1}]]).param == "tags_included[0][0].name"
    assert rejected(p.parse_tag_groups, "tags_included", [[{"value": 1}]]).param == "tags_included[0][0]"


def test_tags_excluded_flattens_any_nesting() -> None:
    a, b = {"name": "a", "value": "X"}, {"name": "b"}
    expected = [TagCondition("a", "x"), TagCondition("b", None)]
    for nesting in ([[a], [b]], [[a, b]], [a, b], [a, [b]]):
        assert p.parse_tag_list("tags_excluded", nesting) == expected
    assert rejected(p.parse_tag_list, "tags_excluded", [a] * 51).param == "tags_excluded"
    assert len(p.parse_tag_list("tags_excluded", [a] * 50)) == 50
    assert rejected(p.parse_tag_list, "tags_excluded", "a").param == "tags_excluded"
    assert rejected(p.parse_tag_list, "tags_excluded", [a, "b"]).param == "tags_excluded[1]"
    assert rejected(p.parse_tag_list, "tags_excluded", [[a] * 51]).param == "tags_excluded[0]"
    assert len(p.parse_tag_list("tags_excluded", [[a] * 50])) == 50
    assert (
        rejected(p.parse_tag_list, "tags_excluded", [[a, {"name": ""}]]).param == "tags_excluded[0][1].name"
    )
    assert rejected(p.parse_tag_list, "tags_excluded", [{"nom": "a"}]).param == "tags_excluded[0]"


def test_float_ranges() -> None:
    ranges = p.parse_float_ranges(
        "ranges_float",
        [
            {"name": " Salary ", "value_min": "100", "unit": " EUR "},
            {"name": "x", "value_max": 5, "value_min": 5},
        ],
    )
    assert ranges == [FloatRange("salary", 100.0, None, "eur"), FloatRange("x", 5.0, 5.0, None)]
    assert p.parse_float_ranges("ranges_float", [{"name": "s", "value_max": 1, "unit": ""}])[0].unit is None
    assert len(p.parse_float_ranges("ranges_float", [{"name": "s", "value_min": 1}] * 20)) == 20
    assert rejected(p.parse_float_ranges, "ranges_float", [{"name": "s", "value_min": 1}] * 21).param == (
        "ranges_float"
    )
    assert rejected(p.parse_float_ranges, "ranges_float", {"name": "s"}).param == "ranges_float"
    assert rejected(p.parse_float_ranges, "ranges_float", [{"name": "s"}]).message == (
        "ranges_float[0]: needs value_min or value_max"
    )
    assert rejected(
        p.parse_float_ranges, "ranges_float", [{"name": "s", "value_min": 2, "value_max": 1}]
    ).message == ("ranges_float[0]: value_min is greater than value_max")
    assert rejected(
        p.parse_float_ranges, "ranges_float", [{"name": "s", "value_min": 1, "unit": 3}]
    ).message == ("ranges_float[0].unit: must be a string")
    assert rejected(p.parse_float_ranges, "ranges_float", [{"name": " ", "value_min": 1}]).param == (
        "ranges_float[0].name"
    )
    assert rejected(p.parse_float_ranges, "ranges_float", [{"name": 2, "value_min": 1}]).param == (
        "ranges_float[0].name"
    )
    assert rejected(p.parse_float_ranges, "ranges_float", [{"name": "s", "value_max": "x"}]).param == (
        "ranges_float[0].value_max"
    )
    assert rejected(p.parse_float_ranges, "ranges_float", [{"name": "s", "value_min": "x"}]).param == (
        "ranges_float[0].value_min"
    )
    assert rejected(p.parse_float_ranges, "ranges_float", [{"name": "s", "value_min": 1, "z": 1}]).param == (
        "ranges_float[0]"
    )


def test_date_ranges() -> None:
    day = "2026-01-10T00:00:00+0000"
    later = "2026-02-10T00:00:00+0000"
    (only,) = p.parse_date_ranges("ranges_date", [{"name": " Seen ", "value_max": day}])
    assert (only.name, only.value_min, only.value_max) == (
        "seen",
        None,
        dt.datetime(2026, 1, 10, tzinfo=dt.UTC),
    )
    (both,) = p.parse_date_ranges("ranges_date", [{"name": "s", "value_min": day, "value_max": day}])
    assert both.value_min == both.value_max
    assert len(p.parse_date_ranges("ranges_date", [{"name": "s", "value_min": day}] * 20)) == 20
    assert rejected(p.parse_date_ranges, "ranges_date", [{"name": "s", "value_min": day}] * 21).param == (
        "ranges_date"
    )
    assert rejected(p.parse_date_ranges, "ranges_date", "x").param == "ranges_date"
    assert rejected(p.parse_date_ranges, "ranges_date", [{"name": "s"}]).message == (
        "ranges_date[0]: needs value_min or value_max"
    )
    assert rejected(
        p.parse_date_ranges, "ranges_date", [{"name": "s", "value_min": later, "value_max": day}]
    ).message == ("ranges_date[0]: value_min is later than value_max")
    assert rejected(p.parse_date_ranges, "ranges_date", [{"name": "", "value_min": day}]).param == (
        "ranges_date[0].name"
    )
    assert rejected(p.parse_date_ranges, "ranges_date", [{"name": [], "value_min": day}]).param == (
        "ranges_date[0].name"
    )
    assert rejected(p.parse_date_ranges, "ranges_date", [{"name": "s", "value_max": "x"}]).param == (
        "ranges_date[0].value_max"
    )
    assert (
        rejected(p.parse_date_ranges, "ranges_date", [{"name": "s", "unit": "d"}]).param == "ranges_date[0]"
    )


def test_geo() -> None:
    assert p.parse_geo(None, None) is None
    assert p.parse_geo("{}", "5") is None
    assert p.parse_geo({"lat": "90", "lng": -180}, 0) == GeoFilter(90.0, -180.0, 0.0)
    assert p.parse_geo('{"lat": -90, "lng": 180}', "12.5") == GeoFilter(-90.0, 180.0, 12.5)
    assert rejected(p.parse_geo, {"lat": 90.5, "lng": 0}, 1).message == (
        "location_geopoint.lat: must be within [-90, 90], got 90.5"
    )
    assert rejected(p.parse_geo, {"lat": -90.5, "lng": 0}, 1).param == "location_geopoint.lat"
    assert rejected(p.parse_geo, {"lat": 0, "lng": 180.5}, 1).message == (
        "location_geopoint.lng: must be within [-180, 180], got 180.5"
    )
    assert rejected(p.parse_geo, {"lat": 0, "lng": -180.5}, 1).param == "location_geopoint.lng"
    assert rejected(p.parse_geo, {"lat": 0, "lng": 0}, None).message == (
        "location_distance: is required with location_geopoint (km)"
    )
    assert rejected(p.parse_geo, {"lat": 0, "lng": 0}, "-1").message == (
        "location_distance: must be >= 0 km, got -1.0"
    )
    assert rejected(p.parse_geo, {"lat": "x", "lng": 0}, 1).param == "location_geopoint.lat"
    assert rejected(p.parse_geo, {"lat": 0, "lng": "y"}, 1).param == "location_geopoint.lng"
    assert rejected(p.parse_geo, {"lat": 0, "lng": 0}, "far").param == "location_distance"
    assert rejected(p.parse_geo, "[1, 2]", 1).param == "location_geopoint"


# --- jobs/scoring and storing/profiles ----------------------------------------------------------


def test_pages_and_limits() -> None:
    assert (scoring().page, scoring().limit) == (1, 30)
    assert (scoring(page="1000000", limit=100).page, scoring(limit=100).limit) == (1_000_000, 100)
    assert scoring(limit=1).limit == 1
    assert scoring_error(page=0).message == "page: must be >= 1 (pages are 1-based), got 0"
    assert scoring_error(page=1_000_001).message == "page: is too large"
    assert scoring_error(limit=0).message == "limit: must be between 1 and 100, got 0"
    assert scoring_error(limit=101).message == "limit: must be between 1 and 100, got 101"


def test_scoring_requires_board_keys() -> None:
    error = rejected(p.parse_scoring, RawParams({"algorithm_key": ALGORITHM}, from_query=False), max_limit=10)
    assert error.message == "board_keys: is required"


def test_scoring_needs_a_candidate_only_to_score() -> None:
    request = scoring(use_agent=1, source_key=SOURCE, profile_reference="ref-1")
    assert (request.use_agent, request.source_key, request.profile_reference, request.profile_key) == (
        True,
        SOURCE,
        "ref-1",
        None,
    )
    assert scoring(use_agent=1, source_key=SOURCE, profile_key=PROFILE).profile_key == PROFILE
    assert (
        scoring_error(use_agent=1, profile_key=PROFILE).message
        == "source_key: is required to score (use_agent=1)"
    )
    assert scoring_error(use_agent=1, source_key=SOURCE).param == "profile_key"
    assert (
        scoring_error(profile_reference="r" * 201).message
        == "profile_reference: must be at most 200 characters"
    )
    assert scoring(profile_reference="r" * 200).profile_reference == "r" * 200
    assert scoring_error(source_key="nope").param == "source_key"
    assert scoring_error(profile_key="nope").param == "profile_key"


def test_algorithm_key_and_its_legacy_name() -> None:
    assert scoring(agent_key=ALGORITHM).algorithm_key == ALGORITHM
    base = {"board_keys": [BOARD], "use_agent": 0}
    legacy = p.parse_scoring(RawParams({**base, "agent_key": SOURCE}, from_query=False), max_limit=100)
    assert legacy.algorithm_key == SOURCE
    error = scoring_error(agent_key=SOURCE)
    assert error.message == "agent_key: differs from algorithm_key (agent_key is its legacy alias)"
    missing = rejected(p.parse_scoring, RawParams(base, from_query=False), max_limit=100)
    assert missing.message.startswith("algorithm_key: is required")
    assert scoring_error(algorithm_key="short").param == "algorithm_key"


def test_switches() -> None:
    assert scoring().use_agent is False
    assert (
        scoring(use_agent="1", use_algorithm="true", source_key=SOURCE, profile_key=PROFILE).use_agent is True
    )
    error = scoring_error(use_agent=0, use_algorithm=1)
    assert error.message == "use_algorithm: differs from use_agent (use_agent is its legacy name)"


def test_name_stage_sort_and_order() -> None:
    assert scoring(name="  Data Engineer ").name == "Data Engineer"
    assert scoring(name="   x").name == "x"
    assert scoring(name=" \t").name is None
    assert scoring_error(name="n" * 201).param == "name"
    assert scoring(stage="Yes").stage == "yes"
    assert scoring().stage is None
    assert scoring_error(stage="maybe").message == "stage: must be one of new, yes, later, no, got 'maybe'"
    assert (scoring().sort_by, scoring().order_by) == ("scoring", "desc")
    assert (scoring(sort_by="Created_At").sort_by, scoring(order_by="ASC").order_by) == ("created_at", "asc")
    assert scoring_error(sort_by="salary").param == "sort_by"
    assert scoring_error(order_by="up").param == "order_by"
    error = scoring_error(sort_by="location")
    assert error.message == "sort_by: location sorts by distance from location_geopoint, which is missing"
    near = scoring(sort_by="location", location_geopoint={"lat": 1, "lng": 2}, location_distance=3)
    assert near.geo == GeoFilter(1.0, 2.0, 3.0)


def test_date_range_and_threshold() -> None:
    early, late = "2026-01-01T00:00:00+0000", "2026-03-01T00:00:00+0000"
    request = scoring(date_range_min=early, date_range_max=late)
    assert (request.date_range_min, request.date_range_max) == (
        dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
    )
    assert scoring(date_range_min=early, date_range_max=early).date_range_min == request.date_range_min
    assert scoring_error(date_range_min=late, date_range_max=early).message == (
        "date_range_min: is later than date_range_max"
    )
    assert scoring_error(date_range_max="x").param == "date_range_max"
    assert scoring_error(date_range_min="x").param == "date_range_min"
    assert [scoring(score_threshold=t).score_threshold for t in (0, "1", 0.25)] == [0.0, 1.0, 0.25]
    assert scoring().score_threshold is None
    assert scoring_error(score_threshold=1.01).message == "score_threshold: must be within [0, 1], got 1.01"
    assert scoring_error(score_threshold=-0.01).param == "score_threshold"


def test_every_list_filter_reaches_the_request() -> None:
    request = scoring(
        summary_keywords=["lead"],
        text_keywords='["python"]',
        skills=["SQL"],
        languages=[{"name": "French"}],
        tags_included=[[{"name": "remote", "value": True}]],
        tags_excluded=[{"name": "company", "value": "Acme"}],
        ranges_float=[{"name": "salary", "value_min": 1}],
        ranges_date=[{"name": "seen", "value_min": "2026-01-01"}],
    )
    assert request.summary_keywords == ["lead"]
    assert request.text_keywords == ["python"]
    assert request.skills == ["sql"]
    assert request.languages == ["french"]
    assert request.tags_included == [[TagCondition("remote", "true")]]
    assert request.tags_excluded == [TagCondition("company", "acme")]
    assert request.ranges_float == [FloatRange("salary", 1.0, None, None)]
    assert [r.name for r in request.ranges_date] == ["seen"]
    empty = scoring()
    assert (empty.summary_keywords, empty.skills, empty.tags_included, empty.ranges_date) == ([], [], [], [])
    assert scoring_error(languages="[1]").param == "languages[0]"
    assert scoring_error(summary_keywords=[1]).param == "summary_keywords"


def test_profile_listing() -> None:
    listing = profiles()
    assert (listing.source_keys, listing.page, listing.limit, listing.return_profile) == (
        [SOURCE],
        1,
        30,
        False,
    )
    assert (listing.order_by, listing.sort_by, listing.geo, listing.name, listing.key) == (
        "desc",
        "created_at",
        None,
        None,
        None,
    )
    error = rejected(p.parse_profile_list, RawParams({}, from_query=True), max_limit=5)
    assert error.message == "source_keys: is required"
    assert profiles_error(source_keys="[]").param == "source_keys"
    assert profiles_error(limit="51").message == "limit: must be between 1 and 50, got 51"
    assert profiles(name="Ada", key=PROFILE, reference="r-1").name == "Ada"
    assert profiles(key=PROFILE).key == PROFILE
    assert profiles(reference="r-1").reference == "r-1"
    assert profiles_error(key="K").param == "key"
    assert profiles_error(name="n" * 201).param == "name"
    assert profiles_error(reference="r" * 201).param == "reference"
    assert profiles(return_profile="1").return_profile is True
    assert profiles_error(return_profile="yes").param == "return_profile"
    assert (profiles(order_by="asc").order_by, profiles(sort_by="updated_at").sort_by) == (
        "asc",
        "updated_at",
    )
    assert (
        profiles_error(sort_by="scoring").message
        == "sort_by: must be one of created_at, updated_at, got 'scoring'"
    )
    assert profiles_error(order_by="x").param == "order_by"
    assert profiles_error(page="0").param == "page"
    assert profiles_error(text_keywords="x").message.startswith("text_keywords: unknown parameter")


def test_profile_listing_by_creation_date() -> None:
    early, late = "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"
    listing = profiles(created_at_min=early, created_at_max=late)
    assert (listing.created_at_min, listing.created_at_max) == (
        dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        dt.datetime(2026, 2, 1, tzinfo=dt.UTC),
    )
    assert profiles(created_at_min=early, created_at_max=early).created_at_min == listing.created_at_min
    assert profiles_error(created_at_min=late, created_at_max=early).message == (
        "created_at_min: is later than created_at_max"
    )
    assert profiles_error(created_at_min="x").param == "created_at_min"
    assert profiles_error(created_at_max="x").param == "created_at_max"


def test_profile_listing_near_a_place() -> None:
    assert profiles(location_lat="48.85", location_lon="2.35", location_dist="10").geo == GeoFilter(
        48.85, 2.35, 10.0
    )
    assert profiles_error(location_lat="48.85", location_dist="10").message == "location_geopoint: misses lng"
    assert profiles_error(location_lat="48.85", location_lon="2.35").param == "location_distance"


def test_a_longitude_without_a_latitude_says_the_latitude_is_missing() -> None:
    assert profiles_error(location_lon="2.35", location_dist="10").message == "location_geopoint: misses lat"


def test_profile_listing_pages_through_what_was_asked() -> None:
    listing = profiles(page="3", limit="7")
    assert (listing.page, listing.limit) == (3, 7)


# --- what a client reads in the 400 ------------------------------------------------------------

# Every parameter of jobs/scoring whose value is JSON (a GET sends each as one JSON-encoded string).
JSON_PARAMS = (
    "board_keys",
    "location_geopoint",
    "summary_keywords",
    "text_keywords",
    "skills",
    "languages",
    "tags_included",
    "tags_excluded",
    "ranges_float",
    "ranges_date",
)


def _not_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return bool(text.strip())
    return False


@given(
    name=st.sampled_from(JSON_PARAMS),
    text=st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=20).filter(_not_json),
)
def test_text_that_is_not_json_is_refused_naming_its_parameter(name: str, text: str) -> None:
    base = {**SEARCH_ONLY, "location_distance": "10"}
    values = {k: v if isinstance(v, str) else json.dumps(v) for k, v in {**base, name: text}.items()}
    error = rejected(p.parse_scoring, RawParams(values, from_query=True), max_limit=100)
    assert error.message == f"{name}: is not valid JSON"


def test_a_400_shows_the_value_as_the_client_sent_it() -> None:
    # A JSON client reads its own spelling back: true, not Python's True.
    assert scoring_error(stage=True).message == "stage: must be one of new, yes, later, no, got true"
    assert scoring_error(order_by={"a": None}).message == (
        'order_by: must be one of desc, asc, got {"a": null}'
    )
    assert scoring_error(source_key="K").message == (
        "source_key: must be a key of 40 lowercase hex characters, got 'K'"
    )
    assert scoring_error(use_agent="yes").message == "use_agent: must be 0/1 or true/false, got 'yes'"
    assert scoring_error(use_algorithm=2).message == "use_algorithm: must be 0/1 or true/false, got 2"
    # 61 characters with the quotes: one too many to show whole.
    shown = rejected(p.as_int, "page", "9" * 59).message.removeprefix("page: must be an integer, got ")
    assert (len(shown), shown[-3:]) == (60, "...")


def _body_error(text: str) -> BadParameter:
    return rejected(RawParams.from_body, text.encode("ascii"))


def _query_error(text: str) -> BadParameter:
    return rejected(RawParams.from_query, QueryDict(text))


ARRAY_OF_TAGS = (
    'must be a JSON array of arrays of {"name", "value"}, e.g. [[{"name": "remote", "value": true}]]'
)


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (
            lambda: _query_error("limit=1&limit=2"),
            "limit: given more than once; send one value (lists and objects as one JSON-encoded value)",
        ),
        (
            lambda: _query_error("location_geopoint=1&location_geopoint=2"),
            'location_geopoint: repeated keys (1, 2): a JSON object like {"lat": 48.85, "lng": 2.35} is '
            "expected as one value (the hrflow SDK sends dicts this way; JSON-encode it yourself)",
        ),
        (
            lambda: _body_error('{"name": "\\ud800"}'),
            "name: holds a lone UTF-16 surrogate (not valid Unicode)",
        ),
        (
            lambda: _body_error('{"": "\\ud800"}'),
            "body: holds a lone UTF-16 surrogate (not valid Unicode)",
        ),
        (
            lambda: _body_error('{"\\udc00": 1}'),
            "body: has a key holding a lone UTF-16 surrogate",
        ),
        (
            lambda: scoring_error(skills={}),
            'skills: must be a JSON array of {"name", "value"} objects (at most 50)',
        ),
        (
            lambda: scoring_error(text_keywords=[1]),
            'text_keywords: must be a JSON array of strings, e.g. ["python"]',
        ),
        (lambda: scoring_error(text_keywords=["w"] * 51), "text_keywords: must hold at most 50 strings"),
        (lambda: scoring_error(tags_included=[5]), f"tags_included[0]: {ARRAY_OF_TAGS}"),
        (lambda: scoring_error(tags_excluded={}), f"tags_excluded: {ARRAY_OF_TAGS}"),
        (lambda: scoring_error(tags_excluded=[5]), f"tags_excluded[0]: {ARRAY_OF_TAGS}"),
        (
            lambda: scoring_error(ranges_float={}),
            'ranges_float: must be a JSON array of {"name", "value_min", "value_max", "unit"}',
        ),
        (
            lambda: scoring_error(ranges_float=[{"name": " ", "value_min": 1}]),
            "ranges_float[0].name: must be a non-empty string",
        ),
        (
            lambda: scoring_error(ranges_date={}),
            'ranges_date: must be a JSON array of {"name", "value_min", "value_max"}',
        ),
        (
            lambda: scoring_error(ranges_date=[{"name": "", "value_min": "2026-01-01"}]),
            "ranges_date[0].name: must be a non-empty string",
        ),
    ],
    ids=[
        "repeated",
        "repeated-geopoint",
        "surrogate",
        "surrogate-under-empty-key",
        "surrogate-key",
        "skills-shape",
        "keywords-shape",
        "keywords-count",
        "tags-included-group",
        "tags-excluded-shape",
        "tags-excluded-group",
        "ranges-float-shape",
        "ranges-float-name",
        "ranges-date-shape",
        "ranges-date-name",
    ],
)
def test_each_shape_error_tells_the_client_what_is_expected(
    error: Callable[[], BadParameter], message: str
) -> None:
    assert error().message == message
