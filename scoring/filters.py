"""Dashboard-side wording of the search filters: the saved-search summary, the active-filter
chips and the relax suggestions, all from the one description per filter
(scoring/hrflow/filters.py)."""

from __future__ import annotations

from scoring.forms import DEFAULT_DISTANCE_KM, PRESET_CHOICES
from scoring.hrflow.query import JobQuery
from scoring.hrflow.results import salary_display
from scoring.hrflow.tags import describe_cnf

SUMMARY_MAX = 300  # SavedSearch.filters_summary
PRESET_LABELS = {value: label.lower() for value, label in PRESET_CHOICES if value}


def filters_summary(query: JobQuery, *, board_names: dict[str, str]) -> str:
    """A short text of the active filters ("skills: Python, SQL · within 50 km · last 7 days"),
    for a saved search's name and its row on the saved-searches page. Defaults are left out."""
    parts: list[str] = []
    for label, values in (
        ("skills", query.skills),
        ("languages", query.languages),
        ("keywords", query.text_keywords),
        ("summary", query.summary_keywords),
    ):
        if values:
            parts.append(f"{label}: {', '.join(values)}")
    if query.tags_included:
        parts.append("tags: " + describe_cnf(query.tags_included))
    if query.tags_excluded:
        parts.append("not " + " or ".join(t.label for t in query.tags_excluded))
    if query.lat is not None and query.lng is not None:
        radius = query.location_distance or DEFAULT_DISTANCE_KM
        parts.append(f"within {radius:g} km of {query.lat:.2f}, {query.lng:.2f}")
    if query.date_preset:
        parts.append(PRESET_LABELS.get(query.date_preset, query.date_preset))
    elif query.date_range_min or query.date_range_max:
        low = f"{query.date_range_min:%Y-%m-%d}" if query.date_range_min else "…"
        high = f"{query.date_range_max:%Y-%m-%d}" if query.date_range_max else "…"
        parts.append(f"posted {low} to {high}")
    if query.salary_min is not None or query.salary_max is not None:
        amounts = salary_display(query.salary_min, query.salary_max, query.salary_range_unit)
        parts.append(f"salary {amounts[:1].lower()}{amounts[1:]}")
    if query.ranges_date is not None:
        parts.append(f"{query.ranges_date.name} dates")
    if query.score_threshold is not None:
        parts.append(f"score ≥ {query.score_threshold:.0%}")
    if board_names and set(query.board_keys) != set(board_names):
        parts.append(", ".join(board_names.get(key, "?") for key in query.board_keys))
    if not query.use_agent:
        parts.append("unranked")
    text = " · ".join(parts) or "all jobs"
    return text if len(text) <= SUMMARY_MAX else text[: SUMMARY_MAX - 1] + "…"
