"""Reads from HrFlow for the dashboard's views and tasks (never call the client directly).

Upstream answers are cached in Django's cache for HRFLOW_CACHE_TTL seconds, so Back, reloads
and page revisits do not call HrFlow again. What is cached is the checked envelope
(`ScoringPayload`, plain data), never HTML; display values depend on the candidate and on
"now", so they are built per process from the answer (`scoring.page_memo`: reused for the same
answer, query and skills within a minute). Cache keys hold no secret (see `JobQuery.cache_key`).
Errors are not cached.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any

from django.conf import settings
from django.core.cache import cache

from hrflow_dash.demo import DEMO_ALGORITHMS, demo_key
from scoring import page_memo, parallel
from scoring.hrflow.client import get_client
from scoring.hrflow.errors import SETUP_MESSAGE, HrFlowBadRequest, HrFlowError
from scoring.hrflow.query import MAX_LIMIT, JobQuery
from scoring.hrflow.results import (
    AlgorithmOption,
    BoardOption,
    Candidate,
    CandidateOption,
    JobPage,
    JobRow,
    ScoredJob,
    ScoringPayload,
    SourceOption,
    job_rows,
)

# Part of the cached candidate's key: bumped when `Candidate` gains fields, so a Candidate
# pickled by the previous release (without them) is never read back.
PROFILE_SHAPE = "shape2"  # 2: languages and experiences (the "What matches" panel)
_DEMO_ALGORITHM_LABELS = {demo_key("algorithm", slug): label for slug, label in DEMO_ALGORITHMS.items()}


def _account_key(*parts: str) -> str:
    """A cache key scoped to the upstream URL and account, without the secret or the raw email."""
    email_hash = hashlib.sha256(settings.HRFLOW_USER_EMAIL.strip().lower().encode()).hexdigest()
    material = "\n".join((settings.HRFLOW_API_URL, email_hash, *parts))
    return f"hrflow:{parts[0]}:v1:" + hashlib.sha256(material.encode()).hexdigest()


def _cached[T](key: str, fetch: Callable[[], T], *, fresh: bool = False) -> T:
    value: T | None = None if fresh else cache.get(key)
    if value is None:
        value = fetch()
        cache.set(key, value, settings.HRFLOW_CACHE_TTL)
    return value


def _payload_key(query: JobQuery) -> str:
    return query.cache_key(api_url=settings.HRFLOW_API_URL, user_email=settings.HRFLOW_USER_EMAIL)


def _scoring_payload(query: JobQuery, *, fresh: bool = False) -> ScoringPayload:
    return _cached(_payload_key(query), lambda: get_client().score_jobs(query), fresh=fresh)


def job_match_list(*, query: JobQuery, candidate_skills: Iterable[str] = (), fresh: bool = False) -> JobPage:
    """One page of jobs ranked for the query's profile. Raises `HrFlowError`.

    `fresh=True` skips the cached answer (and replaces it): a saved-search refresh must see
    jobs indexed a minute ago, and the recruiter opening it next should see what it saw.
    """
    payload = _scoring_payload(query, fresh=fresh)
    return page_memo.build_page(payload, query=query, candidate_skills=candidate_skills)


def candidate_and_matches(
    *, query: JobQuery, source_key: str, profile_key: str, excluded: frozenset[str] = frozenset()
) -> tuple[Candidate, JobPage | HrFlowError]:
    """The candidate and their page of jobs; when the scoring answer is not cached, it is asked
    for while the profile is read (scoring/parallel.py), so the two upstream calls run at once.
    A profile error is raised; a scoring error is returned in place of the page, so the page can
    still show the candidate beside the message. `excluded`: job keys an extension leaves out
    (`job_match_list_excluding`)."""
    prefetch = None
    if parallel.available() and cache.get(_payload_key(query)) is None:
        prefetch = parallel.submit(lambda: _scoring_payload(query))
    candidate = profile_get(source_key=source_key, key=profile_key)
    try:
        if prefetch is not None:
            prefetch.result()  # now in the cache (errors are not cached: raised here, once)
        if excluded:
            page = job_match_list_excluding(query=query, excluded=excluded, candidate_skills=candidate.skills)
        else:
            page = job_match_list(query=query, candidate_skills=candidate.skills)
        return candidate, page
    except HrFlowError as exc:
        return candidate, exc


def job_match_list_excluding(
    *,
    query: JobQuery,
    excluded: frozenset[str],
    candidate_skills: Iterable[str] = (),
) -> JobPage:
    """Page `query.page` of the results without the `excluded` job keys (hidden for the
    candidate), still `query.limit` jobs long: HrFlow's exclude parameter is unconfirmed and a
    wrong name would be ignored silently, so the dashboard filters after fetching.

    The filtered list is read from upstream page 1 with the same page size (each page cached as
    usual) until it holds the requested page, so page p costs at most p + ceil(hidden / limit)
    upstream pages, all cached for the pages before it. Totals: HrFlow's `meta.total` minus
    the excluded jobs met on the pages read; a hidden job ranked below them is still counted,
    so the total is high by at most the hidden jobs not met yet. Page numbers: ceil(total /
    limit). `JobPage.excluded` is the number met. Without excluded keys this is
    `job_match_list` exactly (no extra call).
    """
    if not excluded:
        return job_match_list(query=query, candidate_skills=candidate_skills)
    filtered, met = _payload_without(query, excluded)
    page = JobPage.build(filtered, query=query, candidate_skills=candidate_skills)
    return replace(page, excluded=met)


def job_match_rows(*, query: JobQuery, excluded: frozenset[str] = frozenset()) -> tuple[JobRow, ...]:
    """The jobs of `job_match_list_excluding`'s page, from the same cached answers, as light
    `JobRow`s (name, company, place, score) instead of cards: for a table of scores (the
    candidate matrix), which would otherwise build every card's display values unseen."""
    payload = _payload_without(query, excluded)[0] if excluded else _scoring_payload(query)
    return job_rows(payload, query=query)


def _payload_without(query: JobQuery, excluded: frozenset[str]) -> tuple[ScoringPayload, int]:
    """Page `query.page` of the answers without the `excluded` job keys (see
    `job_match_list_excluding`), and how many excluded jobs the pages read held."""
    start = (query.page - 1) * query.limit
    end = start + query.limit
    kept_jobs: list[Any] = []
    kept_scores: list[float | None] = []
    met = position = 0
    upstream_page, upstream_total = 1, 0
    while True:
        payload = _scoring_payload(query.with_page(upstream_page))
        if upstream_page == 1:
            upstream_total = payload.total
        for job, score in zip(payload.jobs, payload.scores, strict=False):
            if str(job.get("key") or "") in excluded:
                met += 1
                continue
            if start <= position < end:
                kept_jobs.append(job)
                kept_scores.append(score)
            position += 1
        last = not payload.jobs or upstream_page >= (payload.max_page or upstream_page)
        if position >= end or last:
            break
        upstream_page += 1
    total = position if last else max(upstream_total - met, position)
    filtered = ScoringPayload(
        jobs=tuple(kept_jobs),
        scores=tuple(kept_scores),
        page=query.page,
        max_page=math.ceil(total / query.limit) if total else 0,
        count=len(kept_jobs),
        total=total,
    )
    return filtered, met


def job_match_forget(*, query: JobQuery) -> None:
    """Drop the cached answer for this query, so the next look at it asks upstream again."""
    cache.delete(_payload_key(query))


def job_match_export(
    *,
    query: JobQuery,
    cap: int,
    candidate_skills: Iterable[str] = (),
    info: dict[str, int] | None = None,
    excluded: frozenset[str] = frozenset(),
) -> Iterator[ScoredJob]:
    """Every job of the query in ranking order, from page 1, up to `cap` jobs (the CSV export).

    Uses the largest page size to keep upstream calls few. Stops at the last page (`maxPage`),
    on an empty page, or at `cap`. Export pages bypass the cache: they are large, and a page
    size nobody browses with would never be read back. An HrFlowError mid-way propagates: the
    caller decides whether a partial file is acceptable. `info["total"]` is set from the first
    page (HrFlow's meta.total), so the caller can say when `cap` cut the list. `excluded` job
    keys (hidden for the candidate) are skipped and do not count towards `cap`.
    """
    skills = tuple(candidate_skills)
    page_query = replace(query, page=1, limit=MAX_LIMIT)
    sent = 0
    while sent < cap:
        payload = get_client().score_jobs(page_query)
        page = JobPage.build(payload, query=page_query, candidate_skills=skills)
        if info is not None and "total" not in info:
            info["total"] = page.total
        if not page.jobs or page.count == 0:
            return
        for job in page.jobs:
            if job.key in excluded:
                continue
            if sent >= cap:
                return
            yield job
            sent += 1
        if page.page >= page.max_page:
            return
        page_query = page_query.with_page(page.page + 1)


def board_list() -> list[BoardOption]:
    """Boards for the multi-select: the listing, limited to HRFLOW_BOARD_KEYS when set.

    A configured board missing from the listing is still offered (named by its key), so a
    listing page limit never hides a board the deployment relies on.
    """
    boards = _cached(_account_key("boards"), lambda: get_client().list_boards())
    return _restrict(boards, settings.HRFLOW_BOARD_KEYS, BoardOption)


def source_list() -> list[SourceOption]:
    """Sources for the candidate picker, limited to HRFLOW_SOURCE_KEYS when set."""
    sources = _cached(_account_key("sources"), lambda: get_client().list_sources())
    return _restrict(sources, settings.HRFLOW_SOURCE_KEYS, SourceOption)


def _restrict[T](
    options: list[BoardOption] | list[SourceOption],
    keys: list[str],
    factory: Callable[[str, str], T],
) -> list[T]:
    if not keys:
        return [factory(o.key, o.name) for o in options]
    by_key = {o.key: o for o in options}
    return [factory(k, by_key[k].name if k in by_key else _short(k)) for k in keys]


def _short(key: str) -> str:
    return f"{key[:8]}…" if len(key) > 8 else key


def algorithm_list() -> list[AlgorithmOption]:
    """The configured scoring algorithms; demo keys get their demo label."""
    return [
        AlgorithmOption(k, _DEMO_ALGORITHM_LABELS.get(k, _short(k))) for k in settings.HRFLOW_ALGORITHM_KEYS
    ]


def profile_search(*, source_key: str, name: str, limit: int = 10) -> list[CandidateOption]:
    """Candidates of a source whose name matches (the type-ahead picker)."""
    name = name.strip()
    return _cached(
        _account_key("profiles", source_key, name.casefold(), str(limit)),
        lambda: get_client().list_profiles(source_key, name=name, page=1, limit=limit),
    )


def profile_get(*, source_key: str, key: str) -> Candidate:
    """One candidate, cached: every search page needs the candidate's skills."""
    return _cached(
        _account_key("profile", PROFILE_SHAPE, source_key, key),
        lambda: get_client().get_profile(source_key, key),
    )


def search_form_choices() -> dict[str, list[tuple[str, str]]]:
    """Boards, algorithms and sources for `JobSearchForm` (the lists above, cached): the search
    page and every app that re-reads a search from its query string (shortlists)."""
    return {
        "board_choices": [(b.key, b.name) for b in board_list()],
        "algorithm_choices": [(a.key, a.label) for a in algorithm_list()],
        "source_choices": [(s.key, s.name) for s in source_list()],
    }


def search_form_choices_or_error() -> tuple[dict[str, list[tuple[str, str]]], str | None]:
    """The form's choices, or empty ones and the recruiter's message when they cannot be had:
    the setup message when no algorithm is configured (then nothing is asked upstream), else
    HrFlow's error in the recruiter's words. For the pages that render a form either way."""
    empty: dict[str, list[tuple[str, str]]] = {
        "board_choices": [],
        "algorithm_choices": [],
        "source_choices": [],
    }
    if not settings.HRFLOW_ALGORITHM_KEYS:
        return empty, SETUP_MESSAGE
    try:
        return search_form_choices(), None
    except HrFlowError as exc:
        return empty, exc.user_message


LISTED, ARCHIVED, GONE = "listed", "archived", "gone"


def job_listing_status(*, board_key: str, key: str) -> str:
    """Whether a job is still listed upstream: LISTED, ARCHIVED (GET job/indexing answers it
    with `archive` set) or GONE (the board no longer holds it). Cached like every read, so a
    shortlist page of 50 jobs costs at most 50 small calls per HRFLOW_CACHE_TTL. A board HrFlow
    no longer knows ("Unable to find object: board") means GONE too."""

    def fetch() -> str:
        try:
            job = get_client().get_job(board_key=board_key, key=key)
        except HrFlowBadRequest as exc:
            if "unable to find object" in exc.detail.lower():  # the board itself is gone
                return GONE
            raise
        if job is None:
            return GONE
        return ARCHIVED if job.get("archive") or job.get("archived_at") else LISTED

    return _cached(_account_key("listing", board_key, key), fetch)
