"""Fresh demo dates: the snapshot's job dates moved by whole days so its newest job is dated today.

Pure functions (no Django models), used by `load_demo_data`.
"""

import datetime as dt
from pathlib import Path
from typing import Any

from sandbox import snapshot_reader
from sandbox.timeutil import format_hrflow_datetime, parse_hrflow_datetime


def date_offset_days(data_dir: Path, today: dt.date, *, now: dt.datetime | None = None) -> int:
    """Whole days from the snapshot's newest job `created_at` (its UTC date) to `today`.

    With `now`, the whole days that fit between the newest `created_at` and `now` instead, so
    the newest job lands within the last 24 hours and never later than `now` (by date alone a
    job posted at 19:00 would be "posted in the future" all morning).
    """
    newest: dt.datetime | None = None
    for item in snapshot_reader.iter_jobs(data_dir):
        try:
            moment = parse_hrflow_datetime(item["created_at"])
        except (KeyError, TypeError, ValueError):
            continue
        newest = moment if newest is None or moment > newest else newest
    if newest is None:
        return 0
    if now is not None:
        return (now - newest).days  # timedelta.days floors
    return (today - newest.astimezone(dt.UTC).date()).days


def _shift_stamp(value: Any, delta: dt.timedelta) -> Any:
    """An ISO date/datetime string moved by delta, in the same style; anything else unchanged."""
    if not isinstance(value, str) or not value.strip():
        return value
    text = value.strip()
    if len(text) == 10:  # YYYY-MM-DD
        try:
            return (dt.date.fromisoformat(text) + delta).isoformat()
        except ValueError:
            return value
    try:
        moment = parse_hrflow_datetime(text)
    except ValueError:
        return value
    return format_hrflow_datetime(moment + delta)


def shift_job_dates(item: dict[str, Any], offset: int) -> dict[str, Any]:
    """A copy of a snapshot job with its dates moved by `offset` days (the item is untouched)."""
    if offset == 0:
        return item
    delta = dt.timedelta(days=offset)
    out = dict(item)
    for name in ("created_at", "updated_at"):
        if out.get(name):
            out[name] = _shift_stamp(out[name], delta)
    ranges = out.get("ranges_date")
    if isinstance(ranges, list) and ranges:
        out["ranges_date"] = [
            dict(
                r,
                value_min=_shift_stamp(r.get("value_min"), delta),
                value_max=_shift_stamp(r.get("value_max"), delta),
            )
            if isinstance(r, dict)
            else r
            for r in ranges
        ]
    return out
