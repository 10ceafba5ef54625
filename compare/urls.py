from django.urls import path

from compare import views

app_name = "compare"
urlpatterns = [
    path("", views.candidate_matrix, name="matrix"),
    path("export.csv", views.matrix_export, name="export"),
    path("candidates/", views.candidate_options, name="candidates"),
]
