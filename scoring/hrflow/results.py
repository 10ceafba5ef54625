"""Typed results of HrFlow calls, with every display value prepared once.

The job cards render 30 at a time inside a 10 ms budget, so the templates only print
attributes: no filters or lookups in inner loops. Parsing is lenient on purpose
(docs/hrflow.md §6, §8): any field may be missing or null, `location.fields` may be `[]`,
`value`s have mixed types, dates look like `2023-06-21T15:54:45+0000`.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from babel.numbers import format_compact_currency, format_compact_decimal, is_currency
from django.utils import timezone

from scoring.hrflow.query import JobQuery
from scoring.hrflow.tags import NAME_FORBIDDEN, encode_value

# (lower bound in displayed percent, label) from the vendor's star buckets (docs/hrflow.md §5.1),
# best first. Bands are taken from the *rounded* percentage a card prints, never from the raw
# score: 0.7996 prints "80%" and must read "Excellent" like every other "80%" card.
SCORE_BANDS = ((80, "Excellent"), (60, "Strong"), (40, "Good"), (20, "Fair"), (0, "Weak"))
CARD_SKILLS_MAX = 8  # skill chips on a card (matched first); the rest are "+N more" and in Details
# Money is formatted by Babel (CLDR data), in the dashboard's language: "€45k", "CHF 45k".
NUMBER_LOCALE = "en_US"
TEASER_MAX = 160  # characters of a card's one-line teaser (CSS clips it to one line)
EN_DASH = "\u2013"
PAGE_WINDOW = 2  # page numbers shown either side of the current one
EARTH_RADIUS_KM = 6371.0088
# JSON may spell a lone UTF-16 surrogate (`\ud800` in the JSON text) that Python decodes into a str
# no UTF-8 page or CSV can hold: one such job failed every page showing it (issue 8 fault 1).
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT_CHARACTER = "\ufffd"
UNTITLED_JOB = "Untitled job"  # a job without a name: shown so, never compared as a title


# --- lenient readers ------------------------------------------------------------------------


# Decoded JSON holds exact dicts, lists and strs: `type(...) is` answers those first, before the
# abstract-class isinstance checks (a page of 30 jobs makes ~2,000 of these calls; issue 13's
# matrix parses 5 pages per view).
def _map(value: Any) -> Mapping[str, Any]:
    return value if type(value) is dict or isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str:
    """Every upstream string goes through here: stripped, lone surrogates replaced by U+FFFD."""
    if type(value) is str:
        text = value.strip()
    elif value is None or isinstance(value, Mapping | list):
        return ""
    else:
        text = str(value).strip()
    return text if text.isascii() else LONE_SURROGATE.sub(REPLACEMENT_CHARACTER, text)


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _int(value: Any, default: int = 0) -> int:
    number = _float(value)
    return int(number) if number is not None else default


class MalformedEnvelope(ValueError):
    """The body is JSON but not the documented envelope; the client turns it into an HrFlowError."""


def parse_datetime(value: Any) -> dt.datetime | None:
    """HrFlow dates: `2023-06-21T15:54:45+0000`, sometimes without seconds or zone (→ UTC)."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


_BOOLEAN_WORDS = {"true": "yes", "false": "no"}


def display_value(value: Any) -> str:
    """Tag/skill values are bool, number, string or null upstream (docs/hrflow.md §6).

    A boolean reads as "yes"/"no" whether HrFlow sent `true` or the string `"true"` (real jobs
    carry both), so a card says "remote: yes", never "remote false" or "remote No".
    """
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = _text(value)
    return _BOOLEAN_WORDS.get(text.lower(), text)


# --- display helpers ------------------------------------------------------------------------


def score_band(pct: int) -> str:
    """The band of a displayed percentage (0..100), so equal percentages get equal bands."""
    return next(label for bound, label in SCORE_BANDS if pct >= bound)


def score_legend() -> tuple[tuple[str, str], ...]:
    """(label, "80-100 %") for every band, best first: the legend under the results."""
    out, upper = [], 100
    for bound, label in SCORE_BANDS:
        out.append((label, f"{bound}{EN_DASH}{upper}\u00a0%"))
        upper = bound - 1
    return tuple(out)


# --- estimated values ------------------------------------------------------------------------

# What the demo data's source tags mean (docs/demo-data.md); a real board's values are shown as
# sent ("salary_source: <value>") unless they are listed here.
SOURCE_NOTES: Mapping[str, str] = {
    "oews": "estimated from BLS OEWS wages for the occupation and area, not stated in the posting",
    "oews_usd_to_eur": "estimated from BLS OEWS wages (USD, converted to EUR), not stated in the posting",
    "estimated": "estimated: first seen on a bulk-crawl day, which only bounds the posting date",
    "first_seen": "is when the listing was first seen online; the posting date is unknown",
}


@dataclass(frozen=True, slots=True)
class EstimateConvention:
    """Which job tags say a card's salary or date is an estimate (docs/search-filters.md).

    HrFlow has no field for it; the demo data tags every job with `salary_source` and
    `date_source`. A real board sets its own tag names and values (HRFLOW_*_SOURCE_TAG,
    HRFLOW_*_ESTIMATE_VALUES); an empty tag name turns the marking off.
    """

    salary_tag: str = "salary_source"
    salary_values: frozenset[str] = frozenset({"oews", "oews_usd_to_eur"})
    date_tag: str = "date_source"
    date_values: frozenset[str] = frozenset({"estimated", "first_seen"})

    @classmethod
    def from_settings(cls) -> EstimateConvention:
        from django.conf import settings

        default = DEMO_ESTIMATES
        return _convention(
            getattr(settings, "HRFLOW_SALARY_SOURCE_TAG", default.salary_tag),
            tuple(getattr(settings, "HRFLOW_SALARY_ESTIMATE_VALUES", sorted(default.salary_values))),
            getattr(settings, "HRFLOW_DATE_SOURCE_TAG", default.date_tag),
            tuple(getattr(settings, "HRFLOW_DATE_ESTIMATE_VALUES", sorted(default.date_values))),
        )


DEMO_ESTIMATES = EstimateConvention()


@functools.lru_cache(maxsize=8)
def _convention(
    salary_tag: str, salary: tuple[str, ...], date_tag: str, date: tuple[str, ...]
) -> EstimateConvention:
    fold = functools.partial(map, str.casefold)
    return EstimateConvention(salary_tag, frozenset(fold(salary)), date_tag, frozenset(fold(date)))


def estimate_note(what: str, tag: str, value: str) -> str:
    """The `title` of an "est." mark: what is estimated, and the source as the data says it."""
    note = SOURCE_NOTES.get(value.casefold(), "")
    return f"{what} {note} ({tag}: {value})" if note else f"{what} is an estimate ({tag}: {value})"


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = math.radians(lat2 - lat1), math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _compact_number(amount: float) -> str:
    # 45000 → "45k", 1200000 → "1.2M", 25 → "25": the cards' compact form, from CLDR.
    return format_compact_decimal(amount, locale=NUMBER_LOCALE, fraction_digits=1).replace("K", "k")


@functools.lru_cache(maxsize=4096)
def _compact_money(amount: float, currency: str) -> str:
    # Cached: a page repeats few distinct amounts, and Babel's pattern lookup costs ~20 µs.
    text = format_compact_currency(amount, currency, locale=NUMBER_LOCALE, fraction_digits=1)
    return text.replace("K", "k")


@functools.lru_cache(maxsize=512)
def currency_code(text: str) -> str:
    """`"eur"` / `"EUR"` → `"EUR"` when it is an ISO 4217 code Babel knows, else ""."""
    code = text.strip().upper()
    return code if len(code) == 3 and code.isalpha() and is_currency(code) else ""


def salary_display(value_min: float | None, value_max: float | None, unit: str) -> str:
    """A ranges_float salary as a card shows it (en dash between the bounds):

    * unit an ISO 4217 code, any case (`eur`, real HrFlow data): `€45k\u2013€50k`;
    * unit `CUR/period` (`USD/year`, the demo data): `$105k\u2013$172k / year`;
    * any other unit: the values and the unit as sent, `45k\u201350k points`.
    """
    unit = unit.strip()
    currency, _, period = unit.partition("/")
    code = currency_code(currency)
    if code:
        suffix = f" / {period.strip()}" if period.strip() else ""

        def fmt(amount: float) -> str:
            return _compact_money(amount, code)
    else:
        suffix = f" {unit}" if unit else ""
        fmt = _compact_number
    low = fmt(value_min) if value_min is not None else ""
    high = fmt(value_max) if value_max is not None else ""
    if low and high:
        text = low if low == high else f"{low}{EN_DASH}{high}"
    elif low:
        text = f"From {low}"
    elif high:
        text = f"Up to {high}"
    else:
        return ""
    return text + suffix


def relative_display(when: dt.datetime | None, now: dt.datetime) -> str:
    """One format on every card: relative ("3 weeks ago"); the absolute day goes in a `title`."""
    if when is None:
        return ""
    days = (now - when).days
    if days < 1:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 60:
        return f"{days // 7} weeks ago"
    if days < 365:
        return f"{days // 30} months ago"
    years = days // 365
    return "1 year ago" if years == 1 else f"{years} years ago"


def _distance_display(km: float | None) -> str:
    if km is None:
        return ""
    return f"{km:.1f} km" if km < 10 else f"{km:,.0f} km"


def _location_text(location: Mapping[str, Any]) -> str:
    text = _text(location.get("text"))
    if text:
        return text
    parts = _map(location.get("fields"))  # may be [] upstream
    return ", ".join(p for p in (_text(parts.get(k)) for k in ("city", "state", "country")) if p)


# --- jobs -----------------------------------------------------------------------------------


class SkillMatch(NamedTuple):
    name: str
    matched: bool


class TagDisplay(NamedTuple):
    name: str
    value_display: str


class JobSection(NamedTuple):
    """One entry of a job's `sections` (HrFlow's free-form text blocks), in upstream order."""

    title: str
    description: str


class DateRangeDisplay(NamedTuple):
    """A `ranges_date` entry: `interview_dates`, 18 May 2023 \u2013 15 Sep 2023."""

    name: str
    text: str


def _sections(value: Any) -> tuple[JobSection, ...]:
    out = []
    for item in _list(value):
        item = _map(item)
        # `title` is the human heading; `name` is a machine name ("section 1"), never shown.
        # A section without text is nothing to read, whatever its title.
        description = _text(item.get("description"))
        if description:
            out.append(JobSection(_text(item.get("title")), description))
    return tuple(out)


def _languages(value: Any) -> tuple[str, ...]:
    names = (_text(_map(item).get("name")) for item in _list(value))
    return tuple(dict.fromkeys(name for name in names if name))


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _day(when: dt.datetime) -> str:
    # Plain arithmetic rather than strftime: 30 cards x a few ranges sit in the 10 ms budget.
    return f"{when.day} {_MONTHS[when.month - 1]} {when.year}"


def _date_ranges(value: Any) -> tuple[DateRangeDisplay, ...]:
    out = []
    for item in _list(value):
        item = _map(item)
        name = _text(item.get("name"))
        low, high = parse_datetime(item.get("value_min")), parse_datetime(item.get("value_max"))
        if not name or (low is None and high is None):
            continue
        if low and high:
            text = f"{_day(low)} {EN_DASH} {_day(high)}"
        elif low:
            text = f"from {_day(low)}"
        else:
            assert high is not None
            text = f"until {_day(high)}"
        out.append(DateRangeDisplay(name, text))
    return tuple(out)


_NAME_FORBIDDEN_CHARS = frozenset(NAME_FORBIDDEN)


def _tag_fields(tags: Iterable[Mapping[str, Any]]) -> tuple[tuple[TagDisplay, ...], tuple[str, ...]]:
    """A card's tags (name, shown value), and the tags of a string or boolean value as the URL
    tokens that select them (scoring/hrflow/tags.py): one pass, each name read once (30 jobs of
    ~10 tags are on the results page's budget)."""
    displays, tokens = [], []
    for t in tags:
        name = _text(t.get("name"))
        if not name:
            continue
        value = t.get("value")
        shown = display_value(value)
        if shown:
            displays.append(TagDisplay(name, shown))
        if isinstance(value, str | bool) and value != "" and _NAME_FORBIDDEN_CHARS.isdisjoint(name):
            tokens.append(f"{name}:{encode_value(value)}")
    return tuple(displays), tuple(tokens)


def teaser(summary: str, sections: Sequence[JobSection], limit: int = TEASER_MAX) -> str:
    """A card's one-line teaser: the summary, else the first section's text (real jobs often
    have `summary: null` and their text in sections), cut at a word boundary."""
    text = summary or next((s.description for s in sections if s.description), "")
    text = " ".join(text[: limit * 2].split())  # only the start matters: long texts stay cheap
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip(",.;:") + "\u2026"


def _score_fields(score: Any) -> tuple[float, bool, int, str]:
    """(score 0..1, has_score, the percentage shown, its band): no prediction gives 0.0, False,
    0 and no band, so nothing shows a score HrFlow did not compute."""
    raw = _float(score)
    if raw is None:
        return 0.0, False, 0, ""
    clamped = min(1.0, max(0.0, raw))
    pct = round(clamped * 100)
    return clamped, True, pct, score_band(pct)


def _company(tags: Iterable[Mapping[str, Any]]) -> str:
    """The first `company` tag's value (HrFlow has no company field; docs/hrflow.md §6)."""
    return next((_text(t.get("value")) for t in tags if t.get("name") == "company"), "")


@dataclass(frozen=True, slots=True, kw_only=True)
class ScoredJob:
    key: str
    name: str
    score: float  # 0..1; 0.0 when upstream sent no prediction (has_score False)
    has_score: bool
    score_pct: int
    score_band: str  # "" when has_score is False
    score_band_slug: str  # CSS-friendly: "excellent", "strong", ...
    company: str
    location_text: str
    lat: float | None
    lng: float | None
    distance_km: float | None
    distance_display: str
    created_at: dt.datetime | None
    created_iso: str  # for <time datetime="...">
    created_display: str  # relative: "3 weeks ago"
    created_title: str  # absolute: "12 Nov 2026"
    salary_display: str
    skills: tuple[SkillMatch, ...]  # matched first, then the job's order
    tags: tuple[TagDisplay, ...]
    summary: str
    responsibilities: str
    requirements: str
    url: str
    board_key: str
    board_name: str
    reference: str
    archived: bool
    # Every text block HrFlow may carry (details shows whichever are present, in this order).
    sections: tuple[JobSection, ...] = ()
    culture: str = ""
    benefits: str = ""
    interviews: str = ""
    teaser: str = ""
    languages: tuple[str, ...] = ()
    date_ranges: tuple[DateRangeDisplay, ...] = ()
    # For the "What matches" panel (scoring/matching.py): `skill_values[i]` is `skills[i]`'s
    # value (a float, or None: real jobs send null), and the salary range the card shows, as numbers.
    skill_values: tuple[float | None, ...] = ()
    salary_min: float | None = None
    salary_max: float | None = None
    salary_unit: str = ""
    # The job's tags as `tags_in` tokens (`remote:true`, `category:Sales`), for the tag pickers.
    tag_tokens: tuple[str, ...] = ()
    # Provenance (EstimateConvention): the source tag's value as sent, and the "est." title.
    salary_source: str = ""
    salary_estimate_note: str = ""  # non-empty = the salary is an estimate
    date_source: str = ""
    date_estimate_note: str = ""  # non-empty = the date is an estimate

    @property
    def skills_shown(self) -> tuple[SkillMatch, ...]:
        return self.skills[:CARD_SKILLS_MAX]

    @property
    def skills_more(self) -> int:
        return max(0, len(self.skills) - CARD_SKILLS_MAX)

    @classmethod
    def from_hrflow(
        cls,
        job: Mapping[str, Any],
        score: float | None,
        *,
        origin: tuple[float, float] | None = None,
        candidate_skills: frozenset[str] = frozenset(),
        salary_range_name: str = "salary",
        now: dt.datetime | None = None,
        estimates: EstimateConvention | None = None,
    ) -> ScoredJob:
        """`candidate_skills` must be casefolded (JobPage.build does it once per page)."""
        job = _map(job)
        now = now or timezone.now()
        score, has_score, pct, band = _score_fields(score)
        location = _map(job.get("location"))
        lat, lng = _float(location.get("lat")), _float(location.get("lng"))
        distance = None
        if origin is not None and lat is not None and lng is not None:
            distance = haversine_km(origin[0], origin[1], lat, lng)
        created_at = parse_datetime(job.get("created_at"))
        tags = [_map(t) for t in _list(job.get("tags"))]
        company = _company(tags)
        conv = estimates or DEMO_ESTIMATES
        salary_source = date_source = ""
        if conv.salary_tag or conv.date_tag:
            for t in tags:
                name = t.get("name")
                if name == conv.salary_tag and not salary_source:
                    salary_source = display_value(t.get("value"))
                elif name == conv.date_tag and not date_source:
                    date_source = display_value(t.get("value"))
        salary, salary_min, salary_max, salary_unit = "", None, None, ""
        wanted = salary_range_name.casefold()
        for rng in (_map(r) for r in _list(job.get("ranges_float"))):
            if _text(rng.get("name")).casefold() == wanted:
                salary_min, salary_max = _float(rng.get("value_min")), _float(rng.get("value_max"))
                salary_unit = _text(rng.get("unit"))
                salary = salary_display(salary_min, salary_max, salary_unit)
                break
        # (name, value, matched): each name casefolded once.
        named_skills = [
            (name, _float(skill.get("value")), bool(candidate_skills) and name.casefold() in candidate_skills)
            for skill in map(_map, _list(job.get("skills")))
            if (name := _text(skill.get("name")))
        ]
        # Matched skills first (a stable sort: each group in the job's order); values stay aligned.
        if candidate_skills:
            named_skills.sort(key=lambda skill: not skill[2])
        tag_displays, tag_tokens = _tag_fields(tags)
        board = _map(job.get("board"))
        summary = _text(job.get("summary"))
        sections = _sections(job.get("sections"))
        return cls(
            key=_text(job.get("key")),
            name=_text(job.get("name")) or UNTITLED_JOB,
            score=score,
            has_score=has_score,
            score_pct=pct,
            score_band=band,
            score_band_slug=band.lower(),
            company=company,
            location_text=_location_text(location),
            lat=lat,
            lng=lng,
            distance_km=distance,
            distance_display=_distance_display(distance),
            created_at=created_at,
            created_iso=created_at.isoformat() if created_at else "",
            created_display=relative_display(created_at, now),
            created_title=_day(created_at) if created_at else "",
            salary_display=salary,
            skills=tuple(SkillMatch(n, matched) for n, _, matched in named_skills),
            tags=tag_displays,
            summary=summary,
            responsibilities=_text(job.get("responsibilities")),
            requirements=_text(job.get("requirements")),
            url=_text(job.get("url")),
            board_key=_text(job.get("board_key")) or _text(board.get("key")),
            board_name=_text(board.get("name")),
            reference=_text(job.get("reference")),
            archived=job.get("archived_at") not in (None, "") or bool(job.get("archive")),
            sections=sections,
            culture=_text(job.get("culture")),
            benefits=_text(job.get("benefits")),
            interviews=_text(job.get("interviews")),
            teaser=teaser(summary, sections),
            languages=_languages(job.get("languages")),
            date_ranges=_date_ranges(job.get("ranges_date")),
            skill_values=tuple(value for _, value, _ in named_skills),
            salary_min=salary_min,
            salary_max=salary_max,
            salary_unit=salary_unit,
            tag_tokens=tag_tokens,
            salary_source=salary_source,
            salary_estimate_note=estimate_note("Salary", conv.salary_tag, salary_source)
            if salary and salary_source.casefold() in conv.salary_values
            else "",
            date_source=date_source,
            date_estimate_note=estimate_note("Date", conv.date_tag, date_source)
            if created_at and date_source.casefold() in conv.date_values
            else "",
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class JobRow:
    """A job as a table of scores shows it (the candidate matrix: name, company, place, score),
    read with the card's readers and rules (`_text`'s repair, no score without a prediction)
    but none of the card's other display values: the matrix reads 5 answers per page and
    shows 4 fields of each job."""

    key: str
    name: str
    score: float  # 0..1; 0.0 when upstream sent no prediction (has_score False)
    has_score: bool
    score_pct: int
    score_band: str  # "" when has_score is False
    score_band_slug: str
    company: str
    location_text: str
    url: str

    @classmethod
    def from_hrflow(cls, job: Mapping[str, Any], score: float | None) -> JobRow:
        job = _map(job)
        score, has_score, pct, band = _score_fields(score)
        return cls(
            key=_text(job.get("key")),
            name=_text(job.get("name")) or UNTITLED_JOB,
            score=score,
            has_score=has_score,
            score_pct=pct,
            score_band=band,
            score_band_slug=band.lower(),
            company=_company(map(_map, _list(job.get("tags")))),
            location_text=_location_text(_map(job.get("location"))),
            url=_text(job.get("url")),
        )


def page_scores(payload: ScoringPayload, query: JobQuery) -> Sequence[float | None]:
    """The answer's scores as a page may show them: none with scoring off (use_agent=0), where
    HrFlow's predictions are meaningless (docs/hrflow.md §5.1; the sandbox sends a neutral 0.5)."""
    return payload.scores if query.use_agent else (None,) * len(payload.jobs)


def job_rows(payload: ScoringPayload, *, query: JobQuery) -> tuple[JobRow, ...]:
    """The answer's jobs as `JobRow`s, in ranking order."""
    return tuple(
        JobRow.from_hrflow(job, score)
        for job, score in zip(payload.jobs, page_scores(payload, query), strict=False)
    )


@dataclass(frozen=True, slots=True)
class ScoringPayload:
    """The checked scoring envelope: what the selector caches (plain data, no display values).

    `jobs[i]` pairs with `scores[i]`; the client zipped them (docs/hrflow.md decision 6).
    """

    jobs: tuple[Mapping[str, Any], ...]
    scores: tuple[float | None, ...]
    page: int
    max_page: int
    count: int
    total: int
    # Which upstream answer this is: a new one for every answer parsed (a refresh or a forgotten
    # cache entry brings a new one), kept through the cache, so a process can reuse the display
    # page it built from the same answer (selectors._build_page) and count it once (vocabulary).
    stamp: str = field(default="", compare=False)

    @classmethod
    def from_envelope(cls, body: Any) -> ScoringPayload:
        """Check and unpack `{"code", "message", "meta", "data": {"jobs", "predictions"}}`."""
        if not isinstance(body, Mapping):
            raise MalformedEnvelope("the response is not a JSON object")
        data = body.get("data")
        if not isinstance(data, Mapping):
            raise MalformedEnvelope("the response has no data object")
        jobs = data.get("jobs")
        if not isinstance(jobs, list):
            raise MalformedEnvelope("the response has no data.jobs list")
        predictions = data.get("predictions")
        if predictions is not None and not isinstance(predictions, list):
            raise MalformedEnvelope("data.predictions is not a list")
        paired_jobs, scores = zip_scores(jobs, predictions or [])
        meta = _map(body.get("meta"))
        return cls(
            jobs=tuple(paired_jobs),
            scores=tuple(scores),
            page=max(_int(meta.get("page"), 0), 0),  # 0 = not said; JobPage uses the query's
            max_page=max(_int(meta.get("maxPage", meta.get("max_page")), 0), 0),
            count=_int(meta.get("count"), len(paired_jobs)),
            total=_int(meta.get("total"), len(paired_jobs)),
            stamp=uuid.uuid4().hex,
        )


class PageLink(NamedTuple):
    number: int | None  # None = an ellipsis
    query_string: str
    is_current: bool


def page_window(page: int, max_page: int, window: int = PAGE_WINDOW) -> tuple[int | None, ...]:
    """1 … 4 5 [6] 7 8 … 20 — first, last, and `window` pages either side; None = gap."""
    if max_page < 1:
        return ()
    wanted = {1, max_page, *range(page - window, page + window + 1)}
    numbers = sorted(n for n in wanted if 1 <= n <= max_page)
    out: list[int | None] = []
    for n in numbers:
        if out and n - (out[-1] or 0) > 1:
            out.append(None)
        out.append(n)
    return tuple(out)


@dataclass(frozen=True, slots=True, kw_only=True)
class JobPage:
    jobs: tuple[ScoredJob, ...]
    query: JobQuery
    page: int
    max_page: int
    count: int  # meta.count: may differ from len(jobs) upstream (docs/hrflow.md §8.2)
    total: int
    has_next: bool
    has_previous: bool
    page_numbers: tuple[int | None, ...]
    page_links: tuple[PageLink, ...] = field(default=())
    next_query_string: str = ""
    previous_query_string: str = ""
    stamp: str = ""  # the ScoringPayload's: which upstream answer this page shows
    # Jobs an extension excluded (hidden for the candidate) met in the upstream pages read to
    # build this one (selectors.job_match_list_excluding); 0 when nothing is excluded.
    excluded: int = 0

    @classmethod
    def build(
        cls,
        payload: ScoringPayload,
        *,
        query: JobQuery,
        candidate_skills: Iterable[str] = (),
        now: dt.datetime | None = None,
    ) -> JobPage:
        now = now or timezone.now()
        skills = frozenset(s.strip().casefold() for s in candidate_skills if s and s.strip())
        estimates = EstimateConvention.from_settings()
        scores = page_scores(payload, query)  # scoring off: no card shows a score or band
        origin = (query.lat, query.lng) if query.lat is not None and query.lng is not None else None
        jobs = tuple(
            ScoredJob.from_hrflow(
                job,
                score,
                origin=origin,
                candidate_skills=skills,
                salary_range_name=query.salary_range_name,
                now=now,
                estimates=estimates,
            )
            for job, score in zip(payload.jobs, scores, strict=False)
        )
        page = payload.page or query.page
        # Without meta, a page with jobs is at least the last page we know of.
        max_page = payload.max_page or (page if jobs else 0)
        numbers = page_window(page, max_page)
        links = tuple(
            PageLink(n, query.with_page(n).to_query_string() if n else "", n == page) for n in numbers
        )
        has_next, has_previous = page < max_page, page > 1
        return cls(
            jobs=jobs,
            query=query,
            page=page,
            max_page=max_page,
            count=payload.count,
            total=payload.total,
            has_next=has_next,
            has_previous=has_previous,
            page_numbers=numbers,
            page_links=links,
            next_query_string=query.with_page(page + 1).to_query_string() if has_next else "",
            previous_query_string=query.with_page(page - 1).to_query_string() if has_previous else "",
            stamp=getattr(payload, "stamp", ""),  # entries cached before stamps existed have none
        )


# --- boards, sources, algorithms, candidates -------------------------------------------------


class BoardOption(NamedTuple):
    key: str
    name: str


class SourceOption(NamedTuple):
    key: str
    name: str


class AlgorithmOption(NamedTuple):
    key: str
    label: str


def option_from_hrflow(item: Any) -> tuple[str, str]:
    """(key, display name) of a board or source object; the name falls back to the key."""
    item = _map(item)
    key = _text(item.get("key"))
    return key, _text(item.get("name")) or key


def profile_display_name(profile: Mapping[str, Any]) -> str:
    """full name → first + last → email → reference → key (docs/hrflow.md §7)."""
    info = _map(profile.get("info"))
    first_last = " ".join(p for p in (_text(info.get("first_name")), _text(info.get("last_name"))) if p)
    candidates = (
        _text(info.get("full_name")),
        first_last,
        _text(info.get("email")),
        _text(profile.get("reference")),
        _text(profile.get("key")),
    )
    return next((c for c in candidates if c), "")


def profile_current_title(profile: Mapping[str, Any]) -> str:
    """The title of the ongoing experience, else of the most recently started one."""
    experiences = [_map(e) for e in _list(profile.get("experiences"))]
    titled = [e for e in experiences if _text(e.get("title"))]
    if not titled:
        return ""
    ongoing = [e for e in titled if not _text(e.get("date_end"))]
    pool = ongoing or titled
    epoch = dt.datetime.min.replace(tzinfo=dt.UTC)
    best = max(pool, key=lambda e: parse_datetime(e.get("date_start")) or epoch)
    return _text(best.get("title"))


@dataclass(frozen=True, slots=True, kw_only=True)
class CandidateOption:
    key: str
    source_key: str
    name: str
    title: str

    @classmethod
    def from_hrflow(cls, profile: Mapping[str, Any], *, source_key: str = "") -> CandidateOption:
        profile = _map(profile)
        return cls(
            key=_text(profile.get("key")),
            source_key=_text(profile.get("source_key")) or source_key,
            name=profile_display_name(profile),
            title=profile_current_title(profile),
        )


class Experience(NamedTuple):
    """One of a profile's `experiences`: the title as sent (real parsed profiles have empty
    titles) and its dates (`date_end` None: ongoing, or not given)."""

    title: str
    date_start: dt.datetime | None
    date_end: dt.datetime | None


def _experiences(value: Any) -> tuple[Experience, ...]:
    out = []
    for item in map(_map, _list(value)):
        start, end = parse_datetime(item.get("date_start")), parse_datetime(item.get("date_end"))
        out.append(Experience(_text(item.get("title")), start, end))
    return tuple(out)


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    key: str
    source_key: str
    reference: str
    name: str
    title: str
    email: str
    location_text: str
    summary: str
    skills: tuple[str, ...]
    # For the "What matches" panel (scoring/matching.py); empty when the profile has none.
    languages: tuple[str, ...] = ()
    experiences: tuple[Experience, ...] = ()

    @classmethod
    def from_hrflow(cls, profile: Mapping[str, Any], *, source_key: str = "") -> Candidate:
        profile = _map(profile)
        info = _map(profile.get("info"))
        seen: dict[str, str] = {}
        for skill in _list(profile.get("skills")):
            name = _text(_map(skill).get("name"))
            if name:
                seen.setdefault(name.casefold(), name)
        return cls(
            key=_text(profile.get("key")),
            source_key=_text(profile.get("source_key")) or source_key,
            reference=_text(profile.get("reference")),
            name=profile_display_name(profile),
            title=profile_current_title(profile),
            email=_text(info.get("email")),
            location_text=_location_text(_map(info.get("location"))),
            summary=_text(info.get("summary")),
            skills=tuple(seen.values()),
            languages=_languages(profile.get("languages")),
            experiences=_experiences(profile.get("experiences")),
        )


def zip_scores(
    jobs: Sequence[Any], predictions: Sequence[Any]
) -> tuple[list[Mapping[str, Any]], list[float | None]]:
    """Pair `jobs[i]` with `predictions[i][1]` (docs/hrflow.md decisions 4 and 6).

    Lengths may disagree upstream: zip, so a job without a prediction is dropped rather than
    shown with a neighbour's score. With no predictions at all (`use_agent=0`, §5.1) the jobs
    are kept unscored. A malformed pair gives an unscored job; a non-object job is dropped.
    """
    if not predictions:
        pairs: Iterable[tuple[Any, Any]] = ((job, None) for job in jobs)
    else:
        pairs = zip(jobs, predictions, strict=False)
    out_jobs: list[Mapping[str, Any]] = []
    out_scores: list[float | None] = []
    for job, prediction in pairs:
        if not isinstance(job, Mapping):
            continue
        pair = prediction if isinstance(prediction, list | tuple) else ()
        score = _float(pair[1]) if len(pair) > 1 else None
        out_jobs.append(job)
        out_scores.append(min(1.0, max(0.0, score)) if score is not None else None)
    return out_jobs, out_scores
