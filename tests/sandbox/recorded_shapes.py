"""The job shape HrFlow really sends, as a checker: presence and JSON type of every field the
dashboard reads, taken from the recorded payloads in tests/fixtures/hrflow_recorded/ (and
docs/hrflow.md §6 where the recordings show only null).

This replaces `hrflow.schemas.HrFlowJob` for sandbox output. That SDK schema types every
`value` as a string and `location.fields` as object-or-null, so it rejects every recorded real
job (skill value 0.9 in all of them; `fields: []` in the edit answer; tag `true` and language
value `1` in the reference docs' job): see test_contract.py, which checks both claims.
"""

import json
import re
from pathlib import Path
from typing import Any

RECORDED = Path(__file__).resolve().parents[1] / "fixtures" / "hrflow_recorded"
HRFLOW_STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$")
KEY = re.compile(r"^[0-9a-f]{40}$")

NULL, STR, NUM, BOOL, LIST, OBJ = "null", "string", "number", "boolean", "array", "object"
SCALAR = {NULL, STR, NUM, BOOL}


def recorded(name: str) -> Any:
    return json.loads((RECORDED / name).read_text())


def json_type(value: Any) -> str:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int | float):
        return NUM
    if isinstance(value, str):
        return STR
    if isinstance(value, list):
        return LIST
    if isinstance(value, dict):
        return OBJ
    raise TypeError(type(value))


# path -> the JSON types HrFlow sends there (recorded; [docs] where only the docs show it).
TOP: dict[str, set[str]] = {
    "id": {NUM},
    "key": {STR},
    "reference": {STR, NULL},
    "board_key": {STR},
    "board": {OBJ},
    "name": {STR},
    "url": {STR, NULL},
    "picture": {STR, NULL},
    "summary": {STR, NULL},
    "location": {OBJ},
    "archive": {NULL, STR},  # recorded: null; the sandbox's reading: the archived_at date once archived
    "archived_at": {NULL, STR},
    "created_at": {STR},
    "updated_at": {STR},
    "sections": {LIST},
    "culture": {STR, NULL},
    "benefits": {STR, NULL},
    "responsibilities": {STR, NULL},
    "requirements": {STR, NULL},
    "interviews": {STR, NULL},
    "skills": {LIST},
    "languages": {LIST},
    "certifications": {LIST, NULL},  # null in the create answer, [] in the edit answer
    "courses": {LIST, NULL},
    "tasks": {LIST, NULL},
    "tags": {LIST},
    "metadatas": {LIST, NULL},
    "ranges_float": {LIST},
    "ranges_date": {LIST},
}
LOCATION = {"text": {STR, NULL}, "lat": {NUM, NULL}, "lng": {NUM, NULL}, "gmaps": {STR, NULL}}
FIELDS = {NULL, LIST, OBJ}  # null (create), [] (edit, docs), a full object (profiles, docs §6)
BOARD = {"key": {STR}, "name": {STR}, "type": {STR}, "subtype": {STR}, "environment": {STR}}
ITEMS: dict[str, dict[str, set[str]]] = {
    "sections": {"name": {STR, NULL}, "title": {STR, NULL}, "description": {STR, NULL}},
    "skills": {"name": {STR}, "type": {STR, NULL}, "value": SCALAR},  # null and 0.9 recorded
    "languages": {"name": {STR}, "value": SCALAR},  # null recorded, 1 in the docs
    "tags": {"name": {STR}, "value": SCALAR},  # strings recorded, true in the docs
    "ranges_float": {"name": {STR}, "value_min": {NUM, NULL}, "value_max": {NUM, NULL}, "unit": {STR, NULL}},
    "ranges_date": {"name": {STR}, "value_min": {STR, NULL}, "value_max": {STR, NULL}},
}


def shape_problems(job: dict[str, Any], *, served: bool = True) -> list[str]:
    """Every way `job` departs from the recorded shape ([] when it has it).

    `served`: a job as HrFlow answers it (with id, key, board, dates); False for a job as a
    client posts it (docs example, request body), where those are optional."""
    problems: list[str] = []

    def check(path: str, value: Any, allowed: set[str]) -> None:
        if json_type(value) not in allowed:
            problems.append(f"{path}: {json_type(value)} not in {sorted(allowed)}")

    for name, allowed in TOP.items():
        if name not in job:
            if served or name in ("name",):
                problems.append(f"{name}: missing")
            continue
        check(name, job[name], allowed)
    if served:
        for name in ("created_at", "updated_at"):
            if isinstance(job.get(name), str) and not HRFLOW_STAMP.match(job[name]):
                problems.append(f"{name}: {job[name]!r} is not YYYY-MM-DDTHH:MM:SS+0000")
        if isinstance(job.get("key"), str) and not KEY.match(job["key"]):
            problems.append("key: not 40 lowercase hex characters")
        board = job.get("board")
        if isinstance(board, dict):
            for name, allowed in BOARD.items():
                check(f"board.{name}", board.get(name), allowed)
            if board.get("key") != job.get("board_key"):
                problems.append("board.key differs from board_key")
    location = job.get("location")
    if isinstance(location, dict):
        for name, allowed in LOCATION.items():
            if served and name not in location:
                problems.append(f"location.{name}: missing")
            elif name in location:
                check(f"location.{name}", location[name], allowed)
        if served and "fields" not in location:
            problems.append("location.fields: missing")
        elif "fields" in location:
            check("location.fields", location["fields"], FIELDS)
    for list_name, item_shape in ITEMS.items():
        items = job.get(list_name)
        for i, item in enumerate(items if isinstance(items, list) else []):
            if not isinstance(item, dict):
                problems.append(f"{list_name}[{i}]: {json_type(item)} is not an object")
                continue
            for name, allowed in item_shape.items():
                if name not in item:
                    # The docs' example omits skills[].type; everything recorded carries it.
                    if served or (list_name, name) != ("skills", "type"):
                        problems.append(f"{list_name}[{i}].{name}: missing")
                    continue
                check(f"{list_name}[{i}].{name}", item[name], allowed)
    return problems


def assert_recorded_shape(job: dict[str, Any], *, served: bool = True) -> None:
    problems = shape_problems(job, served=served)
    assert not problems, problems
