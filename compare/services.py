"""Build the candidate matrix: every candidate's profile and top jobs read at once.

For 5 candidates that is 10 upstream reads (a profile and a scoring call each), all started
together through `scoring.concurrent.run_concurrently`, so the page waits for the slowest
call, not for their sum. They are the selectors every page uses (`profile_get`,
`job_match_list`): the same client, cache (a cell's link to the candidate's search page finds
its answer cached), limiter and breaker. A candidate whose scoring fails gets the error in
their column; one whose profile cannot be read keeps their scores under a stand-in name.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from compare.forms import CANDIDATE_PARAM, candidate_query, matrix_query_items
from compare.matrix import CandidateRef, CandidateResult, Column, Matrix, build_matrix
from scoring import selectors
from scoring.concurrent import run_concurrently
from scoring.hrflow.query import JobQuery
from scoring.hrflow.results import Candidate, JobRow


def matrix_url(filters: JobQuery, refs: Sequence[CandidateRef]) -> str:
    return reverse("compare:matrix") + "?" + urlencode(matrix_query_items(filters, tuple(refs)))


def stand_in_name(ref: CandidateRef) -> str:
    return f"Candidate {ref.profile_key[:8]}…"


def _nothing_excluded(query: JobQuery) -> frozenset[str]:
    return frozenset()


def candidate_matrix_build(
    *,
    filters: JobQuery,
    candidates: Sequence[CandidateRef],
    exclude: Callable[[JobQuery], frozenset[str]] = _nothing_excluded,
) -> Matrix:
    """The matrix of `candidates` (in column order) under `filters`. Never raises HrFlowError:
    each candidate's failure is in their column. `exclude(query)`: the job keys to leave out of
    that candidate's column (the search page's extensions' exclusions: jobs the recruiter hid
    for the candidate), read here in the request's thread, before the calls start."""
    queries = [candidate_query(filters, ref) for ref in candidates]
    calls: list[Callable[[], Any]] = []
    for ref, query in zip(candidates, queries, strict=True):
        calls.append(functools.partial(selectors.profile_get, source_key=ref.source_key, key=ref.profile_key))
        # Light rows, not cards: the matrix shows a job's name, company, place and score.
        calls.append(functools.partial(selectors.job_match_rows, query=query, excluded=exclude(query)))
    outcomes = run_concurrently(calls)
    results = []
    for index, (ref, query) in enumerate(zip(candidates, queries, strict=True)):
        profile, scoring = outcomes[2 * index], outcomes[2 * index + 1]
        candidate: Candidate | None = profile.value
        jobs: tuple[JobRow, ...] = scoring.value or ()
        others = [r for r in candidates if r != ref]
        column = Column(
            ref=ref,
            name=candidate.name if candidate is not None and candidate.name else stand_in_name(ref),
            title=candidate.title if candidate is not None else "",
            search_url=reverse("search") + "?" + query.to_query_string(),
            remove_url=matrix_url(filters, others),
            error=scoring.error.user_message if scoring.error is not None else "",
        )
        results.append(CandidateResult(column=column, jobs=jobs))
    return build_matrix(results)


__all__ = ["CANDIDATE_PARAM", "candidate_matrix_build", "matrix_url", "stand_in_name"]
