"""Per-user preference changes: plain POST forms that work without JavaScript."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from preferences import services
from preferences.forms import DensityForm


def _same_host(request: HttpRequest, url: str) -> bool:
    return url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=False)


@require_POST
def density(request: HttpRequest) -> HttpResponse:
    """Compact / comfortable cards; back to the page the switch was on (same site only)."""
    form = DensityForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Unknown density.")
    services.density_set(user=request.user, density=form.cleaned_data["density"])  # type: ignore[arg-type]
    # The page the switch sits on: its own field, else the Referer (the address bar after pushState).
    target = form.cleaned_data["next"] or request.headers.get("Referer", "")
    if target.startswith(("http://", "https://")):
        same = target.count("/") >= 3 and _same_host(request, target)
        target = "/" + target.split("/", 3)[3] if same else ""
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False)
    return HttpResponseRedirect(target if target and safe and target.startswith("/") else reverse("search"))
