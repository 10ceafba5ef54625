"""The lockout page of login throttling (django-axes calls `locked_out`, settings.AXES_*).

A locked-out login answers 429 with the login page itself and a plain message saying how long
to wait, for the dashboard's and the admin's login alike.
"""

from __future__ import annotations

import math
from typing import Any

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

LOCKED_OUT_MESSAGE = (
    "Too many failed logins for this username from your address: logins are paused. "
    "Please try again in {wait}."
)
LOCKED_OUT_STATUS = 429


def _wait_text(minutes: int) -> str:
    return "1 minute" if minutes <= 1 else f"{minutes} minutes"


def lockout_wait_minutes(request: HttpRequest, username: str) -> int:
    """Whole minutes (rounded up) until the lockout of `username` from this address ends."""
    cool_off = get_cool_off(request)
    if cool_off is None:
        return 0
    last = AccessAttempt.objects.filter(
        username=username, ip_address=getattr(request, "axes_ip_address", None)
    ).aggregate(last=Max("attempt_time"))["last"]
    ends = (last or timezone.now()) + cool_off
    return max(1, math.ceil((ends - timezone.now()).total_seconds() / 60))


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    username = get_client_username(request, credentials) or ""
    minutes = lockout_wait_minutes(request, username)
    form = AuthenticationForm(request, initial={"username": username})
    context = {
        "form": form,
        "next": _safe_next(request),
        "locked_out_message": LOCKED_OUT_MESSAGE.format(wait=_wait_text(minutes)),
    }
    return render(request, "registration/login.html", context, status=LOCKED_OUT_STATUS)
