"""The search page's "New" badges for the rest of a browser session.

Opening a saved search moves the viewer's `SearchVisit.last_viewed_at` (so their "N new" count
clears), and the badges compare against their visit before. Opening it a second time the same
day (from the list, the first screen, or after Back) would move that reference again and every
badge would vanish.
So the first opening in a login session remembers its reference point in the session, and the
search page uses it while it lasts: SAVED_SEARCH_BADGE_SESSION_HOURS, or until logout (the
session is flushed). A page reached by URL without an opening in this session falls back to
the viewer's own `previous_viewed_at`. The session is the user's, so a teammate's badges are
theirs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone

from saved_searches import conf
from saved_searches.models import SavedSearch, SearchVisit
from saved_searches.selectors import new_job_keys

SESSION_KEY = "saved_search_badges"  # {pk: [since iso or "", opened_at iso]}


def _entries(session: SessionBase) -> dict[str, Any]:
    value = session.get(SESSION_KEY)
    return value if isinstance(value, dict) else {}


def _live(entry: Any, now: dt.datetime) -> bool:
    if not (isinstance(entry, list) and len(entry) == 2):
        return False
    try:
        opened = dt.datetime.fromisoformat(entry[1])
    except (TypeError, ValueError):
        return False
    return now - opened < dt.timedelta(hours=float(conf.get("SAVED_SEARCH_BADGE_SESSION_HOURS")))


def badges_remember_opening(session: SessionBase, search: SavedSearch, *, viewer: User) -> None:
    """Call after `saved_search_mark_viewed`: keep the first opening's reference this session."""
    now = timezone.now()
    entries = {k: v for k, v in _entries(session).items() if _live(v, now)}
    key = str(search.pk)
    if key not in entries:
        visit = SearchVisit.objects.filter(user=viewer, search=search).first()
        since = visit.previous_viewed_at if visit is not None else None
        entries[key] = [since.isoformat() if since else "", now.isoformat()]
    session[SESSION_KEY] = entries


def new_job_keys_for_session(session: SessionBase, search: SavedSearch, *, viewer: User) -> frozenset[str]:
    entry = _entries(session).get(str(search.pk))
    if entry is None or not _live(entry, timezone.now()):
        return new_job_keys(search, viewer=viewer)
    since = dt.datetime.fromisoformat(entry[0]) if entry[0] else None
    return new_job_keys(search, viewer=viewer, since=since)
