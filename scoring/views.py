from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def search(request: HttpRequest) -> HttpResponse:
    # Placeholder until the search page (issue 3) lands.
    return render(request, "scoring/search.html")


@login_not_required
def about_data(request: HttpRequest) -> HttpResponse:
    return render(request, "scoring/about_data.html")
