"""Middleware of the login flow.

`HtmxLoginRedirectMiddleware`: an HTMX request that needs a login (the session expired under an
open page) gets `HX-Redirect` to the login page instead of Django's 302, which htmx would follow
inside the XHR and swap into the target: the login page inside the results. `next` is the page
the browser shows (`HX-Current-URL`, same origin only), so logging in lands back on it rather
than on a partial's URL.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def shown_page(request: HttpRequest) -> str:
    """Path and query of the page the browser shows, or the search page when unknown/foreign."""
    current = urlsplit(request.headers.get("HX-Current-URL", ""))
    same_origin = current.scheme in ("http", "https") and current.netloc == request.get_host()
    page = current.path + (f"?{current.query}" if current.query else "")
    # Django's own check as well: a same-origin URL may still have a path like //evil or /\evil.
    safe = url_has_allowed_host_and_scheme(page, allowed_hosts={request.get_host()})
    return page if same_origin and page.startswith("/") and safe else reverse("search")


class HtmxLoginRedirectMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not _is_htmx(request) or response.status_code not in REDIRECT_STATUSES:
            return response
        login_url = resolve_url(settings.LOGIN_URL)
        if urlsplit(response.get("Location", "")).path != login_url:
            return response
        redirect = HttpResponse(status=200)
        redirect["HX-Redirect"] = f"{login_url}?{urlencode({REDIRECT_FIELD_NAME: shown_page(request)})}"
        return redirect


class PrivateNoStoreMiddleware:
    """`Cache-Control: private, no-store` on every response to a logged-in user.

    Pages, partials and the CSV hold a recruiter's candidates and searches: no browser cache
    (Back after logout) or shared proxy may keep them. A view that set its own Cache-Control
    keeps it (the login page's never_cache already says no-store). Static files never get here:
    WhiteNoise answers them earlier in the chain with its long-lived caching.
    """

    VALUE = "private, no-store"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = self.VALUE
        return response
