"""Shortlist and hide per candidate: every write, and the reads other apps may call.

Other apps call these functions, never the models: `hidden_job_keys` is what saved-search
refreshes, alerts and the search page's exclusion use. A candidate is `(source_key,
profile_key)`; everything is scoped to the recruiter (`owner`), and an entry of someone else
is a 404 (`Http404`), exactly like a missing one. A shared shortlist is read through
`shortlist_share_for_reader` (owner or teammate); every write takes the requester as owner, so a
teammate can never reach someone else's entry.

"No longer listed": the shortlist page asks HrFlow, through the one client
(`scoring.selectors.job_listing_status`, GET job/indexing by board and key, cached for
HRFLOW_CACHE_TTL), whether each starred job is still listed. Archived (`archive` set) or gone
(the board answers "Unable to find object: job") marks the entry `unlisted_at`; the mark is
kept while HrFlow keeps saying so, and cleared if the job is listed again. If HrFlow cannot
answer, the marks stay as last known and the page says the check failed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.http import Http404, QueryDict
from django.utils import timezone

from accounts.teams import owner_team, shared_with_reader
from scoring import selectors
from scoring.export import cell
from scoring.forms import KEY_RE, JobSearchForm
from scoring.hrflow.errors import HrFlowError
from scoring.hrflow.query import JobQuery
from scoring.hrflow.results import ScoredJob
from shortlists.models import HiddenJob, ShortlistEntry, ShortlistShare, Stage

MOVES = ("top", "up", "down", "bottom")
LISTING_UNKNOWN = (
    "HrFlow could not be asked whether these jobs are still listed; the marks are as last known."
)


class JobNotInResults(Exception):
    """The job is not (or no longer) on the page of results it was starred or hidden from."""


@dataclass(frozen=True)
class FoundJob:
    query: JobQuery
    job: ScoredJob
    candidate_name: str


# --- reads other apps call --------------------------------------------------------------------


def hidden_job_keys(user: User, *, source_key: str, profile_key: str) -> frozenset[str]:
    """Job keys this recruiter hid for this candidate: never shown in their results (search
    page, saved-search refreshes, alerts, CSV export) unless they ask to see hidden jobs."""
    if not user.is_authenticated or not (source_key and profile_key):
        return frozenset()
    rows = HiddenJob.objects.filter(owner=user, source_key=source_key, profile_key=profile_key)
    return frozenset(rows.values_list("job_key", flat=True))


def hidden_count_for_search(user: User, *, query_string: str) -> int:
    """How many jobs this recruiter hid for the candidate of a card's search (its count note)."""
    try:
        source_key, profile_key = _candidate_of(query_string)
    except JobNotInResults:
        return 0
    return len(hidden_job_keys(user, source_key=source_key, profile_key=profile_key))


def shortlisted_job_keys(user: User, *, source_key: str, profile_key: str) -> frozenset[str]:
    if not user.is_authenticated or not (source_key and profile_key):
        return frozenset()
    rows = ShortlistEntry.objects.filter(owner=user, source_key=source_key, profile_key=profile_key)
    return frozenset(rows.values_list("job_key", flat=True))


def shortlist_size(user: User, *, source_key: str, profile_key: str) -> int:
    return ShortlistEntry.objects.filter(owner=user, source_key=source_key, profile_key=profile_key).count()


def shortlists_overview(user: User) -> list[dict[str, Any]]:
    """One row per candidate with a shortlist: name, keys, size; most recently starred first."""
    rows = (
        ShortlistEntry.objects.filter(owner=user)
        .values("source_key", "profile_key")
        .annotate(size=Count("id"), name=Max("candidate_name"), last=Max("starred_at"))
        .order_by("-last")
    )
    return [dict(row) for row in rows]


# --- star and hide from a search page ---------------------------------------------------------


def _job_in_search(user: User, *, query_string: str, job_key: str, show_hidden: bool) -> FoundJob:
    """The job as the recruiter's page showed it: the same (cached) page, the same exclusion."""
    _candidate_of(query_string)  # no candidate, no upstream call
    form = JobSearchForm(QueryDict(query_string), **selectors.search_form_choices())
    if not form.is_valid() or not form.cleaned_data.get("profile_key"):
        raise JobNotInResults("That search is not valid any more.")
    query = form.to_query()
    if not (query.source_key and query.profile_key):
        raise JobNotInResults("That search has no candidate.")
    excluded = (
        frozenset()
        if show_hidden
        else hidden_job_keys(user, source_key=query.source_key, profile_key=query.profile_key)
    )
    page = selectors.job_match_list_excluding(query=query, excluded=excluded)
    job = next((j for j in page.jobs if j.key == job_key), None)
    if job is None:
        raise JobNotInResults("This job is no longer in these results; reload the page.")
    candidate = selectors.profile_get(source_key=query.source_key, key=query.profile_key)
    return FoundJob(query, job, candidate.name)


def _web_link(url: str) -> str:
    return url if url.lower().startswith(("https://", "http://")) and len(url) <= 2000 else ""


def star(user: User, *, query_string: str, job_key: str, show_hidden: bool = False) -> ShortlistEntry:
    """Put the job on the candidate's shortlist (at the bottom), keeping what the card showed.
    Starring twice is one entry. Raises JobNotInResults, HrFlowError."""
    found = _job_in_search(user, query_string=query_string, job_key=job_key, show_hidden=show_hidden)
    query, job = found.query, found.job
    candidate = {"owner": user, "source_key": query.source_key, "profile_key": query.profile_key}
    existing = ShortlistEntry.objects.filter(**candidate, job_key=job.key).first()
    if existing is not None:
        return existing
    last = ShortlistEntry.objects.filter(**candidate).aggregate(m=Max("position"))["m"] or 0
    try:
        with transaction.atomic():
            return ShortlistEntry.objects.create(
                **candidate,
                candidate_name=found.candidate_name[:200],
                job_key=job.key,
                board_key=job.board_key,
                position=last + 1,
                title=job.name[:300],
                company=job.company[:300],
                location_text=job.location_text[:300],
                salary_display=job.salary_display[:120],
                score_pct=job.score_pct if job.has_score else None,
                posted_at=job.created_at,
                url=_web_link(job.url),
                search_query=query.with_page(1).to_query_string(),
            )
    except IntegrityError:  # a double click that lost the race: the other request starred it
        return ShortlistEntry.objects.get(**candidate, job_key=job.key)


def _candidate_of(query_string: str) -> tuple[str, str]:
    """The candidate a card's search is for (without asking HrFlow: removing needs no job)."""
    params = QueryDict(query_string)
    source_key, profile_key = params.get("source_key", ""), params.get("profile_key", "")
    if not (KEY_RE.match(source_key) and KEY_RE.match(profile_key)):
        raise JobNotInResults("That search has no candidate.")
    return source_key, profile_key


def unstar(user: User, *, query_string: str, job_key: str) -> ShortlistEntry:
    """Take the job off the candidate's shortlist; returns the entry as it was (or an unsaved
    one with the key only, when it was not on it). Raises JobNotInResults."""
    source_key, profile_key = _candidate_of(query_string)
    rows = ShortlistEntry.objects.filter(
        owner=user, source_key=source_key, profile_key=profile_key, job_key=job_key
    )
    entry = rows.first() or ShortlistEntry(source_key=source_key, profile_key=profile_key, job_key=job_key)
    rows.delete()
    return entry


def hide(user: User, *, query_string: str, job_key: str, show_hidden: bool = False) -> HiddenJob:
    """Hide the job for this candidate (from now on left out of their results). Idempotent.
    Raises JobNotInResults, HrFlowError."""
    found = _job_in_search(user, query_string=query_string, job_key=job_key, show_hidden=show_hidden)
    row, _ = HiddenJob.objects.get_or_create(
        owner=user,
        source_key=found.query.source_key,
        profile_key=found.query.profile_key,
        job_key=found.job.key,
        defaults={"title": found.job.name[:300]},
    )
    return row


def unhide(user: User, *, query_string: str, job_key: str) -> str:
    """Show the job again in this candidate's results; returns its title ("" if not hidden)."""
    source_key, profile_key = _candidate_of(query_string)
    rows = HiddenJob.objects.filter(
        owner=user, source_key=source_key, profile_key=profile_key, job_key=job_key
    )
    title = next(iter(rows.values_list("title", flat=True)), "")
    rows.delete()
    return title


# --- the shortlist page -----------------------------------------------------------------------


@dataclass(frozen=True)
class Shortlist:
    source_key: str
    profile_key: str
    candidate_name: str
    entries: list[ShortlistEntry]
    listing_error: str  # "": every listing was checked


def _entries(user: User, source_key: str, profile_key: str) -> list[ShortlistEntry]:
    rows = ShortlistEntry.objects.filter(owner=user, source_key=source_key, profile_key=profile_key)
    return list(rows.order_by("position", "id"))


def shortlist_for_candidate(user: User, *, source_key: str, profile_key: str) -> Shortlist:
    """The candidate's shortlist in its order, each entry's "no longer listed" mark checked
    with HrFlow (module docstring)."""
    entries = _entries(user, source_key, profile_key)
    error = _check_listings(entries)
    name = next((e.candidate_name for e in entries if e.candidate_name), "")
    return Shortlist(source_key, profile_key, name, entries, error)


def _check_listings(entries: Iterable[ShortlistEntry]) -> str:
    now = timezone.now()
    for entry in entries:
        try:
            status = selectors.job_listing_status(board_key=entry.board_key, key=entry.job_key)
        except HrFlowError:
            return LISTING_UNKNOWN
        listed = status == selectors.LISTED
        if listed == (entry.unlisted_at is None):
            continue
        entry.unlisted_at = None if listed else now
        entry.save(update_fields=["unlisted_at"])
    return ""


def entry_get(user: User, *, pk: int) -> ShortlistEntry:
    entry = ShortlistEntry.objects.filter(owner=user, pk=pk).first()
    if entry is None:
        raise Http404("No such shortlist entry.")
    return entry


def entry_update(user: User, *, pk: int, note: str, stage: str) -> ShortlistEntry:
    entry = entry_get(user, pk=pk)
    entry.note, entry.stage = note, Stage(stage)
    entry.save(update_fields=["note", "stage", "updated_at"])
    return entry


def entry_remove(user: User, *, pk: int) -> ShortlistEntry:
    entry = entry_get(user, pk=pk)
    entry.delete()
    return entry


def entry_move(user: User, *, pk: int, move: str) -> ShortlistEntry:
    """Move an entry one place up or down, or to the top or bottom; the candidate's entries are
    renumbered 1..n in one statement, so positions never collide."""
    if move not in MOVES:
        raise ValueError(f"move must be one of {', '.join(MOVES)}")
    with transaction.atomic():
        entry = entry_get(user, pk=pk)
        rows = list(
            ShortlistEntry.objects.select_for_update()
            .filter(owner=user, source_key=entry.source_key, profile_key=entry.profile_key)
            .order_by("position", "id")
        )
        index = next(i for i, row in enumerate(rows) if row.pk == entry.pk)
        moved = rows.pop(index)
        target = {"top": 0, "up": max(index - 1, 0), "down": index + 1, "bottom": len(rows)}[move]
        rows.insert(min(target, len(rows)), moved)
        for position, row in enumerate(rows, start=1):
            row.position = position
        ShortlistEntry.objects.bulk_update(rows, ["position"])
    return moved


# --- sharing with a team --------------------------------------------------------------------


class NotYourTeam(Exception):
    """A share with a team the owner is not in (a forged or stale form)."""


def shortlist_share_of(owner: User, *, source_key: str, profile_key: str) -> ShortlistShare | None:
    """How the owner shares this candidate's shortlist (None: not shared)."""
    rows = ShortlistShare.objects.filter(owner=owner, source_key=source_key, profile_key=profile_key)
    return rows.select_related("team").first()


def shortlist_shares_by_candidate(owner: User) -> dict[tuple[str, str], ShortlistShare]:
    """The owner's shares by candidate, for "Shared with <team>" on their overview."""
    shares = ShortlistShare.objects.filter(owner=owner).select_related("team")
    return {(share.source_key, share.profile_key): share for share in shares}


def shortlist_share_set(
    owner: User, *, source_key: str, profile_key: str, team_id: int | None
) -> ShortlistShare | None:
    """Share the owner's shortlist of this candidate with one of their teams, or stop sharing
    it (`team_id` None). Raises NotYourTeam."""
    try:
        team = owner_team(owner, team_id)
    except ValueError as exc:
        raise NotYourTeam(str(exc)) from exc
    if team is None:
        ShortlistShare.objects.filter(owner=owner, source_key=source_key, profile_key=profile_key).delete()
        return None
    share, _ = ShortlistShare.objects.update_or_create(
        owner=owner, source_key=source_key, profile_key=profile_key, defaults={"team": team}
    )
    return share


def _shared_with(reader: User) -> Any:
    return shared_with_reader(reader, owner_field="owner", team_field="team")


def shortlist_share_for_reader(reader: User, *, pk: int) -> ShortlistShare:
    """A shortlist share the reader may read: theirs, or a teammate's shared with a team of
    theirs; Http404 otherwise (the same answer as a missing id). For reads and "Save a copy"."""
    rows = ShortlistShare.objects.filter(Q(owner=reader) | _shared_with(reader), pk=pk)
    share = rows.select_related("owner", "team").first()
    if share is None:
        raise Http404("No such shortlist.")
    return share


def shared_shortlists(reader: User) -> list[dict[str, Any]]:
    """The shortlists teammates share with the reader, most recently shared first: share,
    candidate name and size each (two queries, however many shares)."""
    shares = ShortlistShare.objects.filter(_shared_with(reader)).select_related("owner", "team")
    shares_by_candidate = {
        (s.owner_id, s.source_key, s.profile_key): s for s in shares.order_by("-shared_at")
    }
    sizes = (
        ShortlistEntry.objects.filter(owner_id__in={owner for owner, _, _ in shares_by_candidate})
        .values_list("owner_id", "source_key", "profile_key")
        .annotate(size=Count("id"), name=Max("candidate_name"))
    )
    found = {(owner, source, profile): (size, name) for owner, source, profile, size, name in sizes}
    return [
        {"share": share, "size": found.get(key, (0, ""))[0], "name": found.get(key, (0, ""))[1]}
        for key, share in shares_by_candidate.items()
    ]


def shortlist_copy(reader: User, *, share: ShortlistShare) -> int:
    """Copy a shared shortlist into the reader's own for the same candidate: each job not on
    theirs yet is added at the bottom, in the owner's order, with its note, stage and the card
    as starred. Returns how many were added (the jobs already on theirs are kept as they are)."""
    source = _entries(share.owner, share.source_key, share.profile_key)
    candidate = {"owner": reader, "source_key": share.source_key, "profile_key": share.profile_key}
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=reader.pk).first()  # two copies at once: one by one
        mine = ShortlistEntry.objects.filter(**candidate)
        have = set(mine.values_list("job_key", flat=True))
        last = mine.aggregate(m=Max("position"))["m"] or 0
        copied = [e for e in source if e.job_key not in have]
        ShortlistEntry.objects.bulk_create(
            ShortlistEntry(
                **candidate,
                position=last + n,
                **{field: getattr(entry, field) for field in _COPIED_FIELDS},
            )
            for n, entry in enumerate(copied, start=1)
        )
    return len(copied)


_COPIED_FIELDS = (
    "candidate_name", "job_key", "board_key", "note", "stage", "title", "company", "location_text",
    "salary_display", "score_pct", "posted_at", "url", "search_query", "unlisted_at",
)  # fmt: skip


# --- CSV -------------------------------------------------------------------------------------

CSV_COLUMNS = [
    "position", "stage", "title", "company", "location", "score_pct_when_starred", "salary",
    "posted_at", "listed", "note", "url", "job_key", "board_key", "starred_at",
]  # fmt: skip


def shortlist_csv_rows(shortlist: Shortlist) -> Iterator[list[str]]:
    """The shortlist as CSV rows, header first; every cell formula-safe (scoring.export.cell)."""
    yield CSV_COLUMNS
    for entry in shortlist.entries:
        yield [
            cell(v)
            for v in (
                entry.position,
                entry.get_stage_display(),
                entry.title,
                entry.company,
                entry.location_text,
                "" if entry.score_pct is None else entry.score_pct,
                entry.salary_display,
                entry.posted_at.isoformat() if entry.posted_at else "",
                "yes" if entry.unlisted_at is None else "no longer listed",
                entry.note,
                entry.url,
                entry.job_key,
                entry.board_key,
                entry.starred_at.isoformat(),
            )
        ]
