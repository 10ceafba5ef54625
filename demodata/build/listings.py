"""Listing clean-up: deduplication, salary cleaning, remote/hybrid flags, HrFlow dates."""

from __future__ import annotations

import hashlib
import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
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


# --- Dates -------------------------------------------------------------------------------------
#
# `firstSeen` is the scraper's first sighting, not the posting date, and it is censored at the
# scraper's bulk crawls: a crawl of a newly added company board "first sees" every listing that
# board already had (in network-jobs-data 0.0.20260111024211, 13,338 of 17,269 listings on
# 2026-01-10 and 2,190 on 2025-07-26, against a median of 3 a day). On such a day firstSeen says
# only "posted on or before"; elsewhere the daily crawl makes it the posting date to within a day.

# A day is a bulk-crawl day when it holds more than this share of all listings' firstSeen...
BULK_DAY_SHARE = 0.03
# ...and stands out from the daily trickle (more than this many times the median day), so that a
# small listing set (a test slice, where every day holds a few % of the listings) has none.
BULK_DAY_MEDIAN_FACTOR = 10

# Age at first sighting of a listing first seen on a bulk day: exponential, mean 18 days,
# truncated at 60 days. Justification, from the same package: the 1,166 listings first seen on
# the 2026-01-10 bulk day that do carry postedAt were then median 5.1 days old, mean 21.6,
# p75 25, p90 61 (max 837): mostly young, with a long tail. An exponential with mean 18 days has
# that shape (a bit less mass in the first days, so ages are not under-estimated); truncating at
# 60 days (inverse CDF of the truncated law, not clamping, so no spike at the cap) drops the rare
# years-old reposts that would date a job far outside the data set's 5-month window. Truncated,
# its median is 11.8 days and its mean 15.8.
ESTIMATED_AGE_MEAN_DAYS = 18.0
ESTIMATED_AGE_CAP_DAYS = 60.0

DATE_SOURCES = ("posting", "first_seen", "estimated")
SEEN_ONLINE = "seen_online"


def bulk_crawl_days(records: Iterable[dict[str, Any]]) -> frozenset[date]:
    """The UTC days on which the scraper's bulk crawls "first saw" a large share of the listings."""
    per_day = Counter(ts.astimezone(UTC).date() for rec in records if (ts := parse_ts(rec.get("firstSeen"))))
    if not per_day:
        return frozenset()
    total = sum(per_day.values())
    median = statistics.median(per_day.values())
    return frozenset(
        day
        for day, n in per_day.items()
        if n > BULK_DAY_SHARE * total and n > BULK_DAY_MEDIAN_FACTOR * median
    )


def estimated_age(listing_id: Any, seed: int) -> timedelta:
    """A deterministic draw from the truncated exponential above, seeded by the listing id only
    (a hash, so independent of iteration order and of any shared RNG); strictly positive."""
    digest = hashlib.sha256(f"{seed}:posting-age:{listing_id}".encode()).digest()
    u = int.from_bytes(digest[:8], "big") / 2**64  # uniform in [0, 1)
    mean, cap = ESTIMATED_AGE_MEAN_DAYS, ESTIMATED_AGE_CAP_DAYS
    # Inverse CDF of the exponential truncated to [0, cap): always < cap.
    days = -mean * math.log1p(-u * -math.expm1(-cap / mean))
    seconds = min(max(1, round(days * 86400)), int(cap * 86400) - 1)
    return timedelta(seconds=seconds)


@dataclass(frozen=True)
class ListingDates:
    created: datetime | None
    updated: datetime | None
    source: str  # posting | first_seen | estimated | none (no usable date at all)
    first_seen: datetime | None
    last_seen: datetime | None


def listing_dates(rec: dict[str, Any], bulk_days: frozenset[date], seed: int) -> ListingDates:
    """created_at: postedAt; else firstSeen off bulk days; else firstSeen minus an estimated age.
    updated_at: lastSeen, never before created_at."""
    posted = parse_ts(rec.get("postedAt"))
    first = parse_ts(rec.get("firstSeen"))
    last = parse_ts(rec.get("lastSeen"))
    if posted is not None:
        created, source = posted, "posting"
    elif first is None:
        created, source = None, "none"
    elif first.astimezone(UTC).date() in bulk_days:
        created, source = first - estimated_age(rec.get("id"), seed), "estimated"
    else:
        created, source = first, "first_seen"
    updated = last or created
    if updated is not None and created is not None and updated < created:
        updated = created
    return ListingDates(created, updated, source, first, last)


def seen_online(dates: ListingDates) -> list[dict[str, Any]]:
    """The listing's `ranges_date` entry: the window it was seen online (firstSeen → lastSeen)."""
    if dates.first_seen is None and dates.last_seen is None:
        return []
    return [
        {
            "name": SEEN_ONLINE,
            "value_min": hrflow_ts(dates.first_seen) if dates.first_seen else None,
            "value_max": hrflow_ts(dates.last_seen) if dates.last_seen else None,
        }
    ]
