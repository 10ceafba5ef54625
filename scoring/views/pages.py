"""Pages without a search: what the demo data is and where it comes from."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_not_required
def about_data(request: HttpRequest) -> HttpResponse:
    return render(request, "scoring/about_data.html")
