"""Unsubscribe (no login, signed link) and the demo Outbox (login, demo mode only)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from alerts import selectors
from alerts.services.unsubscribe import BAD_LINK_MESSAGE, unsubscribe, unsubscribe_target

# The stored HTML part, shown in a sandboxed iframe: no script, no remote anything, inline CSS
# only (alert e-mails carry their CSS inline), framed only by the Outbox page.
MESSAGE_HTML_CSP = {
    "default-src": ["'none'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["data:"],
    "base-uri": ["'none'"],
    "form-action": ["'none'"],
    "frame-ancestors": ["'self'"],
}


@login_not_required
@csrf_exempt  # RFC 8058: mail clients POST here without a session; the signature is the authority
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what the link switches off with a button (a link scanner's GET changes
    nothing); POST (the button, or a mail client's one-click `List-Unsubscribe=One-Click`) does it."""
    target = unsubscribe_target(token)
    if target is None:
        return render(request, "alerts/unsubscribe.html", {"error": BAD_LINK_MESSAGE}, status=400)
    done = request.method == "POST"
    if done:
        unsubscribe(target)
    return render(request, "alerts/unsubscribe.html", {"target": target, "done": done, "token": token})


def _demo_only() -> None:
    if not settings.DEMO_MODE:
        raise Http404("The Outbox exists in demo mode only.")


@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    _demo_only()
    address = request.user.email  # type: ignore[union-attr]
    return render(
        request,
        "alerts/outbox.html",
        {"messages_list": selectors.outbox_list(address=address), "address": address},
    )


@require_GET
def outbox_message(request: HttpRequest, name: str) -> HttpResponse:
    _demo_only()
    message = selectors.outbox_get(address=request.user.email, name=name)  # type: ignore[union-attr]
    return render(request, "alerts/outbox_message.html", {"message": message})


@require_GET
@xframe_options_sameorigin
@csp_override(MESSAGE_HTML_CSP)
def outbox_message_html(request: HttpRequest, name: str) -> HttpResponse:
    _demo_only()
    message = selectors.outbox_get(address=request.user.email, name=name)  # type: ignore[union-attr]
    # Links open in a new tab (the frame may not navigate to the dashboard, which refuses framing).
    body = message.html.replace("<head>", '<head><base target="_blank">', 1)
    return HttpResponse(body, content_type="text/html; charset=utf-8")
