"""One declarative description per search filter: `FILTERS`.

Each `Filter` says, in one place, what the filter is called, which URL parameters (= search
form fields) and `JobQuery` fields it owns, which HrFlow parameter it becomes
(`to_hrflow`), how the form builds it (`form`: a kind, scoring/forms.py has one builder per
kind), how several values combine (said next to the field), and its wording: the removable
chips of the active-filter bar, the "relax" suggestion of an empty result and the saved-search
summary. From it:

* `JobQuery.to_hrflow_json()` sends what each filter's `to_hrflow` gives, and the multi-valued
  text filters (`form` "terms"/"keywords") are normalised and URL-encoded generically;
* `JobSearchForm` (scoring/forms.py) gets its filter fields and its `to_query()` from it;
* `scoring/filters.py` builds the chips, relax links and summaries.

A new text filter (say certifications) is one entry here plus its `JobQuery` field; a new kind
of control is one builder in scoring/forms.py. This module is pure Python (no Django forms):
it belongs to the HrFlow service layer, below the dashboard.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from scoring.hrflow.names import plain_name
from scoring.hrflow.tags import TagGroup, describe_cnf

if TYPE_CHECKING:
    from scoring.hrflow.query import JobQuery

# A place name for a point ("Chicago"), given by the dashboard (the shipped city list).
PlaceName = Callable[[float, float], str | None]
PRESET_LABELS = {"24h": "Last 24 hours", "7d": "Last 7 days", "30d": "Last 30 days"}
DEFAULT_DISTANCE_KM = 50.0


@dataclass(frozen=True)
class Chip:
    """One removable chip: its text and the `JobQuery` changes that remove it."""

    filter: str
    text: str
    changes: dict[str, Any]


@dataclass(frozen=True)
class Filter:
    key: str
    label: str
    hrflow: str  # the HrFlow parameter(s), for docs and the chip's title
    params: tuple[str, ...]  # URL parameters = form fields
    fields: tuple[str, ...]  # JobQuery fields; their defaults mean "not active"
    form: str  # the form builder's kind (scoring/forms.py FIELD_BUILDERS)
    relax: str  # "remove skills" (empty result: the same search without it)
    to_hrflow: Callable[[JobQuery], dict[str, Any]]
    chips: Callable[[Filter, JobQuery, PlaceName], list[Chip]]
    summary: Callable[[JobQuery, PlaceName], str]
    help: str = ""  # shown under the field
    combine: str = ""  # how several values combine, shown next to the field
    panel: str = ""  # the form's fieldset (keywords, tags) for the generic panels
    placeholder: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def is_active(self, query: JobQuery) -> bool:
        defaults = _defaults()
        return any(getattr(query, name) != defaults[name] for name in self.fields)

    def cleared(self) -> dict[str, Any]:
        """The `JobQuery` changes that remove this filter."""
        defaults = _defaults()
        return {name: defaults[name] for name in self.fields}


def _defaults() -> dict[str, Any]:
    from scoring.hrflow.query import JobQuery

    return {
        f.name: (f.default if f.default is not dataclasses.MISSING else None)
        for f in dataclasses.fields(JobQuery)
    }


# --- encoders and wording, by kind ---------------------------------------------------------


def _terms_hrflow(param: str, *, objects: bool) -> Callable[[JobQuery], dict[str, Any]]:
    def encode(query: JobQuery) -> dict[str, Any]:
        values = getattr(query, param)
        if not values:
            return {}
        return {param: [{"name": v, "value": None} for v in values] if objects else list(values)}

    return encode


def _terms_chips(spec: Filter, query: JobQuery, place: PlaceName) -> list[Chip]:
    values: tuple[str, ...] = getattr(query, spec.key)
    fmt = spec.extra.get("chip", "{}")
    return [Chip(spec.key, fmt.format(v), {spec.key: tuple(x for x in values if x != v)}) for v in values]


def _terms_summary(key: str, word: str) -> Callable[[JobQuery, PlaceName], str]:
    def summary(query: JobQuery, place: PlaceName) -> str:
        values = getattr(query, key)
        return f"{word}: {', '.join(values)}" if values else ""

    return summary


def _terms(
    key: str,
    label: str,
    *,
    objects: bool,
    kind: str,
    relax: str,
    word: str,
    chip: str = "{}",
    suggest: str = "",
    **kw: Any,
) -> Filter:
    return Filter(
        key=key,
        label=label,
        hrflow=key,
        params=(key,),
        fields=(key,),
        form=kind,
        relax=relax,
        to_hrflow=_terms_hrflow(key, objects=objects),
        chips=_terms_chips,
        summary=_terms_summary(key, word),
        panel="keywords",
        extra={"chip": chip, "suggest": suggest},
        **kw,
    )


def place_text(query: JobQuery, place: PlaceName) -> str:
    assert query.lat is not None
    assert query.lng is not None
    return place(query.lat, query.lng) or f"{query.lat:.2f}, {query.lng:.2f}"


def _location_hrflow(query: JobQuery) -> dict[str, Any]:
    if query.lat is None or query.lng is None:
        return {}
    out: dict[str, Any] = {"location_geopoint": {"lat": query.lat, "lng": query.lng}}
    if query.location_distance is not None:
        out["location_distance"] = _number(query.location_distance)
    return out


def _location_chips(spec: Filter, query: JobQuery, place: PlaceName) -> list[Chip]:
    if query.lat is None:
        return []
    radius = query.location_distance or DEFAULT_DISTANCE_KM
    # "Within 50 km of Chicago, US": the place name carries a comma of its own.
    return [Chip(spec.key, f"Within {radius:g} km of {place_text(query, place)}", spec.cleared())]


def _location_summary(query: JobQuery, place: PlaceName) -> str:
    if query.lat is None:
        return ""
    radius = query.location_distance or DEFAULT_DISTANCE_KM
    return f"within {radius:g} km of {place_text(query, place)}"


def _tag_in_chips(spec: Filter, query: JobQuery, place: PlaceName) -> list[Chip]:
    """A group of one name: one chip per value ("category: Sales"); an OR-group across names
    (a converted old link): one chip for the whole group."""
    chips = []
    groups = query.tags_included
    for i, group in enumerate(groups):
        others = groups[:i] + groups[i + 1 :]
        if len({t.name for t in group}) == 1 and len(group) > 1:
            for tag in group:
                rest = tuple(t for t in group if t != tag)
                chips.append(Chip(spec.key, tag.label, {"tags_included": (*others, rest)}))
        else:
            chips.append(Chip(spec.key, " or ".join(t.label for t in group), {"tags_included": others}))
    return chips


def _tag_out_chips(spec: Filter, query: JobQuery, place: PlaceName) -> list[Chip]:
    tags: TagGroup = query.tags_excluded
    return [
        Chip(spec.key, f"not {t.label}", {"tags_excluded": tuple(x for x in tags if x != t)}) for t in tags
    ]


def _date_hrflow(query: JobQuery) -> dict[str, Any]:
    out = {}
    if query.date_range_min:
        out["date_range_min"] = _iso_utc(query.date_range_min)
    if query.date_range_max:
        out["date_range_max"] = _iso_utc(query.date_range_max)
    return out


def _date_text(query: JobQuery) -> str:
    if query.date_preset:
        return PRESET_LABELS.get(query.date_preset, query.date_preset)
    if query.date_range_min or query.date_range_max:
        low = f"{query.date_range_min:%Y-%m-%d}" if query.date_range_min else "…"
        high = f"{query.date_range_max:%Y-%m-%d}" if query.date_range_max else "…"
        return f"Posted {low} to {high}"
    return ""


def _one_chip(text: Callable[[JobQuery], str]) -> Callable[[Filter, JobQuery, PlaceName], list[Chip]]:
    def chips(spec: Filter, query: JobQuery, place: PlaceName) -> list[Chip]:
        shown = text(query)
        return [Chip(spec.key, shown, spec.cleared())] if shown else []

    return chips


def _salary_hrflow(query: JobQuery) -> dict[str, Any]:
    if query.salary_min is None and query.salary_max is None:
        return {}
    return {
        "ranges_float": [
            {
                "name": query.salary_range_name,
                "value_min": None if query.salary_min is None else _number(query.salary_min),
                "value_max": None if query.salary_max is None else _number(query.salary_max),
                "unit": query.salary_range_unit,
            }
        ]
    }


def _salary_text(query: JobQuery) -> str:
    from scoring.hrflow.results import salary_display

    if query.salary_min is None and query.salary_max is None:
        return ""
    amounts = salary_display(query.salary_min, query.salary_max, query.salary_range_unit)
    return f"Salary {amounts[:1].lower()}{amounts[1:]}"


def _ranges_date_hrflow(query: JobQuery) -> dict[str, Any]:
    if query.ranges_date is None:
        return {}
    low, high = query.ranges_date.value_min, query.ranges_date.value_max
    return {
        "ranges_date": [
            {
                "name": query.ranges_date.name.strip(),
                "value_min": _iso_utc(low) if low else None,
                "value_max": _iso_utc(high) if high else None,
            }
        ]
    }


def _ranges_date_text(query: JobQuery) -> str:
    rd = query.ranges_date
    if rd is None:
        return ""
    low = f"{rd.value_min:%Y-%m-%d}" if rd.value_min else "…"
    high = f"{rd.value_max:%Y-%m-%d}" if rd.value_max else "…"
    return f"{plain_name(rd.name)}: {low} to {high}"


def _score_text(query: JobQuery) -> str:
    return f"Score ≥ {query.score_threshold:.0%}" if query.score_threshold is not None else ""


def _lower_first(text: Callable[[JobQuery], str]) -> Callable[[JobQuery, PlaceName], str]:
    def summary(query: JobQuery, place: PlaceName) -> str:
        shown = text(query)
        return shown[:1].lower() + shown[1:]

    return summary


def _iso_utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="seconds")


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


ALL_MUST_MATCH = "A job must have every one given (AND)."

FILTERS: tuple[Filter, ...] = (
    Filter(
        key="location",
        label="Location",
        hrflow="location_geopoint, location_distance",
        params=("lat", "lng", "location_distance"),
        fields=("lat", "lng", "location_distance"),
        form="location",
        relax="remove the location",
        to_hrflow=_location_hrflow,
        chips=_location_chips,
        summary=_location_summary,
    ),
    _terms(
        "skills",
        "Skills",
        objects=True,
        kind="terms",
        relax="remove skills",
        word="skills",
        suggest="skills",
        help="Pick a suggestion or type a skill and press Enter.",
        combine=ALL_MUST_MATCH,
        placeholder="e.g. python",
    ),
    _terms(
        "languages",
        "Languages",
        objects=True,
        kind="terms",
        relax="remove languages",
        word="languages",
        suggest="languages",
        combine=ALL_MUST_MATCH,
        placeholder="e.g. english",
    ),
    _terms(
        "text_keywords",
        "Text keywords",
        objects=False,
        kind="keywords",
        relax="remove text keywords",
        word="keywords",
        chip="“{}”",
        help="Words anywhere in the job text.",
        combine=ALL_MUST_MATCH,
    ),
    _terms(
        "summary_keywords",
        "Summary keywords",
        objects=False,
        kind="keywords",
        relax="remove summary keywords",
        word="summary",
        chip="summary: “{}”",
        help="Words in the job summary.",
        combine=ALL_MUST_MATCH,
    ),
    Filter(
        key="tags_in",
        label="Tags to include",
        hrflow="tags_included",
        params=("tags_in",),
        fields=("tags_included",),
        form="tags_in",
        relax="remove tags to include",
        to_hrflow=lambda q: (
            {"tags_included": [[t.to_hrflow() for t in g] for g in q.tags_included]}
            if q.tags_included
            else {}
        ),
        chips=_tag_in_chips,
        summary=lambda q, place: "tags: " + describe_cnf(q.tags_included) if q.tags_included else "",
        help="Type name:value and press Enter (remote:true, category:Sales).",
        combine="Values of one tag are alternatives (OR); different tags must all match (AND).",
        panel="tags",
    ),
    Filter(
        key="tags_out",
        label="Tags to exclude",
        hrflow="tags_excluded",
        params=("tags_out",),
        fields=("tags_excluded",),
        form="tags_out",
        relax="remove tags to exclude",
        to_hrflow=lambda q: (
            {"tags_excluded": [[t.to_hrflow()] for t in q.tags_excluded]} if q.tags_excluded else {}
        ),
        chips=_tag_out_chips,
        summary=lambda q, place: (
            "not " + " or ".join(t.label for t in q.tags_excluded) if q.tags_excluded else ""
        ),
        combine="A job with any of these is left out.",
        panel="tags",
    ),
    Filter(
        key="date",
        label="Posted",
        hrflow="date_range_min, date_range_max",
        params=("date_preset", "date_range_min", "date_range_max"),
        fields=("date_preset", "date_range_min", "date_range_max"),
        form="date",
        relax="remove the posting date",
        to_hrflow=_date_hrflow,
        chips=_one_chip(_date_text),
        summary=_lower_first(_date_text),
    ),
    Filter(
        key="salary",
        label="Salary",
        hrflow="ranges_float",
        params=("salary_range", "salary_min", "salary_max"),
        fields=("salary_min", "salary_max"),
        form="salary",
        relax="remove the salary range",
        to_hrflow=_salary_hrflow,
        chips=_one_chip(_salary_text),
        summary=_lower_first(_salary_text),
    ),
    Filter(
        key="ranges_date",
        label="Other date range",
        hrflow="ranges_date",
        params=("ranges_date_name", "ranges_date_min", "ranges_date_max"),
        fields=("ranges_date",),
        form="ranges_date",
        relax="remove the date-range filter",
        to_hrflow=_ranges_date_hrflow,
        chips=_one_chip(_ranges_date_text),
        summary=lambda q, place: (
            f"{plain_name(q.ranges_date.name, capital=False)} dates" if q.ranges_date is not None else ""
        ),
    ),
    Filter(
        key="score_threshold",
        label="Minimum score",
        hrflow="score_threshold",
        params=("score_threshold",),
        fields=("score_threshold",),
        form="percent",
        relax="remove the minimum score",
        to_hrflow=lambda q: {"score_threshold": q.score_threshold} if q.score_threshold is not None else {},
        chips=_one_chip(_score_text),
        summary=_lower_first(_score_text),
        help="In percent, as the cards show it; hides weaker matches.",
    ),
)
FILTERS_BY_KEY = {f.key: f for f in FILTERS}
TERM_FIELDS: tuple[str, ...] = tuple(f.key for f in FILTERS if f.form in ("terms", "keywords"))


def active_chips(query: JobQuery, place: PlaceName) -> list[Chip]:
    return [chip for spec in FILTERS for chip in spec.chips(spec, query, place)]


def filter_parts(query: JobQuery, place: PlaceName) -> list[str]:
    return [text for spec in FILTERS if (text := spec.summary(query, place))]


__all__: Sequence[str] = ("FILTERS", "FILTERS_BY_KEY", "TERM_FIELDS", "Chip", "Filter", "active_chips")
