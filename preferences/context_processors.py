from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from preferences.services import density_for


def density(request: HttpRequest) -> dict[str, object]:
    """`density` ("compact" | "comfortable") for base.html's <body> class. Lazy: read (one indexed
    query) only by templates that print it, so an htmx results swap costs nothing."""
    user = getattr(request, "user", None)
    if user is None:
        return {"density": "comfortable"}
    return {"density": SimpleLazyObject(lambda: density_for(user))}
