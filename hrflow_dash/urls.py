from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("accounts.urls")),
    path("", include("scoring.urls")),
    path("saved/", include("saved_searches.urls")),
    path("shortlists/", include("shortlists.urls")),
    path("preferences/", include("preferences.urls")),
    path("alerts/", include("alerts.urls")),
    path("compare/", include("compare.urls")),
    path("admin/", admin.site.urls),
]
