"""Validate a Job object sent to `POST job/indexing` (issue 4) into the payload the sandbox stores.

Same rigor as the scoring parameters: anything of the wrong type raises `BadParameter` naming
the field (HTTP 400), never a 500. Optional fields missing from the body are filled with HrFlow's
empty values (null strings, empty lists) so the stored job has the shape jobs served by scoring
have (docs/hrflow.md §6). Values keep the JSON types they were sent with (a skill, language or
tag `value` may be null, a number, a boolean or a string; `location.fields` an object, `[]` or
null), as HrFlow's recorded answers do (tests/fixtures/hrflow_recorded/): the SDK's
`hrflow.schemas.HrFlowJob` is stricter than HrFlow and is not the contract here.
"""

import math
from datetime import datetime
from typing import Any

from sandbox.params import BadParameter, as_key, check_object_keys
from sandbox.timeutil import format_hrflow_datetime, parse_hrflow_datetime

TEXT_FIELDS = (
    "url",
    "picture",
    "summary",
    "culture",
    "benefits",
    "responsibilities",
    "requirements",
    "interviews",
)
NAMED_LISTS = ("languages", "certifications", "courses", "tasks", "interests", "tags", "metadatas")
# Fields of served jobs that a client may echo back; HrFlow assigns them, so they are ignored.
IGNORED = frozenset({"key", "id", "board", "archive"})
KNOWN = frozenset(
    {
        "board_key",
        "reference",
        "name",
        "location",
        "sections",
        "skills",
        "ranges_float",
        "ranges_date",
        "created_at",
        "updated_at",
        "archived_at",
        *TEXT_FIELDS,
        *NAMED_LISTS,
        *IGNORED,
    }
)
MAX_TEXT = 100_000
MAX_ITEMS = 500


def _text(name: str, value: Any, *, max_length: int = MAX_TEXT) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadParameter(name, f"must be a string or null, got {type(value).__name__}")
    if len(value) > max_length:
        raise BadParameter(name, f"must be at most {max_length} characters")
    return value


def _number(name: str, value: Any) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadParameter(name, f"must be a number or null, got {type(value).__name__}")
    if isinstance(value, float) and not math.isfinite(value):
        raise BadParameter(name, "must be a finite number")
    return value


def _scalar(name: str, value: Any) -> Any:
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return _number(name, value)
    raise BadParameter(name, f"must be a string, number, boolean or null, got {type(value).__name__}")


def _list(name: str, value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadParameter(name, f"must be a list or null, got {type(value).__name__}")
    if len(value) > MAX_ITEMS:
        raise BadParameter(name, f"must hold at most {MAX_ITEMS} items")
    return value


def _name(name: str, value: Any) -> str:
    text = _text(name, value, max_length=1000)
    if text is None or not text.strip():
        raise BadParameter(name, "is required (a non-empty string)")
    return text


def _datetime(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise BadParameter(name, f"must be an ISO-8601 date string, got {type(value).__name__}")
    try:
        return format_hrflow_datetime(parse_hrflow_datetime(value))
    except (ValueError, OverflowError):
        raise BadParameter(name, f"must be an ISO-8601 date, got {value[:40]!r}") from None


def _date_bound(name: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadParameter(name, f"must be an ISO-8601 date string or null, got {type(value).__name__}")
    try:
        parse_hrflow_datetime(value)
    except (ValueError, OverflowError):
        raise BadParameter(name, f"must be an ISO-8601 date, got {value[:40]!r}") from None
    return value  # kept as sent: HrFlow echoes range dates verbatim (docs/hrflow.md §6)


def _location(value: Any) -> dict[str, Any]:
    if value is None:
        return {"text": None, "lat": None, "lng": None, "gmaps": None, "fields": None}
    check_object_keys("location", value, set(), {"text", "lat", "lng", "gmaps", "fields", "geopoint"})
    lat, lng = _number("location.lat", value.get("lat")), _number("location.lng", value.get("lng"))
    if lat is not None and not -90 <= lat <= 90:
        raise BadParameter("location.lat", "must be between -90 and 90")
    if lng is not None and not -180 <= lng <= 180:
        raise BadParameter("location.lng", "must be between -180 and 180")
    fields = value.get("fields")
    if fields is not None and not isinstance(fields, dict) and fields != []:
        # HrFlow sends [] for "no geocoded parts"; anything else must be an object.
        raise BadParameter("location.fields", "must be an object, [] or null")
    if isinstance(fields, dict):
        for part, item in fields.items():
            _text(f"location.fields.{part}", item, max_length=1000)
    return {
        "text": _text("location.text", value.get("text"), max_length=1000),
        "lat": lat,
        "lng": lng,
        "gmaps": _text("location.gmaps", value.get("gmaps"), max_length=2000),
        "fields": fields,  # as sent: HrFlow answers [] or null alike (job_indexing_put_200.json)
    }


def _sections(value: Any) -> list[dict[str, Any]]:
    out = []
    for i, item in enumerate(_list("sections", value)):
        check_object_keys(f"sections[{i}]", item, set(), {"name", "title", "description"})
        out.append({k: _text(f"sections[{i}].{k}", item.get(k)) for k in ("name", "title", "description")})
    return out


def _skills(value: Any) -> list[dict[str, Any]]:
    out = []
    for i, item in enumerate(_list("skills", value)):
        check_object_keys(f"skills[{i}]", item, {"name"}, {"name", "type", "value"})
        kind = item.get("type")
        if kind is not None and kind not in ("hard", "soft"):
            raise BadParameter(f"skills[{i}].type", f"must be hard, soft or null, got {kind!r:.40}")
        out.append(
            {
                "name": _name(f"skills[{i}].name", item["name"]),
                "type": kind,
                "value": _scalar(f"skills[{i}].value", item.get("value")),
            }
        )
    return out


def _named(field: str, value: Any) -> list[dict[str, Any]]:
    out = []
    for i, item in enumerate(_list(field, value)):
        check_object_keys(f"{field}[{i}]", item, {"name"}, {"name", "value"})
        out.append(
            {
                "name": _name(f"{field}[{i}].name", item["name"]),
                "value": _scalar(f"{field}[{i}].value", item.get("value")),
            }
        )
    return out


def _ranges_float(value: Any) -> list[dict[str, Any]]:
    out = []
    for i, item in enumerate(_list("ranges_float", value)):
        check_object_keys(f"ranges_float[{i}]", item, {"name"}, {"name", "value_min", "value_max", "unit"})
        out.append(
            {
                "name": _name(f"ranges_float[{i}].name", item["name"]),
                "value_min": _number(f"ranges_float[{i}].value_min", item.get("value_min")),
                "value_max": _number(f"ranges_float[{i}].value_max", item.get("value_max")),
                "unit": _text(f"ranges_float[{i}].unit", item.get("unit"), max_length=100),
            }
        )
    return out


def _ranges_date(value: Any) -> list[dict[str, Any]]:
    out = []
    for i, item in enumerate(_list("ranges_date", value)):
        check_object_keys(f"ranges_date[{i}]", item, {"name"}, {"name", "value_min", "value_max"})
        out.append(
            {
                "name": _name(f"ranges_date[{i}].name", item["name"]),
                "value_min": _date_bound(f"ranges_date[{i}].value_min", item.get("value_min")),
                "value_max": _date_bound(f"ranges_date[{i}].value_max", item.get("value_max")),
            }
        )
    return out


def parse_job(body: Any, *, now: datetime) -> dict[str, Any]:
    """The stored payload (without `key`) of a Job object; raises BadParameter."""
    if not isinstance(body, dict):
        raise BadParameter("body", "must be a JSON object (the Job object with its board_key)")
    unknown = sorted(set(body) - KNOWN)
    if unknown:
        raise BadParameter(unknown[0], "unknown Job field")
    if body.get("board_key") is None:
        raise BadParameter("board_key", "is required")
    board_key = as_key("board_key", body["board_key"])
    reference = _text("reference", body.get("reference"), max_length=200)
    if reference is not None and not reference.strip():
        reference = None
    created = _datetime("created_at", body["created_at"]) if body.get("created_at") else None
    updated = _datetime("updated_at", body["updated_at"]) if body.get("updated_at") else None
    stamp = format_hrflow_datetime(now)
    payload: dict[str, Any] = {
        "board_key": board_key,
        "reference": reference,
        "name": _name("name", body.get("name")),
        **{name: _text(name, body.get(name)) for name in TEXT_FIELDS},
        "location": _location(body.get("location")),
        "sections": _sections(body.get("sections")),
        "skills": _skills(body.get("skills")),
        **{name: _named(name, body.get(name)) for name in NAMED_LISTS},
        "ranges_float": _ranges_float(body.get("ranges_float")),
        "ranges_date": _ranges_date(body.get("ranges_date")),
        "created_at": created or stamp,
        "updated_at": updated or stamp,
        "archived_at": _datetime("archived_at", body["archived_at"]) if body.get("archived_at") else None,
    }
    return payload
