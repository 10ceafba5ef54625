"""The one place the saved-search refresh meets the dashboard's service layer.

`query_from_string()` is the single function to rewire if saved searches should be rebuilt
through the search form instead (scoring/forms.py JobSearchForm needs board/source/algorithm
choices that only the search view knows today, so the strict canonical parser is used).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django.utils.module_loading import import_string

from saved_searches import conf
from saved_searches.services.diff import ResultRow
from scoring.hrflow.query import MAX_LIMIT, JobQuery, date_preset_min
from scoring.hrflow.results import ScoredJob

Fetcher = Callable[[str, int], list[ResultRow]]


def query_from_string(query_string: str) -> JobQuery:
    """The saved canonical query string → the JobQuery to run now. Raises ValueError."""
    query = JobQuery.from_query_string(query_string)
    if query.date_preset:
        # "Last 7 days" saved yesterday means the last 7 days from today.
        query = replace(query, date_range_min=date_preset_min(query.date_preset))
    return query


def fetch_top_results(query_string: str, top_n: int) -> list[ResultRow]:
    """Page 1 of the search with `top_n` results, through scoring.selectors.job_match_list."""
    from scoring import selectors  # imported late: written in parallel, and keeps imports light

    query = replace(query_from_string(query_string), page=1, limit=max(1, min(top_n, MAX_LIMIT)))
    page = selectors.job_match_list(query=query, fresh=True)
    return [
        ResultRow(key=job.key, score=job.score if job.has_score else None, rank=rank, card=job_card(job))
        for rank, job in enumerate(page.jobs, start=1)
    ]


def job_card(job: ScoredJob) -> dict[str, Any]:
    """The display fields an alert e-mail needs, kept from the refresh's own answer (no second
    upstream call per job when the e-mail is composed)."""
    return {
        "title": job.name,
        "company": job.company,
        "location": job.location_text,
        "skills": [skill.name for skill in job.skills],
        "url": job.url,
        "score_pct": job.score_pct if job.has_score else None,
    }


def get_fetcher() -> Fetcher:
    fetcher: Fetcher = import_string(conf.get("SAVED_SEARCH_FETCHER"))
    return fetcher
