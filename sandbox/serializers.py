"""HrFlow shapes out: jobs, profiles, boards, sources, the paginated envelope."""

import copy
import math
from typing import Any

from sandbox.timeutil import format_hrflow_datetime


def provider(key: str, name: str) -> dict[str, Any]:
    return {"key": key, "name": name, "type": "api", "subtype": "python", "environment": "production"}


def job(payload: dict[str, Any], *, job_id: int, board_name: str) -> dict[str, Any]:
    """The served job, values as stored (their JSON types as sent, `location.fields` as sent:
    `[]`, an object or null), plus what HrFlow adds: `id`, the `board` object, `picture` (null
    unless sent) and `archive` (null unless archived; the recorded jobs only show null, so
    "the archived_at date once archived" is the sandbox's reading). A shallow copy: a deepcopy
    of a full job costs ~0.4 ms and nothing nested is changed."""
    out = dict(payload)
    out["id"] = job_id
    out["board"] = provider(out["board_key"], board_name)
    out.setdefault("picture", None)
    out.setdefault("archived_at", None)
    out["archive"] = out["archived_at"]
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
