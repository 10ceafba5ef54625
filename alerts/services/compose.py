"""Composing an alert e-mail, once: the PENDING ledger rows of one refresh run ("after each
refresh") or of one user's digest period become one OutboxEmail row, in one transaction that
also marks them ANNOUNCED. Its content and Message-ID are fixed here; sending only reads them.

Composition calls out once (the candidate's profile, for the matched skills: cached, and the
e-mail still goes without them if HrFlow cannot answer), outside any transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import parseaddr

import css_inline
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from alerts import conf
from alerts.models import AnnouncedJob, EmailKind, EmailStatus, LedgerState, OutboxEmail, SkipReason
from alerts.services.ledger import alerts_wanted
from alerts.services.links import saved_search_url, unsubscribe_url
from alerts.services.send import ENQUEUE_TTL
from saved_searches.models import SavedSearch
from saved_searches.services.upstream import query_from_string
from scoring import selectors
from scoring.hrflow.calls import background_calls
from scoring.hrflow.errors import HrFlowError

logger = logging.getLogger(__name__)
INLINER = css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=False)


class LostRace(Exception):
    """Another composer took some of these ledger rows first: this composition is dropped."""


@dataclass(frozen=True)
class JobLine:
    key: str
    title: str
    company: str
    location: str
    score_pct: int | None
    matched_skills: tuple[str, ...]
    url: str
    score: float | None


@dataclass(frozen=True)
class SearchSection:
    search: SavedSearch
    jobs: tuple[JobLine, ...]
    more: int  # jobs left out past ALERTS_JOBS_PER_EMAIL
    open_url: str
    unsubscribe_url: str


def _candidate_skills(search: SavedSearch) -> frozenset[str]:
    """The candidate's skills, case-folded, for "matched skills" (a cached profile read)."""
    try:
        query = query_from_string(search.query_string)
        with background_calls():
            candidate = selectors.profile_get(source_key=query.source_key, key=query.profile_key)
    except (ValueError, HrFlowError) as exc:
        logger.warning("alert for search %s composed without matched skills: %s", search.pk, exc)
        return frozenset()
    return frozenset(skill.casefold() for skill in getattr(candidate, "skills", ()) or ())


def _job_line(entry: AnnouncedJob, skills: frozenset[str]) -> JobLine:
    card = entry.card or {}
    job_skills = [str(name) for name in card.get("skills") or []]
    pct = card.get("score_pct")
    return JobLine(
        key=entry.job_key,
        title=str(card.get("title") or "Untitled job"),
        company=str(card.get("company") or ""),
        location=str(card.get("location") or ""),
        score_pct=int(pct) if isinstance(pct, int | float) else None,
        matched_skills=tuple(name for name in job_skills if name.casefold() in skills),
        url=str(card.get("url") or ""),
        score=entry.score,
    )


def _best_first(entries: Sequence[AnnouncedJob]) -> list[AnnouncedJob]:
    # Best match first; jobs without a score (scoring off) after, in their rank order.
    return sorted(entries, key=lambda e: (e.score is None, -(e.score or 0.0), e.rank or 0, e.job_key))


def _sections(entries: Sequence[AnnouncedJob]) -> list[SearchSection]:
    by_search: dict[int, list[AnnouncedJob]] = defaultdict(list)
    for entry in entries:
        by_search[entry.search_id].append(entry)
    cap = int(conf.get("ALERTS_JOBS_PER_EMAIL"))
    sections = []
    for rows in by_search.values():
        search = rows[0].search
        skills = _candidate_skills(search)
        ordered = _best_first(rows)
        sections.append(
            SearchSection(
                search=search,
                jobs=tuple(_job_line(entry, skills) for entry in ordered[:cap]),
                more=max(0, len(ordered) - cap),
                open_url=saved_search_url(search.pk),
                unsubscribe_url=unsubscribe_url(user_id=search.owner_id, search_id=search.pk),
            )
        )
    sections.sort(key=lambda s: (s.search.name.casefold(), s.search.pk))
    return sections


def message_id_for(dedupe_key: str) -> str:
    """Deterministic: the same batch always has the same Message-ID (a resend after a crash is
    recognisably the same message)."""
    domain = parseaddr(str(conf.get("ALERTS_FROM_EMAIL")))[1].rpartition("@")[2] or "hrflow-dash.local"
    return f"<hrflow-dash.{dedupe_key.replace(':', '.')}@{domain}>"


def _subject(kind: str, sections: Sequence[SearchSection]) -> str:
    count = sum(len(s.jobs) + s.more for s in sections)
    jobs = f"{count} new job{'s' if count != 1 else ''}"
    if kind == EmailKind.EACH_REFRESH:
        return f"{jobs} for “{sections[0].search.name}”"[:200]
    period = "Daily" if kind == EmailKind.DAILY else "Weekly"
    return f"{period} digest: {jobs} in {len(sections)} saved search{'es' if len(sections) != 1 else ''}"


def _render(kind: str, sections: Sequence[SearchSection], user_id: int) -> tuple[str, str, str]:
    context = {
        "kind": kind,
        "sections": sections,
        "unsubscribe_all_url": unsubscribe_url(user_id=user_id, search_id=None),
        "subject": _subject(kind, sections),
    }
    html = INLINER.inline(render_to_string("alerts/email.html", context))
    text = render_to_string("alerts/email.txt", context)
    return context["subject"], text, html  # type: ignore[return-value]


def _headers(sections: Sequence[SearchSection], user_id: int) -> dict[str, str]:
    # RFC 8058 one-click: one search's e-mail unsubscribes from that search, a digest from all.
    url = (
        sections[0].unsubscribe_url
        if len(sections) == 1
        else unsubscribe_url(user_id=user_id, search_id=None)
    )
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def compose(*, kind: str, dedupe_key: str, entries: Sequence[AnnouncedJob]) -> OutboxEmail | None:
    """One e-mail for `entries` (PENDING ledger rows of one user), or None when there is nothing
    to send or another composer got there first."""
    existing = OutboxEmail.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None or not entries:
        return existing
    owner = entries[0].search.owner
    wanted = {
        search_id: alerts_wanted(e.search) for search_id, e in {e.search_id: e for e in entries}.items()
    }
    live = [e for e in entries if wanted[e.search_id]]
    _skip_unwanted([e for e in entries if not wanted[e.search_id]])
    if not live:
        return None
    sections = _sections(live)
    subject, text, html = _render(kind, sections, owner.pk)
    try:
        with transaction.atomic():
            email = OutboxEmail.objects.create(
                user=owner, kind=kind, dedupe_key=dedupe_key, message_id=message_id_for(dedupe_key),
                to_address=owner.email, subject=subject, text_body=text, html_body=html,
                headers=_headers(sections, owner.pk), job_count=len(live),
                status=EmailStatus.PENDING, next_attempt_at=timezone.now(),
                enqueued_until=timezone.now() + ENQUEUE_TTL,  # queued just below, on commit
            )  # fmt: skip
            taken = AnnouncedJob.objects.filter(
                pk__in=[e.pk for e in live], state=LedgerState.PENDING
            ).update(state=LedgerState.ANNOUNCED, email=email)
            if taken != len(live):
                raise LostRace(dedupe_key)
    except (IntegrityError, LostRace):
        logger.info("alert %s composed elsewhere", dedupe_key)
        return OutboxEmail.objects.filter(dedupe_key=dedupe_key).first()
    from alerts.tasks import send_email  # tasks import services

    transaction.on_commit(lambda: send_email.delay(email.pk))
    return email


def _skip_unwanted(entries: Sequence[AnnouncedJob]) -> None:
    """Alerts switched off (or unsubscribed) after the jobs were found: never announced."""
    if entries:
        AnnouncedJob.objects.filter(pk__in=[e.pk for e in entries], state=LedgerState.PENDING).update(
            state=LedgerState.SKIPPED, skip_reason=SkipReason.UNSUBSCRIBED
        )


def _pending() -> QuerySet[AnnouncedJob]:
    return AnnouncedJob.objects.filter(state=LedgerState.PENDING).select_related("search", "search__owner")


def compose_run_email(*, run_id: int) -> OutboxEmail | None:
    """ "After each refresh": the run's pending jobs, one e-mail."""
    from saved_searches.models import AlertMode

    entries = list(_pending().filter(found_run_id=run_id, search__alert_mode=AlertMode.EACH_REFRESH))
    return compose(kind=EmailKind.EACH_REFRESH, dedupe_key=f"each:{run_id}", entries=entries)


def compose_waiting_run_emails(*, older_than: dt.timedelta) -> int:
    """The tick's catch-up for runs whose compose message was lost (a worker died)."""
    from saved_searches.models import AlertMode

    cutoff = timezone.now() - older_than
    run_ids = (
        _pending()
        .filter(search__alert_mode=AlertMode.EACH_REFRESH, found_at__lte=cutoff, found_run__isnull=False)
        .values_list("found_run_id", flat=True)
        .distinct()
    )
    return sum(compose_run_email(run_id=run_id) is not None for run_id in list(run_ids))
