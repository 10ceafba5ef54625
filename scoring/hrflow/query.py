"""`JobQuery`: one job-scoring search, and the one place that maps it to HrFlow and to URLs.

The search form's field names (and so the dashboard's URL parameters) are named after HrFlow's
parameters (docs/hrflow.md §3). The form builds a `JobQuery(...)` from its cleaned data; links,
saved searches and cache keys come from `to_query_string()` / `cache_key()`.

====================  =========================  ==========================================
URL parameter         JobQuery field             HrFlow parameter (GET: one value each)
====================  =========================  ==========================================
board_keys (repeat)   board_keys                 board_keys=["k1","k2"]
source_key            source_key                 source_key
profile_key           profile_key                profile_key
algorithm_key         algorithm_key              algorithm_key (+ agent_key: client option)
use_agent (0|1)       use_agent                  use_agent=1|0
text_keywords (rep.)  text_keywords              text_keywords=["python","sql"]
summary_keywords (r)  summary_keywords           summary_keywords=["startup"]
skills (repeat)       skills                     skills=[{"name":"python","value":null}]
languages (repeat)    languages                  languages=[{"name":"english","value":null}]
tags_in (repeat)      tags_included (OR-groups)  tags_included=[[{"name":..,"value":..},..],..]
tags_out (repeat)     tags_excluded (tags)       tags_excluded=[[{"name":..,"value":..}],..]
date_range_min        date_range_min             date_range_min=2026-01-10T00:00:00+00:00
date_range_max        date_range_max             date_range_max=...
date_preset           date_preset                (none: the form turns it into date_range_min)
salary_min            salary_min                 ranges_float=[{"name":<name>,"value_min":..,
salary_max            salary_max                   "value_max":..,"unit":<unit>}]
salary_range          salary_range_name/_unit    (name:unit, default salary:USD/year)
ranges_date_name      ranges_date.name           ranges_date=[{"name":..,"value_min":"<iso>",
ranges_date_min       ranges_date.value_min        "value_max":"<iso>"}]
ranges_date_max       ranges_date.value_max
lat, lng              lat, lng                   location_geopoint={"lat":..,"lng":..}
location_distance     location_distance (km)     location_distance (only with a geopoint)
score_threshold       score_threshold (0..1)     score_threshold
sort_by               sort_by                    sort_by (default "scoring")
order_by              order_by                   order_by (default "desc")
page                  page                       page (1-based, default 1)
limit                 limit                      limit (default 30)
====================  =========================  ==========================================

URL encoding: every multi-valued field is a *repeated* parameter, one value per item. Tags
have their own syntax (scoring/hrflow/tags.py, docs/search-filters.md): `tags_in` values are
tags merged by name or written OR-groups, all AND-ed (HrFlow's `tags_included` is an AND of
OR-groups); `tags_out` values are tags, any of which drops a job. The old `tags_included` /
`tags_excluded` URL parameters (an OR of AND-groups) are converted on reading, same meaning.
Dates are ISO dates (YYYY-MM-DD) in
the URL, aware datetimes in the query object; `start_of_day` / `end_of_day` convert.

HrFlow encoding (decision 1): lists and dicts are JSON-encoded (compact) as one value each,
never repeated keys and never the SDK's dict bug. `to_hrflow_json()` gives the same parameters
with native JSON values, which is what the POST variant sends in its body.

Set-like fields are normalised on construction (stripped, de-duplicated, sorted), so equal
searches are equal objects and give equal query strings and cache keys.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urlencode

from django.utils import timezone

from scoring.hrflow.filters import FILTERS, TERM_FIELDS
from scoring.hrflow.tags import (
    EXCLUDED_PARAM,
    INCLUDED_PARAM,
    MAX_TAG_GROUPS,
    NAME_FORBIDDEN,
    TagFilter,
    TagGroup,
    clean_cnf,
    clean_tags,
    convert_legacy_items,
    excluded_from_values,
    groups_from_values,
    values_from_groups,
)

SORT_BY_CHOICES = ("scoring", "created_at", "updated_at")
ORDER_BY_CHOICES = ("desc", "asc")
DATE_PRESETS = {"24h": dt.timedelta(hours=24), "7d": dt.timedelta(days=7), "30d": dt.timedelta(days=30)}
DEFAULT_SORT_BY = "scoring"
DEFAULT_ORDER_BY = "desc"
DEFAULT_PAGE = 1
DEFAULT_LIMIT = 30
MAX_LIMIT = 100
# The salary filter is a ranges_float entry (name + unit). The choices are a setting
# (HRFLOW_SALARY_RANGES); this default is the demo data's US boards, and the URL omits it.
SALARY_RANGE_NAME = "salary"
SALARY_RANGE_UNIT = "USD/year"
SALARY_RANGE_SEPARATOR = ":"
# Presets are floored to this step so that a reload or Back a minute later is the same query
# (and the same cache key) instead of a new upstream call.
DATE_PRESET_RESOLUTION = dt.timedelta(minutes=10)


class DateRangeFilter(NamedTuple):
    """A named `ranges_date` filter (e.g. an availability window)."""

    name: str
    value_min: dt.datetime | None = None
    value_max: dt.datetime | None = None


def parse_salary_range(raw: str) -> tuple[str, str]:
    """`"salary:eur"` → `("salary", "eur")` (the name ends at the first ":"); raises ValueError."""
    name, sep, unit = raw.partition(SALARY_RANGE_SEPARATOR)
    if not sep or not name.strip() or not unit.strip():
        raise ValueError(f"salary range {raw!r} is not written name:unit")
    return name.strip(), unit.strip()


def start_of_day(day: dt.date, tz: dt.tzinfo | None = None) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz or timezone.get_current_timezone())


def end_of_day(day: dt.date, tz: dt.tzinfo | None = None) -> dt.datetime:
    # Whole seconds: HrFlow's timestamps have no fractions, and the URL carries only the date.
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=tz or timezone.get_current_timezone())


def date_preset_min(preset: str, *, now: dt.datetime | None = None) -> dt.datetime:
    """The `date_range_min` a preset means at request time, floored (see DATE_PRESET_RESOLUTION)."""
    now = now or timezone.now()
    start = now - DATE_PRESETS[preset]
    step = DATE_PRESET_RESOLUTION.total_seconds()
    floored = math.floor(start.timestamp() / step) * step
    return dt.datetime.fromtimestamp(floored, tz=dt.UTC)


def _clean_strings(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({v.strip() for v in values if v and v.strip()}))


def _flat_tags(items: Iterable[Any]) -> TagGroup:
    # Exclusions are a flat list of tags; a nested group (HrFlow's shape) is flattened, which
    # is the same rule: a job with any listed tag is dropped.
    tags: list[Any] = []
    for item in items:
        is_tag = isinstance(item, TagFilter) or (len(item) == 2 and all(isinstance(x, str) for x in item))
        tags += [item] if is_tag else list(item)
    return clean_tags(tags)


def _require_aware(name: str, value: dt.datetime | None) -> None:
    if value is not None and timezone.is_naive(value):
        raise ValueError(f"{name} must be an aware datetime")


def _iso_utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="seconds")


def _number(value: float) -> int | float:
    # 30.0 → 30, so equal numbers give equal strings whether the form produced int or float.
    return int(value) if float(value).is_integer() else value


def _compact_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True, kw_only=True)
class JobQuery:
    """One search. Keyword-only; tuples expected (lists are accepted and converted)."""

    board_keys: tuple[str, ...] = ()
    source_key: str = ""
    profile_key: str = ""
    algorithm_key: str = ""
    use_agent: bool = True
    text_keywords: tuple[str, ...] = ()
    summary_keywords: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    tags_included: tuple[TagGroup, ...] = ()  # AND of OR-groups
    tags_excluded: TagGroup = ()  # a job with any of these is dropped
    date_range_min: dt.datetime | None = None
    date_range_max: dt.datetime | None = None
    date_preset: str = ""  # kept only for the URL; the form has already set date_range_min
    salary_min: float | None = None
    salary_max: float | None = None
    ranges_date: DateRangeFilter | None = None
    lat: float | None = None
    lng: float | None = None
    location_distance: float | None = None
    score_threshold: float | None = None
    sort_by: str = DEFAULT_SORT_BY
    order_by: str = DEFAULT_ORDER_BY
    page: int = DEFAULT_PAGE
    limit: int = DEFAULT_LIMIT
    salary_range_name: str = SALARY_RANGE_NAME
    salary_range_unit: str = SALARY_RANGE_UNIT

    def __post_init__(self) -> None:
        setattr_ = object.__setattr__  # frozen: normalise once, here
        for name in ("board_keys", *TERM_FIELDS):
            setattr_(self, name, _clean_strings(getattr(self, name)))
        setattr_(self, "tags_included", clean_cnf(self.tags_included))
        setattr_(self, "tags_excluded", _flat_tags(self.tags_excluded))
        for name in ("source_key", "profile_key", "algorithm_key", "date_preset"):
            setattr_(self, name, (getattr(self, name) or "").strip())
        if self.ranges_date is not None and not self.ranges_date.name.strip():
            setattr_(self, "ranges_date", None)
        setattr_(self, "salary_range_name", self.salary_range_name.strip())
        setattr_(self, "salary_range_unit", self.salary_range_unit.strip())
        if self.salary_min is None and self.salary_max is None:
            # No amounts, no salary filter: the currency alone must not make searches differ.
            setattr_(self, "salary_range_name", SALARY_RANGE_NAME)
            setattr_(self, "salary_range_unit", SALARY_RANGE_UNIT)
        self._validate()

    def _validate(self) -> None:
        if self.sort_by not in SORT_BY_CHOICES:
            raise ValueError(f"sort_by must be one of {SORT_BY_CHOICES}")
        if self.order_by not in ORDER_BY_CHOICES:
            raise ValueError(f"order_by must be one of {ORDER_BY_CHOICES}")
        if self.page < 1:
            raise ValueError("page must be >= 1")
        if not 1 <= self.limit <= MAX_LIMIT:
            raise ValueError(f"limit must be between 1 and {MAX_LIMIT}")
        if self.date_preset and self.date_preset not in DATE_PRESETS:
            raise ValueError(f"date_preset must be one of {tuple(DATE_PRESETS)}")
        if self.score_threshold is not None and not 0 <= self.score_threshold <= 1:
            raise ValueError("score_threshold must be between 0 and 1")
        if (self.lat is None) != (self.lng is None):
            raise ValueError("lat and lng go together")
        if self.lat is not None and not -90 <= self.lat <= 90:
            raise ValueError("lat must be between -90 and 90")
        if self.lng is not None and not -180 <= self.lng <= 180:
            raise ValueError("lng must be between -180 and 180")
        for tag in (*(t for g in self.tags_included for t in g), *self.tags_excluded):
            if not tag.name or any(ch in tag.name for ch in NAME_FORBIDDEN):
                raise ValueError(f"tag name {tag.name!r} cannot hold any of {NAME_FORBIDDEN}")
        if len(self.tags_included) > MAX_TAG_GROUPS:
            raise ValueError(f"at most {MAX_TAG_GROUPS} tag groups")
        if not self.salary_range_name or not self.salary_range_unit:
            raise ValueError("the salary range needs a name and a unit")
        if self.location_distance is not None and not self.location_distance > 0:
            raise ValueError("location_distance must be positive")
        for name in ("salary_min", "salary_max", "lat", "lng", "location_distance", "score_threshold"):
            value = getattr(self, name)
            if value is not None and not math.isfinite(value):
                raise ValueError(f"{name} must be a finite number")
        _require_aware("date_range_min", self.date_range_min)
        _require_aware("date_range_max", self.date_range_max)
        if self.ranges_date is not None:
            _require_aware("ranges_date.value_min", self.ranges_date.value_min)
            _require_aware("ranges_date.value_max", self.ranges_date.value_max)

    # --- HrFlow ------------------------------------------------------------------------------

    def to_hrflow_json(self) -> dict[str, Any]:
        """The scoring parameters with native JSON values (the POST body). None/empty dropped.
        The filters' parameters come from their descriptions (scoring/hrflow/filters.py)."""
        params: dict[str, Any] = {
            "board_keys": list(self.board_keys),
            "source_key": self.source_key,
            "profile_key": self.profile_key,
            "algorithm_key": self.algorithm_key,
            "use_agent": int(self.use_agent),
            "sort_by": self.sort_by,
            "order_by": self.order_by,
            "page": self.page,
            "limit": self.limit,
        }
        for spec in FILTERS:
            params.update(spec.to_hrflow(self))
        return {k: v for k, v in params.items() if v is not None and v != "" and v != []}

    def to_hrflow_params(self) -> dict[str, str]:
        """GET query parameters: every value one string, lists and dicts as compact JSON."""
        return {
            key: _compact_json(value) if isinstance(value, list | dict) else str(value)
            for key, value in self.to_hrflow_json().items()
        }

    # --- URL -------------------------------------------------------------------------------

    def to_query_items(self) -> list[tuple[str, str]]:
        """(name, value) pairs in canonical order: sorted names, defaults omitted."""
        items: list[tuple[str, str]] = []
        for name in ("board_keys", *TERM_FIELDS):
            items += [(name, value) for value in getattr(self, name)]
        items += [(INCLUDED_PARAM, value) for value in values_from_groups(self.tags_included)]
        items += [(EXCLUDED_PARAM, tag.token) for tag in self.tags_excluded]
        scalars: dict[str, Any] = {
            "source_key": self.source_key,
            "profile_key": self.profile_key,
            "algorithm_key": self.algorithm_key,
            "use_agent": None if self.use_agent else "0",
            "date_preset": self.date_preset,
            # A preset stands for a moving date_range_min: keep the URL relative.
            "date_range_min": None if self.date_preset else _url_date(self.date_range_min),
            "date_range_max": _url_date(self.date_range_max),
            "salary_min": self.salary_min,
            "salary_max": self.salary_max,
            "salary_range": None
            if (self.salary_range_name, self.salary_range_unit) == (SALARY_RANGE_NAME, SALARY_RANGE_UNIT)
            else f"{self.salary_range_name}{SALARY_RANGE_SEPARATOR}{self.salary_range_unit}",
            "lat": self.lat,
            "lng": self.lng,
            "location_distance": self.location_distance,
            "score_threshold": self.score_threshold,
            "sort_by": None if self.sort_by == DEFAULT_SORT_BY else self.sort_by,
            "order_by": None if self.order_by == DEFAULT_ORDER_BY else self.order_by,
            "page": None if self.page == DEFAULT_PAGE else self.page,
            "limit": None if self.limit == DEFAULT_LIMIT else self.limit,
        }
        if self.ranges_date is not None:
            scalars["ranges_date_name"] = self.ranges_date.name
            scalars["ranges_date_min"] = _url_date(self.ranges_date.value_min)
            scalars["ranges_date_max"] = _url_date(self.ranges_date.value_max)
        for name, value in scalars.items():
            if value is None or value == "":
                continue
            items.append((name, str(_number(value)) if isinstance(value, float) else str(value)))
        # Stable sort: repeated values keep their (already sorted) order.
        return sorted(items, key=lambda item: item[0])

    def to_query_string(self) -> str:
        return urlencode(self.to_query_items())

    @classmethod
    def from_query_string(cls, query_string: str, *, tz: dt.tzinfo | None = None) -> JobQuery:
        """Rebuild a query from a canonical string (saved searches, tests). Raises ValueError.

        User input goes through the search form instead; this parser is strict and does not
        resolve `date_preset` (call `date_preset_min` for that).
        """
        return cls.from_query_items(parse_qsl(query_string, keep_blank_values=False), tz=tz)

    @classmethod
    def from_query_items(cls, items: Iterable[tuple[str, str]], *, tz: dt.tzinfo | None = None) -> JobQuery:
        items = list(items)
        legacy = convert_legacy_items(items)
        if legacy is not None:
            # An old-syntax string keeps its meaning; one that cannot is refused, never guessed.
            if legacy.problem:
                raise ValueError(f"old tag syntax: {legacy.problem}")
            items = legacy.items
        multi: dict[str, list[str]] = {}
        for name, value in items:
            multi.setdefault(name, []).append(value)
        one = {name: values[-1] for name, values in multi.items()}
        kwargs: dict[str, Any] = {name: tuple(multi.get(name, ())) for name in ("board_keys", *TERM_FIELDS)}
        kwargs["tags_included"] = groups_from_values(multi.get(INCLUDED_PARAM, ()))
        kwargs["tags_excluded"] = excluded_from_values(multi.get(EXCLUDED_PARAM, ()))
        for name in ("source_key", "profile_key", "algorithm_key", "date_preset", "sort_by", "order_by"):
            if name in one:
                kwargs[name] = one[name]
        kwargs["use_agent"] = one.get("use_agent", "1") != "0"
        if one.get("salary_range"):
            kwargs["salary_range_name"], kwargs["salary_range_unit"] = parse_salary_range(one["salary_range"])
        for name in ("salary_min", "salary_max", "lat", "lng", "location_distance", "score_threshold"):
            if name in one:
                kwargs[name] = float(one[name])
        for name in ("page", "limit"):
            if name in one:
                kwargs[name] = int(one[name])
        if "date_range_min" in one:
            kwargs["date_range_min"] = start_of_day(dt.date.fromisoformat(one["date_range_min"]), tz)
        if "date_range_max" in one:
            kwargs["date_range_max"] = end_of_day(dt.date.fromisoformat(one["date_range_max"]), tz)
        if one.get("ranges_date_name"):
            low, high = one.get("ranges_date_min"), one.get("ranges_date_max")
            kwargs["ranges_date"] = DateRangeFilter(
                one["ranges_date_name"],
                start_of_day(dt.date.fromisoformat(low), tz) if low else None,
                end_of_day(dt.date.fromisoformat(high), tz) if high else None,
            )
        return cls(**kwargs)

    # --- helpers ------------------------------------------------------------------------------

    def with_page(self, page: int) -> JobQuery:
        return replace(self, page=page)

    def cache_key(self, *, api_url: str, user_email: str) -> str:
        """A cache key for this query's upstream answer. Holds no secret and no raw email."""
        email_hash = hashlib.sha256(user_email.strip().lower().encode()).hexdigest()
        material = _compact_json({"url": api_url, "user": email_hash, "params": self.to_hrflow_params()})
        return "hrflow:jobs-scoring:v1:" + hashlib.sha256(material.encode()).hexdigest()


def _url_date(value: dt.datetime | None) -> str | None:
    # Dates in the datetime's own timezone: the form made them from a local date.
    return value.date().isoformat() if value is not None else None
