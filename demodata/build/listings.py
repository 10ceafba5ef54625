"""Listing clean-up: deduplication, salary cleaning, remote/hybrid flags, HrFlow dates."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

HOURS_PER_YEAR = 2080
# Salaries above this are not USD (the package has 23,154,000 and 34,325,000): drop them.
MAX_ANNUAL_SALARY = 1_000_000
# Below this a value is an hourly rate (35, 40), not an annual salary.
HOURLY_THRESHOLD = 1_000

_REMOTE = re.compile(r"\bremote\b", re.IGNORECASE)
_HYBRID = re.compile(r"\bhybrid\b", re.IGNORECASE)


def dedupe(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One record per listing id (the same posting sits in several category files), sorted by id."""
    by_id: dict[int, dict[str, Any]] = {}
    for rec in records:
        rid = rec.get("id")
        if isinstance(rid, int) and rec.get("title") and rid not in by_id:
            by_id[rid] = rec
    return [by_id[k] for k in sorted(by_id)]


def _annual(value: Any) -> float | None:
    if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
        return None
    annual = float(value) * HOURS_PER_YEAR if value < HOURLY_THRESHOLD else float(value)
    return None if annual > MAX_ANNUAL_SALARY else annual


def clean_salary(salary: Any) -> tuple[float, float] | None:
    """A posting's `{min, max}` as an annual USD range, or None when unusable."""
    if not isinstance(salary, dict):
        return None
    lo, hi = _annual(salary.get("min")), _annual(salary.get("max"))
    if lo is None and hi is None:
        return None
    low = lo if lo is not None else hi
    high = hi if hi is not None else lo
    if low is None or high is None:
        return None
    return (min(low, high), max(low, high))


def work_mode(location: str) -> str:
    """remote | hybrid | onsite, from the raw location text."""
    if _REMOTE.search(location or ""):
        return "remote"
    if _HYBRID.search(location or ""):
        return "hybrid"
    return "onsite"


def parse_ts(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def hrflow_ts(dt: datetime) -> str:
    """HrFlow's timestamp shape: `2026-01-10T08:41:25+0000` (UTC, no fraction, no colon)."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def created(rec: dict[str, Any]) -> datetime | None:
    return parse_ts(rec.get("postedAt")) or parse_ts(rec.get("firstSeen"))
