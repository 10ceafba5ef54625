"""Parse and validate every parameter of the sandbox endpoints into typed request objects.

Both transports feed the same code: a GET query string (every value a string; lists and objects
one JSON-encoded value each, docs/hrflow.md §2) and a POST JSON body (native JSON values, or the
same JSON-encoded strings as HrFlow's PR #30 sends). Anything unexpected raises
`BadParameter(param, message)`, which the views turn into HTTP 400.

An empty value (`skills=` as in the vendor Postman collection) means "not given".
"""

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sandbox.timeutil import parse_hrflow_datetime

KEY_RE = re.compile(r"^[0-9a-f]{40}$")
INT_RE = re.compile(r"^[+-]?\d{1,18}$")
# `searching` and `location` are the SDK's other values (docs/sandbox.md says what they do here).
SORT_BY = ("scoring", "created_at", "updated_at", "searching", "location")
ORDER_BY = ("desc", "asc")
STAGES = ("new", "yes", "later", "no")


class BadParameter(ValueError):
    def __init__(self, param: str, message: str) -> None:
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = f"{param}: {message}"


LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def reject_lone_surrogates(value: Any, path: str = "") -> Any:
    """`value` (decoded JSON) unchanged, or BadParameter naming the first string that holds a
    lone UTF-16 surrogate: JSON text may escape one (`"\\ud800"`), Python decodes it, and no
    UTF-8 encoder accepts it afterwards, so every page showing it would fail (issue 8). A valid
    pair (`"\\ud83d\\ude00"`) decodes to one character and passes. Iterative: nesting depth
    is the JSON parser's business."""
    stack: list[tuple[Any, str]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if LONE_SURROGATE.search(item):
                raise BadParameter(where or "body", "holds a lone UTF-16 surrogate (not valid Unicode)")
        elif isinstance(item, list):
            stack.extend((child, f"{where}[{i}]") for i, child in reversed(list(enumerate(item))))
        elif isinstance(item, dict):
            for key in reversed(list(item)):
                if LONE_SURROGATE.search(key):
                    raise BadParameter(where or "body", "has a key holding a lone UTF-16 surrogate")
                stack.append((item[key], f"{where}.{key}" if where else key))
    return value


class RawParams:
    """Raw values from a QueryDict-like mapping (GET) or a decoded JSON object (POST)."""

    def __init__(self, values: Mapping[str, Any], *, from_query: bool) -> None:
        self.values = dict(values)
        self.is_query = from_query

    @classmethod
    def from_query(cls, query: Any) -> "RawParams":
        values: dict[str, Any] = {}
        for name in query:
            items = query.getlist(name)
            if len(items) > 1:
                raise BadParameter(name, _repeated_message(name, items))
            values[name] = items[0] if items else ""
        return cls(values, from_query=True)

    @classmethod
    def from_body(cls, body: bytes) -> "RawParams":
        try:
            decoded = json.loads(body.decode("utf-8")) if body.strip() else {}
        except (UnicodeDecodeError, ValueError):
            raise BadParameter("body", "is not valid JSON") from None
        if not isinstance(decoded, dict):
            raise BadParameter("body", "must be a JSON object of parameters")
        return cls(reject_lone_surrogates(decoded), from_query=False)

    def check_known(self, known: frozenset[str]) -> None:
        unknown = sorted(set(self.values) - known)
        if unknown:
            raise BadParameter(unknown[0], f"unknown parameter (accepted: {', '.join(sorted(known))})")

    def get(self, name: str) -> Any:
        """The raw value, or None when absent, null or empty."""
        value = self.values.get(name)
        if value is None or (isinstance(value, str) and value.strip() == ""):
            return None
        return value


def _repeated_message(name: str, items: list[str]) -> str:
    if name == "location_geopoint":
        return (
            f'repeated keys ({", ".join(items)}): a JSON object like {{"lat": 48.85, "lng": 2.35}} '
            "is expected as one value (the hrflow SDK sends dicts this way; JSON-encode it yourself)"
        )
    return "given more than once; send one value (lists and objects as one JSON-encoded value)"


# --- scalar readers --------------------------------------------------------------------------


def json_value(name: str, raw: Any) -> Any:
    if isinstance(raw, str):
        try:
            return reject_lone_surrogates(json.loads(raw), name)
        except (ValueError, RecursionError) as exc:
            if isinstance(exc, BadParameter):
                raise
            raise BadParameter(name, "is not valid JSON") from None
    return raw


def as_int(name: str, raw: Any) -> int:
    if isinstance(raw, bool):
        raise BadParameter(name, "must be an integer")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and INT_RE.match(raw.strip()):
        return int(raw.strip())
    raise BadParameter(name, f"must be an integer, got {_show(raw)}")


def as_float(name: str, raw: Any) -> float:
    if isinstance(raw, bool):
        raise BadParameter(name, "must be a number")
    if isinstance(raw, int | float):
        value = float(raw)
    elif isinstance(raw, str):
        try:
            value = float(raw.strip())
        except ValueError:
            raise BadParameter(name, f"must be a number, got {_show(raw)}") from None
    else:
        raise BadParameter(name, f"must be a number, got {_show(raw)}")
    if not math.isfinite(value):
        raise BadParameter(name, "must be a finite number")
    return value


def as_key(name: str, raw: Any) -> str:
    if not isinstance(raw, str) or not KEY_RE.match(raw):
        raise BadParameter(name, f"must be a key of 40 lowercase hex characters, got {_show(raw)}")
    return raw


def as_str(name: str, raw: Any, max_length: int = 500) -> str:
    if not isinstance(raw, str):
        raise BadParameter(name, f"must be a string, got {_show(raw)}")
    if len(raw) > max_length:
        raise BadParameter(name, f"must be at most {max_length} characters")
    return raw


def as_choice(name: str, raw: Any, choices: tuple[str, ...]) -> str:
    if not isinstance(raw, str) or raw.strip().lower() not in choices:
        raise BadParameter(name, f"must be one of {', '.join(choices)}, got {_show(raw)}")
    return raw.strip().lower()


def as_bool(name: str, raw: Any) -> bool:
    """0/1, true/false, True/False (the SDK sends Python bools as `True`/`False`)."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str) and raw.strip().lower() in ("0", "1", "true", "false"):
        return raw.strip().lower() in ("1", "true")
    raise BadParameter(name, f"must be 0/1 or true/false, got {_show(raw)}")


def as_datetime(name: str, raw: Any) -> datetime:
    try:
        return parse_hrflow_datetime(raw)
    except (ValueError, TypeError):
        raise BadParameter(name, f"must be an ISO-8601 date, got {_show(raw)}") from None


def as_key_list(name: str, raw: Any) -> list[str]:
    value = json_value(name, raw)
    if not isinstance(value, list) or not value:
        raise BadParameter(name, "must be a non-empty JSON array of keys")
    if len(value) > 100:
        raise BadParameter(name, "must hold at most 100 keys")
    return [as_key(f"{name}[{i}]", item) for i, item in enumerate(value)]


def as_string_list(name: str, raw: Any) -> list[str]:
    value = json_value(name, raw)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadParameter(name, 'must be a JSON array of strings, e.g. ["python"]')
    if len(value) > 50:
        raise BadParameter(name, "must hold at most 50 strings")
    return [v.strip() for v in value if v.strip()]


def _show(raw: Any) -> str:
    text = json.dumps(raw) if not isinstance(raw, str) else repr(raw)
    return text if len(text) <= 60 else text[:57] + "..."


def check_object_keys(name: str, value: Any, required: set[str], allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise BadParameter(name, f"must be a JSON object with {', '.join(sorted(allowed))}")
    missing = required - set(value)
    if missing:
        raise BadParameter(name, f"misses {', '.join(sorted(missing))}")
    extra = set(value) - allowed
    if extra:
        raise BadParameter(name, f"has unknown key(s) {', '.join(sorted(extra))}")
    return value


def loose(value: Any) -> str:
    """The comparison form of a tag value, aware of its JSON type (sandbox/engine/filters.py):
    a boolean and the strings "true"/"false" (any case) are equal; a number equals its numeric
    text (1, 1.0 and "1"); a boolean never equals a number (true is not 1); strings compare
    trimmed and case-insensitively."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        number = float(value)
        if math.isfinite(number) and number.is_integer() and abs(number) < 2**63:
            return str(int(number))
        return repr(number)
    text = str(value).strip().lower()
    if text in ("true", "false"):
        return text
    try:
        number = float(text)
    except ValueError:
        return text
    # "1" and "1.0" are the number 1 (but "nan"/"inf" stay words).
    return loose(number) if math.isfinite(number) else text


# --- structured filters -----------------------------------------------------------------------


@dataclass(frozen=True)
class GeoFilter:
    lat: float
    lng: float
    distance_km: float


@dataclass(frozen=True)
class TagCondition:
    name: str
    value: str | None  # loose form; None = the tag is present with any value


@dataclass(frozen=True)
class FloatRange:
    name: str
    value_min: float | None
    value_max: float | None
    unit: str | None


@dataclass(frozen=True)
class DateRange:
    name: str
    value_min: datetime | None
    value_max: datetime | None


def parse_named_list(name: str, raw: Any) -> list[str]:
    """skills / languages: `[{"name": "python", "value": 0.9}]` or `["python"]` -> lowercase names."""
    value = json_value(name, raw)
    if not isinstance(value, list) or len(value) > 50:
        raise BadParameter(name, 'must be a JSON array of {"name", "value"} objects (at most 50)')
    names: list[str] = []
    for i, item in enumerate(value):
        if isinstance(item, str):
            label = item
        else:
            obj = check_object_keys(f"{name}[{i}]", item, {"name"}, {"name", "value", "type"})
            label = obj["name"]
        if not isinstance(label, str) or not label.strip():
            raise BadParameter(f"{name}[{i}].name", "must be a non-empty string")
        names.append(label.strip().lower())
    return names


TAG_SHAPE = 'must be a JSON array of arrays of {"name", "value"}, e.g. [[{"name": "remote", "value": true}]]'


def _tag_condition(where: str, item: Any) -> TagCondition:
    obj = check_object_keys(where, item, {"name"}, {"name", "value"})
    if not isinstance(obj["name"], str) or not obj["name"].strip():
        raise BadParameter(f"{where}.name", "must be a non-empty string")
    tag_value = obj.get("value")
    if isinstance(tag_value, dict | list):
        raise BadParameter(f"{where}.value", "must be a string, number, boolean or null")
    return TagCondition(obj["name"].strip().lower(), None if tag_value is None else loose(tag_value))


def parse_tag_groups(name: str, raw: Any) -> list[list[TagCondition]]:
    """tags_included: `[[alternative, ...], ...]`, an AND of OR-groups (sandbox/engine/filters.py).

    An empty inner list is no constraint and is dropped: HrFlow's open job board sends
    `[[], []]` (one list per facet) when nothing is picked."""
    value = json_value(name, raw)
    if not isinstance(value, list) or len(value) > 50:
        raise BadParameter(name, TAG_SHAPE)
    groups: list[list[TagCondition]] = []
    for i, group in enumerate(value):
        if not isinstance(group, list) or len(group) > 50:
            raise BadParameter(f"{name}[{i}]", TAG_SHAPE)
        if group:
            groups.append([_tag_condition(f"{name}[{i}][{j}]", item) for j, item in enumerate(group)])
    return groups


def parse_tag_list(name: str, raw: Any) -> list[TagCondition]:
    """tags_excluded: every tag listed, whatever the nesting (`[[a], [b]]`, `[[a, b]]` and
    `[a, b]` all mean "drop a job that has a or b")."""
    value = json_value(name, raw)
    if not isinstance(value, list) or len(value) > 50:
        raise BadParameter(name, TAG_SHAPE)
    conditions: list[TagCondition] = []
    for i, group in enumerate(value):
        if isinstance(group, dict):
            conditions.append(_tag_condition(f"{name}[{i}]", group))
            continue
        if not isinstance(group, list) or len(group) > 50:
            raise BadParameter(f"{name}[{i}]", TAG_SHAPE)
        conditions += [_tag_condition(f"{name}[{i}][{j}]", item) for j, item in enumerate(group)]
    return conditions


def parse_float_ranges(name: str, raw: Any) -> list[FloatRange]:
    value = json_value(name, raw)
    if not isinstance(value, list) or len(value) > 20:
        raise BadParameter(name, 'must be a JSON array of {"name", "value_min", "value_max", "unit"}')
    ranges = []
    for i, item in enumerate(value):
        where = f"{name}[{i}]"
        obj = check_object_keys(where, item, {"name"}, {"name", "value_min", "value_max", "unit"})
        if not isinstance(obj["name"], str) or not obj["name"].strip():
            raise BadParameter(f"{where}.name", "must be a non-empty string")
        low = None if obj.get("value_min") is None else as_float(f"{where}.value_min", obj["value_min"])
        high = None if obj.get("value_max") is None else as_float(f"{where}.value_max", obj["value_max"])
        if low is None and high is None:
            raise BadParameter(where, "needs value_min or value_max")
        if low is not None and high is not None and low > high:
            raise BadParameter(where, "value_min is greater than value_max")
        unit = obj.get("unit")
        if unit is not None and not isinstance(unit, str):
            raise BadParameter(f"{where}.unit", "must be a string")
        ranges.append(
            FloatRange(obj["name"].strip().lower(), low, high, unit.strip().lower() if unit else None)
        )
    return ranges


def parse_date_ranges(name: str, raw: Any) -> list[DateRange]:
    value = json_value(name, raw)
    if not isinstance(value, list) or len(value) > 20:
        raise BadParameter(name, 'must be a JSON array of {"name", "value_min", "value_max"}')
    ranges = []
    for i, item in enumerate(value):
        where = f"{name}[{i}]"
        obj = check_object_keys(where, item, {"name"}, {"name", "value_min", "value_max"})
        if not isinstance(obj["name"], str) or not obj["name"].strip():
            raise BadParameter(f"{where}.name", "must be a non-empty string")
        low = None if obj.get("value_min") is None else as_datetime(f"{where}.value_min", obj["value_min"])
        high = None if obj.get("value_max") is None else as_datetime(f"{where}.value_max", obj["value_max"])
        if low is None and high is None:
            raise BadParameter(where, "needs value_min or value_max")
        if low is not None and high is not None and low > high:
            raise BadParameter(where, "value_min is later than value_max")
        ranges.append(DateRange(obj["name"].strip().lower(), low, high))
    return ranges


def parse_geo(raw_point: Any, raw_distance: Any) -> GeoFilter | None:
    point = None if raw_point is None else json_value("location_geopoint", raw_point)
    if point in (None, {}):
        # The vendor Postman collection sends `location_geopoint={}` to mean "no location".
        return None
    obj = check_object_keys("location_geopoint", point, {"lat", "lng"}, {"lat", "lng"})
    lat = as_float("location_geopoint.lat", obj["lat"])
    lng = as_float("location_geopoint.lng", obj["lng"])
    if not -90 <= lat <= 90:
        raise BadParameter("location_geopoint.lat", f"must be within [-90, 90], got {lat}")
    if not -180 <= lng <= 180:
        raise BadParameter("location_geopoint.lng", f"must be within [-180, 180], got {lng}")
    if raw_distance is None:
        raise BadParameter("location_distance", "is required with location_geopoint (km)")
    distance = as_float("location_distance", raw_distance)
    if distance < 0:
        raise BadParameter("location_distance", f"must be >= 0 km, got {distance}")
    return GeoFilter(lat, lng, distance)


# --- jobs/scoring ---------------------------------------------------------------------------

SCORING_PARAMS = frozenset(
    {
        "board_keys", "source_key", "profile_key", "profile_reference", "algorithm_key", "agent_key",
        "use_agent", "use_algorithm", "name", "stage", "page", "limit", "order_by", "sort_by",
        "date_range_min", "date_range_max", "location_geopoint", "location_distance", "summary_keywords",
        "text_keywords", "skills", "languages", "tags_included", "tags_excluded", "ranges_float",
        "ranges_date", "score_threshold",
    }
)  # fmt: skip


@dataclass(frozen=True)
class ScoringRequest:
    board_keys: list[str]
    source_key: str | None = None
    profile_key: str | None = None
    profile_reference: str | None = None
    algorithm_key: str | None = None
    use_agent: bool = True
    name: str | None = None  # case-insensitive substring of the job's name
    stage: str | None = None
    page: int = 1
    limit: int = 30
    sort_by: str = "scoring"
    order_by: str = "desc"
    date_range_min: datetime | None = None
    date_range_max: datetime | None = None
    geo: GeoFilter | None = None
    summary_keywords: list[str] = field(default_factory=list)
    text_keywords: list[str] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    tags_included: list[list[TagCondition]] = field(default_factory=list)
    tags_excluded: list[TagCondition] = field(default_factory=list)
    ranges_float: list[FloatRange] = field(default_factory=list)
    ranges_date: list[DateRange] = field(default_factory=list)
    score_threshold: float | None = None


def parse_page_limit(raw: RawParams, max_limit: int) -> tuple[int, int]:
    page = 1 if raw.get("page") is None else as_int("page", raw.get("page"))
    if page < 1:
        raise BadParameter("page", f"must be >= 1 (pages are 1-based), got {page}")
    if page > 1_000_000:
        raise BadParameter("page", "is too large")
    limit = 30 if raw.get("limit") is None else as_int("limit", raw.get("limit"))
    if not 1 <= limit <= max_limit:
        raise BadParameter("limit", f"must be between 1 and {max_limit}, got {limit}")
    return page, limit


def parse_scoring(raw: RawParams, *, max_limit: int) -> ScoringRequest:
    raw.check_known(SCORING_PARAMS)
    if raw.get("board_keys") is None:
        raise BadParameter("board_keys", "is required")
    board_keys = as_key_list("board_keys", raw.get("board_keys"))
    opt = raw.get

    def key(name: str) -> str | None:
        return None if opt(name) is None else as_key(name, opt(name))

    algorithm_key, agent_key = key("algorithm_key"), key("agent_key")
    if algorithm_key and agent_key and algorithm_key != agent_key:
        raise BadParameter("agent_key", "differs from algorithm_key (agent_key is its legacy alias)")
    if not (algorithm_key or agent_key):
        # The current reference marks it required (docs/hrflow.md §3), even to search only.
        raise BadParameter(
            "algorithm_key", "is required (the key of the scoring algorithm; agent_key is its legacy name)"
        )
    # use_algorithm is the current reference's name for use_agent: the same switch.
    switches = {n: as_bool(n, opt(n)) for n in ("use_agent", "use_algorithm") if opt(n) is not None}
    if len(set(switches.values())) > 1:
        raise BadParameter("use_algorithm", "differs from use_agent (use_agent is its legacy name)")
    use_agent = next(iter(switches.values()), True)
    name = None if opt("name") is None else as_str("name", opt("name"), 200).strip() or None
    page, limit = parse_page_limit(raw, max_limit)
    date_min = None if opt("date_range_min") is None else as_datetime("date_range_min", opt("date_range_min"))
    date_max = None if opt("date_range_max") is None else as_datetime("date_range_max", opt("date_range_max"))
    if date_min and date_max and date_min > date_max:
        raise BadParameter("date_range_min", "is later than date_range_max")
    threshold = None
    if opt("score_threshold") is not None:
        threshold = as_float("score_threshold", opt("score_threshold"))
        if not 0 <= threshold <= 1:
            raise BadParameter("score_threshold", f"must be within [0, 1], got {threshold}")
    profile_reference = None
    if opt("profile_reference") is not None:
        profile_reference = as_str("profile_reference", opt("profile_reference"), 200)
    request = ScoringRequest(
        board_keys=board_keys,
        source_key=key("source_key"),
        profile_key=key("profile_key"),
        profile_reference=profile_reference,
        algorithm_key=algorithm_key or agent_key,
        use_agent=use_agent,
        name=name,
        stage=None if opt("stage") is None else as_choice("stage", opt("stage"), STAGES),
        page=page,
        limit=limit,
        sort_by="scoring" if opt("sort_by") is None else as_choice("sort_by", opt("sort_by"), SORT_BY),
        order_by="desc" if opt("order_by") is None else as_choice("order_by", opt("order_by"), ORDER_BY),
        date_range_min=date_min,
        date_range_max=date_max,
        geo=parse_geo(opt("location_geopoint"), opt("location_distance")),
        summary_keywords=_opt(raw, "summary_keywords", as_string_list),
        text_keywords=_opt(raw, "text_keywords", as_string_list),
        skills=_opt(raw, "skills", parse_named_list),
        languages=_opt(raw, "languages", parse_named_list),
        tags_included=_opt(raw, "tags_included", parse_tag_groups),
        tags_excluded=_opt(raw, "tags_excluded", parse_tag_list),
        ranges_float=_opt(raw, "ranges_float", parse_float_ranges),
        ranges_date=_opt(raw, "ranges_date", parse_date_ranges),
        score_threshold=threshold,
    )
    if request.sort_by == "location" and request.geo is None:
        raise BadParameter("sort_by", "location sorts by distance from location_geopoint, which is missing")
    if use_agent:
        if request.source_key is None:
            raise BadParameter("source_key", "is required to score (use_agent=1)")
        if request.profile_key is None and request.profile_reference is None:
            raise BadParameter("profile_key", "profile_key or profile_reference is required to score")
    return request


def _opt(raw: RawParams, name: str, parser: Any) -> Any:
    value = raw.get(name)
    return [] if value is None else parser(name, value)


# --- storing/profiles -------------------------------------------------------------------------

PROFILE_LIST_PARAMS = frozenset(
    {
        "source_keys", "name", "key", "reference", "location_lat", "location_lon", "location_dist",
        "return_profile", "page", "limit", "order_by", "sort_by", "created_at_min", "created_at_max",
    }
)  # fmt: skip


@dataclass(frozen=True)
class ProfileListRequest:
    source_keys: list[str]
    name: str | None = None
    key: str | None = None
    reference: str | None = None
    geo: GeoFilter | None = None
    return_profile: bool = False
    page: int = 1
    limit: int = 30
    order_by: str = "desc"
    sort_by: str = "created_at"
    created_at_min: datetime | None = None
    created_at_max: datetime | None = None


def parse_profile_list(raw: RawParams, *, max_limit: int) -> ProfileListRequest:
    raw.check_known(PROFILE_LIST_PARAMS)
    opt = raw.get
    if opt("source_keys") is None:
        raise BadParameter("source_keys", "is required")
    page, limit = parse_page_limit(raw, max_limit)
    created_min = (
        None if opt("created_at_min") is None else as_datetime("created_at_min", opt("created_at_min"))
    )
    created_max = (
        None if opt("created_at_max") is None else as_datetime("created_at_max", opt("created_at_max"))
    )
    if created_min and created_max and created_min > created_max:
        raise BadParameter("created_at_min", "is later than created_at_max")
    geo = None
    if opt("location_lat") is not None or opt("location_lon") is not None:
        # Only the coordinates given: the one missing is the one the 400 names.
        point = {
            k: opt(name)
            for k, name in (("lat", "location_lat"), ("lng", "location_lon"))
            if opt(name) is not None
        }
        geo = parse_geo(point, opt("location_dist"))
    return ProfileListRequest(
        source_keys=as_key_list("source_keys", opt("source_keys")),
        name=None if opt("name") is None else as_str("name", opt("name"), 200),
        key=None if opt("key") is None else as_key("key", opt("key")),
        reference=None if opt("reference") is None else as_str("reference", opt("reference"), 200),
        geo=geo,
        return_profile=False
        if opt("return_profile") is None
        else as_bool("return_profile", opt("return_profile")),
        page=page,
        limit=limit,
        order_by="desc" if opt("order_by") is None else as_choice("order_by", opt("order_by"), ORDER_BY),
        sort_by="created_at"
        if opt("sort_by") is None
        else as_choice("sort_by", opt("sort_by"), ("created_at", "updated_at")),
        created_at_min=created_min,
        created_at_max=created_max,
    )
