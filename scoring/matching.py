"""The "What matches" panel of a job's Details, and its one-line summary on the card.

Computed by this dashboard from the job and the candidate's profile, beside HrFlow's score: it
is **not** the model's reasoning (HrFlow sends a score and nothing else, docs/hrflow.md §5.1),
and the panel says so. Every part is left out, not shown empty or zero, when the data lacks it:

* skills: the job's skills the profile lists (same comparison as the card's ticks: names,
  case-insensitive) and the ones it lacks, most important first where the job gives values
  (`value` a float, or null on real jobs: those keep the job's order, after the valued ones).
  Left out when the job has no skills or the profile none.
* languages: the job's languages the profile lists, and the others. Left out when either has none.
* distance: haversine from the job's coordinates to the search point, against the radius.
  Left out without a search point or job coordinates.
* titles: the profile's past job titles ranked by similarity to the job's title
  (rapidfuzz `token_set_ratio` after its default normalisation, 0-100), with the years in each
  where the profile dates the role (ongoing roles run to now). Empty titles are skipped; the
  part is left out when none is left.
* salary: the job's salary range (the filter's range name and unit) against the filter's
  bounds. Left out without a salary filter, or when the job has no range in that unit.

Pure functions over `ScoredJob`, `Candidate` and `JobQuery`; only `details_context` reads (the
cached) profile, through the selectors.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.utils import timezone
from rapidfuzz import fuzz, utils

from scoring import selectors
from scoring.hrflow.errors import HrFlowError
from scoring.hrflow.query import JobQuery
from scoring.hrflow.results import UNTITLED_JOB, Candidate, ScoredJob, haversine_km, salary_display

logger = logging.getLogger(__name__)

LABEL = "Computed by this dashboard from the job and the profile; HrFlow's score is its own."
SIMILAR_TITLE = 70  # token_set_ratio at or above which a past title counts as "similar"
MAX_TITLES = 5
DAYS_PER_YEAR = 365.25
SEPARATOR = " \u00b7 "


# --- the parts ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SkillsPart:
    matched: tuple[str, ...]  # the job's spelling, most important first
    missing: tuple[str, ...]

    @property
    def total(self) -> int:
        return len(self.matched) + len(self.missing)

    @property
    def summary(self) -> str:
        return f"{len(self.matched)} of {self.total} skills"


@dataclass(frozen=True, slots=True)
class LanguagesPart:
    spoken: tuple[str, ...]
    missing: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DistancePart:
    km: float
    radius_km: float | None

    @property
    def within(self) -> bool | None:
        return None if self.radius_km is None else self.km <= self.radius_km

    @property
    def text(self) -> str:
        return km_display(self.km)

    @property
    def radius_text(self) -> str:
        return "" if self.radius_km is None else km_display(self.radius_km)


class TitleMatch(NamedTuple):
    title: str  # as the profile spells it (first spelling of a title held more than once)
    similarity: int  # 0-100
    years: float | None  # summed over the dated roles of that title; None: none dated
    years_text: str

    @property
    def similar(self) -> bool:
        return self.similarity >= SIMILAR_TITLE


@dataclass(frozen=True, slots=True)
class SalaryPart:
    job_text: str
    filter_text: str
    verdict: str  # "within your range", "overlaps your range", "below your minimum", ...
    fits: bool  # the ranges overlap


@dataclass(frozen=True, slots=True)
class MatchPanel:
    skills: SkillsPart | None
    languages: LanguagesPart | None
    distance: DistancePart | None
    titles: tuple[TitleMatch, ...]
    salary: SalaryPart | None
    label: str = LABEL

    @property
    def is_empty(self) -> bool:
        return not (self.skills or self.languages or self.distance or self.titles or self.salary)

    @property
    def title_summary(self) -> str:
        if not self.titles:
            return ""
        return "similar title" if self.titles[0].similar else "no similar title"

    @property
    def summary(self) -> str:
        """The card's line: "7 of 10 skills · 12 km · similar title" (absent parts left out)."""
        parts = (
            self.skills.summary if self.skills else "",
            self.distance.text if self.distance else "",
            self.title_summary,
        )
        return SEPARATOR.join(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class CandidateFacts:
    """What the panel needs from a profile, prepared once per page (not per card)."""

    skills: frozenset[str]  # casefolded
    languages: frozenset[str]  # casefolded
    # (title, processed title for rapidfuzz, years or None), one per distinct title.
    titles: tuple[tuple[str, str, float | None], ...]


# --- display helpers ---------------------------------------------------------------------------


def km_display(km: float) -> str:
    return f"{km:.1f} km" if km < 10 else f"{km:,.0f} km"


def years_display(years: float | None) -> str:
    if years is None:
        return ""
    months = round(years * 12)
    if months < 12:
        months = max(months, 1)
        return f"{months} month" + ("s" if months != 1 else "")
    rounded = round(years, 1)
    return f"{rounded:g} year" + ("s" if rounded != 1 else "")


def _key(text: str) -> str:
    return text.strip().casefold()  # as JobPage.build compares skills for the card's ticks


# --- computation -------------------------------------------------------------------------------


def role_years(start: dt.datetime | None, end: dt.datetime | None, *, now: dt.datetime) -> float | None:
    """Years in one role: None without a start, or when the end comes before the start."""
    if start is None:
        return None
    stop = end or now
    if stop < start:
        return None
    return (stop - start).days / DAYS_PER_YEAR


def candidate_facts(candidate: Candidate, *, now: dt.datetime | None = None) -> CandidateFacts:
    now = now or timezone.now()
    titles: dict[str, tuple[str, float | None]] = {}
    for exp in candidate.experiences:
        if not exp.title:
            continue
        key = _key(exp.title)
        years = role_years(exp.date_start, exp.date_end, now=now)
        spelling, total = titles.get(key, (exp.title, None))
        if years is not None:
            total = (total or 0.0) + years
        titles[key] = (spelling, total)
    return CandidateFacts(
        skills=frozenset(_key(s) for s in candidate.skills if s),
        languages=frozenset(_key(lang) for lang in candidate.languages if lang),
        titles=tuple((title, utils.default_process(title), years) for title, years in titles.values()),
    )


def skills_part(job: ScoredJob, facts: CandidateFacts) -> SkillsPart | None:
    if not job.skills or not facts.skills:
        return None
    values = job.skill_values or (None,) * len(job.skills)
    # One entry per skill name (first spelling, highest value given), in the job's order.
    names: dict[str, str] = {}
    weights: dict[str, float | None] = {}
    for skill, value in zip(job.skills, values, strict=False):
        key = _key(skill.name)
        names.setdefault(key, skill.name)
        known = weights.get(key)
        if key not in weights or (value is not None and (known is None or value > known)):
            weights[key] = value
    # Most important first: valued skills by value (highest first), then the unvalued ones;
    # a stable sort keeps the job's order among equals.
    ranked = sorted(names, key=lambda k: (weights[k] is None, -(weights[k] or 0.0)))
    matched = tuple(names[k] for k in ranked if k in facts.skills)
    missing = tuple(names[k] for k in ranked if k not in facts.skills)
    return SkillsPart(matched=matched, missing=missing)


def languages_part(job: ScoredJob, facts: CandidateFacts) -> LanguagesPart | None:
    if not job.languages or not facts.languages:
        return None
    spoken = tuple(lang for lang in job.languages if _key(lang) in facts.languages)
    missing = tuple(lang for lang in job.languages if _key(lang) not in facts.languages)
    return LanguagesPart(spoken=spoken, missing=missing)


def distance_part(job: ScoredJob, query: JobQuery) -> DistancePart | None:
    if query.lat is None or query.lng is None or job.lat is None or job.lng is None:
        return None
    km = haversine_km(query.lat, query.lng, job.lat, job.lng)
    return DistancePart(km=km, radius_km=query.location_distance)


def titles_part(job: ScoredJob, facts: CandidateFacts) -> tuple[TitleMatch, ...]:
    if not facts.titles or not job.name or job.name == UNTITLED_JOB:
        return ()
    wanted = utils.default_process(job.name)
    scored = [
        TitleMatch(title, round(fuzz.token_set_ratio(wanted, processed)), years, years_display(years))
        for title, processed, years in facts.titles
    ]
    scored.sort(key=lambda t: (-t.similarity, -(t.years or 0.0)))
    return tuple(scored[:MAX_TITLES])


def salary_part(job: ScoredJob, query: JobQuery) -> SalaryPart | None:
    low, high = query.salary_min, query.salary_max
    if low is None and high is None:
        return None
    if job.salary_min is None and job.salary_max is None:
        return None
    if job.salary_unit.casefold() != query.salary_range_unit.casefold():
        return None  # another currency or period: not comparable with the filter
    job_low = job.salary_min if job.salary_min is not None else float("-inf")
    job_high = job.salary_max if job.salary_max is not None else float("inf")
    want_low = low if low is not None else float("-inf")
    want_high = high if high is not None else float("inf")
    if job_high < want_low:
        verdict, fits = "below your minimum", False
    elif job_low > want_high:
        verdict, fits = "above your maximum", False
    elif want_low <= job_low and job_high <= want_high:
        verdict, fits = "within your range", True
    else:
        verdict, fits = "overlaps your range", True
    return SalaryPart(
        job_text=salary_display(job.salary_min, job.salary_max, job.salary_unit),
        filter_text=salary_display(low, high, query.salary_range_unit),
        verdict=verdict,
        fits=fits,
    )


def what_matches(job: ScoredJob, facts: CandidateFacts, query: JobQuery) -> MatchPanel:
    return MatchPanel(
        skills=skills_part(job, facts),
        languages=languages_part(job, facts),
        distance=distance_part(job, query),
        titles=titles_part(job, facts),
        salary=salary_part(job, query),
    )


def card_summaries(
    jobs: Iterable[ScoredJob], *, candidate: Candidate, query: JobQuery, now: dt.datetime | None = None
) -> dict[str, str]:
    """job key → the card's one-line summary (empty summaries left out)."""
    facts = candidate_facts(candidate, now=now)
    summaries = ((job.key, card_summary(job, facts, query)) for job in jobs)
    return {key: summary for key, summary in summaries if summary}


def card_summary(job: ScoredJob, facts: CandidateFacts, query: JobQuery) -> str:
    """`what_matches(...).summary` without building the panel: 30 cards share the results
    page's 10 ms budget (docs/benchmarks.md), so only counts and the best title are computed."""
    parts = []
    if job.skills and facts.skills:
        keys = {_key(skill.name) for skill in job.skills}
        parts.append(f"{len(keys & facts.skills)} of {len(keys)} skills")
    distance = distance_part(job, query)
    if distance is not None:
        parts.append(distance.text)
    if facts.titles and job.name and job.name != UNTITLED_JOB:
        wanted = utils.default_process(job.name)
        best = max(fuzz.token_set_ratio(wanted, processed) for _, processed, _ in facts.titles)
        parts.append("similar title" if round(best) >= SIMILAR_TITLE else "no similar title")
    return SEPARATOR.join(parts)


def details_context(*, query: JobQuery, job: ScoredJob) -> dict[str, Any]:
    """The Details view's panel: `{"match": MatchPanel | None}`, from the cached profile.

    A failing profile read costs the panel, not the job's text: `match_error` says why.
    """
    if not query.source_key or not query.profile_key:
        return {"match": None}
    try:
        candidate = selectors.profile_get(source_key=query.source_key, key=query.profile_key)
    except HrFlowError as exc:
        logger.warning("what-matches panel left out: %s", type(exc).__name__)
        return {"match": None, "match_error": exc.user_message}
    panel = what_matches(job, candidate_facts(candidate), query)
    return {"match": None if panel.is_empty else panel}
