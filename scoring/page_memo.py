"""The display pages this process built lately, reused while the same upstream answer is shown.

Building a page of 30 cards from the cached answer (`JobPage.build`: texts, tags, salary and
date estimates, distances, matched skills) was the largest piece of a cached search's CPU
(docs/benchmarks.md, "Load: where the time goes"). The answer itself stays in Django's cache,
shared by every process; this is a small per-process memo in front of the build, keyed by

* the answer's `stamp` (a new one per upstream answer: a refresh, or a cache entry that expired
  or was forgotten, brings a new answer and so misses here),
* the query and the candidate's skills (what the build reads besides the answer),
* the current minute (relative dates: "3 hours ago" is at most a minute old), and
* the estimate convention (settings).

Pages are frozen dataclasses, safe to share between threads. Settings changes (tests) empty it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from django.core.signals import setting_changed
from django.utils import timezone

from scoring.hrflow.query import JobQuery
from scoring.hrflow.results import EstimateConvention, JobPage, ScoringPayload

KEPT = 128  # pages per process: about 50 recruiters' current and previous page, ~10 MB

_pages: OrderedDict[tuple[Any, ...], JobPage] = OrderedDict()
_lock = threading.Lock()


def build_page(payload: ScoringPayload, *, query: JobQuery, candidate_skills: Iterable[str] = ()) -> JobPage:
    """`JobPage.build(payload, ...)`, or the page built from the same answer this minute."""
    stamp = getattr(payload, "stamp", "")  # cached before stamps existed: build it every time
    skills = frozenset(s.strip().casefold() for s in candidate_skills if s and s.strip())
    if not stamp:
        return JobPage.build(payload, query=query, candidate_skills=skills)
    now = timezone.now()
    key = (stamp, query, skills, now.replace(second=0, microsecond=0), EstimateConvention.from_settings())
    with _lock:
        page = _pages.get(key)
        if page is not None:
            _pages.move_to_end(key)
            return page
    page = JobPage.build(payload, query=query, candidate_skills=skills, now=now)
    with _lock:
        _pages[key] = page
        while len(_pages) > KEPT:
            _pages.popitem(last=False)
    return page


def forget_all(**kwargs: Any) -> None:
    with _lock:
        _pages.clear()


setting_changed.connect(forget_all, dispatch_uid="scoring.page_memo.forget_all")
