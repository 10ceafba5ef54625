"""Hypothesis fuzz over every jobs/scoring parameter, GET and POST: 200 or 400, never a 500,
always HrFlow's JSON shape."""

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hrflow_dash import demo
from sandbox.params import SCORING_PARAMS
from tests.sandbox.conftest import Api

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
# Strings holding lone surrogates (issue 8), only inside JSON-encoded values (json.dumps
# escapes them; requests could not put one raw in a URL).
LONE = st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=2)
SCALARS = st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats() | TEXT
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
KEYS = st.sampled_from(
    [*demo.DEMO_BOARD_KEYS, *demo.DEMO_SOURCE_KEYS, *demo.DEMO_ALGORITHM_KEYS, "0" * 40, "AB" * 20]
)

# Plausible values per parameter, so the fuzzer also reaches the filters behind valid keys.
PLAUSIBLE: dict[str, st.SearchStrategy[Any]] = {
    "board_keys": st.lists(KEYS, max_size=3) | st.just(demo.DEMO_BOARD_KEYS),
    "source_key": KEYS,
    "profile_key": KEYS,
    "algorithm_key": KEYS,
    "agent_key": KEYS,
    "use_agent": st.sampled_from([0, 1, "0", "1", "true", 2, -1]),
    "use_algorithm": st.sampled_from([0, 1, "0", "1", "False", "maybe"]),
    "name": TEXT | st.just("data"),
    "page": st.integers(-3, 10**7),
    "limit": st.integers(-3, 5000),
    "sort_by": st.sampled_from(
        ["scoring", "created_at", "updated_at", "searching", "location", "SCORING", "nearest", ""]
    ),
    "order_by": st.sampled_from(["asc", "desc", "up", ""]),
    "date_range_min": st.sampled_from(["2025-10-01", "2026-01-01T00:00:00+0000", "nope", "2026-13-40"]),
    "date_range_max": st.sampled_from(["2025-09-01", "2026-01-10T08:41:25Z", ""]),
    "location_geopoint": st.fixed_dictionaries({"lat": st.floats(-100, 100), "lng": st.floats(-200, 200)}),
    "location_distance": st.floats(-10, 20000) | st.just("30"),
    "summary_keywords": st.lists(TEXT, max_size=3),
    "text_keywords": st.lists(TEXT | LONE, max_size=3),
    "skills": st.lists(st.fixed_dictionaries({"name": TEXT, "value": SCALARS}), max_size=3),
    "languages": st.lists(st.fixed_dictionaries({"name": TEXT}), max_size=2),
    "tags_included": st.lists(
        st.lists(st.fixed_dictionaries({"name": TEXT, "value": SCALARS | LONE}), max_size=2), max_size=2
    ),
    "tags_excluded": st.lists(
        st.lists(st.fixed_dictionaries({"name": TEXT, "value": SCALARS}), max_size=2), max_size=2
    ),
    "ranges_float": st.lists(
        st.fixed_dictionaries({"name": st.just("salary"), "value_min": SCALARS, "value_max": SCALARS}),
        max_size=2,
    ),
    "ranges_date": st.lists(
        st.fixed_dictionaries({"name": TEXT, "value_min": SCALARS, "value_max": st.just("2026-01-01")}),
        max_size=2,
    ),
    "score_threshold": st.floats(-1, 2) | TEXT,
}
NAMES = [*sorted(SCORING_PARAMS), "unknown_param"]
PARAMS = st.dictionaries(
    st.sampled_from(NAMES),
    st.one_of(JSON_VALUES, TEXT),
    max_size=6,
).flatmap(
    lambda noise: st.fixed_dictionaries({name: PLAUSIBLE[name] for name in PLAUSIBLE}).map(
        lambda plausible: (noise, plausible)
    )
)


def query_value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def assert_hrflow_shape(response: Any) -> None:
    assert response.status_code in (200, 400), (response.status_code, response.text[:500])
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert isinstance(body["code"], int)
    assert body["code"] == response.status_code
    assert isinstance(body["message"], str)
    assert body["message"]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(data=PARAMS, keep=st.lists(st.booleans(), min_size=len(PLAUSIBLE), max_size=len(PLAUSIBLE)))
def test_fuzz_scoring_never_500(
    api: Api, data: tuple[dict[str, Any], dict[str, Any]], keep: list[bool]
) -> None:
    noise, plausible = data
    params = {name: value for (name, value), kept in zip(plausible.items(), keep, strict=True) if kept}
    params.update(noise)
    get = api.get("jobs/scoring", {k: query_value(v) for k, v in params.items()})
    assert_hrflow_shape(get)
    # json.dumps, not requests' json=: NaN and Infinity must reach the server too.
    post = api.session.post(
        api.url + "jobs/scoring",
        data=json.dumps(params).encode(),
        headers={**api.headers, "Content-Type": "application/json"},
        timeout=30,
    )
    assert_hrflow_shape(post)
