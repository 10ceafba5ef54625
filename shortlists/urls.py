from django.urls import path

from shortlists import views

app_name = "shortlists"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("star/", views.star, name="star"),
    path("hide/", views.hide, name="hide"),
    path("entry/<int:pk>/", views.entry_update, name="entry-update"),
    path("entry/<int:pk>/move/", views.entry_move, name="entry-move"),
    path("entry/<int:pk>/remove/", views.entry_remove, name="entry-remove"),
    path("<str:source_key>/<str:profile_key>/", views.detail, name="detail"),
    path("<str:source_key>/<str:profile_key>/export.csv", views.export_csv, name="export"),
]
