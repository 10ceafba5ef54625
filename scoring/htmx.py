"""What an HTMX request wants back: the one helper every app's views share."""

from __future__ import annotations

from django.http import HttpRequest


def htmx_partial(request: HttpRequest) -> bool:
    """True for HTMX requests that want a fragment: not boosted and not a history restore."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def template_for(request: HttpRequest, name: str, partial: str) -> str:
    """`name`'s named partial for a fragment request, the whole template otherwise."""
    return f"{name}#{partial}" if htmx_partial(request) else name
