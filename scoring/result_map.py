"""The results map (issue 13 part 2): one marker per card of the page that has coordinates.

The page's markers ride in every results swap as a small JSON array in a data attribute
(`data-markers` of `#map-results`, out of band; CSP-safe, no script tag), which
static/js/results-map.js turns into a Leaflet layer. Each marker is `[job key, lat, lng, tone]`:
the key links it to its card (`li.job-card[data-job-key]`), whose title and score the script
reads from the card itself, so no upstream text travels twice or outside the cards' escaping.

The tone is the card's own score band (`ScoredJob.score_band_slug`, the one band scale of the
cards and their legend); with scoring off no job has a score, so the tone is the job's rank by
posting date on this page, in five steps from newest to oldest (`date-1` … `date-5`; `undated`
for a job without a date). A job without usable coordinates has no marker and is counted.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter

from scoring.hrflow.results import SCORE_BANDS, ScoredJob, score_legend

COORD_DECIMALS = 4  # about 11 m: finer than a marker, and a third fewer bytes than the upstream figures
DATE_STEPS = 5
UNDATED = "undated"
BANDS = "bands"
DATES = "dates"


@dataclass(frozen=True, slots=True)
class Marker:
    key: str
    lat: float
    lng: float
    tone: str


@dataclass(frozen=True, slots=True)
class LegendEntry:
    tone: str
    label: str


@dataclass(frozen=True, slots=True)
class ResultMap:
    markers: tuple[Marker, ...]
    unmapped: int  # cards of the page without a marker
    scale: str  # BANDS or DATES: what the colours mean
    legend: tuple[LegendEntry, ...]

    @property
    def mapped(self) -> int:
        return len(self.markers)

    @property
    def json(self) -> str:
        """`[[key, lat, lng, tone], …]`, compact: it rides in every results swap."""
        rows = [[m.key, m.lat, m.lng, m.tone] for m in self.markers]
        return json.dumps(rows, separators=(",", ":"))


def _point(job: ScoredJob) -> tuple[float, float] | None:
    """The job's coordinates if they can be drawn; results.py already dropped null and non-finite ones."""
    if job.lat is None or job.lng is None:
        return None
    if not (-90.0 <= job.lat <= 90.0 and -180.0 <= job.lng <= 180.0):
        return None
    return round(job.lat, COORD_DECIMALS), round(job.lng, COORD_DECIMALS)


def date_tones(jobs: Sequence[ScoredJob]) -> dict[str, str]:
    """Job key → `date-1` (newest fifth of the page's dated jobs) … `date-5` (oldest), `undated`."""
    dated = sorted((j for j in jobs if j.created_at is not None), key=attrgetter("created_at"), reverse=True)
    tones = {j.key: UNDATED for j in jobs if j.created_at is None}
    for rank, job in enumerate(dated):
        tones[job.key] = f"date-{1 + rank * DATE_STEPS // len(dated)}"
    return tones


def _legend(scale: str, *, undated: bool) -> tuple[LegendEntry, ...]:
    if scale == BANDS:
        return tuple(
            LegendEntry(label.lower(), f"{label} {span}")
            for (_, label), (_, span) in zip(SCORE_BANDS, score_legend(), strict=True)
        )
    steps = [LegendEntry(f"date-{i}", "") for i in range(1, DATE_STEPS + 1)]
    steps[0] = LegendEntry("date-1", "Newest")
    steps[-1] = LegendEntry(f"date-{DATE_STEPS}", "Oldest on this page")
    return (*steps, *([LegendEntry(UNDATED, "No date")] if undated else []))


def page_map(jobs: Sequence[ScoredJob], *, scored: bool) -> ResultMap:
    """The map data of one page of cards; `scored` is the query's `use_agent`."""
    tones = {} if scored else date_tones(jobs)
    markers = []
    for job in jobs:
        point = _point(job)
        if point is None:
            continue
        # A scored page may still hold a job without a prediction (upstream lengths disagree):
        # it has no band, so it gets the neutral tone of an undated job.
        tone = (job.score_band_slug or UNDATED) if scored else tones[job.key]
        markers.append(Marker(job.key, point[0], point[1], tone))
    scale = BANDS if scored else DATES
    return ResultMap(
        markers=tuple(markers),
        unmapped=len(jobs) - len(markers),
        scale=scale,
        legend=_legend(scale, undated=UNDATED in {m.tone for m in markers}),
    )
