"""Dashboard-side wording of the search filters, all from the one description per filter
(`scoring/hrflow/filters.py` `FILTERS`): the active-filter chips (with the URL of the same
search without each), the relax suggestions of an empty result, and the saved-search summary.
Points are named after the nearest city of the shipped list (`scoring.cities.nearest_city`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from scoring.cities import nearest_city
from scoring.hrflow.filters import FILTERS, FILTERS_BY_KEY, active_chips, filter_parts
from scoring.hrflow.query import JobQuery

SUMMARY_MAX = 300  # SavedSearch.filters_summary
MAX_RADIUS_KM = 20_000


@dataclass(frozen=True)
class ChipLink:
    filter: str
    text: str
    url: str  # "?<canonical query string>" of the same search without this chip


def _url(query: JobQuery) -> str:
    return "?" + query.to_query_string()


def chip_links(query: JobQuery) -> list[ChipLink]:
    """One removable chip per active filter value, in `FILTERS` order."""
    base = replace(query, page=1)
    return [
        ChipLink(chip.filter, chip.text, _url(replace(base, **chip.changes)))
        for chip in active_chips(query, nearest_city)
    ]


def clear_all_url(query: JobQuery) -> str:
    """The same candidate, boards, algorithm and order without any filter."""
    changes: dict[str, Any] = {}
    for spec in FILTERS:
        changes.update(spec.cleared())
    return _url(replace(query, page=1, **changes))


def relax_suggestions(query: JobQuery) -> list[tuple[str, str]]:
    """For an empty result: each active filter, with a link to the same search without it
    (the location: a four times wider radius first)."""
    base = replace(query, page=1)
    out: list[tuple[str, str]] = []
    for spec in FILTERS:
        if not spec.is_active(query):
            continue
        if spec.key == "location" and query.location_distance:
            wider = min(query.location_distance * 4, MAX_RADIUS_KM)
            out.append((f"widen the radius to {wider:g} km", _url(replace(base, location_distance=wider))))
            continue
        out.append((spec.relax, _url(replace(base, **spec.cleared()))))
    return out


SORT_WORDS = {  # a non-default sort, in the summary's words (the default, best match first, is left out)
    ("scoring", "asc"): "weakest match first",
    ("created_at", "desc"): "newest first",
    ("created_at", "asc"): "oldest first",
    ("updated_at", "desc"): "recently updated first",
    ("updated_at", "asc"): "least recently updated first",
}


def filters_summary(query: JobQuery, *, board_names: dict[str, str]) -> str:
    """A short text of the active filters ("skills: Python, SQL · within 50 km of Chicago ·
    last 7 days"), for a saved search's name and its row on the saved-searches page. Defaults
    are left out."""
    parts = filter_parts(query, nearest_city)
    if board_names and set(query.board_keys) != set(board_names):
        parts.append(", ".join(board_names.get(key, "?") for key in query.board_keys))
    if not query.use_agent:
        parts.append("unranked")
    if (query.sort_by, query.order_by) != ("scoring", "desc"):
        parts.append(SORT_WORDS.get((query.sort_by, query.order_by), f"by {query.sort_by} {query.order_by}"))
    text = " · ".join(parts) or "all jobs"
    return text if len(text) <= SUMMARY_MAX else text[: SUMMARY_MAX - 1] + "…"


__all__ = [
    "FILTERS_BY_KEY",
    "ChipLink",
    "chip_links",
    "clear_all_url",
    "filters_summary",
    "relax_suggestions",
]
