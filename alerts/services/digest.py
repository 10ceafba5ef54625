"""Daily and weekly digests: one e-mail per user per period at their digest hour, in their time
zone, with the pending jobs of all their daily (weekly) searches found up to that moment.

The period is named by its start ("the most recent digest moment"): daily, today at the digest
hour if that has passed, else yesterday's; weekly, the most recent Monday at that hour. The
e-mail's dedupe key is the user and that moment, so a digest is composed once however often
the tick runs. Jobs found after the moment wait for the next one.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone

from alerts.models import AnnouncedJob, EmailKind, LedgerState
from alerts.services.compose import compose
from preferences.models import UserPreferences
from saved_searches.models import AlertMode

DIGEST_KINDS: dict[str, str] = {AlertMode.DAILY: EmailKind.DAILY, AlertMode.WEEKLY: EmailKind.WEEKLY}


def _zone(name: str) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def digest_moment(*, kind: str, now: dt.datetime, time_zone: str, hour: int) -> dt.datetime:
    """The latest digest moment at or before `now` (aware, in the user's zone)."""
    local = now.astimezone(_zone(time_zone))
    today = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    moment = today if today <= local else today - dt.timedelta(days=1)
    if kind == EmailKind.WEEKLY:
        moment -= dt.timedelta(days=moment.weekday())  # back to Monday, same hour
    return moment


def digest_key(*, kind: str, user_id: int, moment: dt.datetime) -> str:
    return f"{kind}:{user_id}:{moment.date().isoformat()}"


def compose_due_digests(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    waiting = (
        AnnouncedJob.objects.filter(state=LedgerState.PENDING, search__alert_mode__in=list(DIGEST_KINDS))
        .values_list("search__owner_id", "search__alert_mode")
        .distinct()
    )
    prefs = {p.user_id: p for p in UserPreferences.objects.filter(user_id__in={u for u, _ in waiting})}
    composed = 0
    for user_id, mode in set(waiting):
        kind = DIGEST_KINDS[mode]
        pref = prefs.get(user_id) or UserPreferences(user_id=user_id)
        moment = digest_moment(kind=kind, now=now, time_zone=pref.time_zone, hour=pref.digest_hour)
        entries = list(
            AnnouncedJob.objects.filter(
                state=LedgerState.PENDING,
                search__owner_id=user_id,
                search__alert_mode=mode,
                found_at__lte=moment,
            ).select_related("search", "search__owner")
        )
        key = digest_key(kind=kind, user_id=user_id, moment=moment)
        composed += compose(kind=kind, dedupe_key=key, entries=entries) is not None
    return composed
