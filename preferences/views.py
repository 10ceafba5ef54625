"""Per-user preference changes: plain POST forms that work without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from preferences import selectors, services
from preferences.forms import AccountForm, DensityForm

ACCOUNT_SAVED_MESSAGE = "Saved your account settings."


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


@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = AccountForm(request.POST)
        if form.is_valid():
            services.account_update(user=user, **form.cleaned_data)  # type: ignore[arg-type]
            messages.success(request, ACCOUNT_SAVED_MESSAGE)
            return redirect("preferences:account")
        return render(request, "preferences/account.html", {"form": form}, status=400)
    prefs = selectors.preferences_for(user=user)  # type: ignore[arg-type]
    form = AccountForm(
        initial={
            "email": user.email,  # type: ignore[union-attr]
            "time_zone": prefs.time_zone,
            "digest_hour": prefs.digest_hour,
            "density": prefs.density,
            "alerts_enabled": prefs.alerts_enabled,
        }
    )
    return render(request, "preferences/account.html", {"form": form})
