"""HrFlow shapes out: jobs, profiles, boards, sources, the paginated envelope."""

import copy
import math
from typing import Any

from sandbox.timeutil import format_hrflow_datetime

ENTITY_LISTS = ("skills", "languages", "certifications", "courses", "tasks", "interests", "tags", "metadatas")


def provider(key: str, name: str) -> dict[str, Any]:
    return {"key": key, "name": name, "type": "api", "subtype": "python", "environment": "production"}


def _text_value(value: Any) -> Any:
    # hrflow.schemas types every `value` as Optional[str]; bools and numbers go out as text,
    # which is also how the filters compare them (loosely).
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def job(payload: dict[str, Any], *, job_id: int, board_name: str) -> dict[str, Any]:
    """The served job. Copies only what it changes (a deepcopy of a full job costs ~0.4 ms)."""
    out = dict(payload)
    out["id"] = job_id
    out["board"] = provider(out["board_key"], board_name)
    location = out.get("location")
    if isinstance(location, dict) and location.get("fields") == []:
        # HrFlow sends [] for "no geocoded parts"; hrflow.schemas wants an object or null.
        out["location"] = dict(location, fields=None)
    for name in ENTITY_LISTS:
        items = out.get(name)
        if isinstance(items, list) and any(
            isinstance(i, dict) and i.get("value") is not None and not isinstance(i.get("value"), str)
            for i in items
        ):
            out[name] = [
                dict(i, value=_text_value(i["value"])) if isinstance(i, dict) and "value" in i else i
                for i in items
            ]
    return out


def profile(
    payload: dict[str, Any], *, source_key: str, source_name: str, full: bool = True
) -> dict[str, Any]:
    if not full:
        return {
            "key": payload.get("key"),
            "reference": payload.get("reference"),
            "created_at": payload.get("created_at"),
            "updated_at": payload.get("updated_at"),
        }
    out = copy.deepcopy(payload)
    out["source"] = provider(source_key, source_name)
    out.setdefault("archived_at", None)
    return out


def meta(*, page: int, limit: int, total: int, count: int) -> dict[str, int]:
    return {"page": page, "maxPage": math.ceil(total / limit) if total else 0, "count": count, "total": total}


def listing(message: str, data: list[Any], *, page: int, limit: int, total: int) -> dict[str, Any]:
    return {
        "code": 200,
        "message": message,
        "meta": meta(page=page, limit=limit, total=total, count=len(data)),
        "data": data,
    }


def created(moment: Any) -> str:
    return format_hrflow_datetime(moment)
