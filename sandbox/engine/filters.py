"""Vectorised filters: each one turns a parameter into a boolean mask over the n jobs.

Semantics (docs/hrflow.md §3-4 leave them open; these are the sandbox's choices):

* `board_keys`: the job is on one of the boards.
* `name`: the job's name contains the text (case-insensitive, runs of spaces as one); docs/hrflow.md
  §3 lists it as a job-title filter without saying how it matches: inferred.
* `date_range_min` / `date_range_max`: bounds (inclusive) on the job's `created_at`.
* `location_geopoint` + `location_distance`: great-circle (haversine, R = 6371.0088 km) distance
  from the point <= distance; jobs without coordinates are dropped.
* `text_keywords`: every keyword must match; a keyword matches when all of its word tokens occur
  (case-insensitive) in the job's title, summary, text fields, sections, skills or tasks.
  `summary_keywords`: the same over the summary only.
* `skills` / `languages`: the job must have every named skill / language (case-insensitive name;
  the `value` of the filter item is ignored).
* `tags_included`: an AND of OR-groups, `[[a, b], [c]]` = (a or b) and c: the outer list's
  groups must all hold; inside a group the tags are alternatives. An empty group `[]` is no
  constraint (HrFlow's own open job board sends `[[], []]`, one inner list per facet, when
  nothing is picked). Inferred, not documented: docs/sandbox.md.
  `tags_excluded`: drop a job that has ANY tag listed, whatever the nesting (`[[a], [b]]`,
  `[[a, b]]` and `[a, b]` are the same: the list is flattened).
  A tag matches when its name equals the filter's (trimmed, case-insensitive) and its value is
  equal by JSON type (`params.loose`): a boolean `true` matches a stored `true` and a stored
  string "true" (HrFlow stores what clients sent; recordings show both); a number matches the
  same number or its numeric text (1, 1.0, "1"); a boolean never matches a number; strings
  compare case-insensitively. A `null` filter value matches the tag with any value.
* `ranges_float` / `ranges_date`: for each item, the job must have a range of that name that
  overlaps [value_min, value_max] (an open end is unbounded on both sides; a float item with a
  `unit` also needs the same unit, case-insensitive). Several items must all hold.
* `score_threshold`: score >= threshold (applied in search.py, where scores live).

Filters only narrow: search.py sorts once, so a filtered list is always a subsequence of the
unfiltered ranking.
"""

import re

import numpy as np

from sandbox.engine import text
from sandbox.engine.index import KEYWORD_TOKEN, JobIndex, NamedRanges, Postings
from sandbox.params import BadParameter, DateRange, FloatRange, GeoFilter, ScoringRequest, TagCondition

EARTH_RADIUS_KM = 6371.0088
TOKEN = re.compile(KEYWORD_TOKEN)


def haversine_km(lat: np.ndarray, lng: np.ndarray, point_lat: float, point_lng: float) -> np.ndarray:
    phi1, phi2 = np.radians(lat), np.radians(point_lat)
    dphi = phi2 - phi1
    dlmb = np.radians(point_lng) - np.radians(lng)
    a = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def geo_mask(index: JobIndex, geo: GeoFilter, mask: np.ndarray) -> np.ndarray:
    rows = np.flatnonzero(mask & ~np.isnan(index.lat) & ~np.isnan(index.lng))
    out = np.zeros(index.n, dtype=bool)
    distance = haversine_km(index.lat[rows], index.lng[rows], geo.lat, geo.lng)
    out[rows[distance <= geo.distance_km]] = True
    return out


def keyword_mask(index: JobIndex, postings: Postings, keywords: list[str], param: str) -> np.ndarray:
    mask = np.ones(index.n, dtype=bool)
    for i, keyword in enumerate(keywords):
        tokens = TOKEN.findall(keyword.lower())
        if not tokens:
            raise BadParameter(f"{param}[{i}]", "has no word characters to match")
        for token in tokens:
            mask &= index.mask_of(postings.rows(token))
    return mask


def all_of(index: JobIndex, lists: dict[str, np.ndarray], names: list[str]) -> np.ndarray:
    mask = np.ones(index.n, dtype=bool)
    for name in names:
        mask &= index.mask_of(lists.get(name, np.empty(0, dtype=np.int32)))
    return mask


def skills_mask(index: JobIndex, names: list[str]) -> np.ndarray:
    mask = np.ones(index.n, dtype=bool)
    for name in names:
        mask &= index.mask_of(index.skill_postings.rows(name))
    return mask


def _tag_rows(index: JobIndex, condition: TagCondition) -> np.ndarray:
    if condition.value is None:
        return index.tag_names.get(condition.name, np.empty(0, dtype=np.int32))
    return index.tags.get((condition.name, condition.value), np.empty(0, dtype=np.int32))


def any_tag_mask(index: JobIndex, conditions: list[TagCondition]) -> np.ndarray:
    """Jobs that have at least one of the tags."""
    out = np.zeros(index.n, dtype=bool)
    for condition in conditions:
        out |= index.mask_of(_tag_rows(index, condition))
    return out


def tag_groups_mask(index: JobIndex, groups: list[list[TagCondition]]) -> np.ndarray:
    """AND over the groups of (OR over the group's tags); empty groups never reach here."""
    out = np.ones(index.n, dtype=bool)
    for group in groups:
        out &= any_tag_mask(index, group)
    return out


def _overlap(ranges: NamedRanges | None, low: float | None, high: float | None, n: int) -> np.ndarray:
    if ranges is None:
        return np.zeros(n, dtype=bool)
    mask = ranges.present.copy()
    with np.errstate(invalid="ignore"):
        if low is not None:
            mask &= np.isnan(ranges.high) | (ranges.high >= low)
        if high is not None:
            mask &= np.isnan(ranges.low) | (ranges.low <= high)
    return mask


def float_ranges_mask(index: JobIndex, items: list[FloatRange]) -> np.ndarray:
    mask = np.ones(index.n, dtype=bool)
    for item in items:
        ranges = index.ranges_float.get(item.name)
        mask &= _overlap(ranges, item.value_min, item.value_max, index.n)
        if item.unit is not None and ranges is not None:
            mask &= ranges.unit == item.unit
    return mask


def date_ranges_mask(index: JobIndex, items: list[DateRange]) -> np.ndarray:
    mask = np.ones(index.n, dtype=bool)
    for item in items:
        low = item.value_min.timestamp() if item.value_min else None
        high = item.value_max.timestamp() if item.value_max else None
        mask &= _overlap(index.ranges_date.get(item.name), low, high, index.n)
    return mask


def build_mask(index: JobIndex, request: ScoringRequest) -> np.ndarray:
    """Every filter of the request except score_threshold, ANDed."""
    wanted = [index.board_keys.index(k) for k in request.board_keys if k in index.board_keys]
    mask = np.isin(index.board_of, np.asarray(wanted, dtype=np.int16))
    with np.errstate(invalid="ignore"):
        if request.date_range_min is not None:
            mask &= index.created >= request.date_range_min.timestamp()
        if request.date_range_max is not None:
            mask &= index.created <= request.date_range_max.timestamp()
    if request.text_keywords:
        mask &= keyword_mask(index, index.text_tokens, request.text_keywords, "text_keywords")
    if request.summary_keywords:
        mask &= keyword_mask(index, index.summary_tokens, request.summary_keywords, "summary_keywords")
    if request.skills:
        mask &= skills_mask(index, request.skills)
    if request.languages:
        mask &= all_of(index, index.languages, request.languages)
    if request.tags_included:
        mask &= tag_groups_mask(index, request.tags_included)
    if request.tags_excluded:
        mask &= ~any_tag_mask(index, request.tags_excluded)
    if request.ranges_float:
        mask &= float_ranges_mask(index, request.ranges_float)
    if request.ranges_date:
        mask &= date_ranges_mask(index, request.ranges_date)
    if request.name:
        needle = text.norm(request.name)
        rows = np.flatnonzero(mask)
        mask = index.mask_of(rows[[needle in index.names[row] for row in rows]] if rows.size else rows)
    # Last: haversine only over the jobs still in.
    if request.geo is not None:
        mask &= geo_mask(index, request.geo, mask)
    return mask
