from django.urls import path

from scoring import views

urlpatterns = [
    path("", views.search, name="search"),
    path("candidates/", views.candidate_search, name="candidate-search"),
    path("cities/", views.cities, name="cities"),
    path("vocabulary/", views.vocabulary_suggest, name="vocabulary"),
    path("jobs/details/", views.job_details, name="job-details"),
    path("export.csv", views.export_csv, name="export-csv"),
    path("about/data/", views.about_data, name="about-data"),
]
