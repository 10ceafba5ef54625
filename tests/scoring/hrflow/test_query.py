from __future__ import annotations

import datetime as dt
import json
from urllib.parse import parse_qsl

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.hrflow.query import (
    DATE_PRESET_RESOLUTION,
    JobQuery,
    TagFilter,
    date_preset_min,
    end_of_day,
    start_of_day,
)
from tests.scoring.hrflow.payloads import ALGORITHM, BOARD_A, BOARD_B, PROFILE, SOURCE

UTC = dt.UTC
JSON_PARAMS = {
    "board_keys",
    "text_keywords",
    "summary_keywords",
    "skills",
    "languages",
    "tags_included",
    "tags_excluded",
    "ranges_float",
    "ranges_date",
    "location_geopoint",
}


def full_query(**overrides: object) -> JobQuery:
    values: dict[str, object] = {
        "board_keys": (BOARD_B, BOARD_A),
        "source_key": SOURCE,
        "profile_key": PROFILE,
        "algorithm_key": ALGORITHM,
        "text_keywords": ("python", "data engineer"),
        "summary_keywords": ("startup",),
        "skills": ("spark",),
        "languages": ("english",),
        "tags_included": ((TagFilter("remote", "true"), TagFilter("category", "Data")),),
        "tags_excluded": (TagFilter("company", "Acme"),),
        "date_range_min": start_of_day(dt.date(2026, 1, 1), UTC),
        "date_range_max": end_of_day(dt.date(2026, 1, 31), UTC),
        "salary_min": 100000.0,
        "salary_max": 150000.0,
        "lat": 48.8566,
        "lng": 2.3522,
        "location_distance": 30.0,
        "score_threshold": 0.5,
        "sort_by": "created_at",
        "order_by": "asc",
        "page": 3,
        "limit": 10,
    }
    values.update(overrides)
    return JobQuery(**values)  # type: ignore[arg-type]


def test_hrflow_params_encode_lists_and_dicts_as_one_json_value() -> None:
    params = full_query().to_hrflow_params()

    assert params["board_keys"] == json.dumps([BOARD_A, BOARD_B], separators=(",", ":"))
    assert json.loads(params["location_geopoint"]) == {"lat": 48.8566, "lng": 2.3522}
    assert params["location_distance"] == "30"
    assert json.loads(params["tags_included"]) == [
        [{"name": "category", "value": "Data"}, {"name": "remote", "value": True}]
    ]
    assert json.loads(params["ranges_float"]) == [
        {"name": "salary", "value_min": 100000, "value_max": 150000, "unit": "USD/year"}
    ]
    assert json.loads(params["skills"]) == [{"name": "spark", "value": None}]
    assert params["date_range_min"] == "2026-01-01T00:00:00+00:00"
    assert params["date_range_max"] == "2026-01-31T23:59:59+00:00"
    assert (params["sort_by"], params["order_by"], params["page"], params["limit"]) == (
        "created_at",
        "asc",
        "3",
        "10",
    )
    assert params["algorithm_key"] == ALGORITHM
    assert params["use_agent"] == "1"


def test_hrflow_params_default_to_ranking_by_score_and_drop_empty_values() -> None:
    params = JobQuery(board_keys=(BOARD_A,), source_key=SOURCE, profile_key=PROFILE).to_hrflow_params()

    assert params == {
        "board_keys": f'["{BOARD_A}"]',
        "source_key": SOURCE,
        "profile_key": PROFILE,
        "use_agent": "1",
        "sort_by": "scoring",
        "order_by": "desc",
        "page": "1",
        "limit": "30",
    }


def test_distance_without_a_point_is_not_sent() -> None:
    params = JobQuery(location_distance=25).to_hrflow_params()

    assert "location_distance" not in params
    assert "location_geopoint" not in params


def test_hrflow_json_sends_native_values_for_the_post_body() -> None:
    body = full_query().to_hrflow_json()

    assert body["board_keys"] == [BOARD_A, BOARD_B]
    assert body["location_geopoint"] == {"lat": 48.8566, "lng": 2.3522}
    assert body["page"] == 3
    assert body["use_agent"] == 1


def test_query_string_is_canonical_sorted_and_omits_defaults() -> None:
    query = JobQuery(board_keys=(BOARD_B, BOARD_A), profile_key=PROFILE, skills=("sql", "python"))

    assert query.to_query_string() == (
        f"board_keys={BOARD_A}&board_keys={BOARD_B}&profile_key={PROFILE}&skills=python&skills=sql"
    )


def test_equal_searches_give_equal_strings_whatever_the_input_order() -> None:
    one = JobQuery(board_keys=[BOARD_A, BOARD_B], skills=["python", " sql "], text_keywords=["b", "a", "a"])  # type: ignore[arg-type]
    two = JobQuery(board_keys=(BOARD_B, BOARD_A, BOARD_A), skills=("sql", "python"), text_keywords=("a", "b"))

    assert one == two
    assert one.to_query_string() == two.to_query_string()
    assert one.cache_key(api_url="u", user_email="e") == two.cache_key(api_url="u", user_email="e")


def test_query_string_round_trips_every_field() -> None:
    query = full_query(ranges_date=None)

    assert JobQuery.from_query_string(query.to_query_string(), tz=UTC) == query


def test_query_string_names_are_the_form_field_names() -> None:
    from scoring.hrflow.query import DateRangeFilter

    query = full_query(
        use_agent=False,
        ranges_date=DateRangeFilter("availability", start_of_day(dt.date(2026, 2, 1), UTC), None),
    )
    names = {name for name, _ in parse_qsl(query.to_query_string())}

    assert names == {
        "board_keys", "source_key", "profile_key", "algorithm_key", "use_agent", "text_keywords",
        "summary_keywords", "skills", "languages", "tags_in", "tags_out", "date_range_min",
        "date_range_max", "salary_min", "salary_max", "ranges_date_name", "ranges_date_min", "lat", "lng",
        "location_distance", "score_threshold", "sort_by", "order_by", "page", "limit",
    }  # fmt: skip
    assert ("use_agent", "0") in parse_qsl(query.to_query_string())


def test_tags_travel_as_an_and_of_or_groups_and_exclusions_as_single_tags() -> None:
    query = JobQuery(
        tags_included=(
            (TagFilter("remote", "true"),),
            (TagFilter("category", "Sales"), TagFilter("category", "Ops")),
        ),
        tags_excluded=(TagFilter("work_mode", "onsite"),),
    )

    assert parse_qsl(query.to_query_string()) == [
        ("tags_in", "category:Ops"), ("tags_in", "category:Sales"), ("tags_in", "remote:true"),
        ("tags_out", "work_mode:onsite"),
    ]  # fmt: skip
    assert json.loads(query.to_hrflow_params()["tags_included"]) == [
        [{"name": "category", "value": "Ops"}, {"name": "category", "value": "Sales"}],
        [{"name": "remote", "value": True}],
    ]
    assert json.loads(query.to_hrflow_params()["tags_excluded"]) == [
        [{"name": "work_mode", "value": "onsite"}]
    ]


def test_a_tag_name_the_url_syntax_cannot_hold_is_rejected() -> None:
    with pytest.raises(ValueError, match="tag name"):
        JobQuery(tags_included=((TagFilter("a|b", "x"),),))


def test_a_date_preset_keeps_the_url_relative() -> None:
    now = dt.datetime(2026, 11, 28, 12, 34, 56, tzinfo=UTC)
    query = JobQuery(date_preset="7d", date_range_min=date_preset_min("7d", now=now))

    assert query.to_query_string() == "date_preset=7d"
    assert query.to_hrflow_params()["date_range_min"] == "2026-11-21T12:30:00+00:00"


def test_date_presets_are_floored_so_a_reload_reuses_the_cache_key() -> None:
    now = dt.datetime(2026, 11, 28, 12, 30, 1, tzinfo=UTC)
    first = JobQuery(date_preset="24h", date_range_min=date_preset_min("24h", now=now))
    later = JobQuery(
        date_preset="24h", date_range_min=date_preset_min("24h", now=now + dt.timedelta(minutes=9))
    )

    assert dt.timedelta(minutes=10) == DATE_PRESET_RESOLUTION
    assert first.cache_key(api_url="u", user_email="e") == later.cache_key(api_url="u", user_email="e")


def test_with_page_changes_only_the_page() -> None:
    query = full_query()

    assert query.with_page(7).page == 7
    assert query.with_page(7).with_page(3) == query


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"sort_by": "name"}, "sort_by"),
        ({"order_by": "up"}, "order_by"),
        ({"page": 0}, "page"),
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"score_threshold": 1.5}, "score_threshold"),
        ({"lat": 10.0}, "lat and lng"),
        ({"lat": 91.0, "lng": 0.0}, "lat"),
        ({"location_distance": 0}, "location_distance"),
        ({"salary_min": float("nan")}, "finite"),
        ({"date_range_min": dt.datetime(2026, 1, 1)}, "aware"),
        ({"date_preset": "1y"}, "date_preset"),
    ],
)
def test_invalid_values_are_rejected(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        JobQuery(**overrides)  # type: ignore[arg-type]


def test_cache_key_holds_no_secret_and_no_email() -> None:
    key = full_query().cache_key(api_url="https://api.hrflow.ai/v1/", user_email="Boss@Example.com")

    assert "boss" not in key.lower()
    assert "example" not in key.lower()
    assert key.startswith("hrflow:jobs-scoring:v1:")
    other = full_query().cache_key(api_url="https://api.hrflow.ai/v1/", user_email="other@example.com")
    assert key != other


# --- properties ---------------------------------------------------------------------------

words = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="+:"),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(bool)
)
keys = st.text(alphabet="0123456789abcdef", min_size=40, max_size=40)
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1))
tag_names = words.filter(lambda w: not any(ch in w for ch in '|()"'))
tag_values = words | st.sampled_from(["true", "False", '"true"', "a|b", "(x)", ' "q" '])
tags = st.builds(TagFilter, tag_names, tag_values)
tag_groups = st.lists(tags, min_size=1, max_size=3).map(tuple)


@st.composite
def queries(draw: st.DrawFn) -> JobQuery:
    has_point = draw(st.booleans())
    preset = draw(st.sampled_from(["", "24h", "7d", "30d"]))
    low = draw(st.none() | dates)
    return JobQuery(
        board_keys=tuple(draw(st.lists(keys, max_size=3))),
        source_key=draw(st.sampled_from(["", SOURCE])),
        profile_key=draw(st.sampled_from(["", PROFILE])),
        algorithm_key=draw(st.sampled_from(["", ALGORITHM])),
        use_agent=draw(st.booleans()),
        text_keywords=tuple(draw(st.lists(words, max_size=3))),
        summary_keywords=tuple(draw(st.lists(words, max_size=2))),
        skills=tuple(draw(st.lists(words, max_size=3))),
        languages=tuple(draw(st.lists(words, max_size=2))),
        tags_included=tuple(draw(st.lists(tag_groups, max_size=2))),
        tags_excluded=tuple(draw(st.lists(tags, max_size=3))),
        date_preset=preset,
        date_range_min=(
            date_preset_min(preset, now=dt.datetime(2026, 1, 1, tzinfo=UTC))
            if preset
            else (start_of_day(low, UTC) if low else None)
        ),
        date_range_max=draw(st.none() | dates.map(lambda d: end_of_day(d, UTC))),
        salary_min=draw(st.none() | st.floats(0, 1e7)),
        salary_max=draw(st.none() | st.integers(0, 10**7).map(float)),
        lat=draw(st.floats(-90, 90)) if has_point else None,
        lng=draw(st.floats(-180, 180)) if has_point else None,
        location_distance=draw(st.none() | st.floats(0.5, 20000)),
        score_threshold=draw(st.none() | st.floats(0, 1)),
        sort_by=draw(st.sampled_from(["scoring", "created_at", "updated_at"])),
        order_by=draw(st.sampled_from(["desc", "asc"])),
        page=draw(st.integers(1, 500)),
        limit=draw(st.integers(1, 100)),
    )


@settings(max_examples=200, deadline=None)
@given(queries())
def test_hrflow_params_are_strings_and_json_where_structured(query: JobQuery) -> None:
    params = query.to_hrflow_params()

    assert all(isinstance(k, str) and isinstance(v, str) and v for k, v in params.items())
    for name in JSON_PARAMS & params.keys():
        assert isinstance(json.loads(params[name]), list | dict)
    assert params["sort_by"] == query.sort_by
    assert json.loads(json.dumps(query.to_hrflow_json())) == query.to_hrflow_json()


@settings(max_examples=200, deadline=None)
@given(queries())
def test_query_string_round_trip_is_stable(query: JobQuery) -> None:
    string = query.to_query_string()
    rebuilt = JobQuery.from_query_string(string, tz=UTC)

    assert rebuilt.to_query_string() == string
    if not query.date_preset:
        assert rebuilt == query
    names = [name for name, _ in parse_qsl(string)]
    assert names == sorted(names)
