"""Absolute links of an alert e-mail: the saved search (with its New badges) and unsubscribe.

Unsubscribe tokens are django.core.signing values of [user id, search id or null] under their
own salt: they work without login, never expire (an old e-mail's link keeps working) and
authorise exactly one thing, switching those alerts off.
"""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from alerts import conf

UNSUBSCRIBE_SALT = "alerts.unsubscribe"


def absolute(path: str) -> str:
    return str(conf.get("ALERTS_SITE_URL")).rstrip("/") + path


def unsubscribe_token(*, user_id: int, search_id: int | None) -> str:
    return signing.dumps([user_id, search_id], salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, int | None]:
    """Raises signing.BadSignature for anything we did not sign (or a shape we never sign)."""
    value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int)):
        raise signing.BadSignature("unexpected unsubscribe token shape")
    user_id, search_id = value
    if search_id is not None and not isinstance(search_id, int):
        raise signing.BadSignature("unexpected unsubscribe token shape")
    return user_id, search_id


def unsubscribe_url(*, user_id: int, search_id: int | None) -> str:
    token = unsubscribe_token(user_id=user_id, search_id=search_id)
    return absolute(reverse("alerts:unsubscribe", args=[token]))


def saved_search_url(search_id: int) -> str:
    return absolute(reverse("saved_searches:open", args=[search_id]))
