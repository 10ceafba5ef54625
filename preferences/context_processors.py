from __future__ import annotations

from django.http import HttpRequest

from preferences.services import density_for


def density(request: HttpRequest) -> dict[str, object]:
    """`density` ("compact" | "comfortable") for base.html's <body> class: one indexed read."""
    user = getattr(request, "user", None)
    return {"density": density_for(user) if user is not None else "comfortable"}
