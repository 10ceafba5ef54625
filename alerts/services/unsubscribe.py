"""One-click unsubscribe (signed links, no login): one search's alerts, or all of a user's."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from alerts.models import AnnouncedJob, EmailStatus, LedgerState, OutboxEmail, SkipReason
from alerts.services.links import read_unsubscribe_token
from preferences.models import UserPreferences
from saved_searches.models import AlertMode, SavedSearch

BAD_LINK_MESSAGE = (
    "This unsubscribe link is not valid (it may have been cut short). Use the link from the e-mail."
)


@dataclass(frozen=True)
class Target:
    user: User
    search: SavedSearch | None  # None: every alert of the user


def unsubscribe_target(token: str) -> Target | None:
    """What the link switches off, or None when it is not one of ours (or names nothing left)."""
    from django.core.signing import BadSignature

    try:
        user_id, search_id = read_unsubscribe_token(token)
    except BadSignature:
        return None
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return None
    if search_id is None:
        return Target(user=user, search=None)
    search = SavedSearch.objects.filter(pk=search_id, owner=user).first()
    return Target(user=user, search=search) if search is not None else None


def unsubscribe(target: Target) -> None:
    """Idempotent. Jobs waiting for an e-mail are dropped too; an e-mail already composed for a
    search (or, for "all", any not yet sent) is not sent."""
    with transaction.atomic():
        pending = AnnouncedJob.objects.filter(state=LedgerState.PENDING, search__owner=target.user)
        unsent = OutboxEmail.objects.filter(user=target.user, status=EmailStatus.PENDING)
        if target.search is None:
            UserPreferences.objects.update_or_create(user=target.user, defaults={"alerts_enabled": False})
        else:
            SavedSearch.objects.filter(pk=target.search.pk).update(alert_mode=AlertMode.OFF)
            pending = pending.filter(search=target.search)
            unsent = unsent.filter(jobs__search=target.search).exclude(
                jobs__search__in=_other_searches(target)
            )
        pending.update(state=LedgerState.SKIPPED, skip_reason=SkipReason.UNSUBSCRIBED)
        unsent.update(status=EmailStatus.FAILED, last_error="unsubscribed before sending")


def _other_searches(target: Target) -> list[int]:
    assert target.search is not None
    return list(
        SavedSearch.objects.filter(owner=target.user)
        .exclude(pk=target.search.pk)
        .values_list("pk", flat=True)
    )
