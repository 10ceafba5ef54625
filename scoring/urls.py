from django.urls import path

from scoring.views import csv_export, pages, search, typeaheads

urlpatterns = [
    path("", search.search, name="search"),
    path("candidates/", typeaheads.candidate_search, name="candidate-search"),
    path("cities/", typeaheads.cities, name="cities"),
    path("vocabulary/", typeaheads.vocabulary_suggest, name="vocabulary"),
    path("jobs/details/", search.job_details, name="job-details"),
    path("export.csv", csv_export.export_csv, name="export-csv"),
    path("about/data/", pages.about_data, name="about-data"),
]
