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
    # Before the candidate's routes, which would read "shared" as a source key.
    path("shared/<int:pk>/", views.shared_detail, name="shared-detail"),
    path("shared/<int:pk>/export.csv", views.shared_export_csv, name="shared-export"),
    path("shared/<int:pk>/copy/", views.shared_copy, name="shared-copy"),
    path("<str:source_key>/<str:profile_key>/", views.detail, name="detail"),
    path("<str:source_key>/<str:profile_key>/share/", views.share, name="share"),
    path("<str:source_key>/<str:profile_key>/export.csv", views.export_csv, name="export"),
]
