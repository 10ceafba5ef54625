"""`{% job_card job %}`: one job card, rendered in Python from pre-computed display values.

A results page is 30 cards of ~20 skills and ~10 tags each. As a template with loops that is
~600 variable nodes and ~1,800 escapes per response, about 6.5 ms of a 10 ms budget
(docs/benchmarks.md, "Search page"). The card is therefore one string template, compiled once
at module level (as healthchecks does for its row snippets), filled with `html.escape`d
values: every upstream string goes through `_e`, so upstream text is always inert.

Markup contract (tests and search.js rely on it): `li.job-card[data-job-key][data-score]`,
`.score-pct`, `.location` ("N km away"), `time[datetime]`, `p.teaser` (summary or first section),
`ul.skills > li.matched` (matched first, at most CARD_SKILLS_MAX chips, then `li.more` "+N more";
Details lists them all), `abbr.est[title]` after an estimated salary or date (the title names the
source), no `.score` at all when the job is unscored (scoring off),
`ul.tags` (`<span class="tag-name">remote:</span> yes`),
`details.job-details > .details-body > a[href]` (the details URL; search.js loads it on open),
`.badge-new` ("New", on a page opened from a saved search, for keys in `new_keys`),
`p.match-summary` (the "What matches" line, issue 13, for keys in `summaries`),
`div.card-actions` (extensions' per-card HTML, `Decoration.card_html`, e.g. the shortlist star).
"""

from __future__ import annotations

from html import escape

from django import template
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from scoring.hrflow.names import plain_name
from scoring.hrflow.results import ScoredJob
from scoring.hrflow.results import score_legend as score_legend_rows
from scoring.matching import LABEL as MATCH_LABEL

register = template.Library()


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _text_html(value: str) -> str:
    """Escaped upstream text with its line breaks kept (Django's linebreaksbr, after escaping)."""
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br>".join(_e(line) for line in lines)


_CARD = (
    '<li class="job-card" data-job-key="{key}" data-score="{score}">\n'
    '<article aria-labelledby="job-{key}"{unscored}>\n'
    "{score_html}"
    '<div class="job-main">\n{new}<h3 id="job-{key}" class="job-title"{timing}>{name}</h3>\n'
    '<p class="job-meta">{meta}</p>\n{summary}{teaser}{skills}{tags}\n{actions}'
    '<details class="job-details"><summary>Details<span class="visually-hidden"> of {name}</span></summary>'
    '<div class="details-body"><a href="{details_url}">The full job text</a></div>'
    "</details>\n</div>\n</article>\n</li>\n"
)
_SCORE = (
    '<div class="score score-{band_slug}"><span class="score-pct">{pct}%</span>'
    '<span class="score-bar" aria-hidden="true"><span style="width:{pct}%"></span></span>'
    '<span class="score-band">{band} match</span></div>\n'
)
_MORE = '<li class="more">+{} more<span class="visually-hidden"> skills, listed in Details</span></li>'
_EST = '<abbr class="est" title="{}">est.</abbr>'

# Text, not colour alone; the hidden part says what "new" means.
_NEW = '<span class="badge badge-new">New<span class="visually-hidden"> since your last visit</span></span>\n'
# Issue 13: the "What matches" line (scoring/matching.py), labelled as the dashboard's own.
_SUMMARY = (
    '<p class="match-summary" title="{label}"><span class="visually-hidden">What matches, computed by the'
    " dashboard: </span>{text}</p>\n"
)
_MATCHED = (
    '<li class="matched" title="The candidate has this skill">{}'
    '<span class="visually-hidden"> (candidate has it)</span></li>'
)


def _meta(job: ScoredJob) -> str:
    parts = []
    if job.company:
        parts.append(f'<span class="company">{_e(job.company)}</span>')
    if job.location_text:
        away = f" · {_e(job.distance_display)} away" if job.distance_display else ""
        parts.append(f'<span class="location">{_e(job.location_text)}{away}</span>')
    if job.created_display:
        est = " " + _EST.format(_e(job.date_estimate_note)) if job.date_estimate_note else ""
        parts.append(
            f'<span class="created">Posted <time datetime="{_e(job.created_iso)}" '
            f'title="{_e(job.created_title)}">{_e(job.created_display)}</time>{est}</span>'
        )
    if job.salary_display:
        est = " " + _EST.format(_e(job.salary_estimate_note)) if job.salary_estimate_note else ""
        parts.append(f'<span class="salary">{_e(job.salary_display)}{est}</span>')
    return "".join(parts)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _text_blocks(job: ScoredJob) -> list[tuple[str, str]]:
    """Details' (heading, text) blocks: the summary, the sections in order, then the other fields,
    each only when it has text and says something no other block says. Jobs often repeat their
    fields in a section (the demo's "Description" is summary + responsibilities + requirements;
    real boards copy the summary into the first section): a section made only of the fields'
    texts is left out, the fields keeping their headings, and so is a field a section holds."""
    fields = [
        (title, text)
        for title, text in (
            ("Summary", job.summary),
            ("Responsibilities", job.responsibilities),
            ("Requirements", job.requirements),
            ("Culture", job.culture),
            ("Benefits", job.benefits),
            ("Interviews", job.interviews),
        )
        if text
    ]
    field_texts = [_flat(text) for _, text in fields]

    def says_more(text: str) -> bool:
        rest = _flat(text)
        for field_text in field_texts:
            rest = rest.replace(field_text, "")
        return bool(rest.strip())

    sections = [(s.title, s.description) for s in job.sections if s.description and says_more(s.description)]
    section_texts = [_flat(text) for _, text in sections]
    fields = [(title, text) for title, text in fields if not any(_flat(text) in s for s in section_texts)]
    summary = [block for block in fields if block[0] == "Summary"]
    return summary + sections + [block for block in fields if block[0] != "Summary"]


def render_details(job: ScoredJob) -> str:
    """The expanded part of a card (loaded on demand: it is half the bytes of a results page).

    Every text block HrFlow may carry, in a fixed order, each only when it has text: real jobs
    often have `summary: null` and their text in `sections` (title + description, in order).
    """
    parts = []
    for title, text in _text_blocks(job):
        heading = f"<h4>{_e(title)}</h4>" if title else ""
        parts.append(f'<section class="job-text">{heading}<p class="text">{_text_html(text)}</p></section>\n')
    facts = []
    if job.skills:
        names = ", ".join(s.name + (" (candidate has it)" if s.matched else "") for s in job.skills)
        facts.append(f"<dt>Skills</dt><dd>{_e(names)}</dd>")
    if job.salary_estimate_note:
        facts.append(f"<dt>Salary</dt><dd>{_e(job.salary_display)}: {_e(job.salary_estimate_note)}</dd>")
    if job.date_estimate_note:
        facts.append(f"<dt>Posted</dt><dd>{_e(job.created_title)}: {_e(job.date_estimate_note)}</dd>")
    if job.languages:
        facts.append(f"<dt>Languages</dt><dd>{_e(', '.join(job.languages))}</dd>")
    for dates in job.date_ranges:
        facts.append(f"<dt>{_e(plain_name(dates.name))}</dt><dd>{_e(dates.text)}</dd>")
    if facts:
        parts.append(f'<dl class="job-facts">{"".join(facts)}</dl>\n')
    # Only web links: a javascript: or data: URL from upstream must never become a link.
    if job.url.lower().startswith(("https://", "http://")):
        parts.append(
            f'<p><a href="{_e(job.url)}" rel="noopener noreferrer nofollow" target="_blank">Source posting'
            f'<span class="visually-hidden"> for {_e(job.name)} (opens in a new tab)</span></a></p>\n'
        )
    return "".join(parts)


def render_card(
    job: ScoredJob,
    details_base: str,
    *,
    first: bool = False,
    hidden_tags: frozenset[str] = frozenset(),
    new: bool = False,
    summary: str = "",
    actions: str = "",
) -> str:
    skills = "".join(
        _MATCHED.format(_e(s.name)) if s.matched else f"<li>{_e(s.name)}</li>" for s in job.skills_shown
    )
    if job.skills_more:
        skills += _MORE.format(job.skills_more)
    tags = "".join(
        f'<li><span class="tag-name">{_e(t.name)}:</span> {_e(t.value_display)}</li>'
        for t in job.tags
        if t.name not in hidden_tags
    )
    return _CARD.format(
        key=_e(job.key),
        score=repr(job.score) if job.has_score else "",
        unscored="" if job.has_score else ' class="unscored"',
        score_html=_SCORE.format(pct=job.score_pct, band=job.score_band, band_slug=job.score_band_slug)
        if job.has_score
        else "",
        name=_e(job.name),
        new=_NEW if new else "",
        meta=_meta(job),
        summary=_SUMMARY.format(label=_e(MATCH_LABEL), text=_e(summary)) if summary else "",
        # Extensions' HTML, escaped by them (scoring/extensions.py, Decoration.card_html).
        actions=f'<div class="card-actions">{actions}</div>\n' if actions else "",
        teaser=f'<p class="teaser">{_e(job.teaser)}</p>\n' if job.teaser else "",
        skills=f'<ul class="skills" aria-label="Skills">{skills}</ul>' if skills else "",
        tags=f'<ul class="tags" aria-label="Tags">{tags}</ul>' if tags else "",
        details_url=_e(details_base + job.key),
        # Element Timing on the first title: benchmarks/first_cards_paint.py reads it.
        timing=' elementtiming="first-card"' if first else "",
    )


@register.simple_tag
def job_cards(
    jobs: tuple[ScoredJob, ...],
    details_base: str,
    new_keys: frozenset[str] | None = None,
    summaries: dict[str, str] | None = None,
    card_html: dict[str, str] | None = None,
) -> SafeString:
    """All cards of a page, in order. `details_base + job.key` is the URL of a card's details;
    cards whose key is in `new_keys` (a frozenset: one O(1) lookup per card) get a "New" badge."""
    new_keys = new_keys or frozenset()
    summaries = summaries or {}  # issue 13: job key -> "What matches" line
    card_html = card_html or {}  # extensions' per-card HTML (the shortlist star, "Hide")
    # Bookkeeping tags (ids, provenance) mean nothing to a recruiter; which ones is a setting
    # because every HrFlow account tags its jobs its own way.
    hidden = frozenset(settings.HRFLOW_CARD_HIDDEN_TAGS)
    cards = (
        render_card(
            job,
            details_base,
            first=i == 0,
            hidden_tags=hidden,
            new=job.key in new_keys,
            summary=summaries.get(job.key, ""),
            actions=card_html.get(job.key, ""),
        )
        for i, job in enumerate(jobs)
    )
    return mark_safe("".join(cards))  # noqa: S308 - every value escaped by _e


@register.simple_tag
def job_details(job: ScoredJob) -> SafeString:
    return mark_safe(render_details(job))  # noqa: S308 - every value escaped by _e


@register.simple_tag
def score_legend(use_agent: bool) -> SafeString:
    """Under the cards: what each band means (bands come from the displayed percentage), or, with
    scoring off, why no card shows a score."""
    if not use_agent:
        return mark_safe(
            '<p class="score-legend" id="score-legend">Scoring is off: the jobs are filtered, not '
            "ranked, so no card shows a match score.</p>"
        )
    bands = " · ".join(
        f'<span class="score-{label.lower()}"><span class="score-band">{label}</span> {span}</span>'
        for label, span in score_legend_rows()
    )
    return mark_safe(  # noqa: S308 - constant text
        f'<p class="score-legend" id="score-legend">Match bands, from the percentage shown: {bands}</p>'
    )
