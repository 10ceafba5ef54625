"""One scoring request over the index: mask, rank once, cut the page.

Ranking is a total order: the primary key (score, created_at or updated_at, by `order_by`) then
the job id ascending, so ties never depend on the filter set and a filtered list is always a
subsequence of the unfiltered one. Only the top `page * limit` rows are sorted
(np.argpartition), so the cost is O(n) per request plus O(k log k).

`use_agent=0` (docs/hrflow.md §5.1: "searching only", predictions may be meaningless): no model
runs, every job gets the neutral score 0.5 (predictions stay aligned, [0.5, 0.5]), and
`sort_by=scoring` falls back to `created_at`. `score_threshold` still applies to that 0.5.

The SDK's other `sort_by` values (what HrFlow does with them is not documented; docs/sandbox.md):
`searching` ranks by the text relevance of `text_keywords` + `summary_keywords` (TF-IDF cosine
with the job text; `order_by=desc` = most relevant first), or by `created_at` without keywords;
`location` ranks by great-circle distance from `location_geopoint`, nearest first whatever
`order_by` says, jobs without coordinates last (without a geopoint it is a 400).
"""

from dataclasses import dataclass

import numpy as np

from sandbox.engine.filters import build_mask, haversine_km
from sandbox.engine.index import JobIndex
from sandbox.params import ScoringRequest

NEUTRAL_SCORE = 0.5


@dataclass(frozen=True)
class SearchResult:
    total: int
    rows: np.ndarray  # index rows of this page, in order
    scores: np.ndarray  # their scores


def _relevance(index: JobIndex, request: ScoringRequest) -> np.ndarray | None:
    """TF-IDF cosine of the request's keywords with each job's text; None without keywords."""
    words = " ".join([*request.text_keywords, *request.summary_keywords])
    if not words.strip():
        return None
    query = index.text_vectorizer.transform([words])
    return np.asarray((query @ index.text_terms).todense(), dtype=np.float64).ravel()


def _primary(index: JobIndex, request: ScoringRequest, scores: np.ndarray | None) -> np.ndarray:
    if request.sort_by == "location" and request.geo is not None:
        # Nearest first whatever order_by says; jobs without coordinates last.
        distance = haversine_km(index.lat, index.lng, request.geo.lat, request.geo.lng)
        return np.nan_to_num(distance, nan=np.inf)
    values: np.ndarray | None = None
    if request.sort_by == "updated_at":
        values = index.updated
    elif request.sort_by == "scoring" and scores is not None:
        values = scores
    elif request.sort_by == "searching":
        values = _relevance(index, request)
    if values is None:
        values = index.created
    values = np.nan_to_num(values, nan=-np.inf)
    # Ascending sort on the key: negate for "desc".
    return -values if request.order_by == "desc" else values


def search(index: JobIndex, request: ScoringRequest, scores: np.ndarray | None) -> SearchResult:
    mask = build_mask(index, request)
    effective = scores if scores is not None else np.full(index.n, NEUTRAL_SCORE)
    if request.score_threshold is not None:
        mask &= effective >= request.score_threshold
    candidates = np.flatnonzero(mask)
    total = int(candidates.size)
    start = (request.page - 1) * request.limit
    if start >= total:
        return SearchResult(total, np.empty(0, dtype=np.int64), np.empty(0))
    keys = _primary(index, request, scores)[candidates]
    k = min(total, start + request.limit)
    if k < total:
        # Everything tied with the k-th key must take part, so ties break by id, not by chance.
        kth = np.partition(keys, k - 1)[k - 1]
        keep = keys <= kth
        candidates, keys = candidates[keep], keys[keep]
    order = np.lexsort((index.ids[candidates], keys))[start:k]
    rows = candidates[order]
    return SearchResult(total, rows, effective[rows])
