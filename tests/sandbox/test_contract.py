"""Contract test from HrFlow's own recorded payloads (tests/fixtures/hrflow_recorded/, README there).

The job a client posted to HrFlow (`job_indexing_request_body.json`) is indexed into a board of
this module's own in the live sandbox, read back (GET job/indexing, and through jobs/scoring)
and compared with what HrFlow answered to the same post (`job_indexing_post_201.json`), field by
field: every field the dashboard reads must be present with the same JSON type, and with the
same value unless listed in ALLOWED below.

Also pinned here: the SDK's pydantic `hrflow.schemas.HrFlowJob` rejects every recorded real job
(it types skill/language/tag `value` as a string and `location.fields` as object-or-null, while
HrFlow sends `value: 0.9` in all of them, `fields: []` in the edit answer, tag `true` and
language `1` in the reference docs' job), so sandbox output is checked against the recorded
shapes (tests/sandbox/recorded_shapes.py), not against that schema. The SDK schema is kept only
for profiles (test_api_listing.py), where it agrees with what HrFlow sends.
"""

import re
from typing import Any

import pytest
from hrflow.schemas import HrFlowJob
from pydantic import ValidationError

from tests.sandbox.conftest import Api, board_jobs, get_job, index_into
from tests.sandbox.recorded_shapes import (
    HRFLOW_STAMP,
    assert_recorded_shape,
    json_type,
    recorded,
    shape_problems,
)

REQUEST = recorded("job_indexing_request_body.json")
ANSWER = recorded("job_indexing_post_201.json")["data"]
EDIT_ANSWER = recorded("job_indexing_put_200.json")["data"]
DOCS_JOB = recorded("job_object_docs_example.json")

# What the dashboard reads from a job ("[]" = every item of a list).
DASHBOARD_READS = [
    "name", "key", "reference", "url", "summary", "picture", "archive", "board",
    "location.text", "location.lat", "location.lng", "location.fields",
    "sections[].name", "sections[].title", "sections[].description",
    "culture", "benefits", "interviews", "responsibilities", "requirements",
    "skills[].name", "skills[].type", "skills[].value",
    "languages[].name", "languages[].value",
    "tags[].name", "tags[].value",
    "ranges_float[].name", "ranges_float[].value_min", "ranges_float[].value_max", "ranges_float[].unit",
    "ranges_date[].name", "ranges_date[].value_min", "ranges_date[].value_max",
    "created_at", "updated_at",
]  # fmt: skip
# The differences allowed between HrFlow's answer and the sandbox's, and why.
ALLOWED = {
    "id": "each service numbers its own rows (same type: int)",
    "key": "each service draws its own 40-hex key (same type)",
    "board_key": "the test's own board, not HrFlow's vulcain_test",
    "board": "contents name the board it was indexed into; keys and types are the same",
    "created_at": "the moment of indexing (same +0000 format)",
    "updated_at": "the moment of indexing (same +0000 format)",
    "certifications": "HrFlow itself answers null (create) or [] (edit); the sandbox always []",
    "courses": "as certifications",
    "tasks": "as certifications",
}
SANDBOX_ONLY = {"interests"}  # in the current reference's job object, not in this 2023 recording
NULL_OR_EMPTY = {"certifications", "courses", "tasks"}


def values_at(job: Any, path: str) -> list[tuple[str, Any]]:
    """(concrete path, value) for a dotted path with `[]` wildcards; a missing key gives
    (path, KeyError)."""
    head, _, rest = path.partition(".")
    many = head.endswith("[]")
    name = head.removesuffix("[]")
    if not isinstance(job, dict) or name not in job:
        return [(path, KeyError)]
    value = job[name]
    if many:
        items = value if isinstance(value, list) else []
        return [
            (f"{name}[{i}]" + (f".{p}" if p else ""), v)
            for i, item in enumerate(items)
            for p, v in (values_at(item, rest) if rest else [("", item)])
        ]
    if rest:
        return [(f"{name}.{p}", v) for p, v in values_at(value, rest)]
    return [(name, value)]


def differences(ours: dict[str, Any], theirs: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for path in DASHBOARD_READS:
        mine, recorded_values = values_at(ours, path), values_at(theirs, path)
        if len(mine) != len(recorded_values):
            found.append(f"{path}: {len(mine)} items, HrFlow {len(recorded_values)}")
            continue
        for (where, a), (_, b) in zip(mine, recorded_values, strict=True):
            if a is KeyError:
                found.append(f"{where}: missing")
            elif json_type(a) != json_type(b):
                found.append(f"{where}: {json_type(a)}, HrFlow sends {json_type(b)}")
            elif a != b and where.split(".")[0].split("[")[0] not in ALLOWED:
                found.append(f"{where}: {a!r} != HrFlow's {b!r}")
    for name in sorted(set(theirs) - set(ours)):
        found.append(f"{name}: HrFlow sends it, the sandbox does not")
    for name in sorted(set(ours) - set(theirs) - SANDBOX_ONLY):
        found.append(f"{name}: sandbox-only field not listed in SANDBOX_ONLY")
    for name in sorted(set(theirs) & set(ours)):
        if name in NULL_OR_EMPTY:
            if ours[name] not in (None, []) or theirs[name] not in (None, []):
                found.append(f"{name}: {ours[name]!r} vs {theirs[name]!r}")
        elif name not in ALLOWED and ours[name] != theirs[name]:
            found.append(f"{name}: {ours[name]!r} != HrFlow's {theirs[name]!r}")
    board = ours.get("board")
    if not isinstance(board, dict) or set(board) != set(theirs["board"]):
        found.append(f"board: keys {sorted(board or {})} != HrFlow's {sorted(theirs['board'])}")
    elif {k: json_type(v) for k, v in board.items()} != {k: json_type(v) for k, v in theirs["board"].items()}:
        found.append("board: value types differ")
    return found


@pytest.fixture(scope="module")
def indexed(api: Api, own_board: str) -> dict[str, dict[str, Any]]:
    created = index_into(api, own_board, REQUEST)
    (scored,) = [j for j in board_jobs(api, own_board) if j["key"] == created["key"]]
    return {
        "POST job/indexing": created,
        "GET job/indexing": get_job(api, own_board, created["key"]),
        "jobs/scoring": scored,
    }


@pytest.mark.parametrize("endpoint", ["POST job/indexing", "GET job/indexing", "jobs/scoring"])
def test_the_recorded_job_comes_back_as_hrflow_answered_it(indexed: dict, endpoint: str) -> None:
    job = indexed[endpoint]
    assert differences(job, ANSWER) == []
    assert_recorded_shape(job)
    for name in ("created_at", "updated_at"):
        assert HRFLOW_STAMP.match(job[name])
    # HrFlow ignored the request's location.geopoint {lat, lon} (its answer has lat/lng null).
    assert (job["location"]["lat"], job["location"]["lng"], job["location"]["fields"]) == (None, None, None)
    assert job["skills"][1]["value"] == 0.9
    assert job["ranges_float"] == [{"name": "salary", "value_min": 45000, "value_max": 50000, "unit": "eur"}]
    assert job["ranges_date"][0]["value_min"] == "2023-05-18T21:59"  # echoed verbatim, no seconds


def test_the_comparison_catches_a_stringified_value(indexed: dict) -> None:
    """The checker itself: the sandbox's old normalisation ("0.9", fields null) is a difference."""
    job = indexed["GET job/indexing"]
    broken = dict(
        job, skills=[dict(s, value=None if s["value"] is None else str(s["value"])) for s in job["skills"]]
    )
    assert "skills[1].value: string, HrFlow sends number" in differences(broken, ANSWER)
    edited = dict(EDIT_ANSWER, board_key=job["board_key"])
    assert "location.fields: array, HrFlow sends null" in differences(edited, ANSWER)


@pytest.mark.parametrize(
    ("job", "served"),
    [(ANSWER, True), (EDIT_ANSWER, True), (DOCS_JOB, False), (REQUEST, False)],
    ids=["post_201", "put_200", "docs_example", "request_body"],
)
def test_recorded_jobs_have_the_recorded_shape_and_fail_the_sdk_schema(job: dict, served: bool) -> None:
    assert shape_problems(job, served=served) == []
    with pytest.raises(ValidationError) as failure:
        HrFlowJob.model_validate(job)
    reasons = {(".".join(map(str, e["loc"])), e["type"]) for e in failure.value.errors()}
    assert ("skills.1.value", "string_type") in reasons  # the recorded 0.9
    assert all(re.search(r"value|fields|board_key", loc) for loc, _ in reasons), reasons
