"""Job dates (demodata/build/listings.py): real dates kept, bulk-crawl firstSeen replaced by a
deterministic estimate, provenance in the `date_source` tag, the `seen_online` ranges_date."""

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from demodata.build import listings

SEED = 20260111
CAP = timedelta(days=listings.ESTIMATED_AGE_CAP_DAYS)
BULK = date(2026, 1, 10)


def _rec(lid: int, first_seen: str, last_seen: str = "2026-01-11T01:00:00.000Z", **extra: Any) -> dict:
    return {"id": lid, "title": "T", "firstSeen": first_seen, "lastSeen": last_seen, **extra}


def _trickle_and_crawl(bulk: int = 500) -> list[dict[str, Any]]:
    """Two to four listings a day over three months, and one crawl day holding `bulk` of them."""
    recs = []
    start = datetime(2025, 10, 1, 9, tzinfo=UTC)
    for day in range(90):
        for i in range(2 + day % 3):
            seen = start + timedelta(days=day, hours=i)
            recs.append(_rec(day * 10 + i, seen.isoformat().replace("+00:00", "Z")))
    recs += [_rec(10_000 + i, f"2026-01-10T08:{i % 60:02d}:00.000Z") for i in range(bulk)]
    return recs


def test_bulk_crawl_days_are_detected_from_the_data() -> None:
    assert listings.bulk_crawl_days(_trickle_and_crawl()) == frozenset({BULK})
    # A crawl of 5 listings is part of the trickle, not a bulk crawl.
    assert listings.bulk_crawl_days(_trickle_and_crawl(bulk=5)) == frozenset()
    assert listings.bulk_crawl_days([]) == frozenset()


def test_a_small_slice_has_no_bulk_day_even_when_each_day_is_over_the_share() -> None:
    # 20 listings on 20 days: each day holds 5% (> 3%) but none stands out from the median day.
    recs = [_rec(i, f"2025-12-{i + 1:02d}T08:00:00Z") for i in range(20)]
    assert listings.bulk_crawl_days(recs) == frozenset()


def test_two_bulk_days_and_the_day_boundary_is_utc() -> None:
    recs = _trickle_and_crawl()
    # 2025-07-26 in UTC, although written with an offset that puts it on the 25th locally.
    recs += [_rec(20_000 + i, "2025-07-25T22:30:00-03:00") for i in range(300)]
    assert listings.bulk_crawl_days(recs) == frozenset({BULK, date(2025, 7, 26)})


def test_the_estimated_age_is_deterministic_positive_and_capped() -> None:
    ages = [listings.estimated_age(lid, SEED) for lid in range(20_000)]
    assert all(timedelta(0) < age < CAP for age in ages)
    # Seeded by the listing id only: the order of the calls does not matter.
    ids = list(range(20_000))
    random.Random(1).shuffle(ids)
    assert {lid: listings.estimated_age(lid, SEED) for lid in ids} == dict(enumerate(ages))
    assert listings.estimated_age(7, SEED) != listings.estimated_age(7, SEED + 1)
    # The truncated exponential (mean 18 days, cap 60): median ≈ 11.8 days, mean ≈ 15.8 days.
    days = sorted(age / timedelta(days=1) for age in ages)
    assert 11 < days[len(days) // 2] < 12.7
    assert 15 < sum(days) / len(days) < 16.6
    assert days[-1] > 55  # the tail reaches towards the cap (no clamping spike: checked below)
    assert sum(1 for d in days if d > 59.9) < 20


def test_a_posting_date_is_kept() -> None:
    rec = _rec(1, "2026-01-10T08:00:00Z", postedAt="2025-12-01T10:11:12.000Z")
    dates = listings.listing_dates(rec, frozenset({BULK}), SEED)
    assert (dates.source, dates.created) == ("posting", datetime(2025, 12, 1, 10, 11, 12, 0, UTC))
    assert dates.updated == datetime(2026, 1, 11, 1, tzinfo=UTC)


def test_first_seen_off_a_bulk_day_is_the_posting_date() -> None:
    rec = _rec(2, "2026-01-08T06:00:00.500Z")
    dates = listings.listing_dates(rec, frozenset({BULK}), SEED)
    assert dates.source == "first_seen"
    assert dates.created == dates.first_seen == datetime(2026, 1, 8, 6, 0, 0, 500000, UTC)


def test_first_seen_on_a_bulk_day_is_replaced_by_an_earlier_estimate() -> None:
    rec = _rec(3, "2026-01-10T08:00:00Z")
    dates = listings.listing_dates(rec, frozenset({BULK}), SEED)
    assert dates.source == "estimated"
    assert dates.first_seen is not None
    assert dates.created is not None
    assert dates.first_seen - CAP < dates.created < dates.first_seen
    assert dates.first_seen - dates.created == listings.estimated_age(3, SEED)
    assert listings.listing_dates(rec, frozenset({BULK}), SEED) == dates


def test_updated_is_last_seen_never_before_created() -> None:
    # A posting date after the last sighting (not in the data, but guarded): updated = created.
    rec = _rec(4, "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", postedAt="2026-01-05T00:00:00Z")
    dates = listings.listing_dates(rec, frozenset(), SEED)
    assert dates.updated == dates.created == datetime(2026, 1, 5, tzinfo=UTC)


def test_no_usable_date() -> None:
    dates = listings.listing_dates({"id": 5, "firstSeen": "garbage"}, frozenset(), SEED)
    assert (dates.created, dates.updated, dates.source) == (None, None, "none")
    assert listings.seen_online(dates) == []


def test_seen_online_is_the_first_to_last_seen_window_in_hrflow_format() -> None:
    rec = _rec(6, "2026-01-10T08:56:26.248Z", "2026-01-11T01:42:37.128Z")
    dates = listings.listing_dates(rec, frozenset({BULK}), SEED)
    assert listings.seen_online(dates) == [
        {
            "name": "seen_online",
            "value_min": "2026-01-10T08:56:26+0000",
            "value_max": "2026-01-11T01:42:37+0000",
        }
    ]


@pytest.mark.parametrize("source", listings.DATE_SOURCES)
def test_every_date_source_is_reachable(source: str) -> None:
    recs = {
        "posting": _rec(7, "2026-01-10T08:00:00Z", postedAt="2026-01-09T00:00:00Z"),
        "first_seen": _rec(8, "2026-01-09T08:00:00Z"),
        "estimated": _rec(9, "2026-01-10T08:00:00Z"),
    }
    assert listings.listing_dates(recs[source], frozenset({BULK}), SEED).source == source
