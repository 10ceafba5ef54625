"""Rebuilding a query from its URL (`JobQuery.from_query_items`, what saved searches, the CSV and
every link go through): the other date range, dates in the recruiter's time zone, and an old
bookmark's tag syntax. Written from mutmut's survivors in query.py (docs/testing.md, 2026-12-04)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

from scoring.hrflow.query import DateRangeFilter, JobQuery
from scoring.hrflow.tags import convert_legacy_items

PARIS = ZoneInfo("Europe/Paris")
BASE = "board_keys=b1&source_key=s1&profile_key=" + "a" * 40


def test_the_other_date_range_is_read_with_each_bound_a_whole_local_day() -> None:
    # Caught: the range, its name or a bound not read; the recruiter's zone not used for a bound.
    query = JobQuery.from_query_string(
        BASE + "&ranges_date_name=interview_dates&ranges_date_min=2026-01-05&ranges_date_max=2026-01-09",
        tz=PARIS,
    )
    assert query.ranges_date == DateRangeFilter(
        "interview_dates",
        dt.datetime(2026, 1, 5, 0, 0, 0, tzinfo=PARIS),
        dt.datetime(2026, 1, 9, 23, 59, 59, tzinfo=PARIS),
    )
    assert query.ranges_date.value_min.utcoffset() == dt.timedelta(hours=1)  # type: ignore[union-attr]


def test_an_open_ended_other_date_range_keeps_its_open_end() -> None:
    # Caught: a missing bound read as a date, or a given one dropped.
    only_min = JobQuery.from_query_string(
        BASE + "&ranges_date_name=start&ranges_date_min=2026-03-01", tz=PARIS
    )
    only_max = JobQuery.from_query_string(
        BASE + "&ranges_date_name=start&ranges_date_max=2026-03-31", tz=PARIS
    )
    assert only_min.ranges_date == DateRangeFilter("start", dt.datetime(2026, 3, 1, tzinfo=PARIS), None)
    assert only_max.ranges_date == DateRangeFilter(
        "start", None, dt.datetime(2026, 3, 31, 23, 59, 59, tzinfo=PARIS)
    )
    assert JobQuery.from_query_string(BASE + "&ranges_date_min=2026-03-01", tz=PARIS).ranges_date is None


def test_the_posting_date_range_is_whole_days_in_the_recruiters_zone() -> None:
    # Caught: the bounds made in the server's zone instead of the recruiter's.
    query = JobQuery.from_query_string(
        BASE + "&date_range_min=2026-06-01&date_range_max=2026-06-30", tz=ZoneInfo("America/New_York")
    )
    assert query.date_range_min == dt.datetime(2026, 6, 1, tzinfo=ZoneInfo("America/New_York"))
    assert query.date_range_max == dt.datetime(2026, 6, 30, 23, 59, 59, tzinfo=ZoneInfo("America/New_York"))


def test_an_old_bookmarks_tag_syntax_reads_as_its_conversion() -> None:
    # Caught: the converted items not used (the old parameters read as if new, or dropped).
    old = BASE + "&tags_included=category%3Asales%2Bremote%3Atrue&tags_excluded=work_mode%3Aonsite"
    conversion = convert_legacy_items(parse_qsl(old))
    assert conversion is not None
    assert not conversion.problem
    query = JobQuery.from_query_string(old)
    assert query == JobQuery.from_query_items(conversion.items)
    assert query.tags_included
    assert query.tags_excluded
